package tasklab.mm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.KernelVersion;
import tasklab.machine.KernelBug;

/** mm_users / mm_count rows of the §12 table that need no tasks (T1, T8, T9) and frame accounting. */
class MmRefsTest {
    static final long A = 0x08048000L;

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T1_mmAllocStartsWithOneUserAndOneCount(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct mm = rig.core.refs.mmAlloc(0);
        assertEquals(1, mm.mmUsers());
        assertEquals(1, mm.mmCount());
        assertEquals(1, rig.core.mmlistNr());
        assertNotEquals(MmCore.SWAPPER_PG_DIR_PFN, mm.pgd());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_9_pgdAllocCopiesTheKernelPartOfSwapperPgDir(KernelVersion v) {
        // with 4 KiB kernel pages (no PSE): the pgd entries point to the kernel's page tables
        Rig rig = new Rig(v, 1, tasklab.machine.CpuModel.PENTIUM_PRO_200.withPse(false));
        MmStruct mm = rig.core.refs.mmAlloc(0);
        int[] pgd = rig.core.mem().table(mm.pgd());
        int[] swapper = rig.core.mem().table(MmCore.SWAPPER_PG_DIR_PFN);
        for (int i = 0; i < 768; i++) assertEquals(0, pgd[i], "user slot " + i);
        for (int i = 768; i < 1024; i++) assertEquals(swapper[i], pgd[i], "kernel slot " + i);
        assertEquals(0x063, pgd[768] & 0xFFF, "_KERNPG_TABLE");
        int kpte = tasklab.machine.Mmu.lookupPte(rig.core.mem(), mm.pgd(), 0xC0100000);
        assertEquals(0x163, kpte & 0xFFF, "PAGE_KERNEL | _PAGE_GLOBAL with PGE");
        assertEquals(0x100, kpte >>> 12, "direct map: 0xC0100000 is physical 1 MiB");
        // with PSE (the Pentium Pro's own): the copied entries are 4 MiB pages (R9.12)
        Rig large = new Rig(v, 1);
        MmStruct m2 = large.core.refs.mmAlloc(0);
        int[] pgd2 = large.core.mem().table(m2.pgd());
        int[] swapper2 = large.core.mem().table(MmCore.SWAPPER_PG_DIR_PFN);
        for (int i = 768; i < 1024; i++) assertEquals(swapper2[i], pgd2[i], "kernel slot " + i);
        assertEquals(0x1E3, pgd2[768], "_KERNPG_TABLE | _PAGE_PSE | _PAGE_GLOBAL, physical 0");
        int view = tasklab.machine.Mmu.lookupPte(large.core.mem(), m2.pgd(), 0xC0100000);
        assertEquals(0x100, view >>> 12, "direct map: 0xC0100000 is physical 1 MiB");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R1_4_withoutPgeKernelPtesAreNotGlobal(KernelVersion v) {
        Rig rig = new Rig(v, 1, tasklab.machine.CpuModel.PENTIUM_100);
        int kpte = tasklab.machine.Mmu.lookupPte(rig.core.mem(), MmCore.SWAPPER_PG_DIR_PFN, 0xC0100000);
        assertEquals(0x0E3, kpte & 0xFFF, "a 4 MiB page (the Pentium has PSE), not global (no PGE)");
        Rig small = new Rig(v, 1, tasklab.machine.CpuModel.I486DX2_66);
        int k4 = tasklab.machine.Mmu.lookupPte(small.core.mem(), MmCore.SWAPPER_PG_DIR_PFN, 0xC0100000);
        assertEquals(0x063, k4 & 0xFFF);
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T8_T9_lastMmputTearsDownAndFreesEveryFrame(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        int free = rig.free();
        MmStruct parent = rig.mmWithAnon(A, 32 * 4096);
        Rig.Ctx p = rig.run(0, new Rig.Ctx(100, parent));
        for (int i = 0; i < 32; i++) rig.core.user.writeByte(0, (int) A + i * 4096, i + 1);
        rig.core.user.readByte(0, (int) A + 40 * 4096);             // outside: SIGSEGV, no allocation
        MmStruct child = rig.core.refs.mmAlloc(0);
        rig.core.refs.dupMmap(0, child, parent);
        rig.run(0, new Rig.Ctx(101, child));
        for (int i = 0; i < 32; i += 2) rig.core.user.writeByte(0, (int) A + i * 4096, 0xEE);
        rig.run(0, p);
        rig.core.refs.mmput(0, child);
        assertTrue(child.freed());
        assertEquals(0, child.mmUsers());
        rig.core.mmuContext.switchMm(0, parent, rig.core.initMm());
        rig.core.perCpu(0).setCurrent(null);
        rig.core.refs.mmput(0, parent);
        assertTrue(parent.freed());
        assertEquals(free, rig.free(), "no frame leaked");
        assertEquals(0, rig.core.mmlistNr());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T9_mmdropKeepsTheMmWhileBorrowed(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct mm = rig.mmWithAnon(A, 4096);
        rig.core.refs.mmgrab(mm);                 // a lazy borrower
        rig.core.refs.mmput(0, mm);
        assertFalse(mm.freed(), "mm_count 1 remains for the borrower");
        assertEquals(0, mm.mmUsers());
        assertEquals(1, mm.mmCount());
        rig.core.refs.mmdrop(0, mm);
        assertTrue(mm.freed());
        assertThrows(KernelBug.class, () -> rig.core.refs.mmdrop(0, mm));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void initMmIsNeverFreed(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct init = rig.core.initMm();
        init.mmCount = 1;
        KernelBug e = assertThrows(KernelBug.class, () -> rig.core.refs.mmdrop(0, init));
        assertEquals("__mmdrop: mm == &init_mm", e.getMessage());
    }
}
