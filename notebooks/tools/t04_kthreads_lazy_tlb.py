from nbgen import Tutorial

nb = Tutorial("04-kernel-threads-and-lazy-tlb", requires=["text/html", "image/svg+xml", "image/png"])
nb.md("""
# 4. Kernel threads and lazy TLB

**A kernel thread has no user address space. So whose page tables does the CPU use while it runs, and why is that a
speed trick?**

*Time: about 30 minutes (20 reading and running, 10 for the exercises).*

### Questions
- How does 2.4's `kernel_thread()` make a thread, and why does it start out sharing its creator's memory?
- What do `daemonize()` and `exit_mm()` drop?
- What do `mm == NULL` and `active_mm` mean, and why does a kernel thread "borrow" an address space?
- What is the difference between `mm_users` and `mm_count`?
- How many CR3 loads (TLB flushes) does lazy TLB avoid?

### Objectives
By the end you can:
1. **Show** that `kernel_thread()` passes `CLONE_VM`, so the new thread shares its creator's `mm` (`mm_users + 1`).
2. **Explain** what `daemonize()` does to `mm`, `active_mm`, `mm_users` and `mm_count`.
3. **Explain** why a switch to a kernel thread loads no CR3.
4. **Measure** the CR3 loads that lazy TLB saves, by turning it off.
""")
nb.md("""
## Setup
Two CPUs, Linux 2.4, fixed seed.
""")
nb.code("""
var sim = Sim.linux24().cpus(2).seed(42).boot();
sim.describe()
""")
nb.md("""
## Win on day one: who runs, and which switches load CR3
Two small programs each write 16 KiB, then sleep one tick, four times. While they sleep, each CPU runs its idle task
(a kernel thread). The timeline shows who ran where; the chart counts the three kinds of context switch.
""")
nb.code("""
var prog = Program.builder().mmap(16 << 10)
        .loop(4, b -> b.touchMapped(16 << 10, 4096, true).sleep(1)).exit(0).build();
sim.spawn(prog, 2);
sim.runMillis(60);
sim.timeline()
""")
nb.code("""
var kinds = sim.switches().countBy("kind");
Charts.bar(kinds, "kind", "Count")
""")
nb.md("""
- **cr3**: the next task has a different address space, so `switch_mm` loaded CR3 and the CPU's TLB lost every
  non-global entry.
- **lazy**: the next task is a kernel thread. It borrows the previous address space and **nothing is loaded**.
- **same_mm**: the next task uses the very address space already loaded (a thread, or back from a lazy kernel thread to
  the task whose mm it borrowed).

Most switches here are lazy: every time a program sleeps, the idle task takes over without touching CR3.

## kernel_thread: starts out sharing its creator's mm
2.4's `kernel_thread(fn, arg, flags)` is a `clone` system call made from inside the kernel with **`CLONE_VM` always
added**. So the new thread shares the address space of whoever created it.

### Predict, then run
init (pid 1, a user process) creates a kernel thread. What is `mm_users` of init's mm right after?
""")
nb.code("""
int guessMmUsers = 1;
""")
nb.code("""
var init = sim.init();
var worker = init.kernelThread("worker", KernelThreadFn.sleeper());
display(sim.mm());
Check.guess("mm_users of init's mm after kernel_thread", guessMmUsers,
        init.mm().mmUsers())
""")
nb.md("""
`mm_users` is 2: init and the new thread both use init's user address space. A kernel thread has no business in init's
memory, and it keeps init's mm alive as long as it holds it.

## daemonize: let go of the user mm
The new thread calls `daemonize()` first thing. Among other things (blocking signals, making init its parent), it
calls `exit_mm()`: `mm` becomes `NULL` and `mm_users` drops. From then on the thread is a true kernel thread.
""")
nb.code("""
worker.daemonize("worker");
sim.runMillis(10);
display(sim.explain().last(2));
sim.mm()
""")
nb.md("""
Now `mm_users` is back to 1 (only init **uses** the mm), but `mm_count` went **up**. The `borrowers` column says why:
tasks with `mm == NULL` that run on a CPU still need *some* page tables loaded. They keep whatever the CPU had, the
previous task's, and record it in **`active_mm`**, taking a reference on it (`mm_count + 1`) so that it cannot be freed
under their feet.

- **`mm_users`**: how many tasks *use* this address space as their own `mm` (threads, vfork children).
- **`mm_count`**: references to the `mm_struct` itself. All the users together hold one; each borrower holds one.
  The page tables are torn down when `mm_users` reaches 0; the struct is freed when `mm_count` reaches 0.

The task tree shows owned mms as solid arrows and borrowed ones as dashed arrows:
""")
nb.code("sim.pstree()")
nb.md("""
## Lazy TLB: why borrowing is a speed trick
The kernel half of every address space is the same (tutorial 1), and a kernel thread never touches user addresses.
So when the CPU switches to a kernel thread, **any** page tables will do, and the ones already loaded cost nothing:
no CR3 load, no TLB flush. The CPU is then in *lazy TLB mode*. When it switches back to the same user task, it does not
need to load CR3 either.

### Predict, then run
We run the same two programs on a machine with lazy TLB **off**: every kernel thread then gets a real switch to the
kernel's own page tables (`init_mm`). How many CR3 loads (`cr3_switch`) will that machine count, compared with the
lazy one? Guess the number for lazy TLB off.
""")
nb.code("""
long guessCr3Off = 20;
""")
nb.code("""
var lazy = Sim.linux24().cpus(2).seed(42).boot();
lazy.spawn(prog, 2);
lazy.runMillis(60);
var eager = Sim.linux24().cpus(2).seed(42).lazyTlb(false).boot();
eager.spawn(prog, 2);
eager.runMillis(60);
var cmp = Table.create("CR3 loads in 60 ms", StringColumn.create("lazy TLB"),
        LongColumn.create("cr3_switch"), LongColumn.create("context switches"));
for (var s : List.of(lazy, eager)) {
    cmp.stringColumn(0).append(s.config().lazyTlb() ? "on" : "off");
    cmp.longColumn(1).append(s.count("cr3_switch"));
    cmp.longColumn(2).append(s.count("ctxt"));
}
display(cmp);
display(Check.guess("CR3 loads with lazy TLB off", guessCr3Off,
        eager.count("cr3_switch")));
Charts.bar(cmp, "lazy TLB", "cr3_switch")
""")
nb.md("""
With lazy TLB off most switches load CR3 and flushes the TLB, and the user task that comes back afterwards has to
refill its TLB entries too. Each CR3 load costs tens of cycles directly, and many more in TLB misses afterwards.

## Exercises
**1.** On the lazy machine `lazy`, how many switches were of kind `lazy`? Store the number in `lazySwitches`
(hint: `lazy.switches()` and the `kind` column).
""")
nb.code("""
long lazySwitches = -1;   // replace -1
""")
nb.code("""
Check.answer("lazy switches on the lazy machine", lazySwitches,
        (long) lazy.switches().stringColumn("kind").isEqualTo("lazy").size(),
        "Count the rows of lazy.switches() whose kind is \\"lazy\\".")
""")
nb.md("""
<details><summary>Solution</summary>

```java
long lazySwitches = lazy.switches().stringColumn("kind").isEqualTo("lazy").size();
```
</details>

**2.** Without running anything: a kernel thread borrows mm#5 while its owner process exits on another CPU.
Which counter keeps mm#5's `mm_struct` alive, and which one reaches 0 and lets the page tables go?

<details><summary>Answer</summary>

`mm_users` reaches 0 when the last user exits: the user mappings are torn down (`exit_mmap`). The borrower still holds
an `mm_count` reference, so the `mm_struct` itself (and its page directory, which the CPU may still have loaded) stays
until the kernel thread is switched out and drops it (`mmdrop`).
</details>

## Key points
- `kernel_thread()` always passes **`CLONE_VM`**: the thread starts in its creator's mm. **`daemonize()`** calls
  `exit_mm()` so it lets go (`mm = NULL`).
- A task with `mm == NULL` runs on a **borrowed** `active_mm`: whatever the CPU had loaded.
- **`mm_users`** counts tasks that own the address space; **`mm_count`** counts references to the struct (users as one,
  plus every borrower).
- **Lazy TLB**: switching to a kernel thread loads no CR3 and flushes nothing; turning it off makes almost every switch
  a CR3 load.

### Questionnaire
1. Why can a kernel thread run on *any* user page tables?
2. What could go wrong if borrowing did not increment `mm_count`?
3. On SMP, a lazy CPU still has a user mm loaded. What must happen when another CPU changes that mm's page tables?
   (Tutorial 8.)
""")
nb.save()
