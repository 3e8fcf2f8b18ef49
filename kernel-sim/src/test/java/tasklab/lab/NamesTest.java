package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The lab's per-row names print what String.format printed before (they no longer build a Formatter per row). */
class NamesTest {
    @Test
    void addressesFramesAndPteFlagsPrintAsTheirFormats() {
        for (long va : new long[] {0, 0x1000, 0x0804e000L, 0xbffff000L, 0xffffffffL, 0x1_0000_0000L, -1L}) {
            assertEquals(String.format("0x%08x", va), Names.addr(va));
        }
        for (int pfn : new int[] {0, 0x12, 0x212, 0x7ffff, -1}) assertEquals(String.format("0x%03x", pfn), Names.pfn(pfn));
        for (int pte : new int[] {0, 0x045, 0x0804e067, 0xfff, -1}) {
            assertEquals(String.format("%03x", tasklab.machine.Pte.flags(pte)), Names.pteHex(pte));
        }
    }
}
