from nbgen import Tutorial

nb = Tutorial("08-smp-tlb-shootdowns", requires=["text/html", "image/png"])
nb.md("""
# 8. SMP TLB shootdowns

**On a multiprocessor, every CPU caches page-table entries in its own TLB. When one CPU changes a mapping, the others
must be told: with an interrupt. How many, and what do lazy CPUs cost?**

*Time: about 30 minutes (20 reading and running, 10 for the exercises).*

### Questions
- Why can't a CPU just flush its own TLB after `munmap`?
- Which CPUs get a flush IPI (`INVALIDATE_TLB`), and what is `cpu_vm_mask`?
- What does a CPU in lazy TLB mode do when the IPI arrives (`leave_mm`)?
- Which system calls cause shootdowns?
- What would a CPU without `INVLPG` (a 386) or without global pages (PGE) pay?

### Objectives
By the end you can:
1. **Count** the flush IPIs of one `munmap` of a threaded process on 4 CPUs.
2. **Chart** shootdown IPIs against the number of CPUs, with lazy TLB on and off, and **explain** the difference.
3. **Name** the operations that shoot down TLBs: munmap, mprotect, fork.
4. **Compare** single-page flushes with and without `INVLPG`.
""")
nb.md("""
## Setup
Linux 2.6 (it has `sched_setaffinity`, which we use to put one thread on each CPU). The helper `threaded(cpus, lazyTlb)`
boots a machine with a process `mt` whose threads have run on every CPU; the cells below use it.
""")
nb.code("""
int[] THREAD = {CloneFlags.CLONE_VM, CloneFlags.CLONE_FS, CloneFlags.CLONE_FILES,
        CloneFlags.CLONE_SIGHAND, CloneFlags.CLONE_THREAD};
/** A booted machine, a process "mt" on it and its 64 KiB buffer. */
record Machine(Sim sim, Proc p, long buf) {}
/**
 * mt maps 64 KiB and runs one thread on each other CPU; each thread touches the buffer,
 * then sleeps.
 */
Machine threaded(int cpus, boolean lazyTlb) {
    var s = Sim.linux26().cpus(cpus).seed(42).lazyTlb(lazyTlb).boot();
    var p = s.process("mt", 16);
    long buf = p.mmap(64 << 10);
    p.touch(buf, 64 << 10, 1);
    for (int cpu = 1; cpu < cpus; cpu++) {
        var t = p.clone(THREAD);
        t.setAffinity(1 << cpu);      // this thread may only run on that CPU
        t.touch(buf, 4096, 2);
    }
    s.runMillis(5);
    return new Machine(s, p, buf);
}
"threaded(cpus, lazyTlb) is ready"
""")
nb.md("""
## Win on day one: one munmap, several interrupts
A process maps 64 KiB and starts one thread on each other CPU; each thread touches the buffer, so every CPU has the
process's entries in its TLB. Then the main thread unmaps 16 KiB. The chart counts the interrupts each CPU took.
""")
nb.code("""
var m = threaded(4, true);
var sim = m.sim();
var before = sim.snapshot("before munmap");
m.p().munmap(m.buf(), 16 << 10);
display(sim.vmstat(before));
Charts.ipis(sim)
""")
nb.md("""
`ipi_tlb` counts the flush IPIs sent; `irq_TLB` the ones received, per CPU. The CPU that ran `munmap` flushed its own
TLB, then interrupted the CPUs listed in the mm's **`cpu_vm_mask`**: the CPUs that may hold entries of this mm.
""")
nb.code("sim.explain().last(1)")
nb.md("""
## Lazy CPUs: the price of lazy TLB
The threads sleep once they have touched the buffer, so their CPUs run the idle task, in **lazy TLB mode** (tutorial 4):
they still have `mt`'s page tables loaded and so stay in `cpu_vm_mask`. When a flush IPI reaches a lazy CPU, the CPU does
not flush and stay: it calls **`leave_mm`**, switches to the kernel's own page tables and takes itself out of
`cpu_vm_mask`, so the **next** shootdown will not bother it.

### Predict, then run
With lazy TLB **off**, idle CPUs switch to the kernel's page tables at once. Will one `munmap` send more IPIs, as many,
or fewer than with lazy TLB on? We sweep 1, 2, 4 and 8 CPUs.
""")
nb.code("""
String guessLazyOff = "more";   // "more", "same" or "fewer"
""")
nb.code("""
/** IPIs sent by one munmap of mt, on a fresh machine. */
long shootdownIpis(int cpus, boolean lazyTlb) {
    var mm = threaded(cpus, lazyTlb);
    var snap = mm.sim().snapshot("before");
    mm.p().munmap(mm.buf(), 16 << 10);
    return mm.sim().count("ipi_tlb", snap);
}
var ipis = Sweep.of("ipis", prm -> shootdownIpis(prm.getInt("cpus"),
                prm.get("lazy_tlb", Boolean.class)))
        .vary("cpus", 1, 2, 4, 8).vary("lazy_tlb", true, false).run();
display(ipis);
var at8 = ipis.where(ipis.intColumn("cpus").isEqualTo(8)).numberColumn("ipis");
long on8 = (long) at8.get(0).doubleValue();
long off8 = (long) at8.get(1).doubleValue();
display(Check.guess("IPIs with lazy TLB off, compared with on", guessLazyOff,
        off8 > on8 ? "more" : off8 == on8 ? "same" : "fewer"));
Charts.plot(ipis, "cpus", "ipis", "lazy_tlb")
""")
nb.md("""
With lazy TLB on, the shootdown IPIs grow with the number of CPUs that ran the process, even though they are idle:
each lazy CPU is still in `cpu_vm_mask`. With lazy TLB off, the idle CPUs already left, so nobody needs to be told;
but every one of them paid a CR3 load when it went idle (tutorial 4). Lazy TLB trades CR3 loads on every switch to a
kernel thread for occasional IPIs.

## Which operations shoot down?
Any change that removes or restricts a mapping other CPUs may cache: `munmap`, `mprotect` (making pages read-only), and
`fork` (which makes the parent's writable pages read-only for copy-on-write). Adding a mapping needs no shootdown: no TLB
can hold an entry that did not exist.
""")
nb.code("""
var ops = Table.create(
        "flush IPIs per operation (4 CPUs, lazy TLB on, each on a fresh machine)",
        StringColumn.create("operation"), LongColumn.create("ipi_tlb"));
var tests = new LinkedHashMap<String, Consumer<Machine>>();
tests.put("munmap(16 KiB)", x -> x.p().munmap(x.buf(), 16 << 10));
tests.put("mprotect(16 KiB, PROT_READ)",
        x -> x.p().mprotect(x.buf(), 16 << 10, VmFlags.PROT_READ));
tests.put("fork()", x -> x.p().fork());
tests.put("mmap(16 KiB)", x -> x.p().mmap(16 << 10));
for (var e : tests.entrySet()) {
    var x = threaded(4, true);
    var snap = x.sim().snapshot(e.getKey());
    e.getValue().accept(x);
    ops.stringColumn(0).append(e.getKey());
    ops.longColumn(1).append(x.sim().count("ipi_tlb", snap));
}
display(ops);
Charts.bar(ops, "operation", "ipi_tlb")
""")
nb.md("""
Removing (`munmap`) or write-protecting (`mprotect`, `fork`) shoots down the same CPUs; `mmap` sends none.

## What-if: no INVLPG (a 386)
After a copy-on-write fault, only one pte changed, so the kernel flushes one TLB entry with the `INVLPG` instruction.
The 386 did not have `INVLPG`: every one-page flush was a **full** TLB flush. `.invlpg(false)` simulates that.
""")
nb.code("""
var whatIf = Table.create("one COW fault", StringColumn.create("CPU"),
        IntColumn.create("TLB entries before"), IntColumn.create("TLB entries after"),
        LongColumn.create("tlb_page_local"), LongColumn.create("tlb_full_local"));
for (boolean invlpg : new boolean[] {true, false}) {
    var s = Sim.linux26().seed(42).invlpg(invlpg).boot();
    var q = s.process("demo");
    q.touch(q.heap(), 4 * 4096, 'P');    // four heap pages in the TLB
    var c = q.fork();
    // the child loads four entries
    for (int i = 0; i < 4; i++) c.read(q.heap() + i * 4096);
    int entriesBefore = s.tlb(0).rowCount();
    var snap = s.snapshot("before the write");
    c.write(q.heap(), 'C');               // the COW fault: one pte changes
    whatIf.stringColumn(0).append(invlpg ? "with INVLPG" : "without INVLPG (386)");
    whatIf.intColumn(1).append(entriesBefore);
    whatIf.intColumn(2).append(s.tlb(0).rowCount());
    whatIf.longColumn(3).append(s.count("tlb_page_local", snap));
    whatIf.longColumn(4).append(s.count("tlb_full_local", snap));
    if (!invlpg) display(s.explain().last(1));
}
whatIf
""")
nb.md("""
`sim.tlb(0)` lists the valid entries of CPU 0's TLBs. With `INVLPG` the fault removed one entry (and loaded the new
one); without it the one-entry flush became a whole-TLB flush (the explanation says so), and the task must refill every
entry it uses again. The counters in the last two columns count what ran: one INVLPG (`tlb_page_local`) with it, one
full flush (`tlb_full_local`) without it, while `flush_tlb_page` (the call) is the same in both. These names are the simulator's (2.4 and 2.6 count
no TLB flushes); later kernels count the same two kinds in `/proc/vmstat` as `nr_tlb_local_flush_one` and
`nr_tlb_local_flush_all`, also by what ran.
(`.pge(false)` is the matching what-if for global pages: without PGE, every CR3 load also flushes the kernel's entries.)

## Exercises
**1.** On a fresh machine from `threaded(4, true)`, do **two** `munmap`s in a row. How many IPIs does the
**second** one send? Predict, then store the measured number in `secondIpis`.
""")
nb.code("""
long secondIpis = -1;   // replace
""")
nb.code("""
Check.answer("IPIs of the second munmap", secondIpis, 0L,
        "After the first shootdown, every lazy CPU has called leave_mm "
        + "and left cpu_vm_mask.")
""")
nb.md("""
<details><summary>Solution</summary>

```java
var m2 = threaded(4, true);
m2.p().munmap(m2.buf(), 16 << 10);
var snap = m2.sim().snapshot("second");
m2.p().munmap(m2.buf() + (16 << 10), 16 << 10);
long secondIpis = m2.sim().count("ipi_tlb", snap);
```
0: the first shootdown made every lazy CPU leave the mm. Only CPUs that actually run a thread of the process again
rejoin `cpu_vm_mask`.
</details>

## Key points
- Each CPU has its own TLB; a mapping change must be **shot down** on every CPU in the mm's **`cpu_vm_mask`** with an
  `INVALIDATE_TLB` IPI.
- **Lazy** CPUs stay in `cpu_vm_mask`; the first IPI makes them **`leave_mm`**. Lazy TLB trades CR3 loads for IPIs.
- `munmap`, `mprotect` and `fork` shoot down; `mmap` does not.
- Without `INVLPG` every single-page flush is a full flush; without PGE every CR3 load also drops kernel entries.

### Questionnaire
1. Why does `fork` need a shootdown at all?
2. A process has 16 threads on 16 CPUs, all busy. How many IPIs does one `munmap` send?
3. Why is it safe for a lazy CPU to ignore the flush and just leave the mm?
""")
nb.save()
