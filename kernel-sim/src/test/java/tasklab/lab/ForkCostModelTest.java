package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.Binary;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CostKind;
import tasklab.machine.CostModel;
import tasklab.machine.Cpu;
import tasklab.machine.CpuModel;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;

/**
 * What fork and exit cost against the resident set (LINUX-SPEC §15: costs are parameters; R5.11 says what
 * copy_page_range does per pte). New rule ids, worded here until the spec has them:
 * <ul>
 * <li><b>R15.6</b> "copy_page_range does work for every present pte of the parent (ptep_set_wrprotect,
 *     get_page, set_pte) and pte_alloc_one clears every page table the child gets": a fork costs
 *     {@code copyPte} per present pte plus {@code pageClear} per new page table, so it grows with RSS.</li>
 * <li><b>R15.7</b> "zap_page_range clears every present pte and drops its frame's reference": tearing an
 *     address space down costs {@code zapPte} per present pte.</li>
 * </ul>
 */
class ForkCostModelTest {
    private static final CpuModel CPU = CpuModel.PENTIUM_PRO_200;

    /** A process with {@code pages} dirty heap pages on a one-CPU machine. */
    private static Proc big(Sim sim, int pages) {
        sim.kernel().registerBinary(new Binary("/usr/bin/hello", 4, 1, 1));
        Proc p = sim.process("big", Math.max(pages, 1));
        for (int i = 0; i < pages; i++) assertEquals(0, sim.kernel().writeByte(p.pid(), p.heap() + (long) i * 4096, 1));
        return p;
    }

    /** Present ptes and user page tables of an mm (what copy_page_range walks). */
    private static long[] ptesAndTables(Sim sim, MmStruct mm) {
        long ptes = 0, tables = 0;
        var pt = sim.kernel().mm().pageTables;
        for (int slot = 0; slot < Pte.USER_PTRS_PER_PGD; slot++) {
            long va = (long) slot << Pte.PGDIR_SHIFT;
            if ((pt.pgdEntry(mm, va) & Pte.PRESENT) == 0) continue;
            tables++;
            for (int i = 0; i < 1024; i++) if (Pte.present(pt.pte(mm, va + ((long) i << Pte.PAGE_SHIFT)))) ptes++;
        }
        return new long[] {ptes, tables};
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R15_6_forkCostsCopyPtePerPresentPteAndAPageClearPerNewPageTable(KernelVersion v) {
        Sim sim = Sim.of(v).cpu(CPU).cpus(1).initcallThreads(false).boot();
        Proc parent = big(sim, 1500);                  // 6 MiB of heap: it needs a second page table
        long[] before = ptesAndTables(sim, parent.mm());
        assertTrue(before[0] >= 1500 && before[1] >= 2, "the parent maps its heap: " + before[0] + " ptes in " + before[1] + " tables");
        Cpu cpu = sim.kernel().machine().cpu(0);
        CostModel c = cpu.cost();
        long pt0 = cpu.cycles(CostKind.PAGE_TABLES), clear0 = cpu.cycles(CostKind.PAGE_CLEAR);
        Proc child = parent.fork();
        long[] copied = ptesAndTables(sim, child.mm());
        assertEquals(before[0], copied[0], "R5.11: the child gets every present pte");
        assertEquals(copied[0] * c.copyPte(), cpu.cycles(CostKind.PAGE_TABLES) - pt0, "copyPte per pte copied");
        assertEquals(copied[1] * c.pageClear(), cpu.cycles(CostKind.PAGE_CLEAR) - clear0, "a clear_page per new page table");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R15_6_forkTimeGrowsLinearlyWithTheResidentSet(KernelVersion v) {
        double f0 = (Double) ForkCost.measure(v, CPU, 0).get("fork_us");
        double f1k = (Double) ForkCost.measure(v, CPU, 1024).get("fork_us");
        double f4k = (Double) ForkCost.measure(v, CPU, 4096).get("fork_us");
        CostModel c = CostModel.of(CPU);
        double perPageUs = CPU.nsFromCycles(c.copyPte()) / 1000.0;
        // 3072 more ptes and 3 more page tables
        double expected = 3072 * perPageUs + 3 * CPU.nsFromCycles(c.pageClear()) / 1000.0;
        assertEquals(expected, f4k - f1k, 0.02 * expected, "fork grows by copyPte per page and a clear per page table: " + f1k + " -> " + f4k);
        assertTrue(f1k > f0 + 1000 * perPageUs, "1024 pages cost more than 0: " + f0 + " -> " + f1k);
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R15_7_exitCostsZapPtePerPresentPte(KernelVersion v) {
        Sim sim = Sim.of(v).cpu(CPU).cpus(1).initcallThreads(false).boot();
        Proc parent = big(sim, 700);
        Proc child = parent.fork();
        long ptes = ptesAndTables(sim, child.mm())[0];
        Cpu cpu = sim.kernel().machine().cpu(0);
        long pt0 = cpu.cycles(CostKind.PAGE_TABLES);
        child.exit(0);
        parent.wait(child);
        assertEquals(ptes * cpu.cost().zapPte(), cpu.cycles(CostKind.PAGE_TABLES) - pt0, "zapPte per present pte of the dying mm");
    }
}
