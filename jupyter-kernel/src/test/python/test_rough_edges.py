"""Issue 16's rough edges, each as a first-session user meets it (and issue 13's assertions)."""
import json
import os
import re
import tempfile
import time
import unittest

import zmq
from jupyter_client.manager import start_new_kernel

from test_robustness import TIMEOUT, result_text, run


def kernel_java_home(km):
    return os.path.dirname(os.path.dirname(km.kernel_spec.argv[0]))


class RoughEdgeTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stderr = tempfile.TemporaryFile()
        cls.km, cls.kc = start_new_kernel(kernel_name="tasklab", stderr=cls.stderr)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)
        cls.stderr.close()

    def test_display_does_not_echo_its_id(self):
        reply, out = run(self.kc, "display(1);")
        self.assertEqual([m["msg_type"] for m in out if m["msg_type"] != "execute_input" and m["msg_type"] != "status"],
                         ["display_data"])
        # the id is still returned for updateDisplay (IJava's signature)
        reply, out = run(self.kc, 'String id = display("a");\nupdateDisplay(id, "b");\nid.length()')
        self.assertEqual(result_text(out), "36")

    def test_display_with_a_mime_type_uses_the_text(self):
        _, out = run(self.kc, 'display("<b>x</b>", "text/html");')
        shown = [m for m in out if m["msg_type"] == "display_data"]
        self.assertEqual(shown[0]["content"]["data"]["text/html"], "<b>x</b>")

    def reply_to(self, msg_id):
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        return reply["content"]

    def inspect(self, code):
        return self.reply_to(self.kc.inspect(code, len(code)))

    def test_inspect_shows_kernel_sim_javadoc_readably(self):
        c = self.inspect("Kernel.boot")
        self.assertTrue(c["found"])
        text = c["data"]["text/plain"]
        self.assertIn("Boots a kernel", text)
        c = self.inspect("Pte.PRESENT")
        self.assertIn("_PAGE_PRESENT", c["data"]["text/plain"])
        for raw in ("{@code", "{@link", "<p>"):
            self.assertNotIn(raw, text + c["data"]["text/plain"])

    def test_inspect_shows_jdk_javadoc_when_src_zip_is_installed(self):
        home = kernel_java_home(self.km)
        if not os.path.exists(os.path.join(home, "lib", "src.zip")):
            self.skipTest(f"{home}/lib/src.zip missing (Debian: openjdk-17-source, installed by ./tasklab start and ./tasklab test)")
        text = self.inspect("Math.max")["data"]["text/plain"]
        self.assertIn("Returns the greater of two", text)
        self.assertIn("Parameters:", text)
        self.assertNotIn("{@code", text)

    def complete(self, code):
        return self.reply_to(self.kc.complete(code, len(code)))

    def test_completion_sees_this_cells_declarations_and_magics(self):
        c = self.complete("int abcde = 1;\nabc")
        self.assertIn("abcde", c["matches"])
        self.assertEqual(c["cursor_start"], len("int abcde = 1;\n"))
        c = self.complete('var tbl = Table.create("t");\ntbl.rowC')
        self.assertIn("rowCount()", c["matches"])
        c = self.complete("%cla")
        self.assertEqual(c["matches"], ["classpath"])
        self.assertEqual(c["cursor_start"], 1)
        self.assertIn("time", self.complete("%%ti")["matches"])

    def test_classpath_and_jars_name_missing_paths(self):
        reply, _ = run(self.kc, "%classpath /no/such/dir /tmp")
        self.assertEqual(reply["status"], "error")
        self.assertIn("/no/such/dir", reply["evalue"])
        reply, _ = run(self.kc, "%jars /no/such/*.jar")
        self.assertEqual(reply["status"], "error")
        self.assertIn("/no/such/*.jar", reply["evalue"])

    def test_no_jshell_internals_and_an_import_hint(self):
        reply, _ = run(self.kc, "Object o = null;\no.toString();")
        text = reply["evalue"] + "\n".join(reply["traceback"])
        self.assertIn('"o" is null', text)
        self.assertNotIn("$JShell", text)
        reply, _ = run(self.kc, 'Pattern p = Pattern.compile("a+");')
        text = "\n".join(reply["traceback"])
        self.assertIn("import java.util.regex.Pattern;", text)
        self.assertNotRegex(text, r"location: class\s*(\n|$)")
        reply, _ = run(self.kc, "Color c;")
        self.assertIn("import java.awt.Color;", "\n".join(reply["traceback"]))

    def test_header_dates_have_at_most_6_fractional_digits(self):
        with open(self.km.connection_file) as f:
            info = json.load(f)
        ctx = zmq.Context.instance()
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        sub.connect(f"{info['transport']}://{info['ip']}:{info['iopub_port']}")
        try:
            time.sleep(0.5)  # let the subscription reach the kernel
            run(self.kc, "1 + 1")
            dates = []
            while sub.poll(1000):
                frames = sub.recv_multipart()
                i = frames.index(b"<IDS|MSG>")
                dates.append(json.loads(frames[i + 2])["date"])
        finally:
            sub.close(0)
        self.assertTrue(dates)
        for d in dates:
            self.assertRegex(d, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")

    def test_simulator_objects_have_useful_text(self):
        run(self.kc, "var k = Kernel.boot(KernelConfig.of(KernelVersion.LINUX_2_6));")
        for expr, expect in (("k", "Linux 2.6.22"), ("k.machine()", "MiB RAM"), ("k.counters()", "counters of"),
                             ("k.tasks().get(1)", "["), ("k.config().cpu()", "MHz"), ("k.counters().snapshot()", "")):
            _, out = run(self.kc, expr)
            text = result_text(out)
            self.assertIsNotNone(text, expr)
            self.assertIn(expect, text)
            self.assertIsNone(re.search(r"\w@[0-9a-f]{5,}$", text.strip()), f"{expr} shows {text}")

    def test_junit_assertions_are_imported_and_fail_cleanly(self):
        reply, _ = run(self.kc, 'assertEquals(4, 2 + 2, "two and two");\nassertTrue(true);')
        self.assertEqual(reply["status"], "ok")
        reply, _ = run(self.kc, 'int x = 3;\nassertEquals(2, x, "x should be two");')
        self.assertEqual(reply["status"], "error")
        self.assertTrue(reply["ename"].endswith("AssertionFailedError"), reply["ename"])
        self.assertIn("x should be two", reply["evalue"])
        self.assertIn("expected: <2> but was: <3>", reply["evalue"])
        tb = "\n".join(reply["traceback"])
        for internal in ("jdk.jshell", "REPL.", "org.junit", "tasklab.jupyter", "$JShell"):
            self.assertNotIn(internal, tb)

    def test_zz_nothing_on_stderr_after_tablesaw_io(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write("a,b\n1,2\n3,4\n")
        try:
            reply, _ = run(self.kc, f'Table t = Table.read().csv("{f.name}");\nt.rowCount()')
            self.assertEqual(reply["status"], "ok", reply)
        finally:
            os.unlink(f.name)
        time.sleep(0.3)
        self.stderr.seek(0)
        self.assertEqual(self.stderr.read(), b"")


if __name__ == "__main__":
    unittest.main()
