package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** kernel_thread, daemonize and the 2.6 kthread API (LINUX-SPEC §6). */
class KthreadTest {
    static final KernelVersion V26 = KernelVersion.LINUX_2_6;

    @Test
    void R6_9_R6_12_kthreadCreateMakesASleepingChildOfKthreadd() {
        Kernel k = Boots.up(V26);
        AtomicInteger runs = new AtomicInteger();
        int pid = k.kthreadCreate(1, "worker/0", (kk, self) -> { runs.incrementAndGet(); return KernelThreadFn.SLEEP; });
        assertTrue(pid > 0);
        Task t = k.task(pid);
        assertEquals(2, t.ppid(), "kthreadd is the parent, whoever asked");
        assertEquals(TaskState.UNINTERRUPTIBLE, t.state(), "fresh kthread waits in TASK_UNINTERRUPTIBLE");
        assertNull(t.mm());
        assertEquals("worker/0", t.comm());
        assertEquals(Signals.SIGCHLD, t.exitSignal());
        assertEquals(0, runs.get(), "threadfn has not run");
        assertEquals(TaskState.RUNNING, k.task(1).state(), "the creator was woken by complete(&create.done)");
        assertEquals(TaskState.INTERRUPTIBLE, k.task(2).state(), "kthreadd went back to sleep");
        assertEquals(Signals.SIG_IGN, t.sighand().handler(Signals.SIGTERM), "a copy of kthreadd's all-ignored table");
    }

    @Test
    void R6_13_kthreadRunStartsThreadfn() {
        Kernel k = Boots.up(V26);
        AtomicInteger runs = new AtomicInteger();
        int pid = k.kthreadRun(1, "worker", (kk, self) -> { runs.incrementAndGet(); return KernelThreadFn.SLEEP; });
        k.runKernelThreads(100);
        assertEquals(1, runs.get());
        assertEquals(TaskState.INTERRUPTIBLE, k.task(pid).state());
    }

    @Test
    void R6_15_R6_17_kthreadStopReturnsThreadfnsValueAndLeavesNoZombie() {
        Kernel k = Boots.up(V26);
        int pid = k.kthreadRun(1, "worker", (kk, self) -> kk.kthreadShouldStop(self) ? 42 : KernelThreadFn.SLEEP);
        k.runKernelThreads(100);
        int threads = k.nrThreads();
        assertEquals(42, k.kthreadStop(1, pid));
        assertNull(k.task(pid), "kthreadd ignores SIGCHLD: the thread self-reaps (EXIT_DEAD)");
        assertEquals(threads - 1, k.nrThreads());
        assertTrue(k.task(2).children().stream().noneMatch(Task::isZombie));
    }

    @Test
    void R6_15_stoppingAThreadThatNeverRanGivesMinusEintr() {
        Kernel k = Boots.up(V26);
        AtomicInteger runs = new AtomicInteger();
        int pid = k.kthreadCreate(1, "idle-worker", (kk, self) -> { runs.incrementAndGet(); return 0; });
        assertEquals(-Errno.EINTR.code(), k.kthreadStop(1, pid));
        assertEquals(0, runs.get(), "threadfn never ran");
        assertNull(k.task(pid));
    }

    @Test
    void R6_16_kthreadBindOnlyOnAFreshThread() {
        Kernel k = Boots.smp(V26, 2);
        int pid = k.kthreadCreate(1, "bound", KernelThreadFn.sleeper());
        assertEquals(0, k.kthreadBind(pid, 1));
        k.wakeUpProcess(pid);
        k.runKernelThreads(100);
        assertEquals(1, k.task(pid).processor(), "it ran on the CPU it was bound to");
        assertEquals(-Errno.EINVAL.code(), k.kthreadBind(pid, 0), "no longer TASK_UNINTERRUPTIBLE: WARN and return");
    }

    @Test
    void kthreadApiDoesNotExistIn24() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        assertEquals(-Errno.ENOSYS.code(), k.kthreadCreate(1, "x", KernelThreadFn.sleeper()));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R6_2_R6_7_kernelThreadExitCodePerVersion(KernelVersion v) {
        Kernel k = Boots.up(v);
        int pid = k.kernelThread(1, "oneshot", KernelThreadFn.returning(7), Signals.SIGCHLD);
        assertEquals(2, k.task(1).mm().mmUsers(), "CLONE_VM from a user context shares the mm (R6.3)");
        k.runKernelThreads(100);
        assertTrue(k.task(pid).isZombie());
        assertEquals(pid, k.wait4(1, pid, 0));
        assertEquals(v.is24() ? 0x1100 : 7, k.task(1).lastWaitStatus(),
            "2.4: sys_exit(ebx = flags) -> (flags & 0xff) << 8; 2.6: do_exit(fn())");
    }

    @Test
    void R6_4_linux24DaemonizeDropsTheUserMmAndKeepsTheParent() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int pid = k.kernelThread(1, "mod_thread", KernelThreadFn.sleeper(), 0);
        var mm = k.task(1).mm();
        assertEquals(2, mm.mmUsers());
        assertEquals(0, k.daemonize(pid, "mod_thread"));
        assertEquals(1, mm.mmUsers(), "exit_mm: mm_users - 1 (T13)");
        assertNull(k.task(pid).mm());
        assertEquals(1, k.task(pid).ppid(), "2.4 daemonize does not reparent");
        assertEquals(1, k.task(pid).session());
        assertEquals(1, k.task(pid).pgrp());
    }

    @Test
    void R6_8_linux26DaemonizeReparentsToKthreadd() {
        Kernel k = Boots.up(V26);
        int p = k.fork(1);
        int pid = k.kernelThread(p, "mod_thread", KernelThreadFn.sleeper(), 0);
        assertEquals(p, k.task(pid).ppid());
        k.daemonize(pid, "mod_thread");
        assertEquals(2, k.task(pid).ppid(), "reparent_to_kthreadd");
        assertEquals(Signals.SIGCHLD, k.task(pid).exitSignal());
    }
}
