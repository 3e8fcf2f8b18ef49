package tasklab.lab;

import java.util.Arrays;
import tasklab.kernel.Binary;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;
import tech.tablesaw.api.Table;

/**
 * Process creation cost against resident set size, as lmbench's lat_proc and TLPI Table 28-3
 * measure it: a process with {@code rss} dirty heap pages forks; the child execs a small
 * program (or not), exits, and the parent reaps it. Each phase's time is the simulated cycles
 * the CPUs spent on it. Columns: version, cpu, rss_pages, rss_kib, fork_us, exec_us, exit_us
 * (exit + the parent's wait4), fork_exit_us, fork_exec_exit_us, cow_us (the child writing every
 * page after a fork: one COW copy each), cow_copies.
 * fork_us grows with RSS: copy_page_range costs {@code copyPte} per present pte and a
 * {@code pageClear} per page table the child gets; exec and exit after a fork pay {@code zapPte}
 * per pte they tear down (datasets/cost_model.md, "Fork against the resident set"; a current host
 * pays about 30-60 ns per page, benchmarks/host/README.md).
 * Example: {@code ForkCost.on(CpuModel.PENTIUM_PRO_200).rssPages(0, 256, 1024, 4096).run()}.
 */
public final class ForkCost {
    private final CpuModel cpu;
    private KernelVersion[] versions = {KernelVersion.LINUX_2_4, KernelVersion.LINUX_2_6};
    private int[] rss = {0, 64, 256, 1024, 4096};

    private ForkCost(CpuModel cpu) { this.cpu = cpu; }

    /** The experiment on a CPU model, both kernel versions, RSS 0 to 4096 pages (16 MiB). */
    public static ForkCost on(CpuModel cpu) {
        if (cpu == null) throw new LabException("ForkCost.on", "needs a CPU model, e.g. CpuModel.PENTIUM_PRO_200");
        return new ForkCost(cpu);
    }

    /** The kernel versions to compare (default both). */
    public ForkCost versions(KernelVersion... v) {
        if (v.length == 0) throw new LabException("ForkCost.versions", "needs at least one version");
        versions = v.clone();
        return this;
    }

    /** The resident set sizes, in 4 KiB pages (0 to 65536). */
    public ForkCost rssPages(int... pages) {
        if (pages.length == 0) throw new LabException("ForkCost.rssPages", "needs at least one size");
        for (int p : pages) if (p < 0 || p > 65536) throw new LabException("ForkCost.rssPages", "an RSS is 0 to 65536 pages, got " + p);
        rss = pages.clone();
        return this;
    }

    /** The grid as a Sweep (its Params: version, cpu, rss_pages), e.g. to set its progress or thread count. */
    public Sweep sweep() {
        return Sweep.of(experiment()).named("fork/exec/exit vs RSS on " + cpu.name())
            .vary("version", Arrays.stream(versions).map(Object.class::cast).toList())
            .set("cpu", cpu)
            .vary("rss_pages", rss);
    }

    /** Runs the grid (in parallel) and returns one row per version and RSS. */
    public Table run() { return sweep().run(); }

    /** The experiment on its own: reads {@code version}, {@code cpu} and {@code rss_pages} from the Params. */
    public static Experiment experiment() {
        return p -> measure(p.version(), p.cpu(), p.getInt("rss_pages"));
    }

    /** One measurement: the cost of each phase for a process of {@code rssPages} dirty pages. */
    public static Result measure(KernelVersion v, CpuModel cpu, int rssPages) {
        Sim sim = Sim.of(v).cpu(cpu).initcallThreads(false).ramMiB(Math.max(64, rssPages / 256 * 3 + 64)).boot();
        Kernel k = sim.kernel();
        k.registerBinary(new Binary("/usr/bin/hello", 4, 1, 1));
        Proc parent = sim.process("big", rssPages);
        dirty(k, parent, rssPages, 1);

        long t0 = cycles(k);
        Proc child = parent.fork();
        long fork = cycles(k) - t0;
        t0 = cycles(k);
        child.exec("/usr/bin/hello");
        long exec = cycles(k) - t0;
        t0 = cycles(k);
        child.exit(0);
        parent.wait(child);
        long exit = cycles(k) - t0;

        // fork + exit without exec: exit has to tear down the copied address space
        Proc child2 = parent.fork();
        t0 = cycles(k);
        child2.exit(0);
        parent.wait(child2);
        long exitCopy = cycles(k) - t0;

        // the COW bill: the child writes every page it shares with the parent
        Proc child3 = parent.fork();
        long copies0 = k.counters().snapshot().total(tasklab.trace.Counter.COW_COPY);
        t0 = cycles(k);
        dirty(k, child3, rssPages, 2);
        long cow = cycles(k) - t0;
        long copies = k.counters().snapshot().total(tasklab.trace.Counter.COW_COPY) - copies0;

        return Result.of("rss_kib", rssPages * 4)
            .and("fork_us", us(cpu, fork))
            .and("exec_us", us(cpu, exec))
            .and("exit_us", us(cpu, exit))
            .and("fork_exit_us", us(cpu, fork + exitCopy))
            .and("fork_exec_exit_us", us(cpu, fork + exec + exit))
            .and("cow_us", us(cpu, cow))
            .and("cow_copies", copies);
    }

    /** Writes the first byte of each heap page through the kernel (not logged as lab steps: thousands of them). */
    private static void dirty(Kernel k, Proc p, int pages, int value) {
        long heap = p.heap();
        for (int i = 0; i < pages; i++) {
            int r = k.writeByte(p.pid(), heap + (long) i * 4096, value);
            if (r < 0) throw new LabException("ForkCost", p.label() + " could not write heap page " + i + ": signal " + (-r));
        }
    }

    /** Cycles spent by all CPUs so far. */
    static long cycles(Kernel k) {
        long s = 0;
        for (int c = 0; c < k.nrCpus(); c++) s += k.machine().cpu(c).cycles();
        return s;
    }

    static double us(CpuModel cpu, long cycles) { return Math.round(cpu.nsFromCycles(cycles) * 10) / 10_000.0; }
}
