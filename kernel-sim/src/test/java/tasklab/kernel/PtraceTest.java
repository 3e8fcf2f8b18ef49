package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ptrace as far as task creation needs it (kernel/ptrace.c, arch/i386/kernel/ptrace.c,
 * kernel/fork.c). New rule ids, not yet in LINUX-SPEC:
 * <ul>
 * <li>R5.20 PTRACE_TRACEME sets PT_PTRACED (EPERM if already set). PTRACE_ATTACH: EPERM for pid
 *     &lt;= 1, the caller itself (2.6: its thread group), a task without mm, another user's task
 *     without root, a task already traced; then the tracer becomes p_pptr / parent (p_opptr /
 *     real_parent stays), and SIGSTOP stops the tracee (2.4 TASK_STOPPED, 2.6 TASK_TRACED) with
 *     exit_code SIGSTOP, which the tracer's wait4 reports without WUNTRACED. Other requests need a
 *     stopped tracee of the caller (ptrace_check_attach: ESRCH); DETACH / CONT with a signal above
 *     _NSIG answer EIO; DETACH relinks to the real parent and resumes; unknown requests EIO.
 *     A traced zombie is reported to the tracer first, then relinked and reported to its real parent.
 *     When the tracer exits, its tracees go back to their real parents untraced (2.6: and are woken).</li>
 * <li>R5.21 [2.6] do_fork adds CLONE_PTRACE when the caller is traced with the PTRACE_O_TRACEFORK /
 *     VFORK / CLONE option for that kind of fork (fork_traceflag), never with CLONE_UNTRACED, which
 *     kernel_thread always passes; a traced child is linked to the caller's tracer and starts with
 *     SIGSTOP. 2.4 has no ptrace options (PTRACE_SETOPTIONS is EIO).</li>
 * </ul>
 * R5.4 (in the spec): p-&gt;ptrace = 0 unless CLONE_PTRACE. R5.12: a traced child's p_pptr stays the
 * tracer. R6.1: 2.4 kernel_thread answers EPERM in a traced task.
 */
class PtraceTest {
    static final int EPERM = Errno.EPERM.neg();
    static final int ESRCH = Errno.ESRCH.neg();
    static final int EIO = Errno.EIO.neg();

    private static int tracedState(KernelVersion v) { return v.is24() ? TaskState.STOPPED_24 : TaskState.TRACED_26; }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_20_tracemeSetsPtPtracedOnce(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(0, k.ptrace(c, Ptrace.TRACEME, 0, 0));
        assertEquals(Ptrace.PT_PTRACED, k.task(c).ptrace());
        assertEquals(EPERM, k.ptrace(c, Ptrace.TRACEME, 0, 0), "already traced");
        assertSame(k.task(1), k.task(c).parent(), "the parent is the tracer");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_20_attachStopsTheTraceeAndMakesTheTracerItsParent(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(0, k.ptrace(a, Ptrace.ATTACH, b, 0));
        Task tb = k.task(b);
        assertSame(k.task(a), tb.parent(), "p_pptr / parent = the tracer");
        assertSame(k.task(1), tb.realParent(), "p_opptr / real_parent stays");
        assertEquals(1, k.getppid(b), "getppid reads the real parent");
        assertTrue(k.task(a).children().contains(tb));
        assertFalse(k.task(1).children().contains(tb));
        assertEquals(tracedState(v), tb.state());
        assertEquals(b, k.wait4(a, b, 0), "a tracer sees the stop without WUNTRACED");
        assertEquals(new Wait.Stopped(Signals.SIGSTOP), Wait.decode(k.task(a).lastWaitStatus()));
        assertEquals(EPERM, k.ptrace(a, Ptrace.ATTACH, b, 0), "already traced");
        assertEquals(0, k.ptrace(a, Ptrace.DETACH, b, 0));
        assertSame(k.task(1), tb.parent());
        assertEquals(0, tb.ptrace());
        assertEquals(TaskState.RUNNING, tb.state(), "resumed");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_20_attachErrors(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(EPERM, k.ptrace(a, Ptrace.ATTACH, 1, 0), "init");
        assertEquals(ESRCH, k.ptrace(a, Ptrace.ATTACH, 31000, 0));
        assertEquals(EPERM, k.ptrace(a, Ptrace.ATTACH, a, 0), "itself");
        assertEquals(EPERM, k.ptrace(a, Ptrace.ATTACH, 2, 0), "a kernel thread (no mm)");
        assertEquals(0, k.setuid(a, 1000));
        assertEquals(EPERM, k.ptrace(a, Ptrace.ATTACH, b, 0), "another user's task");
        assertEquals(ESRCH, k.ptrace(a, Ptrace.DETACH, b, 0), "not traced by the caller");
        assertEquals(ESRCH, k.ptrace(1, Ptrace.CONT, b, 0));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_20_requestsNeedAStoppedTraceeAndAValidSignal(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(0, k.ptrace(a, Ptrace.ATTACH, b, 0));
        assertEquals(EIO, k.ptrace(a, Ptrace.DETACH, b, 65), "data > _NSIG");
        assertEquals(EIO, k.ptrace(a, 3, b, 0), "PTRACE_PEEKUSR is not modelled: EIO");
        assertEquals(0, k.ptrace(a, Ptrace.CONT, b, 0));
        assertEquals(TaskState.RUNNING, k.task(b).state());
        assertEquals(ESRCH, k.ptrace(a, Ptrace.DETACH, b, 0), "running: ptrace_check_attach says ESRCH");
        assertEquals(0, k.ptrace(a, Ptrace.KILL, b, 0), "PTRACE_KILL needs no stop");
        assertTrue(k.task(b).isZombie());
        assertEquals(b, k.wait4(a, b, 0), "the tracer is told first");
        assertEquals(Signals.SIGKILL, k.task(a).lastWaitStatus());
        assertTrue(k.task(b).isZombie(), "still a zombie, now for its real parent");
        assertSame(k.task(1), k.task(b).parent());
        assertEquals(b, k.wait4(1, b, 0));
        assertNull(k.task(b));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_4_R5_12_clonePtraceInheritsTheTracer(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(0, k.ptrace(a, Ptrace.ATTACH, b, 0));
        assertEquals(0, k.ptrace(a, Ptrace.CONT, b, 0));
        int plain = k.fork(b);
        assertEquals(0, k.task(plain).ptrace(), "without CLONE_PTRACE: ptrace = 0");
        assertSame(k.task(b), k.task(plain).parent());
        int traced = k.clone(b, CloneFlags.CLONE_PTRACE | CloneFlags.SIGCHLD);
        Task t = k.task(traced);
        assertEquals(Ptrace.PT_PTRACED, t.ptrace() & Ptrace.PT_PTRACED);
        assertSame(k.task(a), t.parent(), "p_pptr is b's tracer");
        assertSame(k.task(b), t.realParent());
        assertEquals(tracedState(v), t.state(), "it starts with SIGSTOP");
        int untraced = k.clone(a, CloneFlags.CLONE_PTRACE | CloneFlags.SIGCHLD);
        assertEquals(0, k.task(untraced).ptrace(), "CLONE_PTRACE from an untraced task copies ptrace = 0");
    }

    @Test
    void R6_1_24_aTracedTaskCannotMakeKernelThreads() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int a = k.fork(1);
        assertEquals(0, k.ptrace(a, Ptrace.TRACEME, 0, 0));
        assertEquals(EPERM, k.kernelThread(a, "kt", KernelThreadFn.sleeper(), 0));
        Kernel k6 = Boots.up(KernelVersion.LINUX_2_6);
        int a6 = k6.fork(1);
        assertEquals(0, k6.ptrace(a6, Ptrace.TRACEME, 0, 0));
        assertTrue(k6.kernelThread(a6, "kt", KernelThreadFn.sleeper(), 0) > 0, "2.6 kernel_thread has no such check");
    }

    @Test
    void R5_21_26_traceForkOptionTracesChildrenButNotUntracedClones() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(0, k.ptrace(a, Ptrace.ATTACH, b, 0));
        assertEquals(Errno.EINVAL.neg(), k.ptrace(a, Ptrace.SETOPTIONS, b, 0x100), "unknown option bits");
        assertEquals(0, k.ptrace(a, Ptrace.SETOPTIONS, b, Ptrace.O_TRACEFORK));
        assertEquals(0, k.ptrace(a, Ptrace.CONT, b, 0));
        int c = k.fork(b);
        assertNotEquals(0, k.task(c).ptrace() & Ptrace.PT_PTRACED, "fork_traceflag added CLONE_PTRACE");
        assertSame(k.task(a), k.task(c).parent());
        assertEquals(TaskState.TRACED_26, k.task(c).state());
        int u = k.clone(b, CloneFlags.CLONE_UNTRACED | CloneFlags.SIGCHLD);
        assertEquals(0, k.task(u).ptrace(), "CLONE_UNTRACED");
        int kt = k.kernelThread(b, "kt", KernelThreadFn.sleeper(), 0);
        assertEquals(0, k.task(kt).ptrace(), "kernel_thread passes CLONE_UNTRACED");
        int cl = k.clone(b, CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD);
        assertEquals(0, k.task(cl).ptrace(), "a clone event needs PTRACE_O_TRACECLONE, not asked for");
        Kernel k4 = Boots.up(KernelVersion.LINUX_2_4);
        int a4 = k4.fork(1);
        int b4 = k4.fork(1);
        assertEquals(0, k4.ptrace(a4, Ptrace.ATTACH, b4, 0));
        assertEquals(EIO, k4.ptrace(a4, Ptrace.SETOPTIONS, b4, Ptrace.O_TRACEFORK), "2.4 has no PTRACE_SETOPTIONS");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_20_theTracersExitHandsTraceesBackToTheirRealParents(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(0, k.ptrace(a, Ptrace.ATTACH, b, 0));
        assertEquals(0, k.exit(a, 0));
        Task tb = k.task(b);
        assertEquals(0, tb.ptrace());
        assertSame(k.task(1), tb.parent());
        assertTrue(k.task(1).children().contains(tb));
        if (v.is24()) assertEquals(TaskState.STOPPED_24, tb.state(), "2.4 leaves it stopped");
        else assertEquals(TaskState.RUNNING, tb.state(), "2.6 ptrace_untrace wakes a TASK_TRACED tracee");
    }
}
