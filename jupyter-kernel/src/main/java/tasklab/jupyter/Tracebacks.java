package tasklab.jupyter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import jdk.jshell.EvalException;

/** Turns exceptions thrown by user code into notebook tracebacks without kernel-internal frames. */
final class Tracebacks {
    private Tracebacks() {}

    /** Error for an exception raised inside a snippet (JShell reports it as EvalException). */
    static CellError of(Throwable t, Function<String, String> snippetName) {
        String ename = className(t);
        String evalue = message(t);
        if (ename.equals(CellStop.ExitCalled.class.getName())) ename = "SystemExit";
        // ExceptionInInitializerError and other wrappers without a message: show the cause
        if (evalue.isEmpty() && t.getCause() != null) {
            String cause = message(t.getCause());
            evalue = "caused by " + className(t.getCause()) + (cause.isEmpty() ? "" : ": " + cause);
        }
        return new CellError(ename, evalue, lines(t, snippetName));
    }

    /** The message, "" when there is none (JShell turns a null message into "null"). */
    static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || (m.equals("null") && t instanceof EvalException) ? "" : Imports.clean(m);
    }

    static List<String> lines(Throwable t, Function<String, String> snippetName) {
        List<String> out = new ArrayList<>();
        String prefix = "";
        for (Throwable c = t; c != null; c = c.getCause()) {
            String msg = message(c);
            String name = className(c);
            if (name.equals(CellStop.ExitCalled.class.getName())) name = "SystemExit";
            out.add(prefix + name + (msg.isEmpty() ? "" : ": " + msg));
            for (StackTraceElement f : c.getStackTrace()) {
                if (isInternal(f)) continue;
                out.add("\tat " + frame(f, snippetName));
            }
            prefix = "Caused by: ";
            if (out.size() > 200) break;
        }
        return out;
    }

    private static String className(Throwable t) {
        if (t instanceof EvalException) return ((EvalException) t).getExceptionClassName();
        return t.getClass().getName();
    }

    /** Reflection, JShell and kernel frames say nothing to a student. */
    static boolean isInternal(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.internal.") || c.startsWith("java.lang.reflect.") || c.startsWith("jdk.jshell.")
                || c.startsWith("tasklab.jupyter.") || c.equals("java.lang.Thread")
                || c.startsWith("org.junit.jupiter.api.") || c.startsWith("org.opentest4j.");
    }

    /** REPL.$JShell$12$Foo.bar -> Foo.bar; REPL.$JShell$12.do_it$ -> cell. */
    static String frame(StackTraceElement f, Function<String, String> snippetName) {
        String c = f.getClassName();
        String m = f.getMethodName();
        String where = f.getFileName() == null ? "" : " (" + f.getFileName()
                + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "") + ")";
        if (c.isEmpty() && f.getFileName() != null && f.getFileName().startsWith("#")) {
            // JShell blanks class and method of snippet frames; the file name "#19" is the snippet id
            String name = snippetName.apply(f.getFileName().substring(1));
            if (name != null && name.startsWith("$")) name = null; // JShell's temporary variable: the cell itself
            return (name == null ? "cell" : name) + where;
        }
        if (c.isEmpty() || m.equals("do_it$")) return "cell" + where;
        if (c.startsWith("REPL.$JShell$")) {
            String rest = c.substring("REPL.$JShell$".length());
            int d = rest.indexOf('$');
            if (m.equals("do_it$")) return "cell" + where;
            c = d < 0 ? "" : rest.substring(d + 1);
            return (c.isEmpty() ? "" : c + ".") + m + where;
        }
        return c + "." + m + where;
    }
}
