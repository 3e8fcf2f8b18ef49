"""Writes notebooks/homework/cow-fork/cow-fork.ipynb: assignment (a), COW after fork on 2.4 and 2.6."""
import os
from nbmake import md, code, readonly, answer, tests, manual, write

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "notebooks", "homework", "cow-fork", "cow-fork.ipynb")

cells = [
    md("""# Homework A: copy-on-write after fork, on Linux 2.4 and 2.6

About 2 hours. You predict what the kernel does for a sequence of forks and writes, explain it,
then check with the simulator. Every student gets their own sequence, made from their student id.

**How to work**: type your student id in the first code cell and run the notebook from the top.
Answer where you see `// YOUR CODE HERE` (delete the `throw` line under it) or `YOUR ANSWER HERE`.
Run the tests cell under each answer; no error means the visible checks pass. More checks are
hidden and run when the teacher grades, against **your** sequence. Do not delete, move or edit the
tests cells: they are checked by checksum, and a changed or missing one scores 0.

**Learning objectives**: count the COW faults, copies and reuses of a fork/write sequence; state
which reference count `do_wp_page` tests on 2.4 and 2.6; count the TLB flushes a fork and a COW
fault cause."""),
    code('String STUDENT_ID = "type-your-student-id-here";'),
    readonly("setup", """import static org.junit.jupiter.api.Assertions.*;
var me = Variant.forStudent(STUDENT_ID);
int pages = me.between("pages", 2, 4);         // heap pages the parent writes before forking
int kids = me.between("kids", 1, 2);           // children the parent forks, one after the other
int steps = me.between("steps", 5, 8);
// Who writes which page after the forks: 0 is the parent, 1..kids the children.
int[] who = me.sequence("who", steps, 0, kids);
int[] page = me.sequence("page", steps, 0, pages - 1);

/** Runs your sequence on a fresh kernel and returns the counters from the first fork on. */
Snapshot[] runSequence(Sim sim) {
    Proc parent = sim.process("cowhw", pages);
    for (int i = 0; i < pages; i++) parent.write(parent.heap() + 4096L * i, 'P');
    Snapshot before = sim.snapshot("before the forks");
    List<Proc> procs = new ArrayList<>(List.of(parent));
    for (int i = 0; i < kids; i++) procs.add(parent.fork());
    for (int s = 0; s < steps; s++) procs.get(who[s]).write(parent.heap() + 4096L * page[s], 'a' + s);
    return new Snapshot[] {before, sim.snapshot("after the writes")};
}
long counted(Snapshot[] run, Counter c) { return run[1].counters().minus(run[0].counters()).total(c); }

StringBuilder plan = new StringBuilder(me + ": the parent writes heap pages 0.." + (pages - 1) + ", forks " + kids + " child(ren), then:\\n");
for (int s = 0; s < steps; s++) plan.append("  step ").append(s + 1).append(": ").append(who[s] == 0 ? "parent" : "child " + who[s]).append(" writes page ").append(page[s]).append('\\n');
System.out.print(plan);"""),
    md("""## 1. Copies and reuses on 2.4 (4 points)

After `fork`, `copy_page_range` write-protects every private writable page in **both** the parent
and the child, and the frame's count goes up by one per process. A write to a write-protected
page faults into `do_wp_page`: on 2.4, if the frame's `page_count` is 1 the pte is made writable
again (**reuse**); otherwise the page is copied into a new frame (**copy**) and the old frame's
count drops by one. A write to a page that is already writable does not fault.

Work through your sequence on paper, then set `copies24` and `reuses24`. (A model in Java is
welcome: a small map from page to the processes sharing its frame.)"""),
    answer("count-cow", """int copies24 = 0, reuses24 = 0;
// BEGIN SOLUTION
{
    // frame sharers per page; a process's pte is writable iff it holds a private frame it wrote
    List<Set<Integer>> sharers = new ArrayList<>();
    List<Set<Integer>> writable = new ArrayList<>();
    for (int p = 0; p < pages; p++) {
        Set<Integer> all = new HashSet<>();
        for (int x = 0; x <= kids; x++) all.add(x);
        sharers.add(all);
        writable.add(new HashSet<>());
    }
    for (int s = 0; s < steps; s++) {
        int x = who[s], p = page[s];
        if (writable.get(p).contains(x)) continue;          // no fault
        if (sharers.get(p).size() == 1) reuses24++;          // count 1: reuse
        else { copies24++; sharers.get(p).remove(x); }      // copy: x leaves the shared frame
        writable.get(p).add(x);
    }
}
// END SOLUTION
System.out.println("copies " + copies24 + ", reuses " + reuses24);"""),
    tests("test-count-cow", 4, """assertTrue(copies24 + reuses24 <= steps, "at most one write-protect fault per write");
// BEGIN HIDDEN TESTS
var run24 = runSequence(Sim.linux24().boot());
assertEquals(counted(run24, Counter.COW_COPY), copies24, "cow_copy on 2.4 for " + me);
assertEquals(counted(run24, Counter.COW_REUSE), reuses24, "cow_reuse on 2.4 for " + me);
// END HIDDEN TESTS"""),
    md("""## 2. TLB flushes (3 points)

Each fork ends `copy_page_range` with one `flush_tlb_mm` of the parent (its ptes lost RW). Each
write-protect fault, copy or reuse, changes one pte of the faulting process and flushes that one
page with `flush_tlb_page` (an `INVLPG`). Set `flushMm` and `flushPage` for your sequence."""),
    answer("count-flushes", """long flushMm = 0, flushPage = 0;
// BEGIN SOLUTION
flushMm = kids;
flushPage = copies24 + reuses24;
// END SOLUTION
System.out.println("flush_tlb_mm " + flushMm + ", flush_tlb_page " + flushPage);"""),
    tests("test-count-flushes", 3, """assertTrue(flushMm >= 1, "every fork flushes the parent's TLB");
// BEGIN HIDDEN TESTS
var runF = runSequence(Sim.linux24().boot());
assertEquals(counted(runF, Counter.FLUSH_TLB_MM), flushMm, "flush_tlb_mm for " + me);
assertEquals(counted(runF, Counter.FLUSH_TLB_PAGE), flushPage, "flush_tlb_page for " + me);
// END HIDDEN TESTS"""),
    md("""## 3. The same on 2.6 (3 points)

2.6.22's `do_wp_page` decides reuse for an anonymous page with `can_share_swap_page`, which looks
at `page_mapcount` (how many ptes map the frame) instead of `page_count`. For your sequence, are
the copies and reuses on 2.6 the same as on 2.4? Set `copies26` and `reuses26`; then run
`runSequence(Sim.linux26().boot())` and compare (that is allowed and encouraged, after you predicted)."""),
    answer("count-cow-26", """int copies26 = 0, reuses26 = 0;
// BEGIN SOLUTION
copies26 = copies24;     // no extra references (swap cache, get_user_pages): count and mapcount agree
reuses26 = reuses24;
// END SOLUTION
System.out.println("2.6: copies " + copies26 + ", reuses " + reuses26);"""),
    tests("test-count-cow-26", 3, """assertTrue(copies26 >= 0 && reuses26 >= 0);
// BEGIN HIDDEN TESTS
var run26 = runSequence(Sim.linux26().boot());
assertEquals(counted(run26, Counter.COW_COPY), copies26, "cow_copy on 2.6 for " + me);
assertEquals(counted(run26, Counter.COW_REUSE), reuses26, "cow_reuse on 2.6 for " + me);
// END HIDDEN TESTS"""),
    md("""Check your work with the simulator's page map (a row per pte: frame, count, mapcount, who maps it):"""),
    code("""var simCheck = Sim.linux24().boot();
runSequence(simCheck);
simCheck.pagemap(simCheck.tasks().stream().filter(t -> t.comm().equals("cowhw")).toArray(Proc[]::new))"""),
    md("""## 4. Explain (4 points, graded by the teacher)

(a) Take the **last** copy or reuse in your sequence and say, with the frame's count before and
after, why the kernel copied or reused. (b) Give a case in which 2.4 and 2.6 decide differently
(hint: an extra reference that is not a mapping) and which one avoids a useless copy."""),
    manual("explain-cow", 4, """(a) Depends on the variant: e.g. at the last step the child writes page 1 whose frame
is still shared by parent and child (count 2), so `do_wp_page` copies it; the old frame's count
goes from 2 to 1 and the child gets a new private frame with count 1.
(b) A page with an extra reference that is not a mapping, e.g. in the swap cache or pinned by
`get_user_pages` (O_DIRECT I/O): 2.4's count test sees count 2 and copies although only one
process maps it; 2.6's mapcount test sees 1 and reuses, avoiding the useless copy."""),
]

write(OUT, cells)
print("wrote", os.path.normpath(OUT))
