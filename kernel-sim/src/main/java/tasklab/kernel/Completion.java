package tasklab.kernel;

import java.util.ArrayDeque;

/** struct completion: a done counter and exclusive waiters. Linux: kernel/sched.c complete(), wait_for_completion(). */
public final class Completion {
    final String name;
    int done;
    final ArrayDeque<Task> waiters = new ArrayDeque<>();

    /** init_completion(). */
    public Completion(String name) { this.name = name; }

    /** x->done. */
    public int done() { return done; }
    /** Tasks waiting. */
    public int waiting() { return waiters.size(); }

    @Override public String toString() { return name + "{done=" + done + ", waiters=" + waiters.size() + "}"; }
}
