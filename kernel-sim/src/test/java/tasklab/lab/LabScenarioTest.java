package tasklab.lab;

import static org.junit.jupiter.api.Assertions.*;
import static tasklab.kernel.CloneFlags.*;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import tasklab.kernel.Errno;
import tasklab.kernel.KernelThreadFn;
import tasklab.kernel.KernelVersion;
import tasklab.kernel.Signals;
import tasklab.machine.Pte;
import tasklab.trace.Counter;
import tech.tablesaw.api.Table;

/** Scripted scenarios through the lab API, on both versions: exact values the rules decide. */
class LabScenarioTest {

    private static Sim boot(KernelVersion v) { return Sim.of(v).boot(); }

    private static int pte(Sim sim, Proc p, long va) { return sim.pte(p.mm(), va); }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_7_cowDemoPteBitsCountsAndExplanation(KernelVersion v) {
        Sim sim = boot(v);
        Proc p = sim.process("demo");
        long a = p.heap();
        p.write(a, 'P');
        assertEquals(0x067, Pte.flags(pte(sim, p, a)), "a written private page is P RW U A D");
        int frame = Pte.pfn(pte(sim, p, a));
        assertEquals(1, sim.kernel().machine().mem().count(frame));
        Proc c = p.fork();
        assertEquals(0x065, Pte.flags(pte(sim, p, a)), "the parent loses RW, keeps A (R5.11)");
        assertEquals(0x045, Pte.flags(pte(sim, c, a)), "the child loses RW and A (R5.11)");
        assertEquals(frame, Pte.pfn(pte(sim, c, a)));
        assertEquals(2, sim.kernel().machine().mem().count(frame));

        Table pm = sim.pagemap(p, c);
        assertEquals(List.of("vaddr", "pid", "region", "pte", "bits", "writable", "pfn", "page_count", "mapcount", "mapped_by"),
            pm.columnNames());
        Table heap = pm.where(pm.stringColumn("vaddr").isEqualTo(Names.addr(a)));
        assertEquals(2, heap.rowCount());
        assertEquals(p.pid() + " " + c.pid(), heap.stringColumn("mapped_by").get(0));
        assertEquals(2, heap.intColumn("page_count").get(1));

        sim.explain();
        c.write(a, 'C');
        int copy = Pte.pfn(pte(sim, c, a));
        assertNotEquals(frame, copy, "do_wp_page gave the child a copy");
        assertEquals(0x067, Pte.flags(pte(sim, c, a)));
        assertEquals(1, sim.kernel().machine().mem().count(frame));
        assertEquals(1, sim.kernel().machine().mem().count(copy));
        assertEquals('C', c.read(a));
        assertEquals('P', p.read(a));
        Explanation x = sim.explain();
        String rule = v.is24() ? "page_count was 2 (R9.5)" : "page_mapcount was 2 (R9.6)";
        assertTrue(x.mentions("do_wp_page") && x.mentions(rule), x.toString());
        assertTrue(x.mentions(String.format("copied frame 0x%03x to a new frame 0x%03x", frame, copy)), x.toString());
        assertTrue(x.mentions("flush_tlb_page"), x.toString());
        assertTrue(x.toHtml().startsWith("<div"));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_5_parentWriteAfterChildCopyReuses(KernelVersion v) {
        Sim sim = boot(v);
        Proc p = sim.process("demo");
        long a = p.heap();
        p.write(a, 'P');
        Proc c = p.fork();
        c.write(a, 'C');
        long before = sim.kernel().counters().total(Counter.COW_REUSE);
        sim.explain();
        p.write(a, 'Q');
        assertEquals(before + 1, sim.kernel().counters().total(Counter.COW_REUSE));
        assertTrue(sim.explain().mentions("reused frame"));
    }

    /**
     * A write to the zero page always copies (clears a fresh frame), whatever the counts: 2.4's
     * can_share_swap_page refuses a PageReserved frame, 2.6's do_wp_page only reuses PageAnon pages
     * and allocates a zeroed page for ZERO_PAGE. The explanation must give that reason, not a count.
     */
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_5_R9_6_writeToTheZeroPageAlwaysCopiesAndTheExplanationSaysWhy(KernelVersion v) {
        Sim sim = boot(v);
        Proc p = sim.process("demo");
        long a = p.heap();
        assertEquals(0, p.read(a));
        assertEquals(tasklab.mm.MmCore.ZERO_PAGE_PFN, Pte.pfn(pte(sim, p, a)), "a read of an untouched page maps the zero page (R9.4)");
        Proc c = p.fork();
        sim.explain();
        Snapshot before = sim.snapshot("before");
        c.write(a, 'C');                                         // zero page mapped by both: copy
        p.write(a, 'P');                                         // p alone maps it now: still a copy, never a reuse
        assertEquals(2, sim.count("cow_copy", before));
        assertEquals(0, sim.count("cow_reuse", before));
        assertNotEquals(tasklab.mm.MmCore.ZERO_PAGE_PFN, Pte.pfn(pte(sim, p, a)));
        assertNotEquals(Pte.pfn(pte(sim, p, a)), Pte.pfn(pte(sim, c, a)));
        assertEquals('P', p.read(a));
        assertEquals('C', c.read(a));
        Explanation x = sim.explain();
        List<String> faults = x.sentences().stream().filter(s -> s.contains("do_wp_page")).toList();
        assertEquals(2, faults.size(), x.toString());
        String rule = v.is24() ? "the zero page is reserved (PageReserved) and do_wp_page never reuses a reserved frame (R9.5)"
            : "the zero page is not an anonymous page (PageAnon) and do_wp_page only reuses anonymous pages (R9.6)";
        for (String s : faults) {
            assertTrue(s.contains(rule), s);
            assertTrue(s.contains("a fresh zeroed frame"), s);
            assertFalse(s.contains("page_count was") || s.contains("page_mapcount was"), "no count is the reason: " + s);
        }
        String html = x.toHtml();
        assertFalse(html.contains("<ol"), "headlines carry the calls' numbers (#n); a numbered list would renumber them from 1");
        assertTrue(html.contains("#" + (sim.steps().size() - 1) + " "), html);
    }

    /**
     * tlb_page_local counts INVLPGs that ran; a one-page flush on a CPU without INVLPG (the 386, or
     * the what-if) is __flush_tlb and counts as tlb_full_local, as its trace event (pages -1) says.
     */
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R8_1_R8_7_onePageFlushIsCountedAsWhatRan(KernelVersion v) {
        for (SimBuilder b : List.of(Sim.of(v), Sim.of(v).invlpg(false), Sim.of(v).cpu(tasklab.machine.CpuModel.I386DX_33))) {
            Sim sim = b.boot();
            boolean invlpg = sim.kernel().machine().cpu(0).model().hasInvlpg();
            Proc p = sim.process("demo");
            p.write(p.heap(), 'P');
            Proc c = p.fork();
            Snapshot before = sim.snapshot("before");
            long events = sim.kernel().trace().recorded();
            c.write(p.heap(), 'C');                                   // one COW fault: one flush_tlb_page
            assertEquals(1, sim.count("flush_tlb_page", before));
            assertEquals(invlpg ? 1 : 0, sim.count("tlb_page_local", before), sim.describe());
            List<tasklab.trace.Event.TlbFlush> flushes = sim.kernel().trace().events().stream()
                .skip(sim.kernel().trace().events().size() - (sim.kernel().trace().recorded() - events))
                .filter(e -> e instanceof tasklab.trace.Event.TlbFlush).map(e -> (tasklab.trace.Event.TlbFlush) e)
                .filter(f -> f.reason() != tasklab.trace.FlushReason.TASK_SWITCH).toList();   // CR3 loads have their own counters
            assertEquals(flushes.stream().filter(f -> f.pages() == 1).count(), sim.count("tlb_page_local", before), "INVLPG events");
            assertEquals(flushes.stream().filter(f -> f.pages() < 0).count(), sim.count("tlb_full_local", before), "full-flush events");
            Table vm = sim.vmstat(before);
            assertEquals(invlpg, vm.stringColumn("counter").contains("tlb_page_local"), vm.print());
            if (!invlpg) assertTrue(sim.explain().mentions("this CPU has no INVLPG, so a one-page flush reloads CR3"));
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_17_vforkParentSleepsUntilChildExecs(KernelVersion v) {
        Sim sim = boot(v);
        Proc p = sim.process("shell");
        Proc c = p.vfork();
        assertEquals("D", p.state(), "the vfork parent sleeps in TASK_UNINTERRUPTIBLE");
        assertSame(p.mm(), c.mm(), "CLONE_VM: one mm");
        assertEquals(2, p.mm().mmUsers());
        LabException e = assertThrows(LabException.class, p::fork);
        assertTrue(e.getMessage().contains("TASK_UNINTERRUPTIBLE") && e.getMessage().contains("R5.17"), e.getMessage());
        assertNull(e.errno(), "misuse has no errno");
        c.exec("/bin/true");
        assertNotEquals("D", p.state(), "exec released the parent (R5.18)");
        assertNotSame(p.mm(), c.mm());
        assertEquals(1, p.mm().mmUsers());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_7_threadGroupSharesMmAndTgid(KernelVersion v) {
        Sim sim = boot(v);
        Proc p = sim.process("server");
        Proc t = p.clone(CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD);
        assertEquals(p.tgid(), t.tgid());
        assertNotEquals(p.pid(), t.pid());
        assertSame(p.mm(), t.mm());
        assertEquals(2, p.mm().mmUsers());
        assertEquals(1, p.mm().mmCount(), "CLONE_VM does not change mm_count (R5.7)");
        Table ps = sim.ps();
        Table row = ps.where(ps.intColumn("pid").isEqualTo(t.pid()));
        assertEquals("thread", row.stringColumn("kind").get(0));
        assertEquals(List.of(p, t), p.threads());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R6_4_kernelThreadBorrowsMmUntilDaemonizeThenRunsLazily(KernelVersion v) {
        Sim sim = boot(v);
        Proc init = sim.init();
        int users = init.mm().mmUsers();
        Proc kt = init.kernelThread("worker", KernelThreadFn.sleeper());
        assertSame(init.mm(), kt.mm(), "kernel_thread always passes CLONE_VM (R6.2)");
        assertEquals(users + 1, init.mm().mmUsers());
        kt.daemonize("worker");
        assertNull(kt.mm(), "daemonize drops the user mm (exit_mm)");
        assertEquals(users, init.mm().mmUsers());
        assertTrue(kt.isKernelThread());
        Table ps = sim.ps();
        Table row = ps.where(ps.intColumn("pid").isEqualTo(kt.pid()));
        assertEquals("[worker]", row.stringColumn("comm").get(0));
        assertEquals("-", row.stringColumn("mm").get(0));
        assertEquals(Names.mm(kt.activeMm()), row.stringColumn("active_mm").get(0), "it runs on a borrowed active_mm");
        assertNotNull(kt.activeMm());
    }

    @Test
    void R8_2_twoCpuMunmapSendsOneShootdownIpi() {
        Sim sim = Sim.linux26().cpus(2).boot();
        Workloads.ThreadOnCpu1 w = Workloads.threadOnCpu1(sim, "smp");   // t runs on CPU1 and caches the mm there
        Proc p = w.p(), t = w.t();
        long a = w.a();
        assertEquals(1, t.task().processor());
        assertEquals(0b11, p.mm().cpuVmMask() & 0b11, "the mm is live on both CPUs");
        long ipis = sim.kernel().counters().total(Counter.IPI_TLB);
        sim.explain();
        p.munmap(a, 4096);
        assertEquals(ipis + 1, sim.kernel().counters().total(Counter.IPI_TLB), "one INVALIDATE_TLB IPI to CPU1 (R8.2)");
        assertTrue(sim.explain().mentions("IPI to CPU1"));
        Table ints = sim.interrupts();
        assertEquals(List.of("irq", "total", "cpu0", "cpu1", "what"), ints.columnNames());
    }

    @Test
    void R5_2_errorsCarryErrnoRuleAndSentence() {
        Sim s26 = Sim.linux26().boot();
        Proc q = s26.process("t");
        LabException e = assertThrows(LabException.class, () -> q.clone(CLONE_THREAD));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("R5.2", e.rule());
        assertEquals("clone: -EINVAL (R5.2): CLONE_THREAD needs CLONE_SIGHAND on 2.6 (the same call succeeds on 2.4)", e.getMessage());
        SysResult r = q.tryClone(CLONE_SIGHAND);
        assertTrue(r.failed());
        assertTrue(r.describe().contains("CLONE_SIGHAND needs CLONE_VM"), r.describe());
        Sim s24 = Sim.linux24().boot();
        assertTrue(s24.process("t").tryClone(CLONE_THREAD).ok(), "2.4 checks neither (R5.1)");
        LabException g = assertThrows(LabException.class, () -> s24.process("g").exitGroup(0));
        assertEquals(Errno.ENOSYS, g.errno());
        assertTrue(g.getMessage().startsWith("exit_group: -ENOSYS (R11.3)"), g.getMessage());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R11_11_waitDecodesStatusAndErrorsNameTheRule(KernelVersion v) {
        Sim sim = boot(v);
        Proc p = sim.process("parent");
        LabException none = assertThrows(LabException.class, p::waitAny);
        assertEquals(Errno.ECHILD, none.errno());
        assertEquals(v.is24() ? "R11.9" : "R11.10", none.rule());
        Proc c = p.fork();
        c.exit(3);
        assertTrue(c.zombie());
        LabException z = assertThrows(LabException.class, c::fork);
        assertTrue(z.getMessage().contains("zombie") && z.getMessage().contains("exited 3"), z.getMessage());
        WaitStatus w = p.waitAny();
        assertEquals(c.pid(), w.pid());
        assertTrue(w.exited());
        assertEquals(3, w.exitCode());
        assertEquals("exited 3", w.meaning());
        assertTrue(c.released());
        LabException dead = assertThrows(LabException.class, () -> c.write(0x1000, 1));
        assertTrue(dead.getMessage().contains("reaped"), dead.getMessage());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_2_badWriteKillsWithSigsegvTyped(KernelVersion v) {
        Sim sim = boot(v);
        Proc p = sim.process("parent");
        Proc c = p.fork();
        SysResult r = c.tryWrite(0x1000, 1);
        assertTrue(r.killed());
        assertEquals(Signals.SIGSEGV, r.signal());
        assertNull(r.errno(), "a signal is not an errno");
        assertEquals("R9.2", r.rule());
        assertTrue(r.describe().contains("SEGV_MAPERR"), r.describe());
        WaitStatus w = p.wait(c);
        assertTrue(w.signaled());
        assertEquals(Signals.SIGSEGV, w.termSignal());
        LabException ro = assertThrows(LabException.class, () -> p.write(p.text(), 1));
        assertEquals(Signals.SIGSEGV, ro.signal());
        assertTrue(ro.getMessage().contains("SEGV_ACCERR"), ro.getMessage());
    }

    @Test
    void forkNoScheduleShowsTheMomentBeforeTheChildRuns() {
        Sim sim = Sim.linux26().boot();
        Proc p = sim.process("p");
        Proc c = p.forkNoSchedule();
        assertTrue(p.task().onCpu(), "nobody was scheduled yet");
        assertTrue(p.task().needResched(), "2.6 wants the child first (R5.15)");
        p.returnToUser();
        assertTrue(c.task().onCpu(), "the child ran first");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void sameSeedSameCallsSameTables(KernelVersion v) {
        String[] out = new String[2];
        for (int i = 0; i < 2; i++) {
            Sim sim = Sim.of(v).seed(7).boot();
            Proc p = sim.process("d");
            p.touch(p.heap(), 4 * 4096, 'x');
            Proc c = p.fork();
            c.write(p.heap(), 'y');
            out[i] = sim.ps().print(100) + sim.pagemap(p, c).print(100) + sim.switches().print(100) + sim.explainAll() + sim.trace().print(1000);
        }
        assertEquals(out[0], out[1]);
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R4_7_R7_14_R9_10_newCallsThroughProcHandles(KernelVersion v) {
        Sim sim = boot(v);
        Proc p = sim.process("leader");
        Proc c = p.fork();
        int sid = c.setsid();
        assertEquals(c.pid(), sid, "a new session led by the child (R4.7)");
        assertEquals(c.pid(), c.session());
        assertEquals(c.pid(), c.pgrp());
        LabException again = assertThrows(LabException.class, c::setsid);
        Proc d = p.fork();
        d.setpgid(0);
        assertEquals(d.pid(), d.pgrp(), "setpgid(0, 0): its own group");
        assertEquals(Errno.EPERM, again.errno());
        assertEquals("R4.7", again.rule());

        p.setScheduler(tasklab.kernel.SchedPolicy.SCHED_FIFO, 50);
        assertEquals(tasklab.kernel.SchedPolicy.SCHED_FIFO, p.policy());
        assertEquals(50, p.rtPriority());
        SysResult bad = p.trySetScheduler(tasklab.kernel.SchedPolicy.SCHED_FIFO, 0);
        assertEquals(Errno.EINVAL, bad.errno());
        assertEquals("R7.14", bad.rule());

        long a = c.mmap(2 * 4096);
        c.mlock(a, 2 * 4096);
        assertEquals(2, c.mm().lockedVm(), "locked_vm counts the locked pages (R9.10)");
        Proc g = c.fork();
        assertEquals(0, g.mm().lockedVm(), "the child does not inherit VM_LOCKED (R5.10)");

        if (v.is24()) {
            p.setCounter(1);
            assertEquals(1, p.counter());
        } else {
            p.setTimeSlice(3);
            assertEquals(3, p.timeSlice());
        }
        assertTrue(sim.explainAll().toString().contains("what-if"));
    }
}
