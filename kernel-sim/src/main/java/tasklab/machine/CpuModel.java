package tasklab.machine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * An i386-family CPU model: clock, 4 KiB TLB geometry, INVLPG and PGE support, L1 data and L2 cache geometry.
 *
 * <p>The presets' values mirror {@code datasets/cpu_models.csv} (sources and exactness per value are in
 * {@code datasets/cpu_models.md}); {@code CpuModelTest} keeps the two in agreement. Instances are immutable; the
 * {@code with...} methods derive what-if models whose name records the change, e.g. "Pentium Pro-200 (mhz=400)".
 */
public final class CpuModel {

    /** Intel 80386DX at 33 MHz: unified 32-entry 4-way TLB, no INVLPG, no PGE, no on-chip cache. */
    public static final CpuModel I386DX_33 = preset("80386DX-33", "I386DX_33", 33,
            new TlbGeometry(32, 4), new TlbGeometry(32, 4), true, false, false,
            CacheGeometry.NONE, CacheGeometry.NONE, false, LargePageTlb.NONE, LargePageTlb.NONE);

    /** Intel 80486DX2 at 66 MHz: unified 32-entry 4-way TLB, INVLPG, 8 KiB unified L1 (modelled as L1D), no L2. */
    public static final CpuModel I486DX2_66 = preset("80486DX2-66", "I486DX2_66", 66,
            new TlbGeometry(32, 4), new TlbGeometry(32, 4), true, true, false,
            new CacheGeometry(8 * 1024, 4, 16), CacheGeometry.NONE, false, LargePageTlb.NONE, LargePageTlb.NONE);

    /**
     * Intel Pentium (P54C) at 100 MHz: ITLB 32 4-way, DTLB 64 4-way, INVLPG, PSE (4 MiB pages: a separate 8-entry
     * 4-way data TLB; the code TLB holds them in its 4 KiB entries, SDM Vol. 3A Table 11-1), 8 KiB L1D, assumed
     * 256 KiB board L2.
     */
    public static final CpuModel PENTIUM_100 = preset("Pentium-100", "PENTIUM_100", 100,
            new TlbGeometry(32, 4), new TlbGeometry(64, 4), false, true, false,
            new CacheGeometry(8 * 1024, 2, 32), new CacheGeometry(256 * 1024, 1, 32),
            true, LargePageTlb.FRAGMENTED, LargePageTlb.separate(new TlbGeometry(8, 4)));

    /**
     * Intel Pentium Pro at 200 MHz: ITLB 32 4-way, DTLB 64 4-way, 4 MiB ITLB 2 fully associative and DTLB 8 4-way
     * (CPUID descriptors 0x01-0x04), INVLPG, PGE, PSE, 8 KiB L1D, 256 KiB L2.
     */
    public static final CpuModel PENTIUM_PRO_200 = preset("Pentium Pro-200", "PENTIUM_PRO_200", 200,
            new TlbGeometry(32, 4), new TlbGeometry(64, 4), false, true, true,
            new CacheGeometry(8 * 1024, 2, 32), new CacheGeometry(256 * 1024, 4, 32),
            true, LargePageTlb.separate(TlbGeometry.fullyAssociative(2)), LargePageTlb.separate(new TlbGeometry(8, 4)));

    /**
     * Intel Pentium II (Deschutes) at 450 MHz: ITLB 32 4-way, DTLB 64 4-way, 4 MiB ITLB 2 fully associative and
     * DTLB 8 4-way (CPUID descriptors 0x01-0x04), INVLPG, PGE, PSE, 16 KiB L1D, 512 KiB L2.
     */
    public static final CpuModel PENTIUM_II_450 = preset("Pentium II-450", "PENTIUM_II_450", 450,
            new TlbGeometry(32, 4), new TlbGeometry(64, 4), false, true, true,
            new CacheGeometry(16 * 1024, 4, 32), new CacheGeometry(512 * 1024, 4, 32),
            true, LargePageTlb.separate(TlbGeometry.fullyAssociative(2)), LargePageTlb.separate(new TlbGeometry(8, 4)));

    /**
     * Intel Pentium 4 (Willamette) at 2000 MHz: ITLB 128 4-way (4 MiB pages fragmented into it), DTLB 64 fully
     * assoc. (4 MiB pages share it: descriptors 0x50-0x52 / 0x5b-0x5d, SDM Vol. 3A Table 11-1), INVLPG, PGE, PSE,
     * 8 KiB L1D, 256 KiB L2.
     */
    public static final CpuModel PENTIUM_4_2000 = preset("Pentium 4-2000", "PENTIUM_4_2000", 2000,
            new TlbGeometry(128, 4), TlbGeometry.fullyAssociative(64), false, true, true,
            new CacheGeometry(8 * 1024, 4, 64), new CacheGeometry(256 * 1024, 8, 128),
            true, LargePageTlb.FRAGMENTED, LargePageTlb.SHARED);

    private static final List<CpuModel> PRESETS = List.of(
            I386DX_33, I486DX2_66, PENTIUM_100, PENTIUM_PRO_200, PENTIUM_II_450, PENTIUM_4_2000);

    private final String baseName;
    private final Map<String, String> changes; // what-if changes since baseName, in order; unmodifiable
    private final String constantName;         // Java constant name for presets, null for derived models
    private final int mhz;
    private final TlbGeometry itlb;
    private final TlbGeometry dtlb;
    private final boolean unifiedTlb;
    private final boolean invlpg;
    private final boolean pge;
    private final CacheGeometry l1d;
    private final CacheGeometry l2;
    private final boolean pse;
    private final LargePageTlb itlbLarge;
    private final LargePageTlb dtlbLarge;

    private CpuModel(String baseName, Map<String, String> changes, String constantName, int mhz,
                     TlbGeometry itlb, TlbGeometry dtlb, boolean unifiedTlb, boolean invlpg, boolean pge,
                     CacheGeometry l1d, CacheGeometry l2, boolean pse, LargePageTlb itlbLarge, LargePageTlb dtlbLarge) {
        Objects.requireNonNull(baseName, "name");
        if (baseName.isBlank()) {
            throw new IllegalArgumentException("CPU model name must not be blank.");
        }
        if (mhz <= 0) {
            throw new IllegalArgumentException("CPU clock must be positive, got " + mhz + " MHz.");
        }
        this.itlb = Objects.requireNonNull(itlb, "itlb");
        this.dtlb = Objects.requireNonNull(dtlb, "dtlb");
        if (unifiedTlb && !itlb.equals(dtlb)) {
            throw new IllegalArgumentException("A unified TLB has one geometry, but itlb (" + itlb
                    + ") differs from dtlb (" + dtlb + ").");
        }
        this.l1d = Objects.requireNonNull(l1d, "l1d");
        this.l2 = Objects.requireNonNull(l2, "l2");
        this.baseName = baseName;
        this.changes = changes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(changes));
        this.constantName = constantName;
        this.mhz = mhz;
        this.unifiedTlb = unifiedTlb;
        this.invlpg = invlpg;
        this.pge = pge;
        this.pse = pse;
        this.itlbLarge = Objects.requireNonNull(itlbLarge, "itlbLarge");
        this.dtlbLarge = Objects.requireNonNull(dtlbLarge, "dtlbLarge");
    }

    private static CpuModel preset(String name, String constantName, int mhz, TlbGeometry itlb, TlbGeometry dtlb,
                                   boolean unified, boolean invlpg, boolean pge, CacheGeometry l1d, CacheGeometry l2,
                                   boolean pse, LargePageTlb itlbLarge, LargePageTlb dtlbLarge) {
        return new CpuModel(name, Map.of(), constantName, mhz, itlb, dtlb, unified, invlpg, pge, l1d, l2,
                pse, itlbLarge, dtlbLarge);
    }

    // ---------------------------------------------------------------- lookup

    /** The six presets, oldest first: 80386DX-33, 80486DX2-66, Pentium-100, Pentium Pro-200, Pentium II-450, Pentium 4-2000. */
    public static List<CpuModel> presets() {
        return PRESETS;
    }

    /** The preset with this CSV model name ("Pentium Pro-200") or constant name ("PENTIUM_PRO_200"), ignoring case. */
    public static CpuModel byName(String name) {
        Objects.requireNonNull(name, "name");
        String wanted = name.trim();
        for (CpuModel m : PRESETS) {
            if (m.baseName.equalsIgnoreCase(wanted) || m.constantName.equalsIgnoreCase(wanted)) {
                return m;
            }
        }
        StringJoiner valid = new StringJoiner(", ");
        for (CpuModel m : PRESETS) {
            valid.add(m.baseName + " (" + m.constantName + ")");
        }
        throw new IllegalArgumentException("Unknown CPU model '" + name + "'; valid names are: " + valid + ".");
    }

    // ---------------------------------------------------------------- accessors

    /** Model name; a derived model's name lists its changes, e.g. "Pentium Pro-200 (mhz=400)". */
    public String name() {
        if (changes.isEmpty()) {
            return baseName;
        }
        StringJoiner j = new StringJoiner(", ", baseName + " (", ")");
        changes.forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }

    /** The preset name this model was derived from (its own name for a preset or a renamed model). */
    String baseName() {
        return baseName;
    }

    /** Core clock in MHz. */
    public int mhz() {
        return mhz;
    }

    /** Instruction TLB geometry for 4 KiB pages (the same object as {@link #dtlb()} when the TLB is unified). */
    public TlbGeometry itlb() {
        return itlb;
    }

    /** Data TLB geometry for 4 KiB pages. */
    public TlbGeometry dtlb() {
        return dtlb;
    }

    /** True when code and data share one TLB (80386, 80486); then itlb() equals dtlb(). */
    public boolean unifiedTlb() {
        return unifiedTlb;
    }

    /** True when the CPU has INVLPG (Intel486 and later); without it a single-page flush is a full CR3 reload. */
    public boolean hasInvlpg() {
        return invlpg;
    }

    /** True when the CPU has global pages, CR4.PGE (Pentium Pro and later). */
    public boolean hasPge() {
        return pge;
    }

    /** True when the CPU has 4 MiB pages, CR4.PSE (Pentium and later): Linux then maps lowmem with them. */
    public boolean hasPse() {
        return pse;
    }

    /** How the instruction TLB holds 4 MiB pages ({@link LargePageTlb#NONE} without PSE). */
    public LargePageTlb itlbLarge() {
        return itlbLarge;
    }

    /** How the data TLB holds 4 MiB pages ({@link LargePageTlb#NONE} without PSE). */
    public LargePageTlb dtlbLarge() {
        return dtlbLarge;
    }

    /** Level-1 data cache geometry ({@link CacheGeometry#NONE} if absent; the 486's unified L1 is reported here). */
    public CacheGeometry l1d() {
        return l1d;
    }

    /** Level-2 cache geometry ({@link CacheGeometry#NONE} if absent or not modelled). */
    public CacheGeometry l2() {
        return l2;
    }

    /** Converts a cycle count on this CPU to nanoseconds: cycles / MHz x 1000. */
    public double nsFromCycles(long cycles) {
        return cycles * 1000.0 / mhz;
    }

    // ---------------------------------------------------------------- what-if derivation

    /** A copy with a new name; the new name replaces the recorded origin and changes. */
    public CpuModel withName(String name) {
        return new CpuModel(name, Map.of(), null, mhz, itlb, dtlb, unifiedTlb, invlpg, pge, l1d, l2, pse, itlbLarge, dtlbLarge);
    }

    /** A copy with a different clock, named e.g. "Pentium Pro-200 (mhz=400)". */
    public CpuModel withMhz(int mhz) {
        return derive("mhz", Integer.toString(mhz), mhz, itlb, dtlb, unifiedTlb, invlpg, pge, l1d, l2);
    }

    /** A copy with split instruction and data TLBs of the given geometries (unifiedTlb becomes false). */
    public CpuModel withTlb(TlbGeometry itlb, TlbGeometry dtlb) {
        Objects.requireNonNull(itlb, "itlb");
        Objects.requireNonNull(dtlb, "dtlb");
        return derive("tlb", "I" + shortTlb(itlb) + "/D" + shortTlb(dtlb), mhz, itlb, dtlb, false, invlpg, pge, l1d, l2);
    }

    /** A copy with one unified TLB of the given geometry for code and data (unifiedTlb becomes true). */
    public CpuModel withUnifiedTlb(TlbGeometry tlb) {
        Objects.requireNonNull(tlb, "tlb");
        return derive("tlb", "U" + shortTlb(tlb), mhz, tlb, tlb, true, invlpg, pge, l1d, l2);
    }

    /** A copy with a different L1 data cache ({@link CacheGeometry#NONE} removes it). */
    public CpuModel withL1d(CacheGeometry l1d) {
        Objects.requireNonNull(l1d, "l1d");
        return derive("l1d", shortCache(l1d), mhz, itlb, dtlb, unifiedTlb, invlpg, pge, l1d, l2);
    }

    /** A copy with a different L2 cache ({@link CacheGeometry#NONE} removes it). */
    public CpuModel withL2(CacheGeometry l2) {
        Objects.requireNonNull(l2, "l2");
        return derive("l2", shortCache(l2), mhz, itlb, dtlb, unifiedTlb, invlpg, pge, l1d, l2);
    }

    /** A copy with INVLPG present or absent. */
    public CpuModel withInvlpg(boolean invlpg) {
        return derive("invlpg", Boolean.toString(invlpg), mhz, itlb, dtlb, unifiedTlb, invlpg, pge, l1d, l2);
    }

    /** A copy with PGE (global pages) present or absent. */
    public CpuModel withPge(boolean pge) {
        return derive("pge", Boolean.toString(pge), mhz, itlb, dtlb, unifiedTlb, invlpg, pge, l1d, l2);
    }

    /**
     * A copy with PSE (4 MiB pages) present or absent: without it Linux maps lowmem with 4 KiB pages, as on a
     * 486. The large-page TLBs keep their geometry (a CPU given PSE that had none caches 4 MiB pages as 4 KiB
     * fragments).
     */
    public CpuModel withPse(boolean pse) {
        Map<String, String> next = new LinkedHashMap<>(changes);
        next.remove("pse");
        next.put("pse", Boolean.toString(pse));
        return new CpuModel(baseName, next, null, mhz, itlb, dtlb, unifiedTlb, invlpg, pge, l1d, l2, pse, itlbLarge, dtlbLarge);
    }

    private CpuModel derive(String key, String value, int mhz, TlbGeometry itlb, TlbGeometry dtlb, boolean unified,
                            boolean invlpg, boolean pge, CacheGeometry l1d, CacheGeometry l2) {
        Map<String, String> next = new LinkedHashMap<>(changes);
        next.remove(key);      // a repeated change replaces the old one and moves to the end
        next.put(key, value);
        return new CpuModel(baseName, next, null, mhz, itlb, dtlb, unified, invlpg, pge, l1d, l2, pse, itlbLarge, dtlbLarge);
    }

    private static String shortTlb(TlbGeometry t) {
        return t.entries() + "x" + t.ways() + "w";
    }

    private static String shortCache(CacheGeometry c) {
        if (!c.isPresent()) {
            return "none";
        }
        String size = c.sizeBytes() % 1024 == 0 ? (c.sizeBytes() / 1024) + "K" : c.sizeBytes() + "B";
        return size + "/" + c.ways() + "w/" + c.lineBytes() + "B";
    }

    // ---------------------------------------------------------------- Object

    /** Equal when every hardware field and the name are equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CpuModel m)) {
            return false;
        }
        return mhz == m.mhz && unifiedTlb == m.unifiedTlb && invlpg == m.invlpg && pge == m.pge && pse == m.pse
                && itlbLarge.equals(m.itlbLarge) && dtlbLarge.equals(m.dtlbLarge) && itlb.equals(m.itlb) && dtlb.equals(m.dtlb) && l1d.equals(m.l1d) && l2.equals(m.l2)
                && name().equals(m.name());
    }

    /** Hash of the name and every hardware field. */
    @Override
    public int hashCode() {
        return Objects.hash(name(), mhz, itlb, dtlb, unifiedTlb, invlpg, pge, pse, itlbLarge, dtlbLarge, l1d, l2);
    }

    /** One-line summary, e.g. "Pentium Pro-200: 200 MHz, ITLB 32 entries 4-way, DTLB ..., INVLPG yes, PGE yes, L1D ..., L2 ...". */
    @Override
    public String toString() {
        String tlb = unifiedTlb
                ? "unified TLB " + itlb
                : "ITLB " + itlb + ", DTLB " + dtlb;
        return String.format(Locale.ROOT, "%s: %d MHz, %s, INVLPG %s, PGE %s, L1D %s, L2 %s",
                name(), mhz, tlb, invlpg ? "yes" : "no", pge ? "yes" : "no", l1d, l2);
    }
}
