"""Writes notebooks/homework/flush-policy/flush-policy.ipynb: assignment (c), a student's flush_tlb_range policy
behind the simulator's extension point (tasklab.mm.FlushRangePolicy), measured with a sweep and a chart."""
import os
from nbmake import md, code, readonly, answer, tests, manual, write

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "notebooks", "homework", "flush-policy", "flush-policy.ipynb")


cells = [
    md("""# Homework C: write the kernel's TLB range-flush policy, measure it with a sweep and a chart

About 2 hours. When the ptes of a range change (mprotect, munmap), the kernel must drop the stale
TLB entries with `flush_tlb_range()`. There are two ways: flush the **whole** TLB (one cheap
instruction, but every other entry must be refilled by a page walk later) or **one INVLPG per
page** (each costs more, but the rest of the TLB survives). i386 Linux 2.4 and 2.6 always flush
everything (`flush_tlb_range` is `flush_tlb_mm`); x86 Linux 3.15 and later flush page by page up to
`tlb_single_page_flush_ceiling` = 33 pages (`arch/x86/mm/tlb.c`, `flush_tlb_mm_range()`).

The simulator lets you replace that decision: it is its documented extension point
`FlushRangePolicy` (README, *Extension points*). A policy is a function from a `FlushRange` (the
range, the CPU model, the CPUs and resident pages of the mm: what the kernel knows) to
`Flush.FULL` or `Flush.PER_PAGE`; boot with `Sim.linux24().flushRangePolicy(policy)`. Either answer
is correct, only the cost differs. You write a policy from a cost model, sweep range sizes for
four policies, chart the cost and explain it. Your CPU, working set and one range size come from
your student id.

**How to work**: type your student id in the first code cell and run from the top. Answer at
`// YOUR CODE HERE` (delete the `throw` line) or `YOUR ANSWER HERE`; run the tests cell under
each answer. Hidden checks run at grading against **your** variant. Do not delete, move or edit
tests cells (checksummed: a changed or missing one scores 0).

**Learning objectives**: predict what a flush policy does to the flush counters; implement a
kernel policy behind an interface from a cost model; run a controlled sweep over range size and
policy; read a crossover and a cost difference off a chart; explain why Linux changed its policy
and what a policy cannot know."""),
    code('String STUDENT_ID = "type-your-student-id-here";'),
    readonly("setup", """import static org.junit.jupiter.api.Assertions.*;
import tasklab.mm.FlushRangePolicy.Flush;
var me = Variant.forStudent(STUDENT_ID);
CpuModel cpu = me.pick("cpu", CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_II_450, CpuModel.PENTIUM_4_2000);
int WS = me.pick("working set", 48, 64);            // pages the benchmark keeps using
int R = me.pick("range", 6, 12, 20, 40);             // the mprotect of part 1, in pages
int[] RANGES = {1, 2, 4, 8, 16, 24, 32, 40, 48};     // the sweep's range sizes, in pages
CostModel cost = CostModel.of(cpu);
FlushRangePolicy PER_PAGE = FlushRangePolicy.named("per-page", r -> Flush.PER_PAGE);

/** A booted machine: your CPU (one, Linux 2.4) with a range-flush policy, and a process `p` that
 *  mapped WS pages at `a` and touched them all (resident and in the TLB). */
record Bench(Sim sim, Proc p, long a) {}
Bench warm(FlushRangePolicy policy) {
    Sim sim = Sim.linux24().cpu(cpu).initcallThreads(false).flushRangePolicy(policy).boot();
    Proc p = sim.process("bench");
    long a = p.mmap(WS * 4096L);
    p.touch(a, WS * 4096L, 1);
    return new Bench(sim, p, a);
}
/** What CPU0 spent on the TLB so far: full flushes, INVLPGs and the page walks that refill it. */
long tlbWork(Sim sim) {
    Cpu c = sim.kernel().machine().cpu(0);
    return c.cycles(CostKind.TLB_FLUSH) + c.cycles(CostKind.INVLPG) + c.cycles(CostKind.TLB_MISS);
}
/** The benchmark: 8 times, mprotect the first `range` pages (read-only, then read-write again) and
 *  read one byte of every page of the working set. Returns the TLB cycles of those 8 rounds. */
long tlbCycles(FlushRangePolicy policy, int range) {
    Bench b = warm(policy);
    long before = tlbWork(b.sim());
    for (int i = 0; i < 8; i++) {
        b.p().mprotect(b.a(), range * 4096L, i % 2 == 0 ? VmFlags.PROT_READ : VmFlags.PROT_READ | VmFlags.PROT_WRITE);
        for (int j = 0; j < WS; j++) b.p().read(b.a() + j * 4096L);
    }
    return tlbWork(b.sim()) - before;
}
System.out.println(me + ": " + cpu.name() + " (INVLPG " + cost.invlpg() + " cycles, full flush " + cost.flushTlb()
    + ", page walk " + cost.tlbMissWalk() + ", data TLB " + cpu.dtlb().entries() + " entries), working set " + WS
    + " pages, part 1 range " + R + " pages");"""),
    md("""## 1. Predict what the policy does (3 points)

Your process has its `WS` pages resident and in the TLB, and calls `mprotect` on `R` of them
(one CPU). `change_protection` then calls `flush_tlb_range` once. Predict the counters
`tlb_full_local` (`__flush_tlb` runs) and `tlb_page_local` (INVLPG runs) of that one call under
the kernel's policy `FlushRangePolicy.LINUX_2_4` (`full24`, `invlpg24`) and under Linux 4's
`FlushRangePolicy.LINUX_4` (`full4`, `invlpg4`). Predict from the text, then check with
`var b = warm(policy)`, `var s = b.sim().snapshot()`, `b.p().mprotect(b.a(), R * 4096L, VmFlags.PROT_READ)` and
`b.sim().count("tlb_page_local", s)`."""),
    answer("predict-counts", """long full24 = -1, invlpg24 = -1, full4 = -1, invlpg4 = -1;
// BEGIN SOLUTION
full24 = 1; invlpg24 = 0;                  // flush_tlb_range = flush_tlb_mm: one __flush_tlb, whatever the size
full4 = R <= 33 ? 0 : 1;                   // at most 33 pages: one INVLPG per page, above: one full flush
invlpg4 = R <= 33 ? R : 0;
// END SOLUTION
System.out.println("2.4: " + full24 + " full, " + invlpg24 + " INVLPG; Linux 4: " + full4 + " full, " + invlpg4 + " INVLPG");"""),
    tests("test-predict-counts", 3, """assertTrue(full24 >= 0 && invlpg24 >= 0 && full4 >= 0 && invlpg4 >= 0, "all four predicted");
// BEGIN HIDDEN TESTS
for (FlushRangePolicy pol : List.of(FlushRangePolicy.LINUX_2_4, FlushRangePolicy.LINUX_4)) {
    Bench b = warm(pol);
    Snapshot s = b.sim().snapshot();
    b.p().mprotect(b.a(), R * 4096L, VmFlags.PROT_READ);
    boolean k24 = pol == FlushRangePolicy.LINUX_2_4;
    assertEquals(b.sim().count("tlb_full_local", s), k24 ? full24 : full4, "__flush_tlb runs under " + pol + " for " + me);
    assertEquals(b.sim().count("tlb_page_local", s), k24 ? invlpg24 : invlpg4, "INVLPG runs under " + pol + " for " + me);
}
// END HIDDEN TESTS"""),
    md("""## 2. Your policy (4 points)

Write `myPolicy` from this cost model, with the costs of the range's CPU
(`CostModel c = CostModel.of(r.cpu())`):

- **per page** costs about `r.pages() * (c.invlpg() + c.tlbMissWalk())`: each page is invalidated
  and later refilled by one page walk;
- **full** costs about `c.flushTlb() + Math.min(r.rss(), r.dtlbEntries()) * c.tlbMissWalk()`: one
  flush, then every entry the mm can have in the data TLB is refilled (the kernel does not know
  which pages really are in the TLB; it knows the resident pages, `rss`).

Return `Flush.PER_PAGE` when the CPU has INVLPG (`r.hasInvlpg()`) and the per-page estimate is
strictly smaller; `Flush.FULL` otherwise. The cell after it names it `mine`."""),
    answer("my-policy", """Flush myPolicy(FlushRange r) {
    // BEGIN SOLUTION
    CostModel c = CostModel.of(r.cpu());
    long perPage = r.pages() * (c.invlpg() + c.tlbMissWalk());
    long full = c.flushTlb() + Math.min(r.rss(), r.dtlbEntries()) * c.tlbMissWalk();
    return r.hasInvlpg() && perPage < full ? Flush.PER_PAGE : Flush.FULL;
    // END SOLUTION
}"""),
    tests("test-my-policy", 4, """FlushRangePolicy MINE = FlushRangePolicy.named("mine", r -> myPolicy(r));
long A = 0x40000000L;
assertEquals(Flush.PER_PAGE, MINE.choose(new FlushRange(A, A + 4096, CpuModel.PENTIUM_PRO_200, 1, 64)), "one page, a full TLB: per page");
assertEquals(Flush.FULL, MINE.choose(new FlushRange(A, A + 1000 * 4096L, CpuModel.PENTIUM_PRO_200, 1, 2000)), "1000 pages: flush all");
assertEquals(Flush.FULL, MINE.choose(new FlushRange(A, A + 4096, CpuModel.I386DX_33, 1, 64)), "no INVLPG on a 386");
// BEGIN HIDDEN TESTS
for (CpuModel m : List.of(CpuModel.I486DX2_66, CpuModel.PENTIUM_100, CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_II_450, CpuModel.PENTIUM_4_2000, cpu.withInvlpg(false)))
    for (int pages = 0; pages <= 70; pages++)
        for (long rss : new long[] {0, 1, 10, 31, 48, 64, 500}) {
            CostModel c = CostModel.of(m);
            boolean per = m.hasInvlpg() && pages * (c.invlpg() + c.tlbMissWalk()) < c.flushTlb() + Math.min(rss, m.dtlb().entries()) * c.tlbMissWalk();
            FlushRange fr = new FlushRange(A, A + pages * 4096L, m, 1, rss);
            assertEquals(per ? Flush.PER_PAGE : Flush.FULL, MINE.choose(fr), fr + ", for " + me);
        }
// END HIDDEN TESTS"""),
    md("""## 3. The sweep (4 points)

Run `tlbCycles(policy, range)` for every policy of `POLICIES` and every range of `RANGES` with
`Sweep`: vary `"policy"` (first, over `POLICIES`) and then `"range"` (over `RANGES`), and return one
result column `tlb_cycles`. The Table must have the columns `policy`, `range`, `tlb_cycles`, one row
per pair, policies in the order of `POLICIES`. (The parameter `policy` comes back with
`p.get("policy", FlushRangePolicy.class)`; runs go in parallel, each a fresh simulation.)"""),
    readonly("policies", """FlushRangePolicy MINE = FlushRangePolicy.named("mine", r -> myPolicy(r));
List<FlushRangePolicy> POLICIES = List.of(FlushRangePolicy.LINUX_2_4, PER_PAGE, FlushRangePolicy.LINUX_4, MINE);
POLICIES"""),
    answer("sweep", """Table sweep = null;
// BEGIN SOLUTION
sweep = Sweep.of(p -> Result.of("tlb_cycles", tlbCycles(p.get("policy", FlushRangePolicy.class), p.getInt("range"))))
    .named("TLB cycles of 8 mprotect rounds, " + cpu.name() + ", " + WS + "-page working set")
    .vary("policy", POLICIES).vary("range", RANGES).run();
// END SOLUTION
sweep"""),
    tests("test-sweep", 4, """assertNotNull(sweep, "the sweep's Table");
assertEquals(List.of("policy", "range", "tlb_cycles"), sweep.columnNames(), "the three columns");
assertEquals(POLICIES.size() * RANGES.length, sweep.rowCount(), "one row per policy and range");
// BEGIN HIDDEN TESTS
for (int i = 0; i < POLICIES.size(); i++)
    for (int j = 0; j < RANGES.length; j++) {
        int row = i * RANGES.length + j;
        assertEquals(POLICIES.get(i).toString(), sweep.column("policy").getString(row), "row " + row + ": policy");
        assertEquals(RANGES[j], ((Number) sweep.column("range").get(row)).intValue(), "row " + row + ": range");
        if (j % 2 == 0 || i == 3)
            assertEquals(tlbCycles(POLICIES.get(i), RANGES[j]), ((Number) sweep.column("tlb_cycles").get(row)).longValue(), "row " + row + " for " + me);
    }
// END HIDDEN TESTS"""),
    md("""## 4. Chart it and read it (3 points)

Draw `chart`: TLB cycles against range size, one line per policy
(`Charts.plot(sweep, "range", "tlb_cycles", "policy")` does it; make the overlapping lines
readable). Then, from the sweep, set

- `crossover`: the smallest range of `RANGES` at which `per-page` costs **more** than `linux-2.4`
  (the full flush) on your CPU and working set;
- `linux4Loss`: the cycles the Linux 4 rule (`ceiling-33`) costs more than the better of `linux-2.4`
  and `per-page`, summed over all ranges of the sweep."""),
    answer("chart", """XYChart chart = null;
int crossover = -1;
long linux4Loss = -1;
// BEGIN SOLUTION
chart = Charts.plot(sweep, "range", "tlb_cycles", "policy");
chart.setTitle("TLB cycles of 8 mprotect rounds: " + cpu.name() + ", " + WS + "-page working set");
chart.setXAxisTitle("pages per mprotect (flush_tlb_range)");
chart.setYAxisTitle("TLB cycles (flushes + INVLPG + page walks)");
chart.getStyler().setYAxisLogarithmic(true);
chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
chart.getSeries("policy=linux-2.4").setLineWidth(6f);          // wide lines under the two that follow them
chart.getSeries("policy=per-page").setLineWidth(6f);
chart.getSeries("policy=ceiling-33").setLineStyle(SeriesLines.DASH_DASH);
chart.getSeries("policy=ceiling-33").setMarker(SeriesMarkers.SQUARE);
chart.getSeries("policy=mine").setLineStyle(SeriesLines.DOT_DOT);
chart.getSeries("policy=mine").setMarker(SeriesMarkers.DIAMOND);
Map<String, Map<Integer, Long>> cyc = new LinkedHashMap<>();
for (int row = 0; row < sweep.rowCount(); row++)
    cyc.computeIfAbsent(sweep.column("policy").getString(row), k -> new TreeMap<>())
       .put(((Number) sweep.column("range").get(row)).intValue(), ((Number) sweep.column("tlb_cycles").get(row)).longValue());
for (int r : RANGES) if (crossover < 0 && cyc.get("per-page").get(r) > cyc.get("linux-2.4").get(r)) crossover = r;
linux4Loss = 0;
for (int r : RANGES) linux4Loss += cyc.get("ceiling-33").get(r) - Math.min(cyc.get("per-page").get(r), cyc.get("linux-2.4").get(r));
// END SOLUTION
System.out.println("crossover at " + crossover + " pages; the Linux 4 rule loses " + linux4Loss + " cycles over the sweep");
chart"""),
    tests("test-chart", 3, """assertNotNull(chart, "the chart");
assertEquals(POLICIES.size(), chart.getSeriesCollection().size(), "one line per policy");
for (FlushRangePolicy pol : POLICIES)
    assertTrue(chart.getSeriesCollection().stream().anyMatch(s -> s.getName().contains(pol.toString())), "a line named after " + pol);
// BEGIN HIDDEN TESTS
int cross = -1; long loss = 0;
for (int r : RANGES) {
    long full = tlbCycles(FlushRangePolicy.LINUX_2_4, r), per = tlbCycles(PER_PAGE, r), l4 = tlbCycles(FlushRangePolicy.LINUX_4, r);
    if (cross < 0 && per > full) cross = r;
    loss += l4 - Math.min(full, per);
}
assertEquals(cross, crossover, "the crossover, for " + me);
assertEquals(loss, linux4Loss, "the Linux 4 rule's extra cycles, for " + me);
// END HIDDEN TESTS"""),
    md("""## 5. Explain (4 points, graded by the teacher)

(a) Using your chart: for which range sizes was i386 Linux 2.4's choice (always flush everything)
the cheaper one on your CPU, and why does the full flush cost the same whatever the range size?
(b) Your crossover is not Linux 4's 33 pages. Which numbers of the cost model decide where it lies,
and why could a modern CPU (INVLPG about 100-200 cycles, but page walks of tens of cycles that miss
in caches, and TLBs of hundreds of entries) put it higher? (c) Your policy assumed that every
resident page is in the TLB. When does that overestimate the cost of a full flush, and what would
a kernel need to know to decide better? (d) On a machine with 4 CPUs, does `PER_PAGE` change the
number of shootdown IPIs? What does it change on the other CPUs?"""),
    manual("explain-policy", 4, """(a) The full flush won for ranges at and above the crossover: its cost is one flush plus
refilling the working set (at most the TLB's size) whatever the range, because it throws away
every user entry; per page grows linearly with the range (an INVLPG and a later walk per page).
(b) INVLPG cost, page-walk cost and the number of TLB entries: the crossover is about
(flush + entries x walk) / (INVLPG + walk). Expensive walks (cache misses on the page tables) and
large TLBs make a full flush dearer, so per page pays off for bigger ranges; that is how 33 was
chosen on CPUs of 2014 (Dave Hansen's measurements, datasets/linux_flush_size_distribution_kernel_compile_2014).
(c) When the working set is smaller than rss or than the TLB (pages resident but not used lately, or
evicted by other work), fewer entries are lost than assumed; the kernel would need to know which
entries are live in each TLB (hardware does not say), or measure the cost of refills (PCIDs and
ASIDs avoid the question by not flushing at all on a switch).
(d) No: one INVALIDATE_TLB IPI per other CPU in cpu_vm_mask either way (R8.2). On each target the
handler then INVLPGs the range instead of flushing everything, so the other CPUs keep their
entries too: the benefit is multiplied by the number of CPUs."""),
]

write(OUT, cells)
print("wrote", os.path.normpath(OUT))
