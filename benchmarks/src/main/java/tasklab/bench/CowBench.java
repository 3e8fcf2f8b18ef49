package tasklab.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
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
 * P3: the copy-on-write fault, measured as hostbench measures it. The parent has {@code pages}
 * pages with contents (a non-zero byte in each, so a COW copy really copies 4 KiB). Per
 * invocation, outside the measurement, it forks a child that stays alive, so every page is
 * shared; the timed operation is the parent writing one byte to each page ({@code mode=cow}:
 * one do_wp_page copy per page, checked against the counters), then the child exits and is
 * reaped outside the measurement. {@code mode=nofault} times the same write loop over the
 * parent's private, writable pages. Score: ns per loop; the runner reports
 * (cow - nofault) / pages, the cost of the fault itself, as hostbench's ns_per_fault is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class CowBench {
    @Param({"1024", "4096", "16384", "65536", "262144"}) public int pages;
    @Param({"cow", "nofault"}) public String mode;
    @Param({"LINUX_2_4"}) public KernelVersion version;

    Kernel k;
    int parent;
    long va;
    int child;
    int value = 1;
    long loops;
    long copies0;

    @Setup(Level.Trial)
    public void boot() {
        k = Sim.boot(version, Sim.ramFor(pages), true);
        parent = Sim.process(k);
        va = Sim.map(k, parent, pages);
        Sim.touch(k, parent, va, pages, value);
        copies0 = k.counters().total(Counter.COW_COPY);
    }

    @Setup(Level.Invocation)
    public void share() {
        if (mode.equals("cow")) {
            child = k.fork(parent);
            Sim.check(child > 0, "fork " + child);
        }
        value = value == 255 ? 1 : value + 1;
    }

    @Benchmark
    public void write() {
        long base = va;
        int v = value;
        for (int i = 0; i < pages; i++) k.writeByte(parent, base + i * Sim.PAGE, v);
        loops++;
    }

    @TearDown(Level.Invocation)
    public void unshare() {
        if (child > 0) {
            Sim.exitAndReap(k, parent, child);
            child = 0;
        }
    }

    @TearDown(Level.Trial)
    public void verify() {
        long copies = k.counters().total(Counter.COW_COPY) - copies0;
        long want = mode.equals("cow") ? loops * pages : 0;
        Sim.check(copies == want, "expected " + want + " COW copies, counted " + copies);
    }
}
