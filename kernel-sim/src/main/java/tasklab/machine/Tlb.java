package tasklab.machine;

import java.util.ArrayList;
import java.util.List;

/**
 * A set-associative translation lookaside buffer with LRU replacement, as on the i386 family.
 * Entries are tagged by virtual page and cache the pte (frame and flags, global bit included).
 * A full flush is O(1): non-global entries carry the generation they were filled in, and a CR3
 * load just starts a new generation, so stale entries can never hit again.
 *
 * <p>4 MiB (PSE) pages are held as the CPU model's {@link LargePageTlb} says: in a separate
 * large-page TLB (its own sets and ways, tagged by the 4 MiB page number), in this TLB's own
 * entries (one per 4 MiB page, tagged by the 4 MiB page number), or as 4 KiB fragments. Large
 * entries obey the same flushes: a CR3 load drops the non-global ones, INVLPG on any address in the
 * large page drops its entry (and every fragment of it), a global flush drops all.
 * Sources: Intel SDM Vol. 3A, sections "Invalidation of TLBs and Paging-Structure Caches" (INVLPG
 * "invalidates all of them" when a large page has several entries) and Table 11-1.
 */
public final class Tlb {
    private final String name;
    private final int ways;
    private final int setMask;
    private final int[] tag;
    private final int[] pte;
    private final int[] gen;
    private final boolean[] global;
    private final long[] lastUse;
    private final boolean hasInvlpg;
    private boolean pgeEnabled;
    private int generation;
    private int globalGeneration;
    private long tick;
    private int liveNonGlobal;
    private int liveGlobal;

    // 4 MiB entries: their own arrays (SEPARATE), or this TLB's arrays (SHARED); tags carry LARGE_TAG
    private static final int LARGE_TAG = 0x80000000;
    private final LargePageTlb.Kind largeKind;
    private final int lWays;
    private final int lSetMask;
    private final int[] lTag;
    private final int[] lPte;
    private final int[] lGen;
    private final boolean[] lGlobal;
    private final long[] lLastUse;
    private int largeNonGlobal;       // valid large entries, to skip the large probe when there are none
    private int largeGlobal;
    private boolean fragmentsCached;  // a large page was ever cached as 4 KiB fragments (INVLPG then scans)
    private int lastLarge;            // slot of the last 4 MiB hit or fill, probed first (a valid tag is in one slot only)
    private ChangeCounter largeChanges = new ChangeCounter(0);   // 4 MiB entry fills, evictions, invalidations: unchanged = each still valid in its slot

    private long hits;
    // largeHits2x2 calls not yet applied, and the slots of the latest (a in the low half): a context
    // switch's steady state makes one per hand-off with the same two slots, in one of two orders, and
    // each call rewrites both, so only the count and the latest order matter. Every lookup or insert
    // applies them first (settle); flushes leave the LRU ticks alone, so they need not.
    private int pendLarge;
    private long pendLargeSlots;
    private long misses;
    private long flushes;
    private long flushOnes;
    private long globalFlushes;
    private long entriesDropped;

    /** Builds an empty TLB of the given geometry with no large-page support; without INVLPG a single-page flush is a full one. */
    public Tlb(String name, TlbGeometry geometry, boolean hasInvlpg, boolean pgeEnabled) {
        this(name, geometry, LargePageTlb.NONE, hasInvlpg, pgeEnabled);
    }

    /** Builds an empty TLB of the given 4 KiB geometry holding 4 MiB pages as {@code large} says. */
    public Tlb(String name, TlbGeometry geometry, LargePageTlb large, boolean hasInvlpg, boolean pgeEnabled) {
        int sets = geometry.sets();
        if (sets <= 0 || Integer.bitCount(sets) != 1) {
            throw new IllegalArgumentException("TLB sets must be a power of two, got " + sets);
        }
        this.name = name;
        this.ways = geometry.ways();
        this.setMask = sets - 1;
        int n = geometry.entries();
        this.tag = new int[n];
        this.pte = new int[n];
        this.gen = new int[n];
        this.global = new boolean[n];
        this.lastUse = new long[n];
        java.util.Arrays.fill(gen, -1);
        this.hasInvlpg = hasInvlpg;
        this.pgeEnabled = pgeEnabled;
        this.largeKind = large.kind();
        if (largeKind == LargePageTlb.Kind.SEPARATE) {
            TlbGeometry g = large.geometry();
            this.lWays = g.ways();
            this.lSetMask = g.sets() - 1;
            int m = g.entries();
            this.lTag = new int[m];
            this.lPte = new int[m];
            this.lGen = new int[m];
            this.lGlobal = new boolean[m];
            this.lLastUse = new long[m];
            java.util.Arrays.fill(lGen, -1);
        } else {                        // SHARED uses these arrays; the other kinds never use the large probe
            this.lWays = ways;
            this.lSetMask = setMask;
            this.lTag = tag;
            this.lPte = pte;
            this.lGen = gen;
            this.lGlobal = global;
            this.lLastUse = lastUse;
        }
    }

    private boolean valid(int i) {
        return gen[i] == (global[i] ? globalGeneration : generation) && gen[i] >= 0;
    }

    private boolean validLarge(int i) {
        return lGen[i] == (lGlobal[i] ? globalGeneration : generation) && lGen[i] >= 0;
    }

    /** The 4 KiB view of a cached 4 MiB entry for {@code va}: the frame of va's 4 KiB piece, the entry's flags (PSE kept). */
    private static int fragment(int large, int va) {
        return (large & 0xFFC00000) | (va & 0x003FF000) | (large & 0xFFF);
    }

    /** Where the large entry of va sits, or -1. */
    private int findLarge(int va) {
        int t = LARGE_TAG | (va >>> Pte.PGDIR_SHIFT);
        int base = ((va >>> Pte.PGDIR_SHIFT) & lSetMask) * lWays;
        for (int i = base; i < base + lWays; i++) {
            if (lTag[i] == t && validLarge(i)) return i;
        }
        return -1;
    }

    private int setBase(int vpn) { return (vpn & setMask) * ways; }

    /**
     * Looks a virtual page up; returns the cached pte, or 0 on a miss. Counts the hit or miss. A hit
     * on a 4 MiB entry returns its 4 KiB view: the frame of va's 4 KiB piece with the entry's flags
     * (PSE set), so the caller forms the physical address the same way for both sizes.
     */
    public int lookup(int va) {
        if (pendLarge != 0) settle();
        int vpn = va >>> Pte.PAGE_SHIFT;
        int base = setBase(vpn);
        for (int i = base; i < base + ways; i++) {
            if (tag[i] == vpn && valid(i)) {
                hits++;
                lastUse[i] = ++tick;
                return pte[i];
            }
        }
        if ((largeNonGlobal | largeGlobal) != 0) {   // the hardware probes both sizes at once
            int i = findLarge(va);
            if (i >= 0) {
                hits++;
                lLastUse[i] = ++tick;
                return fragment(lPte[i], va);
            }
        }
        misses++;
        return 0;
    }

    /**
     * {@link #lookup} for an address that only a 4 MiB entry can map (the kernel's direct map when its
     * pdes have PS): the 4 KiB probe is skipped because it cannot hit, and the slot of the last large
     * hit is tried first. The same hit / miss counts, LRU ticks and result as {@code lookup}; for
     * TLBs that keep 4 MiB entries as such (separate or shared), not fragments.
     */
    public int lookupLarge(int va) {
        if (pendLarge != 0) settle();
        if ((largeNonGlobal | largeGlobal) != 0) {
            int i = lastLarge;
            if (lTag[i] != (LARGE_TAG | (va >>> Pte.PGDIR_SHIFT)) || !validLarge(i)) i = findLarge(va);
            if (i >= 0) {
                hits++;
                lLastUse[i] = ++tick;
                lastLarge = i;
                return fragment(lPte[i], va);
            }
        }
        misses++;
        return 0;
    }

    /**
     * Where {@link #lookupLarge} would hit for {@code va} (the slot of its valid 4 MiB entry), or -1 on a
     * miss; counts nothing and changes nothing.
     */
    int largeSlot(int va) {
        if ((largeNonGlobal | largeGlobal) == 0) return -1;
        int i = lastLarge;
        if (lTag[i] == (LARGE_TAG | (va >>> Pte.PGDIR_SHIFT)) && validLarge(i)) return i;
        return findLargeOutOfLine(va);
    }

    /** {@link #findLarge} kept out of {@link #largeSlot} so that stays small enough to inline. */
    private int findLargeOutOfLine(int va) { return findLarge(va); }

    /** Counts 4 MiB entry changes in {@code c} from now on (a CPU's dTLB counts into the counter its L1d shares). */
    void countLargeChangesIn(ChangeCounter c) { largeChanges = c; }

    /**
     * What four {@link #lookupLarge} hits do, two at slot {@code a} then two at slot {@code b} (slots
     * {@link #largeSlot} returned): the hit count, the LRU ticks, the last-hit slot.
     */
    void largeHits2x2(int a, int b) {
        long slots = (a & 0xffffffffL) | (long) b << 32;
        if (pendLarge != 0 && slots != pendLargeSlots && slots != Long.rotateLeft(pendLargeSlots, 32)) settle();
        pendLargeSlots = slots;
        pendLarge++;
    }

    /** Applies the pending largeHits2x2 calls: the latest one's ticks and last-hit slot, every call's count. */
    private void settle() {
        int a = (int) pendLargeSlots, b = (int) (pendLargeSlots >>> 32);
        long t = tick + 4L * (pendLarge - 1);
        lLastUse[a] = t + 2;
        lLastUse[b] = t + 4;
        tick = t + 4;
        hits += 4L * pendLarge;
        lastLarge = b;
        pendLarge = 0;
    }

    /** Looks a page up without counting or touching LRU state (for pictures and tests); a 4 MiB entry as in {@link #lookup}. */
    public int peek(int va) {
        int vpn = va >>> Pte.PAGE_SHIFT;
        int base = setBase(vpn);
        for (int i = base; i < base + ways; i++) {
            if (tag[i] == vpn && valid(i)) return pte[i];
        }
        if ((largeNonGlobal | largeGlobal) != 0) {
            int i = findLarge(va);
            if (i >= 0) return fragment(lPte[i], va);
        }
        return 0;
    }

    /** Fills an entry after a page walk, evicting the set's least recently used entry if full. */
    public void insert(int va, int entry) {
        if (pendLarge != 0) settle();
        int vpn = va >>> Pte.PAGE_SHIFT;
        int base = setBase(vpn);
        int victim = findSlot(base, vpn);
        if (valid(victim)) {
            if (global[victim]) liveGlobal--; else liveNonGlobal--;
            if (tag[victim] < 0) {                                  // SHARED: a 4 MiB entry evicted
                if (global[victim]) largeGlobal--; else largeNonGlobal--;
                largeChanges.value++;
            }
        }
        boolean g = pgeEnabled && (entry & Pte.GLOBAL) != 0;
        tag[victim] = vpn;
        pte[victim] = entry;
        global[victim] = g;
        gen[victim] = g ? globalGeneration : generation;
        lastUse[victim] = ++tick;
        if (g) liveGlobal++; else liveNonGlobal++;
    }

    /**
     * Fills a 4 MiB entry after a walk that ended at a pde with PS set ({@code pde} as the walk left
     * it): into the separate large-page TLB or this TLB's entries, LRU within the set, or as the
     * 4 KiB fragment holding {@code va} on a TLB that fragments large pages.
     */
    public void insertLarge(int va, int pde) {
        if (pendLarge != 0) settle();
        if (largeKind == LargePageTlb.Kind.FRAGMENTED || largeKind == LargePageTlb.Kind.NONE) {
            fragmentsCached = true;
            insert(va, fragment(pde, va));
            return;
        }
        int t = LARGE_TAG | (va >>> Pte.PGDIR_SHIFT);
        int base = ((va >>> Pte.PGDIR_SHIFT) & lSetMask) * lWays;
        int victim = -1;
        for (int i = base; i < base + lWays && victim < 0; i++) if (lTag[i] == t && validLarge(i)) victim = i;
        for (int i = base; i < base + lWays && victim < 0; i++) if (!validLarge(i)) victim = i;
        if (victim < 0) {
            victim = base;
            for (int i = base + 1; i < base + lWays; i++) if (lLastUse[i] < lLastUse[victim]) victim = i;
        }
        if (validLarge(victim)) {
            if (lGlobal[victim]) liveGlobal--; else liveNonGlobal--;
            if (lTag[victim] < 0) { if (lGlobal[victim]) largeGlobal--; else largeNonGlobal--; }
        }
        boolean g = pgeEnabled && (pde & Pte.GLOBAL) != 0;
        lTag[victim] = t;
        lPte[victim] = pde;
        lGlobal[victim] = g;
        lGen[victim] = g ? globalGeneration : generation;
        lLastUse[victim] = ++tick;
        lastLarge = victim;
        largeChanges.value++;
        if (g) { liveGlobal++; largeGlobal++; } else { liveNonGlobal++; largeNonGlobal++; }
    }

    /** The slot to fill: the page's own valid entry, else the first invalid way, else the LRU way. */
    private int findSlot(int base, int vpn) {
        for (int i = base; i < base + ways; i++) {
            if (tag[i] == vpn && valid(i)) return i;
        }
        for (int i = base; i < base + ways; i++) {
            if (!valid(i)) return i;
        }
        int victim = base;
        for (int i = base + 1; i < base + ways; i++) {
            if (lastUse[i] < lastUse[victim]) victim = i;
        }
        return victim;
    }

    /** Updates the cached copy of an entry that is present (the CPU setting the dirty bit). */
    void update(int va, int entry) {
        int vpn = va >>> Pte.PAGE_SHIFT;
        int base = setBase(vpn);
        for (int i = base; i < base + ways; i++) {
            if (tag[i] == vpn && valid(i)) { pte[i] = entry; return; }
        }
    }

    /** Drops every non-global entry, as a CR3 load does. Linux: __flush_tlb(). */
    public void flush() {
        flushes++;
        // Nothing else to do when no non-global entry is live (4 MiB ones are counted there too): a new
        // generation would make nothing stale. A context switch makes this flush twice (iTLB, dTLB), so
        // the stores it skips are skipped on the hottest path.
        if (liveNonGlobal == 0) return;
        entriesDropped += liveNonGlobal;
        liveNonGlobal = 0;
        if (largeNonGlobal != 0) {
            largeChanges.value++;
            largeNonGlobal = 0;
        }
        generation++;
    }

    /**
     * INVLPG: drops the entry of the page holding {@code va}, whatever its size: the 4 KiB entry, the
     * 4 MiB entry, and every 4 KiB fragment of that 4 MiB page. A full flush on a CPU without INVLPG
     * (the 386). Linux: __flush_tlb_one().
     */
    public void flushOne(int va) {
        if (!hasInvlpg) { flush(); return; }
        flushOnes++;
        int vpn = va >>> Pte.PAGE_SHIFT;
        int base = setBase(vpn);
        for (int i = base; i < base + ways; i++) {
            if (tag[i] == vpn && valid(i)) {
                drop(i);
                break;
            }
        }
        if ((largeNonGlobal | largeGlobal) != 0) {
            int i = findLarge(va);
            if (i >= 0) {
                if (lGlobal[i]) { liveGlobal--; largeGlobal--; } else { liveNonGlobal--; largeNonGlobal--; }
                lGen[i] = -1;
                largeChanges.value++;
                entriesDropped++;
            }
        }
        if (fragmentsCached) {
            int big = va >>> Pte.PGDIR_SHIFT;
            for (int i = 0; i < tag.length; i++) {
                if (tag[i] >= 0 && (tag[i] >>> 10) == big && (pte[i] & Pte.PSE) != 0 && valid(i)) drop(i);
            }
        }
    }

    private void drop(int i) {
        if (global[i]) liveGlobal--; else liveNonGlobal--;
        if (tag[i] < 0) { if (global[i]) largeGlobal--; else largeNonGlobal--; largeChanges.value++; }
        gen[i] = -1;
        entriesDropped++;
    }

    /** Drops every entry, global ones too (toggling CR4.PGE). Linux: __flush_tlb_global(). */
    public void flushGlobal() {
        globalFlushes++;
        entriesDropped += liveNonGlobal + liveGlobal;
        liveNonGlobal = 0;
        liveGlobal = 0;
        if ((largeNonGlobal | largeGlobal) != 0) largeChanges.value++;
        largeNonGlobal = 0;
        largeGlobal = 0;
        generation++;
        globalGeneration++;
    }

    /** Sets CR4.PGE as seen by this TLB: without it the global bit is ignored. */
    public void setPgeEnabled(boolean enabled) {
        if (enabled != pgeEnabled) flushGlobal();   // changing CR4.PGE flushes everything
        pgeEnabled = enabled;
    }

    /** Whether global entries survive a CR3 load. */
    public boolean pgeEnabled() { return pgeEnabled; }

    /** The valid entries now, in slot order: the 4 KiB TLB's (4 MiB ones among them when shared), then a separate large-page TLB's. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < tag.length; i++) {
            if (!valid(i)) continue;
            if (tag[i] < 0) out.add(new Entry(i / ways, i % ways, (tag[i] & 0x3FF) << Pte.PGDIR_SHIFT, pte[i], global[i], LARGE_PAGE));
            else out.add(new Entry(i / ways, i % ways, tag[i] << Pte.PAGE_SHIFT, pte[i], global[i], Pte.PAGE_SIZE));
        }
        if (largeKind == LargePageTlb.Kind.SEPARATE) {
            for (int i = 0; i < lTag.length; i++) {
                if (validLarge(i)) out.add(new Entry(i / lWays, i % lWays, (lTag[i] & 0x3FF) << Pte.PGDIR_SHIFT, lPte[i], lGlobal[i], LARGE_PAGE));
            }
        }
        return out;
    }

    /** The size of a PSE page, 4 MiB. */
    public static final int LARGE_PAGE = 1 << Pte.PGDIR_SHIFT;

    /** How this TLB holds 4 MiB pages. */
    public LargePageTlb.Kind largeKind() { return largeKind; }
    /** Number of valid 4 MiB entries (fragments not included). */
    public int largeEntries() { return largeNonGlobal + largeGlobal; }
    /** Capacity of the separate large-page TLB (0 when 4 MiB pages share or fragment into the 4 KiB entries). */
    public int largeCapacity() { return largeKind == LargePageTlb.Kind.SEPARATE ? lTag.length : 0; }

    /** Number of valid entries. */
    public int size() { return liveGlobal + liveNonGlobal; }
    /** Number of valid global entries. */
    public int globalEntries() { return liveGlobal; }
    /** Total capacity. */
    public int capacity() { return tag.length; }
    /** Name ("dTLB", "iTLB" or "TLB"). */
    public String name() { return name; }
    /**
     * A digest of the replacement state: the clock and every entry's last-use tick, 4 MiB entries'
     * too (pending hits applied first). Two TLBs with the same digest and the same entries pick the
     * same victims from here on; tests compare two simulations with it.
     */
    public long lruDigest() {
        if (pendLarge != 0) settle();
        long d = java.util.Arrays.hashCode(lastUse);
        if (lLastUse != lastUse) d = d * 31 + java.util.Arrays.hashCode(lLastUse);
        return d * 31 + tick;
    }

    /** Lookups that hit. */
    public long hits() { return hits + 4L * pendLarge; }
    /** Lookups that missed. */
    public long misses() { return misses; }
    /** Full (non-global) flushes, CR3 loads included. */
    public long flushes() { return flushes; }
    /** INVLPG executions. */
    public long flushOnes() { return flushOnes; }
    /** Global flushes. */
    public long globalFlushes() { return globalFlushes; }
    /** Valid entries dropped by all kinds of flush. */
    public long entriesDropped() { return entriesDropped; }

    /**
     * One valid TLB entry: set, way (within the large-page TLB for a separate one's entries), virtual
     * page address, cached entry (a pde with PSE for a 4 MiB page), whether global, and the page size
     * it maps (4096, or 4 MiB; a 4 KiB fragment of a large page has size 4096 and PSE in its flags).
     */
    public record Entry(int set, int way, int va, int pte, boolean global, int pageSize) {
        /** Whether this entry maps a whole 4 MiB page. */
        public boolean large() { return pageSize == LARGE_PAGE; }
        /** Whether this is a 4 KiB piece of a 4 MiB page (a TLB that fragments large pages). */
        public boolean fragment() { return pageSize == Pte.PAGE_SIZE && (pte & Pte.PSE) != 0; }
        @Override public String toString() {
            return String.format("%08x -> %08x %s%s%s", va, pte & ~0xFFF, Pte.describe(pte), global ? " (global)" : "",
                large() ? " (4 MiB)" : "");
        }
    }
}
