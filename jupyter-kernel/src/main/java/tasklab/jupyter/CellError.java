package tasklab.jupyter;

import java.util.List;

/** A cell failed: what the notebook shows as ename, evalue and traceback (no kernel frames). */
public final class CellError extends Exception {
    private static final long serialVersionUID = 1L;
    public final String ename;
    public final String evalue;
    public final List<String> traceback;

    public CellError(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue;
        this.traceback = traceback;
    }
}
