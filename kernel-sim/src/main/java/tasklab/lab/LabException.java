package tasklab.lab;

import tasklab.kernel.Errno;
import tasklab.kernel.Signals;

/**
 * The one exception the lab API throws: a failed system call (its errno, the LINUX-SPEC rule that
 * decided it and a sentence saying why), a task killed by a signal during the call, or harness
 * misuse (a dead handle, a sleeping task asked to make a call) with a sentence. The message reads
 * like {@code clone: -EINVAL (R5.2): CLONE_THREAD needs CLONE_SIGHAND on 2.6}.
 */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient SysResult result;

    LabException(SysResult result) {
        super(result.describe(), null, false, false);      // no stack trace: the message is the point
        this.result = result;
    }

    LabException(String call, String sentence) {
        this(SysResult.misuse(call, sentence));
    }

    /** The result that failed (errno, signal or misuse). */
    public SysResult result() { return result; }
    /** The errno, or null when the call did not fail with one. */
    public Errno errno() { return result.errno(); }
    /** The signal that killed the task, or 0. */
    public int signal() { return result.signal(); }
    /** The signal's name ("SIGSEGV"), or null. */
    public String signalName() { return result.signal() == 0 ? null : Signals.name(result.signal()); }
    /** The LINUX-SPEC rule id ("R5.2"), or null. */
    public String rule() { return result.rule(); }
    /** The system call ("clone"). */
    public String call() { return result.call(); }
}
