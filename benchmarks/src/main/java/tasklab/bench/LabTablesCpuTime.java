package tasklab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;
import tasklab.kernel.KernelVersion;
import tech.tablesaw.api.Table;

/**
 * {@link LabTablesBench}'s tables timed by the calling thread's CPU time beside the wall time, on
 * the same state: on a machine shared with other work the wall time mostly measures the wait for
 * a core, while the thread's CPU time still compares two builds. Prints every call (the first is
 * the cold one a notebook cell sees), then the mean and standard deviation of the calls after the
 * first two.
 *
 * <pre>
 *   java -Xms3g -Xmx3g -cp benchmarks/target/benchmarks.jar tasklab.bench.LabTablesCpuTime TABLE [CALLS] [VERSION]
 *   TABLE = ps | pagemap | switches | trace; CALLS default 8; VERSION = LINUX_2_4 (default) | LINUX_2_6
 * </pre>
 */
public final class LabTablesCpuTime {
    private LabTablesCpuTime() {}

    public static void main(String[] args) {
        if (args.length < 1) throw new IllegalArgumentException("usage: LabTablesCpuTime ps|pagemap|switches|trace [CALLS] [LINUX_2_4|LINUX_2_6]");
        String table = args[0];
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        KernelVersion version = args.length > 2 ? KernelVersion.valueOf(args[2]) : KernelVersion.LINUX_2_4;
        Supplier<Table> call;
        if (table.equals("switches") || table.equals("trace")) {
            LabTablesBench.Traced s = new LabTablesBench.Traced();
            s.version = version;
            s.events = 1_000_000;
            s.build();
            call = table.equals("trace") ? s.sim::trace : s.sim::switches;
        } else if (table.equals("ps") || table.equals("pagemap")) {
            LabTablesBench.Tasks s = new LabTablesBench.Tasks();
            s.version = version;
            s.tasks = 10_000;
            s.build();
            call = table.equals("ps") ? s.sim::ps : () -> s.sim.pagemap(s.all);
        } else {
            throw new IllegalArgumentException("no table " + table + "; ps, pagemap, switches or trace");
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] wall = new double[calls], cpu = new double[calls];
        for (int i = 0; i < calls; i++) {
            long c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            Table t = call.get();
            wall[i] = (System.nanoTime() - w0) / 1e6;
            cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            System.out.printf("%s %s call %d: %.0f ms wall, %.0f ms cpu, %d rows%n", table, version, i + 1, wall[i], cpu[i], t.rowCount());
        }
        if (calls > 3) {
            System.out.printf("%s %s calls 3-%d: wall %s ms, cpu %s ms%n", table, version, calls,
                meanSd(Arrays.copyOfRange(wall, 2, calls)), meanSd(Arrays.copyOfRange(cpu, 2, calls)));
        }
    }

    private static String meanSd(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        return String.format("%.0f ± %.0f", mean, Math.sqrt(var));
    }
}
