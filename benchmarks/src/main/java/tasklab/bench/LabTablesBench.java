package tasklab.bench;

import java.util.List;
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
import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelVersion;
import tasklab.lab.Proc;
import tasklab.program.Program;
import tech.tablesaw.api.Table;

/**
 * Issue 11's speed target for the lab's tables (target: under 1 s each): {@code ps} and
 * {@code pagemap} of 10,000 tasks, and {@code switches} and {@code trace} over a trace of
 * 1,000,000 events. The state (tasks, trace) is built once per trial outside the measurement;
 * each timed call builds the whole Table from the live kernel, as a notebook cell does.
 * Score: milliseconds per table (single shot, several iterations).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar LabTablesBench -f 1 -wi 2 -i 5}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class LabTablesBench {
    /** 10,000 processes (forked from one parent, each asleep), on both versions. */
    @State(Scope.Benchmark)
    public static class Tasks {
        @Param({"LINUX_2_4", "LINUX_2_6"}) public KernelVersion version;
        @Param({"10000"}) public int tasks;
        tasklab.lab.Sim sim;
        Proc[] all;

        @Setup(Level.Trial)
        public void build() {
            Kernel k = Kernel.boot(KernelConfig.of(version).withRam(2L << 30).withInitcallThreads(false));
            k.trace().setEnabled(false);
            int parent = Sim.process(k);
            Sim.parkInit(k);
            for (int i = 1; i < tasks; i++) {
                int pid = k.fork(parent);
                Sim.check(pid > 0, "fork " + i + " = " + pid);
                k.sleep(pid);
            }
            sim = tasklab.lab.Sim.wrap(k);
            List<Proc> user = sim.tasks().stream().filter(p -> p.pid() >= parent).toList();
            Sim.check(user.size() == tasks, "made " + user.size() + " tasks, wanted " + tasks);
            all = user.toArray(new Proc[0]);
        }
    }

    /** A machine whose unbounded trace holds 1,000,000 events or more: four processes yielding on one CPU. */
    @State(Scope.Benchmark)
    public static class Traced {
        @Param({"LINUX_2_4"}) public KernelVersion version;
        @Param({"1000000"}) public int events;
        tasklab.lab.Sim sim;

        @Setup(Level.Trial)
        public void build() {
            sim = tasklab.lab.Sim.of(version).initcallThreads(false).boot();
            sim.spawn(Program.builder().mmap(16384).touchMapped(16384, 4096, true)
                .loop(100_000_000, b -> b.touchMapped(16384, 4096, false).yield()).build(), 4);
            while (sim.kernel().trace().size() < events) sim.kernel().runMillis(10);
            Sim.check(sim.kernel().trace().dropped() == 0, "the trace dropped events");
        }
    }

    @Benchmark
    public Table ps(Tasks s) { return s.sim.ps(); }

    @Benchmark
    public Table pagemap(Tasks s) { return s.sim.pagemap(s.all); }

    @Benchmark
    public Table switches(Traced s) { return s.sim.switches(); }

    @Benchmark
    public Table trace(Traced s) { return s.sim.trace(); }
}
