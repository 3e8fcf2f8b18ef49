package tasklab.kernel;

/**
 * Error numbers as i386 Linux defines them (include/asm-i386/errno.h, include/linux/errno.h).
 * System-call style operations return {@code -errno}.
 */
public enum Errno {
    /** Operation not permitted. */
    EPERM(1, "Operation not permitted"),
    /** No such file or directory. */
    ENOENT(2, "No such file or directory"),
    /** No such process. */
    ESRCH(3, "No such process"),
    /** Interrupted system call. */
    EINTR(4, "Interrupted system call"),
    /** I/O error (ptrace's answer to a request it does not know). */
    EIO(5, "Input/output error"),
    /** Exec format error. */
    ENOEXEC(8, "Exec format error"),
    /** Bad file number. */
    EBADF(9, "Bad file descriptor"),
    /** No child processes. */
    ECHILD(10, "No child processes"),
    /** Try again. */
    EAGAIN(11, "Resource temporarily unavailable"),
    /** Out of memory. */
    ENOMEM(12, "Cannot allocate memory"),
    /** Bad address. */
    EFAULT(14, "Bad address"),
    /** Permission denied. */
    EACCES(13, "Permission denied"),
    /** Device or resource busy. */
    EBUSY(16, "Device or resource busy"),
    /** Invalid argument. */
    EINVAL(22, "Invalid argument"),
    /** Function not implemented. */
    ENOSYS(38, "Function not implemented"),
    /** Restart the system call after the signal (kernel-internal). */
    ERESTARTSYS(512, "Restart system call"),
    /** Restart the system call, not interruptible (kernel-internal). */
    ERESTARTNOINTR(513, "Restart system call (no interrupt)");

    private final int code;
    private final String text;

    Errno(int code, String text) { this.code = code; this.text = text; }

    /** The positive errno value. */
    public int code() { return code; }
    /** The negative return value a system call gives. */
    public int neg() { return -code; }
    /** strerror() text. */
    public String text() { return text; }

    /** The Errno for a positive or negative code, or null if unknown. */
    public static Errno of(int code) {
        int c = Math.abs(code);
        for (Errno e : values()) if (e.code == c) return e;
        return null;
    }

    /** "-EINVAL" style name for a return value; other values print as numbers. */
    public static String describe(int ret) {
        if (ret >= 0) return Integer.toString(ret);
        Errno e = of(ret);
        return e == null ? Integer.toString(ret) : "-" + e.name();
    }
}
