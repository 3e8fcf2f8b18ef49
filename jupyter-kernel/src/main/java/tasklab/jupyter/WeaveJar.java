package tasklab.jupyter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * {@code WeaveJar IN.jar OUT.jar}: copies a jar with {@link StopWeaver} applied to its classes.
 * install-kernelspec runs it on kernel-sim's jar, so that a long simulation run stops on an
 * interrupt and the woven classes still come from the class-data-sharing archive at start.
 */
public final class WeaveJar {
    private WeaveJar() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.out.println("usage: WeaveJar IN.jar OUT.jar");
            System.exit(2);
        }
        weave(Paths.get(args[0]), Paths.get(args[1]));
    }

    static void weave(Path in, Path out) throws IOException {
        try (JarFile jar = new JarFile(in.toFile());
             OutputStream os = Files.newOutputStream(out);
             JarOutputStream jos = new JarOutputStream(os)) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream is = jar.getInputStream(entry)) {
                    bytes = is.readAllBytes();
                }
                // module-info and multi-release variants are copied as they are
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")
                        && !entry.getName().endsWith("module-info.class")) {
                    bytes = StopWeaver.weave(bytes);
                }
                JarEntry copy = new JarEntry(entry.getName());
                copy.setTime(entry.getTime());
                jos.putNextEntry(copy);
                jos.write(bytes);
                jos.closeEntry();
            }
        }
    }
}
