package tasklab.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelVersion;
import tasklab.machine.PhysMem;

/**
 * P4: JVM heap per simulated mapped page, and the whole-machine check. Run in a fresh JVM with a
 * fixed heap (the runner starts it); prints {@code key=value} lines.
 *
 * <pre>
 *   HeapProbe perpage PAGES          map and touch PAGES pages; heap per page
 *   HeapProbe allram MIB             boot MIB MiB of RAM, map and touch every frame left (in as many
 *                                    processes as the 3 GiB user address spaces need); heap per
 *                                    mapped page with the boot-time state (mem_map, the kernel's
 *                                    direct-map page tables) charged to the pages
 *   HeapProbe machine processes|threads [TASKS]
 *                                    boot 4 GiB, make TASKS tasks (default 32768 on the task
 *                                    list, the idle task included), then map and touch every
 *                                    frame left; run it with -Xmx512m
 * </pre>
 *
 * "Touch" writes a zero byte: the fault maps a frame (a present pte, a page table, the frame's
 * count and mapcount) but the simulator keeps a frame's 4 KiB only once a non-zero byte is
 * written (PhysMem), which is how a freshly mapped anonymous page is. perpage also writes a
 * non-zero byte to each page afterwards and reports that cost (4 KiB of contents per page).
 */
public final class HeapProbe {
    private HeapProbe() { }

    static long usedHeap() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    public static void main(String[] args) {
        switch (args.length > 0 ? args[0] : "") {
            case "perpage" -> perPage(Long.parseLong(args[1]));
            case "allram" -> allRam(Long.parseLong(args[1]));
            case "machine" -> machine(args.length > 1 ? args[1] : "processes", args.length > 2 ? Integer.parseInt(args[2]) : 32768);
            default -> {
                System.err.println("usage: HeapProbe perpage PAGES | allram MIB | machine processes|threads [TASKS]");
                System.exit(2);
            }
        }
    }

    static void perPage(long pages) {
        long ram = pages * Sim.PAGE + (64L << 20);
        ram = Math.min((ram + (4L << 20) - 1) & ~((4L << 20) - 1), 4L << 30);
        long before = usedHeap();
        Kernel k = Sim.boot(KernelVersion.LINUX_2_4, ram, false);
        int pid = Sim.process(k);
        long booted = usedHeap();
        long va = Sim.map(k, pid, pages);
        Sim.touch(k, pid, va, pages, 0);
        long mapped = usedHeap();
        Sim.touch(k, pid, va, pages, 1);
        long filled = usedHeap();
        System.out.printf("p4 perpage pages=%d ram_bytes=%d heap_before=%d heap_booted=%d heap_mapped=%d heap_filled=%d%n",
            pages, ram, before, booted, mapped, filled);
        System.out.printf("p4 bytes_per_mapped_page=%.3f bytes_per_mapped_page_incl_boot=%.3f bytes_per_page_with_contents=%.1f%n",
            (mapped - booted) / (double) pages, (mapped - before) / (double) pages, (filled - booted) / (double) pages);
        if (k.counters() == null) System.out.println();   // keeps k reachable until here
    }

    static void allRam(long mib) {
        long before = usedHeap();
        Kernel k = Sim.boot(KernelVersion.LINUX_2_4, mib << 20, false);
        PhysMem mem = k.machine().mem();
        long booted = usedHeap();
        final long chunk = (64L << 20) / Sim.PAGE;
        long mapped = 0;
        int processes = 0;
        String error = "";
        outer:
        while (true) {
            int pid = Sim.process(k);
            processes++;
            boolean mappedAny = false;
            while (true) {
                long va = k.mmap(pid, 0, chunk * Sim.PAGE, tasklab.mm.VmFlags.PROT_READ | tasklab.mm.VmFlags.PROT_WRITE,
                    tasklab.mm.VmFlags.MAP_PRIVATE | tasklab.mm.VmFlags.MAP_ANONYMOUS);
                if (va <= 0) break;                                   // this address space is full: another process
                mappedAny = true;
                for (long i = 0; i < chunk; i++) {
                    if (mem.freeFrames() < 2) break outer;            // a page table may need one more frame
                    int r = k.writeByte(pid, va + i * Sim.PAGE, 0);
                    if (r != 0) { error = "write = " + r; break outer; }
                    mapped++;
                }
            }
            if (!mappedAny) { error = "mmap failed in a fresh process"; break; }
        }
        long used = usedHeap();
        System.out.printf("p4 allram ram_frames=%d free_frames=%d user_pages_mapped=%d processes=%d heap_before=%d heap_booted=%d heap_used=%d "
                + "contents_bytes=%d overflow_entries=%d error=%s%n",
            mem.nrFrames(), mem.freeFrames(), mapped, processes, before, booted, used, mem.contentsBytes(), mem.overflowEntries(),
            error.isEmpty() ? "none" : error.replace(' ', '_'));
        System.out.printf("p4 allram bytes_per_frame_at_boot=%.3f bytes_per_mapped_page_incl_boot=%.3f%n",
            (booted - before) / (double) mem.nrFrames(), (used - before) / (double) mapped);
        java.lang.ref.Reference.reachabilityFence(k);   // the kernel (tasks, mms) must count until here
    }

    static void machine(String kind, int wantTasks) {
        long t0 = System.nanoTime();
        long maxHeap = Runtime.getRuntime().maxMemory();
        long before = usedHeap();
        Kernel k = Sim.boot(KernelVersion.LINUX_2_6, 4L << 30, true);   // 2.6: the O(1) scheduler keeps 32k forks fast; heap does not depend on the version
        PhysMem mem = k.machine().mem();
        String error = "";
        long mappedPages = 0;
        int tasks = 0;
        try {
            int parent = Sim.process(k);
            Sim.parkInit(k);
            List<Integer> hogs = new ArrayList<>();
            for (int i = 0; i < 3; i++) hogs.add(k.fork(parent));
            while (k.tasks().size() < wantTasks) {
                int c = kind.equals("threads") ? k.clone(parent, Sim.THREAD_FLAGS) : k.fork(parent);
                if (c <= 0) { error = "fork failed at " + k.tasks().size() + " tasks: " + c; break; }
                k.sleep(c);
            }
            // Fill every frame left with user pages, 64 MiB per mmap, across the hogs' address spaces.
            final long chunk = (64L << 20) / Sim.PAGE;
            outer:
            for (int hog : hogs) {
                while (true) {
                    long va = k.mmap(hog, 0, chunk * Sim.PAGE, tasklab.mm.VmFlags.PROT_READ | tasklab.mm.VmFlags.PROT_WRITE,
                        tasklab.mm.VmFlags.MAP_PRIVATE | tasklab.mm.VmFlags.MAP_ANONYMOUS);
                    if (va <= 0) break;                               // this address space is full: next hog
                    for (long i = 0; i < chunk; i++) {
                        if (mem.freeFrames() < 2) break outer;        // a page table may need one more frame
                        int r = k.writeByte(hog, va + i * Sim.PAGE, 0);
                        if (r != 0) { error = "write = " + r; break outer; }
                        mappedPages++;
                    }
                }
            }
        } catch (OutOfMemoryError e) {
            error = "OutOfMemoryError";
        }
        tasks = k.tasks().size();
        long used = usedHeap();
        long secs = (System.nanoTime() - t0) / 1_000_000;
        boolean fullyMapped = mem.freeFrames() < 2;
        boolean pass = error.isEmpty() && fullyMapped && tasks >= wantTasks && used <= maxHeap;
        System.out.printf("p4 machine kind=%s ram_frames=%d free_frames=%d user_pages_mapped=%d tasks_on_list=%d nr_threads=%d "
                + "heap_used=%d heap_max=%d heap_before=%d bytes_per_frame=%.2f elapsed_ms=%d pass=%s error=%s%n",
            kind, mem.nrFrames(), mem.freeFrames(), mappedPages, tasks, k.nrThreads(), used, maxHeap, before,
            (used - before) / (double) mem.nrFrames(), secs, pass, error.isEmpty() ? "none" : error.replace(' ', '_'));
    }
}
