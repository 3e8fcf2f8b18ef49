from nbgen import Tutorial

nb = Tutorial("01-tasks-and-pids", requires=["text/html", "image/svg+xml", "image/png"])
nb.md("""
# 1. Tasks and pids

**What is running on a Linux machine before anyone logs in, and how does the kernel find "the current task"?**

*Time: about 30 minutes (20 reading and running, 10 for the exercises).*

### Questions
- Which tasks exist right after boot, and which of them are kernel threads?
- Why can `ps` show pid 0 more than once?
- What does a `task_struct` hold, and where does it live?
- How does kernel code find `current` from nothing but its stack pointer?
- What is the 3G/1G split?

### Objectives
By the end you can:
1. **List** the tasks a 2.4 and a 2.6 kernel start at boot and **name** each one's kind (idle task, user process,
   kernel thread).
2. **Explain** why there is one pid 0 per CPU.
3. **Read** pid, ppid, tgid, state, `mm` and `active_mm` of any task from `sim.ps()`.
4. **Compute** `current` from a kernel stack pointer with `esp & ~8191`.
5. **Place** a user address and a kernel address on the 3G/1G split.
""")
nb.md("""
## Setup
The notebook's kernel has the simulator already imported. `Sim.linux24()` gives a builder for a Linux 2.4.22 machine;
we ask for two CPUs and a fixed seed, so everything below comes out the same every time you run it.
""")
nb.code("""
var sim = Sim.linux24().cpus(2).seed(42).boot();
sim.describe()
""")
nb.md("""
## Win on day one: what a fresh kernel runs
Boot a 2.4 and a 2.6 machine side by side and count their tasks by kind. No user has typed a command yet.
""")
nb.code("""
var sim26 = Sim.linux26().cpus(2).seed(42).boot();
var kinds = List.of("idle", "process", "kthread");
var chart = new CategoryChartBuilder().width(640).height(300)
        .title("Tasks right after boot (2 CPUs)")
        .xAxisTitle("kind of task").yAxisTitle("tasks").build();
for (var s : List.of(sim, sim26)) {
    var kind = s.ps().stringColumn("kind");          // one entry per task
    var counts = kinds.stream().map(k -> kind.isEqualTo(k).size()).toList();
    chart.addSeries("Linux " + s.version().release(), kinds, counts);
}
chart
""")
nb.md("""
Both kernels run **two idle tasks** (`idle`, one per CPU), **one user process** (`process`: init) and a handful of
**kernel threads** (`kthread`)
that do housekeeping: flushing dirty buffers, swapping, running deferred work. 2.6 has more of them because it starts one
worker per CPU for several jobs (`events/0`, `events/1`, `ksoftirqd/0`, ...).

## ps: one row per task
`sim.ps()` is the simulator's `ps`. Kernel threads are shown in **[brackets]**, as real `ps` does.
""")
nb.code("sim.ps()")
nb.md("""
What each column says (you need only the first ones today; the others come back in later tutorials):

| column | meaning |
|---|---|
| `pid`, `ppid` | the task's id, and the id of its parent (the task that made it) |
| `tgid` | thread group id: what `getpid()` returns; the same for all threads of one process (tutorial 3) |
| `pgrp` | process group, what a shell uses for job control (not needed here) |
| `state` | `R` running or ready to run, `S` asleep until something wakes it, `Z` zombie (tutorial 6) |
| `comm` | the command name; **[brackets]** mark kernel threads |
| `kind` | the simulator's summary: `idle`, `process`, `thread` or `kthread` |
| `mm`, `active_mm` | the address space the task owns, and the one the CPU uses while it runs (below) |
| `cpu`, `on_cpu` | the CPU whose run queue holds the task, and whether it is running there right now |
| `slice`, `nice`, `prio` | scheduler state: ticks left in its time slice (2.4 calls it `counter`), its nice value, and on 2.6 its priority (120 + nice for ordinary tasks); tutorial 9 |
| `minflt` | page faults the task has taken so far |

Now read the table row by row:
- **pid 0, `[swapper]`**, appears twice: it is the *idle task*. Each CPU needs something to run when nothing else can,
  so each CPU has its own idle task. They were not made by `fork`; the boot code built them by hand, and they all have pid 0.
  Their odd `slice` (-49) and `nice` (20) are on purpose: 2.4 gives the idle task the lowest possible priority, so the
  scheduler picks it only when nothing else can run. The one on CPU1 is running now (`on_cpu` true) and uses
  `init_mm`, the kernel's own address space, as its `active_mm`.
- **pid 1, `init`**: the first user process. Its `mm` column names its address space (`mm#1`).
- **pid 2, `[keventd]`** on 2.4: runs work that other kernel code queued for later. Then `ksoftirqd_CPUn` (one per CPU),
  `kswapd`, `bdflush`, `kupdated`.
- **tgid 0** for most 2.4 kernel threads is not a typo: 2.4's boot code made init with `CLONE_SIGNAL`, which contains
  `CLONE_THREAD`, so until init exec'd `/sbin/init` it belonged to pid 0's thread group, and the threads it started then
  inherited tgid 0. Only the exec gave init a tgid of its own (1).
- **`mm` is `-` for every kernel thread**: they have no user address space. `active_mm` says which one they borrow
  while they run (tutorial 4 is about that).
""")
nb.md("""
`sim.pstree()` draws the same tasks as a tree: who forked whom, and on the right the address space (`mm_struct`) each
task owns (solid arrow) or borrows (dashed arrow).
""")
nb.code("sim.pstree()")
nb.md("""
### Predict, then run
On 2.4 every kernel thread is a child of init: their `ppid` is 1 in the table above. 2.6 does it differently: right
after init, the boot code starts one extra kernel thread, **`kthreadd`**, and from then on *every* kernel thread is
forked by `kthreadd`. Pids are handed out in order (0, 1, 2, ...). What is the `ppid` of `ksoftirqd/0` on 2.6?
Write your guess in the cell below, then run the next one.
""")
nb.code("""
int guessParentOfKernelThreads = 1;   // your guess: the ppid of ksoftirqd/0 on 2.6
""")
nb.code("""
var ps26 = sim26.ps();
display(ps26);
var ksoftirqd0 = sim26.task(3);      // [ksoftirqd/0] in the table
Check.guess("ppid of ksoftirqd/0 on 2.6", guessParentOfKernelThreads, ksoftirqd0.ppid())
""")
nb.md("""
On 2.6 the kernel threads are made by **`kthreadd`, pid 2**: whoever wants a new kernel thread asks `kthreadd` to fork
it (tutorial 5). On 2.4, `init` made them all with `kernel_thread()`.

## What a task_struct holds
Every row of `ps` is one `task_struct`. A handle from `sim.task(pid)` lets you read its fields:
""")
nb.code("""
var init = sim.task(1);
var keventd = sim.task(2);
for (var t : List.of(init, keventd)) {
    display(t.comm() + ": pid " + t.pid() + ", tgid " + t.tgid() + ", ppid " + t.ppid()
            + ", state " + t.stateName() + ", kernel thread? " + t.isKernelThread()
            + "\\n    mm        " + t.mm()
            + "\\n    active_mm " + t.activeMm());
}
""")
nb.md("""
- **pid** names the task; **tgid** (thread group id) is what `getpid()` returns, so all threads of one process share it
  (tutorial 3).
- **state**: `TASK_RUNNING` (on a run queue or on a CPU), `TASK_INTERRUPTIBLE` (asleep until an event or a signal), ...
- **mm** points to the user address space (an `mm_struct`); **active_mm** to the address space the CPU is actually
  using. A kernel thread has `mm == null`. An `mm_struct` prints as `mm#1{users=1, count=1, vmas=3, rss=1}`: its id, its
  two reference counts `mm_users` and `mm_count` (tutorial 4), how many regions (VMAs) it maps and how many of its
  pages are in memory (rss, resident set size).

## The 8 KiB kernel stack and `current`
Each task gets **8 KiB (two pages)** of kernel stack, aligned on an 8 KiB boundary. On 2.4 the `task_struct` itself
sits at the bottom of that block; on 2.6 a small `thread_info` sits there and points to the `task_struct`.
So kernel code finds the current task with one instruction: clear the low 13 bits of the stack pointer.
""")
nb.code("""
var p = sim.process("demo");            // a new user process to look at
int esp = p.task().esp();              // demo's saved kernel stack pointer
int base = Task.currentFromEsp(esp);   // esp & ~8191
int block = p.task().stackBase();      // where demo's 8 KiB block really starts
String.format("esp         = 0x%08x%nesp & ~8191 = 0x%08x%nblock start = 0x%08x (%s)",
        esp, base, block, base == block ? "the same" : "different!")
""")
nb.md("""
`p.kernelStack()` draws the block: the two pages, `thread_info` / `task_struct` at the bottom, the saved registers at
the top, and `esp` in between.
""")
nb.code("p.kernelStack()")
nb.md("""
### Predict, then run
How many bytes of the 8 KiB block lie **above** `esp` (already used by the saved user registers when the task entered the
kernel)? Compute it in your head from the numbers above, then run.
""")
nb.code("""
int guessBytesUsed = 0;   // your guess: base + 8192 - esp
""")
nb.code("""
Check.guess("bytes above esp", guessBytesUsed, base + Task.THREAD_SIZE - esp)
""")
nb.md("""
Those 60 bytes are the saved user registers (`struct pt_regs`) at the top of the stack: the stack grows down from the
top of the block, towards the `task_struct` at the bottom.

## The 3G/1G split
On i386 every process sees 4 GiB of virtual addresses. The lower **3 GiB** (0 to `0xbfffffff`) are the process's own:
text, data, heap, stack. The top **1 GiB** (`0xc0000000` up, `PAGE_OFFSET`) is the kernel, the same in every process,
which is why a system call does not have to switch page tables. `sim.vmas(p)` lists demo's regions (VMAs, what
`/proc/PID/maps` shows): where each starts and ends, its size in 4 KiB pages, its permissions (`r` read, `w` write,
`x` execute, `p` private) and how many of its pages are in memory (`resident`). Only the top stack page is: `exec` put the
program's arguments there; the rest is loaded or allocated when first touched.
""")
nb.code("sim.vmas(p)")
nb.code("p.addressSpace()")

nb.md("""
The user regions start near 128 MiB (text at `0x08048000`) and the stack ends just below `0xc0000000` (3 GiB); the
kernel stack we looked at lives above it, in the kernel's gigabyte, which every process maps the same way.

## Exercises
**1.** Boot a 2.6 machine with **4 CPUs** and store in `idleTasks` how many idle tasks `ps` shows.
""")
nb.code("""
// Boot Sim.linux26().cpus(4)..., then count the ps rows whose kind is "idle"
// (the chart cell at the top counts kinds the same way).
long idleTasks = -1;   // replace -1
""")
nb.code("""
Check.answer("idle tasks on a 4-CPU 2.6 machine", idleTasks, 4L,
        "Boot with .cpus(4) and count ps rows with kind \\"idle\\".")
""")
nb.md("""
<details><summary>Solution</summary>

```java
long idleTasks = Sim.linux26().cpus(4).boot().ps().stringColumn("kind").isEqualTo("idle").size();
```
One idle task per CPU: 4.
</details>

**2.** A kernel stack pointer reads `0xc1234f10`. Which address does `current` (the start of the 8 KiB block) have?
""")
nb.code("""
int currentBase = 0;   // replace 0 with your answer, written in hex like 0xc1230000
""")
nb.code("""
Check.answer("current for esp 0xc1234f10",
        String.format("0x%08x", currentBase),
        String.format("0x%08x", 0xc1234f10 & ~8191),
        "Clear the low 13 bits: 8192 = 0x2000.")
""")
nb.md("""
<details><summary>Solution</summary>

`~8191` is `0xffffe000`: it keeps everything above bit 12. The low part `0x4f10` becomes `0x4000`
(`0xf10` is below `0x2000`), so `current` is at `0xc1234000`.
</details>

## Key points
- Boot builds **one idle task per CPU** (pid 0) by hand; everything else is forked.
- **init** (pid 1) is the first user process; **kernel threads** (in brackets) have `mm == null`.
- On 2.4 init starts the kernel threads; on 2.6 **kthreadd** (pid 2) does.
- Each task has an **8 KiB kernel stack**; `current = esp & ~8191` finds its `task_struct` / `thread_info`.
- The top gigabyte of every address space is the kernel, the same for all processes.

### Questionnaire
1. Why can't the idle task be made with `fork`?
2. What would break if kernel stacks were not aligned on 8 KiB?
3. A kernel thread has `mm == null`. Which page tables does the CPU use while it runs? (Tutorial 4 answers this.)
""")
nb.save()
