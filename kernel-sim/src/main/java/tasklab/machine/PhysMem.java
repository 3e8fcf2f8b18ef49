package tasklab.machine;

import java.util.Arrays;

/**
 * Physical memory: page frames with a reference count, a map count and flags, kept in primitive
 * arrays indexed by pfn as the kernel's mem_map is. A frame's 4 KiB of contents exist only once
 * a non-zero byte is written (an absent page reads as zeros), and a page-table frame holds the
 * real 1024 i386 entries as an {@code int[1024]}. Free frames are a bitmap, allocated lowest
 * first so that runs are deterministic and pfns stay small enough to read.
 * Linux: mm/page_alloc.c (the buddy allocator) and include/linux/mm.h (struct page).
 */
public final class PhysMem {
    /** PG_reserved: kernel image, BIOS area, the zero page; never freed. */
    public static final int F_RESERVED = 0x01;
    /** A page-table or page-directory page. */
    public static final int F_PAGE_TABLE = 0x02;
    /** Part of a kernel stack (task_union / thread_info block). */
    public static final int F_KERNEL_STACK = 0x04;
    /** The shared zero page (empty_zero_page). */
    public static final int F_ZERO = 0x08;
    /** Anonymous user memory. */
    public static final int F_ANON = 0x10;

    private final int nrFrames;
    private final int[] count;
    private final int[] mapcount;
    private final byte[] flags;
    private final Object[] store;       // byte[4096] contents, or int[1024] for page tables
    private final long[] freeBits;      // bit set = frame free
    private int freeFrames;
    private final byte[][] pagePool = new byte[256][];   // freed 4 KiB contents, reused instead of garbage
    private int pooled;
    private int lowestFreeWord;
    private long allocations;
    private long frees;

    /** RAM of {@code ramBytes} (a multiple of 4 KiB); every frame starts free. */
    public PhysMem(long ramBytes) {
        if (ramBytes < 4L * 1024 * 1024 || ramBytes % Pte.PAGE_SIZE != 0 || ramBytes > (4L << 30)) {
            throw new IllegalArgumentException(
                "RAM must be a multiple of 4 KiB between 4 MiB and 4 GiB (i386 without PAE), got " + ramBytes + " bytes");
        }
        this.nrFrames = (int) (ramBytes / Pte.PAGE_SIZE);
        this.count = new int[nrFrames];
        this.mapcount = new int[nrFrames];
        this.flags = new byte[nrFrames];
        this.store = new Object[nrFrames];
        this.freeBits = new long[(nrFrames + 63) / 64];
        for (int pfn = 0; pfn < nrFrames; pfn++) freeBits[pfn >>> 6] |= 1L << pfn;
        this.freeFrames = nrFrames;
    }

    /** Number of frames (max_mapnr). */
    public int nrFrames() { return nrFrames; }
    /** Frames on the free list (nr_free_pages()). */
    public int freeFrames() { return freeFrames; }
    /** Frames handed out since boot. */
    public long allocations() { return allocations; }
    /** Frames returned since boot. */
    public long frees() { return frees; }

    /** Takes a specific frame off the free pool and marks it reserved (boot-time bootmem). */
    public void reserve(int pfn, int frameFlags) {
        check(pfn);
        if (!isFree(pfn)) throw new KernelBug("reserve_bootmem", "frame " + pfn + " already in use");
        take(pfn);
        count[pfn] = 1;
        flags[pfn] = (byte) (F_RESERVED | frameFlags);
    }

    /** Marks an allocated frame reserved (SetPageReserved): boot-time kernel page tables. */
    public void setReserved(int pfn) {
        check(pfn);
        if (isFree(pfn)) throw new KernelBug("SetPageReserved", "frame " + pfn + " is free");
        flags[pfn] |= F_RESERVED;
    }

    /** Allocates one frame with count 1, or returns -1 when RAM is exhausted. Linux: alloc_page(). */
    public int allocPage(int frameFlags) {
        if (freeFrames == 0) return -1;
        for (int w = lowestFreeWord; w < freeBits.length; w++) {
            long bits = freeBits[w];
            if (bits != 0) {
                lowestFreeWord = w;
                int pfn = (w << 6) + Long.numberOfTrailingZeros(bits);
                give(pfn, frameFlags);
                return pfn;
            }
        }
        throw new KernelBug("alloc_page", "free count " + freeFrames + " but no free bit");
    }

    /** Allocates two contiguous frames aligned to 8 KiB (order 1), or -1. Linux: __get_free_pages(GFP_KERNEL, 1). */
    public int allocPair(int frameFlags) {
        if (freeFrames < 2) return -1;
        for (int w = lowestFreeWord; w < freeBits.length; w++) {
            long bits = freeBits[w];
            long pairs = bits & (bits >>> 1) & 0x5555_5555_5555_5555L;
            if (pairs != 0) {
                int pfn = (w << 6) + Long.numberOfTrailingZeros(pairs);
                give(pfn, frameFlags);
                give(pfn + 1, frameFlags);
                return pfn;
            }
        }
        return -1;
    }

    /** Allocates a zeroed page-table page (1024 empty entries) with count 1, or -1. Linux: pte_alloc_one(). */
    public int allocPageTable() {
        int pfn = allocPage(F_PAGE_TABLE);
        if (pfn >= 0) store[pfn] = new int[Pte.PTRS_PER_TABLE];
        return pfn;
    }

    private void give(int pfn, int frameFlags) {
        take(pfn);
        count[pfn] = 1;
        mapcount[pfn] = 0;
        flags[pfn] = (byte) frameFlags;
        store[pfn] = null;
        allocations++;
    }

    private void take(int pfn) {
        freeBits[pfn >>> 6] &= ~(1L << pfn);
        freeFrames--;
    }

    /** get_page(): one more reference. */
    public void getPage(int pfn) {
        check(pfn);
        if (count[pfn] <= 0) throw new KernelBug("get_page", "frame " + pfn + " is free");
        count[pfn]++;
    }

    /** put_page() / __free_page(): drops a reference; the frame returns to the pool at zero unless reserved. */
    public void putPage(int pfn) {
        check(pfn);
        if (count[pfn] <= 0) throw new KernelBug("put_page", "frame " + pfn + " freed twice (count already 0)");
        if (--count[pfn] == 0) {
            recycle(pfn);
            if ((flags[pfn] & F_RESERVED) != 0) throw new KernelBug("__free_page", "freeing reserved frame " + pfn);
            if (mapcount[pfn] != 0) throw new KernelBug("__free_page", "frame " + pfn + " still mapped " + mapcount[pfn] + " times");
            store[pfn] = null;
            flags[pfn] = 0;
            freeBits[pfn >>> 6] |= 1L << pfn;
            freeFrames++;
            frees++;
            if ((pfn >>> 6) < lowestFreeWord) lowestFreeWord = pfn >>> 6;
        }
    }

    /** Frees an order-1 block from {@link #allocPair}. Linux: free_pages(addr, 1). */
    public void freePair(int pfn) {
        putPage(pfn);
        putPage(pfn + 1);
    }

    /** page_count(). */
    public int count(int pfn) { check(pfn); return count[pfn]; }
    /** page_mapcount(): how many ptes map the frame. */
    public int mapcount(int pfn) { check(pfn); return mapcount[pfn]; }
    /** page_add_*_rmap(): one more pte maps the frame. */
    public void mapcountInc(int pfn) { check(pfn); mapcount[pfn]++; }
    /** page_remove_rmap(): one pte fewer maps the frame. */
    public void mapcountDec(int pfn) {
        check(pfn);
        if (mapcount[pfn] <= 0) throw new KernelBug("page_remove_rmap", "frame " + pfn + " mapcount would go negative");
        mapcount[pfn]--;
    }
    /** Frame flags (F_*). */
    public int flags(int pfn) { check(pfn); return flags[pfn]; }
    /** PageReserved(). */
    public boolean isReserved(int pfn) { return (flags(pfn) & F_RESERVED) != 0; }
    /** Whether the frame is on the free list. */
    public boolean isFree(int pfn) { check(pfn); return (freeBits[pfn >>> 6] & (1L << pfn)) != 0; }
    /** Whether the frame's contents have been materialised (a non-zero byte was written). */
    public boolean hasContents(int pfn) { check(pfn); return store[pfn] instanceof byte[]; }

    /** The 1024 entries of a page-table or page-directory frame. */
    public int[] table(int pfn) {
        check(pfn);
        Object o = store[pfn];
        if (o instanceof int[]) return (int[]) o;
        throw new KernelBug("pte_offset", "frame " + pfn + " is not a page table");
    }

    /** Makes an existing frame a page directory (its 1024 entries zero). */
    public int[] makeTable(int pfn) {
        check(pfn);
        int[] t = new int[Pte.PTRS_PER_TABLE];
        store[pfn] = t;
        flags[pfn] |= F_PAGE_TABLE;
        return t;
    }

    /** Reads one byte of physical memory. */
    public int readByte(long pa) {
        int pfn = (int) (pa >>> Pte.PAGE_SHIFT);
        check(pfn);
        Object o = store[pfn];
        return o instanceof byte[] ? ((byte[]) o)[(int) (pa & 0xFFF)] & 0xFF : 0;
    }

    /** Writes one byte of physical memory, materialising the frame's contents on the first non-zero byte. */
    public void writeByte(long pa, int value) {
        int pfn = (int) (pa >>> Pte.PAGE_SHIFT);
        check(pfn);
        Object o = store[pfn];
        if (!(o instanceof byte[])) {
            if (o != null) throw new KernelBug("memcpy", "writing bytes into page-table frame " + pfn);
            if ((value & 0xFF) == 0) return;            // an absent page already reads as zero
            if ((flags[pfn] & F_ZERO) != 0) throw new KernelBug("memcpy", "write to the zero page");
            o = takeBuffer(true);
            store[pfn] = o;
        }
        ((byte[]) o)[(int) (pa & 0xFFF)] = (byte) value;
    }

    /** copy_user_highpage(): copies a frame's contents (sharing nothing). */
    public void copyPage(int fromPfn, int toPfn) {
        check(fromPfn);
        check(toPfn);
        Object o = store[fromPfn];
        recycle(toPfn);
        if (o instanceof byte[]) {
            byte[] copy = takeBuffer(false);
            System.arraycopy((byte[]) o, 0, copy, 0, Pte.PAGE_SIZE);
            store[toPfn] = copy;
        } else {
            store[toPfn] = null;
        }
    }

    /** clear_user_highpage(): the frame reads as zeros again. */
    public void clearPage(int pfn) {
        check(pfn);
        recycle(pfn);
    }

    /** A 4 KiB buffer from the pool (zeroed if asked) or a new one. */
    private byte[] takeBuffer(boolean zeroed) {
        if (pooled == 0) return new byte[Pte.PAGE_SIZE];
        byte[] b = pagePool[--pooled];
        pagePool[pooled] = null;
        if (zeroed) Arrays.fill(b, (byte) 0);
        return b;
    }

    /** Drops a frame's contents, keeping the buffer for reuse. */
    private void recycle(int pfn) {
        if (store[pfn] instanceof byte[] b) {
            if (pooled < pagePool.length) pagePool[pooled++] = b;
            store[pfn] = null;
        }
    }

    private void check(int pfn) {
        if (pfn < 0 || pfn >= nrFrames) {
            throw new KernelBug("pfn_valid", "pfn " + pfn + " outside RAM (" + nrFrames + " frames)");
        }
    }
}
