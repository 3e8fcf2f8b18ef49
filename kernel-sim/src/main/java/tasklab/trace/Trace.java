package tasklab.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * The append-only event trace. Recording can be switched off (cheapest) or bounded to the last
 * N events (a ring, as ftrace's buffer is), so long runs keep constant memory.
 *
 * <p>Why primitive slots: the hot events (sched_switch, switch_cost, tlb_flush, page_fault) are
 * recorded millions of times a second, so they are written as numbers and references into
 * preallocated arrays, as ftrace writes raw entries into its ring buffer; the {@link Event}
 * records are built only when somebody reads the trace. Other events are kept as the objects
 * they were recorded as. Either way, {@link #events()} and {@link #toText()} give the same
 * events in the same order, so traces still compare byte for byte.
 */
public final class Trace {
    private static final int LONGS = 4;   // per slot: time, then up to 3 payload words
    private static final int REFS = 2;    // per slot: up to 2 references (comm strings, enums, or an Event)

    private static final byte K_OBJECT = 0;
    private static final byte K_SCHED_SWITCH = 1;
    private static final byte K_SWITCH_COST = 2;
    private static final byte K_TLB_FLUSH = 3;
    private static final byte K_PAGE_FAULT = 4;

    private boolean enabled = true;
    private int capacity;          // 0 = unbounded
    private long recorded;
    private long dropped;

    // The kept events: slot i of the ring holds event number (first + i) mod length.
    private byte[] kind = new byte[64];
    private int[] cpus = new int[64];
    private long[] words = new long[64 * LONGS];
    private Object[] refs = new Object[64 * REFS];
    private int first;             // slot of the oldest kept event
    private int size;              // events kept

    /** Whether events are being recorded. */
    public boolean enabled() { return enabled; }
    /** Switches recording on or off. */
    public void setEnabled(boolean on) { enabled = on; }

    /** Keeps only the last {@code n} events (0 = keep all). */
    public void setCapacity(int n) {
        if (n < 0) throw new IllegalArgumentException("trace capacity must be >= 0, got " + n);
        int keep = n == 0 ? size : Math.min(size, n);
        dropped += size - keep;
        resize(Math.max(n == 0 ? Math.max(64, size) : n, 1), size - keep);
        capacity = n;
    }

    /** Copies the kept events from the {@code skip}-th oldest on into arrays of {@code slots} slots. */
    private void resize(int slots, int skip) {
        byte[] k2 = new byte[slots];
        int[] c2 = new int[slots];
        long[] w2 = new long[slots * LONGS];
        Object[] r2 = new Object[slots * REFS];
        int n = size - skip;
        for (int i = 0; i < n; i++) {
            int from = (first + skip + i) % kind.length;
            k2[i] = kind[from];
            c2[i] = cpus[from];
            System.arraycopy(words, from * LONGS, w2, i * LONGS, LONGS);
            System.arraycopy(refs, from * REFS, r2, i * REFS, REFS);
        }
        kind = k2;
        cpus = c2;
        words = w2;
        refs = r2;
        first = 0;
        size = n;
    }

    /** Claims the slot for a new event: the next free one, the oldest when the ring is full, or a grown array. */
    private int claim(byte k, int cpu, long time) {
        recorded++;
        int len = kind.length;
        int slot;
        if (size < len) {
            slot = first + size;
            if (slot >= len) slot -= len;
            size++;
        } else if (capacity > 0) {                 // full ring: overwrite the oldest
            slot = first;
            first = first + 1 == len ? 0 : first + 1;
            dropped++;
        } else {                                   // unbounded: grow
            resize(len * 2, 0);
            slot = size++;
        }
        kind[slot] = k;
        cpus[slot] = cpu;
        words[slot * LONGS] = time;
        return slot;
    }

    /** Records an event if tracing is on. */
    public void record(Event e) {
        if (!enabled) return;
        int s = claim(K_OBJECT, e.cpu(), e.time());
        refs[s * REFS] = e;
        refs[s * REFS + 1] = null;
    }

    /** Records {@link Event.SchedSwitch} without building it (the context-switch path's event). */
    public void schedSwitch(long time, int cpu, int prevPid, String prevComm, int prevState, int nextPid, String nextComm,
                            boolean cr3, boolean lazy, long cycles) {
        if (!enabled) return;
        int s = claim(K_SCHED_SWITCH, cpu, time);
        int w = s * LONGS;
        words[w + 1] = ((long) prevPid << 32) | (nextPid & 0xffffffffL);
        words[w + 2] = ((long) prevState << 2) | (cr3 ? 1 : 0) | (lazy ? 2 : 0);
        words[w + 3] = cycles;
        refs[s * REFS] = prevComm;
        refs[s * REFS + 1] = nextComm;
    }

    /** Records {@link Event.SwitchCost} without building it. */
    public void switchCost(long time, int cpu, int prevPid, int nextPid, long direct, long refill) {
        if (!enabled) return;
        int s = claim(K_SWITCH_COST, cpu, time);
        int w = s * LONGS;
        words[w + 1] = ((long) prevPid << 32) | (nextPid & 0xffffffffL);
        words[w + 2] = direct;
        words[w + 3] = refill;
        refs[s * REFS] = null;
        refs[s * REFS + 1] = null;
    }

    /** Records {@link Event.TlbFlush} without building it. */
    public void tlbFlush(long time, int cpu, FlushReason reason, int pages) {
        if (!enabled) return;
        int s = claim(K_TLB_FLUSH, cpu, time);
        words[s * LONGS + 1] = pages;
        refs[s * REFS] = reason;
        refs[s * REFS + 1] = null;
    }

    /** Records {@link Event.PageFault} without building it. */
    public void pageFault(long time, int cpu, int pid, int address, int errorCode, FaultKind faultKind) {
        if (!enabled) return;
        int s = claim(K_PAGE_FAULT, cpu, time);
        int w = s * LONGS;
        words[w + 1] = ((long) pid << 32) | (address & 0xffffffffL);
        words[w + 2] = errorCode;
        refs[s * REFS] = faultKind;
        refs[s * REFS + 1] = null;
    }

    /** The event in ring slot {@code s}, built from its words. */
    private Event event(int s) {
        int w = s * LONGS;
        int r = s * REFS;
        long time = words[w];
        int cpu = cpus[s];
        switch (kind[s]) {
            case K_SCHED_SWITCH: {
                long pids = words[w + 1];
                long st = words[w + 2];
                return new Event.SchedSwitch(time, cpu, (int) (pids >> 32), (String) refs[r], (int) (st >> 2),
                    (int) pids, (String) refs[r + 1], (st & 1) != 0, (st & 2) != 0, words[w + 3]);
            }
            case K_SWITCH_COST: {
                long pids = words[w + 1];
                return new Event.SwitchCost(time, cpu, (int) (pids >> 32), (int) pids, words[w + 2], words[w + 3]);
            }
            case K_TLB_FLUSH:
                return new Event.TlbFlush(time, cpu, (FlushReason) refs[r], (int) words[w + 1]);
            case K_PAGE_FAULT: {
                long pa = words[w + 1];
                return new Event.PageFault(time, cpu, (int) (pa >> 32), (int) pa, (int) words[w + 2], (FaultKind) refs[r]);
            }
            default:
                return (Event) refs[r];
        }
    }

    /** The events kept, oldest first (a copy). */
    public List<Event> events() {
        List<Event> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) out.add(event((first + i) % kind.length));
        return out;
    }
    /** Events recorded since boot (kept or dropped). */
    public long recorded() { return recorded; }
    /** Events dropped by the ring bound. */
    public long dropped() { return dropped; }
    /** Number of events kept. */
    public int size() { return size; }
    /** Forgets every kept event. */
    public void clear() {
        java.util.Arrays.fill(refs, null);       // let the recorded objects go
        first = 0;
        size = 0;
    }

    /** The kept events as text, one line each: the byte-for-byte comparable form. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) sb.append(event((first + i) % kind.length)).append('\n');
        return sb.toString();
    }
}
