package tasklab.jupyter;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.EvalException;

/** Turns exceptions thrown by user code into notebook tracebacks without kernel-internal frames. */
final class Tracebacks {
    private Tracebacks() {}

    /** Error for an exception raised inside a snippet (JShell reports it as EvalException). */
    static CellError of(Throwable t) {
        String ename = className(t);
        String evalue = t.getMessage() == null ? "" : t.getMessage();
        return new CellError(ename, evalue, lines(t));
    }

    static List<String> lines(Throwable t) {
        List<String> out = new ArrayList<>();
        String prefix = "";
        for (Throwable c = t; c != null; c = c.getCause()) {
            String msg = c.getMessage();
            out.add(prefix + className(c) + (msg == null ? "" : ": " + msg));
            for (StackTraceElement f : c.getStackTrace()) {
                if (isInternal(f)) continue;
                out.add("\tat " + frame(f));
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
                || c.startsWith("tasklab.jupyter.") || c.equals("java.lang.Thread");
    }

    /** REPL.$JShell$12$Foo.bar -> Foo.bar; REPL.$JShell$12.do_it$ -> cell. */
    static String frame(StackTraceElement f) {
        String c = f.getClassName();
        String m = f.getMethodName();
        String where = f.getFileName() == null ? "" : " (" + f.getFileName()
                + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "") + ")";
        if (c.isEmpty() || m.equals("do_it$")) return "cell" + where; // JShell blanks its wrapper frame
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
