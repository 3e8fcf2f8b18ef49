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
     * Warms the chart and image path (XChart, Java2D, the PNG encoder) in the background once
     * JShell is up, at the lowest priority, so that the first chart a student draws does not pay
     * for loading and interpreting it. Touches no JShell state, so a cell may run meanwhile.
     */
    static void renderersInBackground() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(300); // let the first kernel_info / execute go first
                var c = new org.knowm.xchart.XYChartBuilder().width(120).height(90).build();
                c.addSeries("warm", new double[] {1, 2, 3}, new double[] {2, 1, 3});
                Renderers.render(c);
                var bar = new org.knowm.xchart.CategoryChartBuilder().width(120).height(90).build();
                bar.addSeries("warm", List.of("a", "b"), List.of(1, 2));
                Renderers.render(bar);
            } catch (Throwable ignored) {
                // only a warm-up: the real chart will show any problem
            }
        }, "tasklab-warm-charts");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run() throws Exception {
        Evaluator e = Kernel.startEvaluator().get();
        Object v = e.eval("var t = tech.tablesaw.api.Table.create(\"warm\", tech.tablesaw.api.IntColumn.create(\"x\", 1, 2, 3));\n"
                + "var c = new org.knowm.xchart.XYChartBuilder().width(200).height(150).build();\n"
                + "c.addSeries(\"s\", new double[] {1, 2}, new double[] {3, 4});\n"
                + "List.of(t, c)");
        for (Object o : (List<?>) v) Renderers.render(o);
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
