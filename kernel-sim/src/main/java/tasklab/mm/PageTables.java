package tasklab.mm;

import tasklab.machine.KernelBug;
import tasklab.machine.PhysMem;
import tasklab.machine.Pte;

/**
 * Page directories and page tables: allocation with the kernel part of swapper_pg_dir copied in,
 * on-demand page tables, and freeing. Linux: include/asm-i386/pgalloc.h (get_pgd_slow,
 * pte_alloc_one), mm/memory.c (pte_alloc, clear_page_tables, free_one_pgd).
 */
public final class PageTables {
    private final MmCore core;
    private final PhysMem mem;

    PageTables(MmCore core) {
        this.core = core;
        this.mem = core.mem();
    }

    /** pgd_alloc(): a new page directory, user slots 0..767 empty, 768..1023 copied from swapper_pg_dir; -1 if out of memory. Linux: get_pgd_slow(). */
    public int pgdAlloc() {
        int pfn = mem.allocPage(PhysMem.F_PAGE_TABLE);
        if (pfn < 0) return -1;
        int[] pgd = mem.makeTable(pfn);
        int[] swapper = mem.table(MmCore.SWAPPER_PG_DIR_PFN);
        System.arraycopy(swapper, Pte.USER_PTRS_PER_PGD, pgd, Pte.USER_PTRS_PER_PGD,
            Pte.PTRS_PER_TABLE - Pte.USER_PTRS_PER_PGD);
        return pfn;
    }

    /** pgd_free(). */
    public void pgdFree(int pgdPfn) {
        if (pgdPfn == MmCore.SWAPPER_PG_DIR_PFN) throw new KernelBug("pgd_free", "freeing swapper_pg_dir");
        mem.putPage(pgdPfn);
    }

    /** The page table covering {@code va}, allocated (zeroed, _PAGE_TABLE entry) if absent; null when out of memory. Linux: pte_alloc(). */
    int[] pteAlloc(MmStruct mm, long va) {
        int[] pgd = mem.table(mm.pgd);
        int idx = (int) (va >>> Pte.PGDIR_SHIFT);
        if (idx >= Pte.USER_PTRS_PER_PGD) throw new KernelBug("pte_alloc", "user page table above TASK_SIZE");
        int pde = pgd[idx];
        if ((pde & Pte.PRESENT) != 0) return mem.table(Pte.pfn(pde));
        int pt = mem.allocPageTable();
        if (pt < 0) return null;
        pgd[idx] = Pte.mkPte(pt, Pte.PAGE_TABLE);
        return mem.table(pt);
    }

    /** The page table covering {@code va}, or null if there is none (or the pde maps a 4 MiB page). Linux: pmd_none() test + pte_offset(). */
    int[] pteTable(MmStruct mm, long va) {
        int pde = mem.table(mm.pgd)[(int) (va >>> Pte.PGDIR_SHIFT)];
        return (pde & Pte.PRESENT) == 0 || (pde & Pte.PSE) != 0 ? null : mem.table(Pte.pfn(pde));
    }

    /** The pte mapping {@code va} in {@code mm}, or 0 (none); in a 4 MiB page (PS set in the pde) the pde's 4 KiB view with PSE in its flags. */
    public int pte(MmStruct mm, long va) {
        int pde = mem.table(mm.pgd)[(int) (va >>> Pte.PGDIR_SHIFT)];
        if ((pde & Pte.PRESENT) == 0) return 0;
        if ((pde & Pte.PSE) != 0) return Pte.largeView(pde, (int) va);
        return mem.table(Pte.pfn(pde))[(int) ((va >>> Pte.PAGE_SHIFT) & 1023)];
    }

    /** The pgd entry for {@code va}. */
    public int pgdEntry(MmStruct mm, long va) {
        return mem.table(mm.pgd)[(int) (va >>> Pte.PGDIR_SHIFT)];
    }

    /** Frees the page tables of pgd slots [first, last) (all their ptes must be clear). Linux: clear_page_tables() / free_one_pgd(). */
    void freePgdRange(MmStruct mm, int first, int last) {
        int[] pgd = mem.table(mm.pgd);
        for (int i = first; i < last; i++) {
            int pde = pgd[i];
            if ((pde & Pte.PRESENT) == 0) continue;
            int pt = Pte.pfn(pde);
            pgd[i] = 0;
            mem.putPage(pt);
        }
    }

    /** Number of user page tables (pgd slots 0..767 in use). */
    public int userPageTables(MmStruct mm) {
        int[] pgd = mem.table(mm.pgd);
        int n = 0;
        for (int i = 0; i < Pte.USER_PTRS_PER_PGD; i++) if ((pgd[i] & Pte.PRESENT) != 0) n++;
        return n;
    }

    MmCore core() { return core; }
}
