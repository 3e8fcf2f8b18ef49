from nbgen import Tutorial

nb = Tutorial("05-the-kthread-api", requires=["text/html", "image/svg+xml"])
nb.md("""
# 5. The 2.6 kthread API

**2.6 stopped letting every subsystem call `kernel_thread()` and `daemonize()` by hand. One thread, `kthreadd`, makes
all the others, through four calls: `kthread_create`, `kthread_run`, `kthread_bind`, `kthread_stop`.**

*Time: about 30 minutes (20 reading and running, 10 for the exercises).*

### Questions
- Who is `kthreadd`, and why does it make every kernel thread?
- In which state is a kernel thread right after `kthread_create`? Has its function run?
- How do you pin a kernel thread to one CPU, and why only before it first runs?
- How does `kthread_stop` ask a thread to finish, and what does it return?
- Why do kthreads never stay around as zombies?

### Objectives
By the end you can:
1. **Show** that every 2.6 kernel thread is a child of kthreadd (pid 2).
2. **Predict** the state of a thread after `kthread_create` and after `kthread_run`.
3. **Bind** a thread to a CPU with `kthread_bind` and **show** where it ran.
4. **Stop** a thread with `kthread_stop` and **explain** its return value, including `-EINTR`.
""")
nb.md("""
## Setup
A 2.6 machine with two CPUs.
""")
nb.code("""
var sim = Sim.linux26().cpus(2).seed(42).boot();
sim.describe()
""")
nb.md("""
## Win on day one: a kernel thread in one line
`kthread_run(threadfn, data, name)` makes a kernel thread and starts it. Here `threadfn` is a *sleeper*: it sleeps until
woken and loops until someone asks it to stop. The tree shows where it landed: under **kthreadd**, not under init.
""")
nb.code("""
var worker = sim.kthreadRun("worker", KernelThreadFn.sleeper());
sim.runMillis(5);
sim.pstree()
""")
nb.md("""
## Why kthreadd?
In 2.4 (and early 2.6), any code that wanted a kernel thread called `kernel_thread()`: a `clone` from whichever task
happened to be running, so the new thread inherited that task's `mm`, open files, signal handlers, scheduling policy and
CPU mask. Each thread then had to call `daemonize()` to throw all of that away (tutorial 4).

2.6.22 made one clean parent: **kthreadd, pid 2**, started at boot with no `mm`, all signals ignored, allowed on every
CPU. `kthread_create` just puts a request on a list and wakes kthreadd; kthreadd forks the new thread from its own clean
context. The new thread inherits nothing it has to drop.
""")
nb.code("""
var ps = sim.ps();
ps.where(ps.stringColumn("kind").isEqualTo("kthread"))
""")
nb.md("""
Every kernel thread's `ppid` is 2, except kthreadd itself, whose parent is pid 0 (the boot code started it).

## kthread_create: made, but asleep
### Predict, then run
Right after `kthread_create`, what is the new thread's state? Has its function run yet?
""")
nb.code("""
String guessState = "TASK_RUNNING";
""")
nb.code("""
var fresh = sim.kthreadCreate("fresh", KernelThreadFn.sleeper());
display(sim.explain().last(1));
Check.guess("state right after kthread_create", guessState, fresh.stateName())
""")
nb.md("""
`TASK_UNINTERRUPTIBLE` (`D` in `ps`): the new thread's first code, `kthread()`, tells its creator "I exist" and goes to
sleep **before** calling your function. This gives the creator a window to set the thread up: name it, bind it to a CPU,
then wake it. `kthread_run` is simply `kthread_create` followed by `wake_up_process`.

## kthread_bind: pin it to a CPU
`kthread_bind(k, cpu)` sets the CPU the thread may run on. It only works while the thread has **not yet run**
(still in that first `TASK_UNINTERRUPTIBLE` sleep), because moving a task that is running is much harder.
""")
nb.code("""
fresh.kthreadBind(1);
fresh.wake();                      // wake_up_process: now it runs, on CPU 1
sim.runMillis(5);
display(String.format("%s last ran on CPU %d",
        fresh.label(), fresh.task().processor()));
sim.timeline()
""")
nb.md("""
### Predict, then run
Now that `fresh` has run, we try to bind it to CPU 0. Does it work?
""")
nb.code("""
boolean guessBindWorks = true;
""")
nb.code("""
var late = fresh.tryKthreadBind(0);
display(late.describe());
Check.guess("kthread_bind after the thread ran works", guessBindWorks, late.ok())
""")
nb.md("""
## kthread_stop: asking a thread to finish
A kernel thread is not killed from outside. `kthread_stop(k)`:
1. sets a flag that `kthread_should_stop()` in the thread will see,
2. wakes the thread,
3. waits until the thread's function returns, and returns **that return value**.

The sleeper checks `kthread_should_stop()` each time it wakes, so it returns 0:
""")
nb.code("""
int ret = worker.kthreadStop();
display(sim.explain().last(1));
"kthread_stop returned " + ret
""")
nb.md("""
Look at the `do_exit` and `release_task` lines of the explanation: the thread exited and was **released at once**. Its parent kthreadd ignores
`SIGCHLD`, so the thread does not wait as a zombie for a `wait4` that would never come.

### Predict, then run
What does `kthread_stop` return for a thread that was created but **never woken**, so its function never ran?
""")
nb.code("""
long guessNeverRan = 0;
""")
nb.code("""
var never = sim.kthreadCreate("never", KernelThreadFn.sleeper());
var r = never.tryKthreadStop();
display(r.describe());
Check.guess("kthread_stop of a thread that never ran", guessNeverRan, r.value())
""")
nb.md("""
`-EINTR` (-4): `kthread()` saw the stop flag when it woke and never called the function at all.

## kernel_thread still exists
`kernel_thread()` is still there in 2.6 (kthreadd uses it), and 2.6's adds `CLONE_UNTRACED` so a debugger cannot
attach to kernel threads. Call it from init and the thread is init's child, sharing init's `mm`, exactly as on 2.4:
""")
nb.code("""
var old = sim.init().kernelThread("oldstyle", KernelThreadFn.sleeper());
display(sim.explain().last(1));
String.format("%s: parent %d, mm %s", old.label(), old.ppid(), old.mm())
""")
nb.md("""
## Exercises
**1.** Create a kthread named `percpu1`, bind it to CPU 1, start it, run 5 ms, stop it. Store what `kthreadStop()`
returned in `stopResult` and the CPU it ran on (read it **before** stopping) in `ranOn`.
""")
nb.code("""
int ranOn = -1;        // replace
int stopResult = -1;   // replace
""")
nb.code("""
Check.that("percpu1 ran on CPU 1 and stopped cleanly", ranOn == 1 && stopResult == 0,
        "kthreadCreate, kthreadBind(1), wake(), sim.runMillis(5), "
        + "read task().processor(), then kthreadStop().")
""")
nb.md("""
<details><summary>Solution</summary>

```java
var t = sim.kthreadCreate("percpu1", KernelThreadFn.sleeper());
t.kthreadBind(1);
t.wake();
sim.runMillis(5);
int ranOn = t.task().processor();
int stopResult = t.kthreadStop();
```
</details>

**2.** Why must a thread function that will be stopped with `kthread_stop` never call `do_exit` itself?

<details><summary>Answer</summary>

`kthread_stop` waits for a completion that `kthread()` signals after the function **returns**. If the function called
`do_exit`, nobody would signal it and `kthread_stop` would wait forever (and the task_struct it holds a reference to
would be gone).
</details>

## Key points
- On 2.6 **kthreadd (pid 2)** forks every kernel thread from a clean context: no `mm`, signals ignored, all CPUs.
- **`kthread_create`** leaves the thread in `TASK_UNINTERRUPTIBLE`, its function not yet run; **`kthread_run`** also wakes it.
- **`kthread_bind`** works only before the first run.
- **`kthread_stop`** sets the stop flag, wakes the thread and returns the function's return value (`-EINTR` if it never
  ran). kthreads are released at once, never zombies.

### Questionnaire
1. What did `daemonize()` have to undo that a kthreadd child never inherits?
2. Why is the thread asleep, not running, when `kthread_create` returns?
3. Which flag does 2.6's `kernel_thread` add that 2.4's did not, and why?
""")
nb.save()
