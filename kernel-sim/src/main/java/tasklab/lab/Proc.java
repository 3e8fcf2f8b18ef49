package tasklab.lab;

import java.util.List;
import tasklab.kernel.Binary;
import tasklab.kernel.CloneFlags;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelThreadFn;
import tasklab.kernel.Task;
import tasklab.kernel.Wait;
import tasklab.mm.MmStruct;
import tasklab.mm.VmFlags;

/**
 * A handle on one task (process, thread or kernel thread) with the system calls as methods, made
 * as that task. The plain methods return the result or throw {@link LabException} (errno, rule,
 * sentence); the {@code try...} methods return a {@link SysResult} and never throw for a failed
 * call. A handle stays valid after the task dies: calls then explain why they cannot run.
 * Example: {@code var c = p.fork(); c.write(p.heap(), 'C');}
 */
public final class Proc {
    private final Sim sim;
    private final Task task;
    private boolean kernelThread;     // what it was while alive: a dead task's mm is NULL either way

    Proc(Sim sim, Task task) {
        this.sim = sim;
        this.task = task;
        this.kernelThread = task.isKernelThread();
    }

    // ---- identity and state ----

    /** The task_struct behind the handle (for everything the lab does not show). */
    public Task task() { return task; }
    /** The pid (what gettid returns). Example: {@code p.pid()}. */
    public int pid() { return task.pid(); }
    /** The thread group id (what getpid returns). */
    public int tgid() { return task.tgid(); }
    /** getppid() as the version computes it (R4.5). */
    public int ppid() { return task.ppid(); }
    /** comm, the command name (15 characters at most). */
    public String comm() { return task.comm(); }
    /** ps-style state letter: R, S, D, Z, T, X. */
    public String state() { return task.stateLetter(); }
    /** The Linux state name: TASK_RUNNING, TASK_UNINTERRUPTIBLE, EXIT_ZOMBIE ... */
    public String stateName() { return task.stateName(); }
    /** Whether it is a kernel thread (mm is NULL). */
    public boolean isKernelThread() {
        if (!task.hasExited()) kernelThread = task.isKernelThread();
        return kernelThread;
    }
    /** Whether it has exited (a zombie, or reaped). */
    public boolean exited() { return task.hasExited(); }
    /** Whether it is a zombie waiting for its parent's wait4. */
    public boolean zombie() { return task.isZombie(); }
    /** Whether its task_struct has been released (reaped or self-reaped): the pid may be reused. */
    public boolean released() { return pid() > 0 && sim.kernel().task(pid()) != task; }
    /** The mm_struct (NULL for kernel threads). */
    public MmStruct mm() { return task.mm(); }
    /** active_mm: the mm whose page tables are loaded while it runs (borrowed by kernel threads). */
    public MmStruct activeMm() { return task.activeMm(); }
    /** The parent (real_parent / p_opptr), or null for idle tasks. */
    public Proc parent() { return task.realParent() == null ? null : sim.handle(task.realParent()); }
    /** The children, youngest first. */
    public List<Proc> children() { return task.children().stream().map(sim::handle).toList(); }
    /** The thread group, leader first. */
    public List<Proc> threads() { return task.threadGroup().stream().map(sim::handle).toList(); }
    /** "demo[5]" as explanations name it ([brackets] around kernel threads' names). */
    public String label() { return (isKernelThread() ? "[" + comm() + "]" : comm()) + "[" + pid() + "]"; }

    // ---- the address space a process gets from Sim.process ----

    /** The start of the heap (start_brk). Example: {@code p.write(p.heap(), 'P')}. */
    public long heap() { return needMm("heap()").startBrk(); }
    /** The end of the heap (brk). */
    public long brk() { return needMm("brk()").brk(); }
    /** The lowest address of the text segment (0x08048000). */
    public long text() { return Binary.TEXT_START; }
    /** An address in the stack's top page (the argument page exec wrote). */
    public long stack() { return needMm("stack()").startStack(); }

    private MmStruct needMm(String what) {
        if (task.mm() == null) {
            throw new LabException(what, label() + " is a kernel thread: it has no user address space (mm is NULL, R6.3)");
        }
        return task.mm();
    }

    // ---- process creation ----

    /** fork(): the child's handle. Example: {@code var c = p.fork();} (R5.1 / R5.2, R5.10, R5.11) */
    public Proc fork() { return child(tryFork()); }
    /** fork() without throwing. */
    public SysResult tryFork() { return sim.syscall(this, "fork()", "fork", CloneFlags.FORK, () -> k().fork(pid())); }

    /** vfork(): the parent sleeps until the child execs or exits (R5.17); returns the child. */
    public Proc vfork() { return child(tryVfork()); }
    /** vfork() without throwing. */
    public SysResult tryVfork() { return sim.syscall(this, "vfork()", "vfork", CloneFlags.VFORK, () -> k().vfork(pid())); }

    /**
     * clone(flags): the flags are ORed, e.g. {@code p.clone(CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD)}.
     * With no exit signal in the flags the child sends none; add {@code SIGCHLD} as for fork.
     */
    public Proc clone(int... flags) { return child(tryClone(flags)); }
    /** clone(flags) without throwing: a table of flags to results is one loop. */
    public SysResult tryClone(int... flags) {
        int f = or(flags);
        return sim.syscall(this, "clone(" + CloneFlags.describe(f) + ")", "clone", f, () -> k().clone(pid(), f));
    }

    /**
     * do_fork alone: the child exists, but nothing has been scheduled yet (on 2.6 the child-first
     * switch is still pending). Look around, then call {@link #returnToUser()}. Example:
     * {@code var c = p.forkNoSchedule(); sim.ps()}
     */
    public Proc forkNoSchedule(int... flags) {
        int f = flags.length == 0 ? CloneFlags.FORK : or(flags);
        return child(sim.syscall(this, "do_fork(" + CloneFlags.describe(f) + ")", "clone", f, () -> k().doFork(pid(), f)));
    }

    /** ret_from_sys_call: pending signals, then schedule() if need_resched (finishes {@link #forkNoSchedule}). */
    public Proc returnToUser() {
        sim.syscall(this, "ret_from_sys_call", "ret_from_sys_call", 0, () -> k().retFromSysCall(pid())).orThrow();
        return this;
    }

    /** execve(path): a new program (R10.1 / R10.3); "/bin/sh", "/bin/true", "/usr/bin/app", or a registered binary. */
    public Proc exec(String path) { tryExec(path).orThrow(); return this; }
    /** execve(path) without throwing. */
    public SysResult tryExec(String path) {
        if (path == null) throw new LabException("execve", "execve needs a path, e.g. \"/bin/sh\"");
        return sim.syscall(this, "execve(\"" + path + "\")", "execve", 0, () -> k().execve(pid(), path));
    }

    /** exit(code): the task becomes a zombie until its parent waits (R11.1). */
    public void exit(int code) { sim.syscall(this, "exit(" + code + ")", "exit", code, () -> k().exit(pid(), code)).orThrow(); }

    /** exit_group(code): every thread of the group exits (2.6; -ENOSYS on 2.4). */
    public void exitGroup(int code) { tryExitGroup(code).orThrow(); }
    /** exit_group(code) without throwing. */
    public SysResult tryExitGroup(int code) {
        return sim.syscall(this, "exit_group(" + code + ")", "exit_group", code, () -> k().exitGroup(pid(), code));
    }

    /** wait4(-1, &amp;status, 0): reaps any child; the pid and the decoded status (R11.9 / R11.10, R11.11). */
    public WaitStatus waitAny() { return wait(-1, 0); }
    /** wait4(child, &amp;status, 0). */
    public WaitStatus wait(Proc child) { return wait(child.pid(), 0); }

    /**
     * wait4(pid, &amp;status, options) with options ORed from {@code Wait.WNOHANG}, {@code Wait.WUNTRACED},
     * {@code Wait.WCONTINUED} (2.6), {@code Wait.WALL}, {@code Wait.WCLONE}. Returns null when WNOHANG found nothing yet; throws if the call
     * would block (nothing to reap yet: let the child exit first) or fails.
     */
    public WaitStatus wait(int pid, int options) {
        SysResult r = tryWait(pid, options);
        r.orThrow();
        if (r.value() == 0) return null;
        return new WaitStatus(r.intValue(), task.lastWaitStatus());
    }

    /** wait4 without throwing; a blocked wait is a misuse result saying the task now sleeps. */
    public SysResult tryWait(int pid, int options) {
        return sim.syscall(this, "wait4(" + pid + (options == 0 ? "" : ", " + waitOptions(options)) + ")", "wait4", options,
            () -> {
                int r = k().wait4(pid(), pid, options);
                return r == Kernel.WAIT_BLOCKED ? Sim.BLOCKED : r;
            });
    }

    static String waitOptions(int o) {
        StringBuilder b = new StringBuilder();
        int[] bits = {Wait.WNOHANG, Wait.WUNTRACED, Wait.WCONTINUED, Wait.WCLONE, Wait.WALL, Wait.WNOTHREAD};
        String[] names = {"WNOHANG", "WUNTRACED", "WCONTINUED", "__WCLONE", "__WALL", "__WNOTHREAD"};
        int rest = o;
        for (int i = 0; i < bits.length; i++) {
            if ((o & bits[i]) != 0) { b.append(names[i]).append('|'); rest &= ~bits[i]; }
        }
        if (rest != 0) b.append(String.format("0x%x|", rest));
        return b.length() == 0 ? "0" : b.substring(0, b.length() - 1);
    }

    /** kill(target, sig), sent by this task. Example: {@code init.kill(c, Signals.SIGKILL)}. */
    public void kill(Proc target, int sig) { tryKill(target, sig).orThrow(); }
    /** kill without throwing. */
    public SysResult tryKill(Proc target, int sig) {
        return sim.syscall(this, "kill(" + target.pid() + ", " + tasklab.kernel.Signals.name(sig) + ")", "kill", sig,
            () -> k().kill(pid(), target.pid(), sig));
    }

    /** sigaction(sig, SIG_DFL / SIG_IGN / a handler): Signals.SIG_DFL, SIG_IGN or SIG_HANDLER. */
    public void sigaction(int sig, int disposition) {
        sim.syscall(this, "sigaction(" + tasklab.kernel.Signals.name(sig) + ")", "sigaction", sig,
            () -> k().sigaction(pid(), sig, disposition)).orThrow();
    }

    // ---- memory ----

    /** mmap(NULL, len, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS): the address. Example: {@code long a = p.mmap(16 * 4096);} */
    public long mmap(long len) { return mmap(len, VmFlags.PROT_READ | VmFlags.PROT_WRITE, VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS); }
    /** mmap(NULL, len, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS): memory a fork shares instead of copying (R9.8). */
    public long mmapShared(long len) { return mmap(len, VmFlags.PROT_READ | VmFlags.PROT_WRITE, VmFlags.MAP_SHARED | VmFlags.MAP_ANONYMOUS); }
    /** mmap(NULL, len, prot, flags) with VmFlags.PROT_* and MAP_*. */
    public long mmap(long len, int prot, int flags) { return tryMmap(0, len, prot, flags).orThrow(); }
    /** mmap without throwing. */
    public SysResult tryMmap(long addr, long len, int prot, int flags) {
        return sim.syscall(this, String.format("mmap(0x%x, %d, %s, %s)", addr, len, Names.prot(prot), Names.map(flags)),
            "mmap", 0, () -> k().mmap(pid(), addr, len, prot, flags));
    }
    /** munmap(addr, len). */
    public void munmap(long addr, long len) { tryMunmap(addr, len).orThrow(); }
    /** munmap without throwing. */
    public SysResult tryMunmap(long addr, long len) {
        return sim.syscall(this, String.format("munmap(0x%x, %d)", addr, len), "munmap", 0, () -> k().munmap(pid(), addr, len));
    }
    /** mprotect(addr, len, prot). */
    public void mprotect(long addr, long len, int prot) { tryMprotect(addr, len, prot).orThrow(); }
    /** mprotect without throwing. */
    public SysResult tryMprotect(long addr, long len, int prot) {
        return sim.syscall(this, String.format("mprotect(0x%x, %d, %s)", addr, len, Names.prot(prot)), "mprotect", 0,
            () -> k().mprotect(pid(), addr, len, prot));
    }
    /** brk(addr): moves the end of the heap; returns the new break. Example: {@code p.brk(p.heap() + 8 * 4096)}. */
    public long brk(long addr) {
        return sim.syscall(this, String.format("brk(0x%x)", addr), "brk", 0, () -> k().brk(pid(), addr)).orThrow();
    }

    /** A user-mode write of one byte: faults as the hardware and kernel decide (R9.2-R9.6). Example: {@code p.write(p.heap(), 'P')}. */
    public void write(long addr, int value) { tryWrite(addr, value).orThrow(); }
    /** write without throwing: a SIGSEGV comes back as a killed result. */
    public SysResult tryWrite(long addr, int value) { return sim.access(this, addr, true, value); }
    /** A user-mode read of one byte: the byte. */
    public int read(long addr) { return (int) tryRead(addr).orThrow(); }
    /** read without throwing. */
    public SysResult tryRead(long addr) { return sim.access(this, addr, false, 0); }

    /** Writes a string's bytes (ASCII) from {@code addr} on, one user-mode write per byte. Example: {@code p.write(p.heap(), "hello")}. */
    public void write(long addr, String text) {
        if (text == null) throw new LabException("write", "write needs a string, e.g. \"hello\"");
        for (int i = 0; i < text.length(); i++) write(addr + i, text.charAt(i) & 0xff);
    }

    /** Reads {@code len} bytes from {@code addr} as a string (up to the first NUL byte). Example: {@code c.readString(p.heap(), 5)}. */
    public String readString(long addr, int len) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int v = read(addr + i);
            if (v == 0) break;
            b.append((char) v);
        }
        return b.toString();
    }

    /** Writes {@code value} to the first byte of every page in [addr, addr + len): makes the pages resident and dirty. */
    public void touch(long addr, long len, int value) {
        for (long a = addr & ~4095L; a < addr + len; a += 4096) write(Math.max(a, addr), value);
    }

    // ---- scheduling ----

    /** sched_yield() (R7.5). */
    public void yield() { sim.syscall(this, "sched_yield()", "sched_yield", 0, () -> k().schedYield(pid())).orThrow(); }
    /** Sleeps in TASK_INTERRUPTIBLE until {@link #wake()} (what a blocking read does). */
    public void sleep() { sim.syscall(this, "sleep()", "schedule", 0, () -> k().sleep(pid())).orThrow(); }
    /** wake_up_process(): true if it was asleep (R7.4). */
    public boolean wake() { return sim.syscall(this, "wake_up_process()", "wake_up_process", 0, () -> k().wakeUpProcess(pid()), false).orThrow() == 1; }
    /** sched_setaffinity(mask) on this task, by itself (2.6; -ENOSYS on 2.4). Example: {@code p.setAffinity(0b10)} pins to CPU 1. */
    public void setAffinity(int mask) {
        sim.syscall(this, String.format("sched_setaffinity(%d, 0x%x)", pid(), mask), "sched_setaffinity", mask,
            () -> k().schedSetaffinity(pid(), pid(), mask)).orThrow();
    }

    // ---- kernel threads ----

    /**
     * kernel_thread(fn, flags) called by this task: the child always shares this task's mm
     * (CLONE_VM, R6.2) until it calls {@link #daemonize(String)}. Example:
     * {@code var kt = sim.init().kernelThread("worker", KernelThreadFn.sleeper());}
     */
    public Proc kernelThread(String name, KernelThreadFn fn, int... flags) {
        if (fn == null || name == null) throw new LabException("kernel_thread", "kernel_thread needs a name and a body, e.g. KernelThreadFn.sleeper()");
        int f = or(flags);
        return child(sim.syscall(this, "kernel_thread(" + name + ", " + CloneFlags.describe(f) + ")", "kernel_thread", f,
            () -> k().kernelThread(pid(), name, fn, f)));
    }

    /** daemonize(name), run by this kernel thread: drops its user mm (exit_mm), reparents (R6.4 / R6.8). */
    public Proc daemonize(String name) {
        sim.syscall(this, "daemonize(" + name + ")", "daemonize", 0, () -> k().daemonize(pid(), name)).orThrow();
        return this;
    }

    /** kthread_stop(this), asked by kthreadd's caller (2.6, R6.15): threadfn's return value. */
    public int kthreadStop() { return (int) tryKthreadStop().orThrow(); }

    /** kthread_stop(this) without throwing: -EINTR as a result when threadfn never ran (R6.15). Example: {@code k.tryKthreadStop()}. */
    public SysResult tryKthreadStop() {
        return sim.syscall(sim.init(), "kthread_stop(" + pid() + ")", "kthread_stop", 0,
            () -> k().kthreadStop(1, pid()), false);
    }

    /** kthread_bind(this, cpu) (2.6, R6.16): only before the thread first runs. */
    public void kthreadBind(int cpu) { tryKthreadBind(cpu).orThrow(); }

    /** kthread_bind(this, cpu) without throwing: a result naming R6.16 when the thread has already run. */
    public SysResult tryKthreadBind(int cpu) {
        return sim.syscall(this, "kthread_bind(" + cpu + ")", "kthread_bind", cpu, () -> k().kthreadBind(pid(), cpu), false);
    }

    // ---- process groups and sessions ----

    /** The process group id. */ public int pgrp() { return task.pgrp(); }
    /** The session id. */ public int session() { return task.session(); }

    /** setpgid(0, pgid): moves this task into process group {@code pgid} (0 = its own pid). Example: {@code c.setpgid(0)}. */
    public void setpgid(int pgid) { setpgid(this, pgid); }
    /** setpgid(target, pgid), by this task (a parent may move a child that has not exec'd yet). */
    public void setpgid(Proc target, int pgid) {
        sim.syscall(this, "setpgid(" + target.pid() + ", " + pgid + ")", "setpgid", pgid,
            () -> k().setpgid(pid(), target.pid(), pgid)).orThrow();
    }
    /** setsid(): a new session and process group led by this task; the new session id. */
    public int setsid() { return (int) sim.syscall(this, "setsid()", "setsid", 0, () -> k().setsid(pid())).orThrow(); }
    /** getpgid(target) as this task. */
    public int getpgid(Proc target) {
        return (int) sim.syscall(this, "getpgid(" + target.pid() + ")", "getpgid", 0, () -> k().getpgid(pid(), target.pid())).orThrow();
    }
    /** getsid(target) as this task. */
    public int getsid(Proc target) {
        return (int) sim.syscall(this, "getsid(" + target.pid() + ")", "getsid", 0, () -> k().getsid(pid(), target.pid())).orThrow();
    }

    // ---- scheduling parameters ----

    /** The scheduling policy: SchedPolicy.SCHED_OTHER, SCHED_FIFO or SCHED_RR. */ public int policy() { return task.policy(); }
    /** rt_priority (1-99 for real-time tasks, 0 otherwise). */ public int rtPriority() { return task.rtPriority(); }
    /** nice (-20..19). */ public int nice() { return task.nice(); }
    /** 2.4 counter: ticks left in this epoch. */ public int counter() { return task.counter(); }
    /** 2.6 time_slice: ticks left. */ public int timeSlice() { return task.timeSlice(); }
    /** 2.6 prio (0-99 real time, 100-139 normal). */ public int prio() { return task.prio(); }
    /** need_resched: the scheduler runs at the next return to user mode. */ public boolean needResched() { return task.needResched(); }
    /** cpus_allowed as a bit mask. */ public int cpusAllowed() { return task.cpusAllowed(); }

    /** sched_setscheduler(this, policy, priority), by this task (root): real-time tasks beat every SCHED_OTHER task. Example: {@code p.setScheduler(SchedPolicy.SCHED_FIFO, 50)}. */
    public void setScheduler(int policy, int priority) { trySetScheduler(policy, priority).orThrow(); }
    /** sched_setscheduler without throwing. */
    public SysResult trySetScheduler(int policy, int priority) {
        return sim.syscall(this, "sched_setscheduler(" + pid() + ", " + tasklab.kernel.SchedPolicy.name(policy) + ", " + priority + ")",
            "sched_setscheduler", policy, () -> k().schedSetscheduler(pid(), pid(), policy, priority));
    }
    /** nice(increment): the new nice value. Example: {@code p.nice(5)}. */
    public int nice(int increment) {
        sim.syscall(this, "nice(" + increment + ")", "nice", increment, () -> k().nice(pid(), increment)).orThrow();
        return task.nice();
    }
    /** What-if: sets nice directly, as if set at creation (no permission check, no system call). */
    public Proc setNice(int value) { sim.whatIf(this, "nice = " + value, () -> k().setNice(pid(), value)); return this; }
    /** What-if: sets the 2.4 counter (ticks left) directly. Example: {@code p.setCounter(1)}. */
    public Proc setCounter(int ticks) { sim.whatIf(this, "counter = " + ticks, () -> k().setCounter(pid(), ticks)); return this; }
    /** What-if: sets the 2.6 time_slice (ticks left) directly. */
    public Proc setTimeSlice(int ticks) { sim.whatIf(this, "time_slice = " + ticks, () -> k().setTimeSlice(pid(), ticks)); return this; }

    // ---- locked memory ----

    /** mlock(addr, len): the pages are made present and stay (VM_LOCKED; fork's child does not inherit it, R5.10). */
    public void mlock(long addr, long len) {
        sim.syscall(this, String.format("mlock(0x%x, %d)", addr, len), "mlock", 0, () -> k().mlock(pid(), addr, len)).orThrow();
    }
    /** munlock(addr, len). */
    public void munlock(long addr, long len) {
        sim.syscall(this, String.format("munlock(0x%x, %d)", addr, len), "munlock", 0, () -> k().munlock(pid(), addr, len)).orThrow();
    }
    /** mlockall(flags) with VmFlags.MCL_CURRENT / MCL_FUTURE. */
    public void mlockall(int flags) {
        sim.syscall(this, "mlockall(" + flags + ")", "mlockall", flags, () -> k().mlockall(pid(), flags)).orThrow();
    }
    /** munlockall(). */
    public void munlockall() { sim.syscall(this, "munlockall()", "munlockall", 0, () -> k().munlockall(pid())).orThrow(); }

    // ---- ptrace ----

    /** ptrace(request, target, data) by this task, with Ptrace.TRACEME / ATTACH / DETACH / CONT / KILL / SETOPTIONS. Example: {@code dbg.ptrace(Ptrace.ATTACH, p, 0)}. */
    public long ptrace(int request, Proc target, int data) {
        return tryPtrace(request, target, data).orThrow();
    }
    /** ptrace without throwing. */
    public SysResult tryPtrace(int request, Proc target, int data) {
        int t = target == null ? 0 : target.pid();
        return sim.syscall(this, "ptrace(" + request + ", " + t + ", " + data + ")", "ptrace", request, () -> k().ptrace(pid(), request, t, data));
    }

    // ---- helpers ----

    private Kernel k() { return sim.kernel(); }

    private Proc child(SysResult r) {
        r.orThrow();
        return sim.handle(sim.kernel().task(r.intValue()));
    }

    private static int or(int... flags) {
        int f = 0;
        for (int x : flags) f |= x;
        return f;
    }

    // ---- pictures ----

    /** The 8 KiB kernel stack: the two pages, thread_info / task_struct at the base, esp, and current = esp &amp; ~8191. Example: {@code p.kernelStack()}. */
    public KernelStack kernelStack() { return KernelStack.of(sim, this); }

    /** The 3G/1G split: the user VMAs below 0xC0000000 and the kernel half every process shares. Example: {@code p.addressSpace()}. */
    public AddressSpace addressSpace() { return AddressSpace.of(sim, this); }

    @Override public String toString() {
        return label() + " " + stateName() + (task.mm() == null ? "" : " mm#" + task.mm().id());
    }
}
