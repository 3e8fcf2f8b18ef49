package tasklab.kernel;

/**
 * The 2.4 scheduler: one runqueue list for all CPUs, selection by goodness() with strict
 * greater-than (ties go to the earlier queue position), recalculation when every candidate's
 * counter is 0, SCHED_YIELD, and timeslice ticks. Linux: kernel/sched.c (2.4.22) (R7.1-R7.5).
 */
final class Sched24 extends Sched {
    /** DEF_COUNTER = 10*HZ/100. */ static final int DEF_COUNTER = 10;
    /** MAX_COUNTER = 20*HZ/100. */ static final int MAX_COUNTER = 20;
    /** PROC_CHANGE_PENALTY. */ static final int PROC_CHANGE_PENALTY = 15;

    private final RunList runqueue;

    Sched24(Kernel k) {
        super(k);
        runqueue = new RunList(k);
    }

    /** NICE_TO_TICKS(nice) = TICK_SCALE(20 - nice) + 1 with TICK_SCALE(x) = x >> 2 at HZ 100. */
    static int niceToTicks(int nice) { return ((20 - nice) >> 2) + 1; }

    @Override void enqueue(Task t) {              // add_to_runqueue: tail
        runqueue.addLast(t);
        t.onRunqueue = true;
    }

    @Override void dequeue(Task t) {              // del_from_runqueue
        runqueue.remove(t);
        t.onRunqueue = false;
    }

    @Override public int nrRunning() { return runqueue.size; }

    /** move_last_runqueue(). */
    void moveLast(Task t) { runqueue.moveLast(t); }

    /** goodness(p, this_cpu, this_mm). (R7.1) */
    int goodness(Task p, int cpu, tasklab.mm.MmStruct thisMm) {
        if (p.yielded) return -1;
        if (p.policy != SchedPolicy.SCHED_OTHER) return 1000 + p.rtPriority;   // real time: above every SCHED_OTHER task
        if (p.counterEpoch != recalcEpoch) catchUp(p, recalcEpoch);     // Task.counter(), without the walk to the scheduler
        int weight = p.counter;
        if (weight == 0) return 0;
        if (nrCpus > 1 && p.processor == cpu) weight += PROC_CHANGE_PENALTY;
        if (p.mm == thisMm || p.mm == null) weight += 1;
        weight += 20 - p.nice;
        return weight;
    }

    private boolean canSchedule(Task p, int cpu, Task prev) {
        if (p.onCpu && p != prev) return false;
        return (p.cpusAllowed & (1 << cpu)) != 0;
    }

    @Override Task pick(int cpu, Task prev) {
        tasklab.machine.Cpu hw = this.hw[cpu];
        if (prev.policy == SchedPolicy.SCHED_RR && prev.counter() == 0) {   // schedule(): an exhausted RR task
            prev.setCounter(niceToTicks(prev.nice));                          // gets a new quantum, to the tail
            if (prev.onRunqueue) moveLast(prev);
        }
        while (true) {
            Task next = k.idle[cpu];
            int c = -1000;
            int candidates = 0;
            for (Task p = runqueue.first(); p != null; p = runqueue.next(p)) {
                if (!canSchedule(p, cpu, prev)) continue;
                candidates++;
                int w = goodness(p, cpu, prev.activeMm);
                if (w > c) { c = w; next = p; }
            }
            hw.charge(tasklab.machine.CostKind.SCHEDULE, candidates * hw.cost().goodness());
            if (c != 0) return next;
            // Every candidate has used its counter: recalculate for all tasks, sleeping ones too.
            recalculate();
            hw.charge(tasklab.machine.CostKind.SCHEDULE, k.nrThreads() * hw.cost().recalcTask());   // for_each_task
        }
    }

    /**
     * The recalculate: loop, p->counter = (p->counter >> 1) + NICE_TO_TICKS(p->nice) for every task
     * (idle tasks included). Done lazily: the epoch moves on and each task applies the recalculations
     * it missed when its counter is next read ({@link #catchUp}), which gives the same counters as
     * the eager loop (every read goes through {@link Task#counter()}) without costing the host
     * O(tasks) per recalculation, so building 32k tasks stays linear.
     */
    void recalculate() { recalcEpoch++; }

    /** Applies the recalculations {@code t} missed, up to {@code epoch}. */
    static void catchUp(Task t, long epoch) {
        long missed = epoch - t.counterEpoch;
        int c = t.counter;
        int ticks = niceToTicks(t.nice);
        for (long i = 0; i < missed; i++) {
            int n = (c >> 1) + ticks;
            if (n == c) break;                     // a fixed point: further recalculations change nothing
            c = n;
        }
        t.counter = c;
        t.counterEpoch = epoch;
    }

    @Override void schedulerTick(int cpu, Task p) {   // update_process_times
        if (p.pid == 0) return;
        int c = p.counter() - 1;
        if (c <= 0) {
            c = 0;
            p.needResched = true;
        }
        p.setCounter(c);
    }

    @Override void yieldPolicy(int cpu, Task t) {     // sys_sched_yield
        if (runqueue.size > 1 || (runqueue.size == 1 && !runqueue.contains(t))) {
            t.yielded = t.policy == SchedPolicy.SCHED_OTHER;    // "if (current->policy == SCHED_OTHER) policy |= SCHED_YIELD"
            t.needResched = true;
            if (runqueue.contains(t)) moveLast(t);   // an idle task yielding is on no run list: nothing to move
        }
    }

    @Override void forkSplit(Task parent, Task child) {   // R5.14
        int pc = parent.counter();
        child.setCounter((pc + 1) >> 1);
        parent.setCounter(pc >> 1);
        if (pc >> 1 == 0) parent.needResched = true;
    }

    @Override void wakeUpNewTask(Task p, Task parent, int cloneFlags, int cpu) {
        wakeUpProcess(p, cpu);                    // 2.4: no child-first policy (R5.15)
    }

    /** preemption_goodness(curr, p) > 0. */
    @Override boolean preempts(Task p, Task curr, int cpu) {
        tasklab.mm.MmStruct thisMm = curr.activeMm;
        return goodness(p, cpu, thisMm) - goodness(curr, cpu, thisMm) > 0;
    }
}
