package tasklab.jupyter;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import tasklab.lab.Sim;
import tasklab.lab.Snapshot;
import tech.tablesaw.api.Table;

/**
 * %sim: the most recent simulation ({@link Sim#latest()}): its tasks (ps), the counters that are
 * not zero (vmstat), and what changed since the previous %sim. %doc: the javadoc of the lab's
 * classes and methods, read from the sources kernel-sim carries in its jar (tasklab-src/), since
 * JShell only knows the JDK's own sources.
 */
final class SimInfo {
    private SimInfo() {}

    private static Sim lastSim;
    private static Snapshot lastSnapshot;
    private static int calls;

    /** What %sim shows: text/plain and text/html. */
    static synchronized DisplayData describe() {
        Sim sim = Sim.latest();
        if (sim == null) {
            String s = "No simulation yet. Boot one, e.g. var sim = Sim.boot(); then %sim shows its tasks, counters and what changed since the last %sim.";
            return DisplayData.text(s).put("text/html", "<p>" + Renderers.escapeHtml(s) + "</p>");
        }
        calls++;
        Snapshot now = sim.snapshot("%sim #" + calls);
        Table ps = sim.ps();
        Table vm = sim.vmstat();
        vm = vm.where(vm.longColumn("total").isGreaterThan(0));
        vm.setName("vmstat (counters that are not zero)");
        Table changes = null;
        String since;
        if (sim == lastSim && lastSnapshot != null) {
            changes = sim.diff(lastSnapshot, now);
            changes.setName("changes since " + lastSnapshot.label());
            since = changes.rowCount() == 0 ? "Nothing changed since " + lastSnapshot.label() + "." : null;
        } else {
            since = lastSim == null ? "First %sim: the next one lists what changed since this one."
                : "A new simulation was booted since the last %sim: the next %sim lists what changed.";
        }
        lastSim = sim;
        lastSnapshot = now;
        String head = String.format(Locale.ROOT, "%s (t = %.2f \u00b5s)", sim, sim.nowMicros());
        StringBuilder text = new StringBuilder(head).append("\n\n").append(ps.printAll()).append("\n\n").append(vm.printAll()).append("\n\n");
        StringBuilder html = new StringBuilder("<div class=\"tasklab-sim\">\n<p><b>").append(Renderers.escapeHtml(head)).append("</b></p>\n");
        TableRenderer tables = new TableRenderer();
        html.append(tables.render(ps, Set.of()).data.get("text/html"));
        html.append(tables.render(vm, Set.of()).data.get("text/html"));
        if (changes != null && changes.rowCount() > 0) {
            text.append(changes.printAll());
            html.append(tables.render(changes, Set.of()).data.get("text/html"));
        } else {
            text.append(since);
            html.append("<p>").append(Renderers.escapeHtml(since)).append("</p>\n");
        }
        html.append("</div>\n");
        return DisplayData.text(text.toString()).put("text/html", html.toString());
    }

    // ---- %doc ----

    private static final Pattern QUALIFIED = Pattern.compile("\\b([A-Z][A-Za-z0-9_]*)\\.([a-z][A-Za-z0-9_]*)\\(");

    /**
     * The lab javadoc for {@code what} ("Sim", "Sim.cow", or "sim.cow" resolved through JShell's
     * signature {@code jshellDoc}), an overview of the lab for an empty argument, or null when
     * {@code what} is not a lab name.
     */
    static String labDoc(String what, String jshellDoc) {
        String w = what.trim();
        if (w.isEmpty()) return overview();
        String cls = null, member = null;
        Matcher q = Pattern.compile("^([A-Z][A-Za-z0-9_]*)(?:\\.([A-Za-z0-9_]+))?\\(?\\)?$").matcher(w);
        if (q.matches()) {
            cls = q.group(1);
            member = q.group(2);
        } else if (jshellDoc != null) {
            Matcher m = QUALIFIED.matcher(jshellDoc);
            if (m.find()) { cls = m.group(1); member = m.group(2); }
        }
        if (cls == null) return null;
        String src = source(cls);
        if (src == null) return null;
        List<String[]> docs = docs(cls, src);
        StringBuilder b = new StringBuilder();
        for (String[] d : docs) {
            if (member == null ? !d[0].equals(cls) : !d[0].equals(member)) continue;
            b.append(d[1]).append('\n');
            if (!d[2].isBlank()) b.append(d[2]).append('\n');
            b.append('\n');
        }
        if (b.length() == 0) return null;
        if (member == null) {
            b.append("Methods:\n");
            for (String[] d : docs) if (!d[0].equals(cls) && d[1].contains("(")) b.append("  ").append(d[1]).append('\n');
        }
        return b.toString().trim();
    }

    private static String overview() {
        StringBuilder b = new StringBuilder("tasklab.lab: the notebook API. %doc Sim, %doc Sim.cow or %doc sim.cow shows one entry.\n\n");
        for (String cls : List.of("Sim", "SimBuilder", "Proc", "SysResult", "WaitStatus", "LabException", "Snapshot", "TraceFilter", "Step",
                                  "Explanation", "Picture", "TaskTree", "Sharing", "Timeline", "KernelStack", "AddressSpace")) {
            String src = source(cls);
            if (src == null) continue;
            for (String[] d : docs(cls, src)) {
                if (!d[0].equals(cls)) continue;
                String first = d[2].split("(?<=\\.)\\s", 2)[0];
                b.append(String.format(Locale.ROOT, "%-13s %s%n", cls, first));
            }
        }
        return b.toString().trim();
    }

    /** The source of tasklab.lab.NAME from kernel-sim's jar, or null. */
    private static String source(String cls) {
        try (InputStream in = Sim.class.getClassLoader().getResourceAsStream("tasklab-src/tasklab/lab/" + cls + ".java")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** [name, signature, javadoc text] for the class and each public member, parsed by javac. */
    private static List<String[]> docs(String cls, String src) {
        List<String[]> out = new ArrayList<>();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) return out;
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + cls + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override public CharSequence getCharContent(boolean ignore) { return src; }
        };
        try {
            JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
            DocTrees trees = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                new TreePathScanner<Void, Void>() {
                    @Override public Void visitClass(ClassTree t, Void v) {
                        if (t.getModifiers().getFlags().contains(javax.lang.model.element.Modifier.PUBLIC)) {
                            add(getCurrentPath(), t.getSimpleName().toString(), t.getKind().toString().toLowerCase(Locale.ROOT) + " tasklab.lab." + t.getSimpleName());
                            return super.visitClass(t, v);
                        }
                        return null;
                    }

                    @Override public Void visitMethod(MethodTree m, Void v) {
                        if (!m.getModifiers().getFlags().contains(javax.lang.model.element.Modifier.PUBLIC)) return null;
                        String name = m.getName().contentEquals("<init>") ? cls : m.getName().toString();
                        String ret = m.getReturnType() == null ? "" : m.getReturnType() + " ";
                        StringBuilder sig = new StringBuilder(ret).append(cls).append('.').append(name).append('(');
                        for (int i = 0; i < m.getParameters().size(); i++) {
                            VariableTree p = m.getParameters().get(i);
                            sig.append(i == 0 ? "" : ", ").append(p.getType()).append(' ').append(p.getName());
                        }
                        add(getCurrentPath(), name, sig.append(')').toString().replace("[] ", "... ").replace("static ", ""));
                        return null;
                    }

                    @Override public Void visitVariable(VariableTree f, Void v) {
                        if (f.getModifiers().getFlags().contains(javax.lang.model.element.Modifier.PUBLIC)) {
                            add(getCurrentPath(), f.getName().toString(), f.getType() + " " + cls + "." + f.getName());
                        }
                        return null;
                    }

                    private void add(TreePath path, String name, String signature) {
                        DocCommentTree dc = trees.getDocCommentTree(path);
                        out.add(new String[] {name, signature, dc == null ? "" : plain(dc.toString())});
                    }
                }.scan(unit, null);
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** Javadoc as plain text: {@code x} and {@link A#b} become x and A.b, HTML entities and tags go. */
    static String plain(String doc) {
        String s = doc.replaceAll("\\s*\\n\\s*", " ")
            .replaceAll("\\{@(?:code|literal)\\s+([^{}]*(?:\\{[^{}]*\\}[^{}]*)*)\\}", "$1")
            .replaceAll("\\{@link(?:plain)?\\s+([^}#\\s]*)#([^}(\\s]*)(\\([^)]*\\))?[^}]*\\}", "$1.$2$3")
            .replaceAll("\\{@link(?:plain)?\\s+([^}\\s]*)[^}]*\\}", "$1")
            .replaceAll("<[^>]+>", "")
            .replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
        return s.replaceAll("(^|\\s)\\.([a-z])", "$1$2").trim();
    }
}
