package tasklab.examples;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;

/**
 * The lab example that opens README.md, run as a notebook runs it: each line is a JShell snippet
 * (so a bare expression shows its value, as in a cell), with the kernel's imports. ReadmeExamplesTest
 * checks that the README shows this code, its real output, and the picture it draws.
 */
public final class ReadmeLabExample {
    private ReadmeLabExample() {}

    /** The notebook code README.md shows. */
    public static final String CODE = """
        var sim = Sim.boot();               // Linux 2.4.22 on a Pentium Pro-200
        var p = sim.process("demo");        // text, data, heap and stack mapped
        p.write(p.heap(), 'P');             // do_anonymous_page: a fresh frame
        var c = p.fork();                   // both ptes read-only: the frame's count is 2
        c.write(p.heap(), 'C');             // the COW fault: do_wp_page copies
        sim.pagemap(p, c)                   // a table: who maps which frame
        sim.explain()                       // what the kernel did, and why
        sim.cow(p, c)                       // the picture
        """;

    /** What the cells showed: the text of each expression's value, and the picture's SVG. */
    public record Output(List<String> values, String svg) {}

    /** Runs {@link #CODE} line by line in JShell. */
    public static Output run() {
        try (JShell js = JShell.builder().executionEngine("local").build()) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) js.addToClasspath(entry);
            for (String imp : List.of("tasklab.lab.*", "tasklab.kernel.*", "tasklab.machine.*", "tech.tablesaw.api.*")) {
                check(js.eval("import " + imp + ";"));
            }
            List<String> values = new ArrayList<>();
            for (String line : CODE.split("\n")) {
                String code = line.replaceAll("\\s*//.*$", "").trim();
                if (code.isEmpty()) continue;
                for (SnippetEvent e : check(js.eval(code))) {
                    if (shows(e.snippet()) && e.value() != null) values.add(e.value());
                }
            }
            List<SnippetEvent> svg = check(js.eval("sim.cow(p, c).toSvg()"));
            String literal = svg.get(svg.size() - 1).value();
            return new Output(values, unquote(literal));
        }
    }

    /** Whether a cell ending with this snippet shows its value (an expression, which JShell keeps as a $N variable). */
    private static boolean shows(Snippet s) {
        return s.kind() == Snippet.Kind.EXPRESSION || s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    private static List<SnippetEvent> check(List<SnippetEvent> events) {
        for (SnippetEvent e : events) {
            if (e.exception() != null) throw new IllegalStateException("README example failed: " + e.exception(), e.exception());
            if (e.status() == Snippet.Status.REJECTED) throw new IllegalStateException("README example does not compile: " + e.snippet().source());
        }
        return events;
    }

    /** JShell shows a String value as a Java literal; this turns it back into the string. */
    static String unquote(String literal) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char ch = literal.charAt(i);
            if (ch != '\\') { b.append(ch); continue; }
            char n = literal.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case '"' -> b.append('"');
                case '\'' -> b.append('\'');
                case '\\' -> b.append('\\');
                case 'u' -> { b.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16)); i += 4; }
                default -> b.append('\\').append(n);
            }
        }
        return b.toString();
    }

    /** Prints the outputs (to update README.md) and writes the picture to docs/readme-cow.svg. */
    public static void main(String[] args) throws Exception {
        Output o = run();
        for (String v : o.values()) System.out.println(v + "\n=====END=====");
        java.nio.file.Files.writeString(java.nio.file.Path.of(args.length > 0 ? args[0] : "docs/readme-cow.svg"), o.svg());
    }
}
