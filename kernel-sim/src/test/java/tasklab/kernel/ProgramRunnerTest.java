package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.program.Program;
import tasklab.trace.Counter;

/** Programs running in simulated time: ticks, sleeps, yields, fork/wait, determinism. */
class ProgramRunnerTest {
    private static Kernel twoLoops(KernelVersion v, int cpus, long seed) {
        Kernel k = Boots.of(KernelConfig.of(v).withCpus(cpus).withSeed(seed));
        Program p = Program.builder().mmap(32 << 10)
            .loop(40, b -> b.touchMapped(32 << 10, 1024, true).compute(50_000).yield())
            .exit(0).build();
        for (int i = 0; i < 3; i++) k.spawn(p);
        Program sleeper = Program.builder().loop(5, b -> b.compute(10_000).sleep(2)).exit(3).build();
        k.spawn(sleeper);
        Program forker = Program.builder().loop(3, b -> b.fork(Program.builder().compute(30_000).exit(1).build()).waitAny()).exit(0).build();
        k.spawn(forker);
        return k;
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void sameSeedAndProgramsGiveByteIdenticalTraces(KernelVersion v) {
        for (int cpus : new int[] {1, 2}) {
            Kernel a = twoLoops(v, cpus, 7);
            Kernel b = twoLoops(v, cpus, 7);
            a.runMillis(100);
            b.runMillis(100);
            String ta = a.trace().toText();
            assertTrue(ta.length() > 1000, "a real trace");
            assertEquals(ta, b.trace().toText(), cpus + " CPUs");
            assertEquals(a.counters().snapshot().toString(), b.counters().snapshot().toString());
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void aRingKeepsExactlyTheTailOfTheFullTrace(KernelVersion v) {
        for (int cpus : new int[] {1, 2, 4}) {
            Kernel full = twoLoops(v, cpus, 11);
            Kernel ring = twoLoops(v, cpus, 11);
            ring.trace().setCapacity(100);
            full.runMillis(100);
            ring.runMillis(100);
            java.util.List<String> all = full.trace().toText().lines().toList();
            java.util.List<String> kept = ring.trace().toText().lines().toList();
            assertTrue(all.size() > 200, "a real trace: " + all.size() + " events");
            assertTrue(all.stream().anyMatch(l -> l.contains("switch_cost")) && all.stream().anyMatch(l -> l.contains("mm_lifecycle")),
                "switches and mm frees interleave in this workload");
            assertEquals(all.subList(all.size() - 100, all.size()), kept, cpus + " CPUs");
            assertEquals(full.trace().recorded(), ring.trace().recorded());
            assertEquals(full.trace().recorded() - 100, ring.trace().dropped());
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void workloadsRunToCompletionAndEverythingIsReaped(KernelVersion v) {
        Kernel k = twoLoops(v, 2, 1);
        int threads = k.nrThreads();
        k.runMillis(500);
        assertEquals(threads - 5, k.nrThreads(), "all five workload processes exited and init reaped them");
        assertEquals(5 + 3, k.counters().total(Counter.EXIT), "5 processes and 3 forked children");
        assertTrue(k.counters().total(Counter.CONTEXT_SWITCH) > 120);
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void ticksPreemptComputeBoundTasks(KernelVersion v) {
        Kernel k = Boots.up(v);
        Program spin = Program.builder().compute(400_000_000L).exit(0).build();    // 2 s at 200 MHz
        int a = k.spawn(spin);
        int b = k.spawn(spin);
        k.runMillis(300);
        long switches = k.counters().total(Counter.CONTEXT_SWITCH);
        assertTrue(switches >= 4, "timeslices expire and the two alternate: " + switches);
        assertTrue(k.task(a).counter() >= 0);
        assertNotNull(k.task(b));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void sleepWakesAfterItsTicks(KernelVersion v) {
        Kernel k = Boots.up(v);
        int s = k.spawn(Program.builder().sleep(10).exit(0).build());
        k.runMillis(50);
        assertEquals(TaskState.INTERRUPTIBLE, k.task(s).state(), "10 ticks = 100 ms have not passed");
        k.runMillis(60);
        assertNull(k.task(s), "woke, exited, reaped");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void forkWithoutAChildProgramContinuesInBoth(KernelVersion v) {
        Kernel k = Boots.up(v);
        // Both return from fork: the parent waits, the child (which sees 0) skips nothing and exits 5.
        Program p = Program.builder().fork().save(1).compute(1000).exit(5).build();
        int pid = k.spawn(p);
        k.runMillis(20);
        assertEquals(2, k.counters().total(Counter.EXIT), "parent and child both ran to exit(5)");
        assertNull(k.task(pid));
    }
}
