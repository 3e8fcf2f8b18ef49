package tasklab.machine;

/**
 * i386 two-level page-table entries: the real bit values and address split.
 * Linux: include/asm-i386/pgtable.h (_PAGE_*) and pgtable-2level.h.
 */
public final class Pte {
    private Pte() {}

    /** _PAGE_PRESENT: the entry maps a page. */
    public static final int PRESENT = 0x001;
    /** _PAGE_RW: writable. */
    public static final int RW = 0x002;
    /** _PAGE_USER: reachable from user mode (CPL 3). */
    public static final int USER = 0x004;
    /** _PAGE_PWT: write-through. */
    public static final int PWT = 0x008;
    /** _PAGE_PCD: cache disabled. */
    public static final int PCD = 0x010;
    /** _PAGE_ACCESSED: set by the MMU on any access. */
    public static final int ACCESSED = 0x020;
    /** _PAGE_DIRTY: set by the MMU on a write. */
    public static final int DIRTY = 0x040;
    /** _PAGE_PSE: 4 MiB page (pgd entries only); _PAGE_PROTNONE when not present. */
    public static final int PSE = 0x080;
    /** _PAGE_PROTNONE: a PROT_NONE pte (not present to the hardware). */
    public static final int PROTNONE = 0x080;
    /** _PAGE_GLOBAL: survives CR3 loads when CR4.PGE is set. */
    public static final int GLOBAL = 0x100;

    /** _PAGE_TABLE: what a pgd entry that points to a user page table holds. */
    public static final int PAGE_TABLE = PRESENT | RW | USER | ACCESSED | DIRTY;   // 0x067
    /** _KERNPG_TABLE: a pgd entry pointing to a kernel page table. */
    public static final int KERNPG_TABLE = PRESENT | RW | ACCESSED | DIRTY;       // 0x063
    /** PAGE_NONE. */
    public static final int PAGE_NONE = PROTNONE | ACCESSED;                      // 0x0A0
    /** PAGE_SHARED. */
    public static final int PAGE_SHARED = PRESENT | RW | USER | ACCESSED;         // 0x027
    /** PAGE_COPY (also PAGE_READONLY). */
    public static final int PAGE_COPY = PRESENT | USER | ACCESSED;                // 0x025
    /** PAGE_READONLY. */
    public static final int PAGE_READONLY = PRESENT | USER | ACCESSED;            // 0x025
    /** __PAGE_KERNEL: kernel RW data. */
    public static final int PAGE_KERNEL_NOGLOBAL = PRESENT | RW | DIRTY | ACCESSED; // 0x063

    /** PAGE_SHIFT. */
    public static final int PAGE_SHIFT = 12;
    /** PAGE_SIZE. */
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    /** PGDIR_SHIFT: each pgd slot covers 4 MiB. */
    public static final int PGDIR_SHIFT = 22;
    /** PTRS_PER_PGD and PTRS_PER_PTE. */
    public static final int PTRS_PER_TABLE = 1024;
    /** __PAGE_OFFSET: where the kernel's direct map starts. */
    public static final int PAGE_OFFSET = 0xC0000000;
    /** USER_PTRS_PER_PGD = TASK_SIZE / PGDIR_SIZE. */
    public static final int USER_PTRS_PER_PGD = 768;

    /** _PAGE_PSE | _KERNPG_TABLE: a pde mapping 4 MiB of kernel memory (2.4 pagetable_init; 2.6 PAGE_KERNEL_LARGE = 0x0E3), global bit not included. */
    public static final int KERNEL_LARGE = PSE | KERNPG_TABLE;                   // 0x0E3
    /** PMD_SIZE with a folded pmd: the size of a PSE page, 4 MiB. */
    public static final int LARGE_PAGE_SIZE = 1 << PGDIR_SHIFT;

    /** The 4 KiB view of a 4 MiB pde for {@code va}: the frame of va's 4 KiB piece (bits 31-22 of the pde plus bits 21-12 of va), the pde's flags. */
    public static int largeView(int pde, int va) { return (pde & 0xFFC00000) | (va & 0x003FF000) | (pde & 0xFFF); }
    /** Whether a pgd entry maps a 4 MiB page (present with PS set). */
    public static boolean large(int pde) { return (pde & (PRESENT | PSE)) == (PRESENT | PSE); }

    /** pgd_index(va). */
    public static int pgdIndex(int va) { return va >>> PGDIR_SHIFT; }
    /** pte_index(va). */
    public static int pteIndex(int va) { return (va >>> PAGE_SHIFT) & 1023; }
    /** The page frame number held by an entry. */
    public static int pfn(int pte) { return pte >>> PAGE_SHIFT; }
    /** mk_pte(page, prot). */
    public static int mkPte(int pfn, int prot) { return (pfn << PAGE_SHIFT) | (prot & 0xFFF); }
    /** The low 12 flag bits of an entry. */
    public static int flags(int pte) { return pte & 0xFFF; }
    /** pte_present() as the kernel sees it: present to the MMU, or a PROT_NONE page (2.4 and 2.6 i386). */
    public static boolean present(int pte) { return (pte & (PRESENT | PROTNONE)) != 0; }
    /** Present to the MMU (what the hardware walk tests). */
    public static boolean hwPresent(int pte) { return (pte & PRESENT) != 0; }
    /** _PAGE_CHG_MASK: the bits pte_modify() keeps (frame, accessed, dirty). */
    public static final int CHG_MASK = ~0xFFF | ACCESSED | DIRTY;
    /** pte_modify(pte, newprot). */
    public static int modify(int pte, int newprot) { return (pte & CHG_MASK) | (newprot & ~CHG_MASK & 0xFFF); }
    /** pte_none(): the entry is all zero. */
    public static boolean none(int pte) { return pte == 0; }
    /** pte_write(). */
    public static boolean write(int pte) { return (pte & RW) != 0; }
    /** pte_dirty(). */
    public static boolean dirty(int pte) { return (pte & DIRTY) != 0; }
    /** pte_young(). */
    public static boolean young(int pte) { return (pte & ACCESSED) != 0; }
    /** Page-aligned part of a virtual address. */
    public static int pageAlign(int va) { return va & ~(PAGE_SIZE - 1); }
    /** Virtual page number. */
    public static int vpn(int va) { return va >>> PAGE_SHIFT; }

    /** Human-readable flags, e.g. "P RW U A D" (for tables and error messages). */
    public static String describe(int pte) {
        if (pte == 0) return "none";
        StringBuilder sb = new StringBuilder();
        if ((pte & PRESENT) != 0) sb.append("P ");
        if ((pte & RW) != 0) sb.append("RW ");
        if ((pte & USER) != 0) sb.append("U ");
        if ((pte & PWT) != 0) sb.append("PWT ");
        if ((pte & PCD) != 0) sb.append("PCD ");
        if ((pte & ACCESSED) != 0) sb.append("A ");
        if ((pte & DIRTY) != 0) sb.append("D ");
        if ((pte & PSE) != 0) sb.append((pte & PRESENT) != 0 ? "PSE " : "PROTNONE ");
        if ((pte & GLOBAL) != 0) sb.append("G ");
        return sb.toString().trim();
    }

    /** Formats an entry as Linux prints it: 8 hex digits. */
    public static String hex(int pte) { return String.format("%08x", pte); }
}
