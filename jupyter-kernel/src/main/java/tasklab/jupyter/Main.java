package tasklab.jupyter;

import java.nio.file.Path;
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
            System.exit(0); // the warm-up's kernel still serves on its threads
        }
        if (args.length != 1) {
            // usage errors go to stdout: the kernel never writes to stderr
            System.out.println("usage: java tasklab.jupyter.Main CONNECTION_FILE");
            System.exit(2);
        }
        runKernel(Paths.get(args[0]));
    }

    /** Starts the kernel for a connection file and serves its shell channel on this thread (the warm-up runs it too). */
    static void runKernel(Path connectionFile) throws Exception {
        // JShell starts first (its thread is the critical path to the first result); the rest of
        // start-up - watching the parent, the sweep bar, reading the file, binding the sockets -
        // runs meanwhile. Starting it after exitWithParent and SweepProgressBar.install cost the
        // JShell thread ~40-60 ms (ProcessHandle's and kernel-sim's class initialisation)
        Future<Evaluator> evaluator = Kernel.startEvaluator(true);
        // off this thread too: kernel_info waits for this thread, and a front end waits for kernel_info
        // (jupyter_client then waits 0.2 s more for IOPub to go quiet before it sends the first cell)
        Thread watch = new Thread(Main::exitWithParent, "tasklab-watch-parent");
        watch.setDaemon(true);
        watch.start();
        SweepProgressBar.install();
        ConnectionInfo info = ConnectionInfo.read(connectionFile);
        new Kernel(info, evaluator).run();
    }
}
