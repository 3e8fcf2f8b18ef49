package tasklab.kernel.props;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelVersion;
import tasklab.kernel.Signals;

/** Shrunk sequences the properties found, each named after the rule it broke, replayed as plain tests. */
class PropertyRegressionTest {

    /**
     * R3.6 init cannot exit: a bad user access by init (shrunk: [Access(0, read, null page)]) used
     * to kill init through do_exit and panic "Attempted to kill init!". Init gets no signals it
     * does not want (2.4 do_signal "if (current->pid == 1) continue", 2.6 get_signal_to_deliver).
     */
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R3_6_initSurvivesItsOwnBadAccess(KernelVersion v) {
        Replay.run(v, 1, 64L << 20, new Op.Access(0, false, 0, 0, 0));
        Kernel k = Kernel.boot(KernelConfig.of(v));
        k.setCheckInvariants(true);
        assertEquals(-Signals.SIGSEGV, k.readByte(1, 0x0));
        assertEquals(-Signals.SIGSEGV, k.writeByte(1, 0xC0001000L, 1));
        assertFalse(k.task(1).hasExited(), "init is still alive");
        k.checkInvariants("after");
    }

    /**
     * R11.7 / R11.8 as 2.6.22 has them (shrunk: [Fork(0), Vfork(1), Sigaction(init, SIGCHLD, SIG_IGN)]):
     * a zombie reparented to an init that ignores SIGCHLD gets exit_signal = -1 from
     * do_notify_parent but stays EXIT_ZOMBIE; eligible_child skips it and nothing releases it, so
     * it is never reaped. The simulator reproduces the 2.6.22 leak (fixed in later kernels); the
     * property runs therefore keep init's SIGCHLD at SIG_DFL on 2.6.
     */
    @org.junit.jupiter.api.Test
    void R11_8_v2622LeaksAZombieReparentedToAnInitIgnoringSigchld() {
        Kernel k = Kernel.boot(KernelConfig.of(KernelVersion.LINUX_2_6));
        k.setCheckInvariants(true);
        int a = k.fork(1);
        int b = k.fork(a);
        assertEquals(0, k.sigaction(1, Signals.SIGCHLD, Signals.SIG_IGN));
        assertEquals(0, k.exit(b, 0));                 // a zombie of a
        assertEquals(0, k.exit(a, 0));                 // a self-reaps; b goes to init
        var z = k.task(b);
        org.junit.jupiter.api.Assertions.assertNotNull(z, "b is still on the task list");
        org.junit.jupiter.api.Assertions.assertTrue(z.isZombie());
        assertEquals(-1, z.exitSignal(), "do_notify_parent made it self-reaping, too late");
        assertEquals(-tasklab.kernel.Errno.ECHILD.code(), k.wait4(1, b, 1 | 0x40000000), "eligible_child skips it");
        k.checkInvariants("after");
    }

    /**
     * Bug (found by LongRunTest, 2.6): de_thread's zap_other_threads (Exec.deThread) and
     * do_group_exit (Exit.sysExitGroup) call doExit directly on the other threads; doExit begins
     * with runAs, which throws IllegalStateException for a thread that is asleep (here a thread in
     * TASK_UNINTERRUPTIBLE waiting for its vfork child). In Linux the SIGKILL is queued, the sleeper
     * dies when it wakes, and de_thread waits for it (R10.3, R11.3). Shrunk by hand from run 5 of
     * the long run (seed 1).
     */
    @org.junit.jupiter.api.Test
    void R10_3_execByOneThreadEndsASleepingSibling() {
        Kernel k = Kernel.boot(KernelConfig.of(KernelVersion.LINUX_2_6));
        k.setCheckInvariants(true);
        int a = k.fork(1);
        int t = k.clone(a, tasklab.kernel.CloneFlags.CLONE_VM | tasklab.kernel.CloneFlags.CLONE_SIGHAND
            | tasklab.kernel.CloneFlags.CLONE_THREAD);
        int v = k.vfork(t);                            // t sleeps in TASK_UNINTERRUPTIBLE until v execs or exits
        org.junit.jupiter.api.Assertions.assertTrue(v > 0);
        assertEquals(0, k.execve(a, "/bin/true"), "de_thread kills t");
        k.checkInvariants("after");
    }
}
