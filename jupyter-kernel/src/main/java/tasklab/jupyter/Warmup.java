package tasklab.jupyter;

import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

/**
 * One pass over what a first notebook session loads - JShell and javac, the imports, a cell, a
 * Table and a chart rendered, the protocol classes - so that -XX:ArchiveClassesAtExit records
 * all of them in the class-data-sharing archive used at run time.
 */
final class Warmup {
    private Warmup() {}

    /**
     * Warms the chart and table path in the background once JShell is up, at the lowest priority, so
     * that the first chart or Table a student shows does not pay for it: javac attributes a cell-like
     * use of XChart and Tablesaw (a separate compiler, so JShell's state is untouched and a cell may
     * run meanwhile; what warms is the JIT-compiled javac code), then a chart becomes PNG and a Table
     * HTML (XChart, Java2D, the PNG encoder, Tablesaw's HTML). Silent: javac reports to a listener
     * that drops everything, and any failure only leaves the path cold.
     */
    static void renderersInBackground() {
        Thread t = new Thread(() -> {
            try {
                // each step waits until no cell has run for 300 ms: the first cells go first
                whenIdle();
                attributeChartCell();
                whenIdle();
                var c = new org.knowm.xchart.XYChartBuilder().width(120).height(90).build();
                c.addSeries("warm", new double[] {1, 2, 3}, new double[] {2, 1, 3});
                Renderers.render(c);
                whenIdle();
                var bar = new org.knowm.xchart.CategoryChartBuilder().width(120).height(90).build();
                bar.addSeries("warm", List.of("a", "b"), List.of(1, 2));
                Renderers.render(bar);
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

    /** What a first chart / Table cell makes javac do, in memory (analyze only: no class file is written). */
    static final String CHART_CELL = "import java.util.*; import tech.tablesaw.api.*; import org.knowm.xchart.*;\n"
            + "class TasklabWarm { Object cell() {\n"
            + "  var chart = new XYChartBuilder().width(400).height(300).title(\"t\").xAxisTitle(\"x\").build();\n"
            + "  chart.addSeries(\"s\", new double[] {1, 2, 3}, new double[] {1, 4, 9});\n"
            + "  var bar = new CategoryChartBuilder().width(400).height(300).build();\n"
            + "  bar.addSeries(\"b\", List.of(\"a\", \"b\"), List.of(1, 2));\n"
            + "  var t = Table.create(\"t\", IntColumn.create(\"x\", 1, 2), DoubleColumn.create(\"y\", 1.0, 2.0));\n"
            + "  return List.of(chart, bar, t.column(\"x\"), t.rowCount());\n"
            + "} }\n";

    private static void attributeChartCell() throws Exception {
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        if (javac == null) return;
        javax.tools.JavaFileObject src = new javax.tools.SimpleJavaFileObject(
                java.net.URI.create("string:///TasklabWarm.java"), javax.tools.JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return CHART_CELL;
            }
        };
        var task = (com.sun.source.util.JavacTask) javac.getTask(java.io.Writer.nullWriter(), null, d -> { },
                List.of("-proc:none", "-Xlint:none", "-classpath", System.getProperty("java.class.path", "")),
                null, List.of(src));
        task.analyze();
    }

    static void run() throws Exception {
        Evaluator e = Kernel.startEvaluator().get();
        Object v = e.eval("var t = tech.tablesaw.api.Table.create(\"warm\", tech.tablesaw.api.IntColumn.create(\"x\", 1, 2, 3));\n"
                + "var c = new org.knowm.xchart.XYChartBuilder().width(200).height(150).build();\n"
                + "c.addSeries(\"s\", new double[] {1, 2}, new double[] {3, 4});\n"
                + "List.of(t, c)");
        for (Object o : (List<?>) v) Renderers.render(o);
        attributeChartCell(); // the background warm-up's own classes go into the archive too
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
