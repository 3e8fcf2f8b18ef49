package tasklab.lab;

import tasklab.machine.Pte;
import tasklab.mm.VmFlags;

/** How the lab spells kernel values: protections, map flags, pte bits, addresses. */
final class Names {
    private Names() {}

    /** "PROT_READ|PROT_WRITE". */
    static String prot(int prot) {
        if (prot == 0) return "PROT_NONE";
        StringBuilder b = new StringBuilder();
        if ((prot & VmFlags.PROT_READ) != 0) b.append("PROT_READ|");
        if ((prot & VmFlags.PROT_WRITE) != 0) b.append("PROT_WRITE|");
        if ((prot & VmFlags.PROT_EXEC) != 0) b.append("PROT_EXEC|");
        int rest = prot & ~7;
        if (rest != 0) b.append(String.format("0x%x|", rest));
        return b.substring(0, b.length() - 1);
    }

    /** "MAP_PRIVATE|MAP_ANONYMOUS". */
    static String map(int flags) {
        StringBuilder b = new StringBuilder();
        if ((flags & VmFlags.MAP_SHARED) != 0) b.append("MAP_SHARED|");
        if ((flags & VmFlags.MAP_PRIVATE) != 0) b.append("MAP_PRIVATE|");
        if ((flags & VmFlags.MAP_FIXED) != 0) b.append("MAP_FIXED|");
        if ((flags & VmFlags.MAP_ANONYMOUS) != 0) b.append("MAP_ANONYMOUS|");
        if ((flags & VmFlags.MAP_GROWSDOWN) != 0) b.append("MAP_GROWSDOWN|");
        int rest = flags & ~(VmFlags.MAP_SHARED | VmFlags.MAP_PRIVATE | VmFlags.MAP_FIXED | VmFlags.MAP_ANONYMOUS | VmFlags.MAP_GROWSDOWN);
        if (rest != 0) b.append(String.format("0x%x|", rest));
        return b.length() == 0 ? "0" : b.substring(0, b.length() - 1);
    }

    // The per-row names below are String.format's %0Nx without a Formatter per call: a table of
    // 10,000 tasks prints tens of thousands of them.

    /** "0x0804c000". */
    static String addr(long va) { return "0x" + hex(va, 8); }

    /** "0x212". */
    static String pfn(int pfn) { return "0x" + hex(pfn & 0xffffffffL, 3); }

    /** "067". */
    static String pteHex(int pte) { return hex(Pte.flags(pte) & 0xffffffffL, 3); }

    /** {@code v} in lowercase hex, zero-padded to at least {@code digits} digits. */
    private static String hex(long v, int digits) {
        String h = Long.toHexString(v);
        return h.length() >= digits ? h : "0".repeat(digits - h.length()) + h;
    }

    /** "P RW U A D", or "none". */
    static String bits(int pte) { return pte == 0 ? "none" : Pte.describe(pte); }

    /** "mm#3", "init_mm", "-" for none. */
    static String mm(tasklab.mm.MmStruct mm) {
        if (mm == null) return "-";
        return mm.isInitMm() ? "init_mm" : "mm#" + mm.id();
    }
}
