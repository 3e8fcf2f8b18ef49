package tasklab.kernel;

import tasklab.machine.CpuModel;
import tasklab.mm.FlushRangePolicy;

/**
 * What to boot: kernel version, CPU model and count, RAM, what-if switches, the seed, and the
 * policies behind the simulator's extension points ({@link FlushRangePolicy}).
 * Build one with {@link #of} and the {@code with...} methods.
 */
public record KernelConfig(KernelVersion version, CpuModel cpu, int nrCpus, long ramBytes, boolean pge,
                           boolean initcallThreads, long seed, boolean lazyTlb, boolean caches,
                           FlushRangePolicy flushRangePolicy) {
    /** Validates the sizes with sentences that say what is allowed. */
    public KernelConfig {
        if (version == null) throw new IllegalArgumentException("a kernel version is needed: LINUX_2_4 or LINUX_2_6");
        if (cpu == null) throw new IllegalArgumentException("a CPU model is needed, e.g. CpuModel.PENTIUM_PRO_200");
        if (nrCpus < 1 || nrCpus > 32) throw new IllegalArgumentException("1 to 32 CPUs, got " + nrCpus);
        if (flushRangePolicy == null) flushRangePolicy = FlushRangePolicy.LINUX_2_4;
    }

    /** The same configuration without a policy argument: the kernel's own flush_tlb_range. */
    public KernelConfig(KernelVersion version, CpuModel cpu, int nrCpus, long ramBytes, boolean pge,
                        boolean initcallThreads, long seed, boolean lazyTlb, boolean caches) {
        this(version, cpu, nrCpus, ramBytes, pge, initcallThreads, seed, lazyTlb, caches, FlushRangePolicy.LINUX_2_4);
    }

    /** Defaults: one Pentium Pro-200, 64 MiB, PGE on, the version's initcall threads, seed 1. */
    public static KernelConfig of(KernelVersion version) {
        return new KernelConfig(version, CpuModel.PENTIUM_PRO_200, 1, 64L << 20, true, true, 1, true, true);
    }

    /** Another CPU model. */ public KernelConfig withCpu(CpuModel m) { return new KernelConfig(version, m, nrCpus, ramBytes, pge, initcallThreads, seed, lazyTlb, caches, flushRangePolicy); }
    /** Another CPU count (SMP when above 1). */ public KernelConfig withCpus(int n) { return new KernelConfig(version, cpu, n, ramBytes, pge, initcallThreads, seed, lazyTlb, caches, flushRangePolicy); }
    /** Another RAM size in bytes. */ public KernelConfig withRam(long bytes) { return new KernelConfig(version, cpu, nrCpus, bytes, pge, initcallThreads, seed, lazyTlb, caches, flushRangePolicy); }
    /** What-if: PGE off (kernel pages not global). */ public KernelConfig withPge(boolean on) { return new KernelConfig(version, cpu, nrCpus, ramBytes, on, initcallThreads, seed, lazyTlb, caches, flushRangePolicy); }
    /** Whether boot starts the initcall kernel threads (kswapd, ...). */ public KernelConfig withInitcallThreads(boolean on) { return new KernelConfig(version, cpu, nrCpus, ramBytes, pge, on, seed, lazyTlb, caches, flushRangePolicy); }
    /** What-if: lazy TLB off (kernel threads get a real switch_mm to init_mm). */
    public KernelConfig withLazyTlb(boolean on) { return new KernelConfig(version, cpu, nrCpus, ramBytes, pge, initcallThreads, seed, on, caches, flushRangePolicy); }
    /** What-if: a CPU without INVLPG (every single-page flush becomes a full flush, as on the 386). */
    public KernelConfig withInvlpg(boolean on) { return withCpu(cpu.withInvlpg(on)); }
    /** What-if: a CPU without PSE (the kernel's direct map then uses 4 KiB pages and page tables, as on a 486); on is the model's own. */
    public KernelConfig withPse(boolean on) { return withCpu(cpu.withPse(on)); }
    /** Simulates the L1D / L2 caches (on by default); off trades cache effects for speed. */
    public KernelConfig withCaches(boolean on) { return new KernelConfig(version, cpu, nrCpus, ramBytes, pge, initcallThreads, seed, lazyTlb, on, flushRangePolicy); }
    /** Extension point: how flush_tlb_range flushes (null: the kernel's full flush, {@link FlushRangePolicy#LINUX_2_4}). */
    public KernelConfig withFlushRangePolicy(FlushRangePolicy p) { return new KernelConfig(version, cpu, nrCpus, ramBytes, pge, initcallThreads, seed, lazyTlb, caches, p); }
    /** Another seed. */ public KernelConfig withSeed(long s) { return new KernelConfig(version, cpu, nrCpus, ramBytes, pge, initcallThreads, s, lazyTlb, caches, flushRangePolicy); }
}
