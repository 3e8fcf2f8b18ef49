package tasklab.bench;

import tasklab.kernel.CloneFlags;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelVersion;
import tasklab.mm.VmFlags;

/**
 * Set-up helpers shared by the benchmarks and the heap probe. Everything goes through the
 * simulator's public API, as a notebook would use it.
 */
public final class Sim {
    /** One simulated page. */
    public static final long PAGE = 4096;
    /** The ring bound used whenever a benchmark runs with the trace on. */
    public static final int TRACE_RING = 4096;

    private Sim() { }

    /** Boots a kernel without the initcall threads; trace on with a bounded ring, or off. */
    public static Kernel boot(KernelVersion v, long ramBytes, boolean traceOn) {
        Kernel k = Kernel.boot(KernelConfig.of(v).withRam(ramBytes).withInitcallThreads(false));
        k.trace().setCapacity(TRACE_RING);
        k.trace().setEnabled(traceOn);
        return k;
    }

    /** RAM for a benchmark that maps {@code pages} pages (twice over, for a COW copy) plus slack, rounded to 4 MiB. */
    public static long ramFor(long pages) {
        long bytes = 2 * pages * PAGE + (256L << 20);
        bytes = (bytes + (4L << 20) - 1) & ~((4L << 20) - 1);
        return Math.min(bytes, 4L << 30);
    }

    /** A user process: fork of init (pid 1); it has its own mm (a copy of init's). */
    public static int process(Kernel k) {
        int pid = k.fork(1);
        check(pid > 0, "fork(1) = " + pid);
        return pid;
    }

    /** Puts init to sleep in wait4 so that it stays off the runqueue (its children are alive). */
    public static void parkInit(Kernel k) {
        int r = k.wait4(1, -1, 0);
        check(r == Kernel.WAIT_BLOCKED, "wait4 by init did not block: " + r);
    }

    /** mmap of {@code pages} private anonymous read-write pages; returns the address. */
    public static long map(Kernel k, int pid, long pages) {
        long va = k.mmap(pid, 0, pages * PAGE, VmFlags.PROT_READ | VmFlags.PROT_WRITE,
            VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS);
        check(va > 0, "mmap of " + pages + " pages = " + va);
        return va;
    }

    /** Writes {@code value} to the first byte of each page (0 maps a frame without materialising its contents). */
    public static void touch(Kernel k, int pid, long va, long pages, int value) {
        for (long i = 0; i < pages; i++) {
            int r = k.writeByte(pid, va + i * PAGE, value);
            if (r != 0) throw new IllegalStateException("write to page " + i + " of pid " + pid + " = " + r);
        }
    }

    /** Ends a child and reaps it from its parent. */
    public static void exitAndReap(Kernel k, int parent, int child) {
        k.exit(child, 0);
        int r = k.wait4(parent, child, 0);
        check(r == child, "wait4(" + parent + ", " + child + ") = " + r);
    }

    /** clone flags of a thread in the same process (pthread_create's set on both versions). */
    public static final int THREAD_FLAGS = CloneFlags.CLONE_VM | CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES
        | CloneFlags.CLONE_SIGHAND | CloneFlags.SIGCHLD;

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException(what);
    }
}
