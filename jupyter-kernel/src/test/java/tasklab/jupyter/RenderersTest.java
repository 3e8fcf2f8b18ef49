package tasklab.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** Renderer choice by type, duck typing and MIME filtering. */
class RenderersTest {
    /** A stand-in for a kernel-sim view: no Jupyter types, just toSvg(). */
    public static final class Picture {
        public String toSvg() {
            return "<svg/>";
        }
    }

    @Test
    void tableGivesHtmlAndText() {
        Table t = Table.create("t", IntColumn.create("a", new int[120]));
        DisplayData d = Renderers.render(t);
        assertTrue(d.data.get("text/html").toString().contains("<table"));
        assertTrue(d.data.get("text/html").toString().contains("70 more rows"));
        assertTrue(d.data.containsKey("text/plain"));
    }

    @Test
    void chartGivesPngWithSizeAndSvgOnlyWhenAsked() {
        XYChart c = new XYChartBuilder().width(200).height(100).build();
        c.addSeries("s", new double[] {1, 2}, new double[] {1, 2});
        DisplayData d = Renderers.render(c);
        assertTrue(d.data.containsKey("image/png"));
        assertFalse(d.data.containsKey("image/svg+xml"));
        assertEquals(200, ((java.util.Map<?, ?>) d.metadata.get("image/png")).get("width"));
        DisplayData svg = Renderers.render(c, "image/svg+xml");
        assertTrue(svg.data.get("image/svg+xml").toString().contains("<svg"));
        assertFalse(svg.data.containsKey("image/png"));
    }

    @Test
    void duckTypedToSvg() {
        assertEquals("<svg/>", Renderers.render(new Picture()).data.get("image/svg+xml"));
    }

    @Test
    void registeredRendererWins() {
        Renderers.register(StringBuilder.class, (v, w) -> DisplayData.text("sb").put("text/markdown", "**" + v + "**"));
        assertEquals("**x**", Renderers.render(new StringBuilder("x")).data.get("text/markdown"));
    }
}
