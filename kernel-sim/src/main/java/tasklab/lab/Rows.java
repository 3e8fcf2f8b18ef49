package tasklab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * A small builder for hand-made tables, such as the simulator beside a published number: name the
 * columns once, add rows of values, get a Table. Each column gets the narrowest type that holds its
 * values (int, long, double, boolean, else text), as a {@link Sweep}'s columns do; {@code null} is a
 * missing value. Example:
 * {@code Rows.of("fork + exit", "source", "us").add("lmbench 1995, Linux i686", 500.0).add("simulator", 35.9).table()}.
 */
public final class Rows {
    private final String name;
    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();

    private Rows(String name, List<String> columns) {
        this.name = name;
        this.columns = columns;
    }

    /** A builder for a table called {@code tableName} with these columns, in order. */
    public static Rows of(String tableName, String... columns) {
        if (columns == null || columns.length == 0) throw new LabException("Rows.of", "needs at least one column name, e.g. Rows.of(\"t\", \"source\", \"us\")");
        List<String> cols = Arrays.asList(columns.clone());
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i) == null || cols.get(i).isBlank()) throw new LabException("Rows.of", "column " + (i + 1) + " needs a name");
            if (cols.indexOf(cols.get(i)) != i) throw new LabException("Rows.of", "column '" + cols.get(i) + "' is named twice");
        }
        return new Rows(tableName == null ? "" : tableName, List.copyOf(cols));
    }

    /** One row: a value per column, in column order. */
    public Rows add(Object... values) {
        if (values == null || values.length != columns.size()) {
            throw new LabException("Rows.add", "row " + (rows.size() + 1) + " has " + (values == null ? 0 : values.length) + " values but the table has "
                + columns.size() + " columns " + columns);
        }
        rows.add(values.clone());
        return this;
    }

    /** The number of rows added so far. */
    public int size() { return rows.size(); }

    /** The rows as a Tablesaw Table. */
    public Table table() {
        Table t = Table.create(name);
        for (int c = 0; c < columns.size(); c++) {
            List<Object> vals = new ArrayList<>();
            for (Object[] r : rows) vals.add(r[c]);
            t.addColumns(Sweep.column(columns.get(c), vals));
        }
        return t;
    }

    @Override public String toString() { return "Rows[" + name + ": " + columns + ", " + rows.size() + " rows]"; }
}
