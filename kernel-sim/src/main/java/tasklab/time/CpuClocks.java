package tasklab.time;

import java.util.Arrays;

/**
 * One cycle counter per CPU (the TSC of each processor, in effect).
 *
 * <p>A CPU's clock may run ahead of the engine's global time while it executes work that is
 * costed in one go (advance by the cost, then schedule the next event at the CPU's own clock);
 * a CPU that was idle catches up with {@link #syncTo(int, long)}. Clocks never go backwards.
 */
public final class CpuClocks {

    /** Most CPUs a machine may have: NR_CPUS is 32 on i386 in 2.4 and 2.6 (one bit each in a 32-bit cpumask). */
    public static final int MAX_CPUS = 32;

    private final long[] cycles;

    /** Clocks for {@code cpuCount} CPUs (1..{@link #MAX_CPUS}), all at cycle 0. */
    public CpuClocks(int cpuCount) {
        if (cpuCount < 1 || cpuCount > MAX_CPUS) {
            throw new IllegalArgumentException("CpuClocks: cpu count " + cpuCount + " out of range 1.." + MAX_CPUS);
        }
        cycles = new long[cpuCount];
    }

    /** Number of CPUs. */
    public int cpuCount() {
        return cycles.length;
    }

    /** The cycle counter of {@code cpu}. */
    public long cycles(int cpu) {
        return cycles[check(cpu)];
    }

    /** Adds {@code delta} (&gt;= 0) cycles of work to {@code cpu}'s clock and returns the new value. */
    public long advance(int cpu, long delta) {
        check(cpu);
        if (delta < 0) {
            throw new IllegalArgumentException("CpuClocks.advance: negative delta " + delta + " on cpu " + cpu);
        }
        cycles[cpu] = Math.addExact(cycles[cpu], delta);
        return cycles[cpu];
    }

    /** Brings an idle CPU up to {@code cycle} (max of its own clock and {@code cycle}) and returns the new value. */
    public long syncTo(int cpu, long cycle) {
        check(cpu);
        if (cycle > cycles[cpu]) {
            cycles[cpu] = cycle;
        }
        return cycles[cpu];
    }

    /** The furthest-ahead CPU clock. */
    public long max() {
        long m = cycles[0];
        for (long c : cycles) {
            m = Math.max(m, c);
        }
        return m;
    }

    private int check(int cpu) {
        if (cpu < 0 || cpu >= cycles.length) {
            throw new IndexOutOfBoundsException("CpuClocks: cpu " + cpu + " out of range 0.." + (cycles.length - 1));
        }
        return cpu;
    }

    /** Debug form, e.g. {@code CpuClocks[100, 250]}. */
    @Override
    public String toString() {
        return "CpuClocks" + Arrays.toString(cycles);
    }
}
