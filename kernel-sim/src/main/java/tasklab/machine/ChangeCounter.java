package tasklab.machine;

/**
 * A count of changes that a CPU's L1d and dTLB share: every L1d tag change and every 4 MiB dTLB entry
 * change adds one. While it stays the same, lines and 4 MiB entries seen at some slots are still there
 * (the switch footprint's steady-state check, {@link Cpu#footprintStamp}). Host bookkeeping only.
 */
final class ChangeCounter {
    long value;

    /** Starts at {@code start}: each CPU starts far from the others, so one CPU's values never match another's. */
    ChangeCounter(long start) { this.value = start; }
}
