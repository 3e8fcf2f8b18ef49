package tasklab.kernel;

/**
 * Scheduling policies and priorities: the SCHED_* values, the real-time priority range and the
 * 2.6 priority a policy gives. Linux: include/linux/sched.h (SCHED_*, MAX_RT_PRIO),
 * kernel/sched.c normal_prio() (2.6).
 */
public final class SchedPolicy {
    private SchedPolicy() {}

    /** SCHED_OTHER (2.6 SCHED_NORMAL): time-sharing. */ public static final int SCHED_OTHER = 0;
    /** SCHED_FIFO: real time, runs until it blocks or yields. */ public static final int SCHED_FIFO = 1;
    /** SCHED_RR: real time with a round-robin quantum. */ public static final int SCHED_RR = 2;
    /** SCHED_BATCH (2.6 only): time-sharing treated as a CPU hog. */ public static final int SCHED_BATCH = 3;
    /** MAX_RT_PRIO / MAX_USER_RT_PRIO: rt_priority is 1..99. */ public static final int MAX_RT_PRIO = 100;

    /** PRIO_PROCESS, PRIO_PGRP, PRIO_USER: the {@code which} of setpriority. Linux: include/linux/resource.h. */
    public static final int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

    /** Whether a policy is real time (SCHED_FIFO or SCHED_RR). Linux: kernel/sched.c is_rt_policy(). */
    public static boolean isRt(int policy) { return policy == SCHED_FIFO || policy == SCHED_RR; }

    /** 2.6 normal_prio(p): MAX_RT_PRIO-1 - rt_priority for real time, else static_prio (no sleep_avg bonus here). */
    static int normalPrio(Task p) { return isRt(p.policy) ? MAX_RT_PRIO - 1 - p.rtPriority : p.staticPrio; }

    /** The policy's name, e.g. "SCHED_FIFO". */
    public static String name(int policy) {
        return switch (policy) {
            case SCHED_OTHER -> "SCHED_OTHER"; case SCHED_FIFO -> "SCHED_FIFO"; case SCHED_RR -> "SCHED_RR";
            case SCHED_BATCH -> "SCHED_BATCH"; default -> "policy " + policy;
        };
    }
}
