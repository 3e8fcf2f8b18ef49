package tasklab.time;

/** Why a run of the engine returned; every case leaves the engine consistent and resumable. */
public enum RunResult {
    /** The queue became empty. */
    DRAINED,
    /** The cycle or event-count limit of the run was reached. */
    LIMIT,
    /** {@link Engine#requestStop()} was honoured between two events. */
    STOPPED,
    /** The running thread's interrupt flag was seen between two events (the flag is left set). */
    INTERRUPTED
}
