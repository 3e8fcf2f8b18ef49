package tasklab.time;

/**
 * A CPU frequency in MHz and the kernel's HZ, with exact integer conversions between cycles and time.
 *
 * <p>Anything that can decide event order (tick period, nanoseconds to cycles) is computed in
 * integer arithmetic; only the cycles-to-time direction, which is for display, returns a double.
 *
 * @param mhz CPU clock in MHz (cycles per microsecond), &gt; 0
 * @param hz  timer interrupts per second (Linux HZ), &gt; 0
 */
public record ClockRate(int mhz, int hz) {

    /** HZ of i386 Linux 2.4 (include/asm-i386/param.h) and the kit's default for 2.6 too. */
    public static final int DEFAULT_HZ = 100;

    /** Validates the arguments. */
    public ClockRate {
        if (mhz <= 0) {
            throw new IllegalArgumentException("ClockRate: mhz must be positive, got " + mhz);
        }
        if (hz <= 0) {
            throw new IllegalArgumentException("ClockRate: hz must be positive, got " + hz);
        }
    }

    /** A rate at {@code mhz} with HZ = {@link #DEFAULT_HZ}. */
    public static ClockRate ofMhz(int mhz) {
        return new ClockRate(mhz, DEFAULT_HZ);
    }

    /** Cycles per second. */
    public long cyclesPerSecond() {
        return mhz * 1_000_000L;
    }

    /**
     * Cycles between two timer ticks: mhz * 10^6 / HZ, rounded to nearest (half up) like the
     * kernel's LATCH = (CLOCK_TICK_RATE + HZ/2) / HZ; exact for every integer MHz at HZ = 100.
     */
    public long tickPeriodCycles() {
        return (cyclesPerSecond() + hz / 2) / hz;
    }

    /** Cycles to nanoseconds (cycles * 1000 / mhz), for display. */
    public double cyclesToNanos(long cycles) {
        return cycles * 1000.0 / mhz;
    }

    /** Cycles to microseconds (cycles / mhz), for display. */
    public double cyclesToMicros(long cycles) {
        return (double) cycles / mhz;
    }

    /** Nanoseconds (&gt;= 0) to cycles, rounded to nearest (half up), in exact integer arithmetic. */
    public long nanosToCycles(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("ClockRate.nanosToCycles: negative " + nanos);
        }
        return Math.addExact(Math.multiplyExact(nanos, (long) mhz), 500L) / 1000L;
    }

    /** Microseconds (&gt;= 0) to cycles, exactly. */
    public long microsToCycles(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("ClockRate.microsToCycles: negative " + micros);
        }
        return Math.multiplyExact(micros, (long) mhz);
    }

    /** Ticks (jiffies) to cycles, exactly: ticks * {@link #tickPeriodCycles()}. */
    public long ticksToCycles(long ticks) {
        if (ticks < 0) {
            throw new IllegalArgumentException("ClockRate.ticksToCycles: negative " + ticks);
        }
        return Math.multiplyExact(ticks, tickPeriodCycles());
    }
}
