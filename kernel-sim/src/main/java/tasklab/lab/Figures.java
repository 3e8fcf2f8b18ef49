package tasklab.lab;

import java.util.List;

/** What every lab picture shares: colors, the title block, the legend. */
final class Figures {
    private Figures() {}

    /** The width pictures are laid out for: a notebook output area. */
    static final double WIDTH = 900;

    /** Nine distinct colors for tasks and mms (Tableau 10 without its gray, which means "idle"). */
    static final String[] PALETTE = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"};
    static final String IDLE = "#cfcfcf";
    static final String INK = "#222222";
    static final String MUTED = "#666666";
    static final String SHARED = "#f28e2b";
    static final String RW = "#2e7d32";
    static final String RO = "#c62828";

    /** A task's color, by pid (the idle tasks are gray). */
    static String taskColor(int pid) { return pid == 0 ? IDLE : PALETTE[(pid - 1) % PALETTE.length]; }

    /** An mm's color, by id (init_mm is gray). */
    static String mmColor(tasklab.mm.MmStruct mm) { return mm == null || mm.isInitMm() ? "#8a8a8a" : PALETTE[(mm.id() + 3) % PALETTE.length]; }

    /** Title and subtitle at the top; returns the y where the picture may start. */
    static double header(Svg s, String title, String subtitle) {
        s.text(16, 26, title, "font-size", "17", "font-weight", "bold", "fill", INK, "class", "title");
        if (subtitle == null || subtitle.isEmpty()) return 40;
        s.text(16, 46, subtitle, "font-size", "12", "fill", MUTED, "class", "subtitle");
        return 60;
    }

    /** How a legend item is drawn. */
    enum Mark { BOX, DASHED_BOX, LINE, DASHED_LINE, ARROW, DASHED_ARROW, TICK, TRIANGLE, HOLLOW_TRIANGLE }

    /** One legend entry. */
    record Item(Mark mark, String color, String label) {}

    /** Draws the legend in rows that wrap at {@code width}; returns its height. */
    static double legend(Svg s, double x, double y, double width, List<Item> items) {
        s.g("class", "legend");
        double cx = x, cy = y;
        double rowH = 20;
        for (Item it : items) {
            double w = 26 + Svg.sansWidth(it.label(), 11) + 18;
            if (cx + w > x + width && cx > x) { cx = x; cy += rowH; }
            double my = cy + 10;
            switch (it.mark()) {
                case BOX -> s.rect(cx, my - 6, 18, 12, "fill", it.color(), "stroke", INK, "stroke-width", "0.6", "rx", "2");
                case DASHED_BOX -> s.rect(cx, my - 6, 18, 12, "fill", "#ffffff", "stroke", it.color(), "stroke-width", "1.4", "stroke-dasharray", "3 2", "rx", "2");
                case LINE -> s.line(cx, my, cx + 20, my, "stroke", it.color(), "stroke-width", "2");
                case DASHED_LINE -> s.line(cx, my, cx + 20, my, "stroke", it.color(), "stroke-width", "2", "stroke-dasharray", "4 3");
                case ARROW -> s.line(cx, my, cx + 20, my, "stroke", it.color(), "stroke-width", "1.6", "marker-end", s.arrowHead(it.color()));
                case DASHED_ARROW -> s.line(cx, my, cx + 20, my, "stroke", it.color(), "stroke-width", "1.6", "stroke-dasharray", "4 3",
                    "marker-end", s.arrowHead(it.color()));
                case TICK -> s.line(cx + 9, my - 7, cx + 9, my + 7, "stroke", it.color(), "stroke-width", "2");
                case TRIANGLE -> s.path(tri(cx + 9, my - 5), "fill", it.color());
                case HOLLOW_TRIANGLE -> s.path(tri(cx + 9, my - 5), "fill", "#ffffff", "stroke", it.color(), "stroke-width", "1.3");
            }
            s.text(cx + 26, my + 4, it.label(), "font-size", "11", "fill", INK);
            cx += w;
        }
        s.end();
        return cy + rowH - y;
    }

    /** A small downward triangle with its tip at (x, y + 8). */
    static String tri(double x, double y) {
        return "M " + Svg.num(x - 5) + " " + Svg.num(y) + " L " + Svg.num(x + 5) + " " + Svg.num(y) + " L " + Svg.num(x) + " " + Svg.num(y + 8) + " Z";
    }
}
