package tasklab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tasklab.machine.CpuModel;
import tasklab.program.Program;

/**
 * lmbench's lat_ctx, run the way lmbench 1.x (the version behind the 1995 results) runs it: N
 * processes in a ring of pipes pass a token; each, on receiving it, sums its array of K KiB and
 * passes it on. The time per hop (one pipe read, one sum, one pipe write, one context switch) minus
 * the overhead (the same pipe read + sum + write done by one process on one pipe, so that no switch
 * happens) is the context-switch time. As in lmbench 1.x, the overhead process sums an array it never
 * wrote: its reads map the zero page, so its sum runs from one cached page, while the ring's
 * processes each write their array first and sum their own frames. Everything is simulated: the
 * pipes' read / write / wake-up path, the scheduler, CR3 loads, TLB refills and cache misses.
 *
 * <p>Where the arrays land in the physically indexed L2 decides the large points. A machine that has
 * been up a while hands out frames in no particular order ({@link tasklab.machine.PhysMem#scatterAllocations}),
 * so each point runs {@link #TRIES} fresh rings, each with another scattered order, and reports the
 * median: the typical machine. (lmbench 1.x reports the smallest of its 12 tries. The kit reads those
 * tries as close to one placement, not 12 independent ones: the children of one try exit, and the
 * LIFO free lists likely hand their frames to the next try's children. The smallest of 12 independent
 * placements would report the luckiest machine instead: 84 us at 8p/32K on the Pentium Pro-167.)
 *
 * <p>Plain numbers only (no tables or charts here; {@code tasklab.lab} wraps them). Deterministic:
 * the same arguments give the same numbers.
 */
public final class LmbenchLatCtx {
    private LmbenchLatCtx() {}

    /** Placements tried per point (lmbench 1.x's TRIES is also 12); the point is their median. */
    public static final int TRIES = 12;
    /** Simulated time before measuring: first faults, caches filled, a few trips around the ring. */
    static final long WARMUP_MS = 10;
    /** The seed of the scattered free-frame order (see {@link tasklab.machine.PhysMem#scatterAllocations}). */
    static final long SCATTER_SEED = 0x1995;
    /** Simulated time measured. */
    static final long MEASURE_MS = 30;

    /**
     * One lat_ctx point.
     *
     * @param procs      processes in the ring
     * @param kib        array size per process (lmbench's -s), KiB
     * @param rawUs      microseconds per hop in the ring (switch + pipe read / write + sum), the median of the tries
     * @param overheadUs microseconds per hop of the single process (pipe read / write + sum, no switch)
     * @param switchUs   rawUs - overheadUs: lmbench's reported context-switch time
     * @param hops       hops measured in the ring, all tries together
     */
    public record Point(int procs, int kib, double rawUs, double overheadUs, double switchUs, long hops) { }

    /** Bytes lmbench 1.x's sumit() reads for a -s of {@code kib}: 2 KiB per loop while more than 512 ints are left. */
    public static int sumBytes(int kib) {
        int bytes = 0;
        for (int i = (kib << 10) / 4; i > 512; i -= 512) bytes += 2048;
        return bytes;
    }

    /** The cycles of the sum's own instructions: about one load + add per int (an assumption; it is in both raw and overhead). */
    static long sumComputeCycles(int kib) { return sumBytes(kib) / 4; }

    /** lat_ctx -s {@code kib} {@code procs} on one CPU of model {@code cpu} under kernel {@code v}. */
    public static Point measure(KernelVersion v, CpuModel cpu, int procs, int kib) {
        return measure(v, cpu, procs, kib, overheadMicros(v, cpu, kib));
    }

    /** Every combination, processes major; the overhead is measured once per size. */
    public static List<Point> measure(KernelVersion v, CpuModel cpu, int[] procs, int[] kibs) {
        List<Point> out = new ArrayList<>();
        double[] ovr = new double[kibs.length];
        for (int j = 0; j < kibs.length; j++) ovr[j] = overheadMicros(v, cpu, kibs[j]);
        for (int n : procs) {
            for (int j = 0; j < kibs.length; j++) out.add(measure(v, cpu, n, kibs[j], ovr[j]));
        }
        return out;
    }

    private static Point measure(KernelVersion v, CpuModel cpu, int procs, int kib, double overheadUs) {
        Objects.requireNonNull(v, "version");
        Objects.requireNonNull(cpu, "cpu");
        if (procs < 2 || procs > 1000) throw new IllegalArgumentException("lat_ctx needs 2..1000 processes in the ring, got " + procs);
        if (kib < 0 || kib > 4096) throw new IllegalArgumentException("lat_ctx array size must be 0..4096 KiB, got " + kib);
        double[] raw = new double[TRIES];
        long hops = 0;
        for (int t = 0; t < TRIES; t++) {
            Point p = ring(v, cpu, procs, kib, overheadUs, SCATTER_SEED + t);
            raw[t] = p.rawUs();
            hops += p.hops();
        }
        java.util.Arrays.sort(raw);
        double median = (raw[TRIES / 2 - 1] + raw[TRIES / 2]) / 2;
        return new Point(procs, kib, median, overheadUs, median - overheadUs, hops);
    }

    /** One try: a fresh ring of processes (lmbench 1.x forks them anew for every try, so their frames land elsewhere each time). */
    private static Point ring(KernelVersion v, CpuModel cpu, int procs, int kib, double overheadUs, long seed) {
        Kernel k = boot(v, cpu, seed);
        int[] pipes = new int[procs];
        for (int i = 0; i < procs; i++) pipes[i] = k.pipe();
        for (int i = 0; i < procs; i++) {
            Program.Builder b = Program.builder().mmap(Math.max(kib, 4) << 10);
            if (kib > 0) b.touchMapped((long) kib << 10, 32, true);      // bzero(data): the process's own copy
            int in = pipes[(i + procs - 1) % procs];
            int out = pipes[i];
            if (i == 0) b.pipeWrite(out);                                  // the token enters the ring
            b.loop(Integer.MAX_VALUE, body -> hop(body, in, out, kib));
            k.spawn(b.build());
        }
        return window(k, cpu, pipes, (us, hops) -> new Point(procs, kib, us, overheadUs, us - overheadUs, hops));
    }

    /**
     * The overhead: one process, one pipe, write then (read, sum, write) round and round, never
     * switching. Its array is never written (lmbench 1.x measures this before its bzero), so its sum
     * reads the zero page.
     */
    public static double overheadMicros(KernelVersion v, CpuModel cpu, int kib) {
        Kernel k = boot(v, cpu, SCATTER_SEED);
        int p = k.pipe();
        Program prog = Program.builder().mmap(Math.max(kib, 4) << 10)
            .pipeWrite(p)
            .loop(Integer.MAX_VALUE, body -> hop(body, p, p, kib))
            .build();
        k.spawn(prog);
        return window(k, cpu, new int[] {p}, (us, hops) -> us);
    }

    private static void hop(Program.Builder b, int in, int out, int kib) {
        b.pipeRead(in);
        int bytes = sumBytes(kib);
        if (bytes > 0) b.touchMapped(bytes, 32, false).compute(sumComputeCycles(kib));
        b.pipeWrite(out);
    }

    private static Kernel boot(KernelVersion v, CpuModel cpu, long seed) {
        Kernel k = Kernel.boot(KernelConfig.of(v).withCpu(cpu).withCpus(1).withInitcallThreads(false));
        k.trace().setCapacity(1024);
        k.machine().mem().scatterAllocations(seed);     // a machine that has been up a while, as the measured one had
        return k;
    }

    private interface Result<T> { T of(double usPerHop, long hops); }

    private static <T> T window(Kernel k, CpuModel cpu, int[] pipes, Result<T> r) {
        k.runMillis(WARMUP_MS);
        long c0 = k.machine().cpu(0).cycles();
        long h0 = reads(k, pipes);
        k.runMillis(MEASURE_MS);
        long cycles = k.machine().cpu(0).cycles() - c0;
        long hops = reads(k, pipes) - h0;
        if (hops == 0) throw new IllegalStateException("lat_ctx: no token passed in " + MEASURE_MS + " ms");
        return r.of(cpu.nsFromCycles(cycles) / 1000.0 / hops, hops);
    }

    private static long reads(Kernel k, int[] pipes) {
        long n = 0;
        for (int p : pipes) n += k.pipeReads(p);
        return n;
    }
}
