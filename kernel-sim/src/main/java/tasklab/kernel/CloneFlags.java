package tasklab.kernel;

import java.util.ArrayList;
import java.util.List;

/** Clone flags and the flag words the syscall wrappers pass. Linux: include/linux/sched.h (LINUX-SPEC §1.1). */
public final class CloneFlags {
    private CloneFlags() {}

    /** CSIGNAL: the exit signal mask. */ public static final int CSIGNAL = 0x000000ff;
    /** CLONE_VM. */ public static final int CLONE_VM = 0x00000100;
    /** CLONE_FS. */ public static final int CLONE_FS = 0x00000200;
    /** CLONE_FILES. */ public static final int CLONE_FILES = 0x00000400;
    /** CLONE_SIGHAND. */ public static final int CLONE_SIGHAND = 0x00000800;
    /** CLONE_PID (2.4 only; only pid 0 may use it). */ public static final int CLONE_PID = 0x00001000;
    /** CLONE_PTRACE. */ public static final int CLONE_PTRACE = 0x00002000;
    /** CLONE_VFORK. */ public static final int CLONE_VFORK = 0x00004000;
    /** CLONE_PARENT. */ public static final int CLONE_PARENT = 0x00008000;
    /** CLONE_THREAD. */ public static final int CLONE_THREAD = 0x00010000;
    /** CLONE_NEWNS. */ public static final int CLONE_NEWNS = 0x00020000;
    /** CLONE_SIGNAL = CLONE_SIGHAND | CLONE_THREAD (2.4 macro). */ public static final int CLONE_SIGNAL = 0x00010800;
    /** CLONE_SYSVSEM (2.6). */ public static final int CLONE_SYSVSEM = 0x00040000;
    /** CLONE_SETTLS (2.6). */ public static final int CLONE_SETTLS = 0x00080000;
    /** CLONE_PARENT_SETTID (2.6). */ public static final int CLONE_PARENT_SETTID = 0x00100000;
    /** CLONE_CHILD_CLEARTID (2.6). */ public static final int CLONE_CHILD_CLEARTID = 0x00200000;
    /** CLONE_DETACHED (2.6, unused). */ public static final int CLONE_DETACHED = 0x00400000;
    /** CLONE_UNTRACED (2.6; kernel_thread always adds it). */ public static final int CLONE_UNTRACED = 0x00800000;
    /** CLONE_CHILD_SETTID (2.6). */ public static final int CLONE_CHILD_SETTID = 0x01000000;
    /** CLONE_STOPPED (2.6). */ public static final int CLONE_STOPPED = 0x02000000;
    /** CLONE_NEWUTS (2.6). */ public static final int CLONE_NEWUTS = 0x04000000;
    /** CLONE_NEWIPC (2.6). */ public static final int CLONE_NEWIPC = 0x08000000;
    /** CLONE_KERNEL = CLONE_FS | CLONE_FILES | CLONE_SIGHAND (2.6 macro). */ public static final int CLONE_KERNEL = 0x00000e00;

    /** SIGCHLD, the usual exit signal. */ public static final int SIGCHLD = 17;
    /** sys_fork: do_fork(SIGCHLD). */ public static final int FORK = SIGCHLD;                                  // 0x11
    /** sys_vfork: do_fork(CLONE_VFORK | CLONE_VM | SIGCHLD). */ public static final int VFORK = CLONE_VFORK | CLONE_VM | SIGCHLD; // 0x4111

    private static final String[] NAMES = {
        "CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_PID", "CLONE_PTRACE", "CLONE_VFORK",
        "CLONE_PARENT", "CLONE_THREAD", "CLONE_NEWNS", "CLONE_SYSVSEM", "CLONE_SETTLS", "CLONE_PARENT_SETTID",
        "CLONE_CHILD_CLEARTID", "CLONE_DETACHED", "CLONE_UNTRACED", "CLONE_CHILD_SETTID", "CLONE_STOPPED",
        "CLONE_NEWUTS", "CLONE_NEWIPC",
    };

    /** "CLONE_VM|CLONE_VFORK|SIGCHLD"-style text for a flag word. */
    public static String describe(int flags) {
        List<String> parts = new ArrayList<>();
        for (int bit = 8; bit < 28; bit++) {
            if ((flags & (1 << bit)) != 0) parts.add(NAMES[bit - 8]);
        }
        int sig = flags & CSIGNAL;
        if (sig == SIGCHLD) parts.add("SIGCHLD");
        else if (sig != 0) parts.add("signal " + sig);
        return parts.isEmpty() ? "0" : String.join("|", parts);
    }
}
