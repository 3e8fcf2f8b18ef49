package tasklab.mm;

import java.util.ArrayList;
import java.util.List;
import tasklab.kernel.Errno;
import tasklab.machine.Pte;

/**
 * Memory locking: mlock / munlock set or clear VM_LOCKED on the vmas of a range (splitting them
 * at its ends), mlockall / munlockall do it for every vma and set def_flags for MCL_FUTURE, and
 * locking faults every page in (make_pages_present). locked_vm counts the pages of VM_LOCKED
 * vmas. Checks in the version's order: 2.4 RLIMIT_MEMLOCK (ENOMEM), half of RAM (ENOMEM), then
 * CAP_IPC_LOCK (EPERM) even under the limit; 2.6 can_do_mlock (EPERM without CAP_IPC_LOCK when
 * the limit is 0), then the limit unless CAP_IPC_LOCK (ENOMEM). Swap is not simulated, so a
 * locked page stays what an unlocked one would; what changes is that its pages are present at once.
 * Linux: mm/mlock.c sys_mlock(), do_mlock(), mlock_fixup(), sys_mlockall(), do_mlockall();
 * mm/memory.c make_pages_present().
 */
public final class Mlock {
    private static final long PAGE = Pte.PAGE_SIZE;
    private final MmCore core;

    Mlock(MmCore core) { this.core = core; }

    private boolean v24() { return core.version().is24(); }

    /** sys_mlock(start, len): 0 or -errno. {@code lockLimit} is RLIMIT_MEMLOCK in bytes, {@code capIpcLock} whether the caller has CAP_IPC_LOCK. */
    public int sysMlock(int cpu, MmStruct mm, long start, long len, long lockLimit, boolean capIpcLock) {
        if (!v24() && !canDoMlock(lockLimit, capIpcLock)) return Errno.EPERM.neg();
        if (len < 0) return Errno.EINVAL.neg();
        len = pageAlign(len + (start & (PAGE - 1)));
        start &= ~(PAGE - 1);
        long locked = (len >>> Pte.PAGE_SHIFT) + mm.lockedVm;
        long limitPages = lockLimit >>> Pte.PAGE_SHIFT;
        if (v24()) {
            if (locked > limitPages) return Errno.ENOMEM.neg();
            if (locked > core.mem().nrFrames() / 2) return Errno.ENOMEM.neg();   // "this check is pretty bogus"
            if (!capIpcLock) return Errno.EPERM.neg();                             // do_mlock(on)
        } else if (locked > limitPages && !capIpcLock) {
            return Errno.ENOMEM.neg();
        }
        return doMlock(cpu, mm, start, len, true);
    }

    /** sys_munlock(start, len): 0 or -errno (no capability needed). */
    public int sysMunlock(int cpu, MmStruct mm, long start, long len) {
        if (len < 0) return Errno.EINVAL.neg();
        len = pageAlign(len + (start & (PAGE - 1)));
        start &= ~(PAGE - 1);
        return doMlock(cpu, mm, start, len, false);
    }

    /** 2.6 can_do_mlock(): CAP_IPC_LOCK, or a RLIMIT_MEMLOCK that is not 0. */
    public static boolean canDoMlock(long lockLimit, boolean capIpcLock) { return capIpcLock || lockLimit != 0; }

    /** do_mlock(): EINVAL for a wrapping range, ENOMEM for a hole, else mlock_fixup on each vma piece. */
    private int doMlock(int cpu, MmStruct mm, long start, long len, boolean on) {
        mm.mmapCache = null;
        long end = start + len;
        if (end > 0xFFFFFFFFL) return Errno.EINVAL.neg();          // end < start in 32 bits
        if (end == start) return 0;
        Vma vma = mm.findVma(start);
        if (vma == null || vma.start > start) return Errno.ENOMEM.neg();
        int error = 0;
        for (long nstart = start; ; ) {
            int newflags = on ? vma.flags | VmFlags.VM_LOCKED : vma.flags & ~VmFlags.VM_LOCKED;
            if (vma.end >= end) {
                int r = mlockFixup(cpu, mm, vma, nstart, end, newflags);
                return error != 0 ? error : r;
            }
            long tmp = vma.end;
            Vma next = next(mm, vma);
            int r = mlockFixup(cpu, mm, vma, nstart, tmp, newflags);
            if (r != 0) {
                if (v24()) return r;
                error = r;                                             // 2.6 keeps going, reports the error
            }
            nstart = tmp;
            vma = next;
            if (vma == null || vma.start != nstart) return Errno.ENOMEM.neg();
        }
    }

    /**
     * mlock_fixup(vma, start, end, newflags): nothing if the flags are already so; else split the
     * vma at start / end, set the flags, adjust locked_vm, and make a newly locked piece present.
     */
    private int mlockFixup(int cpu, MmStruct mm, Vma vma, long start, long end, int newflags) {
        if (newflags == vma.flags) return 0;
        Vma target = vma;
        if (vma.start < start) {
            mm.vmas.remove(vma.start);
            Vma low = Mmap.copyOf(vma, vma.start, start);
            target = Mmap.copyOf(vma, start, vma.end);
            if (vma.shm != null) vma.shm.get();
            mm.vmas.put(low.start, low);
            mm.vmas.put(target.start, target);
        }
        if (target.end > end) {
            Vma high = Mmap.copyOf(target, end, target.end);
            if (target.shm != null) target.shm.get();
            target.end = end;
            mm.vmas.put(high.start, high);
        }
        mm.mmapCache = null;
        target.setFlags(newflags);
        long pages = (end - start) >>> Pte.PAGE_SHIFT;
        if ((newflags & VmFlags.VM_LOCKED) != 0) {
            mm.lockedVm += pages;
            makePagesPresent(cpu, mm, target, start, end);
        } else {
            mm.lockedVm -= pages;
        }
        return 0;
    }

    /**
     * sys_mlockall(flags): EINVAL for 0 or unknown bits; 2.4 then ENOMEM if total_vm exceeds the
     * limit or half of RAM, EPERM without CAP_IPC_LOCK; 2.6 EPERM unless can_do_mlock, ENOMEM for
     * MCL_CURRENT over the limit without CAP_IPC_LOCK. Then do_mlockall.
     */
    public int sysMlockall(int cpu, MmStruct mm, int flags, long lockLimit, boolean capIpcLock) {
        if (flags == 0 || (flags & ~(VmFlags.MCL_CURRENT | VmFlags.MCL_FUTURE)) != 0) return Errno.EINVAL.neg();
        long limitPages = lockLimit >>> Pte.PAGE_SHIFT;
        if (v24()) {
            if (mm.totalVm > limitPages) return Errno.ENOMEM.neg();
            if (mm.totalVm > core.mem().nrFrames() / 2) return Errno.ENOMEM.neg();
            if (!capIpcLock) return Errno.EPERM.neg();
        } else {
            if (!canDoMlock(lockLimit, capIpcLock)) return Errno.EPERM.neg();
            if ((flags & VmFlags.MCL_CURRENT) != 0 && mm.totalVm > limitPages && !capIpcLock) return Errno.ENOMEM.neg();
        }
        return doMlockall(cpu, mm, flags);
    }

    /** sys_munlockall(): do_mlockall(0); 2.4's do_mlockall still wants CAP_IPC_LOCK (EPERM). */
    public int sysMunlockall(int cpu, MmStruct mm, boolean capIpcLock) {
        if (v24() && !capIpcLock) return Errno.EPERM.neg();
        return doMlockall(cpu, mm, 0);
    }

    /** do_mlockall(flags): def_flags = VM_LOCKED for MCL_FUTURE; every vma locked (MCL_CURRENT) or unlocked. */
    private int doMlockall(int cpu, MmStruct mm, int flags) {
        mm.defFlags = (flags & VmFlags.MCL_FUTURE) != 0 ? VmFlags.VM_LOCKED : 0;
        if (!v24() && flags == VmFlags.MCL_FUTURE) return 0;
        List<Vma> all = new ArrayList<>(mm.vmas.values());
        for (Vma v : all) {
            int newflags = (flags & VmFlags.MCL_CURRENT) != 0 ? v.flags | VmFlags.VM_LOCKED : v.flags & ~VmFlags.VM_LOCKED;
            mlockFixup(cpu, mm, v, v.start, v.end, newflags);
        }
        return 0;
    }

    /**
     * make_pages_present(start, end): get_user_pages faults every page of the range in, for
     * writing if the vma is writable (breaking COW). A vma with neither read nor write right
     * (PROT_NONE) is left alone here (the kernel's walk maps PROT_NONE ptes the MMU never uses).
     */
    void makePagesPresent(int cpu, MmStruct mm, Vma vma, long start, long end) {
        boolean write = (vma.flags & VmFlags.VM_WRITE) != 0;
        if (!write && (vma.flags & VmFlags.VM_READ) == 0) return;
        for (long a = start; a < end; a += PAGE) {
            int pte = core.pageTables.pte(mm, a);
            if (Pte.present(pte) && (!write || Pte.write(pte))) continue;    // follow_page finds it
            if (core.memory.handleMmFault(cpu, mm, vma, (int) a, write) == tasklab.trace.FaultKind.OOM) return;
        }
    }

    private static long pageAlign(long len) { return (len + PAGE - 1) & ~(PAGE - 1); }

    private static Vma next(MmStruct mm, Vma vma) {
        var e = mm.vmas.higherEntry(vma.start);
        return e == null ? null : e.getValue();
    }
}
