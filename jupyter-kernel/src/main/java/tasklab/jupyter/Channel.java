package tasklab.jupyter;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/** One ZeroMQ socket with signed send and verified receive; sends are serialised by a lock. */
final class Channel {
    private final ZMQ.Socket socket;
    private final Signer signer;

    Channel(ZMQ.Socket socket, Signer signer) {
        this.socket = socket;
        this.signer = signer;
    }

    ZMQ.Socket socket() {
        return socket;
    }

    synchronized void send(Message m) {
        List<byte[]> frames = m.toFrames(signer);
        for (int k = 0; k < frames.size(); k++) {
            socket.send(frames.get(k), k < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /**
     * For an XPUB socket (IOPub): waits up to the given time for a subscriber's subscription.
     * Holds the send lock only while looking, so status messages still go out meanwhile.
     */
    boolean awaitSubscriber(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            byte[] sub;
            synchronized (this) {
                sub = socket.recv(ZMQ.DONTWAIT);
            }
            if (sub != null && sub.length > 0 && sub[0] == 1) return true;
            if (sub == null) {
                if (System.nanoTime() >= end) return false;
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
            }
        }
    }

    /** A message bigger than this (all frames) is dropped unparsed; a pasted cell is far below it. */
    static final long MAX_MESSAGE_BYTES = 64L << 20;

    /** Receives one message; null when the frames are malformed, too big or wrongly signed (dropped). */
    Message receive(int flags) {
        byte[] first = socket.recv(flags);
        if (first == null) return null;
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        long size = first.length;
        while (socket.hasReceiveMore()) {
            byte[] f = socket.recv(0);
            if (f == null) break;
            size += f.length;
            if (size <= MAX_MESSAGE_BYTES) frames.add(f); // read the rest to stay in step, keep nothing
        }
        if (size > MAX_MESSAGE_BYTES) return null;
        try {
            return Message.fromFrames(frames, signer);
        } catch (RuntimeException | StackOverflowError e) {
            return null; // whatever a client sends, the channel keeps serving
        }
    }
}
