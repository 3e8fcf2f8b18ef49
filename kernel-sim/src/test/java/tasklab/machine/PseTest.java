package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * 4 MiB pages in the paging unit and the TLBs (PSE). New rule ids, worded here (the rule book has
 * none for PSE yet):
 * <ul>
 * <li><b>R9.13</b> "With CR4.PSE set, a present pde with PS (bit 7) set maps a 4 MiB page: the walk
 *     reads no page table; the physical address is the pde's bits 31-22 plus the linear address's low
 *     22 bits; the pde's A (and D on a write) bits are set; the TLB caches one 4 MiB entry, in the
 *     CPU's large-page TLB", Intel SDM Vol. 3A "4-MByte pages" / Table 11-1.</li>
 * <li><b>R8.11</b> "Flushes treat 4 MiB entries as 4 KiB ones: a CR3 load drops the non-global ones
 *     and keeps global ones when CR4.PGE is set; INVLPG of any address inside a 4 MiB page drops that
 *     page's entry (every entry of it, fragments included); a global flush drops all", Intel SDM
 *     Vol. 3A "Invalidation of TLBs"; include/asm-i386/pgtable.h __flush_tlb / __flush_tlb_one /
 *     __flush_tlb_global.</li>
 * </ul>
 */
class PseTest {
    private static final int KERNEL_LARGE_G = Pte.KERNEL_LARGE | Pte.GLOBAL;   // 0x1e3

    /** A CPU with CR4.PSE set and a page directory whose slots 768.. map 4 MiB pages of physical memory 0.., as Linux's direct map does. */
    private record Rig(PhysMem mem, Cpu cpu, int pgdPfn, int[] pgd) { }

    private static Rig rig(CpuModel model, boolean pge, int prot) {
        PhysMem mem = new PhysMem(64L << 20);
        Cpu cpu = new Cpu(0, model, pge);
        int pgdPfn = mem.allocPageTable();
        int[] pgd = mem.table(pgdPfn);
        for (int t = 0; t < 16; t++) pgd[Pte.USER_PTRS_PER_PGD + t] = (t << Pte.PGDIR_SHIFT) | prot;
        cpu.setPseEnabled(true);
        cpu.loadCr3(pgdPfn);
        return new Rig(mem, cpu, pgdPfn, pgd);
    }

    @Test
    void R9_13_theWalkStopsAtAPdeWithPsAndAddsTheLow22Bits() {
        Rig r = rig(CpuModel.PENTIUM_PRO_200, true, Pte.PRESENT | Pte.RW | Pte.PSE);   // A and D clear
        long pa = Mmu.translate(r.cpu(), r.mem(), 0xC0523456, 0);
        assertEquals(0x00523456L, pa, "pde 769 maps physical 4 MiB..8 MiB: 0x400000 + 0x123456");
        assertEquals(1, r.cpu().pageWalks());
        assertEquals(Pte.PRESENT | Pte.RW | Pte.PSE | Pte.ACCESSED, r.pgd()[769] & 0xFFF, "A set in the pde, D only on a write");
        assertEquals(1, r.cpu().dtlb().largeEntries(), "one 4 MiB entry");
        assertEquals(0, r.cpu().dtlb().size() - r.cpu().dtlb().largeEntries(), "no 4 KiB entry");
        // anywhere else in the same 4 MiB: a TLB hit, no walk
        assertEquals(0x007FFFFCL, Mmu.translate(r.cpu(), r.mem(), 0xC07FFFFC, 0));
        assertEquals(1, r.cpu().pageWalks());
        // a write through the clean entry walks again to set D in the pde
        assertEquals(0x00400010L, Mmu.translate(r.cpu(), r.mem(), 0xC0400010, Mmu.PF_WRITE));
        assertEquals(2, r.cpu().pageWalks());
        assertTrue(Pte.dirty(r.pgd()[769]));
        assertEquals(1, r.cpu().dtlb().largeEntries());
    }

    @Test
    void R9_13_theWalkOfA4MiBPageReadsOnlyThePde() {
        Rig r = rig(CpuModel.PENTIUM_PRO_200, true, KERNEL_LARGE_G);
        long before = r.cpu().cycles(CostKind.TLB_MISS);
        Mmu.translate(r.cpu(), r.mem(), 0xC0001000, 0);
        long walk = r.cpu().cycles(CostKind.TLB_MISS) - before;
        // the fixed walk cost plus one reference (the pde) from memory: no pte reference
        assertEquals(r.cpu().cost().tlbMissWalk() + r.cpu().cost().memoryLatency(), walk);
        assertEquals(1, r.cpu().memoryRefs());
    }

    @Test
    void R9_13_userModeCannotUseTheKernelsLargePages() {
        Rig r = rig(CpuModel.PENTIUM_PRO_200, true, KERNEL_LARGE_G);
        long res = Mmu.translate(r.cpu(), r.mem(), 0xC0001000, Mmu.PF_USER);
        assertTrue(Mmu.isFault(res));
        assertEquals(Mmu.PF_PROT | Mmu.PF_USER, Mmu.errorCode(res), "present, user, read: a protection fault");
    }

    @Test
    void R9_13_lookupPteShowsTheLargePagesFourKiBView() {
        Rig r = rig(CpuModel.PENTIUM_PRO_200, true, KERNEL_LARGE_G);
        int view = Mmu.lookupPte(r.mem(), r.pgdPfn(), 0xC0523456);
        assertEquals(0x523, Pte.pfn(view), "the frame of the 4 KiB piece");
        assertEquals(0x1E3, Pte.flags(view));
        assertEquals("P RW A D PSE G", Pte.describe(view));
    }

    @Test
    void R9_13_aCpuWithoutPseCannotSetCr4Pse() {
        for (CpuModel m : new CpuModel[] {CpuModel.I386DX_33, CpuModel.I486DX2_66, CpuModel.PENTIUM_PRO_200.withPse(false)}) {
            assertFalse(m.hasPse(), m.name());
            Cpu c = new Cpu(0, m, true);
            assertThrows(IllegalStateException.class, () -> c.setPseEnabled(true), m.name());
            assertFalse(c.pseEnabled());
        }
        for (CpuModel m : new CpuModel[] {CpuModel.PENTIUM_100, CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_II_450, CpuModel.PENTIUM_4_2000}) {
            assertTrue(m.hasPse(), m.name());
        }
    }

    @Test
    void R8_11_cr3LoadKeepsGlobalLargeEntriesWithPgeAndDropsThemWithout() {
        Rig g = rig(CpuModel.PENTIUM_PRO_200, true, KERNEL_LARGE_G);
        Mmu.translate(g.cpu(), g.mem(), 0xC0001000, 0);
        g.cpu().loadCr3(g.pgdPfn());
        assertEquals(1, g.cpu().dtlb().largeEntries(), "global 4 MiB entry survives the CR3 load");
        assertNotEquals(0, g.cpu().dtlb().peek(0xC0002000));

        Rig n = rig(CpuModel.PENTIUM_PRO_200, false, Pte.KERNEL_LARGE);
        Mmu.translate(n.cpu(), n.mem(), 0xC0001000, 0);
        assertEquals(1, n.cpu().dtlb().largeEntries());
        n.cpu().loadCr3(n.pgdPfn());
        assertEquals(0, n.cpu().dtlb().largeEntries(), "without PGE a CR3 load drops it");
        assertEquals(0, n.cpu().dtlb().peek(0xC0002000));
    }

    @Test
    void R8_11_invlpgAnywhereInALargePageDropsItsEntry() {
        Rig r = rig(CpuModel.PENTIUM_PRO_200, true, KERNEL_LARGE_G);
        Mmu.translate(r.cpu(), r.mem(), 0xC0001000, 0);
        Mmu.translate(r.cpu(), r.mem(), 0xC0401000, 0);
        assertEquals(2, r.cpu().dtlb().largeEntries());
        r.cpu().flushTlbOne(0xC03FF000);                 // the last 4 KiB of the first 4 MiB page
        assertEquals(1, r.cpu().dtlb().largeEntries());
        assertEquals(0, r.cpu().dtlb().peek(0xC0001000));
        assertNotEquals(0, r.cpu().dtlb().peek(0xC0401000), "the other 4 MiB page keeps its entry");
        r.cpu().flushTlbGlobal();
        assertEquals(0, r.cpu().dtlb().size(), "a global flush drops the global 4 MiB entry too");
    }

    @Test
    void pentiumProLargeDataTlbIsEightEntriesFourWayAndLru() {
        Rig r = rig(CpuModel.PENTIUM_PRO_200, true, KERNEL_LARGE_G);
        Tlb d = r.cpu().dtlb();
        assertEquals(8, d.largeCapacity());
        assertEquals(2, r.cpu().itlb().largeCapacity(), "4 MiB ITLB: 2 entries, fully associative");
        // 4 MiB pages 0, 2, 4, 6, 8 share set 0 of the 2 sets: the fifth evicts the least recently used (page 0)
        for (int page : new int[] {0, 2, 4, 6, 8}) Mmu.translate(r.cpu(), r.mem(), 0xC0000000 + (page << 22), 0);
        assertEquals(4, d.largeEntries());
        assertEquals(0, d.peek(0xC0000000));
        assertNotEquals(0, d.peek(0xC0800000));
        // the 4 KiB DTLB is untouched: large pages do not take its 64 entries on a P6
        assertEquals(4, d.size());
        assertEquals(4, d.entries().stream().filter(Tlb.Entry::large).count());
    }

    @Test
    void pentium4DataTlbHoldsLargePagesInItsOwnEntries() {
        Rig r = rig(CpuModel.PENTIUM_4_2000, true, KERNEL_LARGE_G);
        Tlb d = r.cpu().dtlb();
        assertEquals(LargePageTlb.Kind.SHARED, d.largeKind());
        assertEquals(0, d.largeCapacity());
        Mmu.translate(r.cpu(), r.mem(), 0xC0001000, 0);
        assertEquals(1, d.largeEntries());
        Tlb.Entry e = d.entries().get(0);
        assertTrue(e.large());
        assertEquals(0xC0000000, e.va());
        // 64 user pages then fill the shared 64 entries: the 4 MiB entry is the LRU one and goes
        int[] pgd = r.pgd();
        int ptPfn = r.mem().allocPageTable();
        int[] pt = r.mem().table(ptPfn);
        pgd[Pte.pgdIndex(0x08000000)] = Pte.mkPte(ptPfn, Pte.PAGE_TABLE);
        for (int i = 0; i < 64; i++) {
            pt[i] = Pte.mkPte(0x800 + i, Pte.PRESENT | Pte.USER | Pte.RW);
            Mmu.translate(r.cpu(), r.mem(), 0x08000000 + (i << 12), Mmu.PF_USER);
        }
        assertEquals(64, d.size());
        assertEquals(0, d.largeEntries());
    }

    @Test
    void pentiumCodeTlbCachesTheTouched4KiBPieceAndInvlpgDropsEveryPiece() {
        Rig r = rig(CpuModel.PENTIUM_100, false, Pte.KERNEL_LARGE);
        Tlb i = r.cpu().itlb();
        assertEquals(LargePageTlb.Kind.FRAGMENTED, i.largeKind());
        assertEquals(8, r.cpu().dtlb().largeCapacity(), "P5: a separate 8-entry 4-way data TLB for 4 MiB pages");
        assertEquals(0x00101000L, Mmu.translate(r.cpu(), r.mem(), 0xC0101000, Mmu.PF_INSTR));
        assertEquals(0x00102000L, Mmu.translate(r.cpu(), r.mem(), 0xC0102000, Mmu.PF_INSTR));
        assertEquals(2, i.size());
        assertTrue(i.entries().stream().allMatch(Tlb.Entry::fragment));
        assertEquals(0, i.largeEntries());
        r.cpu().flushTlbOne(0xC0300000);                 // another address of the same 4 MiB page
        assertEquals(0, i.size(), "INVLPG drops every 4 KiB piece of the large page");
    }

    @Test
    void aLargeEntryAndASmallEntryAreOneLookupEach() {
        Rig r = rig(CpuModel.PENTIUM_PRO_200, true, KERNEL_LARGE_G);
        Tlb d = r.cpu().dtlb();
        Mmu.translate(r.cpu(), r.mem(), 0xC0001000, 0);   // miss, walk
        Mmu.translate(r.cpu(), r.mem(), 0xC0002000, 0);   // hit in the large TLB
        assertEquals(1, d.misses());
        assertEquals(1, d.hits());
    }
}
