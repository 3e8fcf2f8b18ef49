package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The switch footprint's hinted L1 access ({@link Cpu#memoryAccessHinted}, {@link Cache#hitAt}) is a
 * host-time shortcut only: the same hits, misses, evictions, LRU choices and cycles as
 * {@link Cpu#memoryAccess}, with right, stale and foreign hints alike.
 */
class CacheHintTest {

    /** Per model: one CPU takes every access the plain way, another the footprint lines hinted; they never differ. */
    @Test
    void R15_hintedFootprintAccessesEqualThePlainOnesStepByStep() {
        for (CpuModel m : new CpuModel[] {CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_4_2000, CpuModel.PENTIUM_100, CpuModel.I486DX2_66}) {
            Cpu plain = new Cpu(0, m, true);
            Cpu hinted = new Cpu(1, m, true);
            Cpu other = new Cpu(2, m, true);      // the hints of a line on another CPU's cache (a migrated task)
            SplittableRandom r = new SplittableRandom(15);
            long[] foot = new long[8];              // four tasks' two stack lines, at times in the same sets as the noise
            int[] hint = new int[foot.length];
            java.util.Arrays.fill(hint, -1);
            for (int i = 0; i < foot.length; i++) foot[i] = 0x200000L + (long) r.nextInt(64) * 8192 + (i % 2) * (8192 - 32);
            for (int step = 0; step < 200_000; step++) {
                int what = r.nextInt(10);
                if (what < 4) {
                    int f = r.nextInt(foot.length);
                    long c0 = plain.memoryAccess(foot[f]);
                    long before = hinted.cycles();
                    int h = r.nextInt(20) == 0 ? other.memoryAccessHinted(foot[f], hint[f]) : hint[f];   // now and then a foreign or stale hint
                    if (r.nextInt(50) == 0) h = r.nextInt(4096) - 8;                                      // or a wild one, out of range too
                    hint[f] = hinted.memoryAccessHinted(foot[f], h);
                    assertEquals(c0, hinted.cycles() - before, m.name() + " step " + step + ": cycles of a footprint access");
                } else {
                    long pa = 0x200000L + (long) r.nextInt(1 << 22) * 4;   // noise over 16 MiB: evicts footprint lines now and then
                    assertEquals(plain.memoryAccess(pa), hinted.memoryAccess(pa), m.name() + " step " + step);
                }
                if (what == 9 && r.nextInt(5000) == 0) { plain.l1d().invalidateAll(); hinted.l1d().invalidateAll(); }
            }
            for (Cpu c : new Cpu[] {plain}) {
                assertEquals(c.l1d().hits(), hinted.l1d().hits(), m.name() + " L1 hits");
                assertEquals(c.l1d().misses(), hinted.l1d().misses(), m.name() + " L1 misses");
                assertEquals(c.l1d().evictions(), hinted.l1d().evictions(), m.name() + " L1 evictions");
                assertEquals(c.l1d().validLines(), hinted.l1d().validLines(), m.name() + " L1 lines");
                if (c.l2() != null) {
                    assertEquals(c.l2().hits(), hinted.l2().hits(), m.name() + " L2 hits");
                    assertEquals(c.l2().misses(), hinted.l2().misses(), m.name() + " L2 misses");
                }
                assertEquals(c.memoryRefs(), hinted.memoryRefs(), m.name() + " memory refs");
                assertEquals(c.cycles(), hinted.cycles(), m.name() + " cycles");
            }
            assertTrue(plain.l1d().hits() > 10_000 && plain.l1d().evictions() > 10_000, m.name() + ": the run exercised hits and evictions");
            for (long f : foot) assertEquals(plain.l1d().contains(f), hinted.l1d().contains(f));
        }
    }

    @Test
    void R15_aHintThatNoLongerHoldsTheLineDoesNothing() {
        Cache c = new Cache("L1d", CpuModel.PENTIUM_PRO_200.l1d());   // 2-way, sets 4 KiB apart
        c.access(0x10000);
        int slot = c.lastSlot();
        assertTrue(c.hitAt(0x10010, slot), "same line, same slot");
        assertEquals(1, c.hits());
        c.access(0x11000);
        c.access(0x12000);                    // evicts 0x10000 (LRU)
        assertFalse(c.hitAt(0x10000, slot));
        assertFalse(c.hitAt(0x10000, -1));
        assertFalse(c.hitAt(0x10000, 1 << 20));
        assertEquals(1, c.hits(), "a failed hint counts nothing");
        assertEquals(3, c.misses());
    }
}
