package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;
import tasklab.mm.VmFlags;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;

/**
 * "Not a toy": the whole pid space live at once, and a fork of a 100,000-page process. The §13
 * checker is O(tasks + pages) per step, so these kernels check it once at the end, not after
 * every operation.
 */
class ScaleTest {
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_1_R4_2_everyPid1To32767CanBeLiveAtOnceThenForkIsEagain(KernelVersion v) {
        Kernel k = Kernel.boot(KernelConfig.of(v).withRam(2L << 30).withInitcallThreads(false));
        k.trace().setEnabled(false);
        assertEquals(32768, k.maxThreads(), "524288 frames / 16");
        assertEquals(2, k.pids().lastPid(), "init and keventd / kthreadd");
        long t0 = System.nanoTime();
        int forks = 0;
        int r;
        while ((r = k.fork(1)) > 0) {
            forks++;
            assertEquals(forks + 2, r, "pids are handed out in order");
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(v + ": " + forks + " forks in " + ms + " ms");
        assertEquals(Errno.EAGAIN.neg(), r, "get_pid / alloc_pidmap found no free value");
        assertEquals(32765, forks, "pids 3..32767");
        assertEquals(32767, k.nrThreads(), "every pid 1..32767 is a live task");
        assertTrue(k.nrThreads() < k.maxThreads(), "the pid space ran out before max_threads");
        for (int p = 1; p < PidMap.PID_MAX; p++) assertNotNull(k.task(p), "pid " + p);
        assertEquals(32767, k.pids().lastPid());
        assertEquals(Errno.EAGAIN.neg(), k.fork(1), "still full");
        k.checkInvariants("scale");
        // free one pid and the next fork finds exactly it, after a wrap
        assertEquals(0, k.exit(5000, 0));
        assertEquals(5000, k.wait4(1, 5000, 0));
        assertEquals(5000, k.fork(1));
        k.checkInvariants("scale");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_10_R5_11_forkOfAProcessWith100000TouchedPagesCopiesPtesOnlyWithOneFlush(KernelVersion v) {
        Kernel k = Kernel.boot(KernelConfig.of(v).withRam(1L << 30).withInitcallThreads(false));
        k.trace().setEnabled(false);
        int p = k.fork(1);
        final int pages = 100_000;
        long base = k.mmap(p, 0, (long) pages * Pte.PAGE_SIZE, VmFlags.PROT_READ | VmFlags.PROT_WRITE,
            VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS);
        assertTrue(base > 0, "mmap returned " + base);
        long t0 = System.nanoTime();
        for (int i = 0; i < pages; i++) assertEquals(0, k.writeByte(p, base + (long) i * Pte.PAGE_SIZE, 1 + (i & 0x7f)));
        long touchMs = (System.nanoTime() - t0) / 1_000_000;
        MmStruct pm = k.task(p).mm();
        long rss = pm.rss();
        assertTrue(rss >= pages + 1, "rss " + rss);
        int free = k.machine().mem().freeFrames();
        CounterSnapshot before = k.counters().snapshot();
        t0 = System.nanoTime();
        int c = k.fork(p);
        long forkMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(v + ": touch " + pages + " pages " + touchMs + " ms, fork " + forkMs + " ms");
        assertTrue(c > 0);
        MmStruct cm = k.task(c).mm();
        CounterSnapshot d = k.counters().snapshot().minus(before);
        assertEquals(1, d.total(Counter.FLUSH_TLB_MM), "one flush_tlb_mm for the whole copy");
        assertEquals(rss, cm.rss(), "every counted pte copied");
        int tables = k.mm().pageTables.userPageTables(pm);
        assertEquals(tables, k.mm().pageTables.userPageTables(cm));
        assertEquals(free - 2 - 1 - tables, k.machine().mem().freeFrames(),
            "the fork took a kernel stack pair, a pgd and the page tables, no data frames");
        for (int i = 0; i < pages; i += 997) {
            long va = base + (long) i * Pte.PAGE_SIZE;
            int pp = k.mm().pageTables.pte(pm, va), cp = k.mm().pageTables.pte(cm, va);
            assertEquals(0x065, Pte.flags(pp));
            assertEquals(0x045, Pte.flags(cp));
            assertEquals(2, k.machine().mem().count(Pte.pfn(pp)));
        }
        k.checkInvariants("scale");
        assertEquals(1 + (12345 & 0x7f), k.readByte(c, base + 12345L * Pte.PAGE_SIZE));
    }
}
