package tasklab.kernel;

import java.util.ArrayDeque;

/**
 * Kernel threads: kernel_thread (2.4 through sys_clone with CLONE_VM; 2.6 through do_fork with
 * CLONE_VM | CLONE_UNTRACED), daemonize per version, and the 2.6 kthread API run through
 * kthreadd (pid 2): kthread_create / run / stop / should_stop / bind, and the kthread() wrapper
 * that runs threadfn. Linux: kernel/kthread.c, kernel/exit.c daemonize(), arch/i386/kernel/process.c.
 */
final class KThreads {
    /** A queued kthread_create request (struct kthread_create_info). */
    static final class CreateInfo {
        final KernelThreadFn threadfn;
        final String name;
        final Completion started = new Completion("kthread_create.started");
        final Completion done = new Completion("kthread_create.done");
        Task result;
        CreateInfo(KernelThreadFn threadfn, String name) { this.threadfn = threadfn; this.name = name; }
    }

    private final Kernel k;
    final ArrayDeque<CreateInfo> createList = new ArrayDeque<>();
    /** kthread_stop_info.k. */
    Task stopTarget;
    int stopErr;
    Completion stopDone;

    KThreads(Kernel k) { this.k = k; }

    /** kernel_thread(fn, arg, flags) run by {@code current}. (R6.1, R6.2, R6.7) */
    int kernelThread(Task current, String name, KernelThreadFn fn, int flags) {
        if (k.version.is24() && current.ptrace != 0) return Errno.EPERM.neg();
        int effective = flags | CloneFlags.CLONE_VM | (k.version.is26() ? CloneFlags.CLONE_UNTRACED : 0);
        int pid = k.fork.doFork(current, effective);
        if (pid > 0) {
            Task t = k.task(pid);
            t.setComm(name.length() > 15 ? name.substring(0, 15) : name);
            t.threadFn = fn;
            t.kthreadFlags = effective;
        }
        return pid;
    }

    /** daemonize() run by kernel thread t. (R6.4 / R6.8, T13) */
    void daemonize(Task t, String name) {
        int cpu = k.sched.runAs(t);
        if (name != null) t.setComm(name.length() > 15 ? name.substring(0, 15) : name);
        k.exit.exitMm(t, cpu);
        k.setPgrpSession(t, 1, 1);
        t.fs.count--;
        t.fs = k.initFs;
        k.initFs.count++;
        t.files.count--;
        t.files = k.initFiles;
        k.initFiles.count++;
        if (k.version.is26()) {                                  // blocks signals, reparent_to_kthreadd
            t.pendingSignals = 0;
            k.ptrace.unlink(t, cpu);                             // reparent_to_kthreadd: ptrace_unlink(current)
            if (k.kthreadd != null && t.parent != k.kthreadd) {
                t.parent.children.remove(t);
                t.realParent = k.kthreadd;
                t.parent = k.kthreadd;
                k.kthreadd.children.add(t);
            }
            t.exitSignal = Signals.SIGCHLD;
            if (t.nice < 0) setNice(t, 0);
        }
    }

    void setNice(Task t, int nice) {
        boolean queued = t.onRunqueue;
        if (queued) k.sched.dequeue(t);
        if (k.version.is24()) t.counter();        // the pending recalculations used the old nice
        t.nice = nice;
        t.staticPrio = 120 + nice;
        t.prio = SchedPolicy.normalPrio(t);       // set_user_nice: a real-time task keeps its prio
        if (queued) k.sched.enqueue(t);
    }

    // ---- 2.6 kthread API ----

    /** kthread_create run by caller: queues a request, wakes kthreadd, sleeps until done. (R6.9-R6.12) */
    int kthreadCreate(Task caller, String name, KernelThreadFn threadfn) {
        if (k.version.is24()) return Errno.ENOSYS.neg();
        CreateInfo create = new CreateInfo(threadfn, name);
        int cpu = k.sched.runAs(caller);
        createList.addLast(create);
        k.sched.wakeUpProcess(k.kthreadd, cpu);
        boolean slept = k.sched.waitForCompletion(caller, create.done, caller.processor);
        if (slept || create.result == null) runKthreadd();
        if (create.result == null) return Errno.ENOMEM.neg();
        return create.result.pid;
    }

    /** kthreadd's loop body: create every queued thread, then sleep. (R6.10, R6.11) */
    private void runKthreadd() {
        Task kd = k.kthreadd;
        while (!createList.isEmpty()) {
            CreateInfo create = createList.pollFirst();
            k.sched.runAs(kd);
            int pid = kernelThread(kd, create.name, null, CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES | Signals.SIGCHLD);
            if (pid < 0) {                                   // create->result = ERR_PTR(pid)
                k.sched.complete(create.done, kd.processor);
                continue;
            }
            Task child = k.task(pid);
            child.kthread = create;
            child.threadFn = create.threadfn;
            k.sched.waitForCompletion(kd, create.started, kd.processor);
            // The new thread runs kthread(): TASK_UNINTERRUPTIBLE, complete(started), schedule().
            int ccpu = k.sched.runAs(child);
            child.state = TaskState.UNINTERRUPTIBLE;
            k.sched.complete(create.started, ccpu);
            k.sched.schedule(ccpu);
            create.result = child;
            int kcpu = k.sched.runAs(kd);
            k.sched.complete(create.done, kcpu);
        }
        if (kd.onCpu || kd.state == TaskState.RUNNING) {
            int kcpu = k.sched.runAs(kd);
            kd.state = TaskState.INTERRUPTIBLE;
            k.sched.schedule(kcpu);
        }
    }

    /** kthread_stop(t) run by caller: sets the stop target, wakes t, waits for it to finish. (R6.15) */
    int kthreadStop(Task caller, Task t) {
        if (k.version.is24()) return Errno.ENOSYS.neg();
        if (t.kthread == null || t.hasExited()) return Errno.EINVAL.neg();
        int cpu = k.sched.runAs(caller);
        stopTarget = t;
        stopDone = new Completion("kthread_stop_info.done");
        stopErr = 0;
        k.sched.wakeUpProcess(t, cpu);
        Completion done = stopDone;
        k.sched.waitForCompletion(caller, done, caller.onCpu ? caller.processor : cpu);
        int guard = 0;
        while (!t.hasExited() && guard++ < 1_000_000) {
            if (t.state != TaskState.RUNNING) k.sched.wakeUpProcess(t, cpu);
            runStep(t, k.sched.runAs(t));
        }
        stopTarget = null;
        return stopErr;
    }

    /** kthread_bind(k, cpu): only a fresh kthread in TASK_UNINTERRUPTIBLE. (R6.16) */
    int kthreadBind(Task t, int cpu) {
        if (cpu < 0 || cpu >= k.nrCpus()) return Errno.EINVAL.neg();
        if (t.state != TaskState.UNINTERRUPTIBLE || t.kthread == null) return Errno.EINVAL.neg();   // WARN_ON and return
        t.processor = cpu;
        t.cpusAllowed = 1 << cpu;
        return 0;
    }

    // ---- running kernel threads ----

    /** One step of a kernel thread that is current on {@code cpu}. */
    void runStep(Task t, int cpu) {
        if (t.kthread != null) { runKthreadStep(t, cpu); return; }
        int r = t.threadFn.step(k, t);
        if (stillRunning(t, r, cpu)) return;
        // 2.4: exit code ((flags & 0xff) << 8), fn's value discarded; 2.6: do_exit(fn())
        k.exit.doExit(t, k.version.is24() ? (t.kthreadFlags & 0xff) << 8 : r);
    }

    /** kthread(): if not told to stop, run threadfn; then report to kthread_stop and exit(0). (R6.12) */
    private void runKthreadStep(Task t, int cpu) {
        int ret;
        if (!t.kthreadStarted) {
            t.kthreadStarted = true;
            if (stopTarget == t) { finishKthread(t, -Errno.EINTR.code(), cpu); return; }
        }
        ret = t.threadFn == null ? 0 : t.threadFn.step(k, t);
        if (stillRunning(t, ret, cpu)) return;
        finishKthread(t, ret, cpu);
    }

    /** RUN: stays runnable; SLEEP: TASK_INTERRUPTIBLE and schedule(). True unless fn returned a value. */
    private boolean stillRunning(Task t, int r, int cpu) {
        if (r == KernelThreadFn.RUN) return true;
        if (r != KernelThreadFn.SLEEP) return false;
        t.state = TaskState.INTERRUPTIBLE;
        k.sched.schedule(cpu);
        return true;
    }

    private void finishKthread(Task t, int ret, int cpu) {
        if (stopTarget == t) {
            stopErr = ret;
            k.sched.complete(stopDone, cpu);
            k.sched.runAs(t);
        }
        k.exit.doExit(t, 0);
    }

    /** Lets every runnable kernel thread with a body run its steps (in task-list order) until all sleep or exit. */
    int runPending(int maxSteps) {
        int steps = 0;
        boolean progress = true;
        while (progress && steps < maxSteps) {
            progress = false;
            for (Task t : new java.util.ArrayList<>(k.taskList)) {
                if (steps >= maxSteps) break;
                if ((t.threadFn == null && t.kthread == null) || t.state != TaskState.RUNNING || t.hasExited()) continue;
                runStep(t, k.sched.runAs(t));
                steps++;
                progress = true;
            }
        }
        k.sched.kickIdle();
        return steps;
    }
}
