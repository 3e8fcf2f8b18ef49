package tasklab.mm;

/**
 * Extension point: how flush_tlb_range() empties the TLBs after the ptes of a range changed
 * (mprotect's change_protection, and tlb_finish_mmu after zap_page_range in munmap, brk and exit).
 * Linux: include/asm-i386/pgalloc.h (2.4) / include/asm-i386/tlbflush.h (2.6) flush_tlb_range().
 *
 * <p>The i386 kernels of 2.4 and 2.6 ignore the range: flush_tlb_range is flush_tlb_mm, a full
 * flush here and an INVALIDATE_TLB IPI with FLUSH_ALL to the mm's other CPUs (R8.1, R8.8). That
 * is {@link #LINUX_2_4}, the default, and with it the simulator is the kernel, event for event.
 * Linux 3.15 and later (arch/x86/mm/tlb.c flush_tlb_mm_range()) flush a range of at most
 * {@code tlb_single_page_flush_ceiling} = 33 pages one INVLPG per page, here and in each other
 * CPU's IPI handler, and everything above it: {@link #LINUX_4}.
 *
 * <p>Both answers are correct (every stale entry of the range goes); they differ in cost. A full
 * flush costs one flush but throws away the rest of the working set, which is refilled by page
 * walks later; per page costs one INVLPG per page (on a CPU without INVLPG, each is a full flush)
 * and keeps the other entries. A policy is a pure function of its {@link FlushRange}: same range,
 * same answer, so runs stay deterministic. It is called once per flush_tlb_range call, before
 * any flushing. If it throws or returns null the kernel does the safe thing (a full flush, as
 * 2.4 does), goes on, and the lab API reports the failure after the call (see
 * {@link TlbFlush#takePolicyFailure()}).
 *
 * <p>Example: {@code Sim.linux24().flushRangePolicy(r -> r.pages() <= 8 ? Flush.PER_PAGE : Flush.FULL).boot()}.
 */
@FunctionalInterface
public interface FlushRangePolicy {
    /** What flush_tlb_range does with the range. */
    enum Flush {
        /** Flush the whole mm: local_flush_tlb() here, flush_tlb_others(..., FLUSH_ALL) to the others (flush_tlb_mm, R8.6). */
        FULL,
        /** One __flush_tlb_one() (INVLPG) per page of the range, here and in each other CPU's IPI handler. */
        PER_PAGE
    }

    /**
     * Chooses how to flush {@code range}. Called by flush_tlb_range before it flushes anything.
     * Linux: the {@code base_pages_to_flush > tlb_single_page_flush_ceiling} test of flush_tlb_mm_range().
     */
    Flush choose(FlushRange range);

    /** i386 Linux 2.4 and 2.6: always a full flush (flush_tlb_range = flush_tlb_mm). The default. */
    FlushRangePolicy LINUX_2_4 = named("linux-2.4", range -> Flush.FULL);

    /** x86 Linux 3.15 and later: per page up to 33 pages (tlb_single_page_flush_ceiling), full above. */
    FlushRangePolicy LINUX_4 = ceiling(33);

    /**
     * Per page for ranges of at most {@code pages} pages, a full flush above, named "ceiling-N".
     * Linux: arch/x86/mm/tlb.c flush_tlb_mm_range() with tlb_single_page_flush_ceiling = pages.
     */
    static FlushRangePolicy ceiling(int pages) {
        if (pages < 0) throw new IllegalArgumentException("a flush ceiling is 0 pages or more, got " + pages);
        return named("ceiling-" + pages, range -> range.pages() <= pages ? Flush.PER_PAGE : Flush.FULL);
    }

    /** The same policy with a name for tables and charts (a lambda's own name is unreadable). Example: {@code named("mine", r -> ...)}. */
    static FlushRangePolicy named(String name, FlushRangePolicy policy) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a policy needs a name, e.g. \"mine\"");
        if (policy == null) throw new IllegalArgumentException("policy '" + name + "' is null: give a function from FlushRange to Flush");
        return new Named(name, policy instanceof Named n ? n.policy() : policy);
    }

    /** A policy with a name; {@link #toString()} is the name. */
    record Named(String name, FlushRangePolicy policy) implements FlushRangePolicy {
        /** Asks the named policy. */
        @Override public Flush choose(FlushRange range) { return policy.choose(range); }
        /** The name. */
        @Override public String toString() { return name; }
    }
}
