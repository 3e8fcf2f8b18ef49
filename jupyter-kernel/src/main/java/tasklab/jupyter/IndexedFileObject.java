package tasklab.jupyter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.zip.ZipEntry;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.tools.JavaFileObject;

/**
 * A class file in a class path jar, listed by {@link ClassPathIndex}: named as javac names its own
 * jar entries ({@code /lib/x.jar(/a/b/C.class)}, URI {@code jar:file:/lib/x.jar!/a/b/C.class}), read
 * from the jar entry javac would read (in a multi-release jar, the versioned one).
 */
final class IndexedFileObject implements JavaFileObject {
    private final ClassPathIndex index;
    private final int jar;
    /** a/b/C.class: the path javac shows. */
    private final String path;
    /** The entry read: path, or META-INF/versions/N/path in a multi-release jar. */
    private final String entry;
    private final Kind kind;

    IndexedFileObject(ClassPathIndex index, int jar, String path, String entry) {
        this.index = index;
        this.jar = jar;
        this.path = path;
        this.entry = entry;
        this.kind = path.endsWith(".class") ? Kind.CLASS : path.endsWith(".java") ? Kind.SOURCE : path.endsWith(".html") ? Kind.HTML
                : Kind.OTHER;
    }

    /** As javac infers it: the path without its extension, '/' as '.' (a.b.C, a.b.C$D, a.b.messages for a resource). */
    String binaryName() {
        int dot = path.lastIndexOf('.');
        return (dot < 0 ? path : path.substring(0, dot)).replace('/', '.');
    }

    boolean belongsTo(ClassPathIndex i) {
        return index == i;
    }

    @Override public Kind getKind() {
        return kind;
    }

    @Override public boolean isNameCompatible(String simpleName, Kind kind) {
        if (kind != this.kind) return false;
        String base = simpleName + kind.extension;
        return path.equals(base) || path.endsWith("/" + base);
    }

    @Override public NestingKind getNestingKind() {
        return null;
    }

    @Override public Modifier getAccessLevel() {
        return null;
    }

    @Override public URI toUri() {
        return jarUri(index.jars.get(jar), index.uriNamesEntry ? entry : path);
    }

    /** javac's URI for a jar entry: jar:file:/lib/x.jar!/a/b/C.class. */
    static URI jarUri(java.nio.file.Path jar, String path) {
        try {
            return new URI("jar:" + jar.toUri().normalize() + "!/" + path);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public String getName() {
        return index.jars.get(jar) + "(/" + path + ")";
    }

    @Override public InputStream openInputStream() throws IOException {
        ZipEntry e = index.zip(jar).getEntry(entry);
        if (e == null) throw new IOException("no longer in " + index.jars.get(jar) + ": " + entry);
        return index.zip(jar).getInputStream(e);
    }

    @Override public OutputStream openOutputStream() {
        throw new UnsupportedOperationException("a class path jar is read-only");
    }

    @Override public Reader openReader(boolean ignoreEncodingErrors) throws IOException {
        return new java.io.StringReader(getCharContent(ignoreEncodingErrors).toString());
    }

    /** A resource's text (javac reads none of them from a class path; class files have none). */
    @Override public CharSequence getCharContent(boolean ignoreEncodingErrors) throws IOException {
        if (kind == Kind.CLASS) throw new UnsupportedOperationException("a class file has no characters");
        try (InputStream in = openInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override public Writer openWriter() {
        throw new UnsupportedOperationException("a class path jar is read-only");
    }

    @Override public long getLastModified() {
        try {
            ZipEntry e = index.zip(jar).getEntry(entry);
            return e == null ? 0 : e.getLastModifiedTime().toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override public boolean delete() {
        return false;
    }

    @Override public boolean equals(Object o) {
        return o instanceof IndexedFileObject && ((IndexedFileObject) o).index == index && ((IndexedFileObject) o).jar == jar
                && ((IndexedFileObject) o).entry.equals(entry);
    }

    @Override public int hashCode() {
        return jar * 31 + entry.hashCode();
    }

    @Override public String toString() {
        return "JarFileObject[" + index.jars.get(jar) + ":/" + path + "]";
    }
}
