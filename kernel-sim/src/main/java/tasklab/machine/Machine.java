package tasklab.machine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The hardware: N CPUs of one model sharing RAM. */
public final class Machine {
    private final CpuModel model;
    private final PhysMem mem;
    private final List<Cpu> cpus;
    private final Cpu[] cpuArray;      // the same CPUs, for the hot path's cpu(i)

    /** A machine of {@code nrCpus} CPUs (1 to 32) of {@code model} with {@code ramBytes} of RAM; PGE used if the model has it and {@code pge}. */
    public Machine(CpuModel model, int nrCpus, long ramBytes, boolean pge) {
        if (nrCpus < 1 || nrCpus > 32) {
            throw new IllegalArgumentException("a machine has 1 to 32 CPUs (cpu_vm_mask is one 32-bit word on i386), got " + nrCpus);
        }
        this.model = model;
        this.mem = new PhysMem(ramBytes);
        List<Cpu> list = new ArrayList<>();
        for (int i = 0; i < nrCpus; i++) list.add(new Cpu(i, model, pge));
        this.cpus = Collections.unmodifiableList(list);
        this.cpuArray = list.toArray(new Cpu[0]);
    }

    /** The CPU model. */
    public CpuModel model() { return model; }
    /** Physical memory. */
    public PhysMem mem() { return mem; }
    /** The CPUs, by number. */
    public List<Cpu> cpus() { return cpus; }
    /** CPU {@code i}. */
    public Cpu cpu(int i) { return cpuArray[i]; }
    /** Number of CPUs. */
    public int nrCpus() { return cpus.size(); }

    /**
     * Switches the L1D / L2 simulation of every CPU on (fresh, empty caches) or off (faster: every
     * access counts as an L1 hit). On by default. Returns this machine.
     */
    public Machine setCachesEnabled(boolean on) {
        for (Cpu c : cpus) c.setCachesEnabled(on);
        return this;
    }

    /** Whether the CPUs simulate their caches. */
    public boolean cachesEnabled() { return cpus.get(0).cachesEnabled(); }

    /** The cost model of the CPUs. */
    public CostModel cost() { return cpus.get(0).cost(); }

    /** What a notebook shows for a machine: CPUs, model, RAM and free frames. */
    @Override public String toString() {
        return nrCpus() + " x " + model.name() + ", " + (((long) mem.nrFrames()) * 4096 >> 20) + " MiB RAM ("
                + mem.freeFrames() + " of " + mem.nrFrames() + " frames free)";
    }
}
