package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import tasklab.kernel.KernelVersion;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Charts carry the series asked for, with the values of the counters and tables they are drawn from. */
class ChartsTest {
    static List<String> names(org.knowm.xchart.internal.chartpart.Chart<?, ?> c) {
        return c.getSeriesCollection().stream().map(x -> ((org.knowm.xchart.internal.series.Series) x).getName()).toList();
    }

    private static List<Double> ys(CategorySeries s) { return java.util.Arrays.stream(s.getYData()).boxed().toList(); }

    @Test
    void R8_2_flushChartHasOneBarPerCpuAndReasonWithTheCounterValues() {
        Sim sim = Workloads.smp24();
        CounterSnapshot c = sim.kernel().counters().snapshot();
        assertTrue(c.total(Counter.IRQ_TLB) > 0, "the workload must cause shootdowns on 2.4");
        CategoryChart chart = Charts.flushes(sim);
        assertEquals(List.of("full flush (__flush_tlb)", "one page (INVLPG)", "CR3 load: task switch", "CR3 load: leave_mm",
            "remote shootdown IPIs taken"), names(chart));
        assertEquals(List.of("CPU0", "CPU1"), List.copyOf(chart.getSeries("one page (INVLPG)").getXData()));
        for (int cpu = 0; cpu < 2; cpu++) {
            assertEquals(c.get(cpu, Counter.TLB_FULL_LOCAL), ys(chart.getSeries("full flush (__flush_tlb)")).get(cpu).longValue());
            assertEquals(c.get(cpu, Counter.TLB_PAGE_LOCAL), ys(chart.getSeries("one page (INVLPG)")).get(cpu).longValue());
            assertEquals(c.get(cpu, Counter.CR3_SWITCH) + c.get(cpu, Counter.CR3_LAZY_RELOAD),
                ys(chart.getSeries("CR3 load: task switch")).get(cpu).longValue());
            assertEquals(c.get(cpu, Counter.IRQ_TLB), ys(chart.getSeries("remote shootdown IPIs taken")).get(cpu).longValue());
        }
        assertTrue(chart.getTitle().contains("2 x Pentium Pro-200"), chart.getTitle());
        assertEquals("flushes (count)", chart.getYAxisTitle());
    }

    @Test
    void ipiChartCountsWhatEachCpuTook() {
        Sim sim = Workloads.smp24();
        CounterSnapshot c = sim.kernel().counters().snapshot();
        CategoryChart chart = Charts.ipis(sim);
        CategorySeries tlb = chart.getSeries("TLB shootdown (INVALIDATE_TLB)");
        assertEquals(c.get(0, Counter.IRQ_TLB), ys(tlb).get(0).longValue());
        assertEquals(c.get(1, Counter.IRQ_TLB), ys(tlb).get(1).longValue());
        assertTrue(!names(chart).contains("call function (flush_tlb_all)"), "kinds that never happened are left out");
    }

    @Test
    void aFreshMachineStillGivesAChart() {
        CategoryChart chart = Charts.ipis(Sim.boot());
        assertEquals(List.of("none yet"), names(chart));
    }

    @Test
    void switchTimeHistogramCountsEverySwitchWithACostOnce() {
        Sim sim = Workloads.smp(KernelVersion.LINUX_2_6, 20);
        Table sw = sim.switches();
        CategoryChart chart = Charts.switchTimes(sim);
        long charted = 0;
        for (CategorySeries s : chart.getSeriesCollection()) for (double n : s.getYData()) charted += (long) n;
        assertEquals(sw.rowCount() - sw.doubleColumn("us").countMissing(), charted);
        for (String k : names(chart)) {
            String kind = k.substring(0, k.indexOf(' '));
            long n = sw.stringColumn("kind").isEqualTo(kind).size();
            long withCost = sw.where(sw.stringColumn("kind").isEqualTo(kind).and(sw.doubleColumn("us").isNotMissing())).rowCount();
            assertTrue(n >= withCost);
            assertEquals(kind + " (" + withCost + ")", k);
        }
    }

    @Test
    void switchTimesBeforeAnySwitchSaysWhatToDo() {
        Sim sim = Sim.boot();
        sim.kernel().trace().clear();                        // boot's own switches are gone from the trace
        LabException e = assertThrows(LabException.class, () -> Charts.switchTimes(sim));
        assertTrue(e.getMessage().contains("runMillis"), e.getMessage());
    }

    static Table latCtxTable() {
        IntColumn procs = IntColumn.create("procs", 2, 2, 2, 8, 8, 8);
        IntColumn kib = IntColumn.create("kib", 0, 16, 64, 0, 16, 64);
        DoubleColumn us = DoubleColumn.create("us", 11.8, 12.0, 12.2, 11.8, 12.5, 99.4);
        return Table.create("lat_ctx test", procs, kib, us);
    }

    @Test
    void latCtxHasOneLinePerProcessCountInKibOrder() {
        XYChart chart = Charts.latCtx(latCtxTable());
        assertEquals(List.of("2 processes", "8 processes"), names(chart));
        XYSeries eight = chart.getSeries("8 processes");
        assertEquals(List.of(0.0, 16.0, 64.0), java.util.Arrays.stream(eight.getXData()).boxed().toList());
        assertEquals(List.of(11.8, 12.5, 99.4), java.util.Arrays.stream(eight.getYData()).boxed().toList());
        assertEquals("working set per process (KiB)", chart.getXAxisTitle());
        assertEquals("time per context switch (microseconds)", chart.getYAxisTitle());
        // under the plot, where it cannot cover the first points of a line that starts high
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideS, chart.getStyler().getLegendPosition());
        // LatCtx's own table name leads the title; any other name follows it in brackets
        assertEquals("lat_ctx on P: context-switch time vs working set",
            Charts.latCtx(latCtxTable().setName("lat_ctx on P")).getTitle());
        assertEquals("lat_ctx: context-switch time vs working set (run 3)", Charts.latCtx(latCtxTable().setName("run 3")).getTitle());
    }

    @Test
    void latCtxCanAlsoGroupByAnotherColumn() {
        Table t = latCtxTable();
        t.addColumns(StringColumn.create("cpu", java.util.Collections.nCopies(t.rowCount(), "P").toArray(new String[0])));
        for (int i = 0; i < t.rowCount(); i += 2) t.stringColumn("cpu").set(i, "Q");
        XYChart chart = Charts.latCtx(t, "cpu");
        List<String> names = names(chart);
        assertTrue(names.contains("2 processes, Q") && names.contains("8 processes, P"), names.toString());
        assertEquals("time per context switch (microseconds)", chart.getYAxisTitle());
        LabException e = assertThrows(LabException.class, () -> Charts.latCtx(latCtxTable(), "nope"));
        assertTrue(e.getMessage().contains("no column 'nope'"), e.getMessage());
    }

    @Test
    void linesNameEachSeriesByItsValueAlone() {
        Table t = Table.create("t", IntColumn.create("n", 1, 2, 1, 2), DoubleColumn.create("time_us", 10, 20, 15, 25),
            StringColumn.create("source", "sim", "sim", "published", "published"));
        XYChart chart = Charts.lines(t, "n", "time_us", "source");
        assertEquals(List.of("sim", "published"), names(chart));
        assertEquals(List.of(15.0, 25.0), java.util.Arrays.stream(chart.getSeries("published").getYData()).boxed().toList());
    }

    @Test
    void logYStartsAtThePowerOfTenBelowHalfTheSmallestValueAndRefusesZero(@TempDir Path dir) {
        Table t = Table.create("t", StringColumn.create("system", "a", "b"), DoubleColumn.create("us", 42, 5000));
        assertEquals(1.0, Charts.logY(Charts.bar(Table.create("u", StringColumn.create("system", "a"), DoubleColumn.create("us", new double[] {15})), "system", "us")).getStyler().getYAxisMin(),
            "15 is less than twice 10: the axis starts a decade lower");
        CategoryChart chart = Charts.logY(Charts.bar(t, "system", "us"));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals(10.0, chart.getStyler().getYAxisMin());
        Export.png(chart, dir.resolve("log.png"));                 // XChart draws it (bars from 0 would throw)
        Table zero = Table.create("z", StringColumn.create("system", "a", "b"), DoubleColumn.create("us", 0, 5));
        LabException e = assertThrows(LabException.class, () -> Charts.logY(Charts.bar(zero, "system", "us")));
        assertTrue(e.getMessage().contains("only values above 0"), e.getMessage());
    }

    @Test
    void barsNameEachSeriesByItsValueAlone() {
        Table t = Table.create("t", StringColumn.create("measure", "fork", "fork", "switch", "switch"),
            DoubleColumn.create("value", 10, 20, 1, 2), StringColumn.create("machine", "host", "sim", "host", "sim"));
        CategoryChart chart = Charts.bars(t, "measure", "value", "machine");
        assertEquals(List.of("host", "sim"), names(chart));
        assertEquals(List.of(20.0, 2.0), ys(chart.getSeries("sim")));
    }

    @Test
    void plotGroupsIntoSeriesAndSortsByX() {
        Table t = Table.create("t", IntColumn.create("n", 3, 1, 2, 1), DoubleColumn.create("time_us", 30, 10, 20, 11),
            StringColumn.create("version", "a", "a", "a", "b"));
        XYChart grouped = Charts.plot(t, "n", "time_us", "version");
        assertEquals(List.of("version=a", "version=b"), names(grouped));
        assertEquals(List.of(10.0, 20.0, 30.0), java.util.Arrays.stream(grouped.getSeries("version=a").getYData()).boxed().toList());
        assertEquals("time_us (microseconds)", grouped.getYAxisTitle());
        XYChart single = Charts.plot(t, "n", "time_us");
        assertEquals(List.of("time_us"), names(single));
        assertEquals(4, single.getSeries("time_us").getXData().length);
    }

    @Test
    void barChartsOneBarPerRowAndGroups() {
        Sim sim = Workloads.smp24();
        Table irq = sim.interrupts();
        CategoryChart chart = Charts.bar(irq, "irq", "total");
        assertEquals(List.of("LOC", "TLB", "CAL", "RES"), List.copyOf(chart.getSeries("total").getXData()));
        assertEquals(irq.longColumn("total").get(1), ys(chart.getSeries("total")).get(1).longValue());
        Table t = Table.create("t", StringColumn.create("op", "fork", "exec", "fork", "exec"), DoubleColumn.create("us", 1, 2, 3, 4),
            StringColumn.create("version", "2.4", "2.4", "2.6", "2.6"));
        CategoryChart g = Charts.bar(t, "op", "us", "version");
        assertEquals(List.of("version=2.4", "version=2.6"), names(g));
        assertEquals(List.of(3.0, 4.0), ys(g.getSeries("version=2.6")));
        LabException dup = assertThrows(LabException.class, () -> Charts.bar(t, "op", "us"));
        assertTrue(dup.getMessage().contains("appears twice"), dup.getMessage());
    }

    @Test
    void tenLongCategoriesAreAllLabelledSlanted() {
        StringColumn sys = StringColumn.create("system");
        DoubleColumn us = DoubleColumn.create("us");
        for (int i = 0; i < 10; i++) {
            sys.append("1995 Linux i586 #" + (20 + i));
            us.append(i);
        }
        CategoryChart chart = Charts.bar(Table.create("t", sys, us), "system", "us");
        assertEquals(45, chart.getStyler().getXAxisLabelRotation());
        // XChart drops every other slanted label when they crowd, unless told how many to draw
        assertEquals(10, chart.getStyler().getXAxisMaxLabelCount());
    }

    @Test
    void badColumnsGiveTheColumnsThatExist() {
        Table t = latCtxTable();
        LabException e = assertThrows(LabException.class, () -> Charts.plot(t, "procs", "latency"));
        assertTrue(e.getMessage().contains("no column 'latency'") && e.getMessage().contains("[procs, kib, us]"), e.getMessage());
        Table s = Table.create("s", StringColumn.create("name", "a"), DoubleColumn.create("v", 1));
        LabException text = assertThrows(LabException.class, () -> Charts.plot(s, "name", "v"));
        assertTrue(text.getMessage().contains("Charts.bar"), text.getMessage());
    }

    @Test
    void everyChartIsDrawnAt800By450(@TempDir Path dir) throws Exception {
        Sim sim = Workloads.smp24();
        List<org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts = List.of(Charts.flushes(sim), Charts.ipis(sim),
            Charts.switchTimes(sim), Charts.latCtx(latCtxTable()), Charts.bar(sim.interrupts(), "irq", "total"));
        int i = 0;
        for (var c : charts) {
            Path p = Export.png(c, dir.resolve("c" + i++ + ".png"));
            BufferedImage img = ImageIO.read(p.toFile());
            assertEquals(Charts.WIDTH, img.getWidth());
            assertEquals(Charts.HEIGHT, img.getHeight());
        }
    }

    @Test
    void theSameDataDrawsTheSamePicture() throws Exception {
        byte[] a = org.knowm.xchart.BitmapEncoder.getBitmapBytes(Charts.latCtx(latCtxTable()), org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
        byte[] b = org.knowm.xchart.BitmapEncoder.getBitmapBytes(Charts.latCtx(latCtxTable()), org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
        assertTrue(java.util.Arrays.equals(a, b));
    }
}
