package tasklab.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README.md shows the examples' real code and real output. */
class ReadmeExamplesTest {
    private static String readme() throws IOException {
        Path p = Path.of("README.md");
        if (!Files.exists(p)) p = Path.of("..", "README.md");
        return Files.readString(p);
    }

    @Test
    void memoryExampleOutputIsWhatTheReadmeShows() throws IOException {
        String out = ReadmeMemoryExample.run();
        assertTrue(readme().contains("```\n" + out + "```"), "README.md must show the output:\n" + out);
    }

    @Test
    void memoryExampleCodeIsWhatTheReadmeShows() throws IOException {
        Path src = Path.of("src/test/java/tasklab/examples/ReadmeMemoryExample.java");
        String s = Files.readString(src);
        String code = s.substring(s.indexOf("// README-EXAMPLE-BEGIN\n") + "// README-EXAMPLE-BEGIN\n".length(),
            s.indexOf("        // README-EXAMPLE-END"));
        StringBuilder unindented = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            unindented.append(line.startsWith("        ") ? line.substring(8) : line).append('\n');
        }
        String block = unindented.toString().replaceAll("\n+$", "\n");
        assertTrue(readme().contains(block), "README.md must show the example code");
    }

    @Test
    void latCtxTableIsWhatTheReadmeShows() throws IOException {
        String table = LatCtxExample.readmeTable();
        assertTrue(readme().contains("```\n" + table + "```"), "README.md must show the lat_ctx table:\n" + table);
        String[] rows = table.split("\n");
        double small = Double.parseDouble(rows[2].trim().split("\\s+")[1]);
        double big = Double.parseDouble(rows[5].trim().split("\\s+")[4]);
        assertTrue(big > 5 * small, "switch time grows with the working set: " + small + " -> " + big);
    }
}
