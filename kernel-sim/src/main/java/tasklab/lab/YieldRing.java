package tasklab.lab;

import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;
import tasklab.program.Program;

/**
 * The scheduler's own cost against the number of runnable tasks: n processes on one CPU do
 * nothing but call sched_yield(), so every call is a context switch and every switch has n
 * candidates. After every process has started (10 ms + n/4 ms of simulated time), 20 ms are
 * measured: the direct cycles per switch (switch_direct_cycles / ctxt: schedule() with 2.4's
 * goodness() per candidate and recalculation per task, or 2.6's O(1) pick, plus the switch itself).
 * Columns: switches, cycles_per_switch, us_per_switch. Linux: kernel/sched.c sys_sched_yield().
 * Example: {@code Sweep.of(YieldRing.experiment()).vary("version", LINUX_2_4, LINUX_2_6).vary("runnable", 2, 64, 512).run()}.
 */
public final class YieldRing {
    private YieldRing() {}

    private static final Program YIELDER = Program.builder().loop(Integer.MAX_VALUE, b -> b.yield()).build();

    /** One point: n yielding processes on one CPU of the model. Example: {@code YieldRing.measure(LINUX_2_4, CpuModel.PENTIUM_PRO_200, 64)}. */
    public static Result measure(KernelVersion v, CpuModel cpu, int n) {
        if (v == null || cpu == null) throw new LabException("YieldRing.measure", "needs a kernel version and a CPU model");
        if (n < 1 || n > 4096) throw new LabException("YieldRing.measure", "needs 1 to 4096 processes, got " + n);
        Sim s = Sim.of(v).cpu(cpu).seed(42).initcallThreads(false).traceLimit(1024).boot();
        s.spawn(YIELDER, n);
        s.runMillis(10 + n / 4);                  // let every process start (fork, exec, first faults)
        Snapshot before = s.snapshot("measure");
        s.runMillis(20);
        long switches = s.count("ctxt", before);
        long cycles = Math.round((double) s.count("switch_direct_cycles", before) / switches);
        return Result.of("switches", switches).and("cycles_per_switch", cycles)
            .and("us_per_switch", Math.round(cpu.nsFromCycles(cycles)) / 1000.0);
    }

    /**
     * The experiment for a Sweep: reads {@code runnable} and optionally {@code version} (default 2.4)
     * and {@code cpu} (default Pentium Pro-200) from the Params.
     * Example: {@code Sweep.of(YieldRing.experiment()).vary("runnable", 2, 16, 64).run()}.
     */
    public static Experiment experiment() {
        return p -> measure(p.version(), p.cpu(), p.getInt("runnable"));
    }
}
