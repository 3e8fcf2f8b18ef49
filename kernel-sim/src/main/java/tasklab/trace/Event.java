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

    /**
     * The event's fields as ftrace prints them after {@code name:} (without the leading space):
     * {@link #toString()} is the prefix, a space and this. The lab's trace table shows it.
     */
    String detail();

    /** Common ftrace-like prefix. */
    private static String head(Event e) {
        // the text of String.format("%12d cpu%d %s:") without its per-call Formatter (lab tables print a million of these)
        String t = Long.toString(e.time());
        StringBuilder sb = new StringBuilder(32 + e.name().length());
        for (int i = t.length(); i < 12; i++) sb.append(' ');
        return sb.append(t).append(" cpu").append(e.cpu()).append(' ').append(e.name()).append(':').toString();
    }

    /** The whole ftrace-like line: the prefix, a space, the detail. */
    private static String line(Event e) {
        return head(e) + ' ' + e.detail();
    }

    /** {@code v} as at least {@code digits} lowercase hex digits, zero-padded: String.format's %0Nx without a Formatter. */
    static String hex(long v, int digits) {
        String h = Long.toHexString(v);
        return h.length() >= digits ? h : "0".repeat(digits - h.length()) + h;
    }

    /** An int as %0Nx prints it: its 32 bits unsigned. */
    static String hex(int v, int digits) {
        return hex(v & 0xffffffffL, digits);
    }

    /** sched_switch: prev -> next; {@code cr3} whether a CR3 load happened, {@code lazy} whether next borrowed an mm. */
    record SchedSwitch(long time, int cpu, int prevPid, String prevComm, int prevState, int nextPid, String nextComm,
                       boolean cr3, boolean lazy, long cycles) implements Event {
        public String name() { return "sched_switch"; }
        public String detail() { return detail(prevPid, prevComm, prevState, nextPid, nextComm, cr3, lazy, cycles); }
        /** The detail from the fields (the trace's reader prints unbuilt events with it). */
        static String detail(int prevPid, String prevComm, int prevState, int nextPid, String nextComm, boolean cr3, boolean lazy, long cycles) {
            return "prev_comm=" + prevComm + " prev_pid=" + prevPid + " prev_state=" + prevState + " ==> next_comm=" + nextComm
                + " next_pid=" + nextPid + " cr3=" + (cr3 ? 1 : 0) + " lazy=" + (lazy ? 1 : 0) + " cycles=" + cycles;
        }
        @Override public String toString() { return line(this); }
    }

    /** switch_cost (no Linux tracepoint): a switch's direct cycles and the refill cycles spent until the CPU's next switch. */
    record SwitchCost(long time, int cpu, int prevPid, int nextPid, long direct, long refill) implements Event {
        public String name() { return "switch_cost"; }
        public String detail() { return detail(prevPid, nextPid, direct, refill); }
        /** The detail from the fields. */
        static String detail(int prevPid, int nextPid, long direct, long refill) {
            return "prev_pid=" + prevPid + " next_pid=" + nextPid + " direct=" + direct + " refill=" + refill;
        }
        @Override public String toString() { return line(this); }
    }

    /** sched_process_fork: a parent made a child with the given clone flags. */
    record SchedProcessFork(long time, int cpu, int parentPid, String parentComm, int childPid, int cloneFlags)
            implements Event {
        public String name() { return "sched_process_fork"; }
        public String detail() {
            return "comm=" + parentComm + " pid=" + parentPid + " child_pid=" + childPid + " flags=0x" + hex(cloneFlags, 8);
        }
        @Override public String toString() { return line(this); }
    }

    /** sched_process_exec: a task ran a new program. */
    record SchedProcessExec(long time, int cpu, int pid, String filename, boolean newMm) implements Event {
        public String name() { return "sched_process_exec"; }
        public String detail() { return "filename=" + filename + " pid=" + pid + " new_mm=" + (newMm ? 1 : 0); }
        @Override public String toString() { return line(this); }
    }

    /** sched_process_exit: a task called do_exit. */
    record SchedProcessExit(long time, int cpu, int pid, String comm, int exitCode) implements Event {
        public String name() { return "sched_process_exit"; }
        public String detail() { return "comm=" + comm + " pid=" + pid + " code=0x" + hex(exitCode, 4); }
        @Override public String toString() { return line(this); }
    }

    /** sched_process_free: a task's struct was released (reaped or self-reaped). */
    record SchedProcessFree(long time, int cpu, int pid, String comm) implements Event {
        public String name() { return "sched_process_free"; }
        public String detail() { return "comm=" + comm + " pid=" + pid; }
        @Override public String toString() { return line(this); }
    }

    /** sched_process_wait: a task entered wait4. */
    record SchedProcessWait(long time, int cpu, int pid, int waitPid) implements Event {
        public String name() { return "sched_process_wait"; }
        public String detail() { return "pid=" + pid + " wait_pid=" + waitPid; }
        @Override public String toString() { return line(this); }
    }

    /** sched_wakeup / sched_wakeup_new: a task became runnable. */
    record SchedWakeup(long time, int cpu, int pid, String comm, int targetCpu, boolean newTask) implements Event {
        public String name() { return newTask ? "sched_wakeup_new" : "sched_wakeup"; }
        public String detail() { return "comm=" + comm + " pid=" + pid + " target_cpu=" + targetCpu; }
        @Override public String toString() { return line(this); }
    }

    /** tlb_flush: a CPU flushed {@code pages} pages (-1 = all non-global) for a reason. */
    record TlbFlush(long time, int cpu, FlushReason reason, int pages) implements Event {
        public String name() { return "tlb_flush"; }
        public String detail() { return detail(reason, pages); }
        /** The detail from the fields. */
        static String detail(FlushReason reason, int pages) { return "pages:" + pages + " reason:" + reason; }
        @Override public String toString() { return line(this); }
    }

    /** ipi: one CPU sent an inter-processor interrupt to another. */
    record Ipi(long time, int cpu, int targetCpu, String vector) implements Event {
        public String name() { return "ipi"; }
        public String detail() { return "target_cpu=" + targetCpu + " vector=" + vector; }
        @Override public String toString() { return line(this); }
    }

    /** page_fault: a fault at {@code address} with the i386 error code, and how it ended. */
    record PageFault(long time, int cpu, int pid, int address, int errorCode, FaultKind kind) implements Event {
        public String name() { return "page_fault_user"; }
        public String detail() { return detail(pid, address, errorCode, kind); }
        /** The detail from the fields. */
        static String detail(int pid, int address, int errorCode, FaultKind kind) {
            return "pid=" + pid + " address=0x" + hex(address, 8) + " error_code=0x" + Integer.toHexString(errorCode) + " kind=" + kind;
        }
        @Override public String toString() { return line(this); }
    }

    /** mm_lifecycle: an mm_struct was allocated or freed (no Linux tracepoint; for teaching). */
    record MmLifecycle(long time, int cpu, int mmId, String what) implements Event {
        public String name() { return "mm_lifecycle"; }
        public String detail() { return "mm=" + mmId + " " + what; }
        @Override public String toString() { return line(this); }
    }

    /** signal_deliver: a signal's disposition ran in the task ({@code handler} = "SIG_DFL", "SIG_IGN" or "handler"). */
    record SignalDeliver(long time, int cpu, int pid, int sig, String handler) implements Event {
        public String name() { return "signal_deliver"; }
        public String detail() { return "pid=" + pid + " sig=" + sig + " sa_handler=" + handler; }
        @Override public String toString() { return line(this); }
    }

    /** orphaned_pgrp: an exit orphaned a process group with stopped members, which get SIGHUP and SIGCONT (no Linux tracepoint; for teaching). */
    record OrphanedPgrp(long time, int cpu, int pgrp, int members) implements Event {
        public String name() { return "orphaned_pgrp"; }
        public String detail() { return "pgrp=" + pgrp + " members=" + members; }
        @Override public String toString() { return line(this); }
    }

    /** futex_wake: mm_release cleared a CLONE_CHILD_CLEARTID word and woke its futex (no Linux tracepoint; for teaching). */
    record FutexWake(long time, int cpu, int pid, long uaddr, int woken) implements Event {
        public String name() { return "futex_wake"; }
        public String detail() { return "pid=" + pid + " uaddr=0x" + hex(uaddr, 8) + " woken=" + woken; }
        @Override public String toString() { return line(this); }
    }

    /** syscall_restart: a system call answered {@code ret} (-ERESTARTNOINTR ...) and the signal return path ran it again (no Linux tracepoint; for teaching). */
    record SyscallRestart(long time, int cpu, int pid, String call, int ret) implements Event {
        public String name() { return "syscall_restart"; }
        public String detail() { return "pid=" + pid + " call=" + call + " ret=" + ret; }
        @Override public String toString() { return line(this); }
    }
}
