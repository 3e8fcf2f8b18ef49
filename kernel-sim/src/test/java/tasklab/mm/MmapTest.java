package tasklab.mm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import tasklab.kernel.Errno;
import tasklab.kernel.KernelVersion;

/** mmap / munmap / mprotect / brk argument checks and layout (mm/mmap.c, mm/mprotect.c). */
class MmapTest {
    static final int RW = VmFlags.PROT_READ | VmFlags.PROT_WRITE;
    static final int ANON = VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS;

    @Test
    void mmapSearchesFromTaskUnmappedBaseAndMergesAnonymousNeighbours() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 1);
        MmStruct mm = rig.core.refs.mmAlloc(0);
        long a = rig.core.mmap.doMmap(0, mm, 0, 8192, RW, ANON);
        long b = rig.core.mmap.doMmap(0, mm, 0, 4096, RW, ANON);
        assertEquals(0x40000000L, a);
        assertEquals(0x40002000L, b);
        assertEquals(1, mm.mapCount(), "vma_merge joined them");
        assertEquals(3, mm.totalVm());
        long c = rig.core.mmap.doMmap(0, mm, 0, 4096, VmFlags.PROT_READ, ANON);
        assertEquals(2, mm.mapCount(), "different flags: a new vma");
        assertEquals(0x40003000L, c);
    }

    @Test
    void mmapBadArguments() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 1);
        MmStruct mm = rig.core.refs.mmAlloc(0);
        assertEquals(Errno.EBADF.neg(), rig.core.mmap.doMmap(0, mm, 0, 4096, RW, VmFlags.MAP_PRIVATE), "file mappings need an fd");
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.doMmap(0, mm, 0, 4096, RW, VmFlags.MAP_ANONYMOUS), "neither shared nor private");
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.doMmap(0, mm, 0x1001, 4096, RW, ANON | VmFlags.MAP_FIXED));
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.doMmap(0, mm, 0, -5, RW, ANON));
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.doMmap(0, mm, 0, 0xC0001000L, RW, ANON));
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.doMmap(0, mm, 0xBFFFF000L, 8192, RW, ANON | VmFlags.MAP_FIXED));
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.doMmap(0, mm, 0, 4096, 0x80, ANON));
        assertEquals(0, rig.core.mmap.doMmap(0, mm, 0, 0, RW, ANON), "2.4: a zero length maps nothing and returns addr");
        assertEquals(Errno.ENOMEM.neg(), rig.core.mmap.doMmap(0, mm, 0, 0x80001000L, RW, ANON), "no gap that large above 1 GiB");
        assertEquals(0, mm.mapCount(), "nothing was mapped");
        Rig rig26 = new Rig(KernelVersion.LINUX_2_6, 1);
        MmStruct mm26 = rig26.core.refs.mmAlloc(0);
        assertEquals(Errno.EINVAL.neg(), rig26.core.mmap.doMmap(0, mm26, 0, 0, RW, ANON), "2.6: !len is -EINVAL");
    }

    @Test
    void munmapChecksAndHoles() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 1);
        MmStruct mm = rig.core.refs.mmAlloc(0);
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.doMunmap(0, mm, 0x1001, 4096));
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.doMunmap(0, mm, 0x1000, 0));
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.doMunmap(0, mm, 0xBFFFF000L, 8192));
        assertEquals(0, rig.core.mmap.doMunmap(0, mm, 0x10000000L, 4096), "unmapping a hole succeeds");
        long a = rig.core.mmap.doMmap(0, mm, 0, 3 * 4096, RW, ANON);
        assertEquals(0, rig.core.mmap.doMunmap(0, mm, a + 4096, 4096));
        assertEquals(2, mm.mapCount(), "a hole in the middle splits the vma");
        assertEquals(2, mm.totalVm());
    }

    @Test
    void mprotectChecks() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 1);
        MmStruct mm = rig.core.refs.mmAlloc(0);
        long a = rig.core.mmap.doMmap(0, mm, 0, 2 * 4096, RW, ANON);
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.mprotect(0, mm, a + 1, 4096, VmFlags.PROT_READ));
        assertEquals(Errno.EINVAL.neg(), rig.core.mmap.mprotect(0, mm, a, 4096, 0x40));
        assertEquals(0, rig.core.mmap.mprotect(0, mm, a, 0, VmFlags.PROT_READ));
        assertEquals(Errno.ENOMEM.neg(), rig.core.mmap.mprotect(0, mm, 0x10000000L, 4096, VmFlags.PROT_READ));
        assertEquals(Errno.ENOMEM.neg(), rig.core.mmap.mprotect(0, mm, a, 3 * 4096, VmFlags.PROT_READ), "runs into a hole");
        assertEquals(VmFlags.PROT_READ, mm.findVma(a).flags() & 7, "2.4 changes what it reached before the hole");
    }

    @Test
    void brkGrowsAndShrinksTheHeap() {
        Rig rig = new Rig(KernelVersion.LINUX_2_4, 1);
        MmStruct mm = rig.core.refs.mmAlloc(0);
        mm.setBrk(0x0804A000L, 0x0804A000L);
        assertEquals(0x0804C100L, rig.core.mmap.sysBrk(0, mm, 0x0804C100L));
        assertEquals(3, mm.totalVm());
        assertNotNull(mm.findVma(0x0804C000L));
        assertEquals(0x0804C100L, rig.core.mmap.sysBrk(0, mm, 0x08040000L), "below start_brk: unchanged");
        assertEquals(0x0804B000L, rig.core.mmap.sysBrk(0, mm, 0x0804B000L));
        assertEquals(1, mm.totalVm());
    }
}
