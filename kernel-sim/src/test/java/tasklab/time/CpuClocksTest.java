package tasklab.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CpuClocksTest {

    @Test
    void eachCpuHasItsOwnCounter() {
        CpuClocks c = new CpuClocks(3);
        assertEquals(3, c.cpuCount());
        assertEquals(100, c.advance(0, 100));
        assertEquals(150, c.advance(0, 50));
        assertEquals(7, c.advance(2, 7));
        assertEquals(150, c.cycles(0));
        assertEquals(0, c.cycles(1));
        assertEquals(7, c.cycles(2));
        assertEquals(150, c.max());
        assertEquals("CpuClocks[150, 0, 7]", c.toString());
    }

    @Test
    void syncToCatchesUpButNeverGoesBack() {
        CpuClocks c = new CpuClocks(2);
        c.advance(0, 500);
        assertEquals(500, c.syncTo(0, 200), "a CPU ahead stays ahead");
        assertEquals(200, c.syncTo(1, 200), "an idle CPU catches up");
        assertEquals(200, c.cycles(1));
        assertEquals(200, c.syncTo(1, 100));
    }

    @Test
    void validatesCpuCountCpuNumberAndDelta() {
        assertThrows(IllegalArgumentException.class, () -> new CpuClocks(0));
        assertThrows(IllegalArgumentException.class, () -> new CpuClocks(CpuClocks.MAX_CPUS + 1));
        assertEquals(32, new CpuClocks(32).cpuCount());
        CpuClocks c = new CpuClocks(2);
        assertThrows(IndexOutOfBoundsException.class, () -> c.cycles(2));
        assertThrows(IndexOutOfBoundsException.class, () -> c.advance(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> c.advance(0, -1));
        c.advance(1, Long.MAX_VALUE);
        assertThrows(ArithmeticException.class, () -> c.advance(1, 1));
    }
}
