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
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelVersion;

/**
 * P5 (tasks): the P1 hand-off (two processes yielding to each other, trace ring on) on a
 * machine that also holds {@code tasks} sleeping processes. Score: ns per context switch;
 * the per-switch cost should not depend on how many tasks sleep.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SwitchScaleBench {
    @Param({"1000", "32000"}) public int tasks;
    @Param({"LINUX_2_4", "LINUX_2_6"}) public KernelVersion version;

    Kernel k;
    int a;
    int b;

    @Setup(Level.Trial)
    public void boot() {
        k = Sim.boot(version, 2L << 30, true);
        int parent = Sim.process(k);
        Sim.parkInit(k);
        for (int i = 0; i < tasks - 2; i++) {
            int c = k.fork(parent);
            Sim.check(c > 0, "fork " + i + " = " + c);
            k.sleep(c);
        }
        a = k.fork(parent);
        b = k.fork(parent);
        Sim.check(a > 0 && b > 0, "fork a/b");
        k.execve(a, "/bin/sh");
        k.execve(b, "/bin/sh");
        k.sleep(parent);
        k.schedYield(a);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void handOff() {
        k.schedYield(a);
        k.schedYield(b);
    }
}
