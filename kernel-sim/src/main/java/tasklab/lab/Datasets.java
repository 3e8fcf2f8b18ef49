package tasklab.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * The published measurements in the repository's {@code datasets/} folder, as Tables. The folder
 * is found from any notebook folder by walking up from the working directory; the environment
 * variable {@code TASKLAB_DATASETS} (a folder) overrides the search.
 * Example: {@code var t = Datasets.read("lmbench_ctx_tbl_1995.csv");}
 */
public final class Datasets {
    /** The environment variable that names the datasets folder, overriding the search. */
    public static final String ENV = "TASKLAB_DATASETS";

    private Datasets() {}

    /** The datasets folder: $TASKLAB_DATASETS, else the first {@code datasets/} with a README.md above the working directory. Example: {@code Datasets.dir()}. */
    public static Path dir() {
        return dir(System.getenv(ENV), Path.of("").toAbsolutePath());
    }

    /** The search of {@link #dir()} with its inputs given (for tests): an override (or null) and a start folder. */
    static Path dir(String override, Path start) {
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                throw new LabException("Datasets.dir", ENV + " is set to " + p + ", which is not a folder; unset it or point it at the repository's datasets/");
            }
            return p;
        }
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Path d = p.resolve("datasets");
            if (Files.isDirectory(d) && Files.isRegularFile(d.resolve("README.md"))) return d;
        }
        throw new LabException("Datasets.dir", "no datasets/ folder (one with a README.md) in " + start.toAbsolutePath().normalize()
            + " or any folder above it; open the notebook inside the tasklab repository or set " + ENV + " to the datasets folder");
    }

    /** The CSV files in the datasets folder, sorted by name. Example: {@code Datasets.list()}. */
    public static List<String> list() { return list(dir()); }

    static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
            throw new LabException("Datasets.list", "cannot list " + dir + ": " + e.getMessage());
        }
    }

    /**
     * One dataset as a Table, named after the file ({@code .csv} may be left out). Numbers become
     * numeric columns; read the file's {@code .md} for units and exactness.
     * Example: {@code Datasets.read("lmbench_ctx_tbl_1995.csv")}.
     */
    public static Table read(String name) { return read(dir(), name); }

    static Table read(Path dir, String name) {
        if (name == null || name.isBlank()) throw new LabException("Datasets.read", "needs a file name, one of: " + String.join(", ", list(dir)));
        String file = name.endsWith(".csv") ? name : name + ".csv";
        Path p = dir.resolve(file).normalize();
        if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
            throw new LabException("Datasets.read", "no dataset '" + file + "' in " + dir + "; the datasets are: " + String.join(", ", list(dir)));
        }
        try {
            return Table.read().usingOptions(CsvReadOptions.builder(p.toFile()).tableName(file.substring(0, file.length() - 4)));
        } catch (RuntimeException e) {
            throw new LabException("Datasets.read", "cannot read " + p + " as CSV: " + e.getMessage());
        }
    }
}
