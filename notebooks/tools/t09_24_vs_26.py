from nbgen import Tutorial

nb = Tutorial("09-linux-2.4-vs-2.6", requires=["text/html", "image/png"])
nb.md("""
# 9. Linux 2.4 and 2.6 side by side

**The same programs on both kernels: what changed between 2.4 and 2.6 in fork, exec, exit and the scheduler, and why.**

*Time: about 30 minutes (20 reading and running, 10 for the exercises).*

### Questions
- After `fork`, does the parent or the child run first?
- What does `exit_group` change for threaded programs?
- Why did 2.6 replace 2.4's scheduler, and how does its cost grow with the number of runnable tasks?

### Objectives
By the end you can:
1. **Run** one workload on both kernels and **compare** their counters in one chart.
2. **Predict** who runs first after `fork` on each kernel.
3. **Show** that 2.4 has no `exit_group`.
4. **Measure** how the two schedulers' pick-next work grows with the number of runnable tasks.
""")
nb.md("""
## Setup
One helper boots either kernel with the same settings.
""")
nb.code("""
Sim boot(KernelVersion v) { return Sim.of(v).cpus(2).seed(42).boot(); }
var v24 = KernelVersion.LINUX_2_4;
var v26 = KernelVersion.LINUX_2_6;
boot(v24).describe() + " / " + boot(v26).describe()
""")
nb.md("""
## Win on day one: one workload, two kernels
Four processes each write 16 KiB, compute a little and yield, 20 times. Same program, same seed, both kernels:
""")
nb.code("""
var work = Program.builder().mmap(16 << 10)
        .loop(20, b -> b.touchMapped(16 << 10, 4096, true).compute(20_000).yield())
        .exit(0).build();
var both = Table.create("the same workload on both kernels",
        StringColumn.create("kernel"), StringColumn.create("counter"),
        LongColumn.create("count"));
for (var v : List.of(v24, v26)) {
    var s = boot(v);
    s.spawn(work, 4);
    s.runMillis(50);
    for (var counter : List.of("ctxt", "cr3_switch", "tlb_full_local", "pgfault",
            "ipi_reschedule")) {
        both.stringColumn(0).append("Linux " + v.release());
        both.stringColumn(1).append(counter);
        both.longColumn(2).append(s.count(counter));
    }
}
Charts.bar(both, "counter", "count", "kernel")
""")
nb.md("""
The kernels do the same work with different policies: how many switches, how many of them load CR3, how often a CPU
wakes another with a reschedule IPI. The rest of the notebook looks at the reasons one at a time.

## fork: who runs first?
### Predict, then run
A process forks. Right after the call returns, which task is running on the CPU: the parent or the child? Guess for each
kernel.
""")
nb.code("""
String guessFirst24 = "child";   // "parent" or "child"
String guessFirst26 = "child";
""")
nb.code("""
var first = new HashMap<KernelVersion, String>();
for (var v : List.of(v24, v26)) {
    var s = Sim.of(v).seed(42).boot();     // one CPU, so only one of them can run
    var parent = s.process("p");
    var child = parent.fork();
    var runs = s.current(0);
    first.put(v, runs == child ? "child" : runs == parent ? "parent" : runs.label());
    display("Linux " + v.release() + ": " + s.explain().last(1).sentences().stream()
            .filter(x -> x.contains("runs first") || x.contains("switched"))
            .findFirst().orElse("no switch: the parent keeps the CPU"));
}
display(Check.guess("runs first after fork on 2.4", guessFirst24, first.get(v24)));
Check.guess("runs first after fork on 2.6", guessFirst26, first.get(v26))
""")
nb.md("""
2.6 (`wake_up_new_task`) lets the **child run first** when it shares the parent's CPU and not its mm. The usual child
calls `exec` at once: if it runs first, the parent does not write to its pages in between, so no page is copied for
nothing by copy-on-write. 2.4 simply put the child on the run queue and returned to the parent.

## exec and exit
Tutorial 6 showed that 2.4's `exec` reuses the `mm_struct` when it can, while 2.6 always builds a new one. For exit,
2.6 added **`exit_group`**: one call that ends every thread of the process (NPTL's `exit()` uses it). 2.4 had threads
as separate processes and no such call:
""")
nb.code("""
var exits = Table.create("exit_group on both kernels",
        StringColumn.create("kernel"), StringColumn.create("result"));
for (var v : List.of(v24, v26)) {
    var s = Sim.of(v).seed(42).boot();
    var p = s.process("threads");
    p.clone(CloneFlags.CLONE_VM, CloneFlags.CLONE_FS, CloneFlags.CLONE_FILES,
            CloneFlags.CLONE_SIGHAND, CloneFlags.CLONE_THREAD);
    var r = p.tryExitGroup(0);
    exits.stringColumn(0).append("Linux " + v.release());
    var group = s.ps().where(s.ps().intColumn("tgid").isEqualTo(p.tgid()));
    exits.stringColumn(1).append(r.ok()
            ? "ok: every thread exited; states of the group left in ps: "
                    + group.stringColumn("state").asList()
            : r.describe());
}
exits
""")
nb.md("""
## The scheduler: a scan vs O(1)
2.4's `schedule()` walks **every runnable task** and computes its `goodness()` (its remaining time slice, plus a bonus
for the same CPU and the same mm), then picks the best. Its cost grows linearly with the number of runnable tasks.
2.6's O(1) scheduler keeps one list per priority and a bitmap of non-empty lists: picking the next task is "find the
first set bit", whatever the number of tasks.

The simulator's cost model charges what each algorithm does: on 2.4 `goodness` cycles for every runnable candidate
the scan looks at (and `recalcTask` cycles per task when all slices are used up), on 2.6 one pick whatever the
number of tasks. So we can measure it in simulated time: *n* processes that do nothing but call `sched_yield()`,
and the direct cost of one context switch (from the start of `schedule()` to the end of the switch).

### Predict, then run
Going from 16 to 256 runnable tasks (16 times more), how much longer does one 2.4 context switch take? And one 2.6?
""")
nb.code("""
// "about the same", "a few times", "more than 10 times"
String guessGrowth24 = "about the same";
String guessGrowth26 = "about the same";
""")
nb.code("""
/**
 * YieldRing: n processes on one Pentium Pro-200 that only call sched_yield(); after they
 * have all started, the simulated direct cost of one switch (schedule() and the switch).
 */
double usPerSwitch(KernelVersion v, int n) {
    var r = YieldRing.measure(v, CpuModel.PENTIUM_PRO_200, n);
    return (double) r.get("us_per_switch");
}
var sched = Rows.of("schedule() + switch, simulated",
        "kernel", "runnable", "us_per_switch");
for (var v : List.of(v24, v26)) {
    for (int n : new int[] {16, 64, 256}) {
        sched.add("Linux " + v.release(), n, usPerSwitch(v, n));
    }
}
var schedTable = sched.table();
display(schedTable);
var schedChart = Charts.plot(schedTable, "runnable", "us_per_switch", "kernel");
schedChart.setTitle("Direct cost of a switch vs runnable tasks (Pentium Pro-200)");
schedChart.setXAxisTitle("runnable tasks");
schedChart.setYAxisTitle("direct time per switch (µs)");
schedChart
""")
nb.code("""
String growth(String kernel) {
    var rows = schedTable.where(schedTable.stringColumn("kernel").isEqualTo(kernel));
    var us = rows.doubleColumn("us_per_switch");
    double ratio = us.get(2) / us.get(0);
    return ratio < 2 ? "about the same"
            : ratio < 10 ? "a few times" : "more than 10 times";
}
display(Check.guess("2.4 switch from 16 to 256 tasks", guessGrowth24,
        growth("Linux 2.4.22")));
Check.guess("2.6 switch from 16 to 256 tasks", guessGrowth26, growth("Linux 2.6.22"))
""")
nb.md("""
The 2.4 line climbs with the number of runnable tasks, the 2.6 line stays flat. With hundreds of runnable tasks (a
busy web server, a big compile), 2.4 spent a noticeable share of its time just choosing the next task, with a global
run-queue lock held on SMP. That, and its poor SMP behaviour, is why 2.6 got a new scheduler. (The experiment
notebook `experiments/scheduler-vs-runnable-tasks` takes this to 512 tasks and shows the scan's share of a switch.)

## Exercises
**1.** Use `usPerSwitch` to measure 2.4 with **512** runnable tasks and store it in `us512`. Is it more than 2.4
with 256?
""")
nb.code("""
double us512 = -1;   // replace: usPerSwitch(v24, 512)
""")
nb.code("""
double us256 = schedTable
        .where(schedTable.stringColumn("kernel").isEqualTo("Linux 2.4.22")
                .and(schedTable.intColumn("runnable").isEqualTo(256)))
        .doubleColumn("us_per_switch").get(0);
Check.that("2.4 with 512 tasks is slower than with 256", us512 > us256,
        String.format("Measure it: with 256 tasks one switch took %.1f µs here.",
                us256))
""")
nb.md("""
<details><summary>Solution</summary>

```java
double us512 = usPerSwitch(v24, 512);
```
More than with 256: each extra runnable task is one more `goodness()` call in every `schedule()`.
</details>

**2.** Why does letting the child run first after `fork` save work when the child calls `exec`?

<details><summary>Answer</summary>

If the parent ran first it would write to its pages, and each first write copies a page that the child shares
(copy-on-write), only for the child to throw its whole address space away at `exec` a moment later.
</details>

**3.** (Open) Besides the `goodness()` scan, what else in 2.4's `schedule()` touches every task? (Hint: what
happens when every runnable task's counter has reached 0?) Read `kernel-sim/src/main/java/tasklab/kernel/Sched24.java`
and LINUX-SPEC's R7.1.

## Key points
- The same program under both kernels does the same work with different policies; compare them with counters.
- **2.6 runs the child first** after `fork`; 2.4 returns to the parent.
- **2.6 added `exit_group`** for thread groups; **2.6's exec always builds a new mm**, 2.4 reuses it when it can.
- **2.4's scheduler scans every runnable task** (`goodness()`), O(n); **2.6's is O(1)** (priority arrays and a bitmap).

### Questionnaire
1. Which 2.6 change helps a fork-then-exec shell most?
2. Why does the simulator's cost model not show the O(n) scan, and what would you add to it so that it did?
3. What else did 2.6's scheduler change besides the pick-next cost (think SMP)?
""")
nb.save()
