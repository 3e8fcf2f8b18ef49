package tasklab.mm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.KernelVersion;
import tasklab.machine.Pte;
import tasklab.trace.Counter;

/** do_anonymous_page and the not-present fault paths (R9.3, R9.4, R8.4 rows "anonymous"). */
class AnonFaultTest {
    static final long A = 0x08048000L;

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_4_readFaultMapsTheZeroPageReadOnlyWithoutAFlush(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct mm = rig.mmWithAnon(A, 4 * 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        int zeroCount = rig.core.mem().count(MmCore.ZERO_PAGE_PFN);
        int free = rig.free();
        assertEquals(0, rig.core.user.readByte(0, (int) A + 10));
        int pte = rig.pte(mm, A);
        assertEquals(MmCore.ZERO_PAGE_PFN, Pte.pfn(pte));
        assertEquals(0x025, Pte.flags(pte));
        assertEquals(free - 1, rig.free(), "only the page table was allocated");
        assertEquals(0, rig.total(Counter.TLB_PAGE_LOCAL) + rig.total(Counter.TLB_FULL_LOCAL));
        assertEquals(1, rig.total(Counter.FAULT_ZERO_PAGE));
        if (v.is24()) {
            assertEquals(zeroCount, rig.core.mem().count(MmCore.ZERO_PAGE_PFN), "2.4: no refcount on ZERO_PAGE");
            assertEquals(0, mm.rss());
        } else {
            assertEquals(zeroCount + 1, rig.core.mem().count(MmCore.ZERO_PAGE_PFN), "2.6: page_cache_get(ZERO_PAGE)");
            assertEquals(1, mm.rss());
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_4_writeFaultMapsAFreshFrameAs0x067(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct mm = rig.mmWithAnon(A, 4 * 4096);
        Rig.Ctx ctx = rig.run(0, new Rig.Ctx(100, mm));
        int free = rig.free();
        assertEquals(0, rig.core.user.writeByte(0, (int) A + 1, 42));
        int pte = rig.pte(mm, A);
        assertEquals(0x067, Pte.flags(pte));
        assertEquals(1, rig.core.mem().count(Pte.pfn(pte)));
        assertEquals(1, rig.core.mem().mapcount(Pte.pfn(pte)));
        assertEquals(free - 2, rig.free(), "a page table and the page");
        assertEquals(1, mm.rss());
        assertEquals(1, ctx.minFlt);
        assertEquals(0, rig.total(Counter.FLUSH_TLB_PAGE), "no need to invalidate: it was non-present before");
        assertEquals(42, rig.core.user.readByte(0, (int) A + 1));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_5_writeAfterReadBreaksTheZeroPageIntoACopy(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct mm = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        rig.core.user.readByte(0, (int) A);
        rig.core.user.writeByte(0, (int) A, 7);
        int pte = rig.pte(mm, A);
        assertNotEquals(MmCore.ZERO_PAGE_PFN, Pte.pfn(pte));
        assertEquals(0x067, Pte.flags(pte));
        assertEquals(1, rig.total(Counter.COW_COPY));
        assertEquals(1, rig.total(Counter.FLUSH_TLB_PAGE));
        assertEquals(1, mm.rss(), "2.4: rss++ for the reserved old page; 2.6: file_rss to anon_rss");
        assertEquals(7, rig.core.user.readByte(0, (int) A));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void memoryIsReal_bytesWrittenReadBack(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct mm = rig.mmWithAnon(A, 64 * 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        for (int i = 0; i < 64; i++) assertEquals(0, rig.core.user.writeInt(0, (int) A + i * 4096 + 8, 0x1000 + i));
        for (int i = 0; i < 64; i++) assertEquals(0x1000 + i, rig.core.user.readInt(0, (int) A + i * 4096 + 8));
    }
}
