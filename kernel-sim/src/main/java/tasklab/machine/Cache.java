package tasklab.machine;

import java.util.Arrays;

/**
 * One set-associative, physically addressed cache with LRU replacement (an L1 data cache or an
 * L2), of a {@link CacheGeometry}. A line is identified by its physical line number
 * ({@code pa >>> log2(line)}); the set is that number modulo the number of sets. Because the tag is
 * physical, a CR3 load does not touch the cache: a context switch costs cache misses only when the
 * next task's lines were evicted by the other tasks, as on the real i386 family.
 *
 * <p>State is three primitive arrays indexed by slot (set x ways + way), like {@link Tlb}: an access
 * is O(ways) and allocates nothing. Writes are treated as reads (write-allocate, no write-back
 * traffic modelled).
 */
public final class Cache {
    private final String name;
    private final CacheGeometry geometry;
    private final int ways;
    private final int setMask;
    private final int lineShift;
    private final int[] tag;        // physical line number, -1 = invalid
    private final long[] lastUse;
    private long tick;
    private int valid;
    private int lastSlot;           // the slot the last access hit or filled (a hint for callers that come back to the same line)
    private ChangeCounter changes = new ChangeCounter(0);   // tag changes (fills, invalidations): unchanged = every line is where it was

    private long hits;
    private long misses;
    private long evictions;
    // hitsAt calls not yet applied, and the slots of the latest (16 bits each, the first in the low
    // bits): a context switch's steady state calls hitsAt on every hand-off with the same four slots in
    // one of two orders, and each call rewrites all four, so only the count and the latest order matter.
    // Every other access applies them first (settle); the counts read through hits() include them.
    private int pendHits;
    private long pendSlots;

    /** An empty cache of the given (present) geometry. */
    public Cache(String name, CacheGeometry geometry) {
        if (!geometry.isPresent()) {
            throw new IllegalArgumentException("Cache " + name + ": geometry is NONE (no cache at this level)");
        }
        this.name = name;
        this.geometry = geometry;
        this.ways = geometry.ways();
        this.setMask = geometry.sets() - 1;
        this.lineShift = Integer.numberOfTrailingZeros(geometry.lineBytes());
        int n = geometry.sets() * ways;
        this.tag = new int[n];
        this.lastUse = new long[n];
        Arrays.fill(tag, -1);
    }

    /**
     * Looks up the line holding physical address {@code pa} and makes it most recently used;
     * on a miss fills it, evicting the set's least recently used line if the set is full.
     * Returns true on a hit. Counts the hit or miss (and the eviction).
     */
    public boolean access(long pa) {
        if (pendHits != 0) settle();
        int line = (int) (pa >>> lineShift);
        int base = (line & setMask) * ways;
        int end = base + ways;
        int[] tag = this.tag;
        for (int i = base; i < end; i++) {          // the hit path: tags only (most accesses hit)
            if (tag[i] == line) {
                hits++;
                lastUse[i] = ++tick;
                lastSlot = i;
                return true;
            }
        }
        return fill(line, base, end);
    }

    /**
     * {@link #access} for a caller that remembers where its line was ({@code hint}, from
     * {@link #lastSlot()} after its previous access): if that slot still holds the line, the same hit
     * (count, LRU tick) without the search, and true; otherwise nothing is done and false is returned
     * (the caller then calls {@code access}). Exact because a line sits in one slot at most: it is
     * only filled after a search of its set found it nowhere, so a matching tag is the hit the search would find.
     */
    public boolean hitAt(long pa, int hint) {
        if (!holdsAt(pa, hint)) return false;
        if (pendHits != 0) settle();
        hits++;
        lastUse[hint] = ++tick;
        return true;
    }

    /** Whether slot {@code hint} holds the line of {@code pa} (so an access would hit there); no count, no LRU change. */
    boolean holdsAt(long pa, int hint) {
        return hint >= 0 && hint < tag.length && tag[hint] == (int) (pa >>> lineShift);
    }

    /**
     * Four hits, in order, at slots each {@link #holdsAt} confirmed: what four {@link #hitAt} calls
     * would do. Kept pending while the calls keep to the same four slots (see pendHits).
     */
    void hitsAt(int s0, int s1, int s2, int s3) {
        if (((s0 | s1 | s2 | s3) >>> 16) != 0) {      // a slot too big to pack: at once
            if (pendHits != 0) settle();
            applyHits(s0, s1, s2, s3, 1);
            return;
        }
        long slots = s0 | (long) s1 << 16 | (long) s2 << 32 | (long) s3 << 48;
        if (pendHits != 0 && slots != pendSlots && slots != Long.rotateLeft(pendSlots, 32)) settle();   // the same four, the tasks' halves swapped
        pendSlots = slots;
        pendHits++;
    }

    /** Applies the pending hitsAt calls: the latest one's ticks at its four slots, every call's count. */
    private void settle() {
        long p = pendSlots;
        int n = pendHits;
        pendHits = 0;
        applyHits((int) (p & 0xffff), (int) (p >>> 16 & 0xffff), (int) (p >>> 32 & 0xffff), (int) (p >>> 48), n);
    }

    /** {@code n} rounds of four hits at the same slots: only the last round's ticks stay. */
    private void applyHits(int s0, int s1, int s2, int s3, int n) {
        long t = tick + 4L * (n - 1);
        lastUse[s0] = t + 1;
        lastUse[s1] = t + 2;
        lastUse[s2] = t + 3;
        lastUse[s3] = t + 4;
        tick = t + 4;
        hits += 4L * n;
    }

    /** The slot of the last {@link #access} (its hit, or the line it filled); a hint for {@link #hitAt}. */
    public int lastSlot() { return lastSlot; }

    /** A miss: the first invalid way, else the least recently used one, gets the line. */
    private boolean fill(int line, int base, int end) {
        int victim = base;
        long oldest = Long.MAX_VALUE;
        for (int i = base; i < end; i++) {
            long u = tag[i] == -1 ? -1 : lastUse[i];   // an invalid way is taken first
            if (u < oldest) {
                oldest = u;
                victim = i;
            }
        }
        misses++;
        if (tag[victim] != -1) evictions++; else valid++;
        tag[victim] = line;
        changes.value++;
        lastUse[victim] = ++tick;
        lastSlot = victim;
        return false;
    }

    /** Whether the line of {@code pa} is cached, without counting or touching LRU state. */
    public boolean contains(long pa) {
        int line = (int) (pa >>> lineShift);
        int base = (line & setMask) * ways;
        for (int i = base; i < base + ways; i++) {
            if (tag[i] == line) return true;
        }
        return false;
    }

    /** Drops every line (WBINVD); counters are kept. */
    public void invalidateAll() {
        if (pendHits != 0) settle();
        Arrays.fill(tag, -1);
        valid = 0;
        changes.value++;
    }

    /** Counts tag changes in {@code c} from now on (a CPU's L1d counts into the counter its dTLB shares). */
    void countChangesIn(ChangeCounter c) { changes = c; }

    /** Sets the hit, miss and eviction counters to zero (the contents stay). */
    public void resetCounters() {
        if (pendHits != 0) settle();
        hits = 0;
        misses = 0;
        evictions = 0;
    }

    /**
     * A digest of the replacement state: the clock and every slot's last-use tick (pending hits
     * applied first). Two caches with the same digest and the same lines pick the same victims from
     * here on; tests compare two simulations with it.
     */
    public long lruDigest() {
        if (pendHits != 0) settle();
        return Arrays.hashCode(lastUse) * 31L + tick;
    }

    /** Name ("L1d" or "L2"). */
    public String name() { return name; }
    /** The geometry. */
    public CacheGeometry geometry() { return geometry; }
    /** Accesses that hit. */
    public long hits() { return hits + 4L * pendHits; }
    /** Accesses that missed (each fills a line). */
    public long misses() { return misses; }
    /** Misses that replaced a valid line. */
    public long evictions() { return evictions; }
    /** Valid lines now. */
    public int validLines() { return valid; }
    /** Capacity in lines. */
    public int capacityLines() { return tag.length; }

    @Override public String toString() {
        return name + " " + geometry + ": " + hits() + " hits, " + misses + " misses, " + evictions + " evictions";
    }
}
