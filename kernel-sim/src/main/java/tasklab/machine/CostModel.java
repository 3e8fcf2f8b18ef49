package tasklab.machine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What each hardware and kernel operation costs, in cycles, on one {@link CpuModel}
 * (LINUX-SPEC §15: absolute costs are simulator parameters, documented, not asserted).
 *
 * <p>Every constant is one row of {@link #TABLE}, which cites a row of a {@code datasets/} CSV or
 * says that it is an assumption, and whether it is latency-bound ({@link Scaling#NANOSECONDS}: the
 * time is fixed, so the cycles grow with the clock) or instruction-bound ({@link Scaling#CYCLES}).
 * {@code datasets/cost_model.csv} holds the same table; {@code CostModelTest} keeps them equal.
 * Where a source gives nanoseconds or microseconds it is converted with the preset's MHz
 * (cycles = ns x MHz / 1000) and the row says so.
 *
 * <p>A model derived with {@code CpuModel.with...} gets the costs of its base preset, with the
 * {@code NANOSECONDS} rows rescaled to its clock (rounded, at least 1); a renamed model
 * ({@code withName}) uses the preset with the nearest clock. Instances are immutable.
 *
 * <p>How the simulator charges them ({@link Cpu}): an access that hits L1 adds nothing (the L1
 * latency is part of the instruction); an L1 miss that hits L2 adds {@link #l2Hit()}; a miss in
 * every present level adds {@link #memoryLatency()}. A TLB miss costs {@link #tlbMissWalk()}, the
 * walk with both of its references at L1 latency, plus what its pde and pte reads add going through
 * the caches. With the caches switched off every access counts as an L1 hit.
 */
public final class CostModel {

    /** How a constant behaves when the clock changes. */
    public enum Scaling {
        /** Instruction-bound: the same cycles at any clock. */
        CYCLES,
        /** Latency- or bandwidth-bound: the same time, so cycles scale with MHz. */
        NANOSECONDS
    }

    /**
     * One constant of one preset.
     *
     * @param name      the constant (a method name of this class, e.g. "cr3Load")
     * @param model     the preset's name, as {@link CpuModel#name()}
     * @param cycles    the value in cycles of that preset
     * @param scaling   how a derived model with another clock rescales it
     * @param exactness "exact", "emulator table", "converted", "derived" or "assumption", with a note
     * @param source    the dataset row (file + row key) or the assumption and its reasoning
     */
    public record CostEntry(String name, String model, long cycles, Scaling scaling, String exactness, String source) {
        public CostEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(scaling, "scaling");
            Objects.requireNonNull(exactness, "exactness");
            Objects.requireNonNull(source, "source");
            if (cycles < 0) throw new IllegalArgumentException("cycles must be >= 0: " + name + " " + model);
        }
    }

    /** The constants, in the order of {@link #TABLE}'s rows for each preset. */
    public static final List<String> NAMES = List.of(
        "cr3Load", "flushTlb", "flushTlbGlobal", "invlpg", "tlbMissWalk", "l1Hit", "l2Hit", "memoryLatency",
        "ipiRoundTrip", "faultEntry", "syscallEntry", "schedulePath", "pageCopy", "pageClear",
        "pipeRead", "pipeWrite", "wakeUp", "goodness", "recalcTask", "copyPte", "zapPte");

    private static final String I386 = "80386DX-33";
    private static final String I486 = "80486DX2-66";
    private static final String P5 = "Pentium-100";
    private static final String PPRO = "Pentium Pro-200";
    private static final String P2 = "Pentium II-450";
    private static final String P4 = "Pentium 4-2000";

    private static final Scaling CYC = Scaling.CYCLES;
    private static final Scaling NS = Scaling.NANOSECONDS;

    private static final String XIC = "x86_instruction_costs.csv";
    private static final String FLUSH = "linux_tlb_flush_costs.csv";
    private static final String MOV_CR_READ = XIC + " row 'MOV r32, CRn',Pentium = 4";
    private static final String P6_ASSUMED = "no P6 rows in " + XIC + ": the Pentium value is assumed for the P6 core";
    private static final String P4_RULE = "assumption: NetBurst runs branchy kernel code at about 1.5x the P6 cycles (longer pipeline); 1.5 x the Pentium II-450 row";
    private static final String I386_RULE = "assumption: the 386 needs (37+22)/(30+15) = 59/45 of the 486's cycles for the same kernel path "
        + "(ratio of INT n + IRET clocks, " + XIC + " rows 'INT n (real mode)' and 'IRET (real mode)', 80386 / 486)";
    private static final String WALK_RULE = "assumption: walk = 2 cycles of walker overhead + 2 x l1Hit (pde and pte read at L1 latency); "
        + "misses of those reads are charged on top through the caches";
    private static final String IPI_RULE = "assumption: 2 us (2000 ns) round trip (send, remote entry, flush, ack, sender's spin), "
        + "x MHz; basis: paper_headline_numbers.csv row 'Amit 2017' 'TLB shootdown latency (qualitative)': 'can take microseconds'";
    private static final String FAULT_RULE = "derived: syscallEntry + 4 (the same gate + iret path, plus reading CR2: " + MOV_CR_READ + ")";
    private static final String FLUSH_RULE = "derived: MOV r32,CR3 + MOV CR3,r32 = 4 (" + MOV_CR_READ + ", assumed for every model) + cr3Load";
    private static final String GLOBAL_RULE = "derived (2.4 __flush_tlb_global: read CR4, write CR4 without PGE, write it back): "
        + "4 (" + MOV_CR_READ + ") + 2 x cr3Load (a CR4 write is assumed to cost a CR3 write)";
    private static final String PIPE_RULE = "assumption: about 150 instructions (sys_read / sys_write dispatch, fget, the pipe semaphore, "
        + "a 4-byte copy, the inode time update) at about 1 per cycle";
    private static final String WAKE_RULE = "assumption: try_to_wake_up / wake_up_interruptible, about 100 instructions (wait-queue walk, "
        + "runqueue lock, add_to_runqueue, reschedule_idle's goodness comparison) at about 1 per cycle; the reader's own wait-queue add / remove is folded in";
    private static final String GOODNESS_RULE = "assumption: 2.4 goodness() and the candidate loop around it, about 20 instructions per runnable task "
        + "(the candidates' task_struct lines are not charged through the caches)";
    private static final String RECALC_RULE = "assumption: 2.4's recalculate loop body, p->counter = (p->counter >> 1) + NICE_TO_TICKS(p->nice), "
        + "about 10 instructions per task on the task list";
    private static final String COPY_PTE_RULE = "assumption: 2.4 copy_page_range's loop body for one present pte (mm/memory.c): read and test the pte, "
        + "pte_page, PageReserved, ptep_set_wrprotect (a locked clear_bit on the parent's pte), pte_mkold, get_page (a locked atomic_inc of page->count), "
        + "rss++, set_pte: about 20 instructions at about 1 per cycle plus 2 locked read-modify-writes at about 20 cycles each = 60 "
        + "(the pte and struct page lines are not sent through the caches)";
    private static final String ZAP_PTE_RULE = "assumption: 2.4 zap_pte_range's loop body for one present pte (mm/memory.c): ptep_get_and_clear (xchg, locked), "
        + "pte_page, PageReserved, free_pte / page_cache_release (a locked put_page_testzero), rss--, tlb_remove_page: "
        + "about 20 instructions plus 2 locked read-modify-writes at about 20 cycles each = 60, as copyPte (freeing a frame that reaches 0 is not charged)";
    private static final String SCHED_NOTE = " minus cr3Load (the mm switch is charged separately); lmbench's figure also holds the refill of a tiny "
        + "working set, which the simulator charges again as misses: a small over-count";

    /**
     * The one table of constants: 21 per preset. Every simulator cost comes from here.
     * Mirrored in datasets/cost_model.csv and explained in datasets/cost_model.md.
     */
    public static final List<CostEntry> TABLE = List.of(
        // ---------------------------------------------------------------- 80386DX-33 (no INVLPG, no PGE, no cache)
        e("cr3Load", I386, 5, CYC, "emulator table (secondary)", XIC + " row 'MOV CR3, reg',80386 = 5 (MAME)"),
        e("flushTlb", I386, 9, CYC, "derived", FLUSH_RULE),
        e("flushTlbGlobal", I386, 14, CYC, "derived; what-if only (the 386 has no PGE)", GLOBAL_RULE),
        e("invlpg", I386, 12, CYC, "what-if only: the 80386 has no INVLPG (" + XIC + " row 'INVLPG,80386,not available'); "
            + "flushTlbOne then costs flushTlb", "the Intel486 row (first CPU with INVLPG), used only with withInvlpg(true)"),
        e("tlbMissWalk", I386, 4, CYC, "assumption", WALK_RULE),
        e("l1Hit", I386, 1, CYC, "assumption; what-if only (no on-chip cache)", "a 1-cycle on-chip cache, used only with withL1d(...)"),
        e("l2Hit", I386, 2, NS, "assumption; what-if only", "an external zero-wait-state board cache: one 2-clock bus cycle (60 ns at 33 MHz)"),
        e("memoryLatency", I386, 4, NS, "assumption", "DRAM bus cycle with wait states, about 120 ns; 120 ns x 33 MHz = 3.96 -> 4"),
        e("ipiRoundTrip", I386, 66, NS, "assumption", IPI_RULE + "; 2000 ns x 33 MHz = 66 (no APIC on a 386: what-if SMP)"),
        e("faultEntry", I386, 523, CYC, "derived", FAULT_RULE),
        e("syscallEntry", I386, 519, CYC, "assumption", I386_RULE + ": 396 x 59/45 = 519"),
        e("schedulePath", I386, 947, CYC, "assumption", I386_RULE + ": 722 x 59/45 = 947"),
        e("pageCopy", I386, 5407, NS, "assumption", "copy bandwidth about 25 MB/s (rep movsl at about 5 clocks per dword plus wait states): "
            + "4096 B / 25 MB/s = 163.84 us x 33 MHz = 5407"),
        e("pageClear", I386, 2703, NS, "assumption", "clear = write only, twice the copy bandwidth: pageCopy / 2"),
        e("pipeRead", I386, 197, CYC, "assumption", I386_RULE + ": 150 x 59/45 = 197"),
        e("pipeWrite", I386, 197, CYC, "assumption", I386_RULE + ": 150 x 59/45 = 197"),
        e("wakeUp", I386, 131, CYC, "assumption", I386_RULE + ": 100 x 59/45 = 131"),
        e("goodness", I386, 26, CYC, "assumption", I386_RULE + ": 20 x 59/45 = 26"),
        e("recalcTask", I386, 13, CYC, "assumption", I386_RULE + ": 10 x 59/45 = 13"),
        e("copyPte", I386, 79, CYC, "assumption", I386_RULE + ": 60 x 59/45 = 79"),
        e("zapPte", I386, 79, CYC, "assumption", I386_RULE + ": 60 x 59/45 = 79"),

        // ---------------------------------------------------------------- 80486DX2-66 (INVLPG, 8 KiB unified L1)
        e("cr3Load", I486, 4, CYC, "emulator table (secondary)", XIC + " row 'MOV CR3, reg',Intel486 = 4 (MAME)"),
        e("flushTlb", I486, 8, CYC, "derived", FLUSH_RULE),
        e("flushTlbGlobal", I486, 12, CYC, "derived; what-if only (the 486 has no PGE)", GLOBAL_RULE),
        e("invlpg", I486, 12, CYC, "assumption (not in datasets/)", "Intel486 programmer's reference: INVLPG 12 clocks (11 on a TLB miss); "
            + "not re-read here, no 486 INVLPG row in " + XIC),
        e("tlbMissWalk", I486, 4, CYC, "assumption", WALK_RULE),
        e("l1Hit", I486, 1, CYC, "assumption", "486 on-chip cache: 1-cycle load"),
        e("l2Hit", I486, 6, NS, "assumption; what-if only (no L2 modelled)", "an external board cache at the 33 MHz bus: about 3 bus clocks = 6 core cycles"),
        e("memoryLatency", I486, 10, NS, "assumption", "line fill from DRAM over the 33 MHz bus, about 150 ns; 150 ns x 66 MHz = 9.9 -> 10"),
        e("ipiRoundTrip", I486, 132, NS, "assumption", IPI_RULE + "; 2000 ns x 66 MHz = 132"),
        e("faultEntry", I486, 400, CYC, "derived", FAULT_RULE),
        e("syscallEntry", I486, 396, CYC, "converted (clock of the measured machine unknown)",
            "lmbench_null_syscall_tbl_1995.csv row 29 (Linux i486, 6 us) x 66 MHz = 396"),
        e("schedulePath", I486, 722, CYC, "converted (clock unknown; 1995 kernel)",
            "lmbench_ctx_tbl_1995.csv row 2 (Linux i486, ctx_2proc_0KB 11 us) x 66 MHz = 726" + SCHED_NOTE + " (4) = 722"),
        e("pageCopy", I486, 6758, NS, "assumption", "copy bandwidth about 40 MB/s: 4096 B / 40 MB/s = 102.4 us x 66 MHz = 6758"),
        e("pageClear", I486, 3379, NS, "assumption", "clear = write only, twice the copy bandwidth: pageCopy / 2"),
        e("pipeRead", I486, 150, CYC, "assumption", PIPE_RULE),
        e("pipeWrite", I486, 150, CYC, "assumption", PIPE_RULE),
        e("wakeUp", I486, 100, CYC, "assumption", WAKE_RULE),
        e("goodness", I486, 20, CYC, "assumption", GOODNESS_RULE),
        e("recalcTask", I486, 10, CYC, "assumption", RECALC_RULE),
        e("copyPte", I486, 60, CYC, "assumption", COPY_PTE_RULE),
        e("zapPte", I486, 60, CYC, "assumption", ZAP_PTE_RULE),

        // ---------------------------------------------------------------- Pentium-100 (INVLPG, L1D 8 KiB, board L2)
        e("cr3Load", P5, 22, CYC, "exact (manual), value choice assumed", XIC + " row 'MOV CRn, r32 (load control reg)',Pentium = 12/22: "
            + "which applies to CR3 is not stated, the larger is assumed; conflicts with MAME's 4 (row 'MOV CR3, reg',Pentium), the manual is preferred"),
        e("flushTlb", P5, 26, CYC, "derived", FLUSH_RULE),
        e("flushTlbGlobal", P5, 48, CYC, "derived; what-if only (the Pentium has no PGE)", GLOBAL_RULE),
        e("invlpg", P5, 25, CYC, "exact (manual table)", XIC + " row 'INVLPG m',Pentium = 25"),
        e("tlbMissWalk", P5, 4, CYC, "assumption", WALK_RULE),
        e("l1Hit", P5, 1, CYC, "assumption", "Pentium L1D: 1-cycle load"),
        e("l2Hit", P5, 8, NS, "assumption", "board L2 (itself an assumption in cpu_models.csv) at the 66 MHz bus, 3-1-1-1 bursts: about 80 ns = 8 cycles"),
        e("memoryLatency", P5, 15, NS, "assumption", "EDO/FPM DRAM, about 150 ns; 150 ns x 100 MHz = 15"),
        e("ipiRoundTrip", P5, 200, NS, "assumption", IPI_RULE + "; 2000 ns x 100 MHz = 200"),
        e("faultEntry", P5, 204, CYC, "derived", FAULT_RULE),
        e("syscallEntry", P5, 200, CYC, "converted (clock of the measured machine unknown)",
            "lmbench_null_syscall_tbl_1995.csv row 7 (Linux i586, 2 us) x 100 MHz = 200"),
        e("schedulePath", P5, 978, CYC, "converted (clock unknown; 1995 kernel)",
            "lmbench_ctx_tbl_1995.csv row 5 (Linux i586, ctx_2proc_0KB 10 us) x 100 MHz = 1000" + SCHED_NOTE + " (22) = 978"),
        e("pageCopy", P5, 5120, NS, "assumption", "copy bandwidth about 80 MB/s: 4096 B / 80 MB/s = 51.2 us x 100 MHz = 5120"),
        e("pageClear", P5, 2560, NS, "assumption", "clear = write only, twice the copy bandwidth: pageCopy / 2"),
        e("pipeRead", P5, 150, CYC, "assumption", PIPE_RULE),
        e("pipeWrite", P5, 150, CYC, "assumption", PIPE_RULE),
        e("wakeUp", P5, 100, CYC, "assumption", WAKE_RULE),
        e("goodness", P5, 20, CYC, "assumption", GOODNESS_RULE),
        e("recalcTask", P5, 10, CYC, "assumption", RECALC_RULE),
        e("copyPte", P5, 60, CYC, "assumption", COPY_PTE_RULE),
        e("zapPte", P5, 60, CYC, "assumption", ZAP_PTE_RULE),

        // ---------------------------------------------------------------- Pentium Pro-200 (P6, PGE, on-package L2)
        e("cr3Load", PPRO, 22, CYC, "assumption", P6_ASSUMED + " (22, row 'MOV CRn, r32 (load control reg)')"),
        e("flushTlb", PPRO, 26, CYC, "derived", FLUSH_RULE),
        e("flushTlbGlobal", PPRO, 48, CYC, "derived", GLOBAL_RULE),
        e("invlpg", PPRO, 25, CYC, "assumption", P6_ASSUMED + " (25, row 'INVLPG m')"),
        e("tlbMissWalk", PPRO, 8, CYC, "assumption", WALK_RULE),
        e("l1Hit", PPRO, 3, CYC, "assumption", "P6 L1D: 3-cycle load-to-use"),
        e("l2Hit", PPRO, 3, CYC, "converted (1995 measurement, clock 167 MHz)", "lmbench_mem_latency_tbl_1995.csv row 5 (Unixware/i686): L2 34 ns "
            + "minus L1 14 ns = 20 ns x 167 MHz = 3.3 -> 3 (usenix96.ms: the Pentium Pro L2 has '5-6 clocks latency', minus the 2-clock L1 = 3-4; "
            + "row 26's 90 ns L2 for Linux i686 disagrees with that text and is not used)"),
        e("memoryLatency", PPRO, 36, NS, "converted (1995 measurement, clock 167 MHz)", "lmbench_mem_latency_tbl_1995.csv row 26 (Linux i686): "
            + "memory 194 ns minus L1 12 ns = 182 ns; 182 ns x 200 MHz = 36.4 -> 36 (30 at 167 MHz)"),
        e("ipiRoundTrip", PPRO, 400, NS, "assumption", IPI_RULE + "; 2000 ns x 200 MHz = 400"),
        e("faultEntry", PPRO, 672, CYC, "derived", FAULT_RULE),
        e("syscallEntry", PPRO, 668, CYC, "converted (1995 measurement, clock 167 MHz)",
            "lmbench_null_syscall_tbl_1995.csv row 26 (Linux i686, 4 us) x 167 MHz = 668; the i686 of the 1995 tables is taken to be the Pentium Pro-167 "
            + "of usenix96.ms ('Results for an Intel Pentium Pro system running Linux at 167 MHz')"),
        e("schedulePath", PPRO, 831, CYC, "derived (1995 measurements, clock 167 MHz)",
            "lmbench_pipe_latency_tbl_1995.csv row 26 (Linux i686, 31 us round trip = 2 hops) / 2 x 167 MHz = 2589 cycles per hop, minus what else "
            + "a hop costs: 2 x syscallEntry (the write and the read, 1336), pipeWrite + pipeRead (300), wakeUp (100), cr3Load (22) = 831; "
            + "the refill of the ping-pong's tiny working set is left in (a small over-count)"),
        e("pageCopy", PPRO, 5461, NS, "assumption", "copy bandwidth about 150 MB/s: 4096 B / 150 MB/s = 27.3 us x 200 MHz = 5461"),
        e("pageClear", PPRO, 2731, NS, "assumption", "clear = write only, twice the copy bandwidth: pageCopy / 2"),
        e("pipeRead", PPRO, 150, CYC, "assumption", PIPE_RULE),
        e("pipeWrite", PPRO, 150, CYC, "assumption", PIPE_RULE),
        e("wakeUp", PPRO, 100, CYC, "assumption", WAKE_RULE),
        e("goodness", PPRO, 20, CYC, "assumption", GOODNESS_RULE),
        e("recalcTask", PPRO, 10, CYC, "assumption", RECALC_RULE),
        e("copyPte", PPRO, 60, CYC, "assumption", COPY_PTE_RULE),
        e("zapPte", PPRO, 60, CYC, "assumption", ZAP_PTE_RULE),

        // ---------------------------------------------------------------- Pentium II-450 (P6, PGE, half-speed L2)
        e("cr3Load", P2, 22, CYC, "assumption", P6_ASSUMED + " (22, row 'MOV CRn, r32 (load control reg)')"),
        e("flushTlb", P2, 26, CYC, "derived", FLUSH_RULE),
        e("flushTlbGlobal", P2, 48, CYC, "derived", GLOBAL_RULE),
        e("invlpg", P2, 25, CYC, "assumption", P6_ASSUMED + " (25, row 'INVLPG m')"),
        e("tlbMissWalk", P2, 8, CYC, "assumption", WALK_RULE),
        e("l1Hit", P2, 3, CYC, "assumption", "P6 L1D: 3-cycle load-to-use"),
        e("l2Hit", P2, 15, CYC, "assumption", "off-die cartridge L2 at half the core clock: about 15 cycles after an L1 miss"),
        e("memoryLatency", P2, 54, NS, "assumption", "PC100 SDRAM, about 120 ns; 120 ns x 450 MHz = 54"),
        e("ipiRoundTrip", P2, 900, NS, "assumption", IPI_RULE + "; 2000 ns x 450 MHz = 900"),
        e("faultEntry", P2, 360, CYC, "derived", FAULT_RULE),
        e("syscallEntry", P2, 356, CYC, "converted (exact measurement, same clock)",
            "lmbench3_piii450_linux2418.csv row 'null call' load_1_process 0.79 us x 450 MHz = 355.5 -> 356 (Pentium III, Linux 2.4.18)"),
        e("schedulePath", P2, 2332, CYC, "converted (i686 550 MHz, model not stated)",
            "lkml_lmbench2_i686_linux24_25.csv row toolbox 2.4.2-2 run 1, ctx_2p0k_us 4.28 us x 550 MHz (its clock) = 2354" + SCHED_NOTE + " (22) = 2332"),
        e("pageCopy", P2, 7373, NS, "assumption", "copy bandwidth about 250 MB/s: 4096 B / 250 MB/s = 16.4 us x 450 MHz = 7373"),
        e("pageClear", P2, 3686, NS, "assumption", "clear = write only, twice the copy bandwidth: pageCopy / 2"),
        e("pipeRead", P2, 150, CYC, "assumption", PIPE_RULE),
        e("pipeWrite", P2, 150, CYC, "assumption", PIPE_RULE),
        e("wakeUp", P2, 100, CYC, "assumption", WAKE_RULE),
        e("goodness", P2, 20, CYC, "assumption", GOODNESS_RULE),
        e("recalcTask", P2, 10, CYC, "assumption", RECALC_RULE),
        e("copyPte", P2, 60, CYC, "assumption", COPY_PTE_RULE),
        e("zapPte", P2, 60, CYC, "assumption", ZAP_PTE_RULE),

        // ---------------------------------------------------------------- Pentium 4-2000 (NetBurst, PGE, on-die L2)
        e("cr3Load", P4, 92, CYC, "assumption (modern measurement)", FLUSH + " row '__flush_tlb() (CR3 reload)' 96 cycles (Molnar 2015, CPU not stated) "
            + "minus the 4-cycle CR3 read: a deep-pipeline CPU's serialising CR3 write"),
        e("flushTlb", P4, 96, CYC, "derived", FLUSH_RULE + " = " + FLUSH + " row '__flush_tlb() (CR3 reload)' 96"),
        e("flushTlbGlobal", P4, 188, CYC, "derived", GLOBAL_RULE),
        e("invlpg", P4, 200, CYC, "converted (approximate, modern kernel comment)", FLUSH + " row 'single-page flush (INVLPG) cost' about 100 ns x 2000 MHz = 200 "
            + "(Molnar's row '__flush_tlb_one() (INVLPG)' gives 260 cycles on a later CPU)"),
        e("tlbMissWalk", P4, 14, CYC, "assumption", "assumption: 10 cycles of walker overhead (deep pipeline) + 2 x l1Hit; misses of the pde / pte reads on top"),
        e("l1Hit", P4, 2, CYC, "assumption", "Willamette L1D: 2-cycle load-to-use"),
        e("l2Hit", P4, 10, CYC, "assumption", "on-die L2: about 10 cycles after an L1 miss"),
        e("memoryLatency", P4, 240, NS, "assumption", "RDRAM / DDR behind the 400 MT/s bus, about 120 ns; 120 ns x 2000 MHz = 240"),
        e("ipiRoundTrip", P4, 4000, NS, "assumption", IPI_RULE + "; 2000 ns x 2000 MHz = 4000"),
        e("faultEntry", P4, 538, CYC, "derived", FAULT_RULE),
        e("syscallEntry", P4, 534, CYC, "assumption", P4_RULE + ": 356 x 1.5 = 534"),
        e("schedulePath", P4, 3498, CYC, "assumption", P4_RULE + ": 2332 x 1.5 = 3498"),
        e("pageCopy", P4, 8192, NS, "assumption", "copy bandwidth about 1000 MB/s: 4096 B / 1000 MB/s = 4.096 us x 2000 MHz = 8192"),
        e("pageClear", P4, 4096, NS, "assumption", "clear = write only, twice the copy bandwidth: pageCopy / 2"),
        e("pipeRead", P4, 225, CYC, "assumption", P4_RULE + ": 150 x 1.5 = 225"),
        e("pipeWrite", P4, 225, CYC, "assumption", P4_RULE + ": 150 x 1.5 = 225"),
        e("wakeUp", P4, 150, CYC, "assumption", P4_RULE + ": 100 x 1.5 = 150"),
        e("goodness", P4, 30, CYC, "assumption", P4_RULE + ": 20 x 1.5 = 30"),
        e("recalcTask", P4, 15, CYC, "assumption", P4_RULE + ": 10 x 1.5 = 15"),
        e("copyPte", P4, 90, CYC, "assumption", P4_RULE + ": 60 x 1.5 = 90"),
        e("zapPte", P4, 90, CYC, "assumption", P4_RULE + ": 60 x 1.5 = 90"));

    private static CostEntry e(String name, String model, long cycles, Scaling scaling, String exactness, String source) {
        return new CostEntry(name, model, cycles, scaling, exactness, source);
    }

    private static final Map<String, CostModel> PRESET_COSTS = new LinkedHashMap<>();

    static {
        for (CpuModel m : CpuModel.presets()) {
            List<CostEntry> rows = new ArrayList<>();
            for (String n : NAMES) {
                CostEntry found = null;
                for (CostEntry c : TABLE) {
                    if (c.name.equals(n) && c.model.equals(m.name())) {
                        if (found != null) throw new IllegalStateException("CostModel.TABLE: two rows " + n + " for " + m.name());
                        found = c;
                    }
                }
                if (found == null) throw new IllegalStateException("CostModel.TABLE: no row " + n + " for " + m.name());
                rows.add(found);
            }
            PRESET_COSTS.put(m.name(), new CostModel(m, m, rows));
        }
        if (TABLE.size() != NAMES.size() * CpuModel.presets().size()) {
            throw new IllegalStateException("CostModel.TABLE has rows for unknown models or constants");
        }
    }

    private final CpuModel model;
    private final CpuModel basedOn;
    private final List<CostEntry> entries;
    private final long cr3Load, flushTlb, flushTlbGlobal, invlpg, tlbMissWalk, l1Hit, l2Hit, memoryLatency,
        ipiRoundTrip, faultEntry, syscallEntry, schedulePath, pageCopy, pageClear,
        pipeRead, pipeWrite, wakeUp, goodness, recalcTask, copyPte, zapPte;

    private CostModel(CpuModel model, CpuModel basedOn, List<CostEntry> entries) {
        this.model = model;
        this.basedOn = basedOn;
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        long[] v = new long[NAMES.size()];
        for (int i = 0; i < v.length; i++) v[i] = entries.get(i).cycles;
        cr3Load = v[0]; flushTlb = v[1]; flushTlbGlobal = v[2]; invlpg = v[3]; tlbMissWalk = v[4]; l1Hit = v[5];
        l2Hit = v[6]; memoryLatency = v[7]; ipiRoundTrip = v[8]; faultEntry = v[9]; syscallEntry = v[10];
        schedulePath = v[11]; pageCopy = v[12]; pageClear = v[13];
        pipeRead = v[14]; pipeWrite = v[15]; wakeUp = v[16]; goodness = v[17]; recalcTask = v[18];
        copyPte = v[19]; zapPte = v[20];
    }

    /**
     * The cost model of a CPU model: a preset's own rows, or for a derived model its base preset's
     * rows with the latency-bound ones rescaled to its clock.
     */
    public static CostModel of(CpuModel model) {
        Objects.requireNonNull(model, "model");
        CostModel preset = PRESET_COSTS.get(model.name());
        if (preset != null && preset.model.equals(model)) return preset;
        CpuModel base = baseOf(model);
        CostModel b = PRESET_COSTS.get(base.name());
        if (model.mhz() == base.mhz()) return new CostModel(model, base, b.entries);
        List<CostEntry> scaled = new ArrayList<>();
        for (CostEntry c : b.entries) {
            if (c.scaling == Scaling.NANOSECONDS) {
                long cyc = Math.max(1, Math.round(c.cycles * (double) model.mhz() / base.mhz()));
                scaled.add(new CostEntry(c.name, model.name(), cyc, c.scaling, "derived: " + c.exactness,
                    String.format(Locale.ROOT, "%s row x %d / %d MHz (latency-bound); %s", base.name(), model.mhz(), base.mhz(), c.source)));
            } else {
                scaled.add(new CostEntry(c.name, model.name(), c.cycles, c.scaling, c.exactness,
                    base.name() + " row (instruction-bound: same cycles at any clock); " + c.source));
            }
        }
        return new CostModel(model, base, scaled);
    }

    /** The preset a model derives from: its base name's preset, else (renamed) the preset with the nearest clock. */
    static CpuModel baseOf(CpuModel model) {
        for (CpuModel p : CpuModel.presets()) {
            if (p.name().equals(model.baseName())) return p;
        }
        CpuModel best = null;
        for (CpuModel p : CpuModel.presets()) {
            if (best == null || Math.abs(p.mhz() - model.mhz()) < Math.abs(best.mhz() - model.mhz())) best = p;
        }
        return best;
    }

    /** The model these costs are for. */
    public CpuModel model() { return model; }
    /** The preset whose table rows these costs come from. */
    public CpuModel basedOn() { return basedOn; }
    /** This model's 21 constants with their sources, in {@link #NAMES} order. */
    public List<CostEntry> entries() { return entries; }

    /** One constant by name (see {@link #NAMES}). */
    public long get(String name) {
        int i = NAMES.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("Unknown cost constant '" + name + "'; valid names are: " + NAMES);
        return entries.get(i).cycles;
    }

    /** MOV to CR3: what load_cr3() / switch_mm pay directly. */
    public long cr3Load() { return cr3Load; }
    /** __flush_tlb(): read CR3 and write it back. */
    public long flushTlb() { return flushTlb; }
    /** __flush_tlb_global(): toggling CR4.PGE. */
    public long flushTlbGlobal() { return flushTlbGlobal; }
    /** INVLPG (__flush_tlb_one()); on a CPU without INVLPG the CPU charges {@link #flushTlb()} instead. */
    public long invlpg() { return invlpg; }
    /** A TLB miss: the page walk with its pde and pte reads at L1 latency (their cache misses are extra). */
    public long tlbMissWalk() { return tlbMissWalk; }
    /** L1 load-to-use latency (part of the instruction: an L1 hit adds nothing). */
    public long l1Hit() { return l1Hit; }
    /** What an L1 miss that hits L2 adds. */
    public long l2Hit() { return l2Hit; }
    /** What a miss in every present cache level adds (a memory reference). */
    public long memoryLatency() { return memoryLatency; }
    /** An IPI round trip: what the sender of a TLB shootdown waits for its acknowledgements. */
    public long ipiRoundTrip() { return ipiRoundTrip; }
    /** Exception (or interrupt) entry + iret, the page-fault path's fixed cost. */
    public long faultEntry() { return faultEntry; }
    /** int 0x80 + system_call dispatch + iret (lmbench's null call). */
    public long syscallEntry() { return syscallEntry; }
    /** schedule() + switch_to without the mm work (CR3 and refills are charged separately). */
    public long schedulePath() { return schedulePath; }
    /** copy_page() of 4 KiB. */
    public long pageCopy() { return pageCopy; }
    /** clear_page() of 4 KiB. */
    public long pageClear() { return pageClear; }

    /** pipe_read() beyond the system-call entry: the VFS dispatch and the pipe's own work. */
    public long pipeRead() { return pipeRead; }
    /** pipe_write() beyond the system-call entry (the wake-up of a sleeping reader is {@link #wakeUp()}). */
    public long pipeWrite() { return pipeWrite; }
    /** Waking one sleeping task: wake_up_interruptible / try_to_wake_up. */
    public long wakeUp() { return wakeUp; }
    /** 2.4 schedule(): goodness() for one runnable candidate. */
    public long goodness() { return goodness; }
    /** 2.4 schedule(): the recalculation of one task's counter. */
    public long recalcTask() { return recalcTask; }
    /** copy_page_range() at fork: the work for one present pte (write-protect, get_page, set the child's pte). */
    public long copyPte() { return copyPte; }
    /** zap_page_range() at exit / munmap: the work for one present pte (clear it, drop the frame's reference). */
    public long zapPte() { return zapPte; }

    /** The whole table as CSV text, as in datasets/cost_model.csv. */
    public static String tableCsv() {
        StringBuilder sb = new StringBuilder("constant,model,cycles,scaling,exactness,source\n");
        for (CostEntry c : TABLE) {
            sb.append(c.name).append(',').append(csv(c.model)).append(',').append(c.cycles).append(',')
              .append(c.scaling == Scaling.CYCLES ? "cycles" : "ns").append(',').append(csv(c.exactness)).append(',')
              .append(csv(c.source)).append('\n');
        }
        return sb.toString();
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("CostModel of " + model.name() + " (cycles):");
        for (CostEntry c : entries) sb.append(' ').append(c.name).append('=').append(c.cycles);
        return sb.toString();
    }
}
