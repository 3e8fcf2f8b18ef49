package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tasklab.machine.CostKind;
import tasklab.machine.CpuModel;
import tasklab.program.Program;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;

/**
 * What the schedulers cost (LINUX-SPEC §7.1, §15). New rule ids, worded here until the spec has them:
 * <ul>
 * <li><b>R15.1</b> [2.4] "schedule() computes goodness() for every runnable candidate on the runqueue":
 *     the pick costs {@code goodness} cycles per candidate and reads each candidate's task_struct line.</li>
 * <li><b>R15.2</b> [2.4] "when every candidate's counter is 0, for_each_task recalculates every task's
 *     counter": the recalculation costs {@code recalcTask} cycles per task on the task list, then the
 *     selection loop runs again.</li>
 * <li><b>R15.3</b> [2.6] "the O(1) scheduler picks the first task of the highest non-empty priority":
 *     its pick costs the same whatever the number of runnable tasks.</li>
 * </ul>
 */
class SchedCostTest {
    private static Kernel minimal(KernelVersion v) {
        return Boots.of(KernelConfig.of(v).withCpus(1).withInitcallThreads(false));
    }

    @Test
    void R15_1_goodnessIsChargedPerRunnableCandidate() {
        Kernel k = minimal(KernelVersion.LINUX_2_4);
        for (int i = 0; i < 5; i++) assertTrue(k.fork(1) > 0);
        Sched24 s = (Sched24) k.sched();
        var cpu = k.machine().cpu(0);
        int candidates = s.nrRunning();
        assertTrue(candidates >= 6, "init and its five children are runnable");
        long before = cpu.cycles(CostKind.SCHEDULE);
        s.pick(0, k.current(0));
        assertEquals(candidates * cpu.cost().goodness(), cpu.cycles(CostKind.SCHEDULE) - before);
    }

    @Test
    void R15_2_recalculationIsChargedPerTaskAndTheLoopRunsAgain() {
        Kernel k = minimal(KernelVersion.LINUX_2_4);
        for (int i = 0; i < 3; i++) assertTrue(k.fork(1) > 0);
        Sched24 s = (Sched24) k.sched();
        for (Task t : k.tasks()) if (t.onRunqueue) t.setCounter(0);
        var cpu = k.machine().cpu(0);
        int candidates = s.nrRunning();
        long before = cpu.cycles(CostKind.SCHEDULE);
        s.pick(0, k.current(0));
        long expected = 2L * candidates * cpu.cost().goodness() + (long) k.nrThreads() * cpu.cost().recalcTask();
        assertEquals(expected, cpu.cycles(CostKind.SCHEDULE) - before, "two passes of goodness and one recalculation of every task");
    }

    /** Cycles per switch (direct: pick, schedule path, mm switch, the switch's own cache footprint) with n yielding tasks. */
    static double directPerSwitch(KernelVersion v, int n) {
        Kernel k = Kernel.boot(KernelConfig.of(v).withCpu(CpuModel.PENTIUM_PRO_200.withMhz(167)).withInitcallThreads(false));
        k.trace().setCapacity(1024);
        Program p = Program.builder().loop(Integer.MAX_VALUE, b -> b.yield()).build();
        for (int i = 0; i < n; i++) k.spawn(p);
        k.runMillis(5);
        CounterSnapshot before = k.counters().snapshot();
        k.runMillis(20);
        CounterSnapshot d = k.counters().snapshot().minus(before);
        return (double) d.total(Counter.SWITCH_DIRECT_CYCLES) / d.total(Counter.CONTEXT_SWITCH);
    }

    @Test
    void R15_1_R15_3_switchTimeRisesWithRunnableTasksOn24AndStaysFlatOn26() {
        long goodness = tasklab.machine.CostModel.of(CpuModel.PENTIUM_PRO_200).goodness();
        double a24 = directPerSwitch(KernelVersion.LINUX_2_4, 2);
        double b24 = directPerSwitch(KernelVersion.LINUX_2_4, 32);
        double a26 = directPerSwitch(KernelVersion.LINUX_2_6, 2);
        double b26 = directPerSwitch(KernelVersion.LINUX_2_6, 32);
        assertTrue(b24 - a24 >= 30 * goodness, "2.4: 30 more candidates cost at least 30 goodness() calls: " + a24 + " -> " + b24);
        assertTrue(Math.abs(b26 - a26) < 0.1 * a26, "2.6: O(1), flat within 10%: " + a26 + " -> " + b26);
    }
}
