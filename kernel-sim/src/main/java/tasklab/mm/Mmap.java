package tasklab.mm;

import java.util.ArrayList;
import java.util.List;
import tasklab.kernel.Errno;
import tasklab.machine.Pte;

/**
 * Address-space layout: mmap, munmap, brk, mprotect, stack growth and exit_mmap, with the
 * argument checks in the kernel's order and the TLB flushes each performs (§8.4).
 * Linux: mm/mmap.c, mm/mprotect.c, arch/i386/kernel/sys_i386.c.
 */
public final class Mmap {
    private static final long PAGE = Pte.PAGE_SIZE;
    private final MmCore core;

    Mmap(MmCore core) { this.core = core; }

    private static long pageAlign(long len) { return (len + PAGE - 1) & ~(PAGE - 1); }

    /**
     * do_mmap(): maps anonymous memory. Returns the address, or -errno (as a long).
     * Linux: mm/mmap.c do_mmap_pgoff() and arch_get_unmapped_area().
     */
    public long doMmap(int cpu, MmStruct mm, long addr, long len, int prot, int flags) {
        return doMmap(cpu, mm, addr, len, prot, flags, Long.MAX_VALUE, true);
    }

    /**
     * do_mmap() by a task with RLIMIT_MEMLOCK {@code lockLimit} (bytes) and, if {@code capIpcLock},
     * CAP_IPC_LOCK: MAP_LOCKED (or mlockall's MCL_FUTURE) gives a VM_LOCKED mapping whose pages are
     * made present; -EPERM without the right (2.4 CAP_IPC_LOCK, 2.6 can_do_mlock), -EAGAIN over the
     * limit (2.6: unless CAP_IPC_LOCK). Linux: mm/mmap.c do_mmap_pgoff().
     */
    public long doMmap(int cpu, MmStruct mm, long addr, long len, int prot, int flags, long lockLimit, boolean capIpcLock) {
        mm.mmapCache = null;                   // the layout changes: forget the cached vma (before and after)
        try {
            return doMmapImpl(cpu, mm, addr, len, prot, flags, lockLimit, capIpcLock);
        } finally {
            mm.mmapCache = null;
        }
    }

    private long doMmapImpl(int cpu, MmStruct mm, long addr, long len, int prot, int flags, long lockLimit, boolean capIpcLock) {
        if ((flags & VmFlags.MAP_ANONYMOUS) == 0) return Errno.EBADF.neg();   // no files are simulated: fget(fd) fails
        if (core.version().is26() && len == 0) return Errno.EINVAL.neg();
        if (len < 0 || len > MmCore.TASK_SIZE) return core.version().is26() ? Errno.ENOMEM.neg() : Errno.EINVAL.neg();
        len = pageAlign(len);
        if (len == 0) return addr;                                            // 2.4: an empty mapping is a no-op
        if (len > MmCore.TASK_SIZE) return core.version().is26() ? Errno.ENOMEM.neg() : Errno.EINVAL.neg();
        if ((prot & ~(VmFlags.PROT_READ | VmFlags.PROT_WRITE | VmFlags.PROT_EXEC)) != 0) return Errno.EINVAL.neg();
        int vmFlags = VmFlags.calcVmFlags(prot, flags) | mm.defFlags | VmFlags.VM_MAYREAD | VmFlags.VM_MAYWRITE | VmFlags.VM_MAYEXEC
            | VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE;
        switch (flags & 0x0f) {                                               // MAP_TYPE
            case VmFlags.MAP_PRIVATE -> vmFlags &= ~(VmFlags.VM_SHARED | VmFlags.VM_MAYSHARE);
            case VmFlags.MAP_SHARED -> { }
            default -> { return Errno.EINVAL.neg(); }
        }
        long start = getUnmappedArea(mm, addr, len, flags);
        if (start < 0) return start;
        if ((flags & VmFlags.MAP_LOCKED) != 0) {
            if (core.version().is24() ? !capIpcLock : !Mlock.canDoMlock(lockLimit, capIpcLock)) return Errno.EPERM.neg();
            vmFlags |= VmFlags.VM_LOCKED;
        }
        if ((vmFlags & VmFlags.VM_LOCKED) != 0) {                          // "mlock MCL_FUTURE?"
            long locked = mm.lockedVm + (len >>> Pte.PAGE_SHIFT);
            if (locked > (lockLimit >>> Pte.PAGE_SHIFT) && (core.version().is24() || !capIpcLock)) return Errno.EAGAIN.neg();
        }
        if (doMunmap(cpu, mm, start, len) != 0) return Errno.ENOMEM.neg();   // clear old maps
        mm.totalVm += len >>> Pte.PAGE_SHIFT;
        if ((vmFlags & VmFlags.VM_SHARED) == 0 && mergeAnon(mm, start, start + len, vmFlags)) {
            lockNew(cpu, mm, start, len, vmFlags);
            return start;
        }
        Vma vma = new Vma(mm, start, start + len, vmFlags);
        if ((vmFlags & VmFlags.VM_SHARED) != 0) vma.shm = new SharedAnon();   // shmem_zero_setup()
        mm.vmas.put(start, vma);
        lockNew(cpu, mm, start, len, vmFlags);
        return start;
    }

    /** The end of do_mmap / do_brk: a VM_LOCKED mapping counts in locked_vm and is made present. */
    private void lockNew(int cpu, MmStruct mm, long start, long len, int vmFlags) {
        if ((vmFlags & VmFlags.VM_LOCKED) == 0) return;
        mm.lockedVm += len >>> Pte.PAGE_SHIFT;
        mm.mmapCache = null;
        core.mlock.makePagesPresent(cpu, mm, mm.findVma(start), start, start + len);
    }

    /**
     * The stack vma of a new image (setup_arg_pages): vm_flags = VM_STACK_FLAGS, without the mm's
     * def_flags, so an mlockall(MCL_FUTURE) that survives a 2.4 exec does not lock it.
     * Linux: fs/exec.c setup_arg_pages().
     */
    public long mapStack(int cpu, MmStruct mm, long start, long len) {
        int def = mm.defFlags;
        mm.defFlags = 0;
        try {
            return doMmap(cpu, mm, start, len, VmFlags.PROT_READ | VmFlags.PROT_WRITE,
                VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS | VmFlags.MAP_FIXED | VmFlags.MAP_GROWSDOWN);
        } finally {
            mm.defFlags = def;
        }
    }

    /** arch_get_unmapped_area(): MAP_FIXED as asked, else the hint if free, else the first gap from TASK_UNMAPPED_BASE. */
    private long getUnmappedArea(MmStruct mm, long addr, long len, int flags) {
        if ((flags & VmFlags.MAP_FIXED) != 0) {
            if ((addr & (PAGE - 1)) != 0 || addr < 0) return Errno.EINVAL.neg();
            if (addr > MmCore.TASK_SIZE - len) return Errno.EINVAL.neg();
            return addr;
        }
        if (addr > 0) {
            addr = pageAlign(addr);
            Vma vma = mm.findVma(addr);
            if (MmCore.TASK_SIZE - len >= addr && (vma == null || addr + len <= vma.start)) return addr;
        }
        addr = pageAlign(MmCore.TASK_UNMAPPED_BASE);
        for (Vma vma = mm.findVma(addr); ; vma = next(mm, vma)) {
            if (MmCore.TASK_SIZE - len < addr) return Errno.ENOMEM.neg();
            if (vma == null || addr + len <= vma.start) return addr;
            addr = vma.end;
        }
    }

    private static Vma next(MmStruct mm, Vma vma) {
        var e = mm.vmas.higherEntry(vma.start);
        return e == null ? null : e.getValue();
    }

    private static Vma prev(MmStruct mm, Vma vma) {
        var e = mm.vmas.lowerEntry(vma.start);
        return e == null ? null : e.getValue();
    }

    /** vma_merge() for private anonymous memory: extends a neighbour with the same flags instead of adding a vma. */
    private boolean mergeAnon(MmStruct mm, long start, long end, int vmFlags) {
        var pe = mm.vmas.lowerEntry(start);
        Vma p = pe == null ? null : pe.getValue();
        Vma n = mm.vmas.get(end);
        boolean withPrev = p != null && p.end == start && p.flags == vmFlags && p.shm == null;
        boolean withNext = n != null && n.flags == vmFlags && n.shm == null;
        if (withPrev) {
            p.end = end;
            if (withNext) { p.end = n.end; mm.vmas.remove(n.start); }
            return true;
        }
        if (withNext) {
            mm.vmas.remove(n.start);
            n.start = start;
            mm.vmas.put(start, n);
            return true;
        }
        return false;
    }

    /**
     * do_munmap(): unmaps [addr, addr+len), splitting vmas, zapping each piece (one flush each)
     * and freeing page tables no vma needs any more. Unmapped holes are fine (returns 0).
     * Linux: mm/mmap.c do_munmap().
     */
    public int doMunmap(int cpu, MmStruct mm, long addr, long len) {
        mm.mmapCache = null;                   // the layout changes: forget the cached vma (before and after)
        try {
            return doMunmapImpl(cpu, mm, addr, len);
        } finally {
            mm.mmapCache = null;
        }
    }

    private int doMunmapImpl(int cpu, MmStruct mm, long addr, long len) {
        if ((addr & (PAGE - 1)) != 0 || addr < 0 || addr > MmCore.TASK_SIZE || len < 0 || len > MmCore.TASK_SIZE - addr) {
            return Errno.EINVAL.neg();
        }
        len = pageAlign(len);
        if (len == 0) return Errno.EINVAL.neg();
        long end = addr + len;
        List<Vma> hit = new ArrayList<>();
        for (Vma v = mm.findVma(addr); v != null && v.start < end; v = next(mm, v)) hit.add(v);
        if (hit.isEmpty()) return 0;
        for (Vma v : hit) {
            long st = Math.max(v.start, addr);
            long en = Math.min(v.end, end);
            mm.vmas.remove(v.start);
            core.memory.zapPageRange(cpu, mm, st, en);
            mm.totalVm -= (en - st) >>> Pte.PAGE_SHIFT;
            if ((v.flags & VmFlags.VM_LOCKED) != 0) mm.lockedVm -= (en - st) >>> Pte.PAGE_SHIFT;
            if (v.start < st) {                         // the part below stays
                Vma low = copyOf(v, v.start, st);
                mm.vmas.put(low.start, low);
                if (v.shm != null) v.shm.get();
            }
            if (en < v.end) {                           // the part above stays
                Vma high = copyOf(v, en, v.end);
                mm.vmas.put(high.start, high);
                if (v.shm != null) v.shm.get();
            }
            releaseShm(v);
        }
        freePgtables(mm, addr, end);
        return 0;
    }

    static Vma copyOf(Vma v, long start, long end) {
        return copyOf(v, v.mm, start, end);
    }

    private static Vma copyOf(Vma v, MmStruct mm, long start, long end) {
        Vma n = new Vma(mm, start, end, v.flags);
        n.shm = v.shm;
        n.pgoff = v.pgoff + ((start - v.start) >>> Pte.PAGE_SHIFT);
        return n;
    }

    /** Drops a vma's reference on its shared object; the last one frees the object's frames. */
    void releaseShm(Vma v) {
        if (v.shm == null) return;
        for (int pfn : v.shm.put()) core.mem().putPage(pfn);
    }

    /** free_pgtables(): frees the page tables of 4 MiB slots in [start, end) that no vma touches any more. */
    private void freePgtables(MmStruct mm, long start, long end) {
        int first = (int) (start >>> Pte.PGDIR_SHIFT);
        int last = (int) ((end - 1) >>> Pte.PGDIR_SHIFT);
        for (int i = first; i <= last && i < Pte.USER_PTRS_PER_PGD; i++) {
            long lo = (long) i << Pte.PGDIR_SHIFT;
            long hi = lo + (1L << Pte.PGDIR_SHIFT);
            Vma v = mm.findVma(lo);
            if (v == null || v.start >= hi) core.pageTables.freePgdRange(mm, i, i + 1);
        }
    }

    /**
     * sys_brk(): moves the end of the heap; returns the new (or unchanged) brk.
     * Linux: mm/mmap.c sys_brk() and do_brk().
     */
    public long sysBrk(int cpu, MmStruct mm, long brk) {
        mm.mmapCache = null;                   // the layout changes: forget the cached vma (before and after)
        try {
            return sysBrkImpl(cpu, mm, brk);
        } finally {
            mm.mmapCache = null;
        }
    }

    private long sysBrkImpl(int cpu, MmStruct mm, long brk) {
        if (brk < mm.startBrk) return mm.brk;
        long newbrk = pageAlign(brk);
        long oldbrk = pageAlign(mm.brk);
        if (oldbrk == newbrk) { mm.brk = brk; return mm.brk; }
        if (brk <= mm.brk) {
            if (doMunmap(cpu, mm, newbrk, oldbrk - newbrk) == 0) mm.brk = brk;
            return mm.brk;
        }
        if (newbrk > MmCore.TASK_SIZE) return mm.brk;
        Vma v = mm.findVma(oldbrk);
        if (v != null && v.start < newbrk + PAGE) return mm.brk;           // find_vma_intersection
        int flags = VmFlags.VM_DATA_DEFAULT | mm.defFlags;
        mm.totalVm += (newbrk - oldbrk) >>> Pte.PAGE_SHIFT;
        if (!mergeAnon(mm, oldbrk, newbrk, flags)) mm.vmas.put(oldbrk, new Vma(mm, oldbrk, newbrk, flags));
        lockNew(cpu, mm, oldbrk, newbrk - oldbrk, flags);                  // do_brk: "if (flags & VM_LOCKED)"
        mm.brk = brk;
        return mm.brk;
    }

    /**
     * sys_mprotect(): changes the rights of [start, start+len); each changed vma piece gets one
     * change_protection and one flush_tlb_range. Returns 0 or -errno. Linux: mm/mprotect.c sys_mprotect().
     */
    public int mprotect(int cpu, MmStruct mm, long start, long len, int prot) {
        mm.mmapCache = null;                   // the layout changes: forget the cached vma (before and after)
        try {
            return mprotectImpl(cpu, mm, start, len, prot);
        } finally {
            mm.mmapCache = null;
        }
    }

    private int mprotectImpl(int cpu, MmStruct mm, long start, long len, int prot) {
        if ((start & (PAGE - 1)) != 0 || start < 0) return Errno.EINVAL.neg();
        if (len < 0) return Errno.EINVAL.neg();
        len = pageAlign(len);
        long end = start + len;
        if (end > 0xFFFFFFFFL) return Errno.EINVAL.neg();                  // end < start after 32-bit overflow
        if ((prot & ~(VmFlags.PROT_READ | VmFlags.PROT_WRITE | VmFlags.PROT_EXEC)) != 0) return Errno.EINVAL.neg();
        if (end == start) return 0;
        Vma vma = mm.findVma(start);
        if (vma == null || vma.start > start) return Errno.ENOMEM.neg();
        long nstart = start;
        while (true) {
            int newflags = prot | (vma.flags & ~(VmFlags.PROT_READ | VmFlags.PROT_WRITE | VmFlags.PROT_EXEC));
            if (((newflags & ~(newflags >>> 4)) & 0xf) != 0) return Errno.EACCES.neg();
            if (vma.end >= end) {
                mprotectFixup(cpu, mm, vma, nstart, end, newflags);
                return 0;
            }
            long tmp = vma.end;
            Vma nxt = next(mm, vma);
            mprotectFixup(cpu, mm, vma, nstart, tmp, newflags);
            nstart = tmp;
            vma = nxt;
            if (vma == null || vma.start != nstart) return Errno.ENOMEM.neg();
        }
    }

    /** mprotect_fixup(): splits the vma at start/end, sets the flags, change_protection + flush_tlb_range. */
    private void mprotectFixup(int cpu, MmStruct mm, Vma vma, long start, long end, int newflags) {
        if (newflags == vma.flags) return;
        Vma target = vma;
        if (vma.start < start) {
            mm.vmas.remove(vma.start);
            Vma low = copyOf(vma, vma.start, start);
            target = copyOf(vma, start, vma.end);
            if (vma.shm != null) vma.shm.get();
            mm.vmas.put(low.start, low);
            mm.vmas.put(target.start, target);
        }
        if (target.end > end) {
            Vma high = copyOf(target, end, target.end);
            if (target.shm != null) target.shm.get();
            target.end = end;
            mm.vmas.put(high.start, high);
        }
        target.setFlags(newflags);
        changeProtection(cpu, mm, target.start, target.end, target.pageProt);
    }

    /** change_protection(): pte_modify on every present pte, then one flush_tlb_range. Linux: mm/mprotect.c. */
    private void changeProtection(int cpu, MmStruct mm, long start, long end, int newprot) {
        for (long a = start; a < end; ) {
            int[] pt = core.pageTables.pteTable(mm, a);
            long tableEnd = Math.min(((a >>> Pte.PGDIR_SHIFT) + 1) << Pte.PGDIR_SHIFT, end);
            if (pt != null) {
                for (long b = a; b < tableEnd; b += PAGE) {
                    int idx = (int) ((b >>> Pte.PAGE_SHIFT) & 1023);
                    if (Pte.present(pt[idx])) pt[idx] = Pte.modify(pt[idx], newprot);
                }
            }
            a = tableEnd;
        }
        core.tlb.flushTlbRange(cpu, mm, start, end);
    }

    /** expand_stack(): grows a VM_GROWSDOWN vma down to {@code addr}; 0 or -ENOMEM past RLIMIT_STACK. Linux: include/linux/mm.h expand_stack(). */
    int expandStack(Vma vma, long addr) {
        vma.mm.mmapCache = null;              // start moves: the cache must not hold a stale range
        addr &= ~(PAGE - 1);
        long grow = (vma.start - addr) >>> Pte.PAGE_SHIFT;
        if (vma.end - addr > MmCore.STACK_LIMIT) return Errno.ENOMEM.neg();
        Vma below = prev(vma.mm, vma);
        if (below != null && below.end > addr) return Errno.ENOMEM.neg();
        vma.mm.vmas.remove(vma.start);
        vma.start = addr;
        vma.pgoff -= grow;
        vma.mm.vmas.put(addr, vma);
        vma.mm.totalVm += grow;
        if ((vma.flags & VmFlags.VM_LOCKED) != 0) vma.mm.lockedVm += grow;
        return 0;
    }

    /**
     * exit_mmap(): zaps every vma (one flush each, per the tlb rules), frees the user page
     * tables, then one flush_tlb_mm. Linux: mm/mmap.c exit_mmap() (R8.4 row exit_mmap).
     */
    public void exitMmap(int cpu, MmStruct mm) {
        List<Vma> all = new ArrayList<>(mm.vmas.values());
        mm.vmas.clear();
        mm.mmapCache = null;
        for (Vma v : all) {
            core.memory.zapPageRange(cpu, mm, v.start, v.end);
            releaseShm(v);
        }
        mm.rss = 0;
        mm.totalVm = 0;
        mm.lockedVm = 0;
        core.pageTables.freePgdRange(mm, 0, Pte.USER_PTRS_PER_PGD);
        core.tlb.flushTlbMm(cpu, mm);
    }

    /** Inserts a copy of a parent's vma, found under {@code start} (its vm_start), into a child mm (the list part of dup_mmap); returns the copy. */
    Vma copyVmaInto(MmStruct child, Long start, Vma v) {
        Vma n = copyOf(v, child, v.start, v.end);
        n.setFlags(n.flags & ~VmFlags.VM_LOCKED);          // mlock is not inherited
        if (n.shm != null) n.shm.get();
        child.vmas.put(start, n);
        child.totalVm += n.pages();
        return n;
    }
}
