package tasklab.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    private static final Action NOP = e -> { };

    private static List<Long> drainSequences(EventQueue q) {
        List<Long> out = new ArrayList<>();
        for (Scheduled s = q.poll(); s != null; s = q.poll()) {
            out.add(s.sequence());
        }
        return out;
    }

    @Test
    void ordersByCycleThenPriorityThenSequence() {
        EventQueue q = new EventQueue();
        Scheduled a = q.add(20, Priority.DEFAULT, NOP);  // seq 0
        Scheduled b = q.add(10, Priority.DEFAULT, NOP);  // seq 1
        Scheduled c = q.add(10, Priority.IPI, NOP);      // seq 2
        Scheduled d = q.add(10, Priority.DEFAULT, NOP);  // seq 3
        Scheduled e = q.add(10, Priority.TIMER, NOP);    // seq 4
        Scheduled f = q.add(5, Priority.PROBE, NOP);     // seq 5
        assertSame(f, q.poll());
        assertSame(c, q.poll());
        assertSame(e, q.poll());
        assertSame(b, q.poll(), "FIFO among equal (cycle, priority)");
        assertSame(d, q.poll());
        assertSame(a, q.poll());
        assertNull(q.poll());
    }

    @Test
    void priorityOrderIsIpiTimerWakeupDefaultProbe() {
        assertTrue(Priority.IPI < Priority.TIMER);
        assertTrue(Priority.TIMER < Priority.WAKEUP);
        assertTrue(Priority.WAKEUP < Priority.DEFAULT);
        assertTrue(Priority.DEFAULT < Priority.PROBE);
        assertEquals("TIMER", Priority.name(Priority.TIMER));
        assertEquals("7", Priority.name(7));
    }

    @Test
    void sizePeekAndEmpty() {
        EventQueue q = new EventQueue();
        assertTrue(q.isEmpty());
        assertEquals(EventQueue.NO_EVENT, q.peekCycle());
        assertNull(q.peek());
        q.add(7, Priority.DEFAULT, NOP);
        q.add(3, Priority.DEFAULT, NOP);
        assertEquals(2, q.size());
        assertEquals(3, q.peekCycle());
        assertEquals(3, q.peek().cycle());
        assertEquals(2, q.size(), "peek does not remove");
        q.poll();
        assertEquals(1, q.size());
        assertEquals(7, q.peekCycle());
    }

    @Test
    void cancelledEventsAreSkippedAndNotCounted() {
        EventQueue q = new EventQueue();
        Scheduled a = q.add(1, Priority.DEFAULT, NOP);
        Scheduled b = q.add(2, Priority.DEFAULT, NOP);
        Scheduled c = q.add(3, Priority.DEFAULT, NOP);
        assertTrue(a.cancel());
        assertFalse(a.cancel(), "second cancel is a no-op");
        assertTrue(a.isCancelled());
        assertFalse(a.isPending());
        assertEquals(2, q.size());
        assertEquals(2, q.peekCycle(), "cancelled head is skipped");
        assertSame(b, q.poll());
        assertTrue(b.isDone());
        assertFalse(b.cancel(), "cannot cancel an event already taken to run");
        assertTrue(c.cancel());
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        assertEquals(EventQueue.NO_EVENT, q.peekCycle());
    }

    @Test
    void manyCancellationsCompactWithoutChangingOrder() {
        // Reference: sort the surviving keys; the heap (with compactions) must yield the same order.
        SplittableRandom r = new SplittableRandom(7);
        EventQueue q = new EventQueue();
        List<Scheduled> all = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            all.add(q.add(r.nextInt(500), r.nextInt(4) * 100, NOP));
            if (i % 3 != 0) {
                all.get(r.nextInt(all.size())).cancel();
            }
        }
        List<Scheduled> survivors = new ArrayList<>();
        for (Scheduled s : all) {
            if (s.isPending()) {
                survivors.add(s);
            }
        }
        assertEquals(survivors.size(), q.size());
        survivors.sort(Comparator.comparingLong(Scheduled::cycle)
                .thenComparingInt(Scheduled::priority)
                .thenComparingLong(Scheduled::sequence));
        List<Long> expected = new ArrayList<>();
        for (Scheduled s : survivors) {
            expected.add(s.sequence());
        }
        assertEquals(expected, drainSequences(q));
    }

    @Test
    void randomInterleavedAddAndPollMatchesSortedReference() {
        SplittableRandom r = new SplittableRandom(11);
        EventQueue q = new EventQueue();
        List<Scheduled> reference = new ArrayList<>();
        Comparator<Scheduled> order = Comparator.comparingLong(Scheduled::cycle)
                .thenComparingInt(Scheduled::priority).thenComparingLong(Scheduled::sequence);
        long floor = 0;
        for (int i = 0; i < 50_000; i++) {
            if (r.nextInt(3) != 0 || reference.isEmpty()) {
                reference.add(q.add(floor + r.nextInt(100), r.nextInt(3) * 100, NOP));
            } else {
                Scheduled min = reference.stream().min(order).orElseThrow();
                reference.remove(min);
                Scheduled got = q.poll();
                assertSame(min, got);
                floor = got.cycle();
            }
            if (reference.size() > 200) { // keep the reference scan cheap
                Scheduled min = reference.stream().min(order).orElseThrow();
                reference.remove(min);
                assertSame(min, q.poll());
            }
        }
        assertEquals(reference.size(), q.size());
    }

    @Test
    void rejectsBadArguments() {
        EventQueue q = new EventQueue();
        assertThrows(IllegalArgumentException.class, () -> q.add(-1, Priority.DEFAULT, NOP));
        assertThrows(IllegalArgumentException.class, () -> q.add(EventQueue.NO_EVENT, Priority.DEFAULT, NOP));
        assertThrows(IllegalArgumentException.class, () -> q.add(0, -1, NOP));
        assertThrows(IllegalArgumentException.class, () -> q.add(0, Priority.MAX + 1, NOP));
        assertThrows(NullPointerException.class, () -> q.add(0, Priority.DEFAULT, null));
        assertTrue(q.isEmpty());
        Scheduled s = q.add(0, Priority.MAX, NOP);
        Scheduled t = q.add(0, Priority.MIN, NOP);
        assertSame(t, q.poll(), "full priority range packs correctly");
        assertSame(s, q.poll());
    }

    @Test
    void sequenceNumbersAreConsecutiveFromZero() {
        EventQueue q = new EventQueue();
        assertEquals(0, q.add(9, Priority.DEFAULT, NOP).sequence());
        assertEquals(1, q.add(1, Priority.DEFAULT, NOP).sequence());
        assertEquals(2, q.added());
        assertTrue(q.toString().contains("live=2"));
    }
}
