package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tasklab.kernel.KernelVersion;
import tasklab.program.Program;
import tasklab.trace.Counter;
import tech.tablesaw.api.Table;

/** A sweep is a grid in declared order, the same Table serially and in parallel, with progress on the caller's thread. */
class SweepTest {
    /** A small real experiment: N yielding processes for a few ms; the switches and faults counted. */
    static Result yielders(Params p) {
        Sim sim = Sim.of(p.version()).initcallThreads(false).seed(p.getLong("seed")).boot();
        sim.spawn(Program.builder().mmap(8192).touchMapped(8192, 4096, true).loop(10_000, b -> b.yield()).build(), p.getInt("procs"));
        sim.runMillis(3);
        var c = sim.kernel().counters().snapshot();
        return Result.of("switches", c.total(Counter.CONTEXT_SWITCH)).and("faults", c.total(Counter.PGFAULT))
            .and("now_us", sim.nowMicros()).and("ok", true);
    }

    private static Sweep sweep() {
        return Sweep.of(SweepTest::yielders).named("yielders")
            .vary("version", KernelVersion.LINUX_2_4, KernelVersion.LINUX_2_6)
            .vary("procs", 2, 3, 5)
            .vary("seed", 1L, 2L);
    }

    @Test
    void theGridIsNestedLoopsInDeclaredOrder() {
        List<Params> g = sweep().grid();
        assertEquals(12, g.size());
        assertEquals("version=2.4.22, procs=2, seed=1", g.get(0).toString());
        assertEquals("version=2.4.22, procs=2, seed=2", g.get(1).toString());
        assertEquals("version=2.4.22, procs=3, seed=1", g.get(2).toString());
        assertEquals("version=2.6.22, procs=5, seed=2", g.get(11).toString());
    }

    @Test
    void parallelGivesTheSameTableAsSerial() {
        Table serial = sweep().runSerially();
        Table parallel = sweep().threads(4).run();
        assertEquals(serial.columnNames(), List.of("version", "procs", "seed", "switches", "faults", "now_us", "ok"));
        assertEquals(12, serial.rowCount());
        assertEquals(serial.toString(), parallel.toString());
        assertEquals(csv(serial), csv(parallel));
        for (int i = 0; i < serial.rowCount(); i++) assertEquals(serial.row(i).toString(), parallel.row(i).toString());
        assertTrue(serial.longColumn("switches").min() > 0, "every run switched");
        assertEquals("2.6.22", serial.stringColumn("version").get(11));
        assertEquals(5, serial.intColumn("procs").get(11));
    }

    static String csv(Table t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.write().csv(w);
        return w.toString();
    }

    @Test
    void progressIsReportedOnTheCallersThreadInOrder() {
        List<String> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        Sweep s = sweep().threads(3).progress(new SweepProgress() {
            @Override public void started(int total) { seen.add("start " + total); }
            @Override public void finished(int done, int total) {
                assertEquals(caller, Thread.currentThread());
                seen.add(done + "/" + total);
            }
        });
        s.run();
        List<String> want = new ArrayList<>(List.of("start 12"));
        for (int i = 1; i <= 12; i++) want.add(i + "/12");
        assertEquals(want, seen);
    }

    @Test
    void theDefaultProgressIsWhatTheKernelInstalls() {
        List<String> labels = new ArrayList<>();
        int[] last = {0};
        Sweep.setDefaultProgress(label -> { labels.add(label); return (done, total) -> last[0] = done; });
        try {
            Sweep.of(p -> Result.of("y", p.getInt("x") * 2)).named("doubling").vary("x", 1, 2, 3).run();
        } finally {
            Sweep.setDefaultProgress(null);
        }
        assertEquals(List.of("doubling"), labels);
        assertEquals(3, last[0]);
    }

    @Test
    void columnsTakeTheNarrowestType() {
        Table t = Sweep.of(p -> Result.of("half", p.getInt("n") / 2.0).and("big", 1L << 40).and("name", "n" + p.getInt("n")))
            .vary("n", 1, 2).vary("on", true, false).set("cpu", tasklab.machine.CpuModel.PENTIUM_4_2000).runSerially();
        assertEquals("INTEGER", t.column("n").type().name());
        assertEquals("BOOLEAN", t.column("on").type().name());
        assertEquals("STRING", t.column("cpu").type().name());
        assertEquals("Pentium 4-2000", t.stringColumn("cpu").get(0));
        assertEquals("DOUBLE", t.column("half").type().name());
        assertEquals("LONG", t.column("big").type().name());
        assertEquals(List.of(0.5, 0.5, 1.0, 1.0), t.doubleColumn("half").asList());
    }

    @Test
    void aMapWithoutOrderGetsSortedColumns() {
        Table t = Sweep.of(p -> Map.of("zeta", 1, "alpha", 2, "mid", 3)).vary("x", 1).run();
        assertEquals(List.of("x", "alpha", "mid", "zeta"), t.columnNames());
    }

    @Test
    void mistakesGiveSentences() {
        LabException twice = assertThrows(LabException.class, () -> Sweep.of(p -> Result.of("y", 1)).vary("x", 1).vary("x", 2));
        assertTrue(twice.getMessage().contains("varied twice"), twice.getMessage());
        LabException missing = assertThrows(LabException.class, () -> Sweep.of(p -> Result.of("y", p.getInt("n"))).vary("x", 1).run());
        assertTrue(missing.getMessage().contains("no parameter 'n'") && missing.getMessage().contains("run 1 of 1 (x=1)"), missing.getMessage());
        LabException ragged = assertThrows(LabException.class, () -> Sweep.of(p -> p.getInt("x") == 1 ? Result.of("a", 1) : Result.of("b", 1))
            .vary("x", 1, 2).runSerially());
        assertTrue(ragged.getMessage().contains("same columns"), ragged.getMessage());
        LabException type = assertThrows(LabException.class, () -> Params.of("x", "text").getInt("x"));
        assertTrue(type.getMessage().contains("not int"), type.getMessage());
    }

    @Test
    void singleColumnForm() {
        Table t = Sweep.of("square", p -> p.getDouble("x") * p.getDouble("x")).vary("x", 1.5, 2.0).run();
        assertEquals(List.of(2.25, 4.0), t.doubleColumn("square").asList());
    }
}
