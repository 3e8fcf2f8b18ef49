package tasklab.lab;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import tasklab.kernel.Kernel;
import tasklab.machine.CpuModel;
import tasklab.trace.Event;

/**
 * The trace as Chrome trace events (the format of chrome://tracing and Perfetto's JSON importer):
 * process 0 is the simulated machine, thread N is CPU N. A sched_switch starts a run slice for
 * its next task that ends at the CPU's next sched_switch (or at the CPU's clock now for the
 * last one); when the trace holds everything since boot, a first slice per CPU covers the task
 * that ran from boot to the CPU's first switch.
 */
final class ChromeTrace {
    private ChromeTrace() {}

    /** One run interval of a task on a CPU, in cycles. */
    record Slice(int cpu, int pid, String comm, long start, long end, String kind) {}

    static void write(Sim sim, JsonGenerator g) throws IOException {
        Kernel k = sim.kernel();
        CpuModel model = k.config().cpu();
        List<Event> events = k.trace().events();
        g.writeStartObject();
        g.writeStringField("displayTimeUnit", "ns");
        g.writeObjectFieldStart("otherData");
        g.writeStringField("machine", sim.describe());
        g.writeStringField("time", "simulated microseconds since boot");
        g.writeNumberField("events_dropped", k.trace().dropped());
        g.writeEndObject();
        g.writeArrayFieldStart("traceEvents");
        meta(g, "process_name", -1, "name", sim.describe());
        for (int c = 0; c < k.nrCpus(); c++) {
            meta(g, "thread_name", c, "name", "CPU" + c);
            meta(g, "thread_sort_index", c, "sort_index", c);
        }
        for (Slice s : slices(sim, events)) {
            g.writeStartObject();
            g.writeStringField("name", s.comm() + " [" + s.pid() + "]");
            g.writeStringField("cat", "sched");
            g.writeStringField("ph", "X");
            g.writeNumberField("ts", us(model, s.start()));
            g.writeNumberField("dur", us(model, s.end()) - us(model, s.start()));
            g.writeNumberField("pid", 0);
            g.writeNumberField("tid", s.cpu());
            g.writeObjectFieldStart("args");
            g.writeNumberField("pid", s.pid());
            g.writeStringField("comm", s.comm());
            g.writeStringField("switched_in", s.kind());
            g.writeEndObject();
            g.writeEndObject();
        }
        for (Event e : events) {
            if (e instanceof Event.TlbFlush f) {
                instant(g, model, f.time(), f.cpu(), "tlb_flush " + f.reason().name().toLowerCase(java.util.Locale.ROOT), "tlb");
                g.writeObjectFieldStart("args");
                g.writeStringField("reason", f.reason().name());
                g.writeNumberField("pages", f.pages());
                g.writeEndObject();
                g.writeEndObject();
            } else if (e instanceof Event.Ipi i) {
                instant(g, model, i.time(), i.cpu(), "IPI " + i.vector() + " -> CPU" + i.targetCpu(), "ipi");
                g.writeObjectFieldStart("args");
                g.writeNumberField("target_cpu", i.targetCpu());
                g.writeStringField("vector", i.vector());
                g.writeEndObject();
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The run slices in trace order, per CPU. */
    static List<Slice> slices(Sim sim, List<Event> events) {
        Kernel k = sim.kernel();
        int n = k.nrCpus();
        Event.SchedSwitch[] last = new Event.SchedSwitch[n];
        boolean complete = k.trace().dropped() == 0;
        List<Slice> out = new java.util.ArrayList<>();
        for (Event e : events) {
            if (!(e instanceof Event.SchedSwitch s)) continue;
            int c = s.cpu();
            Event.SchedSwitch prev = last[c];
            if (prev != null) out.add(new Slice(c, prev.nextPid(), prev.nextComm(), prev.time(), s.time(), kind(prev)));
            else if (complete) out.add(new Slice(c, s.prevPid(), s.prevComm(), 0, s.time(), "boot"));
            last[c] = s;
        }
        for (int c = 0; c < n; c++) {
            Event.SchedSwitch s = last[c];
            if (s == null) continue;
            long end = Math.max(s.time(), k.machine().cpu(c).cycles());
            out.add(new Slice(c, s.nextPid(), s.nextComm(), s.time(), end, kind(s)));
        }
        return out;
    }

    private static String kind(Event.SchedSwitch s) { return s.cr3() ? "cr3" : s.lazy() ? "lazy" : "same_mm"; }

    private static double us(CpuModel model, long cycles) { return model.nsFromCycles(cycles) / 1000.0; }

    private static void instant(JsonGenerator g, CpuModel model, long time, int cpu, String name, String cat) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("cat", cat);
        g.writeStringField("ph", "i");
        g.writeStringField("s", "t");
        g.writeNumberField("ts", us(model, time));
        g.writeNumberField("pid", 0);
        g.writeNumberField("tid", cpu);
    }

    private static void meta(JsonGenerator g, String name, int tid, String key, Object value) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", 0);
        if (tid >= 0) g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        if (value instanceof Integer i) g.writeNumberField(key, i); else g.writeStringField(key, String.valueOf(value));
        g.writeEndObject();
        g.writeEndObject();
    }
}
