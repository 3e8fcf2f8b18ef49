package tasklab.jupyter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The cells run in this session, for history_request: tail, range and (glob) search. */
final class History {
    /** The session number we report; 0 and negatives in requests mean "this session" too. */
    static final int SESSION = 1;

    private static final class Entry {
        final int line;
        final String input;
        volatile String output;

        Entry(int line, String input) {
            this.line = line;
            this.input = input;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(int line, String input) {
        entries.add(new Entry(line, input));
    }

    synchronized void setOutput(int line, String output) {
        for (int k = entries.size() - 1; k >= 0; k--) {
            if (entries.get(k).line == line) { entries.get(k).output = output; return; }
        }
    }

    synchronized List<Object> tail(int n, boolean output) {
        int from = Math.max(0, entries.size() - Math.max(0, n));
        return rows(entries.subList(from, entries.size()), output);
    }

    /** Lines [start, stop) of a session; stop 0 or absent means "to the end". */
    synchronized List<Object> range(int session, int start, int stop, boolean output) {
        List<Entry> out = new ArrayList<>();
        if (session > 0 && session != SESSION) return new ArrayList<>();
        for (Entry e : entries) {
            if (e.line >= start && (stop <= 0 || e.line < stop)) out.add(e);
        }
        return rows(out, output);
    }

    /** Glob pattern (* and ?) as IPython's; newest last, the last n only, optionally unique inputs. */
    synchronized List<Object> search(String glob, int n, boolean unique, boolean output) {
        Pattern p = Pattern.compile(globToRegex(glob), Pattern.DOTALL);
        List<Entry> hits = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int k = entries.size() - 1; k >= 0; k--) {
            Entry e = entries.get(k);
            if (!p.matcher(e.input).matches()) continue;
            if (unique && !seen.add(e.input)) continue;
            hits.add(0, e);
            if (n > 0 && hits.size() >= n) break;
        }
        return rows(hits, output);
    }

    static String globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') b.append(".*");
            else if (c == '?') b.append('.');
            else b.append(Pattern.quote(String.valueOf(c)));
        }
        return b.toString();
    }

    private static List<Object> rows(List<Entry> es, boolean output) {
        List<Object> out = new ArrayList<>();
        for (Entry e : es) {
            Object cell = output ? List.of(e.input, e.output == null ? "" : e.output) : e.input;
            out.add(List.of(SESSION, e.line, cell));
        }
        return out;
    }
}
