package tasklab.machine;

import java.util.ArrayList;
import java.util.List;

/**
 * A set-associative translation lookaside buffer with LRU replacement, as on the i386 family.
 * Entries are tagged by virtual page and cache the pte (frame and flags, global bit included).
 * A full flush is O(1): non-global entries carry the generation they were filled in, and a CR3
 * load just starts a new generation, so stale entries can never hit again.
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

    private long hits;
    private long misses;
    private long flushes;
    private long flushOnes;
    private long globalFlushes;
    private long entriesDropped;

    /** Builds an empty TLB of the given geometry; without INVLPG a single-page flush is a full one. */
    public Tlb(String name, TlbGeometry geometry, boolean hasInvlpg, boolean pgeEnabled) {
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
    }

    private boolean valid(int i) {
        return gen[i] == (global[i] ? globalGeneration : generation) && gen[i] >= 0;
    }

    private int setBase(int vpn) { return (vpn & setMask) * ways; }

    /** Looks a virtual page up; returns the cached pte, or 0 on a miss. Counts the hit or miss. */
    public int lookup(int va) {
        int vpn = va >>> Pte.PAGE_SHIFT;
        int base = setBase(vpn);
        for (int i = base; i < base + ways; i++) {
            if (tag[i] == vpn && valid(i)) {
                hits++;
                lastUse[i] = ++tick;
                return pte[i];
            }
        }
        misses++;
        return 0;
    }

    /** Looks a page up without counting or touching LRU state (for pictures and tests). */
    public int peek(int va) {
        int vpn = va >>> Pte.PAGE_SHIFT;
        int base = setBase(vpn);
        for (int i = base; i < base + ways; i++) {
            if (tag[i] == vpn && valid(i)) return pte[i];
        }
        return 0;
    }

    /** Fills an entry after a page walk, evicting the set's least recently used entry if full. */
    public void insert(int va, int entry) {
        int vpn = va >>> Pte.PAGE_SHIFT;
        int base = setBase(vpn);
        int victim = findSlot(base, vpn);
        if (valid(victim)) {
            if (global[victim]) liveGlobal--; else liveNonGlobal--;
        }
        boolean g = pgeEnabled && (entry & Pte.GLOBAL) != 0;
        tag[victim] = vpn;
        pte[victim] = entry;
        global[victim] = g;
        gen[victim] = g ? globalGeneration : generation;
        lastUse[victim] = ++tick;
        if (g) liveGlobal++; else liveNonGlobal++;
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
        entriesDropped += liveNonGlobal;
        liveNonGlobal = 0;
        generation++;
    }

    /** INVLPG: drops one page's entry; a full flush on a CPU without INVLPG (the 386). Linux: __flush_tlb_one(). */
    public void flushOne(int va) {
        if (!hasInvlpg) { flush(); return; }
        flushOnes++;
        int vpn = va >>> Pte.PAGE_SHIFT;
        int base = setBase(vpn);
        for (int i = base; i < base + ways; i++) {
            if (tag[i] == vpn && valid(i)) {
                if (global[i]) liveGlobal--; else liveNonGlobal--;
                gen[i] = -1;
                entriesDropped++;
                return;
            }
        }
    }

    /** Drops every entry, global ones too (toggling CR4.PGE). Linux: __flush_tlb_global(). */
    public void flushGlobal() {
        globalFlushes++;
        entriesDropped += liveNonGlobal + liveGlobal;
        liveNonGlobal = 0;
        liveGlobal = 0;
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

    /** The valid entries now, in slot order. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < tag.length; i++) {
            if (valid(i)) out.add(new Entry(i / ways, i % ways, tag[i] << Pte.PAGE_SHIFT, pte[i], global[i]));
        }
        return out;
    }

    /** Number of valid entries. */
    public int size() { return liveGlobal + liveNonGlobal; }
    /** Number of valid global entries. */
    public int globalEntries() { return liveGlobal; }
    /** Total capacity. */
    public int capacity() { return tag.length; }
    /** Name ("dTLB", "iTLB" or "TLB"). */
    public String name() { return name; }
    /** Lookups that hit. */
    public long hits() { return hits; }
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

    /** One valid TLB entry: set, way, virtual page address, cached pte, whether global. */
    public record Entry(int set, int way, int va, int pte, boolean global) {
        @Override public String toString() {
            return String.format("%08x -> %08x %s%s", va, pte & ~0xFFF, Pte.describe(pte), global ? " (global)" : "");
        }
    }
}
