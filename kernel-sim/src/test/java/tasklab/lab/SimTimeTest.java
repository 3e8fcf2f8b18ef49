package tasklab.lab;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasklab.kernel.KernelVersion;
import tasklab.trace.Event;
import tasklab.trace.FlushReason;

/**
 * Simulated time as the trace and the lab API show it. New rule ids (the simulator's time model,
 * not a kernel rule; LINUX-SPEC has none yet):
 * <ul>
 * <li>T1 (causality) each CPU has its own cycle counter, but an IPI's handling on the target CPU
 *     is never stamped before the send on the source: at delivery the target's clock catches up
 *     with the sender's, as if it had waited. So every event the target records after an IPI in
 *     the trace (the remote flush of R8.2 / R8.3, the switch a reschedule IPI causes) is stamped
 *     at or after the IPI, and the timeline and the Chrome trace show them in that order.</li>
 * <li>T2 (now) {@code sim.nowMicros()} is the furthest any CPU's cycle counter or the run clock
 *     has got: system calls made without run / step (fork, write) move it, and it never goes
 *     backwards.</li>
 * </ul>
 */
class SimTimeTest {

    /** Two CPUs; p runs far ahead on CPU0 (many faults), its thread t touched the mm once on CPU1; then p unmaps a page. */
    private static Sim shootdownAfterSkew(KernelVersion v) {
        Sim sim = (v.is26() ? Sim.linux26() : Sim.linux24()).cpus(2).boot();
        Workloads.ThreadOnCpu1 w = Workloads.threadOnCpu1(sim, "smp");   // the mm is live on CPU1
        Proc p = w.p(), t = w.t();
        long a = w.a();
        assertEquals(1, t.task().processor());
        assertEquals(0, p.task().processor());
        long big = p.mmap(64 * 4096);
        p.touch(big, 64 * 4096, 3);                      // CPU0's clock runs well ahead of CPU1's
        p.munmap(a, 4096);                               // flush_tlb_range: an INVALIDATE_TLB IPI to CPU1
        return sim;
    }

    /** T1: after each IPI in the trace, the target CPU stamps nothing earlier than the send. */
    private static int assertCausal(List<Event> events) {
        int ipis = 0;
        for (int i = 0; i < events.size(); i++) {
            if (!(events.get(i) instanceof Event.Ipi ipi)) continue;
            ipis++;
            for (int j = i + 1; j < events.size(); j++) {
                Event e = events.get(j);
                if (e.cpu() == ipi.targetCpu()) {
                    assertTrue(e.time() >= ipi.time(), "after " + ipi + ", CPU" + ipi.targetCpu() + " stamped " + e + " earlier");
                }
            }
        }
        return ipis;
    }

    @Test
    void T1_R8_2_theRemoteFlushIsStampedNoEarlierThanItsShootdownIpi() {
        Sim sim = shootdownAfterSkew(KernelVersion.LINUX_2_6);   // the shootdown path (mm/TlbFlush) is the same on 2.4
        List<Event> events = sim.kernel().trace().events();
        Event.Ipi shootdown = null;
        Event.TlbFlush remote = null;
        for (Event e : events) {
            if (e instanceof Event.Ipi i && i.vector().equals("INVALIDATE_TLB")) shootdown = i;
            if (shootdown != null && e instanceof Event.TlbFlush f && f.cpu() == 1 && f.reason() == FlushReason.REMOTE_SHOOTDOWN) remote = f;
        }
        assertNotNull(shootdown, "munmap with the mm live on CPU1 sends a shootdown (R8.2)");
        assertNotNull(remote, "CPU1 flushes in smp_invalidate_interrupt (R8.3)");
        assertTrue(remote.time() >= shootdown.time(), "the flush " + remote + " comes after the IPI " + shootdown);
        assertTrue(sim.kernel().machine().cpu(0).cycles() > 0);
        assertTrue(assertCausal(events) >= 1);
    }

    @Test
    void T1_aRescheduleIpiIsTakenAfterItWasSent() {
        Sim sim = Sim.linux26().cpus(2).boot();
        Proc p = sim.process("waker");
        p.setAffinity(0b01);
        long big = p.mmap(64 * 4096);
        p.touch(big, 64 * 4096, 3);                      // CPU0 far ahead; CPU1 idles at its old clock
        Proc c = p.fork();                               // the child is queued on CPU0 behind p ...
        c.setAffinity(0b10);                             // ... and moved to idle CPU1: a reschedule IPI
        List<Event> events = sim.kernel().trace().events();
        boolean resched = events.stream().anyMatch(e -> e instanceof Event.Ipi i && i.vector().equals("RESCHEDULE"));
        assertTrue(resched, "waking a task onto an idle CPU sends it a reschedule IPI");
        assertTrue(assertCausal(events) >= 1);
    }

    @Test
    void T1_theTimelineAndTheChromeTraceDrawTheRemoteFlushAfterTheIpi(@TempDir Path dir) throws Exception {
        Sim sim = shootdownAfterSkew(KernelVersion.LINUX_2_6);
        String svg = sim.timeline().toSvg();
        double ipiX = firstX(svg, "class=\"ipi\" data-vector=\"INVALIDATE_TLB\"");
        double flushX = firstX(svg, "class=\"flush\" data-reason=\"REMOTE_SHOOTDOWN\"");
        assertTrue(ipiX >= 0 && flushX >= 0, "the timeline draws the IPI arrow and the remote flush tick");
        assertTrue(flushX >= ipiX, "CPU1's flush tick (x " + flushX + ") is not left of the IPI arrow (x " + ipiX + ")");
        JsonNode events = new ObjectMapper().readTree(Export.chromeTrace(sim, dir.resolve("t.json")).toFile()).get("traceEvents");
        double sent = -1, flushed = -1;
        for (JsonNode e : events) {
            String name = e.get("name").asText();
            if (name.startsWith("IPI INVALIDATE_TLB")) sent = e.get("ts").asDouble();
            if (sent >= 0 && e.get("tid").asInt() == 1 && name.equals("tlb_flush remote_shootdown")) flushed = e.get("ts").asDouble();
        }
        assertTrue(sent >= 0, "the IPI is an instant event");
        assertTrue(flushed >= sent, "CPU1's flush instant (" + flushed + " us) is not before the IPI (" + sent + " us)");
        // Each CPU's slices stay in order and end no later than the timeline's end (nowMicros).
        double end = sim.nowMicros();
        for (JsonNode e : events) {
            if (e.get("ph").asText().equals("X")) {
                assertTrue(e.get("ts").asDouble() + e.get("dur").asDouble() <= end + 1e-6, "a slice ends by nowMicros: " + e);
            }
        }
    }

    /** The x1 of the first SVG line carrying {@code attrs}, or -1. */
    private static double firstX(String svg, String attrs) {
        var m = java.util.regex.Pattern.compile("<line " + java.util.regex.Pattern.quote(attrs) + "[^>]*? x1=\"([0-9.]+)\"").matcher(svg);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void T2_nowMicrosMovesWithSystemCallsAndNeverGoesBack() {
        Sim sim = Sim.linux24().boot();
        double boot = sim.nowMicros();
        Proc p = sim.process("demo");
        double afterProcess = sim.nowMicros();
        assertTrue(afterProcess > boot, "fork + exec cost cycles: " + boot + " -> " + afterProcess);
        Proc c = p.fork();
        double afterFork = sim.nowMicros();
        assertTrue(afterFork > afterProcess, "fork: " + afterProcess + " -> " + afterFork);
        c.write(p.heap(), 'C');
        double afterWrite = sim.nowMicros();
        assertTrue(afterWrite > afterFork, "the write faults (COW or anonymous page): " + afterFork + " -> " + afterWrite);
        long maxCpu = 0;
        for (int cpu = 0; cpu < sim.kernel().nrCpus(); cpu++) maxCpu = Math.max(maxCpu, sim.kernel().machine().cpu(cpu).cycles());
        assertEquals(sim.kernel().config().cpu().nsFromCycles(maxCpu) / 1000.0, afterWrite, 1e-9, "the furthest CPU clock");
        sim.runMillis(1);
        assertTrue(sim.nowMicros() >= afterWrite, "never backwards");
    }
}
