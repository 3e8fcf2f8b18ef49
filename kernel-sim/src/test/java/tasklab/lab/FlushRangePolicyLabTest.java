package tasklab.lab;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tasklab.mm.FlushRangePolicy;
import tasklab.mm.FlushRangePolicy.Flush;
import tasklab.mm.VmFlags;
import tasklab.program.Program;
import tasklab.trace.Counter;

/** The flush_tlb_range extension point as a notebook reaches it: SimBuilder.flushRangePolicy (R8.8). */
class FlushRangePolicyLabTest {
    static final FlushRangePolicy PER_PAGE = FlushRangePolicy.named("per-page", r -> Flush.PER_PAGE);

    /** Forks, COW, munmap and exit on 2 CPUs: every kind of range flush, run to the end. */
    private static Sim workload(SimBuilder b) {
        Sim sim = b.cpus(2).boot();
        Program child = Program.builder().touchMapped(16 << 12, 4096, true).exit(0).build();
        sim.spawn(Program.builder().mmap(16 << 12).touchMapped(16 << 12, 4096, true)
            .loop(3, l -> l.fork(child).touchMapped(16 << 12, 4096, true).waitAny()).exit(0).build(), 2);
        sim.runUntilIdle(Duration.ofSeconds(5));
        return sim;
    }

    @Test
    void R8_8_aPolicyAnsweringAsTheKernelGivesTheKernelsTraceByteForByte() {
        Sim kernel = workload(Sim.linux24()), asked = workload(Sim.linux24().flushRangePolicy(FlushRangePolicy.named("full", r -> Flush.FULL)));
        assertTrue(kernel.kernel().counters().snapshot().total(Counter.FLUSH_TLB_RANGE) > 0, "the workload flushes ranges");
        assertEquals(kernel.kernel().trace().toText(), asked.kernel().trace().toText());
        assertEquals(kernel.kernel().counters().snapshot().toString(), asked.kernel().counters().snapshot().toString());
        assertSame(FlushRangePolicy.LINUX_2_4, Sim.boot().config().flushRangePolicy(), "the default is the kernel's");
    }

    @Test
    void R8_8_perPageTurnsOneFullFlushIntoOneInvlpgPerPage() {
        for (FlushRangePolicy policy : new FlushRangePolicy[] {FlushRangePolicy.LINUX_2_4, PER_PAGE, FlushRangePolicy.LINUX_4}) {
            Sim sim = Sim.linux24().flushRangePolicy(policy).boot();
            Proc p = sim.process("w");
            long a = p.mmap(8 * 4096);
            p.touch(a, 8 * 4096, 1);
            Snapshot before = sim.snapshot("before");
            p.mprotect(a, 4 * 4096, VmFlags.PROT_READ);
            boolean perPage = policy != FlushRangePolicy.LINUX_2_4;
            assertEquals(1, sim.count("flush_tlb_range", before), policy + ": one flush_tlb_range call either way");
            assertEquals(perPage ? 0 : 1, sim.count("tlb_full_local", before), policy + ": full flushes");
            assertEquals(perPage ? 4 : 0, sim.count("tlb_page_local", before), policy + ": INVLPGs");
            String why = sim.explain().toString();
            if (perPage) assertTrue(why.contains("invalidated 4 TLB entries, one INVLPG per page: the flush_tlb_range policy '" + policy + "' chose PER_PAGE"), why);
            else assertFalse(why.contains("PER_PAGE"), why);
        }
    }

    /** Without INVLPG each page's __flush_tlb_one is __flush_tlb: counted as a full flush, as the trace event says. */
    @Test
    void R8_1_R8_8_perPageWithoutInvlpgCountsFullFlushes() {
        Sim sim = Sim.linux24().invlpg(false).flushRangePolicy(PER_PAGE).boot();
        Proc p = sim.process("w");
        long a = p.mmap(8 * 4096);
        p.touch(a, 8 * 4096, 1);
        Snapshot before = sim.snapshot("before");
        p.mprotect(a, 4 * 4096, VmFlags.PROT_READ);
        assertEquals(0, sim.count("tlb_page_local", before), "no INVLPG ran");
        assertEquals(4, sim.count("tlb_full_local", before), "one full flush per page");
        assertTrue(sim.explain().toString().contains("flushed its whole TLB once per page (no INVLPG on this CPU)"));
    }

    @Test
    void R8_8_theReadmeExtensionPointExampleDoesWhatItsCommentsSay() throws java.io.IOException {
        java.nio.file.Path readme = java.nio.file.Path.of("README.md");
        if (!java.nio.file.Files.exists(readme)) readme = java.nio.file.Path.of("..", "README.md");
        String text = java.nio.file.Files.readString(readme);
        assertTrue(text.contains("r -> r.hasInvlpg() && r.pages() <= 8 ? Flush.PER_PAGE : Flush.FULL)).boot();")
            && text.contains("p.mprotect(a, 4 * 4096, VmFlags.PROT_READ);   // 4 INVLPGs instead of one __flush_tlb"), "README shows this example");
        var sim = Sim.linux24().flushRangePolicy(FlushRangePolicy.named("small-ranges",
                r -> r.hasInvlpg() && r.pages() <= 8 ? Flush.PER_PAGE : Flush.FULL)).boot();
        var p = sim.process("w");
        long a = p.mmap(16 * 4096);
        p.touch(a, 16 * 4096, 1);
        Snapshot s = sim.snapshot("before");
        p.mprotect(a, 4 * 4096, VmFlags.PROT_READ);
        assertEquals(4, sim.count("tlb_page_local", s));
        assertEquals(0, sim.count("tlb_full_local", s));
        assertTrue(sim.explain().toString().contains("the flush_tlb_range policy 'small-ranges' chose PER_PAGE"));
    }

    @Test
    void R8_8_aPolicyThatThrowsIsALabExceptionAfterTheCallAndTheSimulationGoesOn() {
        FlushRangePolicy broken = FlushRangePolicy.named("broken", r -> { if (r.pages() >= 12) throw new ArithmeticException("/ by zero"); return Flush.PER_PAGE; });
        Sim sim = Sim.linux24().flushRangePolicy(broken).boot(), ref = Sim.boot();
        Proc p = sim.process("w"), q = ref.process("w");
        long a = p.mmap(16 * 4096), b = q.mmap(16 * 4096);
        p.touch(a, 16 * 4096, 1);
        q.touch(b, 16 * 4096, 1);
        LabException e = assertThrows(LabException.class, () -> p.mprotect(a, 12 * 4096, VmFlags.PROT_READ));
        q.mprotect(b, 12 * 4096, VmFlags.PROT_READ);
        assertEquals("flushRangePolicy", e.call());
        assertTrue(e.getMessage().contains("during mprotect(") && e.getMessage().contains("policy 'broken' threw ArithmeticException: / by zero")
            && e.getMessage().contains("12 pages") && e.getMessage().contains("flushed the whole mm instead"), e.getMessage());
        assertEquals(0x065, sim.kernel().mm().pageTables.pte(p.mm(), a) & 0xFFF, "the mprotect itself completed");
        Snapshot s = sim.snapshot("ok");
        p.mprotect(a, 2 * 4096, VmFlags.PROT_READ | VmFlags.PROT_WRITE);      // 2 pages: the policy answers, no exception
        assertEquals(2, sim.count("tlb_page_local", s), "the simulation goes on with the policy");
        assertEquals(1, p.read(a + 4096 * 15));
    }

    @Test
    void R8_8_nullPoliciesAndNullAnswersAreSentences() {
        LabException e = assertThrows(LabException.class, () -> Sim.linux24().flushRangePolicy(null));
        assertTrue(e.getMessage().contains("a policy is needed"), e.getMessage());
        Sim sim = Sim.linux24().flushRangePolicy(FlushRangePolicy.named("undecided", r -> r.pages() == 5 ? null : Flush.FULL)).boot();
        Proc p = sim.process("w");
        long a = p.mmap(5 * 4096);
        p.touch(a, 5 * 4096, 1);
        e = assertThrows(LabException.class, () -> p.munmap(a, 5 * 4096));
        assertTrue(e.getMessage().contains("'undecided' returned null") && e.getMessage().contains("must return Flush.FULL or Flush.PER_PAGE"), e.getMessage());
    }

    @Test
    void R8_8_aBrokenPolicyInASweepNamesTheRun() {
        FlushRangePolicy broken = FlushRangePolicy.named("broken", r -> { throw new IllegalStateException("todo"); });
        LabException e = assertThrows(LabException.class, () -> Sweep.of(p -> {
            Sim sim = Sim.linux24().flushRangePolicy(p.get("policy", FlushRangePolicy.class)).boot();
            Proc w = sim.process("w");
            long a = w.mmap(4096);
            w.touch(a, 4096, 1);
            w.munmap(a, 4096);
            return Result.of("ok", true);
        }).vary("policy", java.util.List.of(FlushRangePolicy.LINUX_2_4, broken)).threads(1).run());
        assertTrue(e.getMessage().contains("run 2 of 2 (policy=broken)") && e.getMessage().contains("threw IllegalStateException: todo"), e.getMessage());
    }
}
