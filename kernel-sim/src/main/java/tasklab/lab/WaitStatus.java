package tasklab.lab;

import tasklab.kernel.Signals;
import tasklab.kernel.Wait;

/**
 * What wait4 returned: the pid and its status word, decoded as the WIFEXITED / WEXITSTATUS /
 * WIFSIGNALED / WTERMSIG / WCOREDUMP / WIFSTOPPED macros read it ({@link Wait#decode}, R11.11).
 * Example: {@code p.waitAny().meaning()} is "exited 3".
 *
 * @param pid    the pid wait4 returned
 * @param status the raw status word
 */
public record WaitStatus(int pid, int status) {
    /** The decoded status: {@code Wait.Exited}, {@code Wait.Signaled}, {@code Wait.Stopped} or {@code Wait.Continued}. */
    public Wait.Status decoded() { return Wait.decode(status); }
    /** WIFEXITED: the child called exit. */
    public boolean exited() { return decoded() instanceof Wait.Exited; }
    /** WEXITSTATUS: the exit code (0-255). */
    public int exitCode() { return decoded() instanceof Wait.Exited e ? e.code() : 0; }
    /** WIFSIGNALED: a signal ended the child. */
    public boolean signaled() { return decoded() instanceof Wait.Signaled; }
    /** WTERMSIG. */
    public int termSignal() { return decoded() instanceof Wait.Signaled s ? s.sig() : 0; }
    /** WCOREDUMP. */
    public boolean coreDumped() { return decoded() instanceof Wait.Signaled s && s.core(); }
    /** WIFSTOPPED. */
    public boolean stopped() { return decoded() instanceof Wait.Stopped; }
    /** WSTOPSIG. */
    public int stopSignal() { return decoded() instanceof Wait.Stopped s ? s.sig() : 0; }
    /** WIFCONTINUED (2.6). */
    public boolean continued() { return decoded() instanceof Wait.Continued; }

    /** "exited 3", "killed by SIGSEGV (core dumped)", "stopped by SIGSTOP", "continued". */
    public String meaning() {
        Wait.Status s = decoded();
        if (s instanceof Wait.Exited e) return "exited " + e.code();
        if (s instanceof Wait.Signaled k) return "killed by " + Signals.name(k.sig()) + (k.core() ? " (core dumped)" : "");
        if (s instanceof Wait.Stopped t) return "stopped by " + Signals.name(t.sig());
        return "continued";
    }

    @Override public String toString() {
        return String.format("pid %d %s (status 0x%04x)", pid, meaning(), status);
    }
}
