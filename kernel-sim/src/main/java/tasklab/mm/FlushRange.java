package tasklab.mm;

import tasklab.machine.CpuModel;

/**
 * What a {@link FlushRangePolicy} is asked about: one flush_tlb_range(mm, start, end) call, the
 * CPU model it runs on, how many CPUs may hold the mm's entries (the bits of its cpu_vm_mask),
 * and the mm's resident pages (mm-&gt;rss): what the kernel knows when it decides. It does not know
 * which of those pages are in a TLB. Linux: the arguments of arch/x86/mm/tlb.c flush_tlb_mm_range() (3.15+).
 *
 * @param start first address of the range (page aligned)
 * @param end   first address after the range
 * @param cpu   the CPU model (INVLPG or not, TLB geometry; its costs are {@code CostModel.of(cpu)})
 * @param cpus  CPUs in the mm's cpu_vm_mask: those whose TLBs may hold the range
 * @param rss   resident pages of the mm (mm-&gt;rss) when the flush is asked for
 */
public record FlushRange(long start, long end, CpuModel cpu, int cpus, long rss) {
    /** Pages in the range: (end - start) / 4096, as flush_tlb_mm_range's base_pages_to_flush. */
    public int pages() { return (int) ((end - start + 4095) >>> 12); }

    /** Whether the CPU has INVLPG; without it each one-page flush is a full flush (80386). */
    public boolean hasInvlpg() { return cpu.hasInvlpg(); }

    /** Entries of the CPU's data TLB: at most this many entries a full flush can throw away. */
    public int dtlbEntries() { return cpu.dtlb().entries(); }

    @Override public String toString() {
        return String.format("flush_tlb_range(0x%08x-0x%08x, %d pages) on %s, %d CPU(s) in cpu_vm_mask, rss %d", start, end, pages(), cpu.name(), cpus, rss);
    }
}
