package tasklab.time;

/** Where each CPU's periodic tick falls within the HZ period. */
public enum TickPhase {
    /**
     * Every CPU ticks at the same cycles, CPU 0 first, then 1, 2... (FIFO by sequence). Linux 2.6:
     * setup_APIC_timer only waits for IRQ0 ("Wait for IRQ0's slice"), the interleaving was removed
     * in 2.5.40 (arch/i386/kernel/apic.c). Also the model for UP, which has the single PIT tick (IRQ0).
     */
    ALIGNED,
    /**
     * CPU c ticks (c + 1) * (period / (ncpus + 1)) cycles after IRQ0. Linux 2.4 SMP: setup_APIC_timer
     * skews the local APIC timers "to spread out timer events", slice = clocks / (smp_num_cpus + 1),
     * waiting slice * (smp_processor_id() + 1) (arch/i386/kernel/apic.c).
     */
    STAGGERED;

    /** Offset in cycles of {@code cpu}'s ticks from the aligned tick, for a machine of {@code cpuCount} CPUs. */
    public long offset(int cpu, int cpuCount, long period) {
        if (cpu < 0 || cpu >= cpuCount) {
            throw new IndexOutOfBoundsException("TickPhase.offset: cpu " + cpu + " out of range 0.." + (cpuCount - 1));
        }
        return this == ALIGNED ? 0 : (cpu + 1) * (period / (cpuCount + 1));
    }
}
