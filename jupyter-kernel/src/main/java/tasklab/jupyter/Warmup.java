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
