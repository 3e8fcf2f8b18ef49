package tasklab.lab;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.KernelVersion;
import tasklab.machine.Cpu;
import tasklab.machine.CpuModel;
import tasklab.machine.Pte;
import tasklab.machine.Tlb;
import tasklab.mm.MmCore;
import tech.tablesaw.api.Table;

/**
 * The kernel's direct map with 4 MiB pages on CPUs that have PSE, on both versions. New rule id,
 * worded here (the rule book has none for PSE yet):
 * <ul>
 * <li><b>R9.12</b> "pagetable_init (2.4) / kernel_physical_mapping_init (2.6): when the CPU has PSE,
 *     each 4 MiB of lowmem from PAGE_OFFSET is one pgd entry _KERNPG_TABLE | _PAGE_PSE | the physical
 *     address (0x0e3; | _PAGE_GLOBAL = 0x1e3 with PGE), with no page table, and CR4.PSE is set; the
 *     last 4 MiB is mapped whole. Without PSE (386, 486) the direct map is page tables of 4 KiB
 *     PAGE_KERNEL ptes (0x063, 0x163 with PGE)", arch/i386/mm/init.c (2.4.22 pagetable_init, 2.6.22
 *     kernel_physical_mapping_init and pagetable_init).</li>
 * </ul>
 * Kernel data accesses (task_structs, kernel stacks, pipe buffers) go through the direct map, so with
 * PSE they use the large-page TLB entries instead of taking 4 KiB entries from user pages (R9.13).
 */
class PseDirectMapTest {

    private static int[] swapper(Sim sim) {
        return sim.kernel().machine().mem().table(MmCore.SWAPPER_PG_DIR_PFN);
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_12_pentiumAndLaterMapLowmemWith4MiBPages(KernelVersion v) {
        for (CpuModel m : new CpuModel[] {CpuModel.PENTIUM_100, CpuModel.PENTIUM_PRO_200, CpuModel.PENTIUM_II_450, CpuModel.PENTIUM_4_2000}) {
            Sim sim = Sim.linux24().version(v).cpu(m).ramMiB(62).boot();
            int[] pgd = swapper(sim);
            int g = m.hasPge() ? Pte.GLOBAL : 0;
            for (int t = 0; t < 16; t++) {
                assertEquals((t << 22) | Pte.KERNEL_LARGE | g, pgd[768 + t], m.name() + " pde " + (768 + t));
            }
            assertEquals(0, pgd[768 + 16], m.name() + ": 62 MiB is 16 large pages, the last one mapped whole");
            for (Cpu c : sim.kernel().machine().cpus()) assertTrue(c.pseEnabled(), m.name() + " CR4.PSE");
            assertTrue(sim.kernel().mm().pse());
            // a process's page directory carries the same 4 MiB entries (pgd_alloc copies them)
            Proc p = sim.process("p");
            int[] own = sim.kernel().machine().mem().table(p.mm().pgd());
            for (int i = 768; i < 1024; i++) assertEquals(pgd[i], own[i]);
            assertEquals("P RW A D PSE" + (g != 0 ? " G" : ""), Pte.describe(sim.kernel().mm().pageTables.pte(p.mm(), 0xC0123000L)));
            assertTrue(sim.kernel().mm().describePte(p.mm(), 0xC0123000L).contains("frame 0x00123"), "the 4 KiB view names the frame");
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_12_a386Or486KeepsFourKiBPagesAndPageTables(KernelVersion v) {
        for (CpuModel m : new CpuModel[] {CpuModel.I386DX_33, CpuModel.I486DX2_66}) {
            Sim sim = Sim.linux24().version(v).cpu(m).boot();
            int[] pgd = swapper(sim);
            assertEquals(Pte.KERNPG_TABLE, pgd[768] & 0xFFF, m.name() + ": a page table");
            int pte = sim.kernel().machine().mem().table(Pte.pfn(pgd[768]))[0x100];
            assertEquals(Pte.mkPte(0x100, Pte.PAGE_KERNEL_NOGLOBAL), pte, m.name() + ": 4 KiB PAGE_KERNEL, not global (no PGE)");
            assertFalse(sim.kernel().machine().cpu(0).pseEnabled());
            assertThrows(LabException.class, () -> Sim.linux24().cpu(m).pse(true), m.name() + " has no PSE to switch on");
        }
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_12_thePseOffWhatIfBuildsPageTablesAsA486Would(KernelVersion v) {
        Sim on = Sim.linux24().version(v).boot();
        Sim off = Sim.linux24().version(v).pse(false).boot();
        assertEquals("Pentium Pro-200 (pse=false)", off.config().cpu().name());
        assertEquals(Pte.KERNPG_TABLE, swapper(off)[768] & 0xFFF);
        int pte = off.kernel().machine().mem().table(Pte.pfn(swapper(off)[768]))[0x100];
        assertEquals(Pte.mkPte(0x100, Pte.PAGE_KERNEL_NOGLOBAL | Pte.GLOBAL), pte, "PGE still makes the 4 KiB kernel ptes global");
        // 64 MiB of lowmem needs 16 page tables without PSE, none with it
        assertEquals(16, on.kernel().machine().mem().freeFrames() - off.kernel().machine().mem().freeFrames());
        assertSame(Sim.linux24().pse(true).config().cpu(), CpuModel.PENTIUM_PRO_200, "pse(true) on a PSE CPU changes nothing");
    }

    /**
     * Two processes reading 64 pages each (the whole 64-entry DTLB) and yielding to each other, on one
     * CPU: dTLB misses and walks over the loop. Without PSE the kernel's 4 KiB entries (each switch
     * touches both tasks' task_struct and stack) evict user entries and are evicted by them.
     */
    private static long[] pingPong(KernelVersion v, boolean pse) {
        Sim sim = Sim.linux24().version(v).pse(pse).boot();
        Proc a = sim.process("a");
        Proc b = sim.process("b");
        long bufA = a.mmap(64 * 4096L), bufB = b.mmap(64 * 4096L);
        a.touch(bufA, 64 * 4096L, 1);
        b.touch(bufB, 64 * 4096L, 1);
        Cpu c = sim.kernel().machine().cpu(0);
        long misses = c.dtlb().misses(), walks = c.pageWalks();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 64; i++) a.read(bufA + i * 4096L);
            a.yield();
            for (int i = 0; i < 64; i++) b.read(bufB + i * 4096L);
            b.yield();
        }
        return new long[] {c.dtlb().misses() - misses, c.pageWalks() - walks, c.dtlb().largeEntries()};
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_13_kernelAccessesUseTheLargeEntriesSoFewerTlbMisses(KernelVersion v) {
        long[] pse = pingPong(v, true);
        long[] small = pingPong(v, false);
        assertTrue(pse[2] > 0, "the kernel's 4 MiB entries are in the dTLB");
        assertEquals(0, small[2]);
        assertTrue(pse[0] < small[0], "dTLB misses with PSE " + pse[0] + " < without " + small[0]);
        assertTrue(pse[1] < small[1], "walks with PSE " + pse[1] + " < without " + small[1]);
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void theTlbTableShowsThePageSizeOfEachEntry(KernelVersion v) {
        Sim sim = Sim.linux24().version(v).boot();
        Proc a = sim.process("a");
        a.write(a.heap(), 'x');                      // a user 4 KiB entry; the kernel's 4 MiB ones are there since boot
        Table t = sim.tlb(0);
        assertTrue(t.columnNames().contains("page_size"), t.columnNames().toString());
        boolean large = false, small = false;
        for (int r = 0; r < t.rowCount(); r++) {
            String size = t.stringColumn("page_size").get(r);
            if (size.equals("4M")) {
                large = true;
                assertTrue(t.stringColumn("vaddr").get(r).startsWith("0xc"), "a kernel address: " + t.row(r));
                assertTrue(t.stringColumn("bits").get(r).contains("PSE"));
                assertTrue(t.booleanColumn("global").get(r));
            }
            if (size.equals("4K")) small = true;
        }
        assertTrue(large && small, t.print());
        // and without PSE the kernel's entries are 4 KiB, global
        Sim off = Sim.linux24().version(v).pse(false).boot();
        Proc b = off.process("b");
        b.yield();
        Table u = off.tlb(0);
        assertFalse(u.stringColumn("page_size").asList().contains("4M"));
        boolean kernel4k = false;
        for (int r = 0; r < u.rowCount(); r++) {
            if (u.stringColumn("vaddr").get(r).startsWith("0xc")) { kernel4k = true; assertTrue(u.booleanColumn("global").get(r)); }
        }
        assertTrue(kernel4k, u.print());
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void theSameSeedGivesTheSameTlbWithPse(KernelVersion v) {
        String first = pingPongTable(v), second = pingPongTable(v);
        assertEquals(first, second);
    }

    private static String pingPongTable(KernelVersion v) {
        Sim sim = Sim.linux24().version(v).seed(7).boot();
        Proc a = sim.process("a");
        Proc b = a.fork();
        for (int i = 0; i < 4; i++) { a.write(a.heap() + i * 4096L, i); b.yield(); a.yield(); }
        return sim.tlb(0).print(1000) + sim.kernel().machine().cpu(0).cycles();
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void aKernelAddressInTheTlbTranslatesThroughItsLargeEntry(KernelVersion v) {
        Sim sim = Sim.linux24().version(v).boot();
        sim.process("a").yield();
        Tlb d = sim.kernel().machine().cpu(0).dtlb();
        Tlb.Entry e = d.entries().stream().filter(Tlb.Entry::large).findFirst().orElseThrow();
        assertEquals(0, e.va() & 0x3FFFFF, "4 MiB aligned");
        int view = d.peek(e.va() + 0x5000);
        assertEquals(((e.va() - Pte.PAGE_OFFSET) >>> 12) + 5, Pte.pfn(view), "the direct map: va - PAGE_OFFSET");
    }
}
