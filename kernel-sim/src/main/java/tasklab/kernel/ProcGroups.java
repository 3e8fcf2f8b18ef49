package tasklab.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Process groups and sessions: setpgid / getpgid / setsid / getsid with the version's checks in
 * its order, and POSIX's orphaned process groups: when an exit leaves a process group with
 * stopped members and no parent inside the session but outside the group, every member gets
 * SIGHUP then SIGCONT. The values a pgrp or session uses stay taken in the pid allocator
 * (R4.1, R4.2) for as long as any task uses them.
 * Linux: kernel/sys.c sys_setpgid(), sys_getpgid(), sys_setsid(), sys_getsid();
 * kernel/exit.c will_become_orphaned_pgrp(), is_orphaned_pgrp(), has_stopped_jobs(), exit_notify().
 */
final class ProcGroups {
    private final Kernel k;

    ProcGroups(Kernel k) { this.k = k; }

    /** The tasks that share t's pgrp and session fields: 2.4 t alone; 2.6 the thread group (signal_struct holds them). */
    private List<Task> holders(Task t) {
        return k.version.is24() ? List.of(t) : new ArrayList<>(t.threadGroup);
    }

    /** 2.4 current-&gt;leader; 2.6 group_leader-&gt;signal-&gt;leader. */
    private boolean sessionLeader(Task t) { return k.version.is24() ? t.leader : t.groupLeader.leader; }

    /**
     * sys_setpgid(pid, pgid) run by current: 0 or -errno. pid 0 = the caller (2.6: its group
     * leader), pgid 0 = pid. Order: EINVAL (pgid &lt; 0), ESRCH (no task), [2.6] EINVAL (not a group
     * leader), then for a child: EPERM (other session), EACCES (it has exec'd); for anyone else
     * but the caller ESRCH; EPERM (a session leader); EPERM (pgid names no group in the caller's session).
     */
    int setpgid(Task current, int pid, int pgid) {
        Task self = k.version.is24() ? current : current.groupLeader;
        if (pid == 0) pid = self.pid;
        if (pgid == 0) pgid = pid;
        if (pgid < 0) return Errno.EINVAL.neg();
        Task p = k.task(pid);
        if (p == null) return Errno.ESRCH.neg();                       // find_task_by_pid: zombies too
        if (k.version.is26() && p.groupLeader != p) return Errno.EINVAL.neg();
        boolean child = k.version.is24() ? (p.parent == current || p.realParent == current) : p.realParent == self;
        if (child) {
            if (p.session != self.session) return Errno.EPERM.neg();
            if (p.didExec) return Errno.EACCES.neg();
        } else if (p != self) {
            return Errno.ESRCH.neg();
        }
        if (sessionLeader(p)) return Errno.EPERM.neg();
        if (pgid != pid && !groupInSession(pgid, self.session)) return Errno.EPERM.neg();
        if (p.pgrp != pgid) for (Task t : holders(p)) k.setPgrpSession(t, pgid, t.session);
        return 0;
    }

    /** Whether some task (zombies too: they keep their pgrp until released) has pgrp {@code pgid} in {@code session}. */
    private boolean groupInSession(int pgid, int session) {
        for (Task t : k.taskList) if (t.pgrp == pgid && t.session == session) return true;
        return false;
    }

    private boolean groupExists(int pgid) {
        for (Task t : k.taskList) if (t.pgrp == pgid) return true;
        return false;
    }

    /** sys_getpgid(pid): the pgrp of pid (0 = the caller), or -ESRCH. */
    int getpgid(Task current, int pid) {
        Task p = pid == 0 ? current : k.task(pid);
        return p == null ? Errno.ESRCH.neg() : p.pgrp;
    }

    /** sys_getsid(pid): the session of pid (0 = the caller), or -ESRCH. */
    int getsid(Task current, int pid) {
        Task p = pid == 0 ? current : k.task(pid);
        return p == null ? Errno.ESRCH.neg() : p.session;
    }

    /**
     * sys_setsid() run by current: the new session id (= pgrp = the caller's pid; 2.6 its group
     * leader's), or -EPERM: 2.4 when any task's pgrp equals the caller's pid (a group leader
     * cannot leave its group); 2.6 when it already leads a session, or when a group with that id
     * exists (not checked for session 1, where kernel threads live).
     */
    int setsid(Task current) {
        Task self;
        if (k.version.is24()) {
            self = current;
            if (groupExists(self.pid)) return Errno.EPERM.neg();
        } else {
            self = current.groupLeader;
            if (self.leader) return Errno.EPERM.neg();
            if (self.pid > 1 && groupExists(self.pid)) return Errno.EPERM.neg();
        }
        self.leader = true;
        for (Task t : holders(self)) k.setPgrpSession(t, self.pid, self.pid);
        return self.pid;
    }

    // ---- orphaned process groups (POSIX 3.2.2.2) ----

    /**
     * will_become_orphaned_pgrp(pgrp, ignored): true unless some member other than {@code ignored}
     * (not exited, parent not init) has a parent in another group of the same session.
     */
    boolean willBecomeOrphanedPgrp(int pgrp, Task ignored) {
        for (Task p : k.taskList) {
            if (p == ignored || p.pgrp != pgrp || p.hasExited()) continue;
            Task parent = k.version.is24() ? p.parent : p.realParent;
            if (parent == null || parent == k.childReaper) continue;
            if (parent.pgrp != pgrp && parent.session == p.session) return false;
        }
        return true;
    }

    /** has_stopped_jobs(pgrp): a member is in TASK_STOPPED. */
    boolean hasStoppedJobs(int pgrp) {
        int stopped = k.version.is24() ? TaskState.STOPPED_24 : TaskState.STOPPED_26;
        for (Task p : k.taskList) if (p.pgrp == pgrp && !p.hasExited() && p.state == stopped) return true;
        return false;
    }

    /**
     * kill_pg(pgrp, SIGHUP) then kill_pg(pgrp, SIGCONT): SIGHUP is posted (its default kills when
     * the task next returns to user mode), SIGCONT wakes the stopped members.
     */
    void hangUpOrphaned(int pgrp, int cpu) {
        List<Task> members = new ArrayList<>();
        for (Task p : k.taskList) if (p.pgrp == pgrp && !p.hasExited()) members.add(p);
        if (k.trace.enabled()) k.trace.record(new tasklab.trace.Event.OrphanedPgrp(k.machine.cpu(cpu).cycles(), cpu, pgrp, members.size()));
        for (Task p : members) k.exit.postSignal(p, Signals.SIGHUP, cpu);
        for (Task p : members) k.exit.deliver(p, Signals.SIGCONT, cpu);
    }

    /** exit_notify case i: our parent is in another group of our session and we were the group's only link outside. */
    void checkOwnGroup(Task t, int cpu) {
        Task parent = k.version.is24() ? t.parent : t.realParent;
        if (parent == null) return;
        if (parent.pgrp != t.pgrp && parent.session == t.session
            && willBecomeOrphanedPgrp(t.pgrp, t) && hasStoppedJobs(t.pgrp)) {
            hangUpOrphaned(t.pgrp, cpu);
        }
    }

    /** exit_notify case ii (2.6 reparent_thread): a child in another group of our session lost its link outside. */
    void checkChildGroup(Task father, Task p, int cpu) {
        if (p.pgrp != father.pgrp && p.session == father.session
            && willBecomeOrphanedPgrp(p.pgrp, null) && hasStoppedJobs(p.pgrp)) {
            hangUpOrphaned(p.pgrp, cpu);
        }
    }
}
