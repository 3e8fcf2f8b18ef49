package tasklab.kernel;

import tasklab.machine.Cpu;
import tasklab.machine.Pte;
import tasklab.program.Op;
import tasklab.program.Program;
import tasklab.time.ClockRate;
import tasklab.time.Engine;
import tasklab.time.Priority;
import tasklab.time.RunResult;
import tasklab.time.TickPhase;
import tasklab.time.TimerTicks;

/**
 * Runs simulated time: every CPU executes its current task a step at a time (a program op, a
 * page of a touch, a kernel thread's step) as events of the discrete-event engine, timer ticks
 * arrive at HZ on every CPU, and sleeping tasks wake when their timeout expires. Same seed,
 * same programs: the same trace.
 */
public final class ProgramRunner {
    /** Cycles charged for a compute step at most, so ticks can interrupt long computations. */
    static final long COMPUTE_CHUNK = 20_000;
    /** Cycles one kernel-thread step costs. */
    static final long KTHREAD_STEP_CYCLES = 500;

    private final Kernel k;
    private final Engine engine;
    private final TimerTicks ticks;
    private final boolean[] runPending;
    private final long tickPeriod;
    private long steps;

    ProgramRunner(Kernel k) {
        this.k = k;
        this.engine = new Engine(k.nrCpus(), k.config.seed());
        this.tickPeriod = ClockRate.ofMhz(k.config.cpu().mhz()).tickPeriodCycles();
        this.runPending = new boolean[k.nrCpus()];
        this.ticks = new TimerTicks(engine, tickPeriod,
            k.version.is24() ? TickPhase.STAGGERED : TickPhase.ALIGNED, this::onTick);
    }

    /** The engine (global simulated time). */
    public Engine engine() { return engine; }
    /** Cycles per timer tick (HZ = 100). */
    public long tickPeriod() { return tickPeriod; }
    /** Program steps executed so far. */
    public long steps() { return steps; }

    /** Runs simulated time until {@code cycle} (or until stopped / interrupted). */
    public RunResult runUntil(long cycle) {
        if (!ticks.isRunning()) ticks.start();
        ensureRunEvents();
        return engine.runUntil(cycle);
    }

    /** Runs for {@code cycles} more cycles of simulated time. */
    public RunResult runFor(long cycles) { return runUntil(engine.now() + cycles); }

    /** Asks a running simulation to stop after the current step (for notebook interrupts). */
    public void requestStop() { engine.requestStop(); }

    private void onTick(int cpu, long cycle) {
        Cpu c = k.machine.cpu(cpu);
        if (c.cycles() < cycle) c.charge(cycle - c.cycles());      // idle time passes
        k.sched.tick(cpu);
        ensureRunEvents();
    }

    /** Every CPU running a task has a step event pending. */
    void ensureRunEvents() {
        for (int cpu = 0; cpu < runPending.length; cpu++) {
            if (runPending[cpu] || k.sched.current(cpu) == k.idle[cpu]) continue;
            Cpu c = k.machine.cpu(cpu);
            if (c.cycles() < engine.now()) c.charge(engine.now() - c.cycles());
            runPending[cpu] = true;
            final int which = cpu;
            engine.schedule(c.cycles(), Priority.DEFAULT, e -> runStep(which));
        }
    }

    private void runStep(int cpu) {
        runPending[cpu] = false;
        Task t = k.sched.current(cpu);
        if (t == k.idle[cpu]) return;
        Cpu c = k.machine.cpu(cpu);
        long before = c.cycles();
        steps++;
        if (t.threadFn != null || t.kthread != null) {
            c.charge(KTHREAD_STEP_CYCLES);
            k.kthreads.runStep(t, cpu);
        } else if (t.cursor == null) {
            idleUserTask(t, cpu);
        } else {
            step(t, cpu);
        }
        if (c.cycles() == before) c.charge(1);                     // time always moves
        Task now = k.sched.current(cpu);
        if (now.needResched && now.onCpu) k.sched.schedule(cpu);
        k.afterOp("program step");
        ensureRunEvents();
    }

    /** A user task with no program: init reaps its zombies; any other waits to be told what to do. */
    private void idleUserTask(Task t, int cpu) {
        if (t == k.childReaper) {
            while (k.exit.sysWait4(t, -1, Exit.WNOHANG | Exit.WALL) > 0) { /* reap */ }
        }
        if (t.onCpu && !t.hasExited()) {
            t.pausedWithoutProgram = true;
            t.state = TaskState.INTERRUPTIBLE;
            k.sched.schedule(cpu);
        }
    }

    /** Runs one op (or one page of a touch) of t's program on cpu. */
    private void step(Task t, int cpu) {
        Cursor cur = t.cursor;
        Op op = cur.current();
        Cpu c = k.machine.cpu(cpu);
        if (op == null) {                                          // falling off the end: exit(0)
            c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry());
            k.exit.sysExit(t, 0);
            return;
        }
        if (op instanceof Op.Read r) {
            cur.advance(); access(t, cpu, r.addr(), false, 0);
        } else if (op instanceof Op.Write w) {
            cur.advance(); access(t, cpu, w.addr(), true, w.value());
        } else if (op instanceof Op.Touch tc) {
            touchPage(t, cpu, cur, tc);
        } else if (op instanceof Op.Compute cp) {
            long left = cp.cycles() - cur.touchDone;
            long chunk = Math.min(left, COMPUTE_CHUNK);
            c.charge(chunk);
            cur.touchDone += chunk;
            if (cur.touchDone >= cp.cycles()) cur.advance();
        } else if (op instanceof Op.Yield y) {
            cur.advance(); c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry()); k.sched.yield(cpu, t);
        } else if (op instanceof Op.Sleep s) {
            cur.advance(); c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry()); sleepTicks(t, cpu, s.ticks());
        } else if (op instanceof Op.Pause p) {
            cur.advance(); c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry()); t.state = TaskState.INTERRUPTIBLE; k.sched.schedule(cpu);
        } else if (op instanceof Op.WakeReg w) {
            cur.advance();
            c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry());
            Task target = k.task((int) cur.regs[w.reg()]);
            if (target != null) k.sched.wakeUpProcess(target, cpu);
            k.returnToUser(t);
        } else if (op instanceof Op.Fork f) {
            cur.advance(); c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry()); forkLike(t, cur, CloneFlags.FORK, f.child());
        } else if (op instanceof Op.Vfork v) {
            cur.advance(); c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry()); forkLike(t, cur, CloneFlags.VFORK, v.child());
        } else if (op instanceof Op.Clone cl) {
            cur.advance(); c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry()); forkLike(t, cur, cl.flags(), cl.child());
        } else if (op instanceof Op.Exec ex) {
            cur.advance();
            c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry());
            int r = k.exec.doExecve(t, ex.path());
            cur.regs[0] = r;
            if (r == 0) {
                Program p = k.programs.get(ex.path());
                t.cursor = p == null ? null : new Cursor(p);
            }
            k.returnToUser(t);
        } else if (op instanceof Op.Exit ex) {
            c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry()); k.exit.sysExit(t, ex.code());
        } else if (op instanceof Op.Wait w) {
            c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry());
            int r = k.exit.sysWait4(t, w.pid(), w.options());
            if (r != Kernel.WAIT_BLOCKED) { cur.regs[0] = r; cur.advance(); }
        } else if (op instanceof Op.Mmap m) {
            cur.advance();
            c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry());
            long a = k.mm.mmap.doMmap(cpu, t.mm, 0, m.bytes(), 3, 0x22);
            cur.regs[0] = a;
            if (a > 0) cur.mmapAddr = a;
            k.returnToUser(t);
        } else if (op instanceof Op.PipeRead pr) {
            Pipe pipe = k.pipeObject(pr.pipe());
            if (!cur.inKernel) c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry());
            if (pipe.read(k, t, cpu)) {
                cur.inKernel = false;
                cur.regs[0] = 4;
                cur.advance();
                k.returnToUser(t);
            } else {
                cur.inKernel = true;                                // pipe_wait(): asleep inside read()
            }
        } else if (op instanceof Op.PipeWrite pw) {
            Pipe pipe = k.pipeObject(pw.pipe());
            cur.advance();
            c.charge(tasklab.machine.CostKind.SYSCALL, c.cost().syscallEntry());
            pipe.write(k, t, cpu);
            cur.regs[0] = 4;
            k.returnToUser(t);
        } else if (op instanceof Op.Loop l) {
            cur.enter(l);
        } else if (op instanceof Op.Save s) {
            cur.advance(); cur.regs[s.reg()] = cur.regs[0];
        }
    }

    private void forkLike(Task t, Cursor cur, int flags, Program child) {
        // A running program met its pending signals on its last return to user mode, before this call:
        // act on them now, so 2.6's copy_process never sees one (no -ERESTARTNOINTR for programs).
        if (t.pendingSignals != 0) {
            k.exit.deliverOnReturn(t, t.processor);
            if (t.hasExited() || !t.onCpu) return;
        }
        int r = k.fork.doFork(t, flags);
        cur.regs[0] = r;
        if (r > 0) {
            Task p = k.task(r);
            if (p != null) {
                Cursor cc = child != null ? new Cursor(child) : cur.copy();
                if (child == null) cc.regs[0] = 0;
                p.cursor = cc;
            }
        }
        if (t.onCpu && !t.hasExited()) k.returnToUser(t);
    }

    /** One page's worth of a touch (every stride within 4 KiB of progress), so ticks can interrupt big touches. */
    private void touchPage(Task t, int cpu, Cursor cur, Op.Touch tc) {
        long base = (tc.relative() ? cur.mmapAddr : 0) + tc.base();
        long end = Math.min(tc.bytes(), cur.touchDone + Pte.PAGE_SIZE);
        for (long off = cur.touchDone; off < end; off += tc.stride()) {
            if (!access(t, cpu, base + off, tc.write(), 1)) return;
        }
        cur.touchDone = ((end + tc.stride() - 1) / tc.stride()) * tc.stride();
        if (cur.touchDone >= tc.bytes()) cur.advance();
    }

    /** A user access; a fatal signal ends the task. Returns whether the task lives on. */
    private boolean access(Task t, int cpu, long va, boolean write, int value) {
        int r = write ? k.mm.user.writeByte(cpu, (int) va, value) : k.mm.user.readByte(cpu, (int) va);
        if (r < 0) return k.exit.forceSig(t, -r, cpu);      // a user handler lets it go on; else it dies
        return true;
    }

    /** schedule_timeout(ticks) in TASK_INTERRUPTIBLE: a wake-up event after that many ticks. */
    private void sleepTicks(Task t, int cpu, int n) {
        t.state = TaskState.INTERRUPTIBLE;
        long token = ++t.sleepToken;
        long when = Math.max(engine.now(), k.machine.cpu(cpu).cycles()) + n * tickPeriod;
        engine.schedule(when, Priority.WAKEUP, e -> {
            if (t.sleepToken == token && t.state == TaskState.INTERRUPTIBLE && !t.hasExited()) {
                k.sched.wakeUpProcess(t, t.processor);
                ensureRunEvents();
            }
        });
        k.sched.schedule(cpu);
    }
}
