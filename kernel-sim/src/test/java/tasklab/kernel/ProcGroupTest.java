package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Process groups and sessions (kernel/sys.c) and orphaned process groups (kernel/exit.c).
 * New rule ids, not yet in LINUX-SPEC:
 * <ul>
 * <li>R4.6 setpgid(pid, pgid) / getpgid(pid): pid 0 is the caller (2.6: its group leader), pgid 0
 *     is pid; errors in order: EINVAL (pgid &lt; 0), ESRCH (no such task), [2.6] EINVAL (not a
 *     thread-group leader), for a child of the caller EPERM (another session) then EACCES (it has
 *     exec'd), for anyone else but the caller ESRCH, EPERM (a session leader), EPERM (pgid is no
 *     group of the caller's session). getpgid of a missing pid is ESRCH.</li>
 * <li>R4.7 setsid(): the caller (2.6: its group leader) leads a new session and group named by its
 *     pid, which setsid returns; EPERM when [2.4] some task's pgrp equals that pid, [2.6] it already
 *     leads a session or a group with that id exists. getsid(pid) returns the session.</li>
 * <li>R11.13 [2.6] the orphaned-pgrp checks of R11.5 run in 2.6 too: case i in exit_notify after
 *     forget_original_parent, case ii in reparent_thread, with will_become_orphaned_pgrp skipping
 *     exited members and members whose real parent is init.</li>
 * </ul>
 */
class ProcGroupTest {
    static final int EPERM = Errno.EPERM.neg();
    static final int ESRCH = Errno.ESRCH.neg();
    static final int EINVAL = Errno.EINVAL.neg();
    static final int EACCES = Errno.EACCES.neg();
    static final int THREAD = CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD;

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_6_setpgidChecksInTheKernelsOrder(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(1, k.getpgid(1, a), "a child starts in its parent's group");
        assertEquals(EINVAL, k.setpgid(a, 0, -1));
        assertEquals(ESRCH, k.setpgid(a, 31000, 0), "no such task");
        assertEquals(ESRCH, k.setpgid(a, b, 0), "b is neither a's child nor a");
        assertEquals(EPERM, k.setpgid(1, 1, 0), "init leads its session");
        assertEquals(EPERM, k.setpgid(a, 0, 5000), "no group 5000 in a's session");
        assertEquals(0, k.setpgid(a, 0, 0), "a makes its own group");
        assertEquals(a, k.getpgid(b, a));
        assertEquals(a, k.task(a).pgrp());
        assertEquals(0, k.setpgid(1, b, a), "the parent moves b into a's group");
        assertEquals(a, k.getpgid(1, b));
        assertEquals(ESRCH, k.getpgid(1, 31000));
        assertEquals(0, k.execve(b, "/bin/sh"));
        assertEquals(EACCES, k.setpgid(1, b, 0), "a child that has exec'd");
        int c = k.fork(1);
        assertEquals(c, k.setsid(c));
        assertEquals(EPERM, k.setpgid(1, c, 0), "a child in another session: EPERM before the exec check");
    }

    @Test
    void R4_6_26_onlyAThreadGroupLeaderMayBeMoved() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int a = k.fork(1);
        int t = k.clone(a, THREAD);
        assertTrue(t > 0);
        assertEquals(EINVAL, k.setpgid(a, t, 0), "not a group leader");
        assertEquals(0, k.setpgid(t, 0, 0), "pid 0 from a thread is its group leader");
        assertEquals(a, k.task(a).pgrp());
        assertEquals(a, k.task(t).pgrp(), "2.6 keeps pgrp in signal_struct: every thread sees it");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_7_setsidMakesANewSessionOnlyForANonLeader(KernelVersion v) {
        Kernel k = Boots.up(v);
        assertEquals(1, k.getsid(1, 0));
        int a = k.fork(1);
        assertEquals(1, k.getsid(1, a), "sessions are inherited");
        assertEquals(a, k.setsid(a));
        assertEquals(a, k.getsid(1, a));
        assertEquals(a, k.getpgid(1, a));
        assertEquals(EPERM, k.setsid(a), "already a session (and group) leader");
        int b = k.fork(1);
        assertEquals(0, k.setpgid(b, 0, 0));
        assertEquals(EPERM, k.setsid(b), "a process-group leader cannot start a session");
        int ga = k.fork(a);
        assertEquals(a, k.getsid(1, ga));
        assertEquals(ESRCH, k.getsid(1, 31000));
    }

    @Test
    void R4_7_26_aThreadsSetsidActsForItsGroupLeader() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int a = k.fork(1);
        int t = k.clone(a, THREAD);
        assertEquals(a, k.setsid(t), "session = the group leader's pid");
        assertEquals(a, k.task(a).session());
        assertEquals(a, k.task(t).session());
    }

    /** R4.1 / R4.2 made reachable: a value in use as a pgrp or session is never handed out as a pid. */
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_1_R4_2_aSessionIdOutlivesItsLeaderAndIsNotReused(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        assertEquals(a, k.setsid(a));
        int g = k.fork(a);                       // in session a, group a
        assertEquals(0, k.exit(a, 0));
        assertEquals(a, k.wait4(1, a, 0), "a is reaped: its pid is gone");
        assertNull(k.task(a));
        assertTrue(k.pids().inUse(a), "but g still uses the value as pgrp and session");
        k.pids().setLastPid(a - 1);
        int next = k.fork(1);
        assertNotEquals(a, next, "the allocator skips it");
        assertEquals(g + 1, next, "and g's own pid, the next one");
        assertEquals(0, k.exit(g, 0));
        assertEquals(g, k.wait4(1, g, 0), "g was reparented to init");
        assertFalse(k.pids().inUse(a));
        k.pids().setLastPid(a - 1);
        assertEquals(a, k.fork(1), "free again once nobody uses it");
    }

    /** Builds: a leads session a; its child g leads group g of session a. Returns {a, g}. */
    private static int[] sessionWithGroup(Kernel k) {
        int a = k.fork(1);
        assertEquals(a, k.setsid(a));
        int g = k.fork(a);
        assertEquals(0, k.setpgid(g, 0, 0));
        return new int[] {a, g};
    }

    /** Builds: a leads session a; g in group g of session a; gg a child of g, stopped. Returns {a, g, gg}. */
    private static int[] stoppedGroup(Kernel k) {
        int[] ag = sessionWithGroup(k);
        int g = ag[1];
        int gg = k.fork(g);
        assertEquals(g, k.getpgid(1, gg));
        assertEquals(0, k.kill(1, gg, Signals.SIGSTOP));
        return new int[] {ag[0], g, gg};
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_5_R11_13_caseI_theLastLinkOutsideExitsAndTheStoppedGroupGetsSighupThenSigcont(KernelVersion v) {
        Kernel k = Boots.up(v);
        int[] s = stoppedGroup(k);
        int g = s[1], gg = s[2];
        assertFalse(k.isOrphanedPgrp(g), "g's parent a is in another group of the same session");
        assertEquals(0, k.exit(g, 0));
        Task t = k.task(gg);
        assertEquals(TaskState.RUNNING, t.state(), "SIGCONT woke it");
        assertNotEquals(0, t.pendingSignals() & (1L << (Signals.SIGHUP - 1)), "SIGHUP is pending");
        assertTrue(k.isOrphanedPgrp(g));
        k.getpid(gg);                             // its next return to user mode acts on SIGHUP: death
        assertTrue(k.task(gg).isZombie());
        assertEquals(gg, k.wait4(1, gg, 0));
        assertEquals(new Wait.Signaled(Signals.SIGHUP, false), Wait.decode(k.task(1).lastWaitStatus()));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_5_R11_13_caseII_aChildsGroupLosesItsLinkWhenTheParentExits(KernelVersion v) {
        Kernel k = Boots.up(v);
        int[] ag = sessionWithGroup(k);
        int a = ag[0], g = ag[1];
        assertEquals(0, k.sigaction(g, Signals.SIGHUP, Signals.SIG_HANDLER));
        assertEquals(0, k.kill(1, g, Signals.SIGSTOP));
        assertEquals(0, k.exit(a, 0));
        Task t = k.task(g);
        assertEquals(TaskState.RUNNING, t.state());
        k.getpid(g);                              // the handler takes SIGHUP: it lives on
        assertFalse(t.hasExited());
        assertEquals(0, t.pendingSignals() & (1L << (Signals.SIGHUP - 1)));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_5_noStoppedMemberNoSignals(KernelVersion v) {
        Kernel k = Boots.up(v);
        int[] ag = sessionWithGroup(k);
        int a = ag[0], g = ag[1];
        int before = k.trace().size();
        assertEquals(0, k.exit(a, 0));
        assertEquals(0, k.task(g).pendingSignals(), "has_stopped_jobs() is false: no SIGHUP");
        assertTrue(k.trace().events().subList(before, k.trace().size()).stream()
            .noneMatch(e -> e instanceof tasklab.trace.Event.OrphanedPgrp));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_5_aGroupWithAnotherLinkOutsideIsNotOrphaned(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        assertEquals(a, k.setsid(a));
        int g1 = k.fork(a);
        assertEquals(0, k.setpgid(g1, 0, 0));
        int b = k.fork(a);                        // a second child of a, in a's group
        int g2 = k.fork(b);                       // b's child, moved into g1's group: b links it outside
        assertEquals(0, k.setpgid(g2, 0, g1));
        assertEquals(0, k.kill(1, g1, Signals.SIGSTOP));
        assertEquals(0, k.exit(a, 0));
        assertNotEquals(TaskState.RUNNING, k.task(g1).state(), "g2's parent b still links group g1: no SIGCONT");
        assertFalse(k.isOrphanedPgrp(g1));
    }
}
