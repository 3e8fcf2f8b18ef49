package tasklab.mm;

import java.util.TreeMap;

/**
 * The object behind a shared anonymous mapping (2.4 shmem_zero_setup: a /dev/zero shmem file):
 * pages are found by index, so every process that inherited the mapping sees the same frame.
 * The object holds one page-cache reference on each of its frames.
 */
public final class SharedAnon {
    private final TreeMap<Integer, Integer> pages = new TreeMap<>();
    private int users;

    SharedAnon() { users = 1; }

    /** The frame at page index {@code index}, or -1. */
    public int find(int index) {
        Integer pfn = pages.get(index);
        return pfn == null ? -1 : pfn;
    }

    void add(int index, int pfn) { pages.put(index, pfn); }
    void get() { users++; }

    /** Drops one vma's reference; returns the frames to release when the last one goes. */
    int[] put() {
        if (--users > 0) return new int[0];
        int[] out = pages.values().stream().mapToInt(Integer::intValue).toArray();
        pages.clear();
        return out;
    }

    /** Number of frames the object holds. */
    public int nrPages() { return pages.size(); }
}
