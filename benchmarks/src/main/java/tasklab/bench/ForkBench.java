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

/**
 * P2 (and P5 pages): fork of a process with {@code pages} private anonymous pages mapped and
 * touched (a non-zero byte written to each, as hostbench does). Only {@code fork()} is timed:
 * the previous child's exit and reap, and the re-write of every page that makes the parent's
 * ptes writable again (hostbench re-writes before each repeat for the same reason), run in a
 * per-invocation set-up outside the measurement. Score: ns per fork; the runner divides by
 * {@code pages}. {@code pages=0} is the fixed cost of a fork (the process's own few pages).
 * Trace on with the 4096-event ring.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class ForkBench {
    @Param({"0", "1024", "4096", "16384", "65536", "262144"}) public int pages;
    @Param({"LINUX_2_4"}) public KernelVersion version;

    Kernel k;
    int parent;
    long va;
    int child;

    @Setup(Level.Trial)
    public void boot() {
        k = Sim.boot(version, Sim.ramFor(pages), true);
        parent = Sim.process(k);
        if (pages > 0) {
            va = Sim.map(k, parent, pages);
            Sim.touch(k, parent, va, pages, 1);
        }
    }

    @Setup(Level.Invocation)
    public void reset() {
        if (child > 0) {
            Sim.exitAndReap(k, parent, child);
            child = 0;
            Sim.touch(k, parent, va, pages, 1);
        }
    }

    @Benchmark
    public int fork() {
        child = k.fork(parent);
        return child;
    }

    @TearDown(Level.Trial)
    public void done() {
        Sim.check(child > 0, "fork failed: " + child);
    }
}
