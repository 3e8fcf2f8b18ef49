package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;
import tech.tablesaw.api.Table;

/** The built-in lmbench-style experiments: lat_ctx with lmbench's subtraction, and fork / exec / exit vs RSS. */
class ExperimentsTest {
    @Test
    void yieldRingShows24GoodnessGrowingWithRunnableTasksAnd26Flat() {
        Table t = Sweep.of(YieldRing.experiment()).vary("version", KernelVersion.LINUX_2_4, KernelVersion.LINUX_2_6)
            .vary("runnable", 2, 128).run();
        assertEquals(List.of("version", "runnable", "switches", "cycles_per_switch", "us_per_switch"), t.columnNames());
        double us24small = t.doubleColumn("us_per_switch").get(0), us24big = t.doubleColumn("us_per_switch").get(1);
        double us26small = t.doubleColumn("us_per_switch").get(2), us26big = t.doubleColumn("us_per_switch").get(3);
        assertTrue(us24big > 3 * us24small, "2.4 scans every candidate: " + us24small + " -> " + us24big);
        assertTrue(us26big < 1.2 * us26small, "2.6 picks in O(1): " + us26small + " -> " + us26big);
        Result one = YieldRing.measure(KernelVersion.LINUX_2_4, CpuModel.PENTIUM_PRO_200, 2);
        assertEquals(us24small, (double) one.get("us_per_switch"), "the Sweep's default CPU is the Pentium Pro-200");
        assertThrows(LabException.class, () -> YieldRing.measure(KernelVersion.LINUX_2_4, CpuModel.PENTIUM_PRO_200, 0));
    }

    @Test
    void latCtxOnTwoCpuModelsIsOneTableWithTheSameRowsAsTwoRuns() {
        Table both = LatCtx.on(CpuModel.I486DX2_66, CpuModel.PENTIUM_PRO_200).procs(2).kib(0, 8).millis(2, 5).run();
        Table a = LatCtx.on(CpuModel.I486DX2_66).procs(2).kib(0, 8).millis(2, 5).run();
        Table b = LatCtx.on(CpuModel.PENTIUM_PRO_200).procs(2).kib(0, 8).millis(2, 5).run();
        assertEquals("lat_ctx on " + CpuModel.I486DX2_66.name() + ", " + CpuModel.PENTIUM_PRO_200.name(), both.name());
        assertEquals(a.copy().append(b).printAll(), both.copy().setName(a.name()).printAll(), "the same rows, in the same order");
        LabException twice = assertThrows(LabException.class, () -> LatCtx.on(CpuModel.PENTIUM_100, CpuModel.PENTIUM_100));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }

    @Test
    void latCtxSubtractsTheNoSwitchCostOfWalkingTheArray() {
        Table t = LatCtx.on(CpuModel.PENTIUM_PRO_200).procs(2, 4).kib(0, 16).millis(10, 30).run();
        assertEquals(List.of("version", "cpu", "procs", "kib", "raw_us", "overhead_us", "us", "model_us", "switches"), t.columnNames());
        assertEquals(4, t.rowCount());
        for (int i = 0; i < t.rowCount(); i++) {
            double raw = t.doubleColumn("raw_us").get(i), over = t.doubleColumn("overhead_us").get(i), us = t.doubleColumn("us").get(i);
            assertEquals(raw - over, us, 0.0015, "us = raw - overhead");
            assertTrue(over > 0 && us > 0 && t.longColumn("switches").get(i) > 100);
        }
        // the overhead is one process walking its array: it depends on the size, not on how many processes switch
        assertEquals(t.doubleColumn("overhead_us").get(0), t.doubleColumn("overhead_us").get(2));
        assertEquals(t.doubleColumn("overhead_us").get(1), t.doubleColumn("overhead_us").get(3));
        // walking 16 KiB is 512 line reads, each at least a cycle: at 200 MHz that is 2.56 us more per loop at the least
        assertTrue(t.doubleColumn("overhead_us").get(1) - t.doubleColumn("overhead_us").get(0) > 512 / 200.0,
            "walking 16 KiB costs more than nothing");
        // 0 KiB: no array to walk or refill, so lmbench's number is close to the simulator's own per-switch account; they differ
        // by the refill of the kernel's own lines (task_struct, stack top) that a switch sends through the caches (cost_model.md)
        assertEquals(t.doubleColumn("model_us").get(0), t.doubleColumn("us").get(0), 0.05 * t.doubleColumn("model_us").get(0));
    }

    @Test
    void latCtxExperimentTakesItsTimingFromTheSweep() {
        Table dflt = Sweep.of(LatCtx.experiment()).vary("procs", 2).vary("kib", 0).run();
        Table shortRun = Sweep.of(LatCtx.experiment()).vary("procs", 2).vary("kib", 0).set("warm_ms", 5).set("measure_ms", 10).run();
        Table fixed = Sweep.of(LatCtx.experiment(5, 10)).vary("procs", 2).vary("kib", 0).run();
        long s100 = dflt.longColumn("switches").get(0), s10 = shortRun.longColumn("switches").get(0);
        assertTrue(s10 * 5 < s100, "10 ms measure a tenth of the switches of 100 ms: " + s10 + " vs " + s100);
        assertEquals(s10, fixed.longColumn("switches").get(0), "experiment(5, 10) is the same run");
        LabException e = assertThrows(LabException.class, () -> Sweep.of(LatCtx.experiment()).vary("procs", 2).vary("kib", 0).set("measure_ms", 0).run());
        assertTrue(e.getMessage().contains("measure_ms >= 1"), e.getMessage());
    }

    @Test
    void latCtxChartsBesideItsTable() {
        Table t = LatCtx.on(CpuModel.I486DX2_66).procs(2, 8).kib(0, 4).millis(10, 30).run();
        var chart = Charts.latCtx(t);
        assertEquals(List.of("2 processes", "8 processes"), ChartsTest.names(chart));
        assertTrue(chart.getTitle().contains("80486DX2-66"), chart.getTitle());
    }

    @Test
    void forkCostCopiesEveryPageOnceWhenTheChildWrites() {
        Table t = ForkCost.on(CpuModel.PENTIUM_PRO_200).rssPages(0, 16, 64).run();
        assertEquals(List.of("version", "cpu", "rss_pages", "rss_kib", "fork_us", "exec_us", "exit_us", "fork_exit_us",
            "fork_exec_exit_us", "cow_us", "cow_copies"), t.columnNames());
        assertEquals(6, t.rowCount());
        for (int i = 0; i < t.rowCount(); i++) {
            int rss = t.intColumn("rss_pages").get(i);
            assertEquals(rss, t.longColumn("cow_copies").get(i), "R9.5: each shared page the child writes is copied once");
            assertEquals(rss * 4, t.intColumn("rss_kib").get(i));
            assertTrue(t.doubleColumn("fork_us").get(i) > 0 && t.doubleColumn("exit_us").get(i) > 0);
            assertEquals(t.doubleColumn("fork_us").get(i) + t.doubleColumn("exec_us").get(i) + t.doubleColumn("exit_us").get(i),
                t.doubleColumn("fork_exec_exit_us").get(i), 0.001);
        }
        double per16 = t.doubleColumn("cow_us").get(1) / 16, per64 = t.doubleColumn("cow_us").get(2) / 64;
        assertEquals(per16, per64, per16 * 0.05, "a COW copy costs about the same per page at any RSS");
        assertEquals("2.6.22", t.stringColumn("version").get(5));
    }

    @Test
    void badSizesAreRefusedWithTheRange() {
        LabException e = assertThrows(LabException.class, () -> LatCtx.on(CpuModel.PENTIUM_100).procs(1));
        assertTrue(e.getMessage().contains("2 to 64"), e.getMessage());
        LabException f = assertThrows(LabException.class, () -> ForkCost.on(CpuModel.PENTIUM_100).rssPages(-1));
        assertTrue(f.getMessage().contains("0 to 65536"), f.getMessage());
    }

    @Test
    void theExperimentsComposeInASweep() {
        Table t = Sweep.of(ForkCost.experiment()).vary("version", KernelVersion.LINUX_2_6)
            .vary("cpu", CpuModel.PENTIUM_100, CpuModel.PENTIUM_4_2000).vary("rss_pages", 8).run();
        assertEquals(2, t.rowCount());
        assertTrue(t.doubleColumn("fork_us").get(0) > t.doubleColumn("fork_us").get(1), "a 2 GHz CPU forks faster than a 100 MHz one");
    }
}
