package tasklab.jupyter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class path index lists exactly what javac's own file manager lists - every package, every kind
 * of file, in the same order, with the same names, binary names, URIs and bytes (multi-release jars
 * included) - and javac compiles through it as through its own; it steps aside when the class path
 * or a jar changes.
 */
class ClassPathIndexTest {
    /** The test JVM's jars: Tablesaw, XChart, fastutil, guava, icu4j, jackson-core (multi-release), kernel-sim ... */
    static List<String> jars;
    static Path indexFile;

    @BeforeAll
    static void index(@TempDir Path dir) throws Exception {
        jars = new ArrayList<>();
        for (String e : Evaluator.jvmClasspath()) if (e.endsWith(".jar") && new File(e).isFile()) jars.add(e);
        assertTrue(jars.size() > 20, jars.toString());
        indexFile = dir.resolve(ClassPathIndex.FILE_NAME);
        Files.write(indexFile, ClassPathIndex.build(jars));
    }

    private static StandardJavaFileManager javacs() throws Exception {
        StandardJavaFileManager std = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, StandardCharsets.UTF_8);
        std.handleOption("--multi-release", List.of(Integer.toString(Runtime.version().feature())).iterator());
        std.handleOption("-classpath", List.of(String.join(File.pathSeparator, jars)).iterator());
        return std;
    }

    private static IndexedFileManager indexed() throws Exception {
        ClassPathIndex index = ClassPathIndex.load(indexFile);
        assertNotNull(index, "a fresh index loads");
        return new IndexedFileManager(javacs(), index);
    }

    @Test
    void everyPackageIsListedAsJavacListsIt() throws Exception {
        try (StandardJavaFileManager std = javacs(); IndexedFileManager fm = indexed()) {
            fm.handleOption("--multi-release", List.of(Integer.toString(Runtime.version().feature())).iterator());
            Set<String> packages = new TreeSet<>();
            for (JavaFileObject f : std.list(StandardLocation.CLASS_PATH, "", ClassPathIndex.KINDS, true)) {
                String bn = std.inferBinaryName(StandardLocation.CLASS_PATH, f);
                packages.add(bn.lastIndexOf('.') < 0 ? "" : bn.substring(0, bn.lastIndexOf('.')));
            }
            packages.add("no.such.pkg");
            assertTrue(packages.size() > 300, "packages: " + packages.size());
            int files = 0;
            int versioned = 0;
            for (String pkg : packages) {
                for (Set<JavaFileObject.Kind> kinds : List.of(ClassPathIndex.KINDS, Set.of(JavaFileObject.Kind.CLASS, JavaFileObject.Kind.SOURCE))) {
                    List<JavaFileObject> theirs = new ArrayList<>();
                    std.list(StandardLocation.CLASS_PATH, pkg, kinds, false).forEach(theirs::add);
                    List<JavaFileObject> ours = new ArrayList<>();
                    fm.list(StandardLocation.CLASS_PATH, pkg, kinds, false).forEach(ours::add);
                    assertEquals(theirs.size(), ours.size(), pkg);
                    for (int i = 0; i < ours.size(); i++) {
                        JavaFileObject t = theirs.get(i);
                        JavaFileObject o = ours.get(i);
                        assertTrue(o instanceof IndexedFileObject, "listed from the index: " + o);
                        assertEquals(t.getName(), o.getName());
                        assertEquals(t.getKind(), o.getKind(), t.getName());
                        assertEquals(t.toUri(), o.toUri());
                        assertEquals(std.inferBinaryName(StandardLocation.CLASS_PATH, t), fm.inferBinaryName(StandardLocation.CLASS_PATH, o));
                        String simple = t.getName().replaceAll(".*/([^/.]*)\\..*", "$1");
                        assertEquals(t.isNameCompatible(simple, t.getKind()), o.isNameCompatible(simple, o.getKind()), t.getName());
                        files++;
                        // the bytes: all of a multi-release jar, a sample of the rest (reading 50,000 entries twice is slow)
                        boolean mr = o.toString().contains("jackson-core") || o.toString().contains("junit-platform-commons");
                        if (mr || files % 97 == 0) {
                            try (InputStream a = t.openInputStream(); InputStream b = o.openInputStream()) {
                                assertArrayEquals(a.readAllBytes(), b.readAllBytes(), t.getName());
                            }
                            if (mr) versioned++;
                        }
                    }
                }
            }
            assertTrue(files > 20_000, "files compared: " + files);
            // the evaluator's imports ask the index which packages exist: the same answer as the class path
            ClassPathIndex index = ClassPathIndex.load(indexFile);
            for (String p : Startup.LIBRARIES) assertEquals(Startup.present(p), index.hasPackage(p), p);
            assertTrue(index.hasPackage("tech.tablesaw.api") && !index.hasPackage("tech.tablesaw.nonexistent"));
            assertTrue(versioned > 0, "multi-release entries compared");
        }
    }

    @Test
    void javacCompilesThroughTheIndexAsThroughItsOwnListing() throws Exception {
        String src = "import tech.tablesaw.api.*;\nimport org.knowm.xchart.*;\nimport tasklab.lab.*;\n"
                + "class Probe { Table t = Table.create(\"x\"); it.unimi.dsi.fastutil.ints.IntArrayList l = new it.unimi.dsi.fastutil.ints.IntArrayList();"
                + " XYChart c = new XYChartBuilder().build(); com.google.common.collect.ImmutableList<String> g; }";
        String bad = "class Bad { Tabel t; com.nope.Thing u; java.util.List<Integer> ok; }";
        for (String code : List.of(src, bad)) {
            String viaJavac;
            try (StandardJavaFileManager std = javacs()) {
                viaJavac = compile(std, code);
            }
            try (IndexedFileManager fm = indexed()) {
                String viaIndex = compile(fm, code);
                assertEquals(viaJavac, viaIndex, "same diagnostics");
                assertTrue(fm.listedFromIndex() > 2, "javac listed packages from the index: " + fm.listedFromIndex());
            }
        }
    }

    /** The diagnostics of compiling one class (empty when it compiles), class files discarded. */
    private static String compile(StandardJavaFileManager fm, String code) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        String name = code.startsWith("class Bad") ? "Bad" : "Probe";
        JavaFileObject source = new SimpleJavaFileObject(java.net.URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
        Path out = Files.createTempDirectory("probe");
        javac.getTask(new StringWriter(), fm, diags, List.of("-proc:none", "-d", out.toString()), null, List.of(source)).call();
        StringBuilder b = new StringBuilder();
        diags.getDiagnostics().forEach(d -> b.append(d.getKind()).append(' ').append(d.getLineNumber()).append(':')
                .append(d.getColumnNumber()).append(' ').append(d.getMessage(null)).append('\n'));
        return b.toString();
    }

    @Test
    void aChangedClassPathOrJarIsListedByJavacItself(@TempDir Path dir) throws Exception {
        try (IndexedFileManager fm = indexed()) {
            fm.handleOption("--multi-release", List.of(Integer.toString(Runtime.version().feature())).iterator());
            assertTrue(fm.list(StandardLocation.CLASS_PATH, "tech.tablesaw.api", ClassPathIndex.KINDS, false).iterator().next()
                    instanceof IndexedFileObject);
            // %jars adds a jar: javac's own listing from then on
            fm.handleOption("-classpath", List.of(String.join(File.pathSeparator, jars) + File.pathSeparator + dir).iterator());
            JavaFileObject f = fm.list(StandardLocation.CLASS_PATH, "tech.tablesaw.api", ClassPathIndex.KINDS, false).iterator().next();
            assertFalse(f instanceof IndexedFileObject, f.toString());
            // another release's view of multi-release jars: javac's own listing too
            fm.handleOption("-classpath", List.of(String.join(File.pathSeparator, jars)).iterator());
            fm.handleOption("--multi-release", List.of("11").iterator());
            assertFalse(fm.list(StandardLocation.CLASS_PATH, "tech.tablesaw.api", ClassPathIndex.KINDS, false).iterator().next()
                    instanceof IndexedFileObject);
        }
        // a jar that is not the one indexed: the index is not used at all
        Path copy = dir.resolve("idx");
        Files.writeString(copy, Files.readString(indexFile, StandardCharsets.UTF_8).replaceFirst("jar\t(\\d+)\t", "jar\t1$1\t"),
                StandardCharsets.UTF_8);
        assertNull(ClassPathIndex.load(copy));
        assertNull(ClassPathIndex.load(dir.resolve("missing")));
        Files.writeString(copy, "something else\n");
        assertNull(ClassPathIndex.load(copy));
    }

    @Test
    void aSourceFileOrDirectoryOnTheClassPathGetsNoIndex(@TempDir Path dir) throws Exception {
        Path pkg = Files.createDirectories(dir.resolve("p"));
        Files.writeString(pkg.resolve("A.java"), "package p; class A {}");
        assertThrows(() -> ClassPathIndex.build(List.of(jars.get(0), dir.toString())));
    }

    private static void assertThrows(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, e);
    }
}
