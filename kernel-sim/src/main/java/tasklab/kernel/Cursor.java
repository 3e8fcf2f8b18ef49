package tasklab.kernel;

import java.util.ArrayList;
import java.util.List;
import tasklab.program.Op;
import tasklab.program.Program;

/** Where a task is in its program: a stack of (program, pc, loop count left), the registers, and progress within a touch. */
final class Cursor {
    static final int REGS = 8;

    private static final class Frame {
        final Program program;
        int pc;
        int loopsLeft;
        Frame(Program program, int loopsLeft) { this.program = program; this.loopsLeft = loopsLeft; }
        Frame copy() { Frame f = new Frame(program, loopsLeft); f.pc = pc; return f; }
    }

    private final List<Frame> stack = new ArrayList<>();
    final long[] regs = new long[REGS];
    long mmapAddr;
    long touchDone;          // bytes of the current Touch already done
    boolean inKernel;        // asleep inside a system call (a pipe read): the retry pays no second entry

    Cursor(Program p) { stack.add(new Frame(p, 0)); }

    private Cursor() { }

    /** A copy for a forked child that continues where the parent is. */
    Cursor copy() {
        Cursor c = new Cursor();
        for (Frame f : stack) c.stack.add(f.copy());
        System.arraycopy(regs, 0, c.regs, 0, REGS);
        c.mmapAddr = mmapAddr;
        c.touchDone = touchDone;
        c.inKernel = inKernel;
        return c;
    }

    /** The op to run next, or null at the end of the program; finished loop bodies are popped here. */
    Op current() {
        while (!stack.isEmpty()) {
            Frame f = stack.get(stack.size() - 1);
            if (f.pc < f.program.size()) return f.program.ops().get(f.pc);
            if (stack.size() == 1) return null;
            if (--f.loopsLeft > 0) { f.pc = 0; continue; }
            stack.remove(stack.size() - 1);
            stack.get(stack.size() - 1).pc++;          // past the Loop op
        }
        return null;
    }

    /** Moves past the current op. */
    void advance() {
        stack.get(stack.size() - 1).pc++;
        touchDone = 0;
    }

    /** Enters a loop body (the Loop op stays current until the body is done). */
    void enter(Op.Loop loop) {
        if (loop.times() == 0 || loop.body().size() == 0) { advance(); return; }
        stack.add(new Frame(loop.body(), loop.times()));
    }
}
