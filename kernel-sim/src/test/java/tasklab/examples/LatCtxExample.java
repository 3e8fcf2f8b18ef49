package tasklab.examples;

import java.util.List;
import java.util.Locale;
import tasklab.kernel.KernelVersion;
import tasklab.kernel.LmbenchLatCtx;
import tasklab.machine.CpuModel;

/**
 * lmbench's lat_ctx, simulated the lmbench 1.x way ({@link LmbenchLatCtx}): a ring of N processes passes a
 * token through pipes, each summing its K KiB array on the way; the time per hop minus the same
 * pipe read / sum / write done in one process is the context-switch time. README.md shows the table
 * this prints (checked by a test), beside the 1995 Linux i686 figures.
 */
public final class LatCtxExample {
    private LatCtxExample() {}

    static final int[] PROCS = {2, 4, 8, 16};
    static final int[] SIZES = {0, 16, 32, 64};

    /** The table for one version and CPU: rows are process counts, columns array sizes, then the overheads. */
    public static String table(KernelVersion v, CpuModel cpu) {
        List<LmbenchLatCtx.Point> pts = LmbenchLatCtx.measure(v, cpu, PROCS, SIZES);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "lat_ctx on a simulated %s, Linux %s: microseconds per switch%n", cpu.name(), v.release()));
        sb.append("procs   ");
        for (int s : SIZES) sb.append(String.format(Locale.ROOT, "%9s", s + "K"));
        sb.append('\n');
        for (int i = 0; i < PROCS.length; i++) {
            sb.append(String.format(Locale.ROOT, "%5d   ", PROCS[i]));
            for (int j = 0; j < SIZES.length; j++) sb.append(String.format(Locale.ROOT, "%9.2f", pts.get(i * SIZES.length + j).switchUs()));
            sb.append('\n');
        }
        sb.append("overhead");
        for (int j = 0; j < SIZES.length; j++) sb.append(String.format(Locale.ROOT, "%9.2f", pts.get(j).overheadUs()));
        sb.append('\n');
        sb.append(String.format(Locale.ROOT, "lmbench 1995, Linux i686: 2p/0K 6, 2p/32K 22, 8p/0K 7, 8p/32K 107; simulated %.1f, %.1f, %.1f, %.1f%n",
            at(pts, 2, 0), at(pts, 2, 32), at(pts, 8, 0), at(pts, 8, 32)));
        return sb.toString();
    }

    private static double at(List<LmbenchLatCtx.Point> pts, int procs, int kib) {
        for (LmbenchLatCtx.Point p : pts) if (p.procs() == procs && p.kib() == kib) return p.switchUs();
        throw new IllegalArgumentException("no point " + procs + "p/" + kib + "K");
    }

    /** The README's machine: the Pentium Pro at 167 MHz of lmbench's 1996 paper, Linux 2.4. */
    public static String readmeTable() {
        return table(KernelVersion.LINUX_2_4, CpuModel.PENTIUM_PRO_200.withMhz(167));
    }

    /** Prints the README's table. */
    public static void main(String[] args) {
        System.out.print(readmeTable());
    }
}
