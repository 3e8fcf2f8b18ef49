package tasklab.kernel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.machine.Pte;
import tasklab.mm.MmStruct;
import tasklab.mm.Vma;
import tasklab.mm.VmFlags;

/**
 * Memory locking (mm/mlock.c, mm/mmap.c). New rule ids, not yet in LINUX-SPEC:
 * <ul>
 * <li>R9.10 mlock(start, len) rounds to whole pages, sets VM_LOCKED on every vma piece of the
 *     range (splitting vmas at its ends), adds the newly locked pages to mm-&gt;locked_vm and makes
 *     them present (make_pages_present: write faults for a writable vma). munlock clears it and
 *     subtracts. Errors: a hole is ENOMEM; 2.4 RLIMIT_MEMLOCK (RLIM_INFINITY by default) and half of
 *     RAM give ENOMEM before the CAP_IPC_LOCK check (EPERM, even for munlock-free callers under the
 *     limit); 2.6 EPERM only when RLIMIT_MEMLOCK is 0 without CAP_IPC_LOCK, ENOMEM over the limit
 *     (8 pages by default) without CAP_IPC_LOCK.</li>
 * <li>R9.11 mlockall(MCL_CURRENT) locks every vma, MCL_FUTURE sets def_flags = VM_LOCKED so later
 *     mmap / brk mappings are locked and present; munlockall undoes both (2.4: needs CAP_IPC_LOCK).
 *     mmap(MAP_LOCKED): 2.4 EPERM without CAP_IPC_LOCK, 2.6 EPERM unless can_do_mlock; EAGAIN
 *     over RLIMIT_MEMLOCK (2.6: unless CAP_IPC_LOCK). munmap of locked pages and exit_mmap take
 *     them out of locked_vm.</li>
 * </ul>
 * R5.10 (in the spec): fork copies no VM_LOCKED and the child's locked_vm starts at 0.
 */
class MlockTest {
    static final int RW = VmFlags.PROT_READ | VmFlags.PROT_WRITE;
    static final int ANON = VmFlags.MAP_PRIVATE | VmFlags.MAP_ANONYMOUS;
    static final long PAGE = 4096;

    private static int pte(Kernel k, MmStruct mm, long va) { return k.mm().pageTables.pte(mm, va); }

    private static long lockedPages(MmStruct mm) {
        long n = 0;
        for (Vma v : mm.vmas()) if ((v.flags() & VmFlags.VM_LOCKED) != 0) n += v.pages();
        return n;
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_10_mlockSplitsTheVmaLocksTheRangeAndFaultsItIn(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        long a = k.mmap(c, 0, 8 * PAGE, RW, ANON);
        MmStruct mm = k.task(c).mm();
        int vmas = mm.mapCount();
        long faults = k.task(c).minFlt();
        assertEquals(0, k.mlock(c, a + 2 * PAGE + 100, 2 * PAGE - 200), "rounded out to pages 2 and 3");
        assertEquals(2, mm.lockedVm());
        assertEquals(vmas + 2, mm.mapCount(), "split into below / locked / above");
        Vma locked = mm.findVma(a + 2 * PAGE);
        assertEquals(a + 2 * PAGE, locked.start());
        assertEquals(a + 4 * PAGE, locked.end());
        assertNotEquals(0, locked.flags() & VmFlags.VM_LOCKED);
        assertTrue(Pte.present(pte(k, mm, a + 2 * PAGE)) && Pte.write(pte(k, mm, a + 3 * PAGE)), "present and writable: write faults");
        assertFalse(Pte.present(pte(k, mm, a)), "outside the range nothing was touched");
        assertEquals(faults, k.task(c).minFlt(), "make_pages_present is the kernel's doing, not the task's faults");
        assertEquals(0, k.mlock(c, a, 8 * PAGE), "locking across the locked piece");
        assertEquals(8, mm.lockedVm(), "only the newly locked pages are added");
        assertEquals(0, k.munlock(c, a + PAGE, PAGE));
        assertEquals(7, mm.lockedVm());
        assertEquals(lockedPages(mm), mm.lockedVm());
        assertEquals(Errno.ENOMEM.neg(), k.mlock(c, 0x50000000L, PAGE), "nothing mapped there");
        assertEquals(0, k.munmap(c, a, 8 * PAGE));
        assertEquals(0, mm.lockedVm(), "munmap takes locked pages out");
    }

    @Test
    void R9_10_24_mlockNeedsCapIpcLockButTheLimitIsCheckedFirst() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_4);
        int c = k.fork(1);
        long a = k.mmap(c, 0, 4 * PAGE, RW, ANON);
        assertEquals(Long.MAX_VALUE, k.task(c).rlimitMemlock(), "2.4 INIT_RLIMITS: RLIM_INFINITY");
        assertEquals(0, k.setRlimitMemlock(c, 2 * PAGE));
        assertEquals(0, k.setuid(c, 1000));
        assertEquals(Errno.ENOMEM.neg(), k.mlock(c, a, 4 * PAGE), "over RLIMIT_MEMLOCK: ENOMEM before the capability");
        assertEquals(Errno.EPERM.neg(), k.mlock(c, a, PAGE), "under it: do_mlock wants CAP_IPC_LOCK");
        assertEquals(0, k.munlock(c, a, PAGE), "munlock needs nothing");
        assertEquals(Errno.EPERM.neg(), k.munlockall(c), "2.4 do_mlockall checks CAP_IPC_LOCK even to unlock");
        assertEquals(Errno.EPERM.neg(), k.setRlimitMemlock(c, 1 << 20), "raising a limit needs root");
    }

    @Test
    void R9_10_26_unprivilegedMlockUpToTheEightPageLimit() {
        Kernel k = Boots.up(KernelVersion.LINUX_2_6);
        int c = k.fork(1);
        long a = k.mmap(c, 0, 16 * PAGE, RW, ANON);
        assertEquals(8 * PAGE, k.task(c).rlimitMemlock(), "MLOCK_LIMIT: 8 pages");
        assertEquals(0, k.setuid(c, 1000));
        assertEquals(0, k.mlock(c, a, 8 * PAGE), "within the limit: allowed without CAP_IPC_LOCK");
        assertEquals(Errno.ENOMEM.neg(), k.mlock(c, a + 8 * PAGE, PAGE), "one page over");
        assertEquals(0, k.munlockall(c));
        assertEquals(0, k.task(c).mm().lockedVm());
        assertEquals(0, k.setRlimitMemlock(c, 0));
        assertEquals(Errno.EPERM.neg(), k.mlock(c, a, PAGE), "can_do_mlock: a zero limit and no capability");
        int r = k.fork(1);
        long b = k.mmap(r, 0, 16 * PAGE, RW, ANON);
        assertEquals(0, k.mlock(r, b, 16 * PAGE), "root passes the limit");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R5_10_forkDoesNotInheritVmLockedAndLockedVmStartsAtZero(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        long a = k.mmap(c, 0, 4 * PAGE, RW, ANON);
        assertEquals(0, k.mlockall(c, VmFlags.MCL_CURRENT | VmFlags.MCL_FUTURE));
        MmStruct pm = k.task(c).mm();
        assertEquals(pm.totalVm(), pm.lockedVm(), "every vma locked");
        int g = k.fork(c);
        MmStruct cm = k.task(g).mm();
        assertEquals(0, cm.lockedVm());
        assertEquals(0, lockedPages(cm), "dup_mmap: tmp->vm_flags &= ~VM_LOCKED");
        assertEquals(0, cm.defFlags(), "mm_init: def_flags = 0, MCL_FUTURE is not inherited");
        assertEquals(VmFlags.VM_LOCKED, pm.defFlags());
        assertEquals(pm.totalVm(), cm.totalVm());
        assertTrue(Pte.present(pte(k, cm, a)), "the COW-shared pages are there all the same");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_11_mclFutureLocksLaterMappingsAndMunlockallUndoesIt(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        MmStruct mm = k.task(c).mm();
        assertEquals(Errno.EINVAL.neg(), k.mlockall(c, 0));
        assertEquals(Errno.EINVAL.neg(), k.mlockall(c, 4));
        assertEquals(0, k.mlockall(c, VmFlags.MCL_FUTURE));
        long before = mm.lockedVm();
        long a = k.mmap(c, 0, 3 * PAGE, RW, ANON);
        assertEquals(before + 3, mm.lockedVm());
        assertTrue(Pte.present(pte(k, mm, a + 2 * PAGE)), "made present at mmap time");
        long brk = mm.brk();
        k.brk(c, brk + 2 * PAGE);
        assertEquals(before + 3 + 2, mm.lockedVm(), "do_brk honours def_flags too");
        assertEquals(0, k.munlockall(c));
        assertEquals(0, mm.lockedVm());
        assertEquals(0, mm.defFlags());
        k.mmap(c, 0, PAGE, RW, ANON);
        assertEquals(0, mm.lockedVm(), "no longer locked by default");
    }

    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_11_mapLockedNeedsTheRightAndFitsTheLimit(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        MmStruct mm = k.task(c).mm();
        long a = k.mmap(c, 0, 2 * PAGE, RW, ANON | VmFlags.MAP_LOCKED);
        assertTrue(a > 0);
        assertEquals(2, mm.lockedVm());
        assertTrue(Pte.present(pte(k, mm, a)) && Pte.present(pte(k, mm, a + PAGE)));
        assertEquals(0, k.setRlimitMemlock(c, 3 * PAGE));
        assertEquals(0, k.setuid(c, 1000));
        long r = k.mmap(c, 0, 2 * PAGE, RW, ANON | VmFlags.MAP_LOCKED);
        if (v.is24()) assertEquals(Errno.EPERM.neg(), r, "2.4: MAP_LOCKED wants CAP_IPC_LOCK");
        else assertEquals(Errno.EAGAIN.neg(), r, "2.6: allowed under a non-zero limit, but 2 + 2 pages > 3");
        if (v.is26()) assertTrue(k.mmap(c, 0, PAGE, RW, ANON | VmFlags.MAP_LOCKED) > 0, "2 + 1 pages fit");
        assertEquals(lockedPages(mm), mm.lockedVm());
        assertEquals(0, k.exit(c, 0));
        assertEquals(0, mm.lockedVm(), "exit_mmap: locked_vm = 0");
    }

    /**
     * R9.11: 2.4 exec reuses an mm with one user (T10) and so keeps its def_flags: after
     * mlockall(MCL_FUTURE) the new image's text and data are locked (the stack vma, built by
     * setup_arg_pages with VM_STACK_FLAGS, is not); 2.6 exec always builds a new mm (mm_init:
     * def_flags = 0).
     */
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R9_11_mclFutureSurvivesA24ExecThatReusesTheMm(KernelVersion v) {
        Kernel k = Boots.up(v);
        int c = k.fork(1);
        assertEquals(0, k.mlockall(c, VmFlags.MCL_FUTURE));
        assertEquals(0, k.execve(c, "/bin/sh"));
        MmStruct mm = k.task(c).mm();
        Vma stack = mm.findVma(0xBFFFF000L);
        assertEquals(0, stack.flags() & VmFlags.VM_LOCKED, "setup_arg_pages: VM_STACK_FLAGS only");
        if (v.is24()) {
            assertEquals(VmFlags.VM_LOCKED, mm.defFlags());
            assertEquals(mm.totalVm() - stack.pages(), mm.lockedVm(), "text and data were mapped locked");
        } else {
            assertEquals(0, mm.defFlags());
            assertEquals(0, mm.lockedVm());
        }
    }
}
