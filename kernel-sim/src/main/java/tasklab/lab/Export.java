package tasklab.lab;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * Saving results next to a notebook: Tables as CSV, charts as PNG or SVG, and the trace as a
 * Chrome trace event file that Perfetto (ui.perfetto.dev) and chrome://tracing open. Each method
 * makes missing parent folders and returns the path written.
 * Example: {@code Export.png(Charts.flushes(sim), Path.of("out/flushes.png"))}.
 */
public final class Export {
    private Export() {}

    /** A Table as CSV with a header row (Tablesaw's writer). Example: {@code Export.csv(sim.ps(), Path.of("out/ps.csv"))}. */
    public static Path csv(Table table, Path path) {
        if (table == null) throw new LabException("Export.csv", "needs a Table, got null");
        Path p = prepare(path, "Export.csv");
        try {
            table.write().csv(p.toFile());
        } catch (RuntimeException e) {
            throw new LabException("Export.csv", "cannot write " + p + ": " + e.getMessage());
        }
        return p;
    }

    /** A chart as PNG at its own size. Example: {@code Export.png(Charts.ipis(sim), Path.of("out/ipis.png"))}. */
    @SuppressWarnings("deprecation")       // the bytes form writes exactly the path given (the name form appends .png)
    public static Path png(Chart<?, ?> chart, Path path) {
        if (chart == null) throw new LabException("Export.png", "needs a chart, got null");
        Path p = prepare(path, "Export.png");
        try {
            Files.write(p, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new LabException("Export.png", "cannot write " + p + ": " + e.getMessage());
        }
        return p;
    }

    /** A chart as SVG (VectorGraphics2D through XChart). Example: {@code Export.svg(chart, Path.of("out/lat_ctx.svg"))}. */
    @SuppressWarnings("deprecation")       // the stream form is the one that writes exactly the path given (the name form appends .svg)
    public static Path svg(Chart<?, ?> chart, Path path) {
        if (chart == null) throw new LabException("Export.svg", "needs a chart, got null");
        Path p = prepare(path, "Export.svg");
        try (OutputStream out = Files.newOutputStream(p)) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new LabException("Export.svg", "cannot write " + p + ": " + e.getMessage());
        }
        return p;
    }

    /**
     * The simulation's trace as Chrome trace event JSON (the "JSON Object Format"): one complete
     * ("X") slice per interval a task ran on a CPU (a track per CPU, named after the task, with its
     * pid and the switch kind), and instant ("i") events for TLB flushes (with the reason and page
     * count) and IPIs (with the target CPU). Times are simulated microseconds. Open the file in
     * ui.perfetto.dev or chrome://tracing. Example: {@code Export.chromeTrace(sim, Path.of("out/trace.json"))}.
     */
    public static Path chromeTrace(Sim sim, Path path) {
        if (sim == null) throw new LabException("Export.chromeTrace", "needs a booted Sim, got null");
        Path p = prepare(path, "Export.chromeTrace");
        try (OutputStream out = Files.newOutputStream(p);
             JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            ChromeTrace.write(sim, g);
        } catch (IOException e) {
            throw new LabException("Export.chromeTrace", "cannot write " + p + ": " + e.getMessage());
        }
        return p;
    }

    private static Path prepare(Path path, String call) {
        if (path == null) throw new LabException(call, "needs a file path, e.g. Path.of(\"out/result\")");
        Path p = path.toAbsolutePath().normalize();
        if (Files.isDirectory(p)) throw new LabException(call, p + " is a folder; give a file name inside it");
        try {
            if (p.getParent() != null) Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw new LabException(call, "cannot make the folder " + p.getParent() + ": " + e.getMessage());
        }
        return p;
    }
}
