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
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelVersion;

/**
 * P5 (tasks): how the cost per task grows from 1k to 32k tasks. Each iteration boots a fresh
 * kernel and a parent process (outside the measurement); the timed operation builds a machine
 * of {@code tasks} processes: the parent forks each one and it goes to sleep at once
 * (TASK_INTERRUPTIBLE, as an idle daemon does), so the runqueue stays short and what is
 * measured is how the simulator's per-task cost depends on how many tasks exist. Score: time
 * per build (single shot); the runner divides by {@code tasks}. 32000 is close to the 2.4 /
 * 2.6 pid limit (pids 1..32767).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TaskScaleBench {
    @Param({"1000", "32000"}) public int tasks;
    @Param({"LINUX_2_4", "LINUX_2_6"}) public KernelVersion version;

    Kernel k;
    int parent;

    @Setup(Level.Iteration)
    public void boot() {
        k = null;
        System.gc();
        k = Sim.boot(version, 2L << 30, true);
        parent = Sim.process(k);
        Sim.parkInit(k);
    }

    @Benchmark
    public int spawn() {
        int last = 0;
        for (int i = 0; i < tasks; i++) {
            last = k.fork(parent);
            if (last <= 0) throw new IllegalStateException("fork " + i + " of " + tasks + " = " + last);
            k.sleep(last);
        }
        return last;
    }
}
