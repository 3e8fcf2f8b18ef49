package tasklab.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import tasklab.kernel.Binary;
import tasklab.kernel.Errno;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelThreadFn;
import tasklab.kernel.KernelVersion;
import tasklab.kernel.Task;
import tasklab.machine.PhysMem;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;
import tasklab.program.Program;
import tasklab.time.RunResult;
import tasklab.trace.CounterSnapshot;
import tech.tablesaw.api.Table;

/**
 * A booted simulated machine, driven from a notebook: the entry point of the lab API. Boot one,
 * make processes, call their system calls, run simulated time, and look at everything as tables,
 * charts and pictures. Every call is logged, so {@link #explain()} can say what the kernel did
 * and why. Same seed, same calls: the same tables, byte for byte.
 * Example: {@code var sim = Sim.boot(); var p = sim.process("demo"); p.write(p.heap(), 'P');}
 */
public final class Sim {
    /** What a blocked wait4 returns inside the lab (never a real return value). */
    static final long BLOCKED = Long.MIN_VALUE;

    private final Kernel k;
    private final List<Step> steps = new ArrayList<>();
    private final Map<Task, Proc> handles = new IdentityHashMap<>();
    private int explained;

    Sim(KernelConfig config, int traceLimit) {
        this.k = Kernel.boot(config);
        String failure = k.mm().tlb.takePolicyFailure();        // boot's exec flushes ranges too
        if (failure != null) throw new LabException("flushRangePolicy", "during boot: " + failure);
        if (traceLimit > 0) k.trace().setCapacity(traceLimit);
        if (!IN_EXPERIMENT.get()) latest = this;
    }

    private Sim(Kernel kernel) { this.k = kernel; if (!IN_EXPERIMENT.get()) latest = this; }

    // ---- booting ----

    /** Boots the default machine: Linux 2.4.22 on one Pentium Pro-200 with 64 MiB. Example: {@code var sim = Sim.boot();} */
    public static Sim boot() { return linux24().boot(); }
    /** A builder for Linux 2.4.22. Example: {@code Sim.linux24().cpus(2).boot()}. */
    public static SimBuilder linux24() { return new SimBuilder(KernelVersion.LINUX_2_4); }
    /** A builder for Linux 2.6.22. Example: {@code Sim.linux26().boot()}. */
    public static SimBuilder linux26() { return new SimBuilder(KernelVersion.LINUX_2_6); }
    /** A builder for a version. Example: {@code Sim.of(KernelVersion.LINUX_2_6).cpus(4).boot()}. */
    public static SimBuilder of(KernelVersion v) { return new SimBuilder(v); }
    /** Drives an already booted kernel through the lab API. */
    public static Sim wrap(Kernel kernel) {
        if (kernel == null) throw new LabException("Sim.wrap", "needs a booted Kernel, e.g. Kernel.boot(KernelVersion.LINUX_2_4)");
        return new Sim(kernel);
    }

    /** The kernel underneath (the step API with int pids and -errno returns). */
    public Kernel kernel() { return k; }
    /** The kernel version. */
    public KernelVersion version() { return k.version(); }
    /** The boot configuration. */
    public KernelConfig config() { return k.config(); }
    /** Number of CPUs. */
    public int cpus() { return k.nrCpus(); }
    /** "Linux 2.4.22, 1 x Pentium Pro-200, 64 MiB". */
    public String describe() {
        KernelConfig c = k.config();
        return "Linux " + k.version().release() + ", " + c.nrCpus() + " x " + c.cpu().name() + ", " + (c.ramBytes() >> 20) + " MiB"
            + (c.lazyTlb() ? "" : ", lazy TLB off") + (c.pge() ? "" : ", PGE off") + (c.cpu().hasInvlpg() ? "" : ", no INVLPG")
            + (c.caches() ? "" : ", caches off");
    }

    // ---- tasks ----

    /** The handle of a task (the same handle every time for the same task). */
    Proc handle(Task t) {
        if (t == null) return null;
        return handles.computeIfAbsent(t, x -> new Proc(this, x));
    }

    /** init, pid 1. */
    public Proc init() { return handle(k.task(1)); }

    /** The idle task (pid 0, "swapper") of a CPU. */
    public Proc idle(int cpu) {
        if (cpu < 0 || cpu >= k.nrCpus()) throw new LabException("idle", "CPU " + cpu + " does not exist (this machine has " + k.nrCpus() + ")");
        return handle(k.idleTask(cpu));
    }

    /** The task with this pid. Example: {@code sim.task(2)} is keventd (2.4) or kthreadd (2.6). */
    public Proc task(int pid) {
        Task t = pid == 0 ? k.idleTask(0) : k.task(pid);
        if (t == null) throw new LabException("task", "no task has pid " + pid + " (see sim.ps() for the ones that exist)");
        return handle(t);
    }

    /** Every task: the idle tasks, then the task list in order. */
    public List<Proc> tasks() { return Tables.allTasks(k).stream().map(this::handle).toList(); }

    /** The task running on a CPU now (current). */
    public Proc current(int cpu) {
        if (cpu < 0 || cpu >= k.nrCpus()) throw new LabException("current", "CPU " + cpu + " does not exist (this machine has " + k.nrCpus() + ")");
        return handle(k.current(cpu));
    }

    /**
     * A user process ready to experiment on: init forks, the child execs /usr/bin/NAME (text, data,
     * a stack with the argument page) and its heap is grown by {@code heapPages} pages with brk.
     * Example: {@code var p = sim.process("demo");}
     */
    public Proc process(String name, int heapPages) {
        if (name == null || name.isBlank() || name.contains("/")) {
            throw new LabException("process", "a process needs a short name without '/', e.g. \"demo\"");
        }
        if (heapPages < 0 || heapPages > 65536) throw new LabException("process", "heapPages must be 0 to 65536, got " + heapPages);
        String path = "/usr/bin/" + name;
        if (!k.binaries().containsKey(path)) k.registerBinary(new Binary(path, 4, 1, 1));
        Proc init = init();
        long from = k.trace().recorded();
        CounterSnapshot before = k.counters().snapshot();
        int pid = k.fork(1);
        if (pid <= 0) {
            SysResult r = failure(init, "fork", tasklab.kernel.CloneFlags.FORK, pid);
            log(init, "process(\"" + name + "\")", r, from, before, List.of());
            throw new LabException(r);
        }
        int e = k.execve(pid, path);
        if (e != 0) throw new LabException("process", "execve(" + path + ") failed: " + Errno.describe(e));
        MmStruct mm = k.task(pid).mm();
        if (heapPages > 0) k.brk(pid, mm.startBrk() + (long) heapPages * Pte.PAGE_SIZE);
        Proc p = handle(k.task(pid));
        log(init, "process(\"" + name + "\"): fork, execve(" + path + ")" + (heapPages > 0 ? ", brk(+" + heapPages + " pages)" : ""),
            SysResult.ok("process", pid), from, before, List.of());
        return p;
    }

    /** A user process with a 4-page heap. Example: {@code var p = sim.process("demo");} */
    public Proc process(String name) { return process(name, 4); }

    /** 2.6 kthread_create(threadfn, name) through kthreadd: a new kthread, asleep until woken (R6.9-R6.12). */
    public Proc kthreadCreate(String name, KernelThreadFn fn) {
        if (name == null || fn == null) throw new LabException("kthread_create", "kthread_create needs a name and a body, e.g. KernelThreadFn.sleeper()");
        Proc caller = init();
        return handle(k.task((int) syscall(caller, "kthread_create(" + name + ")", "kthread_create", 0,
            () -> k.kthreadCreate(1, name, fn), false).orThrow()));
    }

    /** 2.6 kthread_run: kthread_create, then wake_up_process (R6.13). */
    public Proc kthreadRun(String name, KernelThreadFn fn) {
        if (name == null || fn == null) throw new LabException("kthread_run", "kthread_run needs a name and a body, e.g. KernelThreadFn.sleeper()");
        Proc caller = init();
        return handle(k.task((int) syscall(caller, "kthread_run(" + name + ")", "kthread_create", 0,
            () -> k.kthreadRun(1, name, fn), false).orThrow()));
    }

    // ---- programs and simulated time ----

    /** Starts {@code n} processes running {@code program} (init forks, the child execs /usr/bin/app). Example: {@code sim.spawn(prog, 4)}. */
    public List<Proc> spawn(Program program, int n) {
        if (program == null) throw new LabException("spawn", "spawn needs a program: Program.builder()...build()");
        if (n < 1) throw new LabException("spawn", "spawn needs n >= 1, got " + n);
        List<Proc> out = new ArrayList<>();
        long from = k.trace().recorded();
        CounterSnapshot before = k.counters().snapshot();
        for (int i = 0; i < n; i++) {
            int pid = k.spawn(program);
            if (pid <= 0) {
                SysResult r = failure(init(), "fork", tasklab.kernel.CloneFlags.FORK, pid);
                log(init(), "spawn(program, " + n + ")", r, from, before, List.of());
                throw new LabException(r);
            }
            out.add(handle(k.task(pid)));
        }
        log(init(), "spawn(program, " + n + ")", SysResult.ok("spawn", n), from, before, List.of());
        return out;
    }

    /** Starts one process running {@code program}. */
    public Proc spawn(Program program) { return spawn(program, 1).get(0); }

    /** Runs simulated time: programs execute, ticks arrive (HZ=100), sleepers wake. Example: {@code sim.run(Duration.ofMillis(100))}. */
    public Sim run(Duration d) {
        if (d == null || d.isNegative()) throw new LabException("run", "run needs a duration of zero or more, e.g. Duration.ofMillis(100)");
        long cycles = d.toNanos() * k.config().cpu().mhz() / 1000;
        timed("run(" + d.toMillis() + " ms)", () -> k.run(cycles));
        return this;
    }

    /** Runs {@code ms} milliseconds of simulated time. Example: {@code sim.runMillis(100)}. */
    public Sim runMillis(long ms) {
        if (ms < 0) throw new LabException("run", "cannot run for a negative time: " + ms + " ms");
        timed("run(" + ms + " ms)", () -> k.runMillis(ms));
        return this;
    }

    /** Runs until no CPU has a user task or kernel thread to run, or {@code max} has passed. */
    public Sim runUntilIdle(Duration max) {
        long limit = max.toNanos() * k.config().cpu().mhz() / 1000;
        long tick = k.runner().tickPeriod();
        timed("runUntilIdle(" + max.toMillis() + " ms)", () -> {
            long end = k.now() + limit;
            RunResult r = null;
            while (k.now() < end && !allIdle()) r = k.run(Math.min(tick, end - k.now()));
            return r;
        });
        return this;
    }

    private boolean allIdle() {
        for (int c = 0; c < k.nrCpus(); c++) if (k.current(c) != k.idleTask(c) || k.sched().nrRunning() > 0) return false;
        return true;
    }

    /** Runs one step of simulated time: the next event (a program step, a tick, a wake-up). */
    public Sim step() {
        timed("step()", () -> k.runner().engine().runEvents(1));
        return this;
    }

    /** One timer tick on a CPU (scheduler_tick: may set need_resched, R7.3). */
    public Sim tick(int cpu) {
        checkCpu(cpu, "tick");
        timed("tick(cpu " + cpu + ")", () -> { k.tick(cpu); return null; });
        return this;
    }

    /** schedule() on a CPU: picks the next task and switches to it (R7.2). */
    public Sim schedule(int cpu) {
        checkCpu(cpu, "schedule");
        timed("schedule(cpu " + cpu + ")", () -> { k.schedule(cpu); return null; });
        return this;
    }

    /**
     * Simulated time now, in microseconds: the furthest any CPU's cycle counter (or the run clock)
     * has got, so it moves with system calls ({@code p.fork()}, {@code p.write(...)}) as well as
     * with {@code run} / {@code step}; it never goes backwards. Example: {@code sim.nowMicros()}.
     */
    public double nowMicros() { return k.config().cpu().nsFromCycles(k.nowCycles()) / 1000.0; }

    private void checkCpu(int cpu, String call) {
        if (cpu < 0 || cpu >= k.nrCpus()) throw new LabException(call, "CPU " + cpu + " does not exist (this machine has " + k.nrCpus() + ")");
    }

    private void timed(String call, java.util.function.Supplier<RunResult> body) {
        long from = k.trace().recorded();
        CounterSnapshot before = k.counters().snapshot();
        body.get();
        log(null, call, SysResult.ok(call, 0), from, before, List.of());
    }

    // ---- the call wrapper every Proc method goes through ----

    SysResult syscall(Proc p, String call, String name, long arg, LongSupplier op) {
        return syscall(p, call, name, arg, op, true);
    }

    /** Runs one call as {@code p}: checks the caller can run, records the step, types the result. */
    SysResult syscall(Proc p, String call, String name, long arg, LongSupplier op, boolean asCaller) {
        if (asCaller) {
            String why = Why.cannotCall(p, name);
            if (why != null) return SysResult.misuse(name, why);
        } else if (p.released()) {
            return SysResult.misuse(name, p.label() + " has been reaped: the handle is dead");
        }
        long from = k.trace().recorded();
        CounterSnapshot before = k.counters().snapshot();
        List<Step.Fact> facts = new ArrayList<>();
        MmStruct mm = p.task().mm() != null ? p.task().mm() : p.task().activeMm();
        int ub = mm == null ? 0 : mm.mmUsers();
        int cb = mm == null ? 0 : mm.mmCount();
        boolean wasAlive = !p.task().hasExited();
        SysResult r;
        try {
            long v = op.getAsLong();
            if (v == BLOCKED) {
                r = SysResult.misuse(name, p.label() + " found no child to reap yet and now sleeps in wait4 (TASK_INTERRUPTIBLE) "
                    + "until one exits (" + (k.version().is26() ? "R11.10" : "R11.9") + "); let a child exit, then wait again");
            } else if (v < 0 && v > -4096) {
                r = failure(p, name, arg, v);
            } else if (wasAlive && p.task().hasExited() && !name.startsWith("exit")) {
                int sig = p.task().exitCode() & 0x7f;
                r = new SysResult(name, 0, null, sig, "R11.1", p.label() + " died during the call");
            } else {
                r = SysResult.ok(name, v);
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            r = SysResult.misuse(name, e.getMessage());
        }
        if (mm != null) facts.add(new Step.MmChange(mm.id(), ub, cb, mm.freed() ? -1 : mm.mmUsers(), mm.freed() ? -1 : mm.mmCount()));
        log(p, call, r, from, before, facts);
        return r;
    }

    private SysResult failure(Proc p, String name, long arg, long v) {
        Errno e = Errno.of((int) v);
        if (e == null) return new SysResult(name, v, null, 0, null, "returned " + v);
        Why.Reason why = Why.errno(this, p, name, arg, e);
        return new SysResult(name, v, e, 0, why.rule(), why.sentence());
    }

    /** A what-if change of kernel state that no system call makes (setting a counter); logged like a call. */
    void whatIf(Proc p, String what, Runnable change) {
        if (p.released()) throw new LabException("what-if", p.label() + " has been reaped: the handle is dead");
        long from = k.trace().recorded();
        CounterSnapshot before = k.counters().snapshot();
        change.run();
        log(p, "what-if: " + what, SysResult.ok("what-if", 0), from, before, List.of());
    }

    /** A user-mode access as {@code p}, with the pte and frame counts before and after for the explanation. */
    SysResult access(Proc p, long va, boolean write, int value) {
        String call = write ? String.format("write(%s, %s)", Names.addr(va), byteText(value)) : "read(" + Names.addr(va) + ")";
        String name = write ? "write" : "read";
        String why = Why.cannotCall(p, name);
        if (why != null) return SysResult.misuse(name, why);
        if (va < 0 || va > 0xFFFFFFFFL) throw new LabException(name, "an i386 address is 32 bits: 0 to 0xffffffff, got " + va);
        MmStruct mm = p.task().mm();
        Why.Reason segv = Why.segv(mm, va, write);          // decided before the access: a killed task has no VMAs left
        long from = k.trace().recorded();
        CounterSnapshot before = k.counters().snapshot();
        int pteBefore = pte(mm, va);
        int cb = count(pteBefore);
        int mb = mapcount(pteBefore);
        int r = write ? k.writeByte(p.pid(), va, value) : k.readByte(p.pid(), va);
        SysResult res;
        if (r < 0) {
            res = new SysResult(name, 0, null, -r, segv.rule(), segv.sentence() + (p.task().hasExited() ? "; " + p.label() + " was killed" : ""));
        } else {
            res = SysResult.ok(name, r);
        }
        int pteAfter = p.task().hasExited() ? 0 : pte(mm, va);
        List<Step.Fact> facts = List.of(new Step.PteChange(p.pid(), va, pteBefore, cb, mb, pteAfter, count(pteAfter),
            mapcount(pteAfter), count(pteBefore)));
        log(p, call, res, from, before, facts);
        return res;
    }

    private static String byteText(int v) {
        return v >= 32 && v < 127 ? "'" + (char) v + "'" : Integer.toString(v);
    }

    int pte(MmStruct mm, long va) {
        if (mm == null || mm.freed()) return 0;
        return k.mm().pageTables.pte(mm, va);
    }

    private int count(int pte) {
        if (!Pte.hwPresent(pte)) return 0;
        PhysMem mem = k.machine().mem();
        int pfn = Pte.pfn(pte);
        return pfn < mem.nrFrames() ? mem.count(pfn) : 0;
    }

    private int mapcount(int pte) {
        if (!Pte.hwPresent(pte)) return 0;
        PhysMem mem = k.machine().mem();
        int pfn = Pte.pfn(pte);
        return pfn < mem.nrFrames() ? mem.mapcount(pfn) : 0;
    }

    private void log(Proc p, String call, SysResult r, long from, CounterSnapshot before, List<Step.Fact> facts) {
        steps.add(new Step(steps.size() + 1, p == null ? "sim" : p.label(), call, r, from, k.trace().recorded(),
            before, k.counters().snapshot(), facts));
        String failure = k.mm().tlb.takePolicyFailure();       // a student's policy broke during the call: say so now
        if (failure != null) throw new LabException("flushRangePolicy", "during " + call + ": " + failure);
    }

    // ---- explanations ----

    /** Every call made through the lab so far, in order. */
    public List<Step> steps() { return Collections.unmodifiableList(steps); }

    /**
     * What the kernel did and why, for every call since the last {@code explain()}: the call, its
     * result, and sentences naming the rules. Example: {@code c.write(p.heap(), 'C'); sim.explain()}.
     */
    public Explanation explain() {
        List<Step> fresh = new ArrayList<>(steps.subList(explained, steps.size()));
        explained = steps.size();
        return Explainer.explain(this, fresh);
    }

    /** What the kernel did and why, for every call since boot. */
    public Explanation explainAll() {
        explained = steps.size();
        return Explainer.explain(this, steps);
    }

    // ---- views (Tablesaw tables; column names in each method's javadoc) ----

    /**
     * ps: one row per task. Columns: pid, ppid, tgid, pgrp, state, comm ([brackets] for kernel threads),
     * kind (idle / kthread / process / thread), mm, active_mm, cpu, on_cpu, slice (2.4 counter or
     * 2.6 time_slice, in ticks), nice, prio (2.6), minflt. Example: {@code sim.ps()}.
     */
    public Table ps() { return Tables.ps(this); }

    /** vmas (/proc/PID/maps): start, end, pages, perms, region (text, data, heap, stack, mmap), resident. */
    public Table vmas(Proc p) { return Tables.vmas(this, p); }

    /**
     * pagemap: one row per present pte of each task given, sorted by address, so tasks that map the
     * same page sit side by side. Columns: vaddr, pid, region, pte, bits, writable, pfn, page_count,
     * mapcount, mapped_by (every pid whose page tables map that frame). Example: {@code sim.pagemap(p, c)}.
     */
    public Table pagemap(Proc... tasks) { return Tables.pagemap(this, tasks); }

    /** mm: one row per mm_struct in use. Columns: mm, mm_users, mm_count, rss, total_vm, vmas, cpu_vm_mask, pgd, users, borrowers. */
    public Table mm() { return Tables.mm(this); }

    /**
     * tlb(cpu): the valid entries of a CPU's TLBs. Columns: tlb ("iTLB", "dTLB", "TLB", or "dTLB 4M" for a
     * separate large-page TLB), set, way, vaddr, page_size ("4K", "4M", or "4K of 4M" for a piece of a 4 MiB
     * page), pfn, pte (flags; PSE on a 4 MiB entry), bits, global.
     */
    public Table tlb(int cpu) { checkCpu(cpu, "tlb"); return Tables.tlb(this, cpu); }

    /** vmstat: one row per counter. Columns: counter, total, cpu0, cpu1 ... Example: {@code sim.vmstat()}. */
    public Table vmstat() { return Tables.vmstat(this, k.counters().snapshot(), "vmstat"); }

    /** vmstat since an earlier snapshot: only the counters that changed. */
    public Table vmstat(Snapshot since) { return Tables.vmstat(this, k.counters().snapshot().minus(since.counters()), "vmstat since " + since.label()); }

    /** interrupts (/proc/interrupts): one row per kind (LOC, TLB, CAL, RES). Columns: irq, total, cpu0 ..., what. */
    public Table interrupts() { return Tables.interrupts(this); }

    /**
     * trace: one row per event. Columns: time_us, cpu, event, pid, detail. Filter with
     * {@link TraceFilter}: {@code sim.trace(TraceFilter.named("tlb_flush").cpu(1))}.
     */
    public Table trace() { return Tables.trace(this, TraceFilter.all()); }
    /** The trace, filtered. */
    public Table trace(TraceFilter filter) { return Tables.trace(this, filter); }

    /**
     * switches: one row per context switch. Columns: time_us, cpu, prev_pid, prev, next_pid, next,
     * kind (cr3 / lazy / same_mm), direct_cycles, refill_cycles, us. Example: {@code sim.switches()}.
     */
    public Table switches() { return Tables.switches(this); }

    /** A vmstat counter's total now (names as in {@link #vmstat()}). Example: {@code sim.count("cow_copy")}. */
    public long count(String counter) {
        return counterValue(k.counters().snapshot().totals(), counter);
    }

    /** How much a vmstat counter grew since a snapshot. Example: {@code var s = sim.snapshot("before"); ...; sim.count("cow_copy", s)}. */
    public long count(String counter, Snapshot since) {
        if (since == null) throw new LabException("count", "count(counter, since) needs a snapshot from sim.snapshot(\"label\")");
        return counterValue(k.counters().snapshot().minus(since.counters()).totals(), counter);
    }

    private static long counterValue(Map<String, Long> totals, String counter) {
        Long v = counter == null ? null : totals.get(counter);
        if (v == null) throw new LabException("count", "no vmstat counter is named \"" + counter + "\"; the names are " + String.join(", ", totals.keySet()));
        return v;
    }

    /** A snapshot of counters, tasks and ptes, to compare later with {@link #diff}. Example: {@code var s = sim.snapshot("before");} */
    public Snapshot snapshot(String label) { return Snapshot.take(this, label); }
    /** A snapshot named by the step count. */
    public Snapshot snapshot() { return Snapshot.take(this, "step " + steps.size()); }

    /** What changed since a snapshot: counters, tasks, ptes. Columns: what, key, before, after. */
    public Table diff(Snapshot since) { return Snapshot.diff(since, Snapshot.take(this, "now")); }
    /** What changed between two snapshots. */
    public Table diff(Snapshot a, Snapshot b) { return Snapshot.diff(a, b); }

    // ---- pictures (SVG with a text rendering; the notebook shows them inline) ----

    /** The most recently booted (or wrapped) simulation in this JVM, or null: what the kernel's %sim shows. */
    private static volatile Sim latest;

    /** The most recently booted simulation, or null if none yet (the runs of a Sweep do not count). Example: {@code Sim.latest().ps()}. */
    public static Sim latest() { return latest; }

    /** Set while a Sweep runs an experiment on this thread: its Sims are not what %sim should show. */
    private static final ThreadLocal<Boolean> IN_EXPERIMENT = ThreadLocal.withInitial(() -> false);

    /** Runs {@code body} as one run of an experiment: the Sims it boots leave {@link #latest()} alone. */
    static <T> T inExperiment(java.util.function.Supplier<T> body) {
        boolean was = IN_EXPERIMENT.get();
        IN_EXPERIMENT.set(true);
        try {
            return body.get();
        } finally {
            IN_EXPERIMENT.set(was);
        }
    }

    /** pstree as a picture: every task, [kernel threads] in brackets, and the mm / active_mm each uses. Example: {@code sim.pstree()}. */
    public TaskTree pstree() { return TaskTree.of(this); }

    /** The copy-on-write picture: the private writable pages of 2+ tasks and the frames they map. Example: {@code sim.cow(p, c)}. */
    public Sharing cow(Proc... tasks) { return Sharing.of(this, true, tasks); }

    /** Every mapped page of 2+ tasks side by side, with the frames they share and their counts. Example: {@code sim.sharing(p, c)}. */
    public Sharing sharing(Proc... tasks) { return Sharing.of(this, false, tasks); }

    /** A per-CPU timeline of who ran when, from the trace: CR3 loads, lazy switches, IPIs, flushes. Example: {@code sim.timeline()}. */
    public Timeline timeline() { return Timeline.of(this); }

    @Override public String toString() {
        return "Sim[" + describe() + ", " + k.tasks().size() + " tasks, " + steps.size() + " calls]";
    }
}
