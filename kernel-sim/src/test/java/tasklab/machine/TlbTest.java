package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The TLB hardware model: LRU sets, global entries and the flush primitives of LINUX-SPEC §1.5. */
class TlbTest {
    private static int pte(int pfn, int flags) { return Pte.mkPte(pfn, flags); }

    @Test
    void R1_5_crLoadFlushKeepsGlobalEntriesWhenPgeIsOn() {
        Tlb tlb = new Tlb("dTLB", new TlbGeometry(64, 4), true, true);
        tlb.insert(0x08048000, pte(10, 0x067));
        tlb.insert(0xC0100000, pte(0x100, 0x163));          // kernel page, global
        assertEquals(2, tlb.size());
        tlb.flush();
        assertEquals(0, tlb.peek(0x08048000));
        assertEquals(pte(0x100, 0x163), tlb.peek(0xC0100000));
        assertEquals(1, tlb.entriesDropped());
        assertEquals(1, tlb.size());
        assertEquals(1, tlb.globalEntries());
    }

    @Test
    void R1_5_withoutPgeTheGlobalBitIsIgnored() {
        Tlb tlb = new Tlb("TLB", new TlbGeometry(32, 4), true, false);
        tlb.insert(0xC0100000, pte(0x100, 0x163));
        tlb.flush();
        assertEquals(0, tlb.peek(0xC0100000));
        assertEquals(1, tlb.entriesDropped());
    }

    @Test
    void R1_5_flushGlobalDropsEverything() {
        Tlb tlb = new Tlb("dTLB", new TlbGeometry(64, 4), true, true);
        tlb.insert(0x1000, pte(1, 0x067));
        tlb.insert(0xC0001000, pte(1, 0x163));
        tlb.flushGlobal();
        assertEquals(0, tlb.size());
        assertEquals(2, tlb.entriesDropped());
        assertEquals(1, tlb.globalFlushes());
        assertTrue(tlb.entries().isEmpty());
    }

    @Test
    void R1_5_invlpgDropsOnePage() {
        Tlb tlb = new Tlb("dTLB", new TlbGeometry(64, 4), true, true);
        tlb.insert(0x1000, pte(1, 0x067));
        tlb.insert(0x2000, pte(2, 0x067));
        tlb.flushOne(0x1abc);
        assertEquals(0, tlb.peek(0x1000));
        assertEquals(pte(2, 0x067), tlb.peek(0x2000));
        assertEquals(1, tlb.flushOnes());
        assertEquals(0, tlb.flushes());
    }

    @Test
    void R1_5_on386FlushOneIsAFullFlush() {
        Tlb tlb = new Tlb("TLB", CpuModel.I386DX_33.dtlb(), false, false);
        tlb.insert(0x1000, pte(1, 0x067));
        tlb.insert(0x2000, pte(2, 0x067));
        tlb.flushOne(0x1000);
        assertEquals(0, tlb.size());
        assertEquals(1, tlb.flushes());
        assertEquals(0, tlb.flushOnes());
    }

    @Test
    void lruReplacementEvictsTheLeastRecentlyUsedWayOfTheSet() {
        Tlb tlb = new Tlb("TLB", new TlbGeometry(8, 2), true, false);   // 4 sets x 2 ways
        int a = 0x0000, b = 0x4000, c = 0x8000;                           // vpn 0, 4, 8: all set 0
        tlb.insert(a, pte(1, 0x067));
        tlb.insert(b, pte(2, 0x067));
        assertNotEquals(0, tlb.lookup(a));                                 // a is now more recent than b
        tlb.insert(c, pte(3, 0x067));
        assertNotEquals(0, tlb.peek(a));
        assertEquals(0, tlb.peek(b));
        assertNotEquals(0, tlb.peek(c));
        assertEquals(2, tlb.size());
    }

    @Test
    void countsHitsAndMisses() {
        Tlb tlb = new Tlb("TLB", new TlbGeometry(32, 4), true, false);
        assertEquals(0, tlb.lookup(0x5000));
        tlb.insert(0x5000, pte(5, 0x067));
        assertEquals(pte(5, 0x067), tlb.lookup(0x5123));
        assertEquals(1, tlb.hits());
        assertEquals(1, tlb.misses());
    }

    @Test
    void aFlushIsConstantTimeAndStaleEntriesNeverHit() {
        Tlb tlb = new Tlb("TLB", new TlbGeometry(32, 4), true, false);
        for (int round = 0; round < 1000; round++) {
            tlb.insert(0x7000, pte(round + 1, 0x067));
            assertEquals(pte(round + 1, 0x067), tlb.peek(0x7000));
            tlb.flush();
            assertEquals(0, tlb.peek(0x7000));
        }
        assertEquals(1000, tlb.entriesDropped());
    }
}
