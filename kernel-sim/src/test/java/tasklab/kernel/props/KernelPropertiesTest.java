package tasklab.kernel.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import tasklab.kernel.KernelVersion;

/**
 * Random operation sequences on 1-8 CPUs and both versions, with every invariant of LINUX-SPEC
 * §13 checked after every operation (a violation throws KernelBug "&lt;function&gt;: &lt;invariant&gt;"),
 * and at the end: every task the run created exits and is reaped, and every frame is back in the
 * free pool. A failure shrinks to a short op list whose {@code toString} is Java to paste into a
 * regression test ({@link Replay}).
 */
class KernelPropertiesTest {

    @Property(tries = 120, shrinking = ShrinkingMode.FULL)
    void randomRunsKeepTheInvariantsAndLeakNothing(@ForAll KernelVersion version,
                                                   @ForAll @IntRange(min = 1, max = 8) int cpus,
                                                   @ForAll("runs") List<Op> ops) {
        OpRunner r = new OpRunner(version, cpus, 64L << 20);
        for (Op op : ops) r.run(op);
        OpRunner.Result res = r.finish();
        assertTrue(res.clean(), res.toString());
    }

    /** A small machine (8 MiB) so fork and faults run out of memory: -ENOMEM and the OOM kill must leave no mess. */
    @Property(tries = 40, shrinking = ShrinkingMode.FULL)
    void smallRamRunsKeepTheInvariantsAndLeakNothing(@ForAll KernelVersion version,
                                                     @ForAll @IntRange(min = 1, max = 4) int cpus,
                                                     @ForAll("runs") List<Op> ops) {
        OpRunner r = new OpRunner(version, cpus, 8L << 20);
        for (Op op : ops) r.run(op);
        OpRunner.Result res = r.finish();
        assertTrue(res.clean(), res.toString());
    }

    @Provide
    Arbitrary<List<Op>> runs() { return Ops.ops(200); }
}
