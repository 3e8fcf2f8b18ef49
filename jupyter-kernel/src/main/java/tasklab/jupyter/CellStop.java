package tasklab.jupyter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run-time half of the interrupt. {@link StopWeaver} puts a call to {@link #check()} at every
 * method entry and before every backward branch of cell code and kernel-sim, and routes
 * System.exit / Runtime.exit / Runtime.halt here. An interrupt marks the cell's thread; its next
 * check throws {@link Stopped}. The mark stays until the thread ends, so a cell that catches
 * Throwable is stopped again at its next loop turn. Works the same on every JDK (Thread.stop
 * throws UnsupportedOperationException since JDK 20).
 */
public final class CellStop {
    /** Fast path: false unless some thread is marked; one volatile read per check. */
    private static volatile boolean pending;
    private static final Set<Thread> MARKED = ConcurrentHashMap.newKeySet();

    private CellStop() {}

    /** Woven into cell code: throws when this thread's cell was interrupted. */
    public static void check() {
        if (pending) checkMarked();
    }

    private static void checkMarked() {
        if (MARKED.contains(Thread.currentThread())) throw new Stopped();
    }

    /** Woven in place of System.exit(status): a cell must not end the kernel. */
    public static void exit(int status) {
        throw new ExitCalled("System.exit(" + status + ")");
    }

    /** Woven in place of Runtime.getRuntime().exit(status). */
    public static void exit(Runtime runtime, int status) {
        throw new ExitCalled("Runtime.exit(" + status + ")");
    }

    /** Woven in place of Runtime.getRuntime().halt(status). */
    public static void halt(Runtime runtime, int status) {
        throw new ExitCalled("Runtime.halt(" + status + ")");
    }

    static void mark(Thread t) {
        MARKED.add(t);
        pending = true;
    }

    static void unmark(Thread t) {
        MARKED.remove(t);
        pending = !MARKED.isEmpty();
    }

    /** Thrown in an interrupted cell's thread; an Error so that catch (Exception e) lets it pass. */
    public static final class Stopped extends Error {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("cell interrupted by the user", null, false, false);
        }
    }

    /** Thrown where a cell called System.exit, Runtime.exit or Runtime.halt. */
    public static final class ExitCalled extends Error {
        private static final long serialVersionUID = 1L;

        ExitCalled(String call) {
            super(call + " was called in a cell; the kernel keeps running and every variable is kept"
                    + " (use Kernel > Restart for a fresh start)", null, false, false);
        }
    }
}
