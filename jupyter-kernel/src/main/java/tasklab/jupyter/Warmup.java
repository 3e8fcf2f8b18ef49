package tasklab.jupyter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * One pass over what a first notebook session loads - JShell and javac, the imports, a cell, a
 * Table and a chart rendered, the protocol classes - so that -XX:ArchiveClassesAtExit records
 * all of them in the class-data-sharing archive used at run time.
 */
final class Warmup {
    private Warmup() {}

    /**
     * Warms the chart and table path in the background once JShell is up, so that the first chart or
     * Table a student shows does not pay for it. Steps, cheapest payoff first, each only once no cell
     * has run for 300 ms (the first cells go first): a chart like a student's becomes PNG (XChart,
     * Java2D, fonts, the PNG encoder: the biggest single cost), JShell's own compiler attributes a
     * chart expression and a Table expression (through completion, which changes no JShell state:
     * this completes the XChart and Tablesaw class symbols in JShell's javac and JIT-compiles its
     * paths; a separate javac did the same for the chart cell but cost ~6x more CPU), then a bar
     * chart and a Table (HTML). Silent: any failure only leaves the path cold.
     */
    static void renderersInBackground(Evaluator e) {
        Thread t = new Thread(() -> {
            try {
                whenIdle();
                Renderers.render(sampleChart());
                whenIdle();
                e.warmCompletion(CHART_EXPRESSION);
                whenIdle();
                DisplayData d = Renderers.render(sampleChart()); // again: now the hot drawing and PNG code is JIT-compiled
                // and the reply path: a 20 KB image message as JSON, HMAC-signed (34 ms cold, 2 ms warm)
                Message.create("warm", "execute_result", null, List.of(), Json.obj("execution_count", 1, "data", d.data,
                        "metadata", d.metadata)).toFrames(new Signer("warm", "hmac-sha256"));
                whenIdle();
                var bar = new org.knowm.xchart.CategoryChartBuilder().width(400).height(300).title("warm").build();
                bar.addSeries("warm", List.of("a", "b"), List.of(1, 2));
                Renderers.render(bar);
                whenIdle();
                e.warmCompletion(TABLE_EXPRESSION);
                whenIdle();
                Renderers.render(tech.tablesaw.api.Table.create("warm", tech.tablesaw.api.IntColumn.create("x", 1, 2),
                        tech.tablesaw.api.StringColumn.create("s", "a", "b")));
            } catch (Throwable ignored) {
                // only a warm-up: the real chart will show any problem
            }
        }, "tasklab-warm-charts");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * A first session through the real sockets, as a front end starts it: the kernel started as Main
     * starts it (on 127.0.0.1, free ports), then kernel_info and a first cell `1 + 1`, so that the
     * protocol path (TCP sockets, JeroMQ's engine, channels, IOPub, the execute path, javac's operator
     * tables) is in the archive as well, not only JShell. Anything going wrong here only leaves those
     * classes out of the archive.
     */
    private static void session() {
        Path conn = null;
        try {
            int[] ports = new int[5];
            for (int k = 0; k < ports.length; k++) {
                try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    ports[k] = s.getLocalPort();
                }
            }
            String key = "warmup-" + System.nanoTime();
            conn = Files.createTempFile("tasklab-warmup", ".json");
            Files.writeString(conn, Json.write(Json.obj("transport", "tcp", "ip", "127.0.0.1", "shell_port", ports[0],
                    "iopub_port", ports[1], "stdin_port", ports[2], "control_port", ports[3], "hb_port", ports[4],
                    "key", key, "signature_scheme", "hmac-sha256")));
            Path file = conn;
            Thread kernel = new Thread(() -> {
                try {
                    Main.runKernel(file);
                } catch (Exception ignored) {
                    // the client below times out
                }
            }, "warmup-kernel");
            kernel.setDaemon(true);
            kernel.start();
            try (ZContext ctx = new ZContext(1)) {
                ZMQ.Socket socket = ctx.createSocket(SocketType.DEALER);
                socket.setReceiveTimeOut(60_000);
                socket.connect("tcp://127.0.0.1:" + ports[0]);
                ZMQ.Socket iopub = ctx.createSocket(SocketType.SUB);
                iopub.subscribe(new byte[0]);
                iopub.connect("tcp://127.0.0.1:" + ports[1]);
                Channel shell = new Channel(socket, new Signer(key, "hmac-sha256"));
                request(shell, "kernel_info_request", Json.obj());
                request(shell, "execute_request", Json.obj("code", "1 + 1", "silent", false, "store_history", true,
                        "user_expressions", Json.obj(), "allow_stdin", false, "stop_on_error", true));
            }
        } catch (Exception | Error ignored) {
            // only a warm-up
        } finally {
            try {
                if (conn != null) Files.deleteIfExists(conn);
            } catch (java.io.IOException ignored) {
                // a temporary file
            }
        }
    }

    /** Sends a request and waits for its reply (up to the socket's receive timeout). */
    private static void request(Channel shell, String type, java.util.Map<String, Object> content) {
        shell.send(Message.create("warmup-client", type, null, List.of(), content));
        String reply = type.replace("_request", "_reply");
        while (true) {
            Message m = shell.receive(0);
            if (m == null) throw new IllegalStateException("no " + reply);
            if (m.type().equals(reply)) return;
        }
    }

    /** The size and parts of a notebook's typical chart (title, axis titles, legend), so the same fonts and paths warm up. */
    private static org.knowm.xchart.XYChart sampleChart() {
        var c = new org.knowm.xchart.XYChartBuilder().width(400).height(300).title("warm").xAxisTitle("x").yAxisTitle("y").build();
        c.addSeries("warm", new double[] {1, 2, 3, 4}, new double[] {1, 4, 9, 16});
        return c;
    }

    /** Completion after the dot attributes the whole chain, as compiling a chart cell does. */
    static final String CHART_EXPRESSION = "new XYChartBuilder().width(400).height(300).title(\"t\").xAxisTitle(\"x\").build()"
            + ".addSeries(\"s\", new double[] {1, 2, 3}, new double[] {1, 4, 9}).";
    static final String TABLE_EXPRESSION = "Table.create(\"t\", IntColumn.create(\"x\", 1, 2), DoubleColumn.create(\"y\", 1.0, 2.0),"
            + " StringColumn.create(\"s\", \"a\", \"b\")).column(\"x\").";

    private static volatile boolean cellRunning;
    private static volatile long quietSince = System.nanoTime();

    /** The kernel says when a cell starts and ends, so the warm-up keeps out of its way. */
    static void cellRunning(boolean running) {
        cellRunning = running;
        quietSince = System.nanoTime();
    }

    private static void whenIdle() throws InterruptedException {
        while (cellRunning || System.nanoTime() - quietSince < 300_000_000L) Thread.sleep(50);
    }

    static void run() throws Exception {
        session();
        Evaluator e = Kernel.startEvaluator().get();
        Object v = e.eval("var t = tech.tablesaw.api.Table.create(\"warm\", tech.tablesaw.api.IntColumn.create(\"x\", 1, 2, 3));\n"
                + "var c = new org.knowm.xchart.XYChartBuilder().width(200).height(150).build();\n"
                + "c.addSeries(\"s\", new double[] {1, 2}, new double[] {3, 4});\n"
                + "List.of(t, c)");
        for (Object o : (List<?>) v) Renderers.render(o);
        Renderers.render(sampleChart()); // the background warm-up's own paths go into the archive too
        e.warmCompletion(CHART_EXPRESSION);
        e.warmCompletion(TABLE_EXPRESSION);
        e.complete("Math.ma", 7);
        e.inspect("Math.max", 8);
        e.isComplete("int x = ");
        String sig = new Signer("k", "hmac-sha256").sign(Message.utf8("{}"));
        Message m = Message.create("s", "status", null, List.of(), Json.obj("execution_state", "idle"));
        Message.fromFrames(m.toFrames(new Signer("k", "hmac-sha256")), new Signer("k", "hmac-sha256"));
        Json.parse(Json.write(Kernel.kernelInfo()) + sig.substring(0, 0));
        try (ZContext ctx = new ZContext(1)) {
            ctx.createSocket(SocketType.ROUTER).bind("inproc://warmup");
            ctx.createSocket(SocketType.PUB).bind("inproc://warmup-pub");
        }
        e.close();
    }
}
