"""Writes notebooks/homework/flush-policy/flush-policy.ipynb: assignment (c), a kernel flush policy switched and measured."""
import os
from nbmake import md, code, readonly, answer, tests, manual, write

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "notebooks", "homework", "flush-policy", "flush-policy.ipynb")


cells = [
    md("""# Homework C: change the kernel's TLB flush policy, measure the effect with a sweep and a chart

About 2 hours. When one pte changes (a COW fault, say), Linux flushes that one page from the TLB
with `INVLPG` (`__flush_tlb_one`). The 80386 has no such instruction, and the kernel's policy
there is to flush the whole TLB by reloading CR3, so every entry has to be refilled. You switch
that policy with the simulator's documented what-if switch (`Sim.linux24().invlpg(false)`,
`KernelConfig.withInvlpg`), predict what changes, measure it over a sweep of working-set sizes,
chart it and explain it. The CPU, the number of forks and the sizes come from your student id.

**How to work**: type your student id in the first code cell and run from the top. Answer at
`// YOUR CODE HERE` (delete the `throw` line) or `YOUR ANSWER HERE`; run the tests cell under
each answer. Hidden checks run at grading against **your** variant. Do not delete, move or edit
tests cells (checksummed: a changed or missing one scores 0).

**Learning objectives**: tell a flush call from the TLB work it does; predict how a flush policy
changes the counters; run a controlled sweep that changes one policy; read a chart; explain why
the cost of a full flush grows with the working set."""),
    code('String STUDENT_ID = "type-your-student-id-here";'),
    readonly("setup", """import static org.junit.jupiter.api.Assertions.*;
var me = Variant.forStudent(STUDENT_ID);
CpuModel cpu = me.pick("cpu", CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_II_450, CpuModel.PENTIUM_4_2000);
int forks = me.between("forks", 8, 16);
int[] KIBS = {me.pick("small", 4, 8), 32, me.pick("large", 96, 128)};   // working sets of the sweep, KiB

/** The benchmark: map and write `kib` KiB, then `forks` times: fork a child that exits at once,
 *  write the whole set again (a COW fault per page), read it every 32 bytes, wait for the child. */
Program cowBench(int kib) {
    return Program.builder().mmap(kib << 10).touchMapped(kib << 10, 4096, true)
        .loop(forks, b -> b.fork(Program.builder().exit(0).build())
            .touchMapped(kib << 10, 4096, true).touchMapped(kib << 10, 32, false).waitAny())
        .exit(0).build();
}
/** Boots your CPU with INVLPG on (flush one page) or off (flush all, the 386 policy) and runs the benchmark to the end. */
Sim runBench(int kib, boolean invlpg) {
    Sim sim = Sim.linux24().cpu(cpu).invlpg(invlpg).boot();
    sim.spawn(cowBench(kib));
    sim.runUntilIdle(java.time.Duration.ofSeconds(10));
    return sim;
}
long total(Sim sim, Counter c) { return sim.kernel().counters().snapshot().total(c); }
System.out.println(me + ": " + cpu.name() + ", " + forks + " forks, working sets " + Arrays.toString(KIBS) + " KiB");"""),
    md("""## 1. Predict the flushes (3 points)

Each COW fault calls `flush_tlb_page` once (`Counter.FLUSH_TLB_PAGE`), and on one CPU that runs
`__flush_tlb_one` once. The policy lives inside `__flush_tlb_one`: with INVLPG it drops one TLB
entry (an INVLPG, counted in `Counter.TLB_PAGE_LOCAL`); without it (the 386 policy) it reloads CR3
and drops every non-global entry, which is a full flush and is counted as one
(`Counter.TLB_FULL_LOCAL`, with the flushes fork and exit do anyway). For the middle working set
(32 KiB), predict: `pageCallsDiffer` - does the number of `flush_tlb_page` calls change when
INVLPG is off? `fullFlushesDiffer` - does the number of full flushes change? (Predict from the
text, then check with `runBench(32, false)`.)"""),
    answer("predict-flushes", """boolean pageCallsDiffer = true, fullFlushesDiffer = false;
// BEGIN SOLUTION
pageCallsDiffer = false;     // the calls are the mm code's; the policy is inside them
fullFlushesDiffer = true;    // the same runs of __flush_tlb_one, each now a full flush
// END SOLUTION
System.out.println("flush_tlb_page calls differ: " + pageCallsDiffer + ", full flushes differ: " + fullFlushesDiffer);"""),
    tests("test-predict-flushes", 3, """assertNotNull(pageCallsDiffer);
// BEGIN HIDDEN TESTS
Sim on = runBench(32, true), off = runBench(32, false);
assertEquals(total(on, Counter.FLUSH_TLB_PAGE) != total(off, Counter.FLUSH_TLB_PAGE), pageCallsDiffer, "flush_tlb_page calls, INVLPG on vs off, for " + me);
assertEquals(total(on, Counter.TLB_FULL_LOCAL) != total(off, Counter.TLB_FULL_LOCAL), fullFlushesDiffer, "full flushes (tlb_full_local), INVLPG on vs off, for " + me);
// END HIDDEN TESTS"""),
    md("""## 2. Measure the cost (3 points)

Every entry a flush throws away must be refilled by a page walk later; the simulator charges those
walks (and cache misses) as `SWITCH_REFILL_CYCLES`. Write `refillCycles(kib, invlpg)`: run
`runBench(kib, invlpg)` and return its refill cycles."""),
    answer("refill-cycles", """long refillCycles(int kib, boolean invlpg) {
    // BEGIN SOLUTION
    return total(runBench(kib, invlpg), Counter.SWITCH_REFILL_CYCLES);
    // END SOLUTION
}"""),
    tests("test-refill-cycles", 3, """assertTrue(refillCycles(KIBS[0], true) > 0, "some refills");
assertEquals(refillCycles(KIBS[0], true), refillCycles(KIBS[0], true), "same inputs, same simulation, same cycles");
// BEGIN HIDDEN TESTS
for (int kib : KIBS) for (boolean inv : new boolean[] {true, false})
    assertEquals(total(runBench(kib, inv), Counter.SWITCH_REFILL_CYCLES), refillCycles(kib, inv), kib + " KiB, INVLPG " + inv + ", for " + me);
// END HIDDEN TESTS"""),
    md("""## 3. The sweep (3 points)

Build `sweep`: one row per working set in `KIBS` (in that order) with the columns `kib` (int),
`refill_invlpg` (long, INVLPG on), `refill_full` (long, INVLPG off) and `extra_cycles` (long,
full minus invlpg). The cell after it charts it."""),
    answer("sweep", """Table sweep = Table.create("refill cycles: flush one page or flush all",
    IntColumn.create("kib"), LongColumn.create("refill_invlpg"), LongColumn.create("refill_full"), LongColumn.create("extra_cycles"));
// BEGIN SOLUTION
for (int kib : KIBS) {
    long on = refillCycles(kib, true), off = refillCycles(kib, false);
    sweep.intColumn("kib").append(kib);
    sweep.longColumn("refill_invlpg").append(on);
    sweep.longColumn("refill_full").append(off);
    sweep.longColumn("extra_cycles").append(off - on);
}
// END SOLUTION
sweep"""),
    tests("test-sweep", 3, """assertEquals(List.of("kib", "refill_invlpg", "refill_full", "extra_cycles"), sweep.columnNames(), "the four columns");
assertEquals(KIBS.length, sweep.rowCount(), "one row per working set");
// BEGIN HIDDEN TESTS
for (int r = 0; r < KIBS.length; r++) {
    long on = total(runBench(KIBS[r], true), Counter.SWITCH_REFILL_CYCLES), off = total(runBench(KIBS[r], false), Counter.SWITCH_REFILL_CYCLES);
    assertEquals(KIBS[r], sweep.intColumn("kib").get(r), "row " + r + " kib");
    assertEquals(on, sweep.longColumn("refill_invlpg").get(r), "row " + r + " for " + me);
    assertEquals(off, sweep.longColumn("refill_full").get(r), "row " + r + " for " + me);
    assertEquals(off - on, sweep.longColumn("extra_cycles").get(r), "row " + r + " for " + me);
}
// END HIDDEN TESTS"""),
    code("""var chart = new CategoryChartBuilder().width(640).height(360).title("Extra refill cycles without INVLPG, " + cpu.name())
    .xAxisTitle("working set (KiB)").yAxisTitle("extra refill cycles").build();
chart.addSeries("flush all minus flush one page", sweep.intColumn("kib").asList(), sweep.longColumn("extra_cycles").asList());
chart"""),
    md("""## 4. Read the sweep (2 points)

Set `growsWithWorkingSet`: do the extra cycles grow from each working set of `KIBS` to the next?"""),
    answer("read-sweep", """boolean growsWithWorkingSet = false;
// BEGIN SOLUTION
growsWithWorkingSet = true;
for (int r = 1; r < sweep.rowCount(); r++)
    growsWithWorkingSet &= sweep.longColumn("extra_cycles").get(r) > sweep.longColumn("extra_cycles").get(r - 1);
// END SOLUTION
System.out.println("extra cycles grow with the working set: " + growsWithWorkingSet);"""),
    tests("test-read-sweep", 2, """// BEGIN HIDDEN TESTS
long prev = Long.MIN_VALUE; boolean grows = true;
for (int kib : KIBS) {
    long extra = total(runBench(kib, false), Counter.SWITCH_REFILL_CYCLES) - total(runBench(kib, true), Counter.SWITCH_REFILL_CYCLES);
    grows &= extra > prev; prev = extra;
}
assertEquals(grows, growsWithWorkingSet, "extra cycles growing with the working set, for " + me);
// END HIDDEN TESTS
assertNotNull(growsWithWorkingSet);"""),
    md("""## 5. Explain (4 points, graded by the teacher)

(a) Why does the number of `flush_tlb_page` calls not depend on the policy, while the TLB work
(INVLPGs or full flushes) does? (b) Using your chart: why do the extra cycles grow with the working set, and what limits
that growth (think of how many entries your CPU's data TLB holds)? (c) Linux 2.4 on a 386 used
the flush-all policy for every single-page flush. Name one case where flushing everything is
*not* worse than flushing one page at a time."""),
    manual("explain-policy", 4, """(a) The call sites are in the mm code (do_wp_page after changing the pte); what the
call does is the architecture's policy: INVLPG drops one entry, a CR3 reload drops every non-global
entry. So the counts of calls are the same; what changes is what each one does (tlb_page_local's
INVLPGs become tlb_full_local's full flushes), how many entries it drops, and so the refills after it.
(b) After a full flush every page of the working set that is touched again misses once and costs a
page walk (plus cache misses for the page tables): more pages, more refills. It stops growing once
the working set exceeds what the data TLB holds (64 entries on the Pentium Pro, 256 KiB), since
those entries would have been evicted anyway.
(c) When many pages change at once (munmap or mprotect of a large range, exit, fork of a big
process), one full flush is cheaper than hundreds of INVLPGs, and Linux's flush_tlb_range on i386
flushes everything for that reason."""),
]

write(OUT, cells)
print("wrote", os.path.normpath(OUT))
