package tasklab.mm;

import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;
import tasklab.machine.Machine;
import tasklab.trace.Counter;
import tasklab.trace.Counters;
import tasklab.trace.Trace;

/** A booted memory subsystem without tasks: user contexts stand in for tasks. */
final class Rig {
    final Machine machine;
    final MmCore core;
    final Counters counters;
    final Trace trace = new Trace();

    Rig(KernelVersion v, int cpus) { this(v, cpus, CpuModel.PENTIUM_PRO_200); }

    Rig(KernelVersion v, int cpus, CpuModel model) {
        machine = new Machine(model, cpus, 64L << 20, true);
        counters = new Counters(cpus);
        core = new MmCore(machine, v, counters, trace);
    }

    /** A user context standing in for a task. */
    static final class Ctx implements MmTask {
        MmStruct mm;
        MmStruct activeMm;
        final int pid;
        int minFlt;
        int esp = 0xBFFFF000;
        Ctx(int pid, MmStruct mm) { this.pid = pid; this.mm = mm; this.activeMm = mm; }
        public MmStruct mm() { return mm; }
        public MmStruct activeMm() { return activeMm; }
        public int pid() { return pid; }
        public int userEsp() { return esp; }
        public void countMinorFault() { minFlt++; }
        public void countMajorFault() { }
    }

    /** A new mm with one private anonymous RW mapping at addr. */
    MmStruct mmWithAnon(long addr, long len) {
        MmStruct mm = core.refs.mmAlloc(0);
        long r = core.mmap.doMmap(0, mm, addr, len, VmFlags.PROT_READ | VmFlags.PROT_WRITE,
            VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS | VmFlags.MAP_FIXED);
        if (r != addr) throw new AssertionError("mmap failed: " + r);
        return mm;
    }

    /** Runs ctx on cpu: switch_mm from whatever the CPU had, set current. */
    Ctx run(int cpu, Ctx ctx) {
        MmStruct prev = core.perCpu(cpu).current() == null ? core.perCpu(cpu).tlbActiveMm()
            : core.perCpu(cpu).current().activeMm();
        core.perCpu(cpu).setCurrent(ctx);
        core.mmuContext.switchMm(cpu, prev, ctx.activeMm);
        return ctx;
    }

    long total(Counter c) { return counters.total(c); }
    int pte(MmStruct mm, long va) { return core.pageTables.pte(mm, va); }
    int free() { return core.mem().freeFrames(); }
}
