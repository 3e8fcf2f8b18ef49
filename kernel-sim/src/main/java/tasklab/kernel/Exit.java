package tasklab.kernel;

import java.util.ArrayList;
import java.util.List;
import tasklab.machine.KernelBug;
import tasklab.mm.MmStruct;
import tasklab.trace.Counter;
import tasklab.trace.Event;

/**
 * Leaving: do_exit with exit_mm (mm_release, enter lazy, mmput), exit_notify with reparenting
 * and the parent's SIGCHLD, zombies, release_task, wait4 with its options and status words, and
 * the few signals the kit delivers (SIGKILL, SIGTERM, SIGSEGV, SIGCHLD, SIGSTOP, SIGCONT).
 * Linux: kernel/exit.c, kernel/signal.c (LINUX-SPEC §11).
 */
final class Exit {
    static final int WNOHANG = Wait.WNOHANG;
    static final int WUNTRACED = Wait.WUNTRACED;
    static final int WEXITED = Wait.WEXITED;
    static final int WCONTINUED = Wait.WCONTINUED;
    static final int WNOTHREAD = Wait.WNOTHREAD;
    static final int WALL = Wait.WALL;
    static final int WCLONE = Wait.WCLONE;

    private final Kernel k;

    Exit(Kernel k) { this.k = k; }

    /** sys_exit(code): do_exit((code &amp; 0xff) &lt;&lt; 8). */
    void sysExit(Task t, int code) { doExit(t, (code & 0xff) << 8); }

    /** sys_exit_group: -ENOSYS on 2.4; on 2.6 every other thread gets SIGKILL, then do_exit. */
    int sysExitGroup(Task t, int code) {
        if (k.version.is24()) return Errno.ENOSYS.neg();
        int cpu = k.sched.runAs(t);
        for (Task other : new ArrayList<>(t.threadGroup)) {
            if (other != t) zapThread(other, cpu);
        }
        doExit(t, (code & 0xff) << 8);
        return 0;
    }

    /**
     * zap_other_threads / do_group_exit: SIGKILL ends a sibling thread. A sibling asleep in
     * TASK_UNINTERRUPTIBLE (a vfork parent) is taken off its completion and ended at once; Linux
     * would let it die when it wakes and make the caller wait for it (a documented simplification).
     */
    void zapThread(Task other, int cpu) {
        if (other.hasExited()) return;
        if (other.state == TaskState.UNINTERRUPTIBLE) {
            for (Task x : k.taskList) if (x.vforkDone != null) x.vforkDone.waiters.remove(other);
            other.state = TaskState.INTERRUPTIBLE;
        }
        if (other.state != TaskState.RUNNING) k.sched.wakeUpProcess(other, cpu);
        doExit(other, Signals.SIGKILL);
    }

    /**
     * A signal raised by the task's own fault (force_sig_info: SIGSEGV, or SIGKILL for OOM): with a
     * user handler installed for it, the handler runs (traced as signal_deliver) and the task lives
     * on; SIG_DFL, or SIG_IGN (force_sig_info resets an ignored forced signal to SIG_DFL), kills.
     * Init survives signals it has no handler for (R3.6). Returns whether the task survived.
     * Linux: kernel/signal.c force_sig_info(), arch/i386/kernel/signal.c handle_signal().
     */
    boolean forceSig(Task t, int sig, int cpu) {
        int h = t.sighand.handler(sig);
        if (sig != Signals.SIGKILL && h != Signals.SIG_DFL && h != Signals.SIG_IGN) {
            if (k.trace.enabled()) k.trace.record(new Event.SignalDeliver(k.machine.cpu(cpu).cycles(), cpu, t.pid, sig, "handler"));
            return true;
        }
        if (t == k.childReaper) return true;
        fatalSignal(t, sig);
        return false;
    }

    /** A fatal signal ends the task: do_exit(sig), with 0x80 for a core dump (SIGSEGV dumps core). */
    void fatalSignal(Task t, int sig) {
        if (t.hasExited()) return;
        t.flags |= Task.PF_SIGNALED;
        doExit(t, sig == Signals.SIGSEGV ? sig | 0x80 : sig);
    }

    /** do_exit(code). Linux: kernel/exit.c do_exit() (R11.1, R11.3). */
    void doExit(Task t, int code) {
        if (t.pid == 0) throw new KernelBug("do_exit", "Attempted to kill the idle task!");
        if (t == k.childReaper) throw new KernelBug("do_exit", "Attempted to kill init!");
        if (t.hasExited()) throw new KernelBug("do_exit", t + " exits twice");
        int cpu = k.sched.runAs(t);
        t.flags |= Task.PF_EXITING;
        if (k.version.is26()) t.signal.live--;
        exitMm(t, cpu);
        t.files.count--;
        t.fs.count--;
        if (k.version.is24()) t.sighand.count--;      // 2.4 exit_sighand here; 2.6 in release_task
        t.exitCode = code;
        if (k.trace.enabled()) k.trace.record(new Event.SchedProcessExit(k.machine.cpu(cpu).cycles(), cpu, t.pid, t.comm, code));
        k.counters.inc(cpu, Counter.EXIT);
        exitNotify(t, cpu);
        if (k.version.is26()) t.state = TaskState.DEAD_26;
        k.sched.schedule(cpu);                        // never returns to t
    }

    /** exit_mm / __exit_mm: mm_release first, then become a lazy user of our own mm and mmput. (R11.2, T7) */
    void exitMm(Task t, int cpu) {
        mmRelease(t, cpu);
        MmStruct mm = t.mm;
        if (mm == null) return;
        k.mm.refs.mmgrab(mm);
        if (mm != t.activeMm) throw new KernelBug("exit_mm", "mm != tsk->active_mm");
        t.mm = null;
        k.mm.mmuContext.enterLazyTlb(cpu);
        k.mm.refs.mmput(cpu, mm);
    }

    /**
     * mm_release(): completes vfork_done (the vfork parent wakes); 2.6 then, for a task not killed
     * by a signal whose mm has other users, writes 0 to its clear_child_tid word and does a
     * FUTEX_WAKE there (counted: futex_wake; no futex waiters are modelled, so it wakes 0).
     * A bad address is ignored ("if userspace has not set up a proper pointer then tough luck").
     * (R5.18) Linux: kernel/fork.c mm_release().
     */
    void mmRelease(Task t, int cpu) {
        Completion done = t.vforkDone;
        if (done != null) {
            t.vforkDone = null;
            k.sched.complete(done, cpu);
        }
        if (t.clearChildTid != 0 && (t.flags & Task.PF_SIGNALED) == 0 && t.mm != null && t.mm.mmUsers() > 1) {
            long tidptr = t.clearChildTid;
            t.clearChildTid = 0;
            k.mm.user.writeInt(cpu, (int) tidptr, 0);
            k.counters.inc(cpu, Counter.FUTEX_WAKE);
            if (k.trace.enabled()) k.trace.record(new Event.FutexWake(k.machine.cpu(cpu).cycles(), cpu, t.pid, tidptr, 0));
        }
    }

    // ---- exit_notify ----

    private void exitNotify(Task t, int cpu) {
        if (k.version.is24()) exitNotify24(t, cpu); else exitNotify26(t, cpu);
    }

    /** 2.4 exit_notify (R11.4, R11.5). */
    private void exitNotify24(Task t, int cpu) {
        Task reaper = k.childReaper;
        for (Task p : new ArrayList<>(k.taskList)) {          // forget_original_parent: every task with p_opptr == father
            if (p.realParent == t) {
                p.exitSignal = Signals.SIGCHLD;
                p.selfExecId++;
                p.realParent = reaper;
                if (p.pdeathSignal != 0) postSignal(p, p.pdeathSignal, cpu);
            }
        }
        k.procGroups.checkOwnGroup(t, cpu);                 // orphaned pgrp, case i
        sanitiseExitSignal(t);
        t.state = TaskState.ZOMBIE_24;
        doNotifyParent(t, t.exitSignal, cpu);
        while (!t.children.isEmpty()) {
            Task p = t.children.remove(0);                    // p_cptr: youngest first
            p.ptrace = 0;
            p.parent = p.realParent;
            p.parent.children.add(0, p);                      // youngest child of init (or, untraced, of its real parent)
            if (p.state == TaskState.ZOMBIE_24) doNotifyParent(p, p.exitSignal, cpu);
            k.procGroups.checkChildGroup(t, p, cpu);          // orphaned pgrp, case ii
        }
    }

    /** 2.6 exit_notify (R11.7, R11.8): a live thread of the group adopts first, else init; EXIT_DEAD releases at once. */
    private void exitNotify26(Task t, int cpu) {
        Task reaper = null;
        for (Task th : t.threadGroup) {
            if (th != t && th.exitState == 0 && (th.flags & Task.PF_EXITING) == 0) { reaper = th; break; }
        }
        if (reaper == null) reaper = k.childReaper;
        for (Task p : new ArrayList<>(t.children)) {
            if (p.realParent != t) {                                         // traced by t: back to its real parent
                k.ptrace.unlink(p, cpu);
                if (p.exitState == TaskState.EXIT_ZOMBIE && p.exitSignal != -1 && p.threadGroup.size() == 1) {
                    doNotifyParent(p, p.exitSignal, cpu);
                }
                continue;
            }
            t.children.remove(p);
            p.realParent = reaper;
            p.parent = reaper;
            reaper.children.add(p);
            p.ptrace = 0;                                                    // reparent_thread, untraced: let go of it
            reparentThread(t, p, false, cpu);
        }
        for (Task p : new ArrayList<>(k.taskList)) {                          // father->ptrace_children: traced by another
            if (p.realParent == t && p.parent != t) {
                p.realParent = reaper;
                reparentThread(t, p, true, cpu);
            }
        }
        k.procGroups.checkOwnGroup(t, cpu);                                  // orphaned pgrp, case i
        sanitiseExitSignal(t);
        if (t.exitSignal != -1 && t.threadGroup.size() == 1) {
            int sig = t.parent == t.realParent ? t.exitSignal : Signals.SIGCHLD;
            doNotifyParent(t, sig, cpu);
        }
        int state = TaskState.EXIT_ZOMBIE;
        if (t.exitSignal == -1 && t.ptrace == 0) state = TaskState.EXIT_DEAD;
        t.exitState = state;
        if (state == TaskState.EXIT_DEAD) releaseTask(t, cpu);
    }

    /** 2.6 reparent_thread(p, father, traced): pdeath_signal, then (leaving the group) exit_signal SIGCHLD, the zombie's notice, orphaned pgrp case ii. */
    private void reparentThread(Task father, Task p, boolean traced, int cpu) {
        if (p.pdeathSignal != 0) postSignal(p, p.pdeathSignal, cpu);
        if (p.realParent.groupLeader == father.groupLeader) return;         // stays in the group: nothing else
        if (p.exitSignal != -1) p.exitSignal = Signals.SIGCHLD;
        if (!traced && p.exitState == TaskState.EXIT_ZOMBIE && p.exitSignal != -1 && p.threadGroup.size() == 1) {
            doNotifyParent(p, p.exitSignal, cpu);
        }
        k.procGroups.checkChildGroup(father, p, cpu);
    }

    /** exit_signal sanitising: a non-SIGCHLD exit signal across an exec becomes SIGCHLD (unless CAP_KILL). */
    private void sanitiseExitSignal(Task t) {
        if (t.exitSignal != Signals.SIGCHLD && t.exitSignal != -1 && t.parent != null
            && (t.parentExecId != t.parent.selfExecId || t.selfExecId != t.parentExecId) && t.uid != 0) {
            t.exitSignal = Signals.SIGCHLD;
        }
    }

    /**
     * do_notify_parent(tsk, sig): posts sig to the parent as its handler says and wakes every
     * thread of the parent's group sleeping in wait4. 2.6: a SIGCHLD the parent ignores makes the
     * child self-reaping (exit_signal = -1) and sends nothing. (R11.6, R11.8)
     */
    void doNotifyParent(Task tsk, int sig, int cpu) {
        Task parent = tsk.parent;
        if (parent == null) return;
        if (k.version.is26() && tsk.ptrace == 0 && sig == Signals.SIGCHLD
            && parent.sighand.handler(Signals.SIGCHLD) == Signals.SIG_IGN) {
            tsk.exitSignal = -1;
            sig = 0;
        }
        if (sig > 0) postSignal(parent, sig, cpu);
        for (Task th : parent.threadGroup) {                   // wake_up_parent: wait_chldexit of every thread
            if (th.waitingInWait4 && th.state == TaskState.INTERRUPTIBLE) k.sched.wakeUpProcess(th, cpu);
        }
    }

    /** Posts a signal as send_sig_info does: ignored ones are dropped, except 2.4's SIGCHLD with SIG_IGN (reaped by do_signal). */
    void postSignal(Task p, int sig, int cpu) {
        int h = p.sighand.handler(sig);
        if (h == Signals.SIG_IGN && !(k.version.is24() && sig == Signals.SIGCHLD)) return;
        if (h == Signals.SIG_DFL && sig == Signals.SIGCHLD) return;           // SIGCHLD's default is to discard it
        p.pendingSignals |= 1L << (sig - 1);
        if (p.state == TaskState.INTERRUPTIBLE) k.sched.wakeUpProcess(p, cpu);   // signal_wake_up
    }

    // ---- release and reaping ----

    /** release_task(p): unhash, give the counts back, and (2.6) drop release_task's reference. */
    void releaseTask(Task p, int cpu) {
        k.userDec(p.uid);
        k.unhash(p);
        k.pidUsesPut(p);
        if (p.parent != null) p.parent.children.remove(p);
        p.threadGroup.remove(p);
        if (k.trace.enabled()) k.trace.record(new Event.SchedProcessFree(k.machine.cpu(cpu).cycles(), cpu, p.pid, p.comm));
        if (k.version.is24()) {
            freeTaskStruct(p);
            return;
        }
        p.sighand.count--;                                     // __exit_signal
        p.signal.count--;
        Task leader = p.groupLeader;
        if (leader != p && leader.threadGroup.size() == 1 && leader.exitState == TaskState.EXIT_ZOMBIE) {
            doNotifyParent(leader, leader.exitSignal, cpu);   // the last thread lets the zombie leader be reaped
            if (leader.exitSignal == -1) {
                leader.exitState = TaskState.EXIT_DEAD;
                releaseTask(leader, cpu);
            }
        }
        putTaskStruct(p);
    }

    /** put_task_struct (2.6): the last reference frees the stack and task_struct. */
    void putTaskStruct(Task p) {
        if (--p.usage == 0) freeTaskStruct(p);
    }

    private void freeTaskStruct(Task p) {
        if (p.stackPfn >= 0) {
            k.machine.mem().freePair(p.stackPfn);
            p.stackPfn = -1;
        }
    }

    // ---- wait4 ----

    /** sys_wait4 run by t. */
    int sysWait4(Task t, int pid, int options) {
        int valid = WNOHANG | WUNTRACED | WNOTHREAD | WCLONE | WALL;
        if (k.version.is26()) valid |= WCONTINUED;
        if ((options & ~valid) != 0) return Errno.EINVAL.neg();
        if (k.version.is26()) options |= WEXITED;
        int cpu = k.sched.runAs(t);
        t.waitingInWait4 = false;
        int r = doWait(t, pid, options, cpu);
        if (r == Kernel.WAIT_BLOCKED) {
            t.waitingInWait4 = true;
            t.waitPid = pid;
            t.waitOptions = options;
            t.state = TaskState.INTERRUPTIBLE;
            if (k.trace.enabled()) k.trace.record(new Event.SchedProcessWait(k.machine.cpu(cpu).cycles(), cpu, t.pid, pid));
            k.sched.schedule(cpu);
            return r;
        }
        deliverOnReturn(t, cpu);
        return r;
    }

    /** One scan of the children (and, unless __WNOTHREAD, the children of every thread in the group). */
    private int doWait(Task t, int pid, int options, int cpu) {
        boolean flag = false;
        List<Task> scanners = (options & WNOTHREAD) != 0 ? List.of(t) : new ArrayList<>(t.threadGroup);
        for (Task tsk : scanners) {
            for (Task p : new ArrayList<>(tsk.children)) {
                if (pid > 0 && p.pid != pid) continue;
                if (pid == 0 && p.pgrp != t.pgrp) continue;
                if (pid < -1 && p.pgrp != -pid) continue;
                if (((p.exitSignal != Signals.SIGCHLD) ^ ((options & WCLONE) != 0)) && (options & WALL) == 0) continue;
                if (k.version.is26() && p.exitSignal == -1 && p.ptrace == 0) continue;
                if (k.version.is26() && p.exitState == TaskState.EXIT_DEAD) continue;
                flag = true;
                boolean stopped = isStopped(p) || k.version.is26() && p.state == TaskState.TRACED_26 && !p.hasExited();
                if (stopped && p.exitCode != 0 && ((options & WUNTRACED) != 0 || p.ptrace != 0)) {
                    t.lastWaitStatus = (p.exitCode << 8) | 0x7f;
                    p.exitCode = 0;
                    return p.pid;
                }
                if (k.version.is26() && p.continued && (options & WCONTINUED) != 0 && !p.hasExited()) {
                    p.continued = false;                            // wait_task_continued: status 0xffff
                    t.lastWaitStatus = Wait.CONTINUED;
                    return p.pid;
                }
                if (p.isZombie()) {
                    if (k.version.is26() && p.groupLeader == p && p.threadGroup.size() > 1) continue;  // delay_group_leader
                    t.lastWaitStatus = p.exitCode;
                    int ret = p.pid;
                    tsk.cminFlt += p.minFlt + p.cminFlt;
                    tsk.cmajFlt += p.majFlt + p.cmajFlt;
                    if (p.parent != p.realParent) {                  // the tracer reaped it: the real parent's turn next
                        k.ptrace.unlink(p, cpu);
                        doNotifyParent(p, k.version.is24() ? Signals.SIGCHLD : p.exitSignal, cpu);
                        if (k.version.is24() || p.exitSignal != -1) return ret;
                        p.exitState = TaskState.EXIT_DEAD;
                        releaseTask(p, cpu);
                        return ret;
                    }
                    if (k.version.is24()) {
                        t.setCounter(Math.min(t.counter() + p.counter(), Sched24.MAX_COUNTER));
                    } else {
                        p.exitState = TaskState.EXIT_DEAD;
                    }
                    releaseTask(p, cpu);
                    return ret;
                }
            }
        }
        if (!flag && k.version.is26()) {                             // ptrace_children: ours, traced by another
            for (Task p : k.taskList) {
                if (p.realParent == t && p.parent != t && (pid <= 0 || p.pid == pid) && !p.hasExited()) { flag = true; break; }
            }
        }
        if (!flag) return Errno.ECHILD.neg();
        if ((options & WNOHANG) != 0) return 0;
        if (Sched.signalPending(t)) return Errno.ERESTARTSYS.neg();
        return Kernel.WAIT_BLOCKED;
    }

    private boolean isStopped(Task p) {
        return p.state == (k.version.is24() ? TaskState.STOPPED_24 : TaskState.STOPPED_26);
    }

    // ---- signals the kit delivers ----

    /** sys_kill(target, sig). */
    int sysKill(Task t, int target, int sig) {
        if (sig < 0 || sig > Signals.NSIG) return Errno.EINVAL.neg();
        Task p = k.task(target);
        if (p == null || p.hasExited()) return Errno.ESRCH.neg();
        if (t.uid != 0 && t.uid != p.uid) return Errno.EPERM.neg();
        if (sig == 0) return 0;
        int cpu = k.sched.runAs(t);
        deliver(p, sig, cpu);
        if (t.onCpu) {
            deliverOnReturn(t, t.processor);
            if (t.onCpu) k.sched.retFromSysCall(t.processor);
        }
        return 0;
    }

    /** Sends sig to p and, if it can run, lets it act on it at once (as its next return to user would). */
    void deliver(Task p, int sig, int cpu) {
        switch (sig) {
            case Signals.SIGSTOP -> {
                if (p.hasExited()) return;
                p.pendingSignals &= ~(1L << (Signals.SIGCONT - 1));
                p.continued = false;
                if (p.ptrace != 0) {                                 // a traced task stops for its tracer
                    if (!k.ptrace.isStoppedOrTraced(p)) k.ptrace.ptraceStop(p, sig, cpu);
                    return;
                }
                p.state = k.version.is24() ? TaskState.STOPPED_24 : TaskState.STOPPED_26;
                p.exitCode = Signals.SIGSTOP;
                if (p.onRunqueue) k.sched.dequeue(p);
                if (p.onCpu) k.sched.schedule(p.processor);
                doNotifyParent(p, Signals.SIGCHLD, cpu);
            }
            case Signals.SIGCONT -> {
                p.pendingSignals &= ~(1L << (Signals.SIGSTOP - 1));   // handle_stop_signal: pending stops are flushed
                if (isStopped(p)) {
                    if (k.version.is26()) p.continued = true;          // SIGNAL_STOP_CONTINUED, for WCONTINUED
                    p.state = TaskState.INTERRUPTIBLE;
                    k.sched.wakeUpProcess(p, cpu);
                }
            }
            default -> {
                int h = p.sighand.handler(sig);
                if (sig == Signals.SIGKILL || (h == Signals.SIG_DFL && isFatalByDefault(sig))) {
                    p.pendingSignals |= 1L << (sig - 1);
                    if (p.state == TaskState.INTERRUPTIBLE || k.ptrace.isStoppedOrTraced(p) && sig == Signals.SIGKILL) {
                        p.state = TaskState.INTERRUPTIBLE;
                        k.sched.wakeUpProcess(p, cpu);
                    }
                    if (p.state == TaskState.RUNNING && p != k.childReaper) fatalSignal(p, sig);
                } else {
                    postSignal(p, sig, cpu);
                }
            }
        }
    }

    private static boolean isFatalByDefault(int sig) {
        return sig != Signals.SIGCHLD && sig != Signals.SIGCONT && sig != Signals.SIGSTOP;
    }

    /**
     * What the return to user mode does with pending signals: a fatal one ends the task; 2.4's
     * SIGCHLD with SIG_IGN runs "while (sys_wait4(-1, NULL, WNOHANG, NULL) &gt; 0)" (R11.6).
     */
    void deliverOnReturn(Task t, int cpu) {
        long pending = t.pendingSignals;
        if (pending == 0 || t.hasExited()) return;
        int chld = Signals.SIGCHLD;
        if ((pending & (1L << (chld - 1))) != 0) {
            t.pendingSignals &= ~(1L << (chld - 1));
            if (k.version.is24() && t.sighand.handler(chld) == Signals.SIG_IGN) {
                while (doWait(t, -1, WNOHANG, cpu) > 0) { /* reap every zombie child */ }
            }
        }
        for (int sig = 1; sig <= Signals.NSIG; sig++) {
            if ((t.pendingSignals & (1L << (sig - 1))) == 0) continue;
            if (sig == Signals.SIGSTOP && t.ptrace != 0) {          // a stop queued while it could not act: the tracer's now
                k.ptrace.ptraceStop(t, sig, cpu);
                return;
            }
            if (sig == Signals.SIGKILL || (t.sighand.handler(sig) == Signals.SIG_DFL && isFatalByDefault(sig))) {
                if (t == k.childReaper) { t.pendingSignals &= ~(1L << (sig - 1)); continue; }   // init ignores them
                fatalSignal(t, sig);
                return;
            }
            t.pendingSignals &= ~(1L << (sig - 1));        // handled by a user handler: consumed
        }
    }
}
