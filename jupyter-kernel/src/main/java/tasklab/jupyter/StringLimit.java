package tasklab.jupyter;

/**
 * Finds string constants a class file cannot hold (over 65535 bytes of modified UTF-8, JVMS 4.4.7)
 * before JShell compiles them: javac fails on them only while writing the class, and that
 * failure stays in JShell's compiler state - every later snippet then fails with "UTF8
 * representation for string ... is too long", so the session is dead. Literals joined only by
 * {@code +} count together (javac folds them into one constant).
 */
final class StringLimit {
    static final int MAX_UTF8 = 65535;

    private StringLimit() {}

    /** Offset of the first literal (chain) that is too long, or -1. */
    static int firstTooLong(String src) {
        int n = src.length();
        long chain = 0;
        int chainStart = -1;
        int lastEnd = -1;
        int i = 0;
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int e = src.indexOf("*/", i + 2);
                i = e < 0 ? n : e + 2;
            } else if (c == '\'') {
                i = skipQuoted(src, i + 1, '\'');
            } else if (c == '"') {
                boolean block = src.startsWith("\"\"\"", i);
                int start = i;
                long bytes = 0;
                i += block ? 3 : 1;
                while (i < n) {
                    char d = src.charAt(i);
                    if (block ? src.startsWith("\"\"\"", i) : d == '"') break;
                    if (!block && d == '\n') break;
                    if (d == '\\' && i + 1 < n) {
                        i++;
                        d = src.charAt(i) == 'n' || src.charAt(i) == 't' ? 'x' : src.charAt(i);
                    }
                    bytes += d != 0 && d < 0x80 ? 1 : d < 0x800 ? 2 : 3;
                    i++;
                }
                i = Math.min(n, i + (block ? 3 : 1));
                boolean joined = lastEnd >= 0 && src.substring(lastEnd, start).matches("[\\s+]*\\+[\\s+]*");
                if (!joined) {
                    chain = 0;
                    chainStart = start;
                }
                chain += bytes;
                lastEnd = i;
                if (chain > MAX_UTF8) return chainStart;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static int skipQuoted(String src, int i, char quote) {
        while (i < src.length() && src.charAt(i) != quote && src.charAt(i) != '\n') {
            i += src.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }
}
