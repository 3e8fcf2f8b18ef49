package tasklab.kernel;

/**
 * Pid allocation. 2.4 get_pid(): the next value after last_pid not used by any task as pid,
 * pgrp, tgid or session, wrapping to 300 above 32767. 2.6 alloc_pidmap(): the first clear bit
 * after last_pid in a bitmap whose bits stay set while a task, process group or session uses the
 * value, wrapping to RESERVED_PIDS (300). Both keep one use count per value so a check is O(1).
 * Linux: kernel/fork.c get_pid() (2.4), kernel/pid.c alloc_pidmap() (2.6). (R4.1-R4.4)
 */
public final class PidMap {
    /** PID_MAX: pids are below 32768. */ public static final int PID_MAX = 0x8000;
    /** RESERVED_PIDS: where allocation restarts after a wrap. */ public static final int RESERVED_PIDS = 300;

    private final boolean v24;
    private final int[] uses = new int[PID_MAX];
    private int lastPid;

    PidMap(KernelVersion version) {
        this.v24 = version.is24();
        uses[0] = 1;          // 2.6: "Reserve PID 0. We never call free_pidmap(0)"; 2.4: pid 0 is the idle task
    }

    /** last_pid. */ public int lastPid() { return lastPid; }

    /** Sets last_pid, as writing /proc/sys/kernel/ns_last_pid does on later kernels: for wrap-around experiments. */
    public void setLastPid(int v) {
        if (v < 0 || v >= PID_MAX) throw new IllegalArgumentException("last_pid must be 0.." + (PID_MAX - 1) + ", got " + v);
        lastPid = v;
    }
    /** Whether a value is in use (as pid, pgrp, session, and on 2.4 tgid). */ public boolean inUse(int v) { return uses[v] > 0; }

    /** Allocates the next pid, or 0 when none is free (the caller fails with -EAGAIN). */
    int alloc() {
        int start = lastPid;
        int pid = lastPid + 1;
        if (pid >= PID_MAX) pid = RESERVED_PIDS;
        int first = pid;
        boolean wrapped = false;
        while (uses[pid] > 0) {
            pid++;
            if (pid >= PID_MAX) {
                // A second wrap means every value from RESERVED_PIDS up was tried (2.6's second pass of
                // alloc_pidmap). Started below 300, the scan never meets its start again: 2.4's get_pid
                // would spin forever under tasklist_lock; the simulator reports "no pid" instead.
                if (wrapped) return 0;
                wrapped = true;
                pid = RESERVED_PIDS;
            }
            if (pid == first) return 0;
            if (v24 && pid == start) return 0;   // get_pid: "if (last_pid == beginpid) goto nomorepids", unchecked
        }
        lastPid = pid;
        if (!v24) uses[pid]++;        // 2.6: the bit is set by alloc_pidmap itself
        return pid == 0 ? 0 : pid;
    }

    /** A task took a value in a role that blocks reuse. */
    void get(int v) { if (v > 0 && v < PID_MAX) uses[v]++; }

    /** A task gave a value up. */
    void put(int v) {
        if (v > 0 && v < PID_MAX) {
            if (uses[v] <= 0) throw new tasklab.machine.KernelBug("free_pidmap", "pid " + v + " freed twice");
            uses[v]--;
        }
    }

    /** Whether tgid counts as a use (2.4 get_pid checks it; in 2.6 a tgid is always a live leader's pid). */
    boolean tgidCounts() { return v24; }
}
