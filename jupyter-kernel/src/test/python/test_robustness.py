"""The kernel under stress, through the real protocol (jupyter_client): errors, interrupts,
floods of output, forged messages, stdin, shutdown, where it listens, what it writes to stderr."""
import json
import os
import queue
import tempfile
import time
import unittest

from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 30


def run(kc, code, timeout=TIMEOUT, **kw):
    """Executes code; returns (reply content, list of iopub messages for it)."""
    msg_id = kc.execute(code, **kw)
    reply = None
    while reply is None:
        m = kc.get_shell_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") == msg_id:
            reply = m
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
        out.append(m)
    return reply["content"], out


def result_text(out):
    for m in out:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"]["text/plain"]
    return None


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for_warmup(pid, timeout=120):
    """The kernel warms its chart path in a background thread ("tasklab-warm-charts") once it is
    idle after start-up; a check that no core is left burning waits until that thread has ended."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        names = []
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/comm") as f:
                    names.append(f.read().strip())
            except OSError:
                pass
        if not any(n.startswith("tasklab-warm") for n in names):
            return
        time.sleep(0.2)


class KernelWithStderr:
    """Mixin for a TestCase: one kernel for the class, its stderr captured, and a last test that
    finds nothing written there (the normal path never writes to stderr). Not a TestCase itself,
    so unittest does not run it on its own."""

    @classmethod
    def setUpClass(cls):
        cls.stderr = tempfile.TemporaryFile()
        cls.km, cls.kc = start_new_kernel(kernel_name="tasklab", stderr=cls.stderr)
        cls.pid = cls.km.provisioner.process.pid

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)
        cls.stderr.close()

    def assertNothingOnStderr(self):
        time.sleep(0.2)
        self.stderr.seek(0)
        self.assertEqual(self.stderr.read(), b"")

    def test_zz_nothing_on_stderr(self):
        self.assertNothingOnStderr()


class KernelRobustnessTests(KernelWithStderr, unittest.TestCase):

    def setUp(self):
        # drop anything left over from an earlier test
        for get in (self.kc.get_shell_msg, self.kc.get_iopub_msg):
            while True:
                try:
                    get(timeout=0.05)
                except queue.Empty:
                    break

    def test_error_is_clean_and_kernel_lives(self):
        reply, out = run(self.kc, "int[] a = new int[1];\nint f() { return a[3]; }\nf();")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "java.lang.ArrayIndexOutOfBoundsException")
        tb = "\n".join(reply["traceback"])
        for internal in ("jdk.jshell", "tasklab.jupyter", "java.lang.reflect", "jdk.internal", "REPL.$JShell"):
            self.assertNotIn(internal, tb)
        self.assertIn("at f", tb)
        reply, out = run(self.kc, "6*7")
        self.assertEqual(result_text(out), "42")

    def test_compile_error_points_at_the_line(self):
        reply, out = run(self.kc, "int ok = 1;\nString s = 42;")
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "CompilationException")
        self.assertIn("cell line 2", reply["traceback"][0])

    def test_interrupt_stops_busy_loop_within_a_second_and_keeps_variables(self):
        run(self.kc, "int keep = 41;")
        msg_id = self.kc.execute("while (true) {}")
        time.sleep(1.0)  # let the loop get going (and JIT-compiled)
        t0 = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        elapsed = time.monotonic() - t0
        self.assertEqual(reply["content"]["status"], "error")
        self.assertLess(elapsed, 1.0, f"interrupt took {elapsed:.2f}s")
        # the loop is really gone: once the short clean-up after the stop is over (JIT, JShell
        # bookkeeping, the background chart warm-up), the kernel is not burning a core any more (a
        # live loop would show ~1.0)
        wait_for_warmup(self.pid)
        time.sleep(1.5)
        c0 = cpu_seconds(self.pid)
        time.sleep(1.0)
        self.assertLess(cpu_seconds(self.pid) - c0, 0.3)
        _, out = run(self.kc, "keep + 1")
        self.assertEqual(result_text(out), "42")

    def test_interrupt_stops_sleep(self):
        msg_id = self.kc.execute("Thread.sleep(60_000);")
        time.sleep(0.5)
        t0 = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertLess(time.monotonic() - t0, 1.0)
        _, out = run(self.kc, "1 + 1")
        self.assertEqual(result_text(out), "2")

    def test_huge_output_is_bounded(self):
        code = ('String line = "x".repeat(1023);\n'
                "for (int i = 0; i < 100 * 1024; i++) System.out.println(line);")  # 100 MiB
        reply, out = run(self.kc, code, timeout=120)
        self.assertEqual(reply["status"], "ok")
        text = "".join(m["content"]["text"] for m in out if m["msg_type"] == "stream")
        self.assertLess(len(text), 8 << 20)
        self.assertIn("output truncated", text)
        _, out = run(self.kc, "6*7")
        self.assertEqual(result_text(out), "42")

    def test_message_with_wrong_signature_is_ignored(self):
        forged = Session(key=b"not-the-key", signature_scheme="hmac-sha256")
        msg = forged.msg("execute_request", {"code": "int forged = 1;", "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        forged.send(self.kc.shell_channel.socket, msg)
        with self.assertRaises(queue.Empty):
            while True:
                m = self.kc.get_shell_msg(timeout=2)
                self.assertNotEqual(m["parent_header"].get("msg_id"), msg["header"]["msg_id"])
        reply, _ = run(self.kc, "forged")
        self.assertEqual(reply["status"], "error")  # never ran

    def test_stdin_input_request(self):
        msg_id = self.kc.execute('var sc = new Scanner(System.in);\nString name = sc.nextLine();\n"hi " + name',
                                 allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(req["msg_type"], "input_request")
        self.kc.input("tasklab")
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        _, out = run(self.kc, "name")
        self.assertEqual(result_text(out), "tasklab")

    def test_user_expressions(self):
        reply, _ = run(self.kc, "int ue = 20;", user_expressions={"twice": "ue * 2", "bad": "nope"})
        ue = reply["user_expressions"]
        self.assertEqual(ue["twice"]["status"], "ok")
        self.assertEqual(ue["twice"]["data"]["text/plain"], "40")
        self.assertEqual(ue["bad"]["status"], "error")

    def test_progress_updates_in_place(self):
        reply, out = run(self.kc, 'var p = progress("sim", 5);\nfor (int i = 1; i <= 5; i++) { Thread.sleep(120); p.update(i); }')
        self.assertEqual(reply["status"], "ok")
        types = [m["msg_type"] for m in out]
        self.assertIn("display_data", types)
        self.assertIn("update_display_data", types)

    def test_a_sweep_shows_the_progress_bar(self):
        code = ('var t = tasklab.lab.Sweep.of(p -> tasklab.lab.Result.of("y", p.getInt("x") * 2))'
                '.named("doubling").vary("x", 1, 2, 3).run();\nt.intColumn("y").get(2)')
        reply, out = run(self.kc, code)
        self.assertEqual(reply["status"], "ok")
        bars = [m for m in out if m["msg_type"] in ("display_data", "update_display_data")
                and "doubling" in m["content"]["data"].get("text/plain", "")]
        self.assertTrue(bars, [m["msg_type"] for m in out])
        self.assertIn("(3/3)", bars[-1]["content"]["data"]["text/plain"])
        self.assertEqual(result_text(out), "6")

    def test_time_magic_and_imports(self):
        reply, out = run(self.kc, "%%time\nTable t = Table.create(\"x\");\nPte.PRESENT")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(result_text(out), "1")
        self.assertTrue(any("Wall time" in m["content"].get("text", "") for m in out if m["msg_type"] == "stream"))

    def test_sockets_only_where_the_connection_file_says(self):
        with open(self.km.connection_file) as f:
            info = json.load(f)
        ports = {info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
        inodes = set()
        for fd in os.listdir(f"/proc/{self.pid}/fd"):
            try:
                link = os.readlink(f"/proc/{self.pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
        listening = []
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with open(table) as f:
                for line in f.readlines()[1:]:
                    p = line.split()
                    if p[3] == "0A" and p[9] in inodes:  # LISTEN, owned by the kernel
                        addr, port = p[1].rsplit(":", 1)
                        listening.append((addr, int(port, 16)))
        self.assertEqual({port for _, port in listening}, ports)
        for addr, _ in listening:
            # 127.0.0.1 as in the connection file (JeroMQ may use an IPv4-mapped IPv6 socket)
            self.assertIn(addr, ("0100007F", "0000000000000000FFFF00000100007F"))

    def test_zz_nothing_on_stderr(self):
        run(self.kc, 'System.err.println("to the notebook, not the process");')
        self.assertNothingOnStderr()


class KernelLifecycleTests(unittest.TestCase):
    def test_shutdown_request_ends_the_process(self):
        km, kc = start_new_kernel(kernel_name="tasklab")
        try:
            proc = km.provisioner.process
            run(kc, "int x = 1;")
            kc.shutdown()  # on the control channel
            reply = kc.get_control_msg(timeout=TIMEOUT)
            self.assertEqual(reply["msg_type"], "shutdown_reply")
            self.assertEqual(proc.wait(timeout=5), 0)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_restart(self):
        km, kc = start_new_kernel(kernel_name="tasklab")
        try:
            run(kc, "int before = 1;")
            km.restart_kernel(now=False)
            kc.wait_for_ready(timeout=TIMEOUT)
            reply, out = run(kc, "6*7")
            self.assertEqual(result_text(out), "42")
            reply, _ = run(kc, "before")
            self.assertEqual(reply["status"], "error")  # a fresh kernel
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
