package tasklab.jupyter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

/** Messages without JShell internals, and "add: import java.util.regex.Pattern;" for a missing type. */
final class Imports {
    private Imports() {}

    private static final Pattern REPL_CLASS = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]?\\.");
    private static final Pattern REPL_CLASS_ALONE = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]?\\$?");
    private static final Pattern EMPTY_LOCATION = Pattern.compile("(?m)^\\s*location: class\\s*(REPL\\S*)?\\s*$\\n?");
    private static final Pattern SYMBOL = Pattern.compile("symbol:\\s+(?:class|variable|interface|enum)\\s+([A-Z]\\w*)");

    /** "REPL.$JShell$13.o" -> "o"; drops javac's "location: class" line that names JShell's wrapper. */
    static String clean(String message) {
        if (message == null) return null;
        String m = REPL_CLASS.matcher(message).replaceAll("");
        m = EMPTY_LOCATION.matcher(m).replaceAll("");
        m = REPL_CLASS_ALONE.matcher(m).replaceAll("");
        return m.stripTrailing();
    }

    /** The capitalised names in "symbol: class Foo" lines of a compile message. */
    static List<String> missingTypes(String message) {
        List<String> out = new ArrayList<>();
        Matcher mt = SYMBOL.matcher(message);
        while (mt.find()) out.add(mt.group(1));
        return out;
    }

    /** Adds "add: import X;" lines to the traceback for each missing name a known class has. */
    static List<String> hint(JShell shell, List<String> missing, List<String> traceback) {
        Set<String> imports = new LinkedHashSet<>();
        for (String m : missing) {
            String name = m.substring(m.lastIndexOf(' ') + 1);
            if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) continue;
            for (String fqn : qualifiedNames(shell, name)) imports.add("import " + fqn + ";");
        }
        if (imports.isEmpty()) return traceback;
        List<String> out = new ArrayList<>(traceback);
        out.add(imports.size() == 1 ? "a missing import? add: " + imports.iterator().next()
                : "a missing import? one of: " + String.join("  ", imports));
        return out;
    }

    /** Classes with that simple name on the class path and in the JDK (JShell's own index). */
    static List<String> qualifiedNames(JShell shell, String simpleName) {
        try {
            SourceCodeAnalysis.QualifiedNames q = shell.sourceCodeAnalysis().listQualifiedNames(simpleName, simpleName.length());
            // JShell indexes the class path in the background after start: wait for it a little
            for (int k = 0; k < 30 && !q.isUpToDate(); k++) {
                Thread.sleep(100);
                q = shell.sourceCodeAnalysis().listQualifiedNames(simpleName, simpleName.length());
            }
            List<String> names = new ArrayList<>();
            for (String n : q.getNames()) {
                if (n.endsWith("." + simpleName) && !n.startsWith("jdk.internal") && !n.startsWith("sun.") && !n.startsWith("com.sun.")) names.add(n);
                if (names.size() == 4) break;
            }
            return names;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
