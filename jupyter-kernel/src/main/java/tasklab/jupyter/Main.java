package tasklab.jupyter;

import java.nio.file.Paths;
import java.util.concurrent.Future;

/**
 * Entry point: {@code Main CONNECTION_FILE} runs the kernel; {@code Main --warmup} exercises
 * start-up paths once and exits (install-kernelspec runs it to record a class-data-sharing archive).
 */
public final class Main {
    private Main() {}

    /** A kernel whose front end died (kill -9, crash) must not live on as an orphan. */
    private static void exitWithParent() {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (args.length == 1 && args[0].equals("--warmup")) {
            Warmup.run();
            return;
        }
        if (args.length != 1) {
            // usage errors go to stdout: the kernel never writes to stderr
            System.out.println("usage: java tasklab.jupyter.Main CONNECTION_FILE");
            System.exit(2);
        }
        exitWithParent();
        SweepProgressBar.install();
        // JShell starts (the slow part) while we read the file and bind the sockets.
        Future<Evaluator> evaluator = Kernel.startEvaluator(true);
        ConnectionInfo info = ConnectionInfo.read(Paths.get(args[0]));
        new Kernel(info, evaluator).run();
    }
}
