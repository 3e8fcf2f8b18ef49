package tasklab.time;

/**
 * Read-only view of global simulated time, for code that stamps records but must not schedule.
 * Named SimClock, not Clock, so it never clashes with {@code java.time.Clock} in a notebook's imports.
 */
@FunctionalInterface
public interface SimClock {

    /** The global simulated time in cycles: the cycle of the event being (or last) processed. */
    long now();
}
