package tasklab.lab;

import tasklab.kernel.Errno;
import tasklab.kernel.Signals;

/**
 * What a system call returned, typed: a value, an errno, or the signal that killed the caller
 * (never one ambiguous int). The {@code try...} methods of {@link Proc} return one, so a table
 * of "flags -> result" is one loop; the plain methods throw {@link LabException} instead.
 *
 * @param call    the system call ("clone")
 * @param value   the return value when {@link #ok()} (a pid, an address, 0)
 * @param errno   the errno of a failure, else null
 * @param signal  the signal that killed the task during the call, else 0
 * @param rule    the LINUX-SPEC rule that explains the outcome, or null
 * @param why     a sentence saying why, or null
 */
public record SysResult(String call, long value, Errno errno, int signal, String rule, String why) {

    static SysResult ok(String call, long value) { return new SysResult(call, value, null, 0, null, null); }

    static SysResult misuse(String call, String sentence) { return new SysResult(call, 0, null, 0, null, sentence); }

    /** Whether the call succeeded. */
    public boolean ok() { return errno == null && signal == 0 && why == null; }
    /** Whether the call failed with an errno. */
    public boolean failed() { return errno != null; }
    /** Whether the task was killed by a signal during the call. */
    public boolean killed() { return signal != 0; }

    /** The value as an int (pids, 0). */
    public int intValue() { return (int) value; }

    /** The value, or throws the {@link LabException} this result stands for. */
    public long orThrow() {
        if (!ok()) throw new LabException(this);
        return value;
    }

    /** The short outcome: "1234", "-EINVAL", "SIGSEGV". */
    public String outcome() {
        if (errno != null) return "-" + errno.name();
        if (signal != 0) return Signals.name(signal);
        if (why != null) return "misuse";
        return Long.toString(value);
    }

    /** The whole sentence: "clone: -EINVAL (R5.2): CLONE_THREAD needs CLONE_SIGHAND on 2.6". */
    public String describe() {
        if (ok()) return call + " = " + value;
        StringBuilder b = new StringBuilder(call).append(": ");
        if (errno != null) b.append('-').append(errno.name());
        else if (signal != 0) b.append("killed by ").append(Signals.name(signal));
        if (rule != null) b.append(" (").append(rule).append(')');
        if (why != null) b.append(errno == null && signal == 0 ? "" : ": ").append(why);
        return b.toString();
    }

    @Override public String toString() { return ok() ? Long.toString(value) : describe(); }
}
