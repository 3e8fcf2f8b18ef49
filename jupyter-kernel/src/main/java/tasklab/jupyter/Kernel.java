package tasklab.jupyter;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The protocol side of the kernel (messaging spec 5.3): binds the five sockets exactly where the
 * connection file says, and answers shell and control requests. Cells run on the shell thread
 * (in order, as Jupyter expects); the control thread stays free to interrupt or shut down.
 */
public final class Kernel {
    static final String VERSION = "0.1.0";
    /** Default per-cell bound on printed output; TASKLAB_OUTPUT_LIMIT_MB overrides it. */
    static final long OUTPUT_LIMIT = outputLimit();

    private final ConnectionInfo info;
    private final Future<Evaluator> evaluator;
    private final String session = Message.newId();
    private final ZContext ctx = new ZContext(1);
    private final Signer signer;
    private Channel shell;
    private Channel control;
    private Channel stdin;
    private Publisher publisher;
    private final CellContext cell = new CellContext(OUTPUT_LIMIT);
    private StreamCapture out;
    private StreamCapture err;
    private final History history = new History();
    private volatile Magics magics;
    private int executionCount;
    /** Set by a handler that has already published this request's "idle" (execute does, before its reply). */
    private final ThreadLocal<Boolean> idleSent = new ThreadLocal<>();

    public Kernel(ConnectionInfo info, Future<Evaluator> evaluator) {
        this.info = info;
        this.evaluator = evaluator;
        this.signer = new Signer(info.key, info.signatureScheme);
    }

    static long outputLimit() {
        try {
            String v = System.getenv("TASKLAB_OUTPUT_LIMIT_MB");
            return (v == null ? 4L : Long.parseLong(v.trim())) << 20;
        } catch (NumberFormatException e) {
            return 4L << 20;
        }
    }

    /** Binds, starts the helper threads, then serves the shell channel on the calling thread. */
    public void run() {
        ZMQ.Socket hb = bind(SocketType.REP, info.hbPort);
        ZMQ.Socket iopubSocket = bind(SocketType.XPUB, info.iopubPort); // a PUB that also reports subscriptions
        shell = new Channel(bind(SocketType.ROUTER, info.shellPort), signer);
        control = new Channel(bind(SocketType.ROUTER, info.controlPort), signer);
        stdin = new Channel(bind(SocketType.ROUTER, info.stdinPort), signer);
        publisher = new Publisher(new Channel(iopubSocket, signer), session);
        captureStandardStreams();
        daemon("tasklab-heartbeat", () -> heartbeat(hb));
        daemon("tasklab-control", () -> serve(control, true));
        publisher.status(null, "starting");
        // while JShell still compiles the imports, off this thread (kernel_info must not wait): the
        // first cell's woven class needs ASM, which is not in the class-data-sharing archive on JDK 17
        daemon("tasklab-warm-weaver", StopWeaver::warm);
        serve(shell, false);
    }

    private ZMQ.Socket bind(SocketType type, int port) {
        ZMQ.Socket s = ctx.createSocket(type);
        s.setLinger(1000);
        s.bind(info.endpoint(port));
        return s;
    }

    /** User code's System.out/err/in become Jupyter streams and input requests. */
    private void captureStandardStreams() {
        out = new StreamCapture("stdout", publisher, cell);
        err = new StreamCapture("stderr", publisher, cell);
        System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, false, StandardCharsets.UTF_8));
        System.setIn(new StdinReader(stdin, session, cell));
        Notebook.bind(publisher, cell, out, err);
        daemon("tasklab-flush", () -> {
            while (true) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                flushStreams();
            }
        });
    }

    private void flushStreams() {
        System.out.flush();
        System.err.flush();
        out.flush();
        err.flush();
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void heartbeat(ZMQ.Socket hb) {
        while (!Thread.currentThread().isInterrupted()) {
            byte[] ping = hb.recv(0);
            if (ping == null) return;
            hb.send(ping, 0);
        }
    }

    private void serve(Channel channel, boolean isControl) {
        while (!Thread.currentThread().isInterrupted()) {
            Message m;
            try {
                m = channel.receive(0);
            } catch (RuntimeException e) {
                if (ctx.isClosed()) return; // context terminated at shutdown
                continue;
            }
            if (m == null) continue; // unsigned, wrongly signed, malformed or too big: dropped
            publisher.status(m, "busy");
            try {
                handle(channel, m, isControl);
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                // a kernel bug or a hostile message must not kill the kernel; the client sees an error reply
                try {
                    send(channel, m, m.type().replace("_request", "_reply"), errorContent(e));
                } catch (RuntimeException ignored) {
                    // the reply could not be sent either (socket gone): keep serving
                }
            } finally {
                if (idleSent.get() != Boolean.TRUE) publisher.status(m, "idle");
                idleSent.remove();
            }
        }
    }

    private static Map<String, Object> errorContent(Throwable e) {
        return Json.obj("status", "error", "ename", e.getClass().getSimpleName(), "evalue", String.valueOf(e.getMessage()),
                "traceback", List.of(e.toString()));
    }

    private void send(Channel ch, Message parent, String type, Map<String, Object> content) {
        ch.send(parent.reply(session, type, content));
    }

    private void handle(Channel ch, Message m, boolean isControl) {
        switch (m.type()) {
            case "kernel_info_request":
                publisher.awaitFirstSubscriber();
                send(ch, m, "kernel_info_reply", kernelInfo());
                break;
            case "shutdown_request": shutdown(ch, m); break;
            case "interrupt_request":
                if (evaluatorIfReady() != null) evaluatorIfReady().interrupt();
                send(ch, m, "interrupt_reply", Json.obj("status", "ok"));
                break;
            case "execute_request": execute(ch, m); break;
            case "complete_request": complete(ch, m); break;
            case "inspect_request": inspect(ch, m); break;
            case "is_complete_request": isComplete(ch, m); break;
            case "history_request": history(ch, m); break;
            case "comm_info_request": send(ch, m, "comm_info_reply", Json.obj("status", "ok", "comms", new LinkedHashMap<>())); break;
            case "comm_open":
                // no comm targets yet: tell the front end the comm is closed, as ipykernel does
                publisher.publish(m, "comm_close", Json.obj("comm_id", m.str("comm_id", ""), "data", new LinkedHashMap<>()));
                break;
            case "comm_msg":
            case "comm_close":
                break;
            default:
                if (m.type().endsWith("_request")) {
                    send(ch, m, m.type().replace("_request", "_reply"), Json.obj("status", "error", "ename", "NotImplemented",
                            "evalue", m.type() + " is not supported by tasklab", "traceback", List.of()));
                }
        }
    }

    static Map<String, Object> kernelInfo() {
        Map<String, Object> lang = Json.obj("name", "java", "version", Runtime.version().toString(),
                "mimetype", "text/x-java-source", "file_extension", ".jshell", "pygments_lexer", "java",
                "codemirror_mode", "text/x-java");
        List<Object> links = List.of(
                Json.obj("text", "Java " + Runtime.version().feature() + " API", "url",
                        "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/"),
                Json.obj("text", "Tablesaw", "url", "https://jtablesaw.github.io/tablesaw/"),
                Json.obj("text", "XChart", "url", "https://knowm.org/open-source/xchart/"));
        return Json.obj("status", "ok", "protocol_version", Message.PROTOCOL_VERSION, "implementation", "tasklab",
                "implementation_version", VERSION, "language_info", lang,
                "banner", "tasklab Java kernel " + VERSION + " (JShell, Java " + Runtime.version() + ")",
                "help_links", links, "debugger", false);
    }

    private void shutdown(Channel ch, Message m) {
        boolean restart = m.bool("restart", false);
        send(ch, m, "shutdown_reply", Json.obj("status", "ok", "restart", restart));
        publisher.status(m, "idle");
        Evaluator e = evaluatorIfReady();
        if (e != null) e.interrupt();
        publisher.drainNow(500);
        try {
            Thread.sleep(100); // let ZeroMQ's I/O thread put the reply on the wire
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
        // restart is the client's job: it starts a new process once this one is gone
        Runtime.getRuntime().halt(0);
    }

    private Evaluator evaluatorIfReady() {
        if (!evaluator.isDone()) return null;
        try {
            return evaluator.get();
        } catch (InterruptedException | ExecutionException e) {
            return null;
        }
    }

    private Evaluator evaluator() {
        try {
            return evaluator.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("JShell could not start: " + e.getCause(), e.getCause());
        }
    }

    private Magics magics() {
        if (magics == null) magics = new Magics(evaluator());
        return magics;
    }

    private void execute(Channel ch, Message m) {
        String code = m.str("code", "");
        boolean silent = m.bool("silent", false);
        boolean store = !silent && m.bool("store_history", true);
        if (store) executionCount++;
        int count = executionCount;
        publisher.publish(m, "execute_input", Json.obj("code", code, "execution_count", count));
        if (store) history.add(count, code);
        cell.start(m, m.bool("allow_stdin", true));
        Map<String, Object> reply;
        Evaluator ev = evaluator();
        Warmup.cellRunning(true);
        ev.beginCell();
        try {
            Notebook.newCell();
            Object value = magics().run(code);
            if (Notebook.isDisplayId(value)) value = Evaluator.NO_VALUE; // display(x); shows x once, not its id
            flushStreams();
            List<Object> payload = new ArrayList<>();
            if (value instanceof Page) {
                payload.add(Json.obj("source", "page", "data", Json.obj("text/plain", ((Page) value).text), "start", 0));
            } else if (value != Evaluator.NO_VALUE && !silent) {
                DisplayData d = Renderers.render(value);
                publisher.publish(m, "execute_result", Json.obj("execution_count", count, "data", d.data, "metadata", d.metadata));
                if (store) history.setOutput(count, String.valueOf(d.data.get("text/plain")));
            }
            reply = Json.obj("status", "ok", "execution_count", count, "payload", payload,
                    "user_expressions", userExpressions(m));
        } catch (CellError e) {
            flushStreams();
            if (!silent) {
                publisher.publish(m, "error", Json.obj("ename", e.ename, "evalue", e.evalue, "traceback", e.traceback));
            }
            reply = Json.obj("status", "error", "execution_count", count, "ename", e.ename, "evalue", e.evalue,
                    "traceback", e.traceback);
        } finally {
            ev.endCell();
            Warmup.cellRunning(false);
        }
        // "idle" goes out before the reply: a client holding the reply then finds every IOPub message
        // of the cell already queued, however loaded the machine (jupyter_kernel_test waits 0.1 s)
        publisher.status(m, "idle");
        idleSent.set(Boolean.TRUE);
        send(ch, m, "execute_reply", reply);
    }

    /** Each user expression evaluated after the cell, as a MIME bundle or an error. */
    private Map<String, Object> userExpressions(Message m) {
        Map<String, Object> out = new LinkedHashMap<>();
        Object req = m.content.get("user_expressions");
        if (!(req instanceof Map)) return out;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) req).entrySet()) {
            try {
                Object v = evaluator().eval(String.valueOf(e.getValue()));
                DisplayData d = Renderers.render(v == Evaluator.NO_VALUE ? "" : v);
                out.put(String.valueOf(e.getKey()), Json.obj("status", "ok", "data", d.data, "metadata", d.metadata));
            } catch (CellError err) {
                out.put(String.valueOf(e.getKey()), Json.obj("status", "error", "ename", err.ename, "evalue", err.evalue,
                        "traceback", err.traceback));
            }
        }
        return out;
    }

    private void complete(Channel ch, Message m) {
        String code = m.str("code", "");
        int cursor = m.integer("cursor_pos", code.length());
        Evaluator.Completion c = evaluator().complete(code, cursor);
        send(ch, m, "complete_reply", Json.obj("status", "ok", "matches", c.matches, "cursor_start", c.cursorStart,
                "cursor_end", c.cursorEnd, "metadata", new LinkedHashMap<>()));
    }

    private void inspect(Channel ch, Message m) {
        String code = m.str("code", "");
        int cursor = m.integer("cursor_pos", code.length());
        String doc = evaluator().inspect(code, cursor);
        Map<String, Object> data = new LinkedHashMap<>();
        if (doc != null) data.put("text/plain", doc);
        send(ch, m, "inspect_reply", Json.obj("status", "ok", "found", doc != null, "data", data, "metadata", new LinkedHashMap<>()));
    }

    private void isComplete(Channel ch, Message m) {
        String code = m.str("code", "");
        String status = code.startsWith("%") && !code.contains("\n") ? "complete" : evaluator().isComplete(code);
        Map<String, Object> content = Json.obj("status", status);
        if (status.equals("incomplete")) content.put("indent", "    ");
        send(ch, m, "is_complete_reply", content);
    }

    private void history(Channel ch, Message m) {
        boolean output = m.bool("output", false);
        String type = m.str("hist_access_type", "tail");
        List<Object> h;
        switch (type) {
            case "range":
                h = history.range(m.integer("session", 0), m.integer("start", 0), m.integer("stop", 0), output);
                break;
            case "search":
                h = history.search(m.str("pattern", "*"), m.integer("n", 0), m.bool("unique", false), output);
                break;
            default:
                h = history.tail(m.integer("n", 10), output);
        }
        send(ch, m, "history_reply", Json.obj("status", "ok", "history", new ArrayList<>(h)));
    }

    /** Starts JShell (and the imports) in the background while the sockets come up. */
    public static Future<Evaluator> startEvaluator() {
        return startEvaluator(false);
    }

    /** As above; with warmCharts, the chart path is then warmed in the background (a real kernel). */
    public static Future<Evaluator> startEvaluator(boolean warmCharts) {
        CompletableFuture<Evaluator> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                Evaluator e = new Evaluator(Evaluator.jvmClasspath());
                e.importAll(Startup.imports(e::onClassPath));
                f.complete(e);
                if (warmCharts) Warmup.renderersInBackground(e);
            } catch (Throwable x) {
                f.completeExceptionally(x);
            }
        }, "tasklab-jshell-start");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
