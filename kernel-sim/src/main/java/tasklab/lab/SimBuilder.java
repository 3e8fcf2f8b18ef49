package tasklab.lab;

import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;
import tasklab.mm.FlushRangePolicy;

/**
 * How to boot a {@link Sim}: kernel version, CPU model, CPU count, RAM, seed and the what-if
 * switches. Every setter returns the builder; {@link #boot()} makes the machine.
 * Example: {@code Sim.linux26().cpus(2).lazyTlb(false).boot()}.
 */
public final class SimBuilder {
    private KernelConfig config;
    private int traceLimit;

    SimBuilder(KernelVersion v) {
        this.config = KernelConfig.of(v).withCpu(CpuModel.PENTIUM_PRO_200);
    }

    /** The kernel version: {@code KernelVersion.LINUX_2_4} or {@code LINUX_2_6}. Example: {@code .version(KernelVersion.LINUX_2_6)}. */
    public SimBuilder version(KernelVersion v) {
        if (v == null) throw new LabException("Sim.version", "a kernel version is needed: KernelVersion.LINUX_2_4 or LINUX_2_6");
        config = new KernelConfig(v, config.cpu(), config.nrCpus(), config.ramBytes(), config.pge(),
            config.initcallThreads(), config.seed(), config.lazyTlb(), config.caches(), config.flushRangePolicy());
        return this;
    }

    /** The CPU model, a preset ({@code CpuModel.PENTIUM_4_2000}) or derived ({@code CpuModel.I486_DX2_66.withMhz(100)}). */
    public SimBuilder cpu(CpuModel model) {
        if (model == null) throw new LabException("Sim.cpu", "a CPU model is needed, e.g. CpuModel.PENTIUM_PRO_200");
        config = config.withCpu(model);
        return this;
    }

    /** Number of CPUs, 1 to 32 (SMP above 1). Example: {@code .cpus(4)}. */
    public SimBuilder cpus(int n) {
        if (n < 1 || n > 32) throw new LabException("Sim.cpus", "a machine has 1 to 32 CPUs, got " + n);
        config = config.withCpus(n);
        return this;
    }

    /** RAM in MiB (4 to 4096). Example: {@code .ramMiB(128)}. */
    public SimBuilder ramMiB(int mib) {
        if (mib < 4 || mib > 4096) throw new LabException("Sim.ramMiB", "RAM must be 4 to 4096 MiB, got " + mib);
        config = config.withRam((long) mib << 20);
        return this;
    }

    /** The seed: same seed and same calls give the same trace, byte for byte. Example: {@code .seed(42)}. */
    public SimBuilder seed(long seed) {
        config = config.withSeed(seed);
        return this;
    }

    /** What-if: lazy TLB on (default) or off (kernel threads get a real switch_mm to init_mm). */
    public SimBuilder lazyTlb(boolean on) { config = config.withLazyTlb(on); return this; }

    /** What-if: PGE on (default, kernel pages global) or off (every CR3 load flushes kernel entries too). */
    public SimBuilder pge(boolean on) { config = config.withPge(on); return this; }

    /** What-if: INVLPG on (default on 486 and later) or off (every one-page flush becomes a full flush, as on the 386). */
    public SimBuilder invlpg(boolean on) { config = config.withInvlpg(on); return this; }

    /**
     * What-if: PSE on (default on Pentium and later: the kernel maps lowmem with 4 MiB pages, held in the
     * CPU's large-page TLB) or off (4 KiB kernel pages that compete with user pages for TLB entries, as
     * on a 486). Turning it on for a 386 / 486 is an error: they have no 4 MiB pages.
     */
    public SimBuilder pse(boolean on) {
        if (on == config.cpu().hasPse()) return this;
        if (on && !config.cpu().name().contains("pse=false")) {
            throw new LabException("Sim.pse", config.cpu().name() + " has no PSE (4 MiB pages came with the Pentium); use CpuModel.PENTIUM_100 or later");
        }
        config = config.withPse(on);
        return this;
    }

    /** What-if: simulate the L1D / L2 caches (default on); off is faster and leaves only TLB effects. */
    public SimBuilder caches(boolean on) { config = config.withCaches(on); return this; }

    /**
     * Extension point: the policy behind flush_tlb_range ({@link FlushRangePolicy}): given the range,
     * the CPU model and the CPUs of the mm, a full flush ({@code Flush.FULL}, what i386 2.4 and 2.6 do,
     * the default) or one INVLPG per page ({@code Flush.PER_PAGE}, what Linux 3.15+ does up to 33
     * pages: {@code FlushRangePolicy.LINUX_4}). A policy that throws or returns null makes the call
     * that flushed throw a LabException saying so (the kernel flushed everything instead).
     * Example: {@code Sim.linux24().flushRangePolicy(FlushRangePolicy.named("small", r -> r.pages() <= 4 ? Flush.PER_PAGE : Flush.FULL)).boot()}.
     */
    public SimBuilder flushRangePolicy(FlushRangePolicy policy) {
        if (policy == null) throw new LabException("Sim.flushRangePolicy", "a policy is needed, e.g. FlushRangePolicy.LINUX_2_4 (the kernel's) "
            + "or a function r -> r.pages() <= 8 ? Flush.PER_PAGE : Flush.FULL");
        config = config.withFlushRangePolicy(policy);
        return this;
    }

    /** Whether boot starts the version's initcall kernel threads (kswapd, bdflush, ...); default on. */
    public SimBuilder initcallThreads(boolean on) { config = config.withInitcallThreads(on); return this; }

    /** Keeps only the last {@code events} trace events (0, the default, keeps all). Example: {@code .traceLimit(100_000)}. */
    public SimBuilder traceLimit(int events) {
        if (events < 0) throw new LabException("Sim.traceLimit", "the trace limit must be 0 (keep all) or more, got " + events);
        traceLimit = events;
        return this;
    }

    /** The configuration as the kernel sees it. */
    public KernelConfig config() { return config; }

    /** Boots the machine. Example: {@code var sim = Sim.linux24().cpus(2).boot();} */
    public Sim boot() {
        return new Sim(config, traceLimit);
    }
}
