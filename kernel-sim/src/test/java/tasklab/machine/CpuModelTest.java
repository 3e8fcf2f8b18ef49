package tasklab.machine;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Presets agree with datasets/cpu_models.csv and datasets/x86_tlb_by_generation.csv; what-ifs and validation. */
class CpuModelTest {

    // ------------------------------------------------------------------ CSV plumbing

    /** Finds datasets/NAME from the module dir (surefire's working dir) or any parent of the working dir. */
    private static Path dataset(String name) {
        Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("datasets").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return fail("datasets/" + name + " not found from " + dir + " or its parents");
    }

    /** RFC 4180 reader: quoted fields may hold commas, doubled quotes and newlines. Returns rows as header->value maps. */
    static List<Map<String, String>> readCsv(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (fieldStarted || field.length() > 0 || !row.isEmpty()) {
                    row.add(field.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        if (quoted) {
            fail(file + ": unterminated quoted field");
        }
        if (fieldStarted || field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        List<String> header = rows.get(0);
        List<Map<String, String>> out = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> cells = rows.get(r);
            assertEquals(header.size(), cells.size(), file.getFileName() + " row " + r + " has a wrong number of fields");
            Map<String, String> m = new LinkedHashMap<>();
            for (int k = 0; k < header.size(); k++) {
                m.put(header.get(k), cells.get(k));
            }
            out.add(m);
        }
        return out;
    }

    @Test
    void csvReaderHandlesQuotesCommasAndNewlines() throws IOException {
        Path tmp = Files.createTempFile("csv", ".csv");
        try {
            Files.writeString(tmp, "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n");
            List<Map<String, String>> rows = readCsv(tmp);
            assertEquals(2, rows.size());
            assertEquals("x, y", rows.get(0).get("b"));
            assertEquals("say \"hi\"", rows.get(0).get("c"));
            assertEquals("two\nlines", rows.get(1).get("b"));
            assertEquals("", rows.get(1).get("c"));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ------------------------------------------------------------------ presets vs cpu_models.csv

    @Test
    void everyPresetAgreesWithItsCsvRowFieldByField() throws IOException {
        List<Map<String, String>> rows = readCsv(dataset("cpu_models.csv"));
        assertEquals(CpuModel.presets().size(), rows.size(), "one CSV row per preset");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> r = rows.get(i);
            CpuModel m = CpuModel.presets().get(i);
            String n = r.get("model");
            assertAll(n,
                    () -> assertEquals(n, m.name(), "presets() order follows the CSV"),
                    () -> assertSame(m, CpuModel.byName(n)),
                    () -> assertEquals(num(r, "mhz"), m.mhz(), "mhz"),
                    () -> assertEquals(num(r, "itlb_entries"), m.itlb().entries(), "itlb_entries"),
                    () -> assertEquals(num(r, "itlb_ways"), m.itlb().ways(), "itlb_ways"),
                    () -> assertEquals(num(r, "dtlb_entries"), m.dtlb().entries(), "dtlb_entries"),
                    () -> assertEquals(num(r, "dtlb_ways"), m.dtlb().ways(), "dtlb_ways"),
                    () -> assertEquals(bool(r, "unified_tlb"), m.unifiedTlb(), "unified_tlb"),
                    () -> assertEquals(bool(r, "invlpg"), m.hasInvlpg(), "invlpg"),
                    () -> assertEquals(bool(r, "pge"), m.hasPge(), "pge"),
                    () -> assertEquals(num(r, "l1d_bytes"), m.l1d().sizeBytes(), "l1d_bytes"),
                    () -> assertEquals(num(r, "l1d_ways"), m.l1d().ways(), "l1d_ways"),
                    () -> assertEquals(num(r, "l1d_line"), m.l1d().lineBytes(), "l1d_line"),
                    () -> assertEquals(num(r, "l2_bytes"), m.l2().sizeBytes(), "l2_bytes"),
                    () -> assertEquals(num(r, "l2_ways"), m.l2().ways(), "l2_ways"),
                    () -> assertEquals(num(r, "l2_line"), m.l2().lineBytes(), "l2_line"),
                    () -> assertEquals(bool(r, "pse"), m.hasPse(), "pse"),
                    () -> assertEquals(r.get("itlb_4m"), m.itlbLarge().csv(), "itlb_4m"),
                    () -> assertEquals(r.get("dtlb_4m"), m.dtlbLarge().csv(), "dtlb_4m"),
                    () -> assertFalse(r.get("source").isBlank(), "source"),
                    () -> assertFalse(r.get("exactness").isBlank(), "exactness"));
            if (m.unifiedTlb()) {
                assertEquals(m.itlb(), m.dtlb(), n + ": a unified TLB repeats one geometry");
            }
        }
    }

    @Test
    void approximateTlbAttributionKeepsItsWordInTheCsv() throws IOException {
        for (Map<String, String> r : readCsv(dataset("cpu_models.csv"))) {
            String model = r.get("model");
            boolean fromDescriptors = model.startsWith("Pentium Pro") || model.startsWith("Pentium II")
                    || model.startsWith("Pentium 4");
            assertEquals(fromDescriptors, r.get("exactness").contains("attribution APPROXIMATE"), model);
        }
    }

    private static int num(Map<String, String> r, String col) {
        return Integer.parseInt(r.get(col).trim());
    }

    private static boolean bool(Map<String, String> r, String col) {
        String v = r.get(col).trim();
        if (!v.equals("true") && !v.equals("false")) {
            fail(col + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    // ------------------------------------------------------------------ presets vs x86_tlb_by_generation.csv

    /** Which presets each CPU family of x86_tlb_by_generation.csv describes (matched on the start of the cpu cell). */
    private static final Map<String, List<CpuModel>> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put("Intel 80386", List.of(CpuModel.I386DX_33));
        FAMILIES.put("Intel486", List.of(CpuModel.I486DX2_66));
        FAMILIES.put("Intel Pentium (P5)", List.of(CpuModel.PENTIUM_100));
        FAMILIES.put("Intel P6 family", List.of(CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_II_450));
        FAMILIES.put("Intel NetBurst", List.of(CpuModel.PENTIUM_4_2000));
    }

    @Test
    void everyFourKTlbRowOfAPresetFamilyAgreesWithThePreset() throws IOException {
        Map<CpuModel, Integer> checked = new LinkedHashMap<>();
        String cpu = null;
        for (Map<String, String> r : readCsv(dataset("x86_tlb_by_generation.csv"))) {
            String cell = r.get("cpu").trim();
            cpu = cell.equals("(same)") ? cpu : cell;   // "(same)" continues the family of the row above
            if (!r.get("page_size").contains("4K")) {
                continue;                               // only 4 KiB entries are modelled
            }
            List<CpuModel> presets = family(cpu);
            if (presets == null) {
                continue;                               // AMD-K5, Zen 4: no preset
            }
            String kind = r.get("tlb").trim();
            Set<Integer> entries = entryAlternatives(r.get("entries"));
            Integer ways = ways(r.get("associativity"), entries);
            for (CpuModel m : presets) {
                String what = m.name() + " vs " + cpu + " " + kind + " " + r.get("entries") + " " + r.get("associativity");
                List<TlbGeometry> tlbs = switch (kind) {
                    case "unified" -> {
                        assertTrue(m.unifiedTlb(), what + ": the source says unified");
                        yield List.of(m.itlb(), m.dtlb());
                    }
                    case "data" -> List.of(m.dtlb());
                    case "instruction" -> List.of(m.itlb());
                    default -> fail("unexpected TLB kind '" + kind + "' for a preset family: " + what);
                };
                for (TlbGeometry t : tlbs) {
                    assertTrue(entries.contains(t.entries()), what + ": entries " + t.entries() + " not in " + entries);
                    if (ways != null) {
                        assertEquals(ways.intValue(), t.ways(), what + ": ways");
                    }
                }
                checked.merge(m, 1, Integer::sum);
            }
        }
        // guard against a filter that silently skips rows
        assertEquals(Map.of(
                CpuModel.I386DX_33, 1, CpuModel.I486DX2_66, 1, CpuModel.PENTIUM_100, 2,
                CpuModel.PENTIUM_PRO_200, 2, CpuModel.PENTIUM_II_450, 2, CpuModel.PENTIUM_4_2000, 2), checked);
    }

    /** The 4 MiB rows of x86_tlb_by_generation.csv for the P6 family (descriptors 0x02 / 0x04) and NetBurst (shared 4K + 4M). */
    @Test
    void everyFourMTlbRowOfAPresetFamilyAgreesWithThePreset() throws IOException {
        int checked = 0;
        String cpu = null;
        for (Map<String, String> r : readCsv(dataset("x86_tlb_by_generation.csv"))) {
            String cell = r.get("cpu").trim();
            cpu = cell.equals("(same)") ? cpu : cell;
            List<CpuModel> presets = family(cpu);
            if (presets == null || !r.get("page_size").contains("4M")) continue;
            for (CpuModel m : presets) {
                LargePageTlb large = r.get("tlb").trim().equals("instruction") ? m.itlbLarge() : m.dtlbLarge();
                if (r.get("page_size").contains("4K")) {
                    // NetBurst: one TLB for both sizes (data shared; the instruction TLB fragments, SDM Table 11-1)
                    assertTrue(large.kind() == LargePageTlb.Kind.SHARED || large.kind() == LargePageTlb.Kind.FRAGMENTED, m.name() + " " + large);
                } else {
                    Set<Integer> entries = entryAlternatives(r.get("entries"));
                    assertEquals(LargePageTlb.Kind.SEPARATE, large.kind(), m.name());
                    assertTrue(entries.contains(large.geometry().entries()), m.name() + " " + large);
                    assertEquals(ways(r.get("associativity"), entries), large.geometry().ways(), m.name() + " " + large);
                }
                checked++;
            }
        }
        assertEquals(6, checked, "P6 x 2 rows x 2 presets + NetBurst x 2 rows");
        assertEquals(LargePageTlb.separate(new TlbGeometry(8, 4)), CpuModel.PENTIUM_100.dtlbLarge(), "P5: 8 entries 4-way (SDM Table 11-1)");
        assertEquals(LargePageTlb.NONE, CpuModel.I486DX2_66.dtlbLarge());
    }

    @Test
    void withPseRemovesOrRestoresFourMiBPages() {
        CpuModel off = CpuModel.PENTIUM_PRO_200.withPse(false);
        assertFalse(off.hasPse());
        assertEquals("Pentium Pro-200 (pse=false)", off.name());
        assertEquals(CpuModel.PENTIUM_PRO_200.dtlbLarge(), off.dtlbLarge(), "the TLB geometry stays");
        assertNotEquals(CpuModel.PENTIUM_PRO_200, off);
        assertTrue(off.withPse(true).hasPse());
        assertEquals(CostModel.of(CpuModel.PENTIUM_PRO_200).schedulePath(), CostModel.of(off).schedulePath(), "costs of the base preset");
    }

    @Test
    void knownFamilyGeometriesAsStatedInTheBrief() {
        assertEquals(new TlbGeometry(32, 4), CpuModel.I386DX_33.itlb());
        assertEquals(new TlbGeometry(32, 4), CpuModel.I486DX2_66.dtlb());
        assertEquals(new TlbGeometry(64, 4), CpuModel.PENTIUM_100.dtlb());
        assertEquals(new TlbGeometry(32, 4), CpuModel.PENTIUM_100.itlb());
        for (CpuModel p6 : List.of(CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_II_450)) {
            assertEquals(new TlbGeometry(32, 4), p6.itlb(), p6.name());
            assertEquals(new TlbGeometry(64, 4), p6.dtlb(), p6.name());
        }
        assertTrue(CpuModel.PENTIUM_4_2000.dtlb().isFullyAssociative());
    }

    @Test
    void invlpgFromIntel486AndPgeFromPentiumPro() throws IOException {
        // x86_instruction_costs.csv: INVLPG not available on the 80386
        boolean found = false;
        for (Map<String, String> r : readCsv(dataset("x86_instruction_costs.csv"))) {
            if (r.get("instruction").equals("INVLPG") && r.get("cpu").equals("80386")) {
                assertEquals("not available", r.get("value"));
                found = true;
            }
        }
        assertTrue(found, "the 80386 INVLPG row is in x86_instruction_costs.csv");
        List<CpuModel> p = CpuModel.presets();
        for (int i = 0; i < p.size(); i++) {
            assertEquals(i >= 1, p.get(i).hasInvlpg(), p.get(i).name() + " INVLPG");
            assertEquals(i >= 3, p.get(i).hasPge(), p.get(i).name() + " PGE");
        }
    }

    private static List<CpuModel> family(String cpu) {
        for (Map.Entry<String, List<CpuModel>> e : FAMILIES.entrySet()) {
            if (cpu.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    /** "32" -> {32}; "64 / 128 / 256" -> {64, 128, 256} (one per CPUID descriptor). */
    private static Set<Integer> entryAlternatives(String cell) {
        Set<Integer> s = new TreeSet<>();
        for (String part : cell.split("/")) {
            s.add(Integer.parseInt(part.trim()));
        }
        return s;
    }

    /** "4-way ..." -> 4; "fully associative" -> entries (only if a single value); "(not stated)" -> null (unchecked). */
    private static Integer ways(String cell, Set<Integer> entries) {
        String c = cell.trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)-way").matcher(c);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        if (c.startsWith("fully associative") && entries.size() == 1) {
            return entries.iterator().next();
        }
        return null;
    }

    // ------------------------------------------------------------------ lookup

    @Test
    void byNameAcceptsCsvAndConstantNamesIgnoringCase() {
        assertSame(CpuModel.PENTIUM_PRO_200, CpuModel.byName("Pentium Pro-200"));
        assertSame(CpuModel.PENTIUM_PRO_200, CpuModel.byName("pentium pro-200"));
        assertSame(CpuModel.PENTIUM_PRO_200, CpuModel.byName("PENTIUM_PRO_200"));
        assertSame(CpuModel.I386DX_33, CpuModel.byName("i386dx_33"));
        assertSame(CpuModel.I486DX2_66, CpuModel.byName("80486DX2-66"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuModel.byName("Pentium 5"));
        assertTrue(e.getMessage().contains("Pentium 5"), e.getMessage());
        for (CpuModel m : CpuModel.presets()) {
            assertTrue(e.getMessage().contains(m.name()), "message lists " + m.name() + ": " + e.getMessage());
        }
    }

    @Test
    void presetsListIsFixedAndOrdered() {
        List<CpuModel> p = CpuModel.presets();
        assertEquals(List.of(CpuModel.I386DX_33, CpuModel.I486DX2_66, CpuModel.PENTIUM_100,
                CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_II_450, CpuModel.PENTIUM_4_2000), p);
        assertThrows(UnsupportedOperationException.class, () -> p.add(CpuModel.I386DX_33));
    }

    // ------------------------------------------------------------------ what-if

    @Test
    void withMhzDerivesANamedCopyAndLeavesThePresetAlone() {
        CpuModel fast = CpuModel.PENTIUM_PRO_200.withMhz(400);
        assertEquals("Pentium Pro-200 (mhz=400)", fast.name());
        assertEquals(400, fast.mhz());
        assertEquals(200, CpuModel.PENTIUM_PRO_200.mhz());
        assertEquals("Pentium Pro-200", CpuModel.PENTIUM_PRO_200.name());
        assertEquals(CpuModel.PENTIUM_PRO_200.itlb(), fast.itlb());
        assertEquals(CpuModel.PENTIUM_PRO_200.l2(), fast.l2());
        assertNotEquals(CpuModel.PENTIUM_PRO_200, fast);
        assertEquals(fast, CpuModel.PENTIUM_PRO_200.withMhz(400));
        assertEquals(fast.hashCode(), CpuModel.PENTIUM_PRO_200.withMhz(400).hashCode());
    }

    @Test
    void chainedChangesAreAllRecordedAndARepeatedChangeReplacesTheOldOne() {
        CpuModel m = CpuModel.PENTIUM_100.withMhz(200).withPge(true).withMhz(300);
        assertEquals("Pentium-100 (pge=true, mhz=300)", m.name());
        assertTrue(m.hasPge());
        assertEquals(300, m.mhz());
        CpuModel renamed = m.withName("My P5");
        assertEquals("My P5", renamed.name());
        assertEquals("My P5 (invlpg=false)", renamed.withInvlpg(false).name());
        assertThrows(IllegalArgumentException.class, () -> CpuModel.byName("My P5"), "derived models are not presets");
    }

    @Test
    void withTlbSplitsAndWithUnifiedTlbUnifies() {
        CpuModel split = CpuModel.I486DX2_66.withTlb(new TlbGeometry(32, 4), new TlbGeometry(64, 4));
        assertFalse(split.unifiedTlb());
        assertEquals(64, split.dtlb().entries());
        assertEquals("80486DX2-66 (tlb=I32x4w/D64x4w)", split.name());

        CpuModel unified = CpuModel.PENTIUM_II_450.withUnifiedTlb(TlbGeometry.fullyAssociative(128));
        assertTrue(unified.unifiedTlb());
        assertEquals(unified.itlb(), unified.dtlb());
        assertEquals(1, unified.dtlb().sets());
        assertEquals("Pentium II-450 (tlb=U128x128w)", unified.name());
    }

    @Test
    void withCachesAndFeatureFlags() {
        CpuModel noL2 = CpuModel.PENTIUM_PRO_200.withL2(CacheGeometry.NONE);
        assertFalse(noL2.l2().isPresent());
        assertEquals("Pentium Pro-200 (l2=none)", noL2.name());
        CpuModel bigL1 = CpuModel.I386DX_33.withL1d(new CacheGeometry(16 * 1024, 4, 32));
        assertEquals(128, bigL1.l1d().sets());
        assertEquals("80386DX-33 (l1d=16K/4w/32B)", bigL1.name());
        CpuModel withInvlpg = CpuModel.I386DX_33.withInvlpg(true);
        assertTrue(withInvlpg.hasInvlpg());
        assertFalse(CpuModel.I386DX_33.hasInvlpg());
        assertFalse(CpuModel.PENTIUM_4_2000.withPge(false).hasPge());
    }

    @Test
    void nsFromCyclesIsCyclesOverMhzTimesThousand() {
        assertEquals(1000.0, CpuModel.PENTIUM_PRO_200.nsFromCycles(200), 1e-9);
        assertEquals(1000.0, CpuModel.I386DX_33.nsFromCycles(33), 1e-9);
        assertEquals(0.5, CpuModel.PENTIUM_4_2000.nsFromCycles(1), 1e-12);
        assertEquals(0.0, CpuModel.PENTIUM_100.nsFromCycles(0), 0.0);
        assertEquals(1e12, CpuModel.PENTIUM_4_2000.nsFromCycles(2_000_000_000_000L), 1.0);
    }

    @Test
    void toStringIsOneReadableLine() {
        String s = CpuModel.PENTIUM_PRO_200.toString();
        assertFalse(s.contains("\n"));
        assertEquals("Pentium Pro-200: 200 MHz, ITLB 32 entries 4-way, DTLB 64 entries 4-way, INVLPG yes, PGE yes, "
                + "L1D 8 KiB 2-way 32 B lines, L2 256 KiB 4-way 32 B lines", s);
        assertTrue(CpuModel.I386DX_33.toString().contains("unified TLB 32 entries 4-way"));
        assertTrue(CpuModel.I386DX_33.toString().contains("L1D none"));
    }

    // ------------------------------------------------------------------ validation

    @Test
    void tlbGeometryValidation() {
        assertEquals(8, new TlbGeometry(32, 4).sets());
        assertEquals(1, TlbGeometry.fullyAssociative(64).sets());
        assertMessage(() -> new TlbGeometry(0, 4), "entries must be positive");
        assertMessage(() -> new TlbGeometry(32, 0), "ways must be positive");
        assertMessage(() -> new TlbGeometry(32, 5), "multiple of ways");
        assertMessage(() -> new TlbGeometry(48, 4), "power of two");
    }

    @Test
    void cacheGeometryValidation() {
        assertEquals(128, new CacheGeometry(8192, 2, 32).sets());
        assertEquals(0, CacheGeometry.NONE.sets());
        assertEquals(CacheGeometry.NONE, new CacheGeometry(0, 0, 0));
        assertMessage(() -> new CacheGeometry(0, 2, 32), "size must be positive");
        assertMessage(() -> new CacheGeometry(8192, 0, 32), "ways must be positive");
        assertMessage(() -> new CacheGeometry(8192, 2, 24), "power of two");
        assertMessage(() -> new CacheGeometry(8192, 3, 32), "multiple of ways x line");
        assertMessage(() -> new CacheGeometry(12288, 2, 32), "sets");
    }

    @Test
    void cpuModelValidation() {
        assertMessage(() -> CpuModel.PENTIUM_100.withMhz(0), "clock must be positive");
        assertMessage(() -> CpuModel.PENTIUM_100.withName(" "), "name must not be blank");
        assertThrows(NullPointerException.class, () -> CpuModel.PENTIUM_100.withL1d(null));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
        assertTrue(e.getMessage().endsWith("."), "message is a sentence: " + e.getMessage());
    }
}
