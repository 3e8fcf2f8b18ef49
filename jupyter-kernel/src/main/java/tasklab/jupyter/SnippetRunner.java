package tasklab.jupyter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs JShell snippets in this JVM (no second JVM: cold start matters) on a fresh thread per
 * snippet, so that an interrupt can stop exactly that thread with Thread.stop (works on JDK 17)
 * while the JShell state - every variable - survives. Results are kept as objects, not strings,
 * so renderers see the real Table or chart: JShell receives a key and we look the object up.
 */
final class SnippetRunner extends DirectExecutionControl {
    static final String KEY_PREFIX = "\u0000tasklab-result#";

    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private final AtomicReference<Thread> running = new AtomicReference<>();
    private volatile boolean stopRequested;
    private volatile boolean stopped;

    /** Whether the last snippet was ended by an interrupt (JShell does not always say so). */
    boolean takeStopped() {
        boolean s = stopped;
        stopped = false;
        return s;
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        AtomicReference<Object> value = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                value.set(doit.invoke(null));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "tasklab-cell");
        t.setDaemon(true);
        t.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        stopRequested = false;
        running.set(t);
        t.start();
        try {
            t.join();
        } finally {
            running.set(null);
        }
        Throwable e = failure.get();
        if (stopRequested || isThreadDeath(e)) {
            stopRequested = false;
            stopped = true;
            throw new StoppedException();
        }
        if (e instanceof InvocationTargetException) throw (InvocationTargetException) e;
        if (e instanceof Exception) throw (Exception) e;
        if (e != null) throw new InvocationTargetException(e);
        String key = KEY_PREFIX + counter.incrementAndGet();
        if (value.get() != null) results.put(key, value.get());
        return key;
    }

    private static boolean isThreadDeath(Throwable e) {
        Throwable c = e instanceof InvocationTargetException ? e.getCause() : e;
        return c instanceof ThreadDeath;
    }

    /** Stops the running snippet, if any; returns whether one was running. */
    @SuppressWarnings({"deprecation", "removal"})
    boolean interrupt() {
        Thread t = running.get();
        if (t == null) return false;
        stopRequested = true;
        // Thread.interrupt first: a snippet blocked in sleep/wait/IO ends cleanly; Thread.stop
        // then ends a busy loop such as while (true) {} (the JDK 17 semantics JShell itself uses).
        t.interrupt();
        t.stop();
        return true;
    }

    @Override
    public void stop() {
        interrupt();
    }

    /** The object a snippet produced, by the key JShell reported as its value; removes it. */
    Object take(String key) {
        return key == null ? null : results.remove(key);
    }

    static boolean isKey(String s) {
        return s != null && s.startsWith(KEY_PREFIX);
    }
}
