package tasklab.trace;

/** Why a TLB was flushed, as the Linux tlb_flush tracepoint names it (include/trace/events/tlb.h). */
public enum FlushReason {
    /** CR3 load in switch_mm (TLB_FLUSH_ON_TASK_SWITCH). */
    TASK_SWITCH,
    /** Flush done on this CPU by an IPI from another (TLB_REMOTE_SHOOTDOWN). */
    REMOTE_SHOOTDOWN,
    /** A local flush of one page or range (TLB_LOCAL_SHOOTDOWN). */
    LOCAL_SHOOTDOWN,
    /** A local flush of a whole mm (TLB_LOCAL_MM_SHOOTDOWN). */
    LOCAL_MM_SHOOTDOWN
}
