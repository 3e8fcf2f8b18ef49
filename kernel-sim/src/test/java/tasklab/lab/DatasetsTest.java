package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** datasets/ is found from any folder inside the repository, or where TASKLAB_DATASETS says. */
class DatasetsTest {
    /** The repository's datasets folder, from the test's working directory (kernel-sim/). */
    static Path repoDatasets() { return Datasets.dir(null, Path.of("")); }

    @Test
    void foundByWalkingUpFromANotebookFolder() {
        Path ds = repoDatasets();
        assertEquals("datasets", ds.getFileName().toString());
        Path deep = ds.getParent().resolve("notebooks/experiments/some/where");
        assertEquals(ds, Datasets.dir(null, deep));
    }

    @Test
    void theOverrideWins(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mine.csv"), "a,b\n1,2\n");
        assertEquals(dir.toAbsolutePath(), Datasets.dir(dir.toString(), Path.of("")));
        Table t = Datasets.read(dir, "mine");
        assertEquals(1, t.rowCount());
        LabException e = assertThrows(LabException.class, () -> Datasets.dir(dir.resolve("nope").toString(), Path.of("")));
        assertTrue(e.getMessage().contains(Datasets.ENV), e.getMessage());
    }

    @Test
    void notFoundSaysWhereItLooked(@TempDir Path dir) {
        LabException e = assertThrows(LabException.class, () -> Datasets.dir(null, dir));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().normalize().toString()) && e.getMessage().contains(Datasets.ENV), e.getMessage());
    }

    @Test
    void readsTheLmbenchContextSwitchTable() {
        Table t = Datasets.read(repoDatasets(), "lmbench_ctx_tbl_1995.csv");
        assertEquals("lmbench_ctx_tbl_1995", t.name());
        assertTrue(t.columnNames().containsAll(java.util.List.of("system", "ctx_2proc_0KB_us", "ctx_8proc_32KB_us")));
        assertEquals("Linux alpha", t.stringColumn("system").get(0));
        assertEquals(10, t.numberColumn("ctx_2proc_0KB_us").getDouble(0));
    }

    @Test
    void aMissingFileListsTheOnesThatExist() {
        LabException e = assertThrows(LabException.class, () -> Datasets.read(repoDatasets(), "lmbench_ctx.csv"));
        assertTrue(e.getMessage().contains("lmbench_ctx_tbl_1995.csv") && e.getMessage().contains("no dataset 'lmbench_ctx.csv'"), e.getMessage());
        LabException up = assertThrows(LabException.class, () -> Datasets.read(repoDatasets(), "../pom.xml"));
        assertTrue(up.getMessage().contains("no dataset"), up.getMessage());
    }
}
