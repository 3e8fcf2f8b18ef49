package tasklab.mm;

import tasklab.machine.CostKind;
import tasklab.machine.Mmu;
import tasklab.trace.Counter;
import tasklab.trace.FaultKind;

/**
 * The page-fault entry: finds the vma, grows the stack, checks the access against the vma's
 * rights by the i386 error code, and hands over to handle_mm_fault; bad accesses end in SIGSEGV
 * (SEGV_MAPERR without a vma, SEGV_ACCERR with one). Linux: arch/i386/mm/fault.c do_page_fault() (R9.2).
 */
public final class Fault {
    /** si_code SEGV_MAPERR: address not mapped to an object. */
    public static final int SEGV_MAPERR = 1;
    /** si_code SEGV_ACCERR: invalid permissions for a mapped object. */
    public static final int SEGV_ACCERR = 2;

    private final MmCore core;

    Fault(MmCore core) { this.core = core; }

    /**
     * do_page_fault(regs, error_code) for the task current on {@code cpu}, the faulting address in CR2.
     * Returns how it ended; the caller delivers SIGSEGV / kills on OOM or OOPS. Charges the CPU
     * {@code faultEntry} (exception entry + iret); page clears / copies are charged where they happen.
     */
    public FaultKind doPageFault(int cpu, int address, int errorCode) {
        var c = core.cpu(cpu);
        c.charge(CostKind.FAULT_ENTRY, c.cost().faultEntry());     // exception entry + iret
        core.count(cpu, Counter.PGFAULT);
        MmTask tsk = core.perCpu(cpu).current;
        FaultKind kind = resolve(cpu, tsk, address, errorCode);
        switch (kind) {
            case SEGV_MAPERR -> { core.perCpu(cpu).lastSiCode = SEGV_MAPERR; core.count(cpu, Counter.SIGSEGV); }
            case SEGV_ACCERR -> { core.perCpu(cpu).lastSiCode = SEGV_ACCERR; core.count(cpu, Counter.SIGSEGV); }
            case OOM, OOPS -> { }
            default -> {
                core.count(cpu, Counter.PGFAULT_MINOR);
                if (tsk != null) tsk.countMinorFault();
            }
        }
        core.trace().pageFault(core.now(cpu), cpu, tsk == null ? -1 : tsk.pid(), address, errorCode, kind);
        return kind;
    }

    private FaultKind resolve(int cpu, MmTask tsk, int address, int errorCode) {
        long addr = address & 0xFFFFFFFFL;
        boolean user = (errorCode & Mmu.PF_USER) != 0;
        MmStruct mm = tsk == null ? null : tsk.mm();
        if (addr >= MmCore.TASK_SIZE && (errorCode & (Mmu.PF_PROT | Mmu.PF_USER)) == 0) {
            return FaultKind.OOPS;          // vmalloc area: the direct map is in every pgd, so nothing to sync
        }
        if (mm == null) return user ? FaultKind.SEGV_MAPERR : FaultKind.OOPS;   // no_context
        Vma vma = mm.findVma(addr);
        if (vma == null) return FaultKind.SEGV_MAPERR;
        if (vma.start > addr) {
            if ((vma.flags & VmFlags.VM_GROWSDOWN) == 0) return FaultKind.SEGV_MAPERR;
            if (user && addr + 32 < (tsk.userEsp() & 0xFFFFFFFFL)) return FaultKind.SEGV_MAPERR;
            if (core.mmap.expandStack(vma, addr) != 0) return FaultKind.SEGV_MAPERR;
        }
        boolean write = false;
        switch (errorCode & (Mmu.PF_PROT | Mmu.PF_WRITE)) {
            case 3, 2 -> {                      // write, present or not
                if ((vma.flags & VmFlags.VM_WRITE) == 0) return FaultKind.SEGV_ACCERR;
                write = true;
            }
            case 1 -> { return FaultKind.SEGV_ACCERR; }   // read of a present page: PROT_NONE
            default -> {                        // 0: read, not present
                if ((vma.flags & (VmFlags.VM_READ | VmFlags.VM_EXEC)) == 0) return FaultKind.SEGV_ACCERR;
            }
        }
        return core.memory.handleMmFault(cpu, mm, vma, address, write);
    }
}
