package tasklab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tasklab.kernel.Kernel;
import tasklab.kernel.Task;
import tasklab.machine.CpuModel;
import tasklab.machine.PhysMem;
import tasklab.machine.Pte;
import tasklab.machine.Tlb;
import tasklab.mm.MmStruct;
import tasklab.mm.Vma;
import tasklab.mm.VmFlags;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;
import tasklab.trace.Event;
import tasklab.trace.Trace;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.DoubleColumnType;
import tech.tablesaw.columns.numbers.IntColumnType;
import tech.tablesaw.columns.numbers.LongColumnType;

/** The lab's tables, built from the live kernel state. Column names are documented on {@link Sim}'s view methods. */
final class Tables {
    private Tables() {}

    /** The idle tasks (pid 0 of each CPU), then the task list in order. */
    static List<Task> allTasks(Kernel k) {
        LinkedHashSet<Task> out = new LinkedHashSet<>();
        for (int c = 0; c < k.nrCpus(); c++) out.add(k.idleTask(c));
        out.addAll(k.tasks());
        return new ArrayList<>(out);
    }

    static String kind(Task t, Kernel k) {
        if (t.pid() == 0) return "idle";
        if (t.isKernelThread() && !t.hasExited()) return "kthread";
        return t.groupLeader() == t || t.tgid() == t.pid() ? "process" : "thread";
    }

    /** ps's comm: [brackets] around kernel threads, "&lt;defunct&gt;" after a zombie's name. */
    static String comm(Task t) {
        if (t.hasExited()) return t.comm() + " <defunct>";
        return t.isKernelThread() ? "[" + t.comm() + "]" : t.comm();
    }

    static Table ps(Sim sim) {
        Kernel k = sim.kernel();
        boolean v26 = k.version().is26();
        IntColumn pid = IntColumn.create("pid"), ppid = IntColumn.create("ppid"), tgid = IntColumn.create("tgid"),
            pgrp = IntColumn.create("pgrp"), cpu = IntColumn.create("cpu"), slice = IntColumn.create("slice"),
            nice = IntColumn.create("nice"), prio = IntColumn.create("prio");
        StringColumn state = StringColumn.create("state"), comm = StringColumn.create("comm"), kind = StringColumn.create("kind"),
            mm = StringColumn.create("mm"), active = StringColumn.create("active_mm");
        BooleanColumn onCpu = BooleanColumn.create("on_cpu");
        LongColumn minflt = LongColumn.create("minflt");
        for (Task t : allTasks(k)) {
            pid.append(t.pid());
            ppid.append(t.ppid());
            tgid.append(t.tgid());
            pgrp.append(t.pgrp());
            state.append(t.stateLetter());
            comm.append(comm(t));
            kind.append(kind(t, k));
            mm.append(Names.mm(t.mm()));
            active.append(Names.mm(t.activeMm()));
            cpu.append(t.processor());
            onCpu.append(t.onCpu());
            slice.append(v26 ? t.timeSlice() : t.counter());
            nice.append(t.nice());
            if (v26) prio.append(t.prio()); else prio.appendMissing();
            minflt.append(t.minFlt());
        }
        return Table.create("ps: " + sim.describe(), pid, ppid, tgid, pgrp, state, comm, kind, mm, active, cpu, onCpu, slice, nice, prio, minflt);
    }

    static String region(MmStruct mm, Vma v) {
        if ((v.flags() & VmFlags.VM_GROWSDOWN) != 0) return "stack";
        if (v.start() == tasklab.kernel.Binary.TEXT_START && (v.flags() & VmFlags.VM_EXEC) != 0) return "text";
        if (v.start() >= mm.startBrk() && v.end() <= Math.max(mm.brk(), mm.startBrk()) && mm.brk() > mm.startBrk()) return "heap";
        if (v.end() <= mm.startBrk() && v.start() >= tasklab.kernel.Binary.TEXT_START) return "data";
        return v.shared() ? "mmap shared" : "mmap";
    }

    static Table vmas(Sim sim, Proc p) {
        MmStruct mm = p.task().mm();
        StringColumn start = StringColumn.create("start"), end = StringColumn.create("end"), perms = StringColumn.create("perms"),
            region = StringColumn.create("region");
        LongColumn pages = LongColumn.create("pages"), resident = LongColumn.create("resident");
        if (mm != null) {
            for (Vma v : mm.vmas()) {
                start.append(Names.addr(v.start()));
                end.append(Names.addr(v.end()));
                pages.append(v.pages());
                perms.append(VmFlags.describe(v.flags()));
                region.append(region(mm, v));
                long n = 0;
                for (long a = v.start(); a < v.end(); a += Pte.PAGE_SIZE) if (Pte.present(sim.pte(mm, a))) n++;
                resident.append(n);
            }
        }
        return Table.create("vmas of " + p.label() + (mm == null ? " (a kernel thread: no mm)" : " (" + Names.mm(mm) + ")"),
            start, end, pages, perms, region, resident);
    }

    /** pfn -> pids whose page tables map it, over every user mm. */
    private static Map<Integer, TreeSet<Integer>> mappers(Sim sim) {
        Map<MmStruct, List<Integer>> byMm = new HashMap<>();
        for (Task t : sim.kernel().tasks()) {
            if (t.mm() != null && !t.hasExited()) byMm.computeIfAbsent(t.mm(), x -> new ArrayList<>()).add(t.pid());
        }
        Map<Integer, TreeSet<Integer>> out = new HashMap<>();
        for (Map.Entry<MmStruct, List<Integer>> e : byMm.entrySet()) {
            MmStruct mm = e.getKey();
            for (Vma v : mm.vmas()) {
                for (long a = v.start(); a < v.end(); a += Pte.PAGE_SIZE) {
                    int pte = sim.pte(mm, a);
                    if (Pte.hwPresent(pte)) out.computeIfAbsent(Pte.pfn(pte), x -> new TreeSet<>()).addAll(e.getValue());
                }
            }
        }
        return out;
    }

    static Table pagemap(Sim sim, Proc... tasks) {
        if (tasks == null || tasks.length == 0) throw new LabException("pagemap", "pagemap needs one or more tasks, e.g. sim.pagemap(p, c)");
        PhysMem mem = sim.kernel().machine().mem();
        Map<Integer, TreeSet<Integer>> mappers = mappers(sim);
        record Row(long va, int order, int pid, String region, int pte) {}
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < tasks.length; i++) {
            Proc p = tasks[i];
            MmStruct mm = p.task().mm();
            if (mm == null || p.task().hasExited()) continue;
            for (Vma v : mm.vmas()) {
                String reg = region(mm, v);
                for (long a = v.start(); a < v.end(); a += Pte.PAGE_SIZE) {
                    int pte = sim.pte(mm, a);
                    if (pte != 0) rows.add(new Row(a, i, p.pid(), reg, pte));
                }
            }
        }
        rows.sort((x, y) -> x.va != y.va ? Long.compare(x.va, y.va) : Integer.compare(x.order, y.order));
        StringColumn vaddr = StringColumn.create("vaddr"), region = StringColumn.create("region"), pteCol = StringColumn.create("pte"),
            bits = StringColumn.create("bits"), pfn = StringColumn.create("pfn"), mappedBy = StringColumn.create("mapped_by");
        IntColumn pid = IntColumn.create("pid"), count = IntColumn.create("page_count"), mapcount = IntColumn.create("mapcount");
        BooleanColumn writable = BooleanColumn.create("writable");
        Map<Integer, String> joined = new HashMap<>();
        for (Row r : rows) {
            vaddr.append(Names.addr(r.va));
            pid.append(r.pid);
            region.append(r.region);
            pteCol.append(Names.pteHex(r.pte));
            bits.append(Names.bits(r.pte));
            writable.append(Pte.write(r.pte));
            boolean present = Pte.hwPresent(r.pte);
            int f = Pte.pfn(r.pte);
            pfn.append(present ? Names.pfn(f) : "-");
            if (present && f < mem.nrFrames()) { count.append(mem.count(f)); mapcount.append(mem.mapcount(f)); }
            else { count.appendMissing(); mapcount.appendMissing(); }
            TreeSet<Integer> who = present ? mappers.get(f) : null;
            // a frame shared by n tasks appears in n rows: join its pid list once, not n times (10,000 forked tasks)
            mappedBy.append(who == null ? "" : joined.computeIfAbsent(f, x -> String.join(" ", who.stream().map(String::valueOf).toList())));
        }
        StringBuilder name = new StringBuilder("pagemap of");
        for (Proc p : tasks) name.append(' ').append(p.label());
        return Table.create(name.toString(), vaddr, pid, region, pteCol, bits, writable, pfn, count, mapcount, mappedBy);
    }

    static Table mm(Sim sim) {
        Kernel k = sim.kernel();
        Map<MmStruct, List<String>> users = new java.util.LinkedHashMap<>();
        Map<MmStruct, List<String>> borrowers = new HashMap<>();
        users.put(k.mm().initMm(), new ArrayList<>());
        for (Task t : allTasks(k)) {
            if (t.mm() != null) users.computeIfAbsent(t.mm(), x -> new ArrayList<>()).add(Integer.toString(t.pid()));
            if (t.activeMm() != null && t.activeMm() != t.mm()) {
                users.computeIfAbsent(t.activeMm(), x -> new ArrayList<>());
                borrowers.computeIfAbsent(t.activeMm(), x -> new ArrayList<>()).add(Integer.toString(t.pid()));
            }
        }
        StringColumn mm = StringColumn.create("mm"), mask = StringColumn.create("cpu_vm_mask"), pgd = StringColumn.create("pgd"),
            us = StringColumn.create("users"), bs = StringColumn.create("borrowers");
        IntColumn mmUsers = IntColumn.create("mm_users"), mmCount = IntColumn.create("mm_count"), vmas = IntColumn.create("vmas");
        LongColumn rss = LongColumn.create("rss"), total = LongColumn.create("total_vm");
        for (Map.Entry<MmStruct, List<String>> e : users.entrySet()) {
            MmStruct m = e.getKey();
            mm.append(Names.mm(m));
            mmUsers.append(m.mmUsers());
            mmCount.append(m.mmCount());
            rss.append(m.rss());
            total.append(m.totalVm());
            vmas.append(m.mapCount());
            StringBuilder bitsText = new StringBuilder();
            for (int c = k.nrCpus() - 1; c >= 0; c--) bitsText.append((m.cpuVmMask() >> c & 1) != 0 ? '1' : '0');
            mask.append(bitsText.toString());
            pgd.append(Names.pfn(m.pgd()));
            us.append(String.join(" ", e.getValue()));
            bs.append(String.join(" ", borrowers.getOrDefault(m, List.of())));
        }
        return Table.create("mm_structs", mm, mmUsers, mmCount, rss, total, vmas, mask, pgd, us, bs);
    }

    static Table tlb(Sim sim, int cpu) {
        var c = sim.kernel().machine().cpu(cpu);
        StringColumn which = StringColumn.create("tlb"), vaddr = StringColumn.create("vaddr"), pfn = StringColumn.create("pfn"),
            pte = StringColumn.create("pte"), bits = StringColumn.create("bits"), size = StringColumn.create("page_size");
        IntColumn set = IntColumn.create("set"), way = IntColumn.create("way");
        BooleanColumn global = BooleanColumn.create("global");
        List<Tlb> tlbs = c.itlb() == c.dtlb() ? List.of(c.dtlb()) : List.of(c.itlb(), c.dtlb());
        for (Tlb t : tlbs) {
            for (Tlb.Entry e : t.entries()) {
                // a separate large-page TLB's entries are named after it: "dTLB 4M" (sets and ways of that TLB)
                which.append(e.large() && t.largeKind() == tasklab.machine.LargePageTlb.Kind.SEPARATE ? t.name() + " 4M" : t.name());
                size.append(e.large() ? "4M" : e.fragment() ? "4K of 4M" : "4K");
                set.append(e.set());
                way.append(e.way());
                vaddr.append(Names.addr(e.va() & 0xFFFFFFFFL));
                pfn.append(Names.pfn(Pte.pfn(e.pte())));
                pte.append(Names.pteHex(e.pte()));
                bits.append(Names.bits(e.pte()));
                global.append(e.global());
            }
        }
        return Table.create("TLB of CPU" + cpu + " (" + c.model().name() + ")", which, set, way, vaddr, size, pfn, pte, bits, global);
    }

    static Table vmstat(Sim sim, CounterSnapshot s, String name) {
        StringColumn counter = StringColumn.create("counter");
        LongColumn total = LongColumn.create("total");
        List<LongColumn> per = new ArrayList<>();
        for (int c = 0; c < s.nrCpus(); c++) per.add(LongColumn.create("cpu" + c));
        boolean onlyChanged = name.contains("since");
        for (Counter c : Counter.values()) {
            if (onlyChanged && s.total(c) == 0) continue;
            counter.append(c.procName());
            total.append(s.total(c));
            for (int i = 0; i < s.nrCpus(); i++) per.get(i).append(s.get(i, c));
        }
        Table t = Table.create(name, counter, total);
        per.forEach(t::addColumns);
        return t;
    }

    static Table interrupts(Sim sim) {
        CounterSnapshot s = sim.kernel().counters().snapshot();
        StringColumn irq = StringColumn.create("irq"), what = StringColumn.create("what");
        LongColumn total = LongColumn.create("total");
        List<LongColumn> per = new ArrayList<>();
        for (int c = 0; c < s.nrCpus(); c++) per.add(LongColumn.create("cpu" + c));
        Object[][] rows = {
            {"LOC", Counter.IRQ_TIMER, "Local timer interrupts"},
            {"TLB", Counter.IRQ_TLB, "TLB shootdowns"},
            {"CAL", Counter.IRQ_CALL_FUNCTION, "Function call interrupts"},
            {"RES", Counter.IRQ_RESCHEDULE, "Rescheduling interrupts"},
        };
        for (Object[] r : rows) {
            Counter c = (Counter) r[1];
            irq.append((String) r[0]);
            total.append(s.total(c));
            for (int i = 0; i < s.nrCpus(); i++) per.get(i).append(s.get(i, c));
            what.append((String) r[2]);
        }
        Table t = Table.create("interrupts", irq, total);
        per.forEach(t::addColumns);
        t.addColumns(what);
        return t;
    }

    /**
     * One row per kept event, read with the trace's {@link Trace.Reader} (no event is built): the
     * numbers go into primitive arrays sized for every event, the detail is written from the
     * fields of each event type.
     */
    static Table trace(Sim sim, TraceFilter f) {
        CpuModel model = sim.kernel().config().cpu();
        Trace.Reader r = sim.kernel().trace().reader();
        int n = r.remaining();
        double[] time = new double[n];
        int[] cpu = new int[n], pid = new int[n];
        StringColumn event = StringColumn.create("event"), detail = StringColumn.create("detail");
        int rows = 0;
        while (r.next()) {
            double us = model.nsFromCycles(r.time()) / 1000.0;
            if (!f.accepts(r, us)) continue;
            time[rows] = us;
            cpu[rows] = r.cpu();
            event.append(r.name());
            int p = pidOf(r);
            pid[rows] = p >= 0 ? p : IntColumnType.missingValueIndicator();
            // other events' detail was cut out of their toString() and trimmed: kept so
            detail.append(r.type() == Trace.Type.OTHER ? r.detail().trim() : r.detail());
            rows++;
        }
        return Table.create("trace", DoubleColumn.create("time_us", Arrays.copyOf(time, rows)),
            IntColumn.create("cpu", Arrays.copyOf(cpu, rows)), event, IntColumn.create("pid", Arrays.copyOf(pid, rows)), detail);
    }

    /** The pid the reader's event is mostly about, or -1. */
    private static int pidOf(Trace.Reader r) {
        return switch (r.type()) {
            case SCHED_SWITCH, SWITCH_COST -> r.nextPid();
            case PAGE_FAULT -> r.pid();
            case TLB_FLUSH -> -1;
            case OTHER -> pidOf(r.event());
        };
    }

    /** The pid an event is mostly about, or -1. */
    static int pidOf(Event e) {
        if (e instanceof Event.SchedSwitch s) return s.nextPid();
        if (e instanceof Event.SwitchCost s) return s.nextPid();
        if (e instanceof Event.SchedProcessFork x) return x.childPid();
        if (e instanceof Event.SchedProcessExec x) return x.pid();
        if (e instanceof Event.SchedProcessExit x) return x.pid();
        if (e instanceof Event.SchedProcessFree x) return x.pid();
        if (e instanceof Event.SchedProcessWait x) return x.pid();
        if (e instanceof Event.SchedWakeup x) return x.pid();
        if (e instanceof Event.PageFault x) return x.pid();
        return -1;
    }

    /**
     * One row per sched_switch. A switch's refill is known at the CPU's next switch, in a
     * switch_cost event: the k-th switch_cost of a CPU belongs to its k-th sched_switch, shifted
     * when a bounded trace lost the oldest switches (see {@link #matchShift}). Two passes of the
     * trace's reader: one counts each CPU's switches and costs, one fills arrays of those sizes;
     * the pairing is then by position.
     */
    static Table switches(Sim sim) {
        CpuModel model = sim.kernel().config().cpu();
        Trace trace = sim.kernel().trace();
        int cpus = 0;
        int[] nSw = new int[1], nCost = new int[1];
        for (Trace.Reader r = trace.reader(); r.next(); ) {
            Trace.Type t = r.type();
            if (t != Trace.Type.SCHED_SWITCH && t != Trace.Type.SWITCH_COST) continue;
            int c = r.cpu();
            if (c >= nSw.length) { nSw = Arrays.copyOf(nSw, c + 1); nCost = Arrays.copyOf(nCost, c + 1); }
            cpus = Math.max(cpus, c + 1);
            if (t == Trace.Type.SCHED_SWITCH) nSw[c]++; else nCost[c]++;
        }
        PerCpu[] per = new PerCpu[cpus];
        int rows = 0;
        for (int c = 0; c < cpus; c++) { per[c] = new PerCpu(nSw[c], nCost[c]); rows += nSw[c]; }

        double[] time = new double[rows];
        int[] cpu = new int[rows], prevPid = new int[rows], nextPid = new int[rows];
        long[] direct = new long[rows];
        StringColumn prev = StringColumn.create("prev"), next = StringColumn.create("next"), kind = StringColumn.create("kind");
        int row = 0;
        for (Trace.Reader r = trace.reader(); r.next(); ) {
            Trace.Type t = r.type();
            if (t == Trace.Type.SWITCH_COST) { per[r.cpu()].addCost(r); continue; }
            if (t != Trace.Type.SCHED_SWITCH) continue;
            per[r.cpu()].addSwitch(r, row);
            time[row] = model.nsFromCycles(r.time()) / 1000.0;
            cpu[row] = r.cpu();
            prevPid[row] = r.prevPid();
            prev.append(r.prevComm());
            nextPid[row] = r.nextPid();
            next.append(r.nextComm());
            kind.append(r.cr3() ? "cr3" : r.lazy() ? "lazy" : "same_mm");
            direct[row] = r.cycles();
            row++;
        }
        long[] refill = new long[rows];
        double[] us = new double[rows];
        Arrays.fill(refill, LongColumnType.missingValueIndicator());
        Arrays.fill(us, DoubleColumnType.missingValueIndicator());
        for (PerCpu p : per) {
            int shift = p.matchShift();
            for (int i = 0; i < p.sw; i++) {
                int j = i + shift;
                if (j < 0 || j >= p.costs) continue;
                refill[p.swRow[i]] = p.costRefill[j];
                us[p.swRow[i]] = model.nsFromCycles(p.costDirect[j] + p.costRefill[j]) / 1000.0;
            }
        }
        return Table.create("context switches", DoubleColumn.create("time_us", time), IntColumn.create("cpu", cpu),
            IntColumn.create("prev_pid", prevPid), prev, IntColumn.create("next_pid", nextPid), next, kind,
            LongColumn.create("direct_cycles", direct), LongColumn.create("refill_cycles", refill), DoubleColumn.create("us", us));
    }

    /** One CPU's switches and switch costs, in trace order, in arrays of the counted sizes. */
    private static final class PerCpu {
        final int[] swRow, swPrev, swNext;
        final long[] swTime;
        final int[] costPrev, costNext;
        final long[] costTime, costDirect, costRefill;
        int sw, costs;

        PerCpu(int switches, int nCosts) {
            swRow = new int[switches];
            swPrev = new int[switches];
            swNext = new int[switches];
            swTime = new long[switches];
            costPrev = new int[nCosts];
            costNext = new int[nCosts];
            costTime = new long[nCosts];
            costDirect = new long[nCosts];
            costRefill = new long[nCosts];
        }

        void addSwitch(Trace.Reader r, int row) {
            swRow[sw] = row;
            swPrev[sw] = r.prevPid();
            swNext[sw] = r.nextPid();
            swTime[sw] = r.time();
            sw++;
        }

        void addCost(Trace.Reader r) {
            costPrev[costs] = r.prevPid();
            costNext[costs] = r.nextPid();
            costTime[costs] = r.time();
            costDirect[costs] = r.direct();
            costRefill[costs] = r.refill();
            costs++;
        }

        /**
         * Index shift j - i so that cost j belongs to switch i: costs close switches in order, and
         * with a bounded trace the oldest may be gone, so the first cost is matched to the first
         * switch with its prev and next pids at or before it.
         */
        int matchShift() {
            if (costs == 0 || sw == 0) return 0;
            for (int i = 0; i < sw; i++) {
                if (swPrev[i] == costPrev[0] && swNext[i] == costNext[0] && swTime[i] <= costTime[0]) return -i;
            }
            return 0;
        }
    }
}
