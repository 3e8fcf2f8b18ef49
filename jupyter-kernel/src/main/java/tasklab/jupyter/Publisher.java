package tasklab.jupyter;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The IOPub side: every broadcast goes through one queue drained by one thread, so the PUB
 * socket is used by a single thread and a snippet thread stopped by an interrupt can never be
 * caught half-way through a ZeroMQ send.
 */
final class Publisher {
    private static final Message POISON = new Message(null, null, null, null, null, null);
    private final Channel iopub;
    private final String session;
    private final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    Publisher(Channel iopub, String session) {
        this.iopub = iopub;
        this.session = session;
        thread = new Thread(this::drain, "tasklab-iopub");
        thread.setDaemon(true);
        thread.start();
    }

    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

    private volatile boolean subscriberSeen;

    /**
     * Before the first kernel_info reply: waits (at most 0.3 s, once) until a front end has subscribed
     * to IOPub (the socket is XPUB, which hands subscriptions to the kernel). jupyter_client connects
     * IOPub before the kernel has bound it and retries every 0.1 s; a reply sent before it is back
     * leaves the "idle" status unheard, and the client then asks again 0.2 s later - a third of
     * cold starts here lost ~0.2 s that way. ipykernel solves the same race with XPUB too.
     */
    void awaitFirstSubscriber() {
        if (subscriberSeen) return;
        iopub.awaitSubscriber(300);
        subscriberSeen = true;
    }

    void publish(Message parent, String type, Map<String, Object> content) {
        queued.incrementAndGet();
        queue.add(message(parent, type, content));
    }

    private Message message(Message parent, String type, Map<String, Object> content) {
        return Message.create(session, type, parent == null ? null : parent.header, java.util.List.of(
                Message.utf8(type)), content);
    }

    /**
     * Status goes out at once from the protocol threads (after everything queued before it), so
     * "idle" is on the wire before the next request is read, even on a loaded machine.
     */
    void status(Message parent, String state) {
        flush();
        iopub.send(message(parent, "status", Json.obj("execution_state", state)));
    }

    /**
     * Waits (at most 2 s) until everything queued so far is on the wire. The kernel calls it before
     * a cell's execute_reply, as ipykernel flushes its streams first: a client that has the reply
     * then finds every output of the cell already sent, and "idle" follows at once (clients such
     * as jupyter_kernel_test give the rest of IOPub only 0.1 s once the reply is in).
     */
    void flush() {
        long target = queued.get();
        long end = System.nanoTime() + 2_000_000_000L;
        while (sent.get() < target && System.nanoTime() < end) java.util.concurrent.locks.LockSupport.parkNanos(50_000);
    }

    /** Waits until everything queued so far has been sent (bounded, for shutdown). */
    void drainNow(long millis) {
        long end = System.currentTimeMillis() + millis;
        while (!queue.isEmpty() && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void drain() {
        while (true) {
            try {
                Message m = queue.poll(1, TimeUnit.HOURS);
                if (m == null) continue;
                if (m == POISON) return;
                try {
                    iopub.send(m);
                } finally {
                    sent.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a broken frame must not kill the IOPub thread; nothing sensible to report to
            }
        }
    }
}
