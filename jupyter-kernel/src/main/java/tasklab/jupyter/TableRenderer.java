package tasklab.jupyter;

import java.util.Set;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Tablesaw Table: an HTML table of the first rows ("... K more rows") plus Tablesaw's text form. */
final class TableRenderer implements Renderer<Table> {
    static final int MAX_ROWS = 50;

    @Override
    public DisplayData render(Table t, Set<String> wanted) {
        int shown = Math.min(t.rowCount(), MAX_ROWS);
        StringBuilder b = new StringBuilder("<table class=\"tasklab-table\">\n");
        if (t.name() != null && !t.name().isBlank()) b.append("<caption>").append(Renderers.escapeHtml(t.name())).append("</caption>\n");
        b.append("<thead><tr>");
        for (Column<?> c : t.columns()) b.append("<th>").append(Renderers.escapeHtml(c.name())).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < shown; r++) {
            b.append("<tr>");
            for (Column<?> c : t.columns()) b.append("<td>").append(Renderers.escapeHtml(c.getString(r))).append("</td>");
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        if (t.rowCount() > shown) b.append("<p>... ").append(t.rowCount() - shown).append(" more rows</p>\n");
        return new DisplayData().put("text/plain", t.print(MAX_ROWS)).put("text/html", b.toString());
    }

}
