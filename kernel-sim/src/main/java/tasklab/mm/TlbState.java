package tasklab.mm;

/** cpu_tlbstate[cpu].state values. Linux: include/asm-i386/pgalloc.h (2.4), tlbflush.h (2.6). */
public enum TlbState {
    /** 0: the boot value, neither OK nor LAZY. */
    BOOT(0),
    /** TLBSTATE_OK (1): the CPU uses active_mm's user mappings. */
    OK(1),
    /** TLBSTATE_LAZY (2): a kernel thread borrows active_mm; flush IPIs make it leave_mm. */
    LAZY(2);

    private final int value;

    TlbState(int value) { this.value = value; }

    /** The numeric value Linux uses. */
    public int value() { return value; }
}
