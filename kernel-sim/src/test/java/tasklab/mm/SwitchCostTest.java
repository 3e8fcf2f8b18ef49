package tasklab.mm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CostKind;
import tasklab.machine.CostModel;
import tasklab.machine.Cpu;
import tasklab.machine.CpuModel;
import tasklab.trace.Counter;

/**
 * Costs through the mm layer: a switch's direct cost (CR3) and the refills it causes afterwards
 * (TLB walks and cache misses), growing with the working set as on real machines (lmbench's
 * 0 KB / 32 KB context switches); fault entry, page copy / clear; IPI round trips.
 */
class SwitchCostTest {
    private static final long A = 0x40000000L;

    /**
     * Two processes on one CPU take turns; each touches {@code ws} bytes (one byte per 32-byte line)
     * after every switch. Returns the mean refill cycles (TLB walks + cache misses) per switch,
     * measured over the touches after each switch, once warmed up.
     */
    private static long refillPerSwitch(CpuModel model, int ws, boolean caches) {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 1, model);
        rig.machine.setCachesEnabled(caches);
        MmStruct[] mm = {rig.mmWithAnon(A, ws), rig.mmWithAnon(A, ws)};
        Rig.Ctx[] ctx = {new Rig.Ctx(100, mm[0]), new Rig.Ctx(101, mm[1])};
        Cpu cpu = rig.machine.cpu(0);
        long total = 0;
        int measured = 0;
        for (int round = 0; round < 12; round++) {
            for (int t = 0; t < 2; t++) {
                rig.run(0, ctx[t]);
                long before = cpu.refillCycles();
                for (int off = 0; off < ws; off += 32) assertEquals(0, rig.core.user.writeByte(0, (int) (A + off), 1));
                if (round >= 2) { total += cpu.refillCycles() - before; measured++; }
            }
        }
        return total / measured;
    }

    @Test
    void refillCostAfterASwitchGrowsWhenTheWorkingSetsNoLongerFitTheCaches() {
        CpuModel ppro = CpuModel.PENTIUM_PRO_200;          // L1D 8 KiB, L2 256 KiB
        long small = refillPerSwitch(ppro, 2 * 1024, true);     // 2 x 2 KiB: both fit L1
        long l2 = refillPerSwitch(ppro, 16 * 1024, true);       // 2 x 16 KiB: L1 thrashes, L2 holds both
        long mem = refillPerSwitch(ppro, 192 * 1024, true);     // 2 x 192 KiB: neither fits L2
        CostModel c = CostModel.of(ppro);
        // one page walk; the data stays in L1, only the few lines that share a set with the page
        // tables of both processes (2-way L1) come back from L2
        assertTrue(small >= c.tlbMissWalk() && small <= c.tlbMissWalk() + 8 * c.l2Hit(), "small: " + small);
        assertTrue(l2 >= (16 * 1024 / 32) * c.l2Hit(), "every line comes back from L2: " + l2);
        assertTrue(mem > (192 * 1024 / 32) / 2 * c.memoryLatency(), "most lines come from memory: " + mem);
        assertTrue(small < l2 && l2 < mem);
        // with the caches off only the TLB refill is left: one walk per page touched
        assertEquals(48 * c.tlbMissWalk(), refillPerSwitch(ppro, 192 * 1024, false));
    }

    @Test
    void aSwitchChargesItsCr3LoadAndTheDirectAndIndirectCostsAreSeparate() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 1);
        Cpu cpu = rig.machine.cpu(0);
        MmStruct a = rig.mmWithAnon(A, 4096), b = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, a));
        long cr3 = cpu.cycles(CostKind.CR3_LOAD), refill = cpu.refillCycles(), all = cpu.cycles();
        rig.run(0, new Rig.Ctx(101, b));
        assertEquals(cpu.cost().cr3Load(), cpu.cycles(CostKind.CR3_LOAD) - cr3);
        assertEquals(cpu.cost().cr3Load(), cpu.cycles() - all, "switch_mm's direct cost is the CR3 load");
        assertEquals(refill, cpu.refillCycles(), "refills come afterwards");
        rig.run(0, new Rig.Ctx(102, b));                    // same mm, UP: no CR3 load, no cost
        assertEquals(cpu.cost().cr3Load(), cpu.cycles(CostKind.CR3_LOAD) - cr3);
    }

    @Test
    void faultsChargeEntryAndPageClearOrCopy() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 1);
        Cpu cpu = rig.machine.cpu(0);
        CostModel c = cpu.cost();
        MmStruct parent = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, parent));
        rig.core.user.writeByte(0, (int) A, 'P');           // do_anonymous_page: clear
        assertEquals(c.faultEntry(), cpu.cycles(CostKind.FAULT_ENTRY));
        assertEquals(c.pageClear(), cpu.cycles(CostKind.PAGE_CLEAR));
        MmStruct child = rig.core.refs.mmAlloc(0);
        rig.core.refs.dupMmap(0, child, parent);
        rig.run(0, new Rig.Ctx(101, child));
        rig.core.user.writeByte(0, (int) A, 'C');           // do_wp_page: copy
        assertEquals(1, rig.total(Counter.COW_COPY));
        assertEquals(2 * c.faultEntry(), cpu.cycles(CostKind.FAULT_ENTRY));
        assertEquals(c.pageCopy(), cpu.cycles(CostKind.PAGE_COPY));
        rig.core.user.readByte(0, (int) A);                 // no fault: no entry cost
        assertEquals(2 * c.faultEntry(), cpu.cycles(CostKind.FAULT_ENTRY));
    }

    @Test
    void aShootdownCostsTheSenderOneRoundTripPerCallAndEachTargetAnInterrupt() {
        for (int n : new int[] {2, 4}) {
            Rig rig = new Rig(KernelVersion.LINUX_2_4, n);
            MmStruct mm = rig.mmWithAnon(A, 4096);
            for (int c = 0; c < n; c++) rig.run(c, new Rig.Ctx(100 + c, mm));
            long[] entry = new long[n];
            for (int c = 0; c < n; c++) entry[c] = rig.machine.cpu(c).cycles(CostKind.FAULT_ENTRY);
            rig.core.tlb.flushTlbMm(0, mm);
            CostModel cost = rig.machine.cost();
            assertEquals(cost.ipiRoundTrip(), rig.machine.cpu(0).cycles(CostKind.IPI), n + " CPUs: one round trip");
            assertEquals(entry[0], rig.machine.cpu(0).cycles(CostKind.FAULT_ENTRY));
            for (int c = 1; c < n; c++) {
                assertEquals(cost.faultEntry(), rig.machine.cpu(c).cycles(CostKind.FAULT_ENTRY) - entry[c], "cpu" + c);
                assertEquals(0, rig.machine.cpu(c).cycles(CostKind.IPI));
            }
            rig.core.tlb.flushTlbAll(1);
            assertEquals(cost.ipiRoundTrip(), rig.machine.cpu(1).cycles(CostKind.IPI), "smp_call_function waits once");
        }
    }

    @Test
    void upFlushesSendNoIpis() {
        Rig rig = new Rig(KernelVersion.LINUX_2_6, 1);
        MmStruct mm = rig.mmWithAnon(A, 4096);
        rig.run(0, new Rig.Ctx(100, mm));
        rig.core.tlb.flushTlbMm(0, mm);
        rig.core.tlb.flushTlbAll(0);
        assertEquals(0, rig.machine.cpu(0).cycles(CostKind.IPI));
        assertEquals(CostModel.of(CpuModel.PENTIUM_PRO_200).flushTlb() + CostModel.of(CpuModel.PENTIUM_PRO_200).flushTlbGlobal(),
            rig.machine.cpu(0).cycles(CostKind.TLB_FLUSH));
    }
}
