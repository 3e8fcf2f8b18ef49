package tasklab.program;

/**
 * One step of a simulated program. Programs are data: the kernel's interpreter runs them a step
 * at a time on the task's CPU, so memory accesses go through the TLB and caches, system calls
 * through the kernel, and every step costs simulated cycles.
 */
public sealed interface Op {
    /** A user-mode read of one byte at an absolute address. */
    record Read(long addr) implements Op { }
    /** A user-mode write of one byte. */
    record Write(long addr, int value) implements Op { }
    /** Touches {@code bytes} from {@code base} (absolute, or relative to the last mmap when {@code relative}) every {@code stride} bytes. */
    record Touch(long base, long bytes, int stride, boolean write, boolean relative) implements Op {
        /** Validates the range. */
        public Touch {
            if (bytes < 0 || stride <= 0) throw new IllegalArgumentException("touch needs bytes >= 0 and stride > 0");
        }
    }
    /** Computes for {@code cycles} without touching memory. */
    record Compute(long cycles) implements Op {
        /** Validates. */
        public Compute { if (cycles < 0) throw new IllegalArgumentException("compute cycles must be >= 0"); }
    }
    /** sched_yield(). */
    record Yield() implements Op { }
    /** Sleeps {@code ticks} timer ticks (schedule_timeout in TASK_INTERRUPTIBLE). */
    record Sleep(int ticks) implements Op {
        /** Validates. */
        public Sleep { if (ticks < 0) throw new IllegalArgumentException("sleep ticks must be >= 0"); }
    }
    /** Sleeps until another task wakes it (pause()). */
    record Pause() implements Op { }
    /** Wakes the task whose pid is in register {@code reg} (a futex-wake stand-in). */
    record WakeReg(int reg) implements Op { }
    /** fork(); the child runs {@code child}, or (null) continues after this op with result 0. The pid goes to register 0. */
    record Fork(Program child) implements Op { }
    /** vfork(); the child runs {@code child} (which should exec or exit). */
    record Vfork(Program child) implements Op { }
    /** clone(flags); the child runs {@code child}. */
    record Clone(int flags, Program child) implements Op { }
    /** execve(path). */
    record Exec(String path) implements Op { }
    /** exit(code). */
    record Exit(int code) implements Op { }
    /** wait4(pid, options): blocks until a child is reaped (pid -1: any). */
    record Wait(int pid, int options) implements Op { }
    /** mmap of anonymous private read-write memory; its address goes to the mmap register. */
    record Mmap(long bytes) implements Op { }
    /** Repeats {@code body} {@code times} times. */
    record Loop(int times, Program body) implements Op {
        /** Validates. */
        public Loop { if (times < 0) throw new IllegalArgumentException("loop count must be >= 0"); }
    }
    /** Reads 4 bytes from pipe number {@code pipe} (from {@code Kernel.pipe()}); sleeps while the pipe is empty. */
    record PipeRead(int pipe) implements Op {
        /** Validates. */
        public PipeRead { if (pipe < 0) throw new IllegalArgumentException("pipe number must be >= 0, got " + pipe); }
    }
    /** Writes 4 bytes into pipe number {@code pipe}, waking its sleeping readers. */
    record PipeWrite(int pipe) implements Op {
        /** Validates. */
        public PipeWrite { if (pipe < 0) throw new IllegalArgumentException("pipe number must be >= 0, got " + pipe); }
    }
    /** Copies register 0 (the last result) into register {@code reg}. */
    record Save(int reg) implements Op { }
}
