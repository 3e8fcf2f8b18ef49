package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The set-associative, physically addressed LRU cache: geometry, hits and misses, LRU, working sets. */
class CacheTest {

    private static Cache ppro() { return new Cache("L1d", CpuModel.PENTIUM_PRO_200.l1d()); }

    /** Touches [0, bytes) once per line, {@code passes} times; returns the misses of the passes after the first. */
    private static long warmMisses(Cache c, int bytes, int passes) {
        int line = c.geometry().lineBytes();
        for (int a = 0; a < bytes; a += line) c.access(0x100000L + a);
        long before = c.misses();
        for (int p = 0; p < passes; p++) {
            for (int a = 0; a < bytes; a += line) c.access(0x100000L + a);
        }
        return c.misses() - before;
    }

    @Test
    void geometryOfThePresetsL1AndL2() {
        Cache l1 = ppro();
        assertEquals(8 * 1024 / 32, l1.capacityLines());
        assertEquals(128, l1.geometry().sets());
        Cache l2 = new Cache("L2", CpuModel.PENTIUM_4_2000.l2());
        assertEquals(256 * 1024 / 128, l2.capacityLines());
        assertThrows(IllegalArgumentException.class, () -> new Cache("none", CacheGeometry.NONE));
        assertEquals(0, l1.validLines());
    }

    @Test
    void firstAccessMissesThenTheWholeLineHits() {
        Cache c = ppro();
        assertFalse(c.access(0x2000));
        assertTrue(c.access(0x2000));
        assertTrue(c.access(0x201F), "same 32-byte line");
        assertFalse(c.access(0x2020), "next line");
        assertEquals(2, c.hits());
        assertEquals(2, c.misses());
        assertEquals(0, c.evictions());
        assertEquals(2, c.validLines());
        assertTrue(c.contains(0x2010));
        assertFalse(c.contains(0x9000));
        assertEquals(2, c.hits(), "contains() does not count");
    }

    @Test
    void leastRecentlyUsedWayIsEvicted() {
        Cache c = ppro();                      // 2-way, 128 sets x 32 B: addresses 4 KiB apart share a set
        long a = 0x10000, b = a + 4096, d = a + 8192;
        c.access(a);
        c.access(b);
        c.access(a);                           // a is now most recently used
        assertFalse(c.access(d));              // evicts b, the LRU way
        assertEquals(1, c.evictions());
        assertTrue(c.contains(a));
        assertFalse(c.contains(b));
        assertTrue(c.contains(d));
        assertTrue(c.access(a));
        assertFalse(c.access(b));              // b comes back, evicting d (LRU now)
        assertFalse(c.contains(d));
    }

    @Test
    void directMappedCacheConflictsOnEveryAlias() {
        Cache c = new Cache("L2", CpuModel.PENTIUM_100.l2());   // 256 KiB direct-mapped
        long a = 0x40000, alias = a + 256 * 1024;
        for (int i = 0; i < 5; i++) {
            assertFalse(c.access(a));
            assertFalse(c.access(alias));
        }
        assertEquals(9, c.evictions());
    }

    @Test
    void workingSetThatFitsHitsAndOneThatDoesNotMissesEveryLine() {
        // Pentium Pro L1D: 8 KiB 2-way. 8 KiB fits exactly; 16 KiB thrashes an LRU cache on every line.
        assertEquals(0, warmMisses(ppro(), 8 * 1024, 10));
        assertEquals(10 * (16 * 1024 / 32), warmMisses(ppro(), 16 * 1024, 10));
        // Pentium II L1D: 16 KiB 4-way holds the same 16 KiB.
        assertEquals(0, warmMisses(new Cache("L1d", CpuModel.PENTIUM_II_450.l1d()), 16 * 1024, 10));
    }

    @Test
    void invalidateAllEmptiesButKeepsCounters() {
        Cache c = ppro();
        c.access(0x1000);
        c.invalidateAll();
        assertEquals(0, c.validLines());
        assertFalse(c.access(0x1000));
        assertEquals(2, c.misses());
        c.resetCounters();
        assertEquals(0, c.misses());
        assertEquals(1, c.validLines());
    }
}
