package tasklab.lab;

import java.util.Locale;

/**
 * A small SVG writer for the lab's pictures: elements with escaped text and attributes, arrow
 * markers, numbers printed with one decimal in the root locale (so the bytes never depend on the
 * machine). The size is given at the end, once the layout knows it.
 */
final class Svg {
    static final String MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace";
    static final String SANS = "DejaVu Sans, Helvetica, Arial, sans-serif";
    /** Width of a monospace character per pixel of font size (DejaVu Sans Mono: 0.602). */
    static final double MONO_W = 0.61;
    /** A generous average width of a sans-serif character per pixel of font size. */
    static final double SANS_W = 0.58;

    private final StringBuilder defs = new StringBuilder();
    private final StringBuilder body = new StringBuilder();
    private final java.util.Set<String> markers = new java.util.TreeSet<>();

    /** Opens a group: {@code g("class", "task", "data-pid", "5")}; close with {@link #end()}. */
    Svg g(String... attrs) { open("g", attrs); body.append(">\n"); return this; }
    /** Closes the innermost group. */
    Svg end() { body.append("</g>\n"); return this; }

    /** A rectangle. */
    Svg rect(double x, double y, double w, double h, String... attrs) {
        open("rect", attrs);
        attr("x", x); attr("y", y); attr("width", w); attr("height", h);
        body.append("/>\n");
        return this;
    }

    /** A line; pass {@code "marker-end", arrowHead(color)} among the attributes for an arrow. */
    Svg line(double x1, double y1, double x2, double y2, String... attrs) {
        open("line", attrs);
        attr("x1", x1); attr("y1", y1); attr("x2", x2); attr("y2", y2);
        body.append("/>\n");
        return this;
    }

    /** A path with data {@code d}. */
    Svg path(String d, String... attrs) {
        open("path", attrs);
        body.append(" d=\"").append(Html.escape(d)).append('"');
        body.append("/>\n");
        return this;
    }

    /** A circle. */
    Svg circle(double cx, double cy, double r, String... attrs) {
        open("circle", attrs);
        attr("cx", cx); attr("cy", cy); attr("r", r);
        body.append("/>\n");
        return this;
    }

    /** Text at (x, y) (the baseline), escaped. */
    Svg text(double x, double y, String text, String... attrs) {
        open("text", attrs);
        attr("x", x); attr("y", y);
        body.append('>').append(Html.escape(text)).append("</text>\n");
        return this;
    }

    /** A tooltip for the enclosing element (put it first inside a group). */
    Svg title(String text) {
        body.append("<title>").append(Html.escape(text)).append("</title>\n");
        return this;
    }

    /** The id of an arrowhead marker of this color, defined once. Use as {@code "marker-end", Svg.url(id)}. */
    String arrowHead(String color) {
        String id = "arrow-" + color.replace("#", "");
        if (markers.add(id)) {
            defs.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
                .append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"").append(Html.escape(color)).append("\"/></marker>\n");
        }
        return "url(#" + id + ")";
    }

    /**
     * The document, drawn on a {@code width} x {@code height} viewBox with a white background. Its
     * width is 100% capped at {@code width} pixels and its height follows the viewBox: the classic
     * Notebook gives an SVG with a pixel width a wrapper of exactly that width, which a narrower
     * output column (most screens, for 900 px) cut off on the right; this way it shrinks instead.
     */
    String render(double width, double height, String title) {
        String w = num(Math.ceil(width)), h = num(Math.ceil(height));
        StringBuilder b = new StringBuilder(body.length() + defs.length() + 512);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 ").append(w).append(' ').append(h)
            .append("\" style=\"max-width:").append(w).append("px;height:auto\" font-family=\"").append(Html.escape(SANS))
            .append("\" font-size=\"12\">\n");
        b.append("<title>").append(Html.escape(title)).append("</title>\n");
        if (defs.length() > 0) b.append("<defs>\n").append(defs).append("</defs>\n");
        b.append("<rect x=\"0\" y=\"0\" width=\"").append(w).append("\" height=\"").append(h).append("\" fill=\"#ffffff\"/>\n");
        b.append(body);
        b.append("</svg>\n");
        return b.toString();
    }

    private void open(String name, String... attrs) {
        if (attrs.length % 2 != 0) throw new IllegalArgumentException("attributes come in name, value pairs");
        body.append('<').append(name);
        for (int i = 0; i < attrs.length; i += 2) {
            if (attrs[i + 1] == null) continue;
            body.append(' ').append(attrs[i]).append("=\"").append(Html.escape(attrs[i + 1])).append('"');
        }
    }

    private void attr(String name, double v) { body.append(' ').append(name).append("=\"").append(num(v)).append('"'); }

    /** A number with at most one decimal, root locale ("12", "12.5"). */
    static String num(double v) {
        double r = Math.round(v * 10) / 10.0;
        if (r == Math.rint(r)) return Long.toString((long) r);
        return String.format(Locale.ROOT, "%.1f", r);
    }

    /** The pixel width of {@code s} in the monospace font at {@code size}. */
    static double monoWidth(String s, double size) { return s.length() * size * MONO_W; }
    /** A safe pixel width of {@code s} in the sans-serif font at {@code size}. */
    static double sansWidth(String s, double size) { return s.length() * size * SANS_W; }

    /** {@code s} cut to at most {@code max} characters, with an ellipsis. */
    static String clip(String s, int max) {
        if (max <= 1) return max == 1 ? "\u2026" : "";
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }
}
