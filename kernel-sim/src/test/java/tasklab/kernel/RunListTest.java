package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pid-linked runqueue list behaves as list_head does: FIFO order, O(1) moves, one list per task. */
class RunListTest {
    private static Kernel k;
    private static final List<Task> tasks = new ArrayList<>();

    private static RunList listWithTasks(int n) {
        k = Boots.of(KernelConfig.of(KernelVersion.LINUX_2_4).withInitcallThreads(false));
        tasks.clear();
        for (int i = 0; i < n; i++) {
            Task t = new Task(k);
            t.pid = 1000 + i;
            k.pidHash[t.pid] = t;
            tasks.add(t);
        }
        return new RunList(k);
    }

    private static List<Task> walk(RunList l) {
        List<Task> out = new ArrayList<>();
        for (Task t = l.first(); t != null; t = l.next(t)) out.add(t);
        return out;
    }

    @Test
    void randomOperationsKeepTheSameOrderAsALinkedList() {
        RunList l = listWithTasks(12);
        LinkedList<Task> model = new LinkedList<>();
        SplittableRandom r = new SplittableRandom(7);
        for (int step = 0; step < 5000; step++) {
            Task t = tasks.get(r.nextInt(tasks.size()));
            switch (r.nextInt(4)) {
                case 0 -> { l.addLast(t); if (!model.contains(t)) model.addLast(t); }
                case 1 -> assertEquals(model.remove(t), l.remove(t));
                case 2 -> { if (model.contains(t)) { l.moveLast(t); model.remove(t); model.addLast(t); } }
                default -> {
                    if (!model.isEmpty() && !model.contains(t)) {
                        Task at = model.get(r.nextInt(model.size()));
                        l.addBefore(at, t);
                        model.add(model.indexOf(at), t);
                    }
                }
            }
            assertEquals(model, walk(l));
            assertEquals(model.size(), l.size);
            for (Task x : tasks) assertEquals(model.contains(x), l.contains(x));
        }
    }

    @Test
    void aTaskIsOnOneListAtATimeAndMustBeHashed() {
        RunList a = listWithTasks(2);
        RunList b = new RunList(k);
        a.addLast(tasks.get(0));
        assertThrows(IllegalStateException.class, () -> b.addLast(tasks.get(0)));
        Task unhashed = new Task(k);
        unhashed.pid = 2000;
        assertThrows(IllegalStateException.class, () -> a.addLast(unhashed));
        assertFalse(b.remove(tasks.get(0)));
        assertTrue(a.remove(tasks.get(0)));
        assertTrue(a.isEmpty());
        assertNull(a.first());
    }

    @Test
    void deThreadsPidTransferRenumbersAQueuedTask() {
        RunList l = listWithTasks(3);
        for (Task t : tasks) l.addLast(t);
        Task mid = tasks.get(1);
        int old = mid.pid;
        k.pidHash[old] = null;
        mid.pid = 4321;                                  // transfer_pid: it takes the leader's pid
        k.pidHash[mid.pid] = mid;
        l.renumber(mid, old);
        assertEquals(tasks, walk(l));
        l.moveLast(tasks.get(0));
        assertEquals(List.of(tasks.get(1), tasks.get(2), tasks.get(0)), walk(l));
    }
}
