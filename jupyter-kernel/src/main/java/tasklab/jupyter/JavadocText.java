package tasklab.jupyter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Javadoc comment text as a student reads it in the pager: inline tags resolved
 * ({@code {@code x}} -> x, {@code {@link A#b}} -> A.b), HTML turned into plain paragraphs and
 * lists, and the block tags as "Parameters:", "Returns:", "Throws:" sections.
 */
final class JavadocText {
    private JavadocText() {}

    private static final Pattern TAG = Pattern.compile("<(/?)(\\w+)[^>]*>");

    static String render(String raw) {
        if (raw == null) return "";
        String text = inlineTags(stripLeadingSpace(raw));
        StringBuilder body = new StringBuilder();
        List<String> params = new ArrayList<>();
        List<String> throwsList = new ArrayList<>();
        List<String> other = new ArrayList<>();
        String returns = null;
        // split into the main description and block tags (a line starting with @word)
        String[] parts = text.split("(?m)^\\s*(?=@\\w)");
        body.append(html(parts[0]));
        for (int k = 1; k < parts.length; k++) {
            String p = parts[k].trim();
            int sp = p.indexOf(' ');
            String tag = sp < 0 ? p : p.substring(0, sp);
            String rest = sp < 0 ? "" : html(p.substring(sp + 1)).replaceAll("\\s+", " ").trim();
            switch (tag) {
                case "@param": params.add(rest.replaceFirst("^(\\S+)\\s*", "$1 - ")); break;
                case "@return": returns = rest; break;
                case "@throws":
                case "@exception": throwsList.add(rest.replaceFirst("^(\\S+)\\s*", "$1 - ")); break;
                case "@see": other.add("See also: " + rest); break;
                case "@since": other.add("Since: " + rest); break;
                case "@apiNote": other.add("API note: " + rest); break;
                case "@implNote":
                case "@implSpec": other.add("Implementation: " + rest); break;
                default: break; // @author, @serial, ...: not for the pager
            }
        }
        StringBuilder out = new StringBuilder(body.toString().trim());
        if (!params.isEmpty()) out.append("\n\nParameters:\n  ").append(String.join("\n  ", params));
        if (returns != null) out.append("\n\nReturns: ").append(returns);
        if (!throwsList.isEmpty()) out.append("\n\nThrows:\n  ").append(String.join("\n  ", throwsList));
        for (String o : other) out.append("\n\n").append(o);
        return out.toString().trim();
    }

    /** JShell hands the comment with the space after each line's '*' kept. */
    private static String stripLeadingSpace(String raw) {
        StringBuilder b = new StringBuilder();
        for (String line : raw.split("\n", -1)) {
            b.append(line.startsWith(" ") ? line.substring(1) : line).append('\n');
        }
        return b.toString();
    }

    /** {@code x}, {@literal x}, {@link A#b label}, {@linkplain ...}, {@value ...}, {@inheritDoc}. */
    static String inlineTags(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int at = s.indexOf("{@", i);
            if (at < 0) {
                b.append(s, i, s.length());
                break;
            }
            b.append(s, i, at);
            int depth = 0;
            int end = at;
            for (; end < s.length(); end++) {
                char c = s.charAt(end);
                if (c == '{') depth++;
                else if (c == '}' && --depth == 0) break;
            }
            if (end >= s.length()) {
                b.append(s, at, s.length());
                break;
            }
            String inner = s.substring(at + 2, end);
            int sp = inner.indexOf(' ');
            String tag = sp < 0 ? inner : inner.substring(0, sp);
            String arg = sp < 0 ? "" : inner.substring(sp + 1).trim();
            switch (tag) {
                case "code":
                case "literal":
                    // escape so that the HTML pass keeps <, > and & of code as they are
                    b.append(arg.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
                    break;
                case "link":
                case "linkplain": {
                    int ls = arg.indexOf(' ');
                    String ref = ls < 0 ? arg : arg.substring(0, ls);
                    String label = ls < 0 ? null : arg.substring(ls + 1).trim();
                    b.append(label != null ? label : ref.startsWith("#") ? ref.substring(1) : ref.replace('#', '.'));
                    break;
                }
                case "value": b.append(arg.replace('#', '.')); break;
                case "inheritDoc": break;
                default: b.append(arg);
            }
            i = end + 1;
        }
        return b.toString();
    }

    /** Paragraphs and list items from HTML; other tags dropped; entities decoded. */
    static String html(String s) {
        Matcher m = TAG.matcher(s);
        StringBuilder b = new StringBuilder();
        boolean pre = false;
        int last = 0;
        while (m.find()) {
            b.append(pre ? s.substring(last, m.start()) : flow(s.substring(last, m.start())));
            String name = m.group(2).toLowerCase(java.util.Locale.ROOT);
            boolean close = !m.group(1).isEmpty();
            switch (name) {
                case "p": if (!close) b.append("\n\n"); break;
                case "br": b.append('\n'); break;
                case "li": if (!close) b.append("\n  - "); break;
                case "ul":
                case "ol":
                case "table":
                case "tr": b.append('\n'); break;
                case "td":
                case "th": if (!close) b.append("  "); break;
                case "pre": pre = !close; b.append('\n'); break;
                default: break;
            }
            last = m.end();
        }
        b.append(pre ? s.substring(last) : flow(s.substring(last)));
        return b.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&nbsp;", " ").replace("&#64;", "@").replace("&amp;", "&")
                .replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n");
    }

    /** Source line breaks inside a paragraph become spaces (the pager wraps). */
    private static String flow(String s) {
        return s.replaceAll("\\s*\\n\\s*", " ");
    }
}
