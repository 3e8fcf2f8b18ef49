package tasklab.jupyter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * JShell's compiler's file manager (javac's standard one) with the class path listed from a
 * {@link ClassPathIndex} instead of from the jars themselves, while the index describes that class
 * path: the same jars, in the same order, for the multi-release version javac reads. The first
 * compile then no longer opens and walks all 29 jars (~0.1 s of the JShell thread's CPU, on the
 * critical path to the first result). Anything the index does not cover - a class path changed by
 * {@code %classpath} / {@code %jars} / {@code %maven}, other kinds of files, recursive listings, other
 * locations - goes to javac's file manager unchanged.
 */
final class IndexedFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> implements StandardJavaFileManager {
    private final ClassPathIndex index;
    /** javac's --multi-release value (set on every task): the release its jar views are for. */
    private volatile String multiRelease;
    /** Whether the index matches javac's class path now; null after anything that may have changed it. */
    private volatile Boolean applies;

    /** Listings answered from the index (tests). */
    private int fromIndex;

    IndexedFileManager(StandardJavaFileManager std, ClassPathIndex index) {
        super(std);
        this.index = index;
    }

    int listedFromIndex() {
        return fromIndex;
    }

    private boolean indexApplies() {
        Boolean a = applies;
        if (a == null) {
            a = index.release.equals(multiRelease) && sameClassPath();
            applies = a;
        }
        return a;
    }

    private boolean sameClassPath() {
        Iterable<? extends Path> cp = fileManager.getLocationAsPaths(StandardLocation.CLASS_PATH);
        if (cp == null) return false;
        Iterator<? extends Path> it = cp.iterator();
        for (Path jar : index.jars) {
            if (!it.hasNext() || !jar.equals(it.next())) return false;
        }
        return !it.hasNext();
    }

    @Override
    public Iterable<JavaFileObject> list(Location location, String packageName, Set<JavaFileObject.Kind> kinds, boolean recurse)
            throws IOException {
        if (location == StandardLocation.CLASS_PATH && !recurse && indexApplies()) {
            fromIndex++;
            return index.list(packageName, kinds);
        }
        return super.list(location, packageName, kinds, recurse);
    }

    @Override
    public String inferBinaryName(Location location, JavaFileObject file) {
        if (file instanceof IndexedFileObject && ((IndexedFileObject) file).belongsTo(index)) {
            return location == StandardLocation.CLASS_PATH ? ((IndexedFileObject) file).binaryName() : null;
        }
        return super.inferBinaryName(location, file);
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
        if (a instanceof IndexedFileObject || b instanceof IndexedFileObject) return a.equals(b);
        return super.isSameFile(a, b);
    }

    @Override
    public boolean contains(Location location, FileObject fo) throws IOException {
        if (fo instanceof IndexedFileObject) return location == StandardLocation.CLASS_PATH && ((IndexedFileObject) fo).belongsTo(index);
        return super.contains(location, fo);
    }

    @Override
    public boolean handleOption(String current, Iterator<String> remaining) {
        if (current.equals("--multi-release")) {
            // javac sets it for every task: keep the value, and check the class path again only if it changed
            String v = remaining.hasNext() ? remaining.next() : null;
            boolean handled = fileManager.handleOption(current, v == null ? remaining : java.util.List.of(v).iterator());
            if (v == null || !v.equals(multiRelease)) {
                multiRelease = v;
                applies = null;
            }
            return handled;
        }
        applies = null;
        return super.handleOption(current, remaining);
    }

    @Override
    public void close() throws IOException {
        index.close();
        super.close();
    }

    // StandardJavaFileManager: forwarded (a change of location is checked against the index on the next listing)

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromFiles(Iterable<? extends File> files) {
        return fileManager.getJavaFileObjectsFromFiles(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Collection<? extends Path> paths) {
        return fileManager.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromPaths(Iterable<? extends Path> paths) {
        return fileManager.getJavaFileObjectsFromPaths(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(File... files) {
        return fileManager.getJavaFileObjects(files);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(Path... paths) {
        return fileManager.getJavaFileObjects(paths);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjectsFromStrings(Iterable<String> names) {
        return fileManager.getJavaFileObjectsFromStrings(names);
    }

    @Override
    public Iterable<? extends JavaFileObject> getJavaFileObjects(String... names) {
        return fileManager.getJavaFileObjects(names);
    }

    @Override
    public void setLocation(Location location, Iterable<? extends File> files) throws IOException {
        applies = null;
        fileManager.setLocation(location, files);
    }

    @Override
    public void setLocationFromPaths(Location location, Collection<? extends Path> paths) throws IOException {
        applies = null;
        fileManager.setLocationFromPaths(location, paths);
    }

    @Override
    public void setLocationForModule(Location location, String moduleName, Collection<? extends Path> paths) throws IOException {
        applies = null;
        fileManager.setLocationForModule(location, moduleName, paths);
    }

    @Override
    public Iterable<? extends File> getLocation(Location location) {
        return fileManager.getLocation(location);
    }

    @Override
    public Iterable<? extends Path> getLocationAsPaths(Location location) {
        return fileManager.getLocationAsPaths(location);
    }

    @Override
    public Path asPath(FileObject file) {
        return fileManager.asPath(file);
    }

    @Override
    public void setPathFactory(PathFactory f) {
        fileManager.setPathFactory(f);
    }
}
