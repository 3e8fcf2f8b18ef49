package tasklab.mm;

/**
 * vm_area_struct: one mapped range [start, end) of an address space with its flags and page
 * protection. Addresses are unsigned 32-bit values held in longs. Linux: include/linux/mm.h.
 */
public final class Vma {
    final MmStruct mm;
    long start;
    long end;
    int flags;
    int pageProt;
    SharedAnon shm;
    long pgoff;          // page index into shm of start

    Vma(MmStruct mm, long start, long end, int flags) {
        this.mm = mm;
        this.start = start;
        this.end = end;
        setFlags(flags);
    }

    void setFlags(int f) {
        flags = f;
        pageProt = VmFlags.pageProt(f);
    }

    /** vm_mm. */
    public MmStruct mm() { return mm; }
    /** vm_start. */
    public long start() { return start; }
    /** vm_end (exclusive). */
    public long end() { return end; }
    /** vm_flags. */
    public int flags() { return flags; }
    /** vm_page_prot. */
    public int pageProt() { return pageProt; }
    /** Number of pages. */
    public long pages() { return (end - start) >>> 12; }
    /** Whether this is a shared mapping. */
    public boolean shared() { return (flags & VmFlags.VM_SHARED) != 0; }
    /** Whether the address lies inside. */
    public boolean contains(long addr) { return addr >= start && addr < end; }
    /** The shared anonymous object behind a shared mapping, or null. */
    public SharedAnon shm() { return shm; }

    @Override public String toString() {
        return String.format("%08x-%08x %s", start, end, VmFlags.describe(flags));
    }
}
