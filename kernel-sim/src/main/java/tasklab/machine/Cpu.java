package tasklab.machine;

/**
 * One i386 CPU: its model, CR3 (the pfn of the loaded page directory), CR2, its TLBs, its L1 data
 * and L2 caches, its {@link CostModel} and cycle counter. The instruction and data TLBs are one
 * object on models with a unified TLB.
 *
 * <p>Every hardware operation charges its cycles here, by {@link CostKind}: CR3 loads, flushes,
 * INVLPG, page walks after TLB misses (with the pde / pte reads going through the caches) and, when
 * the caller passes a physical address to {@link #memoryAccess(long)}, data accesses. The caches
 * are on by default; {@link #setCachesEnabled(boolean) switched off} (for speed) every access counts
 * as an L1 hit and costs nothing extra.
 */
public final class Cpu {
    private final int id;
    private final CpuModel model;
    private final CostModel cost;
    private final Tlb itlb;
    private final Tlb dtlb;
    private final ChangeCounter footChanges;   // L1d tag and dTLB 4 MiB entry changes (footprintStamp)
    private int cr3 = -1;
    private boolean pse;          // CR4.PSE: a pde with PS set maps a 4 MiB page
    private int cr2;
    private long cycles;
    private final long[] cyclesBy = new long[CostKind.values().length];
    private long cr3Loads;
    private long pageWalks;
    private boolean cachesEnabled;
    private Cache l1d;            // null when absent or switched off
    private Cache l2;             // null when absent or switched off
    private long memoryRefs;      // references that missed every present level
    // the costs used on the hot path, copied from the cost model
    private final long walkCost;
    private final long l2HitCost;
    private final long memoryCost;

    /** CPU number {@code id} of the given model; CR4.PGE follows {@code pge}. */
    public Cpu(int id, CpuModel model, boolean pge) {
        this.id = id;
        this.model = model;
        boolean pgeOn = pge && model.hasPge();
        if (model.unifiedTlb()) {
            this.dtlb = new Tlb("TLB", model.dtlb(), model.dtlbLarge(), model.hasInvlpg(), pgeOn);
            this.itlb = dtlb;
        } else {
            this.dtlb = new Tlb("dTLB", model.dtlb(), model.dtlbLarge(), model.hasInvlpg(), pgeOn);
            this.itlb = new Tlb("iTLB", model.itlb(), model.itlbLarge(), model.hasInvlpg(), pgeOn);
        }
        this.footChanges = new ChangeCounter((long) id << 48);
        dtlb.countLargeChangesIn(footChanges);
        this.cost = CostModel.of(model);
        this.walkCost = cost.tlbMissWalk();
        this.l2HitCost = cost.l2Hit();
        this.memoryCost = cost.memoryLatency();
        setCachesEnabled(true);
    }

    /** CPU number (smp_processor_id()). */
    public int id() { return id; }
    /** The model this CPU is. */
    public CpuModel model() { return model; }
    /** The data TLB (the only TLB on a 386 / 486). */
    public Tlb dtlb() { return dtlb; }
    /** The instruction TLB (the same object as the data TLB when unified). */
    public Tlb itlb() { return itlb; }
    /** pfn of the page directory in CR3, -1 before the first load. */
    public int cr3() { return cr3; }
    /** CR4.PSE: whether the walk honours the PS bit of a pde (4 MiB pages). */
    public boolean pseEnabled() { return pse; }

    /**
     * Sets or clears CR4.PSE. Only a CPU whose model has PSE can set it (an IllegalStateException
     * otherwise, as the instruction would #GP). Linux: set_in_cr4(X86_CR4_PSE) in pagetable_init().
     */
    public void setPseEnabled(boolean on) {
        if (on && !model.hasPse()) throw new IllegalStateException("cpu" + id + ": " + model.name() + " has no PSE (4 MiB pages)");
        pse = on;
    }
    /** The last faulting linear address. */
    public int cr2() { return cr2; }
    void setCr2(int va) { cr2 = va; }
    /** The costs of this CPU's model. */
    public CostModel cost() { return cost; }
    /** Cycles this CPU has spent. */
    public long cycles() { return cycles; }
    /** Cycles this CPU has spent on one kind of work. */
    public long cycles(CostKind kind) { return cyclesBy[kind.ordinal()]; }
    /** Cycles of refills: page walks and data accesses beyond L1 (the indirect cost of switches and flushes). */
    public long refillCycles() { return cyclesBy[CostKind.TLB_MISS.ordinal()] + cyclesBy[CostKind.MEMORY.ordinal()]; }
    /** Adds cycles of work done on this CPU (counted as {@link CostKind#OTHER}). */
    public void charge(long c) { charge(CostKind.OTHER, c); }
    /** Adds cycles of one kind of work done on this CPU. */
    public void charge(CostKind kind, long c) {
        if (c < 0) throw new IllegalArgumentException("cpu" + id + ": negative charge " + c + " (" + kind + ")");
        cycles += c;
        cyclesBy[kind.ordinal()] += c;
    }
    /**
     * Brings this CPU's clock up to {@code cycle} if it is behind, as if it had waited (idled) until
     * then; the cycles are counted as {@link CostKind#OTHER}, as idle time is. Used when an event
     * from another CPU reaches this one (an IPI): each CPU has its own counter, and the receiver's
     * handling must not be stamped before the sender's send. Returns the cycles added (0 if ahead).
     */
    public long syncTo(long cycle) {
        if (cycle <= cycles) return 0;
        long wait = cycle - cycles;
        charge(CostKind.OTHER, wait);
        return wait;
    }
    /** CR3 loads since boot. */
    public long cr3Loads() { return cr3Loads; }
    /** Page walks done by the MMU after TLB misses. */
    public long pageWalks() { return pageWalks; }
    void countWalk() { pageWalks++; }

    // ---------------------------------------------------------------- caches

    /**
     * Turns the L1D / L2 simulation on (fresh, empty caches of the model's geometry) or off (for
     * speed: every access then counts as an L1 hit and costs nothing extra; the walk costs
     * {@link CostModel#tlbMissWalk()} only). Levels the model lacks are never simulated.
     */
    public void setCachesEnabled(boolean on) {
        cachesEnabled = on;
        l1d = on && model.l1d().isPresent() ? new Cache("L1d", model.l1d()) : null;
        if (l1d != null) l1d.countChangesIn(footChanges);
        footChanges.value++;                       // another L1d (or none): what was seen in the old one says nothing
        l2 = on && model.l2().isPresent() ? new Cache("L2", model.l2()) : null;
    }

    /** Whether the caches are simulated. */
    public boolean cachesEnabled() { return cachesEnabled; }
    /** The L1 data cache, or null when the model has none or the caches are off. */
    public Cache l1d() { return l1d; }
    /** The L2 cache, or null when the model has none or the caches are off. */
    public Cache l2() { return l2; }
    /** References that missed every present cache level (memory references) since boot. */
    public long memoryRefs() { return memoryRefs; }

    /** The cycles one reference to {@code pa} adds beyond an L1 hit, updating the caches; charges nothing. */
    private long reference(long pa) {
        if (!cachesEnabled) return 0;
        if (l1d != null && l1d.access(pa)) return 0;
        if (l2 != null && l2.access(pa)) return l2HitCost;
        memoryRefs++;
        return memoryCost;
    }

    /**
     * A data access to physical address {@code pa} (after translation): looks it up in L1 then L2
     * and charges what it adds beyond an L1 hit ({@link CostKind#MEMORY}). Returns those cycles.
     */
    public long memoryAccess(long pa) {
        long c = reference(pa);
        if (c != 0) {
            cycles += c;
            cyclesBy[CostKind.MEMORY.ordinal()] += c;
        }
        return c;
    }

    /**
     * {@link #memoryAccess} for a caller that comes back to the same line (the kernel's footprint of a
     * switch): {@code hint} is what this method returned for that line last time (-1 the first time).
     * When the L1 slot it names still holds the line, the hit is counted there without the set search;
     * otherwise the ordinary access. The same counts, LRU state and cycles either way (see
     * {@link Cache#hitAt}). Returns the hint for next time: the line's L1 slot now, or -1 without an L1.
     */
    public int memoryAccessHinted(long pa, int hint) {
        Cache l1 = l1d;
        if (l1 != null && l1.hitAt(pa, hint)) return hint;   // an L1 hit adds no cycles
        memoryAccess(pa);
        return l1 == null ? -1 : l1.lastSlot();
    }

    /**
     * The switch footprint's shortcut for four supervisor reads through the direct map, in this order:
     * {@code pa0}, {@code pa1} (in the 4 MiB page of direct-map address {@code va0}) then {@code pa2},
     * {@code pa3} (in that of {@code va2}), where only 4 MiB dTLB entries can map them. If all four hit
     * the dTLB and hit L1 at the hinted slots {@code h0..h3}, does exactly what the four reads one by
     * one would (dTLB and L1 hit counts, LRU ticks, the last large slot; no cycles: such hits add none)
     * and returns true; otherwise does nothing and returns false (the caller then reads one by one).
     * Exact because hits change no contents: each read hits on the starting state iff it hits after
     * the others.
     */
    public boolean kernelLargeHits4(int va0, int va2, long pa0, long pa1, long pa2, long pa3, int h0, int h1, int h2, int h3) {
        Cache l1 = l1d;
        if (l1 == null || !l1.holdsAt(pa0, h0) || !l1.holdsAt(pa1, h1) || !l1.holdsAt(pa2, h2) || !l1.holdsAt(pa3, h3)) return false;
        Tlb t = dtlb;
        int a = t.largeSlot(va0);
        if (a < 0) return false;
        int b = (va2 >>> Pte.PGDIR_SHIFT) == (va0 >>> Pte.PGDIR_SHIFT) ? a : t.largeSlot(va2);
        if (b < 0) return false;
        t.largeHits2x2(a, b);
        l1.hitsAt(h0, h1, h2, h3);
        return true;
    }

    /**
     * A stamp of where kernel lines and 4 MiB entries sit: it changes with every L1d tag change, every
     * dTLB 4 MiB entry change and every switch of the caches off or on, and no other CPU ever has the same
     * value. While it stays the same, lines seen at some L1 slots and 4 MiB entries seen valid at some
     * dTLB slots are still there.
     */
    public long footprintStamp() { return footChanges.value; }

    /**
     * {@link #kernelLargeHits4}'s hits when the caller already knows they hit (its {@link #footprintStamp}
     * is current): 4 MiB dTLB slots {@code a} then {@code b}, L1 slots {@code h0..h3}.
     */
    public void kernelLargeHitsAt(int a, int b, int h0, int h1, int h2, int h3) {
        dtlb.largeHits2x2(a, b);
        l1d.hitsAt(h0, h1, h2, h3);
    }

    /** Where the dTLB holds a valid 4 MiB entry for {@code va}, or -1; counts nothing. */
    public int kernelLargeSlot(int va) { return dtlb.largeSlot(va); }

    /**
     * Charges one page walk ({@link CostKind#TLB_MISS}): the fixed walk cost plus what its pde
     * read at {@code pdePa} and pte read at {@code ptePa} (-1 if the walk stopped at the pde)
     * add through the caches. Called by {@link Mmu}.
     */
    void chargeWalk(long pdePa, long ptePa) {
        long c = walkCost;
        if (cachesEnabled) {
            if (pdePa >= 0) c += reference(pdePa);
            if (ptePa >= 0) c += reference(ptePa);
        }
        cycles += c;
        cyclesBy[CostKind.TLB_MISS.ordinal()] += c;
    }

    // ---------------------------------------------------------------- CR3 and the TLB

    /** movl pgd,%cr3: switches page tables and drops every non-global TLB entry; costs cr3Load. Linux: load_cr3(). */
    public void loadCr3(int pgdPfn) {
        cr3 = pgdPfn;
        cr3Loads++;
        charge(CostKind.CR3_LOAD, cost.cr3Load());
        dtlb.flush();
        if (itlb != dtlb) itlb.flush();
    }

    /** Rewrites CR3 with itself; costs flushTlb. Linux: __flush_tlb(). */
    public void flushTlb() {
        charge(CostKind.TLB_FLUSH, cost.flushTlb());
        dtlb.flush();
        if (itlb != dtlb) itlb.flush();
    }

    /** INVLPG va, costing invlpg (a full flush costing flushTlb on a CPU without INVLPG). Linux: __flush_tlb_one(). */
    public void flushTlbOne(int va) {
        if (model.hasInvlpg()) charge(CostKind.INVLPG, cost.invlpg());
        else charge(CostKind.TLB_FLUSH, cost.flushTlb());
        dtlb.flushOne(va);
        if (itlb != dtlb) itlb.flushOne(va);
    }

    /** Toggles CR4.PGE around a CR3 rewrite: drops global entries too; costs flushTlbGlobal. Linux: __flush_tlb_global(). */
    public void flushTlbGlobal() {
        charge(CostKind.TLB_FLUSH, cost.flushTlbGlobal());
        dtlb.flushGlobal();
        if (itlb != dtlb) itlb.flushGlobal();
    }

    /** __flush_tlb_all(): global flush with PGE, plain flush without. */
    public void flushTlbAll() {
        if (dtlb.pgeEnabled()) flushTlbGlobal(); else flushTlb();
    }

    @Override public String toString() {
        return "cpu" + id + " (" + model.name() + ", cr3=" + (cr3 < 0 ? "-" : String.format("%08x", cr3 << 12)) + ")";
    }
}
