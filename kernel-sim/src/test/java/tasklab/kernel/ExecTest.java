package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;
import static tasklab.kernel.CloneFlags.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;

/** execve: exec_mmap per version, the vfork release, de_thread, comm, flags and handlers (LINUX-SPEC §10). */
class ExecTest {
    static final int THREAD = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
    static final long DATA = 0x08050000L;

    private static CounterSnapshot snap(Kernel k) { return k.counters().snapshot(); }
    private static long delta(Kernel k, CounterSnapshot before, Counter c) { return snap(k).minus(before).total(c); }
    private static void makeCurrent(Kernel k, int pid) { k.sched.runAs(k.task(pid)); }

    @Test
    void R10_1_T10_24_anExecBySoleUserKeepsTheSameMmWithoutACr3Load() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int c = k.fork(1);
        assertEquals(0, k.writeByte(c, DATA, 7));           // c is current now, with a private page
        MmStruct mm = k.task(c).mm();
        assertEquals(1, mm.mmUsers());
        CounterSnapshot before = snap(k);
        assertEquals(0, k.execve(c, "/bin/sh"));
        Task t = k.task(c);
        assertSame(mm, t.mm(), "exec_mmap reuses a single-user mm");
        assertSame(mm, t.activeMm());
        assertFalse(mm.freed());
        assertEquals(1, mm.mmUsers());
        assertEquals(1, mm.mmCount());
        assertEquals(0, delta(k, before, Counter.CR3_SWITCH), "no activate_mm");
        assertEquals(1, delta(k, before, Counter.FLUSH_TLB_MM), "exit_mmap's flush_tlb_mm of the old contents");
        assertEquals(0, Pte.flags(k.mm().pageTables.pte(mm, DATA)), "the old page is gone");
        assertEquals(1, mm.rss(), "only the argument page of the new stack");
        assertEquals(List.of(0x08048000L, 0x08058000L, 0xBFFFE000L), mm.vmas().stream().map(x -> x.start()).toList(),
            "/bin/sh: 16 text pages, then data+bss, then the stack");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R10_1_T11_execByAVforkChildTakesANewMmWithOneCr3LoadAndWakesTheParent(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        int c = k.vfork(p);
        makeCurrent(k, c);
        MmStruct old = k.task(p).mm();
        assertEquals(2, old.mmUsers());
        assertEquals(TaskState.UNINTERRUPTIBLE, k.task(p).state());
        CounterSnapshot before = snap(k);
        assertEquals(0, k.execve(c, "/bin/true"));
        MmStruct nu = k.task(c).mm();
        assertNotSame(old, nu);
        assertEquals(1, old.mmUsers(), "old mm_users - 1");
        assertEquals(1, old.mmCount());
        assertEquals(1, nu.mmUsers());
        assertEquals(1, nu.mmCount());
        assertEquals(1, delta(k, before, Counter.CR3_SWITCH), "activate_mm");
        assertEquals(nu.pgd(), k.machine().cpu(0).cr3(), "CR3 holds the new pgd");
        assertEquals(TaskState.RUNNING, k.task(p).state(), "mm_release completed vfork_done");
        assertSame(old, k.task(p).mm());
    }

    @Test
    void R10_3_26_execAlwaysBuildsANewMmAndFreesASingleUserOldOne() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int c = k.fork(1);
        makeCurrent(k, c);
        MmStruct old = k.task(c).mm();
        CounterSnapshot before = snap(k);
        assertEquals(0, k.execve(c, "/bin/true"));
        MmStruct nu = k.task(c).mm();
        assertNotSame(old, nu);
        assertTrue(old.freed(), "mmput to 0, then mmdrop frees it");
        assertEquals(0, old.mmUsers());
        assertEquals(0, old.mmCount());
        assertEquals(1, nu.mmUsers());
        assertEquals(1, nu.mmCount());
        assertEquals(1, delta(k, before, Counter.CR3_SWITCH));
        assertEquals(0, delta(k, before, Counter.TLB_FULL_LOCAL),
            "UP: exit_mmap of the old mm runs after the switch, so its flushes hit a non-active mm");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R10_2_execSetsCommToTheBasenameCutTo15Characters(KernelVersion v) {
        Kernel k = Boots.up(v);
        k.registerBinary(new Binary("/usr/local/bin/averyveryverylongname", 1, 1, 0));
        int c = k.fork(1);
        assertEquals("init", k.task(c).comm(), "fork copies comm");
        assertEquals(0, k.execve(c, "/usr/local/bin/averyveryverylongname"));
        assertEquals("averyveryverylo", k.task(c).comm());
        assertEquals(15, k.task(c).comm().length());
        assertEquals(0, k.execve(c, "/bin/sh"));
        assertEquals("sh", k.task(c).comm());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R10_2_execClearsPfForknoexecAndSetsDidExec(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        Task t = k.task(c);
        assertEquals(Task.PF_FORKNOEXEC, t.flags() & Task.PF_FORKNOEXEC);
        assertFalse(t.didExec());
        assertEquals(0, k.execve(c, "/bin/true"));
        assertEquals(0, t.flags() & Task.PF_FORKNOEXEC);
        assertTrue(t.didExec());
        assertEquals("/bin/true", t.execPath());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R10_2_caughtHandlersBecomeSigDflAndIgnoredOnesStayIgnored(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(0, k.sigaction(c, Signals.SIGUSR1, Signals.SIG_HANDLER));
        assertEquals(0, k.sigaction(c, Signals.SIGTERM, Signals.SIG_HANDLER));
        assertEquals(0, k.sigaction(c, Signals.SIGINT, Signals.SIG_IGN));
        assertEquals(0, k.execve(c, "/bin/true"));
        Shared h = k.task(c).sighand();
        assertEquals(Signals.SIG_DFL, h.handler(Signals.SIGUSR1));
        assertEquals(Signals.SIG_DFL, h.handler(Signals.SIGTERM));
        assertEquals(Signals.SIG_IGN, h.handler(Signals.SIGINT));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R10_2_execMakesASharedHandlerTablePrivate(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(0, k.sigaction(c, Signals.SIGUSR1, Signals.SIG_HANDLER));
        int s = k.clone(c, CLONE_VM | CLONE_SIGHAND | SIGCHLD);
        Shared shared = k.task(c).sighand();
        assertEquals(2, shared.count());
        assertEquals(0, k.execve(s, "/bin/true"));
        assertNotSame(shared, k.task(s).sighand());
        assertEquals(1, shared.count());
        assertEquals(1, k.task(s).sighand().count());
        assertEquals(Signals.SIG_HANDLER, shared.handler(Signals.SIGUSR1), "the other sharer keeps its handler");
        assertEquals(Signals.SIG_DFL, k.task(s).sighand().handler(Signals.SIGUSR1));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R10_1_execOfAnUnknownPathIsEnoentAndChangesNothing(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(0, k.sigaction(c, Signals.SIGUSR1, Signals.SIG_HANDLER));
        makeCurrent(k, c);
        Task t = k.task(c);
        MmStruct mm = t.mm();
        var vmas = mm.vmas().stream().map(Object::toString).toList();
        int flags = t.flags();
        int traced = k.trace().size();
        CounterSnapshot before = snap(k);
        assertEquals(Errno.ENOENT.neg(), k.execve(c, "/no/such/program"));
        assertSame(mm, t.mm());
        assertEquals(vmas, mm.vmas().stream().map(Object::toString).toList());
        assertEquals(1, mm.mmUsers());
        assertEquals("init", t.comm());
        assertEquals(flags, t.flags());
        assertFalse(t.didExec());
        assertEquals(Signals.SIG_HANDLER, t.sighand().handler(Signals.SIGUSR1));
        assertEquals(snap(k).minus(before).totals().values().stream().mapToLong(Long::longValue).sum(), 0L, "no counter moved");
        assertEquals(traced, k.trace().size(), "nothing traced");
        assertEquals(Errno.EFAULT.neg(), k.execve(c, null));
    }

    @Test
    void R10_2_24_deThreadLeavesTheGroupAndSetsTgidToPidWithoutKillingAnyone() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int p = k.fork(1);
        int t = k.clone(p, THREAD | SIGCHLD);
        MmStruct shared = k.task(p).mm();
        assertEquals(2, shared.mmUsers());
        assertEquals(0, k.execve(t, "/bin/true"));
        Task leader = k.task(p), th = k.task(t);
        assertEquals(t, th.tgid());
        assertEquals(t, k.getpid(t));
        assertEquals(List.of(th), th.threadGroup());
        assertEquals(List.of(leader), leader.threadGroup());
        assertSame(th, th.groupLeader());
        assertFalse(leader.hasExited(), "2.4 de_thread kills nobody");
        assertEquals(1, shared.mmUsers(), "the thread had a shared mm: T11");
        assertNotSame(shared, th.mm());
        assertTrue(k.pids().inUse(p));
        assertTrue(k.pids().inUse(t));
    }

    @Test
    void R10_3_26_deThreadByTheLeaderKillsTheOtherThreads() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int p = k.fork(1);
        int t1 = k.clone(p, THREAD);
        int t2 = k.clone(p, THREAD);
        MmStruct old = k.task(p).mm();
        assertEquals(3, old.mmUsers());
        assertEquals(0, k.execve(p, "/bin/true"));
        Task leader = k.task(p);
        assertNull(k.task(t1), "zap_other_threads: exit_signal -1 threads are released at once");
        assertNull(k.task(t2));
        assertFalse(k.pids().inUse(t1));
        assertEquals(List.of(leader), leader.threadGroup());
        assertTrue(old.freed(), "every user of the old mm is gone");
        assertEquals(1, leader.mm().mmUsers());
        assertEquals(p, k.getpid(p));
    }

    @Test
    void R10_3_26_deThreadByANonLeaderKillsTheLeaderAndTakesItsPid() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int p = k.fork(1);
        int t = k.clone(p, THREAD);
        Task th = k.task(t);
        assertEquals(0, k.execve(t, "/bin/true"));
        assertSame(th, k.task(p), "transfer_pid: the exec'ing thread now has the leader's pid");
        assertEquals(p, k.gettid(p));
        assertEquals(p, k.getpid(p));
        assertNull(k.task(t));
        assertFalse(k.pids().inUse(t));
        assertSame(th, th.groupLeader());
        assertEquals(List.of(th), th.threadGroup());
        assertEquals(Signals.SIGCHLD, th.exitSignal());
        assertEquals(1, k.getppid(p));
        assertTrue(k.task(1).children().contains(th));
        assertEquals(1, k.task(1).children().stream().filter(x -> x.pid == p).count());
        assertEquals(0, k.exit(p, 0));
        assertEquals(p, k.wait4(1, p, 0), "the new leader is an ordinary waitable child");
    }
}
