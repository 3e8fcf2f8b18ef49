package tasklab.lab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;

/**
 * One row of a {@link Sweep}'s parameter grid: names to values, in the order the sweep varies
 * them. Typed getters say clearly when a name is missing or has another type.
 * Example: {@code Sweep.of(p -> Result.of("us", LatCtx.measure(p.getInt("procs"), ...)))}.
 */
public final class Params {
    private final Map<String, Object> values;

    Params(Map<String, Object> values) { this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values)); }

    /** Params from alternating names and values, for calling an experiment by hand. Example: {@code Params.of("procs", 2, "kib", 16)}. */
    public static Params of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new LabException("Params.of", "needs name, value pairs, got " + namesAndValues.length + " arguments");
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!(namesAndValues[i] instanceof String s)) throw new LabException("Params.of", "argument " + i + " should be a name (a String), got " + namesAndValues[i]);
            m.put(s, namesAndValues[i + 1]);
        }
        return new Params(m);
    }

    /** The parameter names, in sweep order. */
    public List<String> names() { return List.copyOf(values.keySet()); }
    /** Whether this row has the parameter. */
    public boolean has(String name) { return values.containsKey(name); }
    /** The raw value. */
    public Object get(String name) {
        if (!values.containsKey(name)) throw new LabException("Params.get", "this run has no parameter '" + name + "'; it has " + values.keySet() + " (add it with .vary(\"" + name + "\", ...))");
        return values.get(name);
    }
    /** The value if present, else the default. Example: {@code p.getOr("cpus", 1)}. */
    @SuppressWarnings("unchecked")
    public <T> T getOr(String name, T dflt) { return values.containsKey(name) ? (T) values.get(name) : dflt; }
    /** The value as a given type. Example: {@code p.get("version", KernelVersion.class)}. */
    public <T> T get(String name, Class<T> type) {
        Object v = get(name);
        if (!type.isInstance(v)) throw typeError(name, v, type.getSimpleName());
        return type.cast(v);
    }
    /** An int parameter. */
    public int getInt(String name) {
        Object v = get(name);
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).intValue();
        if (v instanceof Long l && l == l.intValue()) return l.intValue();
        throw typeError(name, v, "int");
    }
    /** A long parameter (ints are widened). */
    public long getLong(String name) {
        Object v = get(name);
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        throw typeError(name, v, "long");
    }
    /** A double parameter (any number). */
    public double getDouble(String name) {
        Object v = get(name);
        if (v instanceof Number n) return n.doubleValue();
        throw typeError(name, v, "double");
    }
    /** A boolean parameter. */
    public boolean getBoolean(String name) {
        Object v = get(name);
        if (v instanceof Boolean b) return b;
        throw typeError(name, v, "boolean");
    }
    /** The value as the text a table shows. */
    public String getString(String name) { return text(get(name)); }
    /** The kernel version parameter {@code version}, or 2.4 when the sweep does not vary it. */
    public KernelVersion version() { return getOr("version", KernelVersion.LINUX_2_4); }
    /** The CPU model parameter {@code cpu}, or the Pentium Pro-200 when the sweep does not vary it. */
    public CpuModel cpu() { return getOr("cpu", CpuModel.PENTIUM_PRO_200); }

    /** How a parameter value reads in a table: a CPU by its name, a kernel version by its release. */
    static String text(Object v) {
        if (v instanceof CpuModel c) return c.name();
        if (v instanceof KernelVersion k) return k.release();
        return String.valueOf(v);
    }

    private LabException typeError(String name, Object v, String want) {
        return new LabException("Params", "parameter '" + name + "' is " + text(v) + " (" + (v == null ? "null" : v.getClass().getSimpleName())
            + "), not " + want);
    }

    Map<String, Object> map() { return values; }

    /** "procs=2, kib=16". */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(e.getKey()).append('=').append(text(e.getValue()));
        }
        return sb.toString();
    }

    @Override public boolean equals(Object o) { return o instanceof Params p && p.values.equals(values); }
    @Override public int hashCode() { return values.hashCode(); }
}
