package tasklab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CostKind;
import tasklab.machine.CpuModel;
import tasklab.program.Program;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;
import tech.tablesaw.api.Table;

/**
 * lmbench's lat_ctx in the simulator, measured the way lmbench measures it: N processes on one
 * CPU each write a K KiB array once, then loop summing it (every 32-byte line) and yielding, so
 * every yield is a context switch. raw_us is the simulated time per switch; overhead_us is the
 * same loop in one process, where the yield switches nothing and the array stays cached
 * (lmbench's "overhead" of summing the array); us = raw_us - overhead_us is the reported
 * context-switch time, cache and TLB refill included. model_us is the simulator's own account
 * per switch (direct + refill cycles, the switches table's us), for comparison.
 * Columns: version, cpu, procs, kib, raw_us, overhead_us, us, model_us, switches.
 * The turn passes by sched_yield here, which is quick to simulate; lmbench 1.x's own method
 * (a ring of pipes, twelve placements, the median), calibrated against the 1995 table, is
 * {@code tasklab.kernel.LmbenchLatCtx}, which the README's lat_ctx table uses.
 * Example: {@code Charts.latCtx(LatCtx.on(CpuModel.PENTIUM_PRO_200).run())}.
 */
public final class LatCtx {
    private final List<CpuModel> cpus;
    private KernelVersion[] versions = {KernelVersion.LINUX_2_4};
    private int[] procs = {2, 4, 8};
    private int[] kib = {0, 4, 16, 64};
    private int warmMillis = 20;
    private int measureMillis = 100;

    private LatCtx(List<CpuModel> cpus) { this.cpus = cpus; }

    /**
     * lat_ctx on one or more CPU models (one table, a {@code cpu} column): 2.4, 2 / 4 / 8 processes,
     * 0 / 4 / 16 / 64 KiB. Example: {@code LatCtx.on(CpuModel.I486DX2_66, CpuModel.PENTIUM_PRO_200).procs(2).kib(0, 32).run()}.
     */
    public static LatCtx on(CpuModel cpu, CpuModel... more) {
        List<CpuModel> all = new ArrayList<>();
        all.add(cpu);
        if (more != null) all.addAll(Arrays.asList(more));
        for (CpuModel c : all) {
            if (c == null) throw new LabException("LatCtx.on", "needs CPU models, e.g. CpuModel.PENTIUM_PRO_200; got null");
        }
        if (new HashSet<>(all).size() < all.size()) throw new LabException("LatCtx.on", "names a CPU model twice: " + all);
        return new LatCtx(List.copyOf(all));
    }

    /** The kernel versions (default 2.4). */
    public LatCtx versions(KernelVersion... v) {
        if (v.length == 0) throw new LabException("LatCtx.versions", "needs at least one version");
        versions = v.clone();
        return this;
    }

    /** The process counts (2 to 64). */
    public LatCtx procs(int... n) {
        if (n.length == 0) throw new LabException("LatCtx.procs", "needs at least one process count");
        for (int x : n) if (x < 2 || x > 64) throw new LabException("LatCtx.procs", "lat_ctx needs 2 to 64 processes, got " + x);
        procs = n.clone();
        return this;
    }

    /** The working sets in KiB per process (0 to 4096). */
    public LatCtx kib(int... k) {
        if (k.length == 0) throw new LabException("LatCtx.kib", "needs at least one size");
        for (int x : k) if (x < 0 || x > 4096) throw new LabException("LatCtx.kib", "a working set is 0 to 4096 KiB, got " + x);
        kib = k.clone();
        return this;
    }

    /** Simulated warm-up and measurement time per run (defaults 20 ms and 100 ms, as the README's LatCtxExample; shorter windows catch the first faults). */
    public LatCtx millis(int warm, int measure) {
        if (warm < 0 || measure < 1) throw new LabException("LatCtx.millis", "needs warm >= 0 and measure >= 1 ms");
        warmMillis = warm;
        measureMillis = measure;
        return this;
    }

    /** The grid as a Sweep (its Params: version, cpu, procs, kib), e.g. to set its progress or thread count. */
    public Sweep sweep() {
        int w = warmMillis, m = measureMillis;
        return Sweep.of(p -> measure(p.version(), p.cpu(), p.getInt("procs"), p.getInt("kib"), w, m))
            .named("lat_ctx on " + cpus.stream().map(CpuModel::name).collect(Collectors.joining(", ")))
            .vary("version", Arrays.stream(versions).map(Object.class::cast).toList())
            .vary("cpu", cpus)
            .vary("procs", procs)
            .vary("kib", kib);
    }

    /** Runs the grid (in parallel). */
    public Table run() { return sweep().run(); }

    /**
     * The experiment: reads {@code procs}, {@code kib} and optionally {@code version}, {@code cpu},
     * {@code warm_ms} and {@code measure_ms} (defaults 20 and 100) from the Params, so a Sweep can
     * set or vary the timing. Example: {@code Sweep.of(LatCtx.experiment()).vary("procs", 2, 8).vary("kib", 0, 32).set("measure_ms", 20)}.
     */
    public static Experiment experiment() {
        return p -> {
            int warm = p.has("warm_ms") ? p.getInt("warm_ms") : 20, measure = p.has("measure_ms") ? p.getInt("measure_ms") : 100;
            if (warm < 0 || measure < 1) throw new LabException("LatCtx.experiment", "needs warm_ms >= 0 and measure_ms >= 1, got " + warm + " and " + measure);
            return measure(p.version(), p.cpu(), p.getInt("procs"), p.getInt("kib"), warm, measure);
        };
    }

    /** The experiment with fixed simulated warm-up and measurement times (ms); a Sweep's {@code warm_ms} / {@code measure_ms} still win. */
    public static Experiment experiment(int warmMillis, int measureMillis) {
        if (warmMillis < 0 || measureMillis < 1) throw new LabException("LatCtx.experiment", "needs warm >= 0 and measure >= 1 ms");
        return p -> measure(p.version(), p.cpu(), p.getInt("procs"), p.getInt("kib"),
            p.has("warm_ms") ? p.getInt("warm_ms") : warmMillis, p.has("measure_ms") ? p.getInt("measure_ms") : measureMillis);
    }

    /** One lat_ctx point: raw, overhead and switch time in microseconds. */
    public static Result measure(KernelVersion v, CpuModel cpu, int procs, int kib, int warmMillis, int measureMillis) {
        Ring ring = ring(v, cpu, procs, kib, warmMillis, measureMillis);
        Ring alone = ALONE.computeIfAbsent(List.of(v, cpu, kib, warmMillis, measureMillis),
            key -> ring(v, cpu, 1, kib, warmMillis, measureMillis));
        double raw = ring.switches == 0 ? Double.NaN : cpu.nsFromCycles(ring.cycles) / ring.switches / 1000.0;
        double overhead = alone.loops == 0 ? Double.NaN : cpu.nsFromCycles(alone.cycles) / alone.loops / 1000.0;
        double model = ring.switches == 0 ? Double.NaN : cpu.nsFromCycles(ring.switchCycles) / ring.switches / 1000.0;
        return Result.of("raw_us", round(raw)).and("overhead_us", round(overhead)).and("us", round(raw - overhead))
            .and("model_us", round(model)).and("switches", ring.switches);
    }

    /** The one-process baselines, shared by every process count (deterministic, so sharing changes no number). */
    private static final Map<List<Object>, Ring> ALONE = new ConcurrentHashMap<>();

    private record Ring(long cycles, long switches, long loops, long switchCycles) {}

    /** N processes in the yield ring; cycles, switches and loop iterations over the measured window. */
    private static Ring ring(KernelVersion v, CpuModel cpu, int n, int kib, int warmMillis, int measureMillis) {
        Kernel k = Kernel.boot(KernelConfig.of(v).withCpu(cpu).withInitcallThreads(false));
        k.trace().setCapacity(1024);                          // the counters are what is read; keep the trace small
        long bytes = (long) kib << 10;
        Program p = Program.builder().mmap(Math.max(bytes, 4096))
            .touchMapped(bytes, 32, true)                     // lmbench writes its array once
            .loop(100_000_000, b -> b.touchMapped(bytes, 32, false).yield())
            .build();
        for (int i = 0; i < n; i++) k.spawn(p);
        k.runMillis(warmMillis);
        var c0 = k.machine().cpu(0);
        long cyc0 = c0.cycles(), sys0 = c0.cycles(CostKind.SYSCALL);
        CounterSnapshot before = k.counters().snapshot();
        k.runMillis(measureMillis);
        CounterSnapshot d = k.counters().snapshot().minus(before);
        long loops = (c0.cycles(CostKind.SYSCALL) - sys0) / c0.cost().syscallEntry();   // one system call (the yield) per loop
        return new Ring(c0.cycles() - cyc0, d.total(Counter.CONTEXT_SWITCH), loops,
            d.total(Counter.SWITCH_DIRECT_CYCLES) + d.total(Counter.SWITCH_REFILL_CYCLES));
    }

    private static double round(double v) { return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0; }
}
