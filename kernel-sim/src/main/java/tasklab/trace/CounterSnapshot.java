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

    /** Every counter's total, /proc/vmstat style: one "name value" line each, zeros included. */
    public String procVmstat() {
        StringBuilder sb = new StringBuilder();
        for (Counter c : ALL) {
            if (c.procName().startsWith("irq_")) continue;
            sb.append(c.procName()).append(' ').append(total(c)).append('\n');
        }
        return sb.toString();
    }

    /** Interrupts received per CPU, /proc/interrupts style (LOC, RES, CAL, TLB rows). */
    public String procInterrupts() {
        StringBuilder sb = new StringBuilder("    ");
        for (int cpu = 0; cpu < perCpu.length; cpu++) sb.append(String.format("%11s", "CPU" + cpu));
        sb.append('\n');
        row(sb, "LOC", Counter.IRQ_TIMER, "Local timer interrupts");
        row(sb, "RES", Counter.IRQ_RESCHEDULE, "Rescheduling interrupts");
        row(sb, "CAL", Counter.IRQ_CALL_FUNCTION, "Function call interrupts");
        row(sb, "TLB", Counter.IRQ_TLB, "TLB shootdowns");
        return sb.toString();
    }

    private void row(StringBuilder sb, String name, Counter c, String what) {
        sb.append(String.format("%4s", name + ":"));
        for (int cpu = 0; cpu < perCpu.length; cpu++) sb.append(String.format("%11d", get(cpu, c)));
        sb.append("   ").append(what).append('\n');
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
