from nbgen import Tutorial

nb = Tutorial("01-tasks-and-pids", requires=["text/html", "image/png"])
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
1. **List** the tasks a 2.4 and a 2.6 kernel start at boot and **name** each one's kind (idle, init, kernel thread).
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
        .title("Tasks right after boot (2 CPUs)").xAxisTitle("kind of task").yAxisTitle("tasks").build();
for (var s : List.of(sim, sim26)) {
    var kind = s.ps().stringColumn("kind");
    chart.addSeries("Linux " + s.version().release(), kinds, kinds.stream().map(k -> kind.isEqualTo(k).size()).toList());
}
chart
""")
nb.md("""
Both kernels run **two idle tasks** (one per CPU), **one user process** (init) and a handful of **kernel threads**
that do housekeeping: flushing dirty buffers, swapping, running deferred work. 2.6 has more of them because it starts one
worker per CPU for several jobs (`events/0`, `events/1`, `ksoftirqd/0`, ...).

## ps: one row per task
`sim.ps()` is the simulator's `ps`. Kernel threads are shown in **[brackets]**, as real `ps` does.
""")
nb.code("sim.ps()")
nb.md("""
Read the table row by row:
- **pid 0, `[swapper]`**, appears twice: it is the *idle task*. Each CPU needs something to run when nothing else can,
  so each CPU has its own idle task. They were not made by `fork`; the boot code built them by hand, and they all have pid 0.
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
### Predict, then run
On 2.6, the kernel threads are not children of init. Which pid is their parent? Write your guess in the cell below, then
run the next one.
""")
nb.code("""
int guessParentOfKernelThreads = 1;   // your guess: the ppid of ksoftirqd/0 on 2.6
""")
nb.code("""
var ps26 = sim26.ps();
display(ps26);
Check.guess("ppid of ksoftirqd/0 on 2.6", guessParentOfKernelThreads, sim26.task(3).ppid())
""")
nb.md("""
On 2.6 the kernel threads are made by **`kthreadd`, pid 2**: every other kernel thread asks it to fork them (tutorial 5).
On 2.4, `init` made them all with `kernel_thread()`.

## What a task_struct holds
Every row of `ps` is one `task_struct`. A handle from `sim.task(pid)` lets you read its fields:
""")
nb.code("""
var init = sim.task(1);
var keventd = sim.task(2);
String.format("%s: pid %d, tgid %d, ppid %d, state %s, mm %s, active_mm %s%n%s: pid %d, ppid %d, state %s, mm %s, kernel thread? %b",
        init.comm(), init.pid(), init.tgid(), init.ppid(), init.stateName(), init.mm(), init.activeMm(),
        keventd.comm(), keventd.pid(), keventd.ppid(), keventd.stateName(), keventd.mm(), keventd.isKernelThread())
""")
nb.md("""
- **pid** names the task; **tgid** (thread group id) is what `getpid()` returns, so all threads of one process share it
  (tutorial 3).
- **state**: `TASK_RUNNING` (on a run queue or on a CPU), `TASK_INTERRUPTIBLE` (asleep until an event or a signal), ...
- **mm** points to the user address space; **active_mm** to the address space the CPU is actually using.
  A kernel thread has `mm == null`.

## The 8 KiB kernel stack and `current`
Each task gets **8 KiB (two pages)** of kernel stack, aligned on an 8 KiB boundary. On 2.4 the `task_struct` itself
sits at the bottom of that block; on 2.6 a small `thread_info` sits there and points to the `task_struct`.
So kernel code finds the current task with one instruction: clear the low 13 bits of the stack pointer.
""")
nb.code("""
var p = sim.process("demo");
int esp = p.task().esp();                  // the saved kernel stack pointer of demo
int base = Task.currentFromEsp(esp);        // esp & ~8191
String.format("esp = 0x%08x%nesp & ~8191 = 0x%08x%nstack block of %s starts at 0x%08x: %s",
        esp, base, p.label(), p.task().stackBase(), base == p.task().stackBase() ? "the same address" : "different!")
""")
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
which is why a system call does not have to switch page tables. Look at where demo's regions lie:
""")
nb.code("sim.vmas(p)")
nb.code("""
long pageOffset = 0xc0000000L;
var regions = sim.vmas(p);
var chart2 = new CategoryChartBuilder().width(640).height(280).title("Where demo's memory lies (MiB from address 0)")
        .xAxisTitle("region").yAxisTitle("start address, MiB").build();
var names = new ArrayList<>(regions.stringColumn("region").asList());
var starts = new ArrayList<Number>();
for (var s : regions.stringColumn("start")) starts.add(Long.decode(s) / (1 << 20));
names.add("kernel stack"); starts.add((p.task().stackBase() & 0xffffffffL) / (1 << 20));
chart2.addSeries("start", names, starts);
chart2.getStyler().setLegendVisible(false);
chart2
""")
nb.md("""
The user regions start near 128 MiB (text at `0x08048000`) and the stack ends just below 3072 MiB; the kernel stack we
looked at lives above 3072 MiB, in the kernel's gigabyte.

## Exercises
**1.** Boot a 2.6 machine with **4 CPUs** and store in `idleTasks` how many idle tasks `ps` shows.
""")
nb.code("""
long idleTasks = -1;   // replace -1: boot Sim.linux26().cpus(4)... and count the rows whose kind is "idle"
""")
nb.code("""
Check.answer("idle tasks on a 4-CPU 2.6 machine", idleTasks, 4L, "Boot with .cpus(4) and count ps rows with kind \\"idle\\".")
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
int currentBase = 0;   // replace 0 with your answer, e.g. 0xc1230000
""")
nb.code("""
Check.answer("current for esp 0xc1234f10", String.format("0x%08x", currentBase), String.format("0x%08x", 0xc1234f10 & ~8191),
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
