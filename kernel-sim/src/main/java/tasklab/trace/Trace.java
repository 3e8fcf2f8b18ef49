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
 * records are built only when somebody reads the trace. Only numbers are written on that path:
 * a reference store into a large long-lived array costs a GC write barrier, so task names are
 * recorded as ids from {@link #intern(String)} and enums as ordinals. Other events are kept as the objects
 * they were recorded as. Either way, {@link #events()} and {@link #toText()} give the same
 * events in the same order, so traces still compare byte for byte.
 */
public final class Trace {
    // One slot = STRIDE words of one long[]: time, kind << 32 | cpu, then up to 4 payload words.
    // A single array keeps a record to one bounds check and one or two cache lines.
    private static final int STRIDE = 6;
    private static final FlushReason[] REASONS = FlushReason.values();
    private static final FaultKind[] FAULT_KINDS = FaultKind.values();

    private static final int K_OBJECT = 0;
    private static final int K_SCHED_SWITCH = 1;
    private static final int K_SWITCH_COST = 2;
    private static final int K_TLB_FLUSH = 3;
    private static final int K_PAGE_FAULT = 4;

    private boolean enabled = true;
    private int capacity;          // 0 = unbounded
    private long recorded;
    private long droppedBefore;    // dropped before the current arrays (by setCapacity or clear)

    private long[] words = new long[64 * STRIDE];
    private Event[] objects = new Event[64];       // events kept as objects (valid in K_OBJECT slots only)
    private int pos;               // word index of the slot the next event goes to
    private long kept;             // events written into the current arrays since they were (re)made
    private final java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    private final java.util.List<String> strings = new java.util.ArrayList<>();

    /** Whether events are being recorded. */
    public boolean enabled() { return enabled; }
    /** Switches recording on or off. */
    public void setEnabled(boolean on) { enabled = on; }

    private int slots() { return objects.length; }

    /** Keeps only the last {@code n} events (0 = keep all). */
    public void setCapacity(int n) {
        if (n < 0) throw new IllegalArgumentException("trace capacity must be >= 0, got " + n);
        int size = size();
        int keep = n == 0 ? size : Math.min(size, n);
        droppedBefore += size - keep;
        resize(n == 0 ? Math.max(64, size) : n, size - keep);
        capacity = n;
    }

    /** Copies the kept events from the {@code skip}-th oldest on into arrays of {@code slots} slots. */
    private void resize(int slots, int skip) {
        long[] w2 = new long[slots * STRIDE];
        Event[] o2 = new Event[slots];
        int size = size();
        int firstSlot = firstSlot();
        int n = size - skip;
        for (int i = 0; i < n; i++) {
            int from = (firstSlot + skip + i) % slots();
            System.arraycopy(words, from * STRIDE, w2, i * STRIDE, STRIDE);
            o2[i] = objects[from];
        }
        words = w2;
        objects = o2;
        kept = n;
        pos = n * STRIDE;
    }

    /** Slot of the oldest kept event. */
    private int firstSlot() {
        return kept <= slots() ? 0 : (pos / STRIDE) % slots();
    }

    /** Starts a new event: writes its time and header, returns its word index. */
    private int claim(int kind, int cpu, long time) {
        long[] w = words;
        int i = pos;
        if (i == w.length) {
            if (capacity > 0) {
                i = 0;                             // a full ring wraps onto its oldest event
            } else {
                resize(slots() * 2, 0);            // an unbounded trace grows
                w = words;
                i = pos;
            }
        }
        w[i] = time;
        w[i + 1] = ((long) kind << 32) | cpu;
        pos = i + STRIDE;
        recorded++;
        kept++;
        return i;
    }

    /** Records an event if tracing is on. */
    public void record(Event e) {
        if (!enabled) return;
        int i = claim(K_OBJECT, e.cpu(), e.time());
        objects[i / STRIDE] = e;
    }

    /** A number standing for {@code s} in this trace (task names are recorded as these). */
    public int intern(String s) {
        Integer id = ids.get(s);
        if (id != null) return id;
        strings.add(s);
        ids.put(s, strings.size() - 1);
        return strings.size() - 1;
    }

    /**
     * Records {@link Event.SchedSwitch} without building it (the context-switch path's event); the
     * comms are ids from {@link #intern(String)}.
     */
    public void schedSwitch(long time, int cpu, int prevPid, int prevComm, int prevState, int nextPid, int nextComm,
                            boolean cr3, boolean lazy, long cycles) {
        if (!enabled) return;
        int i = claim(K_SCHED_SWITCH, cpu, time);
        long[] w = words;
        w[i + 2] = ((long) prevPid << 32) | (nextPid & 0xffffffffL);
        w[i + 3] = ((long) prevState << 2) | (cr3 ? 1 : 0) | (lazy ? 2 : 0);
        w[i + 4] = cycles;
        w[i + 5] = ((long) prevComm << 32) | (nextComm & 0xffffffffL);
    }

    /** Records {@link Event.SwitchCost} without building it. */
    public void switchCost(long time, int cpu, int prevPid, int nextPid, long direct, long refill) {
        if (!enabled) return;
        int i = claim(K_SWITCH_COST, cpu, time);
        long[] w = words;
        w[i + 2] = ((long) prevPid << 32) | (nextPid & 0xffffffffL);
        w[i + 3] = direct;
        w[i + 4] = refill;
    }

    /** Records {@link Event.TlbFlush} without building it. */
    public void tlbFlush(long time, int cpu, FlushReason reason, int pages) {
        if (!enabled) return;
        int i = claim(K_TLB_FLUSH, cpu, time);
        words[i + 2] = ((long) reason.ordinal() << 32) | (pages & 0xffffffffL);
    }

    /** Records {@link Event.PageFault} without building it. */
    public void pageFault(long time, int cpu, int pid, int address, int errorCode, FaultKind faultKind) {
        if (!enabled) return;
        int i = claim(K_PAGE_FAULT, cpu, time);
        long[] w = words;
        w[i + 2] = ((long) pid << 32) | (address & 0xffffffffL);
        w[i + 3] = ((long) faultKind.ordinal() << 32) | (errorCode & 0xffffffffL);
    }

    /** The event in ring slot {@code slot}, built from its words. */
    private Event event(int slot) {
        long[] w = words;
        int i = slot * STRIDE;
        long time = w[i];
        int kind = (int) (w[i + 1] >>> 32);
        int cpu = (int) w[i + 1];
        switch (kind) {
            case K_SCHED_SWITCH: {
                long pids = w[i + 2];
                long st = w[i + 3];
                long comms = w[i + 5];
                return new Event.SchedSwitch(time, cpu, (int) (pids >> 32), strings.get((int) (comms >> 32)), (int) (st >> 2),
                    (int) pids, strings.get((int) comms), (st & 1) != 0, (st & 2) != 0, w[i + 4]);
            }
            case K_SWITCH_COST: {
                long pids = w[i + 2];
                return new Event.SwitchCost(time, cpu, (int) (pids >> 32), (int) pids, w[i + 3], w[i + 4]);
            }
            case K_TLB_FLUSH:
                return new Event.TlbFlush(time, cpu, REASONS[(int) (w[i + 2] >>> 32)], (int) w[i + 2]);
            case K_PAGE_FAULT: {
                long pa = w[i + 2];
                return new Event.PageFault(time, cpu, (int) (pa >> 32), (int) pa, (int) w[i + 3], FAULT_KINDS[(int) (w[i + 3] >>> 32)]);
            }
            default:
                return objects[slot];
        }
    }

    /** The events kept, oldest first (a copy). */
    public List<Event> events() {
        int size = size();
        int first = firstSlot();
        List<Event> out = new ArrayList<>(size);
        for (int j = 0; j < size; j++) out.add(event((first + j) % slots()));
        return out;
    }
    /** Events recorded since boot (kept or dropped). */
    public long recorded() { return recorded; }
    /** Events dropped by the ring bound. */
    public long dropped() { return droppedBefore + Math.max(0, kept - slots()); }
    /** Number of events kept. */
    public int size() { return (int) Math.min(kept, slots()); }
    /** Forgets every kept event. */
    public void clear() {
        droppedBefore = dropped();
        java.util.Arrays.fill(objects, null);    // let the recorded objects go
        pos = 0;
        kept = 0;
    }

    /** The kept events as text, one line each: the byte-for-byte comparable form. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        int size = size();
        int first = firstSlot();
        for (int j = 0; j < size; j++) sb.append(event((first + j) % slots())).append('\n');
        return sb.toString();
    }
}
