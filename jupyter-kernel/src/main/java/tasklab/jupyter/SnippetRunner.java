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
 * snippet. Every snippet class is woven by {@link StopWeaver} as JShell loads it, so an interrupt
 * marks the snippet's thread ({@link CellStop}) and interrupts it: a loop stops at its next turn,
 * a sleep or wait at once, on every JDK, while the JShell state - every variable - survives.
 * Results are kept as objects, not strings, so renderers see the real Table or chart: JShell
 * receives a key and we look the object up.
 */
final class SnippetRunner extends DirectExecutionControl {
    static final String KEY_PREFIX = "\u0000tasklab-result#";
    /** After an interrupt: how long a snippet may take to reach a stop check before we stop waiting. */
    static final long GIVE_UP_NANOS = 800_000_000L;
    /** JDK 17-19 only: when Thread.stop is tried on a thread still running unwoven (library) code. */
    static final long THREAD_STOP_NANOS = 400_000_000L;

    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private final AtomicReference<Thread> running = new AtomicReference<>();
    private volatile long stopRequestedAt;
    private volatile boolean stopRequested;
    private volatile boolean stopped;
    /** A cell is being evaluated (compiling or running): an interrupt now must end it. */
    private volatile boolean cellActive;
    /** The active cell was interrupted, maybe while JShell compiled: no further snippet of it runs. */
    private volatile boolean cellStopped;

    /** When an interrupt last came while no cell was active (0: never). */
    private volatile long idleInterruptAt;
    /**
     * An interrupt that arrives this soon before a cell starts is meant for it: the front end sent
     * execute_request then interrupt_request on two sockets, and the interrupt overtook it.
     */
    static final long EARLY_INTERRUPT_NANOS = 300_000_000L;

    void beginCell() {
        long idle = idleInterruptAt;
        cellStopped = idle != 0 && System.nanoTime() - idle < EARLY_INTERRUPT_NANOS;
        idleInterruptAt = 0;
        cellActive = true;
    }

    void endCell() {
        cellActive = false;
        cellStopped = false;
    }

    boolean cellStopped() {
        return cellStopped;
    }

    /** Whether the last snippet was ended by an interrupt (JShell does not always say so). */
    boolean takeStopped() {
        boolean s = stopped;
        stopped = false;
        return s;
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        ClassBytecodes[] woven = new ClassBytecodes[cbcs.length];
        for (int k = 0; k < cbcs.length; k++) {
            woven[k] = new ClassBytecodes(cbcs[k].name(), StopWeaver.weave(cbcs[k].bytecodes()));
        }
        super.load(woven);
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        if (cellStopped) {
            stopped = true;
            throw new StoppedException();
        }
        AtomicReference<Object> value = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                value.set(doit.invoke(null));
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                CellStop.unmark(Thread.currentThread());
            }
        }, "tasklab-cell");
        t.setDaemon(true);
        t.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
        stopRequested = false;
        running.set(t);
        t.start();
        try {
            awaitOrGiveUp(t);
        } finally {
            running.set(null);
        }
        Throwable e = failure.get();
        if (stopRequested || isStop(e)) {
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

    /**
     * Waits for the snippet thread. After an interrupt, a thread busy in code that is not woven
     * (a JDK or library loop) is stopped with Thread.stop where the JDK still has it (17-19);
     * past GIVE_UP_NANOS the cell is reported interrupted anyway and the thread is left to finish
     * (it stays marked, so it stops as soon as it returns to cell code): the kernel answers again.
     */
    private void awaitOrGiveUp(Thread t) throws InterruptedException {
        boolean triedStop = false;
        while (true) {
            t.join(50);
            if (!t.isAlive()) return;
            if (!stopRequested) continue;
            long waited = System.nanoTime() - stopRequestedAt;
            if (!triedStop && waited > THREAD_STOP_NANOS) {
                triedStop = true;
                threadStop(t);
            }
            if (waited > GIVE_UP_NANOS) return;
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void threadStop(Thread t) {
        if (Runtime.version().feature() >= 20) return; // it only throws UnsupportedOperationException there
        try {
            t.stop();
        } catch (RuntimeException | Error ignored) {
            // nothing more to do: the thread is given up on below
        }
    }

    private static boolean isStop(Throwable e) {
        Throwable c = e instanceof InvocationTargetException ? e.getCause() : e;
        // ThreadDeath by name: the class is deprecated for removal
        return c instanceof CellStop.Stopped || (c != null && c.getClass().getName().equals("java.lang.ThreadDeath"));
    }

    /** Stops the running snippet, if any; returns whether one was running. */
    boolean interrupt() {
        if (cellActive) cellStopped = true;
        else idleInterruptAt = System.nanoTime();
        Thread t = running.get();
        if (t == null) return cellActive;
        stopRequestedAt = System.nanoTime();
        stopRequested = true;
        CellStop.mark(t);
        t.interrupt(); // a snippet blocked in sleep / wait / interruptible I/O ends at once
        return true;
    }

    /** The wrapper class that holds each variable (recorded when its declaration runs). */
    private final Map<String, String> varClass = new ConcurrentHashMap<>();
    private volatile String lastInvoked;

    @Override
    public String invoke(String className, String methodName) throws RunException, EngineTerminationException, InternalException {
        lastInvoked = className;
        return super.invoke(className, methodName);
    }

    /** The declaration of variable name just ran in the class last invoked. */
    void recordVariable(String name) {
        if (lastInvoked != null) varClass.put(name, lastInvoked);
    }

    /**
     * The current value of a variable, read from its wrapper class even after JShell replaced the
     * declaration (a failed redeclaration); NO_VALUE when unknown.
     */
    Object variable(String name) {
        String cls = varClass.get(name);
        if (cls == null) return Evaluator.NO_VALUE;
        try {
            java.lang.reflect.Field f = findClass(cls).getDeclaredField(name);
            f.setAccessible(true);
            return f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Evaluator.NO_VALUE;
        }
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
