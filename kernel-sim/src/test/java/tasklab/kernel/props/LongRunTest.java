package tasklab.kernel.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.Tag;
import tasklab.kernel.KernelVersion;

/**
 * The long run: at least 10^6 random operations (both versions, 1-8 CPUs, runs of 2 000 ops each
 * ending in the leak check), every §13 invariant checked after every operation. Tagged "long":
 * excluded from the default build; run it with
 * {@code mvn -B -o -pl kernel-sim test -Dtest=LongRunTest -Dtasklab.excludedGroups=none}
 * (or kernel-sim/bin/long-run). -Dtasklab.longrun.ops=N changes the total.
 */
@Tag("long")
class LongRunTest {
    @Example
    void aMillionOperations() {
        long target = Long.getLong("tasklab.longrun.ops", 1_000_000L);
        long seed = Long.getLong("tasklab.longrun.seed", 42L);
        Arbitrary<List<Op>> gen = Ops.op().list().ofSize(2_000);
        var random = new java.util.Random(seed);
        long ops = 0;
        int runs = 0;
        Map<String, Long> stats = new TreeMap<>();
        long t0 = System.nanoTime();
        while (ops < target) {
            KernelVersion v = KernelVersion.values()[runs % 2];
            int cpus = 1 + (runs / 2) % 8;
            List<Op> seq = gen.generator(1000).next(new java.util.Random(random.nextLong())).value();
            OpRunner r = new OpRunner(v, cpus, 64L << 20);
            List<Op> done = new ArrayList<>();
            try {
                for (Op op : seq) { r.run(op); done.add(op); }
                OpRunner.Result res = r.finish();
                assertTrue(res.clean(), "run " + runs + " (" + v + ", " + cpus + " CPUs): " + res);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("run " + runs + " (" + v + ", " + cpus + " CPUs) failed after " + done.size()
                    + " ops; last ops " + done.subList(Math.max(0, done.size() - 20), done.size()), e);
            }
            ops += r.ops;
            runs++;
            r.stats.forEach((key, n) -> stats.merge(key, n, Long::sum));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("long run: %d ops in %d runs, %.1f s, %.0f ops/s, no failure%n", ops, runs, secs, ops / secs);
        stats.forEach((key, n) -> System.out.printf("  %-40s %d%n", key, n));
    }
}
