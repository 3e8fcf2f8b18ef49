"""Writes notebooks/homework/cow-warmup/cow-warmup.ipynb (run: python3 tools/homework/authoring/cow_warmup.py)."""
import os
from nbmake import md, code, readonly, answer, tests, manual, write

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "..", "notebooks", "homework", "cow-warmup", "cow-warmup.ipynb")

cells = [
    md("""# Warm-up: copy-on-write after fork (homework)

About 30 minutes. Every student gets their own numbers: they come from your student id.

1. Type your student id in the first code cell, then run the cells from the top (*Run All*).
2. Write your answers where you see `// YOUR CODE HERE` (and delete the `throw` line under it) or `YOUR ANSWER HERE`.
3. Run the tests cells below your answers: a cell without an error means that check passed. Some
   checks are hidden and run only when the teacher grades.
4. Do not delete, move or change the tests cells (graded cells are checked by checksum)."""),
    code('String STUDENT_ID = "type-your-student-id-here";'),
    readonly("setup", """import static org.junit.jupiter.api.Assertions.*;
var me = Variant.forStudent(STUDENT_ID);
int children = me.between("children", 2, 5);
int writers = me.between("writers", 1, children);

/** The experiment of this homework on a fresh kernel: init maps and writes one private page, forks
 *  `children` children, the first `writers` children write the page once each, then init writes it.
 *  Returns the counters of what happened after the first write. */
CounterSnapshot cowRun(KernelVersion v, int children, int writers) {
    Kernel k = Kernel.boot(KernelConfig.of(v));
    long a = k.mmap(1, 0, 4096, VmFlags.PROT_READ | VmFlags.PROT_WRITE, VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS);
    k.writeByte(1, a, 'P');
    CounterSnapshot before = k.counters().snapshot();
    int[] kids = new int[children];
    for (int i = 0; i < children; i++) kids[i] = k.fork(1);
    for (int i = 0; i < writers; i++) k.writeByte(kids[i], a, 'c');
    k.writeByte(1, a, 'p');
    return k.counters().snapshot().minus(before);
}
System.out.println(me + ": init forks " + children + " children, the first " + writers
    + " of them write the page, then init writes it.");"""),
    md("""## 1. Predict the copies (2 points)

On Linux 2.4, `do_wp_page` copies a write-protected page unless the faulting task holds the only
reference to it (page count 1), in which case it makes the pte writable again and reuses the frame.
For **your** `children` and `writers` (printed above), how many pages are copied (`cow_copy`)?
Reason it out first; then set `predictedCopies`."""),
    answer("predict-copies", """int predictedCopies;
// BEGIN SOLUTION
predictedCopies = writers + (children > writers ? 1 : 0);
// END SOLUTION"""),
    tests("test-predict-copies", 2, """assertTrue(predictedCopies >= 0 && predictedCopies <= children + 1,
    "at most one copy per writer: between 0 and children + 1");
// BEGIN HIDDEN TESTS
assertEquals(cowRun(KernelVersion.LINUX_2_4, children, writers).total(Counter.COW_COPY), predictedCopies,
    "cow_copy for " + me);
// END HIDDEN TESTS"""),
    md("""## 2. Measure the write-protect faults (3 points)

Write `wpFaults(children, writers)`: boot a 2.4 kernel (`Kernel.boot(KernelConfig.of(KernelVersion.LINUX_2_4))`),
run the experiment described above with `k.mmap`, `k.writeByte` and `k.fork`, and return the number
of write-protect faults after init's first write: copies plus reuses (`Counter.COW_COPY`,
`Counter.COW_REUSE`; `k.counters().snapshot()` and `minus` help). Do not call `cowRun`."""),
    answer("count-faults", """long wpFaults(int children, int writers) {
    // BEGIN SOLUTION
    Kernel k = Kernel.boot(KernelConfig.of(KernelVersion.LINUX_2_4));
    long a = k.mmap(1, 0, 4096, VmFlags.PROT_READ | VmFlags.PROT_WRITE, VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS);
    k.writeByte(1, a, 'P');
    CounterSnapshot before = k.counters().snapshot();
    List<Integer> kids = new ArrayList<>();
    for (int i = 0; i < children; i++) kids.add(k.fork(1));
    for (int i = 0; i < writers; i++) k.writeByte(kids.get(i), a, 'x');
    k.writeByte(1, a, 'y');
    CounterSnapshot d = k.counters().snapshot().minus(before);
    return d.total(Counter.COW_COPY) + d.total(Counter.COW_REUSE);
    // END SOLUTION
}"""),
    tests("test-count-faults", 3, """assertEquals(2, wpFaults(1, 1), "one child writes (a copy), then init writes (a reuse)");
// BEGIN HIDDEN TESTS
var d = cowRun(KernelVersion.LINUX_2_4, children, writers);
assertEquals(d.total(Counter.COW_COPY) + d.total(Counter.COW_REUSE), wpFaults(children, writers),
    "write-protect faults for " + me);
// END HIDDEN TESTS"""),
    md("""## 3. Explain (2 points, graded by the teacher)

When every child has written the page before init does, init's own write copies nothing. Why?
Name the reference count involved and how it changed with each child's write."""),
    manual("explain-reuse", 2, """Each child's write copied the page into a new frame and dropped the child's
reference to the shared frame (`put_page`), so its count went down by one per writer. When all
children have written, init holds the only reference (count 1): `do_wp_page` makes the pte
writable again and reuses the frame (`cow_reuse`)."""),
    md("""## 4. TLB flushes of the forks (1 point)

Each fork write-protects init's private pages in `copy_page_range` and then flushes init's TLB
entries with one `flush_tlb_mm`. How many `flush_tlb_mm` calls do your forks make?"""),
    answer("predict-flushes", """int predictedFlushMm;
// BEGIN SOLUTION
predictedFlushMm = children;
// END SOLUTION"""),
    tests("test-predict-flushes", 1, """// BEGIN HIDDEN TESTS
assertEquals(cowRun(KernelVersion.LINUX_2_4, children, writers).total(Counter.FLUSH_TLB_MM), predictedFlushMm,
    "flush_tlb_mm for " + me);
// END HIDDEN TESTS
assertTrue(predictedFlushMm > 0, "a fork that copies a writable private mapping flushes");"""),
]

write(OUT, cells)
print("wrote", os.path.normpath(OUT))
