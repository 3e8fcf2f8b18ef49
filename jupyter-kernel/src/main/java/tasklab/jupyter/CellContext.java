package tasklab.jupyter;

/**
 * What the running cell's outputs belong to: the execute_request they answer (parent header),
 * whether stdin may be asked, and the cell's remaining output budget.
 */
final class CellContext {
    volatile Message parent;
    volatile boolean allowStdin;
    private long budget;
    private boolean truncated;
    final long limit;

    CellContext(long limit) {
        this.limit = limit;
    }

    synchronized void start(Message request, boolean allowStdin) {
        this.parent = request;
        this.allowStdin = allowStdin;
        this.budget = limit;
        this.truncated = false;
    }

    /** How many of n bytes may still be shown; -1 the first time the budget runs out (print the note once). */
    synchronized long take(long n) {
        if (budget >= n) {
            budget -= n;
            return n;
        }
        long ok = budget;
        budget = 0;
        if (!truncated) {
            truncated = true;
            return ok == 0 ? -1 : ok;
        }
        return ok;
    }

    synchronized boolean truncated() {
        return truncated;
    }
}
