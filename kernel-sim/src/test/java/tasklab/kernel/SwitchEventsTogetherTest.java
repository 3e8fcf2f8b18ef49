package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A context switch records its three events (the previous switch's switch_cost, the CR3 load's
 * tlb_flush, sched_switch) in one call at its end when nothing in between can record an event
 * ({@code Trace.switchEvents}). That is host time only: the trace is the one a kernel gets by
 * recording each event where it happens, through yields, kernel threads (prev without an mm, where
 * R7.6 / R7.6a's mmdrop runs inside the switch), exec, exit and reaping (R7.6a's put_task_struct of a
 * TASK_DEAD prev inside the switch), migrations, lazy TLB off, one and two CPUs, an unbounded trace and
 * a ring that wraps.
 */
class SwitchEventsTogetherTest {
    private record Pair(Kernel together, Kernel oneByOne) { }

    @Test
    void R7_6_R7_6a_aSwitchsEventsRecordedTogetherGiveTheTraceOfRecordingEachWhereItHappens() {
        int together = 0;
        for (KernelVersion v : KernelVersion.values()) {
            for (int cpus : new int[] {1, 2}) {
                for (boolean lazy : new boolean[] {true, false}) {
                    for (int ring : new int[] {0, 37}) {
                        KernelConfig c = KernelConfig.of(v).withCpus(cpus).withLazyTlb(lazy);
                        String what = v + " x" + cpus + (lazy ? "" : " lazy TLB off") + (ring == 0 ? " unbounded" : " ring " + ring);
                        together += run(c, ring, what);
                    }
                }
            }
        }
        assertTrue(together > 1000, "sched_switch events kept: " + together);
    }

    /** A random workload on both kernels; returns the sched_switch events its trace keeps. */
    private static int run(KernelConfig c, int ring, String what) {
        Kernel a = Kernel.boot(c), b = Kernel.boot(c);
        b.sched().switchEventsTogether = false;
        Pair p = new Pair(a, b);
        for (Kernel k : List.of(a, b)) {
            k.trace().setCapacity(ring);
            k.trace().setEnabled(true);
        }
        SplittableRandom rnd = new SplittableRandom(3);
        List<Integer> pids = new ArrayList<>();
        for (int i = 0; i < 3; i++) pids.add(same(p.together.fork(1), p.oneByOne.fork(1), what + ": fork"));
        int kthreads = 0;
        for (int step = 0; step < 1500; step++) {
            int op = rnd.nextInt(100);
            int pid = pids.get(rnd.nextInt(pids.size()));
            String at = what + " step " + step + " op " + op;
            if (op < 70) {
                same(p.together.schedYield(pid), p.oneByOne.schedYield(pid), at + ": sched_yield");
            } else if (op < 78) {
                same(p.together.execve(pid, "/bin/sh"), p.oneByOne.execve(pid, "/bin/sh"), at + ": execve");
            } else if (op < 84 && pids.size() > 2) {
                same(p.together.exit(pid, 0), p.oneByOne.exit(pid, 0), at + ": exit");
                pids.remove(Integer.valueOf(pid));
                same(p.together.wait4(1, -1, Wait.WNOHANG), p.oneByOne.wait4(1, -1, Wait.WNOHANG), at + ": wait4");
            } else if (op < 92 && pids.size() < 6) {
                pids.add(same(p.together.fork(pid), p.oneByOne.fork(pid), at + ": fork"));
            } else if (op < 96 && kthreads < 4) {
                KernelThreadFn spin = (kk, self) -> KernelThreadFn.RUN;    // stays runnable: switches from a task without an mm
                same(p.together.kernelThread(1, "spin" + kthreads, spin, 0), p.oneByOne.kernelThread(1, "spin" + kthreads, spin, 0), at + ": kernel_thread");
                kthreads++;
            } else if (c.nrCpus() > 1) {
                int mask = 1 + rnd.nextInt(3);
                same(p.together.schedSetaffinity(pid, pid, mask), p.oneByOne.schedSetaffinity(pid, pid, mask), at + ": affinity");
            }
            assertEquals(p.oneByOne.trace().recorded(), p.together.trace().recorded(), at + ": events recorded");
            if (step % 100 == 0) assertEquals(p.oneByOne.trace().toText(), p.together.trace().toText(), at + ": trace");
        }
        assertEquals(p.oneByOne.trace().toText(), p.together.trace().toText(), what + ": trace at the end");
        assertEquals(p.oneByOne.trace().dropped(), p.together.trace().dropped(), what + ": dropped");
        return (int) p.together.trace().events().stream().filter(e -> e.name().equals("sched_switch")).count();
    }

    private static int same(int together, int oneByOne, String what) {
        assertEquals(oneByOne, together, what);
        return together;
    }
}
