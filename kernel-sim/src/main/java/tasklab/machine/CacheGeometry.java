package tasklab.machine;

/**
 * Geometry of one set-associative cache: size, ways and line size in bytes; {@link #NONE} for an absent cache.
 *
 * @param sizeBytes total capacity in bytes (> 0, or 0 for {@link #NONE})
 * @param ways      associativity (> 0, or 0 for {@link #NONE})
 * @param lineBytes line size in bytes (a power of two, or 0 for {@link #NONE})
 */
public record CacheGeometry(int sizeBytes, int ways, int lineBytes) {

    /** No cache at this level (all fields 0). */
    public static final CacheGeometry NONE = new CacheGeometry(0, 0, 0);

    /** Validates the geometry: all zero (absent) or positive, power-of-two line, power-of-two number of sets. */
    public CacheGeometry {
        boolean absent = sizeBytes == 0 && ways == 0 && lineBytes == 0;
        if (!absent) {
            if (sizeBytes <= 0) {
                throw new IllegalArgumentException("Cache size must be positive (or all fields 0 for no cache), got "
                        + sizeBytes + " bytes.");
            }
            if (ways <= 0) {
                throw new IllegalArgumentException("Cache ways must be positive, got " + ways + ".");
            }
            if (lineBytes <= 0 || Integer.bitCount(lineBytes) != 1) {
                throw new IllegalArgumentException("Cache line size must be a positive power of two, got "
                        + lineBytes + " bytes.");
            }
            if (sizeBytes % ((long) ways * lineBytes) != 0) {
                throw new IllegalArgumentException("Cache size (" + sizeBytes + " bytes) must be a multiple of ways x line ("
                        + ways + " x " + lineBytes + " bytes).");
            }
            int sets = (int) (sizeBytes / ((long) ways * lineBytes));
            if (Integer.bitCount(sets) != 1) {
                throw new IllegalArgumentException("Cache sets (size / (ways x line) = " + sizeBytes + " / (" + ways
                        + " x " + lineBytes + ") = " + sets + ") must be a power of two.");
            }
        }
    }

    /** True unless this is {@link #NONE}. */
    public boolean isPresent() {
        return sizeBytes != 0;
    }

    /** Number of sets: size / (ways x line); 0 for {@link #NONE}. */
    public int sets() {
        return isPresent() ? sizeBytes / (ways * lineBytes) : 0;
    }

    /** Short form such as "8 KiB 2-way 32 B lines", or "none". */
    @Override
    public String toString() {
        if (!isPresent()) {
            return "none";
        }
        String size = sizeBytes % 1024 == 0 ? (sizeBytes / 1024) + " KiB" : sizeBytes + " B";
        String assoc = sets() == 1 ? "fully associative" : ways == 1 ? "direct-mapped" : ways + "-way";
        return size + " " + assoc + " " + lineBytes + " B lines";
    }
}
