package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** do_exit, zombies, reparenting, SIGCHLD and wait4 (LINUX-SPEC §11). */
class ExitWaitTest {
    static final int WNOHANG = 1;
    static final int WUNTRACED = 2;
    static final int WCONTINUED = 8;
    static final int WCLONE = 0x80000000;
    static final int WALL = 0x40000000;
    static final long STACK = 0xBFFFF000L;

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_11_exitStatusIsCodeShiftedLeftByEight(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        int threads = k.nrThreads();
        assertEquals(0, k.exit(c, 3));
        Task z = k.task(c);
        assertTrue(z.isZombie());
        assertEquals(v.is24() ? "TASK_ZOMBIE" : "EXIT_ZOMBIE", z.stateName());
        assertNull(z.mm(), "a zombie's mm is gone (R11.12)");
        assertEquals(threads, k.nrThreads(), "still counted until reaped");
        assertEquals(c, k.wait4(1, c, 0));
        assertEquals(0x0300, k.task(1).lastWaitStatus());
        assertNull(k.task(c));
        assertEquals(threads - 1, k.nrThreads());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_11_killedBySigkillIs0x0009AndSegvWithCoreIs0x008b(KernelVersion v) {
        Kernel k = Boots.up(v);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(0, k.kill(1, a, Signals.SIGKILL));
        assertEquals(-Signals.SIGSEGV, k.readByte(b, 0x10));
        assertTrue(k.task(a).isZombie());
        assertTrue(k.task(b).isZombie());
        assertEquals(a, k.wait4(1, a, 0));
        assertEquals(0x0009, k.task(1).lastWaitStatus());
        assertEquals(b, k.wait4(1, b, 0));
        assertEquals(0x008b, k.task(1).lastWaitStatus());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_9_wnohangEchildAndBadOptions(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(0, k.wait4(1, -1, WNOHANG), "a live child: nothing yet");
        assertEquals(-Errno.ECHILD.code(), k.wait4(c, -1, WNOHANG), "no children at all");
        assertEquals(-Errno.ECHILD.code(), k.wait4(1, 12345, 0), "no such child");
        assertEquals(-Errno.EINVAL.code(), k.wait4(1, -1, 0x100));
        if (v.is24()) assertEquals(-Errno.EINVAL.code(), k.wait4(1, -1, WCONTINUED | WNOHANG), "2.4 has no WCONTINUED");
        else assertEquals(0, k.wait4(1, -1, WCONTINUED | WNOHANG));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_9_blockingWaitSleepsAndTheChildsExitWakesIt(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(Kernel.WAIT_BLOCKED, k.wait4(1, -1, 0));
        assertEquals(TaskState.INTERRUPTIBLE, k.task(1).state());
        assertEquals(0, k.exit(c, 7));
        assertEquals(TaskState.RUNNING, k.task(1).state(), "do_notify_parent woke the waiter");
        assertEquals(c, k.wait4(1, -1, 0));
        assertEquals(0x0700, k.task(1).lastWaitStatus());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_4_orphansAreAdoptedByInit(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        int gc = k.fork(p);
        assertEquals(p, k.getppid(gc));
        k.exit(p, 0);
        assertEquals(1, k.getppid(gc));
        assertSame(k.task(1), k.task(gc).parent());
        assertTrue(k.task(1).children().contains(k.task(gc)));
        k.exit(gc, 5);
        assertEquals(p, k.wait4(1, p, 0));
        assertEquals(gc, k.wait4(1, gc, 0), "init reaps the orphan");
        assertEquals(0x0500, k.task(1).lastWaitStatus());
    }

    @Test
    void R11_7_linux26AdoptsByALiveThreadOfTheGroupFirst() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int p = k.fork(1);
        int thread = k.clone(p, CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD);
        int child = k.fork(p);
        k.exit(p, 0);
        assertSame(k.task(thread), k.task(child).realParent(), "another live thread of the group adopts");
        assertEquals(p, k.getppid(child), "getppid is real_parent->tgid: still the group's id");
        assertTrue(k.task(p).isZombie(), "a leader with live threads stays a zombie");
        assertEquals(0, k.wait4(1, p, WNOHANG), "delay_group_leader: not reapable yet");
    }

    @Test
    void R11_4_linux24AlwaysReparentsToInit() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int p = k.fork(1);
        k.clone(p, CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD | Signals.SIGCHLD);
        int child = k.fork(p);
        k.exit(p, 0);
        assertSame(k.task(1), k.task(child).realParent());
        assertEquals(1, k.getppid(child));
    }

    @Test
    void R11_6_linux24SigchldIgnoredLeavesAZombieUntilTheParentReturnsToUser() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int p = k.fork(1);
        assertEquals(0, k.sigaction(p, Signals.SIGCHLD, Signals.SIG_IGN));
        int c = k.fork(p);
        k.exit(c, 0);
        assertTrue(k.task(c).isZombie(), "2.4: no automatic reaping");
        assertNotEquals(0, k.task(p).pendingSignals() & (1L << (Signals.SIGCHLD - 1)), "SIGCHLD is posted");
        k.getpid(p);                                   // any system call: do_signal runs the wait4 loop
        assertNull(k.task(c), "reaped by the parent's do_signal");
    }

    @Test
    void R11_8_linux26SigchldIgnoredMakesTheChildSelfReap() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int p = k.fork(1);
        k.sigaction(p, Signals.SIGCHLD, Signals.SIG_IGN);
        int c = k.fork(p);
        assertEquals(Kernel.WAIT_BLOCKED, k.wait4(p, -1, 0));
        k.exit(c, 0);
        assertNull(k.task(c), "EXIT_DEAD: released at once");
        assertEquals(0, k.task(p).pendingSignals() & (1L << (Signals.SIGCHLD - 1)), "no signal sent");
        assertEquals(TaskState.RUNNING, k.task(p).state(), "but the waiting parent was woken");
        assertEquals(-Errno.ECHILD.code(), k.wait4(p, -1, 0));
    }

    @Test
    void R11_9_linux24CloneChildrenNeedWclone() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int p = k.fork(1);
        int t = k.clone(p, CloneFlags.CLONE_VM);               // exit signal 0: a "clone child"
        int f = k.fork(p);
        k.exit(t, 1);
        k.exit(f, 2);
        assertEquals(f, k.wait4(p, -1, 0), "a normal wait sees only the SIGCHLD child");
        assertEquals(-Errno.ECHILD.code(), k.wait4(p, -1, WNOHANG));
        assertEquals(t, k.wait4(p, -1, WCLONE));
        assertEquals(0x0100, k.task(p).lastWaitStatus());
    }

    @Test
    void R11_10_linux26ThreadsAreNeverWaitable() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int p = k.fork(1);
        int t = k.clone(p, CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD);
        assertEquals(-1, k.task(t).exitSignal());
        k.exit(t, 0);
        assertNull(k.task(t), "a detached thread releases itself");
        assertEquals(-Errno.ECHILD.code(), k.wait4(p, -1, WALL | WNOHANG));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_9_reapingAddsTheChildsFaultsToCminFlt(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        for (int i = 0; i < 3; i++) assertEquals(0, k.writeByte(c, 0x08050000L + 0x1000L * i, 1));   // data/bss pages of /sbin/init
        long faults = k.task(c).minFlt();
        assertTrue(faults >= 3, "child faults: " + faults);
        long before = k.task(1).cminFlt();
        k.exit(c, 0);
        k.wait4(1, c, 0);
        assertEquals(before + faults, k.task(1).cminFlt());
    }

    @Test
    void R11_9_linux24ReapGivesTheChildsCounterBackCappedAt20() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        Task init = k.task(1);
        int c = k.fork(1);
        int childCounter = k.task(c).counter();
        int parentCounter = init.counter();
        k.exit(c, 0);
        k.wait4(1, c, 0);
        assertEquals(Math.min(parentCounter + childCounter, 20), init.counter());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_12_aZombieKeepsItsKernelStackUntilReaped(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        k.exit(c, 0);
        int free = k.machine().mem().freeFrames();
        assertTrue(k.task(c).stackPhys() > 0);
        k.wait4(1, c, 0);
        assertEquals(free + 2, k.machine().mem().freeFrames(), "the 8 KiB stack returns at release");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void exitGroupIsEnosysOn24AndEndsTheGroupOn26(KernelVersion v) {
        Kernel k = Boots.up(v);
        int p = k.fork(1);
        int t = k.clone(p, CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD);
        if (v.is24()) {
            assertEquals(-Errno.ENOSYS.code(), k.exitGroup(p, 1));
        } else {
            assertEquals(0, k.exitGroup(p, 1));
            assertNull(k.task(t));
            assertEquals(p, k.wait4(1, p, 0));
            assertEquals(0x0100, k.task(1).lastWaitStatus());
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_11_stoppedChildReportsWithWuntraced(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(0, k.kill(1, c, Signals.SIGSTOP));
        assertEquals(c, k.wait4(1, c, WUNTRACED));
        assertEquals(0x137f, k.task(1).lastWaitStatus());
        assertEquals(0, k.wait4(1, c, WUNTRACED | WNOHANG), "reported once");
        assertEquals(0, k.kill(1, c, Signals.SIGCONT));
        assertEquals(TaskState.RUNNING, k.task(c).state());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void everyFrameReturnsAfterForkExitAndReap(KernelVersion v) {
        Kernel k = Boots.up(v);
        int free = k.machine().mem().freeFrames();
        for (int i = 0; i < 20; i++) {
            int c = k.fork(1);
            k.writeByte(c, STACK + 0x100, 9);
            if (i % 2 == 0) assertEquals(0, k.execve(c, "/bin/true"));
            k.exit(c, 0);
            assertEquals(c, k.wait4(1, c, 0));
        }
        assertEquals(free, k.machine().mem().freeFrames(), "no frame leaked");
    }
}
