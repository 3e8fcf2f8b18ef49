package tasklab.kernel;

/**
 * A reference-counted per-task resource shared by clone flags: files_struct (CLONE_FILES),
 * fs_struct (CLONE_FS), the signal handler table (2.4 signal_struct "sig" / 2.6 sighand_struct,
 * CLONE_SIGHAND) and 2.6's signal_struct (CLONE_THREAD). Linux: kernel/fork.c copy_files() etc. (R5.7)
 */
public final class Shared {
    /** Which resource this is. */
    public enum Kind {
        /** files_struct. */ FILES,
        /** fs_struct. */ FS,
        /** Signal handlers (2.4 sig, 2.6 sighand). */ SIGHAND,
        /** 2.6 signal_struct (thread-group shared). */ SIGNAL
    }

    final Kind kind;
    final int id;
    int count = 1;
    /**
     * SIGHAND only: the disposition of each signal (SIG_DFL, SIG_IGN, handler). A fork's copy
     * starts out reading its parent's array and takes its own at the first write
     * ({@link #setHandler}): most children never call sigaction, so a fork does not copy 65
     * entries it will only read (a Java-level copy on write; the kernel's memcpy is what it stands for).
     */
    private int[] handlers;
    /** Whether {@link #handlers} may also be another Shared's (so a write must copy it first). */
    private boolean handlersShared;
    /** SIGNAL only: live threads of the group (2.6 signal->live). */
    int live = 1;

    Shared(Kind kind, int id) {
        this(kind, id, kind == Kind.SIGHAND ? new int[Signals.NSIG + 1] : null);
    }

    private Shared(Kind kind, int id, int[] handlers) {
        this.kind = kind;
        this.id = id;
        this.handlers = handlers;
    }

    /** A copy with count 1 (what a fork without the sharing flag makes). */
    Shared copy(int newId) {
        Shared s = new Shared(kind, newId, handlers);
        if (handlers != null) {
            handlersShared = true;
            s.handlersShared = true;
        }
        return s;
    }

    /** Sets the disposition of {@code sig} (SIGHAND only): sigaction, flush_signal_handlers, ignore_signals. */
    void setHandler(int sig, int disposition) {
        if (handlersShared) {
            handlers = handlers.clone();
            handlersShared = false;
        }
        handlers[sig] = disposition;
    }

    /** The resource kind. */
    public Kind kind() { return kind; }
    /** A number naming this instance. */
    public int id() { return id; }
    /** The reference count (files->count, fs->count, sig->count ...). */
    public int count() { return count; }
    /** The handler disposition of {@code sig} (SIGHAND only). */
    public int handler(int sig) { return handlers[sig]; }

    @Override public String toString() { return kind.name().toLowerCase() + "#" + id + "(count=" + count + ")"; }
}
