package tasklab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The simulator side of {@code benchmarks/run-all}: runs the JMH benchmarks (P1, P2, P3, P5) and
 * the heap probe in child JVMs (P4), reads the host CSV written by {@code run-host.sh --csv},
 * and prints one table: id, measure, simulator and host min / median / max, the ratio, the
 * target and whether it is met.
 *
 * <p>Ratios over repeats: the median is median(sim) / median(host); the range is the envelope of
 * the repeats, min(sim) / max(host) .. max(sim) / min(host). For P3 each simulator repeat is
 * (cow loop - median nofault loop) / pages, as hostbench's ns_per_fault is raw - nofault.
 * For P5 the ratio is per-item cost at the large size over per-item cost at the small size
 * (range: min(large)/max(small) .. max(large)/min(small)).
 *
 * <pre>RunAll --host-csv FILE --out DIR [--quick]</pre>
 */
public final class RunAll {
    private RunAll() { }

    /** Values of one series (repeats). */
    record Series(double[] v) {
        double min() { return Arrays.stream(v).min().orElse(Double.NaN); }
        double max() { return Arrays.stream(v).max().orElse(Double.NaN); }
        double median() {
            if (v.length == 0) return Double.NaN;
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
        Series map(java.util.function.DoubleUnaryOperator f) { return new Series(Arrays.stream(v).map(f).toArray()); }
        static Series of(List<Double> l) { return new Series(l.stream().mapToDouble(Double::doubleValue).toArray()); }
    }

    static boolean quick;
    static Path out;
    static PrintStream jmhLog;
    static final List<String[]> rows = new ArrayList<>();
    static final List<String> notes = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Path hostCsv = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host-csv" -> hostCsv = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (hostCsv == null || out == null) throw new IllegalArgumentException("usage: RunAll --host-csv FILE --out DIR [--quick]");
        Files.createDirectories(out);
        jmhLog = new PrintStream(Files.newOutputStream(out.resolve("jmh.log")), true, StandardCharsets.UTF_8);
        Map<String, List<Double>> host = readHost(hostCsv);

        // ---- P1 ----
        progress("P1 context switches (JMH ContextSwitchBench)");
        Map<String, Series> p1 = jmh("ContextSwitchBench", quick ? 3 : 5, "version", "trace",
            quick ? Map.of("version", new String[] {"LINUX_2_4"}) : Map.of());
        Series hostProc = hostSeries(host, "ctxswitch", "process", "");
        Series hostFutex = hostSeries(host, "ctxswitch", "thread-futex", "");
        for (String v : new String[] {"LINUX_2_4", "LINUX_2_6"}) {
            for (String tr : new String[] {"ring", "off"}) {
                Series s = p1.get(v + "," + tr);
                if (s == null) continue;
                ratioRow("P1", "switches/s " + ver(v) + " trace " + tr + " / host process", "sw/s", s, hostProc, ">= 50", r -> r >= 50, true);
                if (v.equals("LINUX_2_4") && tr.equals("ring")) {
                    ratioRow("P1", "switches/s " + ver(v) + " trace ring / host thread-futex", "sw/s", s, hostFutex, ">= 50", r -> r >= 50, true);
                }
            }
        }

        // ---- P2 ----
        progress("P2 fork (JMH ForkBench)");
        String[] forkPages = quick ? new String[] {"0", "1024", "4096"} : new String[] {"0", "1024", "4096", "16384", "65536", "262144"};
        Map<String, Series> p2 = jmh("ForkBench", quick ? 3 : 5, "pages", null, Map.of("pages", forkPages));
        for (String p : forkPages) {
            if (p.equals("0")) {
                Series s = p2.get("0");
                ratioRow("P2", "fork fixed cost, 0 extra pages (ns)", "ns", s, hostSeries(host, "fork", "per_fork", "0"), "(info)", null, false);
                continue;
            }
            int n = Integer.parseInt(p);
            Series s = p2.get(p).map(x -> x / n);
            ratioRow("P2", "fork ns/page, " + kpages(n), "ns/page", s, hostSeries(host, "fork", "per_page", p), "<= 0.5", r -> r <= 0.5, false);
        }

        // ---- P3 ----
        progress("P3 COW faults (JMH CowBench)");
        String[] cowPages = quick ? new String[] {"1024", "4096"} : new String[] {"1024", "4096", "16384", "65536", "262144"};
        Map<String, Series> p3 = jmh("CowBench", quick ? 3 : 5, "pages", "mode", Map.of("pages", cowPages));
        for (String p : cowPages) {
            int n = Integer.parseInt(p);
            double nofault = p3.get(p + ",nofault").median();
            Series s = p3.get(p + ",cow").map(x -> (x - nofault) / n);
            ratioRow("P3", "COW fault ns/fault, " + kpages(n), "ns", s, hostSeries(host, "cow", "fault", p), "<= 0.5", r -> r <= 0.5, false);
        }

        // ---- P5 ----
        progress("P5 scaling with tasks (JMH TaskScaleBench, SwitchScaleBench)");
        String[] taskSizes = quick ? new String[] {"1000", "8000"} : new String[] {"1000", "32000"};
        // Single shots: the 1k build takes ~10 ms, so it needs several warm-up builds before the JIT has
        // compiled fork; with one warm-up the small size is measured half-interpreted and the growth
        // ratio looks sublinear for the wrong reason.
        Map<String, Series> spawn = jmh("TaskScaleBench", quick ? 3 : 6, quick ? 3 : 5, "version", "tasks",
            Map.of("tasks", taskSizes, "version", quick ? new String[] {"LINUX_2_6"} : new String[] {"LINUX_2_4", "LINUX_2_6"}));
        Map<String, Series> sws = jmh("SwitchScaleBench", quick ? 3 : 5, "version", "tasks",
            Map.of("tasks", taskSizes, "version", quick ? new String[] {"LINUX_2_6"} : new String[] {"LINUX_2_4", "LINUX_2_6"}));
        int small = Integer.parseInt(taskSizes[0]);
        int large = Integer.parseInt(taskSizes[1]);
        for (String v : new String[] {"LINUX_2_4", "LINUX_2_6"}) {
            Series a = spawn.get(v + "," + small);
            Series b = spawn.get(v + "," + large);
            if (a != null && b != null) {
                growthRow("spawn a sleeping process, ms per 1k tasks, " + ver(v) + ", " + large / 1000 + "k vs " + small / 1000 + "k tasks",
                    a.map(x -> x * 1000 / small), b.map(x -> x * 1000 / large));
            }
            a = sws.get(v + "," + small);
            b = sws.get(v + "," + large);
            if (a != null && b != null) {
                growthRow("context switch ns, " + ver(v) + ", " + large / 1000 + "k vs " + small / 1000 + "k tasks", a, b);
            }
        }
        String lo = forkPages[1];
        String hi = forkPages[forkPages.length - 1];
        int nLo = Integer.parseInt(lo);
        int nHi = Integer.parseInt(hi);
        growthRow("fork ns/page, " + kpages(nHi) + " vs " + kpages(nLo) + " (host: same ratio " + fmt(
                hostSeries(host, "fork", "per_page", hi).median() / hostSeries(host, "fork", "per_page", lo).median()) + ")",
            p2.get(lo).map(x -> x / nLo), p2.get(hi).map(x -> x / nHi));

        // ---- P4 ----
        progress("P4 heap (HeapProbe in child JVMs)");
        long pages = quick ? 16384 : 262144;
        Map<String, String> pp = probe("-Xmx2g", "perpage", Long.toString(pages));
        double perPage = Double.parseDouble(pp.get("bytes_per_mapped_page"));
        double perPageAll = Double.parseDouble(pp.get("bytes_per_mapped_page_incl_boot"));
        row("P4", "heap bytes per mapped page, " + kpages(pages) + " (after boot)", fmt(perPage), "-", "-", "<= 8 B", perPage <= 8 ? "yes" : "NO");
        row("P4", "heap bytes per mapped page, " + kpages(pages) + " (boot incl.)", fmt(perPageAll), "-", "-", "<= 8 B", perPageAll <= 8 ? "yes" : "NO");
        notes.add(String.format(Locale.ROOT, "P4 with contents: a page with a non-zero byte costs %s bytes of heap (its 4 KiB)",
            fmt(Double.parseDouble(pp.get("bytes_per_page_with_contents")))));
        // Every frame of RAM mapped: the boot-time state (mem_map, the direct-map page tables) is charged to pages that use it all.
        for (String mib : quick ? new String[] {"256"} : new String[] {"1024", "4096"}) {
            Map<String, String> ar = probe("-Xmx1g", "allram", mib);
            double all = Double.parseDouble(ar.getOrDefault("bytes_per_mapped_page_incl_boot", "NaN"));
            String ram = Long.parseLong(mib) >= 1024 ? Long.parseLong(mib) / 1024 + " GiB" : mib + " MiB";
            row("P4", "heap bytes per mapped page, all of " + ram + " RAM mapped (boot incl.)", fmt(all), "-", "-", "<= 8 B",
                all <= 8 ? "yes" : "NO");
            notes.add(String.format(Locale.ROOT, "P4 all of %s mapped: %s user pages in %s processes, boot state %s bytes per frame of RAM, error=%s",
                ram, ar.get("user_pages_mapped"), ar.get("processes"), fmt(Double.parseDouble(ar.getOrDefault("bytes_per_frame_at_boot", "NaN"))),
                ar.get("error")));
        }
        String want = quick ? "4096" : "32768";
        for (String kind : new String[] {"threads", "processes"}) {
            Map<String, String> m = probe("-Xmx512m", "machine", kind, want);
            long frames = Long.parseLong(m.get("ram_frames"));
            long mapped = Long.parseLong(m.get("user_pages_mapped"));
            String val = String.format(Locale.ROOT, "%s tasks, %.1f%% RAM mapped, heap %d MiB", m.get("tasks_on_list"),
                100.0 * (frames - Long.parseLong(m.get("free_frames"))) / frames, Long.parseLong(m.get("heap_used")) >> 20);
            row("P4", "4 GiB mapped + " + want + " tasks (" + kind + ") in -Xmx512m", val, "-", "-", "pass", m.get("pass").equals("true") ? "yes" : "NO");
            notes.add("P4 machine " + kind + ": user pages mapped " + mapped + " of " + frames + " frames, error=" + m.get("error")
                + ", " + m.get("elapsed_ms") + " ms");
        }

        print();
    }

    static String ver(String v) { return v.equals("LINUX_2_4") ? "2.4" : "2.6"; }
    static String kpages(long n) { return (n / 1024) + "k pages"; }

    static void progress(String s) {
        System.out.println("run-all: " + s + " ...");
        System.out.flush();
    }

    // ---- JMH ----

    /** Runs one benchmark class; returns series keyed by the values of key1[,key2]. */
    static Map<String, Series> jmh(String cls, int iterations, String key1, String key2, Map<String, String[]> params)
            throws RunnerException {
        return jmh(cls, 1, iterations, key1, key2, params);
    }

    static Map<String, Series> jmh(String cls, int warmups, int iterations, String key1, String key2, Map<String, String[]> params)
            throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
            .include("tasklab\\.bench\\." + cls + "\\.")
            .forks(1)
            .warmupIterations(warmups)
            .warmupTime(TimeValue.seconds(quick ? 1 : 2))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(1))
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(out.resolve("jmh-" + cls + ".json").toString());
        params.forEach(b::param);
        Runner runner = new Runner(b.build(), OutputFormatFactory.createFormatInstance(jmhLog, VerboseMode.NORMAL));
        Collection<RunResult> results = runner.run();
        Map<String, Series> m = new HashMap<>();
        for (RunResult r : results) {
            String key = r.getParams().getParam(key1) + (key2 == null ? "" : "," + r.getParams().getParam(key2));
            List<Double> v = new ArrayList<>();
            for (BenchmarkResult br : r.getBenchmarkResults()) {
                for (IterationResult ir : br.getIterationResults()) v.add(ir.getPrimaryResult().getScore());
            }
            m.put(key, Series.of(v));
        }
        return m;
    }

    // ---- host ----

    static Map<String, List<Double>> readHost(Path csv) throws IOException {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length < 6) continue;
            m.computeIfAbsent(f[0] + "," + f[1] + "," + f[2], x -> new ArrayList<>()).add(Double.parseDouble(f[4]));
        }
        return m;
    }

    static Series hostSeries(Map<String, List<Double>> host, String measure, String variant, String pages) {
        List<Double> l = host.get(measure + "," + variant + "," + pages);
        return l == null ? new Series(new double[0]) : Series.of(l);
    }

    // ---- P4 child JVMs ----

    static Map<String, String> probe(String xmx, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), xmx,
            "-cp", System.getProperty("java.class.path"), HeapProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, String> kv = new LinkedHashMap<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                all.append(line).append('\n');
                for (String tok : line.split(" ")) {
                    int eq = tok.indexOf('=');
                    if (eq > 0) kv.put(tok.substring(0, eq), tok.substring(eq + 1));
                }
            }
        }
        int rc = p.waitFor();
        Files.writeString(out.resolve("p4.log"), String.join(" ", cmd) + "\n" + all + "exit " + rc + "\n\n",
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        if (rc != 0 && !kv.containsKey("pass")) {
            // A crash (e.g. OutOfMemoryError outside the probe's own catch) is a fail, not an abort.
            kv.putIfAbsent("pass", "false");
            kv.putIfAbsent("error", "exit_" + rc);
            for (String k : List.of("ram_frames", "free_frames", "user_pages_mapped", "tasks_on_list", "heap_used", "elapsed_ms")) kv.putIfAbsent(k, "0");
        }
        return kv;
    }

    // ---- table ----

    static String fmt(double d) {
        if (Double.isNaN(d)) return "n/a";
        double a = Math.abs(d);
        if (a >= 100000) return String.format(Locale.ROOT, "%,.0f", d);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", d);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", d);
        return String.format(Locale.ROOT, "%.2f", d);
    }

    static String mmm(Series s) {
        if (s.v().length == 0) return "n/a";
        return fmt(s.min()) + " / " + fmt(s.median()) + " / " + fmt(s.max());
    }

    static void ratioRow(String id, String measure, String unit, Series sim, Series host, String target,
                         java.util.function.DoublePredicate ok, boolean higherIsBetter) {
        double med = sim.median() / host.median();
        double lo = sim.min() / host.max();
        double hi = sim.max() / host.min();
        String ratio = fmt(lo) + " / " + fmt(med) + " / " + fmt(hi);
        String met = ok == null ? "-" : ok.test(med) ? (ok.test(higherIsBetter ? lo : hi) ? "yes" : "yes (median)") : "NO";
        row(id, measure, mmm(sim), mmm(host), ratio, target, met);
    }

    static void growthRow(String measure, Series small, Series large) {
        double med = large.median() / small.median();
        double lo = large.min() / small.max();
        double hi = large.max() / small.min();
        String met = med <= 1.10 ? (med < 0.90 ? "yes (sublinear)" : "yes") : "NO";
        row("P5", measure, mmm(small) + " -> " + mmm(large), "-", fmt(lo) + " / " + fmt(med) + " / " + fmt(hi), "<= 1.10", met);
    }

    static void row(String... f) { rows.add(f); }

    static void print() {
        String[] head = {"id", "measure", "simulator min / median / max", "host min / median / max", "ratio min / median / max", "target", "met?"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) w[i] = head[i].length();
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        line(sb, head, w);
        String[] sep = new String[head.length];
        for (int i = 0; i < sep.length; i++) sep[i] = "-".repeat(w[i]);
        line(sb, sep, w);
        for (String[] r : rows) line(sb, r, w);
        sb.append('\n');
        for (String n : notes) sb.append("note: ").append(n).append('\n');
        sb.append("ratio: median = median(sim)/median(host); range = envelope over repeats (worst/best pairing). "
            + "P5 ratio = per-item cost at the large size / at the small size.\n");
        System.out.print(sb);
        try {
            Files.writeString(out.resolve("table.md"), sb.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void line(StringBuilder sb, String[] f, int[] w) {
        sb.append('|');
        for (int i = 0; i < f.length; i++) {
            sb.append(' ').append(f[i]).append(" ".repeat(w[i] - f[i].length())).append(" |");
        }
        sb.append('\n');
    }
}
