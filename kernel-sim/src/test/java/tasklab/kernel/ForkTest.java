package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;
import static tasklab.kernel.CloneFlags.*;

import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;
import tasklab.mm.VmFlags;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;
import tasklab.trace.Event;

/** fork / clone / vfork: validation, what the child shares, copy_mm, links, timeslices, wake-up (LINUX-SPEC §5). */
class ForkTest {
    static final int EAGAIN = Errno.EAGAIN.neg();
    static final int EINVAL = Errno.EINVAL.neg();
    static final int EPERM = Errno.EPERM.neg();
    static final int ENOMEM = Errno.ENOMEM.neg();
    static final int THREAD = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
    static final long DATA = 0x08050000L;            // /sbin/init: 8 text pages at 0x08048000, then data
    static final int PRW = VmFlags.PROT_READ | VmFlags.PROT_WRITE;
    static final int ANON = VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS;

    private static CounterSnapshot snap(Kernel k) { return k.counters().snapshot(); }
    private static long delta(Kernel k, CounterSnapshot before, Counter c) { return snap(k).minus(before).total(c); }
    private static int pte(Kernel k, MmStruct mm, long va) { return k.mm().pageTables.pte(mm, va); }

    // ---- flag words ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R1_1_sysForkPasses0x11AndSysVforkPasses0x4111(KernelVersion v) {
        assertEquals(0x11, CloneFlags.FORK);
        assertEquals(0x4111, CloneFlags.VFORK);
        Kernel k = Boots.up(v);
        int before = k.trace().size();
        int c = k.fork(1);
        int vc = k.vfork(c);
        List<Integer> flags = k.trace().events().subList(before, k.trace().size()).stream()
            .filter(e -> e instanceof Event.SchedProcessFork).map(e -> ((Event.SchedProcessFork) e).cloneFlags()).toList();
        assertEquals(List.of(0x11, 0x4111), flags);
        assertEquals(7, c);
        assertEquals(8, vc);
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R2_5_copyThreadPutsTheChildsPtRegsAtTheTopOfItsOwn8KStack(KernelVersion v) {
        Kernel k = Boots.up(v);
        Task child = k.task(k.fork(1));
        int top = child.stackBase() + Task.THREAD_SIZE;
        assertEquals(top - (v.is24() ? 60 : 72), child.esp(), "2.4: THREAD_SIZE - sizeof(pt_regs); 2.6: - 8 - sizeof(pt_regs)");
        assertEquals(child.stackBase(), Task.currentFromEsp(child.esp()), "current = esp & ~8191");
        assertEquals(0, child.stackBase() & (Task.THREAD_SIZE - 1), "order-1, 8 KiB aligned");
        assertNotEquals(k.task(1).stackBase(), child.stackBase());
    }

    // ---- validation ----

    @Test
    void R5_1_24_onlyNewnsWithFsIsEinvalAndClonePidIsEperm() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        assertEquals(EINVAL, k.clone(1, CLONE_NEWNS | CLONE_FS | SIGCHLD));
        assertEquals(EINVAL, k.clone(1, CLONE_NEWNS | CLONE_FS | CLONE_PID | SIGCHLD), "NEWNS|FS is checked before CLONE_PID");
        assertEquals(EPERM, k.clone(1, CLONE_PID | SIGCHLD), "only pid 0 may share its pid");
        assertEquals(7, k.clone(1, CLONE_THREAD | SIGCHLD), "2.4 does not require SIGHAND for THREAD");
        assertEquals(8, k.clone(1, CLONE_SIGHAND | SIGCHLD), "2.4 does not require VM for SIGHAND");
        assertEquals(1, k.task(7).tgid(), "the THREAD child joined init's group");
        assertNotSame(k.task(1).sighand(), k.task(7).sighand(), "without CLONE_SIGHAND it got its own table");
        assertSame(k.task(1).sighand(), k.task(8).sighand());
        assertNotSame(k.task(1).mm(), k.task(8).mm());
    }

    @Test
    void R5_2_26_threadNeedsSighandAndSighandNeedsVm() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int threads = k.nrThreads();
        assertEquals(EINVAL, k.clone(1, CLONE_THREAD | SIGCHLD));
        assertEquals(EINVAL, k.clone(1, CLONE_THREAD | CLONE_VM));
        assertEquals(EINVAL, k.clone(1, CLONE_SIGHAND | SIGCHLD));
        assertEquals(EINVAL, k.clone(1, CLONE_THREAD | CLONE_SIGHAND));
        assertEquals(EINVAL, k.clone(1, CLONE_NEWNS | CLONE_FS | CLONE_THREAD), "NEWNS|FS is checked first");
        assertEquals(threads, k.nrThreads());
        int t = k.clone(1, THREAD);
        assertTrue(t > 0);
        assertEquals(1, k.task(t).tgid());
    }

    @Test
    void R5_2_26_newnsWithFsIsEinvalEvenForNonRootAndNewnsAloneIsEperm() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int c = k.fork(1);
        assertEquals(0, k.setuid(c, 1000));
        assertEquals(EINVAL, k.clone(c, CLONE_NEWNS | CLONE_FS | SIGCHLD), "validation precedes the capability check");
        assertEquals(EPERM, k.clone(c, CLONE_NEWNS | SIGCHLD));
        assertEquals(EPERM, k.clone(c, CLONE_NEWUTS | SIGCHLD));
        assertEquals(EPERM, k.clone(c, CLONE_NEWIPC | SIGCHLD));
        assertTrue(k.clone(1, CLONE_NEWNS | SIGCHLD) > 0, "root may make a namespace");
    }

    @Test
    void R1_1_26_theClonePidBitIsUnknownAndIgnored() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int c = k.clone(1, CLONE_PID | SIGCHLD);
        assertEquals(7, c);
        assertEquals(7, k.task(c).tgid());
        assertEquals(1, k.getppid(c));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_1_rlimitNprocIsEagainForANonRootUserOnly(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(0, k.setuid(c, 1000));
        assertEquals(1, k.userProcesses(1000));
        assertEquals(0, k.setRlimitNproc(c, 2));
        int g = k.fork(c);
        assertTrue(g > 0);
        assertEquals(2, k.userProcesses(1000));
        assertEquals(EAGAIN, k.fork(c), "user->processes 2 >= RLIMIT_NPROC 2");
        assertEquals(EAGAIN, k.fork(g), "the limit is inherited");
        assertEquals(2, k.userProcesses(1000));
        assertEquals(0, k.setRlimitNproc(1, 0));
        assertTrue(k.fork(1) > 0, "root is exempt (CAP_SYS_ADMIN / CAP_SYS_RESOURCE)");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_1_maxThreadsIsEagainEvenForRoot(KernelVersion v) {
        Kernel k = Boots.up(v);
        k.setMaxThreads(k.nrThreads() + 1);
        assertEquals(7, k.fork(1));
        assertEquals(EAGAIN, k.fork(1), "nr_threads >= max_threads");
        assertEquals(EAGAIN, k.clone(1, THREAD));
        assertEquals(7, k.nrThreads());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_1_maxThreadsIsFramesOverSixteen(KernelVersion v) {
        Kernel k = Boots.of(KernelConfig.of(v).withRam(8L << 20));
        assertEquals(2048 / 16, k.maxThreads(), "fork_init: mempages / (THREAD_SIZE/PAGE_SIZE) / 8");
    }

    /** Writes fresh anonymous pages as {@code pid} until exactly {@code left} frames are free. */
    private static void eatFrames(Kernel k, int pid, int left) {
        long base = k.mmap(pid, 0x40000000L, 8L << 20, PRW, ANON | VmFlags.MAP_FIXED);
        assertEquals(0x40000000L, base);
        long a = base;
        while (k.machine().mem().freeFrames() > left) {
            assertEquals(0, k.writeByte(pid, a, 1));
            a += Pte.PAGE_SIZE;
        }
        assertEquals(left, k.machine().mem().freeFrames());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_1_enomemWhenNoFramesAreLeftForTheKernelStack(KernelVersion v) {
        Kernel k = Boots.of(KernelConfig.of(v).withRam(8L << 20));
        eatFrames(k, 1, 1);
        int last = k.pids().lastPid();
        int threads = k.nrThreads();
        CounterSnapshot before = snap(k);
        assertEquals(ENOMEM, k.fork(1), "alloc_task_struct / dup_task_struct");
        assertEquals(v.is24() ? last : last + 1, k.pids().lastPid(), "2.4 fails before get_pid; 2.6 after alloc_pid");
        assertEquals(threads, k.nrThreads());
        assertEquals(1, k.machine().mem().freeFrames());
        assertEquals(0, delta(k, before, Counter.FLUSH_TLB_MM), "copy_mm never ran");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_8_R5_10_enomemInCopyMmStillFlushesOnceAndUnwindsEverything(KernelVersion v) {
        Kernel k = Boots.of(KernelConfig.of(v).withRam(8L << 20));
        eatFrames(k, 1, 3);                  // the stack pair and the pgd fit, the first page table does not
        MmStruct mm = k.task(1).mm();
        int last = k.pids().lastPid();
        int threads = k.nrThreads();
        CounterSnapshot before = snap(k);
        assertEquals(ENOMEM, k.fork(1));
        assertEquals(last + 1, k.pids().lastPid(), "the failure came after pid allocation: one pid burned");
        assertEquals(2, delta(k, before, Counter.FLUSH_TLB_MM),
            "dup_mmap's flush_tlb_mm(oldmm) on failure too, and exit_mmap's of the dropped copy (mmput)");
        assertEquals(1, delta(k, before, Counter.TLB_FULL_LOCAL), "UP: only the parent's mm is active");
        assertEquals(threads, k.nrThreads());
        assertEquals(3, k.machine().mem().freeFrames(), "stack, pgd and partial copy all given back");
        assertEquals(1, mm.mmUsers());
        assertEquals(1, mm.mmCount());
        assertEquals(0x067, Pte.flags(pte(k, mm, 0x40000000L)), "the copy failed before touching the parent's pte");
    }

    // ---- what the child shares (R5.7) ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_7_eachSharingFlagRaisesThatRefcountByOneAndOtherwiseCopies(KernelVersion v) {
        Kernel k = Boots.up(v);
        Task init = k.task(1);
        int files = init.files().count(), fs = init.fs().count(), sig = init.sighand().count();
        MmStruct mm = init.mm();

        Task f = k.task(k.clone(1, CLONE_FILES | SIGCHLD));
        assertSame(init.files(), f.files());
        assertEquals(files + 1, init.files().count());
        assertNotSame(init.fs(), f.fs());
        assertEquals(1, f.fs().count());
        assertNotSame(init.sighand(), f.sighand());
        assertEquals(1, f.sighand().count());
        assertNotSame(mm, f.mm());

        Task s = k.task(k.clone(1, CLONE_FS | SIGCHLD));
        assertSame(init.fs(), s.fs());
        assertEquals(fs + 1, init.fs().count());
        assertEquals(1, s.files().count());

        Task h = k.task(k.clone(1, CLONE_VM | CLONE_SIGHAND | SIGCHLD));
        assertSame(init.sighand(), h.sighand());
        assertEquals(sig + 1, init.sighand().count());
        assertSame(mm, h.mm());
        assertSame(mm, h.activeMm());
        assertEquals(2, mm.mmUsers(), "CLONE_VM: mm_users + 1");
        assertEquals(1, mm.mmCount(), "CLONE_VM does not touch mm_count");

        assertEquals(files + 1, init.files().count());
        assertEquals(fs + 1, init.fs().count());
        assertEquals(sig + 1, init.sighand().count());
    }

    @Test
    void R5_7_26_cloneThreadSharesTheSignalStructCountAndLive() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        Task init = k.task(1);
        Shared signal = init.signal();
        assertEquals(1, signal.count());
        Task t = k.task(k.clone(1, THREAD));
        assertSame(signal, t.signal());
        assertEquals(2, signal.count());
        assertEquals(2, signal.live);
        Task c = k.task(k.fork(1));
        assertNotSame(signal, c.signal());
        assertEquals(1, c.signal().count());
    }

    // ---- copy_mm (R5.8) and flushes (R5.10) ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_8_aKernelThreadCallerGivesMmNullAndActiveMmNull(KernelVersion v) {
        Kernel k = Boots.up(v);
        MmStruct initMm = k.task(1).mm();
        assertEquals(1, k.wakeUpProcess(3));
        int c = k.kernelThread(3, "worker", KernelThreadFn.sleeper(), CLONE_FS | CLONE_FILES);
        Task kt = k.task(3);
        assertTrue(kt.onCpu(), "the kernel thread ran to call kernel_thread");
        assertNull(kt.mm());
        assertSame(initMm, kt.activeMm(), "it borrowed init's mm lazily");
        Task child = k.task(c);
        assertNull(child.mm());
        assertNull(child.activeMm(), "not running: no borrowed mm");
        assertEquals(1, initMm.mmUsers());
        assertEquals(2, initMm.mmCount(), "one user + the running lazy borrower; copy_mm changed nothing");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_8_forkByAKernelThreadWithoutCloneVmStillGivesNoMm(KernelVersion v) {
        Kernel k = Boots.up(v);
        assertEquals(1, k.wakeUpProcess(3));
        CounterSnapshot before = snap(k);
        int mms = k.mm().mmlistNr();
        int c = k.fork(3);
        Task child = k.task(c);
        assertNull(child.mm());
        if (!child.onCpu()) assertNull(child.activeMm());
        assertEquals(mms, k.mm().mmlistNr(), "no mm was allocated");
        assertEquals(0, delta(k, before, Counter.FLUSH_TLB_MM), "copy_mm returned before dup_mmap");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_10_exactlyOneFlushTlbMmPerForkWithoutCloneVm(KernelVersion v) {
        Kernel k = Boots.up(v);
        CounterSnapshot before = snap(k);
        int c = k.fork(1);
        assertTrue(c > 0);
        assertEquals(1, delta(k, before, Counter.FLUSH_TLB_MM));
        assertEquals(1, delta(k, before, Counter.TLB_FULL_LOCAL), "UP: the parent's mm is active, so one __flush_tlb");
        before = snap(k);
        k.fork(c);
        assertEquals(1, delta(k, before, Counter.FLUSH_TLB_MM), "a fork by the child flushes the child's mm once");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_10_noFlushForCloneVmVforkOrKernelThread(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        CounterSnapshot before = snap(k);
        assertTrue(k.clone(c, CLONE_VM | SIGCHLD) > 0);
        assertTrue(k.clone(c, THREAD) > 0);
        assertTrue(k.kernelThread(1, "kt", KernelThreadFn.sleeper(), CLONE_FS | CLONE_FILES) > 0);
        assertTrue(k.vfork(c) > 0);
        assertEquals(0, delta(k, before, Counter.FLUSH_TLB_MM));
        assertEquals(0, delta(k, before, Counter.TLB_FULL_LOCAL));
    }

    // ---- copy_page_range (R5.11) ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_11_aWrittenPrivatePageIs0x065InTheParentAnd0x045InTheChildWithCount2(KernelVersion v) {
        Kernel k = Boots.up(v);
        assertEquals(0, k.writeByte(1, DATA, 'x'));
        MmStruct pm = k.task(1).mm();
        assertEquals(0x067, Pte.flags(pte(k, pm, DATA)));
        int frame = Pte.pfn(pte(k, pm, DATA));
        assertEquals(1, k.machine().mem().count(frame));
        long rss = pm.rss();
        int c = k.fork(1);
        MmStruct cm = k.task(c).mm();
        assertEquals(0x065, Pte.flags(pte(k, pm, DATA)), "parent: RW cleared, A kept");
        assertEquals(0x045, Pte.flags(pte(k, cm, DATA)), "child: RW and A cleared, D kept");
        assertEquals(frame, Pte.pfn(pte(k, cm, DATA)));
        assertEquals(2, k.machine().mem().count(frame));
        assertEquals(2, k.machine().mem().mapcount(frame));
        assertEquals(rss, cm.rss(), "every counted pte was copied");
        assertEquals(0, pte(k, cm, DATA + Pte.PAGE_SIZE), "pte_none stays none");
        assertEquals('x', k.readByte(c, DATA));
    }

    // ---- links, exit_signal (R5.12, R5.13) ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_12_aForkChildIsTheCallersChildWithItsOwnTgid(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        int g1 = k.fork(c);
        int g2 = k.fork(c);
        Task child = k.task(c);
        assertSame(child, k.task(g1).realParent());
        assertSame(child, k.task(g1).parent());
        assertEquals(g2, k.task(g2).tgid());
        assertEquals(v.is24() ? List.of(k.task(g2), k.task(g1)) : List.of(k.task(g1), k.task(g2)), child.children(),
            "2.4 SET_LINKS makes the new task the youngest (p_cptr); 2.6 appends to children");
        assertSame(k.task(g1), k.task(g1).groupLeader());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_12_cloneParentMakesASibling(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        int s = k.clone(c, CLONE_PARENT | SIGCHLD);
        assertEquals(1, k.getppid(s));
        assertSame(k.task(1), k.task(s).realParent());
        assertTrue(k.task(1).children().contains(k.task(s)));
        assertTrue(k.task(c).children().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_12_cloneThreadJoinsTheGroupWithTheCallersTgid(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        int t = k.clone(c, THREAD | SIGCHLD);
        Task leader = k.task(c), th = k.task(t);
        assertEquals(c, th.tgid());
        assertSame(leader, th.groupLeader());
        assertEquals(List.of(leader, th), leader.threadGroup());
        assertEquals(List.of(leader, th), th.threadGroup());
        if (v.is24()) {
            assertSame(leader, th.realParent(), "2.4: p_opptr = current");
            assertTrue(leader.children().contains(th));
        } else {
            assertSame(k.task(1), th.realParent(), "2.6: real_parent = current->real_parent");
            assertFalse(leader.children().contains(th));
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_13_exitSignalIsTheCsignalByteButMinusOneForA26Thread(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(Signals.SIGCHLD, k.task(c).exitSignal());
        int plain = k.clone(c, CLONE_VM | Signals.SIGUSR1);
        assertEquals(Signals.SIGUSR1, k.task(plain).exitSignal());
        int none = k.clone(c, CLONE_VM);
        assertEquals(0, k.task(none).exitSignal());
        int t = k.clone(c, THREAD | Signals.SIGUSR1);
        assertEquals(v.is24() ? Signals.SIGUSR1 : -1, k.task(t).exitSignal());
    }

    // ---- timeslice split (R5.14) ----

    @Test
    void R5_14_24_theCounterIsSplitChildRoundingUp() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        Task init = k.task(1);
        init.setCounter(11);
        int c = k.fork(1);
        assertEquals(6, k.task(c).counter());
        assertEquals(5, init.counter());
        int d = k.fork(1);
        assertEquals(3, k.task(d).counter());
        assertEquals(2, init.counter());
        assertEquals(11, init.counter() + k.task(c).counter() + k.task(d).counter(), "the total is conserved");
        assertFalse(init.needResched());
    }

    @Test
    void R5_14_24_bootTasksSplitInitTasksDefCounterAndKeepNice0() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        for (Task t : k.tasks()) {
            if (t.pid == 0) continue;
            assertEquals(0, t.nice(), t + ": INIT_TASK has nice 0; cpu_idle() sets idle's nice 20 only after rest_init");
            assertTrue(t.counter() >= 0 && t.counter() <= 20, t + " counter " + t.counter() + " (§13.9)");
        }
        assertEquals(20, k.idleTask(0).nice(), "cpu_idle: current->nice = 20");
        assertTrue(k.idleTask(0).counter() < 0, "cpu_idle: counter -100 (halved by any recalculation since)");
    }

    @Test
    void R5_14_24_aParentLeftWithCounterZeroMustReschedule() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        Task init = k.task(1);
        init.setCounter(1);
        int c = k.fork(1);
        assertEquals(1, k.task(c).counter());
        assertEquals(0, init.counter());
        assertNotSame(init, k.current(0), "need_resched was set, so init was switched out on return");
        assertSame(k.task(c), k.current(0));
    }

    @Test
    void R5_14_26_theTimeSliceIsSplitChildRoundingUp() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        Task init = k.task(1);
        init.timeSlice = 7;
        int c = k.fork(1);
        assertEquals(4, k.task(c).timeSlice());
        assertEquals(3, init.timeSlice());
    }

    @Test
    void R5_14_26_aParentLeftWithZeroGetsOneAndIsChargedATick() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        Task init = k.task(1);
        init.timeSlice = 1;
        int c = k.fork(1);
        assertEquals(1, k.task(c).timeSlice());
        assertEquals(Sched26.taskTimeslice(120), init.timeSlice(), "1 - the charged tick = 0: the slice expired and was refilled");
        assertSame(k.task(c), k.current(0), "the child still runs first");
    }

    // ---- who runs first (R5.15) ----

    @Test
    void R5_15_26_theChildRunsFirstAfterFork() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int before = k.trace().size();
        int c = k.fork(1);
        assertSame(k.task(c), k.current(0));
        assertEquals(TaskState.RUNNING, k.task(1).state());
        assertTrue(k.task(1).onRunqueue());
        List<Event> ev = k.trace().events().subList(before, k.trace().size());
        Event.SchedSwitch sw = ev.stream().filter(e -> e instanceof Event.SchedSwitch).map(e -> (Event.SchedSwitch) e)
            .findFirst().orElseThrow();
        assertEquals(1, sw.prevPid());
        assertEquals(c, sw.nextPid());
        assertEquals(TaskState.RUNNING, sw.prevState(), "a preemption, not a sleep");
    }

    @Test
    void R5_15_26_aCloneVmChildIsQueuedLastAndTheParentContinues() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int c = k.clone(1, CLONE_VM | SIGCHLD);
        assertSame(k.task(1), k.current(0));
        assertTrue(k.task(c).onRunqueue());
    }

    @Test
    void R5_15_24_goodnessDecidesAndTheParentContinues() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        k.task(1).setCounter(10);
        int before = k.trace().size();
        int c = k.fork(1);
        assertSame(k.task(1), k.current(0), "child 5+0 does not beat parent 5+1 (same mm bonus)");
        assertTrue(k.task(c).onRunqueue());
        assertEquals(TaskState.RUNNING, k.task(c).state());
        assertTrue(k.trace().events().subList(before, k.trace().size()).stream().noneMatch(e -> e instanceof Event.SchedSwitch));
    }

    // ---- vfork (R5.17-R5.19) ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_17_theVforkParentSleepsUninterruptiblySharingItsMmWithoutAFlush(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        MmStruct mm = k.task(p).mm();
        CounterSnapshot before = snap(k);
        int c = k.vfork(p);
        Task parent = k.task(p), child = k.task(c);
        assertEquals(p + 1, c, "vfork returns the child's pid");
        assertEquals(TaskState.UNINTERRUPTIBLE, parent.state());
        assertFalse(parent.onRunqueue());
        assertFalse(parent.onCpu());
        assertSame(mm, child.mm());
        assertEquals(2, mm.mmUsers());
        assertEquals(1, mm.mmCount());
        assertEquals(0, delta(k, before, Counter.FLUSH_TLB_MM));
        assertEquals(0, child.pendingSignals());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_18_theChildsExecWakesTheVforkParentInTraceOrder(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        int before = k.trace().size();
        int c = k.vfork(p);
        assertEquals(0, k.execve(c, "/bin/true"));
        assertEquals(TaskState.RUNNING, k.task(p).state());
        assertTrue(k.task(p).onRunqueue() || k.task(p).onCpu());
        assertEquals(1, k.task(p).mm().mmUsers(), "the child left for its own mm");
        List<Event> ev = k.trace().events().subList(before, k.trace().size());
        int fork = indexOf(ev, e -> e instanceof Event.SchedProcessFork f && f.childPid() == c && f.cloneFlags() == 0x4111);
        int sleep = indexOf(ev, e -> e instanceof Event.SchedSwitch s && s.prevPid() == p && s.prevState() == TaskState.UNINTERRUPTIBLE);
        int wake = indexOf(ev, e -> e instanceof Event.SchedWakeup w && w.pid() == p);
        int exec = indexOf(ev, e -> e instanceof Event.SchedProcessExec x && x.pid() == c);
        assertTrue(fork >= 0 && fork < sleep && sleep < wake && wake < exec,
            "fork " + fork + " < parent sleeps " + sleep + " < parent woken " + wake + " < exec done " + exec);
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_18_theChildsExitWakesTheVforkParent(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        int c = k.vfork(p);
        MmStruct mm = k.task(p).mm();
        assertEquals(0, k.exit(c, 3));
        assertEquals(TaskState.RUNNING, k.task(p).state());
        assertEquals(1, mm.mmUsers());
        assertEquals(1, mm.mmCount());
        assertEquals(c, k.wait4(p, c, 0));
        assertEquals(0x0300, k.task(p).lastWaitStatus());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_17_aSignalToTheVforkParentStaysPendingUntilTheChildReleasesIt(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        assertEquals(0, k.sigaction(p, Signals.SIGUSR1, Signals.SIG_HANDLER));
        int c = k.vfork(p);
        assertEquals(0, k.kill(1, p, Signals.SIGTERM));
        Task parent = k.task(p);
        assertEquals(TaskState.UNINTERRUPTIBLE, parent.state(), "signals do not end an uninterruptible sleep");
        assertNotEquals(0L, parent.pendingSignals() & (1L << (Signals.SIGTERM - 1)));
        assertFalse(parent.hasExited());
        assertEquals(0, k.task(c).pendingSignals());
        assertEquals(0, k.exit(c, 0));
        assertEquals(TaskState.RUNNING, parent.state());
    }

    private static int indexOf(List<Event> ev, java.util.function.Predicate<Event> p) {
        for (int i = 0; i < ev.size(); i++) if (p.test(ev.get(i))) return i;
        return -1;
    }
}
