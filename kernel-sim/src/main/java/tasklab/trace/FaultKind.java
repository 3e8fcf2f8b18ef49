package tasklab.trace;

/** How a page fault was resolved. */
public enum FaultKind {
    /** do_anonymous_page read: the zero page was mapped read-only. */
    ZERO_PAGE,
    /** do_anonymous_page write: a fresh zeroed frame was mapped writable. */
    ANON_PAGE,
    /** do_no_page on a shared anonymous mapping: the shared frame was mapped. */
    SHARED_PAGE,
    /** do_wp_page copied the page (COW break). */
    COW_COPY,
    /** do_wp_page reused the page (sole owner). */
    COW_REUSE,
    /** A present pte only needed its accessed / dirty bits (establish_pte). */
    YOUNG_DIRTY,
    /** bad_area with no vma: SIGSEGV, SEGV_MAPERR. */
    SEGV_MAPERR,
    /** bad_area with a vma that forbids the access: SIGSEGV, SEGV_ACCERR. */
    SEGV_ACCERR,
    /** Out of memory while handling the fault. */
    OOM,
    /** A kernel-mode fault on a user address with no mm (oops). */
    OOPS
}
