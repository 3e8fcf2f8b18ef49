package tasklab.trace;

/** Live counters per CPU, written by the simulator; read them through {@link #snapshot()}. */
public final class Counters {
    private static final Counter[] ALL = Counter.values();
    private final long[][] perCpu;

    /** Counters for {@code nrCpus} CPUs, all zero. */
    public Counters(int nrCpus) {
        this.perCpu = new long[nrCpus][ALL.length];
    }

    /** Adds one to counter {@code c} of CPU {@code cpu}. */
    public void inc(int cpu, Counter c) { perCpu[cpu][c.ordinal()]++; }

    /** Adds {@code n} to counter {@code c} of CPU {@code cpu}. */
    public void add(int cpu, Counter c, long n) { perCpu[cpu][c.ordinal()] += n; }

    /** The current value of one CPU's counter. */
    public long get(int cpu, Counter c) { return perCpu[cpu][c.ordinal()]; }

    /** The sum over CPUs. */
    public long total(Counter c) {
        long s = 0;
        for (long[] row : perCpu) s += row[c.ordinal()];
        return s;
    }

    /** Number of CPUs counted. */
    public int nrCpus() { return perCpu.length; }

    /** An immutable copy of every counter now. */
    public CounterSnapshot snapshot() {
        long[][] copy = new long[perCpu.length][];
        for (int i = 0; i < perCpu.length; i++) copy[i] = perCpu[i].clone();
        return new CounterSnapshot(copy);
    }
}
