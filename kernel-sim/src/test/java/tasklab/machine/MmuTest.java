package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The paging unit: the 10/10/12 walk, accessed/dirty bits, TLB fills and i386 error codes (R9.1, R9.2). */
class MmuTest {
    private PhysMem mem;
    private Cpu cpu;
    private int[] pgd;
    private int[] pt;
    private int frame;

    @BeforeEach
    void setUp() {
        mem = new PhysMem(8L << 20);
        cpu = new Cpu(0, CpuModel.PENTIUM_PRO_200, true);
        int pgdPfn = mem.allocPageTable();
        int ptPfn = mem.allocPageTable();
        frame = mem.allocPage(PhysMem.F_ANON);
        pgd = mem.table(pgdPfn);
        pt = mem.table(ptPfn);
        pgd[Pte.pgdIndex(0x08048000)] = Pte.mkPte(ptPfn, Pte.PAGE_TABLE);
        cpu.loadCr3(pgdPfn);
    }

    @Test
    void R9_1_addressSplitIsTenTenTwelve() {
        assertEquals(0x20, Pte.pgdIndex(0x08048123));
        assertEquals(0x48, Pte.pteIndex(0x08048123));
        assertEquals(0x300, Pte.pgdIndex(0xC0000000));
    }

    @Test
    void R1_4_pteBitsHaveTheirRealValues() {
        assertEquals(0x001, Pte.PRESENT);
        assertEquals(0x002, Pte.RW);
        assertEquals(0x004, Pte.USER);
        assertEquals(0x020, Pte.ACCESSED);
        assertEquals(0x040, Pte.DIRTY);
        assertEquals(0x100, Pte.GLOBAL);
        assertEquals(0x067, Pte.PAGE_TABLE);
        assertEquals(0x063, Pte.KERNPG_TABLE);
        assertEquals(0x0A0, Pte.PAGE_NONE);
        assertEquals(0x027, Pte.PAGE_SHARED);
        assertEquals(0x025, Pte.PAGE_COPY);
    }

    @Test
    void R9_1_readWalkSetsAccessedAndFillsTheTlb() {
        int va = 0x08048123;
        pt[Pte.pteIndex(va)] = Pte.mkPte(frame, Pte.PRESENT | Pte.USER | Pte.RW);
        long pa = Mmu.translate(cpu, mem, va, Mmu.PF_USER);
        assertEquals(((long) frame << 12) | 0x123, pa);
        assertEquals(Pte.mkPte(frame, 0x027), pt[Pte.pteIndex(va)]);          // A set, D not
        assertEquals(Pte.PAGE_TABLE, pgd[Pte.pgdIndex(va)] & 0xFFF);
        assertNotEquals(0, cpu.dtlb().peek(va));
        assertEquals(1, cpu.pageWalks());
        Mmu.translate(cpu, mem, va, Mmu.PF_USER);
        assertEquals(1, cpu.pageWalks(), "second access hits the TLB");
    }

    @Test
    void R9_1_writeThroughACleanTlbEntrySetsDirtyInMemory() {
        int va = 0x08048000;
        pt[Pte.pteIndex(va)] = Pte.mkPte(frame, Pte.PRESENT | Pte.USER | Pte.RW);
        Mmu.translate(cpu, mem, va, Mmu.PF_USER);
        Mmu.translate(cpu, mem, va, Mmu.PF_USER | Mmu.PF_WRITE);
        assertEquals(Pte.mkPte(frame, 0x067), pt[Pte.pteIndex(va)]);
        assertTrue(Pte.dirty(cpu.dtlb().peek(va)));
    }

    @Test
    void R9_2_errorCodes() {
        int va = 0x08049000;
        long r = Mmu.translate(cpu, mem, va, Mmu.PF_USER);
        assertTrue(Mmu.isFault(r));
        assertEquals(4, Mmu.errorCode(r));                      // user read, not present
        assertEquals(va, cpu.cr2());
        r = Mmu.translate(cpu, mem, va, Mmu.PF_USER | Mmu.PF_WRITE);
        assertEquals(6, Mmu.errorCode(r));                      // user write, not present
        pt[Pte.pteIndex(va)] = Pte.mkPte(frame, Pte.PAGE_COPY);
        r = Mmu.translate(cpu, mem, va, Mmu.PF_USER | Mmu.PF_WRITE);
        assertEquals(7, Mmu.errorCode(r));                      // user write, protection
        pt[Pte.pteIndex(va)] = Pte.mkPte(frame, Pte.PRESENT | Pte.RW);   // supervisor page
        cpu.flushTlb();
        r = Mmu.translate(cpu, mem, va, Mmu.PF_USER);
        assertEquals(5, Mmu.errorCode(r));                      // user read of a kernel page
        assertFalse(Mmu.isFault(Mmu.translate(cpu, mem, va, 0)), "the kernel may read it");
    }

    @Test
    void aStaleTlbEntryStillAllowsWritesUntilFlushed() {
        int va = 0x0804A000;
        pt[Pte.pteIndex(va)] = Pte.mkPte(frame, Pte.PRESENT | Pte.USER | Pte.RW | Pte.ACCESSED | Pte.DIRTY);
        assertFalse(Mmu.isFault(Mmu.translate(cpu, mem, va, Mmu.PF_USER | Mmu.PF_WRITE)));
        pt[Pte.pteIndex(va)] &= ~Pte.RW;                        // write-protect without a flush
        assertFalse(Mmu.isFault(Mmu.translate(cpu, mem, va, Mmu.PF_USER | Mmu.PF_WRITE)),
            "the TLB still holds the writable entry: this is why fork flushes");
        cpu.flushTlbOne(va);
        assertTrue(Mmu.isFault(Mmu.translate(cpu, mem, va, Mmu.PF_USER | Mmu.PF_WRITE)));
    }

    @Test
    void pdeRightsAreAndedWithPteRights() {
        int va = 0x08048000;
        pgd[Pte.pgdIndex(va)] &= ~Pte.RW;
        pt[Pte.pteIndex(va)] = Pte.mkPte(frame, Pte.PRESENT | Pte.USER | Pte.RW);
        long r = Mmu.translate(cpu, mem, va, Mmu.PF_USER | Mmu.PF_WRITE);
        assertTrue(Mmu.isFault(r));
        assertEquals(7, Mmu.errorCode(r));
    }
}
