package tasklab.lab;

/**
 * How a {@link Sweep} reports progress. Both methods are called on the thread that called
 * {@code run()}, never from the worker threads: {@code started} once, then {@code finished}
 * after each run with the count done so far. The Jupyter kernel installs one that draws a
 * progress bar ({@link Sweep#setDefaultProgress}); the simulator does not depend on the kernel.
 * Example: {@code sweep.progress((done, total) -> System.out.println(done + "/" + total))}.
 */
@FunctionalInterface
public interface SweepProgress {
    /** Nothing reported. */
    SweepProgress NONE = (done, total) -> { };

    /** The sweep is about to start {@code total} runs. */
    default void started(int total) { }

    /** {@code done} of {@code total} runs have finished. */
    void finished(int done, int total);
}
