package tasklab.kernel.props;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import tasklab.kernel.KernelVersion;

/** Replays a shrunk op sequence (pasted from a jqwik report) and asserts a clean end. */
final class Replay {
    private Replay() {}

    static OpRunner.Result run(KernelVersion v, int cpus, long ram, Op... ops) {
        OpRunner r = new OpRunner(v, cpus, ram);
        for (Op op : List.of(ops)) r.run(op);
        OpRunner.Result res = r.finish();
        assertTrue(res.clean(), res.toString());
        return res;
    }
}
