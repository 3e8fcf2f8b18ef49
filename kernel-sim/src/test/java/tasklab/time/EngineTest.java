package tasklab.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineTest {

    /** An action that appends "name@now" to a log. */
    private static Action log(List<String> out, String name) {
        return e -> out.add(name + "@" + e.now());
    }

    @Test
    void runsInCycleThenPriorityOrderAndAdvancesNow() {
        Engine e = new Engine(1, 1);
        List<String> out = new ArrayList<>();
        e.schedule(30, Priority.DEFAULT, log(out, "c"));
        e.schedule(10, Priority.DEFAULT, log(out, "b"));
        e.schedule(10, Priority.WAKEUP, log(out, "w"));
        e.schedule(10, Priority.IPI, log(out, "i"));
        assertEquals(RunResult.DRAINED, e.run());
        assertEquals(List.of("i@10", "w@10", "b@10", "c@30"), out);
        assertEquals(30, e.now());
        assertEquals(4, e.eventsRun());
    }

    @Test
    void runUntilIsHalfOpenEventsAtTheLimitRunNextTime() {
        Engine e = new Engine(1, 1);
        List<String> out = new ArrayList<>();
        e.schedule(99, Priority.DEFAULT, log(out, "a"));
        e.schedule(100, Priority.DEFAULT, log(out, "b"));
        e.schedule(101, Priority.DEFAULT, log(out, "c"));
        assertEquals(RunResult.LIMIT, e.runUntil(100));
        assertEquals(List.of("a@99"), out, "an event exactly at the limit does not run");
        assertEquals(100, e.now(), "now moves to the limit");
        assertEquals(100, e.nextEventCycle());
        // scheduled at the boundary after the first call, with a more urgent priority: still runs first
        e.schedule(100, Priority.IPI, log(out, "ipi"));
        assertEquals(RunResult.LIMIT, e.runUntil(101));
        assertEquals(List.of("a@99", "ipi@100", "b@100"), out);
        assertEquals(1, e.pendingEvents());
    }

    @Test
    void runUntilWithNothingQueuedStillMovesTimeButNeverBackwards() {
        Engine e = new Engine(1, 1);
        assertEquals(RunResult.LIMIT, e.runUntil(500));
        assertEquals(500, e.now());
        assertEquals(RunResult.LIMIT, e.runUntil(200));
        assertEquals(500, e.now(), "a limit in the past is a no-op");
        assertEquals(RunResult.LIMIT, e.runFor(25));
        assertEquals(525, e.now());
    }

    @Test
    void schedulingInThePastIsRejected() {
        Engine e = new Engine(1, 1);
        e.runUntil(50);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.schedule(49, Priority.DEFAULT, x -> { }));
        assertTrue(ex.getMessage().contains("before now 50"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.scheduleIn(-1, Priority.DEFAULT, x -> { }));
        assertEquals(50, e.schedule(50, Priority.DEFAULT, x -> { }).cycle(), "now itself is allowed");
        assertEquals(60, e.scheduleIn(10, Priority.DEFAULT, x -> { }).cycle());
    }

    @Test
    void stepRunsOneEventAndReportsEmpty() {
        Engine e = new Engine(1, 1);
        List<String> out = new ArrayList<>();
        e.schedule(5, Priority.DEFAULT, log(out, "a"));
        e.schedule(6, Priority.DEFAULT, log(out, "b"));
        assertTrue(e.step());
        assertEquals(List.of("a@5"), out);
        assertEquals(5, e.now());
        assertTrue(e.step());
        assertFalse(e.step());
        assertEquals(List.of("a@5", "b@6"), out);
    }

    @Test
    void runEventsCountsAndDrains() {
        Engine e = new Engine(1, 1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            e.schedule(i, Priority.DEFAULT, log(out, "e" + i));
        }
        assertEquals(RunResult.LIMIT, e.runEvents(3));
        assertEquals(3, out.size());
        assertEquals(RunResult.LIMIT, e.runEvents(0));
        assertEquals(3, out.size());
        assertEquals(RunResult.DRAINED, e.runEvents(10));
        assertEquals(List.of("e0@0", "e1@1", "e2@2", "e3@3", "e4@4"), out);
    }

    @Test
    void actionsCanScheduleAndCancelDuringTheRun() {
        Engine e = new Engine(1, 1);
        List<String> out = new ArrayList<>();
        Scheduled victim = e.schedule(20, Priority.DEFAULT, log(out, "victim"));
        e.schedule(10, Priority.DEFAULT, x -> {
            out.add("killer@" + x.now());
            victim.cancel();
            x.scheduleIn(5, Priority.DEFAULT, log(out, "child"));
            x.schedule(x.now(), Priority.PROBE, log(out, "probe"));
        });
        e.run();
        assertEquals(List.of("killer@10", "probe@10", "child@15"), out);
        assertTrue(victim.isCancelled());
    }

    @Test
    void nestedRunFromAnActionIsRejected() {
        Engine e = new Engine(1, 1);
        List<Throwable> caught = new ArrayList<>();
        e.schedule(1, Priority.DEFAULT, x -> {
            try {
                x.runUntil(10);
            } catch (IllegalStateException ex) {
                caught.add(ex);
            }
        });
        e.run();
        assertEquals(1, caught.size());
        assertFalse(e.isRunning());
    }

    @Test
    void anActionThatThrowsLeavesTheEngineResumable() {
        Engine e = new Engine(1, 1);
        List<String> out = new ArrayList<>();
        e.schedule(1, Priority.DEFAULT, x -> {
            throw new IllegalStateException("boom");
        });
        e.schedule(2, Priority.DEFAULT, log(out, "after"));
        assertThrows(IllegalStateException.class, e::run);
        assertEquals(1, e.now());
        assertEquals(1, e.eventsRun());
        assertFalse(e.isRunning());
        assertEquals(RunResult.DRAINED, e.run());
        assertEquals(List.of("after@2"), out);
    }

    @Test
    void scheduleAfterUsesTheCpuClockWhenAheadAndNowWhenBehind() {
        Engine e = new Engine(2, 1);
        e.runUntil(1000);
        e.clocks().syncTo(0, 1000);
        e.clocks().advance(0, 300); // cpu 0 executed 300 cycles of work ahead of global time
        assertEquals(1350, e.scheduleAfter(0, 50, Priority.DEFAULT, x -> { }).cycle());
        assertEquals(0, e.clocks().cycles(1), "cpu 1 was idle");
        assertEquals(1050, e.scheduleAfter(1, 50, Priority.DEFAULT, x -> { }).cycle());
        assertEquals(0, e.clocks().cycles(1), "scheduleAfter does not move the clock");
        assertEquals(1300, e.clocks().cycles(0));
        assertThrows(IllegalArgumentException.class, () -> e.scheduleAfter(0, -1, Priority.DEFAULT, x -> { }));
        assertThrows(IndexOutOfBoundsException.class, () -> e.scheduleAfter(2, 1, Priority.DEFAULT, x -> { }));
    }

    /** A chain where each event schedules the next, with a log. */
    private static void chain(Engine e, List<String> out, int remaining) {
        e.scheduleIn(e.random().nextInt(1, 100), Priority.DEFAULT, x -> {
            out.add(x.now() + ":" + remaining);
            if (remaining > 1) {
                chain(x, out, remaining - 1);
            }
        });
    }

    @Test
    void requestStopFromAnActionStopsAfterThatEventAndResumesIdentically() {
        Engine ref = new Engine(1, 99);
        List<String> refLog = new ArrayList<>();
        chain(ref, refLog, 50);
        ref.run();

        Engine e = new Engine(1, 99);
        List<String> out = new ArrayList<>();
        chain(e, out, 50);
        e.schedule(1000, Priority.PROBE, x -> x.requestStop());
        e.schedule(2000, Priority.PROBE, x -> x.requestStop());
        assertEquals(RunResult.STOPPED, e.run());
        assertEquals(1000, e.now(), "stopped right after the requesting event");
        assertFalse(e.isStopRequested(), "the request was consumed");
        assertFalse(e.isRunning());
        assertEquals(RunResult.STOPPED, e.runUntil(1_000_000));
        assertEquals(2000, e.now());
        assertEquals(RunResult.DRAINED, e.run());
        assertEquals(refLog, out, "stopping twice changed nothing in the order of events");
    }

    @Test
    void aStopRequestedWhileIdleStopsTheNextRunBeforeItsFirstEvent() {
        Engine e = new Engine(1, 1);
        List<String> out = new ArrayList<>();
        e.schedule(1, Priority.DEFAULT, log(out, "a"));
        e.requestStop();
        assertEquals(RunResult.STOPPED, e.runUntil(10));
        assertTrue(out.isEmpty());
        assertEquals(0, e.now(), "a stopped runUntil does not jump to its limit");
        assertEquals(RunResult.LIMIT, e.runUntil(10));
        assertEquals(List.of("a@1"), out);
    }

    @Test
    void threadInterruptStopsCleanlyLeavesFlagSetAndIsResumable() {
        Engine ref = new Engine(1, 5);
        List<String> refLog = new ArrayList<>();
        chain(ref, refLog, 40);
        ref.run();

        Engine e = new Engine(1, 5);
        List<String> out = new ArrayList<>();
        chain(e, out, 40);
        e.schedule(700, Priority.DEFAULT, x -> Thread.currentThread().interrupt());
        try {
            assertEquals(RunResult.INTERRUPTED, e.run());
            assertEquals(700, e.now());
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is left for callers up the stack");
            assertEquals(RunResult.INTERRUPTED, e.runEvents(5), "still interrupted: nothing runs");
            assertEquals(700, e.now());
        } finally {
            assertTrue(Thread.interrupted()); // clear it, as a notebook kernel would before the next cell
        }
        assertEquals(RunResult.DRAINED, e.run());
        assertEquals(refLog, out);
    }

    @Test
    void requestStopFromAnotherThreadEndsAnEndlessRun() throws Exception {
        Engine e = new Engine(1, 3);
        Action[] forever = new Action[1];
        forever[0] = x -> {
            if (x.eventsRun() == 10_000) {
                // hand control to a second thread that asks for the stop; deterministic in outcome
                Thread t = new Thread(x::requestStop);
                t.start();
                try {
                    t.join();
                } catch (InterruptedException ex) {
                    throw new AssertionError(ex);
                }
            }
            x.scheduleIn(10, Priority.DEFAULT, forever[0]);
        };
        e.schedule(0, Priority.DEFAULT, forever[0]);
        assertEquals(RunResult.STOPPED, e.run());
        assertEquals(10_000, e.eventsRun());
        assertEquals(1, e.pendingEvents(), "the re-armed event is still queued");
        assertEquals(RunResult.LIMIT, e.runEvents(5));
        assertEquals(10_005, e.eventsRun());
    }

    @Test
    void aMillionEventsRunWithoutError() {
        Engine e = new Engine(4, 2024);
        long[] sum = new long[1];
        int cpus = e.cpuCount();
        for (int cpu = 0; cpu < cpus; cpu++) {
            int c = cpu;
            Action[] tick = new Action[1];
            tick[0] = x -> {
                sum[0] += x.now();
                x.clocks().syncTo(c, x.now());
                x.clocks().advance(c, 1 + (x.eventsRun() & 7));
                x.scheduleAfter(c, 0, Priority.DEFAULT, tick[0]);
            };
            e.schedule(cpu, Priority.DEFAULT, tick[0]);
        }
        assertEquals(RunResult.LIMIT, e.runEvents(1_000_000));
        assertEquals(1_000_000, e.eventsRun());
        assertEquals(cpus, e.pendingEvents());
        assertTrue(sum[0] > 0);
        assertTrue(e.now() > 0 && e.now() <= e.clocks().max());
    }

    @Test
    void rejectsBadCpuCounts() {
        assertThrows(IllegalArgumentException.class, () -> new Engine(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Engine(33, 1));
        assertEquals(32, new Engine(32, 1).cpuCount());
        assertEquals(77, new Engine(1, 77).seed());
    }
}
