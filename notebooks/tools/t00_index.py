from nbgen import Tutorial

TUTORIALS = [
    ("01-tasks-and-pids", "Tasks and pids", "idle tasks per CPU, init, keventd / kthreadd, ps and pstree, task_struct, the 8 KiB kernel stack and `current`, the 3G/1G split"),
    ("02-fork-and-cow", "fork and copy-on-write", "page tables before and after fork, read-only ptes, the COW fault, page counts, who copies and who reuses, the zero page"),
    ("03-vfork-and-clone", "vfork and clone", "the clone flags one by one, the vfork completion, threads sharing an mm, pid vs tgid, invalid flags on 2.4 vs 2.6"),
    ("04-kernel-threads-and-lazy-tlb", "Kernel threads and lazy TLB", "kernel_thread and CLONE_VM, daemonize / exit_mm, mm NULL and active_mm, mm_users vs mm_count, CR3 loads avoided"),
    ("05-the-kthread-api", "The 2.6 kthread API", "kthreadd, kthread_create / run / bind / stop / should_stop"),
    ("06-exec-exit-and-wait", "exec, exit and wait", "2.4's mm reuse vs 2.6's new mm, zombies, reparenting to init, wait4 status words"),
    ("07-context-switch-cost", "Context-switch cost", "direct vs refill cost, an lmbench-style sweep beside the published numbers and this machine"),
    ("08-smp-tlb-shootdowns", "SMP TLB shootdowns", "flush IPIs vs CPUs, lazy CPUs and leave_mm, munmap / mprotect / fork, the INVLPG what-if"),
    ("09-linux-2.4-vs-2.6", "Linux 2.4 and 2.6 side by side", "child-first fork, exit_group, the goodness scan vs the O(1) scheduler, measured"),
]

nb = Tutorial("00-index", requires=["text/plain"])
rows = "\n".join(f"| {n[:2]} | [{title}]({n}.ipynb) | {what} |" for n, title, what in TUTORIALS)
nb.md(f"""
# tasklab tutorials

Nine notebooks about how Linux 2.4 and 2.6 make, run and end tasks on i386, each about 30 minutes, in reading order.
Every one runs on a simulated machine: you make processes, call their system calls, and look at what the kernel did in
tables, pictures and charts. Same seed, same calls, same results, every time.

You need: one textbook chapter on processes and virtual memory. Each notebook starts with its questions and objectives,
asks you to **predict before you run**, and ends with exercises (solutions folded away) and key points.

| # | tutorial | what it covers |
|---|---|---|
{rows}

How to use them: the kernel "Java (tasklab)" is already chosen in these notebooks. Run them **cell by cell** with
Shift-Enter, from the top: at each "Predict, then run" cell, type your guess in place of the placeholder value before
you run the next cell, which checks it (✔ or ✘). *Cell > Run All* also works, but then every check compares the
placeholders, not your guesses. If the notebook gets into a muddle, *Kernel > Restart & Run All* starts it again.
The cell below checks that the simulator is there (the first cell of a notebook takes a few seconds: Java starts up):
""")
nb.code("""
Sim.boot().describe()
""")
nb.md("""
If it prints `Linux 2.4.22, 1 x Pentium Pro-200, 64 MiB`, everything works. Start with
[tutorial 1](01-tasks-and-pids.ipynb).

Which tutorial teaches which part of the articles the kit was designed from is listed in `notebooks/README.md`.
""")
nb.save()
