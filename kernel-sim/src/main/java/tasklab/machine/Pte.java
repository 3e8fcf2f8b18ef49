package tasklab.machine;

/** i386 page-table entry bits and helpers. Linux: include/asm-i386/pgtable.h _PAGE_* */
public final class Pte {
    private Pte() {}
    public static final int PRESENT = 0x001;
}
