package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Page frames: counts, flags, lazily materialised contents, order-1 blocks, the packed layout. */
class PhysMemTest {
    @Test
    void framesAreHandedOutLowestFirstAndReturnAtCountZero() {
        PhysMem mem = new PhysMem(4L << 20);
        assertEquals(1024, mem.freeFrames());
        int a = mem.allocPage(PhysMem.F_ANON);
        int b = mem.allocPage(PhysMem.F_ANON);
        assertEquals(0, a);
        assertEquals(1, b);
        mem.getPage(a);
        assertEquals(2, mem.count(a));
        mem.putPage(a);
        assertFalse(mem.isFree(a));
        mem.putPage(a);
        assertTrue(mem.isFree(a));
        assertEquals(1023, mem.freeFrames());
        assertEquals(a, mem.allocPage(0));     // the freed frame is reused first
    }

    @Test
    void doubleFreeIsAKernelBug() {
        PhysMem mem = new PhysMem(4L << 20);
        int a = mem.allocPage(0);
        mem.putPage(a);
        KernelBug e = assertThrows(KernelBug.class, () -> mem.putPage(a));
        assertTrue(e.getMessage().startsWith("put_page: "), e.getMessage());
    }

    @Test
    void reservedFramesAreNeverFreed() {
        PhysMem mem = new PhysMem(4L << 20);
        mem.reserve(7, PhysMem.F_ZERO);
        assertTrue(mem.isReserved(7));
        assertThrows(KernelBug.class, () -> mem.putPage(7));
    }

    @Test
    void contentsExistOnlyOnceANonZeroByteIsWritten() {
        PhysMem mem = new PhysMem(4L << 20);
        int a = mem.allocPage(0);
        long pa = (long) a << 12;
        mem.writeByte(pa + 5, 0);
        assertFalse(mem.hasContents(a));
        assertEquals(0, mem.readByte(pa + 5));
        mem.writeByte(pa + 5, 0xAB);
        assertTrue(mem.hasContents(a));
        assertEquals(0xAB, mem.readByte(pa + 5));
        int b = mem.allocPage(0);
        mem.copyPage(a, b);
        mem.writeByte(pa + 5, 1);
        assertEquals(0xAB, mem.readByte(((long) b << 12) + 5));
        mem.clearPage(b);
        assertEquals(0, mem.readByte(((long) b << 12) + 5));
    }

    @Test
    void orderOneBlocksAreAlignedPairs() {
        PhysMem mem = new PhysMem(4L << 20);
        mem.allocPage(0);                       // frame 0 taken: the first pair is 2-3
        int p = mem.allocPair(PhysMem.F_KERNEL_STACK);
        assertEquals(2, p);
        assertEquals(0, p % 2);
        assertEquals(1021, mem.freeFrames());
        mem.freePair(p);
        assertEquals(1023, mem.freeFrames());
    }

    @Test
    void exhaustionReturnsMinusOne() {
        PhysMem mem = new PhysMem(4L << 20);
        for (int i = 0; i < 1024; i++) assertTrue(mem.allocPage(0) >= 0);
        assertEquals(-1, mem.allocPage(0));
        assertEquals(-1, mem.allocPair(0));
        assertEquals(-1, mem.allocPageTable());
    }

    @Test
    void ramSizeIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PhysMem(12345));
        assertTrue(e.getMessage().contains("4 KiB"));
    }

    @Test
    void countsAbove30AreExactThroughTheSideTableAndLeaveItAtOrBelow30() {
        PhysMem mem = new PhysMem(4L << 20);
        int a = mem.allocPage(PhysMem.F_ANON);
        for (int i = 1; i < 5000; i++) mem.getPage(a);
        assertEquals(5000, mem.count(a));
        assertEquals(1, mem.overflowEntries());
        for (int i = 0; i < 4970; i++) mem.putPage(a);
        assertEquals(30, mem.count(a));
        assertEquals(0, mem.overflowEntries(), "back in the packed word at 30");
        mem.getPage(a);
        assertEquals(31, mem.count(a));
        for (int i = 0; i < 30; i++) mem.putPage(a);
        assertEquals(1, mem.count(a));
        assertFalse(mem.isFree(a));
        mem.putPage(a);
        assertTrue(mem.isFree(a));
        assertEquals(0, mem.overflowEntries());
        assertEquals(0, mem.flags(a));
    }

    @Test
    void mapcountAbove30IsExactAndIndependentOfTheCount() {
        PhysMem mem = new PhysMem(4L << 20);
        int a = mem.allocPage(PhysMem.F_ANON);
        int b = mem.allocPage(PhysMem.F_ANON);
        for (int i = 0; i < 100; i++) mem.mapcountInc(a);
        for (int i = 0; i < 40; i++) mem.getPage(a);
        assertEquals(100, mem.mapcount(a));
        assertEquals(41, mem.count(a));
        assertEquals(0, mem.mapcount(b), "a neighbour is untouched");
        assertEquals(1, mem.count(b));
        assertEquals(PhysMem.F_ANON, mem.flags(a));
        assertEquals(2, mem.overflowEntries());
        for (int i = 0; i < 100; i++) mem.mapcountDec(a);
        assertEquals(0, mem.mapcount(a));
        assertEquals(41, mem.count(a));
        KernelBug e = assertThrows(KernelBug.class, () -> mem.mapcountDec(a));
        assertTrue(e.getMessage().startsWith("page_remove_rmap: "), e.getMessage());
    }

    @Test
    void aFrameStillMappedCannotBeFreedEvenWithABigMapcount() {
        PhysMem mem = new PhysMem(4L << 20);
        int a = mem.allocPage(PhysMem.F_ANON);
        for (int i = 0; i < 33; i++) mem.mapcountInc(a);
        KernelBug e = assertThrows(KernelBug.class, () -> mem.putPage(a));
        assertEquals("__free_page: frame " + a + " still mapped 33 times", e.getMessage());
    }

    @Test
    void theZeroPageCountsEveryReferenceExactly() {
        PhysMem mem = new PhysMem(4L << 20);
        mem.reserve(7, PhysMem.F_ZERO);
        for (int i = 0; i < 1_000_000; i++) {
            mem.getPage(7);
            mem.mapcountInc(7);
        }
        assertEquals(1_000_001, mem.count(7));
        assertEquals(1_000_000, mem.mapcount(7));
        assertEquals(PhysMem.F_RESERVED | PhysMem.F_ZERO, mem.flags(7));
        KernelBug e = assertThrows(KernelBug.class, () -> mem.writeByte(7L << 12, 1));
        assertEquals("memcpy: write to the zero page", e.getMessage());
    }

    @Test
    void contentsSurviveCopyAndGoOnClearAndFree() {
        PhysMem mem = new PhysMem(4L << 20);
        int a = mem.allocPage(PhysMem.F_ANON);
        int b = mem.allocPage(PhysMem.F_ANON);
        long pa = (long) a << 12, pb = (long) b << 12;
        for (int i = 0; i < 4096; i += 7) mem.writeByte(pa + i, (i * 31 + 1) & 0xFF);
        mem.copyPage(a, b);
        assertTrue(mem.hasContents(b));
        for (int i = 0; i < 4096; i++) assertEquals(mem.readByte(pa + i), mem.readByte(pb + i), "byte " + i);
        mem.writeByte(pb + 7, 0x55);
        assertEquals((7 * 31 + 1) & 0xFF, mem.readByte(pa + 7), "the copy shares nothing");
        mem.clearPage(b);
        assertFalse(mem.hasContents(b));
        for (int i = 0; i < 4096; i++) assertEquals(0, mem.readByte(pb + i));
        mem.putPage(a);
        assertFalse(mem.hasContents(a));
        assertEquals(a, mem.allocPage(PhysMem.F_ANON), "the freed frame comes back first");
        assertEquals(0, mem.readByte(pa + 7), "a reallocated frame reads as zeros");
        mem.writeByte(pa + 100, 9);
        assertEquals(0, mem.readByte(pa + 7), "old bytes do not come back when the frame gets contents again");
        assertEquals(9, mem.readByte(pa + 100));
    }

    @Test
    void copyingAPageWithoutContentsClearsTheTarget() {
        PhysMem mem = new PhysMem(4L << 20);
        int a = mem.allocPage(0);
        int b = mem.allocPage(0);
        mem.writeByte(((long) b << 12) + 1, 5);
        mem.copyPage(a, b);
        assertFalse(mem.hasContents(b));
        assertEquals(0, mem.readByte(((long) b << 12) + 1));
    }

    @Test
    void framesEitherSideOfAContentsChunkBoundaryAreIndependent() {
        PhysMem mem = new PhysMem(4L << 20);
        int last = PhysMem.CHUNK_FRAMES - 1, first = PhysMem.CHUNK_FRAMES;
        for (int i = 0; i <= first; i++) mem.allocPage(0);
        mem.writeByte(((long) last << 12) + 4095, 0xEE);
        mem.writeByte((long) first << 12, 0xDD);
        assertEquals(0xEE, mem.readByte(((long) last << 12) + 4095));
        assertEquals(0xDD, mem.readByte((long) first << 12));
        mem.copyPage(last, first);
        assertEquals(0xEE, mem.readByte(((long) first << 12) + 4095));
        assertEquals(0, mem.readByte((long) first << 12));
        assertEquals(2L * PhysMem.CHUNK_FRAMES * 4096, mem.contentsBytes(), "two chunks, allocated on first use");
    }

    @Test
    void aFreedPageTableIsReusedZeroedAndItsFrameIsNoLongerATable() {
        PhysMem mem = new PhysMem(4L << 20);
        int t = mem.allocPageTable();
        int[] entries = mem.table(t);
        assertEquals(PhysMem.F_PAGE_TABLE, mem.flags(t));
        entries[3] = 0x1234_5067;
        mem.putPage(t);
        KernelBug e = assertThrows(KernelBug.class, () -> mem.table(t));
        assertEquals("pte_offset: frame " + t + " is not a page table", e.getMessage());
        int data = mem.allocPage(0);
        assertEquals(t, data, "the frame itself is reused as a data page");
        mem.writeByte((long) data << 12, 1);
        assertEquals(1, mem.readByte((long) data << 12));
        int t2 = mem.allocPageTable();
        assertSame(entries, mem.table(t2), "the array is reused");
        for (int x : mem.table(t2)) assertEquals(0, x);
    }

    @Test
    void writingBytesIntoAPageTableIsABugAndReadingItGivesZeros() {
        PhysMem mem = new PhysMem(4L << 20);
        int t = mem.allocPageTable();
        mem.table(t)[0] = 0x67;
        assertEquals(0, mem.readByte((long) t << 12));
        assertFalse(mem.hasContents(t));
        KernelBug e = assertThrows(KernelBug.class, () -> mem.writeByte((long) t << 12, 0));
        assertEquals("memcpy: writing bytes into page-table frame " + t, e.getMessage());
    }

    @Test
    void makeTableTurnsAFrameWithContentsIntoAnEmptyTable() {
        PhysMem mem = new PhysMem(4L << 20);
        int a = mem.allocPage(0);
        mem.writeByte((long) a << 12, 42);
        int[] t = mem.makeTable(a);
        assertSame(t, mem.table(a));
        assertFalse(mem.hasContents(a));
        assertEquals(PhysMem.F_PAGE_TABLE, mem.flags(a));
        for (int x : t) assertEquals(0, x);
    }

    @Test
    void frameFlagsOutsideTheFBitsAreRejected() {
        PhysMem mem = new PhysMem(4L << 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mem.allocPage(0x40));
        assertTrue(e.getMessage().contains("0x40"), e.getMessage());
        assertEquals(1024, mem.freeFrames(), "nothing was taken");
    }

    /** A random sequence of frame operations against a plain model (full-width counts, a map of 4 KiB arrays). */
    @Test
    void randomOperationsMatchAPlainFullWidthModel() {
        Random rnd = new Random(20261122);
        PhysMem mem = new PhysMem(8L << 20);
        int n = mem.nrFrames();
        int[] count = new int[n], mapcount = new int[n];
        Map<Integer, byte[]> contents = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            int op = rnd.nextInt(10);
            int pfn = rnd.nextInt(64);              // few frames: counts climb past 30 and fall back
            switch (op) {
                case 0 -> {
                    int p = mem.allocPage(PhysMem.F_ANON);
                    if (p >= 0) { count[p] = 1; mapcount[p] = 0; contents.remove(p); }
                }
                case 1, 2 -> { if (count[pfn] > 0) { mem.getPage(pfn); count[pfn]++; } }
                case 3 -> {
                    if (count[pfn] > 0 && (count[pfn] > 1 || mapcount[pfn] == 0)) {
                        mem.putPage(pfn);
                        if (--count[pfn] == 0) contents.remove(pfn);
                    }
                }
                case 4 -> { if (count[pfn] > 0) { mem.mapcountInc(pfn); mapcount[pfn]++; } }
                case 5 -> { if (mapcount[pfn] > 0) { mem.mapcountDec(pfn); mapcount[pfn]--; } }
                case 6, 7 -> {
                    if (count[pfn] > 0) {
                        int off = rnd.nextInt(4096), v = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(256);
                        mem.writeByte(((long) pfn << 12) + off, v);
                        if (v != 0 || contents.containsKey(pfn)) contents.computeIfAbsent(pfn, k -> new byte[4096])[off] = (byte) v;
                    }
                }
                case 8 -> {
                    int to = rnd.nextInt(64);
                    if (count[pfn] > 0 && count[to] > 0) {
                        mem.copyPage(pfn, to);
                        byte[] src = contents.get(pfn);
                        if (src == null) contents.remove(to); else contents.put(to, src.clone());
                    }
                }
                default -> { if (count[pfn] > 0) { mem.clearPage(pfn); contents.remove(pfn); } }
            }
            int q = rnd.nextInt(64);
            assertEquals(count[q], mem.count(q), "count of " + q + " at step " + step);
            assertEquals(mapcount[q], mem.mapcount(q), "mapcount of " + q + " at step " + step);
            assertEquals(count[q] == 0, mem.isFree(q));
            assertEquals(contents.containsKey(q), mem.hasContents(q), "contents of " + q + " at step " + step);
            int off = rnd.nextInt(4096);
            byte[] c = contents.get(q);
            assertEquals(c == null ? 0 : c[off] & 0xFF, mem.readByte(((long) q << 12) + off));
        }
    }

    @Test
    void pfnIntMapKeepsEveryKeyReachableAcrossRemovals() {
        Random rnd = new Random(7);
        PfnIntMap map = new PfnIntMap();
        Map<Integer, Integer> model = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            int k = rnd.nextInt(2000);
            if (rnd.nextInt(3) == 0) { map.remove(k); model.remove(k); }
            else { map.put(k, i); model.put(k, i); }
            int probe = rnd.nextInt(2000);
            assertEquals(model.getOrDefault(probe, -1), map.get(probe, -1), "key " + probe + " at step " + i);
        }
        assertEquals(model.size(), map.size());
        for (Map.Entry<Integer, Integer> e : model.entrySet()) assertEquals(e.getValue(), map.get(e.getKey(), -1));
    }

    @Test
    void tableLookupsOfInvalidOrFreedFramesFailEvenAfterRecentHits() {
        PhysMem mem = new PhysMem(4L << 20);
        int t = mem.allocPageTable();
        assertSame(mem.table(t), mem.table(t));
        KernelBug e = assertThrows(KernelBug.class, () -> mem.table(-1));
        assertTrue(e.getMessage().startsWith("pfn_valid: "), e.getMessage());
        assertThrows(KernelBug.class, () -> mem.table(1024));
        mem.putPage(t);
        assertThrows(KernelBug.class, () -> mem.table(t));
        int t2 = mem.allocPageTable();
        assertEquals(t, t2);
        assertEquals(0, mem.table(t2)[0]);
    }
}
