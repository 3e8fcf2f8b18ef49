package tasklab.mm;

import tasklab.machine.CostKind;
import tasklab.machine.Cpu;
import tasklab.machine.KernelBug;
import tasklab.trace.Counter;
import tasklab.trace.Event;
import tasklab.trace.FlushReason;

/**
 * The TLB flush API with the i386 SMP shootdown protocol: local primitives, flush_tlb_mm / page /
 * range / all, flush_tlb_others with one INVALIDATE_TLB IPI per target CPU (handled at once on the
 * target, the sender waiting for every acknowledgement), smp_invalidate_interrupt and leave_mm.
 * On a one-CPU machine the UP definitions apply. Every call is counted, effective or not.
 * flush_tlb_range asks an extension point, {@link FlushRangePolicy} (default: the kernel's full flush).
 * Costs: each local primitive charges its CPU (Cpu.flushTlb / flushTlbOne / flushTlbGlobal /
 * loadCr3); a shootdown charges the sender one ipiRoundTrip per call (all targets answer in
 * parallel) and each target an interrupt entry (faultEntry) besides its own flush.
 * Linux: arch/i386/kernel/smp.c, include/asm-i386/pgalloc.h (2.4) / tlbflush.h (2.6).
 */
public final class TlbFlush {
    /** FLUSH_ALL / TLB_FLUSH_ALL. */
    public static final int FLUSH_ALL = 0xffffffff;

    private final MmCore core;
    private FlushRangePolicy rangePolicy = FlushRangePolicy.LINUX_2_4;
    private String policyFailure;          // the first failure since the last takePolicyFailure()
    private int policyFailures;

    TlbFlush(MmCore core) { this.core = core; }

    /** The extension point behind flush_tlb_range (default {@link FlushRangePolicy#LINUX_2_4}, the kernel's). */
    public FlushRangePolicy rangePolicy() { return rangePolicy; }

    /** Installs a flush_tlb_range policy; null restores the kernel's ({@link FlushRangePolicy#LINUX_2_4}). */
    public void setRangePolicy(FlushRangePolicy policy) {
        this.rangePolicy = policy == null ? FlushRangePolicy.LINUX_2_4 : policy;
    }

    /**
     * The failures of the range policy since the last call (it threw or returned null; the kernel
     * did a full flush instead each time), as one sentence, and forgets them; null if none.
     */
    public String takePolicyFailure() {
        if (policyFailure == null) return null;
        String s = policyFailure + (policyFailures > 1 ? " (" + (policyFailures - 1) + " more failure(s) since)" : "");
        policyFailure = null;
        policyFailures = 0;
        return s;
    }

    // ---- local primitives (LINUX-SPEC §1.5) ----

    /** __flush_tlb() / local_flush_tlb(): drops this CPU's non-global entries. */
    public void localFlushTlb(int cpu, FlushReason reason) {
        Cpu c = core.cpu(cpu);
        c.flushTlb();
        core.count(cpu, Counter.TLB_FULL_LOCAL);
        core.trace().tlbFlush(c.cycles(), cpu, reason, -1);
    }

    /**
     * __flush_tlb_one(va): INVLPG; without it (a 386, or the INVLPG-off what-if) the macro is
     * __flush_tlb(), and it is counted as what ran (tlb_full_local), as its trace event says.
     * Linux: include/asm-i386/pgalloc.h (2.4), tlbflush.h cpu_has_invlpg (2.6).
     */
    public void flushTlbOne(int cpu, int va, FlushReason reason) {
        Cpu c = core.cpu(cpu);
        c.flushTlbOne(va);
        boolean invlpg = c.model().hasInvlpg();
        core.count(cpu, invlpg ? Counter.TLB_PAGE_LOCAL : Counter.TLB_FULL_LOCAL);
        core.trace().tlbFlush(c.cycles(), cpu, reason, invlpg ? 1 : -1);
    }

    /** __flush_tlb_all(): a global flush with PGE, otherwise a plain one. */
    public void flushTlbAllLocal(int cpu) {
        Cpu c = core.cpu(cpu);
        if (c.dtlb().pgeEnabled()) {
            c.flushTlbGlobal();
            core.count(cpu, Counter.TLB_GLOBAL);
            core.trace().tlbFlush(c.cycles(), cpu, FlushReason.LOCAL_SHOOTDOWN, -1);
        } else {
            localFlushTlb(cpu, FlushReason.LOCAL_SHOOTDOWN);
        }
    }

    // ---- the API ----

    /** flush_tlb_mm(mm) as run on CPU {@code cpu}. Linux: arch/i386/kernel/smp.c flush_tlb_mm() (R8.6; UP R8.1). */
    public void flushTlbMm(int cpu, MmStruct mm) {
        core.count(cpu, Counter.FLUSH_TLB_MM);
        flushMm(cpu, mm);
    }

    /**
     * flush_tlb_range(mm, start, end): what the range policy chooses; the kernel's (the default) is
     * a full flush of the mm (SMP: flush_tlb_mm, R8.8). Linux: include/asm-i386/pgalloc.h flush_tlb_range().
     */
    public void flushTlbRange(int cpu, MmStruct mm, long start, long end) {
        core.count(cpu, Counter.FLUSH_TLB_RANGE);
        if (rangePolicy == FlushRangePolicy.LINUX_2_4 || choose(cpu, mm, start, end) != FlushRangePolicy.Flush.PER_PAGE) {
            flushMm(cpu, mm);
        } else {
            flushPages(cpu, mm, start, end);
        }
    }

    /** Asks the range policy; a throw or null is recorded and answered with FULL, the always-safe choice. */
    private FlushRangePolicy.Flush choose(int cpu, MmStruct mm, long start, long end) {
        FlushRange range = new FlushRange(start, end, core.cpu(cpu).model(), Integer.bitCount(mm.cpuVmMask), mm.rss);
        String problem;
        try {
            FlushRangePolicy.Flush f = rangePolicy.choose(range);
            if (f != null) return f;
            problem = "returned null";
        } catch (RuntimeException | StackOverflowError e) {
            problem = "threw " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        policyFailures++;
        if (policyFailure == null) {
            policyFailure = "the flush_tlb_range policy '" + rangePolicy + "' " + problem + " for " + range
                + "; the kernel flushed the whole mm instead (flush_tlb_mm, as 2.4 does, R8.8) and went on."
                + " A policy must return Flush.FULL or Flush.PER_PAGE for every range";
        }
        return FlushRangePolicy.Flush.FULL;
    }

    /**
     * flush_tlb_page's protocol (R8.7) for every page of [start, end): INVLPG each page here (or leave_mm
     * if lazy), and one IPI per other CPU of the mm whose handler INVLPGs each page; one trace event per
     * CPU, with the page count. flush_tlb_page is its one-page case; the PER_PAGE choice of a range policy
     * is flush_tlb_range as Linux 3.15+ flush_tlb_mm_range() does below its ceiling.
     */
    private void flushPages(int cpu, MmStruct mm, long start, long end) {
        if (end <= start) return;                      // no page in the range, nothing can be stale
        MmTask cur = core.perCpu(cpu).current;
        MmStruct active = cur == null ? core.perCpu(cpu).tlbActiveMm : cur.activeMm();
        if (!core.smp()) {
            if (mm == active) flushTlbPages(cpu, start, end, FlushReason.LOCAL_SHOOTDOWN);
            return;
        }
        int others = mm.cpuVmMask & ~(1 << cpu);
        if (active == mm) {
            if (cur != null && cur.mm() != null) flushTlbPages(cpu, start, end, FlushReason.LOCAL_SHOOTDOWN);
            else leaveMm(cpu);
        }
        if (others != 0) flushTlbOthersRange(cpu, others, mm, start, end);
    }

    /**
     * __flush_tlb_one for every page of [start, end) on one CPU: one count each (an INVLPG, or a
     * full flush on a CPU without it, as flushTlbOne counts), one trace event for all.
     */
    private void flushTlbPages(int cpu, long start, long end, FlushReason reason) {
        Cpu c = core.cpu(cpu);
        Counter what = c.model().hasInvlpg() ? Counter.TLB_PAGE_LOCAL : Counter.TLB_FULL_LOCAL;
        int pages = 0;
        for (long va = start & ~0xFFFL; va < end; va += 4096, pages++) {
            c.flushTlbOne((int) va);
            core.count(cpu, what);
        }
        core.trace().tlbFlush(c.cycles(), cpu, reason, c.model().hasInvlpg() ? pages : -1);
    }

    private void flushMm(int cpu, MmStruct mm) {
        MmTask cur = core.perCpu(cpu).current;
        MmStruct active = cur == null ? core.perCpu(cpu).tlbActiveMm : cur.activeMm();
        if (!core.smp()) {
            if (mm == active) localFlushTlb(cpu, FlushReason.LOCAL_MM_SHOOTDOWN);
            return;
        }
        int others = mm.cpuVmMask & ~(1 << cpu);
        if (active == mm) {
            if (cur != null && cur.mm() != null) localFlushTlb(cpu, FlushReason.LOCAL_MM_SHOOTDOWN);
            else leaveMm(cpu);
        }
        if (others != 0) flushTlbOthers(cpu, others, mm, FLUSH_ALL);
    }

    /** flush_tlb_page(vma, va). Linux: arch/i386/kernel/smp.c flush_tlb_page() (R8.7; UP R8.1). */
    public void flushTlbPage(int cpu, Vma vma, int va) {
        core.count(cpu, Counter.FLUSH_TLB_PAGE);
        long page = Integer.toUnsignedLong(va) & ~0xFFFL;
        flushPages(cpu, vma.mm, page, page + 4096);    // the one-page case of the per-page protocol
    }

    /** flush_tlb_all(): every CPU flushes everything, lazy ones also leave_mm. Linux: smp.c flush_tlb_all() (R8.9). */
    public void flushTlbAll(int cpu) {
        core.count(cpu, Counter.FLUSH_TLB_ALL);
        for (int other = 0; other < core.nrCpus(); other++) {
            if (other == cpu) continue;
            core.count(cpu, Counter.IPI_CALL_FUNCTION);
            long sent = core.now(cpu);
            if (core.trace().enabled()) core.record(new Event.Ipi(sent, cpu, other, "CALL_FUNCTION"));
            core.count(other, Counter.IRQ_CALL_FUNCTION);
            interruptEntry(other, sent);
            doFlushTlbAllLocal(other);
        }
        if (core.nrCpus() > 1) ipiWait(cpu);          // smp_call_function(..., wait=1)
        doFlushTlbAllLocal(cpu);
    }

    /** do_flush_tlb_all_local(): the per-CPU part of flush_tlb_all. */
    private void doFlushTlbAllLocal(int cpu) {
        flushTlbAllLocal(cpu);
        if (core.smp() && core.perCpu(cpu).tlbState == TlbState.LAZY) leaveMm(cpu);
    }

    /** flush_tlb_others(cpumask, mm, va): one IPI per target, each handled before returning. Linux: smp.c flush_tlb_others() (R8.2). */
    public void flushTlbOthers(int cpu, int cpumask, MmStruct mm, int va) {
        shootdown(cpu, cpumask, mm, va, 0, 0);
    }

    /**
     * flush_tlb_others for the range [start, end), the PER_PAGE choice of a range policy: one IPI per
     * target, whose handler INVLPGs every page. Linux: arch/x86/mm/tlb.c flush_tlb_others() with a flush_tlb_info (3.15+).
     */
    private void flushTlbOthersRange(int cpu, int cpumask, MmStruct mm, long start, long end) {
        shootdown(cpu, cpumask, mm, 0, start, end);
    }

    /** The IPI protocol of flush_tlb_others for one address ({@code end == start}) or a range of pages. */
    private void shootdown(int cpu, int cpumask, MmStruct mm, int va, long start, long end) {
        if (cpumask == 0) throw new KernelBug("flush_tlb_others", "empty cpumask");
        if ((cpumask & (1 << cpu)) != 0) throw new KernelBug("flush_tlb_others", "cpumask contains the calling CPU " + cpu);
        if (mm == null) throw new KernelBug("flush_tlb_others", "mm is NULL");
        if ((cpumask & ~((int) ((1L << core.nrCpus()) - 1))) != 0) throw new KernelBug("flush_tlb_others",
            "cpumask names an offline CPU");
        int n = Integer.bitCount(cpumask);
        core.counters().add(cpu, Counter.IPI_TLB, n);
        long sent = core.now(cpu);                     // send_IPI_mask: one send reaches every target
        for (int target = 0; target < core.nrCpus(); target++) {
            if ((cpumask & (1 << target)) == 0) continue;
            if (core.trace().enabled()) core.record(new Event.Ipi(sent, cpu, target, "INVALIDATE_TLB"));
            core.count(target, Counter.IRQ_TLB);
            interruptEntry(target, sent);
            if (end > start) smpInvalidateInterruptRange(target, mm, start, end);
            else smpInvalidateInterrupt(target, mm, va);
        }
        ipiWait(cpu);                                  // while (flush_cpumask) spin
    }

    /**
     * The sender's spin until every target acknowledged: one ipiRoundTrip per call, not per target,
     * because one send_IPI_mask reaches all targets at once and they answer in parallel.
     */
    private void ipiWait(int cpu) {
        Cpu c = core.cpu(cpu);
        c.charge(CostKind.IPI, c.cost().ipiRoundTrip());
    }

    /**
     * A target CPU takes the interrupt sent at the sender's cycle {@code sent}: its clock first
     * catches up with the send if it is behind (each CPU has its own counter; the handler cannot run
     * before the IPI was sent), then entry + iret, costed as an exception entry (faultEntry).
     */
    private void interruptEntry(int cpu, long sent) {
        Cpu c = core.cpu(cpu);
        c.syncTo(sent);
        c.charge(CostKind.FAULT_ENTRY, c.cost().faultEntry());
    }

    /** smp_invalidate_interrupt() on the target CPU: flush if it still uses the mm, or leave_mm if lazy. (R8.3) */
    void smpInvalidateInterrupt(int cpu, MmStruct flushMm, int va) {
        PerCpu pc = core.perCpu(cpu);
        if (flushMm != pc.tlbActiveMm) return;        // switched away already: acknowledge only
        if (pc.tlbState == TlbState.OK) {
            if (va == FLUSH_ALL) localFlushTlb(cpu, FlushReason.REMOTE_SHOOTDOWN);
            else flushTlbOne(cpu, va, FlushReason.REMOTE_SHOOTDOWN);
        } else {
            leaveMm(cpu);
        }
    }

    /** smp_invalidate_interrupt() for a range (3.15+ flush_tlb_func): INVLPG each page if it still uses the mm, or leave_mm if lazy. */
    private void smpInvalidateInterruptRange(int cpu, MmStruct flushMm, long start, long end) {
        PerCpu pc = core.perCpu(cpu);
        if (flushMm != pc.tlbActiveMm) return;
        if (pc.tlbState == TlbState.OK) flushTlbPages(cpu, start, end, FlushReason.REMOTE_SHOOTDOWN);
        else leaveMm(cpu);
    }

    /** leave_mm(cpu): a lazy CPU stops taking flush IPIs for its borrowed mm and loads swapper_pg_dir. Linux: smp.c leave_mm() (R8.4). */
    public void leaveMm(int cpu) {
        PerCpu pc = core.perCpu(cpu);
        if (pc.tlbState == TlbState.OK) throw new KernelBug("leave_mm", "cpu_tlbstate[" + cpu + "].state == TLBSTATE_OK");
        pc.tlbActiveMm.cpuVmMask &= ~(1 << cpu);
        Cpu c = core.cpu(cpu);
        c.loadCr3(MmCore.SWAPPER_PG_DIR_PFN);
        core.count(cpu, Counter.CR3_LEAVE_MM);
        core.trace().tlbFlush(c.cycles(), cpu, FlushReason.TASK_SWITCH, -1);
    }
}
