package tasklab.jupyter;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Javadoc of kernel-sim's classes for inspect and %doc. JShell finds javadoc only in the JDK's
 * src.zip, so install-kernelspec ships kernel-sim's sources as lib/kernel-sim-sources.zip; the
 * comment of the class, method or field a signature names is read from there with javac's parser
 * (no attribution, a few milliseconds a file).
 */
final class SourceDocs {
    private SourceDocs() {}

    private static final Pattern MEMBER = Pattern.compile("(tasklab(?:\\.[A-Za-z_]\\w*)*?)\\.([A-Z]\\w*)(?:\\.(\\w+|<init>))?(\\(([^)]*)\\))?");
    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();
    private static volatile Path zip = locate();

    /** The javadoc (raw) of the tasklab element a JShell signature names, or null. */
    static String forSignature(String signature) {
        Matcher m = MEMBER.matcher(signature);
        String pkg = null, cls = null, member = null, params = null;
        while (m.find()) { // the last match is the declaration; earlier ones are the return type
            pkg = m.group(1);
            cls = m.group(2);
            member = m.group(3);
            params = m.group(5);
        }
        if (pkg == null) return null;
        String src = source(pkg.replace('.', '/') + "/" + cls + ".java");
        if (src == null) return null;
        return find(src, cls, member, params == null ? -1 : params.isBlank() ? 0 : params.split(",").length);
    }

    private static String source(String path) {
        Path z = zip;
        if (z == null) return null;
        return SOURCES.computeIfAbsent(path, p -> {
            try (ZipFile f = new ZipFile(z.toFile())) {
                ZipEntry e = f.getEntry(p);
                if (e == null) return "";
                try (InputStream in = f.getInputStream(e)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                return "";
            }
        });
    }

    private static String find(String src, String cls, String member, int arity) {
        if (src.isEmpty()) return null;
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        SimpleJavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + cls + ".java"), javax.tools.JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return src;
            }
        };
        JavacTask task = (JavacTask) javac.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
        DocTrees trees = DocTrees.instance(task);
        String[] found = new String[1];
        try {
            for (CompilationUnitTree unit : task.parse()) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitClass(ClassTree t, Void v) {
                        if (member == null && t.getSimpleName().contentEquals(cls) && found[0] == null) take(getCurrentPath());
                        return super.visitClass(t, v);
                    }

                    @Override
                    public Void visitMethod(MethodTree t, Void v) {
                        String name = member == null ? null : member.equals("<init>") ? "<init>" : member;
                        if (name != null && t.getName().contentEquals(name) && found[0] == null
                                && (arity < 0 || t.getParameters().size() == arity)) take(getCurrentPath());
                        return null;
                    }

                    @Override
                    public Void visitVariable(VariableTree t, Void v) {
                        if (member != null && arity < 0 && t.getName().contentEquals(member) && found[0] == null) take(getCurrentPath());
                        return null;
                    }

                    private void take(TreePath p) {
                        DocCommentTree d = trees.getDocCommentTree(p);
                        if (d != null) found[0] = trees.getDocComment(p) == null ? d.toString() : trees.getDocComment(p);
                    }
                }.scan(unit, null);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return found[0];
    }

    /** lib/kernel-sim-sources.zip beside the kernel's jar (a kernelspec install), else none. */
    private static Path locate() {
        try {
            Path jar = Paths.get(SourceDocs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent();
            for (Path p : List.of(dir.resolve("kernel-sim-sources.zip"), dir.resolve("lib").resolve("kernel-sim-sources.zip"))) {
                if (Files.isRegularFile(p)) return p;
            }
        } catch (Exception e) {
            // no sources: inspect shows signatures only
        }
        return null;
    }

    /** Tests and a kernel run from target/ point at a sources zip they made. */
    static void useSources(Path sourcesZip) {
        zip = sourcesZip;
        SOURCES.clear();
    }
}
