package tasklab.lab;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The machine the notebook runs on, measured live: context-switch time, fork cost per mapped
 * page and the copy-on-write fault, the same three measures the simulator gives
 * ({@link #simulated}). With a C compiler (cc, gcc, or $CC) it compiles the repository's
 * benchmarks/host/hostbench.c into a temporary folder and runs it (pinned hand-offs through
 * pipes, fork of a process with dirty pages, COW writes after fork; see benchmarks/host/README.md);
 * without one it measures what Java can: a thread hand-off, and the COW fault of a private file
 * mapping; Java cannot fork, so that row is NaN. The {@code method} column says which was used.
 * Columns: measure, value, unit, source, method, detail. The host's numbers vary between runs
 * (other work on the machine); the median of a few repeats is reported.
 * Example: {@code HostBench.measure().append(HostBench.simulated(CpuModel.PENTIUM_PRO_200, KernelVersion.LINUX_2_4))}.
 */
public final class HostBench {
    /** Measure names, in table order. */
    public static final String CONTEXT_SWITCH = "context_switch", FORK = "fork", FORK_PER_PAGE = "fork_per_page", COW_FAULT = "cow_fault";

    private static Path compiled;                              // hostbench built once per JVM

    private HostBench() {}

    /** Measures this machine (about 2 to 10 s), with hostbench.c when a C compiler exists. Example: {@code HostBench.measure()}. */
    public static Table measure() {
        String why;
        try {
            Path bin = hostbench();
            if (bin != null) return withHostbench(bin);
            why = "no C compiler (cc, gcc or $CC) or no benchmarks/host/hostbench.c above " + Path.of("").toAbsolutePath();
        } catch (LabException e) {
            why = e.getMessage();
        }
        return withJava(why);
    }

    /** Measures with Java only (what {@link #measure()} falls back to). */
    public static Table measureWithJava() { return withJava("asked for the Java measures"); }

    // ---- hostbench.c ----

    static synchronized Path hostbench() {
        if (compiled != null && Files.isExecutable(compiled)) return compiled;
        Path src = findSource();
        String cc = compiler();
        if (src == null || cc == null) return null;
        try {
            Path dir = Files.createTempDirectory("tasklab-hostbench");
            Path bin = dir.resolve("hostbench");
            Run r = exec(120, cc, "-std=gnu11", "-O2", "-o", bin.toString(), src.toString(), "-pthread");
            if (r.code != 0) throw new LabException("HostBench", cc + " could not compile " + src + ": " + r.err.strip());
            bin.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            compiled = bin;
            return bin;
        } catch (IOException e) {
            throw new LabException("HostBench", "cannot compile hostbench: " + e.getMessage());
        }
    }

    /** benchmarks/host/hostbench.c in the working directory or a folder above it. */
    static Path findSource() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("benchmarks/host/hostbench.c");
            if (Files.isRegularFile(s)) return s;
        }
        return null;
    }

    static String compiler() {
        List<String> names = new ArrayList<>();
        String env = System.getenv("CC");
        if (env != null && !env.isBlank()) names.add(env.strip());
        names.addAll(List.of("cc", "gcc"));
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String n : names) {
            if (n.contains("/")) { if (Files.isExecutable(Path.of(n))) return n; continue; }
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, n))) return Path.of(d, n).toString();
            }
        }
        return null;
    }

    private static Table withHostbench(Path bin) {
        String b = bin.toString();
        String method = "hostbench.c (" + compiler() + ")";
        Map<String, Double> s = new HashMap<>();
        summaries(exec(300, b, "ctxswitch", "--iterations", "5000", "--repeats", "3"), s);
        summaries(exec(300, b, "fork", "--pages", "0", "--repeats", "5"), s);
        summaries(exec(300, b, "fork", "--pages", "4096", "--repeats", "5"), s);
        summaries(exec(300, b, "cow", "--pages", "4096", "--repeats", "3"), s);
        double rate = need(s, "ctxswitch variant=process switches_per_sec");
        double fork0 = need(s, "fork pages=0 fork_ns");
        // the per-page cost is a difference of two forks: from their minimums, the runs least disturbed by other load
        // (with medians a busy machine made it negative)
        double perPage = (need(s, "fork pages=4096 fork_ns min") - need(s, "fork pages=0 fork_ns min")) / 4096;
        double cow = need(s, "cow pages=4096 ns_per_fault");
        Table t = empty("host: " + host());
        row(t, CONTEXT_SWITCH, 1e6 / rate, "us", "host", method, "two processes pinned to one CPU hand a byte over pipes (median of 3 x 5000 round trips)");
        row(t, FORK, fork0 / 1000, "us", "host", method, "fork() of a process with no extra pages (median of 5)");
        if (perPage > 0) {
            row(t, FORK_PER_PAGE, perPage, "ns/page", "host", method, "(fork with 4096 dirty pages - fork with 0) / 4096 (minimums of 5)");
        } else {
            row(t, FORK_PER_PAGE, Double.NaN, "ns/page", "host", method, "not measured: the machine was too busy"
                + " (the fastest fork with 4096 dirty pages was not slower than the fastest with 0); run it again when it is idle");
        }
        row(t, COW_FAULT, cow / 1000, "us", "host", method, "write to a page shared copy-on-write after fork, minus the same write when private (median of 3 x 4096 pages)");
        return t;
    }

    private static void summaries(Run r, Map<String, Double> out) {
        if (r.code != 0) throw new LabException("HostBench", "hostbench failed (exit " + r.code + "): " + r.err.strip());
        for (String line : r.out.split("\n")) {
            if (!line.startsWith("summary ")) continue;
            // summary ctxswitch variant=process measure=switches_per_sec n=3 min=... median=... max=...
            String[] f = line.split(" ");
            StringBuilder key = new StringBuilder(f[1]);
            String measure = null, median = null, min = null;
            for (int i = 2; i < f.length; i++) {
                if (f[i].startsWith("measure=")) measure = f[i].substring(8);
                else if (f[i].startsWith("median=")) median = f[i].substring(7);
                else if (f[i].startsWith("min=")) min = f[i].substring(4);
                else if (f[i].startsWith("variant=") || f[i].startsWith("pages=")) key.append(' ').append(f[i]);
            }
            if (measure != null && median != null) out.put(key + " " + measure, Double.parseDouble(median));
            if (measure != null && min != null) out.put(key + " " + measure + " min", Double.parseDouble(min));
        }
    }

    private static double need(Map<String, Double> s, String key) {
        Double v = s.get(key);
        if (v == null) throw new LabException("HostBench", "hostbench printed no '" + key + "' summary; it printed " + s.keySet());
        return v;
    }

    // ---- Java fallback ----

    private static Table withJava(String why) {
        String method = "java (" + why + ")";
        Table t = empty("host (Java measures): " + host());
        row(t, CONTEXT_SWITCH, javaHandoffMicros(), "us", "host", method,
            "two Java threads hand a token back and forth (LockSupport park / unpark, median of 3 x 5000); not pinned, so a hand-off may be a cross-CPU wake-up");
        row(t, FORK, Double.NaN, "us", "host", method, "Java cannot fork a copy of itself");
        row(t, FORK_PER_PAGE, Double.NaN, "ns/page", "host", method, "Java cannot fork a copy of itself");
        row(t, COW_FAULT, javaCowMicros(4096), "us", "host", method,
            "first write to each page of a private file mapping (a copy-on-write fault), minus a second write (median of 3 x 4096 pages)");
        return t;
    }

    /** Microseconds per hand-off between two threads. */
    static double javaHandoffMicros() {
        double[] r = new double[3];
        for (int rep = 0; rep < 3; rep++) r[rep] = handoffs(5_000);
        Arrays.sort(r);
        return r[1];
    }

    private static double handoffs(int rounds) {
        final Thread main = Thread.currentThread();
        final int[] turn = {0};                                 // whose turn: read and written under the lock
        final Object lock = new Object();
        final Thread[] peer = new Thread[1];
        peer[0] = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                while (get(lock, turn) != 1) LockSupport.park();
                set(lock, turn, 0);
                LockSupport.unpark(main);
            }
        }, "tasklab-hostbench-peer");
        peer[0].setDaemon(true);
        peer[0].start();
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            set(lock, turn, 1);
            LockSupport.unpark(peer[0]);
            while (get(lock, turn) != 0) LockSupport.park();
        }
        long ns = System.nanoTime() - t0;
        try { peer[0].join(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        return ns / (2.0 * rounds) / 1000.0;
    }

    private static int get(Object lock, int[] v) { synchronized (lock) { return v[0]; } }
    private static void set(Object lock, int[] v, int x) { synchronized (lock) { v[0] = x; } }

    /** Microseconds per COW fault of a private file mapping. */
    static double javaCowMicros(int pages) {
        double[] r = new double[3];
        try {
            for (int rep = 0; rep < 3; rep++) {
                Path f = Files.createTempFile("tasklab-cow", ".bin");
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw"); FileChannel ch = raf.getChannel()) {
                    byte[] page = new byte[4096];
                    Arrays.fill(page, (byte) 7);
                    for (int i = 0; i < pages; i++) raf.write(page);
                    MappedByteBuffer m = ch.map(FileChannel.MapMode.PRIVATE, 0, (long) pages * 4096);
                    int sum = 0;
                    for (int i = 0; i < pages; i++) sum += m.get(i * 4096);     // map every page read-only (page cache)
                    long t0 = System.nanoTime();
                    for (int i = 0; i < pages; i++) m.put(i * 4096, (byte) (sum + i));  // first write: COW fault
                    long t1 = System.nanoTime();
                    for (int i = 0; i < pages; i++) m.put(i * 4096, (byte) i);          // private now: no fault
                    long t2 = System.nanoTime();
                    r[rep] = ((t1 - t0) - (t2 - t1)) / (double) pages / 1000.0;
                } finally {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        Arrays.sort(r);
        return r[1];
    }

    // ---- the simulator's side ----

    /**
     * The same measures in the simulator, in the same columns: context switch = lat_ctx with 2
     * processes and no working set; fork and fork per page from {@link ForkCost} at 0 and 4096
     * pages; COW fault = the child's copy of one page after fork.
     * Example: {@code HostBench.simulated(CpuModel.PENTIUM_PRO_200, KernelVersion.LINUX_2_4)}.
     */
    public static Table simulated(CpuModel cpu, KernelVersion v) {
        if (cpu == null || v == null) throw new LabException("HostBench.simulated", "needs a CPU model and a kernel version");
        String src = "simulated " + cpu.name() + ", Linux " + v.release();
        Result ctx = LatCtx.measure(v, cpu, 2, 0, 20, 100);
        Result f0 = ForkCost.measure(v, cpu, 0);
        Result f4k = ForkCost.measure(v, cpu, 4096);
        Table t = empty(src);
        row(t, CONTEXT_SWITCH, (Double) ctx.get("us"), "us", src, "LatCtx", "lat_ctx, 2 processes, 0 KiB (lmbench method)");
        row(t, FORK, (Double) f0.get("fork_us"), "us", src, "ForkCost", "fork() of a process with a 0-page heap");
        row(t, FORK_PER_PAGE, ((Double) f4k.get("fork_us") - (Double) f0.get("fork_us")) * 1000 / 4096, "ns/page", src, "ForkCost",
            "(fork with 4096 dirty pages - fork with 0) / 4096");
        row(t, COW_FAULT, (Double) f4k.get("cow_us") / Math.max(1, ((Number) f4k.get("cow_copies")).longValue()), "us", src, "ForkCost",
            "the child's write to each of 4096 pages after fork: fault, copy, pte update");
        return t;
    }

    // ---- helpers ----

    private static Table empty(String name) {
        return Table.create(name, StringColumn.create("measure"), DoubleColumn.create("value"), StringColumn.create("unit"),
            StringColumn.create("source"), StringColumn.create("method"), StringColumn.create("detail"));
    }

    private static void row(Table t, String measure, double value, String unit, String source, String method, String detail) {
        t.stringColumn("measure").append(measure);
        t.doubleColumn("value").append(Double.isNaN(value) ? Double.NaN : Math.round(value * 1000) / 1000.0);
        t.stringColumn("unit").append(unit);
        t.stringColumn("source").append(source);
        t.stringColumn("method").append(method);
        t.stringColumn("detail").append(detail);
    }

    private static String host() {
        String cpu = "unknown CPU";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) { cpu = l.substring(l.indexOf(':') + 1).strip(); break; }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or no /proc: the name is only a label
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private record Run(int code, String out, String err) {}

    private static Run exec(int timeoutSeconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            // read both streams fully on their own threads so neither pipe fills and blocks the child
            var out = new java.util.concurrent.CompletableFuture<String>();
            var err = new java.util.concurrent.CompletableFuture<String>();
            Thread to = new Thread(() -> out.complete(slurp(p.getInputStream())), "tasklab-hostbench-out");
            Thread te = new Thread(() -> err.complete(slurp(p.getErrorStream())), "tasklab-hostbench-err");
            to.setDaemon(true);
            te.setDaemon(true);
            to.start();
            te.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LabException("HostBench", String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Run(p.exitValue(), out.get(), err.get());
        } catch (IOException e) {
            throw new LabException("HostBench", "cannot run " + cmd[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("HostBench", "interrupted while running " + cmd[0]);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new LabException("HostBench", "cannot read the output of " + cmd[0] + ": " + e.getCause());
        }
    }

    private static String slurp(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
