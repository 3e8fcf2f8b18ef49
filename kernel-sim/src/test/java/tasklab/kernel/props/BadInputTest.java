package tasklab.kernel.props;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.CloneFlags;
import tasklab.kernel.Errno;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelThreadFn;
import tasklab.kernel.KernelVersion;
import tasklab.kernel.Signals;
import tasklab.kernel.Task;
import tasklab.mm.MmStruct;
import tasklab.mm.VmFlags;

/**
 * Bad input (DESIGN.md "Errors and bad input"): each gives the kernel's errno in the version's
 * validation order, or a clear IllegalArgumentException for Java-level misuse, and leaves a state
 * in which every §13 invariant still holds.
 */
class BadInputTest {
    static final int WNOHANG = 1;
    static final int WALL = 0x40000000;
    static final int RW = VmFlags.PROT_READ | VmFlags.PROT_WRITE;
    static final int PRIV = VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS;
    static final int NO_PID = 31_999;

    static Kernel boot(KernelVersion v) { return boot(KernelConfig.of(v)); }

    static Kernel boot(KernelConfig c) {
        Kernel k = Kernel.boot(c);
        k.setCheckInvariants(true);
        return k;
    }

    static int neg(Errno e) { return e.neg(); }

    /** Kills and reaps every task but init and the boot threads; init's wait4(-1, WNOHANG|__WALL) loop. */
    static void reapAll(Kernel k, List<Integer> pids) {
        for (int p : pids) {
            Task t = k.task(p);
            if (t != null && !t.hasExited()) assertEquals(0, k.kill(1, p, Signals.SIGKILL));
        }
        while (k.wait4(1, -1, WNOHANG | WALL) > 0) { /* reap */ }
        k.checkInvariants("after");
    }

    // ---- clone flags ----

    @Test
    void v24_cloneFlagValidation() {
        Kernel k = boot(KernelVersion.LINUX_2_4);
        int last = k.pids().lastPid();
        assertEquals(neg(Errno.EINVAL), k.clone(1, CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS | CloneFlags.SIGCHLD), "R5.1 step 1");
        assertEquals(last, k.pids().lastPid(), "2.4 checks NEWNS|FS before get_pid: no pid burned (R4.4)");
        int c = k.fork(1);
        assertEquals(neg(Errno.EPERM), k.clone(c, CloneFlags.CLONE_PID | CloneFlags.SIGCHLD), "R5.1 step 2: only pid 0 may CLONE_PID");
        assertEquals(neg(Errno.EPERM), k.clone(1, CloneFlags.CLONE_PID | CloneFlags.SIGCHLD), "not even init");
        int th = k.clone(c, CloneFlags.CLONE_THREAD | CloneFlags.SIGCHLD);
        assertTrue(th > 0, "2.4 has no THREAD => SIGHAND check: " + th);
        int sh = k.clone(c, CloneFlags.CLONE_SIGHAND | CloneFlags.SIGCHLD);
        assertTrue(sh > 0, "2.4 has no SIGHAND => VM check: " + sh);
        int unknown = k.clone(c, 0x10000000 | CloneFlags.SIGCHLD);
        assertTrue(unknown > 0, "unknown bits are ignored");
        assertEquals(0, k.setuid(c, 1000));
        int before = k.pids().lastPid();
        assertEquals(neg(Errno.EPERM), k.clone(c, CloneFlags.CLONE_NEWNS | CloneFlags.SIGCHLD), "copy_namespace without CAP_SYS_ADMIN");
        assertEquals(before + 1, k.pids().lastPid(), "copy_namespace runs after get_pid: the pid is burned (R4.4)");
        k.checkInvariants("after");
        reapAll(k, List.of(th, sh, unknown, c));
    }

    @Test
    void v26_cloneFlagValidation() {
        Kernel k = boot(KernelVersion.LINUX_2_6);
        int c = k.fork(1);
        int last = k.pids().lastPid();
        assertEquals(neg(Errno.EINVAL), k.clone(c, CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS | CloneFlags.SIGCHLD), "R5.2 step 1");
        assertEquals(neg(Errno.EINVAL), k.clone(c, CloneFlags.CLONE_THREAD | CloneFlags.SIGCHLD), "R5.2 step 2: THREAD needs SIGHAND");
        assertEquals(neg(Errno.EINVAL), k.clone(c, CloneFlags.CLONE_THREAD | CloneFlags.CLONE_SIGHAND), "R5.2 step 3: SIGHAND needs VM");
        assertEquals(neg(Errno.EINVAL), k.clone(c, CloneFlags.CLONE_SIGHAND | CloneFlags.SIGCHLD), "R5.2 step 3");
        assertEquals(last + 4, k.pids().lastPid(), "2.6 allocates the pid first: every failure burns one (R4.4)");
        int pidBit = k.clone(c, CloneFlags.CLONE_PID | CloneFlags.SIGCHLD);
        assertTrue(pidBit > 0, "CLONE_PID is gone in 2.6: an unknown bit, ignored: " + pidBit);
        assertEquals(0, k.setuid(c, 1000));
        assertEquals(neg(Errno.EINVAL), k.clone(c, CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS), "validation precedes the capability check");
        assertEquals(neg(Errno.EPERM), k.clone(c, CloneFlags.CLONE_NEWUTS | CloneFlags.SIGCHLD), "copy_namespaces without CAP_SYS_ADMIN");
        assertTrue(k.task(c).children().stream().allMatch(t -> t.pid() == pidBit), "no half-built child is left behind");
        k.checkInvariants("after");
        reapAll(k, List.of(pidBit, c));
    }

    // ---- unknown pids, no children ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void unknownPidsGiveEsrch(KernelVersion v) {
        Kernel k = boot(v);
        int free = k.machine().mem().freeFrames();
        for (int pid : new int[] {NO_PID, -5, 40_000, Integer.MAX_VALUE}) {
            assertEquals(neg(Errno.ESRCH), k.fork(pid), "fork as " + pid);
            assertEquals(neg(Errno.ESRCH), k.execve(pid, "/bin/sh"));
            assertEquals(neg(Errno.ESRCH), k.exit(pid, 0));
            assertEquals(neg(Errno.ESRCH), k.wait4(pid, -1, 0));
            assertEquals(neg(Errno.ESRCH), k.kill(pid, 1, Signals.SIGTERM));
            assertEquals(neg(Errno.ESRCH), k.mmap(pid, 0, 4096, RW, PRIV));
            assertEquals(neg(Errno.ESRCH), k.munmap(pid, 0x40000000L, 4096));
            assertEquals(neg(Errno.ESRCH), k.readByte(pid, 0x08048000L));
            assertEquals(neg(Errno.ESRCH), k.wakeUpProcess(pid));
            assertEquals(neg(Errno.ESRCH), k.kthreadBind(pid, 0));
        }
        assertEquals(neg(Errno.ESRCH), k.kill(1, NO_PID, Signals.SIGKILL), "kill of a pid nobody has");
        assertEquals(neg(Errno.ESRCH), k.kthreadStop(1, NO_PID));
        if (v.is26()) assertEquals(neg(Errno.ESRCH), k.schedSetaffinity(1, NO_PID, 1));
        assertEquals(free, k.machine().mem().freeFrames());
        k.checkInvariants("after");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void waitWithNoChildrenGivesEchildWithoutSleeping(KernelVersion v) {
        Kernel k = boot(v);
        int c = k.fork(1);
        assertEquals(neg(Errno.ECHILD), k.wait4(c, -1, 0), "blocking wait, no children");
        assertEquals(neg(Errno.ECHILD), k.wait4(c, -1, WALL));
        assertEquals(neg(Errno.ECHILD), k.wait4(1, NO_PID, 0), "no such child");
        assertEquals(0, k.task(c).state(), "still TASK_RUNNING: it never slept");
        k.checkInvariants("after");
        reapAll(k, List.of(c));
    }

    // ---- bad addresses ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void badAndKernelAddressesKillTheTaskWithSigsegvAndTheKernelRunsOn(KernelVersion v) {
        Kernel k = boot(v);
        long[] bad = {0x0L, 0x1000L, 0x3FFFF000L, 0xC0000000L, 0xC0100000L, 0xFFFFFFFFL};
        List<Integer> kids = new ArrayList<>();
        for (int i = 0; i < bad.length; i++) {
            int c = k.fork(1);
            kids.add(c);
            boolean write = (i & 1) == 1;
            int r = write ? k.writeByte(c, bad[i], 0x5a) : k.readByte(c, bad[i]);
            assertEquals(-Signals.SIGSEGV, r, String.format("%s of %08x", write ? "write" : "read", bad[i]));
            assertTrue(k.task(c).isZombie(), "killed by SIGSEGV");
            assertEquals(c, k.wait4(1, c, 0));
            assertEquals(Signals.SIGSEGV | 0x80, k.task(1).lastWaitStatus(), "SIGSEGV with core: 0x8b (R11.11)");
        }
        int c = k.fork(1);
        assertTrue(k.readByte(c, 0x08048000L) >= 0, "the kernel runs on: a good read works");
        k.checkInvariants("after");
        reapAll(k, List.of(c));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void writeToReadOnlyMappingsIsSegvAccerr(KernelVersion v) {
        Kernel k = boot(v);
        int a = k.fork(1);
        assertEquals(-Signals.SIGSEGV, k.writeByte(a, 0x08048000L, 1), "text is r-x");
        int b = k.fork(1);
        long m = k.mmap(b, 0, 4 * 4096, RW, PRIV);
        assertTrue(m > 0);
        assertEquals(0, k.writeByte(b, m, 7));
        assertEquals(0, k.mprotect(b, m, 4 * 4096, VmFlags.PROT_READ));
        assertEquals(7, k.readByte(b, m), "still readable");
        assertEquals(-Signals.SIGSEGV, k.writeByte(b, m + 4096, 1), "read-only after mprotect, not present");
        int c = k.fork(1);
        long ro = k.mmap(c, 0, 4096, VmFlags.PROT_READ, PRIV);
        assertEquals(0, k.readByte(c, ro), "the zero page");
        assertEquals(-Signals.SIGSEGV, k.writeByte(c, ro, 1), "read-only mmap, present pte");
        for (int p : new int[] {a, b, c}) assertTrue(k.task(p).isZombie());
        k.checkInvariants("after");
        reapAll(k, List.of());
    }

    // ---- munmap of nothing, absurd sizes ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void munmapOfUnmappedRangesReturnsZeroAndChangesNothing(KernelVersion v) {
        Kernel k = boot(v);
        int c = k.fork(1);
        MmStruct mm = k.task(c).mm();
        String vmas = mm.vmas().toString();
        long total = mm.totalVm();
        int free = k.machine().mem().freeFrames();
        assertEquals(0, k.munmap(c, 0x50000000L, 16 * 4096), "a hole: Linux returns 0");
        assertEquals(0, k.munmap(c, 0x0L, 4096), "page 0");
        assertEquals(0, k.munmap(c, 0xBFF00000L, 4096), "below the stack");
        assertEquals(vmas, mm.vmas().toString());
        assertEquals(total, mm.totalVm());
        assertEquals(free, k.machine().mem().freeFrames());
        k.checkInvariants("after");
        reapAll(k, List.of(c));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void negativeAndAbsurdSizes(KernelVersion v) {
        Kernel k = boot(v);
        int c = k.fork(1);
        MmStruct mm = k.task(c).mm();
        String vmas = mm.vmas().toString();
        int free = k.machine().mem().freeFrames();
        int tooBig = v.is24() ? neg(Errno.EINVAL) : neg(Errno.ENOMEM);   // 2.4 "len > TASK_SIZE: -EINVAL"; 2.6 -ENOMEM
        assertEquals(tooBig, k.mmap(c, 0, -4096, RW, PRIV), "negative length is a huge size_t");
        assertEquals(tooBig, k.mmap(c, 0, 0xC0001000L, RW, PRIV), "more than 3 GiB");
        assertEquals(tooBig, k.mmap(c, 0, 4L << 30, RW, PRIV), "4 GiB");
        assertEquals(neg(Errno.ENOMEM), k.mmap(c, 0, 0xC0000000L, RW, PRIV), "exactly 3 GiB: no room (get_unmapped_area)");
        assertEquals(v.is24() ? 0 : neg(Errno.EINVAL), k.mmap(c, 0, 0, RW, PRIV), "length 0: 2.4 returns addr, 2.6 -EINVAL");
        assertEquals(neg(Errno.EINVAL), k.munmap(c, 0x40000000L, -4096));
        assertEquals(neg(Errno.EINVAL), k.munmap(c, 0x40000000L, 0xC0000000L), "beyond TASK_SIZE");
        assertEquals(neg(Errno.EINVAL), k.munmap(c, 0x40000000L, 0), "length 0");
        assertEquals(neg(Errno.EINVAL), k.munmap(c, 0x40000001L, 4096), "unaligned");
        assertEquals(neg(Errno.EINVAL), k.mprotect(c, 0x08048000L, -4096, VmFlags.PROT_READ));
        assertEquals(neg(Errno.EINVAL), k.mprotect(c, 0x08048001L, 4096, VmFlags.PROT_READ), "unaligned");
        assertEquals(neg(Errno.EINVAL), k.mprotect(c, 0xBFFFE000L, 0x50000000L, VmFlags.PROT_READ), "end wraps past 4 GiB");
        assertEquals(neg(Errno.ENOMEM), k.mprotect(c, 0x50000000L, 0xC0000000L - 0x50000000L, RW), "nothing mapped there");
        assertEquals(vmas, mm.vmas().toString(), "the failed calls changed no vma");
        long brk = mm.brk();
        assertEquals(brk, k.brk(c, -4096), "sys_brk below start_brk returns the old break");
        assertEquals(brk, k.brk(c, 0xF0000000L), "beyond TASK_SIZE: the old break");
        assertEquals(brk, k.brk(c, Long.MIN_VALUE));
        assertEquals(vmas, mm.vmas().toString());
        assertEquals(free, k.machine().mem().freeFrames());
        k.checkInvariants("after");
        reapAll(k, List.of(c));
    }

    // ---- limits ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void ramExhaustedForkFailsWithEnomemAndNothingLeaks(KernelVersion v) {
        Kernel k = boot(KernelConfig.of(v).withRam(8L << 20));
        k.setMaxThreads(1 << 20);                       // so memory, not max_threads, is the limit
        int free = k.machine().mem().freeFrames();
        List<Integer> kids = new ArrayList<>();
        int r;
        while ((r = k.fork(1)) > 0) kids.add(r);
        assertEquals(neg(Errno.ENOMEM), r, "alloc_task_struct / copy_mm fail with -ENOMEM (R5.1 step 3, 7)");
        assertTrue(kids.size() > 100, "forked " + kids.size());
        k.checkInvariants("after");
        reapAll(k, kids);
        assertEquals(free, k.machine().mem().freeFrames(), "every frame of the failed forks came back");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void ramExhaustedAtFaultTimeOomKillsTheFaultingTaskWithSigkill(KernelVersion v) {
        Kernel k = boot(KernelConfig.of(v).withRam(8L << 20));
        int free = k.machine().mem().freeFrames();
        int c = k.fork(1);
        long len = 16L << 20;
        long m = k.mmap(c, 0, len, RW, PRIV);
        assertTrue(m > 0, "mmap does not commit memory");
        int r = 0;
        long a;
        for (a = m; a < m + len && r == 0; a += 4096) r = k.writeByte(c, a, 1);
        assertEquals(-Signals.SIGKILL, r, "handle_mm_fault out of memory: do_exit(SIGKILL) (R9.2 step 5)");
        assertTrue(k.task(c).isZombie());
        assertTrue(a - m < len, "it ran out before the end");
        assertEquals(c, k.wait4(1, c, 0));
        assertEquals(Signals.SIGKILL, k.task(1).lastWaitStatus(), "status 0x0009");
        int d = k.fork(1);
        assertTrue(d > 0, "memory is back: fork works again");
        k.checkInvariants("after");
        reapAll(k, List.of(d));
        assertEquals(free, k.machine().mem().freeFrames());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void pidSpaceExhaustedGivesEagain(KernelVersion v) {
        Kernel k = Kernel.boot(KernelConfig.of(v).withRam(512L << 20));   // invariants checked at the end only (32k tasks)
        k.setMaxThreads(1 << 20);
        int free = k.machine().mem().freeFrames();
        int r;
        int n = 0;
        while ((r = k.clone(1, CloneFlags.CLONE_VM | CloneFlags.SIGCHLD)) > 0) {
            assertEquals(0, k.exit(r, 0));                // a zombie keeps its pid and is off the runqueue
            n++;
        }
        assertEquals(neg(Errno.EAGAIN), r, "get_pid / alloc_pidmap found no free pid (R4.1, R4.2)");
        assertTrue(n > 32_000 && n < 32_768, "pids handed out: " + n);
        k.checkInvariants("pid space full");
        assertEquals(neg(Errno.EAGAIN), k.fork(1), "still full");
        assertEquals(1000, k.wait4(1, 1000, WNOHANG), "reap one (pids below RESERVED_PIDS 300 are not reused after the wrap)");
        int again = k.fork(1);
        assertTrue(again > 0, "one pid is free again: " + again + " " + v);
        assertEquals(1000, again, "the only free pid");
        while (k.wait4(1, -1, WNOHANG | WALL) > 0) { /* reap */ }
        for (Task t : k.tasks()) if (t.pid() > 0 && !t.hasExited() && t.parent() == k.task(1) && t.mm() != null) k.exit(t.pid(), 0);
        while (k.wait4(1, -1, WNOHANG | WALL) > 0) { /* reap */ }
        k.checkInvariants("after");
        assertEquals(free, k.machine().mem().freeFrames());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void rlimitNprocGivesEagainForNonRoot(KernelVersion v) {
        Kernel k = boot(v);
        int c = k.fork(1);
        assertEquals(0, k.setuid(c, 1000));
        assertEquals(0, k.setRlimitNproc(c, 2));
        int g = k.fork(c);
        assertTrue(g > 0, "the second process of uid 1000");
        int last = k.pids().lastPid();
        assertEquals(neg(Errno.EAGAIN), k.fork(c), "user->processes >= RLIMIT_NPROC (R5.1 step 4)");
        assertEquals(v.is24() ? last : last + 1, k.pids().lastPid(), "2.4 checks before get_pid; 2.6 burns a pid (R4.4)");
        assertEquals(neg(Errno.EINVAL), k.setRlimitNproc(c, -1));
        assertEquals(neg(Errno.EPERM), k.setuid(c, 0), "no way back to root");
        assertEquals(0, k.setRlimitNproc(1, 0));
        int r = k.fork(1);
        assertTrue(r > 0, "root is exempt");
        k.checkInvariants("after");
        reapAll(k, List.of(g, c, r));
    }

    // ---- nulls and Java-level misuse from notebook code ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void nullsFromNotebookCode(KernelVersion v) {
        Kernel k = boot(v);
        int c = k.fork(1);
        assertEquals(neg(Errno.EFAULT), k.execve(c, null), "a NULL filename is a bad user pointer");
        assertEquals(neg(Errno.ENOENT), k.execve(c, "/no/such/file"));
        assertEquals(neg(Errno.ENOENT), k.execve(c, ""));
        assertNotNull(k.task(c).mm(), "the failed execs kept the old image");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.kernelThread(c, "kt", null, 0));
        assertTrue(e.getMessage().contains("KernelThreadFn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> k.kernelThread(c, null, KernelThreadFn.returning(0), 0));
        assertTrue(e.getMessage().contains("name"), e.getMessage());
        if (v.is26()) {
            e = assertThrows(IllegalArgumentException.class, () -> k.kthreadCreate(c, "kt", null));
            assertTrue(e.getMessage().contains("KernelThreadFn"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.kthreadRun(c, null, KernelThreadFn.sleeper()));
            assertTrue(e.getMessage().contains("name"), e.getMessage());
        }
        assertEquals(1, k.task(c).children().size() + 1, "no half-made thread");
        e = assertThrows(IllegalArgumentException.class, () -> KernelConfig.of(null));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernel.boot((KernelConfig) null));
        assertTrue(e.getMessage().contains("KernelConfig"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kernel.boot((KernelVersion) null));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
        assertEquals(neg(Errno.EINVAL), k.sigaction(c, Signals.SIGKILL, Signals.SIG_IGN));
        assertEquals(neg(Errno.EINVAL), k.sigaction(c, 0, Signals.SIG_IGN));
        assertEquals(neg(Errno.EINVAL), k.kill(c, 1, 99));
        assertEquals(neg(Errno.EINVAL), k.kill(c, 1, -1));
        assertEquals(neg(Errno.EINVAL), k.wait4(1, -1, 0x100));
        k.checkInvariants("after");
        reapAll(k, List.of(c));
        assertNull(k.task(c));
        assertFalse(k.task(1).hasExited());
    }
}
