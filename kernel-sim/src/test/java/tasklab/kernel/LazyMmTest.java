package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.mm.MmStruct;
import tasklab.trace.Counter;
import tasklab.trace.Event;

/** The mm / active_mm block of the context switch and the lazy-TLB reference rows T5-T9, T13 (§7.2, §12). */
class LazyMmTest {
    /** Switches CPU 0 from init to keventd / kthreadd (a kernel thread) by making it runnable and yielding. */
    private static Task switchToKernelThread(Kernel k) {
        Task kt = k.task(2);
        k.wakeUpProcess(2);
        k.schedYield(1);
        assertSame(kt, k.current(0), "the kernel thread runs");
        return kt;
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T5_T6_aKernelThreadBorrowsTheMmAndGivesItBack(KernelVersion v) {
        Kernel k = Boots.up(v);
        MmStruct initMm = k.task(1).mm();
        assertEquals(1, initMm.mmCount());
        long cr3 = k.counters().total(Counter.CR3_SWITCH);
        Task kt = switchToKernelThread(k);
        assertSame(initMm, kt.activeMm(), "next->active_mm = oldmm");
        assertEquals(2, initMm.mmCount(), "T5: mm_count + 1 while borrowed");
        assertEquals(1, initMm.mmUsers());
        assertEquals(cr3, k.counters().total(Counter.CR3_SWITCH), "a lazy switch loads no CR3");
        Event.SchedSwitch sw = lastSwitch(k);
        assertTrue(sw.lazy());
        assertFalse(sw.cr3());
        k.runKernelThreads(10);                        // it sleeps again: switch back to init
        assertSame(k.task(1), k.current(0));
        assertNull(kt.activeMm(), "T6: prev->active_mm = NULL");
        assertEquals(1, initMm.mmCount(), "T6: mmdrop");
        assertEquals(cr3, k.counters().total(Counter.CR3_SWITCH), "back to the same mm: still no CR3 load");
    }

    private static Event.SchedSwitch lastSwitch(Kernel k) {
        Event.SchedSwitch last = null;
        for (Event e : k.trace().events()) if (e instanceof Event.SchedSwitch s) last = s;
        return last;
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R7_8_contextSwitchCountersPerVersion(KernelVersion v) {
        Kernel k = Boots.up(v);
        long ctxt = k.counters().total(Counter.CONTEXT_SWITCH);
        long nivcsw = k.task(1).nivcsw();
        switchToKernelThread(k);
        assertEquals(ctxt + 1, k.counters().total(Counter.CONTEXT_SWITCH));
        if (v.is26()) assertEquals(nivcsw + 1, k.task(1).nivcsw(), "init yielded while runnable: involuntary");
        else assertEquals(0, k.task(1).nivcsw(), "2.4 has no per-task switch counts");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T7_T8_T9_exitOfTheLastUserFreesTheMm(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        MmStruct mm = k.task(c).mm();
        assertEquals(1, mm.mmUsers());
        assertEquals(1, mm.mmCount());
        k.exit(c, 0);
        assertEquals(0, mm.mmUsers());
        assertEquals(0, mm.mmCount(), "exit_mm's extra count was dropped when the zombie switched out");
        assertTrue(mm.freed());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T7_aThreadExitLeavesTheSharedMm(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        int t = k.clone(p, CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD | Signals.SIGCHLD);
        MmStruct mm = k.task(p).mm();
        assertEquals(2, mm.mmUsers(), "T2");
        assertEquals(1, mm.mmCount(), "CLONE_VM does not touch mm_count");
        k.exit(t, 0);
        assertEquals(1, mm.mmUsers());
        assertEquals(1, mm.mmCount());
        assertFalse(mm.freed());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void exitOnSmpLeavesTheDeadMmBorrowedUntilThatCpuSwitchesAway(KernelVersion v) {
        Kernel k = Boots.smp(v, 2);
        int p = k.fork(1);
        if (v.is26()) {                                // child-first keeps it on CPU 0: move it
            assertSame(k.task(p), k.current(0), "2.6: the child runs first, on the parent's CPU");
            assertEquals(0, k.schedSetaffinity(1, p, 0b10));
        }
        assertSame(k.task(p), k.current(1), "the child runs on CPU 1");
        MmStruct mm = k.task(p).mm();
        long leave = k.counters().total(Counter.CR3_LEAVE_MM);
        k.exit(p, 0);
        assertSame(k.idleTask(1), k.current(1));
        assertSame(mm, k.idleTask(1).activeMm(), "idle borrowed the exiting task's mm");
        assertEquals(0, mm.mmUsers());
        assertEquals(1, mm.mmCount(), "held by the lazy idle task alone");
        assertFalse(mm.freed(), "the pgd must outlive the lazy CPU");
        assertTrue(k.counters().total(Counter.CR3_LEAVE_MM) > leave, "exit_mmap's flush made the lazy CPU leave_mm");
        assertEquals(tasklab.mm.MmCore.SWAPPER_PG_DIR_PFN, k.machine().cpu(1).cr3());
        int q = k.fork(1);
        if (v.is26()) k.schedSetaffinity(1, q, 0b10);
        assertSame(k.task(q), k.current(1), "a new task on CPU 1: idle switches away");
        assertTrue(mm.freed(), "mmdrop at the switch frees it");
        assertEquals(0, mm.mmCount());
    }

    @Test
    void T13_linux24DaemonizeOfAThreadSharingAUserMm() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        MmStruct mm = k.task(1).mm();
        int pid = k.kernelThread(1, "modthread", KernelThreadFn.sleeper(), 0);
        assertEquals(2, mm.mmUsers());
        k.daemonize(pid, "modthread");
        Task kt = k.task(pid);
        assertEquals(1, mm.mmUsers(), "exit_mm: mm_users - 1");
        assertSame(mm, kt.activeMm(), "still running on it lazily");
        assertEquals(2, mm.mmCount(), "mm_count + 1 until it is switched out");
        k.runKernelThreads(10);
        assertNull(kt.activeMm());
        assertEquals(1, mm.mmCount(), "and - 1 after");
    }

    @Test
    void R7_6a_linux26DropsTheBorrowedMmInFinishTaskSwitch() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        MmStruct mm = k.task(1).mm();
        switchToKernelThread(k);
        assertEquals(2, mm.mmCount());
        k.runKernelThreads(10);
        assertEquals(1, mm.mmCount(), "the net counts after the switch equal 2.4's");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void whatIfLazyTlbOffGivesKernelThreadsARealSwitchMm(KernelVersion v) {
        Kernel k = Boots.of(KernelConfig.of(v).withLazyTlb(false));
        MmStruct mm = k.task(1).mm();
        long cr3 = k.counters().total(Counter.CR3_SWITCH);
        Task kt = switchToKernelThread(k);
        assertSame(k.mm().initMm(), kt.activeMm());
        assertEquals(1, mm.mmCount(), "nothing borrowed");
        assertEquals(cr3 + 1, k.counters().total(Counter.CR3_SWITCH), "a CR3 load into swapper_pg_dir");
        k.runKernelThreads(10);
        assertEquals(cr3 + 2, k.counters().total(Counter.CR3_SWITCH), "and another one back");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void procTablesShowCountersAndInterruptsPerCpu(KernelVersion v) {
        Kernel k = Boots.smp(v, 2);
        k.tick(0);
        k.tick(1);
        k.tick(1);
        var snap = k.counters().snapshot();
        String irq = snap.procInterrupts();
        assertTrue(irq.contains("CPU0") && irq.contains("CPU1"), irq);
        assertTrue(irq.lines().anyMatch(l -> l.startsWith("LOC:") && l.matches("LOC:\\s+1\\s+2\\s+Local timer interrupts")), irq);
        String vm = snap.procVmstat();
        assertTrue(vm.lines().anyMatch(l -> l.equals("ctxt " + snap.total(Counter.CONTEXT_SWITCH))), vm);
        assertTrue(vm.contains("tlb_full_local "));
    }
}
