package tasklab.kernel;

/**
 * Task states with their numeric values per version (LINUX-SPEC §1.2). 2.4 keeps the zombie in
 * {@code state}; 2.6 moved it to {@code exit_state} and uses TASK_DEAD in {@code state}.
 */
public final class TaskState {
    private TaskState() {}

    /** TASK_RUNNING (both). */ public static final int RUNNING = 0;
    /** TASK_INTERRUPTIBLE (both). */ public static final int INTERRUPTIBLE = 1;
    /** TASK_UNINTERRUPTIBLE (both). */ public static final int UNINTERRUPTIBLE = 2;
    /** 2.4 TASK_ZOMBIE. */ public static final int ZOMBIE_24 = 4;
    /** 2.4 TASK_STOPPED. */ public static final int STOPPED_24 = 8;
    /** 2.6 TASK_STOPPED. */ public static final int STOPPED_26 = 4;
    /** 2.6 TASK_TRACED. */ public static final int TRACED_26 = 8;
    /** 2.6 TASK_DEAD (state before the last schedule). */ public static final int DEAD_26 = 128;
    /** 2.6 exit_state EXIT_ZOMBIE. */ public static final int EXIT_ZOMBIE = 16;
    /** 2.6 exit_state EXIT_DEAD. */ public static final int EXIT_DEAD = 32;

    /** The one-letter code ps prints (R, S, D, Z, T, X). */
    public static String letter(Task t) {
        if (t.isZombie()) return "Z";
        if (t.exitState == EXIT_DEAD) return "X";
        return switch (t.state) {
            case RUNNING -> "R";
            case INTERRUPTIBLE -> "S";
            case UNINTERRUPTIBLE -> "D";
            default -> (t.state == DEAD_26 ? "X" : "T");
        };
    }

    /** The Linux name of a task's state, e.g. "TASK_UNINTERRUPTIBLE" or "EXIT_ZOMBIE". */
    public static String name(Task t) {
        if (t.kernel.version().is26() && t.exitState != 0) return t.exitState == EXIT_ZOMBIE ? "EXIT_ZOMBIE" : "EXIT_DEAD";
        return switch (t.state) {
            case RUNNING -> "TASK_RUNNING";
            case INTERRUPTIBLE -> "TASK_INTERRUPTIBLE";
            case UNINTERRUPTIBLE -> "TASK_UNINTERRUPTIBLE";
            case 4 -> t.kernel.version().is24() ? "TASK_ZOMBIE" : "TASK_STOPPED";
            case 8 -> t.kernel.version().is24() ? "TASK_STOPPED" : "TASK_TRACED";
            case DEAD_26 -> "TASK_DEAD";
            default -> "state " + t.state;
        };
    }
}
