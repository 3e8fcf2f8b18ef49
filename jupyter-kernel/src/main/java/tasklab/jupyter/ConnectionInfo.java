package tasklab.jupyter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The connection file Jupyter writes for a kernel: where to bind and which key signs messages. */
public final class ConnectionInfo {
    public final String transport;
    public final String ip;
    public final int shellPort;
    public final int iopubPort;
    public final int stdinPort;
    public final int controlPort;
    public final int hbPort;
    public final String key;
    public final String signatureScheme;

    ConnectionInfo(Map<String, Object> m) {
        transport = str(m, "transport", "tcp");
        ip = str(m, "ip", "127.0.0.1");
        shellPort = num(m, "shell_port");
        iopubPort = num(m, "iopub_port");
        stdinPort = num(m, "stdin_port");
        controlPort = num(m, "control_port");
        hbPort = num(m, "hb_port");
        key = str(m, "key", "");
        signatureScheme = str(m, "signature_scheme", "hmac-sha256");
    }

    /** Reads and parses a connection file. */
    public static ConnectionInfo read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses connection-file JSON. */
    public static ConnectionInfo parse(String json) {
        return new ConnectionInfo(Json.parseObject(json));
    }

    /** The ZeroMQ endpoint for a port, exactly as the file says (no wildcard): we bind nowhere else. */
    public String endpoint(int port) {
        if ("ipc".equals(transport)) return "ipc://" + ip + "-" + port;
        return transport + "://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    private static String str(Map<String, Object> m, String k, String dflt) {
        Object v = m.get(k);
        return v == null ? dflt : v.toString();
    }

    private static int num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Number)) throw new IllegalArgumentException("connection file lacks " + k);
        return ((Number) v).intValue();
    }
}
