package tasklab.mm;

import tasklab.machine.Cpu;
import tasklab.machine.KernelBug;
import tasklab.trace.Counter;

/**
 * The architecture's address-space switch: switch_mm (CR3 load and cpu_vm_mask upkeep),
 * enter_lazy_tlb and activate_mm. Linux: include/asm-i386/mmu_context.h.
 */
public final class MmuContext {
    // Read on every context switch: kept here rather than reached through MmCore each time.
    private final PerCpu[] perCpu;
    private final Cpu[] cpus;
    private final boolean smp;
    private final tasklab.trace.Counters counters;
    private final tasklab.trace.Trace trace;

    MmuContext(MmCore core) {
        this.perCpu = new PerCpu[core.nrCpus()];
        this.cpus = new Cpu[core.nrCpus()];
        for (int i = 0; i < perCpu.length; i++) {
            perCpu[i] = core.perCpu(i);
            cpus[i] = core.cpu(i);
        }
        this.smp = core.smp();
        this.counters = core.counters();
        this.trace = core.trace();
    }

    /** enter_lazy_tlb(mm, tsk, cpu): on SMP an OK CPU becomes LAZY; nothing else changes. (R7.9) */
    public void enterLazyTlb(int cpu) {
        if (!smp) return;
        PerCpu pc = perCpu[cpu];
        if (pc.tlbState == TlbState.OK) pc.tlbState = TlbState.LAZY;
    }

    /**
     * switch_mm(prev, next, tsk, cpu). Returns true if CR3 was loaded. (R7.10, R7.11)
     */
    public boolean switchMm(int cpu, MmStruct prev, MmStruct next) {
        return switchMm(cpu, prev, next, true);
    }

    /**
     * switch_mm, its CR3 load's tlb_flush event recorded only if {@code recordFlush}: the context
     * switch records that event itself, together with its sched_switch (Trace.switchEvents).
     */
    public boolean switchMm(int cpu, MmStruct prev, MmStruct next, boolean recordFlush) {
        if (next.freed) throw new KernelBug("switch_mm", "next mm#" + next.id + " was freed");
        PerCpu pc = perCpu[cpu];
        Cpu c = cpus[cpu];
        int bit = 1 << cpu;
        if (prev != next) {
            prev.cpuVmMask &= ~bit;               // stop flush IPIs for the old mm
            if (smp) {
                pc.tlbState = TlbState.OK;
                pc.tlbActiveMm = next;
            }
            next.cpuVmMask |= bit;
            c.loadCr3(next.pgd);
            counters.inc(cpu, Counter.CR3_SWITCH);
            if (recordFlush) trace.switchTlbFlush(c.cycles(), cpu);
            return true;
        }
        if (!smp) return false;             // UP: nothing at all
        pc.tlbState = TlbState.OK;
        if (pc.tlbActiveMm != next) throw new KernelBug("switch_mm", "cpu_tlbstate[" + cpu + "].active_mm != next");
        if ((next.cpuVmMask & bit) == 0) {         // leave_mm happened while lazy
            next.cpuVmMask |= bit;
            c.loadCr3(next.pgd);
            counters.inc(cpu, Counter.CR3_LAZY_RELOAD);
            if (recordFlush) trace.switchTlbFlush(c.cycles(), cpu);
            return true;
        }
        return false;
    }

    /** activate_mm(prev, next) = switch_mm(prev, next, NULL, cpu): used by exec. (R7.12) */
    public boolean activateMm(int cpu, MmStruct prev, MmStruct next) {
        return switchMm(cpu, prev, next);
    }
}
