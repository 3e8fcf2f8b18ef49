package tasklab.mm;

import tasklab.kernel.Errno;
import tasklab.machine.KernelBug;
import tasklab.trace.Event;

/**
 * The lifetime of an mm_struct: allocation (mm_users = mm_count = 1), the fork copy, and the two
 * reference drops: mmput (last user: exit_mmap, then mmdrop) and mmdrop (last reference: free
 * the pgd and the struct). Linux: kernel/fork.c mm_alloc(), mm_init(), dup_mmap(), mmput(), mmdrop() (§12).
 */
public final class MmRefs {
    private final MmCore core;

    MmRefs(MmCore core) { this.core = core; }

    /** mm_alloc(): a fresh mm with a new pgd, mm_users = mm_count = 1; null when out of memory. (T1) */
    public MmStruct mmAlloc(int cpu) {
        int pgd = core.pageTables.pgdAlloc();
        if (pgd < 0) return null;
        MmStruct mm = new MmStruct(core.newMmId(), false);
        mm.pgd = pgd;
        mm.mmUsers = 1;
        mm.mmCount = 1;
        core.mmlistAdd();
        // Event.hex writes String.format's %08x without a Formatter (a fork's own cost is small enough to notice it)
        if (core.trace().enabled()) core.record(new Event.MmLifecycle(core.now(cpu), cpu, mm.id, "alloc pgd=" + Event.hex((long) pgd << 12, 8)));
        return mm;
    }

    /**
     * dup_mmap(): copies every vma of {@code old} into {@code mm} (skipping VM_DONTCOPY) with
     * copy_page_range, then always one flush_tlb_mm(old). Returns 0 or -ENOMEM. (R5.10)
     */
    public int dupMmap(int cpu, MmStruct mm, MmStruct old) {
        int ret = 0;
        mm.rss = 0;
        mm.cpuVmMask = 0;
        mm.lockedVm = 0;                        // "mm->locked_vm = 0": the copies are not VM_LOCKED
        mm.defFlags = 0;                        // mm_init: "mm->def_flags = 0" (an MCL_FUTURE is not inherited)
        // the parent's tree is walked in place (copy_page_range changes ptes, never vmas), and each
        // copy goes in under the parent's boxed key: a fork allocates no list and no Long per vma
        for (var e : old.vmas.entrySet()) {
            Vma v = e.getValue();
            if ((v.flags & VmFlags.VM_DONTCOPY) != 0) continue;
            Vma copy = core.mmap.copyVmaInto(mm, e.getKey(), v);
            if (core.memory.copyPageRange(cpu, mm, old, copy) != 0) { ret = Errno.ENOMEM.neg(); break; }
        }
        mm.startBrk = old.startBrk;
        mm.brk = old.brk;
        mm.startStack = old.startStack;
        core.tlb.flushTlbMm(cpu, old);          // fail_nomem: flush_tlb_mm(current->mm), success or not
        return ret;
    }

    /** mmget: one more user (CLONE_VM). (T2) */
    public void mmget(MmStruct mm) {
        if (mm.mmUsers <= 0) throw new KernelBug("copy_mm", "mm_users of mm#" + mm.id + " is " + mm.mmUsers);
        mm.mmUsers++;
    }

    /** mmgrab: atomic_inc(&mm->mm_count) (lazy borrow, exit_mm). */
    public void mmgrab(MmStruct mm) {
        if (mm.freed) throw new KernelBug("mmgrab", "mm#" + mm.id + " already freed");
        mm.mmCount++;
    }

    /** mmput(): one user fewer; the last one tears the address space down and drops the users' mm_count. (T8) */
    public void mmput(int cpu, MmStruct mm) {
        if (mm.mmUsers <= 0) throw new KernelBug("mmput", "mm_users of mm#" + mm.id + " already 0");
        if (--mm.mmUsers == 0) {
            core.mmlistDel();
            core.mmap.exitMmap(cpu, mm);
            mmdrop(cpu, mm);
        }
    }

    /** mmdrop(): one reference fewer; at zero __mmdrop frees the pgd and the struct. (T9) */
    public void mmdrop(int cpu, MmStruct mm) {
        if (mm.mmCount <= 0) throw new KernelBug("mmdrop", "mm_count of mm#" + mm.id + " already 0");
        if (--mm.mmCount == 0) {
            if (mm.isInitMm) throw new KernelBug("__mmdrop", "mm == &init_mm");
            if (mm.mmUsers != 0) throw new KernelBug("__mmdrop", "mm#" + mm.id + " freed with mm_users " + mm.mmUsers);
            core.pageTables.pgdFree(mm.pgd);
            mm.freed = true;
            if (core.trace().enabled()) core.record(new Event.MmLifecycle(core.now(cpu), cpu, mm.id, "free"));
        }
    }
}
