package tasklab.jupyter;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.zeromq.ZMQ;

/**
 * System.in of user code: when it runs dry, asks the front end with input_request on the stdin
 * channel. The ZeroMQ work happens on a helper thread so an interrupted snippet only abandons
 * its wait, never a socket operation.
 */
final class StdinReader extends InputStream {
    private final Channel stdin;
    private final String session;
    private final CellContext cell;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tasklab-stdin");
        t.setDaemon(true);
        return t;
    });
    private byte[] pending = new byte[0];
    private int pos;

    StdinReader(Channel stdin, String session, CellContext cell) {
        this.stdin = stdin;
        this.session = session;
        this.cell = cell;
    }

    @Override
    public synchronized int read() {
        if (!fill()) return -1;
        return pending[pos++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, pending.length - pos);
        System.arraycopy(pending, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return pending.length - pos;
    }

    private boolean fill() {
        if (pos < pending.length) return true;
        String line = readLine("", false);
        if (line == null) return false;
        pending = (line + "\n").getBytes(StandardCharsets.UTF_8);
        pos = 0;
        return true;
    }

    /** Asks the front end for one line; null when stdin is not allowed for this request. */
    String readLine(String prompt, boolean password) {
        Message parent = cell.parent;
        if (parent == null || !cell.allowStdin) return null;
        Notebook.flushStreams();
        Future<String> f = io.submit(() -> ask(parent, prompt, password));
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        } finally {
            f.cancel(true);
        }
    }

    private String ask(Message parent, String prompt, boolean password) {
        ZMQ.Socket s = stdin.socket();
        // drop replies left over from an earlier, interrupted request
        while (stdin.receive(ZMQ.DONTWAIT) != null) { /* discard */ }
        stdin.send(parent.reply(session, "input_request", Json.obj("prompt", prompt, "password", password)));
        s.setReceiveTimeOut(200);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Message r = stdin.receive(0);
                if (r != null && "input_reply".equals(r.type())) return r.str("value", "");
            }
            return null;
        } finally {
            s.setReceiveTimeOut(-1);
        }
    }
}
