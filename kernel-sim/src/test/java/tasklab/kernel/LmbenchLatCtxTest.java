package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tasklab.machine.CpuModel;
import tasklab.program.Program;

/**
 * lmbench's lat_ctx in the simulator, against the 1995 Linux i686 row. New rule ids, worded here:
 * <ul>
 * <li><b>R15.4</b> "pipe_read on an empty pipe sleeps in TASK_INTERRUPTIBLE on the pipe's wait queue;
 *     pipe_write wakes the sleepers (wake_up_interruptible)", fs/pipe.c.</li>
 * <li><b>R15.5</b> "lat_ctx reports the time per token hop in a ring of pipes minus the time of the
 *     same pipe read / sum / write in one process", lmbench 1.x lat_ctx.c.</li>
 * </ul>
 */
class LmbenchLatCtxTest {
    static final CpuModel PPRO_167 = CpuModel.PENTIUM_PRO_200.withMhz(167);

    private static List<String> i686Row() throws IOException {
        Path p = Path.of("..", "datasets", "lmbench_ctx_tbl_1995.csv");
        for (String line : Files.readAllLines(p)) {
            if (line.startsWith("26,Linux i686,")) return List.of(line.split(","));
        }
        throw new AssertionError("row 26 (Linux i686) not found in " + p);
    }

    @Test
    void R15_5_theFourPublishedI686PointsWithin15Percent() throws IOException {
        List<String> row = i686Row();
        int[][] points = {{2, 0, 2}, {2, 32, 3}, {8, 0, 4}, {8, 32, 5}};    // procs, KiB, column
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (int[] pt : points) {
            double published = Double.parseDouble(row.get(pt[2]));
            LmbenchLatCtx.Point p = LmbenchLatCtx.measure(KernelVersion.LINUX_2_4, PPRO_167, pt[0], pt[1]);
            double err = (p.switchUs() - published) / published;
            report.append(String.format("%dp/%dK: %.2f us (published %.0f, %+.1f%%)%n", pt[0], pt[1], p.switchUs(), published, 100 * err));
            assertEquals(p.rawUs() - p.overheadUs(), p.switchUs(), 1e-9);
            ok &= Math.abs(err) <= 0.15;
        }
        assertTrue(ok, "every point within 15%:\n" + report);
    }

    @Test
    void R15_5_sumitReadsWhatLmbench1Reads() {
        assertEquals(0, LmbenchLatCtx.sumBytes(0));
        assertEquals(0, LmbenchLatCtx.sumBytes(2));
        assertEquals(2048, LmbenchLatCtx.sumBytes(4));
        assertEquals(30 * 1024, LmbenchLatCtx.sumBytes(32), "512-int steps while more than 512 ints are left");
    }

    @Test
    void R15_5_theOverheadSumsTheZeroPageAndNeverSwitches() {
        double small = LmbenchLatCtx.overheadMicros(KernelVersion.LINUX_2_4, PPRO_167, 0);
        double big = LmbenchLatCtx.overheadMicros(KernelVersion.LINUX_2_4, PPRO_167, 32);
        double sumInstructions = PPRO_167.nsFromCycles(LmbenchLatCtx.sumComputeCycles(32)) / 1000;
        // the 30 KiB sum reads one cached zero page: it costs its instructions and hardly any misses
        assertEquals(small + sumInstructions, big, 0.05 * sumInstructions);
    }

    @Test
    void R15_4_aReadOfAnEmptyPipeSleepsAndTheWriteWakesIt() {
        for (KernelVersion v : KernelVersion.values()) {
            Kernel k = Boots.of(KernelConfig.of(v).withCpus(1).withInitcallThreads(false));
            int p = k.pipe();
            int reader = k.spawn(Program.builder().pipeRead(p).pause().build());
            k.runMillis(2);
            Task r = k.task(reader);
            assertEquals(TaskState.INTERRUPTIBLE, r.state, v + ": the reader sleeps in pipe_read");
            assertEquals(0, k.pipeReads(p));
            int writer = k.spawn(Program.builder().pipeWrite(p).pause().build());
            k.runMillis(2);
            assertEquals(1, k.pipeWrites(p));
            assertEquals(1, k.pipeReads(p), v + ": woken, the reader's read completes");
            assertTrue(writer > 0);
        }
    }

    @Test
    void aBadPipeNumberIsAClearError() {
        Kernel k = Kernel.boot(KernelConfig.of(KernelVersion.LINUX_2_4).withInitcallThreads(false));
        var e = assertThrows(IllegalArgumentException.class, () -> k.pipeReads(3));
        assertTrue(e.getMessage().contains("Kernel.pipe()"));
    }
}
