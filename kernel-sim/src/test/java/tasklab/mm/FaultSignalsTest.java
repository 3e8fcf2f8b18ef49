package tasklab.mm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tasklab.kernel.KernelVersion;
import tasklab.machine.Mmu;
import tasklab.trace.Counter;
import tasklab.trace.Event;
import tasklab.trace.FaultKind;

/** do_page_fault's error-code switch, SIGSEGV kinds, stack growth and kernel threads (R9.2). */
class FaultSignalsTest {
    static final long A = 0x08048000L;

    private Rig rig() { return new Rig(KernelVersion.LINUX_2_4, 1); }

    @Test
    void R9_2_noVmaIsSegvMaperr() {
        Rig rig = rig();
        MmStruct mm = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        assertEquals(-UserAccess.SIGSEGV, rig.core.user.readByte(0, 0x10000000));
        assertEquals(Fault.SEGV_MAPERR, rig.core.perCpu(0).lastSiCode());
        assertEquals(1, rig.total(Counter.SIGSEGV));
        Event.PageFault pf = (Event.PageFault) rig.trace.events().stream()
            .filter(e -> e instanceof Event.PageFault).reduce((a, b) -> b).orElseThrow();
        assertEquals(FaultKind.SEGV_MAPERR, pf.kind());
        assertEquals(4, pf.errorCode());
    }

    @Test
    void R9_2_writeToReadOnlyVmaIsSegvAccerr() {
        Rig rig = rig();
        MmStruct mm = rig.core.refs.mmAlloc(0);
        rig.core.mmap.doMmap(0, mm, A, 4096, VmFlags.PROT_READ, VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS | VmFlags.MAP_FIXED);
        rig.run(0, new Rig.Ctx(100, mm));
        assertEquals(-UserAccess.SIGSEGV, rig.core.user.writeByte(0, (int) A, 1));
        assertEquals(Fault.SEGV_ACCERR, rig.core.perCpu(0).lastSiCode());
        assertEquals(0, rig.core.user.readByte(0, (int) A), "reading is allowed");
        assertEquals(-UserAccess.SIGSEGV, rig.core.user.writeByte(0, (int) A, 1), "write to the present zero page: case 3");
    }

    @Test
    void R9_2_protNoneReadIsSegvAccerr() {
        Rig rig = rig();
        MmStruct mm = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        rig.core.user.writeByte(0, (int) A, 5);
        assertEquals(0, rig.core.mmap.mprotect(0, mm, A, 4096, VmFlags.PROT_NONE));
        assertEquals(0x0A0, rig.pte(mm, A) & 0xFFF & ~0x040, "PAGE_NONE keeps the frame, accessed and dirty");
        assertEquals(-UserAccess.SIGSEGV, rig.core.user.readByte(0, (int) A));
        assertEquals(Fault.SEGV_ACCERR, rig.core.perCpu(0).lastSiCode());
        assertEquals(0, rig.core.mmap.mprotect(0, mm, A, 4096, VmFlags.PROT_READ));
        assertEquals(5, rig.core.user.readByte(0, (int) A), "the data survived PROT_NONE");
    }

    @Test
    void R9_2_kernelAddressFromUserModeIsSegvMaperr() {
        Rig rig = rig();
        MmStruct mm = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        assertEquals(-UserAccess.SIGSEGV, rig.core.user.readByte(0, 0xC0001000));
        assertEquals(Fault.SEGV_MAPERR, rig.core.perCpu(0).lastSiCode());
    }

    @Test
    void R9_2_stackGrowsDownWithin32BytesOfEsp() {
        Rig rig = rig();
        MmStruct mm = rig.core.refs.mmAlloc(0);
        long top = 0xC0000000L;
        rig.core.mmap.doMmap(0, mm, top - 4096, 4096, VmFlags.PROT_READ | VmFlags.PROT_WRITE,
            VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS | VmFlags.MAP_FIXED | VmFlags.MAP_GROWSDOWN);
        Rig.Ctx ctx = rig.run(0, new Rig.Ctx(100, mm));
        ctx.esp = (int) (top - 3 * 4096);
        assertEquals(0, rig.core.user.writeByte(0, (int) (top - 3 * 4096 - 16), 1), "16 bytes below esp: push");
        assertEquals(top - 4 * 4096, mm.findVma(top - 1).start());
        assertEquals(4, mm.totalVm());
        assertEquals(-UserAccess.SIGSEGV, rig.core.user.writeByte(0, (int) (top - 8 * 4096), 1), "far below esp");
        assertEquals(Fault.SEGV_MAPERR, rig.core.perCpu(0).lastSiCode());
    }

    @Test
    void R9_2_kernelThreadTouchingUserAddressOopses() {
        Rig rig = rig();
        Rig.Ctx kthread = new Rig.Ctx(2, null);
        kthread.activeMm = rig.core.initMm();
        rig.core.perCpu(0).setCurrent(kthread);
        assertEquals(FaultKind.OOPS, rig.core.fault.doPageFault(0, (int) A, 0));
        assertEquals(-UserAccess.SIGKILL, rig.core.user.access(0, (int) A, 0));
    }

    @Test
    void R9_2_readOfPresentPageWithProtBitIsAccerrEvenIfVmaAllowsIt() {
        Rig rig = rig();
        MmStruct mm = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        assertEquals(FaultKind.SEGV_ACCERR, rig.core.fault.doPageFault(0, (int) A, Mmu.PF_PROT | Mmu.PF_USER));
    }
}
