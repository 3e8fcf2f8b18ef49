package tasklab.jupyter;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The functions a notebook cell can call, statically imported at start-up; names and signatures
 * follow IJava so IJava notebooks run unchanged: display, render, updateDisplay, clearOutput.
 */
public final class Notebook {
    private static volatile Publisher publisher;
    private static volatile CellContext cell;
    private static volatile StreamCapture[] streams = new StreamCapture[0];
    /** The id strings display() returned in this cell (by identity): `display(x);` does not echo its id. */
    private static final Set<String> ISSUED = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private Notebook() {}

    static void bind(Publisher p, CellContext c, StreamCapture... s) {
        publisher = p;
        cell = c;
        streams = s;
    }

    /** Sends pending stdout/stderr so that text printed before a display appears before it. */
    static void flushStreams() {
        for (StreamCapture s : streams) s.flush();
    }

    /** Shows an object below the cell now; returns its display id (for updateDisplay). */
    public static String display(Object o) {
        return display(o, new String[0]);
    }

    /**
     * Shows an object as the given MIME types only (text/plain always included); a String shown
     * as a type it does not render to is taken to be that type's source:
     * {@code display("<b>x</b>", "text/html")} shows bold x.
     */
    public static String display(Object o, String... mimeTypes) {
        String id = UUID.randomUUID().toString();
        send("display_data", Renderers.render(o, mimeTypes), id);
        ISSUED.add(id);
        return id;
    }

    /** Whether a cell's value is the id a display() call of this cell returned (not shown as Out[]). */
    static boolean isDisplayId(Object value) {
        return value instanceof String && ISSUED.contains(value);
    }

    /** A new cell: forget the ids of the last one. */
    static void newCell() {
        ISSUED.clear();
    }

    /** The MIME bundle an object renders to, without showing it (a cell ending in it shows it). */
    public static DisplayData render(Object o, String... mimeTypes) {
        return Renderers.render(o, mimeTypes);
    }

    /** Replaces the output shown under a display id, in place (progress, a machine being stepped). */
    public static void updateDisplay(String id, Object o) {
        updateDisplay(id, o, new String[0]);
    }

    public static void updateDisplay(String id, Object o, String... mimeTypes) {
        send("update_display_data", Renderers.render(o, mimeTypes), id);
    }

    /** Clears this cell's output. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** Clears this cell's output; with wait, only when new output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        flushStreams();
        Publisher p = publisher;
        if (p != null) p.publish(parent(), "clear_output", Json.obj("wait", wait));
    }

    /** A progress bar shown under the cell and updated in place; see {@link Progress}. */
    public static Progress progress(String label, long total) {
        return new Progress(label, total);
    }

    private static void send(String type, DisplayData d, String id) {
        flushStreams();
        Publisher p = publisher;
        if (p == null) return;
        Map<String, Object> content = Json.obj("data", d.data, "metadata", d.metadata, "transient", Json.obj("display_id", id));
        p.publish(parent(), type, content);
    }

    private static Message parent() {
        CellContext c = cell;
        return c == null ? null : c.parent;
    }
}
