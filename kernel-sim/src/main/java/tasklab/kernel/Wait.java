package tasklab.kernel;

/**
 * The wait4 option bits and the status word it returns with the pid, with a decoder.
 * Linux: include/linux/wait.h (options), kernel/exit.c wait_task_zombie() / wait_task_stopped() /
 * wait_task_continued() (status words, R11.11).
 */
public final class Wait {
    private Wait() {}

    /** WNOHANG: return 0 instead of sleeping. */ public static final int WNOHANG = 1;
    /** WUNTRACED: report stopped children too. */ public static final int WUNTRACED = 2;
    /** WEXITED (2.6; sys_wait4 adds it itself). */ public static final int WEXITED = 4;
    /** WCONTINUED (2.6 only; 2.4 answers -EINVAL): report children continued by SIGCONT. */ public static final int WCONTINUED = 8;
    /** WNOWAIT (2.6 waitid only). */ public static final int WNOWAIT = 0x01000000;
    /** __WNOTHREAD: only this thread's children, not the whole group's. */ public static final int WNOTHREAD = 0x20000000;
    /** __WALL: clone children and normal children alike. */ public static final int WALL = 0x40000000;
    /** __WCLONE: only clone children (exit_signal != SIGCHLD). */ public static final int WCLONE = 0x80000000;

    /** The status word of a child continued by SIGCONT (2.6 wait_task_continued: 0xffff). */
    public static final int CONTINUED = 0xffff;

    /** What a status word says, as the WIFEXITED / WIFSIGNALED / WIFSTOPPED / WIFCONTINUED macros read it. */
    public sealed interface Status {
        /** The raw status word. */
        int raw();
    }

    /** WIFEXITED: exit(code), status (code &amp; 0xff) &lt;&lt; 8. */
    public record Exited(int code) implements Status {
        public int raw() { return (code & 0xff) << 8; }
        @Override public String toString() { return "exited(" + code + ")"; }
    }

    /** WIFSIGNALED: killed by sig, status sig | 0x80 if a core was dumped. */
    public record Signaled(int sig, boolean core) implements Status {
        public int raw() { return sig | (core ? 0x80 : 0); }
        @Override public String toString() { return "signaled(" + Signals.name(sig) + (core ? ", core" : "") + ")"; }
    }

    /** WIFSTOPPED: stopped by sig, status (sig &lt;&lt; 8) | 0x7f. */
    public record Stopped(int sig) implements Status {
        public int raw() { return (sig << 8) | 0x7f; }
        @Override public String toString() { return "stopped(" + Signals.name(sig) + ")"; }
    }

    /** WIFCONTINUED (2.6): status 0xffff. */
    public record Continued() implements Status {
        public int raw() { return CONTINUED; }
        @Override public String toString() { return "continued"; }
    }

    /** Decodes a status word as glibc's macros do (R11.11). */
    public static Status decode(int status) {
        if (status == CONTINUED) return new Continued();
        if ((status & 0x7f) == 0) return new Exited((status >> 8) & 0xff);
        if ((status & 0xff) == 0x7f) return new Stopped((status >> 8) & 0xff);
        return new Signaled(status & 0x7f, (status & 0x80) != 0);
    }
}
