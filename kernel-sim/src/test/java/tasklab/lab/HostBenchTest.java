package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;
import tech.tablesaw.api.Table;

/** The host's three measures and the simulator's, in the same columns, with the method that took them. */
class HostBenchTest {
    static final List<String> COLUMNS = List.of("measure", "value", "unit", "source", "method", "detail");
    static final List<String> MEASURES = List.of("context_switch", "fork", "fork_per_page", "cow_fault");

    @Test
    void theSimulatorsSideHasTheSameRows() {
        Table sim = HostBench.simulated(CpuModel.PENTIUM_PRO_200, KernelVersion.LINUX_2_4);
        assertEquals(COLUMNS, sim.columnNames());
        assertEquals(MEASURES, sim.stringColumn("measure").asList());
        assertTrue(sim.doubleColumn("value").get(0) > 1, "a simulated PPro switch takes microseconds");
        assertTrue(sim.doubleColumn("value").get(3) > 1, "a COW fault copies 4 KiB");
        assertEquals("simulated Pentium Pro-200, Linux 2.4.22", sim.stringColumn("source").get(0));
    }

    @Test
    void javaMeasuresSayWhatTheyAreAndLeaveForkEmpty() {
        Table t = HostBench.measureWithJava();
        assertEquals(COLUMNS, t.columnNames());
        assertEquals(MEASURES, t.stringColumn("measure").asList());
        assertTrue(t.stringColumn("method").get(0).startsWith("java"));
        assertTrue(t.doubleColumn("value").get(0) > 0, "a thread hand-off takes some time");
        assertTrue(t.doubleColumn("value").isMissing(1), "Java cannot fork: no number");
        assertTrue(t.doubleColumn("value").get(3) > 0, "a COW fault takes some time");
        // the host and simulator tables stack into one, for one chart
        Table both = t.copy().append(HostBench.simulated(CpuModel.PENTIUM_4_2000, KernelVersion.LINUX_2_6));
        assertEquals(8, both.rowCount());
    }

    @Test
    void withACompilerHostbenchIsUsed() {
        assumeTrue(HostBench.compiler() != null && HostBench.findSource() != null, "needs cc and benchmarks/host/hostbench.c");
        Table t = HostBench.measure();
        assertEquals(MEASURES, t.stringColumn("measure").asList());
        assertTrue(t.stringColumn("method").get(0).startsWith("hostbench.c"), t.stringColumn("method").get(0));
        for (int i = 0; i < 4; i++) {
            double v = t.doubleColumn("value").get(i);
            // a difference of two forks can drown in the noise of a loaded machine: then no number, and a note saying so
            boolean saysBusy = i == 2 && Double.isNaN(v) && t.stringColumn("detail").get(i).contains("too busy");
            assertTrue(v > 0 || saysBusy, MEASURES.get(i) + " = " + v + " (" + t.stringColumn("detail").get(i) + ")");
        }
    }
}
