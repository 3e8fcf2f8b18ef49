package tasklab.machine;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The cost table agrees with datasets/cost_model.csv, cites real datasets, and reproduces the values it cites. */
class CostModelTest {

    private static Path dataset(String name) {
        Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("datasets").resolve(name);
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return fail("datasets/" + name + " not found from " + dir);
    }

    private static List<Map<String, String>> csv(String name) throws IOException {
        return CpuModelTest.readCsv(dataset(name));
    }

    private static Map<String, String> row(List<Map<String, String>> rows, String col, String value) {
        return rows.stream().filter(r -> r.get(col).equals(value)).findFirst()
            .orElseGet(() -> fail("no row with " + col + " = " + value));
    }

    @Test
    void tableAndDatasetsCostModelCsvAgreeRowByRow() throws IOException {
        List<Map<String, String>> rows = csv("cost_model.csv");
        assertEquals(CostModel.TABLE.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            CostModel.CostEntry e = CostModel.TABLE.get(i);
            Map<String, String> r = rows.get(i);
            String where = "row " + (i + 1) + " " + e.name() + " " + e.model();
            assertEquals(e.name(), r.get("constant"), where);
            assertEquals(e.model(), r.get("model"), where);
            assertEquals(e.cycles(), Long.parseLong(r.get("cycles")), where);
            assertEquals(e.scaling() == CostModel.Scaling.CYCLES ? "cycles" : "ns", r.get("scaling"), where);
            assertEquals(e.exactness(), r.get("exactness"), where);
            assertEquals(e.source(), r.get("source"), where);
        }
        assertEquals(CostModel.tableCsv(), Files.readString(dataset("cost_model.csv")));
    }

    @Test
    void everyPresetHasEveryConstantAndEveryRowNamesItsBasis() {
        assertEquals(CostModel.NAMES.size() * CpuModel.presets().size(), CostModel.TABLE.size());
        Pattern file = Pattern.compile("([a-z0-9_]+\\.csv)");
        for (CpuModel m : CpuModel.presets()) {
            CostModel c = CostModel.of(m);
            assertSame(c, CostModel.of(m), "presets are cached");
            assertEquals(CostModel.NAMES.size(), c.entries().size());
            for (String n : CostModel.NAMES) assertTrue(c.get(n) >= 0);
        }
        for (CostModel.CostEntry e : CostModel.TABLE) {
            String ex = e.exactness();
            assertTrue(ex.startsWith("exact") || ex.startsWith("emulator") || ex.startsWith("converted")
                || ex.startsWith("derived") || ex.startsWith("assumption") || ex.startsWith("what-if"), e.toString());
            Matcher mt = file.matcher(e.source() + " " + ex);
            while (mt.find()) dataset(mt.group(1));             // every cited file exists
            if (!ex.startsWith("assumption") && !ex.startsWith("derived") && !ex.startsWith("what-if")
                    && !e.source().startsWith("the ")) {
                assertTrue(e.source().contains(".csv row"), "a sourced value cites a dataset row: " + e);
            }
        }
    }

    @Test
    void valuesTakenFromDatasetsReproduceThem() throws IOException {
        var xic = csv("x86_instruction_costs.csv");
        assertEquals(25, CostModel.of(CpuModel.PENTIUM_100).invlpg());
        assertEquals("25", row(xic, "instruction", "INVLPG m").get("value"));
        long mame386 = xic.stream().filter(r -> r.get("instruction").equals("MOV CR3, reg") && r.get("cpu").equals("80386"))
            .mapToLong(r -> Long.parseLong(r.get("value"))).findFirst().orElseThrow();
        assertEquals(mame386, CostModel.of(CpuModel.I386DX_33).cr3Load());
        assertEquals("12/22", row(xic, "instruction", "MOV CRn, r32 (load control reg)").get("value"));
        assertEquals(22, CostModel.of(CpuModel.PENTIUM_100).cr3Load());

        var flush = csv("linux_tlb_flush_costs.csv");
        assertEquals(Long.parseLong(row(flush, "item", "__flush_tlb() (CR3 reload)").get("value")),
            CostModel.of(CpuModel.PENTIUM_4_2000).flushTlb());
        assertEquals(Math.round(Double.parseDouble(row(flush, "item", "single-page flush (INVLPG) cost").get("value")) * 2000 / 1000),
            CostModel.of(CpuModel.PENTIUM_4_2000).invlpg(), "100 ns x 2000 MHz");

        double nullCall = Double.parseDouble(row(csv("lmbench3_piii450_linux2418.csv"), "benchmark", "null call").get("load_1_process"));
        assertEquals(Math.round(nullCall * 450), CostModel.of(CpuModel.PENTIUM_II_450).syscallEntry());

        var lkml = csv("lkml_lmbench2_i686_linux24_25.csv");
        Map<String, String> toolbox = lkml.stream().filter(r -> r.get("kernel").equals("2.4.2-2")).findFirst().orElseThrow();
        long ctx = Math.round(Double.parseDouble(toolbox.get("ctx_2p0k_us")) * Integer.parseInt(toolbox.get("mhz")));
        CostModel p2 = CostModel.of(CpuModel.PENTIUM_II_450);
        assertEquals(ctx - p2.cr3Load(), p2.schedulePath());

        var nullsys = csv("lmbench_null_syscall_tbl_1995.csv");
        assertEquals(Long.parseLong(row(nullsys, "row", "29").get("null_syscall_us")) * 66, CostModel.of(CpuModel.I486DX2_66).syscallEntry());
        assertEquals(Long.parseLong(row(nullsys, "row", "7").get("null_syscall_us")) * 100, CostModel.of(CpuModel.PENTIUM_100).syscallEntry());
        // Pentium Pro: the 1995 Linux i686 rows, converted at the paper's 167 MHz
        CostModel ppro = CostModel.of(CpuModel.PENTIUM_PRO_200);
        assertEquals(Long.parseLong(row(nullsys, "row", "26").get("null_syscall_us")) * 167, ppro.syscallEntry());
        long hop = Math.round(Long.parseLong(row(csv("lmbench_pipe_latency_tbl_1995.csv"), "row", "26").get("pipe_roundtrip_us")) / 2.0 * 167);
        assertEquals(hop - 2 * ppro.syscallEntry() - ppro.pipeRead() - ppro.pipeWrite() - ppro.wakeUp() - ppro.cr3Load(), ppro.schedulePath(),
            "a pipe hop minus everything else it costs");
        var mem95 = csv("lmbench_mem_latency_tbl_1995.csv");
        assertEquals("Unixware/i686", row(mem95, "row", "5").get("system"));
        long l2ns = Long.parseLong(row(mem95, "row", "5").get("l2_ns")) - Long.parseLong(row(mem95, "row", "5").get("l1_ns"));
        assertEquals(Math.round(l2ns * 167 / 1000.0), ppro.l2Hit(), "20 ns x 167 MHz = 3.3 -> 3");
        assertEquals("Linux i686", row(mem95, "row", "26").get("system"));
        long memNs = Long.parseLong(row(mem95, "row", "26").get("memory_ns")) - Long.parseLong(row(mem95, "row", "26").get("l1_ns"));
        assertEquals(Math.round(memNs * 200 / 1000.0), ppro.memoryLatency());
        var ctx95 = csv("lmbench_ctx_tbl_1995.csv");
        assertEquals(Long.parseLong(row(ctx95, "row", "5").get("ctx_2proc_0KB_us")) * 100 - 22, CostModel.of(CpuModel.PENTIUM_100).schedulePath());
    }

    @Test
    void derivedRulesHoldForEveryPreset() {
        for (CpuModel m : CpuModel.presets()) {
            CostModel c = CostModel.of(m);
            String n = m.name();
            assertEquals(c.cr3Load() + 4, c.flushTlb(), n + " flushTlb = CR3 read + write");
            assertEquals(4 + 2 * c.cr3Load(), c.flushTlbGlobal(), n);
            assertEquals(c.syscallEntry() + 4, c.faultEntry(), n);
            assertEquals(c.pageCopy() / 2.0, c.pageClear(), 0.5, n + " clear = copy / 2 (rounded from the exact time)");
            assertEquals(Math.round(2000.0 * m.mhz() / 1000), c.ipiRoundTrip(), n + " 2 us round trip");
            assertTrue(c.memoryLatency() > c.l1Hit(), n);
            if (m.l2().isPresent()) assertTrue(c.memoryLatency() > c.l2Hit(), n + " memory slower than L2");
        }
    }

    @Test
    void derivedModelsRescaleLatencyBoundCostsOnly() {
        CpuModel base = CpuModel.PENTIUM_PRO_200;
        CostModel b = CostModel.of(base);
        CostModel fast = CostModel.of(base.withMhz(400));
        assertEquals(base, fast.basedOn());
        assertEquals(2 * b.memoryLatency(), fast.memoryLatency());
        assertEquals(2 * b.ipiRoundTrip(), fast.ipiRoundTrip());
        assertEquals(Math.round(b.pageCopy() * 2.0), fast.pageCopy());
        assertEquals(b.cr3Load(), fast.cr3Load());
        assertEquals(b.schedulePath(), fast.schedulePath());
        assertEquals(b.l2Hit(), fast.l2Hit(), "on-package L2 runs at core clock");
        // the Pentium's board L2 runs at bus speed: latency-bound
        assertEquals(2 * CostModel.of(CpuModel.PENTIUM_100).l2Hit(), CostModel.of(CpuModel.PENTIUM_100.withMhz(200)).l2Hit());
        // feature what-ifs keep the clock: the same numbers
        CostModel noPge = CostModel.of(base.withPge(false));
        for (String n : CostModel.NAMES) assertEquals(b.get(n), noPge.get(n), n);
        assertEquals(base, noPge.basedOn());
        assertEquals(base.withPge(false), noPge.model());
        // a renamed model takes the preset with the nearest clock
        assertEquals(CpuModel.PENTIUM_II_450, CostModel.of(CpuModel.PENTIUM_II_450.withName("my P6").withMhz(500)).basedOn());
        assertEquals(CpuModel.PENTIUM_II_450, CostModel.of(CpuModel.PENTIUM_PRO_200.withName("x").withMhz(420)).basedOn());
        assertThrows(IllegalArgumentException.class, () -> b.get("nope"));
    }
}
