package tasklab.mm;

/** Per-CPU kernel state the memory code uses: current, and cpu_tlbstate {active_mm, state}. */
public final class PerCpu {
    MmTask current;
    MmStruct tlbActiveMm;
    TlbState tlbState = TlbState.BOOT;
    int lastSiCode;

    /** The task running on this CPU (current), or null before boot. */
    public MmTask current() { return current; }
    /** Sets the task running on this CPU: called by the scheduler's switch. */
    public void setCurrent(MmTask t) { current = t; }
    /** cpu_tlbstate[cpu].active_mm. */
    public MmStruct tlbActiveMm() { return tlbActiveMm; }
    /** cpu_tlbstate[cpu].state. */
    public TlbState tlbState() { return tlbState; }
    /** si_code of the last SIGSEGV raised by a fault on this CPU (SEGV_MAPERR 1, SEGV_ACCERR 2). */
    public int lastSiCode() { return lastSiCode; }
}
