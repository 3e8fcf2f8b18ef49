package tasklab.time;

/**
 * Tie-break order of events that fall on the same cycle: lower runs first.
 *
 * <p>The order follows what the hardware and kernel do when several things become due at the
 * same instant:
 * <ol>
 * <li>{@link #IPI} first: the local APIC delivers the highest pending vector first, and the
 *     i386 IPI vectors (INVALIDATE_TLB 0xfd, RESCHEDULE 0xfc, CALL_FUNCTION 0xfb) sit above
 *     LOCAL_TIMER_VECTOR 0xef (include/asm-i386/mach-default/irq_vectors.h, 2.6; hw_irq.h, 2.4).</li>
 * <li>{@link #TIMER} next: the tick accounts for the period that has just ended
 *     (kernel/timer.c update_process_times), so it must charge the task that ran in it before
 *     anything at this instant changes who is running; expired kernel timers are also run from
 *     the tick, before ordinary wakeups.</li>
 * <li>{@link #WAKEUP} before {@link #DEFAULT}: a task woken at cycle t is on the run queue
 *     before any scheduling decision or CPU work at t looks at it.</li>
 * <li>{@link #DEFAULT}: task execution, schedule(), syscalls.</li>
 * <li>{@link #PROBE} last: samplers and notebook probes see the settled state of the cycle.</li>
 * </ol>
 * The constants are spaced so that later packages can slot a level in between without renumbering.
 */
public final class Priority {

    /** Inter-processor interrupts (TLB shootdown, reschedule, call-function). */
    public static final int IPI = 100;
    /** Periodic timer tick (PIT on UP, local APIC timer per CPU on SMP). */
    public static final int TIMER = 200;
    /** A sleeping task becomes runnable (sleep expiry, I/O completion, wait_event). */
    public static final int WAKEUP = 300;
    /** Ordinary work: task execution, schedule(), system calls. */
    public static final int DEFAULT = 400;
    /** Observation only: sampling and probes that must see everything else at the same cycle. */
    public static final int PROBE = 500;

    /** Smallest legal priority. */
    public static final int MIN = 0;
    /** Largest legal priority; the queue packs priorities into 16 bits. */
    public static final int MAX = 0xFFFF;

    private Priority() {
    }

    /** The constant's name for a named level, else the number; for logs and toString. */
    public static String name(int priority) {
        return switch (priority) {
            case IPI -> "IPI";
            case TIMER -> "TIMER";
            case WAKEUP -> "WAKEUP";
            case DEFAULT -> "DEFAULT";
            case PROBE -> "PROBE";
            default -> Integer.toString(priority);
        };
    }
}
