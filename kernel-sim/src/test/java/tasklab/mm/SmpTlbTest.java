package tasklab.mm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tasklab.kernel.KernelVersion;
import tasklab.machine.KernelBug;
import tasklab.trace.Counter;

/** The SMP shootdown protocol and the lazy-TLB state machine (R7.9-R7.11, R8.2-R8.9, §8.3). */
class SmpTlbTest {
    static final long A = 0x08048000L;

    /** n CPUs, one mm with a thread on each CPU. */
    private static Object[] threads(int n) {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, n);
        MmStruct mm = rig.mmWithAnon(A, 4 * 4096);
        Rig.Ctx[] t = new Rig.Ctx[n];
        for (int c = 0; c < n; c++) {
            t[c] = rig.run(c, new Rig.Ctx(100 + c, mm));
            rig.core.user.writeByte(c, (int) A + 4096 * (c % 4), c);
        }
        return new Object[] {rig, mm, t};
    }

    private static Rig.Ctx kthread(Rig rig, int cpu) {
        Rig.Ctx k = new Rig.Ctx(2, null);
        // R7.6: next->active_mm = oldmm; enter_lazy_tlb
        k.activeMm = rig.core.perCpu(cpu).current().activeMm();
        rig.core.perCpu(cpu).setCurrent(k);
        rig.core.mmuContext.enterLazyTlb(cpu);
        return k;
    }

    @Test
    void R7_10_switchMmMovesTheCpuBitAndLoadsCr3() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 2);
        MmStruct a = rig.mmWithAnon(A, 4096), b = rig.mmWithAnon(A, 4096);
        rig.run(1, new Rig.Ctx(100, a));
        assertEquals(0b10, a.cpuVmMask());
        assertEquals(TlbState.OK, rig.core.perCpu(1).tlbState());
        rig.run(1, new Rig.Ctx(101, b));
        assertEquals(0, a.cpuVmMask());
        assertEquals(0b10, b.cpuVmMask());
        assertSame(b, rig.core.perCpu(1).tlbActiveMm());
        assertEquals(b.pgd(), rig.machine.cpu(1).cr3());
        assertEquals(2, rig.total(Counter.CR3_SWITCH));
    }

    @Test
    void R8_6_flushTlbMmSendsOneIpiPerOtherCpu_2and4() {
        for (int n : new int[] {2, 4}) {
            Object[] f = threads(n);
            Rig rig = (Rig) f[0];
            MmStruct mm = (MmStruct) f[1];
            assertEquals((1 << n) - 1, mm.cpuVmMask());
            long full = rig.total(Counter.TLB_FULL_LOCAL);
            rig.core.tlb.flushTlbMm(0, mm);
            assertEquals(n - 1, rig.total(Counter.IPI_TLB), n + " CPUs");
            assertEquals(n, rig.total(Counter.TLB_FULL_LOCAL) - full, "local + one per target");
            for (int c = 1; c < n; c++) assertEquals(1, rig.counters.get(c, Counter.TLB_FULL_LOCAL));
        }
    }

    @Test
    void R8_7_flushTlbPageInvlpgsLocallyAndRemotely() {
        Object[] f = threads(4);
        Rig rig = (Rig) f[0];
        MmStruct mm = (MmStruct) f[1];
        Vma vma = mm.findVma(A);
        rig.core.tlb.flushTlbPage(2, vma, (int) A);
        assertEquals(3, rig.total(Counter.IPI_TLB));
        assertEquals(4, rig.total(Counter.TLB_PAGE_LOCAL));
        for (int c = 0; c < 4; c++) assertEquals(0, rig.machine.cpu(c).dtlb().peek((int) A), "cpu" + c);
    }

    @Test
    void R8_3_lazyCpuLeavesMmOnIpiAndGetsNoMoreIpis() {
        Object[] f = threads(2);
        Rig rig = (Rig) f[0];
        MmStruct mm = (MmStruct) f[1];
        Rig.Ctx[] t = (Rig.Ctx[]) f[2];
        kthread(rig, 1);
        assertEquals(TlbState.LAZY, rig.core.perCpu(1).tlbState());
        assertEquals(0b11, mm.cpuVmMask(), "enter_lazy_tlb leaves the bit");
        rig.core.tlb.flushTlbMm(0, mm);
        assertEquals(1, rig.total(Counter.IPI_TLB));
        assertEquals(1, rig.total(Counter.CR3_LEAVE_MM));
        assertEquals(0b01, mm.cpuVmMask());
        assertEquals(MmCore.SWAPPER_PG_DIR_PFN, rig.machine.cpu(1).cr3());
        assertEquals(TlbState.LAZY, rig.core.perCpu(1).tlbState(), "leave_mm keeps the state");
        assertSame(mm, rig.core.perCpu(1).tlbActiveMm(), "and the active_mm");
        rig.core.tlb.flushTlbMm(0, mm);
        assertEquals(1, rig.total(Counter.IPI_TLB), "no IPI for a CPU that left");
        // Back to the user thread of the same mm: switch_mm(M, M) with the bit clear reloads CR3.
        rig.core.perCpu(1).setCurrent(t[1]);
        assertTrue(rig.core.mmuContext.switchMm(1, mm, mm));
        assertEquals(1, rig.total(Counter.CR3_LAZY_RELOAD));
        assertEquals(TlbState.OK, rig.core.perCpu(1).tlbState());
        assertEquals(0b11, mm.cpuVmMask());
        assertEquals(mm.pgd(), rig.machine.cpu(1).cr3());
    }

    @Test
    void R7_11_switchMmSameMmWithBitSetLoadsNothing() {
        Object[] f = threads(2);
        Rig rig = (Rig) f[0];
        MmStruct mm = (MmStruct) f[1];
        Rig.Ctx[] t = (Rig.Ctx[]) f[2];
        kthread(rig, 1);
        long loads = rig.machine.cpu(1).cr3Loads();
        rig.core.perCpu(1).setCurrent(t[1]);
        assertFalse(rig.core.mmuContext.switchMm(1, mm, mm));
        assertEquals(loads, rig.machine.cpu(1).cr3Loads());
        assertEquals(TlbState.OK, rig.core.perCpu(1).tlbState());
    }

    @Test
    void R7_11_prevEqualsNextWithWrongActiveMmIsABug() {
        Object[] f = threads(2);
        Rig rig = (Rig) f[0];
        MmStruct other = rig.mmWithAnon(A, 4096);
        KernelBug e = assertThrows(KernelBug.class, () -> rig.core.mmuContext.switchMm(1, other, other));
        assertTrue(e.getMessage().startsWith("switch_mm: "));
    }

    @Test
    void R8_3_ipiToACpuThatSwitchedAwayIsAcknowledgedWithoutFlush() {
        Object[] f = threads(2);
        Rig rig = (Rig) f[0];
        MmStruct mm = (MmStruct) f[1];
        MmStruct other = rig.mmWithAnon(A, 4096);
        long before = rig.counters.get(1, Counter.TLB_FULL_LOCAL);
        // The bit is still set in mm's mask (as during a race): send the IPI by hand.
        rig.run(1, new Rig.Ctx(200, other));
        rig.core.tlb.flushTlbOthers(0, 0b10, mm, TlbFlush.FLUSH_ALL);
        assertEquals(1, rig.total(Counter.IPI_TLB));
        assertEquals(before, rig.counters.get(1, Counter.TLB_FULL_LOCAL));
    }

    @Test
    void R8_2_flushTlbOthersRefusesTheCallingCpuAndEmptyMasks() {
        Object[] f = threads(2);
        Rig rig = (Rig) f[0];
        MmStruct mm = (MmStruct) f[1];
        assertTrue(assertThrows(KernelBug.class, () -> rig.core.tlb.flushTlbOthers(0, 0b01, mm, 0))
            .getMessage().startsWith("flush_tlb_others: "));
        assertThrows(KernelBug.class, () -> rig.core.tlb.flushTlbOthers(0, 0, mm, 0));
        assertThrows(KernelBug.class, () -> rig.core.tlb.flushTlbOthers(0, 0b100, mm, 0));
    }

    @Test
    void R8_6_localFlushOnLazyCpuWithNoMmIsLeaveMm() {
        Object[] f = threads(2);
        Rig rig = (Rig) f[0];
        MmStruct mm = (MmStruct) f[1];
        kthread(rig, 0);
        rig.core.tlb.flushTlbMm(0, mm);
        assertEquals(1, rig.total(Counter.CR3_LEAVE_MM));
        assertEquals(0b10, mm.cpuVmMask());
        assertEquals(1, rig.total(Counter.IPI_TLB), "cpu1 still gets its IPI");
    }

    @Test
    void R8_9_flushTlbAllFlushesGlobalsEverywhereAndLazyCpusLeave() {
        Object[] f = threads(3);
        Rig rig = (Rig) f[0];
        MmStruct mm = (MmStruct) f[1];
        kthread(rig, 2);
        rig.core.user.readByte(0, 0xC0000000 | 0x1000);          // no kernel access from user: SIGSEGV, TLB untouched
        rig.core.tlb.flushTlbAll(0);
        assertEquals(2, rig.total(Counter.IPI_CALL_FUNCTION));
        assertEquals(3, rig.total(Counter.TLB_GLOBAL));
        assertEquals(1, rig.total(Counter.CR3_LEAVE_MM));
        assertEquals(0b011, mm.cpuVmMask());
        for (int c = 0; c < 3; c++) assertEquals(0, rig.machine.cpu(c).dtlb().size(), "cpu" + c);
    }

    @Test
    void R7_9_enterLazyTlbFromBootStateChangesNothing() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 2);
        assertEquals(TlbState.BOOT, rig.core.perCpu(1).tlbState());
        rig.core.mmuContext.enterLazyTlb(1);
        assertEquals(TlbState.BOOT, rig.core.perCpu(1).tlbState());
        assertEquals(0, TlbState.BOOT.value());
        assertEquals(1, TlbState.OK.value());
        assertEquals(2, TlbState.LAZY.value());
    }

    @Test
    void R7_9_onUpEnterLazyTlbIsANoOp() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 1);
        MmStruct mm = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        TlbState s = rig.core.perCpu(0).tlbState();
        rig.core.mmuContext.enterLazyTlb(0);
        assertEquals(s, rig.core.perCpu(0).tlbState());
    }
}
