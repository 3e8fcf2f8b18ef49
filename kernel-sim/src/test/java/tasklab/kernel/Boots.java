package tasklab.kernel;

/** Test helper: kernels booted with the §13 invariant checker on after every operation. */
final class Boots {
    private Boots() {}

    /** The version's default machine, one CPU, invariants checked. */
    static Kernel up(KernelVersion v) { return of(KernelConfig.of(v)); }

    /** n CPUs. */
    static Kernel smp(KernelVersion v, int n) { return of(KernelConfig.of(v).withCpus(n)); }

    /** n CPUs and no initcall kernel threads (only init and the idle tasks run): what the scheduler tests want. */
    static Kernel minimal(KernelVersion v, int cpus) { return of(KernelConfig.of(v).withCpus(cpus).withInitcallThreads(false)); }

    static Kernel of(KernelConfig c) {
        Kernel k = Kernel.boot(c);
        k.setCheckInvariants(true);
        k.checkInvariants("boot");
        return k;
    }
}
