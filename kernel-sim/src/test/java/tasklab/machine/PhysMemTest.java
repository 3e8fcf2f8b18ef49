package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Page frames: counts, flags, lazily materialised contents, order-1 blocks. */
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
}
