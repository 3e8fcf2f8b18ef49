package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.machine.KernelBug;

/** Boot-time tasks and pids 0, 1, 2 (LINUX-SPEC §3). */
class BootTest {
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R3_1_everyCpuHasAnIdleTaskWithPidZeroNotHashed(KernelVersion v) {
        Kernel k = Boots.smp(v, 4);
        for (int c = 0; c < 4; c++) {
            Task idle = k.idleTask(c);
            assertEquals(0, idle.pid());
            assertEquals("swapper", idle.comm());
            assertNull(idle.mm());
            assertNotSame(k.idleTask(0), c == 0 ? null : idle);
        }
        assertNull(k.task(0), "pid 0 is never on the pid hash");
        assertFalse(k.idleTask(1).onRunqueue());
    }

    @Test
    void R3_3_R3_4_linux24InitIsPid1AndKeventdIsPid2ChildOfInit() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        Task init = k.task(1);
        assertEquals("init", init.comm());
        assertEquals(0, init.ppid());
        assertEquals(1, init.tgid(), "de_thread at exec set tgid = pid");
        assertNotNull(init.mm(), "after exec init is a user process");
        Task keventd = k.task(2);
        assertEquals("keventd", keventd.comm());
        assertEquals(1, keventd.ppid());
        assertNull(keventd.mm());
        assertEquals(1, keventd.pgrp(), "daemonize: pgrp 1");
        assertEquals(1, keventd.session());
        assertEquals(Signals.SIG_IGN, keventd.sighand().handler(Signals.SIGCHLD));
        assertSame(init, k.childReaper());
        // The initcall threads were made by init with CLONE_SIGNAL: they share init's old tgid 0.
        Task kswapd = k.tasks().stream().filter(t -> t.comm().equals("kswapd")).findFirst().orElseThrow();
        assertEquals(0, kswapd.tgid());
        assertEquals(1, kswapd.ppid());
    }

    @Test
    void R3_5_linux26InitAndKthreaddAreChildrenOfPid0AndKthreadsOfKthreadd() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        Task init = k.task(1);
        Task kthreadd = k.task(2);
        assertEquals(0, init.ppid());
        assertEquals(1, init.tgid());
        assertEquals("kthreadd", kthreadd.comm());
        assertEquals(0, kthreadd.ppid());
        assertEquals(-5, kthreadd.nice());
        assertEquals(115, kthreadd.staticPrio());
        for (int sig = 1; sig <= Signals.NSIG; sig++) assertEquals(Signals.SIG_IGN, kthreadd.sighand().handler(sig));
        for (Task t : k.tasks()) {
            if (t.pid() > 2) {
                assertEquals(2, t.ppid(), t.comm() + " is a child of kthreadd");
                assertNull(t.mm());
                assertEquals(TaskState.INTERRUPTIBLE, t.state(), t.comm() + " sleeps in its loop");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R3_6_initCannotExitAndIdleCannotBeKilled(KernelVersion v) {
        Kernel k = Boots.up(v);
        KernelBug e = assertThrows(KernelBug.class, () -> k.exit(1, 0));
        assertEquals("do_exit: Attempted to kill init!", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R3_2_initMmIsNeverFreedAndIsBorrowedByIdle(KernelVersion v) {
        Kernel k = Boots.smp(v, 2);
        assertFalse(k.mm().initMm().freed());
        assertSame(k.mm().initMm(), k.idleTask(1).activeMm(), "cpu1 still runs its idle task on init_mm");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R2_5_currentIsFoundByMaskingEsp(KernelVersion v) {
        Kernel k = Boots.up(v);
        Task init = k.task(1);
        int esp = init.esp();
        assertEquals(init.stackBase(), Task.currentFromEsp(esp));
        assertEquals(0, init.stackBase() % Task.THREAD_SIZE, "8 KiB aligned");
        assertEquals(init.stackBase() + Task.THREAD_SIZE - Task.childRegsOffset(v), esp, "pt_regs at the top of the stack");
    }
}
