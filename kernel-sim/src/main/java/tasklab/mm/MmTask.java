package tasklab.mm;

/**
 * What the memory code needs to know of the task running on a CPU ({@code current}): its mm,
 * its active_mm, and where to count its faults. The kernel's Task implements it.
 */
public interface MmTask {
    /** current->mm (null for a kernel thread). */
    MmStruct mm();
    /** current->active_mm. */
    MmStruct activeMm();
    /** current->pid. */
    int pid();
    /** The user stack pointer, for the stack-growth check of do_page_fault. */
    default int userEsp() { return 0xC0000000 - 4; }
    /** tsk->min_flt++. */
    void countMinorFault();
    /** tsk->maj_flt++. */
    void countMajorFault();
}
