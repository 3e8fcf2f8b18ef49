from nbgen import Tutorial

nb = Tutorial("03-vfork-and-clone", requires=["text/html", "image/svg+xml"])
nb.md("""
# 3. vfork and clone

**`fork`, `vfork` and `pthread_create` all end up in the same kernel function, `do_fork`. The flags make the difference.**

*Time: about 30 minutes (20 reading and running, 10 for the exercises).*

### Questions
- What does each `CLONE_*` flag share between parent and child?
- Why does the parent of a `vfork` sleep, and what wakes it?
- How do two threads share one address space, and what is `mm_users`?
- Why does `getpid()` return the same value in every thread of a process?
- Which flag combinations are refused, and does 2.4 refuse the same ones as 2.6?

### Objectives
By the end you can:
1. **Name** the flags `fork`, `vfork` and a thread `clone` pass to `do_fork`.
2. **Show** that a `vfork` parent sleeps until the child calls `exec` or `exit`.
3. **Count** `mm_users` of an address space shared by several threads.
4. **Tell** pid from tgid in `ps`.
5. **Predict** the errno of an invalid `clone` on 2.4 and on 2.6.
""")
nb.md("""
## Setup
""")
nb.code("""
var sim = Sim.linux24().seed(42).boot();
var p = sim.process("demo");
sim.describe()
""")
nb.md("""
## Win on day one: three children, three kinds of sharing
`demo` makes one child with `fork`, one with `vfork` (which exits at once), and one thread with `clone`.
The table says what each child shares with its parent; the picture after it shows the process tree and the
address spaces (`mm_struct`s) each task uses.
""")
nb.code("""
var forked = p.fork();
var vforked = p.vfork();
// a vfork child must exec or exit before its parent runs again
vforked.exit(0);
p.waitAny();
var thread = p.clone(CloneFlags.CLONE_VM, CloneFlags.CLONE_FS, CloneFlags.CLONE_FILES,
                     CloneFlags.CLONE_SIGHAND, CloneFlags.CLONE_THREAD);
var t = Table.create("children of demo", StringColumn.create("made by"),
        IntColumn.create("pid"), IntColumn.create("tgid"),
        StringColumn.create("shares parent's mm"), StringColumn.create("state"));
for (var row : List.of(List.of("fork()", forked),
        List.of("clone(VM|FS|FILES|SIGHAND|THREAD)", thread))) {
    var c = (Proc) row.get(1);
    t.stringColumn(0).append((String) row.get(0));
    t.intColumn(1).append(c.pid());
    t.intColumn(2).append(c.tgid());
    t.stringColumn(3).append(c.mm() == p.mm() ? "yes" : "no");
    t.stringColumn(4).append(c.stateName());
}
t
""")
nb.code("sim.pstree()")
nb.md("""
The forked child got an `mm` of its own (a copy, tutorial 2). The thread uses **the same `mm`** as `demo` and has the
**same tgid**: to the user it is the same process. The `vfork` child is gone already: it exited and was reaped.

## The flags, one by one
`do_fork(clone_flags, ...)` copies or shares each part of a task according to one bit:

| flag | if set, the child ... | used by |
|---|---|---|
| `CLONE_VM` | shares the address space (`mm`), `mm_users + 1` | vfork, threads, kernel threads |
| `CLONE_FS` | shares the current directory, root, umask | threads, kernel threads |
| `CLONE_FILES` | shares the open file table | threads |
| `CLONE_SIGHAND` | shares the signal handlers | threads |
| `CLONE_THREAD` | joins the parent's thread group (same tgid) | threads |
| `CLONE_VFORK` | makes the parent sleep until the child execs or exits | vfork |
| `CLONE_PARENT` | gets the parent's parent as its parent | |
| low byte (`SIGCHLD`) | the signal the parent gets when the child exits | fork, vfork |

`fork()` is `do_fork(SIGCHLD)`, `vfork()` is `do_fork(CLONE_VFORK | CLONE_VM | SIGCHLD)`, and `clone(flags)` passes the
flags you give.

## vfork: the parent waits
`vfork` was made for the common case "fork, then exec at once": the child borrows the parent's address space (no page
tables copied at all), and the parent is put to sleep so that the two never run on the same memory at the same time.

### Predict, then run
Right after `vfork()`, what state is the parent in? (`R` running, `S` interruptible sleep, `D` uninterruptible sleep)
""")
nb.code("""
String guessParentState = "R";
""")
nb.code("""
var v = p.vfork();
display(sim.ps().where(sim.ps().intColumn("pid").isIn(p.pid(), v.pid())));
Check.guess("state of the vfork parent", guessParentState, p.state())
""")
nb.md("""
`D`: the parent waits on a *completion* (`vfork_done`) in uninterruptible sleep; not even a signal wakes it. Only the
child's `exec` or `exit` does (`mm_release` completes it). Watch it happen:
""")
nb.code("""
v.exec("/bin/true");
display(sim.explain().last(1));        // only the newest call
String.format("parent %s is now %s; child %s has its own mm: %b",
        p.label(), p.stateName(), v.label(), v.mm() != p.mm())
""")
nb.md("""
The exec gave the child a **new** mm, the old one lost a user, and the parent woke up.

## Threads: one mm, many tasks
Each thread made with `CLONE_VM` adds one to `mm_users` of the shared `mm_struct`. The mm is torn down only when
`mm_users` drops to 0.

### Predict, then run
`demo` already has one thread. We make two more. What is `mm_users` of demo's mm then?
""")
nb.code("""
int guessMmUsers = 3;
""")
nb.code("""
int threadFlags[] = {CloneFlags.CLONE_VM, CloneFlags.CLONE_FS, CloneFlags.CLONE_FILES,
        CloneFlags.CLONE_SIGHAND, CloneFlags.CLONE_THREAD};
p.clone(threadFlags);
p.clone(threadFlags);
display(sim.mm());
Check.guess("mm_users of demo's mm", guessMmUsers, p.mm().mmUsers())
""")
nb.md("""
Four tasks use demo's mm (demo and three threads), so `mm_users` is 4; the `users` column lists their pids.
The picture shows demo and its first thread: one page table (one `pgd`) that both tasks use.
""")
nb.code("sim.sharing(p, thread)")
nb.md("""
## pid and tgid
Each thread is its own task with its own **pid**. `getpid()` returns the **tgid**, the pid of the first thread (the
*thread group leader*), so all threads of a process agree on "their" pid. `ps` shows both:
""")
nb.code("""
var all = sim.ps();
all.where(all.intColumn("tgid").isEqualTo(p.pid()))
""")
nb.md("""
## Invalid flag combinations
Some combinations make no sense, and `do_fork` refuses them before doing anything. 2.6 checks:
- `CLONE_THREAD` without `CLONE_SIGHAND` (`-EINVAL`): threads of one group must share their signal handlers.
- `CLONE_SIGHAND` without `CLONE_VM` (`-EINVAL`): handlers are addresses in the address space, so sharing them without
  sharing the memory is meaningless.

Both versions refuse `CLONE_NEWNS | CLONE_FS` (`-EINVAL`: a new mount namespace cannot share a root directory with the
old one) and, on 2.4, `CLONE_PID` from anyone but pid 0 (`-EPERM`).

### Predict, then run
`clone(CLONE_THREAD)` alone: does 2.4 accept it? Does 2.6?
""")
nb.code("""
boolean guessOk24 = false;
boolean guessOk26 = false;
""")
nb.code("""
var sim24 = Sim.linux24().seed(42).boot(); var a = sim24.process("a");
var sim26 = Sim.linux26().seed(42).boot(); var b = sim26.process("b");
var combos = new LinkedHashMap<String, Integer>();
combos.put("CLONE_THREAD", CloneFlags.CLONE_THREAD);
combos.put("CLONE_SIGHAND", CloneFlags.CLONE_SIGHAND);
combos.put("CLONE_VM|CLONE_SIGHAND", CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND);
combos.put("CLONE_SIGHAND|CLONE_THREAD",
        CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD);
combos.put("CLONE_VM|CLONE_SIGHAND|CLONE_THREAD",
        CloneFlags.CLONE_VM | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD);
combos.put("CLONE_NEWNS|CLONE_FS", CloneFlags.CLONE_NEWNS | CloneFlags.CLONE_FS);
combos.put("CLONE_PID", CloneFlags.CLONE_PID);
var flagTable = Table.create("clone(flags) on both kernels",
        StringColumn.create("flags"),
        StringColumn.create("Linux 2.4"), StringColumn.create("Linux 2.6"));
boolean ok24 = false, ok26 = false;
for (var e : combos.entrySet()) {
    var r24 = a.tryClone(e.getValue());
    var r26 = b.tryClone(e.getValue());
    if (e.getKey().equals("CLONE_THREAD")) { ok24 = r24.ok(); ok26 = r26.ok(); }
    flagTable.stringColumn(0).append(e.getKey());
    flagTable.stringColumn(1)
            .append(r24.ok() ? "ok, child " + r24.value() : r24.outcome());
    flagTable.stringColumn(2)
            .append(r26.ok() ? "ok, child " + r26.value() : r26.outcome());
}
display(flagTable);
display(Check.guess("2.4 accepts clone(CLONE_THREAD)", guessOk24, ok24));
Check.guess("2.6 accepts clone(CLONE_THREAD)", guessOk26, ok26)
""")
nb.md("""
2.4 checked **neither** thread rule: it happily made a "thread" with its own address space, or shared signal
handlers between two address spaces. 2.6 refuses both. `CLONE_PID` is 2.4 only: 2.6 dropped the flag and ignores
the bit. The `try` form returns the result
instead of throwing, so a table like this is one loop. The plain form throws, with a sentence naming the rule:
""")
nb.code("""
b.tryClone(CloneFlags.CLONE_THREAD).describe()
""")
nb.md("""
## Exercises
**1.** On the 2.6 machine `sim26`, make a thread of `b` with the **fewest flags** 2.6 accepts for a thread (same tgid,
same mm). Store the child in `myThread`.
""")
nb.code("""
Proc myThread = null;   // replace null: b.clone(...)
""")
nb.code("""
Check.that("a thread of b with the fewest flags",
        myThread != null && myThread.tgid() == b.tgid() && myThread.mm() == b.mm(),
        "A thread needs CLONE_THREAD (same tgid), CLONE_VM (same mm), "
        + "and 2.6 needs CLONE_SIGHAND with CLONE_THREAD.")
""")
nb.md("""
<details><summary>Solution</summary>

```java
Proc myThread = b.clone(CloneFlags.CLONE_VM, CloneFlags.CLONE_SIGHAND, CloneFlags.CLONE_THREAD);
```
`CLONE_THREAD` gives the tgid, `CLONE_VM` the mm, and `CLONE_SIGHAND` is required by both rules above.
</details>

**2.** Why would `vfork` be dangerous without `CLONE_VFORK`'s sleep? Think of the child returning from the function that
called `vfork` and overwriting the stack the parent will return to.

## Key points
- `fork`, `vfork`, `clone` and `kernel_thread` all call **`do_fork`**; the **flags** decide what is shared.
- **vfork** = `CLONE_VM | CLONE_VFORK`: no copy of anything, and the parent sleeps (state `D`) until the child execs or exits.
- **Threads** share one `mm`; `mm_users` counts them. Each thread has its own **pid**; `getpid()` returns the **tgid**.
- Invalid combinations fail before anything is copied; 2.6 checks more than 2.4 (`CLONE_THREAD` needs `CLONE_SIGHAND`,
  which needs `CLONE_VM`).

### Questionnaire
1. Which flags does `pthread_create` pass on 2.6 (NPTL)? Which ones did LinuxThreads on 2.4 not pass?
2. A vfork child calls `exit`. Which function wakes the parent?
3. Two threads and one forked child: how many `mm_struct`s, and what is each one's `mm_users`?
""")
nb.save()
