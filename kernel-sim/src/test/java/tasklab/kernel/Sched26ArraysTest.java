package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * Which of a 2.6 runqueue's two priority arrays a task is queued on (kernel/sched.c, 2.6.22).
 * New rule id, not yet in LINUX-SPEC:
 * <ul>
 * <li>R7.17 [2.6] try_to_wake_up -&gt; activate_task -&gt; __activate_task queues a woken task on
 *     its runqueue's <b>active</b> array ("target = rq-&gt;active; if (batch_task(p)) target =
 *     rq-&gt;expired"), whatever array it was on when it went to sleep; so does __migrate_task
 *     (deactivate_task + activate_task on the new CPU). Only task_running_tick moves a running
 *     task whose time_slice reached 0 to the expired array (with a new slice; unless
 *     TASK_INTERACTIVE and not EXPIRED_STARVING, which needs sleep_avg), and sys_sched_yield moves
 *     a SCHED_OTHER task there. A running task found on the expired array at a tick ("expired but
 *     was not scheduled yet") only gets need_resched.</li>
 * </ul>
 */
class Sched26ArraysTest {
    private static Kernel kernel(int cpus) { return Boots.minimal(KernelVersion.LINUX_2_6, cpus); }

    /** Ticks CPU 0 until {@code t} has used up a time slice and sits on the expired array. */
    private static void tickUntilExpired(Kernel k, Task t) {
        for (int i = 0; i < 1000 && !t.expired(); i++) k.tick(0);
        assertTrue(t.expired(), t + " used its slice: scheduler_tick put it on the expired array");
        assertTrue(t.onRunqueue);
    }

    @Test
    void R7_17_26_aWokenTaskGoesToTheActiveArrayEvenAfterItsSliceRanOut() {
        Kernel k = kernel(1);
        int a = k.fork(1);
        int b = k.fork(1);
        Task ta = k.task(a);
        Task tb = k.task(b);
        tickUntilExpired(k, ta);
        assertNotSame(ta, k.current(0), "an expired task waits for the active array to empty");
        assertEquals(0, k.sleep(a));                 // it blocks (a read with nothing to read)
        assertFalse(ta.onRunqueue);
        assertEquals(1, k.wakeUpProcess(a));
        assertTrue(ta.onRunqueue);
        assertFalse(ta.expired(), "__activate_task: rq->active, not the array it slept on");
        // So it runs in this round, before the active array empties and the arrays swap.
        k.sleep(1);                                  // leave a and b (and init's slice does not matter)
        if (k.current(0) == tb) k.sleep(b);
        assertSame(ta, k.current(0), "the woken task runs from the active array");
    }

    @Test
    void R7_17_26_aBatchTaskIsWokenIntoTheExpiredArray() {
        Kernel k = kernel(1);
        int a = k.fork(1);
        assertEquals(0, k.schedSetscheduler(1, a, SchedPolicy.SCHED_BATCH, 0));
        Task ta = k.task(a);
        assertEquals(0, k.sleep(a));
        assertEquals(1, k.wakeUpProcess(a));
        assertTrue(ta.expired(), "batch_task(p): target = rq->expired");
    }

    @Test
    void R7_17_26_onlyTheTickAndSchedYieldMoveATaskToTheExpiredArray() {
        Kernel k = kernel(1);
        int a = k.fork(1);
        int b = k.fork(1);
        Task ta = k.task(a);
        k.setTimeSlice(a, 3);
        assertEquals(0, k.sleep(a));
        assertEquals(1, k.wakeUpProcess(a));
        assertFalse(ta.expired());
        assertEquals(3, ta.timeSlice(), "a wake-up gives no new slice");
        assertEquals(0, k.schedYield(a));
        assertTrue(ta.expired(), "sys_sched_yield: a SCHED_OTHER task goes to the expired array");
        assertNotSame(ta, k.current(0));
        assertEquals(3, ta.timeSlice(), "keeping the slice it had");
        assertNotNull(k.task(b));
    }

    @Test
    void R7_17_26_aTaskMovedToAnotherCpuIsQueuedOnItsActiveArray() {
        Kernel k = kernel(2);
        int a = k.fork(1);
        int b = k.fork(1);
        Task ta = k.task(a);
        assertEquals(0, k.schedSetaffinity(1, b, 2));
        assertEquals(0, k.schedSetaffinity(1, a, 1));
        assertEquals(0, k.schedSetaffinity(1, 1, 1));
        assertSame(k.task(b), k.current(1), "b keeps CPU 1 busy, so its arrays do not swap");
        assertEquals(0, k.schedYield(a));
        assertTrue(ta.expired(), "sched_yield put it on CPU 0's expired array, behind init");
        assertEquals(0, ta.processor);
        assertEquals(0, k.schedSetaffinity(1, a, 2));
        assertEquals(1, ta.processor, "migrated to CPU 1");
        assertSame(k.task(b), k.current(1), "same prio: no preemption");
        assertFalse(ta.expired(), "__migrate_task: activate_task on the new CPU, the active array");
    }

    @Test
    void R7_17_26_aRunningTaskLeftOnTheExpiredArrayOnlyGetsNeedResched() {
        Kernel k = kernel(1);
        int a = k.fork(1);
        Task ta = k.task(a);
        tickUntilExpired(k, ta);
        // A student's command makes it current while it sits on the expired array (runAs); the next
        // tick charges nothing and asks for a reschedule.
        k.sched.runAs(ta);
        assertSame(ta, k.current(0));
        assertTrue(ta.expired());
        int slice = ta.timeSlice();
        ta.needResched = false;
        k.sched.schedulerTick(0, ta);
        assertEquals(slice, ta.timeSlice(), "task_running_tick returns before --time_slice");
        assertTrue(ta.needResched);
    }
}
