package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;
import static tasklab.kernel.CloneFlags.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pid allocation, pid burning by failed clones, and getpid / gettid / getppid (LINUX-SPEC §4). */
class PidAllocationTest {
    static final int EAGAIN = Errno.EAGAIN.neg();
    static final int EINVAL = Errno.EINVAL.neg();
    static final int EPERM = Errno.EPERM.neg();
    static final int THREAD = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;

    private static Kernel up(KernelVersion v) { return Boots.up(v); }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_1_pidsAreHandedOutSequentiallyAfterBoot(KernelVersion v) {
        Kernel k = up(v);
        assertEquals(6, k.pids().lastPid(), "boot made pids 1..6");
        assertEquals(7, k.fork(1));
        assertEquals(8, k.fork(1));
        assertEquals(9, k.fork(7));
        assertEquals(9, k.pids().lastPid());
        assertEquals(9, k.nrThreads());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_3_aReapedPidIsNotReusedTheNextForkGetsLastPidPlusOne(KernelVersion v) {
        Kernel k = up(v);
        assertEquals(7, k.fork(1));
        assertEquals(0, k.exit(7, 0));
        assertEquals(7, k.wait4(1, 7, 0));
        assertNull(k.task(7));
        assertFalse(k.pids().inUse(7), "reaping frees the pid");
        assertEquals(8, k.fork(1), "last_pid never goes back");
        assertEquals(8, k.pids().lastPid());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_1_afterPid32767TheAllocatorWrapsTo300(KernelVersion v) {
        Kernel k = up(v);
        k.pids().setLastPid(32766);
        assertEquals(32767, k.fork(1), "32767 is the largest pid");
        assertEquals(300, k.fork(1), "values above 32767 wrap to RESERVED_PIDS");
        assertEquals(301, k.fork(1));
        k.pids().setLastPid(32767);
        assertEquals(302, k.fork(1), "after the wrap, values in use (300, 301) are skipped");
        assertEquals(302, k.pids().lastPid());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_1_R4_2_thePgrpAndSessionOfAnExitedSessionLeaderAreNotHandedOut(KernelVersion v) {
        Kernel k = up(v);
        int a = k.fork(1);
        assertEquals(7, a);
        k.setPgrpSession(k.task(a), a, a);                   // a calls setsid()
        int b = k.fork(a);
        assertEquals(8, b);
        assertEquals(7, k.task(b).pgrp());
        assertEquals(7, k.task(b).session());
        assertEquals(0, k.exit(a, 0));
        assertEquals(7, k.wait4(1, 7, 0));
        assertNull(k.task(7), "pid 7 is no longer a task");
        assertTrue(k.pids().inUse(7), "but 7 is still the pgrp and session of task 8");
        k.pids().setLastPid(6);
        assertEquals(9, k.fork(1), "7 is a pgrp/session in use and 8 a pid in use");
    }

    @Test
    void R4_1_24_theTgidOfAReapedThreadGroupLeaderIsNotHandedOut() {
        Kernel k = up(KernelVersion.LINUX_2_4);
        int a = k.fork(1);
        int t = k.clone(a, THREAD | SIGCHLD);
        assertEquals(7, a);
        assertEquals(8, t);
        assertEquals(7, k.task(t).tgid());
        assertEquals(0, k.exit(a, 0));
        assertEquals(7, k.wait4(1, 7, 0), "2.4: a leader is reaped while its threads live");
        assertNull(k.task(7));
        assertEquals(7, k.task(8).tgid(), "the thread keeps tgid 7");
        assertTrue(k.pids().inUse(7));
        k.pids().setLastPid(6);
        assertEquals(9, k.fork(1), "get_pid rejects a candidate equal to any task's tgid");
    }

    @Test
    void R4_4_24_checksBeforeGetPidBurnNoPid() {
        Kernel k = up(KernelVersion.LINUX_2_4);
        assertEquals(EINVAL, k.clone(1, CLONE_NEWNS | CLONE_FS | SIGCHLD));
        assertEquals(6, k.pids().lastPid());
        assertEquals(EPERM, k.clone(1, CLONE_PID | SIGCHLD));
        assertEquals(6, k.pids().lastPid());
        int c = k.fork(1);
        assertEquals(7, c);
        assertEquals(0, k.setuid(c, 1000));
        assertEquals(0, k.setRlimitNproc(c, 1));
        assertEquals(EAGAIN, k.fork(c), "RLIMIT_NPROC");
        assertEquals(7, k.pids().lastPid());
        k.setMaxThreads(k.nrThreads());
        assertEquals(EAGAIN, k.fork(1), "max_threads");
        assertEquals(7, k.pids().lastPid());
        k.setMaxThreads(1000);
        assertEquals(8, k.fork(1), "no pid was burned by the four failures");
    }

    @Test
    void R4_4_24_copyNamespaceEpermAfterGetPidBurnsOnePid() {
        Kernel k = up(KernelVersion.LINUX_2_4);
        int c = k.fork(1);
        assertEquals(0, k.setuid(c, 1000));
        int threads = k.nrThreads();
        assertEquals(EPERM, k.clone(c, CLONE_NEWNS | SIGCHLD), "CLONE_NEWNS without CAP_SYS_ADMIN");
        assertEquals(8, k.pids().lastPid(), "get_pid ran before copy_namespace");
        assertFalse(k.pids().inUse(8));
        assertEquals(threads, k.nrThreads());
        assertEquals(1, k.userProcesses(1000), "user->processes given back");
        assertEquals(9, k.fork(1), "pid 8 was burned");
    }

    @Test
    void R4_4_26_everyFailedCloneBurnsOnePid() {
        Kernel k = up(KernelVersion.LINUX_2_6);
        int c = k.fork(1);
        assertEquals(7, c);
        assertEquals(EINVAL, k.clone(1, CLONE_NEWNS | CLONE_FS | SIGCHLD));
        assertEquals(8, k.pids().lastPid());
        assertEquals(EINVAL, k.clone(1, CLONE_THREAD | SIGCHLD));
        assertEquals(9, k.pids().lastPid());
        assertEquals(EINVAL, k.clone(1, CLONE_SIGHAND | SIGCHLD));
        assertEquals(10, k.pids().lastPid());
        assertEquals(0, k.setuid(c, 1000));
        assertEquals(0, k.setRlimitNproc(c, 1));
        assertEquals(EAGAIN, k.fork(c), "RLIMIT_NPROC");
        assertEquals(11, k.pids().lastPid());
        assertEquals(0, k.setRlimitNproc(c, 100));
        assertEquals(EPERM, k.clone(c, CLONE_NEWNS | SIGCHLD), "copy_namespaces");
        assertEquals(12, k.pids().lastPid());
        k.setMaxThreads(k.nrThreads());
        assertEquals(EAGAIN, k.fork(1), "max_threads");
        assertEquals(13, k.pids().lastPid());
        for (int p = 8; p <= 13; p++) assertFalse(k.pids().inUse(p), "free_pid cleared bit " + p);
        k.setMaxThreads(1000);
        assertEquals(14, k.fork(1));
    }

    @Test
    void R4_2_26_cloneFailsWithEagainWhenTheBitmapIsFullAndKeepsLastPid() {
        Kernel k = up(KernelVersion.LINUX_2_6);
        k.pids().setLastPid(32766);
        assertEquals(32767, k.fork(1));
        fillPidSpaceExcept(k, 0);
        assertEquals(EAGAIN, k.fork(1));
        assertEquals(32767, k.pids().lastPid());
    }

    /** Marks every free value 1..32767 except {@code keep} as used (a stand-in for 32k tasks; see ScaleTest for real ones). */
    private static void fillPidSpaceExcept(Kernel k, int keep) {
        for (int p = 1; p < PidMap.PID_MAX; p++) if (p != keep && !k.pids().inUse(p)) k.pids().get(p);
        k.setCheckInvariants(false);                          // the map now holds uses no task owns
    }

    @Test
    void R4_1_24_getPidNeverHandsOutTheValueItStartedFrom() {
        Kernel k = up(KernelVersion.LINUX_2_4);
        k.pids().setLastPid(4999);
        assertEquals(5000, k.fork(1));
        assertEquals(0, k.exit(5000, 0));
        assertEquals(5000, k.wait4(1, 5000, 0));
        fillPidSpaceExcept(k, 5000);
        k.pids().setLastPid(5000);
        assertEquals(EAGAIN, k.fork(1), "the scan stops when it comes back to beginpid (5000) without testing it");
        assertEquals(5000, k.pids().lastPid(), "nomorepids leaves last_pid at beginpid");
        k.pids().setLastPid(4999);
        assertEquals(5000, k.fork(1), "started from 4999, the free 5000 is found");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_1_R4_2_aFreeValueBelow300IsNotFoundAfterTheWrapSoAFullSpaceIsEagain(KernelVersion v) {
        Kernel k = up(v);
        assertEquals(7, k.fork(1));
        assertEquals(0, k.exit(7, 0));
        assertEquals(7, k.wait4(1, 7, 0));
        fillPidSpaceExcept(k, 7);
        k.pids().setLastPid(7);
        assertEquals(EAGAIN, k.fork(1), "8..32767 then 300..32767: 7 is never a candidate (2.4 would spin forever)");
        k.pids().setLastPid(6);
        assertEquals(7, k.fork(1));
    }

    @Test
    void R4_2_26_allocPidmapScansTheWholeMapAndFindsTheStartValue() {
        Kernel k = up(KernelVersion.LINUX_2_6);
        k.pids().setLastPid(5000);
        fillPidSpaceExcept(k, 5000);
        assertEquals(5000, k.fork(1), "the second pass from RESERVED_PIDS covers the whole map");
        assertEquals(5000, k.pids().lastPid());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_5_getpidIsTheTgidAndGettidThePid(KernelVersion v) {
        Kernel k = up(v);
        int p = k.fork(1);
        int t = k.clone(p, THREAD | SIGCHLD);
        assertEquals(7, p);
        assertEquals(8, t);
        assertEquals(7, k.getpid(t));
        assertEquals(8, k.gettid(t));
        assertEquals(7, k.getpid(p));
        assertEquals(7, k.gettid(p));
    }

    @Test
    void R4_5_24_getppidIsThePidOfTheOriginalParentThread() {
        Kernel k = up(KernelVersion.LINUX_2_4);
        int p = k.fork(1);                       // 7
        int t = k.clone(p, THREAD | SIGCHLD);    // 8, a thread of 7
        int c = k.fork(t);                       // 9, forked by the thread
        int t2 = k.clone(t, THREAD | SIGCHLD);   // 10, a thread made by the thread
        assertEquals(7, k.getppid(t), "p_opptr = current = 7");
        assertEquals(8, k.getppid(c), "p_opptr->pid is the thread's pid");
        assertEquals(8, k.getppid(t2), "2.4 CLONE_THREAD: parent = current");
        assertSame(k.task(t), k.task(t2).realParent());
    }

    @Test
    void R4_5_26_getppidIsTheTgidOfTheRealParent() {
        Kernel k = up(KernelVersion.LINUX_2_6);
        int p = k.fork(1);
        int t = k.clone(p, THREAD);
        int c = k.fork(t);
        int t2 = k.clone(t, THREAD);
        assertEquals(1, k.getppid(t), "CLONE_THREAD: real_parent = current->real_parent (init)");
        assertEquals(7, k.getppid(c), "real_parent is thread 8, whose tgid is 7");
        assertSame(k.task(t), k.task(c).realParent());
        assertEquals(1, k.getppid(t2));
        assertSame(k.task(1), k.task(t2).realParent());
    }
}
