from nbgen import Tutorial

nb = Tutorial("06-exec-exit-and-wait", requires=["text/html", "image/svg+xml"])
nb.md("""
# 6. exec, exit and wait

**A process is born by `fork`, changes program with `exec`, dies with `exit`, and is buried by its parent's `wait`.
In between it can be a zombie, or an orphan.**

*Time: about 30 minutes (20 reading and running, 10 for the exercises).*

### Questions
- What happens to the address space at `exec`? Does 2.4 do the same as 2.6?
- What is a zombie, and why does the kernel keep one?
- What happens to the children of a process that exits first?
- What is in the status word `wait4` returns?

### Objectives
By the end you can:
1. **Show** that 2.4's `exec` reuses the `mm_struct` when nobody else uses it, and 2.6's always builds a new one.
2. **Find** a zombie in `ps` and **remove** it with `wait`.
3. **Show** that an orphan is reparented to init, which reaps it.
4. **Decode** a wait status word: exit code, terminating signal, core dump.
""")
nb.md("""
## Setup
""")
nb.code("""
var sim = Sim.linux24().seed(42).boot();
var p = sim.process("parent");
sim.describe()
""")
nb.md("""
## Win on day one: a family, before and after
`parent` forks a child, the child forks a grandchild, then the child exits without anyone waiting for it. The tree shows
the zombie child (`<defunct>` in ps) and the grandchild, which has lost its parent... or has it?
""")
nb.code("""
var child = p.fork();
var grandchild = child.fork();
child.exit(0);
sim.pstree()
""")
nb.md("""
The grandchild now hangs under **init**: when a process exits, its children are *reparented* to init (pid 1). The
child itself is a **zombie**: it has freed its memory, but its `task_struct` stays so that `parent` can still collect
its exit status.

## exec: a new program, a new (or renewed) address space
`execve` replaces the program: the old mappings go, the new program's text, data and stack come in. The interesting
question is what happens to the `mm_struct` itself.

### Predict, then run
On 2.4, a process whose mm nobody else uses calls `exec`. Is its `mm_struct` the same one afterwards (same id)? And on 2.6?
""")
nb.code("""
boolean guessSameMm24 = false;
boolean guessSameMm26 = false;
""")
nb.code("""
var results = Table.create("exec and the mm_struct", StringColumn.create("kernel"),
        StringColumn.create("mm before exec"), StringColumn.create("mm after exec"),
        StringColumn.create("same mm_struct"));
boolean same24 = false, same26 = false;
for (var s : List.of(Sim.linux24().seed(42).boot(), Sim.linux26().seed(42).boot())) {
    var q = s.process("before");
    var mmBefore = q.mm();
    q.exec("/bin/true");
    boolean same = q.mm() == mmBefore;
    if (s.version().is24()) same24 = same; else same26 = same;
    results.stringColumn(0).append("Linux " + s.version().release());
    results.stringColumn(1).append("mm#" + mmBefore.id());
    results.stringColumn(2).append("mm#" + q.mm().id());
    results.stringColumn(3).append(same ? "yes" : "no");
}
display(results);
display(Check.guess("2.4 exec keeps the mm_struct", guessSameMm24, same24));
Check.guess("2.6 exec keeps the mm_struct", guessSameMm26, same26)
""")
nb.md("""
2.4's `exec_mmap` saw `mm_users == 1` and took a shortcut: unmap everything in place and keep the same `mm_struct` and
page directory. 2.6 always allocates a fresh `mm` and drops the old one. That is simpler and safer (no special case,
nothing of the old address space can survive), and allocating an mm is cheap. Both free the old pages either way.

## exit and the zombie
`exit` frees almost everything: the address space, open files, signal handlers. What stays is the `task_struct` (and
its kernel stack) with the **exit code**, until the parent calls `wait`.

### Predict, then run
A second child exits with code 3. What letter does `ps` show in its `state` column before the parent waits?
""")
nb.code("""
String guessZombieState = "X";
""")
nb.code("""
var c = p.fork();
c.exit(3);
var ps = sim.ps();
display(ps.where(ps.intColumn("ppid").isEqualTo(p.pid())));
Check.guess("state of an exited child nobody waited for", guessZombieState, c.state())
""")
nb.md("""
`Z`, a zombie. `ps` also writes `<defunct>` after its name. A zombie holds no memory, but it holds a pid and a
`task_struct`: a parent that never waits leaks them.

## wait: reaping and the status word
`wait4` returns the pid of an exited child and a **status word**, which packs what happened into 16 bits:
- exited normally: exit code in bits 8-15, low 7 bits 0 (`exit(3)` gives `0x0300`);
- killed by a signal: the signal number in the low 7 bits, plus `0x80` if a core was dumped.
""")
nb.code("""
var statuses = Table.create("wait4 status words", IntColumn.create("pid"),
        StringColumn.create("how it ended"),
        StringColumn.create("status"), StringColumn.create("meaning"));
var w = p.wait(c);                                           // the zombie with exit(3)
statuses.intColumn(0).append(w.pid());
statuses.stringColumn(1).append("exit(3)");
statuses.stringColumn(2).append(String.format("0x%04x", w.status()));
statuses.stringColumn(3).append(w.meaning());
for (int sig : new int[] {9, 11}) {                          // SIGKILL, SIGSEGV
    var victim = p.fork();
    p.kill(victim, sig);
    var ws = p.waitAny();
    statuses.intColumn(0).append(ws.pid());
    statuses.stringColumn(1).append("kill(" + sig + ")");
    statuses.stringColumn(2).append(String.format("0x%04x", ws.status()));
    statuses.stringColumn(3).append(ws.meaning());
}
statuses
""")
nb.md("""
SIGSEGV's default action dumps core, so its status has the `0x80` bit: `0x008b` = 11 + 128. After `wait`, the child is
gone from `ps` for good; its pid can be used again.

### Predict, then run
`parent` has reaped everything it forked, except the zombie `child` from the beginning. It calls `wait` twice more. What
does the second call return?
""")
nb.code("""
String guessSecondWait = "0";   // a pid, "0", or an errno such as "-ECHILD"
""")
nb.code("""
var first = p.tryWait(-1, 0);
var second = p.tryWait(-1, 0);
display("first wait: " + first + "; second wait: " + second.describe());
Check.guess("second wait", guessSecondWait,
        second.ok() ? String.valueOf(second.value()) : "-" + second.errno().name())
""")
nb.md("""
The first `wait` reaped the zombie `child`. The second finds **no children at all** and fails with `-ECHILD` at once.
(With children that are all still running it would sleep instead; with `WNOHANG` it would return 0.)

## Orphans are adopted by init
The grandchild from the beginning was reparented to init when its parent exited. When it exits, **init** gets the
`SIGCHLD` and reaps it: init's main loop is a `wait` loop.
""")
nb.code("""
display("grandchild's parent now: pid " + grandchild.ppid());
grandchild.exit(1);
sim.runMillis(10);
display(sim.explain().last(2));
sim.pstree()
""")
nb.md("""
The grandchild was released while init ran (the `release_task` line): no zombie is left behind.

## Exercises
**1.** Fork a child of `p`, have it exit with code 42, and store the exit code that `wait` reports in `code`.
""")
nb.code("""
int code = -1;   // replace
""")
nb.code("""
Check.answer("exit code seen by wait", code, 42,
        "p.fork(), child.exit(42), then p.waitAny().exitCode().")
""")
nb.md("""
<details><summary>Solution</summary>

```java
var k = p.fork();
k.exit(42);
int code = p.waitAny().exitCode();
```
</details>

**2.** A status word reads `0x0086`. How did the child end?

<details><summary>Answer</summary>

Low 7 bits: 6 (SIGABRT); bit 7 (`0x80`) set: it dumped core. It was killed by SIGABRT and dumped core, as `abort()` does.
</details>

## Key points
- **exec** replaces the mappings. **2.4** keeps the same `mm_struct` if `mm_users` is 1; **2.6** always makes a new one.
- **exit** frees the memory but leaves a **zombie** (`Z`, `<defunct>`) holding the exit status.
- **wait4** reaps a zombie and returns a **status word**: exit code << 8, or signal number (+ `0x80` for a core dump).
  No children at all: `-ECHILD`.
- Children of an exiting process are **reparented to init**, which reaps them.

### Questionnaire
1. Why can't the kernel free a zombie's `task_struct` at `exit`?
2. What would happen to the system if init never called `wait`?
3. Why might 2.4's mm-reuse shortcut have been dropped in 2.6?
""")
nb.save()
