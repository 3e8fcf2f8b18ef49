package tasklab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The trace ring: every way of recording gives back the same events in the same order as a plain
 * list bounded to the last N would, including a context switch's merged record and any event
 * recorded between its parts.
 */
class TraceTest {
    @Test
    void aContextSwitchsThreeEventsComeBackInOrderWithTheirFields() {
        Trace t = new Trace();
        t.switchCost(100, 1, 5, 6, 700, 1L << 36);
        t.switchTlbFlush(150, 1);
        t.schedSwitch(180, 1, 6, t.intern("sh"), 1, 7, t.intern("init"), true, false, 80);
        List<Event> ev = t.events();
        assertEquals(List.of(
            new Event.SwitchCost(100, 1, 5, 6, 700, 1L << 36),
            new Event.TlbFlush(150, 1, FlushReason.TASK_SWITCH, -1),
            new Event.SchedSwitch(180, 1, 6, "sh", 1, 7, "init", true, false, 80)), ev);
        assertEquals(3, t.recorded());
        assertEquals(3, t.size());
    }

    @Test
    void anEventBetweenTheSwitchPartsKeepsItsPlace() {
        Trace t = new Trace();
        t.switchCost(100, 0, 5, 6, 700, 9);
        t.switchTlbFlush(150, 0);
        Event mid = new Event.MmLifecycle(160, 0, 3, "free");
        t.record(mid);
        t.schedSwitch(180, 0, 6, t.intern("sh"), 0, 7, t.intern("sh"), true, false, 80);
        List<Event> ev = t.events();
        assertEquals(4, ev.size());
        assertEquals("switch_cost", ev.get(0).name());
        assertEquals("tlb_flush", ev.get(1).name());
        assertEquals(mid, ev.get(2));
        assertEquals("sched_switch", ev.get(3).name());
    }

    @Test
    void aDirectCostTooBigForTheSharedRecordIsKeptWhole() {
        Trace t = new Trace();
        t.switchCost(100, 0, 5, 6, 1L << 40, 9);
        t.schedSwitch(1L << 35, 0, 6, t.intern("sh"), 0, 7, t.intern("sh"), false, true, 80);
        assertEquals(new Event.SwitchCost(100, 0, 5, 6, 1L << 40, 9), t.events().get(0));
        assertEquals(new Event.SchedSwitch(1L << 35, 0, 6, "sh", 0, 7, "sh", false, true, 80), t.events().get(1));
    }

    @Test
    void theRingKeepsExactlyTheLastNEventsAndCountsTheRestAsDropped() {
        Trace t = new Trace();
        t.setCapacity(4);
        for (int i = 0; i < 10; i++) {           // 10 switches of 3 events = 30 events in records of 3
            t.switchCost(i * 10, 0, i, i + 1, 5, 6);
            t.switchTlbFlush(i * 10 + 1, 0);
            t.schedSwitch(i * 10 + 2, 0, i, t.intern("a"), 0, i + 1, t.intern("b"), true, false, 2);
        }
        List<Event> ev = t.events();
        assertEquals(4, ev.size());
        assertEquals(4, t.size());
        assertEquals(30, t.recorded());
        assertEquals(26, t.dropped());
        assertEquals(92, ev.get(3).time());          // the last sched_switch
        assertEquals("sched_switch", ev.get(0).name()); // 4 = the 9th switch's sched_switch + the 10th's three
    }

    @Test
    void shrinkingAndGrowingTheRingKeepTheNewestEvents() {
        Trace t = new Trace();
        for (int i = 0; i < 100; i++) t.record(new Event.SchedProcessFree(i, 0, i, "x"));
        assertEquals(100, t.size());
        t.setCapacity(10);
        assertEquals(10, t.size());
        assertEquals(90, t.events().get(0).time());
        assertEquals(90, t.dropped());
        t.setCapacity(0);
        for (int i = 100; i < 300; i++) t.record(new Event.SchedProcessFree(i, 0, i, "x"));
        assertEquals(210, t.size());
        assertEquals(90, t.events().get(0).time());
        assertEquals(299, t.events().get(209).time());
        t.clear();
        assertEquals(0, t.size());
        assertEquals(300, t.recorded());
        assertThrows(IllegalArgumentException.class, () -> t.setCapacity(-1));
    }

    @Test
    void switchedOffRecordsNothing() {
        Trace t = new Trace();
        t.setEnabled(false);
        t.switchCost(1, 0, 1, 2, 3, 4);
        t.switchTlbFlush(2, 0);
        t.schedSwitch(3, 0, 1, t.intern("a"), 0, 2, t.intern("b"), true, false, 1);
        t.tlbFlush(4, 0, FlushReason.LOCAL_SHOOTDOWN, -1);
        t.record(new Event.SchedProcessFree(5, 0, 1, "a"));
        assertEquals(0, t.recorded());
        assertTrue(t.events().isEmpty());
    }

    /** Property: whatever is recorded, a ring of n holds what a list trimmed to n holds. */
    @Property(tries = 60)
    void aRingAgreesWithABoundedList(@ForAll @IntRange(min = 0, max = 40) int capacity, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Trace ring = new Trace();
        Trace all = new Trace();
        ring.setCapacity(capacity);
        long[] clock = new long[2];
        for (int i = 0; i < 300; i++) {
            long s = r.nextLong();
            recordSame(new SplittableRandom(s), ring, clock.clone());
            recordSame(new SplittableRandom(s), all, clock);
        }
        List<Event> everything = all.events();
        List<Event> expected = capacity == 0 ? everything : everything.subList(Math.max(0, everything.size() - capacity), everything.size());
        assertEquals(expected, ring.events());
        assertEquals(all.recorded(), ring.recorded());
        assertEquals(everything.size() - expected.size(), ring.dropped());
        assertEquals(ring.events().size(), ring.size());
    }

    /** One random recording step, the same for the same random source. */
    static void recordSame(SplittableRandom r, Trace t, long[] clock) {
        int cpu = r.nextInt(2);
        long time = clock[cpu] += r.nextInt(1000);
        switch (r.nextInt(5)) {
            case 0 -> t.record(new Event.SchedProcessExit(time, cpu, r.nextInt(100), "sh", r.nextInt(256) << 8));
            case 1 -> t.tlbFlush(time, cpu, FlushReason.values()[r.nextInt(FlushReason.values().length)], r.nextInt(3) - 1);
            case 2 -> t.pageFault(time, cpu, r.nextInt(40000), r.nextInt(), r.nextInt(8), FaultKind.values()[r.nextInt(FaultKind.values().length)]);
            default -> {
                boolean cost = r.nextBoolean();
                boolean cr3 = r.nextBoolean();
                if (cost) t.switchCost(time, cpu, r.nextInt(30000), r.nextInt(30000), r.nextInt(4) == 0 ? 1L << 33 : r.nextInt(5000), r.nextLong(1L << 40));
                long tt = time + r.nextInt(100);
                if (cr3) t.switchTlbFlush(tt, cpu);
                if (r.nextInt(5) == 0) t.record(new Event.MmLifecycle(tt, cpu, 7, "free"));
                int on = r.nextInt(8) == 0 ? 1 - cpu : cpu;
                t.schedSwitch(tt + r.nextInt(100), on, r.nextInt(30000), t.intern(r.nextBoolean() ? "init" : "sh"), r.nextInt(3),
                    r.nextInt(30000), t.intern("kthreadd"), cr3, !cr3 && r.nextBoolean(), r.nextInt(9000));
            }
        }
    }
}
