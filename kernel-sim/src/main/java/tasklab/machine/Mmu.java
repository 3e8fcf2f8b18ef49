package tasklab.machine;

/**
 * The i386 paging unit: translates a linear address through the TLB, or walks pgd -> pte
 * (10/10/12 split), sets the accessed and dirty bits as the hardware does, fills the TLB, or
 * reports a page fault with the i386 error code. Results are a physical address (>= 0) or a
 * negative fault word, so the hot path allocates nothing. A TLB hit costs nothing extra; each walk
 * charges the CPU {@link CostModel#tlbMissWalk()} plus the cache cost of its pde and pte reads.
 */
public final class Mmu {
    private Mmu() {}

    /** Error-code / access bit 0: the page was present (a protection fault). */
    public static final int PF_PROT = 1;
    /** Error-code / access bit 1: a write. */
    public static final int PF_WRITE = 2;
    /** Error-code / access bit 2: from user mode. */
    public static final int PF_USER = 4;
    /** Access bit 4: an instruction fetch (uses the iTLB). */
    public static final int PF_INSTR = 16;

    /** Whether {@link #translate} returned a fault. */
    public static boolean isFault(long result) { return result < 0; }
    /** The i386 error code of a fault result. */
    public static int errorCode(long result) { return (int) ~result; }

    /**
     * Translates {@code va} for an access ({@code PF_WRITE | PF_USER | PF_INSTR} bits) on {@code cpu}.
     * Returns the physical address, or a fault (see {@link #isFault}); on a fault CR2 holds {@code va}.
     */
    public static long translate(Cpu cpu, PhysMem mem, int va, int access) {
        Tlb tlb = (access & PF_INSTR) != 0 ? cpu.itlb() : cpu.dtlb();
        int e = tlb.lookup(va);
        if (e != 0) {
            if (!permitted(cpu, e, access)) return fault(cpu, va, PF_PROT | access);
            if ((access & PF_WRITE) == 0 || (e & Pte.DIRTY) != 0) {
                return ((long) (e >>> Pte.PAGE_SHIFT) << Pte.PAGE_SHIFT) | (va & 0xFFF);
            }
            // A write through a clean entry: the CPU walks again to set the dirty bit in memory.
        }
        return walk(cpu, mem, tlb, va, access);
    }

    /**
     * A supervisor read of {@code va} where only a 4 MiB entry can map it (the kernel's direct map with
     * PSE on a TLB that holds 4 MiB entries as such): {@link Tlb#lookupLarge}, and on a miss the walk.
     * Equivalent to {@code translate(cpu, mem, va, 0)} there, with the 4 KiB probe skipped; the
     * physical address is not needed by the caller (it has it).
     */
    public static void kernelLargeRead(Cpu cpu, PhysMem mem, int va) {
        Tlb tlb = cpu.dtlb();
        if (tlb.lookupLarge(va) == 0) kernelWalk(cpu, mem, tlb, va);
    }

    /** The walk after a kernel miss: rare, and kept out of line so the hit path inlines. */
    private static void kernelWalk(Cpu cpu, PhysMem mem, Tlb tlb, int va) {
        walk(cpu, mem, tlb, va, 0);
    }

    private static long walk(Cpu cpu, PhysMem mem, Tlb tlb, int va, int access) {
        cpu.countWalk();
        if (cpu.cr3() < 0) {
            cpu.chargeWalk(-1, -1);
            return fault(cpu, va, access);
        }
        int[] pgd = mem.table(cpu.cr3());
        int pgdIdx = va >>> Pte.PGDIR_SHIFT;
        int pde = pgd[pgdIdx];
        long pdePa = ((long) cpu.cr3() << Pte.PAGE_SHIFT) + 4L * pgdIdx;
        if ((pde & Pte.PRESENT) == 0) {
            cpu.chargeWalk(pdePa, -1);
            return fault(cpu, va, access);
        }
        if ((pde & Pte.PSE) != 0 && cpu.pseEnabled()) return walkLarge(cpu, pgd, pgdIdx, pde, pdePa, tlb, va, access);
        int[] pt = mem.table(pde >>> Pte.PAGE_SHIFT);
        int pteIdx = (va >>> Pte.PAGE_SHIFT) & 1023;
        int pte = pt[pteIdx];
        cpu.chargeWalk(pdePa, ((long) (pde >>> Pte.PAGE_SHIFT) << Pte.PAGE_SHIFT) + 4L * pteIdx);
        if ((pte & Pte.PRESENT) == 0) return fault(cpu, va, access);
        // Effective rights: RW and U must be set at both levels.
        int effective = pte & (pde | ~(Pte.RW | Pte.USER));
        if (!permitted(cpu, effective, access)) return fault(cpu, va, PF_PROT | access);
        if ((pde & Pte.ACCESSED) == 0) pgd[pgdIdx] = pde | Pte.ACCESSED;
        int updated = pte | Pte.ACCESSED | ((access & PF_WRITE) != 0 ? Pte.DIRTY : 0);
        if (updated != pte) pt[pteIdx] = updated;
        int cached = effective | (updated & (Pte.ACCESSED | Pte.DIRTY));
        tlb.insert(va, cached);
        return ((long) (pte >>> Pte.PAGE_SHIFT) << Pte.PAGE_SHIFT) | (va & 0xFFF);
    }

    /**
     * The walk ends at a pde with PS set (CR4.PSE on): no page table; the pde maps a 4 MiB page, whose
     * base is the pde's bits 31-22, plus the address's low 22 bits. One reference (the pde) is charged;
     * A (and D on a write) are set in the pde, and the TLB gets a 4 MiB entry.
     */
    private static long walkLarge(Cpu cpu, int[] pgd, int pgdIdx, int pde, long pdePa, Tlb tlb, int va, int access) {
        cpu.chargeWalk(pdePa, -1);
        if (!permitted(cpu, pde, access)) return fault(cpu, va, PF_PROT | access);
        int updated = pde | Pte.ACCESSED | ((access & PF_WRITE) != 0 ? Pte.DIRTY : 0);
        if (updated != pde) pgd[pgdIdx] = updated;
        tlb.insertLarge(va, updated);
        return ((long) (pde >>> Pte.PGDIR_SHIFT) << Pte.PGDIR_SHIFT) | (va & (Tlb.LARGE_PAGE - 1));
    }

    /** User accesses need U (and RW to write); supervisor writes honour RW where CR0.WP exists (486+). */
    private static boolean permitted(Cpu cpu, int e, int access) {
        if ((access & PF_USER) != 0) {
            if ((e & Pte.USER) == 0) return false;
            return (access & PF_WRITE) == 0 || (e & Pte.RW) != 0;
        }
        if ((access & PF_WRITE) == 0 || (e & Pte.RW) != 0) return true;
        return !cpu.model().hasInvlpg();   // the 386 has no CR0.WP: the kernel writes anywhere
    }

    private static long fault(Cpu cpu, int va, int code) {
        cpu.setCr2(va);
        return ~(long) (code & (PF_PROT | PF_WRITE | PF_USER));
    }

    /**
     * Reads the pte that maps {@code va} in the page directory {@code pgdPfn}, or 0 (no page table). For
     * a pde with PS set (a 4 MiB page) it returns the pde's 4 KiB view: the frame of va's 4 KiB piece
     * with the pde's flags, PSE among them.
     */
    public static int lookupPte(PhysMem mem, int pgdPfn, int va) {
        int pde = mem.table(pgdPfn)[va >>> Pte.PGDIR_SHIFT];
        if ((pde & Pte.PRESENT) == 0) return 0;
        if ((pde & Pte.PSE) != 0) return Pte.largeView(pde, va);
        return mem.table(pde >>> Pte.PAGE_SHIFT)[(va >>> Pte.PAGE_SHIFT) & 1023];
    }
}
