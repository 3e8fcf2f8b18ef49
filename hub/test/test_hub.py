"""The course hub end to end (issue 14): `./tasklab hub start` on loopback with two local test
users, both logged in through the hub's REST API (PAM password -> token), their servers started,
the notebook executed for each through the hub (kernels API + websocket through the proxy), the
users kept apart, the homework exchange, the idle-kernel culler, and `./tasklab hub stop` leaving
no process behind. Run as root (useradd, PAM, setuid spawner): hub/test/run.

TASKLAB_HUB_NOTEBOOK names the notebook (default: notebooks/tutorials/02-fork-and-cow.ipynb, else
the kernel's smoke notebook); its folder is released as the course's tutorials. The COW picture
(image/svg+xml) is required unless the notebook is the smoke fallback.
"""
import asyncio
import base64
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import pytest
from tornado import ioloop, websocket, httpclient

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "hub"))
import tasklab_hub  # noqa: E402

TUTORIAL = os.path.join(REPO, "notebooks", "tutorials", "02-fork-and-cow.ipynb")
SMOKE = os.path.join(REPO, "jupyter-kernel", "src", "test", "notebooks", "smoke.ipynb")
NOTEBOOK = os.path.abspath(os.environ.get("TASKLAB_HUB_NOTEBOOK") or (TUTORIAL if os.path.exists(TUTORIAL) else SMOKE))
NEED_SVG = os.path.abspath(NOTEBOOK) != os.path.abspath(SMOKE)
# seconds: the test waits for the culler, so keep it short; busy kernels are not culled in the test
# (a cell compiling for longer on a loaded machine is not idle)
CULL_IDLE = 12


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def tasklab(*args, check=True):
    r = subprocess.run([os.path.join(REPO, "tasklab"), *args], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    if check and r.returncode != 0:
        raise AssertionError("./tasklab %s exited %d:\n%s" % (" ".join(args), r.returncode, r.stdout))
    return r


class Course:
    """The hub under test: its folder, URL, the two students and their tokens."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="tasklab-hubtest-")
        tag = secrets.token_hex(3)
        self.users = ["tlh%s-a" % tag, "tlh%s-b" % tag]
        self.passwords = {u: secrets.token_urlsafe(12) for u in self.users}
        self.created = []
        self.port, self.hub_port, self.api_port = free_ports(3)
        self.url = "http://127.0.0.1:%d" % self.port
        self.tokens = {}
        self.hub = tasklab_hub.Hub(self.dir)

    def start_args(self):
        return ["hub", "start", "--dir", self.dir, "--users", ",".join(self.users),
                "--port", str(self.port), "--hub-port", str(self.hub_port),
                "--proxy-api-port", str(self.api_port), "--tutorials", os.path.dirname(NOTEBOOK),
                "--kernel-prefix", os.path.join(self.dir, "kernel-prefix"), "--kernel-heap", "512M",
                "--cull-idle", str(CULL_IDLE), "--cull-interval", "3", "--no-cull-busy", "--server-idle", "3600",
                "--course-id", "os101"]

    def request(self, method, path, token=None, body=None):
        """(status, parsed JSON or None) of a request through the proxy."""
        headers = {"Authorization": "token " + token} if token else {}
        req = urllib.request.Request(self.url + path, method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                data = r.read()
                return r.status, (json.loads(data) if data else None)
        except urllib.error.HTTPError as e:
            return e.code, None


def processes_of(uid):
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                st = open("/proc/%s/status" % p).read()
            except OSError:
                continue
            for line in st.splitlines():
                if line.startswith("Uid:") and int(line.split()[1]) == uid:
                    out.append(int(p))
    return out


@pytest.fixture(scope="module")
def course():
    if os.geteuid() != 0:
        pytest.fail("the hub test runs as root (it makes Unix users and the hub spawns as them)")
    c = Course()
    try:
        for u in c.users:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", u], check=True)
            c.created.append(u)
            subprocess.run(["chpasswd"], input="%s:%s\n" % (u, c.passwords[u]), text=True, check=True)
        c.start_output = tasklab(*c.start_args()).stdout
        yield c
    finally:
        stop = tasklab("hub", "stop", "--dir", c.dir, check=False)
        c.stop_output = stop.stdout
        left = c.hub.processes()
        leftovers = {u: processes_of(pwd.getpwnam(u).pw_uid) for u in c.created}
        for u in c.created:
            subprocess.run(["userdel", "--remove", u], stderr=subprocess.DEVNULL)
        shutil.rmtree(c.dir, ignore_errors=True)
        assert stop.returncode == 0, stop.stdout
        assert left == [], "processes of the hub still running after hub stop: %s" % left
        assert all(not v for v in leftovers.values()), "test users' processes left: %s" % leftovers


def login(c, user, password):
    """A token through the hub's REST API, authenticated by the PAM password (as a script would)."""
    status, body = c.request("POST", "/hub/api/users/%s/tokens" % user,
                             body={"auth": {"username": user, "password": password}, "note": "hub test"})
    return status, body


# ------------------------------------------------------------------ kernel through the hub
def run_notebook(c, user, path):
    """Starts a tasklab kernel on user's server through the proxy, executes every code cell of the
    notebook over the kernel's websocket, returns (outputs per cell, kernel id)."""
    token = c.tokens[user]
    status, kernel = c.request("POST", "/user/%s/api/kernels" % user, token, {"name": "tasklab"})
    assert status == 201, "starting a kernel for %s: HTTP %s" % (user, status)
    nb = json.load(open(path))
    cells = ["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
             for cell in nb["cells"] if cell["cell_type"] == "code"]

    async def go():
        ws_url = "ws://127.0.0.1:%d/user/%s/api/kernels/%s/channels?session_id=%s" % (
            c.port, user, kernel["id"], uuid.uuid4().hex)
        conn = await websocket.websocket_connect(httpclient.HTTPRequest(
            ws_url, headers={"Authorization": "token " + token}, request_timeout=60))
        results = []
        for code in cells:
            msg_id = uuid.uuid4().hex
            conn.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": user,
                           "session": "hubtest", "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
            outputs, reply, idle = [], None, False
            deadline = time.time() + 180
            while not (reply and idle):
                assert time.time() < deadline, "cell did not finish in 180 s: %s" % code[:80]
                try:
                    raw = await asyncio.wait_for(conn.read_message(), max(1, deadline - time.time()))
                except asyncio.TimeoutError:
                    raise AssertionError("cell did not finish in 180 s: %s" % code[:80])
                assert raw is not None, "the websocket closed while a cell ran"
                m = json.loads(raw)
                if m.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                t = m["header"]["msg_type"]
                if t in ("execute_result", "display_data", "stream", "error"):
                    outputs.append(dict(m["content"], output_type=t))
                elif t == "execute_reply":
                    reply = m["content"]
                elif t == "status" and m["content"]["execution_state"] == "idle":
                    idle = True
            results.append((code, reply, outputs))
        conn.close()
        return results

    return ioloop.IOLoop.current().run_sync(go, timeout=900), kernel["id"]


def check_outputs(results):
    """Every cell ok, nothing on stderr; a table as HTML, a chart as PNG, the COW picture as SVG."""
    mimes = {}
    for code, reply, outputs in results:
        assert reply["status"] == "ok", "cell failed: %s\n%s" % (code[:200], reply)
        for o in outputs:
            assert o["output_type"] != "error", "error output in: %s" % code[:200]
            assert not (o["output_type"] == "stream" and o["name"] == "stderr"), \
                "stderr output in: %s: %s" % (code[:120], o["text"][:300])
            for mime, value in o.get("data", {}).items():
                mimes.setdefault(mime, []).append(value)
    assert any("<table" in v for v in mimes.get("text/html", [])), "no HTML table among the outputs"
    pngs = mimes.get("image/png", [])
    assert pngs, "no PNG chart among the outputs"
    for v in pngs:
        assert base64.b64decode(v)[:8] == b"\x89PNG\r\n\x1a\n", "an image/png output is not a PNG"
    if NEED_SVG:
        assert any("<svg" in v for v in mimes.get("image/svg+xml", [])), "no SVG picture among the outputs"
    return mimes


# ------------------------------------------------------------------ the tests
def test_start_is_idempotent_and_serves_the_roster(course):
    assert "running (pid" in course.start_output
    pid = course.hub.pid()
    again = tasklab(*course.start_args()).stdout
    assert "nothing changed" in again and course.hub.pid() == pid, again
    status = tasklab("hub", "status", "--dir", course.dir).stdout
    for u in course.users:
        assert u in status, status
    spec = json.load(open(os.path.join(course.dir, "kernel-prefix", "share", "jupyter", "kernels",
                                       "tasklab", "kernel.json")))
    assert "-Xmx512m" in spec["argv"], spec["argv"]


def test_both_users_log_in_with_tokens_and_start_servers(course):
    a, b = course.users
    status, _ = login(course, a, "not-the-password")
    assert status == 403, "a wrong password must not give a token (HTTP %s)" % status
    for u in course.users:
        status, body = login(course, u, course.passwords[u])
        assert status == 201 and body["user"] == u, (status, body)
        course.tokens[u] = body["token"]
    for u in course.users:
        status, _ = course.request("POST", "/hub/api/users/%s/server" % u, course.tokens[u])
        assert status in (201, 202), "starting %s's server: HTTP %s" % (u, status)
    for u in course.users:
        deadline = time.time() + 120
        while True:
            _, model = course.request("GET", "/hub/api/users/%s" % u, course.tokens[u])
            if model["servers"].get("", {}).get("ready"):
                break
            assert time.time() < deadline, "%s's server not ready in 120 s" % u
            time.sleep(0.5)
    # first login: a writable copy of the released (read-only) tutorials
    name = os.path.basename(NOTEBOOK)
    for u in course.users:
        status, model = course.request("GET", "/user/%s/api/contents/tutorials/%s?content=0" % (u, name),
                                       course.tokens[u])
        assert status == 200 and model["writable"], (u, status, model)
    released = os.path.join(course.dir, "tutorials", name)
    assert os.stat(released).st_mode & 0o777 == 0o644 and os.stat(released).st_uid == 0


def test_notebook_runs_for_each_user_through_the_hub(course):
    per_user = {}
    course.kernels = {}
    for u in course.users:
        results, course.kernels[u] = run_notebook(course, u, NOTEBOOK)
        per_user[u] = check_outputs(results)
    a, b = course.users
    # fixed seed: both students see the same table
    assert per_user[a]["text/html"] == per_user[b]["text/html"]


def test_a_cannot_read_b_files_or_kernels(course):
    a, b = course.users
    ta = course.tokens[a]
    kid = course.kernels[b]
    name = os.path.basename(NOTEBOOK)
    for method, path in (("GET", "/user/%s/api/contents/tutorials/%s" % (b, name)),
                         ("GET", "/user/%s/api/kernels" % b),
                         ("GET", "/user/%s/api/kernels/%s" % (b, kid)),
                         ("DELETE", "/user/%s/api/kernels/%s" % (b, kid)),
                         ("GET", "/hub/api/users/%s" % b),
                         ("DELETE", "/hub/api/users/%s/server" % b)):
        status, _ = course.request(method, path, ta)
        assert status in (403, 404), "%s %s with %s's token: HTTP %s" % (method, path, a, status)
    # and B's own token still works: the kernel A tried to delete is alive
    status, model = course.request("GET", "/user/%s/api/kernels/%s" % (b, kid), course.tokens[b])
    assert status == 200 and model["id"] == kid
    # on the file system too: A's shell cannot read B's copy
    r = subprocess.run(["runuser", "-u", a, "--", "cat", os.path.join(pwd.getpwnam(b).pw_dir, "tutorials", name)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert r.returncode != 0 and "Permission denied" in r.stderr, r.stderr


def test_idle_kernels_are_culled(course):
    started = time.time()
    ids = {}
    for u in course.users:
        status, kernel = course.request("POST", "/user/%s/api/kernels" % u, course.tokens[u], {"name": "tasklab"})
        assert status == 201
        ids[u] = kernel["id"]
    deadline = started + CULL_IDLE + 40
    while True:
        alive = {u: [k["id"] for k in course.request("GET", "/user/%s/api/kernels" % u, course.tokens[u])[1]]
                 for u in course.users}
        if not any(ids[u] in alive[u] for u in course.users):
            break
        assert time.time() < deadline, "kernels not culled %d s after start (idle limit %d s): %s" % (
            time.time() - started, CULL_IDLE, alive)
        time.sleep(1)
    assert time.time() - started >= CULL_IDLE - 1, "culled before the idle limit"


def student(c, user, *args):
    """The student's homework command, as a student's Notebook terminal runs it."""
    env = {"HOME": pwd.getpwnam(user).pw_dir, "PATH": "/usr/bin:/bin",
           "TASKLAB_OUTBOUND": os.path.join(c.dir, "exchange", "os101", "outbound"),
           "TASKLAB_INBOUND": os.path.join(c.dir, "exchange", "os101", "inbound")}
    return subprocess.run(["runuser", "-u", user, "--", "env", "-i", *["%s=%s" % kv for kv in env.items()],
                           os.path.join(c.dir, "bin", "tasklab-homework"), *args],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def nb_cell(cell_id, source, grade, solution, locked, points=None):
    md = {"schema_version": 3, "grade": grade, "solution": solution, "locked": locked, "grade_id": cell_id}
    if points is not None:
        md["points"] = points
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "outputs": [],
            "metadata": {"nbgrader": md}, "source": source}


def hw0(answer_source):
    """A one-part assignment in nbgrader's format: an answer cell and a locked test cell."""
    return {"cells": [nb_cell("answer", answer_source, False, True, False),
                      nb_cell("test_faults", 'if (faults != 2) throw new AssertionError("2 COW faults expected, got " + faults);',
                              True, False, True, 1)],
            "metadata": {"kernelspec": {"name": "tasklab", "display_name": "Java (tasklab)", "language": "java"},
                         "language_info": {"name": "java"}},
            "nbformat": 4, "nbformat_minor": 5}


def test_homework_release_submit_collect_grade_return(course):
    a, b = course.users
    grader = tasklab_hub.homework_command()
    # the instructor version in course/source; without the kit's homework command (issue 13) the
    # test writes the student version itself, as nbgrader generate_assignment would leave it
    src = os.path.join(course.dir, "course", "source", "hw0")
    os.makedirs(src)
    json.dump(hw0("long faults = 0;\n// BEGIN SOLUTION\nfaults = 2;\n// END SOLUTION"),
              open(os.path.join(src, "hw0.ipynb"), "w"))
    if not grader:
        rel = os.path.join(course.dir, "course", "release", "hw0")
        os.makedirs(rel)
        json.dump(hw0("long faults = 0;\n// YOUR CODE HERE\nthrow new UnsupportedOperationException(\"TODO\");"),
                  open(os.path.join(rel, "hw0.ipynb"), "w"))
    out = tasklab("hub", "release", "--dir", course.dir, "hw0").stdout
    assert "released hw0" in out, out
    for u in course.users:
        r = student(course, u, "fetch")
        assert r.returncode == 0 and "fetched hw0" in r.stdout, r.stdout
    # A answers (this stands in for A's editor) and submits twice, the latest counts; B submits
    # the untouched copy
    home_a = pwd.getpwnam(a).pw_dir
    mine = os.path.join(home_a, "homework", "hw0", "hw0.ipynb")
    for answer in ("1", "2"):
        nb = json.load(open(mine))
        nb["cells"][0]["source"] = "long faults = 0;\nfaults = %s;" % answer
        json.dump(nb, open(mine, "w"))
        r = student(course, a, "submit", "hw0")
        assert r.returncode == 0 and "submitted hw0" in r.stdout, r.stdout
    r = student(course, b, "submit", "hw0")
    assert r.returncode == 0, r.stdout
    # students cannot see each other's submissions in the exchange
    inbound = os.path.join(course.dir, "exchange", "os101", "inbound")
    r = subprocess.run(["runuser", "-u", b, "--", "ls", inbound], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert r.returncode != 0, "a student can list the inbound folder: %s" % r.stdout
    out = tasklab("hub", "collect", "--dir", course.dir, "hw0").stdout
    assert "2 submission(s) of hw0" in out, out
    got = json.load(open(os.path.join(course.dir, "course", "submitted", a, "hw0", "hw0.ipynb")))
    assert "faults = 2;" in "".join(got["cells"][0]["source"])
    assert os.path.exists(os.path.join(course.dir, "course", "submitted", b, "hw0", "timestamp.txt"))
    out = tasklab("hub", "grade", "--dir", course.dir, "hw0", check=False)
    assert out.returncode == 0, out.stdout
    fb = os.path.join(course.dir, "course", "feedback", a, "hw0")
    if grader:
        for u in course.users:
            assert os.listdir(os.path.join(course.dir, "course", "feedback", u, "hw0")), out.stdout
    else:
        assert "grading skipped" in out.stdout, out.stdout
        print("\nhub test: " + out.stdout.strip())
        os.makedirs(fb)   # no grader yet: stand in for its per-student HTML
        open(os.path.join(fb, "hw0.html"), "w").write("<p>feedback for %s</p>" % a)
    # return: each student's feedback reaches that student only
    out = tasklab("hub", "return", "--dir", course.dir, "hw0").stdout
    assert "returned feedback on hw0" in out, out
    r = student(course, a, "fetch")
    assert "feedback for hw0" in r.stdout, r.stdout
    assert sorted(os.listdir(os.path.join(home_a, "homework", "hw0", "feedback"))) == sorted(os.listdir(fb))
    theirs = os.path.join(course.dir, "exchange", "os101", "feedback", a)
    r = subprocess.run(["runuser", "-u", b, "--", "ls", theirs], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert r.returncode != 0, "B can read A's feedback folder"


def test_stop_leaves_nothing(course):
    """Stops here (the fixture's stop then finds nothing) and checks what is left."""
    out = tasklab("hub", "stop", "--dir", course.dir).stdout
    assert "stopped" in out, out
    assert course.hub.processes() == []
    for u in course.users:
        assert processes_of(pwd.getpwnam(u).pw_uid) == [], "processes of %s left" % u
    with pytest.raises(urllib.error.URLError):
        course.request("GET", "/hub/api/")
