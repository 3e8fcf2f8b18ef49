package tasklab.time;

/**
 * The discrete-event engine: an {@link EventQueue}, per-CPU {@link CpuClocks} and a seeded {@link SimRandom}.
 *
 * <p>Global time {@link #now()} is the cycle of the event being processed; it only moves forward.
 * Events run one at a time in (cycle, priority, sequence) order, so for the same seed and the same
 * calls the same events run in the same order, byte for byte.
 *
 * <p>Run boundaries are half-open: {@code runUntil(t)} runs the events with cycle &lt; t and then
 * sets {@code now()} to t; events at exactly t run in the next call. This way all events of one
 * cycle always run in one call in priority order, even those scheduled at t after the first
 * call returned (an IPI scheduled at t between two calls still runs before a tick at t).
 *
 * <p>Interruption: between events every run loop checks {@link #requestStop()} and the thread's
 * interrupt flag; it returns before the next event, so the engine is always between events when
 * control comes back and the next run continues exactly where this one stopped. If an action
 * throws, the event counts as run, {@code now()} is its cycle, and the exception propagates.
 *
 * <p>Not thread-safe, except {@link #requestStop()}, which any thread may call.
 */
public final class Engine implements SimClock {

    private final EventQueue queue = new EventQueue();
    private final CpuClocks clocks;
    private final SimRandom random;
    private final long seed;
    private long now;
    private long eventsRun;
    private boolean running;
    private volatile boolean stopRequested;

    /** An engine for {@code cpuCount} CPUs (1..{@link CpuClocks#MAX_CPUS}) at cycle 0, seeded with {@code seed}. */
    public Engine(int cpuCount, long seed) {
        this.clocks = new CpuClocks(cpuCount);
        this.seed = seed;
        this.random = new SimRandom(seed);
    }

    /** Global simulated time in cycles: the cycle of the event being or last processed, or the last run limit. */
    @Override
    public long now() {
        return now;
    }

    /** The per-CPU cycle counters. */
    public CpuClocks clocks() {
        return clocks;
    }

    /** Number of CPUs. */
    public int cpuCount() {
        return clocks.cpuCount();
    }

    /** The root random stream; prefer {@code random().fork(key)} per CPU or task so streams stay independent. */
    public SimRandom random() {
        return random;
    }

    /** The seed this engine was built with. */
    public long seed() {
        return seed;
    }

    /** Schedules {@code action} at absolute {@code cycle} (&gt;= now) with {@code priority} (see {@link Priority}). */
    public Scheduled schedule(long cycle, int priority, Action action) {
        if (cycle < now) {
            throw new IllegalArgumentException("Engine.schedule: cycle " + cycle + " is before now " + now);
        }
        return queue.add(cycle, priority, action);
    }

    /** Schedules {@code action} {@code delta} (&gt;= 0) cycles after now. */
    public Scheduled scheduleIn(long delta, int priority, Action action) {
        if (delta < 0) {
            throw new IllegalArgumentException("Engine.scheduleIn: negative delta " + delta);
        }
        return queue.add(Math.addExact(now, delta), priority, action);
    }

    /**
     * Schedules {@code action} {@code delta} (&gt;= 0) cycles after {@code cpu}'s own clock, or after now if
     * that CPU's clock is behind (an idle CPU); the CPU's clock itself is not changed.
     */
    public Scheduled scheduleAfter(int cpu, long delta, int priority, Action action) {
        if (delta < 0) {
            throw new IllegalArgumentException("Engine.scheduleAfter: negative delta " + delta + " on cpu " + cpu);
        }
        long base = Math.max(now, clocks.cycles(cpu));
        return queue.add(Math.addExact(base, delta), priority, action);
    }

    /** Number of pending (live) events. */
    public int pendingEvents() {
        return queue.size();
    }

    /** Cycle of the next pending event, or {@link EventQueue#NO_EVENT} if none. */
    public long nextEventCycle() {
        return queue.peekCycle();
    }

    /** Total number of events run since construction. */
    public long eventsRun() {
        return eventsRun;
    }

    /** Asks the current (or, if none, the next) run to return {@link RunResult#STOPPED} before its next event. */
    public void requestStop() {
        stopRequested = true;
    }

    /** True while a stop request is waiting to be honoured. */
    public boolean isStopRequested() {
        return stopRequested;
    }

    /** True while an event loop ({@code step}, {@code run*}) is on the stack. */
    public boolean isRunning() {
        return running;
    }

    /** Runs the single next event regardless of stop requests; returns false if the queue was empty. */
    public boolean step() {
        enter("step");
        try {
            Scheduled s = queue.poll();
            if (s == null) {
                return false;
            }
            dispatch(s);
            return true;
        } finally {
            running = false;
        }
    }

    /**
     * Runs every event with cycle &lt; {@code limit}, then sets now to {@code limit}; a limit at or before
     * now runs nothing. Returns LIMIT, or STOPPED / INTERRUPTED (then now is the last event's cycle).
     */
    public RunResult runUntil(long limit) {
        enter("runUntil");
        try {
            while (true) {
                RunResult r = checkInterrupt();
                if (r != null) {
                    return r;
                }
                if (queue.peekCycle() >= limit) {
                    break;
                }
                dispatch(queue.poll());
            }
            if (limit > now) {
                now = limit;
            }
            return RunResult.LIMIT;
        } finally {
            running = false;
        }
    }

    /** Runs for {@code delta} (&gt;= 0) cycles: {@code runUntil(now() + delta)}. */
    public RunResult runFor(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("Engine.runFor: negative delta " + delta);
        }
        return runUntil(Math.addExact(now, delta));
    }

    /** Runs at most {@code maxEvents} (&gt;= 0) events; returns LIMIT, DRAINED, STOPPED or INTERRUPTED. */
    public RunResult runEvents(long maxEvents) {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("Engine.runEvents: negative count " + maxEvents);
        }
        enter("runEvents");
        try {
            for (long i = 0; i < maxEvents; i++) {
                RunResult r = checkInterrupt();
                if (r != null) {
                    return r;
                }
                Scheduled s = queue.poll();
                if (s == null) {
                    return RunResult.DRAINED;
                }
                dispatch(s);
            }
            return RunResult.LIMIT;
        } finally {
            running = false;
        }
    }

    /** Runs until the queue is empty, a stop is requested or the thread is interrupted (periodic ticks never drain). */
    public RunResult run() {
        RunResult r = runEvents(Long.MAX_VALUE);
        return r == RunResult.LIMIT ? run() : r;              // 2^63 events: only in theory
    }

    /** A stop request is consumed here; the interrupt flag is left set so callers up the stack see it too. */
    private RunResult checkInterrupt() {
        if (stopRequested) {
            stopRequested = false;
            return RunResult.STOPPED;
        }
        if (Thread.currentThread().isInterrupted()) {
            return RunResult.INTERRUPTED;
        }
        return null;
    }

    private void dispatch(Scheduled s) {
        now = s.cycle();
        eventsRun++;
        Action a = s.takeAction();
        a.run(this);
    }

    /** Actions must not start a nested loop: it would run later events inside an earlier one. */
    private void enter(String what) {
        if (running) {
            throw new IllegalStateException("Engine." + what + ": called from inside an event; schedule instead");
        }
        running = true;
    }

    /** Debug summary: now, pending events and events run. */
    @Override
    public String toString() {
        return "Engine[now=" + now + ", pending=" + queue.size() + ", run=" + eventsRun + ", cpus=" + cpuCount() + "]";
    }
}
