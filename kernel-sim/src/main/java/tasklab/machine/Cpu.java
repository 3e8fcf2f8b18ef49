package tasklab.machine;

/**
 * One i386 CPU: its model, CR3 (the pfn of the loaded page directory), CR2, its TLBs and cycle
 * counter. The instruction and data TLBs are one object on models with a unified TLB.
 */
public final class Cpu {
    private final int id;
    private final CpuModel model;
    private final Tlb itlb;
    private final Tlb dtlb;
    private int cr3 = -1;
    private int cr2;
    private long cycles;
    private long cr3Loads;
    private long pageWalks;

    /** CPU number {@code id} of the given model; CR4.PGE follows {@code pge}. */
    public Cpu(int id, CpuModel model, boolean pge) {
        this.id = id;
        this.model = model;
        boolean pgeOn = pge && model.hasPge();
        if (model.unifiedTlb()) {
            this.dtlb = new Tlb("TLB", model.dtlb(), model.hasInvlpg(), pgeOn);
            this.itlb = dtlb;
        } else {
            this.dtlb = new Tlb("dTLB", model.dtlb(), model.hasInvlpg(), pgeOn);
            this.itlb = new Tlb("iTLB", model.itlb(), model.hasInvlpg(), pgeOn);
        }
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
    /** The last faulting linear address. */
    public int cr2() { return cr2; }
    void setCr2(int va) { cr2 = va; }
    /** Cycles this CPU has spent. */
    public long cycles() { return cycles; }
    /** Adds cycles of work done on this CPU. */
    public void charge(long c) { cycles += c; }
    /** CR3 loads since boot. */
    public long cr3Loads() { return cr3Loads; }
    /** Page walks done by the MMU after TLB misses. */
    public long pageWalks() { return pageWalks; }
    void countWalk() { pageWalks++; }

    /** movl pgd,%cr3: switches page tables and drops every non-global TLB entry. Linux: load_cr3(). */
    public void loadCr3(int pgdPfn) {
        cr3 = pgdPfn;
        cr3Loads++;
        dtlb.flush();
        if (itlb != dtlb) itlb.flush();
    }

    /** Rewrites CR3 with itself: __flush_tlb(). */
    public void flushTlb() {
        dtlb.flush();
        if (itlb != dtlb) itlb.flush();
    }

    /** INVLPG va (a full flush on a 386). Linux: __flush_tlb_one(). */
    public void flushTlbOne(int va) {
        dtlb.flushOne(va);
        if (itlb != dtlb) itlb.flushOne(va);
    }

    /** Toggles CR4.PGE around a CR3 rewrite: drops global entries too. Linux: __flush_tlb_global(). */
    public void flushTlbGlobal() {
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
