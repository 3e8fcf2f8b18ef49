package tasklab.machine;

import java.util.Objects;

/**
 * How a CPU's instruction or data TLB holds translations of 4 MiB (PSE) pages: not at all (no PSE),
 * in a separate large-page TLB of its own geometry, in the same entries as 4 KiB pages (one entry
 * per 4 MiB page), or fragmented (the 4 KiB piece that was touched is cached as a 4 KiB entry).
 *
 * <p>Sources, per preset: Intel SDM Vol. 3A, Table 11-1 "Characteristics of the Caches, TLBs, Store
 * Buffer, and Write Combining Buffer" (253668: Pentium: instruction TLB for large pages "uses same TLB
 * as used for 4-KByte pages", data TLB for large pages 8 entries 4-way; P6 family: instruction 2
 * entries fully associative, data 8 entries 4-way; Pentium 4: instruction "large pages are
 * fragmented", data 64 entries fully associative "shared with small page data TLBs"); the P6 and
 * NetBurst rows of {@code datasets/x86_tlb_by_generation.csv} (CPUID descriptors 0x02 / 0x04, 0x50-0x52
 * / 0x5b-0x5d). See {@code datasets/cpu_models.md}.
 *
 * @param kind     how large pages are held
 * @param geometry the separate large-page TLB's geometry ({@link Kind#SEPARATE} only, else null)
 */
public record LargePageTlb(Kind kind, TlbGeometry geometry) {

    /** The ways a TLB can hold a 4 MiB translation. */
    public enum Kind {
        /** The CPU has no PSE (80386, 80486); as a what-if with PSE forced on, behaves as {@link #FRAGMENTED}. */
        NONE,
        /** A large-page TLB of its own (P5 data, P6 instruction and data). */
        SEPARATE,
        /** One entry of the 4 KiB TLB per 4 MiB page (Pentium 4 data TLB). */
        SHARED,
        /** The touched 4 KiB piece of the large page is cached as a 4 KiB entry (P5 and Pentium 4 instruction TLBs). */
        FRAGMENTED
    }

    /** No large-page support. */
    public static final LargePageTlb NONE = new LargePageTlb(Kind.NONE, null);
    /** Large pages share the 4 KiB TLB's entries. */
    public static final LargePageTlb SHARED = new LargePageTlb(Kind.SHARED, null);
    /** Large pages are cached as 4 KiB fragments. */
    public static final LargePageTlb FRAGMENTED = new LargePageTlb(Kind.FRAGMENTED, null);

    /** Checks that exactly the separate kind has a geometry. */
    public LargePageTlb {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.SEPARATE) != (geometry != null)) {
            throw new IllegalArgumentException("a separate large-page TLB needs a geometry and the other kinds take none: "
                + kind + " " + geometry);
        }
    }

    /** A separate large-page TLB of the given geometry. */
    public static LargePageTlb separate(TlbGeometry geometry) {
        return new LargePageTlb(Kind.SEPARATE, Objects.requireNonNull(geometry, "geometry"));
    }

    /** "none", "separate 8 entries 4-way", "shared with 4K", "fragmented into 4K". */
    @Override public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case SEPARATE -> "separate " + geometry;
            case SHARED -> "shared with 4K";
            case FRAGMENTED -> "fragmented into 4K";
        };
    }

    /** The CSV form of datasets/cpu_models.csv: "none", "8x4w", "shared", "fragmented". */
    public String csv() {
        return switch (kind) {
            case NONE -> "none";
            case SEPARATE -> geometry.entries() + "x" + geometry.ways() + "w";
            case SHARED -> "shared";
            case FRAGMENTED -> "fragmented";
        };
    }
}
