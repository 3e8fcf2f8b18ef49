package tasklab.jupyter;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Line magics ({@code %name args}, on their own line) and cell magics ({@code %%name} on the
 * first line). IJava's: %classpath, %jars, %maven, %load; plus %%time, %sim, %doc (pager), %lsmagic.
 */
final class Magics {
    static final List<String> LINE = List.of("classpath", "jars", "maven", "load", "sim", "doc", "lsmagic");
    static final List<String> CELL = List.of("time");

    private final Evaluator evaluator;

    Magics(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** Runs a cell: cell magic, or Java code interleaved with line magics; returns the last value. */
    Object run(String code) throws CellError {
        if (code.startsWith("%%")) {
            int nl = code.indexOf('\n');
            String head = (nl < 0 ? code : code.substring(0, nl)).substring(2).trim();
            String body = nl < 0 ? "" : code.substring(nl + 1);
            String name = head.split("\\s+", 2)[0];
            if (name.equals("time")) return time(body);
            throw new CellError("UnknownMagic", "unknown cell magic %%" + name, List.of("unknown cell magic %%" + name + " (try %lsmagic)"));
        }
        Object last = Evaluator.NO_VALUE;
        StringBuilder java = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            if (line.startsWith("%") && !line.startsWith("%%")) {
                if (!java.toString().isBlank()) last = evaluator.eval(java.toString());
                java.setLength(0);
                last = line(line.substring(1).trim());
            } else {
                // keep line numbers of compile errors meaningful: blank lines stand in for magics
                java.append(line).append('\n');
            }
        }
        if (!java.toString().isBlank()) last = evaluator.eval(java.toString());
        return last;
    }

    private Object time(String body) throws CellError {
        long t0 = System.nanoTime();
        try {
            return run(body);
        } finally {
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf(Locale.ROOT, "Wall time: %.1f ms%n", ms);
        }
    }

    private Object line(String magic) throws CellError {
        String[] p = magic.split("\\s+", 2);
        String name = p[0];
        String args = p.length > 1 ? p[1].trim() : "";
        try {
            switch (name) {
                case "classpath": return classpath(args);
                case "jars": return jars(args);
                case "maven": return maven(args);
                case "load": return load(args);
                case "sim": return SimInfo.describe();
                case "doc": {
                    String doc = args.isEmpty() ? null : evaluator.inspect(args, args.length());
                    String lab = SimInfo.labDoc(args, doc);
                    if (lab != null) return new Page(lab);
                    return new Page(doc == null ? "no documentation found for " + args + " (try %doc for the lab's classes)" : doc);
                }
                case "lsmagic":
                    return "line magics: %" + String.join(" %", LINE) + "\ncell magics: %%" + String.join(" %%", CELL);
                default:
                    throw new CellError("UnknownMagic", "unknown line magic %" + name, List.of("unknown line magic %" + name + " (try %lsmagic)"));
            }
        } catch (IOException e) {
            throw new CellError("IOException", String.valueOf(e.getMessage()), List.of("%" + name + ": " + e));
        }
    }

    /** Adds each path; when one does not exist, nothing is added and the error names the missing ones. */
    private Object classpath(String args) throws CellError {
        List<Path> paths = new ArrayList<>();
        for (String entry : args.split("[\\s" + File.pathSeparator + "]+")) {
            if (!entry.isBlank()) paths.add(Paths.get(entry).toAbsolutePath());
        }
        addAll("classpath", paths);
        return Evaluator.NO_VALUE;
    }

    /** Each argument is a jar, a directory of jars, or a glob such as lib/*.jar; a glob matching nothing is an error. */
    private Object jars(String args) throws IOException, CellError {
        List<Path> jars = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (String arg : args.split("\\s+")) {
            if (arg.isBlank()) continue;
            List<Path> found = Files.exists(Paths.get(arg)) || !(arg.contains("*") || arg.contains("?")) ? glob(arg) : globOrEmpty(arg);
            if (found.isEmpty()) unmatched.add(arg);
            for (Path jar : found) jars.add(jar.toAbsolutePath());
        }
        if (!unmatched.isEmpty()) {
            String msg = "%jars: no jar matches " + String.join(", ", unmatched) + " (nothing was added)";
            throw new CellError("FileNotFoundException", msg, List.of(msg));
        }
        addAll("jars", jars);
        return Evaluator.NO_VALUE;
    }

    private static List<Path> globOrEmpty(String arg) {
        try {
            return glob(arg);
        } catch (IOException | RuntimeException e) {
            return List.of(); // the glob's base directory does not exist
        }
    }

    private void addAll(String magic, List<Path> paths) throws CellError {
        List<String> missing = new ArrayList<>();
        for (Path p : paths) if (!Files.exists(p)) missing.add(p.toString());
        if (!missing.isEmpty()) {
            String msg = "%" + magic + ": no such file or directory: " + String.join(", ", missing) + " (nothing was added)";
            throw new CellError("FileNotFoundException", msg, List.of(msg));
        }
        for (Path p : paths) evaluator.addToClasspath(p.toString());
    }

    static List<Path> glob(String arg) throws IOException {
        Path direct = Paths.get(arg);
        if (Files.isDirectory(direct)) {
            try (Stream<Path> s = Files.list(direct)) {
                return s.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
            }
        }
        if (!arg.contains("*") && !arg.contains("?")) return List.of(direct);
        int cut = arg.lastIndexOf('/', indexOfWildcard(arg));
        Path base = cut < 0 ? Paths.get(".") : Paths.get(arg.substring(0, Math.max(cut, 1)));
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + (cut < 0 ? arg : arg.substring(cut + 1)));
        try (Stream<Path> s = Files.walk(base, arg.contains("**") ? Integer.MAX_VALUE : 1)) {
            return s.filter(f -> Files.isRegularFile(f) && m.matches(base.relativize(f))).sorted().toList();
        }
    }

    private static int indexOfWildcard(String s) {
        int a = s.indexOf('*'), b = s.indexOf('?');
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /**
     * Resolves group:artifact:version (with dependencies) from Maven Central by asking Maven
     * itself, which knows every POM rule and reuses ~/.m2; the jars join the class path.
     */
    private Object maven(String args) throws IOException, CellError {
        List<String> coords = new ArrayList<>();
        for (String c : args.split("\\s+")) if (!c.isBlank()) coords.add(c);
        if (coords.isEmpty()) return Evaluator.NO_VALUE;
        Path dir = Files.createTempDirectory("tasklab-maven");
        StringBuilder deps = new StringBuilder();
        for (String c : coords) {
            String[] g = c.split(":");
            if (g.length < 3) throw new CellError("IllegalArgumentException", "expected group:artifact:version, got " + c, List.of("%maven " + c + ": expected group:artifact:version"));
            deps.append("<dependency><groupId>").append(g[0]).append("</groupId><artifactId>").append(g[1])
                    .append("</artifactId><version>").append(g[g.length - 1]).append("</version></dependency>");
        }
        String pom = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>tasklab</groupId><artifactId>maven-magic</artifactId><version>1</version>"
                + "<dependencies>" + deps + "</dependencies></project>";
        Files.writeString(dir.resolve("pom.xml"), pom, StandardCharsets.UTF_8);
        Path out = dir.resolve("cp.txt");
        Path log = dir.resolve("mvn.log");
        ProcessBuilder pb = new ProcessBuilder("mvn", "-B", "-q", "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                "-Dmdep.outputFile=" + out).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.exists(out)) {
                p.destroyForcibly();
                String why = Files.exists(log) ? Files.readString(log) : "";
                throw new CellError("MavenResolutionException", "could not resolve " + coords, List.of("%maven " + String.join(" ", coords) + " failed:", why));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Evaluator.interrupted();
        }
        String cp = Files.readString(out).trim();
        for (String jar : cp.split(File.pathSeparator)) if (!jar.isBlank()) evaluator.addToClasspath(jar);
        System.out.println("added " + (cp.isEmpty() ? 0 : cp.split(File.pathSeparator).length) + " jar(s) for " + String.join(" ", coords));
        return Evaluator.NO_VALUE;
    }

    /** Runs a Java (or .jsh) file as if its text were this cell. */
    private Object load(String args) throws IOException, CellError {
        Path file = Paths.get(args.replaceAll("^\"|\"$", ""));
        return run(Files.readString(file, StandardCharsets.UTF_8));
    }
}
