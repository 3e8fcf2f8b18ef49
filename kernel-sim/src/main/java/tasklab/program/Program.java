package tasklab.program;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic program a simulated task runs: an immutable list of {@link Op}s. Build one
 * with {@link #builder()}: {@code Program.builder().mmap(64 << 10).loop(100, b -> b.touchMapped(64 << 10, 4096, true).yield()).exit(0).build()}.
 */
public final class Program {
    private final List<Op> ops;

    private Program(List<Op> ops) { this.ops = List.copyOf(ops); }

    /** The steps. */
    public List<Op> ops() { return ops; }
    /** Number of top-level steps. */
    public int size() { return ops.size(); }
    /** A builder. */
    public static Builder builder() { return new Builder(); }
    /** A program of the given steps. */
    public static Program of(Op... ops) { return new Program(List.of(ops)); }

    @Override public String toString() { return ops.toString(); }

    /** Builds programs step by step. */
    public static final class Builder {
        private final List<Op> ops = new ArrayList<>();

        /** Reads one byte. */ public Builder read(long addr) { ops.add(new Op.Read(addr)); return this; }
        /** Writes one byte. */ public Builder write(long addr, int value) { ops.add(new Op.Write(addr, value)); return this; }
        /** Touches an absolute range with a stride (writes if {@code write}). */
        public Builder touch(long base, long bytes, int stride, boolean write) { ops.add(new Op.Touch(base, bytes, stride, write, false)); return this; }
        /** Touches the first {@code bytes} of the last mmap'd area. */
        public Builder touchMapped(long bytes, int stride, boolean write) { ops.add(new Op.Touch(0, bytes, stride, write, true)); return this; }
        /** Computes for a number of cycles. */ public Builder compute(long cycles) { ops.add(new Op.Compute(cycles)); return this; }
        /** sched_yield(). */ public Builder yield() { ops.add(new Op.Yield()); return this; }
        /** Sleeps some ticks. */ public Builder sleep(int ticks) { ops.add(new Op.Sleep(ticks)); return this; }
        /** Sleeps until woken. */ public Builder pause() { ops.add(new Op.Pause()); return this; }
        /** Wakes the task whose pid is in a register. */ public Builder wakeReg(int reg) { ops.add(new Op.WakeReg(reg)); return this; }
        /** fork(): the child runs {@code child}. */ public Builder fork(Program child) { ops.add(new Op.Fork(child)); return this; }
        /** fork(): both continue; the child sees 0. */ public Builder fork() { ops.add(new Op.Fork(null)); return this; }
        /** vfork(): the child runs {@code child}. */ public Builder vfork(Program child) { ops.add(new Op.Vfork(child)); return this; }
        /** clone(flags): the child runs {@code child}. */ public Builder clone(int flags, Program child) { ops.add(new Op.Clone(flags, child)); return this; }
        /** execve(path). */ public Builder exec(String path) { ops.add(new Op.Exec(path)); return this; }
        /** exit(code). */ public Builder exit(int code) { ops.add(new Op.Exit(code)); return this; }
        /** wait4(-1, 0). */ public Builder waitAny() { ops.add(new Op.Wait(-1, 0)); return this; }
        /** wait4(pid, options). */ public Builder waitFor(int pid, int options) { ops.add(new Op.Wait(pid, options)); return this; }
        /** mmap anonymous memory. */ public Builder mmap(long bytes) { ops.add(new Op.Mmap(bytes)); return this; }
        /** read(2) of 4 bytes from a pipe made by {@code Kernel.pipe()}: sleeps while it is empty. */
        public Builder pipeRead(int pipe) { ops.add(new Op.PipeRead(pipe)); return this; }
        /** write(2) of 4 bytes into a pipe made by {@code Kernel.pipe()}: wakes its readers. */
        public Builder pipeWrite(int pipe) { ops.add(new Op.PipeWrite(pipe)); return this; }
        /** Saves the last result into a register. */ public Builder save(int reg) { ops.add(new Op.Save(reg)); return this; }
        /** Repeats a body. */
        public Builder loop(int times, java.util.function.Consumer<Builder> body) {
            Builder b = new Builder();
            body.accept(b);
            ops.add(new Op.Loop(times, b.build()));
            return this;
        }
        /** The program. */ public Program build() { return new Program(ops); }
    }
}
