package tasklab.machine;

import java.util.Arrays;

/**
 * Physical memory: page frames with a reference count, a map count and flags, kept in primitive
 * arrays indexed by pfn as the kernel's mem_map is. A frame's 4 KiB of contents exist only once
 * a non-zero byte is written (an absent page reads as zeros), and a page-table frame holds the
 * real 1024 i386 entries as an {@code int[1024]}. Free frames are a bitmap, allocated lowest
 * first so that runs are deterministic and pfns stay small enough to read.
 *
 * <p>Layout, so that a frame of RAM costs about 2.1 bytes of heap (its word and its free bit)
 * whether it is used or not:
 * <ul>
 * <li>one 16-bit word per frame, in 64 KiB pieces (never a G1 humongous object, whose last
 *     region's tail would be wasted): the flags (5 bits), whether it has contents (1 bit), and
 *     count and mapcount in 5 bits each. A field that would reach 31 reads "see the side table"
 *     and the exact value lives in a small int map until it drops back to 30, so counts are never
 *     capped (the zero page's count, a page shared by thousands of forks);</li>
 * <li>contents in 64 KiB chunks of 16 frames, found by pfn through a two-level directory (one
 *     second-level table per 32 MiB of RAM that has contents), allocated when a frame of the chunk
 *     first gets contents and kept from then on: the 4 KiB of a COW copy go into memory that
 *     already exists, so copies produce no garbage and the collector never moves page contents
 *     again;</li>
 * <li>page tables in a pfn-to-slot map (only page-table frames pay for it), with a small
 *     direct-mapped cache in front for the page walk; a freed table's {@code int[1024]} is zeroed
 *     and reused by the next one.</li>
 * </ul>
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

    // ---- the packed per-frame word ----
    private static final int FLAG_MASK = 0x1F;
    private static final int CONTENTS = 0x20;          // the frame's 4 KiB exist in its chunk
    private static final int FIELD = 0x1F;              // count and mapcount: 5 bits each
    private static final int BIG = FIELD;               // field value meaning "exact value in the side table"
    private static final int COUNT_SHIFT = 6;
    private static final int MAP_SHIFT = 11;

    /** Frames per piece of the packed words: 32768 x 2 bytes = 64 KiB, below G1's humongous size for any heap. */
    private static final int META_FRAMES = 1 << 15;

    /** Frames per contents chunk: 16 x 4 KiB = 64 KiB, few objects for the collector, little waste around a lone page. */
    static final int CHUNK_FRAMES = 16;
    private static final int CHUNK_SHIFT = 4;
    /** Chunks per second-level directory: 512 x 16 frames = 32 MiB of RAM. */
    private static final int DIR_SHIFT = 9;

    private final int nrFrames;
    private final char[][] meta;                         // [pfn >>> 15][pfn & 0x7fff]: 64 KiB pieces, never a humongous object
    private final PfnIntMap big = new PfnIntMap();       // key pfn*2 (count) or pfn*2+1 (mapcount) -> value >= 31
    private final byte[][][] chunks;                     // [pfn >>> 13][(pfn >>> 4) & 511]: contents, CHUNK_FRAMES frames each
    private final PfnIntMap tableSlot = new PfnIntMap(); // pfn -> index in tableStore
    private int[][] tableStore = new int[64][];
    private int tableSlots;                              // slots ever used
    private int[] freeTableSlots = new int[64];
    private int nrFreeTableSlots;
    private static final int RECENT_TABLES = 64;          // a direct-mapped cache of pfn -> table in front of the map
    private final int[] recentPfn = new int[RECENT_TABLES];
    private final int[][] recentTable = new int[RECENT_TABLES][];
    private final long[] freeBits;      // bit set = frame free
    private int freeFrames;
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
        this.meta = new char[(nrFrames + META_FRAMES - 1) / META_FRAMES][];
        for (int i = 0; i < meta.length; i++) meta[i] = new char[Math.min(META_FRAMES, nrFrames - i * META_FRAMES)];
        this.chunks = new byte[(nrFrames + (1 << (CHUNK_SHIFT + DIR_SHIFT)) - 1) >>> (CHUNK_SHIFT + DIR_SHIFT)][][];
        this.freeBits = new long[(nrFrames + 63) / 64];
        for (int pfn = 0; pfn < nrFrames; pfn++) freeBits[pfn >>> 6] |= 1L << pfn;
        this.freeFrames = nrFrames;
        for (int i = 0; i < RECENT_TABLES; i++) recentPfn[i] = noTable(i);
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
        checkFlags(frameFlags);
        if (!isFree(pfn)) throw new KernelBug("reserve_bootmem", "frame " + pfn + " already in use");
        take(pfn);
        // count 1, flags replaced; the mapcount and contents bits are left as they were
        setMeta(pfn, (meta(pfn) & ~(FLAG_MASK | (FIELD << COUNT_SHIFT))) | F_RESERVED | frameFlags | (1 << COUNT_SHIFT));
    }

    /** Marks an allocated frame reserved (SetPageReserved): boot-time kernel page tables. */
    public void setReserved(int pfn) {
        check(pfn);
        if (isFree(pfn)) throw new KernelBug("SetPageReserved", "frame " + pfn + " is free");
        setMeta(pfn, meta(pfn) | F_RESERVED);
    }

    private long scatterState;          // 0 = lowest free frame first; else the xorshift state of the scattered order

    /**
     * From now on {@link #allocPage} hands out free frames in a pseudo-random order fixed by
     * {@code seed} (not 0), as the buddy allocator's LIFO free lists do on a machine that has been
     * running a while, instead of the lowest free frame first (a freshly booted machine). Frames then
     * land on page colours at random, so a physically indexed cache sees the conflicts a real
     * long-running system has. Order-1 blocks ({@link #allocPair}) keep the lowest-first order.
     */
    public void scatterAllocations(long seed) {
        if (seed == 0) throw new IllegalArgumentException("scatterAllocations needs a non-zero seed");
        scatterState = seed;
    }

    /** Whether {@link #scatterAllocations} is on. */
    public boolean scattersAllocations() { return scatterState != 0; }

    private int scatteredFreeFrame() {
        long x = scatterState;
        x ^= x << 13; x ^= x >>> 7; x ^= x << 17;
        scatterState = x;
        int start = (int) Long.remainderUnsigned(x, freeBits.length);
        for (int i = 0; i < freeBits.length; i++) {
            int w = start + i < freeBits.length ? start + i : start + i - freeBits.length;
            long bits = freeBits[w];
            if (bits == 0) continue;
            int skip = (int) Long.remainderUnsigned(x >>> 32, Long.bitCount(bits));
            for (int j = 0; j < skip; j++) bits &= bits - 1;          // the skip-th free frame of the word
            return (w << 6) + Long.numberOfTrailingZeros(bits);
        }
        throw new KernelBug("alloc_page", "free count " + freeFrames + " but no free bit");
    }

    /** Allocates one frame with count 1, or returns -1 when RAM is exhausted. Linux: alloc_page(). */
    public int allocPage(int frameFlags) {
        checkFlags(frameFlags);
        if (freeFrames == 0) return -1;
        if (scatterState != 0) {
            int pfn = scatteredFreeFrame();
            give(pfn, frameFlags);
            return pfn;
        }
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
        checkFlags(frameFlags);
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
        if (pfn >= 0) newTable(pfn);
        return pfn;
    }

    private void give(int pfn, int frameFlags) {
        take(pfn);
        setMeta(pfn, frameFlags | (1 << COUNT_SHIFT));    // count 1, mapcount 0, no contents
        allocations++;
    }

    private void take(int pfn) {
        freeBits[pfn >>> 6] &= ~(1L << pfn);
        freeFrames--;
    }

    /** get_page(): one more reference. */
    public void getPage(int pfn) {
        check(pfn);
        if (((meta(pfn) >>> COUNT_SHIFT) & FIELD) == 0) throw new KernelBug("get_page", "frame " + pfn + " is free");
        addToField(pfn, COUNT_SHIFT, pfn << 1, 1);
    }

    /** put_page() / __free_page(): drops a reference; the frame returns to the pool at zero unless reserved. */
    public void putPage(int pfn) {
        check(pfn);
        if (((meta(pfn) >>> COUNT_SHIFT) & FIELD) == 0) throw new KernelBug("put_page", "frame " + pfn + " freed twice (count already 0)");
        if (addToField(pfn, COUNT_SHIFT, pfn << 1, -1) == 0) {
            int m = meta(pfn);
            setMeta(pfn, m & ~CONTENTS);
            if ((m & F_RESERVED) != 0) throw new KernelBug("__free_page", "freeing reserved frame " + pfn);
            int mapped = mapcount(pfn);
            if (mapped != 0) throw new KernelBug("__free_page", "frame " + pfn + " still mapped " + mapped + " times");
            if ((m & F_PAGE_TABLE) != 0) dropTable(pfn);
            setMeta(pfn, 0);
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
    public int count(int pfn) { check(pfn); return field(pfn, COUNT_SHIFT, pfn << 1); }
    /** page_mapcount(): how many ptes map the frame. */
    public int mapcount(int pfn) { check(pfn); return field(pfn, MAP_SHIFT, (pfn << 1) | 1); }
    /** page_add_*_rmap(): one more pte maps the frame. */
    public void mapcountInc(int pfn) { check(pfn); addToField(pfn, MAP_SHIFT, (pfn << 1) | 1, 1); }
    /** page_remove_rmap(): one pte fewer maps the frame. */
    public void mapcountDec(int pfn) {
        check(pfn);
        if (((meta(pfn) >>> MAP_SHIFT) & FIELD) == 0) throw new KernelBug("page_remove_rmap", "frame " + pfn + " mapcount would go negative");
        addToField(pfn, MAP_SHIFT, (pfn << 1) | 1, -1);
    }
    /** Frame flags (F_*). */
    public int flags(int pfn) { check(pfn); return meta(pfn) & FLAG_MASK; }
    /** PageReserved(). */
    public boolean isReserved(int pfn) { return (flags(pfn) & F_RESERVED) != 0; }
    /** Whether the frame is on the free list. */
    public boolean isFree(int pfn) { check(pfn); return (freeBits[pfn >>> 6] & (1L << pfn)) != 0; }
    /** Whether the frame's contents have been materialised (a non-zero byte was written). */
    public boolean hasContents(int pfn) { check(pfn); return (meta(pfn) & CONTENTS) != 0; }

    /** The packed word of {@code pfn}. */
    private int meta(int pfn) { return meta[pfn >>> 15][pfn & (META_FRAMES - 1)]; }
    private void setMeta(int pfn, int word) { meta[pfn >>> 15][pfn & (META_FRAMES - 1)] = (char) word; }

    /** Count or mapcount: the 5-bit field, or the side table's exact value when the field says so. */
    private int field(int pfn, int shift, int key) {
        int f = (meta(pfn) >>> shift) & FIELD;
        return f == BIG ? big.get(key, -1) : f;
    }

    /** Adds {@code delta} to count or mapcount, moving the value to or from the side table at 31; returns the new value. */
    private int addToField(int pfn, int shift, int key, int delta) {
        int m = meta(pfn);
        int f = (m >>> shift) & FIELD;
        int v = (f == BIG ? big.get(key, -1) : f) + delta;
        if (v < BIG) {
            if (f == BIG) big.remove(key);
            setMeta(pfn, (m & ~(FIELD << shift)) | (v << shift));
        } else {
            if (f != BIG) setMeta(pfn, m | (BIG << shift));
            big.put(key, v);
        }
        return v;
    }

    /** Frames whose count or mapcount does not fit the packed word now (each one side-table entry; for tests and the heap probe). */
    public int overflowEntries() { return big.size(); }

    // ---- page tables ----

    /** The 1024 entries of a page-table or page-directory frame. */
    public int[] table(int pfn) {
        int i = pfn & (RECENT_TABLES - 1);
        if (recentPfn[i] == pfn) return recentTable[i];   // a walk looks up the same pgd and tables again and again
        check(pfn);
        int slot = tableSlot.get(pfn, -1);
        if (slot < 0) throw new KernelBug("pte_offset", "frame " + pfn + " is not a page table");
        recentPfn[i] = pfn;
        recentTable[i] = tableStore[slot];
        return tableStore[slot];
    }

    /** Makes an existing frame a page directory (its 1024 entries zero). */
    public int[] makeTable(int pfn) {
        check(pfn);
        dropTable(pfn);
        setMeta(pfn, (meta(pfn) & ~CONTENTS) | F_PAGE_TABLE);   // the table replaces any byte contents
        return newTable(pfn);
    }

    /** An empty entry of the recent-table cache at index {@code i}: negative, and in the wrong slot for any pfn, even an invalid one. */
    private static int noTable(int i) { return Integer.MIN_VALUE | (i ^ 1); }

    /** Gives {@code pfn} a zeroed table, reusing a freed one's array when there is one. */
    private int[] newTable(int pfn) {
        int slot;
        if (nrFreeTableSlots > 0) {
            slot = freeTableSlots[--nrFreeTableSlots];
        } else {
            if (tableSlots == tableStore.length) tableStore = Arrays.copyOf(tableStore, tableSlots * 2);
            slot = tableSlots++;
        }
        int[] t = tableStore[slot];
        if (t == null) tableStore[slot] = t = new int[Pte.PTRS_PER_TABLE];
        else Arrays.fill(t, 0);
        tableSlot.put(pfn, slot);
        return t;
    }

    /** Forgets the table of {@code pfn} (if it has one); its array waits for the next table. */
    private void dropTable(int pfn) {
        int slot = tableSlot.get(pfn, -1);
        if (slot < 0) return;
        tableSlot.remove(pfn);
        if (recentPfn[pfn & (RECENT_TABLES - 1)] == pfn) recentPfn[pfn & (RECENT_TABLES - 1)] = noTable(pfn & (RECENT_TABLES - 1));
        if (nrFreeTableSlots == freeTableSlots.length) freeTableSlots = Arrays.copyOf(freeTableSlots, nrFreeTableSlots * 2);
        freeTableSlots[nrFreeTableSlots++] = slot;
    }

    // ---- contents ----

    /** Reads one byte of physical memory. */
    public int readByte(long pa) {
        int pfn = (int) (pa >>> Pte.PAGE_SHIFT);
        check(pfn);
        if ((meta(pfn) & CONTENTS) == 0) return 0;
        return chunkOf(pfn)[offset(pfn) | (int) (pa & 0xFFF)] & 0xFF;
    }

    /** Writes one byte of physical memory, materialising the frame's contents on the first non-zero byte. */
    public void writeByte(long pa, int value) {
        int pfn = (int) (pa >>> Pte.PAGE_SHIFT);
        check(pfn);
        int m = meta(pfn);
        if ((m & CONTENTS) == 0) {
            if ((m & F_PAGE_TABLE) != 0 && tableSlot.get(pfn, -1) >= 0) {
                throw new KernelBug("memcpy", "writing bytes into page-table frame " + pfn);
            }
            if ((value & 0xFF) == 0) return;            // an absent page already reads as zero
            if ((m & F_ZERO) != 0) throw new KernelBug("memcpy", "write to the zero page");
            Arrays.fill(chunk(pfn), offset(pfn), offset(pfn) + Pte.PAGE_SIZE, (byte) 0);
            setMeta(pfn, m | CONTENTS);
        }
        chunkOf(pfn)[offset(pfn) | (int) (pa & 0xFFF)] = (byte) value;
    }

    /** copy_user_highpage(): copies a frame's contents (sharing nothing). */
    public void copyPage(int fromPfn, int toPfn) {
        check(fromPfn);
        check(toPfn);
        if ((meta(toPfn) & F_PAGE_TABLE) != 0) dropTable(toPfn);   // the copy replaces a table, as any store into the frame
        if ((meta(fromPfn) & CONTENTS) != 0) {
            System.arraycopy(chunkOf(fromPfn), offset(fromPfn), chunk(toPfn), offset(toPfn), Pte.PAGE_SIZE);
            setMeta(toPfn, meta(toPfn) | CONTENTS);
        } else {
            setMeta(toPfn, meta(toPfn) & ~CONTENTS);
        }
    }

    /** clear_user_highpage(): the frame reads as zeros again. */
    public void clearPage(int pfn) {
        check(pfn);
        setMeta(pfn, meta(pfn) & ~CONTENTS);
    }

    /** Heap held for page contents: chunks allocated so far x 64 KiB (for tests and the heap probe). */
    public long contentsBytes() {
        long n = 0;
        for (byte[][] dir : chunks) {
            if (dir == null) continue;
            for (byte[] c : dir) if (c != null) n += c.length;
        }
        return n;
    }

    /** The chunk holding {@code pfn}'s contents, which must exist (the frame has CONTENTS). */
    private byte[] chunkOf(int pfn) {
        return chunks[pfn >>> (CHUNK_SHIFT + DIR_SHIFT)][(pfn >>> CHUNK_SHIFT) & ((1 << DIR_SHIFT) - 1)];
    }

    /** The chunk holding {@code pfn}'s contents, allocated (with its directory) on first use. */
    private byte[] chunk(int pfn) {
        byte[][] dir = chunks[pfn >>> (CHUNK_SHIFT + DIR_SHIFT)];
        if (dir == null) chunks[pfn >>> (CHUNK_SHIFT + DIR_SHIFT)] = dir = new byte[1 << DIR_SHIFT][];
        int i = (pfn >>> CHUNK_SHIFT) & ((1 << DIR_SHIFT) - 1);
        byte[] c = dir[i];
        if (c == null) dir[i] = c = new byte[CHUNK_FRAMES << Pte.PAGE_SHIFT];
        return c;
    }

    /** Where {@code pfn}'s 4 KiB start in its chunk. */
    private static int offset(int pfn) { return (pfn & (CHUNK_FRAMES - 1)) << Pte.PAGE_SHIFT; }

    private static void checkFlags(int frameFlags) {
        if ((frameFlags & ~FLAG_MASK) != 0) {
            throw new IllegalArgumentException("frame flags must be PhysMem.F_* bits (0x1f), got 0x" + Integer.toHexString(frameFlags));
        }
    }

    private void check(int pfn) {
        if (pfn < 0 || pfn >= nrFrames) {
            throw new KernelBug("pfn_valid", "pfn " + pfn + " outside RAM (" + nrFrames + " frames)");
        }
    }
}
