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
 * records are built only when somebody reads the trace with {@link #events()}; {@link #reader()}
 * reads them field by field without building them (the lab's million-row tables). Only numbers are written on that path:
 * a reference store into a large long-lived array costs a GC write barrier, so task names are
 * recorded as ids from {@link #intern(String)} and enums as ordinals. A context switch's three
 * events (the previous switch's switch_cost, the CR3 load's tlb_flush, sched_switch) share one
 * slot when nothing else is recorded between them: the first two are held back until the
 * sched_switch comes (any other event writes them out first, so the order never changes). The
 * scheduler's usual switch, where nothing else can be recorded in between, hands all three over in
 * one call ({@link #switchEvents}) and nothing is held back at all. Other events are kept as the objects
 * they were recorded as. Either way, {@link #events()} and {@link #toText()} give the same
 * events in the same order, so traces still compare byte for byte.
 */
public final class Trace {
    // One slot = STRIDE words of one long[]: time, kind << 32 | cpu, then up to 7 payload words.
    // A single array keeps a record to one bounds check and a couple of cache lines.
    private static final int STRIDE = 9;
    private static final FlushReason[] REASONS = FlushReason.values();
    private static final FaultKind[] FAULT_KINDS = FaultKind.values();
    private static final long U32 = 0xffffffffL;

    private static final int K_OBJECT = 0;
    private static final int K_SCHED_SWITCH = 1;      // sched_switch, with the switch_cost and tlb_flush before it if flagged
    private static final int K_SWITCH_COST = 2;
    private static final int K_TLB_FLUSH = 3;
    private static final int K_PAGE_FAULT = 4;
    private static final long F_CR3 = 1, F_LAZY = 2, F_COST = 4, F_TLB = 8;   // K_SCHED_SWITCH flag bits of word 3

    private boolean enabled = true;
    private int capacity;          // 0 = unbounded
    private long recorded;         // events recorded since boot
    private long forgotten;        // events thrown away by clear() (not counted as dropped)

    private long[] words = new long[64 * STRIDE];
    private Event[] objects = new Event[64];       // events kept as objects (valid in K_OBJECT slots only)
    private int pos;               // word index of the slot the next record goes to
    private long slotsWritten;     // slots written into the current arrays
    private final java.util.Map<String, Integer> ids = new java.util.HashMap<>();
    private final java.util.List<String> strings = new java.util.ArrayList<>();

    // Held back: the switch_cost and tlb_flush of a context switch in progress (see the class comment).
    private boolean pendCost;
    private long pcTime;
    private int pcCpu;
    private long pcPids;
    private long pcDirect;
    private long pcRefill;
    private boolean pendTlb;
    private long ptTime;
    private int ptCpu;

    /** Whether events are being recorded. */
    public boolean enabled() { return enabled; }
    /** Switches recording on or off. */
    public void setEnabled(boolean on) {
        if (!on) flushPending();
        enabled = on;
    }

    private int slots() { return objects.length; }

    /** Records still held in the arrays (a full ring holds all its slots). */
    private int heldSlots() { return (int) Math.min(slotsWritten, slots()); }

    /** The slot of the {@code j}-th oldest held record. */
    private int heldSlot(int j) { return (firstSlot() + j) % slots(); }

    /** Of {@code held} events in the held records, how many the bound lets the trace show. */
    private int bounded(long held) { return (int) (capacity > 0 ? Math.min(held, capacity) : held); }

    /** Keeps only the last {@code n} events (0 = keep all). */
    public void setCapacity(int n) {
        if (n < 0) throw new IllegalArgumentException("trace capacity must be >= 0, got " + n);
        flushPending();
        capacity = n;
        int held = heldSlots();
        int keepSlots = n == 0 ? held : Math.min(held, n);     // n slots hold at least n events
        resize(n == 0 ? Math.max(64, held) : n, held - keepSlots);
    }

    /** Copies the held slots from the {@code skip}-th oldest on into arrays of {@code slots} slots. */
    private void resize(int newSlots, int skip) {
        long[] w2 = new long[newSlots * STRIDE];
        Event[] o2 = new Event[newSlots];
        int held = heldSlots();
        int n = held - skip;
        for (int i = skip; i < held; i++) {
            int from = heldSlot(i);
            System.arraycopy(words, from * STRIDE, w2, (i - skip) * STRIDE, STRIDE);
            o2[i - skip] = objects[from];
        }
        words = w2;
        objects = o2;
        slotsWritten = n;
        pos = n * STRIDE;
    }

    /** Slot of the oldest held record. */
    private int firstSlot() {
        return slotsWritten <= slots() ? 0 : (pos / STRIDE) % slots();
    }

    /** How many events the record in {@code slot} stands for. */
    private int eventsIn(int slot) {
        long[] w = words;
        int i = slot * STRIDE;
        if ((int) (w[i + 1] >>> 32) != K_SCHED_SWITCH) return 1;
        long f = w[i + 3];
        return 1 + ((f & F_COST) != 0 ? 1 : 0) + ((f & F_TLB) != 0 ? 1 : 0);
    }

    /**
     * Starts a record: writes its time and header, returns its word index. Nothing is counted here
     * (how many events the held records stand for is worked out when the trace is read), so the
     * recording path stays a few stores.
     */
    private int claim(int kind, int cpu, long time) {
        long[] w = words;
        int i = pos;
        if (i == w.length) {
            if (capacity > 0) {
                i = 0;                             // a full ring wraps onto its oldest record
            } else {
                resize(slots() * 2, 0);            // an unbounded trace grows
                w = words;
                i = pos;
            }
        }
        w[i] = time;
        w[i + 1] = ((long) kind << 32) | cpu;
        pos = i + STRIDE;
        slotsWritten++;
        return i;
    }

    /** Writes the held-back switch events as records of their own. */
    private void flushPending() {
        if (pendCost) {
            pendCost = false;
            int i = claim(K_SWITCH_COST, pcCpu, pcTime);
            long[] w = words;
            w[i + 2] = pcPids;
            w[i + 3] = pcDirect;
            w[i + 4] = pcRefill;
        }
        if (pendTlb) {
            pendTlb = false;
            int i = claim(K_TLB_FLUSH, ptCpu, ptTime);
            words[i + 2] = ((long) FlushReason.TASK_SWITCH.ordinal() << 32) | (-1 & U32);
        }
    }

    /** Records an event if tracing is on. */
    public void record(Event e) {
        if (!enabled) return;
        flushPending();
        recorded++;
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
     * comms are ids from {@link #intern(String)}. A held-back switch_cost / tlb_flush of the same CPU
     * goes into the same record.
     */
    public void schedSwitch(long time, int cpu, int prevPid, int prevComm, int prevState, int nextPid, int nextComm,
                            boolean cr3, boolean lazy, long cycles) {
        if (!enabled) return;
        recorded++;
        if ((pendCost || pendTlb) && !pendingFits(time, cpu)) flushPending();
        int i = claim(K_SCHED_SWITCH, cpu, time);
        long[] w = words;
        putSwitch(w, i, takePending(w, i, time), prevPid, prevComm, prevState, nextPid, nextComm, cr3, lazy, cycles);
    }

    /** Words 2-5 of a sched_switch record; {@code word3} brings the tlb delta and the F_TLB / F_COST bits. */
    private static void putSwitch(long[] w, int i, long word3, int prevPid, int prevComm, int prevState, int nextPid, int nextComm,
                                  boolean cr3, boolean lazy, long cycles) {
        w[i + 2] = ((long) prevPid << 32) | (nextPid & U32);
        w[i + 3] = word3 | ((long) (prevState & 0xfffff) << 4) | (cr3 ? F_CR3 : 0) | (lazy ? F_LAZY : 0);
        w[i + 4] = cycles;
        w[i + 5] = ((long) prevComm << 32) | (nextComm & U32);
    }

    /** Words 6-8 of a sched_switch record that carries the previous switch's switch_cost ({@code delta}: its time before this one). */
    private static void putCost(long[] w, int i, long pids, long direct, long delta, long refill) {
        w[i + 6] = pids;
        w[i + 7] = (direct << 32) | delta;
        w[i + 8] = refill;
    }

    /** Whether the held-back switch_cost / tlb_flush can share the record of a sched_switch at {@code time} on {@code cpu}. */
    private boolean pendingFits(long time, int cpu) {
        return (!pendCost || (pcCpu == cpu && fitsU32(time - pcTime) && fitsU32(pcDirect)))
            && (!pendTlb || (ptCpu == cpu && fitsU32(time - ptTime)));
    }

    /**
     * Moves the held-back events into the sched_switch record at {@code i} (words 6-8 for the cost);
     * returns word 3's tlb-delta and flag bits. Split from {@link #schedSwitch} so that one stays
     * small enough for the JIT to inline into the switch.
     */
    private long takePending(long[] w, int i, long time) {
        long word3 = 0;
        if (pendTlb) {
            word3 = ((time - ptTime) << 32) | F_TLB;
            pendTlb = false;
        }
        if (pendCost) {
            word3 |= F_COST;
            putCost(w, i, pcPids, pcDirect, time - pcTime, pcRefill);
            pendCost = false;
        }
        return word3;
    }

    /**
     * A context switch's events at once, as if {@link #switchCost} (the previous switch's, if
     * {@code hasCost}), {@link #switchTlbFlush} (at {@code flushTime}, if it is not -1) and
     * {@link #schedSwitch} had been called in that order with nothing recorded between them, which
     * the caller guarantees. The same records, without holding the first two back in fields: the
     * context switch is the simulator's hottest path, and this saves it the stores into them.
     * Linux: kernel/sched.c context_switch() (trace_sched_switch).
     */
    public void switchEvents(int cpu, boolean hasCost, long costTime, int costPrev, int costNext, long costDirect, long costRefill,
                             long flushTime, long time, int prevPid, int prevComm, int prevState, int nextPid, int nextComm,
                             boolean cr3, boolean lazy, long cycles) {
        if (!enabled) return;
        if (!fitTogether(hasCost, costTime, costDirect, flushTime, time)) {
            switchEventsOneByOne(cpu, hasCost, costTime, costPrev, costNext, costDirect, costRefill, flushTime,
                time, prevPid, prevComm, prevState, nextPid, nextComm, cr3, lazy, cycles);
            return;
        }
        long word3 = 0;
        int events = 1;
        if (flushTime >= 0) {
            word3 |= ((time - flushTime) << 32) | F_TLB;
            events++;
        }
        if (hasCost) {
            word3 |= F_COST;
            events++;
        }
        recorded += events;
        int i = claim(K_SCHED_SWITCH, cpu, time);
        long[] w = words;
        putSwitch(w, i, word3, prevPid, prevComm, prevState, nextPid, nextComm, cr3, lazy, cycles);
        if (hasCost) putCost(w, i, ((long) costPrev << 32) | (costNext & U32), costDirect, time - costTime, costRefill);
    }

    /** Whether {@link #switchEvents} can write one record: nothing held back, and every delta fits its field. */
    private boolean fitTogether(boolean hasCost, long costTime, long costDirect, long flushTime, long time) {
        return !pendCost && !pendTlb
            && (!hasCost || (fitsU32(time - costTime) && fitsU32(costDirect)))
            && (flushTime < 0 || fitsU32(time - flushTime));
    }

    /** {@link #switchEvents} through the three calls it stands for: something is held back already, or a field does not fit. */
    private void switchEventsOneByOne(int cpu, boolean hasCost, long costTime, int costPrev, int costNext, long costDirect, long costRefill,
                                      long flushTime, long time, int prevPid, int prevComm, int prevState, int nextPid, int nextComm,
                                      boolean cr3, boolean lazy, long cycles) {
        if (hasCost) switchCost(costTime, cpu, costPrev, costNext, costDirect, costRefill);
        if (flushTime >= 0) switchTlbFlush(flushTime, cpu);
        schedSwitch(time, cpu, prevPid, prevComm, prevState, nextPid, nextComm, cr3, lazy, cycles);
    }

    private static boolean fitsU32(long v) { return v >= 0 && v <= U32; }

    /**
     * Records {@link Event.SwitchCost} without building it. It is held back: a sched_switch that
     * follows on the same CPU shares its record.
     */
    public void switchCost(long time, int cpu, int prevPid, int nextPid, long direct, long refill) {
        if (!enabled) return;
        flushPending();
        recorded++;
        pendCost = true;
        pcTime = time;
        pcCpu = cpu;
        pcPids = ((long) prevPid << 32) | (nextPid & U32);
        pcDirect = direct;
        pcRefill = refill;
    }

    /** Records the {@link Event.TlbFlush} of a context switch's CR3 load (all pages, TASK_SWITCH); held back like {@link #switchCost}. */
    public void switchTlbFlush(long time, int cpu) {
        if (!enabled) return;
        if (pendTlb) flushPending();
        recorded++;
        pendTlb = true;
        ptTime = time;
        ptCpu = cpu;
    }

    /** Records {@link Event.TlbFlush} without building it. */
    public void tlbFlush(long time, int cpu, FlushReason reason, int pages) {
        if (!enabled) return;
        flushPending();
        recorded++;
        int i = claim(K_TLB_FLUSH, cpu, time);
        words[i + 2] = ((long) reason.ordinal() << 32) | (pages & U32);
    }

    /** Records {@link Event.PageFault} without building it. */
    public void pageFault(long time, int cpu, int pid, int address, int errorCode, FaultKind faultKind) {
        if (!enabled) return;
        flushPending();
        recorded++;
        int i = claim(K_PAGE_FAULT, cpu, time);
        long[] w = words;
        w[i + 2] = ((long) pid << 32) | (address & U32);
        w[i + 3] = ((long) faultKind.ordinal() << 32) | (errorCode & U32);
    }

    /** The events kept, oldest first (a copy). */
    public List<Event> events() {
        Reader r = reader();
        List<Event> out = new ArrayList<>(r.remaining());
        while (r.next()) out.add(r.event());
        return out;
    }

    /**
     * A reader over the events kept now, oldest first, that builds none of them: the lab's
     * tables read a million events, and the hot ones are read field by field from their slots
     * (as ftrace's ring_buffer_iter reads raw entries). {@link #events()} is this reader's
     * {@link Reader#event()} for each event. Recording while reading is an error.
     */
    public Reader reader() {
        flushPending();
        return new Reader();
    }

    /** Most distinct hot-event details a {@link Reader} keeps to give again. */
    static final int MEMO = 1 << 16;

    /** What a {@link Reader} stands on: the hot event types it decodes from the slots, or any other event. */
    public enum Type {
        /** {@link Event.SchedSwitch}. */ SCHED_SWITCH,
        /** {@link Event.SwitchCost}. */ SWITCH_COST,
        /** {@link Event.TlbFlush}. */ TLB_FLUSH,
        /** {@link Event.PageFault}. */ PAGE_FAULT,
        /** Any other event, kept as its object: {@link Reader#event()}. */ OTHER
    }

    /**
     * A cursor over the kept events (see {@link #reader()}): {@link #next()} steps to the next
     * event, whose type, time, CPU and the fields of its type can then be read without building it.
     */
    public final class Reader {
        private final long recordedAtStart = recorded;
        private final long slotsAtStart = slotsWritten;
        private final long[] wordsAtStart = words;
        private final int heldSlots = heldSlots();
        private int slotIndex = -1;      // j: the heldSlot(j) being read
        private int part;                // events of the current slot still to read (a switch record holds up to 3)
        private int left;                // events still to read
        private int skip;                // oldest events of the held records the bound hides
        private Type type;
        private long time;
        private int cpu;
        private int prevPid, nextPid, prevState, prevComm, nextComm;
        private boolean cr3, lazy;
        private long a, b;               // cycles / direct and refill
        private int pid, address, errorCode;
        private FlushReason reason;
        private int pages;
        private FaultKind faultKind;
        private Event object;
        private final java.util.Map<DetailKey, String> details = new java.util.HashMap<>();

        private Reader() {
            long held = heldEvents();
            left = bounded(held);
            skip = (int) (held - left);
        }

        /** Events not read yet. */
        public int remaining() { return left; }

        /** Steps to the next event; false after the last. */
        public boolean next() {
            if (recorded != recordedAtStart || slotsWritten != slotsAtStart || words != wordsAtStart) {
                throw new java.util.ConcurrentModificationException("the trace changed while being read");
            }
            for (; skip > 0; skip--) step();
            if (left == 0) { type = null; return false; }
            step();
            left--;
            return true;
        }

        /** Moves to the next event of the held records, skipped or not. */
        private void step() {
            if (part == 0) {
                slotIndex++;
                part = eventsIn(heldSlot(slotIndex));
            }
            int i = heldSlot(slotIndex) * STRIDE;
            long[] w = words;
            int kind = (int) (w[i + 1] >>> 32);
            cpu = (int) w[i + 1];
            int n = part--;
            switch (kind) {
                case K_SCHED_SWITCH -> {
                    long st = w[i + 3];
                    boolean cost = (st & F_COST) != 0, tlb = (st & F_TLB) != 0;
                    // the record's events in order: switch_cost, tlb_flush, sched_switch (n counts down to 1)
                    int total = 1 + (cost ? 1 : 0) + (tlb ? 1 : 0);
                    int at = total - n;              // 0-based position within the record
                    if (cost && at == 0) {
                        long cp = w[i + 6];
                        long cw = w[i + 7];
                        setCost(w[i] - (cw & U32), (int) (cp >> 32), (int) cp, cw >>> 32, w[i + 8]);
                    } else if (n == 1) {
                        long pids = w[i + 2];
                        long comms = w[i + 5];
                        type = Type.SCHED_SWITCH;
                        time = w[i];
                        prevPid = (int) (pids >> 32);
                        nextPid = (int) pids;
                        prevComm = (int) (comms >> 32);
                        nextComm = (int) comms;
                        prevState = (int) ((st >> 4) & 0xfffff);
                        cr3 = (st & F_CR3) != 0;
                        lazy = (st & F_LAZY) != 0;
                        a = w[i + 4];
                    } else {
                        setTlb(w[i] - (st >>> 32), FlushReason.TASK_SWITCH, -1);
                    }
                }
                case K_SWITCH_COST -> {
                    long pids = w[i + 2];
                    setCost(w[i], (int) (pids >> 32), (int) pids, w[i + 3], w[i + 4]);
                }
                case K_TLB_FLUSH -> setTlb(w[i], REASONS[(int) (w[i + 2] >>> 32)], (int) w[i + 2]);
                case K_PAGE_FAULT -> {
                    long pa = w[i + 2];
                    type = Type.PAGE_FAULT;
                    time = w[i];
                    pid = (int) (pa >> 32);
                    address = (int) pa;
                    errorCode = (int) w[i + 3];
                    faultKind = FAULT_KINDS[(int) (w[i + 3] >>> 32)];
                }
                default -> {
                    type = Type.OTHER;
                    object = objects[heldSlot(slotIndex)];
                    time = object.time();
                }
            }
        }

        private void setCost(long t, int prev, int next, long direct, long refill) {
            type = Type.SWITCH_COST;
            time = t;
            prevPid = prev;
            nextPid = next;
            a = direct;
            b = refill;
        }

        private void setTlb(long t, FlushReason r, int n) {
            type = Type.TLB_FLUSH;
            time = t;
            reason = r;
            pages = n;
        }

        /** The event's type. */
        public Type type() { return type; }
        /** {@link Event#time()}. */
        public long time() { return time; }
        /** {@link Event#cpu()}. */
        public int cpu() { return cpu; }
        /** {@link Event#name()}. */
        public String name() {
            return switch (type) {
                case SCHED_SWITCH -> "sched_switch";
                case SWITCH_COST -> "switch_cost";
                case TLB_FLUSH -> "tlb_flush";
                case PAGE_FAULT -> "page_fault_user";
                case OTHER -> object.name();
            };
        }
        /** sched_switch / switch_cost: the previous task's pid. */
        public int prevPid() { return prevPid; }
        /** sched_switch / switch_cost: the next task's pid. */
        public int nextPid() { return nextPid; }
        /** sched_switch: the previous task's comm. */
        public String prevComm() { return strings.get(prevComm); }
        /** sched_switch: the next task's comm. */
        public String nextComm() { return strings.get(nextComm); }
        /** sched_switch: the previous task's state. */
        public int prevState() { return prevState; }
        /** sched_switch: whether CR3 was loaded. */
        public boolean cr3() { return cr3; }
        /** sched_switch: whether next borrowed an mm (lazy TLB). */
        public boolean lazy() { return lazy; }
        /** sched_switch: the switch's cycles. */
        public long cycles() { return a; }
        /** switch_cost: the direct cycles. */
        public long direct() { return a; }
        /** switch_cost: the refill cycles. */
        public long refill() { return b; }
        /** tlb_flush: why. */
        public FlushReason reason() { return reason; }
        /** tlb_flush: pages flushed (-1 = all non-global). */
        public int pages() { return pages; }
        /** page_fault_user: the faulting pid. */
        public int pid() { return pid; }
        /** page_fault_user: the faulting address. */
        public int address() { return address; }
        /** page_fault_user: the i386 error code. */
        public int errorCode() { return errorCode; }
        /** page_fault_user: how the fault ended. */
        public FaultKind faultKind() { return faultKind; }

        /** The event as its record (built for the hot types). */
        public Event event() {
            return switch (type) {
                case SCHED_SWITCH -> new Event.SchedSwitch(time, cpu, prevPid, prevComm(), prevState, nextPid, nextComm(), cr3, lazy, a);
                case SWITCH_COST -> new Event.SwitchCost(time, cpu, prevPid, nextPid, a, b);
                case TLB_FLUSH -> new Event.TlbFlush(time, cpu, reason, pages);
                case PAGE_FAULT -> new Event.PageFault(time, cpu, pid, address, errorCode, faultKind);
                case OTHER -> object;
            };
        }

        /**
         * {@link Event#detail()}, written from the fields for the hot types. A trace repeats the
         * same switch between the same tasks at the same cost many times: such details are
         * written once per reader and the same String given again (up to {@link Trace#MEMO} of them),
         * so a million rows do not build and hash a million equal strings.
         */
        public String detail() {
            if (type == Type.OTHER) return object.detail();
            DetailKey key = switch (type) {
                case SCHED_SWITCH -> new DetailKey(type, ((long) prevPid << 32) | (nextPid & U32), ((long) prevComm << 32) | (nextComm & U32),
                    ((long) prevState << 2) | (cr3 ? 2 : 0) | (lazy ? 1 : 0), a);
                case SWITCH_COST -> new DetailKey(type, ((long) prevPid << 32) | (nextPid & U32), a, b, 0);
                case TLB_FLUSH -> new DetailKey(type, reason.ordinal(), pages, 0, 0);
                default -> new DetailKey(type, ((long) pid << 32) | (address & U32), errorCode, faultKind.ordinal(), 0);
            };
            String d = details.get(key);
            if (d != null) return d;
            d = switch (type) {
                case SCHED_SWITCH -> Event.SchedSwitch.detail(prevPid, prevComm(), prevState, nextPid, nextComm(), cr3, lazy, a);
                case SWITCH_COST -> Event.SwitchCost.detail(prevPid, nextPid, a, b);
                case TLB_FLUSH -> Event.TlbFlush.detail(reason, pages);
                default -> Event.PageFault.detail(pid, address, errorCode, faultKind);
            };
            if (details.size() < MEMO) details.put(key, d);
            return d;
        }
    }

    /** The fields that decide a hot event's detail (see {@link Reader#detail()}). */
    private record DetailKey(Type type, long a, long b, long c, long d) {}


    /** Events in the held records. */
    private long heldEvents() {
        long n = 0;
        for (int j = 0; j < heldSlots(); j++) n += eventsIn(heldSlot(j));
        return n;
    }
    /** Events recorded since boot (kept or dropped). */
    public long recorded() { return recorded; }
    /** Events dropped by the ring bound. */
    public long dropped() {
        return recorded - forgotten - size();      // every event recorded and not cleared is kept or dropped
    }
    /** Number of events kept. */
    public int size() {
        flushPending();
        return bounded(heldEvents());
    }
    /** Forgets every kept event. */
    public void clear() {
        forgotten += size();                       // the kept events are forgotten; those beyond the bound stay dropped
        java.util.Arrays.fill(objects, null);    // let the recorded objects go
        pos = 0;
        slotsWritten = 0;
    }

    /** The kept events as text, one line each: the byte-for-byte comparable form. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Event e : events()) sb.append(e).append('\n');
        return sb.toString();
    }
}
