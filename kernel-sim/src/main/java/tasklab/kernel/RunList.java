package tasklab.kernel;

/**
 * A runqueue list threaded through the tasks themselves, as Linux threads {@code run_list}
 * through task_struct: adding, removing and moving a task to the tail cost O(1) and allocate
 * nothing. A task is on at most one such list.
 *
 * <p>Why the links are pids and not references: every reference stored into a long-lived object
 * costs the JVM's GC write barrier (with G1 a memory fence), and a sched_yield moves a task to the
 * tail on every call. Pids are unique among queued tasks, so a pid and the kernel's table of queued
 * tasks by pid ({@code Kernel.queued}) serve as a pointer; pid 0 (the idle tasks, never queued) is
 * the null link. That table and not the pid hash: a 2.6 thread that reaps itself is unhashed by
 * release_task while it is still current and queued, until its last schedule() (R11.8). The one
 * place a queued task's pid changes, 2.6's de_thread, calls {@link #renumber}.
 * Linux: include/linux/list.h list_add_tail(), list_del(), list_move_tail().
 */
final class RunList {
    private final Task[] pidHash;   // Kernel.queued: the queued task of each pid
    private final Task[] hashed;    // Kernel.pidHash: a task must be hashed when it is queued
    /** This list's number (Task.runList holds it; 0 = on no list). */
    final int id;
    int head;                  // pid of the first task, 0 if empty
    int tail;
    int size;

    RunList(Kernel k) {
        this.pidHash = k.queued;
        this.hashed = k.pidHash;
        k.runLists.add(this);
        this.id = k.runLists.size();
    }

    /** Whether {@code t} is on this list. */
    boolean contains(Task t) { return t.runList == id; }

    boolean isEmpty() { return size == 0; }

    /** The first task, or null. */
    Task first() { return head == 0 ? null : pidHash[head]; }

    /** The task after {@code t} on its list, or null. */
    Task next(Task t) { return t.runNext == 0 ? null : pidHash[t.runNext]; }

    /** list_add_tail(): {@code t} goes last (a task already on this list keeps its place). */
    void addLast(Task t) {
        if (t.runList == id) return;
        check(t);
        int pid = t.pid;
        t.runPrev = tail;
        t.runNext = 0;
        if (tail == 0) head = pid; else pidHash[tail].runNext = pid;
        tail = pid;
        t.runList = id;
        pidHash[pid] = t;
        size++;
    }

    /** list_add_tail(&amp;t->run_list, &amp;at->run_list): {@code t} goes just before {@code at}. */
    void addBefore(Task at, Task t) {
        if (at.runList != id) throw new IllegalStateException(at + " is not on this runqueue list");
        check(t);
        int pid = t.pid;
        t.runNext = at.pid;
        t.runPrev = at.runPrev;
        if (at.runPrev == 0) head = pid; else pidHash[at.runPrev].runNext = pid;
        at.runPrev = pid;
        t.runList = id;
        pidHash[pid] = t;
        size++;
    }

    private void check(Task t) {
        if (t.runList != 0) throw new IllegalStateException(t + " is already on a runqueue list");
        if (t.pid <= 0 || hashed[t.pid] != t) throw new IllegalStateException(t + " is not in the pid hash: it cannot be queued");
        if (pidHash[t.pid] != null && pidHash[t.pid] != t) throw new IllegalStateException(t + ": another task with its pid is queued");
    }

    /** list_del(): returns whether {@code t} was on this list. */
    boolean remove(Task t) {
        if (t.runList != id) return false;
        int prev = t.runPrev;
        int next = t.runNext;
        if (prev == 0) head = next; else pidHash[prev].runNext = next;
        if (next == 0) tail = prev; else pidHash[next].runPrev = prev;
        t.runPrev = 0;
        t.runNext = 0;
        t.runList = 0;
        if (pidHash[t.pid] == t) pidHash[t.pid] = null;
        size--;
        return true;
    }

    /** list_move_tail(). */
    void moveLast(Task t) {
        if (t.runList != id) throw new IllegalStateException(t + " is not on this runqueue list");
        int pid = t.pid;
        if (pid == tail) return;
        int prev = t.runPrev;                      // unlink (t is not the tail, so it has a next)
        int next = t.runNext;
        if (prev == 0) head = next; else pidHash[prev].runNext = next;
        pidHash[next].runPrev = prev;
        pidHash[tail].runNext = pid;               // relink at the tail
        t.runPrev = tail;
        t.runNext = 0;
        tail = pid;
    }

    /** {@code t}, queued on this list, now has a new pid (was {@code oldPid}): its neighbours and the ends follow. */
    void renumber(Task t, int oldPid) {
        int pid = t.pid;
        if (pidHash[oldPid] == t) pidHash[oldPid] = null;
        pidHash[pid] = t;
        if (t.runPrev == 0) head = pid; else pidHash[t.runPrev].runNext = pid;
        if (t.runNext == 0) tail = pid; else pidHash[t.runNext].runPrev = pid;
        if (head == oldPid) head = pid;
        if (tail == oldPid) tail = pid;
    }
}
