package tasklab.jupyter;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * System.out / System.err of user code: buffered and sent as IOPub "stream" messages (a flusher
 * thread sends every 50 ms), bounded per cell so that printing 100 MB cannot flood the client.
 */
final class StreamCapture extends OutputStream {
    private final String name;
    private final Publisher publisher;
    private final CellContext cell;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean noteDue;

    StreamCapture(String name, Publisher publisher, CellContext cell) {
        this.name = name;
        this.publisher = publisher;
        this.cell = cell;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        long ok = cell.take(len);
        if (ok < 0) {
            noteDue = true;
            return;
        }
        buffer.write(b, off, (int) ok);
        if (ok < len) noteDue = true;
    }

    /** Sends what is buffered, keeping an incomplete UTF-8 sequence for the next send. */
    @Override
    public void flush() {
        String text;
        synchronized (this) {
            byte[] bytes = buffer.toByteArray();
            int cut = completeUtf8Length(bytes);
            if (cut == 0 && !noteDue) return;
            text = new String(bytes, 0, cut, StandardCharsets.UTF_8);
            buffer.reset();
            buffer.write(bytes, cut, bytes.length - cut);
            if (noteDue) {
                noteDue = false;
                text += (text.isEmpty() || text.endsWith("\n") ? "" : "\n")
                        + "[tasklab: output truncated - this cell printed more than " + (cell.limit >> 20)
                        + " MiB; the rest is not shown]\n";
            }
        }
        Message parent = cell.parent;
        if (!text.isEmpty()) publisher.publish(parent, "stream", Json.obj("name", name, "text", text));
    }

    static int completeUtf8Length(byte[] b) {
        int n = b.length;
        // walk back over at most 3 continuation bytes to the lead byte of the last sequence
        for (int k = n - 1; k >= 0 && k >= n - 4; k--) {
            int c = b[k] & 0xff;
            if ((c & 0xC0) == 0x80) continue;
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return n - k >= need ? n : k;
        }
        return n;
    }
}
