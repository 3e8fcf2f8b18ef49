package tasklab.time;

/**
 * Seeded deterministic pseudo-random numbers: SplitMix64 (Steele, Lea, Flood, OOPSLA 2014).
 *
 * <p>{@link #nextLong()} yields exactly the stream of {@code new java.util.SplittableRandom(seed).nextLong()}
 * (same golden gamma, same mix64), but the algorithm is written out here so that no JDK change
 * (JDK 17 moved SplittableRandom's bounded methods into a shared RandomSupport class) can ever alter
 * a student's trace: every derived method (bounded ints, doubles, forks) is defined in this file.
 *
 * <p>Independent streams: {@link #fork(long)} derives a child stream from this stream's origin and
 * a key without consuming anything, so giving task 42 its own stream does not perturb the parent
 * or any other task's stream, whatever the order in which tasks are created.
 */
public final class SimRandom {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final long origin;
    private final long gamma;
    private long state;

    /** A stream seeded with {@code seed}. */
    public SimRandom(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private SimRandom(long origin, long gamma) {
        this.origin = origin;
        this.gamma = gamma;
        this.state = origin;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += gamma;
        return mix64(state);
    }

    /** The next 32 random bits. */
    public int nextInt() {
        return (int) (nextLong() >>> 32);
    }

    /** Uniform in [0, bound), bound &gt; 0; unbiased (Lemire's multiply-and-reject). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("SimRandom.nextInt: bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFF_FFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound; // 2^32 mod bound
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFF_FFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Uniform in [origin, bound), origin &lt; bound. */
    public int nextInt(int origin, int bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("SimRandom.nextInt: origin " + origin + " >= bound " + bound);
        }
        long span = (long) bound - origin;
        if (span <= Integer.MAX_VALUE) {
            return origin + nextInt((int) span);
        }
        return (int) (origin + nextLong(span));
    }

    /** Uniform in [0, bound), bound &gt; 0; unbiased (reject the incomplete last block). */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("SimRandom.nextLong: bound must be positive, got " + bound);
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound); // multiples of bound below 2^63 - 1
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A fair coin. */
    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Exponentially distributed with the given mean (&gt; 0); StrictMath so every JVM gives the same bits. */
    public double nextExponential(double mean) {
        if (!(mean > 0)) {
            throw new IllegalArgumentException("SimRandom.nextExponential: mean must be positive, got " + mean);
        }
        return -mean * StrictMath.log1p(-nextDouble());
    }

    /**
     * An independent child stream for {@code key} (a CPU number, a task id...), a pure function of this
     * stream's seed origin and the key: it neither reads nor advances this stream's position.
     */
    public SimRandom fork(long key) {
        long childOrigin = mix64(mix64(origin ^ gamma) + (key + 1) * GOLDEN_GAMMA);
        return new SimRandom(childOrigin, mixGamma(childOrigin + GOLDEN_GAMMA));
    }

    /** A child stream taken from this stream's next values (advances this stream), like SplittableRandom.split(). */
    public SimRandom split() {
        long childOrigin = nextLong();
        return new SimRandom(childOrigin, mixGamma(state += gamma));
    }

    /** Stafford variant 13 of the MurmurHash3 finalizer, as in SplittableRandom.mix64. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** An odd gamma with enough bit transitions, as in SplittableRandom.mixGamma. */
    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int n = Long.bitCount(z ^ (z >>> 1));
        return (n < 24) ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
