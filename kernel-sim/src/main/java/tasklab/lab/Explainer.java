package tasklab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tasklab.kernel.CloneFlags;
import tasklab.kernel.Kernel;
import tasklab.kernel.Task;
import tasklab.machine.PhysMem;
import tasklab.machine.Pte;
import tasklab.mm.FlushRangePolicy;
import tasklab.trace.Counter;
import tasklab.trace.CounterSnapshot;
import tasklab.trace.Event;
import tasklab.trace.FlushReason;

/**
 * Turns logged calls into sentences: each trace event a call caused becomes what the kernel did,
 * with the rule that says so, and the facts the lab saw (ptes, frame counts, mm refcounts) fill
 * in the numbers. Calls that caused many events (a run of simulated time) are summarised from
 * their counters instead.
 */
final class Explainer {
    /** Above this many events a call is summarised, not told event by event. */
    static final int DETAIL_LIMIT = 40;

    private final Sim sim;
    private final Kernel k;
    private final boolean v26;

    private Explainer(Sim sim) {
        this.sim = sim;
        this.k = sim.kernel();
        this.v26 = k.version().is26();
    }

    static Explanation explain(Sim sim, List<Step> steps) {
        Explainer x = new Explainer(sim);
        List<Event> events = steps.isEmpty() ? List.of() : sim.kernel().trace().events();
        long base = sim.kernel().trace().recorded() - events.size();
        List<Explanation.Entry> out = new ArrayList<>();
        for (Step s : steps) out.add(new Explanation.Entry(s.headline(), x.sentences(s, events, base)));
        return new Explanation(out);
    }

    private List<String> sentences(Step s, List<Event> all, long base) {
        List<String> out = new ArrayList<>();
        if (!s.result().ok() && s.result().why() != null) out.add(s.result().describe());
        long from = s.fromEvent() - base;
        long to = s.toEvent() - base;
        if (to <= 0 && s.toEvent() > s.fromEvent()) {
            out.add("(its " + (s.toEvent() - s.fromEvent()) + " trace events are no longer kept: raise the trace limit)");
            return out;
        }
        List<Event> mine = all.subList((int) Math.max(0, from), (int) Math.max(0, to));
        if (s.call().startsWith("process(") && s.result().ok()) {
            Task t = k.task(s.result().intValue());
            out.add("init forked pid " + s.result().value() + " and it exec'd " + (t == null ? "the program" : t.execPath())
                + ": a fresh mm with text, data, heap and stack VMAs (see sim.vmas(p)); nothing is resident until touched");
            return out;
        }
        if (mine.size() > DETAIL_LIMIT) {
            summarise(s, out);
        } else {
            String last = null;
            int repeats = 0;
            for (int i = 0; i < mine.size(); i++) {
                Event e = mine.get(i);
                Event next = i + 1 < mine.size() ? mine.get(i + 1) : null;
                String line = e instanceof Event.TlbFlush f ? flush(s, f, next) : sentence(s, e);
                if (line == null) continue;
                if (line.equals(last)) { repeats++; continue; }
                if (repeats > 0) out.set(out.size() - 1, last + " (x" + (repeats + 1) + ")");
                out.add(line);
                last = line;
                repeats = 0;
            }
            if (repeats > 0) out.set(out.size() - 1, last + " (x" + (repeats + 1) + ")");
        }
        for (Step.Fact f : s.facts()) {
            if (f instanceof Step.MmChange m && (m.usersBefore() != m.usersAfter() || m.countBefore() != m.countAfter())) {
                out.add(m.usersAfter() < 0
                    ? "mm#" + m.mmId() + " was freed (mm_count reached 0: __mmdrop) (R12)"
                    : "mm#" + m.mmId() + ": mm_users " + m.usersBefore() + " -> " + m.usersAfter() + ", mm_count "
                        + m.countBefore() + " -> " + m.countAfter() + " (R12)");
            }
        }
        return out;
    }

    /** A long run: the counters that moved, with what they mean. */
    private void summarise(Step s, List<String> out) {
        CounterSnapshot d = s.after().minus(s.before());
        Map<Counter, String> meaning = new LinkedHashMap<>();
        meaning.put(Counter.CONTEXT_SWITCH, "context switches");
        meaning.put(Counter.CR3_SWITCH, "CR3 loads by switch_mm (a different mm, R7.10)");
        meaning.put(Counter.PGFAULT, "page faults");
        meaning.put(Counter.COW_COPY, "COW copies by do_wp_page");
        meaning.put(Counter.FAULT_ANON_PAGE, "fresh anonymous frames (do_anonymous_page)");
        meaning.put(Counter.TLB_FULL_LOCAL, "full TLB flushes");
        meaning.put(Counter.TLB_PAGE_LOCAL, "single-entry flushes (INVLPG)");
        meaning.put(Counter.IPI_TLB, "TLB shootdown IPIs sent (R8.2)");
        meaning.put(Counter.IPI_RESCHEDULE, "reschedule IPIs");
        meaning.put(Counter.FORK, "forks");
        meaning.put(Counter.EXIT, "exits");
        StringBuilder b = new StringBuilder("summary: ");
        boolean any = false;
        for (Map.Entry<Counter, String> e : meaning.entrySet()) {
            long n = d.total(e.getKey());
            if (n == 0) continue;
            b.append(any ? "; " : "").append(n).append(' ').append(e.getValue());
            any = true;
        }
        out.add(any ? b.toString() : "nothing was counted");
        long sw = d.total(Counter.CONTEXT_SWITCH);
        long cycles = d.total(Counter.SWITCH_DIRECT_CYCLES) + d.total(Counter.SWITCH_REFILL_CYCLES);
        if (sw > 0) {
            double us = k.config().cpu().nsFromCycles(cycles / sw) / 1000.0;
            out.add(String.format("a switch cost %.2f us on average (direct path plus TLB and cache refill; see sim.switches())", us));
        }
    }

    private String sentence(Step s, Event e) {
        if (e instanceof Event.SchedProcessFork f) return fork(f);
        if (e instanceof Event.PageFault f) return fault(s, f);
        if (e instanceof Event.Ipi i) {
            return "CPU" + i.cpu() + " sent a " + i.vector() + " IPI to CPU" + i.targetCpu()
                + ("INVALIDATE_TLB".equals(i.vector()) || i.vector().contains("TLB")
                    ? ": that CPU is in the mm's cpu_vm_mask and may cache its entries (flush_tlb_others, R8.2)" : "");
        }
        if (e instanceof Event.SchedSwitch w) return switchSentence(w);
        if (e instanceof Event.SchedProcessExec x) {
            return "execve(" + x.filename() + ") in pid " + x.pid() + ": " + (x.newMm()
                ? "a new mm; the old one lost a user (" + (v26 ? "2.6 always builds a new mm, R10.3" : "R10.1") + ")"
                : "2.4's exec_mmap reused the old mm because its mm_users was 1: the old mappings were unmapped in place (R10.1)");
        }
        if (e instanceof Event.SchedProcessExit x) {
            return "do_exit: pid " + x.pid() + " (" + x.comm() + ") exits, " + new WaitStatus(x.pid(), x.exitCode()).meaning()
                + "; exit_mm drops its mm; it stays a zombie until its parent waits, unless a release_task line follows"
                + " (nobody will wait: e.g. a kthread, whose parent kthreadd ignores SIGCHLD) (R11.1, R11.2)";
        }
        if (e instanceof Event.SchedProcessFree x) {
            return "release_task: pid " + x.pid() + " (" + x.comm() + ") is gone; its task_struct and 8 KiB kernel stack are freed";
        }
        if (e instanceof Event.SchedProcessWait w) return null;                  // the call itself says it
        if (e instanceof Event.SchedWakeup w) {
            if (w.newTask()) {
                return "wake_up_new_task put pid " + w.pid() + " on CPU" + w.targetCpu() + "'s runqueue"
                    + (v26 ? " (2.6: a child without CLONE_VM on the same CPU runs first, R5.15)" : " (R5.15)");
            }
            if (s.call().contains("fork") || s.call().startsWith("clone") || s.call().startsWith("kernel_thread")) {
                return "wake_up_process put the new child pid " + w.pid() + " on CPU" + w.targetCpu() + "'s runqueue (R5.15)";
            }
            return "pid " + w.pid() + " (" + w.comm() + ") woke up on CPU" + w.targetCpu() + " (R7.4)";
        }
        if (e instanceof Event.MmLifecycle m) {
            if (m.what().contains("free")) return "mm#" + m.mmId() + " freed: its mm_count reached 0 (__mmdrop, R12)";
            if (m.what().startsWith("alloc")) return "mm_alloc made mm#" + m.mmId() + " (mm_users 1, mm_count 1) with a page directory of its own, "
                + "its kernel part copied from swapper_pg_dir (R5.8, R5.9)";
            return "mm#" + m.mmId() + " " + m.what();
        }
        return null;                                                              // switch_cost: shown by sim.switches()
    }

    private String fork(Event.SchedProcessFork f) {
        int flags = f.cloneFlags();
        Task parent = k.task(f.parentPid());
        StringBuilder b = new StringBuilder("do_fork: pid ").append(f.parentPid()).append(" (").append(f.parentComm())
            .append(") made pid ").append(f.childPid()).append(" with ").append(CloneFlags.describe(flags)).append("; ");
        if (parent != null && parent.mm() == null) {
            b.append("the caller is a kernel thread with no mm, so the child has none either (R5.8)");
        } else if ((flags & CloneFlags.CLONE_VM) != 0) {
            b.append("CLONE_VM: the child shares the parent's mm (mm_users + 1, no page tables copied, no TLB flush) (R5.7, R5.8)");
        } else {
            b.append("copy_mm made a new mm and dup_mmap copied the page tables: private writable ptes lost RW in both, "
                + "so the first write on either side faults, and every shared frame's page_count went up by 1 (R5.10, R5.11)");
        }
        if ((flags & CloneFlags.CLONE_VFORK) != 0) b.append("; CLONE_VFORK: the parent sleeps until the child execs or exits (R5.17)");
        if ((flags & CloneFlags.CLONE_THREAD) != 0) b.append("; CLONE_THREAD: same thread group, tgid ").append(k.task(f.childPid()) == null ? "" : k.task(f.childPid()).tgid());
        return b.toString();
    }

    private String fault(Step s, Event.PageFault f) {
        String at = Names.addr(f.address() & 0xFFFFFFFFL);
        boolean write = (f.errorCode() & 2) != 0;
        String access = (write ? "write" : "read") + ((f.errorCode() & 1) != 0 ? " to a present page" : " to a page not present");
        Step.PteChange c = change(s, f.pid(), f.address());
        String head = "page fault in pid " + f.pid() + " at " + at + " (" + access + ", error code " + f.errorCode() + "): ";
        switch (f.kind()) {
            case ANON_PAGE:
                return head + "do_anonymous_page gave it a fresh zeroed frame" + (c == null ? "" : " " + Names.pfn(Pte.pfn(c.pteAfter()))
                    + ", pte " + Names.pteHex(c.pteAfter()) + " (" + Names.bits(c.pteAfter()) + ")") + " (R9.4)";
            case ZERO_PAGE:
                return head + "do_anonymous_page mapped the shared zero page read-only (pte 025); no frame was allocated (R9.4)";
            case SHARED_PAGE:
                return head + "the frame of the shared mapping was mapped in (R9.8)";
            case COW_COPY: {
                String why = v26 ? "page_mapcount was " + (c == null ? "above 1" : c.mapcountBefore()) + " (R9.6)"
                    : "page_count was " + (c == null ? "above 1" : c.countBefore()) + " (R9.5)";
                if (c == null) return head + "do_wp_page copied the page because " + why;
                if (isZeroPage(Pte.pfn(c.pteBefore()))) return head + zeroPageCopy(c);
                return head + "the pte was read-only (" + Names.pteHex(c.pteBefore()) + "), so do_wp_page ran; it copied frame "
                    + Names.pfn(Pte.pfn(c.pteBefore())) + " to a new frame " + Names.pfn(Pte.pfn(c.pteAfter())) + " because " + why
                    + "; the pte now maps the copy writable (" + Names.pteHex(c.pteAfter()) + ") and the old frame's page_count went "
                    + c.countBefore() + " -> " + c.oldCountAfter();
            }
            case COW_REUSE: {
                String why = v26 ? "page_mapcount was 1 (R9.6)" : "page_count was 1 (R9.5)";
                return head + "do_wp_page reused frame " + (c == null ? "" : Names.pfn(Pte.pfn(c.pteBefore())) + " ")
                    + "without copying because " + why + ": nobody else maps it, so the pte just became writable again"
                    + (c == null ? "" : " (" + Names.pteHex(c.pteBefore()) + " -> " + Names.pteHex(c.pteAfter()) + ")");
            }
            case YOUNG_DIRTY:
                return head + "the pte allowed the access; the fault only set the accessed/dirty bits (R9.3)";
            case SEGV_MAPERR:
                return head + "no VMA covers the address: bad_area, SIGSEGV (SEGV_MAPERR) (R9.2)";
            case SEGV_ACCERR:
                return head + "the VMA does not allow this access: bad_area, SIGSEGV (SEGV_ACCERR) (R9.2)";
            case OOM:
                return head + "out of memory while handling the fault";
            case OOPS:
                return head + "a kernel-mode fault with no mm: oops (R9.2)";
            default:
                return head + f.kind();
        }
    }

    /** Whether the frame is ZERO_PAGE (empty_zero_page, reserved at boot). */
    private boolean isZeroPage(int pfn) {
        return (k.machine().mem().flags(pfn) & PhysMem.F_ZERO) != 0;
    }

    /**
     * do_wp_page on the zero page: always a new page, and the counts are not why. 2.4's
     * can_share_swap_page never reuses a PageReserved frame and copy_cow_page clears instead of
     * copying; 2.6 reuses only PageAnon pages and takes alloc_zeroed_user_highpage for ZERO_PAGE.
     */
    private String zeroPageCopy(Step.PteChange c) {
        String rule = v26
            ? "the zero page is not an anonymous page (PageAnon) and do_wp_page only reuses anonymous pages (R9.6)"
            : "the zero page is reserved (PageReserved) and do_wp_page never reuses a reserved frame (R9.5)";
        String after = v26
            ? "the zero page's page_count went " + c.countBefore() + " -> " + c.oldCountAfter()
            : "rss went up by 1, since the zero page was not counted in it (R9.5)";
        return "the pte was read-only (" + Names.pteHex(c.pteBefore()) + "), so do_wp_page ran; it gave the task a fresh zeroed frame "
            + Names.pfn(Pte.pfn(c.pteAfter())) + " in place of the zero page " + Names.pfn(Pte.pfn(c.pteBefore())) + ", because "
            + rule + ": a write to the zero page always gets a new frame, whatever the counts, and the kernel "
            + (v26 ? "allocates it zeroed (alloc_zeroed_user_highpage)" : "clears it instead of copying (copy_cow_page)")
            + "; the pte now maps it writable (" + Names.pteHex(c.pteAfter()) + ") and " + after;
    }

    private static Step.PteChange change(Step s, int pid, int address) {
        for (Step.Fact f : s.facts()) {
            if (f instanceof Step.PteChange c && c.pid() == pid && ((c.va() ^ (address & 0xFFFFFFFFL)) & ~0xFFFL) == 0) return c;
        }
        return null;
    }

    private String flush(Step s, Event.TlbFlush f, Event next) {
        String what = f.pages() == 1 ? "invalidated one TLB entry (INVLPG)"
            : f.pages() < 0 ? "flushed its whole TLB (non-global entries)" : "flushed " + f.pages() + " TLB entries";
        String cpu = "CPU" + f.cpu() + " ";
        FlushReason r = f.reason();
        if (r == FlushReason.TASK_SWITCH) return null;                         // told with the switch
        if (r == FlushReason.REMOTE_SHOOTDOWN) return cpu + what + " in smp_invalidate_interrupt, on another CPU's request (R8.3)";
        String call = s.call();
        if (next instanceof Event.SchedProcessFork) {
            return cpu + what + ": dup_mmap ends with flush_tlb_mm(parent's mm), because the parent's ptes just lost RW and its TLB "
                + "may still hold them writable (R5.10, R8.6)";
        }
        if (r == FlushReason.LOCAL_SHOOTDOWN && k.mm().tlb.rangePolicy() != FlushRangePolicy.LINUX_2_4 && rangeCall(call)) {
            return cpu + (f.pages() > 0 ? "invalidated " + f.pages() + " TLB entr" + (f.pages() == 1 ? "y" : "ies") + ", one INVLPG per page"
                : "flushed its whole TLB once per page (no INVLPG on this CPU)") + ": the flush_tlb_range policy '"
                + k.mm().tlb.rangePolicy() + "' chose PER_PAGE for this range, where the kernel flushes the whole mm (extension point FlushRangePolicy, R8.8)";
        }
        if (r == FlushReason.LOCAL_SHOOTDOWN && f.pages() == 1) {
            return cpu + what + ": flush_tlb_page for the pte that just changed (R8.7)";
        }
        if (r == FlushReason.LOCAL_SHOOTDOWN && !k.config().cpu().hasInvlpg()) {
            return cpu + what + ": this CPU has no INVLPG, so a one-page flush reloads CR3 (R8.1)";
        }
        if (call.startsWith("execve") || call.startsWith("process")) {
            return cpu + what + ": exec tore down the old mappings (zap_page_range, then flush_tlb_range / flush_tlb_mm) (R10.1, R8.8)";
        }
        if (call.startsWith("munmap") || call.startsWith("mprotect") || call.startsWith("brk")) {
            return cpu + what + ": the mappings changed, so stale entries must go (flush_tlb_range, on SMP a whole-mm flush, R8.8)";
        }
        if (call.startsWith("exit")) return cpu + what + ": exit_mmap unmapped everything (tlb_finish_mmu, R11.2)";
        return cpu + what + " (" + r.name().toLowerCase() + ", R8.6)";
    }

    /** Calls whose flushes come from flush_tlb_range (change_protection, zap_page_range). */
    private static boolean rangeCall(String call) {
        return call.startsWith("munmap") || call.startsWith("mprotect") || call.startsWith("brk") || call.startsWith("exit")
            || call.startsWith("execve") || call.startsWith("process");
    }

    private String switchSentence(Event.SchedSwitch w) {
        String head = "CPU" + w.cpu() + " switched " + w.prevComm() + "[" + w.prevPid() + "] -> " + w.nextComm() + "[" + w.nextPid() + "]: ";
        if (w.cr3()) return head + "a different mm, so switch_mm loaded CR3 and the TLB's non-global entries were flushed (R7.10)";
        if (w.lazy()) {
            return head + "the next task is a kernel thread: it borrows the previous mm as active_mm (mm_count + 1) and enters "
                + "lazy TLB mode, no CR3 load (R7.6, R7.9)";
        }
        return head + "the same mm is already loaded, so no CR3 load (R7.11)";
    }
}
