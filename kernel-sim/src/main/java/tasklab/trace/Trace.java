package tasklab.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only event trace. Recording can be switched off (cheapest) or bounded to the last
 * N events (a ring, as ftrace's buffer is), so long runs keep constant memory.
 */
public final class Trace {
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private boolean enabled = true;
    private int capacity;          // 0 = unbounded
    private long recorded;
    private long dropped;

    /** Whether events are being recorded. */
    public boolean enabled() { return enabled; }
    /** Switches recording on or off. */
    public void setEnabled(boolean on) { enabled = on; }
    /** Keeps only the last {@code n} events (0 = keep all). */
    public void setCapacity(int n) {
        if (n < 0) throw new IllegalArgumentException("trace capacity must be >= 0, got " + n);
        capacity = n;
        trim();
    }

    /** Records an event if tracing is on. */
    public void record(Event e) {
        if (!enabled) return;
        events.addLast(e);
        recorded++;
        trim();
    }

    private void trim() {
        while (capacity > 0 && events.size() > capacity) { events.removeFirst(); dropped++; }
    }

    /** The events kept, oldest first (a copy). */
    public List<Event> events() { return new ArrayList<>(events); }
    /** Events recorded since boot (kept or dropped). */
    public long recorded() { return recorded; }
    /** Events dropped by the ring bound. */
    public long dropped() { return dropped; }
    /** Number of events kept. */
    public int size() { return events.size(); }
    /** Forgets every kept event. */
    public void clear() { events.clear(); }

    /** The kept events as text, one line each: the byte-for-byte comparable form. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Event e : events) sb.append(e).append('\n');
        return sb.toString();
    }
}
