package tasklab.examples;

import tasklab.kernel.Kernel;
import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;
import tasklab.program.Program;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;

/**
 * lmbench lat_ctx, simulated: N processes on one CPU each touch K KiB (every 32-byte line) and
 * yield, round and round. A switch's time is its direct cycles plus the TLB-walk and cache-miss
 * cycles spent refilling afterwards. README.md shows the table this prints (checked by a test).
 */
public final class LatCtxExample {
    private LatCtxExample() {}

    /** Average microseconds per context switch for n processes touching kib KiB each. */
    public static double switchMicros(KernelVersion v, CpuModel cpu, int n, int kib) {
        Kernel k = Kernel.boot(KernelConfig.of(v).withCpu(cpu).withInitcallThreads(false));
        k.trace().setCapacity(1024);
        Program p = Program.builder().mmap(Math.max(kib, 4) << 10)
            .touchMapped((long) kib << 10, 32, true)         // the array is written once, as lmbench's is
            .loop(1_000_000, b -> b.touchMapped((long) kib << 10, 32, false).yield())
            .build();
        for (int i = 0; i < n; i++) k.spawn(p);
        k.runMillis(20);                                   // warm up: first faults, caches filled
        CounterSnapshot before = k.counters().snapshot();
        k.runMillis(100);
        CounterSnapshot d = k.counters().snapshot().minus(before);
        long switches = d.total(Counter.CONTEXT_SWITCH);
        long cycles = d.total(Counter.SWITCH_DIRECT_CYCLES) + d.total(Counter.SWITCH_REFILL_CYCLES);
        return switches == 0 ? Double.NaN : cpu.nsFromCycles(cycles / switches) / 1000.0;
    }

    /** The table: rows are process counts, columns working-set sizes. */
    public static String table(KernelVersion v, CpuModel cpu) {
        int[] sizes = {0, 4, 16, 64};
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("lat_ctx on a simulated %s, Linux %s: microseconds per switch%n", cpu.name(), v.release()));
        sb.append("procs");
        for (int s : sizes) sb.append(String.format("%9s", s + "K"));
        sb.append('\n');
        for (int n : new int[] {2, 4, 8, 16, 20}) {
            sb.append(String.format("%5d", n));
            for (int s : sizes) sb.append(String.format("%9.2f", switchMicros(v, cpu, n, s)));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Prints the table for 2.4 on a Pentium Pro-200. */
    public static void main(String[] args) {
        System.out.print(table(KernelVersion.LINUX_2_4, CpuModel.PENTIUM_PRO_200));
    }
}
