package tasklab.kernel.props;

/**
 * One operation of a random run, as data: small ints only, so jqwik shrinks a failing run to a
 * short sequence with small parameters. Targets are chosen by index modulo the live set at the
 * time the op runs (see {@link OpRunner}), so any sequence is meaningful against any kernel.
 * {@code toString()} prints Java that rebuilds the op, for pasting a shrunk sequence into a test.
 */
sealed interface Op {
    /** fork() as caller #t. */
    record Fork(int t) implements Op { public String toString() { return "new Op.Fork(" + t + ")"; } }
    /** vfork() as caller #t. */
    record Vfork(int t) implements Op { public String toString() { return "new Op.Vfork(" + t + ")"; } }
    /** clone(flags) as caller #t; {@code raw} picks the flag bits and the exit signal. */
    record Clone(int t, int raw) implements Op { public String toString() { return "new Op.Clone(" + t + ", " + raw + ")"; } }
    /** execve(binary #b) as caller #t (b beyond the binaries: a missing path; b == 7: null). */
    record Exec(int t, int b) implements Op { public String toString() { return "new Op.Exec(" + t + ", " + b + ")"; } }
    /** exit(code) as caller #t (never init). */
    record Exit(int t, int code) implements Op { public String toString() { return "new Op.Exit(" + t + ", " + code + ")"; } }
    /** exit_group(code) as caller #t (never a member of init's group). */
    record ExitGroup(int t, int code) implements Op { public String toString() { return "new Op.ExitGroup(" + t + ", " + code + ")"; } }
    /** wait4 as caller #t: which = -1 any, 0 pgrp, else child #which-1; opts picks WNOHANG / __WALL / __WCLONE. */
    record Wait(int t, int which, int opts) implements Op { public String toString() { return "new Op.Wait(" + t + ", " + which + ", " + opts + ")"; } }
    /** kill(target #target, signal #sig) as caller #t. */
    record Kill(int t, int target, int sig) implements Op { public String toString() { return "new Op.Kill(" + t + ", " + target + ", " + sig + ")"; } }
    /** sigaction(signal #sig, disposition d) as caller #t. */
    record Sigaction(int t, int sig, int d) implements Op { public String toString() { return "new Op.Sigaction(" + t + ", " + sig + ", " + d + ")"; } }
    /** setuid(0 or 1000) and RLIMIT_NPROC for caller #t (never init). */
    record Setuid(int t, int uid, int nproc) implements Op { public String toString() { return "new Op.Setuid(" + t + ", " + uid + ", " + nproc + ")"; } }
    /** kernel_thread(fn kind, flags #f) as caller #t. */
    record KernelThread(int t, int fn, int f) implements Op { public String toString() { return "new Op.KernelThread(" + t + ", " + fn + ", " + f + ")"; } }
    /** daemonize() as kernel thread #t (one created by KernelThread). */
    record Daemonize(int t) implements Op { public String toString() { return "new Op.Daemonize(" + t + ")"; } }
    /** 2.6 kthread_create (run = false) or kthread_run as caller #t. */
    record KthreadCreate(int t, int fn, boolean run) implements Op { public String toString() { return "new Op.KthreadCreate(" + t + ", " + fn + ", " + run + ")"; } }
    /** 2.6 kthread_stop(kthread #kt) as caller #t. */
    record KthreadStop(int t, int kt) implements Op { public String toString() { return "new Op.KthreadStop(" + t + ", " + kt + ")"; } }
    /** 2.6 kthread_bind(kthread #kt, cpu). */
    record KthreadBind(int kt, int cpu) implements Op { public String toString() { return "new Op.KthreadBind(" + kt + ", " + cpu + ")"; } }
    /** mmap as caller #t: hint region, pages, prot, shared, fixed. */
    record Mmap(int t, int region, int pages, int prot, boolean shared, boolean fixed) implements Op {
        public String toString() { return "new Op.Mmap(" + t + ", " + region + ", " + pages + ", " + prot + ", " + shared + ", " + fixed + ")"; }
    }
    /** munmap(region + page offset, pages) as caller #t. */
    record Munmap(int t, int region, int page, int pages) implements Op { public String toString() { return "new Op.Munmap(" + t + ", " + region + ", " + page + ", " + pages + ")"; } }
    /** mprotect(region + page offset, pages, prot) as caller #t. */
    record Mprotect(int t, int region, int page, int pages, int prot) implements Op {
        public String toString() { return "new Op.Mprotect(" + t + ", " + region + ", " + page + ", " + pages + ", " + prot + ")"; }
    }
    /** brk(current brk + delta pages) as caller #t. */
    record Brk(int t, int delta) implements Op { public String toString() { return "new Op.Brk(" + t + ", " + delta + ")"; } }
    /** A user read (write = false) or write at region + page offset + byte offset as caller #t. */
    record Access(int t, boolean write, int region, int page, int off) implements Op {
        public String toString() { return "new Op.Access(" + t + ", " + write + ", " + region + ", " + page + ", " + off + ")"; }
    }
    /** schedule() on cpu. */
    record Schedule(int cpu) implements Op { public String toString() { return "new Op.Schedule(" + cpu + ")"; } }
    /** A timer tick on cpu. */
    record Tick(int cpu) implements Op { public String toString() { return "new Op.Tick(" + cpu + ")"; } }
    /** sched_yield() as caller #t. */
    record Yield(int t) implements Op { public String toString() { return "new Op.Yield(" + t + ")"; } }
    /** Caller #t sleeps in TASK_INTERRUPTIBLE. */
    record Sleep(int t) implements Op { public String toString() { return "new Op.Sleep(" + t + ")"; } }
    /** wake_up_process(sleeper #t). */
    record Wake(int t) implements Op { public String toString() { return "new Op.Wake(" + t + ")"; } }
    /** Lets runnable kernel threads run (at most n steps). */
    record RunKthreads(int n) implements Op { public String toString() { return "new Op.RunKthreads(" + n + ")"; } }
    /** A TLB flush on cpu: kind 0 flush_tlb_all, 1 flush_tlb_mm(mm of task #t), 2 flush_tlb_range of its first vma. */
    record Flush(int cpu, int kind, int t) implements Op { public String toString() { return "new Op.Flush(" + cpu + ", " + kind + ", " + t + ")"; } }
    /** 2.6 sched_setaffinity(target #target, mask) as caller #t. */
    record Affinity(int t, int target, int mask) implements Op { public String toString() { return "new Op.Affinity(" + t + ", " + target + ", " + mask + ")"; } }
    /** setpgid(target #target or 0, pgid choice #pg) as caller #t. */
    record Setpgid(int t, int target, int pg) implements Op { public String toString() { return "new Op.Setpgid(" + t + ", " + target + ", " + pg + ")"; } }
    /** setsid() as caller #t. */
    record Setsid(int t) implements Op { public String toString() { return "new Op.Setsid(" + t + ")"; } }
    /** Memory locking as caller #t: kind 0 mlock, 1 munlock, 2 mlockall(CURRENT|FUTURE), 3 munlockall, 4 mlockall(FUTURE), 5 RLIMIT_MEMLOCK, 6 mmap(MAP_LOCKED). */
    record Mlock(int t, int kind, int region, int page, int pages) implements Op {
        public String toString() { return "new Op.Mlock(" + t + ", " + kind + ", " + region + ", " + page + ", " + pages + ")"; }
    }
    /** ptrace(request #req, target #target, data #data) as caller #t. */
    record Ptrace(int t, int req, int target, int data) implements Op { public String toString() { return "new Op.Ptrace(" + t + ", " + req + ", " + target + ", " + data + ")"; } }
    /** Scheduling parameters as caller #t on target #target: kind 0 setscheduler, 1 setparam, 2 nice, 3 setpriority, 4 what-if setter. */
    record SchedParam(int t, int target, int kind, int policy, int prio) implements Op {
        public String toString() { return "new Op.SchedParam(" + t + ", " + target + ", " + kind + ", " + policy + ", " + prio + ")"; }
    }
    /** clone(raw flags, parent_tidptr, tls, child_tidptr) with the pointers in region #region as caller #t. */
    record CloneTid(int t, int raw, int region, int off) implements Op {
        public String toString() { return "new Op.CloneTid(" + t + ", " + raw + ", " + region + ", " + off + ")"; }
    }
}
