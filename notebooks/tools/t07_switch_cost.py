from nbgen import Tutorial

nb = Tutorial("07-context-switch-cost", requires=["text/html", "image/png"])
nb.md("""
# 7. Context-switch cost

**How long does a context switch take? The switch itself is quick; what costs is everything the next task has to
reload afterwards.**

*Time: about 30 minutes (20 reading and running, 10 for the exercises).*

### Questions
- What does a context switch do, and what does it cost directly?
- What is the *indirect* (refill) cost, and why does it grow with the working set?
- How does lmbench's `lat_ctx` measure a switch?
- How do the simulator's numbers compare with the published 1995 numbers and with this machine?

### Objectives
By the end you can:
1. **Split** a switch's cost into direct and refill cycles with `sim.switches()`.
2. **Predict** how the refill cost changes with the working set and the number of processes.
3. **Run** an lmbench-style sweep on two CPU models and **chart** it.
4. **Compare** the result with published lmbench numbers and with a live measurement of this machine.
""")
nb.md("""
## Setup
""")
nb.code("""
var sim = Sim.linux24().seed(42).boot();
sim.describe()
""")
nb.md("""
## Win on day one: two processes ping-pong
Two processes each sum a 32 KiB array, then `sched_yield()` to the other, 50 times. Every yield is a context switch.
The chart shows how long the switches took.
""")
nb.code("""
var pingpong = Program.builder().mmap(32 << 10)
        .loop(50, b -> b.touchMapped(32 << 10, 32, false).yield()).exit(0).build();
sim.spawn(pingpong, 2);
sim.runMillis(20);
Charts.switchTimes(sim)
""")
nb.md("""
## Direct and refill cost
`sim.switches()` has one row per switch. `direct_cycles` is the switch itself: saving and loading registers, `switch_mm`
with its CR3 load, the scheduler's own work. `refill_cycles` is what the **next** task pays afterwards because the
switch threw away its TLB entries (and because the other task pushed its data out of the caches): extra misses the
simulator charges to that switch.
""")
nb.code("""
var sw = sim.switches();
var apps = sw.where(sw.stringColumn("prev").isEqualTo("app")
        .and(sw.stringColumn("next").isEqualTo("app")));
display(apps.first(5));
String.format("%d switches between the two apps: direct %.0f cycles, "
        + "refill %.0f cycles on average (%.1f µs each)",
        apps.rowCount(), apps.numberColumn("direct_cycles").mean(),
        apps.numberColumn("refill_cycles").mean(), apps.numberColumn("us").mean())
""")
nb.md("""
### Predict, then run
Same program, but each process touches **no** memory between yields (0 KiB). Will the average refill cost be higher,
about the same, or lower?
""")
nb.code("""
String guessRefill = "higher";   // "higher", "same" or "lower"
""")
nb.code("""
var small = Sim.linux24().seed(42).boot();
small.spawn(Program.builder().loop(50, b -> b.yield()).exit(0).build(), 2);
small.runMillis(20);
var sw0 = small.switches();
var apps0 = sw0.where(sw0.stringColumn("prev").isEqualTo("app")
        .and(sw0.stringColumn("next").isEqualTo("app")));
double refill0 = apps0.numberColumn("refill_cycles").mean();
double refill32 = apps.numberColumn("refill_cycles").mean();
display(String.format("refill: %.0f cycles at 0 KiB, %.0f cycles at 32 KiB",
        refill0, refill32));
Check.guess("refill cost at 0 KiB compared with 32 KiB", guessRefill,
        refill0 < refill32 * 0.9 ? "lower"
                : refill0 > refill32 * 1.1 ? "higher" : "same")
""")
nb.md("""
With nothing to touch, there is almost nothing to refill: the switch costs about its direct part. The bigger the working
set each process re-reads after a switch, the more TLB entries and cache lines it must bring back.

## lmbench's lat_ctx, in the simulator
lmbench (McVoy and Staelin, 1996) measures a switch like this: N processes in a ring pass a token through pipes; each,
when it gets the token, sums its K KiB array, then passes the token on. It also times the same loop **without**
switching (the overhead of summing), and reports `(total - overhead) / switches`. So the reported time includes the
refill cost, but not the time to sum the array itself.

`LatCtx` does the same in the simulator, with `sched_yield()` passing the turn instead of pipes (5 ms warm-up,
20 ms measured, simulated time). We sweep 2 processes over 0 and 32 KiB on two CPU models of the 2.4 era, the
same points as the published table below.
""")
nb.code("""
var lat = LatCtx.on(CpuModel.I486DX2_66, CpuModel.PENTIUM_PRO_200)
        .procs(2).kib(0, 32).millis(5, 20).run();
lat
""")
nb.code("Charts.latCtx(lat, \"cpu\")")
nb.md("""
## Beside the published numbers
lmbench's 1995 results database has context-switch times for 2 processes at 0 KB and 32 KB for many systems, among them
Linux on 486, Pentium and Pentium Pro machines (`i486`, `i586`, `i686`; `datasets/lmbench_ctx_tbl_1995.md` says what exactly the numbers are;
negative values are failed runs).
""")
nb.code("""
var pub = Datasets.read("lmbench_ctx_tbl_1995.csv");
var linux = pub.where(pub.stringColumn("system").startsWith("Linux i")
        .and(pub.intColumn("ctx_2proc_0KB_us").isGreaterThan(0)));
linux.selectColumns("system", "ctx_2proc_0KB_us", "ctx_2proc_32KB_us")
""")
nb.code("""
var cmp = Table.create("2-process switch time, µs", StringColumn.create("system"),
        StringColumn.create("working set"), DoubleColumn.create("us"));
for (int i = 0; i < linux.rowCount(); i++) {
    String name = "1995 " + linux.stringColumn("system").get(i)
            + " #" + linux.intColumn("row").get(i);
    cmp.stringColumn(0).append(name).append(name);
    cmp.stringColumn(1).append("0 KiB").append("32 KiB");
    cmp.doubleColumn(2).append(linux.intColumn("ctx_2proc_0KB_us").get(i))
            .append(linux.intColumn("ctx_2proc_32KB_us").get(i));
}
for (int i = 0; i < lat.rowCount(); i++) {
    cmp.stringColumn(0).append("sim " + lat.stringColumn("cpu").get(i));
    cmp.stringColumn(1).append(lat.intColumn("kib").get(i) + " KiB");
    cmp.doubleColumn(2).append(lat.doubleColumn("us").get(i));
}
Charts.bar(cmp, "system", "us", "working set")
""")
nb.md("""
**At 0 KiB they agree**: about 11 µs simulated, and mostly 6 to 16 µs for the 1995 Linux PCs.
**At 32 KiB they do not**: the published i486 / i586 numbers grow to 160-400 µs, while the simulator's lmbench-style
number stays near 10 µs. Look at `overhead_us` in the sweep table: on the simulated 486, summing 32 KiB costs about
160 µs even with no switch at all, because 32 KiB never fits its 8 KiB cache. lmbench subtracts that overhead, so in the
model the switch itself looks free; `model_us`, the simulator's own account per switch with the refill, is about
160 µs. The real 1995 machines paid more than the model on top of that overhead: the model leaves out the pipes
lmbench passed its token through, the kernel's own cache footprint, and the memory systems of the time. That gap is a
question to investigate (exercise 2), not something to explain away.

## Beside this machine, measured live
How long does a switch take on the computer running this notebook? A rough live measurement: two Java threads hand a
token back and forth 20 000 times; each hand-off wakes the other thread. On a modern machine this is a few
microseconds, more when the machine is busy; it is noisy, and it is a thread switch in a JVM, not lmbench.
""")
nb.code("""
var q1 = new SynchronousQueue<Integer>();
var q2 = new SynchronousQueue<Integer>();
int rounds = 20_000;
var other = new Thread(() -> {
    try {
        for (int i = 0; i < rounds; i++) q2.put(q1.take());
    } catch (InterruptedException e) {
    }
});
other.start();
long t0 = System.nanoTime();
for (int i = 0; i < rounds; i++) { q1.put(i); q2.take(); }
long t1 = System.nanoTime();
other.join();
double hostUs = (t1 - t0) / 1000.0 / (2.0 * rounds);
String.format("this machine: about %.1f µs per hand-off (%d CPUs), "
        + "vs %.1f µs for a 0 KiB switch on the simulated Pentium Pro",
        hostUs, Runtime.getRuntime().availableProcessors(),
        lat.doubleColumn("us").get(2))
""")
nb.md("""
## Exercises
**1.** Predict, then measure: with **8** processes instead of 2, at 32 KiB on the Pentium Pro, is the switch time
higher or lower? Run `LatCtx` for it and store the `us` value in `us8`.
""")
nb.code("""
double us8 = -1;   // replace: LatCtx.on(CpuModel.PENTIUM_PRO_200).procs(8).kib(32)...
""")
nb.code("""
var ppro = lat.stringColumn("cpu").isEqualTo(CpuModel.PENTIUM_PRO_200.name());
double us2 = lat.where(ppro.and(lat.intColumn("kib").isEqualTo(32)))
        .doubleColumn("us").get(0);
Check.that("8 processes at 32 KiB cost more per switch than 2", us8 > us2,
        String.format("Measure it; 2 processes at 32 KiB took %.1f µs. "
                + "8 x 32 KiB no longer fits the caches and TLB.", us2))
""")
nb.md("""
<details><summary>Solution</summary>

```java
double us8 = LatCtx.on(CpuModel.PENTIUM_PRO_200).procs(8).kib(32).millis(5, 20).run().doubleColumn("us").get(0);
```
With 8 processes, 8 x 32 KiB = 256 KiB of working sets: more than the L1 cache and the TLB reach, so each process finds
less of its data still cached when its turn comes again.
</details>

**2.** (Open) Which of the things the model leaves out could add 200 µs per switch on a 1995 486 with a 32 KiB
working set? Estimate one of them with the numbers in `datasets/` (for example `lmbench_pipe_latency_tbl_1995.csv`).

## Key points
- A context switch has a **direct** cost (registers, `switch_mm`, scheduler) and an **indirect, refill** cost paid by
  the next task for TLB entries and cache lines it lost.
- The refill cost grows with the **working set** and the **number of processes** competing for caches and TLB.
- lmbench's `lat_ctx` subtracts the cost of touching the array but keeps the refill cost.
- Published numbers and the simulator agree for a bare switch; with a working set the model charges less than the
  1995 machines paid, which shows what the model leaves out.

### Questionnaire
1. Why does lmbench subtract an "overhead" loop?
2. Which part of the cost would a tagged TLB (ASIDs / PCIDs) remove?
3. Why did a 486 suffer more than a Pentium Pro from a 32 KiB working set?
""")
nb.save()
