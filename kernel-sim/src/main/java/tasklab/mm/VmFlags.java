package tasklab.mm;

import tasklab.machine.Pte;

/**
 * vm_flags bits, mmap/mprotect argument bits and the i386 protection map.
 * Linux: include/linux/mm.h (VM_*), include/asm-i386/mman.h, include/asm-i386/pgtable.h (__P/__S).
 */
public final class VmFlags {
    private VmFlags() {}

    /** VM_READ. */ public static final int VM_READ = 0x00000001;
    /** VM_WRITE. */ public static final int VM_WRITE = 0x00000002;
    /** VM_EXEC. */ public static final int VM_EXEC = 0x00000004;
    /** VM_SHARED. */ public static final int VM_SHARED = 0x00000008;
    /** VM_MAYREAD. */ public static final int VM_MAYREAD = 0x00000010;
    /** VM_MAYWRITE. */ public static final int VM_MAYWRITE = 0x00000020;
    /** VM_MAYEXEC. */ public static final int VM_MAYEXEC = 0x00000040;
    /** VM_MAYSHARE. */ public static final int VM_MAYSHARE = 0x00000080;
    /** VM_GROWSDOWN: a stack. */ public static final int VM_GROWSDOWN = 0x00000100;
    /** VM_GROWSUP. */ public static final int VM_GROWSUP = 0x00000200;
    /** VM_LOCKED (mlock; not inherited by fork). */ public static final int VM_LOCKED = 0x00002000;
    /** VM_DONTCOPY (madvise MADV_DONTFORK). */ public static final int VM_DONTCOPY = 0x00020000;

    /** PROT_NONE. */ public static final int PROT_NONE = 0x0;
    /** PROT_READ. */ public static final int PROT_READ = 0x1;
    /** PROT_WRITE. */ public static final int PROT_WRITE = 0x2;
    /** PROT_EXEC. */ public static final int PROT_EXEC = 0x4;

    /** MAP_SHARED. */ public static final int MAP_SHARED = 0x01;
    /** MAP_PRIVATE. */ public static final int MAP_PRIVATE = 0x02;
    /** MAP_FIXED. */ public static final int MAP_FIXED = 0x10;
    /** MAP_ANONYMOUS. */ public static final int MAP_ANONYMOUS = 0x20;
    /** MAP_GROWSDOWN. */ public static final int MAP_GROWSDOWN = 0x0100;
    /** MAP_LOCKED (i386): the mapping is mlocked (VM_LOCKED, pages made present). */ public static final int MAP_LOCKED = 0x2000;
    /** MCL_CURRENT: mlockall locks what is mapped now. */ public static final int MCL_CURRENT = 1;
    /** MCL_FUTURE: mlockall makes later mappings locked (def_flags). */ public static final int MCL_FUTURE = 2;

    /** VM_DATA_DEFAULT_FLAGS for brk and the stack: read, write, exec and the MAY bits. */
    public static final int VM_DATA_DEFAULT = VM_READ | VM_WRITE | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

    private static final int[] PROTECTION_MAP = {
        // private: __P000 .. __P111
        Pte.PAGE_NONE, Pte.PAGE_READONLY, Pte.PAGE_COPY, Pte.PAGE_COPY,
        Pte.PAGE_READONLY, Pte.PAGE_READONLY, Pte.PAGE_COPY, Pte.PAGE_COPY,
        // shared: __S000 .. __S111
        Pte.PAGE_NONE, Pte.PAGE_READONLY, Pte.PAGE_SHARED, Pte.PAGE_SHARED,
        Pte.PAGE_READONLY, Pte.PAGE_READONLY, Pte.PAGE_SHARED, Pte.PAGE_SHARED,
    };

    /** protection_map[vm_flags & 0xf]: the vm_page_prot of a vma. Linux: mm/mmap.c protection_map. */
    public static int pageProt(int vmFlags) {
        return PROTECTION_MAP[vmFlags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)];
    }

    /** calc_vm_flags(prot, flags): the VM_ bits an mmap asks for. Linux: include/linux/mman.h. */
    public static int calcVmFlags(int prot, int mapFlags) {
        int f = 0;
        if ((prot & PROT_READ) != 0) f |= VM_READ;
        if ((prot & PROT_WRITE) != 0) f |= VM_WRITE;
        if ((prot & PROT_EXEC) != 0) f |= VM_EXEC;
        if ((mapFlags & MAP_GROWSDOWN) != 0) f |= VM_GROWSDOWN;
        return f;
    }

    /** "rwxp"-style flags as /proc/PID/maps prints them. */
    public static String describe(int vmFlags) {
        return "" + ((vmFlags & VM_READ) != 0 ? 'r' : '-') + ((vmFlags & VM_WRITE) != 0 ? 'w' : '-')
            + ((vmFlags & VM_EXEC) != 0 ? 'x' : '-') + ((vmFlags & VM_SHARED) != 0 ? 's' : 'p');
    }
}
