package tasklab.mm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.KernelVersion;
import tasklab.machine.Pte;
import tasklab.trace.Counter;

/** copy_page_range at fork and the COW break (R5.10, R5.11, R9.5-R9.8), tested on two mms. */
class CowTest {
    static final long A = 0x08048000L;

    /** Parent writes one page, then a fork-style copy into a child mm. */
    private static Object[] forked(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct parent = rig.mmWithAnon(A, 4 * 4096);
        Rig.Ctx p = rig.run(0, new Rig.Ctx(100, parent));
        assertEquals(0, rig.core.user.writeByte(0, (int) A, 'P'));
        MmStruct child = rig.core.refs.mmAlloc(0);
        assertEquals(0, rig.core.refs.dupMmap(0, child, parent));
        return new Object[] {rig, parent, child, p};
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_7_afterForkParentIs0x065AndChildIs0x045SharingOneFrame(KernelVersion v) {
        Object[] f = forked(v);
        Rig rig = (Rig) f[0];
        MmStruct parent = (MmStruct) f[1], child = (MmStruct) f[2];
        int pp = rig.pte(parent, A), cp = rig.pte(child, A);
        assertEquals(Pte.pfn(pp), Pte.pfn(cp));
        assertEquals(0x065, Pte.flags(pp));
        assertEquals(0x045, Pte.flags(cp));
        assertEquals(2, rig.core.mem().count(Pte.pfn(pp)));
        assertEquals(2, rig.core.mem().mapcount(Pte.pfn(pp)));
        assertEquals(1, child.rss());
        assertEquals(0, rig.pte(child, A + 4096), "pte_none is not copied");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_10_forkFlushesTheParentMmExactlyOnce(KernelVersion v) {
        Object[] f = forked(v);
        Rig rig = (Rig) f[0];
        assertEquals(1, rig.total(Counter.FLUSH_TLB_MM));
        assertEquals(1, rig.total(Counter.TLB_FULL_LOCAL), "UP: the parent is current, so one __flush_tlb");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_5_childWriteCopiesAndTheTwoSpacesHoldDifferentBytes(KernelVersion v) {
        Object[] f = forked(v);
        Rig rig = (Rig) f[0];
        MmStruct parent = (MmStruct) f[1], child = (MmStruct) f[2];
        int shared = Pte.pfn(rig.pte(parent, A));
        Rig.Ctx c = rig.run(0, new Rig.Ctx(101, child));
        assertEquals('P', rig.core.user.readByte(0, (int) A), "the child sees the parent's byte");
        int free = rig.free();
        assertEquals(0, rig.core.user.writeByte(0, (int) A, 'C'));
        int cp = rig.pte(child, A);
        assertNotEquals(shared, Pte.pfn(cp));
        assertEquals(0x067, Pte.flags(cp));
        assertEquals(1, rig.core.mem().count(shared), "old page: count 2 -> 1");
        assertEquals(1, rig.core.mem().count(Pte.pfn(cp)));
        assertEquals(free - 1, rig.free());
        assertEquals(1, rig.total(Counter.COW_COPY));
        assertEquals(1, rig.total(Counter.FLUSH_TLB_PAGE));
        assertEquals(1, c.minFlt);
        assertEquals('C', rig.core.user.readByte(0, (int) A));
        rig.run(0, (Rig.Ctx) f[3]);
        assertEquals('P', rig.core.user.readByte(0, (int) A), "the parent still reads its own byte");
        // The parent is now the sole user of the old frame: its write reuses it, no copy.
        assertEquals(0, rig.core.user.writeByte(0, (int) A, 'Q'));
        assertEquals(shared, Pte.pfn(rig.pte(parent, A)));
        assertEquals(0x067, Pte.flags(rig.pte(parent, A)));
        assertEquals(1, rig.total(Counter.COW_REUSE));
        assertEquals(2, rig.total(Counter.FLUSH_TLB_PAGE), "reuse flushes too");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_6_reuseTestCountVersusMapcount(KernelVersion v) {
        Object[] f = forked(v);
        Rig rig = (Rig) f[0];
        MmStruct parent = (MmStruct) f[1];
        int shared = Pte.pfn(rig.pte(parent, A));
        // A transient extra reference (2.6: the LRU pagevec's) makes count 3 while mapcount stays 2.
        rig.core.mem().getPage(shared);
        MmStruct child = (MmStruct) f[2];
        rig.run(0, new Rig.Ctx(101, child));
        rig.core.user.writeByte(0, (int) A, 'C');                 // child copies: count 3 -> 2, mapcount 2 -> 1
        rig.run(0, (Rig.Ctx) f[3]);
        rig.core.user.writeByte(0, (int) A, 'Q');
        if (v.is24()) {
            assertEquals(2, rig.total(Counter.COW_COPY), "2.4: page_count 2 != 1, so the parent copies too");
        } else {
            assertEquals(1, rig.total(Counter.COW_REUSE), "2.6: page_mapcount == 1, so the parent reuses");
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_5_pageSharedBy40ForksKeepsExactCountsAndTheLastWriterReuses(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct parent = rig.mmWithAnon(A, 4096);
        Rig.Ctx p = rig.run(0, new Rig.Ctx(100, parent));
        assertEquals(0, rig.core.user.writeByte(0, (int) A, 'P'));
        int shared = Pte.pfn(rig.pte(parent, A));
        MmStruct[] kids = new MmStruct[40];
        for (int i = 0; i < kids.length; i++) {
            kids[i] = rig.core.refs.mmAlloc(0);
            assertEquals(0, rig.core.refs.dupMmap(0, kids[i], parent));
        }
        assertEquals(41, rig.core.mem().count(shared), "one reference per mapping pte, past the 5-bit packed field");
        assertEquals(41, rig.core.mem().mapcount(shared));
        for (int i = 0; i < kids.length; i++) {
            rig.run(0, new Rig.Ctx(101 + i, kids[i]));
            assertEquals('P', rig.core.user.readByte(0, (int) A));
            assertEquals(0, rig.core.user.writeByte(0, (int) A, 'a' + i));
            assertEquals(40 - i, rig.core.mem().count(shared), "do_wp_page drops the old page's count by one");
            assertEquals(40 - i, rig.core.mem().mapcount(shared));
        }
        assertEquals(40, rig.total(Counter.COW_COPY));
        rig.run(0, p);
        assertEquals('P', rig.core.user.readByte(0, (int) A));
        assertEquals(0, rig.core.user.writeByte(0, (int) A, 'Q'));
        assertEquals(shared, Pte.pfn(rig.pte(parent, A)), "the last user reuses the frame");
        assertEquals(1, rig.total(Counter.COW_REUSE));
        for (int i = 0; i < kids.length; i++) {
            rig.run(0, new Rig.Ctx(101 + i, kids[i]));
            assertEquals('a' + i, rig.core.user.readByte(0, (int) A), "child " + i + " kept its own copy");
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_8_sharedMappingsAreNotCow(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct parent = rig.core.refs.mmAlloc(0);
        long a = rig.core.mmap.doMmap(0, parent, 0, 2 * 4096, VmFlags.PROT_READ | VmFlags.PROT_WRITE,
            VmFlags.MAP_SHARED | VmFlags.MAP_ANONYMOUS);
        assertEquals(MmCore.TASK_UNMAPPED_BASE, a);
        Rig.Ctx p = rig.run(0, new Rig.Ctx(100, parent));
        rig.core.user.writeByte(0, (int) a, 1);
        MmStruct child = rig.core.refs.mmAlloc(0);
        rig.core.refs.dupMmap(0, child, parent);
        assertEquals(0x067, Pte.flags(rig.pte(parent, a)), "the parent keeps RW");
        assertEquals(0x007, Pte.flags(rig.pte(child, a)), "child: mkclean + mkold");
        rig.run(0, new Rig.Ctx(101, child));
        rig.core.user.writeByte(0, (int) a, 2);
        rig.core.user.writeByte(0, (int) a + 4096, 3);          // never touched before fork: still shared
        assertEquals(0, rig.total(Counter.COW_COPY));
        rig.run(0, p);
        assertEquals(2, rig.core.user.readByte(0, (int) a));
        assertEquals(3, rig.core.user.readByte(0, (int) a + 4096));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_11_zeroPageIsCopiedUnchanged(KernelVersion v) {
        Rig rig = new Rig(v, 1);
        MmStruct parent = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, parent));
        rig.core.user.readByte(0, (int) A);
        int zc = rig.core.mem().count(MmCore.ZERO_PAGE_PFN);
        MmStruct child = rig.core.refs.mmAlloc(0);
        rig.core.refs.dupMmap(0, child, parent);
        assertEquals(MmCore.ZERO_PAGE_PFN, Pte.pfn(rig.pte(child, A)));
        if (v.is24()) {
            assertEquals(0x025, Pte.flags(rig.pte(child, A)), "2.4: copied unchanged (young)");
            assertEquals(zc, rig.core.mem().count(MmCore.ZERO_PAGE_PFN));
            assertEquals(0, child.rss());
        } else {
            assertEquals(0x005, Pte.flags(rig.pte(child, A)), "2.6: vm_normal_page counts it: mkold");
            assertEquals(zc + 1, rig.core.mem().count(MmCore.ZERO_PAGE_PFN));
            assertEquals(1, child.rss());
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void withoutTheForkFlushAStaleTlbEntryWouldLetTheParentWriteTheSharedFrame(KernelVersion v) {
        Object[] f = forked(v);
        Rig rig = (Rig) f[0];
        MmStruct parent = (MmStruct) f[1];
        // The flush happened, so the parent's next write faults and breaks COW instead of
        // scribbling on the frame the child shares.
        rig.core.user.writeByte(0, (int) A, 'X');
        assertEquals(1, rig.total(Counter.COW_COPY) + rig.total(Counter.COW_REUSE));
        MmStruct child = (MmStruct) f[2];
        rig.run(0, new Rig.Ctx(101, child));
        assertEquals('P', rig.core.user.readByte(0, (int) A));
        assertNotEquals(Pte.pfn(rig.pte(parent, A)), Pte.pfn(rig.pte(child, A)));
    }
}
