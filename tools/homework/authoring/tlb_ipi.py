"""Writes notebooks/homework/tlb-ipi/tlb-ipi.ipynb: assignment (b), TLB flushes and shootdown IPIs on 1, 2, 4 CPUs."""
import os
from nbmake import md, code, readonly, answer, tests, manual, write

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "notebooks", "homework", "tlb-ipi", "tlb-ipi.ipynb")

cells = [
    md("""# Homework B: TLB flushes and shootdown IPIs on 1, 2 and 4 CPUs (Linux 2.4)

About 2 hours. A multi-threaded program forks and writes; on a multiprocessor, every TLB flush of
an address space that is live on other CPUs sends them an inter-processor interrupt (IPI, the
`TLB` line of `/proc/interrupts`). You predict, then measure, how the CPU count and lazy TLB
mode change the flushes, the IPIs and the CR3 loads. Your program's shape comes from your
student id.

**How to work**: type your student id in the first code cell and run from the top. Answer at
`// YOUR CODE HERE` (delete the `throw` line) or `YOUR ANSWER HERE`; run the tests cell under
each answer. Hidden checks run at grading against **your** program. Do not delete, move or edit
tests cells (checksummed: a changed or missing one scores 0).

**Learning objectives**: tell a flush *call* (`flush_tlb_mm`, `flush_tlb_page`) from the IPIs it
causes; predict when a flush needs no IPI; explain what lazy TLB mode saves (CR3 loads when a
kernel thread runs) and what it can cost (IPIs to CPUs that only borrow the mm)."""),
    code('String STUDENT_ID = "type-your-student-id-here";'),
    readonly("setup", """import static org.junit.jupiter.api.Assertions.*;
var me = Variant.forStudent(STUDENT_ID);
int threads = me.between("threads", 1, 3);      // extra threads sharing the address space
int forks = me.between("forks", 1, 4);          // forks of the main thread, each followed by writes
int pagesKb = 4 * me.between("pages", 4, 16);   // KiB of heap every thread touches
// 2.4: the 2.6 model does not balance load, so threads rarely run on two CPUs at once (README: Simplifications)
KernelVersion version = KernelVersion.LINUX_2_4;
int THREAD = CloneFlags.CLONE_VM | CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD;

/** A worker thread: maps its own pagesKb KiB in the shared address space and writes it, then 50 times
 *  reads every page, computes a little and yields. (A program's touchMapped works on the last mmap of
 *  that program, so each thread maps its own region; all regions live in the one mm.) */
Program worker() {
    return Program.builder().mmap(pagesKb << 10).touchMapped(pagesKb << 10, 4096, true)
        .loop(50, b -> b.touchMapped(pagesKb << 10, 4096, false).compute(20_000).yield()).exit(0).build();
}
/** Your program: map and write the heap, start the threads, then fork-and-write `forks` times. */
Program app() {
    var b = Program.builder().mmap(pagesKb << 10).touchMapped(pagesKb << 10, 4096, true);
    for (int i = 0; i < threads; i++) b.clone(THREAD, worker());
    b.loop(forks, x -> x.fork(Program.builder().exit(0).build()).touchMapped(pagesKb << 10, 4096, true).waitAny());
    return b.exit(0).build();
}
/** Boots `cpus` CPUs with lazy TLB on or off, runs your program for 200 ms of simulated time. */
Sim runApp(int cpus, boolean lazy) {
    Sim sim = Sim.of(version).cpus(cpus).lazyTlb(lazy).boot();
    sim.spawn(app());
    sim.runMillis(200);
    return sim;
}
long total(Sim sim, Counter c) { return sim.kernel().counters().snapshot().total(c); }
System.out.println(me + ": Linux " + version.release() + ", " + threads + " extra thread(s), " + forks
    + " fork(s), " + pagesKb + " KiB heap");"""),
    md("""## 1. One CPU (1 point)

On a uniprocessor there is no other CPU to tell. How many TLB shootdown IPIs (`Counter.IRQ_TLB`)
does your program cause on 1 CPU? Set `ipisOneCpu`."""),
    answer("ipis-one-cpu", """long ipisOneCpu = -1;
// BEGIN SOLUTION
ipisOneCpu = 0;
// END SOLUTION
System.out.println("IPIs on one CPU: " + ipisOneCpu);"""),
    tests("test-ipis-one-cpu", 1, """assertTrue(ipisOneCpu >= 0, "a count");
// BEGIN HIDDEN TESTS
assertEquals(total(runApp(1, true), Counter.IRQ_TLB), ipisOneCpu, "TLB IPIs on 1 CPU for " + me);
// END HIDDEN TESTS"""),
    md("""## 2. Calls versus IPIs (2 points)

The kernel *calls* `flush_tlb_mm` / `flush_tlb_page` where the page tables change, whatever the
CPU count; the count of IPIs depends on which other CPUs have the mm loaded. Does the number of
`flush_tlb_mm` plus `flush_tlb_page` **calls** of your run change between 1, 2 and 4 CPUs
(lazy TLB on)? Set `callsDependOnCpus`."""),
    answer("calls-vs-cpus", """boolean callsDependOnCpus = true;
// BEGIN SOLUTION
callsDependOnCpus = false;
// END SOLUTION
System.out.println("flush calls depend on the CPU count: " + callsDependOnCpus);"""),
    tests("test-calls-vs-cpus", 2, """// BEGIN HIDDEN TESTS
Set<Long> calls = new HashSet<>();
for (int c : new int[] {1, 2, 4}) { Sim s = runApp(c, true); calls.add(total(s, Counter.FLUSH_TLB_MM) + total(s, Counter.FLUSH_TLB_PAGE)); }
assertEquals(calls.size() > 1, callsDependOnCpus, "flush calls on 1, 2, 4 CPUs were " + calls + " for " + me);
// END HIDDEN TESTS
assertNotNull(callsDependOnCpus);"""),
    md("""## 3. Measure the sweep (3 points)

Write `ipis(cpus, lazy)`: run your program with `runApp(cpus, lazy)` and return its TLB IPI count.
Then the next cell builds the table of the sweep (1, 2, 4 CPUs x lazy on / off) and a chart."""),
    answer("sweep", """long ipis(int cpus, boolean lazy) {
    // BEGIN SOLUTION
    return total(runApp(cpus, lazy), Counter.IRQ_TLB);
    // END SOLUTION
}"""),
    tests("test-sweep", 3, """assertEquals(0, ipis(1, false), "no IPI on one CPU");
// BEGIN HIDDEN TESTS
for (int c : new int[] {2, 4}) for (boolean lazy : new boolean[] {true, false})
    assertEquals(total(runApp(c, lazy), Counter.IRQ_TLB), ipis(c, lazy), "IPIs on " + c + " CPUs, lazy " + lazy + ", for " + me);
// END HIDDEN TESTS"""),
    code("""Table sweep = Table.create("TLB IPIs and CR3 loads: " + me.id(),
    IntColumn.create("cpus"), StringColumn.create("lazy_tlb"), LongColumn.create("ipis"), LongColumn.create("cr3_loads"));
for (int c : new int[] {1, 2, 4}) for (boolean lazy : new boolean[] {true, false}) {
    Sim s = runApp(c, lazy);
    sweep.intColumn("cpus").append(c); sweep.stringColumn("lazy_tlb").append(lazy ? "on" : "off");
    sweep.longColumn("ipis").append(total(s, Counter.IRQ_TLB)); sweep.longColumn("cr3_loads").append(total(s, Counter.CR3_SWITCH));
}
var chart = new CategoryChartBuilder().width(640).height(360).title("TLB shootdown IPIs").xAxisTitle("CPUs").yAxisTitle("IPIs").build();
for (String lazy : List.of("on", "off")) {
    Table t = sweep.where(sweep.stringColumn("lazy_tlb").isEqualTo(lazy));
    chart.addSeries("lazy TLB " + lazy, t.intColumn("cpus").asList(), t.longColumn("ipis").asList());
}
display(sweep);
chart"""),
    md("""## 4. What lazy TLB saves (2 points)

With lazy TLB on, a CPU that switches from your program to a kernel thread or the idle task keeps
the old page tables loaded (no CR3 write). On 4 CPUs, does your run load CR3 (`Counter.CR3_SWITCH`)
fewer times with lazy TLB on than off? Set `lazySavesCr3Loads`."""),
    answer("lazy-cr3", """boolean lazySavesCr3Loads = false;
// BEGIN SOLUTION
lazySavesCr3Loads = total(runApp(4, true), Counter.CR3_SWITCH) < total(runApp(4, false), Counter.CR3_SWITCH);
// END SOLUTION
System.out.println("lazy TLB saves CR3 loads on 4 CPUs: " + lazySavesCr3Loads);"""),
    tests("test-lazy-cr3", 2, """// BEGIN HIDDEN TESTS
assertEquals(total(runApp(4, true), Counter.CR3_SWITCH) < total(runApp(4, false), Counter.CR3_SWITCH), lazySavesCr3Loads,
    "CR3 loads with lazy TLB on vs off on 4 CPUs for " + me);
// END HIDDEN TESTS
assertNotNull(lazySavesCr3Loads);"""),
    md("""## 5. Explain (4 points, graded by the teacher)

Using your table: (a) why is there no IPI on one CPU, and why do the IPIs grow with the CPU
count? (b) What does lazy TLB mode save, and why can it *add* IPIs (think of a CPU that runs a
kernel thread with your mm still loaded)? How does 2.4 get rid of such a CPU (`leave_mm`)?"""),
    manual("explain-ipis", 4, """(a) A flush on one CPU is a local INVLPG or CR3 reload; an IPI is only needed to
flush other CPUs that have the mm loaded (its cpu_vm_mask). With more CPUs, more of your threads
run at the same time on other CPUs, so more flushes find other CPUs in the mask.
(b) Lazy TLB skips the CR3 load when switching to a kernel thread (it borrows the previous mm
as active_mm), saving the load and the TLB refill. But the lazy CPU stays in the mm's
cpu_vm_mask, so flushes of that mm still interrupt it; on the first such IPI, 2.4's
flush handler sees the CPU is lazy and calls leave_mm, dropping out of the mask (and loading
swapper_pg_dir), so later flushes skip it."""),
]

write(OUT, cells)
print("wrote", os.path.normpath(OUT))
