package tasklab.lab;

import tasklab.kernel.Signals;

/**
 * A wait4 status word, decoded as the WIFEXITED / WEXITSTATUS / WIFSIGNALED / WTERMSIG /
 * WCOREDUMP / WIFSTOPPED macros read it (LINUX-SPEC R11.11).
 *
 * @param pid    the pid wait4 returned
 * @param status the raw status word
 */
public record WaitStatus(int pid, int status) {
    /** WIFEXITED: the child called exit. */
    public boolean exited() { return (status & 0x7f) == 0; }
    /** WEXITSTATUS: the exit code (0-255). */
    public int exitCode() { return (status >> 8) & 0xff; }
    /** WIFSIGNALED: a signal ended the child. */
    public boolean signaled() { return (status & 0x7f) != 0 && (status & 0x7f) != 0x7f; }
    /** WTERMSIG. */
    public int termSignal() { return status & 0x7f; }
    /** WCOREDUMP. */
    public boolean coreDumped() { return (status & 0x80) != 0; }
    /** WIFSTOPPED. */
    public boolean stopped() { return (status & 0xff) == 0x7f; }
    /** WSTOPSIG. */
    public int stopSignal() { return (status >> 8) & 0xff; }
    /** WIFCONTINUED (2.6): 0xffff. */
    public boolean continued() { return status == 0xffff; }

    /** "exited 3", "killed by SIGSEGV (core dumped)", "stopped by SIGSTOP", "continued". */
    public String meaning() {
        if (continued()) return "continued";
        if (stopped()) return "stopped by " + Signals.name(stopSignal());
        if (exited()) return "exited " + exitCode();
        return "killed by " + Signals.name(termSignal()) + (coreDumped() ? " (core dumped)" : "");
    }

    @Override public String toString() {
        return String.format("pid %d %s (status 0x%04x)", pid, meaning(), status);
    }
}
