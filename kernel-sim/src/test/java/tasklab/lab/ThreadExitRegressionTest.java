package tasklab.lab;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tasklab.kernel.CloneFlags;
import tasklab.program.Program;

/** A program whose threads exit while its forks come and go (found by the tlb-ipi homework on 2.6 UP). */
class ThreadExitRegressionTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void threadsAndForksRunToTheEndOn26(int cpus) {
        int thread = CloneFlags.CLONE_VM | CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD;
        Program worker = Program.builder().mmap(32 << 10).touchMapped(32 << 10, 4096, true)
            .loop(50, b -> b.touchMapped(32 << 10, 4096, false).compute(20_000).yield()).exit(0).build();
        var b = Program.builder().mmap(32 << 10).touchMapped(32 << 10, 4096, true);
        b.clone(thread, worker);
        b.loop(1, x -> x.fork(Program.builder().exit(0).build()).touchMapped(32 << 10, 4096, true).waitAny());
        Program app = b.exit(0).build();
        Sim sim = Sim.linux26().cpus(cpus).boot();
        sim.kernel().setCheckInvariants(true);
        sim.spawn(app);
        assertDoesNotThrow(() -> sim.runMillis(200));
    }
}
