package tasklab.machine;

/**
 * What a CPU's cycles were spent on, for {@link Cpu#cycles(CostKind)}. Direct costs are the
 * instructions of an operation (a CR3 load, a flush, a system call, the scheduler path);
 * {@link #TLB_MISS} and {@link #MEMORY} are the indirect costs that show up after a switch as
 * refill misses.
 */
public enum CostKind {
    /** MOV to CR3 (switch_mm, leave_mm, load_cr3). */
    CR3_LOAD,
    /** __flush_tlb() and __flush_tlb_global() (and INVLPG's full-flush fallback on the 386). */
    TLB_FLUSH,
    /** INVLPG (__flush_tlb_one()). */
    INVLPG,
    /** Hardware page walks after TLB misses, with the cache cost of their pde / pte reads. */
    TLB_MISS,
    /** Data accesses beyond an L1 hit: L2 hits and memory references. */
    MEMORY,
    /** Exception (page fault) and interrupt entry + iret. */
    FAULT_ENTRY,
    /** int 0x80 + system_call + iret. */
    SYSCALL,
    /** schedule() + switch_to without the mm work. */
    SCHEDULE,
    /** pipe_read / pipe_write beyond the system-call entry, and the wake-up of a sleeping reader. */
    PIPE,
    /** The sender's wait for IPI acknowledgements (flush_tlb_others, smp_call_function). */
    IPI,
    /** copy_page() of a 4 KiB page (COW). */
    PAGE_COPY,
    /** clear_page() of a 4 KiB page (a zero-fill fault, a new page table). */
    PAGE_CLEAR,
    /** Page-table walking work per pte: copy_page_range at fork (copyPte), zap_page_range at exit and munmap (zapPte). */
    PAGE_TABLES,
    /** Anything charged through {@link Cpu#charge(long)}: program compute, uncategorised work. */
    OTHER;

    /** True for the refill costs a switch causes afterwards: {@link #TLB_MISS} and {@link #MEMORY}. */
    public boolean isRefill() {
        return this == TLB_MISS || this == MEMORY;
    }
}
