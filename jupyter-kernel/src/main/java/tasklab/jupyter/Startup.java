package tasklab.jupyter;

import java.util.ArrayList;
import java.util.List;

/**
 * The imports every notebook starts with. A package is imported only when it is on the class
 * path, so tasklab.lab.* (and other simulator packages) become imported as soon as they exist.
 */
final class Startup {
    private Startup() {}

    static final List<String> JDK = List.of("java.util", "java.util.function", "java.util.stream",
            "java.io", "java.math", "java.nio.file", "java.util.concurrent", "java.time");
    static final List<String> TASKLAB = List.of("tasklab.lab", "tasklab.machine", "tasklab.mm", "tasklab.kernel",
            "tasklab.time", "tasklab.program", "tasklab.trace");
    static final List<String> LIBRARIES = List.of("tech.tablesaw.api", "org.knowm.xchart",
            "org.knowm.xchart.style", "org.knowm.xchart.style.markers", "org.knowm.xchart.style.lines");
    /** Notebook's functions, JUnit 5's assertEquals & co. for homework check cells, and the clone flags (CLONE_VM ...) by name. */
    static final List<String> STATIC = List.of("tasklab.jupyter.Notebook", "org.junit.jupiter.api.Assertions",
            "tasklab.kernel.CloneFlags");

    /** The import statements for the packages present on the class path. */
    static List<String> imports() {
        return imports(Startup::present);
    }

    /** As above, with the evaluator's knowledge of the class path (its index: no walk through the jars). */
    static List<String> imports(java.util.function.Predicate<String> present) {
        List<String> out = new ArrayList<>();
        for (String p : JDK) out.add("import " + p + ".*;");
        for (String p : LIBRARIES) if (present.test(p)) out.add("import " + p + ".*;");
        for (String p : TASKLAB) if (present.test(p)) out.add("import " + p + ".*;");
        for (String c : STATIC) out.add("import static " + c + ".*;");
        return out;
    }

    /** Cheap check (no class loading): is there a directory entry for the package? */
    static boolean present(String pkg) {
        return ClassLoader.getSystemResource(pkg.replace('.', '/') + "/") != null;
    }
}
