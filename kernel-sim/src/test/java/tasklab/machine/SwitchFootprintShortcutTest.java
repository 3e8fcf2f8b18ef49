package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The switch footprint's all-hit shortcut ({@link Cpu#kernelLargeHits4}) is host time only: a CPU that
 * takes it whenever it applies stays identical (cycles, walks, dTLB and L1 / L2 counts, later LRU
 * choices) to one that makes the four kernel reads one by one, through flushes, INVLPG and evictions.
 */
class SwitchFootprintShortcutTest {
    private static final int TOP = 8192 - 32;

    private record Rig(PhysMem mem, Cpu cpu) { }

    private static Rig rig(CpuModel model, boolean pge) {
        PhysMem mem = new PhysMem(64L << 20);
        Cpu cpu = new Cpu(0, model, pge);
        int pgdPfn = mem.allocPageTable();
        int[] pgd = mem.table(pgdPfn);
        for (int t = 0; t < 16; t++) pgd[Pte.USER_PTRS_PER_PGD + t] = (t << Pte.PGDIR_SHIFT) | Pte.KERNEL_LARGE | Pte.GLOBAL;
        cpu.setPseEnabled(true);
        cpu.loadCr3(pgdPfn);
        return new Rig(mem, cpu);
    }

    /** One read the slow way, as Sched does without the shortcut; returns the next hint. */
    private static int read(Rig r, long pa, int hint) {
        Mmu.kernelLargeRead(r.cpu, r.mem, (int) (Pte.PAGE_OFFSET + pa));
        return r.cpu.memoryAccessHinted(pa, hint);
    }

    @Test
    void R15_theFootprintShortcutLeavesTheMachineAsTheFourReadsDo() {
        for (CpuModel m : new CpuModel[] {CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_100, CpuModel.PENTIUM_4_2000}) {
            for (boolean pge : new boolean[] {true, false}) {
                Rig a = rig(m, pge), b = rig(m, pge);
                SplittableRandom rnd = new SplittableRandom(15);
                long[] stack = new long[6];
                for (int i = 0; i < stack.length; i++) stack[i] = (long) (1 + rnd.nextInt(60 * 128)) * 8192;   // order-1 blocks in 4..64 MiB
                stack[0] = (4L << 20) - 8192;                                                               // the last block of a 4 MiB page
                int[][] hintA = new int[stack.length][2], hintB = new int[stack.length][2];
                for (int[] h : hintA) java.util.Arrays.fill(h, -1);
                for (int[] h : hintB) java.util.Arrays.fill(h, -1);
                int shortcuts = 0;
                for (int step = 0; step < 100_000; step++) {
                    int what = rnd.nextInt(20);
                    if (what < 12) {
                        int p = rnd.nextInt(stack.length), n = rnd.nextInt(stack.length);
                        if (p == n) continue;
                        hintA[p][0] = read(a, stack[p], hintA[p][0]);
                        hintA[p][1] = read(a, stack[p] + TOP, hintA[p][1]);
                        hintA[n][0] = read(a, stack[n], hintA[n][0]);
                        hintA[n][1] = read(a, stack[n] + TOP, hintA[n][1]);
                        if (b.cpu.kernelLargeHits4((int) (Pte.PAGE_OFFSET + stack[p]), (int) (Pte.PAGE_OFFSET + stack[n]),
                                stack[p], stack[p] + TOP, stack[n], stack[n] + TOP, hintB[p][0], hintB[p][1], hintB[n][0], hintB[n][1])) {
                            shortcuts++;
                        } else {
                            hintB[p][0] = read(b, stack[p], hintB[p][0]);
                            hintB[p][1] = read(b, stack[p] + TOP, hintB[p][1]);
                            hintB[n][0] = read(b, stack[n], hintB[n][0]);
                            hintB[n][1] = read(b, stack[n] + TOP, hintB[n][1]);
                        }
                    } else if (what < 18) {
                        long pa = (long) rnd.nextInt(16 << 20) * 4;                 // user data: evicts stack lines now and then
                        assertEquals(a.cpu.memoryAccess(pa), b.cpu.memoryAccess(pa));
                    } else if (what == 18) {
                        a.cpu.loadCr3(a.cpu.cr3());                                 // a CR3 load (large entries survive only with PGE)
                        b.cpu.loadCr3(b.cpu.cr3());
                    } else {
                        int va = Pte.PAGE_OFFSET + rnd.nextInt(64 << 20);           // INVLPG in the direct map
                        a.cpu.flushTlbOne(va);
                        b.cpu.flushTlbOne(va);
                    }
                    String at = m.name() + " pge=" + pge + " step " + step;
                    assertEquals(a.cpu.cycles(), b.cpu.cycles(), at + ": cycles");
                    assertEquals(a.cpu.pageWalks(), b.cpu.pageWalks(), at + ": walks");
                    assertEquals(a.cpu.dtlb().hits(), b.cpu.dtlb().hits(), at + ": dTLB hits");
                    assertEquals(a.cpu.dtlb().misses(), b.cpu.dtlb().misses(), at + ": dTLB misses");
                    assertEquals(a.cpu.l1d().hits(), b.cpu.l1d().hits(), at + ": L1 hits");
                    assertEquals(a.cpu.l1d().evictions(), b.cpu.l1d().evictions(), at + ": L1 evictions");
                    assertEquals(a.cpu.l2().misses(), b.cpu.l2().misses(), at + ": L2 misses");
                }
                assertTrue(shortcuts > 1000 && shortcuts < 60_000, m.name() + " pge=" + pge + ": both ways were taken (" + shortcuts + " shortcuts)");
            }
        }
    }
}
