package tasklab.kernel;

/** Signal numbers (include/asm-i386/signal.h) and handler dispositions. */
public final class Signals {
    private Signals() {}

    /** SIGHUP. */ public static final int SIGHUP = 1;
    /** SIGINT. */ public static final int SIGINT = 2;
    /** SIGKILL. */ public static final int SIGKILL = 9;
    /** SIGUSR1. */ public static final int SIGUSR1 = 10;
    /** SIGSEGV. */ public static final int SIGSEGV = 11;
    /** SIGTERM. */ public static final int SIGTERM = 15;
    /** SIGCHLD. */ public static final int SIGCHLD = 17;
    /** SIGCONT. */ public static final int SIGCONT = 18;
    /** SIGSTOP. */ public static final int SIGSTOP = 19;
    /** _NSIG. */ public static final int NSIG = 64;

    /** SIG_DFL. */ public static final int SIG_DFL = 0;
    /** SIG_IGN. */ public static final int SIG_IGN = 1;
    /** A user handler (any other value). */ public static final int SIG_HANDLER = 2;

    /** The signal's name, e.g. "SIGCHLD". */
    public static String name(int sig) {
        return switch (sig) {
            case SIGHUP -> "SIGHUP"; case SIGINT -> "SIGINT"; case SIGKILL -> "SIGKILL"; case SIGUSR1 -> "SIGUSR1";
            case SIGSEGV -> "SIGSEGV"; case SIGTERM -> "SIGTERM"; case SIGCHLD -> "SIGCHLD"; case SIGCONT -> "SIGCONT";
            case SIGSTOP -> "SIGSTOP"; case 0 -> "0"; default -> "signal " + sig;
        };
    }
}
