package tasklab.lab;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tasklab.kernel.Kernel;
import tasklab.machine.CpuModel;
import tasklab.trace.Event;

/**
 * Who ran when, one lane per CPU, from the trace's sched_switch events: each run interval colored
 * by task, each switch marked as a CR3 load (new page tables, TLB flushed) or a lazy switch (a
 * kernel thread borrowing the previous mm), TLB flushes as ticks under the lane, and IPIs (TLB
 * shootdowns, reschedules, function calls) as arrows between lanes. Time in microseconds. Made by
 * {@link Sim#timeline()}; {@link #between(double, double)} zooms in.
 */
public final class Timeline implements Picture {
    /** A task on a CPU from {@code from} to {@code to} microseconds. */
    record Run(int cpu, double from, double to, int pid, String comm) {}
    /** A switch: "cr3", "lazy" or "same_mm". */
    record Switch(int cpu, double at, String kind, String prev, String next) {}
    /** A TLB flush. */
    record Flush(int cpu, double at, String reason) {}
    /** An inter-processor interrupt. */
    record Ipi(double at, int from, int to, String vector) {}

    private final String subtitle;
    private final int cpus;
    private final double from, to;
    private final List<Run> runs;
    private final List<Switch> switches;
    private final List<Flush> flushes;
    private final List<Ipi> ipis;

    private Timeline(String subtitle, int cpus, double from, double to, List<Run> runs, List<Switch> switches, List<Flush> flushes, List<Ipi> ipis) {
        this.subtitle = subtitle;
        this.cpus = cpus;
        this.from = from;
        this.to = to;
        this.runs = runs;
        this.switches = switches;
        this.flushes = flushes;
        this.ipis = ipis;
    }

    static Timeline of(Sim sim) {
        Kernel k = sim.kernel();
        CpuModel model = k.config().cpu();
        int n = k.nrCpus();
        List<Event> events = k.trace().events();
        double end = sim.nowMicros(), start = Double.MAX_VALUE;
        List<List<Event.SchedSwitch>> perCpu = new ArrayList<>();
        for (int c = 0; c < n; c++) perCpu.add(new ArrayList<>());
        List<Switch> sw = new ArrayList<>();
        List<Flush> fl = new ArrayList<>();
        List<Ipi> ip = new ArrayList<>();
        for (Event e : events) {
            double us = model.nsFromCycles(e.time()) / 1000.0;
            start = Math.min(start, us);
            end = Math.max(end, us);
            if (e instanceof Event.SchedSwitch s && s.cpu() < n) {
                perCpu.get(s.cpu()).add(s);
                sw.add(new Switch(s.cpu(), us, s.cr3() ? "cr3" : s.lazy() ? "lazy" : "same_mm", s.prevComm() + "[" + s.prevPid() + "]",
                    s.nextComm() + "[" + s.nextPid() + "]"));
            } else if (e instanceof Event.TlbFlush f) {
                fl.add(new Flush(f.cpu(), us, f.reason().name()));
            } else if (e instanceof Event.Ipi i) {
                ip.add(new Ipi(us, i.cpu(), i.targetCpu(), i.vector()));
            }
        }
        // simulated time starts at boot, unless a bounded trace has dropped the oldest events
        if (start == Double.MAX_VALUE || k.trace().recorded() <= events.size()) start = 0;
        List<Run> runs = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            List<Event.SchedSwitch> ss = perCpu.get(c);
            ss.sort((a, b) -> Long.compare(a.time(), b.time()));
            double t = start;
            if (ss.isEmpty()) {
                var cur = k.current(c);
                runs.add(new Run(c, start, end, cur.pid(), cur.comm()));
                continue;
            }
            Event.SchedSwitch first = ss.get(0);
            double f0 = model.nsFromCycles(first.time()) / 1000.0;
            if (f0 > t) runs.add(new Run(c, t, f0, first.prevPid(), first.prevComm()));
            for (int i = 0; i < ss.size(); i++) {
                Event.SchedSwitch s = ss.get(i);
                double a = model.nsFromCycles(s.time()) / 1000.0;
                double b = i + 1 < ss.size() ? model.nsFromCycles(ss.get(i + 1).time()) / 1000.0 : end;
                if (b > a) runs.add(new Run(c, a, b, s.nextPid(), s.nextComm()));
            }
        }
        sw.sort((a, b) -> Double.compare(a.at(), b.at()));
        String sub = sim.describe() + " \u00b7 " + sw.size() + " switches, " + fl.size() + " TLB flushes, " + ip.size() + " IPIs";
        return new Timeline(sub, n, start, end, List.copyOf(runs), List.copyOf(sw), List.copyOf(fl), List.copyOf(ip));
    }

    /** The same timeline cut to [fromUs, toUs] microseconds. Example: {@code sim.timeline().between(0, 500)}. */
    public Timeline between(double fromUs, double toUs) {
        if (!(toUs > fromUs)) throw new LabException("timeline", "between needs from < to (microseconds), got " + fromUs + " and " + toUs);
        List<Run> r = new ArrayList<>();
        for (Run x : runs) if (x.to() > fromUs && x.from() < toUs) r.add(new Run(x.cpu(), Math.max(fromUs, x.from()), Math.min(toUs, x.to()), x.pid(), x.comm()));
        return new Timeline(subtitle + String.format(Locale.ROOT, " \u00b7 window %.1f-%.1f \u00b5s", fromUs, toUs), cpus, fromUs, toUs, List.copyOf(r),
            switches.stream().filter(x -> x.at() >= fromUs && x.at() <= toUs).toList(),
            flushes.stream().filter(x -> x.at() >= fromUs && x.at() <= toUs).toList(),
            ipis.stream().filter(x -> x.at() >= fromUs && x.at() <= toUs).toList());
    }

    /** Number of CPU lanes. Example: {@code sim.timeline().lanes()}. */ public int lanes() { return cpus; }

    private static final double LANE = 34, LANE_GAP = 44, LABEL_W = 66;

    @Override public String toSvg() {
        Svg s = new Svg();
        double width = Figures.WIDTH;
        double top = Figures.header(s, "Timeline: who ran on each CPU", subtitle) + 22;
        double x0 = 16 + LABEL_W, x1 = width - 24;
        double span = Math.max(to - from, 1e-9);
        double scale = (x1 - x0) / span;
        java.util.function.DoubleUnaryOperator X = t -> x0 + (t - from) * scale;
        double lanesBottom = top + cpus * (LANE + LANE_GAP) - LANE_GAP;

        // time axis with round steps
        double step = niceStep(span / 8);
        s.g("class", "axis", "font-size", "10.5", "fill", Figures.MUTED);
        for (double t = Math.ceil(from / step) * step; t <= to + 1e-9; t += step) {
            double x = X.applyAsDouble(t);
            s.line(x, top - 12, x, lanesBottom + 8, "stroke", "#e6e6e6", "stroke-width", "1");
            s.text(x, lanesBottom + 22, fmt(t), "text-anchor", "middle");
        }
        s.text((x0 + x1) / 2, lanesBottom + 38, "time (\u00b5s, simulated)", "text-anchor", "middle", "font-size", "11.5", "fill", Figures.INK);
        s.end();

        Map<Integer, String> legendTasks = new LinkedHashMap<>();
        for (int c = 0; c < cpus; c++) {
            double y = laneY(top, c);
            s.g("class", "lane", "data-cpu", Integer.toString(c));
            s.text(16, y + LANE / 2 + 5, "CPU" + c, "font-weight", "bold", "font-size", "13", "fill", Figures.INK);
            s.rect(x0, y, x1 - x0, LANE, "fill", "#fafafa", "stroke", "#bbbbbb", "stroke-width", "1");
            double lastEnd = -1;
            for (Run r : runs) {
                if (r.cpu() != c) continue;
                double a = X.applyAsDouble(r.from()), b = X.applyAsDouble(r.to());
                // runs narrower than a third of a pixel cannot be seen: a long trace stays a small file
                if (b - a < 0.34 && a < lastEnd + 0.34) continue;
                lastEnd = b;
                legendTasks.putIfAbsent(r.pid(), r.comm());
                String color = Figures.taskColor(r.pid());
                s.rect(a, y + 1, Math.max(b - a, 0.4), LANE - 2, "class", "run", "data-pid", Integer.toString(r.pid()), "fill", color);
                String label = r.pid() == 0 ? "idle" : r.comm();
                if (b - a > Svg.sansWidth(label, 10.5) + 6) {
                    s.text((a + b) / 2, y + LANE / 2 + 4, label, "text-anchor", "middle", "font-size", "10.5",
                        "fill", r.pid() == 0 ? Figures.MUTED : "#ffffff", "font-weight", "bold");
                }
            }
            s.end();
        }
        // switch markers above the lanes, flush ticks below; at most one of a kind per pixel
        Set<String> seen = new HashSet<>();
        s.g("class", "switches");
        for (Switch w : switches) {
            if (w.cpu() >= cpus) continue;
            double x = X.applyAsDouble(w.at());
            if (!seen.add("s" + w.cpu() + w.kind() + Math.round(x))) continue;
            double y = laneY(top, w.cpu()) - 10;
            switch (w.kind()) {
                case "cr3" -> s.path(Figures.tri(x, y), "class", "cr3", "fill", Figures.RO);
                case "lazy" -> s.path(Figures.tri(x, y), "class", "lazy", "fill", "#ffffff", "stroke", "#1565c0", "stroke-width", "1.3");
                default -> s.line(x, y, x, y + 8, "class", "same-mm", "stroke", Figures.MUTED, "stroke-width", "1.5");
            }
        }
        s.end();
        s.g("class", "flushes");
        for (Flush f : flushes) {
            if (f.cpu() >= cpus) continue;
            double x = X.applyAsDouble(f.at());
            if (!seen.add("f" + f.cpu() + f.reason() + Math.round(x))) continue;
            double y = laneY(top, f.cpu()) + LANE;
            s.line(x, y + 1, x, y + 9, "class", "flush", "data-reason", f.reason(), "stroke", flushColor(f.reason()), "stroke-width", "2");
        }
        s.end();
        s.g("class", "ipis");
        boolean many = ipis.size() > 2000;
        for (Ipi i : ipis) {
            if (i.from() >= cpus || i.to() >= cpus || i.from() == i.to()) continue;
            double x = X.applyAsDouble(i.at());
            if (many && !seen.add("i" + i.from() + i.to() + i.vector() + Math.round(x))) continue;
            boolean down = i.to() > i.from();
            double ya = down ? laneY(top, i.from()) + LANE + 10 : laneY(top, i.from()) - 12;
            double yb = down ? laneY(top, i.to()) - 12 : laneY(top, i.to()) + LANE + 10;
            String color = ipiColor(i.vector());
            s.line(x, ya, x + 3, yb, "class", "ipi", "data-vector", i.vector(), "data-from", Integer.toString(i.from()), "data-to", Integer.toString(i.to()),
                "stroke", color, "stroke-width", "1.6", "marker-end", s.arrowHead(color));
        }
        s.end();

        double y = lanesBottom + 54;
        double busy = busyUntil();
        if (busy > from && busy < from + 0.2 * span) {
            s.text(16, y + 2, String.format(Locale.ROOT, "Every CPU is idle after %.1f \u00b5s: sim.timeline().between(%d, %d) zooms in.", busy, (long) Math.floor(from),
                (long) Math.ceil(busy * 1.05)), "font-size", "11.5", "fill", Figures.INK, "class", "hint");
            y += 16;
        }
        // the legend lists only what this picture shows
        Set<String> kinds = new HashSet<>();
        switches.forEach(w -> kinds.add("s:" + w.kind()));
        ipis.forEach(i -> kinds.add("i:" + i.vector()));
        flushes.forEach(f -> kinds.add("f:" + f.reason()));
        List<Figures.Item> items = new ArrayList<>();
        Object[][] all = {
            {"s:cr3", Figures.Mark.TRIANGLE, Figures.RO, "switch with CR3 load"},
            {"s:lazy", Figures.Mark.HOLLOW_TRIANGLE, "#1565c0", "lazy switch (borrowed mm, no CR3 load)"},
            {"s:same_mm", Figures.Mark.TICK, Figures.MUTED, "switch in the same mm"},
            {"i:INVALIDATE_TLB", Figures.Mark.ARROW, ipiColor("INVALIDATE_TLB"), "TLB shootdown IPI"},
            {"i:RESCHEDULE", Figures.Mark.ARROW, ipiColor("RESCHEDULE"), "reschedule IPI"},
            {"i:CALL_FUNCTION", Figures.Mark.ARROW, ipiColor("CALL_FUNCTION"), "call-function IPI"},
            {"f:TASK_SWITCH", Figures.Mark.TICK, flushColor("TASK_SWITCH"), "flush: task switch"},
            {"f:LOCAL_SHOOTDOWN", Figures.Mark.TICK, flushColor("LOCAL_SHOOTDOWN"), "flush: local page/range"},
            {"f:LOCAL_MM_SHOOTDOWN", Figures.Mark.TICK, flushColor("LOCAL_MM_SHOOTDOWN"), "flush: local mm"},
            {"f:REMOTE_SHOOTDOWN", Figures.Mark.TICK, flushColor("REMOTE_SHOOTDOWN"), "flush: by IPI"},
        };
        for (Object[] k : all) if (kinds.contains((String) k[0])) items.add(new Figures.Item((Figures.Mark) k[1], (String) k[2], (String) k[3]));
        int shown = 0;
        for (Map.Entry<Integer, String> e : new TreeMap<>(legendTasks).entrySet()) {
            if (shown++ == 30) { items.add(new Figures.Item(Figures.Mark.BOX, "#ffffff", "+" + (legendTasks.size() - 30) + " more tasks")); break; }
            items.add(new Figures.Item(Figures.Mark.BOX, Figures.taskColor(e.getKey()), e.getKey() == 0 ? "idle (swapper)" : e.getValue() + "[" + e.getKey() + "]"));
        }
        double h = Figures.legend(s, 16, y, width - 32, items);
        return s.render(width, y + h + 10, "Timeline");
    }

    /** When the last run of a non-idle task ends. */
    private double busyUntil() {
        double t = from;
        for (Run r : runs) if (r.pid() != 0) t = Math.max(t, r.to());
        return t;
    }

    private static double laneY(double top, int cpu) { return top + cpu * (LANE + LANE_GAP); }

    static String flushColor(String reason) {
        return switch (reason) {
            case "TASK_SWITCH" -> "#9e9e9e";
            case "REMOTE_SHOOTDOWN" -> "#c62828";
            case "LOCAL_SHOOTDOWN" -> "#6a1b9a";
            default -> "#795548";
        };
    }

    static String ipiColor(String vector) {
        return switch (vector) {
            case "INVALIDATE_TLB" -> "#c62828";
            case "CALL_FUNCTION" -> "#6a1b9a";
            default -> "#1565c0";
        };
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (raw <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) if (m * p >= raw) return m * p;
        return 10 * p;
    }

    private static String fmt(double us) {
        if (Math.abs(us - Math.rint(us)) < 1e-6) return String.format(Locale.ROOT, "%,d", (long) Math.rint(us));
        return String.format(Locale.ROOT, "%.2f", us);
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder("Timeline: ").append(subtitle).append('\n');
        b.append(String.format(Locale.ROOT, "from %.2f to %.2f \u00b5s%n", from, to));
        for (int c = 0; c < cpus; c++) {
            b.append("CPU").append(c).append(":\n");
            int shown = 0, total = 0;
            for (Run r : runs) {
                if (r.cpu() != c) continue;
                total++;
                if (shown < 40) {
                    b.append(String.format(Locale.ROOT, "  %10.2f - %10.2f  %s[%d]%n", r.from(), r.to(), r.pid() == 0 ? "idle" : r.comm(), r.pid()));
                    shown++;
                }
            }
            if (total > shown) b.append("  ... ").append(total - shown).append(" more (use between(from, to) or sim.switches())\n");
        }
        long cr3 = switches.stream().filter(w -> w.kind().equals("cr3")).count();
        long lazy = switches.stream().filter(w -> w.kind().equals("lazy")).count();
        b.append("switches: ").append(switches.size()).append(" (").append(cr3).append(" CR3 loads, ").append(lazy).append(" lazy)");
        b.append(", TLB flushes: ").append(flushes.size()).append(", IPIs: ").append(ipis.size());
        for (Ipi i : ipis.stream().limit(20).toList()) {
            b.append(String.format(Locale.ROOT, "%n  IPI %s CPU%d -> CPU%d at %.2f \u00b5s", i.vector(), i.from(), i.to(), i.at()));
        }
        return b.toString();
    }
}
