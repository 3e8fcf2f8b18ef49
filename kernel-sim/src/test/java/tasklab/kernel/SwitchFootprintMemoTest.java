package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tasklab.machine.Cpu;
import tasklab.machine.CpuModel;
import tasklab.mm.VmFlags;

/**
 * The switch footprint's steady-state check (a task's stack lines and 4 MiB dTLB entry known to be
 * where they were, by the CPU's {@link Cpu#footprintStamp}) is host time only: a kernel that uses it
 * stays identical, step by step, to one that checks every line each time (cycles, dTLB, L1 and L2
 * counts, LRU ticks, the system calls' results), through user writes that evict stack lines, forks and exits,
 * migrations, CR3 loads with and without PGE, caches switched off and on, and PSE off.
 */
class SwitchFootprintMemoTest {
    private static final long PAGES = 64;

    private record Pair(Kernel memo, Kernel plain) { }

    private static Pair pair(KernelConfig c) {
        Kernel a = Kernel.boot(c), b = Kernel.boot(c);
        b.sched().footprintMemo = false;
        return new Pair(a, b);
    }

    @Test
    void R15_theFootprintMemoLeavesTheKernelAsCheckingEveryLineDoes() {
        CpuModel[] models = {CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_100, CpuModel.PENTIUM_4_2000, CpuModel.PENTIUM_PRO_200.withPse(false)};
        int memoSwitches = 0;
        for (KernelVersion v : KernelVersion.values()) {
            for (CpuModel m : models) {
                for (int cpus : new int[] {1, 2}) {
                    String what = v + " " + m.name() + " x" + cpus;
                    memoSwitches += run(pair(KernelConfig.of(v).withCpu(m).withCpus(cpus).withInitcallThreads(false)), what);
                }
            }
        }
        assertTrue(memoSwitches > 1000, "the steady-state check was used (" + memoSwitches + " switches)");
    }

    /** A random workload on both kernels; returns how many yields found both stamps current on the memo kernel. */
    private static int run(Pair p, String what) {
        SplittableRandom rnd = new SplittableRandom(15);
        List<Integer> pids = new ArrayList<>();
        List<Long> maps = new ArrayList<>();
        for (int i = 0; i < 2; i++) spawn(p, 1, pids, maps);
        assertEquals(p.memo.wait4(1, -1, 0), p.plain.wait4(1, -1, 0), "init waits");   // two runnable tasks: hand-offs between them
        // 6 MiB of user pages first: the stacks of tasks forked later lie in another 4 MiB page (another dTLB entry)
        int prot = VmFlags.PROT_READ | VmFlags.PROT_WRITE, flags = VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS;
        long fill = p.memo.mmap(pids.get(0), 0, 1536L * 4096, prot, flags);
        assertEquals(fill, p.plain.mmap(pids.get(0), 0, 1536L * 4096, prot, flags), "mmap");
        for (int page = 0; page < 1536; page++) {
            assertEquals(p.memo.writeByte(pids.get(0), fill + page * 4096L, 1), p.plain.writeByte(pids.get(0), fill + page * 4096L, 1), "fill");
        }
        int memo = 0;
        for (int step = 0; step < 3000; step++) {
            int op = rnd.nextInt(100);
            int i = rnd.nextInt(pids.size());
            int pid = pids.get(i);
            String at = what + " step " + step + " op " + op;
            if (op < 80) {                  // a burst of hand-offs between two tasks (three and more share L1 sets)
                int j = rnd.nextInt(pids.size());
                for (int n = rnd.nextInt(8); n >= 0; n--) {
                    int qi = n % 2 == 0 ? i : j;
                    int q = pids.get(qi);
                    Task t = p.memo.task(q);
                    if (t.onCpu && stampCurrent(p.memo, t)) memo++;
                    assertEquals(p.memo.schedYield(q), p.plain.schedYield(q), at + ": sched_yield");
                    same(p, at + " burst " + n);
                    if (rnd.nextInt(4) == 0) {      // a user access between hand-offs: L1 and dTLB lookups amid the switches' hits
                        long va = maps.get(qi) + (long) rnd.nextInt((int) PAGES) * 4096;
                        assertEquals(p.memo.writeByte(q, va, n), p.plain.writeByte(q, va, n), at + ": write in burst");
                    }
                }
            } else if (op < 90) {
                long va = maps.get(i) + (long) rnd.nextInt((int) PAGES) * 4096 + rnd.nextInt(4096);
                assertEquals(p.memo.writeByte(pid, va, op), p.plain.writeByte(pid, va, op), at + ": write");
            } else if (op < 94) {
                int mask = 1 + rnd.nextInt(3);
                assertEquals(p.memo.schedSetaffinity(pid, pid, mask), p.plain.schedSetaffinity(pid, pid, mask), at + ": affinity");
            } else if (op < 97 && pids.size() > 2) {
                assertEquals(p.memo.exit(pid, 0), p.plain.exit(pid, 0), at + ": exit");
                pids.remove(i);
                maps.remove(i);
            } else if (op < 99 && pids.size() < 6) {
                spawn(p, pid, pids, maps);
            } else {
                boolean on = rnd.nextBoolean();
                p.memo.machine().setCachesEnabled(on);
                p.plain.machine().setCachesEnabled(on);
            }
            same(p, at);
            sameLru(p, at);     // once per step: within a burst the memo kernel's hits stay pending
        }
        return memo;
    }

    /** Whether the memo kernel's check would pass for t against whichever task it switches to: t's own stamp is current. */
    private static boolean stampCurrent(Kernel k, Task t) {
        Cpu c = k.machine().cpu(t.processor);
        return t.footStamp == c.footprintStamp();
    }

    private static void spawn(Pair p, int parent, List<Integer> pids, List<Long> maps) {
        int a = p.memo.fork(parent), b = p.plain.fork(parent);
        assertEquals(a, b, "fork");
        assertTrue(a > 0, "fork: " + a);
        int prot = VmFlags.PROT_READ | VmFlags.PROT_WRITE, flags = VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS;
        long va = p.memo.mmap(a, 0, PAGES * 4096, prot, flags);
        assertEquals(va, p.plain.mmap(a, 0, PAGES * 4096, prot, flags), "mmap");
        pids.add(a);
        maps.add(va);
    }

    /** The replacement state (LRU ticks) of each dTLB and L1d: the same victims from here on. */
    private static void sameLru(Pair p, String at) {
        for (int c = 0; c < p.memo.machine().nrCpus(); c++) {
            Cpu a = p.memo.machine().cpu(c), b = p.plain.machine().cpu(c);
            assertEquals(b.dtlb().lruDigest(), a.dtlb().lruDigest(), at + " cpu" + c + ": dTLB LRU");
            if (a.l1d() != null) assertEquals(b.l1d().lruDigest(), a.l1d().lruDigest(), at + " cpu" + c + ": L1 LRU");
        }
    }

    private static void same(Pair p, String at) {
        for (int c = 0; c < p.memo.machine().nrCpus(); c++) {
            Cpu a = p.memo.machine().cpu(c), b = p.plain.machine().cpu(c);
            String where = at + " cpu" + c;
            assertEquals(b.cycles(), a.cycles(), where + ": cycles");
            assertEquals(b.dtlb().hits(), a.dtlb().hits(), where + ": dTLB hits");
            assertEquals(b.dtlb().misses(), a.dtlb().misses(), where + ": dTLB misses");
            assertEquals(b.pageWalks(), a.pageWalks(), where + ": walks");
            assertEquals(b.l1d() == null, a.l1d() == null, where + ": caches on");
            if (a.l1d() != null) {
                assertEquals(b.l1d().hits(), a.l1d().hits(), where + ": L1 hits");
                assertEquals(b.l1d().evictions(), a.l1d().evictions(), where + ": L1 evictions");
                assertEquals(b.l2().misses(), a.l2().misses(), where + ": L2 misses");
            }
        }
    }
}
