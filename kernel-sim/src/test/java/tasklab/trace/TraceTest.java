package tasklab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void switchEventsWritesWhatItsThreeCallsWouldWrite() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int ring : new int[] {0, 5}) {
            Trace together = new Trace(), one = new Trace();
            together.setCapacity(ring);
            one.setCapacity(ring);
            long time = 1000;
            for (int n = 0; n < 400; n++) {
                int cpu = rnd.nextInt(2);
                if (rnd.nextInt(8) == 0) {          // an exec's activate_mm: its tlb_flush is held back already
                    together.switchTlbFlush(time, cpu);
                    one.switchTlbFlush(time, cpu);
                }
                boolean hasCost = rnd.nextInt(6) != 0;
                long costTime = time + rnd.nextInt(50);
                long costDirect = rnd.nextInt(10) == 0 ? 1L << 33 : rnd.nextInt(900);      // too big for the shared record
                long costRefill = rnd.nextInt(3) == 0 ? 0 : 1L << rnd.nextInt(40);
                long flushTime = rnd.nextBoolean() ? costTime + rnd.nextInt(50) : -1;
                time = costTime + 100 + (rnd.nextInt(12) == 0 ? 1L << 32 : rnd.nextInt(500));   // a delta too big for it
                boolean cr3 = flushTime >= 0, lazy = !cr3 && rnd.nextBoolean();
                int prev = rnd.nextInt(40), next = rnd.nextInt(40), state = rnd.nextInt(3), cycles = rnd.nextInt(700);
                together.switchEvents(cpu, hasCost, costTime, next + 1, prev, costDirect, costRefill, flushTime,
                    time, prev, together.intern("p" + prev), state, next, together.intern("n" + next), cr3, lazy, cycles);
                if (hasCost) one.switchCost(costTime, cpu, next + 1, prev, costDirect, costRefill);
                if (cr3) one.switchTlbFlush(flushTime, cpu);
                one.schedSwitch(time, cpu, prev, one.intern("p" + prev), state, next, one.intern("n" + next), cr3, lazy, cycles);
                assertEquals(one.recorded(), together.recorded(), "recorded after " + n);
                assertEquals(one.size(), together.size(), "kept after " + n);
            }
            assertEquals(one.events(), together.events(), "ring " + ring);
        }
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

    /** Property: the reader gives what events() gives, field by field and detail by detail, without building the hot events. */
    @Property(tries = 40)
    void theReaderAgreesWithTheBuiltEvents(@ForAll @IntRange(min = 0, max = 40) int capacity, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Trace t = new Trace();
        t.setCapacity(capacity);
        long[] clock = new long[2];
        for (int i = 0; i < 200; i++) recordSame(r, t, clock);
        List<Event> events = t.events();
        Trace.Reader reader = t.reader();
        assertEquals(events.size(), reader.remaining());
        for (Event e : events) {
            assertTrue(reader.next());
            assertEquals(e, reader.event());
            assertEquals(e.name(), reader.name());
            assertEquals(e.time(), reader.time());
            assertEquals(e.cpu(), reader.cpu());
            assertEquals(e.detail(), reader.detail());
            assertEquals(e.toString().substring(e.toString().indexOf(e.name() + ":") + e.name().length() + 2), e.detail());
            switch (reader.type()) {
                case SCHED_SWITCH -> assertTrue(e instanceof Event.SchedSwitch s && s.prevPid() == reader.prevPid()
                    && s.nextComm().equals(reader.nextComm()) && s.cycles() == reader.cycles() && s.lazy() == reader.lazy());
                case SWITCH_COST -> assertTrue(e instanceof Event.SwitchCost c && c.direct() == reader.direct() && c.refill() == reader.refill());
                case TLB_FLUSH -> assertTrue(e instanceof Event.TlbFlush f && f.reason() == reader.reason() && f.pages() == reader.pages());
                case PAGE_FAULT -> assertTrue(e instanceof Event.PageFault f && f.address() == reader.address() && f.kind() == reader.faultKind());
                case OTHER -> assertTrue(e == reader.event());
            }
        }
        assertFalse(reader.next());
        assertEquals(0, reader.remaining());
    }

    @Test
    void readingWhileRecordingIsAnError() {
        Trace t = new Trace();
        t.record(new Event.SchedProcessFree(1, 0, 1, "a"));
        Trace.Reader r = t.reader();
        t.record(new Event.SchedProcessFree(2, 0, 2, "b"));
        assertThrows(java.util.ConcurrentModificationException.class, r::next);
    }

    @Test
    void detailsPrintLikeTheFormatTheyReplaced() {
        assertEquals("pid=7 address=0x0804e000 error_code=0x6 kind=ANON_PAGE",
            new Event.PageFault(1, 0, 7, 0x0804e000, 6, FaultKind.ANON_PAGE).detail());
        assertEquals(String.format("pid=7 address=0x%08x error_code=0x%x kind=ANON_PAGE", 0xbffff000, -1),
            new Event.PageFault(1, 0, 7, 0xbffff000, -1, FaultKind.ANON_PAGE).detail());
        assertEquals(String.format("comm=sh pid=1 child_pid=2 flags=0x%08x", 0x11), new Event.SchedProcessFork(1, 0, 1, "sh", 2, 0x11).detail());
        assertEquals(String.format("comm=sh pid=1 code=0x%04x", 0x8b00), new Event.SchedProcessExit(1, 0, 1, "sh", 0x8b00).detail());
        assertEquals(String.format("comm=sh pid=1 code=0x%04x", -1), new Event.SchedProcessExit(1, 0, 1, "sh", -1).detail());
        assertEquals(String.format("pid=%d uaddr=0x%08x woken=%d", 3, 0x4000L, 1), new Event.FutexWake(1, 0, 3, 0x4000L, 1).detail());
        assertEquals(String.format("pid=%d uaddr=0x%08x woken=%d", 3, -2L, 0), new Event.FutexWake(1, 0, 3, -2L, 0).detail());
        assertEquals(String.format("%12d cpu%d %s:", 42L, 1, "tlb_flush") + " pages:-1 reason:TASK_SWITCH",
            new Event.TlbFlush(42, 1, FlushReason.TASK_SWITCH, -1).toString());
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
