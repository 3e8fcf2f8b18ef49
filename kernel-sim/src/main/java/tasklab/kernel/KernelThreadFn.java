package tasklab.kernel;

/**
 * The body of a kernel thread (the {@code fn} of kernel_thread, the {@code threadfn} of
 * kthread_create), run a step at a time: each time the thread is current on its CPU the kernel
 * calls {@link #step}, which does some work and returns {@link #RUN} (stay runnable),
 * {@link #SLEEP} (sleep in TASK_INTERRUPTIBLE until woken), or the value fn returns.
 */
@FunctionalInterface
public interface KernelThreadFn {
    /** Stay runnable: the step yielded. */
    int RUN = Integer.MIN_VALUE;
    /** set_current_state(TASK_INTERRUPTIBLE); schedule(): sleep until woken. */
    int SLEEP = Integer.MIN_VALUE + 1;

    /** Runs one step as current on its CPU; RUN, SLEEP, or fn's return value. */
    int step(Kernel k, Task self);

    /** A thread that sleeps until woken, then loops until kthread_should_stop(); returns 0. */
    static KernelThreadFn sleeper() {
        return (k, self) -> k.kthreadShouldStop(self) ? 0 : SLEEP;
    }

    /** A thread that returns {@code value} the first time it runs. */
    static KernelThreadFn returning(int value) {
        return (k, self) -> value;
    }
}
