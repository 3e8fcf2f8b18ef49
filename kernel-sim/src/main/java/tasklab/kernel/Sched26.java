package tasklab.kernel;

import tasklab.machine.KernelBug;

/**
 * The 2.6 O(1) scheduler: per-CPU runqueues with active and expired priority arrays, timeslices
 * from static priority, child-runs-first, and expiry into the expired array.
 *
 * <p>Which array a task is queued on follows kernel/sched.c: a woken task (try_to_wake_up ->
 * activate_task -> __activate_task) and a task moved to another CPU always go to the active
 * array (SCHED_BATCH: the expired one), whatever array they were on before they slept; only
 * scheduler_tick moves a running task whose slice ran out to the expired array, and
 * sys_sched_yield moves a SCHED_OTHER task there. The interactivity bonus (sleep_avg) is not
 * modelled: prio = static_prio, and TASK_INTERACTIVE is taken as false at expiry, which is what
 * the kernel decides for a task that ran its whole slice without sleeping (its sleep_avg has run
 * down to 0, prio = static_prio + 5).
 * Linux: kernel/sched.c (2.6.22) sched_fork(), wake_up_new_task(), try_to_wake_up(),
 * scheduler_tick() / task_running_tick(), sys_sched_yield(), schedule().
 */
final class Sched26 extends Sched {
    /** MAX_PRIO. */ static final int MAX_PRIO = 140;
    /** DEF_TIMESLICE = 100 ms at HZ 100. */ static final int DEF_TIMESLICE = 10;
    /** MIN_TIMESLICE = max(5 ms, 1 tick). */ static final int MIN_TIMESLICE = 1;

    /** struct prio_array: a FIFO list per priority (threaded through the tasks) and a bitmap of the non-empty ones. */
    static final class PrioArray {
        final RunList[] queue = new RunList[MAX_PRIO];
        final long[] bitmap = new long[3];
        /** Whether this is the expired array now; the swap in schedule() flips it, so the swap stays O(1). */
        boolean expired;
        PrioArray(Kernel k) { for (int i = 0; i < MAX_PRIO; i++) queue[i] = new RunList(k); }
        RunList list(int prio) { return queue[prio]; }
        void add(Task t) { queue[t.prio].addLast(t); bitmap[t.prio >>> 6] |= 1L << t.prio; }
        /** Queues {@code t} just ahead of {@code at} in at's priority list. */
        void insertBefore(Task at, Task t) { queue[at.prio].addBefore(at, t); bitmap[at.prio >>> 6] |= 1L << at.prio; }
        boolean remove(Task t) {
            RunList l = queue[t.prio];
            boolean removed = l.remove(t);
            if (l.isEmpty()) bitmap[t.prio >>> 6] &= ~(1L << t.prio);
            return removed;
        }
        /** sched_find_first_bit: the first task of the best non-empty priority, or null. */
        Task first() {
            for (int w = 0; w < bitmap.length; w++) {
                if (bitmap[w] != 0) return queue[(w << 6) + Long.numberOfTrailingZeros(bitmap[w])].first();
            }
            return null;
        }
    }

    /** One CPU's runqueue: the active and expired arrays. */
    static final class Rq {
        PrioArray active;
        PrioArray expired;
        Rq(Kernel k) {
            active = new PrioArray(k);
            expired = new PrioArray(k);
            expired.expired = true;
        }
        int nrRunning;
    }

    private final Rq[] rqs;

    Sched26(Kernel k) {
        super(k);
        rqs = new Rq[k.config.nrCpus()];
        for (int i = 0; i < rqs.length; i++) rqs[i] = new Rq(k);
    }

    /** static_prio_timeslice(): SCALE_PRIO(DEF_TIMESLICE x4 or x1, static_prio). */
    static int taskTimeslice(int staticPrio) {
        int base = staticPrio < 120 ? DEF_TIMESLICE * 4 : DEF_TIMESLICE;
        return Math.max(base * (MAX_PRIO - staticPrio) / 20, MIN_TIMESLICE);
    }

    private Rq rq(Task t) { return rqs[t.processor]; }

    @Override void enqueue(Task t) {              // enqueue_task: tail of its priority list
        Rq rq = rq(t);
        PrioArray array = t.toExpired ? rq.expired : rq.active;
        array.add(t);
        t.array = array;
        rq.nrRunning++;
        t.onRunqueue = true;
    }

    /** __activate_task(): the active array, or the expired one for a SCHED_BATCH task ("perpetual CPU hogs"). */
    @Override void activateTask(Task t) {
        t.toExpired = t.policy == SchedPolicy.SCHED_BATCH;
        enqueue(t);
    }

    @Override void dequeue(Task t) {
        Rq rq = rq(t);
        PrioArray array = t.array;
        if (array == null || !array.remove(t)) throw new KernelBug("dequeue_task", t + " not on its runqueue");
        t.toExpired = array.expired;                   // a dequeue + enqueue keeps the task on the same array
        t.array = null;
        rq.nrRunning--;
        t.onRunqueue = false;
    }

    @Override public int nrRunning() {
        int n = 0;
        for (Rq rq : rqs) n += rq.nrRunning;
        return n;
    }

    @Override Task pick(int cpu, Task prev) {
        Rq rq = rqs[cpu];
        Task next = rq.active.first();
        if (next == null && rq.expired.first() != null) {    // switch the arrays
            PrioArray tmp = rq.active;
            rq.active = rq.expired;
            rq.expired = tmp;
            rq.active.expired = false;                   // every task on it is now on the active array (p->array == rq->active)
            rq.expired.expired = true;
            next = rq.active.first();
        }
        return next == null ? k.idle[cpu] : next;
    }

    /** scheduler_tick() -> task_running_tick(). */
    @Override void schedulerTick(int cpu, Task p) {
        if (p == k.idle[cpu] || !p.onRunqueue) return;
        if (p.expired()) {                                         // "Task has expired but was not scheduled yet"
            p.needResched = true;
            return;
        }
        if (p.policy == SchedPolicy.SCHED_FIFO) return;           // FIFO tasks have no timeslices
        if (p.policy == SchedPolicy.SCHED_RR) {                    // RR: a new slice, to the tail of its list
            if (--p.timeSlice <= 0) {
                p.timeSlice = taskTimeslice(p.staticPrio);
                p.needResched = true;
                dequeue(p);
                enqueue(p);
            }
            return;
        }
        if (--p.timeSlice <= 0) {
            // Used up: a new slice, and the expired array (TASK_INTERACTIVE is false without sleep_avg,
            // see the class comment), so every other task of the active array runs before it again.
            dequeue(p);
            p.needResched = true;
            p.timeSlice = taskTimeslice(p.staticPrio);
            p.toExpired = true;
            enqueue(p);
        }
    }

    @Override void yieldPolicy(int cpu, Task t) {     // sys_sched_yield: into the expired array
        if (!t.onRunqueue) return;
        dequeue(t);
        t.toExpired = !SchedPolicy.isRt(t.policy);       // a real-time task stays active, at the tail of its list
        enqueue(t);
    }

    @Override void forkSplit(Task parent, Task child) {   // sched_fork (R5.14)
        child.staticPrio = parent.staticPrio;
        child.prio = SchedPolicy.normalPrio(child);   // parent's normal_prio (RT: 99 - rt_priority), no sleep_avg bonus
        child.timeSlice = (parent.timeSlice + 1) >> 1;
        parent.timeSlice >>= 1;
        child.toExpired = false;
        if (parent.timeSlice == 0) {
            parent.timeSlice = 1;
            schedulerTick(parent.processor, parent);     // "a tick is charged"
        }
    }

    @Override void wakeUpNewTask(Task p, Task parent, int cloneFlags, int cpu) {   // R5.15
        p.state = TaskState.RUNNING;
        p.processor = cpu;
        Rq rq = rqs[cpu];
        if (parent.processor == cpu && (cloneFlags & CloneFlags.CLONE_VM) == 0) {
            // Child runs first: queued just ahead of the parent in the parent's array, and the parent
            // (current) must reschedule: set_need_resched() whether or not it was on a runqueue.
            if (parent.onRunqueue) {
                p.prio = parent.prio;
                PrioArray array = parent.array;
                p.toExpired = array.expired;
                array.insertBefore(parent, p);
                p.array = array;
                rq.nrRunning++;
                p.onRunqueue = true;
            } else {
                activateTask(p);                        // "if (unlikely(!current->array)) __activate_task(p, rq)"
            }
            parent.needResched = true;
        } else {
            activateTask(p);                            // CLONE_VM: "Run child last"; or another CPU's runqueue
            reschedule(p, cpu, cpu);
        }
        if (trace.enabled()) trace.record(new tasklab.trace.Event.SchedWakeup(hw[cpu].cycles(), cpu, p.pid, p.comm, cpu, true));
        kickIdle();
    }

    @Override boolean preempts(Task p, Task curr, int cpu) { return p.prio < curr.prio; }   // TASK_PREEMPTS_CURR
}
