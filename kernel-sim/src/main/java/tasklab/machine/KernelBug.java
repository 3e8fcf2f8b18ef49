package tasklab.machine;

/**
 * A broken kernel invariant: the simulator's BUG() / BUG_ON(), failing fast with
 * "&lt;function&gt;: &lt;invariant&gt;". Lives with the hardware because BUG() is the ud2 trap.
 * Linux: include/asm-i386/bug.h BUG().
 */
public final class KernelBug extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A bug report naming the kernel function and the invariant that failed. */
    public KernelBug(String function, String invariant) {
        super(function + ": " + invariant);
    }

    /** BUG_ON(cond): throws when {@code cond} holds. Linux: BUG_ON(). */
    public static void bugOn(boolean cond, String function, String invariant) {
        if (cond) throw new KernelBug(function, invariant);
    }
}
