package tasklab.jupyter;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/** Evaluates Java cells with JShell: run, complete, inspect, is-complete, interrupt. */
public final class Evaluator {
    /** Marks "the cell produced no value to show" (null is a value: it shows as null). */
    public static final Object NO_VALUE = new Object();

    private final SnippetRunner runner = new SnippetRunner();
    private final JShell shell;
    /** The class path index, when it lists exactly these class path entries (then it also says which packages exist). */
    private final ClassPathIndex index;

    public Evaluator(List<String> classpath) {
        this(classpath, ClassPathIndex.besideKernelJar(classpath));
    }

    /** With an index of the class path jars (install-kernelspec writes one), javac lists them from it: {@link IndexedFileManager}. */
    Evaluator(List<String> classpath, Path indexFile) {
        ClassPathIndex index = indexFile == null ? null : ClassPathIndex.load(indexFile);
        JShell.Builder builder = JShell.builder()
                .executionEngine(new SnippetRunnerProvider(runner), Map.of())
                // -processorpath "": javac looks for compiler plugins (autostart javac Plugins) on the processor
                // path, else on the class path - through a class loader over all 29 jars, scanned again for
                // every compiler context JShell makes (~50 ms of the JShell thread's CPU before the first
                // result). None of the jars has one; annotation processing is off anyway (-proc:none).
                .compilerOptions("-Xlint:none", "-proc:none", "-processorpath", "");
        if (index != null) builder.fileManager(std -> new IndexedFileManager(std, index));
        shell = builder.build();
        List<String> entries = classpath.stream().filter(e -> !e.isBlank()).toList();
        this.index = index != null && sameJars(index, entries) ? index : null;
        // JShell's compiler starts with this JVM's class path (javac's default when neither env.class.path
        // nor application.home is set, as under the java launcher), and snippets load classes through this
        // JVM's class loader: adding the same path again only made javac re-read all 29 manifests and
        // JShell rebuild its compiler pool (~30 ms of the JShell thread before the first result)
        boolean already = entries.equals(jvmClasspath().stream().filter(e -> !e.isBlank()).toList())
                && System.getProperty("env.class.path") == null && System.getProperty("application.home") == null;
        // one call with the whole path: JShell re-parses its accumulated class path on every call
        String path = String.join(File.pathSeparator, entries);
        if (!path.isEmpty() && !already) shell.addToClasspath(path);
    }

    private static boolean sameJars(ClassPathIndex index, List<String> entries) {
        if (index.jars.size() != entries.size()) return false;
        for (int k = 0; k < entries.size(); k++) if (!index.jars.get(k).equals(Path.of(entries.get(k)))) return false;
        return true;
    }

    /** Whether a package is on the class path: from the index when there is one, else a look at the class path itself. */
    boolean onClassPath(String pkg) {
        return index != null ? index.hasPackage(pkg) : Startup.present(pkg);
    }

    /** The class path entries of this JVM: user code sees kernel-sim, Tablesaw, XChart, us. */
    public static List<String> jvmClasspath() {
        return List.of(System.getProperty("java.class.path", "").split(File.pathSeparator));
    }

    public synchronized void addToClasspath(String entry) {
        shell.addToClasspath(entry);
    }

    /**
     * Imports the given import statements. JShell accepts several imports as one snippet and
     * compiles them once, which cuts cold start by about a second against one snippet each;
     * if that combined snippet is rejected, each import is tried alone and failures are skipped.
     */
    public synchronized void importAll(List<String> imports) {
        List<SnippetEvent> events = shell.eval(String.join(" ", imports));
        boolean ok = !events.isEmpty() && events.stream().allMatch(ev -> ev.status() == Snippet.Status.VALID);
        if (ok) return;
        for (SnippetEvent ev : events) shell.drop(ev.snippet());
        for (String imp : imports) shell.eval(imp);
    }

    /** Runs the snippets of a cell in order; returns the last expression's value or NO_VALUE. */
    public synchronized Object eval(String code) throws CellError {
        Object last = NO_VALUE;
        List<int[]> spans = new ArrayList<>();
        List<String> sources = split(code, spans);
        for (int k = 0; k < sources.size(); k++) {
            if (runner.cellStopped()) throw interrupted();
            last = evalSnippet(sources.get(k), code, spans.get(k)[0]);
        }
        return last;
    }

    /** A cell starts: from now until {@link #endCell()} an interrupt ends it, even while JShell compiles. */
    public void beginCell() {
        runner.beginCell();
    }

    public void endCell() {
        runner.endCell();
    }

    private Object evalSnippet(String source, String cell, int offset) throws CellError {
        int tooLong = StringLimit.firstTooLong(source);
        if (tooLong >= 0) throw tooLong(cell, offset + tooLong);
        runner.takeStopped();
        List<DeclarationSnippet> live = liveDeclarations();
        try {
            return evalChecked(source, cell, offset);
        } catch (CellError err) {
            restore(live); // a declaration that failed (to compile or to initialise) replaces nothing
            throw err;
        }
    }

    /** The declarations (variables, methods, classes) that are valid now, in the order they were declared. */
    private List<DeclarationSnippet> liveDeclarations() {
        return shell.snippets().filter(s -> s instanceof DeclarationSnippet && shell.status(s) == Snippet.Status.VALID)
                .map(s -> (DeclarationSnippet) s).toList();
    }

    /**
     * A declaration that fails to compile has already replaced the one of the same name in JShell
     * (int keep = "text"; Foo keep; Foo keep, other; int f() { return "s"; }; class C extends Nope {}),
     * and the dropped placeholder takes what depended on it along. So every declaration that was valid
     * before the snippet and is not now is declared again: classes and methods from their old source
     * (a declaration has no side effects), variables with their old type and the value their old
     * wrapper class still holds (as Object when that type cannot be written or no longer fits).
     */
    private void restore(List<DeclarationSnippet> before) {
        List<DeclarationSnippet> lost = before.stream().filter(s -> shell.status(s) != Snippet.Status.VALID).toList();
        for (DeclarationSnippet s : lost) {
            if (!(s instanceof VarSnippet)) shell.eval(s.source());
        }
        for (DeclarationSnippet s : lost) {
            if (s instanceof VarSnippet) restoreVariable((VarSnippet) s);
        }
    }

    private void restoreVariable(VarSnippet prior) {
        String name = prior.name();
        Object value = runner.variable(name);
        if (value == Evaluator.NO_VALUE) return;
        String type = prior.typeName();
        // an anonymous or intersection type (var x = new Object() {...}) cannot be written in a declaration
        boolean denotable = !type.isEmpty() && !type.contains("<anonymous") && !type.contains("&");
        if (denotable && declareFromStash(type, name, value)) return;
        declareFromStash("Object", name, value);
    }

    private boolean declareFromStash(String type, String name, Object value) {
        Stash.put(name, value);
        List<SnippetEvent> events = shell.eval(type + " " + name + " = (" + type + ") tasklab.jupyter.Stash.take(\"" + name + "\");");
        Stash.take(name);
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null && e.snippet() instanceof VarSnippet && e.status() == Snippet.Status.VALID
                    && e.exception() == null) {
                runner.recordVariable(name);
                return true;
            }
        }
        return false;
    }

    private Object evalChecked(String source, String cell, int offset) throws CellError {
        List<SnippetEvent> events = shell.eval(source);
        if (runner.takeStopped()) throw interrupted();
        Object value = NO_VALUE;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) continue; // updates of dependent snippets
            Snippet s = e.snippet();
            if (e.status() == Snippet.Status.REJECTED) throw compileError(s, cell, offset);
            if (e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED || e.status() == Snippet.Status.RECOVERABLE_DEFINED) {
                if (s instanceof DeclarationSnippet) notDefined((DeclarationSnippet) s, cell, offset);
            }
            if (e.exception() != null) {
                if (runnerWasStopped(e)) throw interrupted();
                throw runtimeError(e.exception());
            }
            if (s instanceof VarSnippet && e.status() == Snippet.Status.VALID) runner.recordVariable(((VarSnippet) s).name());
            String v = e.value();
            Object o = SnippetRunner.isKey(v) ? runner.take(v) : null;
            if (shows(s)) value = o;
        }
        return value;
    }

    /**
     * JShell keeps a declaration it could not fully compile as a "recoverable" placeholder: "Foo x;"
     * with an unknown Foo, but also a declaration whose class could not be written (a string
     * literal over 64 KiB, a method over 64 KiB of code). Such a placeholder is recompiled with
     * every later snippet and poisons them all (every later cell: "cannot find symbol", every
     * variable null). So it is dropped at once, and the cell reports what javac said.
     */
    private void notDefined(DeclarationSnippet s, String cell, int offset) throws CellError {
        List<String> missing = shell.unresolvedDependencies(s).toList();
        boolean errors = shell.diagnostics(s).anyMatch(Diag::isError);
        CellError err;
        if (errors) {
            err = compileError(s, cell, offset);
        } else if (!missing.isEmpty()) {
            String what = String.join(", ", missing);
            List<String> tb = new ArrayList<>();
            tb.add("cannot find symbol: " + what);
            tb.add("    " + s.source().trim());
            err = new CellError("CompilationException", "cannot find symbol: " + what, Imports.hint(shell, missing, tb));
        } else {
            err = new CellError("CompilationException", TOO_LARGE, List.of(TOO_LARGE, "    " + abbreviate(s.source().trim())));
        }
        shell.drop(s);
        throw err;
    }

    static final String TOO_LARGE = "this declaration cannot be compiled: a string literal over 64 KiB or code over 64 KiB"
            + " (the class file limits); read such data from a file instead,"
            + " e.g. String text = Files.readString(Path.of(\"data.txt\"));";

    private static CellError tooLong(String cell, int at) {
        int line = 1;
        for (int k = 0; k < at && k < cell.length(); k++) if (cell.charAt(k) == '\n') line++;
        String msg = "a string constant over 64 KiB cannot be compiled (a class file limit); read such data from a file"
                + " instead, e.g. String text = Files.readString(Path.of(\"data.txt\"));";
        return new CellError("CompilationException", msg, List.of("cell line " + line + ": " + msg));
    }

    static String abbreviate(String s) {
        String first = s.lines().findFirst().orElse("");
        return first.length() > 120 ? first.substring(0, 120) + " ..." : first;
    }

    private static boolean runnerWasStopped(SnippetEvent e) {
        String cls = e.exception() instanceof EvalException
                ? ((EvalException) e.exception()).getExceptionClassName() : e.exception().getClass().getName();
        return cls.endsWith("ThreadDeath") || cls.equals(CellStop.Stopped.class.getName()) || cls.contains("StoppedException");
    }

    static CellError interrupted() {
        return new CellError("InterruptedException", "interrupted by the user", List.of("InterruptedException: cell interrupted by the user"));
    }

    /** Only expressions show a result (as in IJava), not declarations or statements. */
    private static boolean shows(Snippet s) {
        return s.kind() == Snippet.Kind.EXPRESSION
                || s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    private CellError runtimeError(Exception ex) {
        if (ex instanceof UnresolvedReferenceException) {
            Snippet s = ((UnresolvedReferenceException) ex).getSnippet();
            String msg = "attempted to use " + s.kind().toString().toLowerCase(Locale.ROOT) + " that has unresolved references: "
                    + String.join(", ", shell.unresolvedDependencies((DeclarationSnippet) s).toList());
            return new CellError("UnresolvedReferenceException", msg, List.of("UnresolvedReferenceException: " + msg));
        }
        return Tracebacks.of(ex, this::snippetName);
    }

    /** "19" (JShell's file name for snippet 19) -> the method or class it declared, or null. */
    String snippetName(String id) {
        return shell.snippets().filter(s -> s.id().equals(id)).findFirst()
                .map(s -> s instanceof DeclarationSnippet ? ((DeclarationSnippet) s).name() : null).orElse(null);
    }

    private CellError compileError(Snippet s, String cell, int offset) {
        List<String> tb = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        String first = null;
        for (Diag d : shell.diagnostics(s).toList()) {
            if (!d.isError()) continue;
            String msg = Imports.clean(d.getMessage(Locale.ROOT));
            if (msg.contains("constant string too long") || msg.contains("code too large")) msg = msg + "; " + TOO_LARGE;
            missing.addAll(Imports.missingTypes(msg));
            if (first == null) first = msg;
            int pos = d.getStartPosition() < 0 ? 0 : (int) Math.min(d.getStartPosition(), s.source().length());
            int abs = offset + Math.min(pos, Math.max(0, cell.length() - offset));
            int lineNo = 1;
            for (int k = 0; k < abs && k < cell.length(); k++) if (cell.charAt(k) == '\n') lineNo++;
            int ls = cell.lastIndexOf('\n', Math.max(0, abs - 1)) + 1;
            if (abs == 0) ls = 0;
            int le = cell.indexOf('\n', abs);
            if (le < 0) le = cell.length();
            // a pasted line can be 100,000 characters: show at most 80 on either side of the caret
            int from = Math.max(Math.min(ls, le), abs - 80);
            int to = Math.max(from, Math.min(le, abs + 80));
            tb.add("cell line " + lineNo + ": " + msg);
            tb.add("    " + (from > ls ? "..." : "") + cell.substring(from, to) + (to < le ? "..." : ""));
            tb.add("    " + (from > ls ? "   " : "") + " ".repeat(Math.max(0, abs - from)) + "^");
        }
        if (first == null) {
            first = "rejected: " + s.source().trim();
            tb.add(first);
        }
        return new CellError("CompilationException", first, Imports.hint(shell, new ArrayList<>(missing), tb));
    }

    /**
     * Splits a cell into JShell snippets; spans gets [start, end) of each in the cell.
     * Throws when the cell ends in the middle of a statement.
     */
    List<String> split(String code, List<int[]> spans) throws CellError {
        if (oneSnippet(code)) {
            // no JShell completeness analysis for a one-liner such as `1 + 1` or `chart`: on a cold
            // kernel it costs tens of ms, and its first use starts JShell's class path indexer
            // (completion) on the second core while the first cell compiles
            String source = code.strip();
            int start = code.indexOf(source);
            spans.add(new int[] {start, start + source.length()});
            return List.of(source + ";"); // what JShell's analysis gives for it too (COMPLETE_WITH_SEMI)
        }
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        List<String> out = new ArrayList<>();
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            int start = code.length() - rest.length();
            if (!ci.completeness().isComplete()) {
                if (ci.completeness() == Completeness.EMPTY) break;
                // Let JShell compile it anyway: it gives a precise message with a position.
                out.add(rest);
                spans.add(new int[] {start, code.length()});
                break;
            }
            out.add(ci.source());
            String remaining = ci.remaining();
            spans.add(new int[] {start, code.length() - remaining.length()});
            if (remaining.length() >= rest.length()) break;
            rest = remaining;
        }
        return out;
    }

    /**
     * A cell that is certainly one complete snippet lacking only its semicolon: one line without `;`,
     * braces, comments, quotes or annotations, ending in a name, a number, `)` or `]` (`1 + 1`,
     * `int x = 3`, `chart`, `Math.max(a, b)`). Anything else (`y++`, `int z =`, two statements)
     * goes through JShell's analysis.
     */
    static boolean oneSnippet(String code) {
        String c = code.strip();
        if (c.isEmpty()) return false;
        int w = 0;
        while (w < c.length() && Character.isJavaIdentifierPart(c.charAt(w))) w++;
        // `while (x > 0)` or `class A` alone is an unfinished statement: with a `;` added it would be an
        // empty loop or a different error, so a line that starts a block-taking statement or a
        // declaration with modifiers goes through JShell's analysis (which says it is incomplete)
        if (BODY_KEYWORDS.contains(c.substring(0, w))) return false;
        char last = c.charAt(c.length() - 1);
        if (!(Character.isLetterOrDigit(last) || last == '_' || last == '$' || last == ')' || last == ']')) return false;
        for (int k = 0; k < c.length(); k++) {
            char ch = c.charAt(k);
            if (ch == ';' || ch == '{' || ch == '}' || ch == '\n' || ch == '\r' || ch == '"' || ch == '\'' || ch == '@'
                    || ch == '/' && k + 1 < c.length() && (c.charAt(k + 1) == '/' || c.charAt(k + 1) == '*')) return false;
        }
        return true;
    }

    private static final Set<String> BODY_KEYWORDS = Set.of("if", "else", "while", "do", "for", "switch", "synchronized",
            "try", "catch", "finally", "case", "default", "class", "interface", "enum", "record", "public", "private",
            "protected", "static", "abstract", "final", "sealed", "non", "strictfp", "native", "transient", "volatile");

    /** Start offset of the snippet in the cell that contains the cursor. */
    int snippetStart(String code, int cursor) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        int start = 0;
        String rest = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            if (!ci.completeness().isComplete()) return start;
            int end = code.length() - ci.remaining().length();
            if (end >= cursor || ci.remaining().isBlank() || end <= start) return start;
            // skip whitespace so the snippet starts at its first token
            int next = end;
            while (next < code.length() && Character.isWhitespace(code.charAt(next))) next++;
            if (next > cursor) return start;
            start = next;
            rest = code.substring(start);
        }
    }

    /** Completion matches with the replaced range [cursorStart, cursorEnd). */
    public static final class Completion {
        public final List<String> matches;
        public final int cursorStart;
        public final int cursorEnd;

        Completion(List<String> matches, int cursorStart, int cursorEnd) {
            this.matches = matches;
            this.cursorStart = cursorStart;
            this.cursorEnd = cursorEnd;
        }
    }

    public synchronized Completion complete(String code, int cursor) {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        Completion magic = completeMagic(code, cursor);
        if (magic != null) return magic;
        int start = snippetStart(code, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> sugg =
                shell.sourceCodeAnalysis().completionSuggestions(code.substring(start, cursor), cursor - start, anchor);
        int from = start + anchor[0];
        Set<String> typed = new LinkedHashSet<>();
        Set<String> all = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : sugg) {
            all.add(s.continuation());
            if (s.matchesType()) typed.add(s.continuation());
        }
        if (start > 0) {
            // Declarations earlier in this cell are not in JShell's state yet. Members ("t.rowC"):
            // ask again with the cell so far as one block, where those variables have their types.
            String block = "{" + withoutMagics(code.substring(0, cursor));
            int[] a2 = new int[1];
            List<SourceCodeAnalysis.Suggestion> local = suggestionsSafe(() ->
                    shell.sourceCodeAnalysis().completionSuggestions(block, block.length(), a2));
            if (a2[0] - 1 == from) {
                for (SourceCodeAnalysis.Suggestion s : local) {
                    all.add(s.continuation());
                    if (s.matchesType()) typed.add(s.continuation());
                }
            }
            // Simple names ("abc" -> abcde): JShell does not offer block locals, so list the names
            // the earlier snippets declare (parsed by JShell, not run).
            String prefix = code.substring(from, cursor);
            boolean simple = from == 0 || code.charAt(from - 1) != '.';
            if (simple && prefix.chars().allMatch(Character::isJavaIdentifierPart)) {
                for (String name : declaredBefore(withoutMagics(code.substring(0, start)))) {
                    if (name.startsWith(prefix)) typed.add(name);
                }
            }
        }
        List<String> matches = new ArrayList<>(typed);
        for (String s : all) if (!typed.contains(s)) matches.add(s);
        return new Completion(matches, from, cursor);
    }

    /** Magic lines become blank lines (same offsets) so that the Java around them still parses. */
    private static String withoutMagics(String code) {
        StringBuilder b = new StringBuilder(code.length());
        for (String line : code.split("\n", -1)) {
            if (b.length() > 0) b.append('\n');
            b.append(line.startsWith("%") ? " ".repeat(line.length()) : line);
        }
        return b.toString();
    }

    /** Names of the variables, methods ("name(") and types the given cell text declares. */
    private List<String> declaredBefore(String text) {
        List<String> names = new ArrayList<>();
        try {
            for (Snippet s : shell.sourceCodeAnalysis().sourceToSnippets(text)) {
                if (s instanceof DeclarationSnippet) {
                    String n = ((DeclarationSnippet) s).name();
                    names.add(s.kind() == Snippet.Kind.METHOD ? n + "(" : n);
                }
            }
        } catch (RuntimeException e) {
            // a cell that does not parse yet offers no names
        }
        return names;
    }

    private static List<SourceCodeAnalysis.Suggestion> suggestionsSafe(java.util.function.Supplier<List<SourceCodeAnalysis.Suggestion>> f) {
        try {
            return f.get();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** "%cl" -> classpath, "%%ti" -> time: the magic names, when the cursor is in one. */
    private static Completion completeMagic(String code, int cursor) {
        int ls = code.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        if (cursor == 0) ls = 0;
        String line = code.substring(ls, cursor);
        if (!line.matches("%%?\\w*")) return null;
        boolean cell = line.startsWith("%%");
        String typed = line.substring(cell ? 2 : 1);
        List<String> matches = new ArrayList<>();
        for (String name : cell ? Magics.CELL : Magics.LINE) if (name.startsWith(typed)) matches.add(name);
        return new Completion(matches, ls + (cell ? 2 : 1), cursor);
    }

    /** Signature and javadoc of the symbol at the cursor, or null when nothing is found. */
    public synchronized String inspect(String code, int cursor) {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        int start = snippetStart(code, cursor);
        String snippet = code.substring(start);
        int c = cursor - start;
        List<SourceCodeAnalysis.Documentation> docs = documentation(snippet.substring(0, c), c);
        if (docs.isEmpty()) {
            // Cursor right after a method name ("Math.max|"): JShell documents calls, so ask for "Math.max(".
            int e = c;
            while (e < snippet.length() && Character.isJavaIdentifierPart(snippet.charAt(e))) e++;
            String upTo = snippet.substring(0, e) + "(";
            docs = documentation(upTo, upTo.length());
        }
        if (docs.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            b.append(d.signature()).append('\n');
            String javadoc = d.javadoc();
            if ((javadoc == null || javadoc.isBlank()) && d.signature().contains("tasklab.")) javadoc = SourceDocs.forSignature(d.signature());
            if (javadoc != null && !javadoc.isBlank()) b.append(JavadocText.render(javadoc)).append("\n\n");
            else b.append('\n');
        }
        return b.toString().trim();
    }

    private List<SourceCodeAnalysis.Documentation> documentation(String input, int cursor) {
        try {
            return shell.sourceCodeAnalysis().documentation(input, cursor, true);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** Jupyter is_complete status: complete, incomplete or invalid. */
    public synchronized String isComplete(String code) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        String rest = code;
        while (true) {
            if (rest.isBlank()) return "complete";
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            switch (ci.completeness()) {
                case COMPLETE:
                case COMPLETE_WITH_SEMI:
                    if (ci.remaining().length() >= rest.length()) return "complete";
                    rest = ci.remaining();
                    continue;
                case EMPTY:
                    return "complete";
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return "incomplete";
                default:
                    return "invalid";
            }
        }
    }

    /**
     * The background warm-up's use of JShell's compiler: completion at the end of the code (attributes
     * it, changes no state). Synchronized like every other use of the shell (JShell is not thread-safe:
     * the kernel's shell thread and the warm-up thread take turns).
     */
    synchronized void warmCompletion(String code) {
        shell.sourceCodeAnalysis().completionSuggestions(code, code.length(), new int[1]);
    }

    /** Stops the running cell; variables stay (not synchronized: it must work while eval runs). */
    public boolean interrupt() {
        return runner.interrupt();
    }

    public void close() {
        shell.close();
    }
}
