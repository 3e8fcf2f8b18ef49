package tasklab.mm;

/**
 * A bare user context for memory experiments without tasks: it stands where a task would
 * (current on a CPU) with an mm, and counts its faults.
 */
public final class UserContext implements MmTask {
    private final int pid;
    private final MmStruct mm;
    private long minFlt;
    private long majFlt;

    /** A context with id {@code pid} running in {@code mm}. */
    public UserContext(int pid, MmStruct mm) {
        this.pid = pid;
        this.mm = mm;
    }

    @Override public MmStruct mm() { return mm; }
    @Override public MmStruct activeMm() { return mm; }
    @Override public int pid() { return pid; }
    @Override public void countMinorFault() { minFlt++; }
    @Override public void countMajorFault() { majFlt++; }
    /** Minor faults taken. */
    public long minFlt() { return minFlt; }
    /** Major faults taken. */
    public long majFlt() { return majFlt; }
}
