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

    @Test
    void labExampleCodeOutputAndPictureAreWhatTheReadmeShows() throws IOException {
        String readme = readme();
        assertTrue(readme.contains("```java\n" + ReadmeLabExample.CODE + "```"), "README.md must show the lab example's code");
        ReadmeLabExample.Output o = ReadmeLabExample.run();
        assertEquals(3, o.values().size(), "three cells show a value: the table, the explanation, the picture");
        assertTrue(readme.contains("```\n" + o.values().get(0).stripTrailing() + "\n```"), "README.md must show the pagemap:\n" + o.values().get(0));
        assertTrue(readme.contains("```\n" + o.values().get(1).stripTrailing() + "\n```"), "README.md must show the explanation:\n" + o.values().get(1));
        Path svg = Path.of("docs/readme-cow.svg");
        if (!Files.exists(svg)) svg = Path.of("..", "docs/readme-cow.svg");
        assertEquals(o.svg(), Files.readString(svg), "docs/readme-cow.svg is the picture the example draws "
            + "(regenerate: java ... tasklab.examples.ReadmeLabExample docs/readme-cow.svg)");
        assertTrue(o.values().get(1).contains("do_wp_page") && o.values().get(1).contains("(R9.5)"));
    }
}
