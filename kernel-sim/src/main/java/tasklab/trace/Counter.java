package tasklab.trace;

/**
 * The simulator's counters, named as /proc/vmstat, /proc/interrupts and LINUX-SPEC §8.5 name
 * them. Each is kept per CPU; totals are sums.
 */
public enum Counter {
    /**
     * __flush_tlb() / local_flush_tlb() executions, IPI handlers included, and the one-page
     * flushes of a CPU without INVLPG (there __flush_tlb_one is __flush_tlb).
     */
    TLB_FULL_LOCAL("tlb_full_local"),
    /** __flush_tlb_one(va) executions that were an INVLPG (none on a CPU without it). */
    TLB_PAGE_LOCAL("tlb_page_local"),
    /** __flush_tlb_all() with PGE (global flushes). */
    TLB_GLOBAL("tlb_global"),
    /** load_cr3(next->pgd) in switch_mm / activate_mm with prev != next. */
    CR3_SWITCH("cr3_switch"),
    /** load_cr3 in switch_mm's prev == next branch after leave_mm. */
    CR3_LAZY_RELOAD("cr3_lazy_reload"),
    /** load_cr3(swapper_pg_dir) in leave_mm. */
    CR3_LEAVE_MM("cr3_leave_mm"),
    /** INVALIDATE_TLB IPIs sent: popcount(cpumask) summed over flush_tlb_others calls. */
    IPI_TLB("ipi_tlb"),
    /** CALL_FUNCTION IPIs sent by flush_tlb_all. */
    IPI_CALL_FUNCTION("ipi_call_function"),
    /** RESCHEDULE IPIs sent by reschedule_idle / try_to_wake_up. */
    IPI_RESCHEDULE("ipi_reschedule"),
    /** flush_tlb_mm() calls, including those with no effect. */
    FLUSH_TLB_MM("flush_tlb_mm"),
    /** flush_tlb_page() calls, including those with no effect. */
    FLUSH_TLB_PAGE("flush_tlb_page"),
    /** flush_tlb_range() calls, including those with no effect. */
    FLUSH_TLB_RANGE("flush_tlb_range"),
    /** flush_tlb_all() calls. */
    FLUSH_TLB_ALL("flush_tlb_all"),
    /** Local timer interrupts received (/proc/interrupts LOC). */
    IRQ_TIMER("irq_LOC"),
    /** TLB shootdown IPIs received (/proc/interrupts TLB). */
    IRQ_TLB("irq_TLB"),
    /** Function-call IPIs received (/proc/interrupts CAL). */
    IRQ_CALL_FUNCTION("irq_CAL"),
    /** Rescheduling IPIs received (/proc/interrupts RES). */
    IRQ_RESCHEDULE("irq_RES"),
    /** Context switches (2.4 kstat.context_swtch, 2.6 rq->nr_switches; /proc/stat ctxt). */
    CONTEXT_SWITCH("ctxt"),
    /** Direct cycles of context switches: the scheduler path, switch_mm and CR3 loads. */
    SWITCH_DIRECT_CYCLES("switch_direct_cycles"),
    /** Refill cycles after switches: TLB walks and cache misses until the CPU's next switch. */
    SWITCH_REFILL_CYCLES("switch_refill_cycles"),
    /** Page faults taken (do_page_fault entries; /proc/vmstat pgfault). */
    PGFAULT("pgfault"),
    /** Faults that ended as minor faults. */
    PGFAULT_MINOR("pgfault_minor"),
    /** Faults that ended as major faults. */
    PGFAULT_MAJOR("pgmajfault"),
    /** do_anonymous_page read faults that mapped the zero page. */
    FAULT_ZERO_PAGE("fault_zero_page"),
    /** do_anonymous_page write faults that allocated a zeroed frame. */
    FAULT_ANON_PAGE("fault_anon_page"),
    /** do_wp_page copies (COW break). */
    COW_COPY("cow_copy"),
    /** do_wp_page reuses (sole owner made writable). */
    COW_REUSE("cow_reuse"),
    /** present-pte faults that only set accessed / dirty bits. */
    FAULT_SPURIOUS("fault_young_dirty"),
    /** Faults that ended in SIGSEGV. */
    SIGSEGV("sigsegv"),
    /** Frames allocated for user pages (pgalloc). */
    PGALLOC("pgalloc"),
    /** Frames freed from user mappings (pgfree). */
    PGFREE("pgfree"),
    /** Successful forks / clones (total_forks). */
    FORK("forks"),
    /** Successful execs. */
    EXEC("execs"),
    /** Task exits. */
    EXIT("exits"),
    /** FUTEX_WAKE calls made by mm_release for CLONE_CHILD_CLEARTID (2.6). */
    FUTEX_WAKE("futex_wake");

    private final String procName;

    Counter(String procName) { this.procName = procName; }

    /** The name as a /proc file or LINUX-SPEC §8.5 prints it. */
    public String procName() { return procName; }
}
