package tasklab.mm;

import tasklab.machine.CostKind;
import tasklab.machine.KernelBug;
import tasklab.machine.PhysMem;
import tasklab.machine.Pte;
import tasklab.trace.Counter;
import tasklab.trace.FaultKind;

/**
 * mm/memory.c: copying page tables at fork (copy_page_range), unmapping (zap_page_range), and
 * the fault handlers handle_mm_fault, handle_pte_fault, do_anonymous_page, do_no_page and
 * do_wp_page with the TLB flush each path performs (LINUX-SPEC §5.11, §8.4, §9).
 */
public final class Memory {
    /** FREE_PTE_NR: ptes gathered before an SMP tlb_finish_mmu must flush (asm-generic/tlb.h). */
    public static final int FREE_PTE_NR = 508;

    private final MmCore core;
    private final PhysMem mem;

    Memory(MmCore core) {
        this.core = core;
        this.mem = core.mem();
    }

    // ---- reference helpers that differ by version ----

    /** Whether a mapping of this frame is counted (get_page, rss, mapcount): 2.4 skips reserved frames, 2.6 counts the zero page too (vm_normal_page). */
    private boolean counted(int pfn) {
        return !mem.isReserved(pfn) || (core.version().is26() && (mem.flags(pfn) & PhysMem.F_ZERO) != 0);
    }

    /** page_cache_release(): 2.4's __free_pages ignores reserved frames; 2.6's put_page does not. */
    private void pageCacheRelease(int pfn) {
        if (mem.isReserved(pfn) && core.version().is24()) return;
        mem.putPage(pfn);
    }

    // ---- fork ----

    /**
     * copy_page_range(dst, src, vma): copies the vma's ptes into the child; private writable
     * ptes become read-only in both, the child's are made old (and clean if shared), each
     * counted frame gets one more reference. Returns 0 or -ENOMEM. Costs, on {@code cpu}: {@code copyPte} per
     * present pte copied and a {@code pageClear} per page table the child gets (pte_alloc_one clears it), so a
     * fork's time grows with the parent's resident set as on real hardware. Linux: mm/memory.c copy_page_range() (R5.11).
     */
    public int copyPageRange(int cpu, MmStruct dst, MmStruct src, Vma vma) {
        boolean cow = (vma.flags & (VmFlags.VM_SHARED | VmFlags.VM_MAYWRITE)) == VmFlags.VM_MAYWRITE;
        boolean shared = (vma.flags & VmFlags.VM_SHARED) != 0;
        boolean v26 = core.version().is26();
        int[] srcPgd = mem.table(src.pgd);
        int[] dstPgd = mem.table(dst.pgd);
        var hw = core.cpu(cpu);
        long copied = 0;
        long addr = vma.start;
        while (addr < vma.end) {
            int pgdIdx = (int) (addr >>> Pte.PGDIR_SHIFT);
            long tableEnd = Math.min(((long) pgdIdx + 1) << Pte.PGDIR_SHIFT, vma.end);
            int pde = srcPgd[pgdIdx];
            if ((pde & Pte.PRESENT) == 0) { addr = tableEnd; continue; }
            int[] srcPt = mem.table(Pte.pfn(pde));
            int[] dstPt = null;
            for (; addr < tableEnd; addr += Pte.PAGE_SIZE) {
                int idx = (int) ((addr >>> Pte.PAGE_SHIFT) & 1023);
                int pte = srcPt[idx];
                if (pte == 0) continue;
                if (dstPt == null) {
                    boolean fresh = (dstPgd[pgdIdx] & Pte.PRESENT) == 0;
                    dstPt = core.pageTables.pteAlloc(dst, addr);
                    if (dstPt == null) { hw.charge(CostKind.PAGE_TABLES, copied * hw.cost().copyPte()); return tasklab.kernel.Errno.ENOMEM.neg(); }
                    if (fresh) chargePage(cpu, CostKind.PAGE_CLEAR);     // pte_alloc_one: clear_page of the new table
                }
                copied++;                     // every present pte costs the loop body, the zero page's too
                int pfn = Pte.pfn(pte);
                if (!counted(pfn)) {          // 2.4 ZERO_PAGE: copied unchanged, no reference, no rss
                    dstPt[idx] = pte;
                    continue;
                }
                if (cow && (v26 || Pte.write(pte))) {
                    pte &= ~Pte.RW;          // ptep_set_wrprotect(src_pte)
                    srcPt[idx] = pte;
                }
                int child = pte;
                if (shared) child &= ~Pte.DIRTY;          // pte_mkclean
                child &= ~Pte.ACCESSED;                    // pte_mkold
                mem.getPage(pfn);
                mem.mapcountInc(pfn);
                dst.rss++;
                dstPt[idx] = child;
            }
        }
        hw.charge(CostKind.PAGE_TABLES, copied * hw.cost().copyPte());
        return 0;
    }

    // ---- unmapping ----

    /**
     * zap_page_range(mm, start, end) within one vma: clears the ptes, drops the references
     * (freeing frames that reach zero) and finishes with the tlb_finish_mmu flushes.
     * Returns the number of ptes cleared. Costs {@code zapPte} per present pte on {@code cpu}, then the flushes.
     * Linux: mm/memory.c zap_page_range() (R8.4 row "zap").
     */
    public int zapPageRange(int cpu, MmStruct mm, long start, long end) {
        int[] pgd = mem.table(mm.pgd);
        int gathered = 0;
        long addr = start;
        while (addr < end) {
            int pgdIdx = (int) (addr >>> Pte.PGDIR_SHIFT);
            long tableEnd = Math.min(((long) pgdIdx + 1) << Pte.PGDIR_SHIFT, end);
            int pde = pgd[pgdIdx];
            if ((pde & Pte.PRESENT) == 0) { addr = tableEnd; continue; }
            int[] pt = mem.table(Pte.pfn(pde));
            for (; addr < tableEnd; addr += Pte.PAGE_SIZE) {
                int idx = (int) ((addr >>> Pte.PAGE_SHIFT) & 1023);
                int pte = pt[idx];
                if (pte == 0) continue;
                pt[idx] = 0;
                if (!Pte.present(pte)) continue;
                gathered++;
                int pfn = Pte.pfn(pte);
                if (!counted(pfn)) continue;
                mm.rss--;
                mem.mapcountDec(pfn);
                boolean anonFree = mem.count(pfn) == 1 && !mem.isReserved(pfn);
                mem.putPage(pfn);
                if (anonFree) core.count(cpu, Counter.PGFREE);
            }
        }
        var hw = core.cpu(cpu);
        hw.charge(CostKind.PAGE_TABLES, gathered * hw.cost().zapPte());
        tlbFinishMmu(cpu, mm, start, end, gathered);
        return gathered;
    }

    /** tlb_finish_mmu(): UP and fast mode flush once; SMP gather mode once per FREE_PTE_NR ptes gathered (none if none). */
    private void tlbFinishMmu(int cpu, MmStruct mm, long start, long end, int gathered) {
        int flushes;
        if (!core.smp() || mm.mmUsers <= 1) flushes = 1;
        else flushes = (gathered + FREE_PTE_NR - 1) / FREE_PTE_NR;
        for (int i = 0; i < flushes; i++) core.tlb.flushTlbRange(cpu, mm, start, end);
    }

    /**
     * put_dirty_page(): exec installs an argument page with the given bytes at its end, already
     * mapped (frame | 0x067), without a fault. Returns false when out of memory. Linux: fs/exec.c.
     */
    public boolean putDirtyPage(int cpu, MmStruct mm, long va, byte[] bytesAtEnd) {
        int[] pt = core.pageTables.pteAlloc(mm, va);
        if (pt == null) return false;
        int page = mem.allocPage(PhysMem.F_ANON);
        if (page < 0) return false;
        core.count(cpu, Counter.PGALLOC);
        long base = ((long) page << Pte.PAGE_SHIFT) + Pte.PAGE_SIZE - bytesAtEnd.length;
        for (int i = 0; i < bytesAtEnd.length; i++) mem.writeByte(base + i, bytesAtEnd[i]);
        mem.mapcountInc(page);
        mm.rss++;
        pt[(int) ((va >>> Pte.PAGE_SHIFT) & 1023)] = Pte.mkPte(page, Pte.PAGE_COPY) | Pte.RW | Pte.DIRTY;
        return true;
    }

    // ---- faults ----

    /** handle_mm_fault(): allocates the page table, then handle_pte_fault. Linux: mm/memory.c handle_mm_fault() (R9.3). */
    public FaultKind handleMmFault(int cpu, MmStruct mm, Vma vma, int address, boolean write) {
        int[] pt = core.pageTables.pteAlloc(mm, address & 0xFFFFFFFFL);
        if (pt == null) return FaultKind.OOM;
        return handlePteFault(cpu, mm, vma, address, write, pt, (address >>> Pte.PAGE_SHIFT) & 1023);
    }

    /** handle_pte_fault(): not present -> do_no_page / do_anonymous_page; write to read-only -> do_wp_page; else mark young/dirty. (R9.3) */
    FaultKind handlePteFault(int cpu, MmStruct mm, Vma vma, int address, boolean write, int[] pt, int idx) {
        int entry = pt[idx];
        if (!Pte.present(entry)) {
            if (entry != 0) throw new KernelBug("handle_pte_fault", "swap entries are not simulated");
            if (vma.shm != null) return doNoPage(cpu, mm, vma, address, write, pt, idx);
            return doAnonymousPage(cpu, mm, vma, address, write, pt, idx);
        }
        if (write) {
            if (!Pte.write(entry)) return doWpPage(cpu, mm, vma, address, pt, idx, entry);
            entry |= Pte.DIRTY;
        }
        entry |= Pte.ACCESSED;
        establishPte(cpu, vma, address, pt, idx, entry);
        core.count(cpu, Counter.FAULT_SPURIOUS);
        return FaultKind.YOUNG_DIRTY;
    }

    /** establish_pte(): set the pte and flush its TLB entry. Linux: mm/memory.c establish_pte(). */
    private void establishPte(int cpu, Vma vma, int address, int[] pt, int idx, int entry) {
        pt[idx] = entry;
        core.tlb.flushTlbPage(cpu, vma, address & ~0xFFF);
    }

    /** Charges clear_page() or copy_page() of 4 KiB to the CPU (CostModel pageClear / pageCopy). */
    private void chargePage(int cpu, CostKind kind) {
        var c = core.cpu(cpu);
        c.charge(kind, kind == CostKind.PAGE_COPY ? c.cost().pageCopy() : c.cost().pageClear());
    }

    /** do_anonymous_page(): read maps the zero page read-only, write maps a fresh zeroed frame; no TLB flush. Linux: mm/memory.c (R9.4). */
    FaultKind doAnonymousPage(int cpu, MmStruct mm, Vma vma, int address, boolean write, int[] pt, int idx) {
        if (!write) {
            int zero = MmCore.ZERO_PAGE_PFN;
            if (core.version().is26()) {      // 2.6: page_cache_get(ZERO_PAGE), file_rss++, rmap
                mem.getPage(zero);
                mem.mapcountInc(zero);
                mm.rss++;
            }
            pt[idx] = Pte.mkPte(zero, vma.pageProt & ~Pte.RW);
            core.count(cpu, Counter.FAULT_ZERO_PAGE);
            return FaultKind.ZERO_PAGE;
        }
        int page = mem.allocPage(PhysMem.F_ANON);
        if (page < 0) return FaultKind.OOM;
        core.count(cpu, Counter.PGALLOC);
        mem.clearPage(page);
        chargePage(cpu, CostKind.PAGE_CLEAR);
        mm.rss++;
        mem.mapcountInc(page);
        pt[idx] = Pte.mkPte(page, vma.pageProt) | Pte.RW | Pte.DIRTY;
        core.count(cpu, Counter.FAULT_ANON_PAGE);
        return FaultKind.ANON_PAGE;
    }

    /** do_no_page() for a shared anonymous (shmem) mapping: every sharer maps the object's one frame. Linux: mm/memory.c do_no_page(), mm/shmem.c. */
    FaultKind doNoPage(int cpu, MmStruct mm, Vma vma, int address, boolean write, int[] pt, int idx) {
        int index = (int) (vma.pgoff + (((address & 0xFFFFFFFFL) - vma.start) >>> Pte.PAGE_SHIFT));
        int page = vma.shm.find(index);
        if (page < 0) {
            page = mem.allocPage(PhysMem.F_ANON);
            if (page < 0) return FaultKind.OOM;
            core.count(cpu, Counter.PGALLOC);
            chargePage(cpu, CostKind.PAGE_CLEAR);   // shmem_getpage: clear_highpage
            vma.shm.add(index, page);          // the object's page-cache reference (count 1)
        }
        mem.getPage(page);                      // the mapping's reference
        mem.mapcountInc(page);
        mm.rss++;
        int entry = Pte.mkPte(page, vma.pageProt);
        if (write) entry |= Pte.RW | Pte.DIRTY;
        pt[idx] = entry;
        return FaultKind.SHARED_PAGE;
    }

    /**
     * do_wp_page(): a write to a present read-only pte. Reuses the frame when this mapping is its
     * only user (2.4: page_count == 1; 2.6: page_mapcount == 1), else copies it (the zero page is
     * cleared instead). Either way one flush_tlb_page. Linux: mm/memory.c do_wp_page() (R9.5, R9.6).
     */
    FaultKind doWpPage(int cpu, MmStruct mm, Vma vma, int address, int[] pt, int idx, int pte) {
        int old = Pte.pfn(pte);
        boolean reserved = mem.isReserved(old);
        boolean reuse = core.version().is24()
            ? !reserved && mem.count(old) == 1                 // can_share_swap_page(): count 1, not reserved
            : !reserved && mem.mapcount(old) == 1;             // 2.6: PageAnon && page_mapcount == 1
        if (reuse) {
            establishPte(cpu, vma, address, pt, idx, pte | Pte.RW | Pte.DIRTY | Pte.ACCESSED);
            core.count(cpu, Counter.COW_REUSE);
            return FaultKind.COW_REUSE;
        }
        mem.getPage(old);                                      // page_cache_get(old_page)
        int page = mem.allocPage(PhysMem.F_ANON);
        if (page < 0) {
            pageCacheRelease(old);
            return FaultKind.OOM;
        }
        core.count(cpu, Counter.PGALLOC);
        if ((mem.flags(old) & PhysMem.F_ZERO) != 0) {
            mem.clearPage(page);
            chargePage(cpu, CostKind.PAGE_CLEAR);
        } else {
            mem.copyPage(old, page);
            chargePage(cpu, CostKind.PAGE_COPY);
        }
        if (reserved && core.version().is24()) mm.rss++;       // the zero page was not counted in 2.4
        if (counted(old)) mem.mapcountDec(old);
        mem.mapcountInc(page);
        establishPte(cpu, vma, address, pt, idx, Pte.mkPte(page, vma.pageProt) | Pte.RW | Pte.DIRTY);  // break_cow
        pageCacheRelease(old);                                 // new_page = old_page; release
        pageCacheRelease(old);
        core.count(cpu, Counter.COW_COPY);
        return FaultKind.COW_COPY;
    }
}
