package tasklab.kernel;

import tasklab.machine.KernelBug;
import java.util.ArrayList;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;
import tasklab.mm.VmFlags;
import tasklab.trace.Counter;
import tasklab.trace.Event;

/**
 * execve: the new address space (2.4 reuses the mm when it is the only user, 2.6 always builds a
 * new one), mm_release for a vfork parent, de_thread, handlers reset, and the program's layout.
 * Linux: fs/exec.c do_execve(), flush_old_exec(), exec_mmap(), de_thread() (LINUX-SPEC §10).
 */
final class Exec {
    /** The stack: 8 KiB below TASK_SIZE, growing down. */
    static final long STACK_TOP = 0xC0000000L;
    static final long STACK_SIZE = 2 * Pte.PAGE_SIZE;

    private final Kernel k;

    Exec(Kernel k) { this.k = k; }

    /** do_execve(path) run by t: 0 or -errno. */
    int doExecve(Task t, String path) {
        if (path == null) return Errno.EFAULT.neg();
        Binary bin = k.binaries.get(path);
        if (bin == null) return Errno.ENOENT.neg();
        int cpu = k.sched.runAs(t);
        MmStruct newMm = null;
        if (k.version.is26()) {                                    // bprm_mm_init: before the point of no return
            newMm = k.mm.refs.mmAlloc(cpu);
            if (newMm == null) return Errno.ENOMEM.neg();
        }
        MmStruct before = t.mm;
        int r = k.version.is24() ? execMmap24(t, cpu) : execMmap26(t, newMm, cpu);
        if (r != 0) return r;
        deThread(t, cpu);
        if (t.sighand.count > 1) {                                 // make_private_signals / unshare sighand
            t.sighand.count--;
            t.sighand = t.sighand.copy(k.sharedId());
        }
        if (t.files.count > 1) {                                   // unshare_files
            t.files.count--;
            t.files = t.files.copy(k.sharedId());
        }
        t.selfExecId++;
        t.tlsBase = null;                                          // flush_thread: memset(thread.tls_array, 0)
        for (int sig = 1; sig <= Signals.NSIG; sig++) {            // flush_signal_handlers: caught -> SIG_DFL
            int h = t.sighand.handler(sig);
            if (h != Signals.SIG_IGN && h != Signals.SIG_DFL) t.sighand.setHandler(sig, Signals.SIG_DFL);   // an unchanged entry is not written (Shared copies on write)
        }
        t.setComm(bin.comm());
        t.flags &= ~Task.PF_FORKNOEXEC;
        t.didExec = true;
        t.execPath = path;
        t.threadFn = null;
        setupLayout(t.mm, bin, path, cpu);
        k.counters.inc(cpu, Counter.EXEC);
        if (k.trace.enabled()) k.trace.record(new Event.SchedProcessExec(k.machine.cpu(cpu).cycles(), cpu, t.pid, path, t.mm != before));
        if (t.onCpu) k.sched.retFromSysCall(t.processor);
        return 0;
    }

    /** 2.4 exec_mmap (R10.1): reuse a single-user mm; else a new one, activate_mm, mm_release, then drop the old. */
    private int execMmap24(Task t, int cpu) {
        MmStruct old = t.mm;
        if (old != null && old.mmUsers() == 1) {                   // T10
            k.exit.mmRelease(t, cpu);
            k.mm.mmap.exitMmap(cpu, old);
            return 0;
        }
        MmStruct mm = k.mm.refs.mmAlloc(cpu);
        if (mm == null) return Errno.ENOMEM.neg();
        MmStruct active = t.activeMm;
        t.mm = mm;
        t.activeMm = mm;
        k.mm.mmuContext.activateMm(cpu, active, mm);
        k.exit.mmRelease(t, cpu);
        if (old != null) {                                         // T11
            if (active != old) throw new KernelBug("exec_mmap", "active_mm != old_mm");
            k.mm.refs.mmput(cpu, old);
        } else {                                                   // T12: a kernel thread drops its borrowed mm
            k.mm.refs.mmdrop(cpu, active);
        }
        return 0;
    }

    /** 2.6 exec_mmap (R10.3): mm_release first, then always the new mm. */
    private int execMmap26(Task t, MmStruct mm, int cpu) {
        MmStruct old = t.mm;
        k.exit.mmRelease(t, cpu);
        MmStruct active = t.activeMm;
        t.mm = mm;
        t.activeMm = mm;
        k.mm.mmuContext.activateMm(cpu, active, mm);
        if (old != null) k.mm.refs.mmput(cpu, old);
        else k.mm.refs.mmdrop(cpu, active);
        return 0;
    }

    /** de_thread: 2.4 leaves the thread group (tgid = pid); 2.6 kills the other threads and takes the leader's pid. */
    private void deThread(Task t, int cpu) {
        if (k.version.is24()) {
            if (t.threadGroup.size() > 1) {
                t.threadGroup.remove(t);
                t.threadGroup = new ArrayList<>(java.util.List.of(t));
            }
            t.groupLeader = t;
            k.setTgid(t, t.pid);
            return;
        }
        for (Task other : new ArrayList<>(t.threadGroup)) {        // zap_other_threads
            if (other != t) k.exit.zapThread(other, cpu);
            if (!t.onCpu) k.sched.runAs(t);
        }
        Task leader = t.groupLeader;
        if (leader != t) {                                          // take over the leader's pid (transfer_pid)
            int leaderPid = leader.pid;
            int myPid = t.pid;
            k.pidHash[leaderPid] = t;
            k.pidHash[myPid] = leader;
            if (leader.runList != 0) throw new tasklab.machine.KernelBug("de_thread", "the old leader " + leader + " is still queued");
            leader.pid = myPid;
            t.pid = leaderPid;
            if (t.runList != 0) k.runLists.get(t.runList - 1).renumber(t, myPid);
            t.tgid = leaderPid;
            t.groupLeader = t;
            t.exitSignal = Signals.SIGCHLD;
            if (leader.exitState == TaskState.EXIT_ZOMBIE) {
                leader.exitState = TaskState.EXIT_DEAD;
                k.exit.releaseTask(leader, cpu);
            }
        }
        t.threadGroup.removeIf(x -> x != t);
    }

    /** The ELF loader's layout: text (r-x), data + bss (rw-), brk after it, the stack with the argument page. */
    private void setupLayout(MmStruct mm, Binary bin, String path, int cpu) {
        int priv = VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS | VmFlags.MAP_FIXED;
        long text = Binary.TEXT_START;
        long textEnd = text + (long) bin.textPages() * Pte.PAGE_SIZE;
        k.mm.mmap.doMmap(cpu, mm, text, textEnd - text, VmFlags.PROT_READ | VmFlags.PROT_EXEC, priv);
        long dataEnd = textEnd + (long) (bin.dataPages() + bin.bssPages()) * Pte.PAGE_SIZE;
        if (dataEnd > textEnd) {
            k.mm.mmap.doMmap(cpu, mm, textEnd, dataEnd - textEnd, VmFlags.PROT_READ | VmFlags.PROT_WRITE, priv);
        }
        mm.setBrk(dataEnd, dataEnd);
        k.mm.mmap.mapStack(cpu, mm, STACK_TOP - STACK_SIZE, STACK_SIZE);
        byte[] args = (path + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        k.mm.memory.putDirtyPage(cpu, mm, STACK_TOP - Pte.PAGE_SIZE, args);
    }
}
