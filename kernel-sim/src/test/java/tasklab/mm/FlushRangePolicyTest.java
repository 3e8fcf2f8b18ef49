package tasklab.mm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CostKind;
import tasklab.machine.CpuModel;
import tasklab.mm.FlushRangePolicy.Flush;
import tasklab.trace.Counter;
import tasklab.trace.Event;
import tasklab.trace.FlushReason;

/** The flush_tlb_range extension point (R8.1, R8.8, and Linux 3.15+ flush_tlb_mm_range for PER_PAGE). */
class FlushRangePolicyTest {
    static final long A = 0x08048000L;
    static final int PAGES = 8;

    /** One mm with PAGES resident pages, running on every CPU (a thread per CPU), all pages in every TLB. */
    private static Rig threads(int cpus, FlushRangePolicy policy, CpuModel model) {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, cpus, model);
        if (policy != null) rig.core.tlb.setRangePolicy(policy);
        MmStruct mm = rig.mmWithAnon(A, PAGES * 4096);
        for (int c = 0; c < cpus; c++) {
            rig.run(c, new Rig.Ctx(100 + c, mm));
            for (int i = 0; i < PAGES; i++) rig.core.user.writeByte(c, (int) A + i * 4096, i);
        }
        return rig;
    }

    private static MmStruct mm(Rig rig) { return rig.core.perCpu(0).current().mm(); }

    private static int cached(Rig rig, int cpu) {
        int n = 0;
        for (int i = 0; i < PAGES; i++) if (rig.machine.cpu(cpu).dtlb().peek((int) A + i * 4096) != 0) n++;
        return n;
    }

    /** mprotect, munmap and exit on an mm: every range flush the kernel makes. */
    private static Rig scenario(int cpus, FlushRangePolicy policy) {
        Rig rig = threads(cpus, policy, CpuModel.PENTIUM_PRO_200);
        MmStruct mm = mm(rig);
        assertEquals(0, rig.core.mmap.mprotect(0, mm, A + 4096, 2 * 4096, VmFlags.PROT_READ));
        assertEquals(0, rig.core.mmap.doMunmap(0, mm, A + 5 * 4096, 3 * 4096));
        rig.core.mmap.exitMmap(0, mm);
        return rig;
    }

    private static List<String> events(Rig rig) {
        List<String> out = new ArrayList<>();
        for (Event e : rig.trace.events()) out.add(e.toString());
        return out;
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R8_8_theDefaultPolicyIsTheKernelsFlushTlbMm(KernelVersion v) {
        assertSame(FlushRangePolicy.LINUX_2_4, new Rig(v, 1).core.tlb.rangePolicy(), "the default is 2.4's");
        // a policy object that is not the default but answers as the kernel does takes the policy path: same events, counts and cycles
        FlushRangePolicy asKernel = FlushRangePolicy.named("always-full", r -> Flush.FULL);
        for (int cpus : new int[] {1, 2, 4}) {
            Rig kernel = scenario(cpus, null), asked = scenario(cpus, asKernel);
            assertEquals(kernel.counters.snapshot().toString(), asked.counters.snapshot().toString(), cpus + " CPUs: counters");
            assertEquals(events(kernel), events(asked), cpus + " CPUs: the trace, event for event");
            for (int c = 0; c < cpus; c++) assertEquals(kernel.machine.cpu(c).cycles(), asked.machine.cpu(c).cycles(), "cpu" + c + " cycles");
            assertNull(asked.core.tlb.takePolicyFailure());
        }
    }

    @Test
    void R8_1_upPerPageInvalidatesOnlyTheRangeAndKeepsTheRestOfTheTlb() {
        Rig rig = threads(1, FlushRangePolicy.named("per-page", r -> Flush.PER_PAGE), CpuModel.PENTIUM_PRO_200);
        assertEquals(PAGES, cached(rig, 0));
        long invlpg = rig.machine.cpu(0).cycles(CostKind.INVLPG), full = rig.total(Counter.TLB_FULL_LOCAL);
        int from = rig.trace.events().size();
        assertEquals(0, rig.core.mmap.mprotect(0, mm(rig), A + 4096, 3 * 4096, VmFlags.PROT_READ));
        assertEquals(1, rig.total(Counter.FLUSH_TLB_RANGE));
        assertEquals(3, rig.total(Counter.TLB_PAGE_LOCAL), "one __flush_tlb_one per page of the range");
        assertEquals(full, rig.total(Counter.TLB_FULL_LOCAL), "no full flush");
        assertEquals(3 * rig.machine.cpu(0).cost().invlpg(), rig.machine.cpu(0).cycles(CostKind.INVLPG) - invlpg);
        assertEquals(PAGES - 3, cached(rig, 0), "the pages outside the range stay in the TLB");
        for (int i = 1; i <= 3; i++) assertEquals(0, rig.machine.cpu(0).dtlb().peek((int) A + i * 4096), "page " + i + " invalidated");
        List<Event> mine = rig.trace.events().subList(from, rig.trace.events().size());
        assertEquals(List.of(new Event.TlbFlush(((Event.TlbFlush) mine.get(0)).time(), 0, FlushReason.LOCAL_SHOOTDOWN, 3)), mine,
            "one tlb_flush event with the page count, as Linux's tracepoint");
    }

    @Test
    void R8_1_upFullFlushEmptiesTheTlb() {
        Rig rig = threads(1, null, CpuModel.PENTIUM_PRO_200);
        assertEquals(0, rig.core.mmap.mprotect(0, mm(rig), A + 4096, 3 * 4096, VmFlags.PROT_READ));
        assertEquals(0, cached(rig, 0), "flush_tlb_range = __flush_tlb: every user entry goes");
        assertEquals(0, rig.total(Counter.TLB_PAGE_LOCAL));
    }

    @Test
    void R8_8_smpPerPageSendsOneIpiPerOtherCpuAndEachInvlpgsEveryPage() {
        Rig rig = threads(4, FlushRangePolicy.named("per-page", r -> Flush.PER_PAGE), CpuModel.PENTIUM_PRO_200);
        long full = rig.total(Counter.TLB_FULL_LOCAL);
        rig.core.tlb.flushTlbRange(1, mm(rig), A, A + 2 * 4096);
        assertEquals(3, rig.total(Counter.IPI_TLB), "one INVALIDATE_TLB IPI per other CPU, as for a full flush");
        assertEquals(4 * 2, rig.total(Counter.TLB_PAGE_LOCAL), "two INVLPGs on each of four CPUs");
        assertEquals(full, rig.total(Counter.TLB_FULL_LOCAL));
        for (int c = 0; c < 4; c++) assertEquals(PAGES - 2, cached(rig, c), "cpu" + c + " keeps the rest");
        long remote = rig.trace.events().stream().filter(e -> e instanceof Event.TlbFlush f && f.reason() == FlushReason.REMOTE_SHOOTDOWN
            && f.pages() == 2).count();
        assertEquals(3, remote, "each target traces one flush of 2 pages");
    }

    @Test
    void R8_3_aLazyCpuLeavesTheMmUnderPerPageToo() {
        Rig rig = threads(2, FlushRangePolicy.named("per-page", r -> Flush.PER_PAGE), CpuModel.PENTIUM_PRO_200);
        MmStruct mm = mm(rig);
        Rig.Ctx k = new Rig.Ctx(2, null);
        k.activeMm = mm;
        rig.core.perCpu(1).setCurrent(k);
        rig.core.mmuContext.enterLazyTlb(1);
        rig.core.tlb.flushTlbRange(0, mm, A, A + 4096);
        assertEquals(1, rig.total(Counter.CR3_LEAVE_MM), "the lazy CPU takes the IPI and leaves the mm (R8.3)");
        assertEquals(0b01, mm.cpuVmMask());
    }

    @Test
    void R8_8_linux4CeilingIs33PagesPerPageAtOrBelowFullAbove() {
        CpuModel m = CpuModel.PENTIUM_PRO_200;
        assertEquals("ceiling-33", FlushRangePolicy.LINUX_4.toString());
        assertEquals(Flush.PER_PAGE, FlushRangePolicy.LINUX_4.choose(new FlushRange(A, A + 33 * 4096L, m, 1, 0)));
        assertEquals(Flush.FULL, FlushRangePolicy.LINUX_4.choose(new FlushRange(A, A + 34 * 4096L, m, 1, 0)));
        assertEquals(Flush.FULL, FlushRangePolicy.LINUX_2_4.choose(new FlushRange(A, A + 4096L, m, 1, 0)));
        assertEquals(Flush.PER_PAGE, FlushRangePolicy.ceiling(0).choose(new FlushRange(A, A, m, 1, 0)), "an empty range is at or below any ceiling");
        assertThrows(IllegalArgumentException.class, () -> FlushRangePolicy.ceiling(-1));
        assertEquals(64, new FlushRange(A, A + 4096, m, 1, 0).dtlbEntries());
    }

    @Test
    void R8_1_perPageOnA386IsOneFullFlushPerPage() {
        Rig rig = threads(1, FlushRangePolicy.named("per-page", r -> Flush.PER_PAGE), CpuModel.I386DX_33);
        long flushCycles = rig.machine.cpu(0).cycles(CostKind.TLB_FLUSH);
        rig.core.tlb.flushTlbRange(0, mm(rig), A, A + 4 * 4096);
        assertEquals(4 * rig.machine.cpu(0).cost().flushTlb(), rig.machine.cpu(0).cycles(CostKind.TLB_FLUSH) - flushCycles,
            "no INVLPG: __flush_tlb_one reloads CR3, four times");
        assertEquals(0, cached(rig, 0));
    }

    @Test
    void R8_8_aPolicyThatThrowsOrReturnsNullGetsAFullFlushAndASentence() {
        Rig rig = threads(2, FlushRangePolicy.named("broken", r -> { throw new IllegalStateException("no idea"); }), CpuModel.PENTIUM_PRO_200);
        Rig reference = threads(2, null, CpuModel.PENTIUM_PRO_200);
        for (Rig r : new Rig[] {rig, reference}) {
            r.core.tlb.flushTlbRange(0, mm(r), A, A + 2 * 4096);
            r.core.tlb.flushTlbRange(0, mm(r), A, A + 4096);
        }
        assertEquals(reference.counters.snapshot().toString(), rig.counters.snapshot().toString(), "the kernel did what 2.4 does");
        String why = rig.core.tlb.takePolicyFailure();
        assertNotNull(why);
        assertTrue(why.contains("'broken' threw IllegalStateException: no idea"), why);
        assertTrue(why.contains("2 pages") && why.contains("(1 more failure(s) since)") && why.contains("flush_tlb_mm"), why);
        assertNull(rig.core.tlb.takePolicyFailure(), "taken once");

        Rig nul = threads(1, FlushRangePolicy.named("lazy", r -> null), CpuModel.PENTIUM_PRO_200);
        nul.core.tlb.flushTlbRange(0, mm(nul), A, A + 4096);
        assertTrue(nul.core.tlb.takePolicyFailure().contains("'lazy' returned null"));
        assertEquals(0, cached(nul, 0), "full flush instead");
    }
}
