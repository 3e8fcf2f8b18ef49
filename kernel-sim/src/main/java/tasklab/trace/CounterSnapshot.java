package tasklab.trace;

import java.util.LinkedHashMap;
import java.util.Map;

/** An immutable copy of the counters at one moment; {@link #minus} gives the change between two. */
public final class CounterSnapshot {
    private static final Counter[] ALL = Counter.values();
    private final long[][] perCpu;

    CounterSnapshot(long[][] perCpu) { this.perCpu = perCpu; }

    /** One CPU's value. */
    public long get(int cpu, Counter c) { return perCpu[cpu][c.ordinal()]; }

    /** The sum over CPUs. */
    public long total(Counter c) {
        long s = 0;
        for (long[] row : perCpu) s += row[c.ordinal()];
        return s;
    }

    /** Number of CPUs. */
    public int nrCpus() { return perCpu.length; }

    /** This snapshot less an earlier one: what happened in between. */
    public CounterSnapshot minus(CounterSnapshot earlier) {
        if (earlier.perCpu.length != perCpu.length) {
            throw new IllegalArgumentException("snapshots of machines with different CPU counts");
        }
        long[][] d = new long[perCpu.length][ALL.length];
        for (int i = 0; i < perCpu.length; i++) {
            for (int j = 0; j < ALL.length; j++) d[i][j] = perCpu[i][j] - earlier.perCpu[i][j];
        }
        return new CounterSnapshot(d);
    }

    /** Totals by /proc name, in declaration order (zeros included). */
    public Map<String, Long> totals() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Counter c : ALL) m.put(c.procName(), total(c));
        return m;
    }

    /** The non-zero totals, /proc/vmstat style: one "name value" line each. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Counter c : ALL) {
            long v = total(c);
            if (v != 0) sb.append(c.procName()).append(' ').append(v).append('\n');
        }
        return sb.toString();
    }
}
