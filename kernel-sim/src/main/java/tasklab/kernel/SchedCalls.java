package tasklab.kernel;

/**
 * The scheduling-parameter system calls: sched_setscheduler / sched_setparam /
 * sched_getscheduler / sched_getparam with the version's checks in its order, nice and
 * setpriority / getpriority, and set_user_nice. Real-time tasks: 2.4 goodness() gives them
 * 1000 + rt_priority; 2.6 prio = MAX_RT_PRIO-1 - rt_priority, ahead of every SCHED_OTHER task.
 * Linux: kernel/sched.c setscheduler() (2.4) / sched_setscheduler() (2.6), sys_nice(),
 * set_user_nice() (2.6); kernel/sys.c sys_setpriority(), sys_getpriority().
 */
final class SchedCalls {
    private final Kernel k;

    SchedCalls(Kernel k) { this.k = k; }

    private static boolean root(Task t) { return t.uid == 0; }

    /** find_process_by_pid(): pid 0 is the caller. */
    private Task findProcess(Task current, int pid) { return pid == 0 ? current : k.task(pid); }

    /**
     * sys_sched_setscheduler (policy &gt;= 0) and sys_sched_setparam (policy -1) run by current.
     * 2.4 setscheduler(): pid &lt; 0 EINVAL, ESRCH, policy EINVAL, priority EINVAL, then EPERM for a
     * real-time policy without CAP_SYS_NICE and for another user's task; on success
     * current-&gt;need_resched = 1. 2.6: a negative policy is EINVAL in sys_sched_setscheduler, then
     * the same order, with RLIMIT_RTPRIO (0) letting an unprivileged real-time task lower its
     * priority; the task is requeued at its new prio and preempts the CPU's current if it now beats it.
     */
    int setscheduler(Task current, int pid, int policy, int priority, boolean setparam) {
        if (!setparam && policy < 0 && k.version.is26()) return Errno.EINVAL.neg();
        if (pid < 0) return Errno.EINVAL.neg();
        Task p = findProcess(current, pid);
        if (p == null || p.hasExited()) return Errno.ESRCH.neg();
        if (setparam) policy = p.policy;
        else if (!validPolicy(policy)) return Errno.EINVAL.neg();
        if (priority < 0 || priority > SchedPolicy.MAX_RT_PRIO - 1) return Errno.EINVAL.neg();
        if (SchedPolicy.isRt(policy) != (priority != 0)) return Errno.EINVAL.neg();
        if (!root(current)) {
            if (k.version.is24()) {
                if (SchedPolicy.isRt(policy)) return Errno.EPERM.neg();
            } else {
                int rlimRtprio = 0;                                    // RLIMIT_RTPRIO's default
                if (SchedPolicy.isRt(policy)) {
                    if (policy != p.policy && rlimRtprio == 0) return Errno.EPERM.neg();
                    if (priority > p.rtPriority && priority > rlimRtprio) return Errno.EPERM.neg();
                }
                if (p.policy == SchedPolicy.SCHED_BATCH && policy != SchedPolicy.SCHED_BATCH) return Errno.EPERM.neg();
            }
            if (current.uid != p.uid) return Errno.EPERM.neg();
        }
        int cpu = k.sched.runAs(current);
        if (k.version.is24()) {
            p.policy = policy;
            p.rtPriority = priority;
            current.needResched = true;
        } else {
            boolean queued = p.onRunqueue;
            int oldPrio = p.prio;
            if (queued) k.sched.dequeue(p);
            p.policy = policy;
            p.rtPriority = priority;
            p.prio = SchedPolicy.normalPrio(p);
            p.toExpired = policy == SchedPolicy.SCHED_BATCH;              // __activate_task: the active array (batch: expired)
            if (queued) {
                k.sched.enqueue(p);
                Task curr = k.sched.current(p.processor);
                if (p.onCpu) {
                    if (p.prio > oldPrio) curr.needResched = true;
                } else if (p.prio < curr.prio) {
                    curr.needResched = true;                          // TASK_PREEMPTS_CURR -> resched_task
                }
            }
        }
        k.sched.kickIdle();
        return 0;
    }

    private boolean validPolicy(int policy) {
        return policy == SchedPolicy.SCHED_OTHER || policy == SchedPolicy.SCHED_FIFO || policy == SchedPolicy.SCHED_RR
            || (k.version.is26() && policy == SchedPolicy.SCHED_BATCH);
    }

    /** sys_sched_getscheduler(pid): the policy (2.4 without the SCHED_YIELD bit), -EINVAL, -ESRCH. */
    int getscheduler(Task current, int pid) {
        if (pid < 0) return Errno.EINVAL.neg();
        Task p = findProcess(current, pid);
        if (p == null || p.hasExited()) return Errno.ESRCH.neg();
        return p.policy;
    }

    /** sys_sched_getparam(pid): rt_priority, -EINVAL, -ESRCH. */
    int getparam(Task current, int pid) {
        if (pid < 0) return Errno.EINVAL.neg();
        Task p = findProcess(current, pid);
        if (p == null || p.hasExited()) return Errno.ESRCH.neg();
        return p.rtPriority;
    }

    /**
     * sys_nice(increment) run by current. 2.4: a negative increment needs CAP_SYS_NICE (EPERM
     * first), clamped to -40..40, nice clamped to -20..19. 2.6: clamp first, then EPERM for a
     * lower nice without CAP_SYS_NICE (RLIMIT_NICE 0), then set_user_nice.
     */
    int nice(Task current, int increment) {
        if (k.version.is24()) {
            if (increment < 0) {
                if (!root(current)) return Errno.EPERM.neg();
                if (increment < -40) increment = -40;
            }
            if (increment > 40) increment = 40;
            setUserNice(current, clampNice(current.nice + increment));
            return 0;
        }
        increment = Math.max(-40, Math.min(40, increment));
        int nice = clampNice(current.nice + increment);
        if (increment < 0 && !canNice(current, nice)) return Errno.EPERM.neg();
        setUserNice(current, nice);
        return 0;
    }

    private static int clampNice(int n) { return Math.max(-20, Math.min(19, n)); }

    /** 2.6 can_nice(): 20 - nice &lt;= RLIMIT_NICE (0 by default) or CAP_SYS_NICE. */
    private static boolean canNice(Task p, int nice) { return 20 - nice <= 0 || root(p); }

    /**
     * sys_setpriority(which, who, niceval): every selected task gets the nice value; -EINVAL for
     * a bad which, -ESRCH if none matched, -EPERM for another user's task, -EACCES for lowering
     * nice without CAP_SYS_NICE (the last error wins, as the kernel's loop leaves it).
     */
    int setpriority(Task current, int which, int who, int niceval) {
        if (which < 0 || which > 2) return Errno.EINVAL.neg();
        niceval = clampNice(niceval);
        int error = Errno.ESRCH.neg();
        for (Task p : k.taskList) {
            if (!selected(current, p, which, who)) continue;
            if (p.uid != current.uid && !root(current)) { error = Errno.EPERM.neg(); continue; }
            if (k.version.is24()) {
                if (error == Errno.ESRCH.neg()) error = 0;
                if (niceval < p.nice && !root(current)) error = Errno.EACCES.neg();
                else setUserNice(p, niceval);
            } else {
                if (niceval < p.nice && !canNice(current, niceval)) { error = Errno.EACCES.neg(); continue; }
                if (error == Errno.ESRCH.neg()) error = 0;
                setUserNice(p, niceval);
            }
        }
        return error;
    }

    /** sys_getpriority(which, who): 20 - the lowest nice of the selected tasks (1..40), -EINVAL or -ESRCH. */
    int getpriority(Task current, int which, int who) {
        if (which < 0 || which > 2) return Errno.EINVAL.neg();
        int best = Errno.ESRCH.neg();
        for (Task p : k.taskList) {
            if (!selected(current, p, which, who)) continue;
            best = Math.max(best, 20 - p.nice);
        }
        return best;
    }

    /** proc_sel(): PRIO_PROCESS (0 = current), PRIO_PGRP (0 = current's pgrp), PRIO_USER (0 = current's uid); never pid 0 or a dead task. */
    private static boolean selected(Task current, Task p, int which, int who) {
        if (p.pid == 0 || p.hasExited()) return false;
        return switch (which) {
            case SchedPolicy.PRIO_PROCESS -> who == 0 ? p == current : p.pid == who;
            case SchedPolicy.PRIO_PGRP -> p.pgrp == (who == 0 ? current.pgrp : who);
            default -> p.uid == (who == 0 ? current.uid : who);
        };
    }

    /**
     * set_user_nice(p, nice): 2.4 just stores nice (counters pick it up at the next
     * recalculation); 2.6 sets static_prio and, for a SCHED_OTHER task, requeues it at its new
     * prio and reschedules its CPU if it rose, or if it fell while running.
     */
    void setUserNice(Task p, int nice) {
        if (k.version.is24()) {
            p.counter();                       // pending recalculations used the old nice
            p.nice = nice;
            return;
        }
        if (p.nice == nice) return;
        p.nice = nice;
        p.staticPrio = 120 + nice;
        if (SchedPolicy.isRt(p.policy)) return;
        boolean queued = p.onRunqueue;
        if (queued) k.sched.dequeue(p);
        int oldPrio = p.prio;
        p.prio = SchedPolicy.normalPrio(p);
        if (queued) {
            k.sched.enqueue(p);
            int delta = p.prio - oldPrio;
            if (delta < 0 || (delta > 0 && p.onCpu)) k.sched.current(p.processor).needResched = true;
        }
    }
}
