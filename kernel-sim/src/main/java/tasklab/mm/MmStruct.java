package tasklab.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * mm_struct: one address space. {@code mm_users} counts tasks with this user space,
 * {@code mm_count} counts references to the struct (all users together count as one, plus each
 * lazy borrower). Linux: include/linux/sched.h struct mm_struct.
 */
public final class MmStruct {
    final int id;
    int pgd = -1;                       // pfn of the page directory
    final TreeMap<Long, Vma> vmas = new TreeMap<>();
    int mmUsers;
    int mmCount;
    int cpuVmMask;
    long rss;
    long totalVm;
    long lockedVm;                      // pages in VM_LOCKED vmas
    int defFlags;                       // def_flags: VM_LOCKED after mlockall(MCL_FUTURE)
    long startBrk;
    long brk;
    long startStack;
    boolean freed;
    Vma mmapCache;                      // mm->mmap_cache: the last vma find_vma returned
    final boolean isInitMm;

    MmStruct(int id, boolean isInitMm) {
        this.id = id;
        this.isInitMm = isInitMm;
    }

    /** A small number naming this mm in traces and tables ("mm#3"); init_mm is 0. */
    public int id() { return id; }
    /** pfn of the page directory (pgd). */
    public int pgd() { return pgd; }
    /** Physical address of the page directory, as loaded into CR3. */
    public long pgdPhys() { return (long) pgd << 12; }
    /** mm_users: tasks with this user space. */
    public int mmUsers() { return mmUsers; }
    /** mm_count: references to the struct (users as one, plus lazy borrowers). */
    public int mmCount() { return mmCount; }
    /** cpu_vm_mask: CPUs that may hold TLB entries for this mm (bit per CPU). */
    public int cpuVmMask() { return cpuVmMask; }
    /** rss: resident pages counted to this mm. */
    public long rss() { return rss; }
    /** total_vm: mapped pages. */
    public long totalVm() { return totalVm; }
    /** locked_vm: pages in VM_LOCKED vmas (mlock, MAP_LOCKED, mlockall). */
    public long lockedVm() { return lockedVm; }
    /** def_flags: vm_flags every new mapping gets (VM_LOCKED after mlockall(MCL_FUTURE)). */
    public int defFlags() { return defFlags; }
    /** map_count: number of VMAs. */
    public int mapCount() { return vmas.size(); }
    /** start_brk: where the heap begins. */
    public long startBrk() { return startBrk; }
    /** brk: the current end of the heap. */
    public long brk() { return brk; }
    /** Sets start_brk and brk (what the ELF loader does). */
    public void setBrk(long start, long current) { startBrk = start; brk = current; }
    /** start_stack. */
    public long startStack() { return startStack; }
    /** Whether __mmdrop has freed this mm. */
    public boolean freed() { return freed; }
    /** Whether this is init_mm, the kernel's own address space. */
    public boolean isInitMm() { return isInitMm; }
    /** The VMAs in address order (a copy). */
    public List<Vma> vmas() { return new ArrayList<>(vmas.values()); }

    /** find_vma(): the first vma with end > addr, or null. Linux: mm/mmap.c find_vma(). */
    public Vma findVma(long addr) {
        Vma c = mmapCache;
        if (c != null && c.start <= addr && c.end > addr) return c;
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e != null && e.getValue().end > addr) return mmapCache = e.getValue();
        Map.Entry<Long, Vma> next = vmas.higherEntry(addr);
        return next == null ? null : next.getValue();
    }

    @Override public String toString() {
        return (isInitMm ? "init_mm" : "mm#" + id) + "{users=" + mmUsers + ", count=" + mmCount + ", vmas=" + vmas.size()
            + ", rss=" + rss + (freed ? ", freed" : "") + "}";
    }
}
