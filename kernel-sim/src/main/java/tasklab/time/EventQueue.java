package tasklab.time;

import java.util.Arrays;
import java.util.Objects;

/**
 * Priority queue of scheduled events ordered by (cycle, priority, sequence).
 *
 * <p>A binary min-heap over parallel primitive arrays: the cycle in one {@code long[]}, priority
 * and sequence packed into a second {@code long[]} (priority in bits 47..62, sequence in bits
 * 0..46), so a comparison reads two longs from contiguous memory and never follows a pointer or
 * unboxes. Because every key is unique (the sequence is), the order in which events come out
 * depends only on the keys, never on the heap's internal shape; compaction after many
 * cancellations therefore cannot change the event order.
 *
 * <p>Cancelled entries stay in the heap and are skipped when they reach the top; when they
 * outnumber the live ones the heap is rebuilt without them in O(n), so a workload that keeps
 * re-arming timeouts does not grow the heap without bound. Not thread-safe.
 */
public final class EventQueue {

    /** Returned by {@link #peekCycle()} when the queue is empty; no event may be scheduled at it. */
    public static final long NO_EVENT = Long.MAX_VALUE;

    private static final int SEQUENCE_BITS = 47;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1; // 1.4e14 events: days at 10^7 events/s
    private static final int COMPACT_MIN = 64;

    private long[] cycles;
    private long[] orders;
    private Scheduled[] items;
    private int heapSize;
    private int live;
    private int cancelledInHeap;
    private long nextSequence;

    /** An empty queue. */
    public EventQueue() {
        cycles = new long[64];
        orders = new long[64];
        items = new Scheduled[64];
    }

    /**
     * Adds an event and returns its handle.
     *
     * @param cycle    when it runs, 0 &lt;= cycle &lt; {@link #NO_EVENT}
     * @param priority tie-break among equal cycles, {@link Priority#MIN}..{@link Priority#MAX}; lower first
     * @param action   what to run
     */
    public Scheduled add(long cycle, int priority, Action action) {
        Objects.requireNonNull(action, "EventQueue.add: action");
        if (cycle < 0 || cycle == NO_EVENT) {
            throw new IllegalArgumentException("EventQueue.add: cycle " + cycle + " out of range 0.." + (NO_EVENT - 1));
        }
        if (priority < Priority.MIN || priority > Priority.MAX) {
            throw new IllegalArgumentException("EventQueue.add: priority " + priority + " out of range "
                    + Priority.MIN + ".." + Priority.MAX);
        }
        if (nextSequence > MAX_SEQUENCE) {
            throw new IllegalStateException("EventQueue.add: sequence numbers exhausted");
        }
        long seq = nextSequence++;
        Scheduled s = new Scheduled(this, cycle, priority, seq, action);
        if (heapSize == items.length) {
            grow();
        }
        siftUp(heapSize++, cycle, ((long) priority << SEQUENCE_BITS) | seq, s);
        live++;
        return s;
    }

    /** Removes and returns the next live event (marked done), or null if there is none. */
    public Scheduled poll() {
        dropCancelledTop();
        if (heapSize == 0) {
            return null;
        }
        Scheduled s = removeTop();
        live--;
        s.markDone();
        return s;
    }

    /** The next live event without removing it, or null if there is none. */
    public Scheduled peek() {
        dropCancelledTop();
        return heapSize == 0 ? null : items[0];
    }

    /** The cycle of the next live event, or {@link #NO_EVENT} if the queue is empty. */
    public long peekCycle() {
        dropCancelledTop();
        return heapSize == 0 ? NO_EVENT : cycles[0];
    }

    /** Number of live (pending, not cancelled) events. */
    public int size() {
        return live;
    }

    /** True if no live event is pending. */
    public boolean isEmpty() {
        return live == 0;
    }

    /** Number of sequence numbers handed out so far, i.e. events ever added. */
    public long added() {
        return nextSequence;
    }

    /** Called by {@link Scheduled#cancel()} after it flipped the state. */
    void onCancel() {
        live--;
        cancelledInHeap++;
        if (cancelledInHeap >= COMPACT_MIN && cancelledInHeap > (heapSize >>> 1)) {
            compact();
        }
    }

    private void dropCancelledTop() {
        while (heapSize > 0 && items[0].isCancelled()) {
            removeTop();
            cancelledInHeap--;
        }
    }

    private Scheduled removeTop() {
        Scheduled top = items[0];
        int last = --heapSize;
        Scheduled ls = items[last];
        long lc = cycles[last];
        long lo = orders[last];
        items[last] = null;
        if (last > 0) {
            siftDown(0, lc, lo, ls);
        }
        return top;
    }

    private void siftUp(int k, long c, long o, Scheduled s) {
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            long pc = cycles[parent];
            long po = orders[parent];
            if (pc < c || (pc == c && po < o)) {
                break;
            }
            cycles[k] = pc;
            orders[k] = po;
            items[k] = items[parent];
            k = parent;
        }
        cycles[k] = c;
        orders[k] = o;
        items[k] = s;
    }

    private void siftDown(int k, long c, long o, Scheduled s) {
        int n = heapSize;
        int half = n >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            long cc = cycles[child];
            long co = orders[child];
            int right = child + 1;
            if (right < n) {
                long rc = cycles[right];
                long ro = orders[right];
                if (rc < cc || (rc == cc && ro < co)) {
                    child = right;
                    cc = rc;
                    co = ro;
                }
            }
            if (c < cc || (c == cc && o < co)) {
                break;
            }
            cycles[k] = cc;
            orders[k] = co;
            items[k] = items[child];
            k = child;
        }
        cycles[k] = c;
        orders[k] = o;
        items[k] = s;
    }

    /** Drops every cancelled entry and re-heapifies (Floyd, O(n)); keys are unique, so order is unchanged. */
    private void compact() {
        int j = 0;
        for (int i = 0; i < heapSize; i++) {
            if (!items[i].isCancelled()) {
                cycles[j] = cycles[i];
                orders[j] = orders[i];
                items[j] = items[i];
                j++;
            }
        }
        Arrays.fill(items, j, heapSize, null);
        heapSize = j;
        cancelledInHeap = 0;
        for (int k = (heapSize >>> 1) - 1; k >= 0; k--) {
            siftDown(k, cycles[k], orders[k], items[k]);
        }
    }

    private void grow() {
        int cap = items.length * 2;
        cycles = Arrays.copyOf(cycles, cap);
        orders = Arrays.copyOf(orders, cap);
        items = Arrays.copyOf(items, cap);
    }

    /** Debug summary: live and cancelled counts and the next cycle. */
    @Override
    public String toString() {
        return "EventQueue[live=" + live + ", cancelledInHeap=" + cancelledInHeap + ", next="
                + (live == 0 ? "none" : Long.toString(peekCycle())) + "]";
    }
}
