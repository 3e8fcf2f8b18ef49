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

    /** Receives one message; null when the frames are malformed or wrongly signed (dropped). */
    Message receive(int flags) {
        byte[] first = socket.recv(flags);
        if (first == null) return null;
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) frames.add(socket.recv(0));
        return Message.fromFrames(frames, signer);
    }
}
