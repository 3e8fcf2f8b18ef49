package tasklab.trace;

/**
 * One trace event, named after the Linux tracepoint it mirrors. {@code time} is the acting CPU's
 * cycle count. {@link #toString()} prints an ftrace-like line; traces compare byte for byte.
 */
public sealed interface Event {
    /** Cycle count on the acting CPU. */
    long time();
    /** The acting CPU. */
    int cpu();
    /** The tracepoint name. */
    String name();

    /** Common ftrace-like prefix. */
    private static String head(Event e) {
        // the text of String.format("%12d cpu%d %s:") without its per-call Formatter (lab tables print a million of these)
        String t = Long.toString(e.time());
        StringBuilder sb = new StringBuilder(32 + e.name().length());
        for (int i = t.length(); i < 12; i++) sb.append(' ');
        return sb.append(t).append(" cpu").append(e.cpu()).append(' ').append(e.name()).append(':').toString();
    }

    /** sched_switch: prev -> next; {@code cr3} whether a CR3 load happened, {@code lazy} whether next borrowed an mm. */
    record SchedSwitch(long time, int cpu, int prevPid, String prevComm, int prevState, int nextPid, String nextComm,
                       boolean cr3, boolean lazy, long cycles) implements Event {
        public String name() { return "sched_switch"; }
        @Override public String toString() {
            return head(this) + " prev_comm=" + prevComm + " prev_pid=" + prevPid + " prev_state=" + prevState
                + " ==> next_comm=" + nextComm + " next_pid=" + nextPid + " cr3=" + (cr3 ? 1 : 0)
                + " lazy=" + (lazy ? 1 : 0) + " cycles=" + cycles;
        }
    }

    /** switch_cost (no Linux tracepoint): a switch's direct cycles and the refill cycles spent until the CPU's next switch. */
    record SwitchCost(long time, int cpu, int prevPid, int nextPid, long direct, long refill) implements Event {
        public String name() { return "switch_cost"; }
        @Override public String toString() {
            return head(this) + " prev_pid=" + prevPid + " next_pid=" + nextPid + " direct=" + direct + " refill=" + refill;
        }
    }

    /** sched_process_fork: a parent made a child with the given clone flags. */
    record SchedProcessFork(long time, int cpu, int parentPid, String parentComm, int childPid, int cloneFlags)
            implements Event {
        public String name() { return "sched_process_fork"; }
        @Override public String toString() {
            return head(this) + " comm=" + parentComm + " pid=" + parentPid + " child_pid=" + childPid
                + String.format(" flags=0x%08x", cloneFlags);
        }
    }

    /** sched_process_exec: a task ran a new program. */
    record SchedProcessExec(long time, int cpu, int pid, String filename, boolean newMm) implements Event {
        public String name() { return "sched_process_exec"; }
        @Override public String toString() {
            return head(this) + " filename=" + filename + " pid=" + pid + " new_mm=" + (newMm ? 1 : 0);
        }
    }

    /** sched_process_exit: a task called do_exit. */
    record SchedProcessExit(long time, int cpu, int pid, String comm, int exitCode) implements Event {
        public String name() { return "sched_process_exit"; }
        @Override public String toString() {
            return head(this) + " comm=" + comm + " pid=" + pid + String.format(" code=0x%04x", exitCode);
        }
    }

    /** sched_process_free: a task's struct was released (reaped or self-reaped). */
    record SchedProcessFree(long time, int cpu, int pid, String comm) implements Event {
        public String name() { return "sched_process_free"; }
        @Override public String toString() { return head(this) + " comm=" + comm + " pid=" + pid; }
    }

    /** sched_process_wait: a task entered wait4. */
    record SchedProcessWait(long time, int cpu, int pid, int waitPid) implements Event {
        public String name() { return "sched_process_wait"; }
        @Override public String toString() { return head(this) + " pid=" + pid + " wait_pid=" + waitPid; }
    }

    /** sched_wakeup / sched_wakeup_new: a task became runnable. */
    record SchedWakeup(long time, int cpu, int pid, String comm, int targetCpu, boolean newTask) implements Event {
        public String name() { return newTask ? "sched_wakeup_new" : "sched_wakeup"; }
        @Override public String toString() {
            return head(this) + " comm=" + comm + " pid=" + pid + " target_cpu=" + targetCpu;
        }
    }

    /** tlb_flush: a CPU flushed {@code pages} pages (-1 = all non-global) for a reason. */
    record TlbFlush(long time, int cpu, FlushReason reason, int pages) implements Event {
        public String name() { return "tlb_flush"; }
        @Override public String toString() { return head(this) + " pages:" + pages + " reason:" + reason; }
    }

    /** ipi: one CPU sent an inter-processor interrupt to another. */
    record Ipi(long time, int cpu, int targetCpu, String vector) implements Event {
        public String name() { return "ipi"; }
        @Override public String toString() { return head(this) + " target_cpu=" + targetCpu + " vector=" + vector; }
    }

    /** page_fault: a fault at {@code address} with the i386 error code, and how it ended. */
    record PageFault(long time, int cpu, int pid, int address, int errorCode, FaultKind kind) implements Event {
        public String name() { return "page_fault_user"; }
        @Override public String toString() {
            return head(this) + " pid=" + pid + String.format(" address=0x%08x error_code=0x%x", address, errorCode)
                + " kind=" + kind;
        }
    }

    /** mm_lifecycle: an mm_struct was allocated or freed (no Linux tracepoint; for teaching). */
    record MmLifecycle(long time, int cpu, int mmId, String what) implements Event {
        public String name() { return "mm_lifecycle"; }
        @Override public String toString() { return head(this) + " mm=" + mmId + " " + what; }
    }

    /** signal_deliver: a signal's disposition ran in the task ({@code handler} = "SIG_DFL", "SIG_IGN" or "handler"). */
    record SignalDeliver(long time, int cpu, int pid, int sig, String handler) implements Event {
        public String name() { return "signal_deliver"; }
        @Override public String toString() { return head(this) + " pid=" + pid + " sig=" + sig + " sa_handler=" + handler; }
    }

    /** orphaned_pgrp: an exit orphaned a process group with stopped members, which get SIGHUP and SIGCONT (no Linux tracepoint; for teaching). */
    record OrphanedPgrp(long time, int cpu, int pgrp, int members) implements Event {
        public String name() { return "orphaned_pgrp"; }
        @Override public String toString() { return head(this) + " pgrp=" + pgrp + " members=" + members; }
    }

    /** futex_wake: mm_release cleared a CLONE_CHILD_CLEARTID word and woke its futex (no Linux tracepoint; for teaching). */
    record FutexWake(long time, int cpu, int pid, long uaddr, int woken) implements Event {
        public String name() { return "futex_wake"; }
        @Override public String toString() { return head(this) + String.format(" pid=%d uaddr=0x%08x woken=%d", pid, uaddr, woken); }
    }

    /** syscall_restart: a system call answered {@code ret} (-ERESTARTNOINTR ...) and the signal return path ran it again (no Linux tracepoint; for teaching). */
    record SyscallRestart(long time, int cpu, int pid, String call, int ret) implements Event {
        public String name() { return "syscall_restart"; }
        @Override public String toString() { return head(this) + " pid=" + pid + " call=" + call + " ret=" + ret; }
    }
}
