package tasklab.lab;

import java.util.List;
import tasklab.kernel.Task;

/**
 * A task's 8 KiB kernel stack (THREAD_SIZE, two pages, an order-1 block): task_struct (2.4) or
 * thread_info (2.6) at the base, the stack growing down from the top, the saved esp, and how the
 * kernel finds {@code current}: {@code esp & ~8191} is the base of the block. Drawn with the task's
 * real addresses. Made by {@link Proc#kernelStack()}.
 */
public final class KernelStack implements Picture {
    private final String who;
    private final boolean v24;
    private final String subtitle;
    private final int base;
    private final int esp;
    private final long phys;
    private final int regsBytes;
    private final boolean running;

    private KernelStack(String who, boolean v24, String subtitle, int base, int esp, long phys, int regsBytes, boolean running) {
        this.who = who;
        this.v24 = v24;
        this.subtitle = subtitle;
        this.base = base;
        this.esp = esp;
        this.phys = phys;
        this.regsBytes = regsBytes;
        this.running = running;
    }

    static KernelStack of(Sim sim, Proc p) {
        Task t = p.task();
        if (p.released()) throw new LabException("kernelStack", p.label() + " has been reaped: its kernel stack was freed");
        return new KernelStack(p.label(), sim.version().is24(), sim.describe(), t.stackBase(), t.esp(), t.stackPhys(),
            Task.childRegsOffset(sim.version()), t.onCpu());
    }

    /** The kernel virtual address of the block's base (where task_struct / thread_info is). Example: {@code Long.toHexString(p.kernelStack().base())}. */
    public long base() { return base & 0xFFFFFFFFL; }
    /** The saved stack pointer (thread.esp). Example: {@code p.kernelStack().esp()}. */
    public long esp() { return esp & 0xFFFFFFFFL; }
    /** current as the kernel computes it: {@code esp & ~(THREAD_SIZE - 1)}. Example: {@code p.kernelStack().current() == p.kernelStack().base()}. */
    public long current() { return Task.currentFromEsp(esp) & 0xFFFFFFFFL; }

    private String baseStruct() { return v24 ? "struct task_struct" : "struct thread_info"; }

    private static String hex(long v) { return String.format("0x%08x", v & 0xFFFFFFFFL); }

    @Override public String toSvg() {
        Svg s = new Svg();
        double width = Figures.WIDTH;
        String title = "Kernel stack of " + who + ": 8 KiB, two pages";
        double top = Figures.header(s, title, subtitle + (running ? " \u00b7 on a CPU now" : "")) + 16;
        double bx = 190, bw = 250, pageH = 230;
        double yTop = top, yMid = top + pageH, yBase = top + 2 * pageH;
        double bytePx = pageH / 4096.0;
        long top8 = base() + 8192;

        // the two pages
        s.g("class", "stack-pages");
        s.rect(bx, yTop, bw, pageH, "class", "page", "fill", "#ffffff", "stroke", Figures.INK, "stroke-width", "1.5");
        s.rect(bx, yMid, bw, pageH, "class", "page", "fill", "#ffffff", "stroke", Figures.INK, "stroke-width", "1.5");
        s.end();
        // pt_regs at the very top, then what is used above esp (to scale, at least readable)
        double espY = yTop + (top8 - esp()) * bytePx;
        double regsH = Math.max(16, regsBytes * bytePx);
        espY = Math.max(espY, yTop + regsH);
        s.rect(bx, yTop, bw, espY - yTop, "class", "used", "fill", "#ffe0b2", "stroke", "none");
        s.rect(bx, yTop, bw, regsH, "class", "pt-regs", "fill", "#ffb74d", "stroke", Figures.INK, "stroke-width", "0.8");
        s.text(bx + bw / 2, yTop + regsH / 2 + 4, "pt_regs: user registers saved on entry", "text-anchor", "middle", "font-size", "11", "fill", Figures.INK);
        // free stack
        double infoH = v24 ? 120 : 40;
        s.rect(bx, espY, bw, yBase - infoH - espY, "class", "free", "fill", "#f3f7fb", "stroke", "none");
        s.text(bx + bw / 2, (espY + yMid) / 2 + 30, "free: the stack grows down into this", "text-anchor", "middle", "font-size", "11.5", "fill", Figures.MUTED);
        // the struct at the base
        s.g("class", "base-struct");
        s.rect(bx, yBase - infoH, bw, infoH, "fill", v24 ? "#c5cae9" : "#b2dfdb", "stroke", Figures.INK, "stroke-width", "1.2");
        s.text(bx + bw / 2, yBase - infoH / 2 - (v24 ? 8 : 0), baseStruct(), "text-anchor", "middle", "font-family", Svg.MONO, "font-weight", "bold", "font-size", "12.5");
        s.text(bx + bw / 2, yBase - infoH / 2 + (v24 ? 10 : 14), v24 ? "the task itself, at the base (union task_union)" : "->task points to the task_struct",
            "text-anchor", "middle", "font-size", "10.5", "fill", Figures.INK);
        s.end();
        // page outlines again on top of the fills, and the page boundary
        s.rect(bx, yTop, bw, 2 * pageH, "fill", "none", "stroke", Figures.INK, "stroke-width", "1.8");
        s.line(bx, yMid, bx + bw, yMid, "stroke", Figures.INK, "stroke-width", "1.2", "stroke-dasharray", "6 3");
        s.text(bx - 8, yTop + pageH / 2, "page 2 (4 KiB)", "text-anchor", "end", "font-size", "11", "fill", Figures.MUTED);
        s.text(bx - 8, yMid + pageH / 2, "page 1 (4 KiB)", "text-anchor", "end", "font-size", "11", "fill", Figures.MUTED);

        // addresses on the left
        s.g("class", "addresses", "font-family", Svg.MONO, "font-size", "11.5", "fill", Figures.INK, "text-anchor", "end");
        s.text(bx - 8, yTop + 4, hex(top8) + " top");
        s.text(bx - 8, yMid + 4, hex(base() + 4096));
        s.text(bx - 8, yBase + 4, hex(base()) + " base");
        s.end();
        s.text(bx, yBase + 16, "physical " + hex(phys) + ": frames " + Names.pfn((int) (phys >>> 12)) + " and " + Names.pfn((int) (phys >>> 12) + 1)
            + ", one order-1 block", "font-size", "10.5", "fill", Figures.MUTED);

        // esp arrow, from the right
        String espColor = "#1565c0";
        s.g("class", "esp");
        s.line(bx + bw + 110, espY, bx + bw + 4, espY, "stroke", espColor, "stroke-width", "2", "marker-end", s.arrowHead(espColor));
        s.text(bx + bw + 116, espY + 4, "thread.esp " + hex(esp()) + " (saved)", "font-size", "11.5", "font-weight", "bold",
            "fill", espColor);
        s.end();
        // growth arrow
        s.line(bx + bw + 30, espY + 24, bx + bw + 30, espY + 124, "stroke", Figures.MUTED, "stroke-width", "2", "marker-end", s.arrowHead(Figures.MUTED));
        s.text(bx + bw + 40, espY + 78, "the stack grows down", "font-size", "11", "fill", Figures.MUTED);

        // the computation of current
        double cx = bx + bw + 130, cy = yMid - 40;
        s.g("class", "current");
        s.rect(cx - 10, cy - 22, width - cx - 6, 166, "rx", "6", "fill", "#fffde7", "stroke", "#c0a000");
        s.text(cx, cy, "How the kernel finds current:", "font-weight", "bold", "font-size", "12.5");
        String[] lines = {
            "  esp          " + hex(esp()),
            "& ~8191        0xffffe000",
            (v24 ? "= current      " : "= thread_info  ") + hex(current()),
        };
        for (int i = 0; i < lines.length; i++) {
            s.text(cx, cy + 24 + i * 18, lines[i], "font-family", Svg.MONO, "font-size", "12", "xml:space", "preserve",
                "fill", i == 2 ? Figures.RO : Figures.INK, "font-weight", i == 2 ? "bold" : null);
        }
        String[] why = v24
            ? new String[] {"the base of the block IS the task_struct", "(include/asm-i386/current.h), so no", "memory load is needed to find it."}
            : new String[] {"current = current_thread_info()->task:", "one mask, one load", "(include/asm-i386/current.h, thread_info.h)."};
        for (int i = 0; i < why.length; i++) s.text(cx, cy + 88 + i * 16, why[i], "font-size", "11", "fill", Figures.INK);
        s.end();
        s.line(cx - 10, cy + 54, bx + bw + 4, yBase - infoH / 2, "stroke", Figures.RO, "stroke-width", "1.5", "stroke-dasharray", "5 3",
            "marker-end", s.arrowHead(Figures.RO));

        double y = yBase + 36;
        s.text(16, y, "Heights are to scale (" + Svg.num(4096 / pageH) + " bytes per pixel) except pt_regs and " + baseStruct()
            + ", enlarged to be readable.", "font-size", "11", "fill", Figures.MUTED);
        double h = Figures.legend(s, 16, y + 10, width - 32, List.of(
            new Figures.Item(Figures.Mark.BOX, "#ffb74d", "pt_regs (copy_thread puts them at the top)"),
            new Figures.Item(Figures.Mark.BOX, "#ffe0b2", "in use above esp"),
            new Figures.Item(Figures.Mark.BOX, "#f3f7fb", "free"),
            new Figures.Item(Figures.Mark.BOX, v24 ? "#c5cae9" : "#b2dfdb", baseStruct() + " at the base")));
        return s.render(width, y + 10 + h + 8, title);
    }

    @Override public String toString() {
        return "Kernel stack of " + who + " (" + subtitle + "): THREAD_SIZE 8192, two pages\n"
            + "  " + hex(base() + 8192) + "  top (pt_regs below it, " + regsBytes + " bytes)\n"
            + "  " + hex(esp()) + "  thread.esp (saved); the stack grows down from here\n"
            + "  " + hex(base() + 4096) + "  page boundary\n"
            + "  " + hex(base()) + "  base: " + baseStruct() + "\n"
            + "  physical " + hex(phys) + "\n"
            + "current = esp & ~8191 = " + hex(esp()) + " & 0xffffe000 = " + hex(current())
            + (v24 ? " (the task_struct itself)" : " (thread_info; current = thread_info->task)");
    }
}
