package tasklab.lab;

import java.util.List;
import tasklab.trace.CounterSnapshot;

/**
 * One thing a student did through the lab API: the call, its result, the trace events it caused
 * (by their position in the trace since boot) and the counters before and after, plus facts the
 * lab captured around it (a pte before and after a write) so {@link Sim#explain()} can say what
 * happened and why.
 *
 * @param seq        1, 2, 3 ... in the order the calls were made
 * @param who        the caller, "demo[5]" (or "sim" for whole-machine actions)
 * @param call       the call as written, "fork()", "write(0x0804c000, 'C')"
 * @param result     what it returned
 * @param fromEvent  trace.recorded() before the call
 * @param toEvent    trace.recorded() after it
 * @param before     counters before
 * @param after      counters after
 * @param facts      what the lab saw around the call
 */
public record Step(int seq, String who, String call, SysResult result, long fromEvent, long toEvent,
                   CounterSnapshot before, CounterSnapshot after, List<Fact> facts) {

    /** Something the lab observed around a call, for explanations. */
    public sealed interface Fact permits PteChange, MmChange {}

    /**
     * A pte and its frame before and after an access.
     *
     * @param pid task, va the address, pteBefore / pteAfter raw ptes (0 = none),
     *            countBefore / mapcountBefore of the old frame, countAfter / mapcountAfter of the new one,
     *            oldCountAfter the old frame's page_count after the access
     */
    public record PteChange(int pid, long va, int pteBefore, int countBefore, int mapcountBefore,
                            int pteAfter, int countAfter, int mapcountAfter, int oldCountAfter) implements Fact {}

    /**
     * An mm_struct's reference counts before and after a call.
     *
     * @param mmId the mm's id, usersBefore / countBefore and usersAfter / countAfter its mm_users and mm_count
     *             (-1 after = freed)
     */
    public record MmChange(int mmId, int usersBefore, int countBefore, int usersAfter, int countAfter) implements Fact {}

    /** "#3 demo[5] fork() = 6". */
    public String headline() {
        return "#" + seq + " " + who + " " + call + " = " + result.outcome();
    }
}
