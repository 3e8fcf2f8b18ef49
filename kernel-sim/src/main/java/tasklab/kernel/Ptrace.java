package tasklab.kernel;

/**
 * ptrace as far as task creation needs it: PTRACE_TRACEME, PTRACE_ATTACH, PTRACE_DETACH,
 * PTRACE_CONT, PTRACE_KILL and (2.6) PTRACE_SETOPTIONS with the fork / vfork / clone events;
 * {@code task->ptrace}, the tracer as {@code p_pptr} / {@code parent}, the traced stop, and what
 * do_fork does with CLONE_PTRACE and CLONE_UNTRACED. Other requests answer -EIO.
 * Linux: kernel/ptrace.c ptrace_attach(), ptrace_check_attach(), ptrace_detach(),
 * ptrace_traceme() (2.6); arch/i386/kernel/ptrace.c sys_ptrace(); kernel/fork.c fork_traceflag() (2.6).
 */
public final class Ptrace {
    /** PTRACE_TRACEME. */ public static final int TRACEME = 0;
    /** PTRACE_CONT. */ public static final int CONT = 7;
    /** PTRACE_KILL. */ public static final int KILL = 8;
    /** PTRACE_ATTACH. */ public static final int ATTACH = 16;
    /** PTRACE_DETACH. */ public static final int DETACH = 17;
    /** PTRACE_SETOPTIONS (2.6). */ public static final int SETOPTIONS = 0x4200;

    /** PT_PTRACED: the task is traced. */ public static final int PT_PTRACED = 0x1;
    /** PT_TRACE_FORK (2.6): PTRACE_O_TRACEFORK. */ public static final int PT_TRACE_FORK = 0x8;
    /** PT_TRACE_VFORK (2.6). */ public static final int PT_TRACE_VFORK = 0x10;
    /** PT_TRACE_CLONE (2.6). */ public static final int PT_TRACE_CLONE = 0x20;
    /** PTRACE_O_TRACEFORK / VFORK / CLONE. */ public static final int O_TRACEFORK = 0x2, O_TRACEVFORK = 0x4, O_TRACECLONE = 0x8;
    /** PTRACE_O_MASK (2.6.22: the six option bits). */ static final int O_MASK = 0x7f;

    private final Kernel k;

    /** Created by the kernel it belongs to. */
    Ptrace(Kernel k) { this.k = k; }

    private static boolean root(Task t) { return t.uid == 0; }

    /** sys_ptrace(request, pid, data) run by current: 0 or -errno, in the version's order. */
    int sysPtrace(Task current, int request, int pid, int data) {
        if (request == TRACEME) {
            if ((current.ptrace & PT_PTRACED) != 0) return Errno.EPERM.neg();
            current.ptrace |= PT_PTRACED;
            return 0;
        }
        if (k.version.is26() && pid == 1) return Errno.EPERM.neg();   // ptrace_get_task_struct: "Tracing init is not allowed"
        Task child = k.task(pid);
        if (child == null) return Errno.ESRCH.neg();
        if (k.version.is24() && pid == 1) return Errno.EPERM.neg();   // "you may not mess with init"
        int cpu = k.sched.runAs(current);
        if (request == ATTACH) return attach(current, child, cpu);
        int r = checkAttach(current, child, request == KILL);
        if (r < 0) return r;
        return switch (request) {
            case DETACH -> detach(child, data, cpu);
            case CONT -> cont(child, data, cpu);
            case KILL -> kill(child, cpu);
            case SETOPTIONS -> k.version.is26() ? setOptions(child, data) : Errno.EIO.neg();
            default -> Errno.EIO.neg();
        };
    }

    /**
     * ptrace_attach(task): EPERM for pid &lt;= 1, the caller itself (2.6: its own thread group), a
     * task without mm (2.4; 2.6 allows root to attach to kernel threads, the simulator does not),
     * another user's task without root, or a task already traced. Then PT_PTRACED, the tracer
     * becomes the parent, and SIGSTOP stops the task.
     */
    private int attach(Task current, Task task, int cpu) {
        if (task.pid <= 1) return Errno.EPERM.neg();
        if (k.version.is24() ? task == current : task.tgid == current.tgid) return Errno.EPERM.neg();
        if (k.version.is24() && task.mm == null) return Errno.EPERM.neg();
        if (k.version.is26() && (task.ptrace & PT_PTRACED) != 0) return Errno.EPERM.neg();
        if (task.uid != current.uid && !root(current)) return Errno.EPERM.neg();
        if (task.mm == null || task.hasExited()) return Errno.EPERM.neg();    // not dumpable
        if (k.version.is24() && (task.ptrace & PT_PTRACED) != 0) return Errno.EPERM.neg();
        task.ptrace |= PT_PTRACED;
        link(task, current);
        sendStop(task, cpu);
        return 0;
    }

    /** __ptrace_link / REMOVE_LINKS + SET_LINKS: the tracer becomes p_pptr / parent. */
    void link(Task task, Task tracer) {
        if (task.parent == tracer) return;
        task.parent.children.remove(task);
        task.parent = tracer;
        if (k.version.is24()) tracer.children.add(0, task); else tracer.children.add(task);
    }

    /**
     * __ptrace_unlink / REMOVE_LINKS + SET_LINKS: back to the real parent. 2.6 ptrace_untrace: a
     * task in TASK_TRACED is woken (no group stop is modelled that would keep it stopped).
     */
    void unlink(Task task, int cpu) {
        task.ptrace = 0;
        if (task.parent != task.realParent) {
            task.parent.children.remove(task);
            task.parent = task.realParent;
            if (k.version.is24()) task.parent.children.add(0, task); else task.parent.children.add(task);
        }
        if (k.version.is26() && task.state == TaskState.TRACED_26 && !task.hasExited()) {
            task.state = TaskState.INTERRUPTIBLE;
            k.sched.wakeUpProcess(task, cpu);
        }
    }

    /** send_sig(SIGSTOP): a runnable or sleeping traced task stops at once; one in TASK_UNINTERRUPTIBLE keeps it pending. */
    void sendStop(Task task, int cpu) {
        if (task.hasExited() || isStoppedOrTraced(task)) return;
        if (task.state == TaskState.UNINTERRUPTIBLE) {
            task.pendingSignals |= 1L << (Signals.SIGSTOP - 1);
            return;
        }
        ptraceStop(task, Signals.SIGSTOP, cpu);
    }

    boolean isStoppedOrTraced(Task t) {
        return k.version.is24() ? t.state == TaskState.STOPPED_24 : t.state == TaskState.STOPPED_26 || t.state == TaskState.TRACED_26;
    }

    /**
     * The stop of a traced task taking a signal: exit_code = sig, 2.4 TASK_STOPPED (do_signal),
     * 2.6 TASK_TRACED (ptrace_stop), and the tracer is told with SIGCHLD.
     */
    void ptraceStop(Task task, int sig, int cpu) {
        task.pendingSignals &= ~(1L << (Signals.SIGSTOP - 1));
        task.exitCode = sig;
        task.state = k.version.is24() ? TaskState.STOPPED_24 : TaskState.TRACED_26;
        if (task.onRunqueue) k.sched.dequeue(task);
        if (task.onCpu) k.sched.schedule(task.processor);
        k.exit.doNotifyParent(task, Signals.SIGCHLD, cpu);
    }

    /**
     * ptrace_check_attach(child, kill): -ESRCH unless the caller traces it and it is stopped
     * (2.6: TASK_STOPPED becomes TASK_TRACED here); PTRACE_KILL does not need the stop.
     */
    private int checkAttach(Task current, Task child, boolean kill) {
        if ((child.ptrace & PT_PTRACED) == 0 || child.parent != current) return Errno.ESRCH.neg();
        if (k.version.is26() && child.state == TaskState.STOPPED_26) child.state = TaskState.TRACED_26;
        if (!kill && !isStoppedOrTraced(child)) return Errno.ESRCH.neg();
        return 0;
    }

    /** ptrace_detach(child, data): -EIO for data &gt; _NSIG; untrace, back to the real parent, resume with signal data. */
    private int detach(Task child, int data, int cpu) {
        if (data < 0 || data > Signals.NSIG) return Errno.EIO.neg();
        unlink(child, cpu);
        resume(child, data, cpu);
        return 0;
    }

    /** PTRACE_CONT: -EIO for a bad signal; resume with signal data. */
    private int cont(Task child, int data, int cpu) {
        if (data < 0 || data > Signals.NSIG) return Errno.EIO.neg();
        resume(child, data, cpu);
        return 0;
    }

    /** PTRACE_KILL: a zombie is left alone; otherwise it resumes with SIGKILL. */
    private int kill(Task child, int cpu) {
        if (child.hasExited()) return 0;
        resume(child, Signals.SIGKILL, cpu);
        return 0;
    }

    /** The tracee wakes (wake_up_process) and its do_signal takes exit_code as the signal to act on (0: none). */
    private void resume(Task child, int sig, int cpu) {
        if (child.hasExited()) return;
        child.exitCode = 0;
        if (isStoppedOrTraced(child)) {
            child.state = TaskState.INTERRUPTIBLE;
            k.sched.wakeUpProcess(child, cpu);
        }
        if (sig != 0) k.exit.deliver(child, sig, cpu);
    }

    /** 2.6 ptrace_setoptions: PTRACE_O_TRACEFORK / VFORK / CLONE set PT_TRACE_*; unknown bits give -EINVAL (after the known ones are set). */
    private int setOptions(Task child, int data) {
        child.ptrace &= ~(PT_TRACE_FORK | PT_TRACE_VFORK | PT_TRACE_CLONE);
        if ((data & O_TRACEFORK) != 0) child.ptrace |= PT_TRACE_FORK;
        if ((data & O_TRACEVFORK) != 0) child.ptrace |= PT_TRACE_VFORK;
        if ((data & O_TRACECLONE) != 0) child.ptrace |= PT_TRACE_CLONE;
        return (data & ~O_MASK) != 0 ? Errno.EINVAL.neg() : 0;
    }

    /**
     * 2.6 fork_traceflag(): with CLONE_UNTRACED never; else the event the tracer asked for
     * (vfork, clone with a non-SIGCHLD exit signal, fork). do_fork then adds CLONE_PTRACE.
     */
    boolean forkTraced(Task current, int cloneFlags) {
        if (current.ptrace == 0 || (cloneFlags & CloneFlags.CLONE_UNTRACED) != 0) return false;
        if ((cloneFlags & CloneFlags.CLONE_VFORK) != 0) return (current.ptrace & PT_TRACE_VFORK) != 0;
        if ((cloneFlags & CloneFlags.CSIGNAL) != Signals.SIGCHLD) return (current.ptrace & PT_TRACE_CLONE) != 0;
        return (current.ptrace & PT_TRACE_FORK) != 0;
    }
}
