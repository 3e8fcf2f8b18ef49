from nbgen import Tutorial

nb = Tutorial("shootdowns-vs-cpus", requires=["text/html", "image/png"], folder="experiments")
nb.md("""
# Experiment: TLB shootdown IPIs vs CPUs, lazy TLB on and off

One `munmap` by a process whose threads have run on every CPU (and then sleep), Linux 2.6, 1 to 16 CPUs, with lazy TLB
on and off: the flush IPIs sent, and the CR3 loads the machine needed to get there. Results go to `out/` (ignored by git).
""")
nb.code("""
int[] THREAD = {CloneFlags.CLONE_VM, CloneFlags.CLONE_FS, CloneFlags.CLONE_FILES,
        CloneFlags.CLONE_SIGHAND, CloneFlags.CLONE_THREAD};
Result shootdown(int cpus, boolean lazyTlb) {
    var s = Sim.linux26().cpus(cpus).seed(42).lazyTlb(lazyTlb).boot();
    var p = s.process("mt", 16);
    long buf = p.mmap(64 << 10);
    p.touch(buf, 64 << 10, 1);
    for (int cpu = 1; cpu < cpus; cpu++) {
        var t = p.clone(THREAD);
        t.setAffinity(1 << cpu);
        t.touch(buf, 4096, 2);
    }
    s.runMillis(5);
    var before = s.snapshot("munmap");
    p.munmap(buf, 16 << 10);
    return Result.of("ipi_tlb", s.count("ipi_tlb", before))
            .and("cr3_switch_before",
                    s.count("cr3_switch") - s.count("cr3_switch", before));
}
var table = Sweep.of(prm -> shootdown(prm.getInt("cpus"),
                prm.get("lazy_tlb", Boolean.class)))
        .named("one munmap, Linux 2.6")
        .vary("cpus", 1, 2, 4, 8, 16).vary("lazy_tlb", true, false).run();
table
""")
nb.code("""
var chart = Charts.plot(table, "cpus", "ipi_tlb", "lazy_tlb");
Export.csv(table, Path.of("out/shootdowns_vs_cpus.csv"));
Export.png(chart, Path.of("out/shootdowns_vs_cpus.png"));
Export.svg(chart, Path.of("out/shootdowns_vs_cpus.svg"));
chart
""")
nb.code("""
Charts.plot(table, "cpus", "cr3_switch_before", "lazy_tlb")
""")
nb.md("""
**What the figures show.** With lazy TLB on, every CPU that once ran a thread of the process stays in its `cpu_vm_mask`
while idle, so one `munmap` interrupts nearly all of them (each then leaves the mm); with lazy TLB off, idle CPUs had
already switched to the kernel's page tables and no IPI is needed, but getting there cost more CR3 loads (second chart).

**Where the model differs from real hardware.** An IPI here costs a fixed number of cycles and is delivered at once;
real APIC delivery, the sender's wait for every acknowledgement, and cache-line traffic on the flush data grow with the
number of CPUs, so the real cost curve is steeper than the IPI count alone.
""")
nb.save()
