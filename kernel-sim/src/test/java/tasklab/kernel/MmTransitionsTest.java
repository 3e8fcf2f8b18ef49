package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;
import static tasklab.kernel.CloneFlags.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.machine.Pte;
import tasklab.mm.MmCore;
import tasklab.mm.MmStruct;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;

/** The mm_users / mm_count transition table of LINUX-SPEC §12, rows T1-T4 and T10-T12 (fork and exec). */
class MmTransitionsTest {
    private static CounterSnapshot snap(Kernel k) { return k.counters().snapshot(); }
    private static long delta(Kernel k, CounterSnapshot before, Counter c) { return snap(k).minus(before).total(c); }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T1_mmAllocForAForkCopyStartsAt1And1WithAFreshPgd(KernelVersion v) {
        Kernel k = Boots.up(v);
        MmStruct parent = k.task(1).mm();
        int listed = k.mm().mmlistNr();
        int c = k.fork(1);
        MmStruct mm = k.task(c).mm();
        assertEquals(1, mm.mmUsers());
        assertEquals(1, mm.mmCount());
        assertNotEquals(parent.pgd(), mm.pgd());
        assertEquals(listed + 1, k.mm().mmlistNr(), "mmlist_nr++");
        int[] swapper = k.machine().mem().table(MmCore.SWAPPER_PG_DIR_PFN);
        int[] pgd = k.machine().mem().table(mm.pgd());
        for (int i = Pte.USER_PTRS_PER_PGD; i < 1024; i++) assertEquals(swapper[i], pgd[i], "kernel slot " + i);
        assertEquals(k.mm().pageTables.userPageTables(parent), k.mm().pageTables.userPageTables(mm),
            "user slots: a page table wherever the parent had ptes");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T1_mmAllocForAnExecNewMmStartsAt1And1(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        int t = k.clone(p, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD);
        assertEquals(0, k.execve(t, "/bin/true"));
        MmStruct mm = k.task(v.is24() ? t : p).mm();
        assertEquals(1, mm.mmUsers());
        assertEquals(1, mm.mmCount());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T2_cloneVmAddsAUserAndLeavesMmCount(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        MmStruct m = k.task(p).mm();
        int a = k.clone(p, CLONE_VM | SIGCHLD);
        assertEquals(2, m.mmUsers());
        assertEquals(1, m.mmCount());
        int b = k.clone(a, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD);
        assertEquals(3, m.mmUsers());
        assertEquals(1, m.mmCount());
        assertSame(m, k.task(a).mm());
        assertSame(m, k.task(a).activeMm());
        assertSame(m, k.task(b).mm());
        assertSame(m, k.task(b).activeMm());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T3_aKernelThreadCallerChangesNoMmWhateverTheFlags(KernelVersion v) {
        Kernel k = Boots.up(v);
        MmStruct init = k.task(1).mm();
        assertEquals(1, k.wakeUpProcess(3));
        int listed = k.mm().mmlistNr();
        for (int flags : new int[] {CLONE_VM | SIGCHLD, CLONE_FS | CLONE_FILES | SIGCHLD}) {
            int c = k.clone(3, flags);
            assertTrue(c > 0);
            Task child = k.task(c);
            assertNull(child.mm());
            if (!child.onCpu()) assertNull(child.activeMm());
            assertEquals(1, init.mmUsers());
        }
        assertEquals(listed, k.mm().mmlistNr(), "no mm allocated");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T4_forkWithoutCloneVmLeavesMAndMakesM1And1WithOneFlush(KernelVersion v) {
        Kernel k = Boots.up(v);
        MmStruct m = k.task(1).mm();
        CounterSnapshot before = snap(k);
        int c = k.fork(1);
        MmStruct m2 = k.task(c).mm();
        assertNotSame(m, m2);
        assertEquals(1, m.mmUsers());
        assertEquals(1, m.mmCount());
        assertEquals(1, m2.mmUsers());
        assertEquals(1, m2.mmCount());
        assertEquals(1, delta(k, before, Counter.FLUSH_TLB_MM));
    }

    @Test
    void T10_24_execWithOneUserKeepsTheMmAndItsCounts() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int c = k.fork(1);
        k.sched.runAs(k.task(c));
        MmStruct m = k.task(c).mm();
        CounterSnapshot before = snap(k);
        assertEquals(0, k.execve(c, "/bin/true"));
        assertSame(m, k.task(c).mm());
        assertEquals(1, m.mmUsers());
        assertEquals(1, m.mmCount());
        assertEquals(0, delta(k, before, Counter.CR3_SWITCH));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T11_execWithSharedMmDropsAUserAndLoadsCr3Once(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        int s = k.clone(p, CLONE_VM | SIGCHLD);
        MmStruct m = k.task(p).mm();
        k.sched.runAs(k.task(s));
        CounterSnapshot before = snap(k);
        assertEquals(0, k.execve(s, "/bin/true"));
        MmStruct nu = k.task(s).mm();
        assertNotSame(m, nu);
        assertEquals(1, m.mmUsers());
        assertEquals(1, m.mmCount());
        assertEquals(1, nu.mmUsers());
        assertEquals(1, nu.mmCount());
        assertEquals(1, delta(k, before, Counter.CR3_SWITCH));
    }

    @Test
    void T11_26_execWithOneUserStillTakesANewMm() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int c = k.fork(1);
        MmStruct m = k.task(c).mm();
        assertEquals(0, k.execve(c, "/bin/true"));
        assertNotSame(m, k.task(c).mm());
        assertTrue(m.freed());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void T12_execByAKernelThreadDropsItsBorrowedMm(KernelVersion v) {
        Kernel k = Boots.up(v);
        MmStruct init = k.task(1).mm();
        assertEquals(1, k.wakeUpProcess(3));
        k.sched.runAs(k.task(3));
        Task kt = k.task(3);
        assertNull(kt.mm());
        assertSame(init, kt.activeMm());
        assertEquals(2, init.mmCount(), "the running kernel thread borrows init's mm");
        CounterSnapshot before = snap(k);
        assertEquals(0, k.execve(3, "/bin/true"));
        MmStruct nu = kt.mm();
        assertNotNull(nu);
        assertSame(nu, kt.activeMm());
        assertEquals(1, nu.mmUsers());
        assertEquals(1, nu.mmCount());
        assertEquals(1, init.mmUsers());
        assertEquals(1, init.mmCount(), "mmdrop(active_mm)");
        assertEquals(1, delta(k, before, Counter.CR3_SWITCH), "activate_mm");
        assertEquals(3, kt.tgid());
    }
}
