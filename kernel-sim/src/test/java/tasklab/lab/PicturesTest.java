package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tasklab.kernel.CloneFlags.CLONE_FILES;
import static tasklab.kernel.CloneFlags.CLONE_FS;
import static tasklab.kernel.CloneFlags.CLONE_SIGHAND;
import static tasklab.kernel.CloneFlags.CLONE_THREAD;
import static tasklab.kernel.CloneFlags.CLONE_VM;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tasklab.kernel.KernelThreadFn;
import tasklab.kernel.KernelVersion;
import tasklab.kernel.Task;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;
import tasklab.mm.VmFlags;
import tasklab.mm.Vma;
import tasklab.trace.Event;

/** The lab's pictures: each SVG parses as XML and draws what the live state holds, on both versions. */
class PicturesTest {

    // ---- helpers ----

    /** Parses an SVG (namespace-unaware, so XPath needs no prefixes) and checks the self-contained envelope. */
    static Document parse(Picture p) throws Exception {
        String svg = p.toSvg();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getTagName());
        assertEquals("http://www.w3.org/2000/svg", root.getAttribute("xmlns"));
        double w = width(d), h = height(d);
        assertTrue(root.getAttribute("viewBox").startsWith("0 0 "));
        assertTrue(w > 0 && h > 0);
        // the classic Notebook wraps an SVG in a div of its pixel width, cut off by a narrower output
        // column: so the width is relative, capped at the natural size, and the height follows
        assertEquals("100%", root.getAttribute("width"));
        assertEquals("", root.getAttribute("height"));
        assertEquals("max-width:" + root.getAttribute("viewBox").split(" ")[2] + "px;height:auto", root.getAttribute("style"));
        assertEquals(0, all(d, "//script").size(), "no scripts");
        assertEquals(0, all(d, "//*[@href or @src]").size(), "nothing external");
        assertFalse(svg.contains("@font-face") || svg.contains("url(http"), "no external fonts");
        assertFalse(p.toString().isBlank(), "a text rendering too");
        return d;
    }

    static List<Element> all(Document d, String xpath) throws Exception {
        NodeList nl = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, d, XPathConstants.NODESET);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) out.add((Element) nl.item(i));
        return out;
    }

    /** The drawing's width in pixels: the viewBox's (the width attribute is 100%). */
    static double width(Document d) { return Double.parseDouble(d.getDocumentElement().getAttribute("viewBox").split(" ")[2]); }
    static double height(Document d) { return Double.parseDouble(d.getDocumentElement().getAttribute("viewBox").split(" ")[3]); }

    static Sim boot(KernelVersion v, int cpus) { return Sim.of(v).cpus(cpus).boot(); }

    /** Present ptes of an mm in VMAs that allow writing: what the COW picture draws arrows for. */
    static int writablePresentPtes(Sim sim, MmStruct mm) {
        int n = 0;
        for (Vma v : mm.vmas()) {
            if ((v.flags() & VmFlags.VM_WRITE) == 0) continue;
            for (long a = v.start(); a < v.end(); a += Pte.PAGE_SIZE) if (Pte.hwPresent(sim.pte(mm, a))) n++;
        }
        return n;
    }

    static Element heapArrow(Document d, Proc p) throws Exception {
        List<Element> l = all(d, "//line[@class='map'][@data-mm='" + Names.mm(p.mm()) + "'][@data-vaddr='" + Names.addr(p.heap()) + "']");
        assertEquals(1, l.size(), "one arrow from " + p.label() + "'s heap pte");
        return l.get(0);
    }

    // ---- COW ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_5_cowPictureHasOneArrowPerMappingAndTheChildMovesToANewFrameAfterItsWrite(KernelVersion v) throws Exception {
        Sim sim = boot(v, 1);
        Proc p = sim.process("demo");
        p.write(p.heap(), 'P');
        Proc c = p.fork();

        Sharing beforePic = sim.cow(p, c);
        Document before = parse(beforePic);
        int expected = writablePresentPtes(sim, p.mm()) + writablePresentPtes(sim, c.mm());
        assertEquals(expected, all(before, "//line[@class='map']").size(), "one arrow per present pte");
        assertEquals(expected, beforePic.mappings());
        assertEquals(2, all(before, "//g[@class='address-space']").size());
        String shared = heapArrow(before, p).getAttribute("data-pfn");
        assertEquals(shared, heapArrow(before, c).getAttribute("data-pfn"), "after fork both heap ptes map one frame");
        assertEquals(2, all(before, "//line[@class='map'][@data-pfn='" + shared + "']").size(), "two arrows into the shared frame");
        Element frame = all(before, "//g[@class='frame'][@data-pfn='" + shared + "']").get(0);
        assertEquals("2", frame.getAttribute("data-count"), "page_count 2 after fork");
        assertEquals(2, all(before, "//g[@class='pte'][@data-vaddr='" + Names.addr(p.heap()) + "'][@data-access='RO (COW)']").size(),
            "both heap ptes are read-only in a writable VMA (R5.11)");

        c.write(p.heap(), 'C');
        Document after = parse(sim.cow(p, c));
        assertEquals(writablePresentPtes(sim, p.mm()) + writablePresentPtes(sim, c.mm()), all(after, "//line[@class='map']").size());
        String childPfn = heapArrow(after, c).getAttribute("data-pfn");
        assertNotEquals(shared, childPfn, "do_wp_page gave the child a copy");
        assertEquals(shared, heapArrow(after, p).getAttribute("data-pfn"), "the parent keeps the old frame");
        assertEquals("1", all(after, "//g[@class='frame'][@data-pfn='" + shared + "']").get(0).getAttribute("data-count"));
        assertEquals("1", all(after, "//g[@class='frame'][@data-pfn='" + childPfn + "']").get(0).getAttribute("data-count"));
        assertEquals(1, all(after, "//g[@class='pte'][@data-vaddr='" + Names.addr(p.heap()) + "'][@data-access='RW']").size(), "the child's pte is RW again");
        // the "before" picture is a snapshot: drawing it again after the write gives the same bytes
        assertEquals(beforePic.toSvg(), beforePic.toSvg());
        assertTrue(beforePic.toString().contains("RO (COW)"));
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_8_sharingPictureDrawsThreadsOnceAndSharedMappingsForEveryProcess(KernelVersion v) throws Exception {
        Sim sim = boot(v, 1);
        Proc p = sim.process("share");
        long s = p.mmapShared(2 * 4096);
        p.touch(s, 2 * 4096, 7);
        Proc t = p.clone(CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD);
        Proc c = p.fork();
        Document d = parse(sim.sharing(p, t, c));
        assertEquals(2, all(d, "//g[@class='address-space']").size(), "a thread shares its leader's page tables: one panel");
        for (long a = s; a < s + 2 * 4096; a += 4096) {
            List<Element> arrows = all(d, "//line[@class='map'][@data-vaddr='" + Names.addr(a) + "']");
            assertEquals(2, arrows.size());
            assertEquals(arrows.get(0).getAttribute("data-pfn"), arrows.get(1).getAttribute("data-pfn"), "MAP_SHARED: fork shares the frame");
        }
        int present = 0;
        for (MmStruct mm : List.of(p.mm(), c.mm())) {
            for (Vma vma : mm.vmas()) for (long a = vma.start(); a < vma.end(); a += 4096) if (Pte.hwPresent(sim.pte(mm, a))) present++;
        }
        assertEquals(present, all(d, "//line[@class='map']").size());
    }

    @Test
    void cowOfAKernelThreadOrNothingIsAClearError() {
        Sim sim = Sim.linux26().boot();
        LabException e = assertThrows(LabException.class, () -> sim.cow(sim.task(2)));
        assertTrue(e.getMessage().contains("R6.3"), e.getMessage());
        assertThrows(LabException.class, () -> sim.sharing());
    }

    // ---- pstree ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R6_3_pstreeHasOneNodePerTaskWithKernelThreadsInBracketsAndOneMmArrowPerUserTask(KernelVersion v) throws Exception {
        Sim sim = boot(v, 2);
        Proc p = sim.process("demo");
        p.fork();
        TaskTree tree = sim.pstree();
        Document d = parse(tree);
        List<Proc> tasks = sim.tasks();
        assertEquals(tasks.size(), all(d, "//g[@class='task']").size(), "one node per task");
        assertEquals(tasks.size(), tree.size());
        assertEquals(2, all(d, "//g[@class='task'][@data-kind='idle']").size(), "an idle task per CPU");
        for (Proc t : tasks) {
            List<Element> node = all(d, "//g[@class='task'][@data-pid='" + t.pid() + "']");
            String text = node.get(0).getElementsByTagName("text").item(0).getTextContent();
            assertEquals(t.isKernelThread(), text.contains("[" + t.comm() + "]"), text);
        }
        long withMm = tasks.stream().filter(t -> t.mm() != null).count();
        assertEquals(withMm, all(d, "//path[@class='mm-arrow']").size(), "one mm arrow per task with an mm");
        long edges = tasks.stream().filter(t -> t.pid() != 0 && t.parent() != null).count();
        assertEquals(edges, all(d, "//path[@class='edge']").size(), "one edge per parent -> child");
        assertTrue(tree.toString().contains("[" + sim.task(2).comm() + "]"));
    }

    @Test
    void R7_6_aKernelThreadBorrowingAnMmGetsADashedActiveMmArrow() throws Exception {
        Sim sim = Sim.boot();
        Proc kt = sim.init().kernelThread("worker", KernelThreadFn.sleeper());
        kt.daemonize("worker");
        sim.runMillis(20);
        Document d = parse(sim.pstree());
        int borrowers = 0;
        for (Proc t : sim.tasks()) {
            Task x = t.task();
            if (x.activeMm() != null && x.activeMm() != x.mm()) {
                borrowers++;
                List<Element> a = all(d, "//path[@class='active-mm'][@data-pid='" + t.pid() + "']");
                assertEquals(1, a.size(), t.label() + " borrows " + Names.mm(x.activeMm()));
                assertEquals(Names.mm(x.activeMm()), a.get(0).getAttribute("data-mm"));
                assertFalse(a.get(0).getAttribute("stroke-dasharray").isEmpty(), "borrowed active_mm is dashed");
            }
        }
        assertTrue(borrowers > 0, "after running, some kernel thread or idle task runs on a borrowed mm");
        assertEquals(borrowers, all(d, "//path[@class='active-mm']").size());
    }

    @Test
    void aTreeOfFiftyTasksStaysWithinNotebookWidth() throws Exception {
        Sim sim = Sim.linux26().cpus(4).boot();
        Proc p = sim.process("app");
        while (sim.tasks().size() < 50) p.fork();
        Document d = parse(sim.pstree());
        assertEquals(50, all(d, "//g[@class='task']").size());
        assertEquals(900, width(d), "notebook width");
        assertTrue(height(d) <= 50 * 24 + 220, "about one 24 px row per task: " + height(d));
        for (Element r : all(d, "//g[@class='task']/rect")) {
            assertTrue(Double.parseDouble(r.getAttribute("x")) + Double.parseDouble(r.getAttribute("width")) < 900);
        }
        for (Element t : all(d, "//text")) {
            String size = t.getAttribute("font-size");
            if (!size.isEmpty()) assertTrue(Double.parseDouble(size) >= 10, "legible text");
        }
    }

    @Test
    void aDeepForkChainStillFits() throws Exception {
        Sim sim = Sim.linux26().boot();
        Proc p = sim.process("deep");
        for (int i = 0; i < 40; i++) p = p.fork();
        Document d = parse(sim.pstree());
        double w = width(d);
        for (Element r : all(d, "//g[@class='task']/rect")) {
            assertTrue(Double.parseDouble(r.getAttribute("x")) + Double.parseDouble(r.getAttribute("width")) < w);
        }
    }

    // ---- timeline ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R8_2_timelineHasOneLanePerCpuAndOneArrowPerShootdownIpi(KernelVersion v) throws Exception {
        Sim sim = boot(v, 2);
        Workloads.ThreadOnCpu1 w = Workloads.threadOnCpu1(sim, "smp");
        w.p().munmap(w.a(), 4096);
        Timeline tl = sim.timeline();
        Document d = parse(tl);
        assertEquals(2, all(d, "//g[@class='lane']").size());
        assertEquals(2, tl.lanes());
        long ipis = 0, tlbIpis = 0, switches = 0;
        for (Event e : sim.kernel().trace().events()) {
            if (e instanceof Event.Ipi i) { ipis++; if (i.vector().equals("INVALIDATE_TLB")) tlbIpis++; }
            if (e instanceof Event.SchedSwitch) switches++;
        }
        assertEquals(ipis, all(d, "//line[@class='ipi']").size(), "one arrow per IPI");
        assertEquals(tlbIpis, all(d, "//line[@class='ipi'][@data-vector='INVALIDATE_TLB']").size());
        if (v.is26()) assertTrue(tlbIpis >= 1, "munmap with the mm live on CPU1 sends a shootdown");
        assertTrue(all(d, "//*[@class='cr3']").size() >= 1, "CR3 loads are marked");
        assertTrue(all(d, "//*[@class='lazy']").size() >= 1, "lazy switches are marked");
        assertTrue(switches > 0 && all(d, "//rect[@class='run']").size() >= 2);
        assertTrue(tl.toString().contains("CPU1:"));
    }

    @Test
    void aTimelineOfFourCpusHasFourLanesAndAWindowKeepsThem() throws Exception {
        Sim sim = Sim.linux26().cpus(4).boot();
        sim.process("app");
        sim.runMillis(5);
        Timeline tl = sim.timeline();
        assertEquals(4, all(parse(tl), "//g[@class='lane']").size());
        Document w = parse(tl.between(0, 100));
        assertEquals(4, all(w, "//g[@class='lane']").size());
        for (Element r : all(w, "//rect[@class='run']")) {
            assertTrue(Double.parseDouble(r.getAttribute("x")) + Double.parseDouble(r.getAttribute("width")) <= width(w));
        }
        assertThrows(LabException.class, () -> tl.between(5, 5));
    }

    @Test
    void aLongTraceGivesABoundedPicture() throws Exception {
        Sim sim = Sim.linux24().cpus(2).boot();
        sim.spawn(tasklab.program.Program.builder().loop(2000, b -> b.compute(2000).yield()).exit(0).build(), 4);
        sim.runMillis(200);
        long switches = sim.kernel().trace().events().stream().filter(e -> e instanceof Event.SchedSwitch).count();
        Document d = parse(sim.timeline());
        int runs = all(d, "//rect[@class='run']").size();
        assertTrue(switches > 2000, "a busy trace: " + switches);
        assertTrue(runs <= 2 * 900 * 3, "sub-pixel runs are not drawn one by one: " + runs);
    }

    // ---- kernel stack ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void Spec2_5_kernelStackShowsTheBaseStructAndCurrentAsEspMasked(KernelVersion v) throws Exception {
        Sim sim = boot(v, 1);
        Proc p = sim.process("demo");
        KernelStack ks = p.kernelStack();
        Document d = parse(ks);
        long base = p.task().stackBase() & 0xFFFFFFFFL, esp = p.task().esp() & 0xFFFFFFFFL;
        assertEquals(base, ks.base());
        assertEquals(esp, ks.esp());
        assertEquals(esp & ~8191L, ks.current(), "current = esp & ~8191");
        assertEquals(base, ks.current(), "masking esp lands on the base of the task's own block");
        assertEquals(2, all(d, "//rect[@class='page']").size(), "two pages");
        String text = String.join("\n", all(d, "//text").stream().map(Element::getTextContent).toList());
        assertTrue(text.contains(String.format("0x%08x", esp)), "esp is drawn");
        assertTrue(text.contains(String.format("0x%08x", base + 8192)), "the top is drawn");
        assertTrue(text.contains(v.is24() ? "struct task_struct" : "struct thread_info"), "the version's struct at the base");
        assertTrue(ks.toString().contains(String.format("= 0x%08x", base)));
    }

    // ---- address space ----

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_9_addressSpaceShowsTheVmasAndAKernelHalfEveryProcessShares(KernelVersion v) throws Exception {
        Sim sim = boot(v, 1);
        Proc p = sim.process("demo");
        p.mmap(8 * 4096);
        Proc c = p.fork();
        AddressSpace as = c.addressSpace();
        Document d = parse(as);
        assertEquals(c.mm().vmas().size(), all(d, "//g[@class='vma']").size(), "one box per VMA");
        assertEquals(c.mm().vmas().size(), as.vmas());
        for (Vma vma : c.mm().vmas()) {
            assertTrue(vma.end() <= 0xC0000000L, "user VMAs below PAGE_OFFSET");
            assertEquals(1, all(d, "//g[@class='vma'][@data-start='" + Names.addr(vma.start()) + "']").size());
        }
        String text = String.join("\n", all(d, "//g[@class='kernel']//text").stream().map(Element::getTextContent).toList());
        assertTrue(text.contains("256 of 256 equal swapper_pg_dir's"), text);
        int procs = (int) sim.tasks().stream().filter(t -> t.mm() != null).map(Proc::mm).distinct().count();
        assertTrue(text.contains(procs + " of " + procs + " process page directories"), text);
        Document k = parse(sim.task(2).addressSpace());
        assertEquals(0, all(k, "//g[@class='vma']").size(), "a kernel thread has no user VMAs");
        assertEquals(1, all(k, "//*[@class='no-mm']").size());
    }

    // ---- determinism ----

    @Test
    void samePicturesForTheSameCalls() {
        assertEquals(scenario(), scenario());
    }

    private static String scenario() {
        Sim sim = Sim.linux26().cpus(2).boot();
        Proc p = sim.process("demo");
        p.write(p.heap(), 'P');
        Proc c = p.fork();
        c.write(p.heap(), 'C');
        return sim.pstree().toSvg() + sim.cow(p, c).toSvg() + sim.timeline().toSvg() + p.kernelStack().toSvg() + c.addressSpace().toSvg()
            + sim.pstree() + sim.cow(p, c) + sim.timeline() + p.kernelStack() + c.addressSpace();
    }

    @Test
    void latestIsTheLastBootedSim() {
        Sim a = Sim.boot();
        assertEquals(a, Sim.latest());
        Sim b = Sim.linux26().boot();
        assertEquals(b, Sim.latest());
        Sweep.of(p -> { Sim.boot(); return Result.of("runs", 1); }).vary("n", List.of(1, 2, 3)).run();
        assertEquals(b, Sim.latest(), "the runs of a sweep are not what %sim shows");
    }
}
