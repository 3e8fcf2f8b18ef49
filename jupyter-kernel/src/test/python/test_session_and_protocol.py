"""Issue 16: state that must survive what students paste and what clients send. Compile errors of
any kind leave earlier variables and later cells alone; malformed, deep, huge, non-UTF-8 or
unexpected messages get an error reply or are dropped, and the kernel answers the next cell."""
import json
import random
import tempfile
import time
import unittest

from jupyter_client.manager import start_new_kernel

from test_robustness import TIMEOUT, result_text, run


class SessionStateTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="tasklab")
        run(cls.kc, "int keep = 42;")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def assertKept(self):
        _, out = run(self.kc, "keep")
        self.assertEqual(result_text(out), "42")
        reply, out = run(self.kc, "int later = keep + 1;\nlater")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(result_text(out), "43")

    def test_string_literal_over_64_kib(self):
        reply, _ = run(self.kc, 'String pasted = "' + "0123456789" * 7000 + '";')
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "CompilationException")
        self.assertIn("64 KiB", reply["evalue"])
        self.assertIn("Files.readString", reply["evalue"])  # says what to do instead
        self.assertLess(len("".join(reply["traceback"])), 2000)  # the 70,000 characters are not echoed
        self.assertKept()

    def test_joined_literals_over_64_kib(self):
        half = "x" * 40000
        reply, _ = run(self.kc, f'String joined = "{half}" +\n "{half}";')
        self.assertEqual(reply["ename"], "CompilationException")
        self.assertKept()

    def test_code_too_large(self):
        reply, _ = run(self.kc, "int[] big = {" + ",".join(["7"] * 20000) + "};")
        self.assertEqual(reply["status"], "error")
        self.assertIn("code too large", reply["evalue"])
        self.assertKept()

    def test_other_compile_errors(self):
        for code in ("int keep = \"a string\";", "Strin s = \"x\";", "NoSuchType t;", "int f( {", "keep.foo();",
                     "class C { void m() { undefinedCall(); } }"):
            reply, _ = run(self.kc, code)
            self.assertEqual(reply["status"], "error", code)
            self.assertKept()

    def test_redeclaration_with_an_unknown_type(self):
        # JShell replaces `keep` with a "recoverable" placeholder before it finds Foo missing
        for code in ("Foo keep;", "Foo keep", "Foo keep = null;", "var keep = new Foo();", "List<Foo> keep;",
                     "Foo keep, other;", "Foo keep() { return null; }"):
            reply, _ = run(self.kc, code)
            self.assertEqual(reply["status"], "error", code)
            self.assertIn("Foo", reply["evalue"], code)
            self.assertKept()

    def test_failed_redeclaration_of_a_method_or_class_keeps_the_old_one(self):
        run(self.kc, "int twice(int x) { return 2 * x; }\nclass Box { int v = 5; }\nBox box = new Box();")
        for code in ("int twice(int x) { return nope(x); }", "int twice(int x) { return \"s\"; }",
                     "Foo twice(int x) { return null; }", "class Box extends Nope {}", "class Box { Foo v; }"):
            reply, _ = run(self.kc, code)
            self.assertEqual(reply["status"], "error", code)
            reply, out = run(self.kc, "twice(keep) + new Box().v + box.v")
            self.assertEqual(reply["status"], "ok", (code, reply))
            self.assertEqual(result_text(out), "94", code)
            self.assertKept()

    def test_exception_in_initializer_shows_its_cause(self):
        run(self.kc, "class Init { static int x = 1 / 0; }")
        reply, _ = run(self.kc, "Init.x")
        self.assertEqual(reply["ename"], "java.lang.ExceptionInInitializerError")
        self.assertIn("/ by zero", reply["evalue"])
        self.assertIn("java.lang.ArithmeticException", reply["evalue"])


def signed_frames(session, header, parent, metadata, content):
    parts = [p if isinstance(p, bytes) else p.encode("utf-8") for p in (header, parent, metadata, content)]
    return [b"<IDS|MSG>", session.sign(parts)] + parts


class ProtocolFuzzTests(unittest.TestCase):
    """Through the real shell socket, signed with the real key (a client bug, not an attacker)."""

    @classmethod
    def setUpClass(cls):
        cls.stderr = tempfile.TemporaryFile()
        cls.km, cls.kc = start_new_kernel(kernel_name="tasklab", stderr=cls.stderr)
        cls.proc = cls.km.provisioner.process
        run(cls.kc, "int keep = 42;")

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)
        cls.stderr.close()

    def header(self, msg_type="execute_request"):
        return json.dumps(self.kc.session.msg_header(msg_type), default=str)

    def send(self, frames):
        self.kc.shell_channel.socket.send_multipart(frames)

    def assertAlive(self):
        self.assertIsNone(self.proc.poll(), "the kernel process died")
        _, out = run(self.kc, "keep")
        self.assertEqual(result_text(out), "42")

    def test_nesting_100000_levels_deep(self):
        deep = '{"code": "1", "x": ' + "[" * 100000 + "]" * 100000 + "}"
        self.send(signed_frames(self.kc.session, self.header(), "{}", "{}", deep))
        deep_header = '{"msg_type": "execute_request", "a": ' + '{"b": ' * 100000 + "1" + "}" * 100000 + "}"
        self.send(signed_frames(self.kc.session, deep_header, "{}", "{}", "{}"))
        self.assertAlive()

    def test_malformed_truncated_and_non_utf8(self):
        s = self.kc.session
        self.send(signed_frames(s, self.header(), "{}", "{}", '{"code": "1 + 1", '))  # truncated JSON
        self.send(signed_frames(s, self.header(), "{}", "{}", b'{"code": "\xff\xfe\xfd"}'))  # not UTF-8
        self.send(signed_frames(s, self.header(), "{}", "{}", "[1, 2, 3]"))  # not an object
        self.send(signed_frames(s, "{}", "{}", "{}", "{}"))  # no msg_type
        self.send(signed_frames(s, self.header(), "{}", "{}", '{"code": "1"}')[:4])  # frames missing
        self.send([b"no delimiter at all", b"\x00\x01"])
        self.send([b"<IDS|MSG>"])
        self.assertAlive()

    def test_unexpected_types_and_requests(self):
        s = self.kc.session
        odd = json.dumps({"code": 5, "silent": "yes", "store_history": [], "user_expressions": [1, 2], "allow_stdin": None})
        self.send(signed_frames(s, self.header(), "{}", "{}", odd))
        self.send(signed_frames(s, self.header("complete_request"), "{}", "{}", '{"code": "Math.", "cursor_pos": "x"}'))
        self.send(signed_frames(s, self.header("inspect_request"), "{}", "{}", '{"code": null, "cursor_pos": -5}'))
        self.send(signed_frames(s, self.header("history_request"), "{}", "{}", '{"hist_access_type": "range", "start": "a"}'))
        self.assertAlive()
        # an unknown request gets an error reply, not silence
        msg = s.msg("no_such_request", {})
        s.send(self.kc.shell_channel.socket, msg)
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["content"]["status"], "error")

    def test_huge_message_is_dropped(self):
        huge = json.dumps({"code": "int dropped = 1; // " + "x" * (65 << 20)})
        self.send(signed_frames(self.kc.session, self.header(), "{}", "{}", huge))
        self.assertAlive()
        reply, _ = run(self.kc, "dropped")
        self.assertEqual(reply["status"], "error")  # never ran

    def test_random_mutations(self):
        rnd = random.Random(16)
        valid = json.dumps({"code": "int fuzz = 1;", "silent": False, "store_history": True,
                            "user_expressions": {"a": "fuzz"}, "allow_stdin": False, "stop_on_error": True}).encode()
        for _ in range(300):
            b = bytearray(valid)
            for _ in range(rnd.randint(1, 8)):
                op = rnd.random()
                i = rnd.randrange(len(b))
                if op < 0.4:
                    b[i] = rnd.randrange(256)
                elif op < 0.7:
                    del b[i:i + rnd.randint(1, 20)]
                else:
                    b[i:i] = rnd.choice([b"[", b"{", b'"', b"\\u12", b"\xc3", b"1e99999", b"-", b"}", b",", b"null"]) * rnd.randint(1, 50)
            self.send(signed_frames(self.kc.session, self.header(), "{}", "{}", bytes(b)))
        time.sleep(1.0)
        # drain whatever the accepted mutations produced
        while True:
            try:
                self.kc.get_shell_msg(timeout=2)
            except Exception:
                break
        self.assertAlive()

    def test_zz_nothing_on_stderr(self):
        time.sleep(0.2)
        self.stderr.seek(0)
        self.assertEqual(self.stderr.read(), b"")


if __name__ == "__main__":
    unittest.main()
