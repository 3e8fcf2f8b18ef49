package tasklab.kernel;

import tasklab.machine.KernelBug;
import tasklab.mm.MmStruct;
import tasklab.trace.Counter;
import tasklab.trace.Event;

/**
 * The scheduler core shared by both versions: schedule()'s skeleton, the context switch with its
 * mm / active_mm block (R7.6, R7.6a), wake-ups and the return-to-user preemption check. The
 * version's policy (2.4 goodness, 2.6 O(1) arrays) lives in the subclass.
 * Linux: kernel/sched.c schedule(), context_switch(), try_to_wake_up().
 */
public abstract class Sched {
    final Kernel k;
    /** The CPUs' per-CPU areas: their {@code current} is the one record of the task running there (one store per switch). */
    final tasklab.mm.PerCpu[] pcs;
    final int nrCpus;
    // Read on every context switch (and by the other scheduler paths): kept here rather than reached through k.
    final tasklab.machine.Cpu[] hw;
    final tasklab.trace.Counters counters;
    final tasklab.trace.Trace trace;
    private final tasklab.mm.MmuContext mmu;
    private final tasklab.mm.MmCore mmCore;
    /**
     * Stack blocks below this pfn lie in the direct map where only 4 MiB dTLB entries can map them (0
     * without PSE or on a fragmenting TLB), with whole 4 MiB pages: the footprint's shortcut applies there.
     */
    private final int footDirectPfns;
    private final boolean v26;
    private final boolean lazyTlb;
    /** 2.4: how many recalculations have run; a task's counter catches up lazily (see Sched24). Always 0 on 2.6. */
    long recalcEpoch;

    Sched(Kernel k) {
        this.k = k;
        this.nrCpus = k.config.nrCpus();
        this.pcs = new tasklab.mm.PerCpu[nrCpus];
        this.hw = new tasklab.machine.Cpu[nrCpus];
        for (int i = 0; i < nrCpus; i++) {
            pcs[i] = k.mm.perCpu(i);
            hw[i] = k.machine.cpu(i);
        }
        this.counters = k.counters;
        this.trace = k.trace;
        this.mmu = k.mm.mmuContext;
        this.mmCore = k.mm;
        this.footDirectPfns = k.mm.largeOnlyDirectMapPfns();
        this.v26 = k.version.is26();
        this.lazyTlb = k.config.lazyTlb();
        this.lastPrev = new int[nrCpus];
        java.util.Arrays.fill(lastPrev, -1);
        this.lastNext = new int[nrCpus];
        this.lastDirect = new long[nrCpus];
        this.lastRefill = new long[nrCpus];
    }

    // ---- policy ----
    abstract void enqueue(Task t);
    abstract void dequeue(Task t);
    /**
     * Puts a task that was on no runqueue (woken, or moved to another CPU) on its CPU's runqueue.
     * 2.4: the tail of the one list; 2.6 overrides it: the active array. Linux: kernel/sched.c
     * add_to_runqueue() (2.4), activate_task() / __activate_task() (2.6).
     */
    void activateTask(Task t) { enqueue(t); }
    abstract Task pick(int cpu, Task prev);
    abstract void schedulerTick(int cpu, Task p);
    abstract void yieldPolicy(int cpu, Task t);
    abstract void forkSplit(Task parent, Task child);
    abstract void wakeUpNewTask(Task p, Task parent, int cloneFlags, int cpu);
    abstract boolean preempts(Task p, Task curr, int cpu);
    /** Number of runnable tasks (nr_running). */
    public abstract int nrRunning();

    /** The task running on a CPU. */
    public Task current(int cpu) { return (Task) pcs[cpu].current(); }

    /** A CPU to act from when no task context is given (the boot CPU). */
    int anyCpu() { return 0; }

    // ---- schedule() ----

    /** schedule() on {@code cpu}: takes prev off the runqueue if it sleeps, picks next, switches. Linux: kernel/sched.c schedule(). */
    public void schedule(int cpu) {
        Task prev = current(cpu);
        if (prev.activeMm == null) throw new KernelBug("schedule", "current->active_mm == NULL (" + prev + ")");
        boolean voluntary = prev.state != TaskState.RUNNING;
        if (prev.state != TaskState.RUNNING) {
            if (prev.state == TaskState.INTERRUPTIBLE && signalPending(prev)) prev.state = TaskState.RUNNING;
            else if (prev.onRunqueue) dequeue(prev);
        }
        prev.needResched = false;
        long start = hw[cpu].cycles();              // the switch's direct cost includes the pick (2.4: goodness per candidate)
        Task next = pick(cpu, prev);
        prev.yielded = false;
        if (next == prev) return;                   // no switch: no counters, no mm work
        contextSwitch(cpu, prev, next, voluntary, start);
    }

    static boolean signalPending(Task t) { return t.pendingSignals != 0; }

    /**
     * The switch from prev to next on {@code cpu}: counters, the mm / active_mm block, switch_to, and
     * (2.6) finish_task_switch's deferred mmdrop. Linux: kernel/sched.c schedule() (2.4) / context_switch() (2.6).
     */
    void contextSwitch(int cpu, Task prev, Task next, boolean voluntary) {
        contextSwitch(cpu, prev, next, voluntary, hw[cpu].cycles());
    }

    /** The switch, its direct cycles counted from {@code start} (before the pick when called from schedule()). */
    void contextSwitch(int cpu, Task prev, Task next, boolean voluntary, long start) {
        if (current(cpu) != prev) throw new KernelBug("context_switch", "prev is not current on cpu" + cpu);
        if (next.onCpu) throw new KernelBug("context_switch", next + " is already running on cpu" + next.processor);
        tasklab.machine.Cpu hw = this.hw[cpu];
        // The previous switch's switch_cost event, this switch's CR3 tlb_flush and its sched_switch are
        // recorded together at the end (Trace.switchEvents) when nothing in between can record an event:
        // prev has an mm, so no mmdrop or put_task_struct runs here. Otherwise each is recorded where it happens.
        boolean together = switchEventsTogether && prev.mm != null && !(v26 && prev.state == TaskState.DEAD_26);
        boolean hasCost = lastPrev[cpu] >= 0;
        long costTime = hw.cycles();
        long costRefill = closeSwitchCost(cpu, hw, hasCost, costTime, !together);
        hw.charge(tasklab.machine.CostKind.SCHEDULE, hw.cost().schedulePath());
        touchSwitchFootprint(hw, prev, next);
        counters.inc(cpu, Counter.CONTEXT_SWITCH);
        if (v26) {
            if (voluntary) prev.nvcsw++; else prev.nivcsw++;
        }
        MmStruct mm = next.mm;
        MmStruct oldmm = prev.activeMm;
        boolean lazy = false;
        boolean cr3;
        if (mm == null && !lazyTlb) {
            // What-if "lazy TLB off": a kernel thread gets a real switch_mm to init_mm.
            if (next.activeMm != null) throw new KernelBug("schedule", "next->active_mm != NULL for kernel thread " + next);
            next.activeMm = k.initMm();
            k.mm.refs.mmgrab(next.activeMm);
            cr3 = mmu.switchMm(cpu, oldmm, next.activeMm, !together);
        } else if (mm == null) {
            if (next.activeMm != null) throw new KernelBug("schedule", "next->active_mm != NULL for kernel thread " + next);
            next.activeMm = oldmm;
            k.mm.refs.mmgrab(oldmm);
            mmu.enterLazyTlb(cpu);
            lazy = true;
            cr3 = false;
        } else {
            if (next.activeMm != mm) throw new KernelBug("schedule", "next->active_mm != next->mm for " + next);
            cr3 = mmu.switchMm(cpu, oldmm, mm, !together);
        }
        long flushTime = cr3 ? hw.cycles() : -1;   // the CR3 load's tlb_flush, stamped as switch_mm stamps it
        MmStruct dropAfter = null;
        if (prev.mm == null) {
            prev.activeMm = null;
            if (!v26) k.mm.refs.mmdrop(cpu, oldmm);   // 2.4: before switch_to
            else dropAfter = oldmm;                                 // 2.6: rq->prev_mm
        }
        // switch_to(prev, next)
        pcs[cpu].setCurrent(next);
        prev.onCpu = false;
        next.onCpu = true;
        if (next.processor != cpu) next.processor = cpu;      // no store when it stays (the hottest path)
        // finish_task_switch (2.6)
        if (dropAfter != null) k.mm.refs.mmdrop(cpu, dropAfter);
        if (v26 && prev.state == TaskState.DEAD_26) k.exit.putTaskStruct(prev);
        long now = hw.cycles();
        long direct = now - start;
        counters.add(cpu, Counter.SWITCH_DIRECT_CYCLES, direct);
        if (together) {
            trace.switchEvents(cpu, hasCost, costTime, lastPrev[cpu], lastNext[cpu], lastDirect[cpu], costRefill, flushTime,
                now, prev.pid, prev.commId, prev.state, next.pid, next.commId, cr3, lazy, direct);
        } else {
            trace.schedSwitch(now, cpu, prev.pid, prev.commId, prev.state, next.pid, next.commId, cr3, lazy, direct);
        }
        lastPrev[cpu] = prev.pid;
        lastNext[cpu] = next.pid;
        lastDirect[cpu] = direct;
        lastRefill[cpu] = hw.refillCycles();
        if (next.setChildTid != 0 && next.scheduleTailPending) k.fork.scheduleTail(next, cpu);   // 2.6 CLONE_CHILD_SETTID
    }


    /**
     * The kernel's own cache footprint of a switch, for prev and for next: the first line of the
     * stack block (2.4's task_struct: state, counter, mm; 2.6's thread_info) and the top line of the
     * kernel stack (pt_regs, switch_to's frame). They go through L1 / L2 like user data, so with many
     * processes or large working sets they miss too. They are reached through the direct map, so each
     * also looks up the dTLB (a 4 MiB entry with PSE). One line each: every access costs host time on
     * the simulator's hottest path. Linux: kernel/sched.c schedule(), switch_to.
     */
    private void touchSwitchFootprint(tasklab.machine.Cpu hw, Task prev, Task next) {
        // the steady state: nothing moved in L1 or among the 4 MiB dTLB entries since both tasks' lines
        // were last seen at their slots, so all four reads hit there; only the hits are counted
        long stamp = hw.footprintStamp();
        if (prev.footStamp == stamp && next.footStamp == stamp) {
            hw.kernelLargeHitsAt(prev.footLarge, next.footLarge, prev.footHintLow, prev.footHintTop, next.footHintLow, next.footHintTop);
            return;
        }
        int pp = prev.stackPfn, np = next.stackPfn;
        // all four lines hit the dTLB's 4 MiB entry and L1 where they were last time:
        // one check, one update, the same counts and LRU state (Cpu.kernelLargeHits4)
        if (footprintMemo && pp >= 0 && np >= 0 && pp < footDirectPfns && np < footDirectPfns && ((pp | np) & 1) == 0   // even: the block is in one 4 MiB page
                && hw.kernelLargeHits4(tasklab.machine.Pte.PAGE_OFFSET + (pp << 12), tasklab.machine.Pte.PAGE_OFFSET + (np << 12),
                    (long) pp << 12, ((long) pp << 12) + Task.THREAD_SIZE - 32, (long) np << 12, ((long) np << 12) + Task.THREAD_SIZE - 32,
                    prev.footHintLow, prev.footHintTop, next.footHintLow, next.footHintTop)) {
            rememberFootprint(hw, prev, tasklab.machine.Pte.PAGE_OFFSET + (pp << 12), next, tasklab.machine.Pte.PAGE_OFFSET + (np << 12));
            return;
        }
        touchSwitchFootprintOneByOne(hw, prev, next);
    }

    /** Off only in tests, which compare a kernel that records a switch's events one at a time against one that records them together. */
    boolean switchEventsTogether = true;

    /**
     * Off only in tests, which compare a kernel that reads the footprint's lines one by one, every
     * switch (the reference), against one with the shortcut and the steady-state check above.
     */
    boolean footprintMemo = true;

    /**
     * After the four hits at the hinted slots: both tasks' lines are where their hints say and their
     * 4 MiB entries are valid, as of the CPU's stamp now; the next switch between them can count the
     * hits without looking while the stamp stays the same. A stamp stays true until the CPU's count of
     * changes moves (a line moves only with a tag change), so the one-by-one path need not clear it.
     */
    private static void rememberFootprint(tasklab.machine.Cpu hw, Task prev, int prevVa, Task next, int nextVa) {
        long stamp = hw.footprintStamp();
        prev.footLarge = hw.kernelLargeSlot(prevVa);
        next.footLarge = hw.kernelLargeSlot(nextVa);
        prev.footStamp = stamp;
        next.footStamp = stamp;
    }

    /** The footprint's reads one at a time (a miss somewhere, a cold hint, no PSE): out of line so the check above stays small. */
    private void touchSwitchFootprintOneByOne(tasklab.machine.Cpu hw, Task prev, Task next) {
        touchSwitchFootprint(hw, prev);
        touchSwitchFootprint(hw, next);
    }

    /** One task's two lines, one read at a time (dTLB, walk on a miss, L1, L2). */
    private void touchSwitchFootprint(tasklab.machine.Cpu hw, Task t) {
        int pfn = t.stackPfn;
        if (pfn < 0) return;
        long base = (long) pfn << 12;
        // the L1 slots each line was found in last time are tried first (host time only: same hits, LRU, cycles)
        t.footHintLow = mmCore.kernelAccess(hw, base, t.footHintLow);
        t.footHintTop = mmCore.kernelAccess(hw, base + Task.THREAD_SIZE - 32, t.footHintTop);
    }

    // Per CPU, the last switch: prev pid (-1 = none yet), next pid, direct cycles, refill cycles at the time.
    // Parallel primitive arrays rather than a record per switch: the switch path allocates nothing.
    private final int[] lastPrev;
    private final int[] lastNext;
    private final long[] lastDirect;
    private final long[] lastRefill;

    /**
     * The previous switch on this CPU gets its refill: the TLB-walk and cache-miss cycles since. Returns
     * them; its switch_cost event, at {@code now}, is recorded here only if {@code record} (else with the sched_switch).
     */
    private long closeSwitchCost(int cpu, tasklab.machine.Cpu hw, boolean hasCost, long now, boolean record) {
        if (!hasCost) return 0;
        long refill = hw.refillCycles() - lastRefill[cpu];
        if (refill != 0) counters.add(cpu, Counter.SWITCH_REFILL_CYCLES, refill);   // no store when nothing was refilled
        if (record) trace.switchCost(now, cpu, lastPrev[cpu], lastNext[cpu], lastDirect[cpu], refill);
        return refill;
    }

    /** Makes {@code t} current on a CPU so it can make a system call; returns the CPU. */
    int runAs(Task t) {
        if (t.onCpu) return t.processor;
        if (t.pausedWithoutProgram && t.state == TaskState.INTERRUPTIBLE) {
            wakeUpProcess(t, t.processor);             // a task waiting for the student's next command
            if (t.onCpu) return t.processor;
        }
        if (t.state != TaskState.RUNNING || t.hasExited()) {
            throw new IllegalStateException(t + " is " + t.stateName()
                + ": only a runnable task can make a system call (wake it first, or pick a running task)");
        }
        int cpu = t.processor;
        if ((t.cpusAllowed & (1 << cpu)) == 0 || cpu >= nrCpus) cpu = Integer.numberOfTrailingZeros(t.cpusAllowed);
        Task prev = current(cpu);
        if (t.onRunqueue && t.processor != cpu) dequeue(t);     // migrate to the CPU it may run on
        t.processor = cpu;
        if (!t.onRunqueue) activateTask(t);
        prev.needResched = false;
        contextSwitch(cpu, prev, t, prev.state != TaskState.RUNNING);
        if (prev.state != TaskState.RUNNING && prev.onRunqueue) dequeue(prev);
        return cpu;
    }

    /** ret_from_sys_call / ret_from_intr: schedule if need_resched is set. */
    void retFromSysCall(int cpu) {
        if (current(cpu).needResched && !holdIdle) schedule(cpu);
    }

    // ---- wake-ups ----

    /** wake_up_process() = try_to_wake_up(p): TASK_RUNNING, on the runqueue, maybe preempt. Returns whether it was asleep. */
    boolean wakeUpProcess(Task p, int wakerCpu) {
        if (p.hasExited()) return false;
        p.pausedWithoutProgram = false;
        if (p.state == TaskState.RUNNING && (p.onRunqueue || p.onCpu)) return false;
        p.state = TaskState.RUNNING;
        int target = p.onRunqueue ? p.processor : selectCpu(p, wakerCpu);
        if (!p.onRunqueue) {
            p.processor = target;
            activateTask(p);
        }
        if (trace.enabled()) trace.record(new Event.SchedWakeup(hw[wakerCpu].cycles(), wakerCpu, p.pid, p.comm, target, false));
        reschedule(p, target, wakerCpu);
        kickIdle();
        return true;
    }

    /** Which CPU a woken task goes to: its last CPU unless that one is busy and an allowed CPU idles. */
    int selectCpu(Task p, int wakerCpu) {
        int cpu = p.processor < nrCpus && (p.cpusAllowed & (1 << p.processor)) != 0
            ? p.processor : Integer.numberOfTrailingZeros(p.cpusAllowed);
        if (current(cpu) != k.idle[cpu]) {
            for (int c = 0; c < nrCpus; c++) {
                if ((p.cpusAllowed & (1 << c)) != 0 && current(c) == k.idle[c]) return c;
            }
        }
        return cpu;
    }

    /** reschedule_idle / resched_task: sets need_resched where p should preempt, with a reschedule IPI to another CPU. */
    void reschedule(Task p, int cpu, int wakerCpu) {
        Task curr = current(cpu);
        if (curr == p) return;
        if (curr == k.idle[cpu] || preempts(p, curr, cpu)) {
            curr.needResched = true;
            if (cpu != wakerCpu) {
                counters.inc(wakerCpu, Counter.IPI_RESCHEDULE);
                counters.inc(cpu, Counter.IRQ_RESCHEDULE);
                long sent = hw[wakerCpu].cycles();
                if (trace.enabled()) trace.record(new Event.Ipi(sent, wakerCpu, cpu, "RESCHEDULE"));
                hw[cpu].syncTo(sent);               // the target reschedules after the IPI reached it, not before it was sent
            }
        }
    }

    /** Set while booting: rest_init runs with preemption off, so idle CPUs do not reschedule yet. */
    boolean holdIdle;

    /** The idle loop polls need_resched: an idle CPU told to reschedule does so at once. */
    void kickIdle() {
        if (holdIdle) return;
        for (int c = 0; c < nrCpus; c++) {
            if (current(c) == k.idle[c] && current(c).needResched) schedule(c);
        }
    }

    /** set_cpus_allowed(p, mask): a task on a CPU it may no longer use is migrated (the migration thread's work, done at once). */
    void setCpusAllowed(Task p, int mask, int wakerCpu) {
        p.cpusAllowed = mask;
        if ((mask & (1 << p.processor)) != 0) return;
        int from = p.processor;
        int to = Integer.numberOfTrailingZeros(mask);
        boolean running = p.onCpu;
        if (p.onRunqueue) dequeue(p);
        p.processor = to;
        if (p.state == TaskState.RUNNING && !p.hasExited()) {
            if (running) {
                p.onCpu = true;              // still current on the old CPU until it schedules away below
            }
            activateTask(p);                 // 2.6 __migrate_task: deactivate_task + activate_task on the new CPU
        }
        if (running) {
            current(from).needResched = true;
            Task prev = current(from);
            Task next = pick(from, prev);
            if (next == prev) next = k.idle[from];
            contextSwitch(from, prev, next, false);
        }
        if (p.state == TaskState.RUNNING && !p.onCpu) reschedule(p, to, wakerCpu);
        kickIdle();
    }

    /** sched_yield(). */
    void yield(int cpu, Task t) {
        yieldPolicy(cpu, t);
        schedule(cpu);
    }

    /** A timer tick on {@code cpu}: charge current; at interrupt exit, schedule if need_resched. */
    void tick(int cpu) {
        counters.inc(cpu, Counter.IRQ_TIMER);
        Task p = current(cpu);
        schedulerTick(cpu, p);
        retFromSysCall(cpu);
    }

    // ---- completions and sleeping ----

    /** wait_for_completion(x) by task t on its CPU: returns true if it had to sleep (TASK_UNINTERRUPTIBLE). */
    boolean waitForCompletion(Task t, Completion x, int cpu) {
        if (x.done > 0) { x.done--; return false; }
        x.waiters.addLast(t);
        t.state = TaskState.UNINTERRUPTIBLE;
        schedule(cpu);
        return true;
    }

    /** complete(x): done++ and wake one exclusive waiter (who consumes it). */
    void complete(Completion x, int cpu) {
        x.done++;
        Task w = x.waiters.pollFirst();
        if (w != null) {
            x.done--;
            wakeUpProcess(w, cpu);
        }
    }
}
