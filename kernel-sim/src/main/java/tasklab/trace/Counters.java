package tasklab.trace;

/** Live counters per CPU, written by the simulator; read them through {@link #snapshot()}. */
public final class Counters {
    private static final Counter[] ALL = Counter.values();
    private static final int N = ALL.length;
    private final long[] values;     // CPU-major: counter c of CPU i is values[i * N + c] (one array, one bounds check)
    private final int nrCpus;

    /** Counters for {@code nrCpus} CPUs, all zero. */
    public Counters(int nrCpus) {
        this.nrCpus = nrCpus;
        this.values = new long[nrCpus * N];
    }

    /** Adds one to counter {@code c} of CPU {@code cpu}. */
    public void inc(int cpu, Counter c) { values[cpu * N + c.ordinal()]++; }

    /** Adds {@code n} to counter {@code c} of CPU {@code cpu}. */
    public void add(int cpu, Counter c, long n) { values[cpu * N + c.ordinal()] += n; }

    /** The current value of one CPU's counter. */
    public long get(int cpu, Counter c) { return values[cpu * N + c.ordinal()]; }

    /** The sum over CPUs. */
    public long total(Counter c) {
        long s = 0;
        for (int i = 0; i < nrCpus; i++) s += values[i * N + c.ordinal()];
        return s;
    }

    /** Number of CPUs counted. */
    public int nrCpus() { return nrCpus; }

    /** An immutable copy of every counter now. */
    public CounterSnapshot snapshot() {
        long[][] copy = new long[nrCpus][];
        for (int i = 0; i < nrCpus; i++) copy[i] = java.util.Arrays.copyOfRange(values, i * N, (i + 1) * N);
        return new CounterSnapshot(copy);
    }

    /** The non-zero counters summed over CPUs, one "name value" line each (as /proc/vmstat). */
    @Override public String toString() {
        return "counters of " + nrCpus + " CPU(s)\n" + snapshot();
    }
}
