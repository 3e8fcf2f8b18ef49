package tasklab.machine;

import java.util.Arrays;

/**
 * An int-to-int hash map for {@link PhysMem}'s side tables: open addressing with linear probing,
 * keys of at least 0, no boxing, so a lookup allocates nothing. It holds the few values that do not
 * fit a frame's packed word (the zero page's count, a page shared by hundreds of forks), so it
 * stays small; the kernel has no such table because its struct page fields are full-width
 * (include/linux/mm.h struct page: _count, _mapcount).
 */
final class PfnIntMap {
    private static final int EMPTY = -1;
    private int[] keys;
    private int[] values;
    private int size;
    private int shift;       // 32 - log2(capacity)

    PfnIntMap() {
        resize(16);
    }

    /** Number of keys. */
    int size() { return size; }

    private int slot(int key) { return (key * 0x9E3779B9) >>> shift; }   // Fibonacci hashing

    /** The value of {@code key}, or {@code absent} if there is none. */
    int get(int key, int absent) {
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) return values[i];
            if (k == EMPTY) return absent;
        }
    }

    /** Sets the value of {@code key} (>= 0). */
    void put(int key, int value) {
        int mask = keys.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) { values[i] = value; return; }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) resize(keys.length * 2);
                return;
            }
        }
    }

    /** Removes {@code key} if present; backward-shift deletion keeps every probe chain unbroken. */
    void remove(int key) {
        int mask = keys.length - 1;
        int i = slot(key);
        while (keys[i] != key) {
            if (keys[i] == EMPTY) return;
            i = (i + 1) & mask;
        }
        size--;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            // keys[j] may fill the hole at i if its home is not cyclically in (i, j]
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys[i] = keys[j];
                values[i] = values[j];
                i = j;
            }
        }
        keys[i] = EMPTY;
    }

    private void resize(int capacity) {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
        size = 0;
        if (oldKeys == null) return;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) put(oldKeys[i], oldValues[i]);
        }
    }
}
