package tasklab.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelVersion;
import tasklab.trace.Counter;

/**
 * P1: simulated context switches per host second. Two user processes (forked from init, each
 * execve'd /bin/sh, so each has its own mm) hand the one CPU back and forth with sched_yield;
 * init sleeps in wait4, so each yield is exactly one context switch with switch_mm, a CR3 load
 * and the TLB flush it implies (checked in the tear-down against the counters). The score is
 * switches per second. {@code trace=ring} records every event into a 4096-event ring;
 * {@code trace=off} does not record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ContextSwitchBench {
    @Param({"LINUX_2_4", "LINUX_2_6"}) public KernelVersion version;
    @Param({"ring", "off"}) public String trace;

    Kernel k;
    int a;
    int b;
    long switches0;
    long cr3s0;
    long ops;
    long recorded0;

    @Setup(Level.Trial)
    public void boot() {
        k = Sim.boot(version, 64L << 20, trace.equals("ring"));
        a = Sim.process(k);
        b = Sim.process(k);
        Sim.check(k.execve(a, "/bin/sh") == 0 && k.execve(b, "/bin/sh") == 0, "execve");
        Sim.parkInit(k);
        k.schedYield(b);                 // b runs, then yields to a: a is current when the measurement starts
        Sim.check(k.current(0).pid() == a, "a is not current");
        switches0 = k.counters().total(Counter.CONTEXT_SWITCH);
        cr3s0 = k.counters().total(Counter.CR3_SWITCH);
        recorded0 = k.trace().recorded();
    }

    /** Two hand-offs: a yields to b, b yields to a. */
    @Benchmark
    @OperationsPerInvocation(2)
    public void handOff() {
        k.schedYield(a);
        k.schedYield(b);
        ops += 2;
    }

    @TearDown(Level.Trial)
    public void verify() {
        long sw = k.counters().total(Counter.CONTEXT_SWITCH) - switches0;
        long cr3 = k.counters().total(Counter.CR3_SWITCH) - cr3s0;
        Sim.check(sw == ops, "expected one context switch per yield: " + sw + " switches for " + ops + " yields");
        Sim.check(cr3 == ops, "expected one CR3 load per switch: " + cr3 + " for " + ops);
        long rec = k.trace().recorded() - recorded0;
        if (trace.equals("off")) Sim.check(rec == 0, "trace off recorded " + rec + " events");
        else Sim.check(rec >= ops && k.trace().size() == Sim.TRACE_RING, "trace ring: " + rec + " events, " + k.trace().size() + " kept");
    }
}
