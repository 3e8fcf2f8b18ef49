package tasklab.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tasklab.kernel.Kernel;
import tasklab.kernel.Task;
import tasklab.mm.MmStruct;

/**
 * pstree as a picture: one node per task (the idle task of each CPU at the roots, kernel threads
 * in [brackets]), parent-to-child edges from real_parent, and on the right every mm_struct in use
 * with an arrow from each task to the mm it owns (solid) or borrows as active_mm (dashed: a kernel
 * thread running on the previous task's page tables, lazy TLB). Made by {@link Sim#pstree()}.
 */
public final class TaskTree implements Picture {
    /** One task, captured when the picture was made. */
    record Node(int pid, int tgid, String comm, String kind, String state, int cpu, boolean onCpu, int depth,
                int parent, boolean lastChild, String mm, String mmColor, String borrowed, String borrowedColor) {
        /** "9 demo", "2 [kthreadd]", "0 [swapper] CPU1". */
        String text() {
            String name = kind.equals("idle") ? "[" + comm + "] CPU" + cpu : kind.equals("kthread") ? "[" + comm + "]" : comm;
            return pid + " " + name + (kind.equals("thread") ? " (thread of " + tgid + ")" : "");
        }
    }

    /** One mm_struct in use. */
    record Mm(String name, String color, int users, int count, long rss, String pgd) {}

    private final String subtitle;
    private final List<Node> nodes;
    private final Map<String, Mm> mms;

    private TaskTree(String subtitle, List<Node> nodes, Map<String, Mm> mms) {
        this.subtitle = subtitle;
        this.nodes = nodes;
        this.mms = mms;
    }

    static TaskTree of(Sim sim) {
        Kernel k = sim.kernel();
        List<Task> all = Tables.allTasks(k);
        Map<Task, List<Task>> kids = new IdentityHashMap<>();
        Map<Task, Boolean> present = new IdentityHashMap<>();
        for (Task t : all) present.put(t, true);
        List<Task> roots = new ArrayList<>();
        for (Task t : all) {
            Task p = t.realParent();
            if (t.pid() == 0 || p == null || p == t || !present.containsKey(p)) roots.add(t);
            else kids.computeIfAbsent(p, x -> new ArrayList<>()).add(t);
        }
        kids.values().forEach(l -> l.sort(Comparator.comparingInt(Task::pid)));
        List<Node> out = new ArrayList<>();
        Map<String, Mm> mms = new LinkedHashMap<>();
        for (int i = 0; i < roots.size(); i++) walk(sim, roots.get(i), 0, -1, i == roots.size() - 1, kids, out, mms);
        String sub = sim.describe() + " \u00b7 " + out.size() + " tasks";
        return new TaskTree(sub, List.copyOf(out), mms);
    }

    private static void walk(Sim sim, Task t, int depth, int parent, boolean last, Map<Task, List<Task>> kids, List<Node> out, Map<String, Mm> mms) {
        MmStruct mm = t.mm();
        MmStruct active = t.activeMm();
        MmStruct borrowed = active != null && active != mm ? active : null;
        for (MmStruct m : new MmStruct[] {mm, borrowed}) {
            if (m != null) mms.putIfAbsent(Names.mm(m), new Mm(Names.mm(m), Figures.mmColor(m), m.mmUsers(), m.mmCount(), m.rss(), Names.pfn(m.pgd())));
        }
        int me = out.size();
        out.add(new Node(t.pid(), t.tgid(), t.comm(), Tables.kind(t, sim.kernel()), t.stateLetter(), t.processor(), t.onCpu(), depth, parent, last,
            mm == null ? null : Names.mm(mm), mm == null ? null : Figures.mmColor(mm),
            borrowed == null ? null : Names.mm(borrowed), borrowed == null ? null : Figures.mmColor(borrowed)));
        List<Task> cs = kids.getOrDefault(t, List.of());
        for (int i = 0; i < cs.size(); i++) walk(sim, cs.get(i), depth + 1, me, i == cs.size() - 1, kids, out, mms);
    }

    /** The number of task nodes drawn (one per task). Example: {@code sim.pstree().size()}. */
    public int size() { return nodes.size(); }

    private static final double ROW = 24, BOX_H = 18, FONT = 12;

    @Override public String toSvg() {
        Svg s = new Svg();
        double top = Figures.header(s, "Task tree (pstree) with mm and active_mm", subtitle) + 8;
        int maxDepth = 0;
        double maxLabel = 0;
        for (Node n : nodes) {
            maxDepth = Math.max(maxDepth, n.depth());
            maxLabel = Math.max(maxLabel, Svg.monoWidth(n.text(), FONT) + 16 + 70);
        }
        double mmW = 250;
        double width = Figures.WIDTH;
        double treeRoom = width - mmW - 16 - 16 - 90;
        double indent = maxDepth == 0 ? 22 : Math.max(10, Math.min(22, (treeRoom - maxLabel) / maxDepth));
        double needed = 16 + maxDepth * indent + maxLabel + 90 + mmW + 16;
        if (needed > width) width = Math.ceil(needed);
        double mmX = width - 16 - mmW;

        // which row holds each mm box: the first task (in tree order) that uses or borrows it
        Map<String, Integer> mmRow = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.mm() != null) mmRow.putIfAbsent(n.mm(), i);
            if (n.borrowed() != null) mmRow.putIfAbsent(n.borrowed(), i);
        }
        double[] boxX = new double[nodes.size()];
        double[] boxR = new double[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            boxX[i] = 16 + n.depth() * indent;
            boxR[i] = boxX[i] + Svg.monoWidth(n.text(), FONT) + 14;
        }
        // edges first, under the boxes
        s.g("class", "edges", "stroke", "#9a9a9a", "stroke-width", "1.2", "fill", "none");
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.parent() < 0) continue;
            double px = boxX[n.parent()] + 7, py = top + n.parent() * ROW + ROW / 2 + BOX_H / 2 - 3;
            double cy = top + i * ROW + ROW / 2;
            s.path("M " + Svg.num(px) + " " + Svg.num(py) + " V " + Svg.num(cy) + " H " + Svg.num(boxX[i]), "class", "edge",
                "data-parent", Integer.toString(nodes.get(n.parent()).pid()), "data-child", Integer.toString(n.pid()));
        }
        s.end();
        // mm arrows
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            double y0 = top + i * ROW + ROW / 2;
            double x0 = boxR[i] + 6 + Svg.sansWidth(stateText(n), 11) + 10;
            if (n.mm() != null) arrow(s, x0, y0, mmX, top + mmRow.get(n.mm()) * ROW + ROW / 2, n.mmColor(), false, n, n.mm());
            if (n.borrowed() != null) arrow(s, x0, y0, mmX, top + mmRow.get(n.borrowed()) * ROW + ROW / 2, n.borrowedColor(), true, n, n.borrowed());
        }
        // task nodes
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            double y = top + i * ROW + (ROW - BOX_H) / 2;
            boolean zombie = n.state().equals("Z") || n.state().equals("X");
            String fill = n.kind().equals("idle") ? "#eeeeee" : n.kind().equals("kthread") ? "#f4f1e8" : "#ffffff";
            s.g("class", "task", "data-pid", Integer.toString(n.pid()), "data-kind", n.kind(), "data-state", n.state());
            s.title(n.text() + " state " + n.state() + (n.mm() == null ? " mm NULL" : " mm " + n.mm())
                + (n.borrowed() == null ? "" : " active_mm " + n.borrowed() + " (borrowed)") + (n.onCpu() ? " running on CPU" + n.cpu() : ""));
            s.rect(boxX[i], y, boxR[i] - boxX[i], BOX_H, "rx", "4", "fill", fill,
                "stroke", n.onCpu() ? Figures.INK : n.mm() != null ? n.mmColor() : "#9a9a9a",
                "stroke-width", n.onCpu() ? "2.4" : "1.2", "stroke-dasharray", zombie ? "3 2" : null);
            s.text(boxX[i] + 7, y + 13.5, n.text(), "font-family", Svg.MONO, "font-size", Svg.num(FONT),
                "fill", zombie ? Figures.MUTED : Figures.INK);
            String st = stateText(n);
            s.text(boxR[i] + 6, y + 13.5, st, "font-size", "11", "fill", stateColor(n.state()), "font-weight", n.onCpu() ? "bold" : null);
            s.end();
        }
        // mm boxes
        for (Map.Entry<String, Integer> e : mmRow.entrySet()) {
            Mm m = mms.get(e.getKey());
            double y = top + e.getValue() * ROW + (ROW - BOX_H) / 2 - 1;
            s.g("class", "mm", "data-mm", m.name());
            s.title(m.name() + ": mm_users " + m.users() + ", mm_count " + m.count() + ", rss " + m.rss() + " pages, pgd frame " + m.pgd());
            s.rect(mmX, y, mmW, BOX_H + 2, "rx", "3", "fill", tint(m.color()), "stroke", m.color(), "stroke-width", "1.5");
            String label = m.name() + "  users " + m.users() + " \u00b7 count " + m.count() + " \u00b7 rss " + m.rss();
            s.text(mmX + 6, y + 14, Svg.clip(label, (int) ((mmW - 10) / (11 * Svg.MONO_W))), "font-family", Svg.MONO, "font-size", "11", "fill", Figures.INK);
            s.end();
        }
        double y = top + nodes.size() * ROW + 14;
        s.text(width - 16, top - 6, "mm_struct: users = mm_users, count = mm_count", "text-anchor", "end", "font-size", "11", "fill", Figures.MUTED);
        double h = Figures.legend(s, 16, y, width - 32, List.of(
            new Figures.Item(Figures.Mark.BOX, "#ffffff", "user task"),
            new Figures.Item(Figures.Mark.BOX, "#f4f1e8", "[kernel thread] (mm NULL)"),
            new Figures.Item(Figures.Mark.BOX, "#eeeeee", "[idle task] of a CPU"),
            new Figures.Item(Figures.Mark.LINE, Figures.INK, "bold outline: running now"),
            new Figures.Item(Figures.Mark.DASHED_BOX, Figures.MUTED, "zombie"),
            new Figures.Item(Figures.Mark.ARROW, Figures.PALETTE[0], "mm: its own address space"),
            new Figures.Item(Figures.Mark.DASHED_ARROW, Figures.PALETTE[0], "active_mm borrowed (lazy TLB)"),
            new Figures.Item(Figures.Mark.LINE, "#9a9a9a", "parent \u2192 child (real_parent)")));
        return s.render(width, y + h + 10, "Task tree");
    }

    private static void arrow(Svg s, double x0, double y0, double x1, double y1, String color, boolean dashed, Node n, String mm) {
        String d = Math.abs(y1 - y0) < 0.5
            ? "M " + Svg.num(x0) + " " + Svg.num(y0) + " H " + Svg.num(x1 - 2)
            : "M " + Svg.num(x0) + " " + Svg.num(y0) + " C " + Svg.num(x0 + 70) + " " + Svg.num(y0) + " " + Svg.num(x1 - 90) + " " + Svg.num(y1)
                + " " + Svg.num(x1 - 2) + " " + Svg.num(y1);
        s.circle(x0, y0, 2.5, "fill", color);
        s.path(d, "class", dashed ? "active-mm" : "mm-arrow", "data-pid", Integer.toString(n.pid()), "data-mm", mm,
            "fill", "none", "stroke", color, "stroke-width", "1.5", "stroke-dasharray", dashed ? "5 3" : null, "marker-end", s.arrowHead(color),
            "opacity", "0.85");
    }

    private static String stateText(Node n) { return n.state() + (n.onCpu() ? " on CPU" + n.cpu() : ""); }

    private static String stateColor(String st) {
        return switch (st) {
            case "R" -> Figures.RW;
            case "Z", "X" -> Figures.RO;
            default -> Figures.MUTED;
        };
    }

    /** A light version of a "#rrggbb" color for box fills. */
    static String tint(String hex) {
        int r = Integer.parseInt(hex.substring(1, 3), 16), g = Integer.parseInt(hex.substring(3, 5), 16), b = Integer.parseInt(hex.substring(5, 7), 16);
        return String.format("#%02x%02x%02x", r + (255 - r) * 4 / 5, g + (255 - g) * 4 / 5, b + (255 - b) * 4 / 5);
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder("Task tree: ").append(subtitle).append('\n');
        boolean[] open = new boolean[64];
        for (Node n : nodes) {
            StringBuilder line = new StringBuilder();
            for (int d = 1; d < n.depth(); d++) line.append(d < open.length && open[d] ? "\u2502  " : "   ");
            if (n.depth() > 0) line.append(n.lastChild() ? "\u2514\u2500 " : "\u251c\u2500 ");
            if (n.depth() < open.length) open[n.depth()] = !n.lastChild();
            line.append(n.text()).append("  ").append(n.state());
            if (n.onCpu()) line.append(" (on CPU").append(n.cpu()).append(')');
            line.append("  mm=").append(n.mm() == null ? "NULL" : n.mm());
            if (n.borrowed() != null) line.append(" active_mm=").append(n.borrowed()).append(" (borrowed)");
            b.append(line).append('\n');
        }
        b.append("mm_structs:");
        for (Mm m : mms.values()) b.append("\n  ").append(m.name()).append(": mm_users ").append(m.users()).append(", mm_count ").append(m.count())
            .append(", rss ").append(m.rss()).append(", pgd ").append(m.pgd());
        return b.toString();
    }
}
