package tasklab.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerTicksTest {

    private static final long P = ClockRate.ofMhz(200).tickPeriodCycles(); // 2,000,000

    @Test
    void upTicksEveryPeriodFromStart() {
        Engine e = new Engine(1, 1);
        List<Long> at = new ArrayList<>();
        TimerTicks t = new TimerTicks(e, P, TickPhase.ALIGNED, (cpu, cycle) -> at.add(cycle));
        t.start();
        e.runUntil(5 * P + 1);
        assertEquals(List.of(P, 2 * P, 3 * P, 4 * P, 5 * P), at);
        assertEquals(5, t.ticks(0));
        assertEquals(6 * P, t.nextTick(0));
    }

    @Test
    void alignedSmpTicksAllCpusAtTheSameCycleInCpuOrder() {
        Engine e = new Engine(3, 1);
        List<String> log = new ArrayList<>();
        TimerTicks t = new TimerTicks(e, P, TickPhase.ALIGNED, (cpu, cycle) -> log.add(cpu + "@" + cycle));
        t.start();
        e.runUntil(2 * P + 1);
        assertEquals(List.of("0@" + P, "1@" + P, "2@" + P, "0@" + 2 * P, "1@" + 2 * P, "2@" + 2 * P), log);
    }

    @Test
    void staggeredSmpSpreadsTicksLikeLinux24() {
        Engine e = new Engine(2, 1);
        List<String> log = new ArrayList<>();
        TimerTicks t = new TimerTicks(e, 900, TickPhase.STAGGERED, (cpu, cycle) -> log.add(cpu + "@" + cycle));
        t.start();
        e.runUntil(2000);
        // slice = 900 / (2 + 1) = 300; cpu 0 at +300, cpu 1 at +600
        assertEquals(List.of("0@1200", "1@1500"), log);
        e.runUntil(3000);
        assertEquals(List.of("0@1200", "1@1500", "0@2100", "1@2400"), log);
        assertEquals(300, TickPhase.STAGGERED.offset(0, 2, 900));
        assertEquals(600, TickPhase.STAGGERED.offset(1, 2, 900));
        assertEquals(0, TickPhase.ALIGNED.offset(1, 2, 900));
        assertThrows(IndexOutOfBoundsException.class, () -> TickPhase.ALIGNED.offset(2, 2, 900));
    }

    @Test
    void ticksRunAfterIpisAndBeforeWakeupsAtTheSameCycle() {
        Engine e = new Engine(1, 1);
        List<String> log = new ArrayList<>();
        TimerTicks t = new TimerTicks(e, 1000, TickPhase.ALIGNED, (cpu, cycle) -> log.add("tick"));
        // scheduled before the ticks exist, so FIFO alone would put them first
        e.schedule(1000, Priority.DEFAULT, x -> log.add("work"));
        e.schedule(1000, Priority.WAKEUP, x -> log.add("wakeup"));
        t.start();
        e.schedule(1000, Priority.IPI, x -> log.add("ipi"));
        e.runUntil(1001);
        assertEquals(List.of("ipi", "tick", "wakeup", "work"), log);
    }

    @Test
    void stopCancelsPendingTicksAndStartResumesFromNow() {
        Engine e = new Engine(2, 1);
        List<String> log = new ArrayList<>();
        TimerTicks t = new TimerTicks(e, 100, TickPhase.ALIGNED, (cpu, cycle) -> log.add(cpu + "@" + cycle));
        t.start();
        assertTrue(t.isRunning());
        assertThrows(IllegalStateException.class, t::start);
        e.runUntil(250);
        t.stop();
        assertFalse(t.isRunning());
        assertEquals(0, e.pendingEvents());
        assertEquals(EventQueue.NO_EVENT, t.nextTick(0));
        assertEquals(RunResult.DRAINED, e.run());
        assertEquals(4, log.size());
        t.start(); // now = 250
        e.runUntil(351);
        assertEquals(List.of("0@100", "1@100", "0@200", "1@200", "0@350", "1@350"), log);
        assertEquals(3, t.ticks(1));
    }

    @Test
    void aListenerMayStopTheTicksFromInsideATick() {
        Engine e = new Engine(1, 1);
        List<Long> at = new ArrayList<>();
        TimerTicks[] holder = new TimerTicks[1];
        holder[0] = new TimerTicks(e, 10, TickPhase.ALIGNED, (cpu, cycle) -> {
            at.add(cycle);
            if (at.size() == 3) {
                holder[0].stop();
            }
        });
        holder[0].start();
        assertEquals(RunResult.DRAINED, e.run());
        assertEquals(List.of(10L, 20L, 30L), at);
    }

    @Test
    void rejectsBadPeriod() {
        Engine e = new Engine(1, 1);
        assertThrows(IllegalArgumentException.class, () -> new TimerTicks(e, 0, TickPhase.ALIGNED, (c, t) -> { }));
        assertEquals(P, new TimerTicks(e, P, TickPhase.STAGGERED, (c, t) -> { }).period());
    }
}
