package tasklab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A parameter grid run through an experiment: one Table row per combination, the parameter
 * columns first (in the order varied), then the result columns. The first {@code vary} is the
 * outermost loop. Runs go in parallel on all cores; each is an independent deterministic
 * simulation, and the rows come back in grid order, so the Table is the same serially and in
 * parallel. Example:
 * {@code Sweep.of(LatCtx.experiment()).vary("procs", 2, 4, 8).vary("kib", 0, 16, 64).run()}.
 */
public final class Sweep {
    private static volatile Function<String, SweepProgress> defaultProgress = label -> SweepProgress.NONE;

    private final Experiment experiment;
    private final LinkedHashMap<String, List<Object>> axes = new LinkedHashMap<>();
    private String name = "sweep";
    private int threads = Runtime.getRuntime().availableProcessors();
    private SweepProgress progress;

    private Sweep(Experiment experiment) { this.experiment = experiment; }

    /** A sweep of an experiment returning result columns. Example: {@code Sweep.of(p -> Result.of("x", p.getInt("n") * 2))}. */
    public static Sweep of(Experiment experiment) {
        if (experiment == null) throw new LabException("Sweep.of", "needs an experiment: a function from Params to result columns");
        return new Sweep(experiment);
    }

    /** A sweep of an experiment with one numeric result column. Example: {@code Sweep.of("us", p -> ...)}. */
    public static Sweep of(String column, ToDoubleFunction<Params> experiment) {
        if (experiment == null) throw new LabException("Sweep.of", "needs an experiment: a function from Params to a number");
        return of(p -> Result.of(column, experiment.applyAsDouble(p)));
    }

    /** Varies an int parameter. Example: {@code .vary("procs", 2, 4, 8)}. */
    public Sweep vary(String param, int... values) { return axis(param, Arrays.stream(values).boxed().map(Object.class::cast).toList()); }
    /** Varies a long parameter. */
    public Sweep vary(String param, long... values) { return axis(param, Arrays.stream(values).boxed().map(Object.class::cast).toList()); }
    /** Varies a double parameter. */
    public Sweep vary(String param, double... values) { return axis(param, Arrays.stream(values).boxed().map(Object.class::cast).toList()); }
    /** Varies a boolean parameter. Example: {@code .vary("lazy", true, false)}. */
    public Sweep vary(String param, boolean... values) {
        List<Object> l = new ArrayList<>();
        for (boolean b : values) l.add(b);
        return axis(param, l);
    }
    /** Varies an enum parameter, such as the kernel version. Example: {@code .vary("version", LINUX_2_4, LINUX_2_6)}. */
    @SafeVarargs
    public final <E extends Enum<E>> Sweep vary(String param, E... values) {
        List<Object> l = new ArrayList<>();
        if (values != null) for (E e : values) l.add(e);
        return axis(param, l);
    }
    /** Varies the CPU model. Example: {@code .vary("cpu", CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_4_2000)}. */
    public Sweep vary(String param, tasklab.machine.CpuModel... values) { return axis(param, values == null ? List.of() : Arrays.asList((Object[]) values)); }
    /** Varies a text parameter. */
    public Sweep vary(String param, String... values) { return axis(param, values == null ? List.of() : Arrays.asList((Object[]) values)); }
    /** Varies a parameter of any type over a list. Example: {@code .vary("mode", List.of(a, b))}. */
    public Sweep vary(String param, List<?> values) { return axis(param, values == null ? List.of() : new ArrayList<>(values)); }
    /** Fixes a parameter to one value (a column with the same value in every row). */
    public Sweep set(String param, Object value) { return axis(param, Arrays.asList(value)); }

    private Sweep axis(String param, List<Object> values) {
        if (param == null || param.isBlank()) throw new LabException("Sweep.vary", "a parameter needs a name, e.g. .vary(\"procs\", 2, 4)");
        if (axes.containsKey(param)) throw new LabException("Sweep.vary", "parameter '" + param + "' is varied twice; give all its values in one call");
        if (values.isEmpty()) throw new LabException("Sweep.vary", "parameter '" + param + "' needs at least one value");
        for (Object v : values) if (v == null) throw new LabException("Sweep.vary", "parameter '" + param + "' has a null value");
        axes.put(param, List.copyOf(values));
        return this;
    }

    /** The Table's name (and the progress bar's label). */
    public Sweep named(String tableName) { this.name = tableName == null ? "sweep" : tableName; return this; }
    /** How many runs go at once (default: the number of cores; 1 runs them one by one). */
    public Sweep threads(int n) {
        if (n < 1) throw new LabException("Sweep.threads", "needs 1 or more threads, got " + n);
        this.threads = n;
        return this;
    }
    /** Where progress goes (default: the notebook's progress bar when run in the tasklab kernel, else nowhere). */
    public Sweep progress(SweepProgress p) { this.progress = p; return this; }

    /** The progress reporter every sweep uses unless given one; the Jupyter kernel installs its progress bar here. */
    public static void setDefaultProgress(Function<String, SweepProgress> factory) {
        defaultProgress = factory == null ? label -> SweepProgress.NONE : factory;
    }

    /** Every parameter row of the grid, in run order (the first parameter varies slowest). */
    public List<Params> grid() {
        List<Params> out = new ArrayList<>();
        List<String> names = new ArrayList<>(axes.keySet());
        int[] idx = new int[names.size()];
        int total = size();
        for (int r = 0; r < total; r++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) m.put(names.get(i), axes.get(names.get(i)).get(idx[i]));
            out.add(new Params(m));
            for (int i = names.size() - 1; i >= 0; i--) {
                if (++idx[i] < axes.get(names.get(i)).size()) break;
                idx[i] = 0;
            }
        }
        return out;
    }

    /** Number of runs: the product of the value counts. */
    public int size() {
        long n = 1;
        for (List<Object> v : axes.values()) n *= v.size();
        if (n > 1_000_000) throw new LabException("Sweep", "the grid has " + n + " runs; keep it under a million");
        return (int) n;
    }

    /** Runs the grid, one by one (the same Table as {@link #run()}). */
    public Table runSerially() { return run(1); }

    /** Runs the grid in parallel and returns one row per run, in grid order. Example: {@code sweep.run()}. */
    public Table run() { return run(threads); }

    private Table run(int nThreads) {
        List<Params> grid = grid();
        int total = grid.size();
        SweepProgress pr = progress != null ? progress : defaultProgress.apply(name);
        pr.started(total);
        List<Map<String, ?>> results = new ArrayList<>(java.util.Collections.nCopies(total, null));
        if (nThreads == 1 || total == 1) {
            for (int i = 0; i < total; i++) {
                results.set(i, runOne(grid, i));
                pr.finished(i + 1, total);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(nThreads, total), daemonThreads());
            try {
                CompletionService<Integer> cs = new ExecutorCompletionService<>(pool);
                List<Future<Integer>> futures = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    int run = i;
                    futures.add(cs.submit(() -> { results.set(run, runOne(grid, run)); return run; }));
                }
                for (int done = 1; done <= total; done++) {
                    try {
                        cs.take().get();
                    } catch (ExecutionException e) {
                        futures.forEach(f -> f.cancel(true));
                        if (e.getCause() instanceof LabException le) throw le;
                        throw new LabException("Sweep", String.valueOf(e.getCause()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        futures.forEach(f -> f.cancel(true));
                        throw new LabException("Sweep", "interrupted after " + (done - 1) + " of " + total + " runs");
                    }
                    pr.finished(done, total);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return table(grid, results);
    }

    private Map<String, ?> runOne(List<Params> grid, int i) {
        Params p = grid.get(i);
        Map<String, ?> r;
        try {
            r = Sim.inExperiment(() -> experiment.run(p));
        } catch (LabException e) {
            throw new LabException("Sweep", "run " + (i + 1) + " of " + grid.size() + " (" + p + ") failed: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new LabException("Sweep", "run " + (i + 1) + " of " + grid.size() + " (" + p + ") failed: " + e);
        }
        if (r == null || r.isEmpty()) throw new LabException("Sweep", "run " + (i + 1) + " (" + p + ") returned no result columns; return Result.of(\"name\", value)");
        if (r instanceof LinkedHashMap || r instanceof SortedMap) return r;
        return new java.util.TreeMap<>(r);                   // Map.of has no stable order: sort the names so every run agrees
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tasklab-sweep-" + n.incrementAndGet());
            t.setDaemon(true);                                 // a notebook kernel must be able to exit with a sweep running
            return t;
        };
    }

    private Table table(List<Params> grid, List<Map<String, ?>> results) {
        Table t = Table.create(name);
        for (String param : axes.keySet()) {
            List<Object> vals = new ArrayList<>();
            for (Params p : grid) vals.add(p.map().get(param));
            t.addColumns(column(param, vals));
        }
        List<String> cols = new ArrayList<>(results.get(0).keySet());
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).keySet().equals(new java.util.LinkedHashSet<>(cols))) {
                throw new LabException("Sweep", "run " + (i + 1) + " (" + grid.get(i) + ") returned columns " + results.get(i).keySet()
                    + " but run 1 returned " + cols + "; every run must return the same columns");
            }
        }
        for (String c : cols) {
            if (axes.containsKey(c)) throw new LabException("Sweep", "result column '" + c + "' has the name of a parameter; rename it");
            List<Object> vals = new ArrayList<>();
            for (Map<String, ?> r : results) vals.add(r.get(c));
            t.addColumns(column(c, vals));
        }
        return t;
    }

    /** A column of the narrowest type that holds every value: int, long, double, boolean, else text. */
    static Column<?> column(String name, List<Object> vals) {
        boolean allInt = true, allLong = true, allNum = true, allBool = true;
        for (Object v : vals) {
            if (v == null) continue;
            allInt &= v instanceof Integer || v instanceof Short || v instanceof Byte;
            allLong &= v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
            allNum &= v instanceof Number;
            allBool &= v instanceof Boolean;
        }
        if (allInt && !allBool) {
            IntColumn c = IntColumn.create(name);
            for (Object v : vals) if (v == null) c.appendMissing(); else c.append(((Number) v).intValue());
            return c;
        }
        if (allLong && !allBool) {
            LongColumn c = LongColumn.create(name);
            for (Object v : vals) if (v == null) c.appendMissing(); else c.append(((Number) v).longValue());
            return c;
        }
        if (allNum && !allBool) {
            DoubleColumn c = DoubleColumn.create(name);
            for (Object v : vals) if (v == null) c.appendMissing(); else c.append(((Number) v).doubleValue());
            return c;
        }
        if (allBool) {
            BooleanColumn c = BooleanColumn.create(name);
            for (Object v : vals) if (v == null) c.appendMissing(); else c.append((Boolean) v);
            return c;
        }
        StringColumn c = StringColumn.create(name);
        for (Object v : vals) if (v == null) c.appendMissing(); else c.append(Params.text(v));
        return c;
    }

    @Override public String toString() { return "Sweep[" + name + ": " + axes.keySet() + ", " + size() + " runs]"; }
}
