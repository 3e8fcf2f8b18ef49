package tasklab.mm;

import tasklab.machine.Mmu;
import tasklab.machine.PhysMem;
import tasklab.trace.FaultKind;

/**
 * User-mode loads and stores by the task current on a CPU: the MMU translates through the TLB,
 * a fault enters do_page_fault, and the instruction restarts, as on real hardware. A read
 * returns the byte (0..255); any access that ends in a signal returns {@code -signal}
 * (SIGSEGV 11, SIGKILL 9 for OOM) and the caller delivers it. Costs: the MMU charges TLB misses;
 * readByte / writeByte charge the data access through the CPU's caches ({@code Cpu.memoryAccess});
 * {@link #access} itself only translates.
 */
public final class UserAccess {
    /** SIGSEGV. */
    public static final int SIGSEGV = 11;
    /** SIGKILL (the OOM killer; an oops kills with SIGKILL here too). */
    public static final int SIGKILL = 9;
    /** SIGBUS. */
    public static final int SIGBUS = 7;

    private final MmCore core;
    private final PhysMem mem;

    UserAccess(MmCore core) {
        this.core = core;
        this.mem = core.mem();
    }

    /** A user read of one byte at {@code va} on {@code cpu}: the byte, or -signal. The access goes through the caches. */
    public int readByte(int cpu, int va) {
        long pa = access(cpu, va, Mmu.PF_USER);
        if (pa < 0) return (int) pa;
        core.cpu(cpu).memoryAccess(pa);
        return mem.readByte(pa);
    }

    /** A user write of one byte; 0, or -signal. The access goes through the caches. */
    public int writeByte(int cpu, int va, int value) {
        long pa = access(cpu, va, Mmu.PF_USER | Mmu.PF_WRITE);
        if (pa < 0) return (int) pa;
        core.cpu(cpu).memoryAccess(pa);
        mem.writeByte(pa, value);
        return 0;
    }

    /** A user read of a little-endian 32-bit word (within one page); the value as a long, or -signal. */
    public long readInt(int cpu, int va) {
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            int b = readByte(cpu, va + i);
            if (b < 0) return b;
            v = (v << 8) | b;
        }
        return v;
    }

    /** A user write of a little-endian 32-bit word; 0, or -signal. */
    public int writeInt(int cpu, int va, int value) {
        for (int i = 0; i < 4; i++) {
            int r = writeByte(cpu, va + i, (value >>> (8 * i)) & 0xFF);
            if (r < 0) return r;
        }
        return 0;
    }

    /** Translates with faults handled (at most a few restarts): a physical address, or -signal. */
    public long access(int cpu, int va, int accessBits) {
        var c = core.cpu(cpu);
        for (int attempt = 0; attempt < 4; attempt++) {
            long pa = Mmu.translate(c, mem, va, accessBits);
            if (!Mmu.isFault(pa)) return pa;
            FaultKind kind = core.fault.doPageFault(cpu, va, Mmu.errorCode(pa));
            switch (kind) {
                case SEGV_MAPERR, SEGV_ACCERR -> { return -SIGSEGV; }
                case OOM, OOPS -> { return -SIGKILL; }
                default -> { }
            }
        }
        throw new tasklab.machine.KernelBug("do_page_fault", "fault at " + Integer.toHexString(va) + " not resolved after 4 tries");
    }
}
