package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** sim.count: a vmstat counter now and since a snapshot (R9.5: one COW copy for the first write after fork). */
class SimCountTest {
    @Test
    void R9_5_countSinceSnapshotSeesOneCowCopy() {
        Sim sim = Sim.boot();
        Proc p = sim.process("demo");
        p.write(p.heap(), 'P');
        Snapshot s = sim.snapshot("before");
        Proc c = p.fork();
        c.write(p.heap(), 'C');
        assertEquals(1, sim.count("cow_copy", s));
        assertEquals(sim.count("cow_copy"), sim.count("cow_copy", s));
    }

    @Test
    void unknownCounterNamesTheValidOnes() {
        LabException e = assertThrows(LabException.class, () -> Sim.boot().count("cow_copies"));
        assertTrue(e.getMessage().contains("cow_copy"), e.getMessage());
    }

    @Test
    void R5_17_explainLastKeepsOnlyTheNewestCall() {
        Sim sim = Sim.boot();
        Proc p = sim.process("demo");
        Proc v = p.vfork();
        v.exec("/bin/true");
        Explanation last = sim.explain().last(1);
        assertEquals(1, last.entries().size());
        assertTrue(last.entries().get(0).headline().contains("execve"), last.toString());
    }

    @Test
    void R6_15_tryKthreadStopOfANeverWokenThreadIsEintrNotAnException() {
        Sim sim = Sim.linux26().boot();
        Proc k = sim.kthreadCreate("never", tasklab.kernel.KernelThreadFn.sleeper());
        SysResult r = k.tryKthreadStop();
        assertEquals(tasklab.kernel.Errno.EINTR, r.errno(), r.describe());
    }

    @Test
    void R6_16_tryKthreadBindAfterTheThreadRanFails() {
        Sim sim = Sim.linux26().cpus(2).boot();
        Proc k = sim.kthreadRun("ran", tasklab.kernel.KernelThreadFn.sleeper());
        sim.runMillis(5);
        assertTrue(k.tryKthreadBind(1).failed(), k.tryKthreadBind(1).describe());
    }
}
