package tasklab.examples;

import tasklab.kernel.KernelVersion;
import tasklab.machine.CpuModel;
import tasklab.machine.Machine;
import tasklab.mm.MmCore;
import tasklab.mm.MmStruct;
import tasklab.mm.UserContext;
import tasklab.mm.VmFlags;
import tasklab.trace.Counters;
import tasklab.trace.Trace;

/** The memory example shown in README.md; ReadmeExamplesTest checks the README prints its real output. */
public final class ReadmeMemoryExample {
    private ReadmeMemoryExample() {}

    /** Runs the example and returns what it prints. */
    public static String run() {
        StringBuilder out = new StringBuilder();
        // README-EXAMPLE-BEGIN
        Machine machine = new Machine(CpuModel.PENTIUM_PRO_200, 1, 64L << 20, true);
        MmCore mm = new MmCore(machine, KernelVersion.LINUX_2_4, new Counters(1), new Trace());

        MmStruct parent = mm.refs.mmAlloc(0);                       // mm_alloc(): users 1, count 1
        long a = mm.mmap.doMmap(0, parent, 0, 4096, VmFlags.PROT_READ | VmFlags.PROT_WRITE,
                                VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS);
        mm.runOn(0, new UserContext(100, parent));
        mm.user.writeByte(0, (int) a, 'P');                         // do_anonymous_page: a fresh frame
        out.append("parent after write: ").append(mm.describePte(parent, a)).append('\n');

        MmStruct child = mm.refs.mmAlloc(0);
        mm.refs.dupMmap(0, child, parent);                          // copy_page_range + flush_tlb_mm
        out.append("parent after fork:  ").append(mm.describePte(parent, a)).append('\n');
        out.append("child after fork:   ").append(mm.describePte(child, a)).append('\n');

        mm.runOn(0, new UserContext(101, child));
        mm.user.writeByte(0, (int) a, 'C');                         // do_wp_page: copy
        out.append("child after write:  ").append(mm.describePte(child, a)).append('\n');
        out.append("child reads ").append((char) mm.user.readByte(0, (int) a));
        mm.runOn(0, new UserContext(100, parent));
        out.append(", parent reads ").append((char) mm.user.readByte(0, (int) a)).append('\n');
        out.append(mm.counters().snapshot());
        // README-EXAMPLE-END
        return out.toString();
    }

    /** Prints the example's output. */
    public static void main(String[] args) {
        System.out.print(run());
    }
}
