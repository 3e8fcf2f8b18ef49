package tasklab.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Same seed and same workload give the same event log, byte for byte; the log is compared as a string. */
class DeterminismTest {

    /**
     * A small SMP workload: per-CPU ticks, "tasks" that burn random amounts of cycles on their CPU,
     * sleep, wake each other with same-cycle events of every priority, send IPIs and cancel timeouts.
     */
    private static String simulate(long seed, int cpus, long until) {
        Engine e = new Engine(cpus, seed);
        StringBuilder log = new StringBuilder();
        ClockRate rate = ClockRate.ofMhz(200);
        TimerTicks ticks = new TimerTicks(e, rate.tickPeriodCycles() / 100, TickPhase.STAGGERED,
                (cpu, cycle) -> log.append(cycle).append(" tick cpu").append(cpu).append('\n'));
        ticks.start();
        for (int task = 0; task < 12; task++) {
            SimRandom r = e.random().fork(task);
            int cpu = task % cpus;
            startTask(e, log, r, task, cpu);
        }
        e.runUntil(until);
        log.append("end now=").append(e.now()).append(" run=").append(e.eventsRun())
                .append(" pending=").append(e.pendingEvents()).append(' ').append(e.clocks()).append('\n');
        return log.toString();
    }

    private static void startTask(Engine e, StringBuilder log, SimRandom r, int task, int cpu) {
        e.scheduleAfter(cpu, r.nextInt(1, 5_000), Priority.DEFAULT, new Action() {
            private Scheduled timeout;

            @Override
            public void run(Engine x) {
                x.clocks().syncTo(cpu, x.now());
                long burn = r.nextLong(20_000);
                x.clocks().advance(cpu, burn);
                log.append(x.now()).append(" task").append(task).append(" cpu").append(cpu)
                        .append(" burn=").append(burn).append('\n');
                if (timeout != null && timeout.cancel()) {
                    log.append(x.now()).append(" task").append(task).append(" cancelled timeout\n");
                }
                int choice = r.nextInt(4);
                if (choice == 0) {
                    int target = r.nextInt(x.cpuCount());
                    x.schedule(x.now(), Priority.IPI,
                            y -> log.append(y.now()).append(" ipi -> cpu").append(target).append('\n'));
                } else if (choice == 1) {
                    x.schedule(x.now(), Priority.WAKEUP,
                            y -> log.append(y.now()).append(" wakeup by task").append(task).append('\n'));
                }
                timeout = x.scheduleIn(r.nextInt(10_000, 60_000), Priority.TIMER,
                        y -> log.append(y.now()).append(" timeout task").append(task).append('\n'));
                x.scheduleAfter(cpu, (long) r.nextExponential(3_000), Priority.DEFAULT, this);
            }
        });
    }

    @Test
    void sameSeedSameLogByteForByte() {
        String a = simulate(2024, 4, 2_000_000);
        String b = simulate(2024, 4, 2_000_000);
        assertTrue(a.length() > 10_000, "the workload produced a substantial log");
        assertTrue(a.contains("tick cpu3") && a.contains("ipi -> cpu") && a.contains("cancelled timeout")
                && a.contains("wakeup by task") && a.contains("timeout task"), "every kind of event occurred");
        assertEquals(a, b);
    }

    @Test
    void differentSeedDifferentLog() {
        assertNotEquals(simulate(1, 4, 500_000), simulate(2, 4, 500_000));
    }

    @Test
    void runningInSlicesGivesTheSameLogAsOneRun() {
        String whole = simulate(77, 2, 1_000_000);
        // same workload, but driven by many small runUntil calls and stop requests
        Engine e = new Engine(2, 77);
        StringBuilder log = new StringBuilder();
        TimerTicks ticks = new TimerTicks(e, ClockRate.ofMhz(200).tickPeriodCycles() / 100, TickPhase.STAGGERED,
                (cpu, cycle) -> log.append(cycle).append(" tick cpu").append(cpu).append('\n'));
        ticks.start();
        for (int task = 0; task < 12; task++) {
            startTask(e, log, e.random().fork(task), task, task % 2);
        }
        int stops = 0;
        for (long t = 0; t < 1_000_000; t += 33_333) {
            e.schedule(Math.max(t, e.now()), Priority.PROBE, Engine::requestStop);
            while (e.runUntil(Math.min(t + 33_333, 1_000_000)) == RunResult.STOPPED) {
                stops++;
            }
        }
        log.append("end now=").append(e.now()).append(" run=").append(e.eventsRun())
                .append(" pending=").append(e.pendingEvents()).append(' ').append(e.clocks()).append('\n');
        assertTrue(stops > 20);
        // the probes are extra events, so compare everything except the final counters line
        String wholeBody = whole.substring(0, whole.lastIndexOf("end now="));
        String slicedBody = log.substring(0, log.lastIndexOf("end now="));
        assertEquals(wholeBody, slicedBody);
    }
}
