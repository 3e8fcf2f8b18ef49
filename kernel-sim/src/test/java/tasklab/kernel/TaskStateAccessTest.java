package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.mm.VmFlags;
import tasklab.trace.Counter;
import tasklab.trace.Event;

/**
 * What a student can read and the 2.6 clone extras (include/linux/sched.h, kernel/fork.c,
 * arch/i386/kernel/process.c, include/linux/wait.h). New rule ids, not yet in LINUX-SPEC:
 * <ul>
 * <li>R5.22 [2.6] CLONE_PARENT_SETTID: copy_process writes the child's pid at parent_tidptr in the
 *     parent before copying anything, -EFAULT (pid burned) if it cannot. CLONE_CHILD_SETTID: the
 *     child writes its pid at child_tidptr in its own address space when it first runs
 *     (schedule_tail). CLONE_CHILD_CLEARTID: mm_release writes 0 there and does a FUTEX_WAKE, only
 *     for a task not killed by a signal whose mm has other users. CLONE_SETTLS: copy_thread reads a
 *     struct user_desc at %esi: -EFAULT if unreadable, -EINVAL for an empty one or an entry outside
 *     6..8; else the child's tls_array gets it. 2.4 ignores all four bits.</li>
 * <li>R11.14 A fault's SIGSEGV (force_sig_info) runs a user handler when one is installed: the
 *     task lives on. SIG_DFL kills it with a core (status 0x8b); SIG_IGN does too, since
 *     force_sig_info resets an ignored forced signal to SIG_DFL.</li>
 * <li>R11.15 [2.6] wait4 with WCONTINUED reports a child continued by SIGCONT once, status 0xffff
 *     (wait_task_continued); 2.4 rejects WCONTINUED with -EINVAL (R11.9).</li>
 * </ul>
 * R5.2 item 6 (in the spec): a signal pending at copy_process's last check gives -ERESTARTNOINTR.
 * R2.5: esp0 = childregs + 1, eax = 0 in the child's pt_regs, thread_info-&gt;task, usage 2.
 * R1.3: the wait option constants. R11.11: the status words.
 */
class TaskStateAccessTest {
    static final long PAGE = 4096;
    static final int RW = VmFlags.PROT_READ | VmFlags.PROT_WRITE;
    static final int ANON = VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS;
    static final int THREAD = CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD;
    static final KernelVersion V26 = KernelVersion.LINUX_2_6;

    private static int readInt(Kernel k, int pid, long a) {
        int v = 0;
        for (int i = 3; i >= 0; i--) v = (v << 8) | k.readByte(pid, a + i);
        return v;
    }

    /** A struct user_desc at {@code d}: entry, base, a 4 GiB limit, seg_32bit | limit_in_pages | useable. */
    private static void userDesc(Kernel k, int pid, long d, int entry, int base) {
        writeInt(k, pid, d, entry);
        writeInt(k, pid, d + 4, base);
        writeInt(k, pid, d + 8, 0xfffff);
        writeInt(k, pid, d + 12, 0x51);
    }

    /** A 2.6 process {@code c} with a user_desc for entry 6 (base 0x12345000) at {@code d}, and {@code t}, its clone with CLONE_SETTLS of it. */
    private record SetTls(Kernel k, int c, long d, int t) { }

    private static SetTls setTls() {
        Kernel k = Boots.up(V26);
        int c = k.fork(1);
        long d = k.mmap(c, 0, PAGE, RW, ANON);
        userDesc(k, c, d, 6, 0x12345000);
        return new SetTls(k, c, d, k.clone(c, CloneFlags.SIGCHLD | CloneFlags.CLONE_SETTLS, 0, d, 0));
    }

    private static void writeInt(Kernel k, int pid, long a, int value) {
        for (int i = 0; i < 4; i++) assertEquals(0, k.writeByte(pid, a + i, (value >>> (8 * i)) & 0xff));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R2_5_esp0SavedEaxUsageAndThreadInfo(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        Task t = k.task(c);
        assertEquals(t.stackBase() + Task.THREAD_SIZE - (v.is24() ? 0 : 8), t.esp0(), "thread.esp0 = childregs + 1");
        assertEquals(0, t.savedEax(), "childregs->eax = 0: fork returns 0 in the child");
        assertEquals(c, k.task(1).savedEax(), "the parent's eax: the child's pid");
        assertEquals(v.is24() ? 1 : 2, t.usage(), "2.6 dup_task_struct: usage 2; 2.4: the task_union page's count");
        if (v.is26()) assertSame(t, t.threadInfoTask());
        else assertThrows(IllegalStateException.class, t::threadInfoTask);
        assertSame(t, k.taskFromEsp(t.esp()), "current = esp & ~8191");
        assertSame(t, k.taskFromEsp(t.esp0() - 1));
        assertNull(k.taskFromEsp(0x1000));
        assertEquals(-1, t.cpusAllowed(), "inherited CPU_MASK_ALL");
        if (v.is26()) {
            Kernel s = Boots.smp(v, 2);
            int x = s.fork(1);
            assertEquals(0, s.schedSetaffinity(1, x, 0b10));
            assertEquals(0b10, s.task(x).cpusAllowed());
        }
        int before = t.selfExecId();
        assertEquals(0, k.execve(c, "/bin/sh"));
        assertEquals(before + 1, t.selfExecId(), "exec bumps self_exec_id");
        assertEquals(before, t.parentExecId());
        assertFalse(t.needResched() && !t.onCpu(), "need_resched is readable");
    }

    @Test
    void R1_3_waitOptionConstantsAndR11_11_statusDecoder() {
        assertEquals(1, Wait.WNOHANG);
        assertEquals(2, Wait.WUNTRACED);
        assertEquals(8, Wait.WCONTINUED);
        assertEquals(0x40000000, Wait.WALL);
        assertEquals(0x80000000, Wait.WCLONE);
        assertEquals(new Wait.Exited(3), Wait.decode(0x0300));
        assertEquals(new Wait.Signaled(Signals.SIGKILL, false), Wait.decode(0x0009));
        assertEquals(new Wait.Signaled(Signals.SIGSEGV, true), Wait.decode(0x008b));
        assertEquals(new Wait.Stopped(Signals.SIGSTOP), Wait.decode(0x137f));
        assertEquals(new Wait.Continued(), Wait.decode(0xffff));
        for (int raw : new int[] {0x0300, 0x0009, 0x008b, 0x137f, 0xffff, 0}) assertEquals(raw, Wait.decode(raw).raw());
        assertEquals("signaled(SIGSEGV, core)", Wait.decode(0x8b).toString());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_15_wcontinuedReportsASigcontOnceOn26Only(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(0, k.kill(1, c, Signals.SIGSTOP));
        assertEquals(c, k.wait4(1, c, Wait.WUNTRACED));
        assertEquals(0, k.kill(1, c, Signals.SIGCONT));
        if (v.is24()) {
            assertEquals(Errno.EINVAL.neg(), k.wait4(1, c, Wait.WCONTINUED | Wait.WNOHANG));
            return;
        }
        assertEquals(c, k.wait4(1, c, Wait.WCONTINUED | Wait.WNOHANG));
        assertEquals(new Wait.Continued(), Wait.decode(k.task(1).lastWaitStatus()));
        assertEquals(0, k.wait4(1, c, Wait.WCONTINUED | Wait.WNOHANG), "reported once");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_14_aSegvHandlerRunsAndTheTaskLivesOn(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        assertEquals(0, k.sigaction(a, Signals.SIGSEGV, Signals.SIG_HANDLER));
        int before = k.trace().size();
        assertEquals(-Signals.SIGSEGV, k.readByte(a, 0x10), "the access itself still faults");
        assertFalse(k.task(a).hasExited(), "the handler ran instead of the default action");
        assertTrue(k.trace().events().subList(before, k.trace().size()).stream()
            .anyMatch(e -> e instanceof Event.SignalDeliver d && d.pid() == a && d.sig() == Signals.SIGSEGV));
        int b = k.fork(1);
        assertEquals(0, k.sigaction(b, Signals.SIGSEGV, Signals.SIG_IGN));
        assertEquals(-Signals.SIGSEGV, k.writeByte(b, 0x10, 1));
        assertTrue(k.task(b).isZombie(), "an ignored forced SIGSEGV still kills");
        assertEquals(b, k.wait4(1, b, 0));
        assertEquals(new Wait.Signaled(Signals.SIGSEGV, true), Wait.decode(k.task(1).lastWaitStatus()));
    }

    @Test
    void R5_22_26_parentAndChildTidWordsAndClearAtExitWithAFutexWake() {
        Kernel k = Boots.up(V26);
        int c = k.fork(1);
        long a = k.mmap(c, 0, PAGE, RW, ANON);
        int flags = THREAD | CloneFlags.CLONE_PARENT_SETTID | CloneFlags.CLONE_CHILD_SETTID | CloneFlags.CLONE_CHILD_CLEARTID;
        int t = k.clone(c, flags, a, 0, a + 4);
        assertTrue(t > 0);
        assertEquals(t, readInt(k, c, a), "the parent's word holds the tid at once");
        assertEquals(a + 4, k.task(t).setChildTid());
        assertEquals(a + 4, k.task(t).clearChildTid());
        assertEquals(0, readInt(k, c, a + 4), "the child has not run yet (CLONE_VM: child last)");
        k.getpid(t);                                              // it runs: schedule_tail
        assertEquals(t, readInt(k, c, a + 4), "schedule_tail wrote the tid in the child's (shared) memory");
        long wakes = k.counters().total(Counter.FUTEX_WAKE);
        assertEquals(0, k.exit(t, 0));
        assertEquals(0, readInt(k, c, a + 4), "mm_release cleared it");
        assertEquals(wakes + 1, k.counters().total(Counter.FUTEX_WAKE));
        int t2 = k.clone(c, THREAD | CloneFlags.CLONE_CHILD_CLEARTID, 0, 0, a + 8);
        writeInt(k, c, a + 8, 77);
        assertEquals(0, k.kill(c, t2, Signals.SIGKILL));
        assertEquals(77, readInt(k, c, a + 8), "killed by a signal: left alone (PF_SIGNALED)");
        assertEquals(wakes + 1, k.counters().total(Counter.FUTEX_WAKE));
    }

    @Test
    void R5_22_26_badParentTidptrIsEfaultAndBurnsThePid() {
        Kernel k = Boots.up(V26);
        int c = k.fork(1);
        int last = k.pids().lastPid();
        assertEquals(Errno.EFAULT.neg(), k.clone(c, CloneFlags.SIGCHLD | CloneFlags.CLONE_PARENT_SETTID, 0x50000000L, 0, 0));
        assertEquals(last + 2, k.fork(c), "the failed clone burned pid " + (last + 1));
    }

    /**
     * dup_task_struct copies thread.tls_array with the rest of the task_struct, so a fork inherits
     * the parent's TLS entries and CLONE_SETTLS changes only the child's copy; exec's flush_thread
     * clears them (arch/i386/kernel/process.c flush_thread()).
     */
    @Test
    void R5_22_26_aChildInheritsItsParentsTlsAndExecClearsThem() {
        SetTls x = setTls();
        Kernel k = x.k();
        long d = x.d();
        int t = x.t();
        int g = k.fork(t);
        assertEquals(0x12345000L, k.task(g).tlsBase(6), "inherited by fork");
        userDesc(k, t, d, 7, 0x7000);
        int h = k.clone(t, CloneFlags.SIGCHLD | CloneFlags.CLONE_SETTLS, 0, d, 0);
        assertEquals(0x12345000L, k.task(h).tlsBase(6));
        assertEquals(0x7000L, k.task(h).tlsBase(7));
        assertEquals(0, k.task(t).tlsBase(7), "the parent's own entries are untouched");
        assertEquals(0, k.execve(g, "/bin/true"));
        assertEquals(0, k.task(g).tlsBase(6), "exec clears the TLS entries");
        assertEquals(0x12345000L, k.task(t).tlsBase(6));
    }

    @Test
    void R5_22_26_setTlsReadsAUserDesc() {
        SetTls x = setTls();
        Kernel k = x.k();
        int c = x.c();
        long d = x.d();
        int t = x.t();
        assertTrue(t > 0);
        assertEquals(0x12345000L, k.task(t).tlsBase(6));
        assertEquals(0, k.task(t).tlsBase(7));
        assertEquals(Errno.EFAULT.neg(), k.clone(c, CloneFlags.SIGCHLD | CloneFlags.CLONE_SETTLS, 0, 0x50000000L, 0));
        writeInt(k, c, d, 9);
        assertEquals(Errno.EINVAL.neg(), k.clone(c, CloneFlags.SIGCHLD | CloneFlags.CLONE_SETTLS, 0, d, 0), "entry outside 6..8");
        writeInt(k, c, d, 7);
        writeInt(k, c, d + 4, 0);
        writeInt(k, c, d + 8, 0);
        writeInt(k, c, d + 12, 0x28);                             // read_exec_only | seg_not_present: LDT_empty
        assertEquals(Errno.EINVAL.neg(), k.clone(c, CloneFlags.SIGCHLD | CloneFlags.CLONE_SETTLS, 0, d, 0));
    }

    @Test
    void R5_22_24_theTidAndTlsBitsAreIgnored() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int c = k.fork(1);
        int flags = CloneFlags.SIGCHLD | CloneFlags.CLONE_PARENT_SETTID | CloneFlags.CLONE_SETTLS | CloneFlags.CLONE_CHILD_CLEARTID;
        int t = k.clone(c, flags, 0x50000000L, 0x50000000L, 0x50000000L);
        assertTrue(t > 0, "no -EFAULT: 2.4 has no such flags");
        assertEquals(0, k.task(t).clearChildTid());
    }

    @Test
    void R5_2_26_aPendingSignalAtCopyProcessIsErestartnointrAndTheCallIsRestarted() {
        Kernel k = Boots.up(V26);
        int c = k.fork(1);
        assertEquals(0, k.sigaction(c, Signals.SIGUSR1, Signals.SIG_HANDLER));
        assertEquals(0, k.kill(1, c, Signals.SIGUSR1));
        assertNotEquals(0, k.task(c).pendingSignals());
        int slice = k.task(c).timeSlice();
        int last = k.pids().lastPid();
        assertEquals(Errno.ERESTARTNOINTR.neg(), k.doForkOnce(c, CloneFlags.FORK, 0, 0, 0));
        assertEquals(last + 1, k.pids().lastPid(), "alloc_pid ran first: the pid is burned");
        assertEquals(Math.max(1, slice >> 1), k.task(c).timeSlice(), "sched_fork had already halved the parent's slice");
        assertEquals(0, k.task(c).pendingSignals(), "the return path handled SIGUSR1");
        assertEquals(0, k.kill(1, c, Signals.SIGUSR1));
        int before = k.trace().size();
        int r = k.fork(c);
        assertEquals(last + 3, r, "fork restarted after the handler: one more pid burned");
        assertTrue(k.trace().events().subList(before, k.trace().size()).stream().anyMatch(e -> e instanceof Event.SyscallRestart));
        Kernel k4 = Boots.up(KernelVersion.LINUX_2_4);
        int c4 = k4.fork(1);
        assertEquals(0, k4.sigaction(c4, Signals.SIGUSR1, Signals.SIG_HANDLER));
        assertEquals(0, k4.kill(1, c4, Signals.SIGUSR1));
        assertTrue(k4.doForkOnce(c4, CloneFlags.FORK, 0, 0, 0) > 0, "2.4 has no such check");
    }
}
