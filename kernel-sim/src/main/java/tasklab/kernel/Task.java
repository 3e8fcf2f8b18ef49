package tasklab.kernel;

import java.util.ArrayList;
import java.util.List;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;
import tasklab.mm.MmTask;

/**
 * task_struct: one schedulable task (process or thread). Field names follow 2.4
 * (p_opptr / p_pptr) with the 2.6 names alongside (real_parent / parent). The kernel stack is a
 * real 8 KiB order-1 block of physical memory: in 2.4 task_struct sits at its base, in 2.6
 * thread_info does, and {@code current} is found by masking esp.
 * Linux: include/linux/sched.h struct task_struct (LINUX-SPEC §2.1, §2.5).
 */
public final class Task implements MmTask {
    /** PF_STARTING (2.6): being created. */ public static final int PF_STARTING = 0x00000002;
    /** PF_EXITING: in do_exit. */ public static final int PF_EXITING = 0x00000004;
    /** PF_FORKNOEXEC: forked but has not exec'd. */ public static final int PF_FORKNOEXEC = 0x00000040;
    /** PF_SUPERPRIV: used super-user privileges. */ public static final int PF_SUPERPRIV = 0x00000100;
    /** PF_SIGNALED: killed by a signal. */ public static final int PF_SIGNALED = 0x00000400;
    /** PF_NOFREEZE (2.6): kthreadd and friends. */ public static final int PF_NOFREEZE = 0x00008000;
    /** PF_USEDFPU (2.4): used the FPU this quantum. */ public static final int PF_USEDFPU = 0x00100000;
    /** THREAD_SIZE: 8 KiB kernel stacks. */ public static final int THREAD_SIZE = 8192;
    /** TASK_COMM_LEN. */ public static final int TASK_COMM_LEN = 16;

    final Kernel kernel;
    // identity
    int pid;
    int tgid;
    int pgrp;
    int session;
    boolean leader;
    String comm;
    int commId;                 // comm as a trace string id (the switch path records numbers only)
    int uid;
    // state
    int state;
    int exitState;
    int flags;
    int exitCode;
    int exitSignal;
    int pdeathSignal;
    int ptrace;                 // PT_PTRACED ...: set by PTRACE_TRACEME / ATTACH, inherited with CLONE_PTRACE
    long pendingSignals;
    boolean continued;          // 2.6 signal->flags SIGNAL_STOP_CONTINUED: a SIGCONT woke it, not yet reported to WCONTINUED
    // scheduling
    int counter;
    int nice;
    int policy;                 // SCHED_OTHER 0, SCHED_FIFO 1, SCHED_RR 2 (2.6 also SCHED_BATCH 3)
    int rtPriority;             // rt_priority: 1..99 for SCHED_FIFO / SCHED_RR, 0 otherwise
    boolean needResched;
    int processor;
    int cpusAllowed = -1;
    boolean onCpu;
    boolean onRunqueue;
    boolean yielded;            // 2.4 SCHED_YIELD bit of policy
    int staticPrio = 120;
    int prio = 120;
    int timeSlice;
    /** 2.6: the priority array the task is queued on (p->array), null when it is not queued. */
    Sched26.PrioArray array;
    /** 2.6: the array the next enqueue uses, as the kernel's callers pick rq->active or rq->expired. */
    boolean toExpired;
    long nvcsw;
    long nivcsw;
    int runList;                // id of the runqueue list it is on (run_list), 0 = none
    int runNext;                // pid of the next task on that list, 0 = none (see RunList)

    /** 2.6: whether the task is on its runqueue's expired array (p->array == rq->expired); unqueued: where it goes next. */
    boolean expired() { return array != null ? array.expired : toExpired; }
    int runPrev;
    long counterEpoch;          // 2.4: the recalculation the counter is up to date with (see Sched24)
    // memory
    MmStruct mm;
    MmStruct activeMm;
    long minFlt;
    long majFlt;
    long cminFlt;
    long cmajFlt;
    // family
    Task realParent;            // p_opptr / real_parent
    Task parent;                // p_pptr / parent
    final List<Task> children = new ArrayList<>();   // youngest first, as p_cptr / p_osptr
    Task groupLeader;
    List<Task> threadGroup;     // shared by the group, leader first
    Completion vforkDone;
    // resources
    Shared files;
    Shared fs;
    Shared sighand;
    Shared signal;
    int selfExecId;
    int parentExecId;
    boolean didExec;
    int usage;                  // 2.6 task_struct refcount
    // the kernel stack: an order-1 block; esp within it
    int stackPfn = -1;
    /** The L1 slots where the switch last found this task's first stack line and top stack line (hints; -1 = none). */
    int footHintLow = -1;
    int footHintTop = -1;
    /** The dTLB slot of the 4 MiB entry mapping this task's stack block, valid while footStamp is current. */
    int footLarge = -1;
    /** The CPU's footprint stamp when the hints and footLarge were last seen to hold (-1 = never). */
    long footStamp = -1;
    int esp;
    int eip;
    int savedEax;               // childregs->eax as copy_thread left it
    // what the task runs
    Cursor cursor;
    boolean pausedWithoutProgram;
    long sleepToken;
    KernelThreadFn threadFn;
    String execPath;
    // last results for the step API
    int lastWaitStatus;
    long startCycle;
    int rlimitNproc = Integer.MAX_VALUE;
    long rlimitMemlock;         // RLIMIT_MEMLOCK in bytes (set at boot per version, inherited by fork)
    // 2.6 CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID / CLONE_SETTLS: user addresses (0 = none), TLS descriptors
    long setChildTid;
    boolean scheduleTailPending;    // not yet switched in since fork (ret_from_fork -> schedule_tail)
    long clearChildTid;
    long[] tlsBase;             // thread.tls_array[GDT_ENTRY_TLS_MIN..MAX]: base address (0 = empty); null until CLONE_SETTLS sets one
    boolean waitingInWait4;
    KThreads.CreateInfo kthread;
    boolean kthreadStarted;
    int kthreadFlags;
    int waitPid;
    int waitOptions;

    /** A thread group of one, {@code leader} (a fork without CLONE_THREAD); sized for one, as most processes stay single-threaded. */
    static List<Task> soloThreadGroup(Task leader) {
        List<Task> g = new ArrayList<>(1);
        g.add(leader);
        return g;
    }

    Task(Kernel kernel) {
        this.kernel = kernel;
        this.counterEpoch = kernel.sched == null ? 0 : kernel.sched.recalcEpoch;
    }

    // ---- MmTask ----
    @Override public MmStruct mm() { return mm; }
    @Override public MmStruct activeMm() { return activeMm; }
    @Override public int pid() { return pid; }
    @Override public void countMinorFault() { minFlt++; }
    @Override public void countMajorFault() { majFlt++; }

    // ---- reading ----
    /** tgid: the thread group id (what getpid returns). */ public int tgid() { return tgid; }
    /** Process group. */ public int pgrp() { return pgrp; }
    /** Session. */ public int session() { return session; }
    /** comm (at most 15 characters). */ public String comm() { return comm; }

    /** Sets comm, keeping its trace id in step. Linux: set_task_comm(). */
    void setComm(String name) {
        comm = name;
        commId = kernel.trace.intern(name);
    }
    /** Owner uid. */ public int uid() { return uid; }
    /** The raw state value of the simulated version. */ public int state() { return state; }
    /** 2.6 exit_state (0 while alive; always 0 on 2.4). */ public int exitState() { return exitState; }
    /** Linux name of the state ("TASK_RUNNING", "TASK_ZOMBIE", "EXIT_ZOMBIE"...). */ public String stateName() { return TaskState.name(this); }
    /** ps-style state letter. */ public String stateLetter() { return TaskState.letter(this); }
    /** PF_* flags. */ public int flags() { return flags; }
    /** exit_code (status word). */ public int exitCode() { return exitCode; }
    /** exit_signal (-1 = self-reaping in 2.6). */ public int exitSignal() { return exitSignal; }
    /** 2.4 counter (ticks left). */
    public int counter() {
        if (counterEpoch != kernel.sched.recalcEpoch) Sched24.catchUp(this, kernel.sched.recalcEpoch);
        return counter;
    }

    /** Sets the 2.4 counter, up to date with the latest recalculation. */
    void setCounter(int ticks) {
        counter = ticks;
        counterEpoch = kernel.sched.recalcEpoch;
    }
    /** nice. */ public int nice() { return nice; }
    /** 2.6 static_prio (120 + nice). */ public int staticPrio() { return staticPrio; }
    /** 2.6 prio. */ public int prio() { return prio; }
    /** 2.6 time_slice (ticks). */ public int timeSlice() { return timeSlice; }
    /** need_resched. */ public boolean needResched() { return needResched; }
    /** The CPU it last ran on (processor / thread_info->cpu). */ public int processor() { return processor; }
    /** Whether it is running on a CPU now. */ public boolean onCpu() { return onCpu; }
    /** Whether it is on a runqueue. */ public boolean onRunqueue() { return onRunqueue; }
    /** nvcsw: voluntary context switches (2.6). */ public long nvcsw() { return nvcsw; }
    /** nivcsw: involuntary context switches (2.6). */ public long nivcsw() { return nivcsw; }
    /** min_flt. */ public long minFlt() { return minFlt; }
    /** maj_flt. */ public long majFlt() { return majFlt; }
    /** cmin_flt (reaped children's minor faults). */ public long cminFlt() { return cminFlt; }
    /** p_opptr / real_parent (null for idle tasks). */ public Task realParent() { return realParent; }
    /** p_pptr / parent. */ public Task parent() { return parent; }
    /** Children, youngest first. */ public List<Task> children() { return List.copyOf(children); }
    /** group_leader (2.6) / the task whose pid is the tgid. */ public Task groupLeader() { return groupLeader; }
    /** The thread group, leader first (a copy). */ public List<Task> threadGroup() { return List.copyOf(threadGroup); }
    /** files_struct. */ public Shared files() { return files; }
    /** fs_struct. */ public Shared fs() { return fs; }
    /** Signal handlers (2.4 sig / 2.6 sighand). */ public Shared sighand() { return sighand; }
    /** 2.6 signal_struct (null on 2.4). */ public Shared signal() { return signal; }
    /** Whether it is a kernel thread (no user address space). */ public boolean isKernelThread() { return mm == null; }
    /** Whether it is a zombie (2.4 TASK_ZOMBIE, 2.6 EXIT_ZOMBIE). */
    public boolean isZombie() {
        return kernel.version().is24() ? state == TaskState.ZOMBIE_24 : exitState == TaskState.EXIT_ZOMBIE;
    }
    /** Whether do_exit has finished (zombie or dead). */
    public boolean hasExited() {
        return kernel.version().is24() ? state == TaskState.ZOMBIE_24 : exitState != 0;
    }
    /** The pending signal set (bit n-1 for signal n). */ public long pendingSignals() { return pendingSignals; }
    /** Whether it is a user task with no program that sleeps until the next command (the lab and step API wake it on a call). */ public boolean pausedWithoutProgram() { return pausedWithoutProgram; }
    /** did_exec. */ public boolean didExec() { return didExec; }
    /** The program it runs (set by exec), or null. */ public String execPath() { return execPath; }
    /** The status word of its last successful wait4. */ public int lastWaitStatus() { return lastWaitStatus; }
    /** getppid() as the version computes it: 2.4 p_opptr->pid, 2.6 real_parent->tgid. (R4.5) */
    public int ppid() {
        if (realParent == null) return 0;
        return kernel.version().is24() ? realParent.pid : realParent.tgid;
    }

    /** Physical address of the 8 KiB kernel stack block (task_union / thread_union). */
    public long stackPhys() { return (long) stackPfn << Pte.PAGE_SHIFT; }
    /** Kernel virtual address of the stack block (direct map), where task_struct (2.4) or thread_info (2.6) sits. */
    public int stackBase() { return Pte.PAGE_OFFSET + (stackPfn << Pte.PAGE_SHIFT); }
    /** The saved kernel stack pointer (thread.esp). */ public int esp() { return esp; }

    /**
     * Bytes below the top of the stack block where copy_thread puts the child's pt_regs (and so its
     * thread.esp): 2.4 sizeof(struct pt_regs) = 60; 2.6.22 8 + 64 (task_pt_regs reserves 8 bytes on top).
     * Linux: arch/i386/kernel/process.c copy_thread(), include/asm-i386/processor.h task_pt_regs().
     */
    public static int childRegsOffset(KernelVersion v) { return v.is24() ? 60 : 8 + 64; }

    /** current: esp &amp; ~(THREAD_SIZE - 1), the base of the stack block. Linux: include/asm-i386/current.h. */
    public static int currentFromEsp(int esp) { return esp & ~(THREAD_SIZE - 1); }

    // ---- issue 15: state the rule book talks about ----
    /** cpus_allowed: the CPUs it may run on (bit per CPU). Linux: include/linux/sched.h task_struct.cpus_allowed. */
    public int cpusAllowed() { return cpusAllowed; }
    /** self_exec_id: bumped by each exec and by reparenting (2.4 forget_original_parent). Linux: fs/exec.c, kernel/exit.c. */
    public int selfExecId() { return selfExecId; }
    /** parent_exec_id: the parent's self_exec_id at fork (R5.13). Linux: kernel/fork.c. */
    public int parentExecId() { return parentExecId; }
    /** ptrace flags (PT_PTRACED = 1 when traced). Linux: include/linux/ptrace.h. */
    public int ptrace() { return ptrace; }
    /** policy: SCHED_OTHER 0, SCHED_FIFO 1, SCHED_RR 2 (2.6 SCHED_BATCH 3). Linux: include/linux/sched.h. */
    public int policy() { return policy; }
    /** rt_priority: 1..99 for a real-time policy, else 0. Linux: include/linux/sched.h. */
    public int rtPriority() { return rtPriority; }
    /** RLIMIT_MEMLOCK in bytes (Long.MAX_VALUE = RLIM_INFINITY). Linux: include/asm-i386/resource.h. */
    public long rlimitMemlock() { return rlimitMemlock; }
    /** RLIMIT_NPROC (Integer.MAX_VALUE = RLIM_INFINITY). */
    public int rlimitNproc() { return rlimitNproc; }
    /** 2.6 set_child_tid: where schedule_tail writes the child's pid (CLONE_CHILD_SETTID), 0 = none. Linux: kernel/sched.c schedule_tail(). */
    public long setChildTid() { return setChildTid; }
    /** 2.6 clear_child_tid: zeroed with a FUTEX_WAKE at mm_release (CLONE_CHILD_CLEARTID), 0 = none. Linux: kernel/fork.c mm_release(). */
    public long clearChildTid() { return clearChildTid; }
    /** 2.6 thread.tls_array[entry - 6].base for GDT entries 6..8 (CLONE_SETTLS), 0 = empty. Linux: arch/i386/kernel/process.c copy_thread(). */
    public long tlsBase(int entry) {
        if (entry < 6 || entry > 8) throw new IllegalArgumentException("TLS GDT entries are 6..8 (GDT_ENTRY_TLS_MIN..MAX), got " + entry);
        return tlsBase == null ? 0 : tlsBase[entry - 6];
    }

    /**
     * The task usage count: 2.6 task_struct->usage (2 after dup_task_struct: "one for us, one for
     * release_task"); 2.4 has no such field and get_task_struct() counts on the page of the
     * task_union, so this is that page's count. Linux: include/linux/sched.h get_task_struct().
     */
    public int usage() {
        if (kernel.version().is26()) return usage;
        return stackPfn < 0 ? 0 : kernel.machine.mem().count(stackPfn);
    }

    /**
     * thread_info->task (2.6): the task_struct the thread_info at the base of this stack points
     * to, i.e. this task. 2.4 has no thread_info (task_struct itself sits there): an
     * IllegalStateException says so. Linux: include/asm-i386/thread_info.h (R2.5).
     */
    public Task threadInfoTask() {
        if (kernel.version().is24()) throw new IllegalStateException("2.4 has no thread_info: task_struct itself sits at the stack base (R2.5); use Kernel.taskFromEsp");
        return this;
    }

    /**
     * thread.esp0: the top of the kernel stack loaded into the TSS on a switch. copy_thread sets it
     * to childregs + 1: 2.4 the end of the 8 KiB block, 2.6 8 bytes below it.
     * Linux: arch/i386/kernel/process.c copy_thread() (R2.5).
     */
    public int esp0() { return stackBase() + THREAD_SIZE - (kernel.version().is24() ? 0 : 8); }

    /**
     * The eax of the pt_regs frame copy_thread built at the top of the stack: what the system call
     * returns in the new task. copy_thread sets childregs-&gt;eax = 0, so fork returns 0 in the child.
     * Linux: arch/i386/kernel/process.c copy_thread().
     */
    public int savedEax() { return savedEax; }

    @Override public String toString() {
        return comm + "[" + pid + (tgid != pid ? "/" + tgid : "") + "] " + stateLetter();
    }
}
