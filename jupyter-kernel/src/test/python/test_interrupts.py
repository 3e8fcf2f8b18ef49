"""Issue 16: interrupt, exit, shutdown and restart on whatever JDK the kernelspec pinned (bin/test-kernel
runs this suite on the default JDK and on the newest one installed). Every variable survives."""
import time
import unittest

from jupyter_client.manager import start_new_kernel

from test_robustness import TIMEOUT, KernelWithStderr, cpu_seconds, result_text, run, wait_for_warmup


def interrupt_after(km, kc, code, wait=1.0):
    """Starts code, interrupts it after `wait` s; returns (reply content, seconds from interrupt to reply)."""
    msg_id = kc.execute(code)
    time.sleep(wait)
    t0 = time.monotonic()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=TIMEOUT)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
    return reply["content"], time.monotonic() - t0


class InterruptTests(KernelWithStderr, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        run(cls.kc, "int keep = 41;\nvar k = Kernel.boot(KernelConfig.of(KernelVersion.LINUX_2_6));")

    def assertStoppedAndKept(self, code, wait=1.0):
        reply, elapsed = interrupt_after(self.km, self.kc, code, wait)
        self.assertEqual(reply["status"], "error", reply)
        self.assertEqual(reply["ename"], "InterruptedException")
        self.assertLess(elapsed, 1.0, f"interrupt of {code!r} took {elapsed:.2f}s")
        _, out = run(self.kc, "keep + 1")
        self.assertEqual(result_text(out), "42")

    def test_cpu_loop_without_calls(self):
        self.assertStoppedAndKept("long n = 0;\nwhile (true) { n++; }")
        # no thread left burning a core (once the background chart warm-up is over)
        wait_for_warmup(self.pid)
        time.sleep(1.0)
        c0 = cpu_seconds(self.pid)
        time.sleep(1.0)
        self.assertLess(cpu_seconds(self.pid) - c0, 0.3)

    def test_recursion_without_loops(self):
        self.assertStoppedAndKept("long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nfib(80)")

    def test_loop_catching_throwable_needs_one_interrupt(self):
        self.assertStoppedAndKept("while (true) { try { Thread.sleep(50); } catch (Throwable t) { } }")
        self.assertStoppedAndKept("while (true) { try { while (true) { } } catch (Throwable t) { } }")

    def test_sleep_and_wait(self):
        self.assertStoppedAndKept("Thread.sleep(600_000);", wait=0.5)
        self.assertStoppedAndKept("Object lock = new Object();\nsynchronized (lock) { lock.wait(); }", wait=0.5)

    def test_long_simulation_run(self):
        self.assertStoppedAndKept(
            "Program spin = Program.builder().loop(2_000_000_000, b -> b.yield()).exit(0).build();\n"
            "for (int i = 0; i < 4; i++) k.spawn(spin);\n"
            "k.runMillis(1_000_000_000L);", wait=1.5)

    def test_interrupt_while_the_cell_compiles(self):
        # the interrupt arrives while JShell still compiles the class (javac cannot be stopped
        # half-way): the loop after it must never start, the reply comes once the compile is over
        reply, elapsed = interrupt_after(self.km, self.kc, "class Slow" + str(int(time.time())) + " { }\nwhile (true) { }", 0.05)
        self.assertEqual(reply["ename"], "InterruptedException")
        self.assertLess(elapsed, 5.0)
        _, out = run(self.kc, "keep + 1")
        self.assertEqual(result_text(out), "42")

    def test_system_exit_and_halt_are_clean_errors(self):
        for code, call in (("System.exit(3);", "System.exit(3)"), ("Runtime.getRuntime().halt(1);", "Runtime.halt(1)"),
                           ("Runtime.getRuntime().exit(0);", "Runtime.exit(0)")):
            reply, _ = run(self.kc, code)
            self.assertEqual(reply["status"], "error")
            self.assertEqual(reply["ename"], "SystemExit")
            self.assertIn(call, reply["evalue"])
            _, out = run(self.kc, "keep + 1")
            self.assertEqual(result_text(out), "42")

    # test_zz_nothing_on_stderr comes from KernelWithStderr


class BusyLifecycleTests(unittest.TestCase):
    def test_shutdown_while_a_cell_is_busy(self):
        km, kc = start_new_kernel(kernel_name="tasklab")
        try:
            proc = km.provisioner.process
            kc.execute("while (true) { }")
            time.sleep(1.0)
            kc.shutdown()
            reply = kc.get_control_msg(timeout=TIMEOUT)
            self.assertEqual(reply["msg_type"], "shutdown_reply")
            self.assertEqual(proc.wait(timeout=5), 0)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_restart_while_a_cell_is_busy(self):
        km, kc = start_new_kernel(kernel_name="tasklab")
        try:
            old = km.provisioner.process
            kc.execute("while (true) { }")
            time.sleep(1.0)
            km.restart_kernel(now=False)
            self.assertIsNotNone(old.poll())  # the busy process is gone
            kc.wait_for_ready(timeout=TIMEOUT)
            _, out = run(kc, "6*7")
            self.assertEqual(result_text(out), "42")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
