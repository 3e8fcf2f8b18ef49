package tasklab.machine;

/**
 * Geometry of one set-associative TLB for 4 KiB pages: number of entries and ways.
 *
 * @param entries total entries (> 0)
 * @param ways    associativity (> 0, divides {@code entries}); {@code ways == entries} means fully associative
 */
public record TlbGeometry(int entries, int ways) {

    /** Validates the geometry: positive sizes, ways divide entries, power-of-two number of sets. */
    public TlbGeometry {
        if (entries <= 0) {
            throw new IllegalArgumentException("TLB entries must be positive, got " + entries + ".");
        }
        if (ways <= 0) {
            throw new IllegalArgumentException("TLB ways must be positive, got " + ways + ".");
        }
        if (entries % ways != 0) {
            throw new IllegalArgumentException("TLB entries (" + entries + ") must be a multiple of ways ("
                    + ways + ").");
        }
        int sets = entries / ways;
        if (Integer.bitCount(sets) != 1) {
            throw new IllegalArgumentException("TLB sets (entries / ways = " + entries + " / " + ways + " = "
                    + sets + ") must be a power of two so that set = page number mod sets.");
        }
    }

    /** A fully associative TLB with {@code entries} entries (one set). */
    public static TlbGeometry fullyAssociative(int entries) {
        return new TlbGeometry(entries, entries);
    }

    /** Number of sets: entries / ways. */
    public int sets() {
        return entries / ways;
    }

    /** True when the TLB has a single set (ways == entries). */
    public boolean isFullyAssociative() {
        return ways == entries;
    }

    /** Short form such as "64 entries 4-way" or "64 entries fully associative". */
    @Override
    public String toString() {
        return entries + " entries " + (isFullyAssociative() ? "fully associative" : ways + "-way");
    }
}
