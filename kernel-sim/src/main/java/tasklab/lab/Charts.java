package tasklab.lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Charts of a simulation and of any Table, as XChart objects (a notebook shows them inline as PNG;
 * {@link Export#png} and {@link Export#svg} save them). Every chart is titled, has axis titles
 * with units, is 800 x 450 pixels (readable at notebook width) and uses fixed fonts and colours,
 * so the same data gives the same picture. Example: {@code Charts.flushes(sim)}.
 */
public final class Charts {
    /** Width in pixels of every chart (a notebook's text column). */
    public static final int WIDTH = 800;
    /** Height in pixels of every chart. */
    public static final int HEIGHT = 450;

    /** Okabe-Ito colours: distinguishable with every common colour-vision deficiency, fixed order. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xD55E00),
        new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000),
    };

    static {
        // a notebook has no display; without this AWT may look for one when the first chart is drawn
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    // ---- charts of a simulation ----

    /** The TLB-flush counters, in chart order: label and counters summed. */
    private static final Object[][] FLUSH_KINDS = {
        {"full flush (__flush_tlb)", new Counter[] {Counter.TLB_FULL_LOCAL}},
        {"one page (INVLPG)", new Counter[] {Counter.TLB_PAGE_LOCAL}},
        {"global flush (PGE)", new Counter[] {Counter.TLB_GLOBAL}},
        {"CR3 load: task switch", new Counter[] {Counter.CR3_SWITCH, Counter.CR3_LAZY_RELOAD}},
        {"CR3 load: leave_mm", new Counter[] {Counter.CR3_LEAVE_MM}},
        {"remote shootdown IPIs taken", new Counter[] {Counter.IRQ_TLB}},
    };

    /**
     * TLB flushes by CPU and reason, from the counters: full flushes, INVLPGs, global flushes,
     * CR3 loads at task switch and in leave_mm, and the shootdown IPIs each CPU took (an IPI's
     * own flush is also counted as a full flush or INVLPG on the CPU that took it). Grouped bars,
     * one group per CPU; reasons that never happened are left out.
     * Example: {@code Charts.flushes(sim)}.
     */
    public static CategoryChart flushes(Sim sim) {
        need(sim, "Charts.flushes");
        return perCpuBars(sim, FLUSH_KINDS, "TLB flushes per CPU: " + sim.describe(), "flushes (count)");
    }

    private static final Object[][] IPI_KINDS = {
        {"TLB shootdown (INVALIDATE_TLB)", new Counter[] {Counter.IRQ_TLB}},
        {"call function (flush_tlb_all)", new Counter[] {Counter.IRQ_CALL_FUNCTION}},
        {"reschedule", new Counter[] {Counter.IRQ_RESCHEDULE}},
    };

    /**
     * Inter-processor interrupts taken by each CPU, by kind (as /proc/interrupts counts them:
     * TLB, CAL, RES). Grouped bars; kinds that never happened are left out.
     * Example: {@code Charts.ipis(sim)}.
     */
    public static CategoryChart ipis(Sim sim) {
        need(sim, "Charts.ipis");
        return perCpuBars(sim, IPI_KINDS, "IPIs taken per CPU: " + sim.describe(), "interrupts (count)");
    }

    private static CategoryChart perCpuBars(Sim sim, Object[][] kinds, String title, String yTitle) {
        CounterSnapshot s = sim.kernel().counters().snapshot();
        List<String> cpus = new ArrayList<>();
        for (int c = 0; c < s.nrCpus(); c++) cpus.add("CPU" + c);
        Map<String, List<Long>> series = new LinkedHashMap<>();
        for (Object[] kind : kinds) {
            List<Long> ys = new ArrayList<>();
            long total = 0;
            for (int c = 0; c < s.nrCpus(); c++) {
                long v = 0;
                for (Counter k : (Counter[]) kind[1]) v += s.get(c, k);
                ys.add(v);
                total += v;
            }
            if (total > 0) series.put((String) kind[0], ys);
        }
        if (series.isEmpty()) series.put("none yet", new ArrayList<>(java.util.Collections.nCopies(cpus.size(), 0L)));
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
            .xAxisTitle("CPU").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        for (Map.Entry<String, List<Long>> e : series.entrySet()) chart.addSeries(e.getKey(), cpus, e.getValue());
        colour(chart);
        legendOutside(chart);
        return chart;
    }

    /**
     * The distribution of context-switch times (the {@code us} column of {@link Sim#switches()}:
     * direct plus refill cost), one stacked series per switch kind (cr3 / lazy / same_mm).
     * Example: {@code sim.runMillis(50); Charts.switchTimes(sim)}.
     */
    public static CategoryChart switchTimes(Sim sim) {
        need(sim, "Charts.switchTimes");
        Table sw = sim.switches();
        Map<String, List<Double>> byKind = new TreeMap<>();
        NumericColumn<?> us = sw.numberColumn("us");
        Column<?> kind = sw.column("kind");
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < sw.rowCount(); i++) {
            if (us.isMissing(i)) continue;
            double v = us.getDouble(i);
            byKind.computeIfAbsent(kind.getString(i), x -> new ArrayList<>()).add(v);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (byKind.isEmpty()) {
            throw new LabException("Charts.switchTimes", "no context switch with a known cost yet (a switch's cost is known at the CPU's next switch); "
                + "run some simulated time first, e.g. sim.spawn(program, 2); sim.runMillis(20)");
        }
        int bins = 20;
        double lo = Math.floor(min), hi = Math.ceil(max);
        if (hi <= lo) hi = lo + 1;
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Context-switch time: " + sim.describe())
            .xAxisTitle("switch time, direct + refill (microseconds, bin centre)").yAxisTitle("switches (count)").build();
        style(chart.getStyler());
        chart.getStyler().setStacked(true);
        chart.getStyler().setAvailableSpaceFill(0.96);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisDecimalPattern(hi - lo >= 40 ? "#,##0" : "#,##0.0");
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        for (Map.Entry<String, List<Double>> e : byKind.entrySet()) {
            Histogram h = new Histogram(e.getValue(), bins, lo, hi);
            chart.addSeries(e.getKey() + " (" + e.getValue().size() + ")", h.getxAxisData(), h.getyAxisData());
        }
        colour(chart);
        legendOutside(chart);
        return chart;
    }

    // ---- charts of tables ----

    /**
     * lat_ctx: switch time against working set, one line per process count, from a table with
     * columns {@code procs}, {@code kib} and {@code us} (what {@link LatCtx#run()} returns).
     * Example: {@code Charts.latCtx(LatCtx.on(CpuModel.PENTIUM_PRO_200).run())}.
     */
    public static XYChart latCtx(Table table) {
        need(table, "Charts.latCtx");
        for (String c : List.of("procs", "kib", "us")) needColumn(table, c, "Charts.latCtx");
        XYChart chart = xy(table, "kib", "us", row -> table.column("procs").getString(row) + " processes");
        return latCtxTitles(table, chart);
    }

    /**
     * lat_ctx as {@link #latCtx(Table)}, one line per process count and value of another column,
     * such as {@code cpu} or {@code version} (series "2 processes, Pentium Pro-200").
     * Example: {@code Charts.latCtx(LatCtx.on(CpuModel.PENTIUM_PRO_200).versions(LINUX_2_4, LINUX_2_6).run(), "version")}.
     */
    public static XYChart latCtx(Table table, String groupBy) {
        need(table, "Charts.latCtx");
        for (String c : List.of("procs", "kib", "us")) needColumn(table, c, "Charts.latCtx");
        needColumn(table, groupBy, "Charts.latCtx");
        Column<?> g = table.column(groupBy);
        XYChart chart = xy(table, "kib", "us", row -> table.column("procs").getString(row) + " processes, "
            + ("version".equals(groupBy) ? "Linux " : "") + g.getString(row));
        return latCtxTitles(table, chart);
    }

    private static XYChart latCtxTitles(Table table, XYChart chart) {
        String n = table.name() == null ? "" : table.name();
        // LatCtx names its table "lat_ctx on <cpus>": that leads the title instead of saying lat_ctx twice
        chart.setTitle(n.startsWith("lat_ctx") ? n + ": context-switch time vs working set"
            : "lat_ctx: context-switch time vs working set" + (n.isBlank() ? "" : " (" + n + ")"));
        chart.setXAxisTitle("working set per process (KiB)");
        chart.setYAxisTitle("time per context switch (microseconds)");
        return chart;
    }

    /**
     * Any numeric column against any numeric column: one line with markers, points in x order.
     * Example: {@code Charts.plot(sim.switches(), "time_us", "us")}.
     */
    public static XYChart plot(Table table, String x, String y) {
        need(table, "Charts.plot");
        return xy(table, x, y, null);
    }

    /**
     * Lines of a numeric column against a numeric column, one series per value of {@code series},
     * each named by the value alone ("sim Pentium Pro-200", "TLPI fork()"): for tables that put
     * several sources side by side. Example: {@code Charts.lines(both, "rss_kib", "fork_exit_us", "source")}.
     */
    public static XYChart lines(Table table, String x, String y, String series) {
        need(table, "Charts.lines");
        needColumn(table, series, "Charts.lines");
        Column<?> g = table.column(series);
        XYChart chart = xy(table, x, y, g::getString);
        chart.setTitle(titleOf(table, y + " vs " + x));
        return chart;
    }

    /**
     * Any column against a numeric column, one series per value of {@code groupBy} (series named
     * {@code groupBy=value}). A numeric x gives a line chart (XYChart); for a text x use
     * {@link #bar(Table, String, String, String)}.
     * Example: {@code Charts.plot(results, "kib", "us", "procs")}.
     */
    public static XYChart plot(Table table, String x, String y, String groupBy) {
        need(table, "Charts.plot");
        needColumn(table, groupBy, "Charts.plot");
        Column<?> g = table.column(groupBy);
        XYChart chart = xy(table, x, y, row -> groupBy + "=" + g.getString(row));
        chart.setTitle(titleOf(table, y + " vs " + x + " by " + groupBy));
        return chart;
    }

    /** The line chart: {@code seriesOf} names each row's series (null: one series named after y). */
    private static XYChart xy(Table table, String x, String y, java.util.function.IntFunction<String> seriesOf) {
        NumericColumn<?> xs = numeric(table, x, "Charts.plot", "for a text x use Charts.bar(table, \"" + x + "\", \"" + y + "\")");
        NumericColumn<?> ys = numeric(table, y, "Charts.plot", null);
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        for (int i = 0; i < table.rowCount(); i++) {
            if (xs.isMissing(i) || ys.isMissing(i)) continue;
            String key = seriesOf == null ? y : seriesOf.apply(i);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {xs.getDouble(i), ys.getDouble(i)});
        }
        if (groups.isEmpty()) throw new LabException("Charts.plot", "no row of '" + table.name() + "' has both " + x + " and " + y + " (the table has " + table.rowCount() + " rows)");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title(titleOf(table, y + " vs " + x))
            .xAxisTitle(axisTitle(x)).yAxisTitle(axisTitle(y)).build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(seriesOf != null);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setXAxisDecimalPattern("#,##0.###");
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        for (Map.Entry<String, List<double[]>> e : groups.entrySet()) {
            List<double[]> pts = e.getValue();
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] px = new double[pts.size()], py = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) { px[i] = pts.get(i)[0]; py[i] = pts.get(i)[1]; }
            XYSeries s = chart.addSeries(e.getKey(), px, py);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        // outside the plot: inside, the legend covered the first points of lines that start high (tutorial 07)
        legendOutside(chart.getStyler(), List.copyOf(groups.keySet()));
        colour(chart);
        return chart;
    }

    /**
     * Bars: one bar per row, {@code category} (any column) on x, {@code value} (numeric) as height.
     * Categories must be unique (use the grouped form or {@code table.summarize} otherwise).
     * Example: {@code Charts.bar(sim.interrupts(), "irq", "total")}.
     */
    public static CategoryChart bar(Table table, String category, String value) {
        return barChart(table, category, value, null, false);
    }

    /**
     * Grouped bars: categories on x, one bar series per value of {@code groupBy}.
     * Example: {@code Charts.bar(forkCosts, "operation", "us", "version")}.
     */
    public static CategoryChart bar(Table table, String category, String value, String groupBy) {
        need(table, "Charts.bar");
        needColumn(table, groupBy, "Charts.bar");
        return barChart(table, category, value, groupBy, false);
    }

    /**
     * Grouped bars as {@link #bar(Table, String, String, String)}, each series named by the value
     * of {@code series} alone ("this machine", "sim Pentium 4-2000"): for tables that put several
     * sources side by side. Example: {@code Charts.bars(both, "measure", "value", "machine")}.
     */
    public static CategoryChart bars(Table table, String category, String value, String series) {
        need(table, "Charts.bars");
        needColumn(table, series, "Charts.bars");
        CategoryChart chart = barChart(table, category, value, series, true);
        chart.setTitle(titleOf(table, value + " by " + category));
        return chart;
    }

    private static CategoryChart barChart(Table table, String category, String value, String groupBy, boolean byValueAlone) {
        need(table, "Charts.bar");
        needColumn(table, category, "Charts.bar");
        NumericColumn<?> vs = numeric(table, value, "Charts.bar", null);
        Column<?> cat = table.column(category);
        Column<?> g = groupBy == null ? null : table.column(groupBy);
        List<String> cats = new ArrayList<>();
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (int i = 0; i < table.rowCount(); i++) {
            String c = cat.getString(i);
            String key = g == null ? value : byValueAlone ? g.getString(i) : groupBy + "=" + g.getString(i);
            if (!cats.contains(c)) cats.add(c);
            Map<String, Double> m = series.computeIfAbsent(key, k -> new LinkedHashMap<>());
            if (m.containsKey(c)) {
                throw new LabException("Charts.bar", "category '" + c + "' appears twice" + (g == null ? "" : " in group " + key)
                    + " in column " + category + "; give a groupBy column or summarize the table first");
            }
            m.put(c, vs.isMissing(i) ? 0.0 : vs.getDouble(i));
        }
        if (cats.isEmpty()) throw new LabException("Charts.bar", "the table '" + table.name() + "' has no rows");
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title(titleOf(table, value + " by " + category + (groupBy == null ? "" : " and " + groupBy)))
            .xAxisTitle(axisTitle(category)).yAxisTitle(axisTitle(value)).build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(groupBy != null);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        if (cats.size() > 12) {
            // many categories: vertical labels in a smaller font, so XChart need not skip any
            chart.getStyler().setXAxisLabelRotation(90);
            chart.getStyler().setXAxisMaxLabelCount(cats.size());
            chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, cats.size() > 30 ? 9 : 11));
        } else if (cats.size() > 6 || cats.stream().mapToInt(String::length).max().orElse(0) > 12) {
            chart.getStyler().setXAxisLabelRotation(45);
            // XChart otherwise drops every other label once slanted labels crowd, and a bar without
            // its name cannot be read (ten 1995 systems beside the simulator's, in tutorial 07)
            chart.getStyler().setXAxisMaxLabelCount(cats.size());
        }
        for (Map.Entry<String, Map<String, Double>> e : series.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String c : cats) ys.add(e.getValue().getOrDefault(c, 0.0));
            chart.addSeries(e.getKey(), cats, ys);
        }
        colour(chart);
        legendOutside(chart);
        return chart;
    }

    /**
     * A logarithmic y axis (each labelled line ten times the one below) that starts at the power of ten
     * under half the smallest value (so the smallest bar is still visible), for charts whose values span several orders of magnitude. Every
     * value must be above 0 (a log axis has no 0). Returns the chart. Example: {@code Charts.logY(Charts.bar(t, "system", "us"))}.
     */
    public static CategoryChart logY(CategoryChart chart) {
        if (chart == null) throw new LabException("Charts.logY", "needs a chart, got null");
        logY(chart.getSeriesCollection(), chart.getStyler());
        return chart;
    }

    /** {@link #logY(CategoryChart)} for a line chart. Example: {@code Charts.logY(Charts.plot(t, "n", "us"))}. */
    public static XYChart logY(XYChart chart) {
        if (chart == null) throw new LabException("Charts.logY", "needs a chart, got null");
        logY(chart.getSeriesCollection(), chart.getStyler());
        return chart;
    }

    private static void logY(java.util.Collection<? extends org.knowm.xchart.internal.series.AxesChartSeries> series, AxesChartStyler styler) {
        double min = Double.POSITIVE_INFINITY;
        for (var s : series) {
            if (s.getYMin() <= 0) {
                throw new LabException("Charts.logY", "series '" + s.getName() + "' has a value of " + s.getYMin()
                    + "; a logarithmic axis shows only values above 0 (leave such rows out first)");
            }
            min = Math.min(min, s.getYMin());
        }
        if (min == Double.POSITIVE_INFINITY) throw new LabException("Charts.logY", "the chart has no series");
        styler.setYAxisLogarithmic(true);
        // bars start at 0 otherwise, which a log axis refuses; a decade lower when the smallest bar would be a sliver
        styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(min / 2))));
    }

    // ---- shared look ----

    /** The fixed look: fonts, colours, grid, and no chart-wide decoration that changes between runs. */
    static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xDDDDDD));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendBorderColor(new Color(0xBBBBBB));
        s.setAntiAlias(true);
        s.setSeriesColors(PALETTE);
        s.setChartPadding(12);
    }

    /**
     * A legend outside the plot, so it never covers a bar: one row under the plot when the names
     * fit in the width, else a column at the right when they are short, else one name per row below.
     */
    private static void legendOutside(CategoryChart chart) {
        legendOutside(chart.getStyler(), chart.getSeriesCollection().stream().map(CategorySeries::getName).toList());
    }

    private static void legendOutside(Styler s, List<String> names) {
        int rowWidth = names.stream().mapToInt(n -> 7 * n.length() + 40).sum();
        int longest = names.stream().mapToInt(String::length).max().orElse(0);
        if (rowWidth <= WIDTH - 40) {
            s.setLegendPosition(Styler.LegendPosition.OutsideS);
            s.setLegendLayout(Styler.LegendLayout.Horizontal);
        } else if (longest <= 32) {
            s.setLegendPosition(Styler.LegendPosition.OutsideE);
            s.setLegendLayout(Styler.LegendLayout.Vertical);
        } else {
            s.setLegendPosition(Styler.LegendPosition.OutsideS);
            s.setLegendLayout(Styler.LegendLayout.Vertical);
        }
    }

    private static void colour(CategoryChart chart) {
        int i = 0;
        for (CategorySeries s : chart.getSeriesCollection()) s.setFillColor(PALETTE[i++ % PALETTE.length]);
    }

    private static void colour(XYChart chart) {
        int i = 0;
        for (XYSeries s : chart.getSeriesCollection()) {
            Color c = PALETTE[i++ % PALETTE.length];
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setLineWidth(2f);
        }
    }

    /** "us" -> "us (microseconds)": the unit spelled out from the column name's suffix. */
    static String axisTitle(String column) {
        String c = column.toLowerCase(java.util.Locale.ROOT);
        String unit = null;
        if (c.equals("us") || c.endsWith("_us")) unit = "microseconds";
        else if (c.equals("ns") || c.endsWith("_ns")) unit = "nanoseconds";
        else if (c.equals("ms") || c.endsWith("_ms")) unit = "milliseconds";
        else if (c.equals("kib") || c.endsWith("_kib") || c.endsWith("_kb")) unit = "KiB";
        else if (c.endsWith("_mb") || c.endsWith("_mib")) unit = "MiB";
        else if (c.endsWith("cycles")) unit = "cycles";
        else if (c.equals("pages") || c.endsWith("_pages")) unit = "4 KiB pages";
        else if (c.equals("procs")) unit = "processes";
        return unit == null ? column : column + " (" + unit + ")";
    }

    private static String titleOf(Table t, String what) {
        String n = t.name();
        return n == null || n.isBlank() ? what : what + " (" + n + ")";
    }

    private static void need(Object o, String call) {
        if (o == null) throw new LabException(call, "needs a " + (call.contains("Sim") || call.endsWith("flushes") || call.endsWith("ipis") || call.endsWith("Times") ? "booted Sim" : "Table") + ", got null");
    }

    private static void needColumn(Table t, String name, String call) {
        if (name == null || !t.columnNames().contains(name)) {
            throw new LabException(call, "table '" + t.name() + "' has no column '" + name + "'; its columns are " + t.columnNames());
        }
    }

    private static NumericColumn<?> numeric(Table t, String name, String call, String hint) {
        needColumn(t, name, call);
        Column<?> c = t.column(name);
        if (!(c instanceof NumericColumn<?> n) || c.type() == ColumnType.BOOLEAN) {
            throw new LabException(call, "column '" + name + "' holds " + c.type().name().toLowerCase(java.util.Locale.ROOT)
                + " values, not numbers" + (hint == null ? "" : "; " + hint));
        }
        return n;
    }
}
