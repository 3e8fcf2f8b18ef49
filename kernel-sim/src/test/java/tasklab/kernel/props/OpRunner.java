package tasklab.kernel.props;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tasklab.kernel.CloneFlags;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelThreadFn;
import tasklab.kernel.KernelVersion;
import tasklab.kernel.Signals;
import tasklab.kernel.Task;
import tasklab.kernel.TaskState;
import tasklab.mm.MmStruct;
import tasklab.mm.Vma;
import tasklab.mm.VmFlags;

/**
 * Interprets {@link Op}s against a booted kernel with the §13 checker on after every operation.
 * Targets are chosen by index modulo the live set when the op runs; an op with no possible
 * target is skipped. {@link #finish()} ends every task the run created, reaps them with init's
 * wait4, re-executes /sbin/init, and checks that every frame is back in the free pool.
 *
 * <p>Harness rules (what the kernel itself never does, so the generator avoids it): callers are
 * runnable tasks (TASK_RUNNING, not exited) that the run created, or init; the boot kernel
 * threads (keventd, kthreadd, ksoftirqd, ...) are woken and scheduled but never exit, exec or
 * get signals; init never exits (R3.6) and is not sent SIGSTOP; CLONE_PARENT is dropped when the
 * caller's parent is the idle task (the child would be a zombie of swapper, never reaped, as on
 * real Linux; likewise under a boot kernel thread); on 2.6 CLONE_THREAD is dropped for init's group (an exec by a thread of init
 * makes it child_reaper in 2.6.22's de_thread, which the simulator does not model); on 2.6 init
 * never sets SIGCHLD to SIG_IGN (2.6.22 then leaks reparented zombies for good, faithfully).
 */
final class OpRunner {
    static final int WNOHANG = 1;
    static final int WUNTRACED = 2;
    static final int WALL = 0x40000000;
    static final int WCLONE = 0x80000000;

    /** Clone flag bits a Clone op's raw word selects from (bit i + 2 of raw). */
    static final int[] CLONE_BITS = {
        CloneFlags.CLONE_VM, CloneFlags.CLONE_FS, CloneFlags.CLONE_FILES, CloneFlags.CLONE_SIGHAND,
        CloneFlags.CLONE_PID, CloneFlags.CLONE_VFORK, CloneFlags.CLONE_PARENT, CloneFlags.CLONE_THREAD,
        CloneFlags.CLONE_NEWNS, CloneFlags.CLONE_SYSVSEM, CloneFlags.CLONE_SETTLS, CloneFlags.CLONE_PARENT_SETTID,
        CloneFlags.CLONE_CHILD_CLEARTID, CloneFlags.CLONE_DETACHED, CloneFlags.CLONE_UNTRACED,
        CloneFlags.CLONE_CHILD_SETTID, CloneFlags.CLONE_STOPPED, CloneFlags.CLONE_NEWUTS, CloneFlags.CLONE_NEWIPC,
        CloneFlags.CLONE_PTRACE,
    };
    static final int[] EXIT_SIGNALS = {Signals.SIGCHLD, 0, Signals.SIGUSR1, Signals.SIGCHLD};
    static final int[] KILL_SIGNALS = {Signals.SIGKILL, Signals.SIGTERM, Signals.SIGSTOP, Signals.SIGCONT,
        Signals.SIGCHLD, Signals.SIGUSR1, 0, -1, 99};
    static final int[] SIGACTION_SIGNALS = {Signals.SIGCHLD, Signals.SIGTERM, Signals.SIGUSR1, Signals.SIGKILL};
    static final int[] KTHREAD_FLAGS = {
        CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES, 0, CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES | CloneFlags.CLONE_SIGNAL,
        Signals.SIGCHLD, CloneFlags.CLONE_SIGHAND,
    };
    static final String[] PATHS = {"/bin/sh", "/bin/true", "/sbin/init", "/usr/bin/app", "/no/such/file", null};
    static final long PAGE = 4096;

    final Kernel k;
    final int freeAfterBoot;
    private final Set<Task> bootThreads = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Task> kthreads = Collections.newSetFromMap(new IdentityHashMap<>());       // kthread_create'd
    private final Set<Task> kernelThreads = Collections.newSetFromMap(new IdentityHashMap<>());  // kernel_thread'd
    private final List<Long> mmaps = new ArrayList<>();
    final Map<String, Long> stats = new TreeMap<>();
    long ops;

    OpRunner(KernelVersion v, int cpus, long ramBytes) {
        this(Kernel.boot(KernelConfig.of(v).withCpus(cpus).withRam(ramBytes)));
    }

    OpRunner(Kernel k) {
        this.k = k;
        k.setCheckInvariants(true);
        k.checkInvariants("boot");
        for (Task t : k.tasks()) if (t.pid() != 0 && t != k.childReaper()) bootThreads.add(t);
        freeAfterBoot = k.machine().mem().freeFrames();
    }

    Task init() { return k.childReaper(); }

    // ---- target sets ----

    private static boolean runnable(Task t) { return t.state() == TaskState.RUNNING && !t.hasExited(); }

    /** Runnable tasks the run may act as: init and every task the run created. */
    List<Task> callers() {
        List<Task> out = new ArrayList<>();
        for (Task t : k.tasks()) if (t.pid() != 0 && !bootThreads.contains(t) && runnable(t)) out.add(t);
        return out;
    }

    private List<Task> userCallers() {
        List<Task> out = new ArrayList<>();
        for (Task t : callers()) if (t.mm() != null) out.add(t);
        return out;
    }

    /** Live (not exited) tasks the run created, and init. */
    private List<Task> live() {
        List<Task> out = new ArrayList<>();
        for (Task t : k.tasks()) if (t.pid() != 0 && !bootThreads.contains(t) && !t.hasExited()) out.add(t);
        return out;
    }

    private static <T> T pick(List<T> list, int idx) {
        return list.isEmpty() ? null : list.get(Math.floorMod(idx, list.size()));
    }

    private boolean inInitGroup(Task t) {
        for (Task th : t.threadGroup()) if (th == init()) return true;
        return false;
    }

    /** Another live thread of t's group is asleep or stopped (2.6 zap_other_threads then fails in the simulator). */
    private boolean hasSleepingSibling(Task t) {
        for (Task th : t.threadGroup()) if (th != t && !th.hasExited() && th.state() != TaskState.RUNNING) return true;
        return false;
    }

    private void count(String what) { stats.merge(what, 1L, Long::sum); }

    private void count(String op, long r) {
        count(op + (r >= 0 ? " ok" : " " + tasklab.kernel.Errno.describe((int) Math.max(r, Integer.MIN_VALUE))));
    }

    // ---- addresses ----

    long regionBase(Task t, int region) {
        MmStruct mm = t.mm();
        return switch (Math.floorMod(region, 9)) {
            case 0 -> 0L;
            case 1 -> 0x08048000L;
            case 2 -> mm == null ? 0x08050000L : Math.max(0x08048000L, (mm.startBrk() - PAGE) & ~(PAGE - 1));
            case 3 -> 0xBFFFE000L;
            case 4 -> 0xBFFF0000L;
            case 5 -> 0x40000000L;
            case 6 -> mmaps.isEmpty() ? 0x40000000L : mmaps.get(Math.floorMod(region / 9, mmaps.size()));
            case 7 -> 0xC0000000L;
            default -> 0xFFFFF000L;
        };
    }

    // ---- one op ----

    void run(Op op) {
        ops++;
        runSyscalls15(op);
        if (op instanceof Op.Fork o) { Task t = pick(callers(), o.t()); if (t != null) count("fork", k.fork(t.pid())); }
        if (op instanceof Op.Vfork o) {
                Task t = pick(callers(), o.t());
                if (t != null && !kthreads.contains(t)) count("vfork", k.vfork(t.pid()));
            }
        if (op instanceof Op.Clone o) {
                Task t = pick(callers(), o.t());
                if (t == null) return;
                count("clone", k.clone(t.pid(), cloneFlags(t, o.raw())));
            }
        if (op instanceof Op.Exec o) {
                List<Task> c = callers();
                if (k.version().is26()) c.removeIf(this::hasSleepingSibling);   // bug: see PropertyRegressionTest
                Task t = pick(c, o.t());
                if (t != null) count("execve", k.execve(t.pid(), PATHS[Math.floorMod(o.b(), PATHS.length)]));
            }
        if (op instanceof Op.Exit o) {
                List<Task> c = callers();
                c.remove(init());
                Task t = pick(c, o.t());
                if (t != null) count("exit", k.exit(t.pid(), o.code()));
            }
        if (op instanceof Op.ExitGroup o) {
                List<Task> c = callers();
                c.removeIf(this::inInitGroup);
                c.removeIf(this::hasSleepingSibling);                               // bug: see PropertyRegressionTest
                Task t = pick(c, o.t());
                if (t != null) count("exit_group", k.exitGroup(t.pid(), o.code()));
            }
        if (op instanceof Op.Wait o) {
                Task t = pick(callers(), o.t());
                if (t == null) return;
                int which;
                if (o.which() < 0) which = -1;
                else if (o.which() == 0) which = 0;
                else {
                    List<Task> ch = t.children();
                    which = ch.isEmpty() ? 32000 : pick(ch, o.which() - 1).pid();
                }
                int opts = ((o.opts() & 1) != 0 ? WNOHANG : 0) | ((o.opts() & 2) != 0 ? WALL : 0)
                    | ((o.opts() & 4) != 0 ? WCLONE : 0) | ((o.opts() & 8) != 0 ? WUNTRACED : 0);
                int r = k.wait4(t.pid(), which, opts);
                count(r == Kernel.WAIT_BLOCKED ? "wait4 blocked" : r > 0 ? "wait4 reaped" : "wait4 " + tasklab.kernel.Errno.describe(r));
            }
        if (op instanceof Op.Kill o) {
                Task t = pick(callers(), o.t());
                int sig = KILL_SIGNALS[Math.floorMod(o.sig(), KILL_SIGNALS.length)];
                List<Task> targets = live();
                if (sig == Signals.SIGSTOP) targets.remove(init());
                Task p = pick(targets, o.target());
                if (t == null || p == null) return;
                count("kill", k.kill(t.pid(), p.pid(), sig));
            }
        if (op instanceof Op.Sigaction o) {
                Task t = pick(callers(), o.t());
                if (t == null) return;
                int sig = SIGACTION_SIGNALS[Math.floorMod(o.sig(), SIGACTION_SIGNALS.length)];
                int d = Math.floorMod(o.d(), 3);
                // 2.6.22 leaks a zombie reparented to an init that ignores SIGCHLD (see PropertyRegressionTest); the
                // table may be shared with init through CLONE_SIGHAND
                if (k.version().is26() && t.sighand() == init().sighand() && sig == Signals.SIGCHLD && d == Signals.SIG_IGN) return;
                count("sigaction", k.sigaction(t.pid(), sig, d));
                k.checkInvariants("sigaction");
            }
        if (op instanceof Op.Setuid o) {
                List<Task> c = callers();
                c.remove(init());
                Task t = pick(c, o.t());
                if (t == null) return;
                count("setuid", k.setuid(t.pid(), (o.uid() & 1) == 0 ? 0 : 1000));
                count("setrlimit", k.setRlimitNproc(t.pid(), Math.floorMod(o.nproc(), 10)));
                k.checkInvariants("setuid");
            }
        if (op instanceof Op.KernelThread o) {
                Task t = pick(callers(), o.t());
                if (t == null) return;
                int flags = KTHREAD_FLAGS[Math.floorMod(o.f(), KTHREAD_FLAGS.length)];
                // 2.6: a CLONE_THREAD kernel thread that daemonizes keeps exit_signal SIGCHLD inside the group and
                // is never reaped (kthreadd never waits), faithfully; real code never makes such threads
                if (k.version().is26()) flags &= ~CloneFlags.CLONE_THREAD;
                int r = k.kernelThread(t.pid(), "kt" + ops, threadFn(o.fn()), flags);
                count("kernel_thread", r);
                if (r > 0) kernelThreads.add(k.task(r));
            }
        if (op instanceof Op.Daemonize o) {
                List<Task> c = new ArrayList<>();
                for (Task t : callers()) if (kernelThreads.contains(t)) c.add(t);
                Task t = pick(c, o.t());
                if (t != null) count("daemonize", k.daemonize(t.pid(), "kd" + ops));
            }
        if (op instanceof Op.KthreadCreate o) {
                Task t = pick(callers(), o.t());
                if (t == null) return;
                KernelThreadFn fn = switch (Math.floorMod(o.fn(), 3)) {
                    case 0 -> KernelThreadFn.sleeper();
                    case 1 -> KernelThreadFn.returning(5);
                    default -> countdown(3, 7);
                };
                int r = o.run() ? k.kthreadRun(t.pid(), "kth" + ops, fn) : k.kthreadCreate(t.pid(), "kth" + ops, fn);
                count(o.run() ? "kthread_run" : "kthread_create", r);
                if (r > 0) kthreads.add(k.task(r));
            }
        if (op instanceof Op.KthreadStop o) {
                Task t = pick(callers(), o.t());
                List<Task> ks = new ArrayList<>();
                for (Task x : k.tasks()) if (kthreads.contains(x) && !x.hasExited() && x != t) ks.add(x);
                Task kt = pick(ks, o.kt());
                if (t == null || kt == null) return;
                count("kthread_stop", k.kthreadStop(t.pid(), kt.pid()));
            }
        if (op instanceof Op.KthreadBind o) {
                List<Task> ks = new ArrayList<>();
                for (Task x : k.tasks()) if (kthreads.contains(x) && !x.hasExited()) ks.add(x);
                Task kt = pick(ks, o.kt());
                if (kt == null) return;
                count("kthread_bind", k.kthreadBind(kt.pid(), Math.floorMod(o.cpu(), k.nrCpus() + 1)));
                k.checkInvariants("kthread_bind");
            }
        if (op instanceof Op.Mmap o) {
                Task t = pick(userCallers(), o.t());
                if (t == null) return;
                int flags = VmFlags.MAP_ANONYMOUS | (o.shared() ? VmFlags.MAP_SHARED : VmFlags.MAP_PRIVATE)
                    | (o.fixed() ? VmFlags.MAP_FIXED : 0);
                long r = k.mmap(t.pid(), regionBase(t, o.region()), Math.floorMod(o.pages(), 33) * PAGE,
                    Math.floorMod(o.prot(), 8), flags);
                count("mmap", r);
                if (r >= 0) { mmaps.add(r); if (mmaps.size() > 16) mmaps.remove(0); }
            }
        if (op instanceof Op.Munmap o) {
                Task t = pick(userCallers(), o.t());
                if (t == null) return;
                long a = regionBase(t, o.region()) + Math.floorMod(o.page(), 17) * PAGE;
                count("munmap", k.munmap(t.pid(), a, Math.floorMod(o.pages(), 17) * PAGE));
            }
        if (op instanceof Op.Mprotect o) {
                Task t = pick(userCallers(), o.t());
                if (t == null) return;
                long a = regionBase(t, o.region()) + Math.floorMod(o.page(), 17) * PAGE;
                count("mprotect", k.mprotect(t.pid(), a, Math.floorMod(o.pages(), 17) * PAGE, Math.floorMod(o.prot(), 8)));
            }
        if (op instanceof Op.Brk o) {
                Task t = pick(userCallers(), o.t());
                if (t == null) return;
                count("brk", k.brk(t.pid(), t.mm().brk() + (long) o.delta() * PAGE));
            }
        if (op instanceof Op.Access o) {
                Task t = pick(userCallers(), o.t());
                if (t == null) return;
                long a = regionBase(t, o.region()) + Math.floorMod(o.page(), 17) * PAGE + Math.floorMod(o.off(), 4096);
                int r = o.write() ? k.writeByte(t.pid(), a, o.off() & 0xff) : k.readByte(t.pid(), a);
                count(o.write() ? "write" : "read", r < 0 ? "killed by " + Signals.name(-r) : "ok");
            }
        if (op instanceof Op.Schedule o) { k.schedule(Math.floorMod(o.cpu(), k.nrCpus())); count("schedule"); }
        if (op instanceof Op.Tick o) { k.tick(Math.floorMod(o.cpu(), k.nrCpus())); count("tick"); }
        if (op instanceof Op.Yield o) { Task t = pick(callers(), o.t()); if (t != null) count("sched_yield", k.schedYield(t.pid())); }
        if (op instanceof Op.Sleep o) { Task t = pick(callers(), o.t()); if (t != null) count("sleep", k.sleep(t.pid())); }
        if (op instanceof Op.Wake o) {
                List<Task> s = new ArrayList<>();
                for (Task t : k.tasks()) {
                    if (t.pid() == 0 || t.hasExited()) continue;
                    if (t.state() == TaskState.INTERRUPTIBLE || (kthreads.contains(t) && t.state() == TaskState.UNINTERRUPTIBLE)) s.add(t);
                }
                Task t = pick(s, o.t());
                if (t == null) return;
                count("wake_up_process", k.wakeUpProcess(t.pid()));
                k.checkInvariants("wake_up_process");
            }
        if (op instanceof Op.RunKthreads o) { k.runKernelThreads(1 + Math.floorMod(o.n(), 50)); count("run kthreads"); }
        if (op instanceof Op.Flush o) {
                int cpu = Math.floorMod(o.cpu(), k.nrCpus());
                List<Task> withMm = new ArrayList<>();
                for (Task t : k.tasks()) if (t.mm() != null) withMm.add(t);
                Task t = pick(withMm, o.t());
                switch (Math.floorMod(o.kind(), 3)) {
                    case 0 -> { k.mm().tlb.flushTlbAll(cpu); count("flush_tlb_all"); }
                    case 1 -> { if (t != null) { k.mm().tlb.flushTlbMm(cpu, t.mm()); count("flush_tlb_mm"); } }
                    default -> {
                        if (t != null && !t.mm().vmas().isEmpty()) {
                            Vma v = t.mm().vmas().get(0);
                            k.mm().tlb.flushTlbRange(cpu, t.mm(), v.start(), v.end());
                            count("flush_tlb_range");
                        }
                    }
                }
                k.checkInvariants("flush");
            }
        if (op instanceof Op.Affinity o) {
                Task t = pick(callers(), o.t());
                Task p = pick(live(), o.target());
                if (t == null || p == null) return;
                count("sched_setaffinity", k.schedSetaffinity(t.pid(), p.pid(), Math.floorMod(o.mask(), 256)));
            }
    }

    /** Issue-15 calls: process groups, memory locking, ptrace, scheduling parameters, 2.6 clone tid pointers. */
    private void runSyscalls15(Op op) {
        if (op instanceof Op.Setpgid o) {
            Task t = pick(callers(), o.t());
            if (t == null) return;
            Task target = Math.floorMod(o.target(), 4) == 0 ? null : pick(live(), o.target());
            int pid = target == null ? 0 : target.pid();
            Task any = pick(live(), o.pg() + o.target());
            int pgid = switch (Math.floorMod(o.pg(), 6)) {
                case 0 -> 0;
                case 1 -> pid;
                case 2 -> any == null ? 0 : any.pgrp();
                case 3 -> any == null ? 0 : any.pid();
                case 4 -> -1;
                default -> 31000;
            };
            count("setpgid", k.setpgid(t.pid(), pid, pgid));
        }
        if (op instanceof Op.Setsid o) {
            Task t = pick(callers(), o.t());
            if (t != null) count("setsid", k.setsid(t.pid()));
        }
        if (op instanceof Op.Mlock o) {
            Task t = pick(userCallers(), o.t());
            if (t == null) return;
            long a = regionBase(t, o.region()) + Math.floorMod(o.page(), 17) * PAGE;
            long len = Math.floorMod(o.pages(), 17) * PAGE;
            switch (Math.floorMod(o.kind(), 7)) {
                case 0 -> count("mlock", k.mlock(t.pid(), a, len));
                case 1 -> count("munlock", k.munlock(t.pid(), a, len));
                case 2 -> count("mlockall", k.mlockall(t.pid(), VmFlags.MCL_CURRENT | VmFlags.MCL_FUTURE));
                case 3 -> count("munlockall", k.munlockall(t.pid()));
                case 4 -> count("mlockall future", k.mlockall(t.pid(), VmFlags.MCL_FUTURE));
                case 5 -> count("setrlimit memlock", k.setRlimitMemlock(t.pid(), len));
                default -> {
                    long r = k.mmap(t.pid(), 0, len, Math.floorMod(o.page(), 8),
                        VmFlags.MAP_ANONYMOUS | VmFlags.MAP_PRIVATE | VmFlags.MAP_LOCKED);
                    count("mmap locked", r);
                    if (r >= 0) { mmaps.add(r); if (mmaps.size() > 16) mmaps.remove(0); }
                }
            }
        }
        if (op instanceof Op.Ptrace o) {
            Task t = pick(callers(), o.t());
            if (t == null) return;
            int[] reqs = {tasklab.kernel.Ptrace.TRACEME, tasklab.kernel.Ptrace.ATTACH, tasklab.kernel.Ptrace.DETACH,
                tasklab.kernel.Ptrace.CONT, tasklab.kernel.Ptrace.KILL, tasklab.kernel.Ptrace.SETOPTIONS, 3,
                tasklab.kernel.Ptrace.ATTACH, tasklab.kernel.Ptrace.CONT, tasklab.kernel.Ptrace.DETACH};
            int req = reqs[Math.floorMod(o.req(), reqs.length)];
            // a tracer that never waits (swapper, a boot kernel thread) would keep its tracees' zombies for
            // good, as on real Linux: TRACEME only where the parent is a task the run created, or init
            Task parent = t.parent();
            if (req == tasklab.kernel.Ptrace.TRACEME && (t == init() || parent == null || parent.pid() == 0 || bootThreads.contains(parent))) return;
            List<Task> tracees = new ArrayList<>();
            for (Task x : t.children()) if (x.ptrace() != 0 && !x.hasExited()) tracees.add(x);
            boolean needsTracee = req != tasklab.kernel.Ptrace.TRACEME && req != tasklab.kernel.Ptrace.ATTACH;
            // requests on a tracee mostly go to one of the caller's own, so DETACH / CONT / KILL get past ESRCH
            Task target = needsTracee && !tracees.isEmpty() && (o.target() & 3) != 0 ? pick(tracees, o.target()) : pick(live(), o.target());
            int data = req == tasklab.kernel.Ptrace.SETOPTIONS ? Math.floorMod(o.data(), 16)
                : new int[] {0, Signals.SIGKILL, Signals.SIGUSR1, 65}[Math.floorMod(o.data(), 4)];
            count("ptrace " + req, k.ptrace(t.pid(), req, target == null ? 31000 : target.pid(), data));
        }
        if (op instanceof Op.SchedParam o) {
            Task t = pick(callers(), o.t());
            Task p = pick(live(), o.target());
            if (t == null || p == null) return;
            int policy = Math.floorMod(o.policy(), 5) == 4 ? -1 : Math.floorMod(o.policy(), 5);
            int prio = Math.floorMod(o.prio(), 101);
            switch (Math.floorMod(o.kind(), 5)) {
                case 0 -> count("sched_setscheduler", k.schedSetscheduler(t.pid(), p.pid(), policy, prio));
                case 1 -> count("sched_setparam", k.schedSetparam(t.pid(), p.pid(), prio));
                case 2 -> count("nice", k.nice(t.pid(), prio - 50));
                case 3 -> count("setpriority", k.setpriority(t.pid(), Math.floorMod(o.policy(), 4), o.policy() < 2 ? p.pid() : p.pgrp(), prio - 50));
                default -> {
                    if (k.version().is24()) k.setCounter(p.pid(), prio % 21); else k.setTimeSlice(p.pid(), 1 + prio % 40);
                    k.setNice(p.pid(), prio % 40 - 20);
                    count("what-if setters");
                }
            }
        }
        if (op instanceof Op.CloneTid o) {
            Task t = pick(callers(), o.t());
            if (t == null) return;
            long a = regionBase(t, o.region()) + Math.floorMod(o.off(), 4096);
            count("clone tid", k.clone(t.pid(), cloneFlags(t, o.raw()), a, a + 16, a + 4));
        }
    }

    private void count(String op, String outcome) { count(op + " " + outcome); }

    int cloneFlags(Task t, int raw) {
        int flags = EXIT_SIGNALS[raw & 3];
        for (int i = 0; i < CLONE_BITS.length; i++) if ((raw >>> (i + 2) & 1) != 0) flags |= CLONE_BITS[i];
        Task parent = t.realParent();
        // the child would be a child of swapper / kthreadd / keventd, which never wait: with an exit signal
        // other than SIGCHLD (or any, under swapper) it stays a zombie for good, as on real Linux
        if (parent == null || parent.pid() == 0 || bootThreads.contains(parent)) flags &= ~CloneFlags.CLONE_PARENT;
        if (k.version().is26() && inInitGroup(t)) flags &= ~CloneFlags.CLONE_THREAD;
        if (kthreads.contains(t)) flags &= ~CloneFlags.CLONE_VFORK;
        // 2.6 CLONE_STOPPED|CLONE_VFORK: the parent waits for a child that is stopped until someone else
        // sends SIGCONT (as in do_fork); a run whose only runnable task was the parent cannot end
        if ((flags & CloneFlags.CLONE_VFORK) != 0) flags &= ~CloneFlags.CLONE_STOPPED;
        return flags;
    }

    KernelThreadFn threadFn(int kind) {
        return switch (Math.floorMod(kind, 4)) {
            case 0 -> KernelThreadFn.returning(0);
            case 1 -> KernelThreadFn.sleeper();
            case 2 -> new KernelThreadFn() {
                boolean done;
                @Override public int step(Kernel kk, Task self) {
                    if (!done) { done = true; kk.daemonize(self.pid(), null); }
                    return SLEEP;
                }
            };
            default -> countdown(3, 7);
        };
    }

    static KernelThreadFn countdown(int steps, int value) {
        return new KernelThreadFn() {
            int left = steps;
            @Override public int step(Kernel kk, Task self) { return --left > 0 ? RUN : value; }
        };
    }

    // ---- the end of a run ----

    /** What {@link #finish()} found. */
    record Result(int freeAfterBoot, int freeAtEnd, int lazyHeldPgds, List<String> leftOver) {
        boolean clean() { return leftOver.isEmpty() && freeAtEnd + lazyHeldPgds == freeAfterBoot; }
        @Override public String toString() {
            return "free frames after boot " + freeAfterBoot + ", at end " + freeAtEnd + " (+" + lazyHeldPgds
                + " pgds of dead mms still borrowed by a CPU's lazy task), tasks left " + leftOver;
        }
    }

    /**
     * Ends every task the run created (kthread_stop for kthreads, exit for the rest, waking sleepers
     * and continuing stopped tasks first), reaps them with init's wait4(-1, WNOHANG|__WALL) loop,
     * lets kernel threads settle, re-executes /sbin/init (init's address space as boot left it),
     * and counts free frames.
     */
    Result finish() {
        String before = null;
        for (int round = 0; round < 50; round++) {
            String now = k.tasks().toString();
            if (now.equals(before)) break;                 // no progress: report what is left
            before = now;
            Task init = init();
            if (init.state() == TaskState.INTERRUPTIBLE) k.wakeUpProcess(init.pid());
            List<Task> left = live();
            left.remove(init);
            boolean zombies = false;
            for (Task t : k.tasks()) if (t.pid() != 0 && !bootThreads.contains(t) && t.hasExited()) zombies = true;
            if (left.isEmpty() && !zombies) break;
            for (Task t : left) {
                if (t.hasExited()) continue;
                if (kthreads.contains(t) && runnable(init)) { k.kthreadStop(init.pid(), t.pid()); continue; }
                int st = t.state();
                if (st == TaskState.INTERRUPTIBLE) k.wakeUpProcess(t.pid());
                else if (isStopped(t) || isTraced(t)) {
                    int sender = sender();
                    // SIGCONT does not resume a 2.6 TASK_TRACED tracee; SIGKILL wakes it to die
                    if (sender >= 0) k.kill(sender, t.pid(), isTraced(t) ? Signals.SIGKILL : Signals.SIGCONT);
                }
                if (runnable(t)) k.exit(t.pid(), 0);
            }
            if (runnable(init)) {
                while (true) {
                    int r = k.wait4(init.pid(), -1, WNOHANG | WALL);
                    if (r <= 0) break;
                }
            }
            k.runKernelThreads(1000);
        }
        List<String> leftOver = new ArrayList<>();
        for (Task t : k.tasks()) if (t.pid() != 0 && !bootThreads.contains(t) && t != init()) leftOver.add(t.toString() + " parent " + t.parent());
        if (init().state() == TaskState.INTERRUPTIBLE) k.wakeUpProcess(init().pid());
        if (runnable(init())) {
            // 2.4 exec keeps a reused mm's def_flags: an mlockall(MCL_FUTURE) by init would lock (and make
            // present) the new image, faithfully; undo it so the frame count compares with boot
            k.munlockall(init().pid());
            int r = k.execve(init().pid(), "/sbin/init");
            if (r != 0) leftOver.add("init re-exec failed: " + r);
        } else {
            leftOver.add("init not runnable at the end: " + init());
        }
        k.runKernelThreads(1000);
        k.checkInvariants("finish");
        Set<MmStruct> held = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int c = 0; c < k.nrCpus(); c++) {
            Task cur = k.current(c);
            MmStruct am = cur.activeMm();
            if (cur.mm() == null && am != null && !am.isInitMm() && am.mmUsers() == 0 && !am.freed()) held.add(am);
        }
        return new Result(freeAfterBoot, k.machine().mem().freeFrames(), held.size(), leftOver);
    }

    /** Who sends SIGCONT at the end: init, else any runnable task, else the idle task of CPU 0 if it is current (a SysRq). */
    private int sender() {
        if (runnable(init())) return init().pid();
        for (Task t : live()) if (runnable(t)) return t.pid();
        return k.current(0) == k.idleTask(0) ? 0 : -1;
    }

    private boolean isStopped(Task t) {
        return !t.hasExited() && t.state() == (k.version().is24() ? TaskState.STOPPED_24 : TaskState.STOPPED_26);
    }

    private boolean isTraced(Task t) { return !t.hasExited() && k.version().is26() && t.state() == TaskState.TRACED_26; }
}
