from nbgen import Tutorial

nb = Tutorial("simulator-vs-host", requires=["text/html", "image/png"], folder="experiments")
nb.md("""
# Experiment: the simulator vs this machine

Four measures, taken the same way on the machine this notebook runs on and in the simulator:

| measure | what is timed |
|---|---|
| `context_switch` | one switch between two processes on one CPU (lmbench's lat_ctx method, 0 KiB) |
| `fork` | `fork()` of a process with no extra pages |
| `fork_per_page` | what each resident (written) page adds to a `fork()` |
| `cow_fault` | the first write to a page shared copy-on-write after a fork: fault, copy, page-table update |

`HostBench.measure()` compiles and runs `benchmarks/host/hostbench.c` when a C compiler is installed, else it falls
back to what Java can measure (a thread hand-off, the COW fault of a private file mapping; Java cannot fork): the
`method` column says which was used. Results go to `out/` (ignored by git).
""")
nb.md("""
## This machine, live
Other programs share this machine, so its numbers move from run to run: the load average (runnable tasks, averaged
over 1, 5 and 15 minutes) says how busy it was. On a machine with 2 CPUs a load far above 2 means every
measurement waited for a CPU.
""")
nb.code("""
var load = Files.readString(Path.of("/proc/loadavg")).split(" ");
var host = HostBench.measure();
display(String.format(
        "load average while measuring: %s (1 min), %s (5 min), %s (15 min); %d CPUs",
        load[0], load[1], load[2], Runtime.getRuntime().availableProcessors()));
host
""")
nb.md("""
## The simulator
The same four measures on two CPU presets under Linux 2.6 (the closer of the two kernels to what this machine runs),
as a sweep: one row per preset. `HostBench.simulated` runs lat_ctx and `ForkCost` (0 and 4096 resident pages) in the
simulator.
""")
nb.code("""
var sim = Sweep.of(p -> {
            var t = HostBench.simulated(p.cpu(), p.version());
            var r = Result.of("context_switch_us", t.doubleColumn("value").get(0));
            return r.and("fork_us", t.doubleColumn("value").get(1))
                    .and("fork_per_page_ns", t.doubleColumn("value").get(2))
                    .and("cow_fault_us", t.doubleColumn("value").get(3));
        })
        .named("the host's measures in the simulator")
        .vary("cpu", CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_4_2000)
        .set("version", KernelVersion.LINUX_2_6)
        .run();
sim
""")
nb.md("""
## Side by side
One group of bars per measure. The scale is logarithmic (each labelled line is ten times the one below), because the
measures differ by a factor of a thousand and the machines by up to a hundred.
""")
nb.code("""
String[] measures = {"context_switch", "fork", "fork_per_page", "cow_fault"};
String[] labels = {"context switch (µs)", "fork (µs)", "fork, per page (ns)",
        "COW fault (µs)"};
String[] simCols = {"context_switch_us", "fork_us", "fork_per_page_ns", "cow_fault_us"};
var rows = Rows.of("the simulator vs this machine", "measure", "machine", "value");
for (int m = 0; m < measures.length; m++) {
    double v = host.doubleColumn("value").get(m);
    if (!Double.isNaN(v) && v > 0) rows.add(labels[m], "this machine", v);
    for (int i = 0; i < sim.rowCount(); i++)
        rows.add(labels[m], "sim " + sim.stringColumn("cpu").get(i),
                sim.doubleColumn(simCols[m]).get(i));
}
var both = rows.table();
var chart = Charts.logY(Charts.bars(both, "measure", "value", "machine"));
var method = host.stringColumn("method").get(0).replaceAll(" \\\\(.*", "");
chart.setTitle("The simulator vs this machine (" + method + ")");
chart.setXAxisTitle("measure (unit)");
chart.setYAxisTitle("value in the measure's unit (log scale)");
Export.csv(host, Path.of("out/host_measures.csv"));
Export.csv(sim, Path.of("out/host_measures_simulated.csv"));
Export.csv(both, Path.of("out/simulator_vs_host.csv"));
Export.png(chart, Path.of("out/simulator_vs_host.png"));
chart
""")
nb.code("""
var ratio = Rows.of("this machine ÷ simulated Pentium 4-2000, Linux 2.6",
        "measure", "host_over_sim");
var p4 = sim.where(sim.stringColumn("cpu").isEqualTo("Pentium 4-2000"));
for (int m = 0; m < measures.length; m++) {
    double h = host.doubleColumn("value").get(m);
    ratio.add(labels[m], Double.isNaN(h) ? null
            : Math.round(100 * h / p4.doubleColumn(simCols[m]).get(0)) / 100.0);
}
ratio.table()
""")
nb.md("""
**What the figure shows.** The simulator's bars do not depend on this machine at all: simulated time is counted in
the simulated CPU's cycles, so they are the same on every run. The host's bars are live, and how they compare
depends on how busy the machine was (the load average above). On an idle modern machine (the project's own idle runs,
`datasets/own_measurements_vm_zen4_linux618.csv`) a switch takes about 1.8 µs and a COW fault about 2.2 µs, close to
the simulated Pentium 4 (1.8 and 4.9 µs), while a fork + exit of a small process takes about 150 µs, far more than
any simulated fork. On a loaded machine every host bar grows further, because each measurement also waits for a CPU.

**Where the model differs from real hardware.** The simulator charges a fixed, documented number of cycles per
operation (`datasets/cost_model.md`) on an otherwise idle machine; a kernel of today does more per fork (far more
state to copy, memory accounted to control groups) and per switch (side-channel mitigations), runs in a virtual
machine whose exits cost microseconds, and has out-of-order CPUs whose caches and TLBs the model only approximates.
""")
nb.save()
