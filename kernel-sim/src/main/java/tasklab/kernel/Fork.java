package tasklab.kernel;

import tasklab.machine.PhysMem;
import tasklab.mm.MmStruct;
import tasklab.trace.Counter;
import tasklab.trace.Event;

/**
 * do_fork / copy_process: validation in the version's order with its errnos, pid allocation
 * (before validation in 2.6, so every failure burns a pid; after it in 2.4), what the child
 * shares or copies per flag, copy_mm, the family links, the timeslice split and the wake-up.
 * Linux: kernel/fork.c do_fork(), copy_process(), copy_mm() (LINUX-SPEC §4, §5).
 */
final class Fork {
    private final Kernel k;

    Fork(Kernel k) { this.k = k; }

    /** do_fork(clone_flags) run by {@code current} with NULL tid pointers: the child's pid or -errno. */
    int doFork(Task current, int flags) { return doFork(current, flags, 0, 0, 0, true); }

    /** do_fork, then (if {@code ret}) the return-to-user schedule that the 2.6 child-first rule asks for. */
    int doFork(Task current, int flags, boolean ret) { return doFork(current, flags, 0, 0, 0, ret); }

    // sys_clone's %edx, %esi, %edi for the 2.6 tid and TLS flags (2.4 ignores them)
    private long parentTidptr;
    private long tlsPtr;
    private long childTidptr;

    /** do_fork with tid pointers, returning to user mode. */
    int doFork(Task current, int flags, long parentTid, long tls, long childTid) {
        return doFork(current, flags, parentTid, tls, childTid, true);
    }

    /**
     * do_fork(clone_flags, ..., parent_tidptr, child_tidptr) run by {@code current}, with 2.6
     * copy_thread's TLS descriptor at {@code tls}: the child's pid or -errno. The parent's saved
     * eax gets the result (what the call returns to it); the child's is 0 (copy_thread). With
     * {@code ret} false the caller has not yet returned to user mode (no schedule has happened).
     */
    int doFork(Task current, int flags, long parentTid, long tls, long childTid, boolean ret) {
        int cpu = k.sched.runAs(current);
        parentTidptr = parentTid;
        tlsPtr = tls;
        childTidptr = childTid;
        int r = k.version.is24() ? doFork24(current, flags, cpu) : doFork26(current, flags, cpu);
        current.savedEax = r;
        if (r > 0) {
            Task child = k.task(r);
            if (child != null && child.vforkDone != null && (flags & CloneFlags.CLONE_VFORK) != 0) {
                k.sched.waitForCompletion(current, child.vforkDone, cpu);   // the parent sleeps: TASK_UNINTERRUPTIBLE
                return r;
            }
        }
        if (ret && current.onCpu) k.sched.retFromSysCall(current.processor);
        return r;
    }

    private static boolean isRoot(Task t) { return t.uid == 0; }

    // ---- 2.4 ----

    private int doFork24(Task current, int flags, int cpu) {
        if ((flags & (CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS)) == (CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS)) {
            return Errno.EINVAL.neg();
        }
        if ((flags & CloneFlags.CLONE_PID) != 0 && current.pid != 0) return Errno.EPERM.neg();
        Task p = allocTask(current);                                            // alloc_task_struct + the limits
        if (p == null) return lastAllocError;
        p.state = TaskState.UNINTERRUPTIBLE;
        int pid = (flags & CloneFlags.CLONE_PID) != 0 ? current.pid : k.pids.alloc();
        if (pid == 0 && current.pid != 0) return unwind(p, current, Errno.EAGAIN.neg(), false);
        p.pid = pid;
        if ((flags & CloneFlags.CLONE_VFORK) != 0) p.vforkDone = new Completion("vfork");
        if ((flags & CloneFlags.CLONE_PTRACE) != 0) p.ptrace = current.ptrace;   // copy_flags: else ptrace = 0
        int err = copyResources(p, current, flags, cpu);
        if (err != 0) return unwind(p, current, err, true);
        if ((flags & CloneFlags.CLONE_NEWNS) != 0 && !isRoot(current)) {        // copy_namespace
            return unwind(p, current, Errno.EPERM.neg(), true);
        }
        p.exitSignal = flags & CloneFlags.CSIGNAL;
        k.sched.forkSplit(current, p);
        p.tgid = pid;
        p.realParent = current.realParent;
        p.parent = current.parent;
        if ((flags & CloneFlags.CLONE_PARENT) == 0) {
            p.realParent = current;
            if ((p.ptrace & Ptrace.PT_PTRACED) == 0) p.parent = current;      // traced: current's tracer keeps it
        }
        if ((flags & CloneFlags.CLONE_THREAD) != 0) {
            p.tgid = current.tgid;
            p.groupLeader = current.groupLeader;
            p.threadGroup = current.threadGroup;
            p.threadGroup.add(p.threadGroup.indexOf(current) + 1, p);    // list_add after current
        } else {
            p.groupLeader = p;
            p.threadGroup = Task.soloThreadGroup(p);
        }
        if (pid == 0) {                                                   // fork_by_hand's idle: never hashed
            k.totalForks++;
            return 0;
        }
        link(p);
        k.pidUsesGet(p, true);
        k.hash(p);
        traceFork(current, p, flags, cpu);
        k.sched.wakeUpProcess(p, cpu);
        if ((p.ptrace & Ptrace.PT_PTRACED) != 0) k.ptrace.sendStop(p, cpu);   // send_sig(SIGSTOP, p, 1)
        k.totalForks++;
        k.counters.inc(cpu, Counter.FORK);
        return pid;
    }

    // ---- 2.6 ----

    private int doFork26(Task current, int flags, int cpu) {
        int pid = k.pids.alloc();                                        // alloc_pid() first
        if (pid == 0) return Errno.EAGAIN.neg();
        if (k.ptrace.forkTraced(current, flags)) flags |= CloneFlags.CLONE_PTRACE;   // fork_traceflag
        int r = copyProcess26(current, flags, pid, cpu);
        if (r < 0) {
            k.pids.put(pid);                                             // free_pid: bit clear, last_pid stays
            return r;
        }
        Task p = k.task(pid);
        if ((flags & CloneFlags.CLONE_VFORK) != 0) p.vforkDone = new Completion("vfork");
        boolean traced = (p.ptrace & Ptrace.PT_PTRACED) != 0;
        if ((flags & CloneFlags.CLONE_STOPPED) != 0) {
            p.pendingSignals |= 1L << (Signals.SIGSTOP - 1);
            p.state = TaskState.STOPPED_26;
        } else {
            if (traced) p.pendingSignals |= 1L << (Signals.SIGSTOP - 1);      // "start up with an immediate SIGSTOP"
            k.sched.wakeUpNewTask(p, current, flags, cpu);
            if (traced) k.ptrace.sendStop(p, cpu);                           // which it takes at once: TASK_TRACED
        }
        return pid;
    }

    private int copyProcess26(Task current, int flags, int pid, int cpu) {
        if ((flags & (CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS)) == (CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS)) {
            return Errno.EINVAL.neg();
        }
        if ((flags & CloneFlags.CLONE_THREAD) != 0 && (flags & CloneFlags.CLONE_SIGHAND) == 0) return Errno.EINVAL.neg();
        if ((flags & CloneFlags.CLONE_SIGHAND) != 0 && (flags & CloneFlags.CLONE_VM) == 0) return Errno.EINVAL.neg();
        Task p = allocTask(current);                                            // dup_task_struct + the limits
        if (p == null) return lastAllocError;
        p.usage = 2;                                   // one for us, one for release_task
        p.flags |= Task.PF_STARTING;
        if ((flags & CloneFlags.CLONE_PTRACE) != 0) p.ptrace = current.ptrace;   // copy_flags: else ptrace = 0
        if ((flags & CloneFlags.CLONE_PARENT_SETTID) != 0 && k.uaccess.putUser(current, cpu, parentTidptr, pid) != 0) {
            return unwind(p, current, Errno.EFAULT.neg(), false);              // put_user(p->pid, parent_tidptr)
        }
        int err = copyResources(p, current, flags, cpu);
        if (err != 0) return unwind(p, current, err, true);
        if ((flags & (CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_NEWUTS | CloneFlags.CLONE_NEWIPC)) != 0 && !isRoot(current)) {
            return unwind(p, current, Errno.EPERM.neg(), true);
        }
        if ((flags & CloneFlags.CLONE_SETTLS) != 0) {                          // copy_thread
            err = setTls(p, current, cpu);
            if (err != 0) return unwind(p, current, err, true);
        }
        p.setChildTid = (flags & CloneFlags.CLONE_CHILD_SETTID) != 0 ? childTidptr : 0;
        p.clearChildTid = (flags & CloneFlags.CLONE_CHILD_CLEARTID) != 0 ? childTidptr : 0;
        p.pid = pid;
        p.tgid = pid;
        p.exitSignal = (flags & CloneFlags.CLONE_THREAD) != 0 ? -1 : flags & CloneFlags.CSIGNAL;
        k.sched.forkSplit(current, p);
        // "Restart if a signal comes in before we add the new process to its process group"
        if (Sched.signalPending(current)) return unwind(p, current, Errno.ERESTARTNOINTR.neg(), true);
        p.realParent = (flags & (CloneFlags.CLONE_PARENT | CloneFlags.CLONE_THREAD)) != 0 ? current.realParent : current;
        p.parent = p.realParent;
        if ((p.ptrace & Ptrace.PT_PTRACED) != 0 && current.parent != null) p.parent = current.parent;   // __ptrace_link
        if ((flags & CloneFlags.CLONE_THREAD) != 0) {
            p.tgid = current.tgid;
            p.groupLeader = current.groupLeader;
            p.threadGroup = current.groupLeader.threadGroup;
            p.threadGroup.add(p);                      // list_add_tail on the leader's list
            p.signal = current.signal;
            p.signal.count++;
            p.signal.live++;
        } else {
            p.groupLeader = p;
            p.threadGroup = Task.soloThreadGroup(p);
            p.signal = new Shared(Shared.Kind.SIGNAL, k.sharedId());
        }
        p.flags &= ~Task.PF_STARTING;
        link(p);
        k.pidUsesGet(p, false);                        // alloc_pid already holds the pid
        k.hash(p);
        k.totalForks++;
        k.counters.inc(cpu, Counter.FORK);
        traceFork(current, p, flags, cpu);
        return pid;
    }

    /**
     * copy_thread's CLONE_SETTLS: reads struct user_desc {entry_number, base_addr, limit, flags}
     * from the parent at %esi: -EFAULT if unreadable, -EINVAL for an empty descriptor (LDT_empty)
     * or an entry outside GDT_ENTRY_TLS_MIN..MAX (6..8); else the child's tls_array gets the base.
     */
    private int setTls(Task p, Task current, int cpu) {
        long[] w = new long[4];
        for (int i = 0; i < 4; i++) {
            w[i] = k.uaccess.getUser(current, cpu, tlsPtr + 4L * i);
            if (w[i] < 0) return Errno.EFAULT.neg();
        }
        long entry = w[0], base = w[1], limit = w[2];
        int fl = (int) w[3];
        // bit fields: seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1 useable:1
        boolean empty = base == 0 && limit == 0 && (fl & 0x7f) == ((1 << 3) | (1 << 5));
        if (empty) return Errno.EINVAL.neg();
        if (entry < 6 || entry > 8) return Errno.EINVAL.neg();
        if (p.tlsBase == null) p.tlsBase = new long[3];
        p.tlsBase[(int) entry - 6] = base;
        return 0;
    }

    /**
     * schedule_tail() of a new 2.6 task on its first switch-in: put_user(pid, set_child_tid)
     * in its own address space (CLONE_CHILD_SETTID); a bad pointer is ignored.
     * Linux: kernel/sched.c schedule_tail().
     */
    void scheduleTail(Task t, int cpu) {
        t.scheduleTailPending = false;
        if (t.setChildTid != 0) k.uaccess.putUser(t, cpu, t.setChildTid, t.pid);
    }

    // ---- shared steps ----

    private int lastAllocError;

    /**
     * The task_struct and its 8 KiB stack, then the two limits both versions check in this order:
     * RLIMIT_NPROC (root exempt) and max_threads (root too). Null with {@link #lastAllocError} set on failure.
     */
    private Task allocTask(Task current) {
        int stack = k.machine.mem().allocPair(PhysMem.F_KERNEL_STACK);
        int err = 0;
        if (stack < 0) err = Errno.ENOMEM.neg();
        else if (k.userProcesses(current.uid) >= current.rlimitNproc && !isRoot(current)) err = Errno.EAGAIN.neg();
        else if (k.nrThreads >= k.maxThreads) err = Errno.EAGAIN.neg();
        if (err != 0) {
            if (stack >= 0) k.machine.mem().freePair(stack);
            lastAllocError = err;
            return null;
        }
        k.userInc(current.uid);
        return dupTask(current, stack);
    }

    /** *p = *current, then the fields a child never inherits (R5.4, R5.6). */
    private Task dupTask(Task current, int stack) {
        Task p = new Task(k);
        p.comm = current.comm;
        p.commId = current.commId;
        p.uid = current.uid;
        p.pgrp = current.pgrp;
        p.session = current.session;
        p.leader = false;
        p.nice = current.nice;
        p.policy = current.policy;
        p.rtPriority = current.rtPriority;
        p.rlimitMemlock = current.rlimitMemlock;
        p.staticPrio = current.staticPrio;
        p.prio = current.prio;
        p.cpusAllowed = current.cpusAllowed;
        p.processor = current.processor;
        p.rlimitNproc = current.rlimitNproc;
        p.flags = (current.flags & ~(Task.PF_SUPERPRIV | Task.PF_USEDFPU | Task.PF_EXITING)) | Task.PF_FORKNOEXEC;
        p.selfExecId = current.selfExecId;
        p.parentExecId = current.selfExecId;
        p.execPath = current.execPath;
        p.stackPfn = stack;
        // dup_task_struct copies the whole task_struct, thread.tls_array included: a child inherits
        // its parent's TLS entries (CLONE_SETTLS then changes one in the child's own copy)
        p.tlsBase = current.tlsBase == null ? null : current.tlsBase.clone();
        // copy_thread: childregs = the pt_regs frame at the top of the stack, thread.esp = childregs;
        // eax = 0 so the child returns 0. 2.4: THREAD_SIZE - sizeof(pt_regs) (60 bytes);
        // 2.6.22: task_pt_regs = KSTK_TOP - 8 - sizeof(pt_regs) (64 bytes, with xfs).
        p.esp = p.stackBase() + Task.THREAD_SIZE - Task.childRegsOffset(k.version);
        p.savedEax = 0;                                // childregs->eax = 0: fork returns 0 in the child
        p.scheduleTailPending = true;                  // ret_from_fork runs schedule_tail on the first switch-in
        p.startCycle = k.machine.cpu(current.processor).cycles();
        return p;
    }

    /** copy_files, copy_fs, copy_sighand, copy_mm: share (count+1) with the flag, else a fresh copy. Returns 0 or -errno. */
    private int copyResources(Task p, Task current, int flags, int cpu) {
        p.files = share(current.files, (flags & CloneFlags.CLONE_FILES) != 0);
        p.fs = share(current.fs, (flags & CloneFlags.CLONE_FS) != 0);
        p.sighand = share(current.sighand, (flags & CloneFlags.CLONE_SIGHAND) != 0);
        return copyMm(p, current, flags, cpu);
    }

    private Shared share(Shared s, boolean shareIt) {
        if (shareIt) { s.count++; return s; }
        return s.copy(k.sharedId());
    }

    /** copy_mm(): kernel-thread callers give mm NULL; CLONE_VM shares (mm_users+1); else a full copy with one flush. (R5.8, T2-T4) */
    private int copyMm(Task p, Task current, int flags, int cpu) {
        p.minFlt = 0;
        p.majFlt = 0;
        p.cminFlt = 0;
        p.cmajFlt = 0;
        p.nvcsw = 0;
        p.nivcsw = 0;
        p.mm = null;
        p.activeMm = null;
        MmStruct oldmm = current.mm;
        if (oldmm == null) return 0;
        if ((flags & CloneFlags.CLONE_VM) != 0) {
            k.mm.refs.mmget(oldmm);
            p.mm = oldmm;
            p.activeMm = oldmm;
            return 0;
        }
        MmStruct mm = k.mm.refs.mmAlloc(cpu);
        if (mm == null) return Errno.ENOMEM.neg();
        p.mm = mm;                 // so a failure unwinds it with mmput
        p.activeMm = mm;
        if (k.mm.refs.dupMmap(cpu, mm, oldmm) != 0) return Errno.ENOMEM.neg();
        return 0;
    }

    /** The failure unwind (R5.16): drop what was copied, give the counts back, free the task. */
    private int unwind(Task p, Task current, int err, boolean resourcesCopied) {
        int cpu = current.processor;
        if (resourcesCopied) {
            if (p.mm != null) {
                MmStruct mm = p.mm;
                p.mm = null;
                p.activeMm = null;
                k.mm.refs.mmput(cpu, mm);
            }
            if (p.sighand != null) p.sighand.count--;
            if (p.fs != null) p.fs.count--;
            if (p.files != null) p.files.count--;
        }
        k.userDec(current.uid);
        k.machine.mem().freePair(p.stackPfn);
        return err;
    }

    /** SET_LINKS: the child joins its parent's children (2.4 youngest first, 2.6 appended). */
    private void link(Task p) {
        if (k.version.is24()) p.parent.children.add(0, p);
        else p.parent.children.add(p);
    }

    private void traceFork(Task current, Task p, int flags, int cpu) {
        if (k.trace.enabled()) k.trace.record(new Event.SchedProcessFork(k.machine.cpu(cpu).cycles(), cpu, current.pid, current.comm, p.pid, flags));
    }
}
