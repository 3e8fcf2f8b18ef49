package tasklab.jupyter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** XChart chart: PNG with its size (SVG too only when asked, to keep notebooks small). */
final class ChartRenderer implements Renderer<Chart<?, ?>> {
    @Override
    public DisplayData render(Chart<?, ?> chart, Set<String> wanted) throws Exception {
        String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "" : " \"" + chart.getTitle() + "\"";
        DisplayData d = DisplayData.text(chart.getClass().getSimpleName() + title + " " + chart.getWidth() + "x" + chart.getHeight());
        if (wanted.isEmpty() || wanted.contains("image/png")) {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            d.put("image/png", Base64.getEncoder().encodeToString(png)).size("image/png", chart.getWidth(), chart.getHeight());
        }
        if (wanted.contains("image/svg+xml")) {
            ByteArrayOutputStream svg = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            d.put("image/svg+xml", svg.toString(StandardCharsets.UTF_8));
        }
        return d;
    }
}
