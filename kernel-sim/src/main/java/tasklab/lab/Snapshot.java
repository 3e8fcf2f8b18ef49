package tasklab.lab;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import tasklab.kernel.Task;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;
import tasklab.mm.Vma;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The machine at one moment, to compare with another: counters, tasks (state, mm) and every
 * user pte. {@code sim.diff(snapshot)} lists what changed. Example:
 * {@code var s = sim.snapshot("before fork"); p.fork(); sim.diff(s)}.
 */
public final class Snapshot {
    private final String label;
    private final CounterSnapshot counters;
    private final Map<String, String> tasks;
    private final Map<String, String> ptes;
    private final Map<String, String> mms;

    private Snapshot(String label, CounterSnapshot counters, Map<String, String> tasks, Map<String, String> ptes, Map<String, String> mms) {
        this.label = label;
        this.counters = counters;
        this.tasks = tasks;
        this.ptes = ptes;
        this.mms = mms;
    }

    /** Its name. */ public String label() { return label; }
    /** The counters at that moment. */ public CounterSnapshot counters() { return counters; }

    static Snapshot take(Sim sim, String label) {
        Map<String, String> tasks = new TreeMap<>();
        Map<String, String> ptes = new TreeMap<>();
        Map<String, String> mms = new TreeMap<>();
        for (Task t : Tables.allTasks(sim.kernel())) {
            String key = String.format("%5d %s", t.pid(), Tables.comm(t));
            if (t.pid() == 0) key = String.format("%5d %s cpu%d", 0, Tables.comm(t), t.processor());
            tasks.put(key, t.stateLetter() + " mm=" + Names.mm(t.mm()) + " active_mm=" + Names.mm(t.activeMm())
                + " ppid=" + t.ppid());
            MmStruct mm = t.mm();
            if (mm != null && !t.hasExited() && t.tgid() == t.pid()) {
                for (Vma v : mm.vmas()) {
                    for (long a = v.start(); a < v.end(); a += Pte.PAGE_SIZE) {
                        int pte = sim.pte(mm, a);
                        if (pte != 0) {
                            ptes.put(String.format("%5d %s", t.pid(), Names.addr(a)),
                                "pte " + Names.pteHex(pte) + " (" + Names.bits(pte) + ")"
                                    + (Pte.hwPresent(pte) ? " pfn " + Names.pfn(Pte.pfn(pte)) : ""));
                        }
                    }
                }
            }
            for (MmStruct m : new MmStruct[] {t.mm(), t.activeMm()}) {
                if (m != null) mms.put(Names.mm(m), "mm_users=" + m.mmUsers() + " mm_count=" + m.mmCount() + " rss=" + m.rss());
            }
        }
        return new Snapshot(label, sim.kernel().counters().snapshot(), tasks, ptes, mms);
    }

    /** A table of differences: what (counter / task / mm / pte), key, before, after. */
    static Table diff(Snapshot a, Snapshot b) {
        StringColumn what = StringColumn.create("what"), key = StringColumn.create("key"),
            before = StringColumn.create("before"), after = StringColumn.create("after");
        for (Counter c : Counter.values()) {
            long x = a.counters.total(c), y = b.counters.total(c);
            if (x != y) { what.append("counter"); key.append(c.procName()); before.append(Long.toString(x)); after.append(Long.toString(y)); }
        }
        add("task", a.tasks, b.tasks, what, key, before, after);
        add("mm", a.mms, b.mms, what, key, before, after);
        add("pte", a.ptes, b.ptes, what, key, before, after);
        return Table.create("changes from " + a.label + " to " + b.label, what, key, before, after);
    }

    private static void add(String kind, Map<String, String> x, Map<String, String> y,
                            StringColumn what, StringColumn key, StringColumn before, StringColumn after) {
        TreeSet<String> keys = new TreeSet<>(x.keySet());
        keys.addAll(y.keySet());
        for (String k : keys) {
            String u = x.get(k), v = y.get(k);
            if (u != null && u.equals(v)) continue;
            what.append(kind);
            key.append(k.trim());
            before.append(u == null ? "-" : u);
            after.append(v == null ? "-" : v);
        }
    }

    @Override public String toString() { return "Snapshot[" + label + "]"; }
}
