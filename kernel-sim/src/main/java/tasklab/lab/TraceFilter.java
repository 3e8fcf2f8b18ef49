package tasklab.lab;

import java.util.Set;
import tasklab.trace.Event;
import tasklab.trace.Trace;

/**
 * Which trace events a table shows: by name, pid, CPU and time window (microseconds). Filters
 * combine: {@code TraceFilter.named("tlb_flush", "ipi").cpu(1).from(100).to(200)}.
 *
 * @param names  event names to keep (empty = all)
 * @param pid    pid to keep (-1 = all); matches any pid field of the event
 * @param cpu    CPU to keep (-1 = all)
 * @param fromUs start of the window in microseconds (inclusive)
 * @param toUs   end of the window in microseconds (exclusive)
 */
public record TraceFilter(Set<String> names, int pid, int cpu, double fromUs, double toUs) {
    /** Every event. */
    public static TraceFilter all() { return new TraceFilter(Set.of(), -1, -1, 0, Double.POSITIVE_INFINITY); }
    /** Only events with these names (sched_switch, tlb_flush, ipi, page_fault_user, sched_process_fork ...). */
    public static TraceFilter named(String... names) { return all().andNamed(names); }
    /** Only these names, added to this filter. */
    public TraceFilter andNamed(String... more) { return new TraceFilter(Set.of(more), pid, cpu, fromUs, toUs); }
    /** Only events about this pid. */
    public TraceFilter pid(int p) { return new TraceFilter(names, p, cpu, fromUs, toUs); }
    /** Only events on this CPU. */
    public TraceFilter cpu(int c) { return new TraceFilter(names, pid, c, fromUs, toUs); }
    /** Only events at or after this time (us). */
    public TraceFilter from(double us) { return new TraceFilter(names, pid, cpu, us, toUs); }
    /** Only events before this time (us). */
    public TraceFilter to(double us) { return new TraceFilter(names, pid, cpu, fromUs, us); }

    /** Whether the reader's event, at {@code us}, passes (the hot event types are tested without being built). */
    boolean accepts(Trace.Reader r, double us) {
        if (!names.isEmpty() && !names.contains(r.name())) return false;
        if (cpu >= 0 && r.cpu() != cpu) return false;
        if (us < fromUs || us >= toUs) return false;
        if (pid < 0) return true;
        return switch (r.type()) {
            case SCHED_SWITCH, SWITCH_COST -> r.prevPid() == pid || r.nextPid() == pid;
            case PAGE_FAULT -> r.pid() == pid;
            case TLB_FLUSH -> false;
            case OTHER -> mentions(r.event(), pid);
        };
    }

    private static boolean mentions(Event e, int pid) {
        if (e instanceof Event.SchedSwitch s) return s.prevPid() == pid || s.nextPid() == pid;
        if (e instanceof Event.SwitchCost s) return s.prevPid() == pid || s.nextPid() == pid;
        if (e instanceof Event.SchedProcessFork f) return f.parentPid() == pid || f.childPid() == pid;
        if (e instanceof Event.SchedProcessExec x) return x.pid() == pid;
        if (e instanceof Event.SchedProcessExit x) return x.pid() == pid;
        if (e instanceof Event.SchedProcessFree x) return x.pid() == pid;
        if (e instanceof Event.SchedProcessWait w) return w.pid() == pid || w.waitPid() == pid;
        if (e instanceof Event.SchedWakeup w) return w.pid() == pid;
        if (e instanceof Event.PageFault f) return f.pid() == pid;
        return false;
    }
}
