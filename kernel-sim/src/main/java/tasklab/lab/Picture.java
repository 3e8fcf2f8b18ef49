package tasklab.lab;

/**
 * A figure drawn from the simulator's live state at the moment it was made: an SVG image
 * ({@link #toSvg()}, image/svg+xml) and a plain-text rendering ({@link #toString()}, text/plain).
 * The Jupyter kernel shows both inline. The picture is a snapshot: later calls do not change it,
 * so a "before" and an "after" picture can sit side by side. Same state, same bytes.
 * Example: {@code var before = sim.cow(p, c); c.write(p.heap(), 'C'); var after = sim.cow(p, c);}
 */
public interface Picture {
    /** A self-contained SVG document (no scripts, no external fonts): a viewBox, width 100% capped at the viewBox width. Example: {@code Files.writeString(Path.of("cow.svg"), sim.cow(p, c).toSvg())}. */
    String toSvg();

    /** The same picture as text, for a terminal or a text/plain output. Example: {@code System.out.println(sim.pstree())}. */
    @Override String toString();
}
