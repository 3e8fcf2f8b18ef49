package tasklab.lab;

import tasklab.kernel.CloneFlags;
import tasklab.kernel.Errno;
import tasklab.kernel.Kernel;
import tasklab.kernel.Task;
import tasklab.kernel.TaskState;
import tasklab.mm.MmStruct;
import tasklab.mm.Vma;

/**
 * Why a call failed, in a sentence that names the rule of LINUX-SPEC: the kernel decides the
 * errno, this class only reads the arguments and the state to say which check gave it.
 */
final class Why {
    private Why() {}

    /** A failure's rule id and sentence. */
    record Reason(String rule, String sentence) {}

    static Reason errno(Sim sim, Proc p, String call, long arg, Errno e) {
        Kernel k = sim.kernel();
        boolean v26 = k.version().is26();
        return switch (call) {
            case "fork", "vfork", "clone", "kernel_thread" -> fork(k, p, (int) arg, e, v26);
            case "execve" -> e == Errno.ENOENT
                ? new Reason("R10.1", "no such program in the simulated file system; it has " + String.join(", ", k.binaries().keySet()))
                : plain(e);
            case "wait4" -> wait(p, (int) arg, e, v26 ? "R11.10" : "R11.9");
            case "kill" -> switch (e) {
                case ESRCH -> new Reason(null, "no task has that pid (it was never created, or it has been reaped)");
                case EPERM -> new Reason(null, "an unprivileged task may signal only tasks of its own uid");
                case EINVAL -> new Reason(null, "that is not a signal number (1-64)");
                default -> plain(e);
            };
            case "exit_group" -> e == Errno.ENOSYS
                ? new Reason("R11.3", "2.4.22 has no exit_group system call (it came with 2.6's thread groups); threads exit one by one")
                : plain(e);
            case "sched_setaffinity" -> switch (e) {
                case ENOSYS -> new Reason(null, "2.4.22 has no sched_setaffinity system call (it came with 2.6)");
                case EINVAL -> new Reason(null, "the mask names no CPU of this machine (it has " + k.nrCpus() + ")");
                default -> plain(e);
            };
            case "mmap" -> switch (e) {
                case EINVAL -> new Reason(null, "mmap needs a length above 0, a page-aligned address and a range below TASK_SIZE (3 GiB)");
                case ENOMEM -> new Reason(null, "there is no free range of that size below TASK_SIZE, or no memory left");
                default -> plain(e);
            };
            case "munmap" -> e == Errno.EINVAL
                ? new Reason(null, "munmap needs a page-aligned address and a range below TASK_SIZE (3 GiB)") : plain(e);
            case "mprotect" -> switch (e) {
                case EINVAL -> new Reason(null, "mprotect needs a page-aligned address");
                case ENOMEM -> new Reason(null, "part of the range is not mapped");
                case EACCES -> new Reason(null, "the mapping may not get that protection (VM_MAY* bits)");
                default -> plain(e);
            };
            case "setpgid" -> switch (e) {
                case EPERM -> new Reason("R4.6", "setpgid may not move a session leader, a task of another session, or into a group of another session");
                case ESRCH -> new Reason("R4.6", "the target is neither the caller nor one of its children");
                case EACCES -> new Reason("R4.6", "the child has already exec'd: its parent may no longer change its group");
                case EINVAL -> new Reason("R4.6", "a process group id cannot be negative");
                default -> plain(e);
            };
            case "setsid" -> e == Errno.EPERM
                ? new Reason("R4.7", "the caller already leads a process group, so it cannot start a new session") : plain(e);
            case "sched_setscheduler" -> switch (e) {
                case EPERM -> new Reason("R7.14", "only root (CAP_SYS_NICE) may give a task a real-time policy");
                case EINVAL -> new Reason("R7.14", "the policy is unknown or the priority does not fit it (1-99 for SCHED_FIFO / SCHED_RR, 0 for SCHED_OTHER)");
                default -> plain(e);
            };
            case "mlock", "mlockall" -> switch (e) {
                case ENOMEM -> new Reason("R9.10", "the range is not all mapped, or locking it would pass RLIMIT_MEMLOCK");
                case EPERM -> new Reason("R9.11", "an unprivileged task has an RLIMIT_MEMLOCK of 0 on this version");
                case EINVAL -> new Reason(null, "mlockall needs MCL_CURRENT and/or MCL_FUTURE");
                default -> plain(e);
            };
            case "ptrace" -> switch (e) {
                case EPERM -> new Reason("R5.20", "the target is already traced, is init, is the caller itself, or belongs to another user");
                case ESRCH -> new Reason("R5.20", "the target is not traced by the caller (or not stopped), or does not exist");
                default -> plain(e);
            };
            case "kthread_bind" -> new Reason("R6.16", "kthread_bind only works on a new kthread that has not run yet (TASK_UNINTERRUPTIBLE)");
            case "kthread_stop" -> e == Errno.EINTR
                ? new Reason("R6.15", "the thread was stopped before threadfn ever ran, so kthread_stop returns -EINTR")
                : plain(e);
            default -> plain(e);
        };
    }

    private static Reason plain(Errno e) { return new Reason(null, e.text()); }

    private static Reason fork(Kernel k, Proc p, int f, Errno e, boolean v26) {
        String rule = v26 ? "R5.2" : "R5.1";
        switch (e) {
            case EINVAL:
                if ((f & (CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS)) == (CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS)) {
                    return new Reason(rule, "CLONE_NEWNS with CLONE_FS is invalid: a task in a new namespace cannot share the old fs_struct");
                }
                if (v26 && (f & CloneFlags.CLONE_THREAD) != 0 && (f & CloneFlags.CLONE_SIGHAND) == 0) {
                    return new Reason(rule, "CLONE_THREAD needs CLONE_SIGHAND on 2.6 (the same call succeeds on 2.4)");
                }
                if (v26 && (f & CloneFlags.CLONE_SIGHAND) != 0 && (f & CloneFlags.CLONE_VM) == 0) {
                    return new Reason(rule, "CLONE_SIGHAND needs CLONE_VM on 2.6 (the same call succeeds on 2.4)");
                }
                return new Reason(rule, "the flags are invalid");
            case EPERM:
                if ((f & CloneFlags.CLONE_PID) != 0) {
                    return new Reason(rule, "only pid 0 may use CLONE_PID (the boot CPU's idle task making the other CPUs' idle tasks)");
                }
                if ((f & (CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_NEWUTS | CloneFlags.CLONE_NEWIPC)) != 0) {
                    return new Reason(rule, "a new namespace needs CAP_SYS_ADMIN (root)");
                }
                return new Reason(rule, "operation not permitted (a traced task may not make kernel threads on 2.4)");
            case EAGAIN: {
                Task t = p.task();
                int procs = k.userProcesses(t.uid());
                if (k.nrThreads() >= k.maxThreads()) {
                    return new Reason(rule, "nr_threads (" + k.nrThreads() + ") has reached max_threads (" + k.maxThreads() + "); this limit applies to root too");
                }
                if (t.uid() != 0) {
                    return new Reason(rule, "RLIMIT_NPROC: uid " + t.uid() + " already has " + procs + " processes");
                }
                return new Reason(v26 ? "R4.2" : "R4.1", "no free pid is left (PID_MAX is 32768)");
            }
            case ENOMEM:
                return new Reason(rule, "out of memory while copying the task (task_struct, kernel stack or page tables)");
            case ERESTARTNOINTR:
                return new Reason(rule, "a signal is pending in the parent: 2.6 handles it first and restarts the fork");
            default:
                return plain(e);
        }
    }

    private static Reason wait(Proc p, int options, Errno e, String rule) {
        if (e == Errno.EINVAL) return new Reason(rule, "unknown wait4 options: " + Proc.waitOptions(options));
        if (e != Errno.ECHILD) return plain(e);
        Task t = p.task();
        if (t.children().isEmpty()) {
            return new Reason(rule, p.label() + " has no children to wait for");
        }
        boolean allClone = t.children().stream().allMatch(c -> c.exitSignal() != CloneFlags.SIGCHLD);
        if (allClone && (options & (tasklab.kernel.Wait.WCLONE | tasklab.kernel.Wait.WALL)) == 0) {
            return new Reason(rule, "its children are clone children (exit signal is not SIGCHLD): "
                + "wait with __WCLONE or __WALL");
        }
        return new Reason(rule, "no child of " + p.label() + " matches that pid");
    }

    /** Why this task cannot make a system call now, or null if it can. */
    static String cannotCall(Proc p, String call) {
        Task t = p.task();
        if (p.released()) {
            return p.label() + " has been reaped: the handle is dead and its pid may already belong to another task";
        }
        if (t.hasExited()) {
            return p.label() + " is a zombie (" + new WaitStatus(t.pid(), t.exitCode()).meaning()
                + "): it runs no code, so it cannot call " + call + "; its parent reaps it with wait (R11.12)";
        }
        if (t.state() == TaskState.UNINTERRUPTIBLE) {
            String where = t.isKernelThread() ? "" : " (a vfork parent waits so until its child execs or exits, R5.17)";
            return p.label() + " is asleep in TASK_UNINTERRUPTIBLE" + where + ": it cannot call " + call + " until it is woken";
        }
        if (t.state() == TaskState.INTERRUPTIBLE && !t.pausedWithoutProgram()) {
            return p.label() + " is asleep in TASK_INTERRUPTIBLE: wake it (p.wake(), or let the child it waits for exit) before it calls " + call;
        }
        if (t.state() != TaskState.RUNNING && t.state() != TaskState.INTERRUPTIBLE) {
            return p.label() + " is " + t.stateName() + ": only a runnable task can call " + call;
        }
        return null;
    }

    /** Why an access killed the task with SIGSEGV. */
    static Reason segv(MmStruct mm, long va, boolean write) {
        if (mm == null) return new Reason("R9.2", "a kernel thread has no user address space");
        Vma v = mm.findVma(va);
        if (v == null || !v.contains(va)) {
            return new Reason("R9.2", "no VMA covers " + Names.addr(va) + ": bad_area, SIGSEGV with SEGV_MAPERR");
        }
        return new Reason("R9.2", "the VMA " + v + " does not allow a " + (write ? "write" : "read")
            + ": bad_area, SIGSEGV with SEGV_ACCERR");
    }
}
