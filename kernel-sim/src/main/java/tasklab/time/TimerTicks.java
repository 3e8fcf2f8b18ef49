package tasklab.time;

import java.util.Objects;

/**
 * The periodic timer interrupt of every CPU: tick k (k = 1, 2, ...) of CPU c falls at
 * {@code start + phase.offset(c) + k * period}, with priority {@link Priority#TIMER}.
 *
 * <p>Each CPU has its own event, as SMP local APIC timers do; a UP machine (one CPU) has one,
 * like the PIT's IRQ0. The next tick is scheduled before the listener runs, so a tick is never
 * lost to a listener that throws, and the listener may call {@link #stop()} to cancel it. The
 * tick schedule is computed from the start cycle by integer addition, so it never drifts.
 */
public final class TimerTicks {

    private final Engine engine;
    private final long period;
    private final TickPhase phase;
    private final TickListener listener;
    private final Scheduled[] pending;
    private final long[] counts;
    private boolean running;

    /**
     * Ticks for every CPU of {@code engine} every {@code periodCycles} (&gt; 0; see
     * {@link ClockRate#tickPeriodCycles()}), placed by {@code phase}, delivered to {@code listener}.
     * Nothing is scheduled until {@link #start()}.
     */
    public TimerTicks(Engine engine, long periodCycles, TickPhase phase, TickListener listener) {
        this.engine = Objects.requireNonNull(engine, "TimerTicks: engine");
        this.phase = Objects.requireNonNull(phase, "TimerTicks: phase");
        this.listener = Objects.requireNonNull(listener, "TimerTicks: listener");
        if (periodCycles <= 0) {
            throw new IllegalArgumentException("TimerTicks: period must be positive, got " + periodCycles);
        }
        this.period = periodCycles;
        this.pending = new Scheduled[engine.cpuCount()];
        this.counts = new long[engine.cpuCount()];
    }

    /** Starts ticking from the engine's current cycle: the first tick of CPU c is at now + offset(c) + period. */
    public void start() {
        if (running) {
            throw new IllegalStateException("TimerTicks.start: already running");
        }
        running = true;
        long base = engine.now();
        int n = engine.cpuCount();
        for (int cpu = 0; cpu < n; cpu++) {
            long first = Math.addExact(base, Math.addExact(phase.offset(cpu, n, period), period));
            pending[cpu] = engine.schedule(first, Priority.TIMER, new Tick(cpu));
        }
    }

    /** Cancels every pending tick; {@link #start()} may be called again later. */
    public void stop() {
        for (int cpu = 0; cpu < pending.length; cpu++) {
            if (pending[cpu] != null) {
                pending[cpu].cancel();
                pending[cpu] = null;
            }
        }
        running = false;
    }

    /** True between {@link #start()} and {@link #stop()}. */
    public boolean isRunning() {
        return running;
    }

    /** Ticks taken by {@code cpu} so far. */
    public long ticks(int cpu) {
        return counts[cpu];
    }

    /** The tick period in cycles. */
    public long period() {
        return period;
    }

    /** The phase placement of the CPUs' ticks. */
    public TickPhase phase() {
        return phase;
    }

    /** Cycle of {@code cpu}'s next pending tick, or {@link EventQueue#NO_EVENT} if stopped. */
    public long nextTick(int cpu) {
        Scheduled s = pending[cpu];
        return s == null ? EventQueue.NO_EVENT : s.cycle();
    }

    /** One CPU's tick; the same object re-arms itself, so ticking allocates only the queue handle. */
    private final class Tick implements Action {
        private final int cpu;

        Tick(int cpu) {
            this.cpu = cpu;
        }

        @Override
        public void run(Engine e) {
            long cycle = e.now();
            counts[cpu]++;
            pending[cpu] = e.schedule(Math.addExact(cycle, period), Priority.TIMER, this);
            listener.onTick(cpu, cycle);
        }
    }
}
