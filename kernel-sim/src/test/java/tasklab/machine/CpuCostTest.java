package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** What the hardware charges: TLB hits and misses (walks through the caches), CR3 loads, flushes, data accesses. */
class CpuCostTest {
    private static final int VA = 0x08048123;

    /** A CPU with one mapped user page at VA; CR3 loaded. */
    private static final class Rig {
        final PhysMem mem = new PhysMem(8L << 20);
        final Cpu cpu;
        final int pgdPfn, ptPfn, frame;
        Rig(CpuModel model, boolean caches) {
            cpu = new Cpu(0, model, true);
            cpu.setCachesEnabled(caches);
            pgdPfn = mem.allocPageTable();
            ptPfn = mem.allocPageTable();
            frame = mem.allocPage(PhysMem.F_ANON);
            mem.table(pgdPfn)[Pte.pgdIndex(VA)] = Pte.mkPte(ptPfn, Pte.PAGE_TABLE);
            mem.table(ptPfn)[Pte.pteIndex(VA)] = Pte.mkPte(frame, Pte.PRESENT | Pte.USER | Pte.RW);
            cpu.loadCr3(pgdPfn);
        }
        long translate() { return Mmu.translate(cpu, mem, VA, Mmu.PF_USER); }
    }

    @Test
    void tlbHitCostsNothingAndAMissCostsTheWalkPlusItsCacheMisses() {
        Rig r = new Rig(CpuModel.PENTIUM_PRO_200, true);
        CostModel c = r.cpu.cost();
        long before = r.cpu.cycles();
        r.translate();                                      // TLB miss, pde and pte lines cold in L1 and L2
        assertEquals(c.tlbMissWalk() + 2 * c.memoryLatency(), r.cpu.cycles(CostKind.TLB_MISS));
        assertEquals(before + r.cpu.cycles(CostKind.TLB_MISS), r.cpu.cycles());
        long afterMiss = r.cpu.cycles();
        r.translate();                                      // TLB hit
        assertEquals(afterMiss, r.cpu.cycles(), "a TLB hit adds nothing");
        r.cpu.flushTlb();
        long walk = r.cpu.cycles(CostKind.TLB_MISS);
        r.translate();                                      // miss again, but pde / pte now hit L1
        assertEquals(c.tlbMissWalk(), r.cpu.cycles(CostKind.TLB_MISS) - walk);
        assertEquals(2, r.cpu.pageWalks());
    }

    @Test
    void withCachesOffAWalkCostsExactlyTlbMissWalkAndDataAccessesNothing() {
        Rig r = new Rig(CpuModel.PENTIUM_PRO_200, false);
        assertNull(r.cpu.l1d());
        assertNull(r.cpu.l2());
        assertFalse(r.cpu.cachesEnabled());
        long pa = r.translate();
        assertEquals(r.cpu.cost().tlbMissWalk(), r.cpu.cycles(CostKind.TLB_MISS));
        for (int i = 0; i < 100; i++) assertEquals(0, r.cpu.memoryAccess(pa + i * 64L));
        assertEquals(0, r.cpu.cycles(CostKind.MEMORY));
        assertEquals(0, r.cpu.memoryRefs());
    }

    @Test
    void dataAccessCostsL1HitL2HitOrMemory() {
        Rig r = new Rig(CpuModel.PENTIUM_PRO_200, true);
        CostModel c = r.cpu.cost();
        long pa = (long) r.frame << 12;
        assertEquals(c.memoryLatency(), r.cpu.memoryAccess(pa), "cold");
        assertEquals(0, r.cpu.memoryAccess(pa + 8), "same line: L1 hit");
        // evict pa's line from the 2-way L1 with two aliases 4 KiB apart (they stay apart in the 64-set-way L2)
        r.cpu.memoryAccess(pa + 4096);
        r.cpu.memoryAccess(pa + 8192);
        assertEquals(c.l2Hit(), r.cpu.memoryAccess(pa), "L1 miss, L2 hit");
        assertEquals(2 * c.memoryLatency() + c.memoryLatency() + c.l2Hit(), r.cpu.cycles(CostKind.MEMORY));
        assertEquals(3, r.cpu.memoryRefs());
    }

    @Test
    void aCpuWithoutCachesGoesToMemoryEveryTime() {
        Rig r = new Rig(CpuModel.I386DX_33, true);
        assertNull(r.cpu.l1d());
        long pa = (long) r.frame << 12;
        for (int i = 0; i < 3; i++) assertEquals(r.cpu.cost().memoryLatency(), r.cpu.memoryAccess(pa));
        r.cpu.setCachesEnabled(false);
        assertEquals(0, r.cpu.memoryAccess(pa));
    }

    @Test
    void cr3LoadAndFlushesChargeTheirCosts() {
        Cpu cpu = new Cpu(0, CpuModel.PENTIUM_PRO_200, true);
        CostModel c = cpu.cost();
        cpu.loadCr3(5);
        cpu.loadCr3(6);
        assertEquals(2 * c.cr3Load(), cpu.cycles(CostKind.CR3_LOAD));
        cpu.flushTlb();
        assertEquals(c.flushTlb(), cpu.cycles(CostKind.TLB_FLUSH));
        cpu.flushTlbOne(VA);
        assertEquals(c.invlpg(), cpu.cycles(CostKind.INVLPG));
        cpu.flushTlbGlobal();
        assertEquals(c.flushTlb() + c.flushTlbGlobal(), cpu.cycles(CostKind.TLB_FLUSH));
        cpu.flushTlbAll();                                  // PGE on: the global flush
        assertEquals(c.flushTlb() + 2 * c.flushTlbGlobal(), cpu.cycles(CostKind.TLB_FLUSH));
        assertEquals(2 * c.cr3Load() + c.invlpg() + c.flushTlb() + 2 * c.flushTlbGlobal(), cpu.cycles());
    }

    @Test
    void invlpgIsCheaperThanAFullFlushOnlyAfterTheRefillsAndIsAFullFlushOnA386() {
        // direct cost: INVLPG 25 vs __flush_tlb 26 on a Pentium Pro, but the flush drops every entry
        Cpu one = new Cpu(0, CpuModel.PENTIUM_PRO_200, true);
        one.flushTlbOne(VA);
        assertEquals(one.cost().invlpg(), one.cycles());
        assertEquals(0, one.cycles(CostKind.TLB_FLUSH));
        Cpu i386 = new Cpu(0, CpuModel.I386DX_33, false);
        i386.flushTlbOne(VA);                               // no INVLPG: __flush_tlb_one is __flush_tlb
        assertEquals(i386.cost().flushTlb(), i386.cycles(CostKind.TLB_FLUSH));
        assertEquals(0, i386.cycles(CostKind.INVLPG));
        assertEquals(1, i386.dtlb().flushes());
        Cpu withInvlpg = new Cpu(0, CpuModel.I386DX_33.withInvlpg(true), false);
        withInvlpg.flushTlbOne(VA);
        assertEquals(CostModel.of(CpuModel.I486DX2_66).invlpg(), withInvlpg.cycles(CostKind.INVLPG), "what-if: the 486's INVLPG");
    }

    @Test
    void refillAfterAFullFlushCostsMoreThanAfterInvlpgOfAnotherPage() {
        long[] refill = new long[2];
        for (int k = 0; k < 2; k++) {
            PhysMem mem = new PhysMem(8L << 20);
            Cpu cpu = new Cpu(0, CpuModel.PENTIUM_PRO_200, true);
            int pgd = mem.allocPageTable(), pt = mem.allocPageTable();
            mem.table(pgd)[0x20] = Pte.mkPte(pt, Pte.PAGE_TABLE);
            for (int i = 0; i < 32; i++) mem.table(pt)[i] = Pte.mkPte(mem.allocPage(PhysMem.F_ANON), Pte.PRESENT | Pte.USER | Pte.RW);
            cpu.loadCr3(pgd);
            for (int i = 0; i < 32; i++) Mmu.translate(cpu, mem, 0x08000000 + i * 4096, Mmu.PF_USER);
            if (k == 0) cpu.flushTlb(); else cpu.flushTlbOne(0x08000000);
            long before = cpu.refillCycles();
            for (int i = 0; i < 32; i++) Mmu.translate(cpu, mem, 0x08000000 + i * 4096, Mmu.PF_USER);
            refill[k] = cpu.refillCycles() - before;
        }
        long walk = CostModel.of(CpuModel.PENTIUM_PRO_200).tlbMissWalk();
        assertEquals(32 * walk, refill[0], "every entry walks again (pde / pte lines in L1)");
        assertEquals(walk, refill[1], "only the invalidated page walks again");
    }

    @Test
    void sameSequenceSameCycles() {
        long[][] runs = new long[2][];
        for (int k = 0; k < 2; k++) {
            Rig r = new Rig(CpuModel.PENTIUM_4_2000, true);
            long pa = r.translate();
            for (int i = 0; i < 5000; i++) {
                r.cpu.memoryAccess((pa + (i * 7919L) % (64 * 1024)) & ~3L);
                if (i % 500 == 0) { r.cpu.flushTlb(); r.translate(); }
            }
            runs[k] = new long[CostKind.values().length + 1];
            for (CostKind kind : CostKind.values()) runs[k][kind.ordinal()] = r.cpu.cycles(kind);
            runs[k][CostKind.values().length] = r.cpu.cycles();
        }
        assertArrayEquals(runs[0], runs[1]);
        assertTrue(runs[0][CostKind.MEMORY.ordinal()] > 0);
    }

    @Test
    void machineSwitchesEveryCpusCachesAndChargeRejectsNegatives() {
        Machine m = new Machine(CpuModel.PENTIUM_II_450, 2, 16L << 20, true);
        assertTrue(m.cachesEnabled());
        assertNotNull(m.cpu(1).l2());
        m.setCachesEnabled(false);
        assertFalse(m.cachesEnabled());
        assertNull(m.cpu(1).l1d());
        assertSame(CostModel.of(CpuModel.PENTIUM_II_450), m.cost());
        m.cpu(0).charge(10);
        assertEquals(10, m.cpu(0).cycles(CostKind.OTHER));
        assertThrows(IllegalArgumentException.class, () -> m.cpu(0).charge(CostKind.SYSCALL, -1));
    }
}
