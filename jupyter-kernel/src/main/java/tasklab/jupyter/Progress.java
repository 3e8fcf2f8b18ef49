package tasklab.jupyter;

/**
 * A progress bar for long simulations: shown once, then updated in place (update_display_data),
 * at most ten times a second so a million steps do not mean a million messages.
 */
public final class Progress {
    private final String label;
    private final long total;
    private final String id;
    private long lastSent;
    private long done;

    Progress(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
        this.id = Notebook.display(view());
    }

    /** Sets how much is done; cheap when called often. */
    public void update(long done) {
        this.done = done;
        long now = System.nanoTime();
        if (now - lastSent > 100_000_000L || done >= total) {
            lastSent = now;
            Notebook.updateDisplay(id, view());
        }
    }

    public void step() {
        update(done + 1);
    }

    /** Marks the work complete. */
    public void done() {
        update(total);
    }

    DisplayData view() {
        int pct = (int) Math.min(100, done * 100 / total);
        String text = label + " [" + "#".repeat(pct / 5) + ".".repeat(20 - pct / 5) + "] " + pct + "% (" + done + "/" + total + ")";
        String html = "<div>" + Renderers.escapeHtml(label) + " <progress value=\"" + done + "\" max=\"" + total + "\"></progress> "
                + pct + "% (" + done + "/" + total + ")</div>";
        return DisplayData.text(text).put("text/html", html);
    }
}
