package tasklab.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tasklab.machine.KernelBug;
import tasklab.machine.Machine;
import tasklab.mm.MmCore;
import tasklab.mm.MmStruct;
import tasklab.time.SimRandom;
import tasklab.trace.Counters;
import tasklab.trace.Trace;

/**
 * One booted simulated kernel: the machine, the memory subsystem, the task list, pids, the
 * scheduler, and the system calls, each run as a given task. System-call style methods return
 * what the kernel returns: a pid or 0 on success, {@code -errno} on failure.
 * Linux: init/main.c start_kernel() and the files each method names.
 */
public final class Kernel {
    final KernelConfig config;
    final KernelVersion version;
    final Machine machine;
    final MmCore mm;
    final Counters counters;
    final Trace trace;
    final PidMap pids;
    final SimRandom random;
    final Task[] pidHash = new Task[PidMap.PID_MAX];
    /** The task queued on a runqueue list under each pid (RunList's links; see there why not pidHash). */
    final Task[] queued = new Task[PidMap.PID_MAX];
    /** Every runqueue list, by id - 1 (de_thread finds a renumbered task's list here). */
    final List<RunList> runLists = new ArrayList<>();
    final LinkedHashSet<Task> taskList = new LinkedHashSet<>();
    final Task[] idle;
    final Map<String, Binary> binaries = new TreeMap<>();
    final Map<Integer, Integer> userProcesses = new TreeMap<>();
    final Shared initFiles;
    final Shared initFs;
    final Sched sched;
    final Fork fork;
    final Exit exit;
    final Exec exec;
    final KThreads kthreads;
    final Invariants invariants;
    final ProcGroups procGroups;
    final Ptrace ptrace;
    final Uaccess uaccess;
    final SchedCalls schedCalls;
    final Map<String, tasklab.program.Program> programs = new TreeMap<>();
    ProgramRunner runner;
    int nrThreads;
    int maxThreads;
    long totalForks;
    int nextSharedId = 1;
    Task childReaper;
    Task kthreadd;            // 2.6 pid 2; 2.4 keventd
    boolean checkInvariants;

    /** Boots a kernel as LINUX-SPEC §3 describes: idle tasks, pid 1, pid 2, the initcall threads, exec of /sbin/init. */
    public static Kernel boot(KernelConfig config) {
        if (config == null) throw new IllegalArgumentException("a KernelConfig is needed, e.g. KernelConfig.of(KernelVersion.LINUX_2_6)");
        Kernel k = new Kernel(config);
        k.startKernel();
        return k;
    }

    /** Boots the default configuration of a version. */
    public static Kernel boot(KernelVersion v) { return boot(KernelConfig.of(v)); }

    private Kernel(KernelConfig config) {
        this.config = config;
        this.version = config.version();
        this.machine = new Machine(config.cpu(), config.nrCpus(), config.ramBytes(), config.pge());
        this.machine.setCachesEnabled(config.caches());
        this.counters = new Counters(config.nrCpus());
        this.trace = new Trace();
        this.mm = new MmCore(machine, version, counters, trace);
        this.mm.tlb.setRangePolicy(config.flushRangePolicy());     // before boot: exec's flushes use it too
        this.pids = new PidMap(version);
        this.random = new SimRandom(config.seed());
        this.idle = new Task[config.nrCpus()];
        this.initFiles = new Shared(Shared.Kind.FILES, nextSharedId++);
        this.initFs = new Shared(Shared.Kind.FS, nextSharedId++);
        this.sched = version.is24() ? new Sched24(this) : new Sched26(this);
        this.fork = new Fork(this);
        this.exit = new Exit(this);
        this.exec = new Exec(this);
        this.kthreads = new KThreads(this);
        this.invariants = new Invariants(this);
        this.procGroups = new ProcGroups(this);
        this.ptrace = new Ptrace(this);
        this.uaccess = new Uaccess(this);
        this.schedCalls = new SchedCalls(this);
        // fork_init(): max_threads = mempages / (THREAD_SIZE / PAGE_SIZE) / 8
        this.maxThreads = machine.mem().nrFrames() / 2 / 8;
        registerBinary(new Binary("/sbin/init", 8, 2, 1));
        registerBinary(new Binary("/bin/sh", 16, 4, 2));
        registerBinary(new Binary("/bin/true", 1, 1, 0));
        registerBinary(new Binary("/usr/bin/app", 4, 2, 2));
        programs.put("/bin/true", tasklab.program.Program.builder().exit(0).build());
    }

    private void startKernel() {
        Boot.startKernel(this);
    }

    // ---- configuration and state ----

    /** The kernel version simulated. */ public KernelVersion version() { return version; }
    /** The boot configuration. */ public KernelConfig config() { return config; }
    /** The hardware. */ public Machine machine() { return machine; }
    /** The memory subsystem. */ public MmCore mm() { return mm; }
    /** The counters (per CPU). */ public Counters counters() { return counters; }
    /** The event trace. */ public Trace trace() { return trace; }
    /** The pid allocator. */ public PidMap pids() { return pids; }
    /** The scheduler. */ public Sched sched() { return sched; }
    /** nr_threads: tasks on the task list, zombies included. */ public int nrThreads() { return nrThreads; }
    /** max_threads. */ public int maxThreads() { return maxThreads; }
    /** Sets max_threads (/proc/sys/kernel/threads-max). */ public void setMaxThreads(int n) { maxThreads = n; }
    /** total_forks. */ public long totalForks() { return totalForks; }
    /** child_reaper (init). */ public Task childReaper() { return childReaper; }
    /** The idle task of a CPU (pid 0). */ public Task idleTask(int cpu) { return idle[cpu]; }
    /** The task running on a CPU (current). */ public Task current(int cpu) { return sched.current(cpu); }
    /** Number of CPUs. */ public int nrCpus() { return idle.length; }
    /** Runs the §13 invariant checker after every operation when on (tests turn it on). */
    public void setCheckInvariants(boolean on) { checkInvariants = on; }
    /** Checks every invariant of LINUX-SPEC §13 now; throws KernelBug "&lt;function&gt;: &lt;invariant&gt;". */
    public void checkInvariants(String function) { invariants.check(function); }

    /** The task with this pid, or null (pid 0 is not hashed). Linux: find_task_by_pid(). */
    public Task task(int pid) {
        return pid <= 0 || pid >= PidMap.PID_MAX ? null : pidHash[pid];
    }

    /** Every task on the task list, in list order (init_task first, then by creation). */
    public List<Task> tasks() {
        List<Task> out = new ArrayList<>(taskList);
        return Collections.unmodifiableList(out);
    }

    /** Adds a program to the simulated file system. */
    public void registerBinary(Binary b) { binaries.put(b.path(), b); }
    /** The programs exec can run. */ public Map<String, Binary> binaries() { return Collections.unmodifiableMap(binaries); }

    int sharedId() { return nextSharedId++; }

    /** Looks a task up for a system call; null if there is none (caller returns -ESRCH). */
    Task lookup(int pid) {
        if (pid == 0) return idle[0];
        return task(pid);
    }

    void afterOp(String function) {
        if (checkInvariants) invariants.check(function);
    }

    /** A system call's entry and exit cost (int 0x80 ... iret), then the return to user mode. */
    void sysReturn(Task t) {
        if (t.onCpu) {
            var c = machine.cpu(t.processor);
            c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry());
        }
        returnToUser(t);
    }

    /** The return to user mode of a system call made by t: pending signals, then need_resched. */
    void returnToUser(Task t) {
        if (t.onCpu && !t.hasExited()) exit.deliverOnReturn(t, t.processor);
        if (t.onCpu && !t.hasExited()) sched.retFromSysCall(t.processor);
    }

    // ---- system calls, each run as task {@code pid} ----

    /** fork(): sys_fork as task {@code pid}; the child's pid or -errno. Linux: arch/i386/kernel/process.c sys_fork(). */
    public int fork(int pid) { return clone(pid, CloneFlags.FORK); }

    /** vfork(): the parent sleeps (TASK_UNINTERRUPTIBLE) until the child execs or exits. Linux: sys_vfork(). */
    public int vfork(int pid) { return clone(pid, CloneFlags.VFORK); }

    /** clone(flags) as task {@code pid} with a NULL stack (legal for the kernel: newsp = esp). Linux: sys_clone(). */
    public int clone(int pid, int flags) { return clone(pid, flags, 0, 0, 0); }

    /**
     * clone(flags, NULL stack, parent_tidptr, tls, child_tidptr) as task {@code pid}, the i386
     * sys_clone registers %ebx, %ecx, %edx, %esi, %edi: the child's pid or -errno. On 2.6
     * CLONE_PARENT_SETTID writes the child's pid at {@code parentTidptr} in the parent (-EFAULT if
     * it cannot), CLONE_SETTLS reads a struct user_desc at {@code tls} (-EFAULT, -EINVAL),
     * CLONE_CHILD_SETTID makes the child write its pid at {@code childTidptr} when it first runs
     * (schedule_tail) and CLONE_CHILD_CLEARTID makes its exit write 0 there with a FUTEX_WAKE
     * (counter futex_wake). 2.4 ignores these bits.
     * <p>2.6's copy_process answers -ERESTARTNOINTR when a signal is pending in the caller (here: one
     * that reached it since its last system call, e.g. init's SIGCHLD from a child's exit), after
     * burning the pid. The return path then handles the signal and, as i386 do_signal does for
     * -ERESTARTNOINTR (eax = orig_eax, eip -= 2), the call runs again: this method returns the
     * restarted call's result, and the trace shows each restart as a syscall_restart event. Use
     * {@link #doForkOnce} to see do_fork's own answer.
     * Linux: arch/i386/kernel/process.c sys_clone(), kernel/fork.c do_fork() / copy_process(),
     * arch/i386/kernel/signal.c handle_signal().
     */
    public int clone(int pid, int flags, long parentTidptr, long tls, long childTidptr) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r;
        for (int restarts = 0; ; restarts++) {
            r = fork.doFork(t, flags, parentTidptr, tls, childTidptr);
            sysReturn(t);
            if (r != Errno.ERESTARTNOINTR.neg() || t.hasExited()) break;
            if (t.pendingSignals != 0) exit.deliverOnReturn(t, t.processor);   // switched away first: it meets them now
            if (t.hasExited() || t.state != TaskState.RUNNING || restarts == 8) break;
            if (trace.enabled()) {
                int cpu = t.processor;
                trace.record(new tasklab.trace.Event.SyscallRestart(machine.cpu(cpu).cycles(), cpu, t.pid, "clone", r));
            }
        }
        afterOp("do_fork");
        return r;
    }

    /**
     * One do_fork as task {@code pid}, without the restart: the child's pid or -errno, including
     * 2.6's -ERESTARTNOINTR when a signal is pending at copy_process (the return path then
     * handles the signal). Linux: kernel/fork.c do_fork().
     */
    public int doForkOnce(int pid, int flags, long parentTidptr, long tls, long childTidptr) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = fork.doFork(t, flags, parentTidptr, tls, childTidptr);
        sysReturn(t);
        afterOp("do_fork");
        return r;
    }

    /**
     * do_fork alone as task {@code pid}: the child exists and is on a runqueue, but the caller has
     * not returned to user mode, so no schedule has happened yet (on 2.6 the child-first
     * need_resched is still pending, R5.15). {@link #retFromSysCall} finishes the call.
     * Linux: kernel/fork.c do_fork().
     */
    public int doFork(int pid, int flags) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = fork.doFork(t, flags, false);
        afterOp("do_fork");
        return r;
    }

    /** ret_from_sys_call for task {@code pid}: pending signals, then schedule() if need_resched. Linux: arch/i386/kernel/entry.S. */
    public int retFromSysCall(int pid) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        sysReturn(t);
        afterOp("ret_from_sys_call");
        return 0;
    }

    /** execve(path) as task {@code pid}: 0 or -errno. Linux: fs/exec.c do_execve(). */
    public int execve(int pid, String path) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = exec.doExecve(t, path);
        sysReturn(t);
        afterOp("do_execve");
        return r;
    }

    /** exit(code) as task {@code pid}: do_exit((code &amp; 0xff) &lt;&lt; 8). Returns 0, or -ESRCH. Linux: kernel/exit.c sys_exit(). */
    public int exit(int pid, int code) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        exit.sysExit(t, code);
        afterOp("do_exit");
        return 0;
    }

    /** exit_group(code): 2.4 has none (-ENOSYS); 2.6 ends every thread of the group. Linux: kernel/exit.c sys_exit_group(). */
    public int exitGroup(int pid, int code) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = exit.sysExitGroup(t, code);
        afterOp("do_group_exit");
        return r;
    }

    /**
     * wait4(waitPid, &amp;status, options) as task {@code pid}: the reaped pid, 0 (WNOHANG, nothing yet),
     * or -errno. If it would block, the task sleeps (TASK_INTERRUPTIBLE) and {@link #WAIT_BLOCKED} is
     * returned; a child's exit wakes it, and calling wait4 again is the kernel's "goto repeat".
     * The status word is {@link Task#lastWaitStatus()}.
     * Linux: kernel/exit.c sys_wait4().
     */
    public int wait4(int pid, int waitPid, int options) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = exit.sysWait4(t, waitPid, options);
        sysReturn(t);
        afterOp("sys_wait4");
        return r;
    }

    /** Returned by wait4 when the caller went to sleep. */
    public static final int WAIT_BLOCKED = Integer.MIN_VALUE;

    /** kill(target, sig) as task {@code pid}: 0 or -errno. Linux: kernel/signal.c sys_kill() (SIGKILL, SIGTERM, SIGCHLD, SIGSTOP, SIGCONT). */
    public int kill(int pid, int target, int sig) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = exit.sysKill(t, target, sig);
        sysReturn(t);
        afterOp("sys_kill");
        return r;
    }

    /** sigaction(sig, SIG_DFL / SIG_IGN / handler) as task {@code pid}: 0 or -EINVAL. Linux: kernel/signal.c do_sigaction(). */
    public int sigaction(int pid, int sig, int disposition) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (sig < 1 || sig > Signals.NSIG || sig == Signals.SIGKILL || sig == Signals.SIGSTOP) return Errno.EINVAL.neg();
        t.sighand.setHandler(sig, disposition);
        return 0;
    }

    /** getpid(): the tgid; like every system call it returns through ret_from_sys_call (signals, need_resched). (R4.5) */
    public int getpid(int pid) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        sched.runAs(t);
        int r = t.tgid;
        sysReturn(t);
        afterOp("sys_getpid");
        return r;
    }
    /** gettid(): the pid. (R4.5) */ public int gettid(int pid) { Task t = lookup(pid); return t == null ? Errno.ESRCH.neg() : t.pid; }
    /** getppid(): 2.4 p_opptr->pid, 2.6 real_parent->tgid. (R4.5) */ public int getppid(int pid) { Task t = lookup(pid); return t == null ? Errno.ESRCH.neg() : t.ppid(); }

    /** setuid(uid) as root task {@code pid} (to make unprivileged users for RLIMIT_NPROC): 0 or -EPERM. */
    public int setuid(int pid, int uid) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (t.uid != 0 && uid != t.uid) return Errno.EPERM.neg();
        if (uid < 0) return Errno.EINVAL.neg();
        userDec(t.uid);
        t.uid = uid;
        userInc(uid);
        return 0;
    }

    /** setrlimit(RLIMIT_NPROC, n) as task {@code pid}. */
    public int setRlimitNproc(int pid, int n) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (n < 0) return Errno.EINVAL.neg();
        t.rlimitNproc = n;
        return 0;
    }

    /** sched_yield() as task {@code pid}. Linux: kernel/sched.c sys_sched_yield(). */
    public int schedYield(int pid) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int cpu = sched.runAs(t);
        sched.yield(cpu, t);
        afterOp("sys_sched_yield");
        return 0;
    }

    /** sched_setaffinity(target, mask) as task {@code pid}: 0 or -errno; 2.4.22 has no such call (-ENOSYS). Linux: kernel/sched.c. */
    public int schedSetaffinity(int pid, int target, int mask) {
        if (version.is24()) return Errno.ENOSYS.neg();
        Task t = lookup(pid);
        Task p = task(target);
        if (t == null || p == null || p.hasExited()) return Errno.ESRCH.neg();
        mask &= (int) ((1L << nrCpus()) - 1);
        if (mask == 0) return Errno.EINVAL.neg();
        if (t.uid != 0 && t.uid != p.uid) return Errno.EPERM.neg();
        int cpu = sched.runAs(t);
        sched.setCpusAllowed(p, mask, cpu);
        afterOp("sched_setaffinity");
        return 0;
    }

    // ---- process groups and sessions ----

    /** setpgid(target, pgid) as task {@code pid}: 0 or -errno (EINVAL, ESRCH, EPERM, EACCES in the kernel's order). Linux: kernel/sys.c sys_setpgid(). */
    public int setpgid(int pid, int target, int pgid) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        sched.runAs(t);
        int r = procGroups.setpgid(t, target, pgid);
        sysReturn(t);
        afterOp("sys_setpgid");
        return r;
    }

    /** getpgid(target) as task {@code pid} (target 0 = itself): the process group or -ESRCH. Linux: kernel/sys.c sys_getpgid(). */
    public int getpgid(int pid, int target) {
        Task t = lookup(pid);
        return t == null ? Errno.ESRCH.neg() : procGroups.getpgid(t, target);
    }

    /** setsid() as task {@code pid}: the new session id (its pid; 2.6 its tgid), or -EPERM. Linux: kernel/sys.c sys_setsid(). */
    public int setsid(int pid) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        sched.runAs(t);
        int r = procGroups.setsid(t);
        sysReturn(t);
        afterOp("sys_setsid");
        return r;
    }

    /** getsid(target) as task {@code pid} (target 0 = itself): the session or -ESRCH. Linux: kernel/sys.c sys_getsid(). */
    public int getsid(int pid, int target) {
        Task t = lookup(pid);
        return t == null ? Errno.ESRCH.neg() : procGroups.getsid(t, target);
    }

    /** is_orphaned_pgrp(pgrp): no member has a parent in another group of the same session (init does not count). Linux: kernel/exit.c. */
    public boolean isOrphanedPgrp(int pgrp) { return procGroups.willBecomeOrphanedPgrp(pgrp, null); }

    // ---- ptrace ----

    /**
     * ptrace(request, target, data) as task {@code pid}: 0 or -errno. Requests: {@link Ptrace#TRACEME},
     * {@link Ptrace#ATTACH} (the target stops, the caller becomes its parent), {@link Ptrace#DETACH}
     * and {@link Ptrace#CONT} (resume with signal {@code data}), {@link Ptrace#KILL}, 2.6
     * {@link Ptrace#SETOPTIONS} (PTRACE_O_TRACEFORK / VFORK / CLONE: new children are traced too,
     * unless cloned with CLONE_UNTRACED); any other request answers -EIO.
     * Linux: arch/i386/kernel/ptrace.c sys_ptrace(), kernel/ptrace.c.
     */
    public int ptrace(int pid, int request, int target, int data) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = ptrace.sysPtrace(t, request, target, data);
        sysReturn(t);
        afterOp("sys_ptrace");
        return r;
    }

    // ---- scheduling policy and priority ----

    /**
     * sched_setscheduler(target, policy, priority) as task {@code pid}: 0 or -errno. SCHED_FIFO and
     * SCHED_RR (priority 1..99) need root (2.6: a real-time task may lower its own priority);
     * SCHED_OTHER needs priority 0; 2.6 also takes SCHED_BATCH. See {@link SchedPolicy}.
     * Linux: kernel/sched.c setscheduler() (2.4) / sched_setscheduler() (2.6).
     */
    public int schedSetscheduler(int pid, int target, int policy, int priority) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = schedCalls.setscheduler(t, target, policy, priority, false);
        sysReturn(t);
        afterOp("sched_setscheduler");
        return r;
    }

    /** sched_setparam(target, priority) as task {@code pid}: the policy stays. Linux: kernel/sched.c sys_sched_setparam(). */
    public int schedSetparam(int pid, int target, int priority) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = schedCalls.setscheduler(t, target, -1, priority, true);
        sysReturn(t);
        afterOp("sched_setparam");
        return r;
    }

    /** sched_getscheduler(target) as task {@code pid} (0 = itself): the policy or -errno. Linux: kernel/sched.c sys_sched_getscheduler(). */
    public int schedGetscheduler(int pid, int target) {
        Task t = lookup(pid);
        return t == null ? Errno.ESRCH.neg() : schedCalls.getscheduler(t, target);
    }

    /** sched_getparam(target) as task {@code pid} (0 = itself): rt_priority or -errno. Linux: kernel/sched.c sys_sched_getparam(). */
    public int schedGetparam(int pid, int target) {
        Task t = lookup(pid);
        return t == null ? Errno.ESRCH.neg() : schedCalls.getparam(t, target);
    }

    /** nice(increment) as task {@code pid}: 0 or -EPERM (lowering nice needs root). Linux: kernel/sched.c sys_nice(). */
    public int nice(int pid, int increment) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        sched.runAs(t);
        int r = schedCalls.nice(t, increment);
        sysReturn(t);
        afterOp("sys_nice");
        return r;
    }

    /** setpriority(which, who, niceval) as task {@code pid} (PRIO_PROCESS / PRIO_PGRP / PRIO_USER): 0 or -errno. Linux: kernel/sys.c sys_setpriority(). */
    public int setpriority(int pid, int which, int who, int niceval) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        sched.runAs(t);
        int r = schedCalls.setpriority(t, which, who, niceval);
        sysReturn(t);
        afterOp("sys_setpriority");
        return r;
    }

    /** getpriority(which, who) as task {@code pid}: 20 - the lowest nice selected (1..40), or -errno. Linux: kernel/sys.c sys_getpriority(). */
    public int getpriority(int pid, int which, int who) {
        Task t = lookup(pid);
        return t == null ? Errno.ESRCH.neg() : schedCalls.getpriority(t, which, who);
    }

    /**
     * What-if: sets a task's nice as set_user_nice() does, with no permission check (not a system
     * call; for experiments). 2.6 requeues it at its new priority. Linux: kernel/sched.c set_user_nice().
     */
    public void setNice(int pid, int nice) {
        Task t = requireTask(pid, "setNice");
        if (nice < -20 || nice > 19) throw new IllegalArgumentException("nice must be -20..19 (include/linux/sched.h), got " + nice);
        schedCalls.setUserNice(t, nice);
        afterOp("set_user_nice");
    }

    /**
     * What-if (2.4): sets a task's counter (ticks left in its quantum), 0..MAX_COUNTER (20), the
     * range 2.4 itself keeps a nice-0 counter in (LINUX-SPEC §13.9). Not a system call.
     */
    public void setCounter(int pid, int ticks) {
        if (version.is26()) throw new IllegalStateException("setCounter is the 2.4 goodness scheduler's counter; on 2.6 use setTimeSlice");
        Task t = requireTask(pid, "setCounter");
        if (ticks < 0 || ticks > Sched24.MAX_COUNTER) throw new IllegalArgumentException("counter must be 0.." + Sched24.MAX_COUNTER + " (MAX_COUNTER, §13.9), got " + ticks);
        t.setCounter(ticks);
        afterOp("set_counter");
    }

    /** What-if (2.6): sets a task's time_slice (ticks left before it expires), at least 1. Not a system call. */
    public void setTimeSlice(int pid, int ticks) {
        if (version.is24()) throw new IllegalStateException("setTimeSlice is the 2.6 O(1) scheduler's time_slice; on 2.4 use setCounter");
        Task t = requireTask(pid, "setTimeSlice");
        if (ticks < 1) throw new IllegalArgumentException("time_slice must be at least 1 tick, got " + ticks);
        t.timeSlice = ticks;
        afterOp("set_time_slice");
    }

    private Task requireTask(int pid, String what) {
        Task t = lookup(pid);
        if (t == null || t.hasExited()) throw new IllegalArgumentException(what + ": no live task with pid " + pid);
        return t;
    }

    /**
     * The task whose 8 KiB stack block holds {@code esp}: current = esp &amp; ~8191, where 2.4 keeps
     * the task_struct and 2.6 the thread_info whose -&gt;task this returns; null if no task's stack
     * is there. Linux: include/asm-i386/current.h, thread_info.h (R2.5).
     */
    public Task taskFromEsp(int esp) {
        int base = Task.currentFromEsp(esp);
        for (Task t : idle) if (t.stackPfn >= 0 && t.stackBase() == base) return t;
        for (Task t : taskList) if (t.stackPfn >= 0 && t.stackBase() == base) return t;
        return null;
    }

    /** schedule() on a CPU: pick the next task and switch to it. */
    public void schedule(int cpu) {
        sched.schedule(cpu);
        afterOp("schedule");
    }

    /** wake_up_process(pid): 1 if it was woken, 0 if it was already running, -ESRCH. */
    public int wakeUpProcess(int pid) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        return sched.wakeUpProcess(t, sched.anyCpu()) ? 1 : 0;
    }

    /** Puts a running task to sleep in TASK_INTERRUPTIBLE and schedules (what a blocking read does). */
    public int sleep(int pid) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int cpu = sched.runAs(t);
        t.state = TaskState.INTERRUPTIBLE;
        sched.schedule(cpu);
        afterOp("schedule");
        return 0;
    }

    /** Timer tick on a CPU: charges current, may set need_resched (update_process_times / scheduler_tick). */
    public void tick(int cpu) {
        sched.tick(cpu);
        afterOp("scheduler_tick");
    }

    /** Runs kernel threads that are runnable until every CPU idles or runs a user task (at most {@code maxSteps} steps). */
    public int runKernelThreads(int maxSteps) {
        int n = kthreads.runPending(maxSteps);
        afterOp("schedule");
        return n;
    }

    // ---- memory system calls ----

    /** mmap(addr, len, prot, flags) of anonymous memory as task {@code pid}: the address or -errno. Linux: mm/mmap.c do_mmap_pgoff(). */
    public long mmap(int pid, long addr, long len, int prot, int flags) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (t.mm == null) return Errno.EINVAL.neg();
        int cpu = sched.runAs(t);
        long r = doMmapAs(t, cpu, addr, len, prot, flags);
        sysReturn(t);
        afterOp("do_mmap");
        return r;
    }

    /** munmap(addr, len): 0 or -errno. Linux: mm/mmap.c do_munmap(). */
    public int munmap(int pid, long addr, long len) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (t.mm == null) return Errno.EINVAL.neg();
        int cpu = sched.runAs(t);
        int r = mm.mmap.doMunmap(cpu, t.mm, addr, len);
        sysReturn(t);
        afterOp("do_munmap");
        return r;
    }

    /** mprotect(addr, len, prot): 0 or -errno. Linux: mm/mprotect.c sys_mprotect(). */
    public int mprotect(int pid, long addr, long len, int prot) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (t.mm == null) return Errno.EINVAL.neg();
        int cpu = sched.runAs(t);
        int r = mm.mmap.mprotect(cpu, t.mm, addr, len, prot);
        sysReturn(t);
        afterOp("sys_mprotect");
        return r;
    }

    /**
     * mmap with the caller's RLIMIT_MEMLOCK and CAP_IPC_LOCK (root) for MAP_LOCKED / MCL_FUTURE.
     */
    private long doMmapAs(Task t, int cpu, long addr, long len, int prot, int flags) {
        return mm.mmap.doMmap(cpu, t.mm, addr, len, prot, flags, t.rlimitMemlock, t.uid == 0);
    }

    /** mlock(addr, len) as task {@code pid}: 0 or -errno; the pages are made present. Linux: mm/mlock.c sys_mlock(). */
    public int mlock(int pid, long addr, long len) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (t.mm == null) return Errno.EINVAL.neg();
        int cpu = sched.runAs(t);
        int r = mm.mlock.sysMlock(cpu, t.mm, addr, len, t.rlimitMemlock, t.uid == 0);
        sysReturn(t);
        afterOp("sys_mlock");
        return r;
    }

    /** munlock(addr, len) as task {@code pid}: 0 or -errno. Linux: mm/mlock.c sys_munlock(). */
    public int munlock(int pid, long addr, long len) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (t.mm == null) return Errno.EINVAL.neg();
        int cpu = sched.runAs(t);
        int r = mm.mlock.sysMunlock(cpu, t.mm, addr, len);
        sysReturn(t);
        afterOp("sys_munlock");
        return r;
    }

    /** mlockall(flags) as task {@code pid} (VmFlags.MCL_CURRENT | MCL_FUTURE): 0 or -errno. Linux: mm/mlock.c sys_mlockall(). */
    public int mlockall(int pid, int flags) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (t.mm == null) return Errno.EINVAL.neg();
        int cpu = sched.runAs(t);
        int r = mm.mlock.sysMlockall(cpu, t.mm, flags, t.rlimitMemlock, t.uid == 0);
        sysReturn(t);
        afterOp("sys_mlockall");
        return r;
    }

    /** munlockall() as task {@code pid}: 0 or -errno (2.4: -EPERM without root). Linux: mm/mlock.c sys_munlockall(). */
    public int munlockall(int pid) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (t.mm == null) return Errno.EINVAL.neg();
        int cpu = sched.runAs(t);
        int r = mm.mlock.sysMunlockall(cpu, t.mm, t.uid == 0);
        sysReturn(t);
        afterOp("sys_munlockall");
        return r;
    }

    /**
     * setrlimit(RLIMIT_MEMLOCK, bytes) as task {@code pid} (Long.MAX_VALUE = RLIM_INFINITY): 0, -EINVAL
     * for a negative value, -EPERM for raising it without root (the hard limit equals the soft
     * limit here). Linux: kernel/sys.c sys_setrlimit().
     */
    public int setRlimitMemlock(int pid, long bytes) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (bytes < 0) return Errno.EINVAL.neg();
        if (bytes > t.rlimitMemlock && t.uid != 0) return Errno.EPERM.neg();
        t.rlimitMemlock = bytes;
        return 0;
    }

    /** brk(addr): the new break. Linux: mm/mmap.c sys_brk(). */
    public long brk(int pid, long addr) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (t.mm == null) return Errno.EINVAL.neg();
        int cpu = sched.runAs(t);
        long r = mm.mmap.sysBrk(cpu, t.mm, addr);
        sysReturn(t);
        afterOp("sys_brk");
        return r;
    }

    /** A user-mode byte read by task {@code pid}: the byte, or -signal after the task was killed by it. */
    public int readByte(int pid, long va) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int cpu = sched.runAs(t);
        int r = t.mm == null ? -tasklab.mm.UserAccess.SIGKILL : mm.user.readByte(cpu, (int) va);
        // force_sig_info: a user handler runs and the task lives on; else the signal kills it. Init gets
        // no signals it doesn't want (R3.6): it survives its own bad access, the caller sees -signal.
        if (r < 0) exit.forceSig(t, -r, cpu);
        sysReturn(t);
        afterOp("do_page_fault");
        return r;
    }

    /** A user-mode byte write by task {@code pid}: 0, or -signal after the task was killed by it. */
    public int writeByte(int pid, long va, int value) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int cpu = sched.runAs(t);
        int r = t.mm == null ? -tasklab.mm.UserAccess.SIGKILL : mm.user.writeByte(cpu, (int) va, value);
        // force_sig_info: a user handler runs and the task lives on; else the signal kills it. Init gets
        // no signals it doesn't want (R3.6): it survives its own bad access, the caller sees -signal.
        if (r < 0) exit.forceSig(t, -r, cpu);
        sysReturn(t);
        afterOp("do_page_fault");
        return r;
    }

    // ---- kernel threads ----

    /** kernel_thread(fn, flags) as task {@code pid}: the new thread's pid or -errno. Linux: arch/i386/kernel/process.c. */
    public int kernelThread(int pid, String name, KernelThreadFn fn, int flags) {
        requireThreadArgs("kernel_thread", name, fn);
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = kthreads.kernelThread(t, name, fn, flags);
        afterOp("kernel_thread");
        return r;
    }

    private static void requireThreadArgs(String call, String name, KernelThreadFn fn) {
        if (fn == null) throw new IllegalArgumentException(call + " needs a KernelThreadFn (the thread's body), got null");
        if (name == null) throw new IllegalArgumentException(call + " needs a name for the thread's comm, got null");
    }

    /** daemonize() as kernel thread {@code pid} (the version's semantics). */
    public int daemonize(int pid, String name) {
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        kthreads.daemonize(t, name);
        afterOp("daemonize");
        return 0;
    }

    /** 2.6 kthread_create(threadfn, name) as task {@code pid}: the new thread's pid (asleep, not started) or -errno. Linux: kernel/kthread.c. */
    public int kthreadCreate(int pid, String name, KernelThreadFn fn) {
        requireThreadArgs("kthread_create", name, fn);
        Task t = lookup(pid);
        if (t == null) return Errno.ESRCH.neg();
        int r = kthreads.kthreadCreate(t, name, fn);
        afterOp("kthread_create");
        return r;
    }

    /** 2.6 kthread_run: kthread_create then wake_up_process. */
    public int kthreadRun(int pid, String name, KernelThreadFn fn) {
        int r = kthreadCreate(pid, name, fn);
        if (r > 0) wakeUpProcess(r);
        return r;
    }

    /** 2.6 kthread_stop(k) as task {@code pid}: threadfn's return value (-EINTR if it never ran). */
    public int kthreadStop(int pid, int k) {
        Task t = lookup(pid);
        Task kt = task(k);
        if (t == null || kt == null) return Errno.ESRCH.neg();
        int r = kthreads.kthreadStop(t, kt);
        afterOp("kthread_stop");
        return r;
    }

    /** kthread_should_stop() for the thread itself. */
    public boolean kthreadShouldStop(Task self) { return kthreads.stopTarget == self; }

    /** 2.6 kthread_bind(k, cpu): 0, or -EINVAL (with a WARN) unless k is a fresh TASK_UNINTERRUPTIBLE thread. */
    public int kthreadBind(int k, int cpu) {
        Task kt = task(k);
        if (kt == null) return Errno.ESRCH.neg();
        return kthreads.kthreadBind(kt, cpu);
    }

    // ---- programs and simulated time ----

    /** Registers a binary together with the program it runs after exec. */
    public void registerBinary(Binary b, tasklab.program.Program program) {
        registerBinary(b);
        programs.put(b.path(), program);
    }

    /** Makes task {@code pid} run {@code program} from its next step on. */
    public int setProgram(int pid, tasklab.program.Program program) {
        Task t = task(pid);
        if (t == null) return Errno.ESRCH.neg();
        if (program == null) throw new IllegalArgumentException("setProgram needs a program (Program.builder()...build())");
        t.cursor = new Cursor(program);
        if (t.pausedWithoutProgram && t.state == TaskState.INTERRUPTIBLE) sched.wakeUpProcess(t, t.processor);
        return 0;
    }

    /** Starts a workload process: init forks, the child execs /usr/bin/app and runs {@code program}. Returns its pid or -errno. */
    public int spawn(tasklab.program.Program program) { return spawn("/usr/bin/app", program); }

    /** init forks, the child execs {@code path} (a registered binary) and runs {@code program}. Returns its pid or -errno. */
    public int spawn(String path, tasklab.program.Program program) {
        if (program == null) throw new IllegalArgumentException("spawn needs a program (Program.builder()...build())");
        int pid = fork(1);
        if (pid <= 0) return pid;
        int r = execve(pid, path);
        if (r != 0) {
            exit(pid, 127);
            return r;
        }
        setProgram(pid, program);
        return pid;
    }

    private final List<Pipe> pipes = new java.util.ArrayList<>();

    /**
     * Makes a pipe (a one-page buffer and a wait queue, no file descriptors) and returns its number,
     * which programs pass to {@code pipeRead} / {@code pipeWrite}. Returns -ENOMEM when no frame is free.
     * Linux: fs/pipe.c do_pipe(), reduced to what lmbench's lat_ctx needs.
     */
    public int pipe() {
        int pfn = Pipe.allocBuffer(machine.mem());
        if (pfn < 0) return Errno.ENOMEM.neg();
        pipes.add(new Pipe(pipes.size(), pfn));
        return pipes.size() - 1;
    }

    /** Bytes written into pipe {@code n} since it was made (4 per write). */
    public long pipeWrites(int n) { return pipeObject(n).writes; }
    /** Reads from pipe {@code n} that returned data. */
    public long pipeReads(int n) { return pipeObject(n).reads; }

    Pipe pipeObject(int n) {
        if (n < 0 || n >= pipes.size()) {
            throw new IllegalArgumentException("No pipe " + n + ": make one with Kernel.pipe() first (" + pipes.size() + " made so far)");
        }
        return pipes.get(n);
    }

    /** The runner of simulated time (created on first use). */
    public ProgramRunner runner() {
        if (runner == null) runner = new ProgramRunner(this);
        return runner;
    }

    /** Runs simulated time for {@code cycles} cycles: programs execute, ticks arrive, sleepers wake. */
    public tasklab.time.RunResult run(long cycles) {
        if (cycles < 0) throw new IllegalArgumentException("cannot run for a negative time: " + cycles);
        return runner().runFor(cycles);
    }

    /** Runs simulated time for {@code ms} milliseconds of the CPU model's clock. */
    public tasklab.time.RunResult runMillis(long ms) {
        if (ms < 0) throw new IllegalArgumentException("cannot run for a negative time: " + ms + " ms");
        return run(ms * config.cpu().mhz() * 1000L);
    }

    /**
     * The engine's clock, in cycles: the cycle of the event being (or last) processed, or the end of
     * the last run. It moves only in run / step; system calls made directly (a notebook's fork or
     * write) charge the CPUs' cycle counters, not this clock. See {@link #nowCycles()}.
     */
    public long now() { return runner == null ? 0 : runner.engine().now(); }

    /**
     * Simulated time now, in cycles: the furthest of the engine's clock ({@link #now()}) and every
     * CPU's cycle counter, so it includes the work system calls did outside run / step (each CPU
     * counts its own cycles and may run ahead of the engine while it does costed work). It never
     * goes backwards.
     */
    public long nowCycles() {
        long t = now();
        for (int c = 0; c < nrCpus(); c++) t = Math.max(t, machine.cpu(c).cycles());
        return t;
    }

    // ---- bookkeeping used by the parts ----

    void hash(Task t) {
        pidHash[t.pid] = t;
        taskList.add(t);
        nrThreads++;
    }

    void unhash(Task t) {
        if (pidHash[t.pid] == t) pidHash[t.pid] = null;
        taskList.remove(t);
        nrThreads--;
    }

    void userInc(int uid) { userProcesses.merge(uid, 1, Integer::sum); }
    void userDec(int uid) { userProcesses.merge(uid, -1, Integer::sum); }
    /** user->processes for a uid. */ public int userProcesses(int uid) { return userProcesses.getOrDefault(uid, 0); }

    /** Registers the pid-space uses of a task (pid, pgrp, session, and tgid on 2.4). */
    void pidUsesGet(Task t, boolean includePid) {
        if (includePid) pids.get(t.pid);
        pids.get(t.pgrp);
        pids.get(t.session);
        if (pids.tgidCounts()) pids.get(t.tgid);
    }

    void pidUsesPut(Task t) {
        pids.put(t.pid);
        pids.put(t.pgrp);
        pids.put(t.session);
        if (pids.tgidCounts()) pids.put(t.tgid);
    }

    /** Changes a task's pgrp and session (setsid, daemonize, set_special_pids), keeping pid uses right. */
    void setPgrpSession(Task t, int pgrp, int session) {
        pids.put(t.pgrp);
        pids.put(t.session);
        t.pgrp = pgrp;
        t.session = session;
        pids.get(pgrp);
        pids.get(session);
    }

    /** Changes a task's tgid (2.4 de_thread), keeping pid uses right. */
    void setTgid(Task t, int tgid) {
        if (pids.tgidCounts()) { pids.put(t.tgid); pids.get(tgid); }
        t.tgid = tgid;
    }

    MmStruct initMm() { return mm.initMm(); }


    /** What a notebook shows for a kernel: version, hardware, task count, forks, simulated time. */
    @Override public String toString() {
        return "Linux " + version.release() + " on " + idle.length + " x " + config.cpu().name() + ": nr_threads " + nrThreads
                + ", total_forks " + totalForks + ", now " + now() + " cycles";
    }
}
