package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tasklab.trace.Counter;

/** The 2.4 goodness scheduler and the 2.6 O(1) scheduler (LINUX-SPEC §7.1, R5.14, R5.15). */
class SchedTest {
    static final KernelVersion V24 = KernelVersion.LINUX_2_4;
    static final KernelVersion V26 = KernelVersion.LINUX_2_6;

    private static Kernel minimal(KernelVersion v, int cpus) { return Boots.minimal(v, cpus); }

    @Test
    void R1_3_niceToTicks() {
        assertEquals(6, Sched24.niceToTicks(0));
        assertEquals(11, Sched24.niceToTicks(-20));
        assertEquals(1, Sched24.niceToTicks(19));
    }

    @Test
    void R7_1_goodnessValues() {
        Kernel k = minimal(V24, 2);
        Sched24 s = (Sched24) k.sched();
        Task init = k.task(1);
        init.setCounter(6);
        init.processor = 0;
        assertEquals(6 + 15 + 1 + 20, s.goodness(init, 0, init.mm()), "counter + same CPU + same mm + 20 - nice");
        assertEquals(6 + 1 + 20, s.goodness(init, 1, init.mm()), "no PROC_CHANGE_PENALTY on another CPU");
        assertEquals(6 + 15 + 20, s.goodness(init, 0, k.mm().initMm()), "another mm: no +1");
        init.setCounter(0);
        assertEquals(0, s.goodness(init, 0, init.mm()));
        init.setCounter(6);
        init.yielded = true;
        assertEquals(-1, s.goodness(init, 0, init.mm()), "SCHED_YIELD");
        init.yielded = false;
    }

    @Test
    void R7_2_recalculationWhenEveryCandidateHasZeroCounterCoversSleepersToo() {
        Kernel k = minimal(V24, 1);
        int a = k.fork(1);
        Task sleeper = k.task(2);                       // keventd sleeps
        Task ta = k.task(a);
        k.task(1).setCounter(0);
        ta.setCounter(0);
        sleeper.setCounter(4);
        k.schedule(0);
        assertEquals(6, k.task(1).counter(), "0 >> 1 + NICE_TO_TICKS(0)");
        assertEquals(6, ta.counter());
        assertEquals((4 >> 1) + 6, sleeper.counter(), "for_each_task: sleeping tasks recalculated too");
    }

    @Test
    void R7_2_aLazyRecalculationGivesTheCountersTheEagerLoopWould() {
        Kernel k = minimal(V24, 1);
        Task t = k.task(1);
        for (int nice = -20; nice <= 19; nice++) {
            for (int start = -100; start <= 40; start++) {
                for (int missed = 0; missed <= 12; missed++) {
                    int eager = start;
                    for (int i = 0; i < missed; i++) eager = (eager >> 1) + Sched24.niceToTicks(nice);
                    t.nice = nice;
                    t.counter = start;
                    t.counterEpoch = 1000;
                    Sched24.catchUp(t, 1000 + missed);
                    assertEquals(eager, t.counter, "nice " + nice + ", counter " + start + ", " + missed + " recalculations");
                }
            }
        }
        t.nice = 0;
    }

    @Test
    void R7_2_aTaskForkedAfterARecalculationDoesNotReplayIt() {
        Kernel k = minimal(V24, 1);
        Task init = k.task(1);
        init.setCounter(0);
        k.sched.recalcEpoch += 5;                        // five recalculations ran before the fork
        int c = k.fork(1);
        assertEquals(k.sched.recalcEpoch, k.task(c).counterEpoch, "the child starts up to date");
        assertEquals(k.task(c).counter, k.task(c).counter(), "no recalculation replayed onto the child's split counter");
    }

    @Test
    void R7_2_prevEqualsNextCountsNoSwitch() {
        Kernel k = minimal(V24, 1);
        long ctxt = k.counters().total(Counter.CONTEXT_SWITCH);
        k.schedule(0);
        assertSame(k.task(1), k.current(0));
        assertEquals(ctxt, k.counters().total(Counter.CONTEXT_SWITCH));
    }

    @Test
    void R7_3_ticksChargeTheCounterAndSetNeedReschedAtZero() {
        Kernel k = minimal(V24, 1);
        Task init = k.task(1);
        init.setCounter(4);
        int c = k.fork(1);                              // child 2, init 2
        Task child = k.task(c);
        k.tick(0);
        assertEquals(1, init.counter());
        assertSame(init, k.current(0));
        k.tick(0);
        assertEquals(0, init.counter());
        assertSame(child, k.current(0), "need_resched at 0: ret_from_intr switched to the child");
        k.sleep(c);                                     // init (counter 0) alone: recalculation, idle included
        assertEquals(-49, k.idleTask(0).counter(), "-100 >> 1 + NICE_TO_TICKS(20): for_each_task starts at init_task");
        k.sleep(1);                                     // now the CPU idles
        long idleCounter = k.idleTask(0).counter();
        assertSame(k.idleTask(0), k.current(0));
        k.tick(0);
        assertEquals(idleCounter, k.idleTask(0).counter(), "the idle task is never charged");
    }

    @Test
    void R5_14_forkSplitsTheCounterAndConservesIt() {
        Kernel k = minimal(V24, 1);
        Task init = k.task(1);
        init.setCounter(7);
        int c = k.fork(1);
        assertEquals(4, k.task(c).counter(), "(7 + 1) >> 1");
        assertEquals(3, init.counter(), "7 >> 1");
    }

    @Test
    void R5_15_linux24ParentKeepsTheCpuWhenItsGoodnessIsHigher() {
        Kernel k = minimal(V24, 1);
        k.task(1).setCounter(10);
        int c = k.fork(1);
        assertSame(k.task(1), k.current(0), "parent 5+1+20 beats child 5+20: no preemption");
        assertTrue(k.task(c).onRunqueue());
    }

    @Test
    void R5_15_linux26ChildRunsFirst() {
        Kernel k = minimal(V26, 1);
        int c = k.fork(1);
        assertSame(k.task(c), k.current(0));
        assertTrue(k.task(1).onRunqueue());
    }

    @Test
    void R5_15_linux26CloneVmChildRunsLast() {
        Kernel k = minimal(V26, 1);
        int c = k.clone(1, CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD);
        assertSame(k.task(1), k.current(0));
        assertTrue(k.task(c).onRunqueue());
    }

    @Test
    void R5_14_linux26TimesliceSplit() {
        Kernel k = minimal(V26, 1);
        Task init = k.task(1);
        init.timeSlice = 9;
        int c = k.fork(1);
        assertEquals(5, k.task(c).timeSlice());
        assertEquals(4, init.timeSlice());
    }

    @Test
    void linux26TimeslicesFromStaticPriority() {
        assertEquals(10, Sched26.taskTimeslice(120), "nice 0: 100 ms");
        assertEquals(50, Sched26.taskTimeslice(115), "nice -5: 500 ms");
        assertEquals(80, Sched26.taskTimeslice(100), "nice -20: 800 ms");
        assertEquals(1, Sched26.taskTimeslice(139), "nice 19: MIN_TIMESLICE");
    }

    @Test
    void linux26ExpiredTasksWaitForTheArraySwitch() {
        Kernel k = minimal(V26, 1);
        int c = k.fork(1);                              // child current (child first)
        Task child = k.task(c);
        Task init = k.task(1);
        child.timeSlice = 1;
        k.tick(0);                                      // child's slice expires: into the expired array
        assertSame(init, k.current(0), "the active array still has init");
        assertEquals(Sched26.taskTimeslice(120), child.timeSlice(), "refilled on expiry");
        init.timeSlice = 1;
        k.tick(0);                                      // init expires too: active is empty, arrays switch
        assertSame(child, k.current(0), "child was first in the expired array");
    }

    @Test
    void R7_8_linux26VoluntaryAndInvoluntarySwitches() {
        Kernel k = minimal(V26, 1);
        long niv = k.task(1).nivcsw();
        int c = k.fork(1);                              // child first: init preempted (involuntary)
        assertEquals(niv + 1, k.task(1).nivcsw());
        k.sleep(c);                                     // the child sleeps: voluntary
        assertEquals(1, k.task(c).nvcsw());
    }

    @Test
    void R7_5_linux24SchedYieldLetsTheOtherRun() {
        Kernel k = minimal(V24, 1);
        int c = k.fork(1);
        assertSame(k.task(1), k.current(0));
        k.schedYield(1);
        assertSame(k.task(c), k.current(0));
        assertFalse(k.task(1).yielded, "SCHED_YIELD is cleared after one selection");
    }
}
