package tasklab.kernel;

import tasklab.machine.KernelBug;
import java.util.ArrayList;
import java.util.List;
import tasklab.machine.PhysMem;
import tasklab.mm.MmStruct;

/**
 * Boot: the idle task of each CPU (pid 0), init (pid 1), keventd (2.4) or kthreadd (2.6) as
 * pid 2, the initcall kernel threads, and init's exec of /sbin/init (LINUX-SPEC §3).
 * Linux: init/main.c start_kernel(), rest_init(), init() / kernel_init(); arch/i386/kernel/smpboot.c.
 */
final class Boot {
    private Boot() {}

    static void startKernel(Kernel k) {
        MmStruct initMm = k.initMm();
        makeIdle(k, 0, initMm);
        for (int cpu = 1; cpu < k.nrCpus(); cpu++) makeIdle(k, cpu, initMm);   // fork_by_hand / fork_idle: pid 0, unhashed
        if (k.nrCpus() > 1) k.totalForks += k.nrCpus() - 1;
        // sched_init() and each cpu_init(): atomic_inc(&init_mm.mm_count) (R3.2)
        for (int i = 0; i < 1 + k.nrCpus(); i++) k.mm.refs.mmgrab(initMm);
        Task idle0 = k.idle[0];
        k.sched.holdIdle = true;                                  // rest_init runs before the idle loop
        int initPid;
        if (k.version.is24()) {
            initPid = k.kthreads.kernelThread(idle0, "init", null,
                CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES | CloneFlags.CLONE_SIGNAL);
        } else {
            initPid = k.kthreads.kernelThread(idle0, "init", null, CloneFlags.CLONE_FS | CloneFlags.CLONE_SIGHAND);
            int kd = k.kthreads.kernelThread(idle0, "kthreadd", kthreaddFn(), CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES);
            Task kthreadd = k.task(kd);
            k.kthreadd = kthreadd;
            for (int sig = 1; sig <= Signals.NSIG; sig++) kthreadd.sighand.setHandler(sig, Signals.SIG_IGN);   // ignore_signals
            k.kthreads.setNice(kthreadd, -5);
            kthreadd.flags |= Task.PF_NOFREEZE;
        }
        Task init = k.task(initPid);
        init.cpusAllowed = -1;                                   // kernel_init: set_cpus_allowed(CPU_MASK_ALL)
        if (k.kthreadd != null) k.kthreadd.cpusAllowed = -1;     // kthreadd_setup: CPU_MASK_ALL
        k.childReaper = init;
        if (k.version.is24()) {
            for (Task idle : k.idle) {                           // cpu_idle(): "endless idle loop with no priority at all"
                idle.nice = 20;
                idle.setCounter(-100);
            }
        }
        k.sched.holdIdle = false;
        k.sched.kickIdle();
        k.sched.runAs(init);
        if (k.version.is24()) {
            // do_basic_setup: start_context_thread() before the initcalls: keventd = pid 2, child of init (R3.4)
            int kev = k.kthreads.kernelThread(init, "keventd", keventdFn(), CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES);
            k.kthreadd = k.task(kev);
            if (k.config.initcallThreads()) {
                int sig = CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES | CloneFlags.CLONE_SIGNAL;
                for (int cpu = 0; cpu < k.nrCpus(); cpu++) k.kthreads.kernelThread(init, "ksoftirqd_CPU" + cpu, daemonFn(), sig);
                k.kthreads.kernelThread(init, "kswapd", daemonFn(), sig);
                k.kthreads.kernelThread(init, "bdflush", daemonFn(), sig);
                k.kthreads.kernelThread(init, "kupdated", daemonFn(), sig);
            }
        } else if (k.config.initcallThreads()) {
            List<String> names = new ArrayList<>();
            for (int cpu = 0; cpu < k.nrCpus(); cpu++) names.add("ksoftirqd/" + cpu);
            for (int cpu = 0; cpu < k.nrCpus(); cpu++) names.add("events/" + cpu);
            names.add("khelper");
            names.add("kswapd0");
            for (String n : names) {
                int pid = k.kthreads.kthreadCreate(init, n, KernelThreadFn.sleeper());
                if (pid > 0) k.sched.wakeUpProcess(k.task(pid), 0);
            }
        }
        k.kthreads.runPending(10_000);                           // the daemons start and go to sleep
        k.sched.runAs(init);
        int r = k.exec.doExecve(init, "/sbin/init");              // run_init_process: exec by a kernel thread (T12)
        if (r != 0) throw new KernelBug("init", "No init found: execve(/sbin/init) = " + r);
        k.setPgrpSession(init, 1, 1);                             // /sbin/init calls setsid()
        init.sighand.setHandler(Signals.SIGCHLD, Signals.SIG_HANDLER);  // and catches SIGCHLD to reap orphans
        init.leader = true;
        k.kthreads.runPending(10_000);
        k.sched.runAs(init);
    }

    /** The idle task of a CPU: pid 0 "swapper", no mm, active_mm = init_mm, never on a runqueue. */
    private static void makeIdle(Kernel k, int cpu, MmStruct initMm) {
        Task t = new Task(k);
        t.pid = 0;
        t.tgid = 0;
        t.setComm("swapper");
        t.state = TaskState.RUNNING;
        t.activeMm = initMm;
        t.processor = cpu;
        t.cpusAllowed = k.version.is24() ? -1 : 1 << cpu;       // 2.4 INIT_TASK: all CPUs; 2.6 init_idle: its own
        t.onCpu = true;
        t.groupLeader = t;
        t.threadGroup = new ArrayList<>(List.of(t));
        t.files = k.initFiles;
        t.fs = k.initFs;
        t.sighand = new Shared(Shared.Kind.SIGHAND, k.sharedId());
        t.signal = k.version.is26() ? new Shared(Shared.Kind.SIGNAL, k.sharedId()) : null;
        t.usage = 2;
        // INIT_RLIMITS: 2.4 RLIMIT_MEMLOCK is RLIM_INFINITY; 2.6.22 MLOCK_LIMIT = 8 pages
        t.rlimitMemlock = k.version.is24() ? Long.MAX_VALUE : 8 * tasklab.machine.Pte.PAGE_SIZE;
        if (k.version.is24()) {
            t.setCounter(Sched24.DEF_COUNTER);                     // INIT_TASK; cpu_idle() lowers it after rest_init
        } else {
            t.prio = 140;                                        // init_idle(): MAX_PRIO
            t.staticPrio = 120;
            t.timeSlice = Sched26.taskTimeslice(120);
        }
        int stack = k.machine.mem().allocPair(PhysMem.F_KERNEL_STACK);
        k.machine.mem().setReserved(stack);                      // init_task_union is part of the kernel image
        k.machine.mem().setReserved(stack + 1);
        t.stackPfn = stack;
        t.esp = t.stackBase() + Task.THREAD_SIZE - Task.childRegsOffset(k.version);
        k.idle[cpu] = t;
        k.mm.perCpu(cpu).setCurrent(t);
        if (cpu > 0) {                                           // init_task holds the first reference
            k.initFiles.count++;
            k.initFs.count++;
        }
        if (cpu == 0) k.taskList.add(t);                          // init_task heads the task list
    }

    /** keventd (2.4 context_thread): daemonize, ignore SIGCHLD, then sleep on its queue. (R6.6) */
    private static KernelThreadFn keventdFn() {
        return new KernelThreadFn() {
            boolean set;
            @Override public int step(Kernel k, Task self) {
                if (!set) {
                    set = true;
                    k.kthreads.daemonize(self, "keventd");
                    self.sighand.setHandler(Signals.SIGCHLD, Signals.SIG_IGN);
                }
                return SLEEP;
            }
        };
    }

    /** A 2.4 initcall daemon (kswapd, bdflush, ...): daemonize once, then sleep. */
    private static KernelThreadFn daemonFn() {
        return new KernelThreadFn() {
            boolean set;
            @Override public int step(Kernel k, Task self) {
                if (!set) {
                    set = true;
                    k.kthreads.daemonize(self, null);
                }
                return SLEEP;
            }
        };
    }

    /** kthreadd's loop: sleep while the create list is empty (requests are served by kthread_create). */
    private static KernelThreadFn kthreaddFn() {
        return (k, self) -> KernelThreadFn.SLEEP;
    }
}
