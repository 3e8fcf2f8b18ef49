package tasklab.kernel;

/**
 * A runqueue list threaded through the tasks themselves, as Linux threads {@code run_list}
 * through task_struct: adding, removing and moving a task to the tail cost O(1) and allocate
 * nothing, and walking the list is a pointer chase. A task is on at most one such list.
 * Linux: include/linux/list.h list_add_tail(), list_del(), list_move_tail().
 */
final class RunList {
    Task head;
    Task tail;
    int size;

    /** Whether {@code t} is on this list. */
    boolean contains(Task t) { return t.runList == this; }

    boolean isEmpty() { return size == 0; }

    /** list_add_tail(): {@code t} goes last (a task already on this list keeps its place). */
    void addLast(Task t) {
        if (t.runList == this) return;
        if (t.runList != null) throw new IllegalStateException(t + " is already on another runqueue list");
        t.runPrev = tail;
        t.runNext = null;
        if (tail == null) head = t; else tail.runNext = t;
        tail = t;
        t.runList = this;
        size++;
    }

    /** list_add_tail(&amp;t->run_list, &amp;at->run_list): {@code t} goes just before {@code at}. */
    void addBefore(Task at, Task t) {
        if (at.runList != this) throw new IllegalStateException(at + " is not on this runqueue list");
        if (t.runList != null) throw new IllegalStateException(t + " is already on a runqueue list");
        t.runNext = at;
        t.runPrev = at.runPrev;
        if (at.runPrev == null) head = t; else at.runPrev.runNext = t;
        at.runPrev = t;
        t.runList = this;
        size++;
    }

    /** list_del(): returns whether {@code t} was on this list. */
    boolean remove(Task t) {
        if (t.runList != this) return false;
        if (t.runPrev == null) head = t.runNext; else t.runPrev.runNext = t.runNext;
        if (t.runNext == null) tail = t.runPrev; else t.runNext.runPrev = t.runPrev;
        t.runPrev = null;
        t.runNext = null;
        t.runList = null;
        size--;
        return true;
    }

    /** list_move_tail(). */
    void moveLast(Task t) {
        if (t == tail) return;
        remove(t);
        addLast(t);
    }
}
