package tasklab.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tasklab.machine.PhysMem;
import tasklab.machine.Pte;
import tasklab.mm.MmCore;
import tasklab.mm.MmStruct;
import tasklab.mm.VmFlags;
import tasklab.mm.Vma;

/**
 * Two or more address spaces side by side: each task's page table entries (vaddr, region, pte
 * bits, writable or read-only) with one arrow per pte to the physical frame it maps, drawn in the
 * middle with its page_count and mapcount. A frame several ptes map is drawn as shared. Made by
 * {@link Sim#cow} (the writable mappings only: the classic fork / copy-on-write figure) and
 * {@link Sim#sharing} (every mapped page). Example: {@code sim.cow(p, c)} before and after {@code c.write(p.heap(), 'C')}.
 */
public final class Sharing implements Picture {
    /** At most this many ptes are drawn per address space; the rest are counted in a note. */
    static final int MAX_ROWS = 48;

    /** One pte. */
    record Row(long va, String region, int pte, boolean vmaWrite, boolean vmaShared) {
        boolean present() { return Pte.hwPresent(pte); }
        int pfn() { return Pte.pfn(pte); }
        /** RW, RO (COW), RO, or "not present". */
        String access() {
            if (!present()) return "not present";
            if (Pte.write(pte)) return "RW";
            return vmaWrite && !vmaShared ? "RO (COW)" : "RO";
        }
    }

    /** One address space (the tasks that use it). */
    record Panel(String who, String mm, String pgd, String color, List<Row> rows, int hidden) {}

    /** One physical frame. */
    record Frame(int pfn, int count, int mapcount, boolean zeroPage) {}

    private final boolean cow;
    private final String subtitle;
    private final List<Panel> panels;
    private final Map<Integer, Frame> frames;

    private Sharing(boolean cow, String subtitle, List<Panel> panels, Map<Integer, Frame> frames) {
        this.cow = cow;
        this.subtitle = subtitle;
        this.panels = panels;
        this.frames = frames;
    }

    static Sharing of(Sim sim, boolean cow, Proc... tasks) {
        String call = cow ? "cow" : "sharing";
        if (tasks == null || tasks.length == 0) throw new LabException(call, call + " needs one or more tasks, e.g. sim." + call + "(p, c)");
        Map<MmStruct, List<Proc>> byMm = new LinkedHashMap<>();
        for (Proc p : tasks) {
            if (p == null) throw new LabException(call, call + " got a null task");
            MmStruct mm = p.task().mm();
            if (p.task().hasExited() || mm == null || mm.freed()) {
                throw new LabException(call, p.label() + (p.task().hasExited() ? " has exited" : " is a kernel thread (mm is NULL, R6.3)")
                    + ": it has no user page tables to draw");
            }
            byMm.computeIfAbsent(mm, x -> new ArrayList<>()).add(p);
        }
        PhysMem mem = sim.kernel().machine().mem();
        List<Panel> panels = new ArrayList<>();
        Map<Integer, Frame> frames = new TreeMap<>();
        for (Map.Entry<MmStruct, List<Proc>> e : byMm.entrySet()) {
            MmStruct mm = e.getKey();
            List<Row> rows = new ArrayList<>();
            int hidden = 0;
            for (Vma v : mm.vmas()) {
                boolean w = (v.flags() & VmFlags.VM_WRITE) != 0;
                if (cow && !w) continue;
                String region = Tables.region(mm, v);
                for (long a = v.start(); a < v.end(); a += Pte.PAGE_SIZE) {
                    int pte = sim.pte(mm, a);
                    if (pte == 0) continue;
                    if (rows.size() >= MAX_ROWS) { hidden++; continue; }
                    Row r = new Row(a, region, pte, w, v.shared());
                    rows.add(r);
                    if (r.present() && r.pfn() < mem.nrFrames()) {
                        frames.putIfAbsent(r.pfn(), new Frame(r.pfn(), mem.count(r.pfn()), mem.mapcount(r.pfn()), r.pfn() == MmCore.ZERO_PAGE_PFN));
                    }
                }
            }
            List<String> who = e.getValue().stream().map(Proc::label).toList();
            panels.add(new Panel(String.join(", ", who), Names.mm(mm), Names.pfn(mm.pgd()), Figures.mmColor(mm), List.copyOf(rows), hidden));
        }
        String sub = sim.describe();
        return new Sharing(cow, sub, List.copyOf(panels), frames);
    }

    /** How many pte-to-frame arrows the picture draws. Example: {@code sim.cow(p, c).mappings()}. */
    public int mappings() {
        int n = 0;
        for (Panel p : panels) for (Row r : p.rows()) if (r.present() && frames.containsKey(r.pfn())) n++;
        return n;
    }

    private String title() {
        StringBuilder who = new StringBuilder();
        for (Panel p : panels) who.append(who.length() == 0 ? "" : " and ").append(p.who());
        return (cow ? "Copy-on-write: the writable pages of " : "Shared pages: ") + who;
    }

    private static final double ROW = 20, HEAD = 40, FRAME_H = 18, FRAME_GAP = 2, GAP = 18;

    @Override public String toSvg() {
        Svg s = new Svg();
        double width = Figures.WIDTH;
        double top = Figures.header(s, title(), subtitle) + 10;
        double frameW = 190, gutter = 52;
        double panelW = (width - 32 - frameW - 2 * gutter) / 2;
        double leftX = 16, frameX = leftX + panelW + gutter, rightX = frameX + frameW + gutter;

        // panels: even ones on the left, odd ones on the right, stacked
        double[] panelX = new double[panels.size()];
        double[] panelY = new double[panels.size()];
        double yl = top, yr = top;
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            double h = HEAD + Math.max(1, p.rows().size()) * ROW + (p.hidden() > 0 ? ROW : 0) + 6;
            boolean left = i % 2 == 0 || panels.size() == 1;
            panelX[i] = left ? leftX : rightX;
            panelY[i] = left ? yl : yr;
            if (left) yl += h + GAP; else yr += h + GAP;
        }
        // each frame sits as close as it can to the ptes that map it, in order, without overlap
        Map<Integer, List<double[]>> mappers = new TreeMap<>();
        for (int i = 0; i < panels.size(); i++) {
            List<Row> rows = panels.get(i).rows();
            for (int j = 0; j < rows.size(); j++) {
                Row r = rows.get(j);
                if (r.present() && frames.containsKey(r.pfn())) mappers.computeIfAbsent(r.pfn(), x -> new ArrayList<>()).add(new double[] {i, j, rowY(panelY[i], j)});
            }
        }
        List<Integer> order = new ArrayList<>(mappers.keySet());
        Map<Integer, Double> want = new TreeMap<>();
        for (int pfn : order) want.put(pfn, mappers.get(pfn).stream().mapToDouble(m -> m[2]).average().orElse(top) - FRAME_H / 2);
        order.sort(Comparator.comparingDouble((Integer pfn) -> want.get(pfn)).thenComparingInt(pfn -> pfn));
        Map<Integer, Double> frameY = new TreeMap<>();
        double prev = top + 38 - FRAME_GAP - FRAME_H;
        for (int pfn : order) {
            double y = Math.max(want.get(pfn), prev + FRAME_H + FRAME_GAP);
            frameY.put(pfn, y);
            prev = y;
        }
        double bottom = Math.max(Math.max(yl, yr), prev + FRAME_H + GAP);
        s.text(frameX + frameW / 2, top + 14, "physical frames (pfn)", "text-anchor", "middle", "font-weight", "bold", "fill", Figures.INK);
        s.text(frameX + frameW / 2, top + 30, "page_count \u00b7 mapcount", "text-anchor", "middle", "font-size", "11", "fill", Figures.MUTED);

        // arrows under the boxes
        s.g("class", "mappings");
        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            boolean left = panelX[i] < frameX;
            for (int j = 0; j < p.rows().size(); j++) {
                Row r = p.rows().get(j);
                if (!r.present() || !frameY.containsKey(r.pfn())) continue;
                double y0 = rowY(panelY[i], j), y1 = frameY.get(r.pfn()) + FRAME_H / 2;
                double x0 = left ? panelX[i] + panelW : panelX[i], x1 = left ? frameX - 1 : frameX + frameW + 1;
                boolean shared = mappers.get(r.pfn()).size() > 1;
                String color = shared ? Figures.SHARED : p.color();
                s.line(x0, y0, x1, y1, "class", "map", "data-mm", p.mm(), "data-vaddr", Names.addr(r.va()), "data-pfn", Names.pfn(r.pfn()),
                    "stroke", color, "stroke-width", shared ? "2" : "1.5", "marker-end", s.arrowHead(color));
                s.circle(x0, y0, 2.5, "fill", color);
            }
        }
        s.end();
        for (int i = 0; i < panels.size(); i++) panel(s, panels.get(i), panelX[i], panelY[i], panelW);
        for (int pfn : order) frame(s, frames.get(pfn), mappers.get(pfn).size(), frameX, frameY.get(pfn), frameW);

        double y = bottom;
        if (cow) {
            s.text(16, y + 2, "A write to an RO (COW) pte faults: do_wp_page copies the frame if others still map it, or makes the pte RW again if it is",
                "font-size", "11.5", "fill", Figures.INK);
            s.text(16, y + 18, "the only user (R9.5, R9.6). fork made every private writable pte read-only in both tasks (R5.11).",
                "font-size", "11.5", "fill", Figures.INK);
            y += 30;
        }
        double h = Figures.legend(s, 16, y, width - 32, List.of(
            new Figures.Item(Figures.Mark.BOX, Figures.RW, "RW: writable pte"),
            new Figures.Item(Figures.Mark.BOX, Figures.RO, "RO (COW): read-only pte in a writable private VMA"),
            new Figures.Item(Figures.Mark.BOX, "#9e9e9e", "RO: read-only mapping"),
            new Figures.Item(Figures.Mark.BOX, TaskTree.tint(Figures.SHARED), "frame mapped by several ptes"),
            new Figures.Item(Figures.Mark.BOX, "#ffffff", "frame mapped once"),
            new Figures.Item(Figures.Mark.ARROW, Figures.MUTED, "pte \u2192 frame it maps")));
        return s.render(width, y + h + 10, title());
    }

    private static double rowY(double panelY, int j) { return panelY + HEAD + j * ROW + ROW / 2; }

    private static void panel(Svg s, Panel p, double x, double y, double w) {
        double h = HEAD + Math.max(1, p.rows().size()) * ROW + (p.hidden() > 0 ? ROW : 0) + 6;
        s.g("class", "address-space", "data-mm", p.mm());
        s.rect(x, y, w, h, "rx", "6", "fill", "#fbfbfb", "stroke", p.color(), "stroke-width", "1.8");
        s.rect(x, y, w, 22, "rx", "6", "fill", TaskTree.tint(p.color()), "stroke", "none");
        s.text(x + 8, y + 16, Svg.clip(p.who() + "  " + p.mm(), (int) ((w - 16) / (12.5 * Svg.SANS_W))), "font-weight", "bold", "font-size", "12.5", "fill", Figures.INK);
        s.text(x + 8, y + 35, "vaddr      region pte  bits", "font-family", Svg.MONO, "font-size", "10.5", "fill", Figures.MUTED, "xml:space", "preserve");
        if (p.rows().isEmpty()) s.text(x + 8, y + HEAD + 14, "no ptes", "font-size", "11", "fill", Figures.MUTED);
        for (int j = 0; j < p.rows().size(); j++) {
            Row r = p.rows().get(j);
            double cy = rowY(y, j);
            String acc = r.access();
            String color = acc.equals("RW") ? Figures.RW : acc.equals("RO (COW)") ? Figures.RO : "#9e9e9e";
            s.g("class", "pte", "data-vaddr", Names.addr(r.va()), "data-access", acc);
            s.title(Names.addr(r.va()) + " " + r.region() + ": pte " + Names.pteHex(r.pte()) + " (" + Names.bits(r.pte()) + ")"
                + (r.present() ? " -> frame " + Names.pfn(r.pfn()) : " (not present)"));
            String text = String.format("%s %-6s %s  %s", Names.addr(r.va()), Svg.clip(r.region().replace("mmap shared", "shared"), 6), Names.pteHex(r.pte()), Names.bits(r.pte()));
            s.text(x + 8, cy + 4, text, "font-family", Svg.MONO, "font-size", "10.5", "fill", Figures.INK, "xml:space", "preserve");
            double bw = Svg.sansWidth(acc, 10) + 12;
            s.rect(x + w - bw - 6, cy - 7, bw, 14, "rx", "3", "fill", color);
            s.text(x + w - bw / 2 - 6, cy + 3.5, acc, "font-size", "10", "font-weight", "bold", "fill", "#ffffff", "text-anchor", "middle");
            s.end();
        }
        if (p.hidden() > 0) {
            s.text(x + 8, rowY(y, p.rows().size()) + 4, "\u2026 " + p.hidden() + " more ptes not drawn (see sim.pagemap)", "font-size", "11", "fill", Figures.MUTED);
        }
        s.end();
    }

    private static void frame(Svg s, Frame f, int arrows, double x, double y, double w) {
        boolean shared = arrows > 1 || f.mapcount() > 1;
        s.g("class", "frame", "data-pfn", Names.pfn(f.pfn()), "data-count", Integer.toString(f.count()), "data-mapcount", Integer.toString(f.mapcount()));
        s.title("frame " + Names.pfn(f.pfn()) + ": page_count " + f.count() + ", mapcount " + f.mapcount() + (f.zeroPage() ? " (ZERO_PAGE)" : ""));
        s.rect(x, y, w, FRAME_H, "rx", "3", "fill", shared ? TaskTree.tint(Figures.SHARED) : "#ffffff",
            "stroke", shared ? Figures.SHARED : "#555555", "stroke-width", shared ? "2" : "1.2");
        s.text(x + w / 2, y + 13, Names.pfn(f.pfn()) + (f.zeroPage() ? " ZERO" : "") + "  count " + f.count() + " \u00b7 map " + f.mapcount(),
            "text-anchor", "middle", "font-family", Svg.MONO, "font-size", "11", "fill", Figures.INK, "xml:space", "preserve");
        s.end();
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder(title()).append("\n").append(subtitle).append('\n');
        Map<Integer, List<String>> who = new TreeMap<>();
        for (Panel p : panels) {
            b.append(p.who()).append(" (").append(p.mm()).append(", pgd ").append(p.pgd()).append("):\n");
            if (p.rows().isEmpty()) b.append("  no ptes\n");
            for (Row r : p.rows()) {
                b.append(String.format("  %s %-11s pte %s (%s) %s", Names.addr(r.va()), r.region(), Names.pteHex(r.pte()), Names.bits(r.pte()), r.access()));
                if (r.present()) {
                    b.append(" -> frame ").append(Names.pfn(r.pfn()));
                    who.computeIfAbsent(r.pfn(), x -> new ArrayList<>()).add(p.mm() + " " + Names.addr(r.va()));
                }
                b.append('\n');
            }
            if (p.hidden() > 0) b.append("  ... ").append(p.hidden()).append(" more ptes (see sim.pagemap)\n");
        }
        b.append("frames:");
        for (Map.Entry<Integer, List<String>> e : who.entrySet()) {
            Frame f = frames.get(e.getKey());
            b.append(String.format("%n  %s page_count %d mapcount %d%s  mapped by %s", Names.pfn(f.pfn()), f.count(), f.mapcount(),
                f.zeroPage() ? " (ZERO_PAGE)" : "", String.join(", ", e.getValue())));
        }
        return b.toString();
    }
}
