package tasklab.time;

/**
 * Handle to one scheduled event: its (cycle, priority, sequence) key and whether it is still pending.
 * Cancelling is O(1); the queue drops the dead entry lazily when it reaches the top.
 */
public final class Scheduled {

    private static final byte PENDING = 0;
    private static final byte CANCELLED = 1;
    private static final byte DONE = 2;

    private final EventQueue queue;
    private final long cycle;
    private final int priority;
    private final long sequence;
    private Action action;
    private byte state;

    Scheduled(EventQueue queue, long cycle, int priority, long sequence, Action action) {
        this.queue = queue;
        this.cycle = cycle;
        this.priority = priority;
        this.sequence = sequence;
        this.action = action;
    }

    /** The cycle at which the event runs. */
    public long cycle() {
        return cycle;
    }

    /** The tie-break priority among events of the same cycle (see {@link Priority}). */
    public int priority() {
        return priority;
    }

    /** Insertion number, unique per queue: FIFO order among events with equal cycle and priority. */
    public long sequence() {
        return sequence;
    }

    /** True while the event is queued and neither cancelled nor taken out to run. */
    public boolean isPending() {
        return state == PENDING;
    }

    /** True if {@link #cancel()} removed the event before it ran. */
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    /** True once the event has been taken from the queue to run. */
    public boolean isDone() {
        return state == DONE;
    }

    /**
     * Cancels the event if it is still pending; returns whether it did.
     * Cancelling an event that already ran or was cancelled is a harmless no-op.
     */
    public boolean cancel() {
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        action = null; // let the closure be collected even though the heap slot lingers
        queue.onCancel();
        return true;
    }

    /** Marks the event as taken from the queue; called only by the queue. */
    void markDone() {
        state = DONE;
    }

    /** Hands the action over exactly once, dropping our reference so the heap does not pin it. */
    Action takeAction() {
        Action a = action;
        action = null;
        return a;
    }

    /** Debug form, e.g. {@code Scheduled[cycle=200, TIMER, seq=3, pending]}. */
    @Override
    public String toString() {
        String s = state == PENDING ? "pending" : state == CANCELLED ? "cancelled" : "done";
        return "Scheduled[cycle=" + cycle + ", " + Priority.name(priority) + ", seq=" + sequence + ", " + s + "]";
    }
}
