package tasklab.jupyter;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * %sim: placeholder until the simulator's lab API exists (TODO: show machine state through
 * tasklab.lab once it is written). For now it lists what kernel-sim exposes: its packages and
 * public classes, found where the class tasklab.machine.Pte was loaded from.
 */
final class SimInfo {
    private SimInfo() {}

    static String describe() {
        Map<String, TreeSet<String>> byPackage = new TreeMap<>();
        try {
            Class<?> anchor = Class.forName("tasklab.machine.Pte");
            Path where = Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(where)) {
                try (Stream<Path> s = Files.walk(where)) {
                    s.map(p -> where.relativize(p).toString().replace('\\', '/')).forEach(n -> add(byPackage, n));
                }
            } else {
                try (JarFile jar = new JarFile(where.toFile())) {
                    jar.stream().forEach(e -> add(byPackage, e.getName()));
                }
            }
        } catch (ClassNotFoundException | IOException | URISyntaxException | RuntimeException e) {
            return "kernel-sim is not on the class path (" + e + ")";
        }
        StringBuilder b = new StringBuilder("The lab API (tasklab.lab) does not exist yet; kernel-sim exposes:\n");
        byPackage.forEach((pkg, classes) -> b.append("  ").append(pkg).append(": ").append(String.join(", ", classes)).append('\n'));
        return b.toString().trim();
    }

    private static void add(Map<String, TreeSet<String>> m, String entry) {
        if (!entry.startsWith("tasklab/") || !entry.endsWith(".class") || entry.contains("$")) return;
        int slash = entry.lastIndexOf('/');
        String pkg = entry.substring(0, slash).replace('/', '.');
        m.computeIfAbsent(pkg, k -> new TreeSet<>()).add(entry.substring(slash + 1, entry.length() - 6));
    }
}
