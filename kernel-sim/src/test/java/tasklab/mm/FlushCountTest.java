package tasklab.mm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.KernelVersion;
import tasklab.trace.Counter;

/** Which operations flush, and how often, on UP (R8.1, §8.4 table rows). */
class FlushCountTest {
    static final long A = 0x08048000L;

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R8_1_flushAimedAtAnMmThatIsNotActiveDoesNothingOnUp(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct a = rig.mmWithAnon(A, 4096);
        MmStruct b = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, a));
        rig.core.tlb.flushTlbMm(0, b);
        rig.core.tlb.flushTlbRange(0, b, A, A + 4096);
        assertEquals(1, rig.total(Counter.FLUSH_TLB_MM));
        assertEquals(1, rig.total(Counter.FLUSH_TLB_RANGE));
        assertEquals(0, rig.total(Counter.TLB_FULL_LOCAL));
        rig.core.tlb.flushTlbMm(0, a);
        assertEquals(1, rig.total(Counter.TLB_FULL_LOCAL));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R8_4_mprotectWithinOneVmaFlushesOnce(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct mm = rig.mmWithAnon(A, 8 * 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        for (int i = 0; i < 8; i++) rig.core.user.writeByte(0, (int) A + i * 4096, 1);
        assertEquals(0, rig.core.mmap.mprotect(0, mm, A + 4096, 2 * 4096, VmFlags.PROT_READ));
        assertEquals(1, rig.total(Counter.FLUSH_TLB_RANGE));
        assertEquals(1, rig.total(Counter.TLB_FULL_LOCAL));
        assertEquals(3, mm.mapCount(), "split into three vmas");
        assertEquals(0x065, rig.pte(mm, A + 4096) & 0xFFF, "pte_modify keeps A and D, drops RW");
        assertEquals(0, rig.core.mmap.mprotect(0, mm, A + 4096, 2 * 4096, VmFlags.PROT_READ),
            "no change: mprotect_fixup returns early");
        assertEquals(1, rig.total(Counter.FLUSH_TLB_RANGE));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R8_4_exitMmapFlushesOncePerVmaPlusOne(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct mm = rig.core.refs.mmAlloc(0);
        int rw = VmFlags.PROT_READ | VmFlags.PROT_WRITE;
        int fl = VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS | VmFlags.MAP_FIXED;
        rig.core.mmap.doMmap(0, mm, 0x08048000L, 4096, VmFlags.PROT_READ | VmFlags.PROT_EXEC, fl);
        rig.core.mmap.doMmap(0, mm, 0x08049000L, 4096, rw, fl);
        rig.core.mmap.doMmap(0, mm, 0x40000000L, 4096, rw, fl);
        assertEquals(3, mm.mapCount());
        rig.run(0, new Rig.Ctx(100, mm));
        rig.core.user.writeByte(0, 0x08049000, 1);
        rig.core.user.writeByte(0, 0x40000000, 1);
        long before = rig.total(Counter.TLB_FULL_LOCAL);
        rig.core.mmap.exitMmap(0, mm);
        assertEquals(4, rig.total(Counter.TLB_FULL_LOCAL) - before, "(#VMAs + 1) __flush_tlb, mm active");
        assertEquals(0, mm.mapCount());
        assertEquals(0, rig.core.pageTables.userPageTables(mm));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R8_4_munmapZapsFlushesAndFreesFramesAndPageTables(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        int free = rig.free();
        MmStruct mm = rig.mmWithAnon(A, 16 * 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        for (int i = 0; i < 16; i++) rig.core.user.writeByte(0, (int) A + i * 4096, i + 1);
        assertEquals(free - 1 - 1 - 16, rig.free(), "pgd, one page table, 16 pages");
        assertEquals(0, rig.core.mmap.doMunmap(0, mm, A, 16 * 4096));
        assertEquals(1, rig.total(Counter.FLUSH_TLB_RANGE));
        assertEquals(free - 1, rig.free(), "only the pgd is left");
        assertEquals(0, mm.rss());
        assertEquals(-UserAccess.SIGSEGV, rig.core.user.readByte(0, (int) A));
    }
}
