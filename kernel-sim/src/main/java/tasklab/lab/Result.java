package tasklab.lab;

import java.util.LinkedHashMap;

/**
 * An experiment's result row: column names to values, in the order added (numbers, booleans or
 * text). Example: {@code Result.of("us", 12.5).and("switches", 4000)}.
 */
public final class Result extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    private Result() {}

    /** A result with one column. */
    public static Result of(String column, Object value) { return new Result().and(column, value); }

    /** This result with one more column. */
    public Result and(String column, Object value) {
        if (column == null || column.isBlank()) throw new LabException("Result", "a result column needs a name");
        if (containsKey(column)) throw new LabException("Result", "column '" + column + "' is given twice");
        put(column, value);
        return this;
    }
}
