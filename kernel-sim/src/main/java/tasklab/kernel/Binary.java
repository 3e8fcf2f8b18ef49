package tasklab.kernel;

/**
 * An executable in the simulated file system: the sizes of its segments in pages. exec maps text
 * at 0x08048000 (r-x), data and bss after it (rw-), the heap (brk) after that, and an 8 KiB stack
 * below 0xC0000000 with the argument page written in.
 */
public record Binary(String path, int textPages, int dataPages, int bssPages) {
    /** ELF_ET_DYN_BASE-less i386 link address of the text segment. */
    public static final long TEXT_START = 0x08048000L;

    /** Validates sizes. */
    public Binary {
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("a binary needs an absolute path, got " + path);
        if (textPages < 1 || dataPages < 0 || bssPages < 0 || textPages + dataPages + bssPages > 65536) {
            throw new IllegalArgumentException("segment sizes out of range for " + path);
        }
    }

    /** The command name exec gives the task: the last path component, at most 15 characters. */
    public String comm() {
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.length() > 15 ? base.substring(0, 15) : base;
    }
}
