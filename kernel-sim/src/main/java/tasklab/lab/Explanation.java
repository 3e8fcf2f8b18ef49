package tasklab.lab;

import java.util.List;

/**
 * What the kernel did and why, call by call: each entry is a call with its result and the
 * sentences that explain it (each naming the LINUX-SPEC rule). Shows as a list in a notebook
 * (text/html) and as plain text; each call keeps the number it has in {@code sim.steps()}.
 *
 * @param entries one per call
 */
public record Explanation(List<Entry> entries) {

    /**
     * One call and its explanation.
     *
     * @param headline  "#3 demo[5] fork() = 6"
     * @param sentences what happened, in order
     */
    public record Entry(String headline, List<String> sentences) {}

    /** All sentences of all entries, in order (for tests and searching). */
    public List<String> sentences() {
        return entries.stream().flatMap(e -> e.sentences().stream()).toList();
    }

    /** Whether some sentence contains the text. Example: {@code sim.explain().mentions("do_wp_page")}. */
    public boolean mentions(String text) { return sentences().stream().anyMatch(s -> s.contains(text)); }

    /**
     * Only the newest {@code n} calls, for a cell whose setup calls would bury the one that matters.
     * Example: {@code v.exec("/bin/true"); sim.explain().last(1)}.
     */
    public Explanation last(int n) {
        if (n < 0) throw new LabException("explain().last", "n must be 0 or more, got " + n);
        return new Explanation(List.copyOf(entries.subList(Math.max(0, entries.size() - n), entries.size())));
    }

    /**
     * The explanation as an HTML list (what a notebook shows). Not an ordered list: the headlines
     * carry the calls' own numbers (#4, #5 ...), which a list numbered from 1 would contradict.
     */
    public String toHtml() {
        if (entries.isEmpty()) return "<p><i>Nothing happened since the last explain().</i></p>";
        StringBuilder b = new StringBuilder("<div class=\"tasklab-explain\"><ul style=\"list-style:none;padding-left:0\">");
        for (Entry e : entries) {
            b.append("<li><code>").append(Html.escape(e.headline())).append("</code>");
            if (!e.sentences().isEmpty()) {
                b.append("<ul style=\"list-style:disc;padding-left:1.5em\">");   // list-style is inherited
                for (String s : e.sentences()) b.append("<li>").append(Html.escape(s)).append("</li>");
                b.append("</ul>");
            }
            b.append("</li>");
        }
        return b.append("</ul></div>").toString();
    }

    @Override public String toString() {
        if (entries.isEmpty()) return "(nothing happened since the last explain())";
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            b.append(e.headline()).append('\n');
            for (String s : e.sentences()) b.append("    - ").append(s).append('\n');
        }
        return b.toString();
    }
}
