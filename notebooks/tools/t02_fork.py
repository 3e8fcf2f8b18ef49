from nbgen import Tutorial

nb = Tutorial("02-fork-and-cow", requires=["text/html", "image/svg+xml", "image/png"])
nb.md("""
# 2. fork and copy-on-write

**`fork()` copies a whole process, yet copies almost no memory. How?**

*Time: about 30 minutes (20 reading and running, 10 for the exercises).*

### Questions
- What happens to the page tables of parent and child at `fork()`?
- Why does the first write after a fork fault, in the parent as well as in the child?
- When does the kernel copy a page, and when does it just make the page writable again?
- What is the zero page?

### Objectives
By the end you can:
1. **Show** with `sim.pagemap` that after a fork parent and child map the same frames read-only, with page count 2.
2. **Count** the copy-on-write faults caused by a fork and one write.
3. **Predict** whether a write fault copies a page or reuses it, from its page count.
4. **Explain** why reading an untouched heap page allocates no memory.
""")
nb.md("""
## Setup
One Pentium Pro, Linux 2.4, fixed seed.
""")
nb.code("""
var sim = Sim.linux24().seed(42).boot();
sim.describe()
""")
nb.md("""
## Win on day one: fork, write, look
A process writes `'P'` into its heap, forks, and the child writes `'C'` at the same address. Each reads back its own letter.
The chart shows what the page faults of these three steps did.
""")
nb.code("""
var p = sim.process("demo");
var start = sim.snapshot("start");
p.write(p.heap(), 'P');
var c = p.fork();
c.write(p.heap(), 'C');
display(String.format("parent %s reads '%c', child %s reads '%c'",
        p.label(), (char) p.read(p.heap()), c.label(), (char) c.read(p.heap())));
var faults = List.of("fault_anon_page", "cow_copy", "cow_reuse", "fault_zero_page");
var counts = faults.stream().map(f -> sim.count(f, start)).toList();
var chart = new CategoryChartBuilder().width(640).height(280)
        .title("What the page faults did").yAxisTitle("faults").build();
chart.addSeries("faults", faults, counts);
chart.getStyler().setLegendVisible(false);
chart
""")
nb.md("""
One fault gave the parent a fresh zeroed page for its first write (`fault_anon_page`), and one fault **copied** the page
for the child (`cow_copy`). The fork itself copied no page at all. The rest of this notebook takes that apart.

## Step by step
Start again on a fresh machine. First the parent touches its heap page:
""")
nb.code("""
var sim = Sim.linux24().seed(42).boot();
var p = sim.process("demo");
p.write(p.heap(), 'P');
sim.pagemap(p)
""")
nb.md("""
`sim.pagemap(p)` lists every page-table entry (pte) that is present, one row per page:

| column | meaning |
|---|---|
| `vaddr`, `region` | the virtual address of the page, and the region (VMA) it is in |
| `pte` | the pte's flag bits (its low 12 bits) in hex, as the CPU reads them |
| `bits` | the same flags spelled out: **P**resent, **RW** (writable), **U**ser, **A**ccessed, **D**irty |
| `writable` | whether RW is set: can the process write without a fault? |
| `pfn` | page frame number: which 4 KiB frame of physical memory the pte points to |
| `page_count` | references to that frame: here, how many ptes map it |
| `mapcount`, `mapped_by` | how many ptes map the frame, and the pids of the processes whose ptes do |

The heap page at `0x0804e000` is `067` = `P RW U A D`, frame `0x227`, `page_count` 1: one pte maps it. The stack page
is there too, because `exec` wrote the program's arguments into it.

### Predict, then run
After `fork()`, how many page tables map the heap frame, and is the parent's pte still writable?
""")
nb.code("""
int guessPageCount = 1;          // page_count of the heap frame after fork
boolean guessParentWritable = true;
""")
nb.code("""
var c = p.fork();
var pm = sim.pagemap(p, c);
var heapRows = pm.where(pm.stringColumn("region").isEqualTo("heap"));
display(heapRows);
int count = heapRows.intColumn("page_count").get(0);             // row 0: the parent
boolean writable = heapRows.booleanColumn("writable").get(0);
display(Check.guess("page_count of the heap frame after fork", guessPageCount, count));
Check.guess("parent's heap pte writable after fork", guessParentWritable, writable)
""")
nb.md("""
The same thing as a picture: the page tables of both processes on the left and right, the frames they map in the
middle, with each frame's page count. `sim.cow` draws the private writable mappings, the ones copy-on-write is about.
""")
nb.code("sim.cow(p, c)")
nb.md("""
Both rows show the **same pfn**: parent and child share the frame, so its `page_count` is 2. `dup_mmap` also **cleared
RW in both ptes** (the parent's too!), so that the first write on either side traps into the kernel. That is
copy-on-write: the copy is postponed until somebody writes. (The child's pte `045` has lost the **A**ccessed bit as
well: fork marks the child's copy "not used yet".)

`sim.explain()` says what the kernel did for every call since the last time you asked, with the rule of the simulator's
rule book (LINUX-SPEC) in brackets:
""")
nb.code("sim.explain()")
nb.md("""
Entry #1 is what `sim.process("demo")` did to set demo up (init forked, the child exec'd `/usr/bin/demo`); #2 is the
first write; #3 the fork. Note the TLB flush: the parent's TLB may still hold its old **writable** pte, so fork must flush it, or the parent could
write to the shared frame without faulting.

## The COW fault: who copies, who reuses
### Predict, then run
The child now writes to the page. Then the parent writes to it. Which of the two writes copies the page?
""")
nb.code("""
String guessWhoCopies = "parent";   // "child", "parent", "both" or "neither"
""")
nb.code("""
var before = sim.snapshot("before writes");
c.write(p.heap(), 'C');
long copiesByChild = sim.count("cow_copy", before);
p.write(p.heap(), 'Q');
long copiesByParent = sim.count("cow_copy", before) - copiesByChild;
String truth = copiesByChild > 0 && copiesByParent > 0 ? "both"
        : copiesByChild > 0 ? "child" : copiesByParent > 0 ? "parent" : "neither";
display(sim.explain());
Check.guess("who copies", guessWhoCopies, truth)
""")
nb.md("""
The **first writer copies**: `do_wp_page` saw `page_count` 2, so the page was still shared; it allocated a new frame,
copied 4 KiB into it and pointed the child's pte at the copy. That dropped the old frame's count to 1.
The **second writer reuses**: with `page_count` 1 nobody else maps the frame, so the kernel simply sets RW again.
No copy, no new memory.
""")
nb.code("""
var pm2 = sim.pagemap(p, c);
pm2.where(pm2.stringColumn("region").isEqualTo("heap"))
""")
nb.md("""
Now the two rows have **different pfns**, both writable, each with count 1: the processes have diverged, and each reads
its own letter back. The picture after the writes:
""")
nb.code("sim.cow(p, c)")
nb.md("""
The heap arrows now go to two different frames; only pages nobody has written yet (the stack here) are still shared
read-only.

## The zero page
A process that only *reads* a heap page it never wrote gets the **zero page**: one shared frame full of zeros, mapped
read-only. No memory is allocated until the first write.

### Predict, then run
The parent reads the next heap page, which it never touched. Which value does it read, and does `pgalloc` (frames
allocated) go up?
""")
nb.code("""
int guessValue = 0;
boolean guessAllocates = true;
""")
nb.code("""
var s = sim.snapshot("before read");
int value = p.read(p.heap() + 4096);
boolean allocated = sim.count("pgalloc", s) > 0;
display(Check.guess("value read from an untouched page", guessValue, value));
display(Check.guess("a frame was allocated", guessAllocates, allocated));
sim.pagemap(p)
""")
nb.md("""
The pte at `0x0804f000` maps the zero page (frame `0x104`) read-only: bits `P U A`, no RW. Its counts do not follow the
rule above. The zero page is a **reserved** frame (set aside at boot, never freed), and 2.4 does not count who maps
reserved frames: `page_count` stays 1 and `mapcount` 0 however many processes read zeros from it.

A write to it faults like a COW fault, but `do_wp_page` **never reuses** the zero page, whatever the counts say: the
writer always gets a new frame, which the kernel just clears (there is nothing to copy). Another process shows it:

""")
nb.code("""
var z = sim.process("zero");      // a fresh process
z.read(z.heap());                 // maps the zero page
z.write(z.heap(), 'Z');           // do_wp_page on the zero page
sim.explain().last(1)             // only the last call's explanation
""")
nb.md("""
## Exercises
**1.** Fork a new child of `p`, then let the **child** write to all 4 heap pages (`c2.touch(p.heap(), 4 * 4096, 'x')`
touches a range, one write per page). How many COW copies did that cause? Predict first, then measure it with
a snapshot and store the measured number in `copies`.
""")
nb.code("""
// take a snapshot, fork c2, let c2 touch the 4 pages,
// then sim.count("cow_copy", snapshot)
long copies = -1;   // replace -1
""")
nb.code("""
Check.answer("COW copies when the child writes 4 heap pages", copies, 2L,
        "Only pages present in the parent are shared at fork. "
        + "Which heap pages had the parent touched, and how?")
""")
nb.md("""
<details><summary>Solution</summary>

```java
var s2 = sim.snapshot("ex1");
var c2 = p.fork();
c2.touch(p.heap(), 4 * 4096, 'x');
long copies = sim.count("cow_copy", s2);
```
Two copies. The first heap page (the one the parent wrote) was shared, so the child's write copied it. The second
heap page was the zero page (the parent only read it): a write to it also goes through `do_wp_page` and copies.
The last two pages were not present at all, so the child got two fresh zeroed pages (`fault_anon_page`), no copy.
Run `sim.explain()` to see each of the four faults named.
</details>

**2.** Why does the *parent's* pte lose RW at fork, even though the parent never asked for anything?
Write your answer in the next cell (double-click it to edit, Shift-Enter to show it); then compare with the explanation
of `dup_mmap` above.

""")
nb.md("""
*Your answer:* ...
""")
nb.md("""
## Key points
- `fork()` copies **page tables, not pages**: every private writable pte becomes read-only in **both** processes and
  each shared frame's `page_count` goes up.
- The **first write** on either side faults; `do_wp_page` **copies** if the frame is still shared (count > 1) and
  **reuses** it if not (count 1). The zero page is never reused: a write to it always gets a new, cleared frame.
- Fork flushes the parent's TLB, because it may still hold the old writable ptes.
- Reading an untouched anonymous page maps the **zero page**; memory is allocated only on a write.

### Questionnaire
1. A process with 1000 resident pages forks and the child immediately calls `exec`. How many pages were copied?
2. After a fork, the parent writes a page first, then the child. Who copies?
3. Why is the zero page mapped read-only?
""")
nb.save()
