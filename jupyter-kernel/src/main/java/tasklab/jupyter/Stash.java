package tasklab.jupyter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Hands a value from the kernel to a snippet: how a variable comes back after a failed redeclaration. */
public final class Stash {
    private static final Map<String, Object> VALUES = new ConcurrentHashMap<>();

    private Stash() {}

    static void put(String name, Object value) {
        VALUES.put(name, value == null ? NULL : value);
    }

    private static final Object NULL = new Object();

    /** The value put under that name (removed). */
    public static Object take(String name) {
        Object v = VALUES.remove(name);
        return v == NULL ? null : v;
    }
}
