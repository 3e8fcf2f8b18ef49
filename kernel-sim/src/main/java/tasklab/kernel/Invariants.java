package tasklab.kernel;

import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tasklab.machine.KernelBug;
import tasklab.machine.PhysMem;
import tasklab.machine.Pte;
import tasklab.mm.MmCore;
import tasklab.mm.MmStruct;
import tasklab.mm.TlbState;
import tasklab.mm.Vma;

/**
 * The invariants of LINUX-SPEC §13, checked over the whole kernel state; a violation fails with
 * "&lt;function&gt;: &lt;invariant&gt;" naming the operation after which it was found.
 */
final class Invariants {
    private final Kernel k;

    Invariants(Kernel k) { this.k = k; }

    private void fail(boolean bad, String function, String what) {
        if (bad) throw new KernelBug(function, what);
    }

    void check(String fn) {
        Set<Task> all = new LinkedHashSet<>(k.taskList);
        for (Task idle : k.idle) all.add(idle);
        Map<MmStruct, int[]> mms = new IdentityHashMap<>();      // mm -> {users, lazy holders}
        Map<Task, Task> listedUnder = new IdentityHashMap<>();   // child -> the task whose children list holds it
        for (Task t : all) {
            if (t.mm != null) mms.computeIfAbsent(t.mm, m -> new int[2])[0]++;
            if (t.mm == null && t.activeMm != null) mms.computeIfAbsent(t.activeMm, m -> new int[2])[1]++;
            // 3: active_mm rules
            if (t.mm != null) fail(t.activeMm != t.mm, fn, "task " + t + " has mm != active_mm (§13.3)");
            if (t.onCpu) fail(t.activeMm == null, fn, "running task " + t + " has no active_mm (§13.3)");
            if (!t.onCpu && t.mm == null) fail(t.activeMm != null, fn, "task " + t + " off-CPU with mm NULL keeps active_mm (§13.3)");
            // 4: no freed mm in use
            fail(t.activeMm != null && t.activeMm.freed(), fn, "task " + t + " uses freed mm#" + (t.activeMm == null ? 0 : t.activeMm.id()) + " (§13.4)");
            // 9: 2.4 counter bounds for nice-0 tasks
            if (k.version.is24() && t.nice == 0 && t.pid != 0) {
                fail(t.counter() < 0 || t.counter() > Sched24.MAX_COUNTER, fn, "task " + t + " counter " + t.counter() + " outside 0..20 (§13.9)");
            }
            // the family links (ptrace relinks p_pptr / parent): each child list entry points back (O(tasks) in all)
            for (Task c : t.children) {
                fail(c.parent != t, fn, "task " + c + " on " + t + "'s children list has parent " + c.parent);
                fail(listedUnder.put(c, t) != null, fn, "task " + c + " is on two children lists");
            }
            // 2.6: prio follows the policy (real time: MAX_RT_PRIO-1 - rt_priority; else static_prio)
            if (k.version.is26() && t.pid != 0 && !t.hasExited()) {
                fail(t.prio != SchedPolicy.normalPrio(t), fn, "task " + t + " prio " + t.prio + " != normal_prio " + SchedPolicy.normalPrio(t));
            }
            // runqueue bookkeeping
            if (t.pid != 0 && !t.hasExited()) {
                fail(t.state == TaskState.RUNNING && !t.onRunqueue, fn, "runnable task " + t + " is not on a runqueue");
                fail(t.state != TaskState.RUNNING && t.onRunqueue && !t.onCpu, fn, "sleeping task " + t + " is on a runqueue");
            }
        }
        for (Task t : k.taskList) {
            if (t.pid != 0 && t.parent != null) fail(listedUnder.get(t) != t.parent, fn, "task " + t + " is not on its parent " + t.parent + "'s children list");
        }
        for (Map.Entry<MmStruct, int[]> e : mms.entrySet()) {
            MmStruct m = e.getKey();
            if (m.isInitMm()) continue;
            // locked_vm: the pages of the VM_LOCKED vmas (mlock_fixup, do_mmap, do_munmap, exit_mmap keep it so)
            long locked = 0;
            for (Vma v : m.vmas()) if ((v.flags() & tasklab.mm.VmFlags.VM_LOCKED) != 0) locked += v.pages();
            fail(m.lockedVm() != locked, fn, "mm#" + m.id() + " locked_vm " + m.lockedVm() + " != " + locked + " pages in VM_LOCKED vmas");
            // 1 and 2
            fail(m.mmUsers() != e.getValue()[0], fn, "mm#" + m.id() + " mm_users " + m.mmUsers() + " != " + e.getValue()[0] + " tasks using it (§13.1)");
            int expected = (m.mmUsers() > 0 ? 1 : 0) + e.getValue()[1];
            fail(m.mmCount() != expected, fn, "mm#" + m.id() + " mm_count " + m.mmCount() + " != " + expected + " (§13.2)");
        }
        for (int c = 0; c < k.nrCpus(); c++) {
            Task cur = k.sched.current(c);
            fail(!cur.onCpu || cur.processor != c, fn, "cpu" + c + " current " + cur + " not marked running there");
            var pc = k.mm.perCpu(c);
            fail(pc.tlbActiveMm() != null && pc.tlbActiveMm().freed(), fn, "cpu" + c + " cpu_tlbstate.active_mm was freed (§13.4)");
            if (k.nrCpus() > 1 && pc.tlbState() != TlbState.BOOT) {
                MmStruct am = cur.activeMm;
                fail(pc.tlbActiveMm() != am, fn, "cpu" + c + " cpu_tlbstate.active_mm != current->active_mm");
                if (pc.tlbState() == TlbState.OK) {
                    fail((am.cpuVmMask() & (1 << c)) == 0, fn, "cpu" + c + " TLBSTATE_OK but bit clear in mm#" + am.id() + "'s cpu_vm_mask (§13.5)");
                } else if ((am.cpuVmMask() & (1 << c)) == 0) {
                    fail(k.machine.cpu(c).cr3() != MmCore.SWAPPER_PG_DIR_PFN, fn, "cpu" + c + " lazy with bit clear but CR3 is not swapper_pg_dir (§13.5)");
                }
            }
            if (cur.activeMm != null && (k.nrCpus() == 1 || pc.tlbState() != TlbState.LAZY || (cur.activeMm.cpuVmMask() & (1 << c)) != 0)) {
                fail(k.machine.cpu(c).cr3() != cur.activeMm.pgd(), fn, "cpu" + c + " CR3 is not current's active_mm pgd");
            }
        }
        checkPidUses(fn);
        checkPageCounts(fn, mms.keySet());
        fail(k.nrThreads != k.taskList.size() - 1, fn, "nr_threads " + k.nrThreads + " != tasks on the list " + (k.taskList.size() - 1));
    }

    /** 8: the pid map's use counts are exactly the pids, pgrps, sessions (and 2.4 tgids) of listed tasks. */
    private void checkPidUses(String fn) {
        int[] uses = new int[PidMap.PID_MAX];
        for (Task t : k.taskList) {
            if (t.pid == 0) continue;
            fail(k.pidHash[t.pid] != t, fn, "pid hash does not hold " + t);
            if (t.pid > 0) uses[t.pid]++;
            if (t.pgrp > 0) uses[t.pgrp]++;
            if (t.session > 0) uses[t.session]++;
            if (k.pids.tgidCounts() && t.tgid > 0) uses[t.tgid]++;
        }
        for (int v = 1; v < PidMap.PID_MAX; v++) {
            fail((uses[v] > 0) != k.pids.inUse(v), fn, "pid " + v + (uses[v] > 0 ? " in use but free in the pid map" : " free but marked in use") + " (§13.8)");
        }
    }

    /** 7: every counted user frame's mapcount is the number of ptes mapping it; private anonymous count == mapcount. */
    private void checkPageCounts(String fn, Set<MmStruct> mms) {
        PhysMem mem = k.machine.mem();
        Map<Integer, Integer> ptes = new java.util.HashMap<>();
        Set<Integer> shm = new java.util.HashSet<>();
        for (MmStruct m : mms) {
            if (m.isInitMm()) continue;
            for (Vma v : m.vmas()) {
                for (long a = v.start(); a < v.end(); a += Pte.PAGE_SIZE) {
                    int pte = k.mm.pageTables.pte(m, a);
                    if (!Pte.present(pte)) continue;
                    int pfn = Pte.pfn(pte);
                    if (mem.isReserved(pfn) && k.version.is24()) continue;
                    ptes.merge(pfn, 1, Integer::sum);
                    if (v.shm() != null) shm.add(pfn);
                }
            }
        }
        for (Map.Entry<Integer, Integer> e : ptes.entrySet()) {
            int pfn = e.getKey();
            fail(mem.mapcount(pfn) != e.getValue(), fn, "frame " + pfn + " mapcount " + mem.mapcount(pfn) + " != " + e.getValue() + " ptes (§13.7)");
            if (!mem.isReserved(pfn) && !shm.contains(pfn)) {
                fail(mem.count(pfn) != e.getValue(), fn, "private frame " + pfn + " page_count " + mem.count(pfn) + " != " + e.getValue() + " mapping ptes (§13.7)");
            }
        }
    }
}
