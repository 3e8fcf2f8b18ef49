package tasklab.jupyter;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * The class files of the kernel's class path jars, package by package, exactly as javac's own file
 * manager lists them - recorded once, when the kernelspec is installed, so that JShell's compiler
 * need not open and walk every jar before its first compile. javac's standard file manager indexes
 * a class path by opening each jar as a zip file system and visiting every entry (29 jars and
 * 26,000 entries here, fastutil alone 12,800): a quarter of the JShell thread's CPU before the
 * first result. This file is read instead, and a package's block only when javac asks for it.
 *
 * <p>Made by {@code install-kernelspec} ({@code java -cp CLASSPATH tasklab.jupyter.ClassPathIndex
 * FILE}) from javac's own listing of every package, for this JDK's release (multi-release jars
 * resolved as javac resolves them). Used only while it still describes the class path: the same
 * jars in the same order, each with the size and modification time it had, the same release;
 * anything else and javac's file manager does the listing itself ({@link IndexedFileManager}).
 */
final class ClassPathIndex {
    /** Beside jupyter-kernel.jar in the kernelspec's lib directory. */
    static final String FILE_NAME = "classpath.idx";
    private static final String MAGIC = "tasklab-classpath-index 1";
    /** javac lists every kind of file (a package with resources is marked as such) and keeps the class files. */
    static final Set<JavaFileObject.Kind> KINDS = EnumSet.allOf(JavaFileObject.Kind.class);

    /** The release javac reads multi-release jars for (javac's --multi-release value: this JDK's feature version). */
    final String release;
    /** Whether javac's URI of a multi-release entry names the versioned entry (JDK 25) or the path (JDK 17). */
    final boolean uriNamesEntry;
    /** The class path, as javac's file manager holds it. */
    final List<Path> jars;
    private final byte[] data;
    /** package name -> [start, end) of its lines in data. */
    private final Map<String, int[]> blocks;
    private final Map<String, List<JavaFileObject>> listed = new ConcurrentHashMap<>();
    private final ZipFile[] zips;

    private ClassPathIndex(String release, boolean uriNamesEntry, List<Path> jars, byte[] data, Map<String, int[]> blocks) {
        this.release = release;
        this.uriNamesEntry = uriNamesEntry;
        this.jars = jars;
        this.data = data;
        this.blocks = blocks;
        this.zips = new ZipFile[jars.size()];
    }

    /** The index file of this JVM's kernelspec: classpath.idx beside jupyter-kernel.jar on the class path, or null. */
    static Path besideKernelJar(List<String> classpath) {
        for (String e : classpath) {
            if (e.endsWith("jupyter-kernel.jar")) {
                Path p = Path.of(e).resolveSibling(FILE_NAME);
                return Files.isRegularFile(p) ? p : null;
            }
        }
        return null;
    }

    /**
     * Reads an index and checks every jar it names (size, modification time); null when the file is
     * missing, unreadable, of another format, or any jar has changed since it was made.
     */
    static ClassPathIndex load(Path file) {
        try {
            byte[] data;
            // not Files.readAllBytes: it reads through a zeroed temporary direct buffer as big as the file
            try (java.io.FileInputStream in = new java.io.FileInputStream(file.toFile())) {
                data = in.readAllBytes();
            }
            int pos = 0;
            String release = null;
            boolean uriNamesEntry = false;
            List<Path> jars = new ArrayList<>();
            Map<String, int[]> blocks = new HashMap<>();
            boolean magic = false;
            while (pos < data.length) {
                int eol = indexOf(data, (byte) '\n', pos);
                if (eol < 0) return null;
                String line = new String(data, pos, eol - pos, StandardCharsets.UTF_8);
                pos = eol + 1;
                if (!magic) {
                    if (!line.equals(MAGIC)) return null;
                    magic = true;
                } else if (line.equals("end")) {
                    break;
                } else if (line.startsWith("release\t")) {
                    release = line.substring(8);
                } else if (line.startsWith("uri\t")) {
                    uriNamesEntry = line.equals("uri\tentry");
                } else if (line.startsWith("jar\t")) {
                    String[] f = line.split("\t", 4);
                    File jar = new File(f[3]);
                    // a jar replaced since the index was made: javac lists it itself
                    if (jar.length() != Long.parseLong(f[1]) || jar.lastModified() != Long.parseLong(f[2])) return null;
                    jars.add(jar.toPath());
                } else if (line.startsWith("package\t")) {
                    String[] f = line.split("\t", 4);
                    blocks.put(f[1].equals("-") ? "" : f[1], new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])});
                } else {
                    return null;
                }
            }
            if (release == null || jars.isEmpty()) return null;
            // block offsets are relative to the first byte after "end"
            int base = pos;
            for (int[] b : blocks.values()) {
                b[0] += base;
                b[1] += base;
                if (b[1] > data.length || b[0] > b[1]) return null;
            }
            return new ClassPathIndex(release, uriNamesEntry, List.copyOf(jars), data, blocks);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) if (a[i] == b) return i;
        return -1;
    }

    /** Whether any jar has files in this package (Startup's imports of the packages present). */
    boolean hasPackage(String pkg) {
        return blocks.containsKey(pkg);
    }

    /** The files of a package in class path order, as javac's list(CLASS_PATH, pkg, kinds, false) gives them. */
    List<JavaFileObject> list(String pkg, Set<JavaFileObject.Kind> kinds) {
        List<JavaFileObject> all = list(pkg);
        if (kinds.containsAll(KINDS)) return all;
        List<JavaFileObject> some = new ArrayList<>();
        for (JavaFileObject f : all) if (kinds.contains(f.getKind())) some.add(f);
        return some;
    }

    private List<JavaFileObject> list(String pkg) {
        List<JavaFileObject> l = listed.get(pkg);
        if (l != null) return l;
        int[] b = blocks.get(pkg);
        if (b == null) {
            l = List.of();
        } else {
            List<JavaFileObject> out = new ArrayList<>();
            String dir = pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/";
            int pos = b[0];
            while (pos < b[1]) {
                int eol = indexOf(data, (byte) '\n', pos);
                String[] f = new String(data, pos, eol - pos, StandardCharsets.UTF_8).split("\t");
                pos = eol + 1;
                String path = dir + f[1];
                out.add(new IndexedFileObject(this, Integer.parseInt(f[0]), path, f.length > 2 ? f[2] : path));
            }
            l = List.copyOf(out);
        }
        listed.put(pkg, l);
        return l;
    }

    /** The jar, opened once (the JDK shares an already opened jar's central directory with the class loader). */
    synchronized ZipFile zip(int jar) throws IOException {
        if (zips[jar] == null) zips[jar] = new ZipFile(jars.get(jar).toFile());
        return zips[jar];
    }

    synchronized void close() {
        for (int i = 0; i < zips.length; i++) {
            try {
                if (zips[i] != null) zips[i].close();
            } catch (IOException ignored) {
                // closing a read-only jar
            }
            zips[i] = null;
        }
    }

    /** install-kernelspec: {@code ClassPathIndex FILE} writes the index of this JVM's class path. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.out.println("usage: java -cp CLASSPATH tasklab.jupyter.ClassPathIndex FILE");
            System.exit(2);
        }
        Files.write(Path.of(args[0]), build(Evaluator.jvmClasspath()));
    }

    /**
     * The index of a class path, made from javac's own listing of it with JShell's settings (javac's
     * default class path plus the same path added, as Evaluator does; --multi-release this release),
     * so it says exactly what javac would. Refuses (IOException) a class path that javac would list
     * differently from an index: an entry that is not a jar, a source file, a name with a tab.
     */
    static byte[] build(List<String> classpath) throws IOException {
        String release = Integer.toString(Runtime.version().feature());
        StandardJavaFileManager std = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, StandardCharsets.UTF_8);
        try {
            std.handleOption("--multi-release", List.of(release).iterator());
            std.handleOption("-classpath", List.of(String.join(File.pathSeparator, classpath)).iterator());
            List<Path> jars = new ArrayList<>();
            for (Path p : std.getLocationAsPaths(StandardLocation.CLASS_PATH)) {
                if (!Files.isRegularFile(p)) throw new IOException("not a jar: " + p);
                jars.add(p);
            }
            Map<String, Integer> jarIndex = new HashMap<>();
            for (int i = 0; i < jars.size(); i++) jarIndex.put(jars.get(i).toString(), i);
            Set<String> packages = new TreeSet<>();
            for (JavaFileObject f : std.list(StandardLocation.CLASS_PATH, "", KINDS, true)) {
                // javac could compile a source file found on the class path; such a class path keeps javac's own listing
                if (f.getKind() == JavaFileObject.Kind.SOURCE) throw new IOException("a source file on the class path: " + f.getName());
                String name = f.getName();
                int slash = name.lastIndexOf('/');
                int open = name.lastIndexOf("(/");
                packages.add(slash <= open + 1 ? "" : name.substring(open + 2, slash).replace('/', '.'));
            }
            JarFile[] versioned = new JarFile[jars.size()];
            Boolean uriNamesEntry = null;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            StringBuilder header = new StringBuilder(MAGIC).append('\n').append("release\t").append(release).append('\n');
            for (Path j : jars) {
                File f = j.toFile();
                header.append("jar\t").append(f.length()).append('\t').append(f.lastModified()).append('\t').append(j).append('\n');
            }
            try {
                for (String pkg : packages) {
                    int start = body.size();
                    String dir = pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/";
                    for (JavaFileObject f : std.list(StandardLocation.CLASS_PATH, pkg, KINDS, false)) {
                        // javac names a jar entry "/path/x.jar(/a/b/C.class)"
                        String name = f.getName();
                        int open = name.lastIndexOf("(/");
                        Integer jar = open < 0 || !name.endsWith(")") ? null : jarIndex.get(name.substring(0, open));
                        String path = jar == null ? null : name.substring(open + 2, name.length() - 1);
                        if (path == null || !path.startsWith(dir) || path.indexOf('/', dir.length()) >= 0
                                || path.indexOf('\t') >= 0 || path.indexOf('\n') >= 0) {
                            throw new IOException("unexpected class path entry: " + name);
                        }
                        String real = realEntry(versioned, jars, jar, path, release);
                        // what the kernel will answer for it is what javac answers
                        IndexedFileObject listed = new IndexedFileObject(null, jar, path, real);
                        if (!listed.binaryName().equals(std.inferBinaryName(StandardLocation.CLASS_PATH, f)) || listed.getKind() != f.getKind()) {
                            throw new IOException("not listed as javac lists it: " + name);
                        }
                        URI uri = f.toUri();
                        boolean byPath = uri.equals(IndexedFileObject.jarUri(jars.get(jar), path));
                        if (!real.equals(path)) {
                            boolean byEntry = uri.equals(IndexedFileObject.jarUri(jars.get(jar), real));
                            if (!byPath && !byEntry || uriNamesEntry != null && uriNamesEntry != byEntry) {
                                throw new IOException("javac's URI for " + name + ": " + uri);
                            }
                            uriNamesEntry = byEntry;
                        } else if (!byPath) {
                            throw new IOException("javac's URI for " + name + ": " + uri);
                        }
                        if (!real.equals(path)) {
                            // a multi-release jar: check that the entry chosen here is the one javac reads
                            try (InputStream mine = versioned[jar].getInputStream(versioned[jar].getEntry(real));
                                 InputStream javacs = f.openInputStream()) {
                                if (!Arrays.equals(mine.readAllBytes(), javacs.readAllBytes())) {
                                    throw new IOException("multi-release entry differs: " + name);
                                }
                            }
                        }
                        String line = jar + "\t" + path.substring(dir.length()) + (real.equals(path) ? "" : "\t" + real) + "\n";
                        body.writeBytes(line.getBytes(StandardCharsets.UTF_8));
                    }
                    header.append("package\t").append(pkg.isEmpty() ? "-" : pkg).append('\t').append(start).append('\t')
                            .append(body.size()).append('\n');
                }
            } finally {
                for (JarFile j : versioned) if (j != null) j.close();
            }
            header.append("uri\t").append(Boolean.TRUE.equals(uriNamesEntry) ? "entry" : "path").append('\n').append("end\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body.toByteArray());
            return out.toByteArray();
        } finally {
            std.close();
        }
    }

    /** The jar entry javac reads for a path: in a multi-release jar, the newest META-INF/versions/N/ copy with N <= release. */
    private static String realEntry(JarFile[] versioned, List<Path> jars, int jar, String path, String release) throws IOException {
        if (versioned[jar] == null) {
            versioned[jar] = new JarFile(jars.get(jar).toFile(), false, ZipFile.OPEN_READ, Runtime.Version.parse(release));
        }
        ZipEntry e = versioned[jar].getJarEntry(path);
        if (e == null) throw new IOException("not in " + jars.get(jar) + ": " + path);
        return ((java.util.jar.JarEntry) e).getRealName();
    }
}
