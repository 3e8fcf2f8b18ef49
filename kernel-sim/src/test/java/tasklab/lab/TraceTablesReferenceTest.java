package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tasklab.kernel.CloneFlags.CLONE_FILES;
import static tasklab.kernel.CloneFlags.CLONE_FS;
import static tasklab.kernel.CloneFlags.CLONE_SIGHAND;
import static tasklab.kernel.CloneFlags.CLONE_THREAD;
import static tasklab.kernel.CloneFlags.CLONE_VM;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.KernelThreadFn;
import tasklab.kernel.KernelVersion;
import tasklab.kernel.Signals;
import tasklab.machine.CpuModel;
import tasklab.program.Program;
import tasklab.trace.Event;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * {@code sim.trace()} and {@code sim.switches()} read the trace without building its events (the
 * speed target of a million events); here they are compared, cell by cell, with a plain reference
 * built from {@code trace().events()}: each event's detail cut out of its ftrace line, each
 * switch paired with its cost through per-CPU lists. The script makes every common event type on
 * two CPUs, on both versions, with an unbounded trace and with a ring that has dropped events.
 */
class TraceTablesReferenceTest {

    /** Event types the script must produce, so the comparison covers them. */
    private static final Set<String> NEEDED = Set.of("sched_switch", "switch_cost", "tlb_flush", "page_fault_user",
        "sched_process_fork", "sched_process_exec", "sched_process_exit", "sched_process_free", "sched_process_wait",
        "sched_wakeup", "ipi", "mm_lifecycle", "signal_deliver");

    private static Sim scripted(KernelVersion v, int traceLimit) {
        Sim sim = Sim.of(v).cpus(2).traceLimit(traceLimit).boot();
        Proc p = sim.process("demo");
        p.write(p.heap(), 'P');
        Proc c = p.fork();
        c.write(p.heap(), 'C');
        Proc vc = p.vfork();
        vc.exec("/bin/true");
        vc.exit(3);
        p.wait(vc);
        Proc t = p.clone(CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD);
        if (v.is26()) t.setAffinity(0b10);
        long a = p.mmap(4 * 4096);
        p.touch(a, 4 * 4096, 1);
        t.write(a, 2);
        p.munmap(a, 4096);                                  // a shootdown IPI to CPU1
        Proc kt = sim.init().kernelThread("worker", KernelThreadFn.sleeper());
        kt.daemonize("worker");
        p.kill(c, Signals.SIGKILL);
        p.wait(c);
        p.sigaction(Signals.SIGSEGV, Signals.SIG_HANDLER);
        p.tryWrite(0x1000, 1);                              // no VMA: SIGSEGV to the handler (signal_deliver)
        Program child = Program.builder().loop(20, b -> b.compute(5_000).yield()).exit(0).build();
        sim.spawn(Program.builder().mmap(16384).touchMapped(16384, 4096, true)
            .loop(200, b -> b.touchMapped(16384, 4096, false).yield()).fork(child).waitAny().exit(0).build(), 3);
        sim.runMillis(30);
        return sim;
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void traceAndSwitchesTablesEqualTheReferenceBuiltFromTheEvents(KernelVersion v) {
        Sim sim = scripted(v, 0);
        List<Event> events = sim.kernel().trace().events();
        Set<String> seen = new TreeSet<>();
        for (Event e : events) seen.add(e.name());
        assertTrue(seen.containsAll(NEEDED), "the script makes " + seen + ", the comparison needs " + NEEDED);

        assertSameTable(referenceTrace(sim, TraceFilter.all()), sim.trace());
        assertSameTable(referenceSwitches(sim), sim.switches());
        assertTrue(sim.switches().rowCount() > 100);
        Table sw = sim.switches();
        assertTrue(sw.longColumn("refill_cycles").countMissing() < sw.rowCount(), "some switches have their cost");

        int pid = sim.tasks().stream().filter(x -> x.comm().equals("demo")).findFirst().orElseThrow().pid();
        double mid = sim.trace().doubleColumn("time_us").get(events.size() / 2);
        for (TraceFilter f : List.of(TraceFilter.named("tlb_flush", "ipi", "sched_process_fork"), TraceFilter.all().pid(pid),
                TraceFilter.all().cpu(1), TraceFilter.all().from(mid), TraceFilter.all().to(mid),
                TraceFilter.named("sched_switch", "page_fault_user").pid(pid).to(mid))) {
            Table ref = referenceTrace(sim, f);
            assertTrue(ref.rowCount() > 0, f + " keeps some rows");
            assertSameTable(ref, sim.trace(f));
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void aRingThatDroppedEventsGivesTheSameTablesAsTheReference(KernelVersion v) {
        for (int limit : new int[] {1000, 1001, 1002}) {      // the ring's first record cut after each part of a switch
            Sim sim = scripted(v, limit);
            assertTrue(sim.kernel().trace().dropped() > 0);
            assertEquals(limit, sim.kernel().trace().events().size());
            assertSameTable(referenceTrace(sim, TraceFilter.all()), sim.trace());
            assertSameTable(referenceSwitches(sim), sim.switches());
        }
    }

    private static void assertSameTable(Table expected, Table actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.columnNames(), actual.columnNames());
        assertEquals(expected.rowCount(), actual.rowCount(), expected.name() + " rows");
        for (int c = 0; c < expected.columnCount(); c++) {
            Column<?> e = expected.column(c), a = actual.column(c);
            assertEquals(e.type(), a.type(), e.name());
            assertEquals(e.asList(), a.asList(), e.name());
            for (int r = 0; r < e.size(); r++) assertEquals(e.isMissing(r), a.isMissing(r), e.name() + " row " + r);
        }
    }

    // ---- the reference: the plain way, from the built events ----

    private static Table referenceTrace(Sim sim, TraceFilter f) {
        CpuModel model = sim.kernel().config().cpu();
        DoubleColumn time = DoubleColumn.create("time_us");
        IntColumn cpu = IntColumn.create("cpu"), pid = IntColumn.create("pid");
        StringColumn event = StringColumn.create("event"), detail = StringColumn.create("detail");
        for (Event e : sim.kernel().trace().events()) {
            double us = model.nsFromCycles(e.time()) / 1000.0;
            if (!accepts(f, e, us)) continue;
            time.append(us);
            cpu.append(e.cpu());
            event.append(e.name());
            int p = Tables.pidOf(e);
            if (p >= 0) pid.append(p); else pid.appendMissing();
            String text = e.toString();
            int at = text.indexOf(e.name() + ":");
            detail.append(text.substring(at + e.name().length() + 1).trim());
        }
        return Table.create("trace", time, cpu, event, pid, detail);
    }

    private static boolean accepts(TraceFilter f, Event e, double us) {
        if (!f.names().isEmpty() && !f.names().contains(e.name())) return false;
        if (f.cpu() >= 0 && e.cpu() != f.cpu()) return false;
        if (us < f.fromUs() || us >= f.toUs()) return false;
        if (f.pid() < 0) return true;
        int p = f.pid();
        if (e instanceof Event.SchedSwitch s) return s.prevPid() == p || s.nextPid() == p;
        if (e instanceof Event.SwitchCost s) return s.prevPid() == p || s.nextPid() == p;
        if (e instanceof Event.SchedProcessFork x) return x.parentPid() == p || x.childPid() == p;
        if (e instanceof Event.SchedProcessWait w) return w.pid() == p || w.waitPid() == p;
        int about = Tables.pidOf(e);
        return about >= 0 && about == p;
    }

    private static Table referenceSwitches(Sim sim) {
        CpuModel model = sim.kernel().config().cpu();
        List<Event> events = sim.kernel().trace().events();
        Map<Integer, List<Event.SwitchCost>> costs = new TreeMap<>();
        Map<Integer, List<Event.SchedSwitch>> switches = new TreeMap<>();
        for (Event e : events) {
            if (e instanceof Event.SwitchCost c) costs.computeIfAbsent(c.cpu(), x -> new ArrayList<>()).add(c);
            if (e instanceof Event.SchedSwitch s) switches.computeIfAbsent(s.cpu(), x -> new ArrayList<>()).add(s);
        }
        Map<Event.SchedSwitch, Event.SwitchCost> match = new IdentityHashMap<>();
        for (Map.Entry<Integer, List<Event.SchedSwitch>> e : switches.entrySet()) {
            List<Event.SchedSwitch> ss = e.getValue();
            List<Event.SwitchCost> cs = costs.getOrDefault(e.getKey(), List.of());
            int shift = 0;
            if (!cs.isEmpty()) {
                Event.SwitchCost first = cs.get(0);
                for (int i = 0; i < ss.size(); i++) {
                    Event.SchedSwitch s = ss.get(i);
                    if (s.prevPid() == first.prevPid() && s.nextPid() == first.nextPid() && s.time() <= first.time()) { shift = -i; break; }
                }
            }
            for (int i = 0; i < ss.size(); i++) {
                int j = i + shift;
                if (j >= 0 && j < cs.size()) match.put(ss.get(i), cs.get(j));
            }
        }
        DoubleColumn time = DoubleColumn.create("time_us"), us = DoubleColumn.create("us");
        IntColumn cpu = IntColumn.create("cpu"), prevPid = IntColumn.create("prev_pid"), nextPid = IntColumn.create("next_pid");
        StringColumn prev = StringColumn.create("prev"), next = StringColumn.create("next"), kind = StringColumn.create("kind");
        LongColumn direct = LongColumn.create("direct_cycles"), refill = LongColumn.create("refill_cycles");
        for (Event e : events) {
            if (!(e instanceof Event.SchedSwitch s)) continue;
            time.append(model.nsFromCycles(s.time()) / 1000.0);
            cpu.append(s.cpu());
            prevPid.append(s.prevPid());
            prev.append(s.prevComm());
            nextPid.append(s.nextPid());
            next.append(s.nextComm());
            kind.append(s.cr3() ? "cr3" : s.lazy() ? "lazy" : "same_mm");
            direct.append(s.cycles());
            Event.SwitchCost c = match.get(s);
            if (c == null) { refill.appendMissing(); us.appendMissing(); continue; }
            refill.append(c.refill());
            us.append(model.nsFromCycles(c.direct() + c.refill()) / 1000.0);
        }
        return Table.create("context switches", time, cpu, prevPid, prev, nextPid, next, kind, direct, refill, us);
    }
}
