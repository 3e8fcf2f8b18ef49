package tasklab.kernel.props;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** The jqwik generators of {@link Op}s: small ints, weighted towards the process lifecycle and memory. */
final class Ops {
    private Ops() {}

    private static Arbitrary<Integer> idx() { return Arbitraries.integers().between(0, 15); }
    private static Arbitrary<Integer> small(int max) { return Arbitraries.integers().between(0, max); }

    /** A clone flag word's raw selector: up to 5 of the flag bits, and an exit-signal choice. */
    private static Arbitrary<Integer> cloneRaw() {
        return Combinators.combine(
                Arbitraries.integers().between(0, OpRunner.CLONE_BITS.length - 1).set().ofMaxSize(5),
                small(3))
            .as((bits, sig) -> {
                int raw = sig;
                for (int b : bits) raw |= 1 << (b + 2);
                return raw;
            });
    }

    @SuppressWarnings("unchecked")
    static Arbitrary<Op> op() {
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, idx().map(Op.Fork::new)),
            net.jqwik.api.Tuple.of(3, idx().map(Op.Vfork::new)),
            net.jqwik.api.Tuple.of(6, Combinators.combine(idx(), cloneRaw()).as(Op.Clone::new)),
            net.jqwik.api.Tuple.of(5, Combinators.combine(idx(), small(7)).as(Op.Exec::new)),
            net.jqwik.api.Tuple.of(6, Combinators.combine(idx(), small(255)).as(Op.Exit::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(idx(), small(255)).as(Op.ExitGroup::new)),
            net.jqwik.api.Tuple.of(6, Combinators.combine(idx(), Arbitraries.integers().between(-1, 4), small(15)).as(Op.Wait::new)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(idx(), idx(), small(8)).as(Op.Kill::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(idx(), small(3), small(2)).as(Op.Sigaction::new)),
            net.jqwik.api.Tuple.of(1, Combinators.combine(idx(), small(1), small(9)).as(Op.Setuid::new)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(idx(), small(3), small(4)).as(Op.KernelThread::new)),
            net.jqwik.api.Tuple.of(1, idx().map(Op.Daemonize::new)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(idx(), small(2), Arbitraries.of(false, true)).as(Op.KthreadCreate::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(idx(), idx()).as(Op.KthreadStop::new)),
            net.jqwik.api.Tuple.of(1, Combinators.combine(idx(), small(8)).as(Op.KthreadBind::new)),
            net.jqwik.api.Tuple.of(5, Combinators.combine(idx(), small(17), small(32), small(7), Arbitraries.of(false, true),
                Arbitraries.of(false, true)).as(Op.Mmap::new)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(idx(), small(17), small(16), small(16)).as(Op.Munmap::new)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(idx(), small(17), small(16), small(16), small(7)).as(Op.Mprotect::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(idx(), Arbitraries.integers().between(-8, 8)).as(Op.Brk::new)),
            net.jqwik.api.Tuple.of(12, Combinators.combine(idx(), Arbitraries.of(false, true), small(17), small(16), small(4095)).as(Op.Access::new)),
            net.jqwik.api.Tuple.of(5, small(7).map(Op.Schedule::new)),
            net.jqwik.api.Tuple.of(4, small(7).map(Op.Tick::new)),
            net.jqwik.api.Tuple.of(2, idx().map(Op.Yield::new)),
            net.jqwik.api.Tuple.of(2, idx().map(Op.Sleep::new)),
            net.jqwik.api.Tuple.of(3, idx().map(Op.Wake::new)),
            net.jqwik.api.Tuple.of(2, small(49).map(Op.RunKthreads::new)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(small(7), small(2), idx()).as(Op.Flush::new)),
            net.jqwik.api.Tuple.of(1, Combinators.combine(idx(), idx(), small(255)).as(Op.Affinity::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(idx(), idx(), small(5)).as(Op.Setpgid::new)),
            net.jqwik.api.Tuple.of(1, idx().map(Op.Setsid::new)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(idx(), small(6), small(17), small(16), small(16)).as(Op.Mlock::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(idx(), small(9), idx(), small(20)).as(Op.Ptrace::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(idx(), idx(), small(4), small(4), small(99)).as(Op.SchedParam::new)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(idx(), cloneRaw(), small(17), small(4095)).as(Op.CloneTid::new))
        );
    }

    /**
     * Runs of 1..max ops, uniformly sized (mean max / 2): the minimum is 1, not the typical length,
     * so a failure shrinks to the few ops that matter.
     */
    static Arbitrary<List<Op>> ops(int max) {
        return op().list().ofMinSize(1).ofMaxSize(max).withSizeDistribution(net.jqwik.api.RandomDistribution.uniform());
    }
}
