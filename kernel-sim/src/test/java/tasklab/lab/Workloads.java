package tasklab.lab;

import tasklab.kernel.CloneFlags;
import tasklab.kernel.KernelVersion;
import tasklab.program.Program;

/** Small scripted workloads the lab tests chart and export. */
final class Workloads {
    private Workloads() {}

    private static Sim smp24;

    /** A process, four touched pages at {@code a} and a thread of it that wrote there from CPU1. */
    record ThreadOnCpu1(Proc p, Proc t, long a) {}

    /**
     * In a 2-CPU sim: a process with four touched pages and a CLONE_THREAD thread that writes one
     * of them, so the mm is live on both CPUs (on 2.6 sched_setaffinity puts the thread on CPU1; on
     * 2.4, which has no such call, the wake-up finds idle CPU1).
     */
    static ThreadOnCpu1 threadOnCpu1(Sim sim, String comm) {
        Proc p = sim.process(comm);
        long a = p.mmap(4 * 4096);
        p.touch(a, 4 * 4096, 1);
        Proc t = p.clone(CloneFlags.CLONE_VM, CloneFlags.CLONE_FS, CloneFlags.CLONE_FILES, CloneFlags.CLONE_SIGHAND, CloneFlags.CLONE_THREAD);
        if (sim.kernel().version().is26()) t.setAffinity(0b10);
        t.write(a, 2);
        return new ThreadOnCpu1(p, t, a);
    }

    /** {@link #smp} on 2.4 for 30 ms, made once: tests only read it. */
    static synchronized Sim smp24() {
        if (smp24 == null) smp24 = smp(KernelVersion.LINUX_2_4, 100);
        return smp24;
    }

    /**
     * Two processes on two CPUs, each with a thread sharing its mm; the leaders fork and reap
     * children in a loop, so fork's flush_tlb_mm finds the mm on the other CPU (a shootdown on 2.4).
     */
    static Sim smp(KernelVersion v, int millis) {
        Sim sim = Sim.of(v).cpus(2).seed(1).boot();
        Program worker = Program.builder().mmap(16 << 10).touchMapped(16 << 10, 4096, true)
            .loop(1000, b -> b.touchMapped(16 << 10, 4096, true).yield()).exit(0).build();
        Program p = Program.builder().mmap(64 << 10).touchMapped(64 << 10, 4096, true)
            .clone(CloneFlags.CLONE_VM | CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES | CloneFlags.CLONE_SIGHAND, worker)
            .loop(200, b -> b.fork(Program.builder().exit(0).build()).waitAny().touchMapped(64 << 10, 4096, true))
            .exit(0).build();
        sim.spawn(p, 2);
        sim.runMillis(millis);
        return sim;
    }
}
