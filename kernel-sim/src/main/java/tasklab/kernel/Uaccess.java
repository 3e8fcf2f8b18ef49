package tasklab.kernel;

import tasklab.mm.MmStruct;
import tasklab.mm.Vma;
import tasklab.mm.VmFlags;

/**
 * put_user / get_user of a 32-bit word by the kernel on behalf of the current task: the access
 * goes through the task's page tables (faulting pages in, breaking COW) when a vma allows it, and
 * answers -EFAULT otherwise, as the exception-table fixup does (no signal).
 * Linux: include/asm-i386/uaccess.h put_user(), get_user(); arch/i386/mm/extable.c.
 */
final class Uaccess {
    private final Kernel k;

    Uaccess(Kernel k) { this.k = k; }

    /** Whether [addr, addr+4) lies in one vma of t's mm with the right (VM_WRITE or VM_READ). */
    private static boolean allowed(Task t, long addr, boolean write) {
        MmStruct mm = t.mm;
        if (mm == null || addr <= 0 || addr + 4 > 0xC0000000L) return false;
        Vma v = mm.findVma(addr);
        if (v == null || v.start() > addr || addr + 4 > v.end()) return false;
        return (v.flags() & (write ? VmFlags.VM_WRITE : VmFlags.VM_READ)) != 0;
    }

    /** put_user(value, addr) by t, current on cpu: 0 or -EFAULT. */
    int putUser(Task t, int cpu, long addr, int value) {
        if (!allowed(t, addr, true)) return Errno.EFAULT.neg();
        return k.mm.user.writeInt(cpu, (int) addr, value) < 0 ? Errno.EFAULT.neg() : 0;
    }

    /** get_user(addr) by t, current on cpu: the word (0..2^32-1), or -EFAULT as a long. */
    long getUser(Task t, int cpu, long addr) {
        if (!allowed(t, addr, false)) return Errno.EFAULT.neg();
        long v = k.mm.user.readInt(cpu, (int) addr);
        return v < 0 ? Errno.EFAULT.neg() : v;
    }
}
