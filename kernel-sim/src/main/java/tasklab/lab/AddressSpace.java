package tasklab.lab;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tasklab.kernel.Task;
import tasklab.machine.PhysMem;
import tasklab.machine.Pte;
import tasklab.mm.MmCore;
import tasklab.mm.MmStruct;
import tasklab.mm.VmFlags;
import tasklab.mm.Vma;

/**
 * The i386 3G/1G split of one task's virtual address space: its VMAs (text, data, heap, stack,
 * mmaps) below PAGE_OFFSET 0xC0000000, and the kernel's gigabyte above it, which every process
 * shares because pgd_alloc copies the kernel entries 768-1023 of swapper_pg_dir into each new page
 * directory (R5.9). A to-scale 4 GiB bar on the left, the VMAs enlarged on the right.
 * Made by {@link Proc#addressSpace()}.
 */
public final class AddressSpace implements Picture {
    /** One VMA. */
    record Area(long start, long end, String perms, String region, long pages, long resident) {}

    private final String who;
    private final String subtitle;
    private final String mm;
    private final String borrowed;
    private final List<Area> areas;
    private final long ramMapped;
    private final long stackBase;
    private final int kernelSlots, kernelSlotsSame, kernelPresent, kernelUser;
    private final int processes, processesSame;

    private AddressSpace(String who, String subtitle, String mm, String borrowed, List<Area> areas, long ramMapped, long stackBase,
                         int kernelSlots, int kernelSlotsSame, int kernelPresent, int kernelUser, int processes, int processesSame) {
        this.who = who;
        this.subtitle = subtitle;
        this.mm = mm;
        this.borrowed = borrowed;
        this.areas = areas;
        this.ramMapped = ramMapped;
        this.stackBase = stackBase;
        this.kernelSlots = kernelSlots;
        this.kernelSlotsSame = kernelSlotsSame;
        this.kernelPresent = kernelPresent;
        this.kernelUser = kernelUser;
        this.processes = processes;
        this.processesSame = processesSame;
    }

    static AddressSpace of(Sim sim, Proc p) {
        if (p.released()) throw new LabException("addressSpace", p.label() + " has been reaped: it has no address space any more");
        Task t = p.task();
        MmStruct mm = t.mm() != null && !t.mm().freed() ? t.mm() : null;
        PhysMem mem = sim.kernel().machine().mem();
        int[] swapper = mem.table(MmCore.SWAPPER_PG_DIR_PFN);
        List<Area> areas = new ArrayList<>();
        int same = 0, present = 0, user = 0;
        if (mm != null) {
            for (Vma v : mm.vmas()) {
                long res = 0;
                for (long a = v.start(); a < v.end(); a += Pte.PAGE_SIZE) if (Pte.present(sim.pte(mm, a))) res++;
                areas.add(new Area(v.start(), v.end(), VmFlags.describe(v.flags()), Tables.region(mm, v), v.pages(), res));
            }
        }
        int[] pgd = mem.table((mm != null ? mm : sim.kernel().mm().initMm()).pgd());
        for (int i = Pte.USER_PTRS_PER_PGD; i < Pte.PTRS_PER_TABLE; i++) {
            if (pgd[i] == swapper[i]) same++;
            if (Pte.hwPresent(pgd[i])) { present++; if ((pgd[i] & Pte.USER) != 0) user++; }
        }
        // every live process's page directory: does it carry the same kernel half?
        Map<MmStruct, Boolean> mms = new IdentityHashMap<>();
        for (Task x : sim.kernel().tasks()) if (x.mm() != null && !x.mm().freed() && !x.hasExited()) mms.put(x.mm(), true);
        int sameProcs = 0;
        for (MmStruct m : mms.keySet()) {
            int[] d = mem.table(m.pgd());
            boolean eq = true;
            for (int i = Pte.USER_PTRS_PER_PGD; i < Pte.PTRS_PER_TABLE && eq; i++) eq = d[i] == swapper[i];
            if (eq) sameProcs++;
        }
        long ram = Math.min(sim.config().ramBytes(), MmCore.MAX_LOWMEM);
        MmStruct active = t.activeMm();
        return new AddressSpace(p.label(), sim.describe(), mm == null ? null : Names.mm(mm),
            mm == null && active != null ? Names.mm(active) : null, List.copyOf(areas), ram, t.stackBase() & 0xFFFFFFFFL,
            Pte.PTRS_PER_TABLE - Pte.USER_PTRS_PER_PGD, same, present, user, mms.size(), sameProcs);
    }

    /** The VMAs drawn (one box each). Example: {@code p.addressSpace().vmas()}. */
    public int vmas() { return areas.size(); }

    private static String hex(long v) { return String.format("0x%08x", v & 0xFFFFFFFFL); }

    private static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) return (bytes >> 30) + " GiB";
        if (bytes >= 1L << 30) return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20)).replace(".0 ", " ");
        return (bytes >> 10) + " KiB";
    }

    static String regionColor(String region) {
        return switch (region) {
            case "text" -> "#4e79a7";
            case "data" -> "#59a14f";
            case "heap" -> "#f28e2b";
            case "stack" -> "#e15759";
            case "mmap shared" -> "#b07aa1";
            default -> "#76b7b2";
        };
    }

    @Override public String toSvg() {
        Svg s = new Svg();
        double width = Figures.WIDTH;
        String title = "Address space of " + who + ": 3 GiB user, 1 GiB kernel";
        double top = Figures.header(s, title, subtitle) + 26;
        double barX = 150, barW = 46, barH = 560;
        double yOf4G = top, y0 = top + barH;
        java.util.function.LongToDoubleFunction Y = a -> y0 - (a / (double) (1L << 32)) * barH;
        double yPo = Y.applyAsDouble(0xC0000000L);

        // the to-scale bar
        s.g("class", "bar");
        s.rect(barX, yOf4G, barW, yPo - yOf4G, "class", "kernel-half", "fill", "#d7ccc8", "stroke", Figures.INK, "stroke-width", "1.2");
        s.rect(barX, yPo, barW, y0 - yPo, "class", "user-half", "fill", "#f5f9ff", "stroke", Figures.INK, "stroke-width", "1.2");
        s.rect(barX, yPo, barW, ramMapped / (double) (1L << 32) * barH, "fill", "#a1887f", "stroke", "none");
        s.text(barX + barW / 2, yOf4G - 8, "4 GiB, to scale", "text-anchor", "middle", "font-size", "10.5", "fill", Figures.MUTED);
        s.end();
        s.g("class", "ticks", "font-family", Svg.MONO, "font-size", "11", "text-anchor", "end", "fill", Figures.INK);
        for (long a : new long[] {0xFFFFFFFFL, 0xC0000000L, 0x80000000L, 0x40000000L, 0}) {
            double y = a == 0xFFFFFFFFL ? yOf4G : Y.applyAsDouble(a);
            s.line(barX - 5, y, barX, y, "stroke", Figures.INK);
            s.text(barX - 8, y + 4, hex(a), "font-weight", a == 0xC0000000L ? "bold" : null);
        }
        s.end();
        s.text(barX - 8, yPo + 18, "PAGE_OFFSET", "text-anchor", "end", "font-size", "10.5", "fill", Figures.MUTED);

        // the kernel half, enlarged
        double bx = 330, bw = width - 16 - bx;
        double ky = top, kh = 150;
        s.g("class", "kernel");
        s.rect(bx, ky, bw, kh, "rx", "6", "fill", "#efebe9", "stroke", "#6d4c41", "stroke-width", "1.6");
        String[] kl = {
            "kernel space " + hex(0xC0000000L) + "-" + hex(0xFFFFFFFFL) + " (1 GiB): the same in every process",
            "RAM mapped directly at " + hex(0xC0000000L) + "-" + hex(0xC0000000L + ramMapped - 1) + " (" + size(ramMapped) + ")",
            "this task's kernel stack: " + hex(stackBase) + " (in that direct map)",
            "pgd entries 768-1023: " + kernelSlotsSame + " of " + kernelSlots + " equal swapper_pg_dir's (" + kernelPresent + " present, "
                + (kernelUser == 0 ? "none" : Integer.toString(kernelUser)) + " with the U bit)",
            "copied by pgd_alloc (R5.9): " + processesSame + " of " + processes + " process page directories carry the same kernel half",
            kernelUser == 0 ? "user mode cannot touch it: the U/S bit is clear, so an access faults (SIGSEGV)"
                : kernelUser + " kernel pgd entries have the U/S bit set: user mode could reach them",
        };
        s.text(bx + 10, ky + 20, kl[0], "font-weight", "bold", "font-size", "12.5", "fill", "#3e2723");
        for (int i = 1; i < kl.length; i++) s.text(bx + 10, ky + 22 + i * 21, kl[i], "font-size", "11.5", "fill", Figures.INK);
        s.end();
        s.path("M " + Svg.num(barX + barW) + " " + Svg.num(yOf4G) + " L " + Svg.num(bx) + " " + Svg.num(ky) + " M " + Svg.num(barX + barW) + " "
            + Svg.num(yPo) + " L " + Svg.num(bx) + " " + Svg.num(ky + kh), "fill", "none", "stroke", "#6d4c41", "stroke-width", "1", "stroke-dasharray", "4 3");

        // the user half: VMAs from the top address down
        double uy = ky + kh + 26;
        s.text(bx, uy, "user space " + hex(0) + "-" + hex(0xBFFFFFFFL) + " (3 GiB, TASK_SIZE)" + (mm == null ? "" : ", " + mm),
            "font-weight", "bold", "font-size", "12.5", "fill", "#0d47a1");
        uy += 10;
        List<Area> down = new ArrayList<>(areas);
        down.sort((a, b) -> Long.compare(b.start(), a.start()));
        double boxH = 34, gap = 8;
        double avail = y0 - uy;
        int n = down.size();
        if (n > 0) {
            double need = n * boxH + (n - 1) * gap;
            if (need > avail) { boxH = Math.max(20, (avail - (n - 1) * 4) / n); gap = 4; }
        } else {
            String why = borrowed != null ? "a kernel thread: mm is NULL, no user address space; it runs on borrowed active_mm " + borrowed + " (lazy TLB)"
                : "a kernel thread: mm is NULL, no user address space (R6.3)";
            s.text(bx, uy + 30, why, "font-size", "12", "fill", Figures.INK, "class", "no-mm");
        }
        double y = uy + 6;
        long prevStart = 0xC0000000L;
        for (int i = 0; i < n; i++) {
            Area a = down.get(i);
            String color = regionColor(a.region());
            double ya = Y.applyAsDouble(a.end()), yb = Y.applyAsDouble(a.start());
            double markY = (ya + yb) / 2;
            s.g("class", "vma", "data-start", hex(a.start()), "data-region", a.region());
            s.title(a.region() + " " + hex(a.start()) + "-" + hex(a.end()) + " " + a.perms() + ", " + a.pages() + " pages, " + a.resident() + " resident");
            s.rect(barX - 2, Math.min(ya, markY - 1.5), barW + 4, Math.max(3, yb - ya), "fill", color);
            s.line(barX + barW + 2, markY, bx - 2, y + boxH / 2, "stroke", color, "stroke-width", "1.2");
            s.rect(bx, y, bw, boxH, "rx", "4", "fill", TaskTree.tint(color), "stroke", color, "stroke-width", "1.5");
            s.rect(bx, y, 8, boxH, "fill", color);
            String l1 = a.region() + "  " + hex(a.start()) + "-" + hex(a.end()) + "  " + a.perms();
            String l2 = a.pages() + " pages (" + size(a.end() - a.start()) + "), " + a.resident() + " resident";
            if (boxH >= 30) {
                s.text(bx + 16, y + 14, l1, "font-family", Svg.MONO, "font-size", "11.5", "font-weight", "bold", "fill", Figures.INK);
                s.text(bx + 16, y + 28, l2, "font-size", "10.5", "fill", Figures.INK);
            } else {
                s.text(bx + 16, y + boxH / 2 + 4, l1 + "  \u00b7  " + l2, "font-family", Svg.MONO, "font-size", "10.5", "fill", Figures.INK);
            }
            s.end();
            prevStart = a.start();
            y += boxH + gap;
        }
        double ly = y0 + 30;
        double h = Figures.legend(s, 16, ly, width - 32, List.of(
            new Figures.Item(Figures.Mark.BOX, regionColor("text"), "text"),
            new Figures.Item(Figures.Mark.BOX, regionColor("data"), "data"),
            new Figures.Item(Figures.Mark.BOX, regionColor("heap"), "heap (brk)"),
            new Figures.Item(Figures.Mark.BOX, regionColor("mmap"), "mmap (private)"),
            new Figures.Item(Figures.Mark.BOX, regionColor("mmap shared"), "mmap shared"),
            new Figures.Item(Figures.Mark.BOX, regionColor("stack"), "stack"),
            new Figures.Item(Figures.Mark.BOX, "#a1887f", "kernel: direct map of RAM"),
            new Figures.Item(Figures.Mark.BOX, "#d7ccc8", "kernel half, shared by all")));
        return s.render(width, ly + h + 8, title);
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder("Address space of ").append(who).append(" (").append(subtitle).append(")\n");
        b.append("kernel ").append(hex(0xC0000000L)).append("-").append(hex(0xFFFFFFFFL)).append(": shared; RAM mapped at ")
            .append(hex(0xC0000000L)).append("-").append(hex(0xC0000000L + ramMapped - 1)).append("; kernel stack at ").append(hex(stackBase)).append('\n');
        b.append("  pgd entries 768-1023: ").append(kernelSlotsSame).append(" of ").append(kernelSlots).append(" equal swapper_pg_dir's; ")
            .append(processesSame).append(" of ").append(processes).append(" process page directories carry the same kernel half\n");
        b.append("user ").append(hex(0)).append("-").append(hex(0xBFFFFFFFL)).append(mm == null ? ": no mm (kernel thread)" : " (" + mm + "):");
        if (borrowed != null) b.append(", borrows active_mm ").append(borrowed);
        List<Area> down = new ArrayList<>(areas);
        down.sort((x, y) -> Long.compare(y.start(), x.start()));
        for (Area a : down) {
            b.append(String.format("%n  %s-%s %s %-11s %d pages, %d resident", hex(a.start()), hex(a.end()), a.perms(), a.region(), a.pages(), a.resident()));
        }
        return b.toString();
    }
}
