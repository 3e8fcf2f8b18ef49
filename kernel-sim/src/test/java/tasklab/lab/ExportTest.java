package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasklab.kernel.KernelVersion;
import tasklab.trace.Event;
import tech.tablesaw.api.Table;
import org.w3c.dom.Document;

/** Export writes files other tools read: CSV back into Tablesaw, SVG as XML, the trace as Chrome trace JSON. */
class ExportTest {
    @Test
    void csvReadsBackAsTheSameTable(@TempDir Path dir) {
        Sim sim = Sim.boot();
        Table ps = sim.ps();
        Path p = Export.csv(ps, dir.resolve("sub/ps.csv"));
        Table back = Table.read().csv(p.toFile());
        assertEquals(ps.columnNames(), back.columnNames());
        assertEquals(ps.rowCount(), back.rowCount());
        assertEquals(ps.intColumn("pid").asList(), back.intColumn("pid").asList());
        assertEquals(ps.stringColumn("comm").asList(), back.stringColumn("comm").asList());
    }

    @Test
    void svgIsXmlAt800By450(@TempDir Path dir) throws Exception {
        Path p = Export.svg(Charts.latCtx(ChartsTest.latCtxTable()), dir.resolve("lat.svg"));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document d = f.newDocumentBuilder().parse(p.toFile());
        assertEquals("svg", d.getDocumentElement().getNodeName());
        assertTrue(d.getElementsByTagName("path").getLength() + d.getElementsByTagName("polyline").getLength() > 0);
        assertEquals("0 0 800 450", d.getDocumentElement().getAttribute("viewBox"));
    }

    @Test
    void pngAndSvgRefuseAFolder(@TempDir Path dir) {
        LabException e = assertThrows(LabException.class, () -> Export.png(Charts.ipis(Sim.boot()), dir));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
    }

    @Test
    void chromeTraceHasOneSlicePerRunIntervalAndAnInstantPerFlushAndIpi(@TempDir Path dir) throws Exception {
        Sim sim = Workloads.smp24();
        Path p = Export.chromeTrace(sim, dir.resolve("trace.json"));
        JsonNode root = new ObjectMapper().readTree(p.toFile());
        JsonNode events = root.get("traceEvents");
        assertTrue(events.isArray());

        // expected: per CPU, one slice per sched_switch plus the boot slice (the trace holds everything since boot)
        assertEquals(0, sim.kernel().trace().dropped());
        Map<Integer, Integer> switches = new HashMap<>();
        int flushes = 0, ipis = 0;
        for (Event e : sim.kernel().trace().events()) {
            if (e instanceof Event.SchedSwitch s) switches.merge(s.cpu(), 1, Integer::sum);
            if (e instanceof Event.TlbFlush) flushes++;
            if (e instanceof Event.Ipi) ipis++;
        }
        assertTrue(ipis > 0 && flushes > 0);
        Map<Integer, Integer> slices = new HashMap<>();
        int flushInstants = 0, ipiInstants = 0;
        Map<Integer, Double> lastEnd = new HashMap<>();
        for (JsonNode e : events) {
            String ph = e.get("ph").asText();
            if (ph.equals("X")) {
                int cpu = e.get("tid").asInt();
                slices.merge(cpu, 1, Integer::sum);
                double ts = e.get("ts").asDouble(), dur = e.get("dur").asDouble();
                assertTrue(dur >= 0, "a slice has a non-negative duration");
                Double prev = lastEnd.get(cpu);
                if (prev != null) assertEquals(prev, ts, 1e-6, "slices on a CPU follow each other without gaps");
                lastEnd.put(cpu, ts + dur);
                assertTrue(e.get("args").get("pid").isInt());
            } else if (ph.equals("i")) {
                if (e.get("cat").asText().equals("tlb")) flushInstants++;
                if (e.get("cat").asText().equals("ipi")) ipiInstants++;
            }
        }
        for (int cpu = 0; cpu < 2; cpu++) assertEquals(switches.get(cpu) + 1, slices.get(cpu), "CPU" + cpu);
        assertEquals(flushes, flushInstants);
        assertEquals(ipis, ipiInstants);
        assertEquals("CPU1", find(events, "thread_name", 1).get("args").get("name").asText());
    }

    @Test
    void aBoundedTraceLeavesOutTheUnknownFirstSlice(@TempDir Path dir) throws Exception {
        Sim sim = Sim.linux24().traceLimit(200).boot();
        sim.spawn(tasklab.program.Program.builder().loop(500, b -> b.yield()).build(), 2);
        sim.runMillis(5);
        assertTrue(sim.kernel().trace().dropped() > 0);
        long switches = sim.kernel().trace().events().stream().filter(e -> e instanceof Event.SchedSwitch).count();
        JsonNode events = new ObjectMapper().readTree(Export.chromeTrace(sim, dir.resolve("t.json")).toFile()).get("traceEvents");
        long slices = 0;
        for (JsonNode e : events) if (e.get("ph").asText().equals("X")) slices++;
        assertEquals(switches, slices);
    }

    private static JsonNode find(JsonNode events, String name, int tid) {
        for (JsonNode e : events) if (e.get("name").asText().equals(name) && e.has("tid") && e.get("tid").asInt() == tid) return e;
        throw new AssertionError("no " + name + " for tid " + tid);
    }

    @Test
    void theSameRunExportsTheSameBytes(@TempDir Path dir) throws Exception {
        Path a = Export.chromeTrace(Workloads.smp(KernelVersion.LINUX_2_6, 5), dir.resolve("a.json"));
        Path b = Export.chromeTrace(Workloads.smp(KernelVersion.LINUX_2_6, 5), dir.resolve("b.json"));
        assertEquals(Files.readString(a), Files.readString(b));
    }
}
