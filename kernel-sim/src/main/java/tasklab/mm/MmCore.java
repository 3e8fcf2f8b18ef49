package tasklab.mm;

import tasklab.kernel.KernelVersion;
import tasklab.machine.Cpu;
import tasklab.machine.Machine;
import tasklab.machine.Mmu;
import tasklab.machine.PhysMem;
import tasklab.machine.Pte;
import tasklab.trace.Counter;
import tasklab.trace.Counters;
import tasklab.trace.Event;
import tasklab.trace.Trace;

/**
 * The memory-management subsystem of one simulated kernel: boot-time page tables
 * (swapper_pg_dir and the kernel's direct map), the zero page, init_mm, per-CPU state, and the
 * parts that implement each kernel file (page tables, faults, mmap, TLB flushing).
 * Linux: arch/i386/mm/init.c paging_init() / pagetable_init().
 */
public final class MmCore {
    /** Physical frame of swapper_pg_dir (0x101000, as in arch/i386/kernel/head.S). */
    public static final int SWAPPER_PG_DIR_PFN = 0x101;
    /** Physical frame of empty_zero_page (0x104000, head.S). */
    public static final int ZERO_PAGE_PFN = 0x104;
    /** Frames below this are reserved at boot: the low 1 MiB and a 1 MiB kernel image. */
    public static final int KERNEL_END_PFN = 0x200;
    /** Lowmem limit: the kernel direct-maps at most 896 MiB. */
    public static final long MAX_LOWMEM = 896L << 20;
    /** TASK_SIZE: user addresses are below 0xC0000000. */
    public static final long TASK_SIZE = 0xC0000000L;
    /** TASK_UNMAPPED_BASE = TASK_SIZE / 3: where mmap searches first. */
    public static final long TASK_UNMAPPED_BASE = TASK_SIZE / 3;
    /** RLIMIT_STACK default, 8 MiB. */
    public static final long STACK_LIMIT = 8L << 20;

    private final Machine machine;
    private final KernelVersion version;
    private final PhysMem mem;
    private final PerCpu[] perCpu;
    private final Counters counters;
    private final Trace trace;
    private final MmStruct initMm;
    private final boolean pge;
    private final boolean pse;
    private final long directMapEnd;   // physical bytes the direct map covers (kernel accesses above it skip the TLB)
    private final boolean largeOnly;   // direct-map addresses can only hit 4 MiB entries of the dTLB (PSE, not fragmenting)
    private int nextMmId = 1;
    private int mmlistNr;

    /** Page tables: pgd_alloc, pte_alloc, freeing. */
    public final PageTables pageTables;
    /** TLB flushing with the SMP shootdown protocol. */
    public final TlbFlush tlb;
    /** switch_mm, enter_lazy_tlb, activate_mm. */
    public final MmuContext mmuContext;
    /** mm/memory.c: copy, zap, the fault handlers. */
    public final Memory memory;
    /** arch/i386/mm/fault.c do_page_fault. */
    public final Fault fault;
    /** mm/mmap.c and mm/mprotect.c: mmap, munmap, brk, mprotect, exit_mmap. */
    public final Mmap mmap;
    /** kernel/fork.c mm lifetimes: mm_alloc, mmput, mmdrop. */
    public final MmRefs refs;
    /** User-mode loads and stores through the MMU, with faults handled. */
    public final UserAccess user;
    /** mm/mlock.c: mlock, munlock, mlockall, munlockall. */
    public final Mlock mlock;

    /** Boots the memory subsystem on a machine: reserves the kernel image, builds the direct map. */
    public MmCore(Machine machine, KernelVersion version, Counters counters, Trace trace) {
        this.machine = machine;
        this.version = version;
        this.mem = machine.mem();
        this.counters = counters;
        this.trace = trace;
        this.pge = machine.cpu(0).dtlb().pgeEnabled();
        this.pse = machine.model().hasPse();
        this.perCpu = new PerCpu[machine.nrCpus()];
        for (int i = 0; i < perCpu.length; i++) perCpu[i] = new PerCpu();

        for (int pfn = 0; pfn < KERNEL_END_PFN; pfn++) {
            int f = pfn == ZERO_PAGE_PFN ? PhysMem.F_ZERO : pfn == SWAPPER_PG_DIR_PFN ? PhysMem.F_PAGE_TABLE : 0;
            mem.reserve(pfn, f);
        }
        int[] swapper = mem.makeTable(SWAPPER_PG_DIR_PFN);
        this.directMapEnd = buildDirectMap(swapper);
        var kind = machine.cpu(0).dtlb().largeKind();
        this.largeOnly = pse && (kind == tasklab.machine.LargePageTlb.Kind.SEPARATE || kind == tasklab.machine.LargePageTlb.Kind.SHARED);

        this.initMm = new MmStruct(0, true);
        initMm.pgd = SWAPPER_PG_DIR_PFN;
        initMm.mmUsers = 2;      // INIT_MM
        initMm.mmCount = 1;
        for (PerCpu pc : perCpu) pc.tlbActiveMm = initMm;

        this.pageTables = new PageTables(this);
        this.tlb = new TlbFlush(this);
        this.mmuContext = new MmuContext(this);
        this.memory = new Memory(this);
        this.fault = new Fault(this);
        this.mmap = new Mmap(this);
        this.refs = new MmRefs(this);
        this.user = new UserAccess(this);
        this.mlock = new Mlock(this);
        for (Cpu c : machine.cpus()) c.loadCr3(SWAPPER_PG_DIR_PFN);
    }

    /**
     * pagetable_init(): PAGE_OFFSET.. maps lowmem. With PSE (Pentium and later) every 4 MiB of lowmem is
     * one pde with _PAGE_PSE, no page table, and CR4.PSE is set on each CPU; the last 4 MiB is mapped
     * whole, as both kernels step in 4 MiB units. Without PSE (386, 486, or the what-if) page tables of
     * 4 KiB ptes. With PGE the entries are global either way. Returns the bytes mapped.
     * Linux: arch/i386/mm/init.c pagetable_init() (2.4.22), kernel_physical_mapping_init() (2.6.22).
     */
    private long buildDirectMap(int[] swapper) {
        long lowmem = Math.min((long) mem.nrFrames() << 12, MAX_LOWMEM);
        int tables = (int) ((lowmem + (4 << 20) - 1) >>> 22);
        if (pse) {
            int prot = Pte.KERNEL_LARGE | (pge ? Pte.GLOBAL : 0);       // 0x1e3 with PGE (R9.12)
            for (int t = 0; t < tables; t++) swapper[Pte.USER_PTRS_PER_PGD + t] = (t << Pte.PGDIR_SHIFT) | prot;
            for (Cpu c : machine.cpus()) c.setPseEnabled(true);          // set_in_cr4(X86_CR4_PSE)
            return (long) tables << Pte.PGDIR_SHIFT;
        }
        int prot = Pte.PAGE_KERNEL_NOGLOBAL | (pge ? Pte.GLOBAL : 0);
        for (int t = 0; t < tables; t++) {
            int ptPfn = mem.allocPageTable();       // RAM >= 4 MiB leaves room: a 4 MiB chunk needs one table
            mem.setReserved(ptPfn);
            int[] pt = mem.table(ptPfn);
            for (int i = 0; i < 1024; i++) {
                long pfn = ((long) t << 10) + i;
                if ((pfn << 12) < lowmem) pt[i] = Pte.mkPte((int) pfn, prot);
            }
            swapper[Pte.USER_PTRS_PER_PGD + t] = Pte.mkPte(ptPfn, Pte.KERNPG_TABLE);
        }
        return lowmem;
    }

    /**
     * A kernel data access to physical address {@code pa} on {@code c}, the way the kernel reaches its
     * own memory: through the direct map at PAGE_OFFSET + pa, so the dTLB is looked up (a 4 MiB entry
     * with PSE, a global 4 KiB entry without) and a miss walks, then the access goes through the caches.
     * Memory above the direct map (highmem) is reached without a TLB lookup here.
     */
    public void kernelAccess(Cpu c, long pa) {
        lookUpDirectMap(c, pa);
        c.memoryAccess(pa);
    }

    /**
     * {@link #kernelAccess} for a line the caller comes back to (a task's kernel stack lines at every
     * switch): {@code hint} is what this returned for the line last time (-1 at first), the L1 slot to
     * try before the set search; the same TLB, cache, count and cycle effects. Returns the next hint.
     */
    public int kernelAccess(Cpu c, long pa, int hint) {
        lookUpDirectMap(c, pa);
        return c.memoryAccessHinted(pa, hint);
    }

    /** The dTLB lookup of a kernel access through the direct map (a walk on a miss); none above it (highmem). */
    private void lookUpDirectMap(Cpu c, long pa) {
        // with PSE the direct map's pdes never point to page tables, so no 4 KiB entry can hold the address: probe the large entries only
        if (largeOnly && pa < directMapEnd) Mmu.kernelLargeRead(c, mem, (int) (Pte.PAGE_OFFSET + pa));
        else if (pa < directMapEnd) translateKernel(c, pa);
    }

    /**
     * How many page frames from 0 the direct map covers in whole 4 MiB pages that only 4 MiB dTLB
     * entries can map (PSE, a TLB that keeps them as such), or 0: where {@link Cpu#kernelLargeHits4}
     * may stand for {@link #kernelAccess} (an order-1 stack block there never straddles two 4 MiB pages).
     */
    public int largeOnlyDirectMapPfns() {
        return largeOnly ? (int) ((directMapEnd >>> 22) << 10) : 0;
    }

    /** The 4 KiB direct map's lookup (386, 486, or PSE off), kept out of {@link #kernelAccess} so that stays small enough to inline. */
    private void translateKernel(Cpu c, long pa) {
        Mmu.translate(c, mem, (int) (Pte.PAGE_OFFSET + pa), 0);
    }

    /** Whether lowmem is mapped with 4 MiB pages (the CPU has PSE). */
    public boolean pse() { return pse; }

    /**
     * Makes {@code task} current on {@code cpu} and switches to its mm (switch_mm from what the
     * CPU had): for memory experiments without the scheduler. Returns true if CR3 was loaded.
     */
    public boolean runOn(int cpu, MmTask task) {
        PerCpu pc = perCpu[cpu];
        MmStruct prev = pc.current == null ? pc.tlbActiveMm : pc.current.activeMm();
        pc.current = task;
        return mmuContext.switchMm(cpu, prev, task.activeMm());
    }

    /** The pte mapping {@code va} in {@code mm} as "pfn flags" text, e.g. "0x00345 P RW U A D" (or "none"). */
    public String describePte(MmStruct mm, long va) {
        int pte = pageTables.pte(mm, va);
        return pte == 0 ? "none" : String.format("frame 0x%05x pte %03x (%s) count=%d", Pte.pfn(pte), Pte.flags(pte),
            Pte.describe(pte), mem.count(Pte.pfn(pte)));
    }

    /** The kernel version simulated. */
    public KernelVersion version() { return version; }
    /** The hardware. */
    public Machine machine() { return machine; }
    /** Physical memory. */
    public PhysMem mem() { return mem; }
    /** CPU {@code i}. */
    public Cpu cpu(int i) { return machine.cpu(i); }
    /** Number of CPUs. */
    public int nrCpus() { return perCpu.length; }
    /** Whether this is an SMP kernel (more than one CPU). */
    public boolean smp() { return perCpu.length > 1; }
    /** Per-CPU kernel state of CPU {@code i}. */
    public PerCpu perCpu(int i) { return perCpu[i]; }
    /** init_mm: the kernel's own mm (pgd = swapper_pg_dir); never freed. */
    public MmStruct initMm() { return initMm; }
    /** The counters. */
    public Counters counters() { return counters; }
    /** The trace. */
    public Trace trace() { return trace; }
    /** Whether kernel mappings are global (the CPU has PGE and it is on). */
    public boolean pge() { return pge; }
    /** mmlist_nr: address spaces on the mmlist. */
    public int mmlistNr() { return mmlistNr; }

    void count(int cpu, Counter c) { counters.inc(cpu, c); }
    void record(Event e) { trace.record(e); }
    long now(int cpu) { return machine.cpu(cpu).cycles(); }
    int newMmId() { return nextMmId++; }
    void mmlistAdd() { mmlistNr++; }
    void mmlistDel() { mmlistNr--; }

    /** What a notebook shows for the memory subsystem: its version and machine. */
    @Override public String toString() {
        return "mm core (Linux " + version.release() + ") on " + machine;
    }
}
