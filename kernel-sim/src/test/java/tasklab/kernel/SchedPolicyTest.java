package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;
import static tasklab.kernel.SchedPolicy.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real-time policies and priorities on both schedulers (kernel/sched.c, kernel/sys.c).
 * New rule ids, not yet in LINUX-SPEC:
 * <ul>
 * <li>R7.14 sched_setscheduler(pid, policy, param) / sched_setparam(pid, param): errors in order
 *     [2.6: a negative policy is EINVAL first], pid &lt; 0 EINVAL, no task ESRCH, unknown policy
 *     EINVAL (2.4 knows SCHED_OTHER / FIFO / RR; 2.6 adds SCHED_BATCH), priority outside 0..99 or
 *     not matching the policy (real time 1..99, others 0) EINVAL, then EPERM: 2.4 any real-time
 *     policy without CAP_SYS_NICE; 2.6 without it only lowering a real-time task's own priority
 *     is allowed (RLIMIT_RTPRIO 0); both: another user's task. sched_getscheduler /
 *     sched_getparam: EINVAL for pid &lt; 0, ESRCH, else policy / rt_priority; pid 0 is the caller.</li>
 * <li>R7.15 [2.6] a real-time task has prio = MAX_RT_PRIO-1 - rt_priority (0..98), ahead of every
 *     SCHED_OTHER task (100..139); SCHED_FIFO tasks have no time slice; a SCHED_RR task that uses
 *     its slice gets a new one at the tail of its priority list, staying in the active array;
 *     sched_yield of a real-time task keeps it in the active array. A task that rises above the
 *     running one preempts it (TASK_PREEMPTS_CURR).</li>
 * <li>R7.16 nice(inc): 2.4 a negative increment needs CAP_SYS_NICE (EPERM) before clamping; 2.6
 *     clamps to -40..40, then EPERM for lowering nice without CAP_SYS_NICE (RLIMIT_NICE 0); nice is
 *     clamped to -20..19. setpriority(which, who, niceval): EINVAL for which outside 0..2, ESRCH if
 *     nothing matched, EPERM for another user's task, EACCES for lowering nice without
 *     CAP_SYS_NICE. getpriority answers 20 - nice. 2.6 set_user_nice requeues a SCHED_OTHER task at
 *     prio 120 + nice; a real-time task's prio does not change.</li>
 * </ul>
 * R7.1 (in the spec): 2.4 goodness of a real-time task is 1000 + rt_priority; R7.2: an exhausted
 * SCHED_RR task gets NICE_TO_TICKS and goes to the runqueue tail.
 */
class SchedPolicyTest {
    static final int EINVAL = Errno.EINVAL.neg();
    static final int EPERM = Errno.EPERM.neg();
    static final int ESRCH = Errno.ESRCH.neg();
    static final int EACCES = Errno.EACCES.neg();

    private static Kernel up(KernelVersion v) { return Boots.minimal(v, 1); }

    @Test
    void R7_1_24_realTimeGoodnessIs1000PlusRtPriorityAndAFifoTaskKeepsTheCpu() {
        Kernel k = up(KernelVersion.LINUX_2_4);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(0, k.schedSetscheduler(1, a, SCHED_FIFO, 50));
        Sched24 s = (Sched24) k.sched();
        Task ta = k.task(a);
        assertEquals(1050, s.goodness(ta, 0, k.task(1).mm()));
        assertSame(ta, k.current(0), "the caller's need_resched let the real-time task in at once");
        for (int i = 0; i < 100; i++) k.tick(0);
        assertSame(ta, k.current(0), "SCHED_FIFO: ticks never hand the CPU to a SCHED_OTHER task");
        assertNotSame(k.task(b), k.current(0));
    }

    @Test
    void R7_2_24_exhaustedRoundRobinTasksTakeTurns() {
        Kernel k = up(KernelVersion.LINUX_2_4);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(0, k.schedSetscheduler(1, a, SCHED_RR, 10));
        assertEquals(0, k.schedSetscheduler(1, b, SCHED_RR, 10));
        Task first = k.current(0);
        assertTrue(first.pid() == a || first.pid() == b);
        int switches = 0;
        Task last = first;
        for (int i = 0; i < 40; i++) {
            k.tick(0);
            Task now = k.current(0);
            assertTrue(now.pid() == a || now.pid() == b, "only the RR tasks run, not " + now);
            if (now != last) switches++;
            last = now;
        }
        assertTrue(switches >= 4, "each gets NICE_TO_TICKS(0) = 6 ticks, then the other: " + switches + " switches");
    }

    @Test
    void R7_15_26_realTimePrioBeatsEveryOtherTaskAndFifoHasNoSlice() {
        Kernel k = up(KernelVersion.LINUX_2_6);
        int a = k.fork(1);
        int b = k.fork(1);
        Task ta = k.task(a);
        assertEquals(0, k.schedSetscheduler(1, a, SCHED_FIFO, 10));
        assertEquals(89, ta.prio(), "MAX_RT_PRIO-1 - rt_priority");
        assertSame(ta, k.current(0), "TASK_PREEMPTS_CURR: it preempted init");
        int slice = ta.timeSlice();
        for (int i = 0; i < 300; i++) k.tick(0);
        assertSame(ta, k.current(0));
        assertEquals(slice, ta.timeSlice(), "FIFO tasks have no timeslices");
        assertEquals(0, k.schedSetscheduler(1, a, SCHED_OTHER, 0));
        assertEquals(120, ta.prio(), "back to static_prio");
        assertNotSame(k.task(b), null);
    }

    @Test
    void R7_15_26_roundRobinTasksTakeTurnsInTheActiveArray() {
        Kernel k = up(KernelVersion.LINUX_2_6);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(0, k.schedSetscheduler(1, a, SCHED_RR, 20));
        assertEquals(0, k.schedSetscheduler(1, b, SCHED_RR, 20));
        int switches = 0;
        Task last = k.current(0);
        for (int i = 0; i < 100; i++) {
            k.tick(0);
            Task now = k.current(0);
            assertTrue(now.pid() == a || now.pid() == b, "only the RR tasks run, not " + now);
            assertFalse(now.expired(), "RR tasks never go to the expired array");
            if (now != last) switches++;
            last = now;
        }
        assertTrue(switches >= 2, "a new slice, to the tail: " + switches);
        Task cur = k.current(0);
        assertEquals(0, k.schedYield(cur.pid()));
        assertNotSame(cur, k.current(0), "sched_yield moves it behind the other RR task");
        assertFalse(cur.expired(), "and keeps it in the active array");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R7_14_setschedulerChecksInTheKernelsOrder(KernelVersion v) {
        Kernel k = up(v);
        int a = k.fork(1);
        int b = k.fork(1);
        assertEquals(v.is26() ? EINVAL : ESRCH, k.schedSetscheduler(1, 31000, -1, 0),
            "2.6 sys_sched_setscheduler rejects a negative policy first; 2.4 takes it as 'keep'");
        assertEquals(EINVAL, k.schedSetscheduler(1, -1, SCHED_FIFO, 1));
        assertEquals(ESRCH, k.schedSetscheduler(1, 31000, SCHED_FIFO, 1));
        assertEquals(EINVAL, k.schedSetscheduler(1, a, 7, 0));
        assertEquals(v.is26() ? 0 : EINVAL, k.schedSetscheduler(1, b, SCHED_BATCH, 0), "SCHED_BATCH is 2.6's");
        assertEquals(EINVAL, k.schedSetscheduler(1, a, SCHED_FIFO, 100));
        assertEquals(EINVAL, k.schedSetscheduler(1, a, SCHED_FIFO, 0), "real time needs 1..99");
        assertEquals(EINVAL, k.schedSetscheduler(1, a, SCHED_OTHER, 5), "SCHED_OTHER needs 0");
        assertEquals(0, k.setuid(a, 1000));
        assertEquals(EPERM, k.schedSetscheduler(a, a, SCHED_RR, 5), "no CAP_SYS_NICE");
        assertEquals(EPERM, k.schedSetscheduler(a, 1, SCHED_OTHER, 0), "another user's task");
        assertEquals(0, k.schedSetscheduler(a, 0, SCHED_OTHER, 0), "its own, SCHED_OTHER: fine");
        assertEquals(0, k.schedSetscheduler(1, a, SCHED_FIFO, 50));
        assertEquals(SCHED_FIFO, k.schedGetscheduler(1, a));
        assertEquals(50, k.schedGetparam(1, a));
        assertEquals(v.is26() ? 0 : EPERM, k.schedSetparam(a, 0, 40), "2.6 lets a real-time task lower its own priority");
        assertEquals(EPERM, k.schedSetparam(a, 0, 60), "raising it needs CAP_SYS_NICE");
        assertEquals(SCHED_FIFO, k.schedGetscheduler(a, 0), "setparam keeps the policy");
        assertEquals(EINVAL, k.schedSetparam(1, 1, 5), "init is SCHED_OTHER: priority must be 0");
        assertEquals(EINVAL, k.schedGetscheduler(1, -1));
        assertEquals(ESRCH, k.schedGetparam(1, 31000));
        assertEquals(SCHED_OTHER, k.schedGetscheduler(1, 0));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R7_16_niceAndSetpriority(KernelVersion v) {
        Kernel k = up(v);
        int a = k.fork(1);
        assertEquals(0, k.nice(a, 5));
        assertEquals(5, k.task(a).nice());
        if (v.is26()) assertEquals(125, k.task(a).prio(), "2.6 set_user_nice: prio = 120 + nice");
        assertEquals(0, k.nice(a, 100));
        assertEquals(19, k.task(a).nice(), "clamped");
        assertEquals(0, k.nice(a, -4), "root may lower it");
        assertEquals(15, k.task(a).nice());
        assertEquals(5, k.getpriority(1, PRIO_PROCESS, a), "20 - nice");
        assertEquals(0, k.setuid(a, 1000));
        assertEquals(EPERM, k.nice(a, -1), "lowering nice needs CAP_SYS_NICE");
        assertEquals(EACCES, k.setpriority(a, PRIO_PROCESS, 0, 10), "lowering via setpriority: EACCES");
        assertEquals(0, k.setpriority(a, PRIO_PROCESS, 0, 17));
        assertEquals(17, k.task(a).nice());
        assertEquals(EPERM, k.setpriority(a, PRIO_PROCESS, 1, 5), "init is root's");
        assertEquals(EINVAL, k.setpriority(1, 3, 0, 0));
        assertEquals(ESRCH, k.setpriority(1, PRIO_PROCESS, 31000, 0));
        int b = k.fork(1);
        int c = k.fork(1);
        assertEquals(0, k.setpgid(b, 0, 0));
        assertEquals(0, k.setpgid(1, c, b));
        assertEquals(0, k.setpriority(1, PRIO_PGRP, b, -3), "a whole process group");
        assertEquals(-3, k.task(b).nice());
        assertEquals(-3, k.task(c).nice());
        assertEquals(23, k.getpriority(1, PRIO_PGRP, b));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void whatIfSettersForNiceCounterAndTimeslice(KernelVersion v) {
        Kernel k = up(v);
        int a = k.fork(1);
        k.setNice(a, 10);
        assertEquals(10, k.task(a).nice());
        assertThrows(IllegalArgumentException.class, () -> k.setNice(a, 20));
        if (v.is24()) {
            k.setCounter(a, 17);
            assertEquals(17, k.task(a).counter());
            assertThrows(IllegalArgumentException.class, () -> k.setCounter(a, 21), "MAX_COUNTER is 20");
            assertThrows(IllegalStateException.class, () -> k.setTimeSlice(a, 3));
        } else {
            k.setTimeSlice(a, 3);
            assertEquals(3, k.task(a).timeSlice());
            assertThrows(IllegalArgumentException.class, () -> k.setTimeSlice(a, 0));
            assertThrows(IllegalStateException.class, () -> k.setCounter(a, 3));
        }
        assertThrows(IllegalArgumentException.class, () -> k.setNice(31000, 0));
    }
}
