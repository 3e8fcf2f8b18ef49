package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/** Rows: hand-made comparison tables with typed columns and clear errors. */
class RowsTest {
    @Test
    void rowsBecomeTypedColumnsInOrder() {
        Table t = Rows.of("fork + exit", "source", "procs", "us")
            .add("lmbench 1995", 1, 500.0)
            .add("simulator", 2, 36)
            .add("unknown", null, null)
            .table();
        assertEquals("fork + exit", t.name());
        assertEquals(List.of("source", "procs", "us"), t.columnNames());
        assertEquals(ColumnType.STRING, t.column("source").type());
        assertEquals(ColumnType.INTEGER, t.column("procs").type());
        assertEquals(ColumnType.DOUBLE, t.column("us").type(), "an int among doubles makes a double column");
        assertEquals(36.0, t.doubleColumn("us").get(1));
        assertTrue(t.doubleColumn("us").isMissing(2) && t.intColumn("procs").isMissing(2), "null is a missing value");
    }

    @Test
    void aRowOfTheWrongLengthOrABadColumnSaysWhich() {
        LabException e = assertThrows(LabException.class, () -> Rows.of("t", "a", "b").add(1));
        assertTrue(e.getMessage().contains("row 1 has 1 values but the table has 2 columns [a, b]"), e.getMessage());
        LabException f = assertThrows(LabException.class, () -> Rows.of("t", "a", "a"));
        assertTrue(f.getMessage().contains("named twice"), f.getMessage());
        assertThrows(LabException.class, () -> Rows.of("t"));
    }
}
