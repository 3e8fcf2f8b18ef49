"""`./tasklab hub ...`: a JupyterHub for a course on one Debian machine (Debian's jupyterhub 3.x).

  start   [--dir DIR] [--users a,b,...] [--admins t,...] [--port N] [--ip IP] [--tutorials DIR]
          [--kernel-heap 1G] [--cull-idle SECONDS] [--course-id ID] [--kernel-prefix DIR]
          set up (kernelspec system-wide, tutorials released read-only, exchange folders) and
          start the hub in the background; run again: nothing changes if nothing changed
  stop    [--dir DIR]      stop the hub, the proxy and every student's server and kernel
  status  [--dir DIR]      running or not, the URL, each user's server
  release ASSIGNMENT       course/release/ASSIGNMENT (the student version) -> the exchange
  collect ASSIGNMENT       latest submission of each student -> course/submitted/<student>/ASSIGNMENT/
  grade   ASSIGNMENT       ./tasklab homework autograde + feedback on course/ (skipped if missing)
  return  ASSIGNMENT       course/feedback/<student>/ASSIGNMENT/ -> each student's exchange folder

DIR defaults to /srv/tasklab-hub. Students log in with their Unix account and password (PAM).
Runs as root: the hub starts each student's server as that student.
"""
import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"
DEFAULTS = {"ip": "127.0.0.1", "port": 8000, "hub_port": 8081, "proxy_api_port": 8001,
            "users": [], "admins": [], "tutorials": os.path.join(REPO, "notebooks", "tutorials"),
            "kernel_heap": "1G", "cull_idle": 3600, "cull_interval": 300, "cull_busy": True, "server_idle": 7200, "course_id": "tasklab",
            "kernel_prefix": "/usr/local"}
# Settings the running hub reads at start: a change to one of them needs a restart.
HUB_KEYS = ("ip", "port", "hub_port", "proxy_api_port", "users", "admins", "cull_idle",
            "cull_interval", "cull_busy", "server_idle", "course_id", "jupyter_path", "kernel_heap")


def say(*a):
    print("tasklab hub:", *a, flush=True)


def fail(msg, code=1):
    say(msg)
    sys.exit(code)


# ---------------------------------------------------------------- state and settings
class Hub:
    def __init__(self, state):
        self.dir = os.path.abspath(state)
        self.settings_file = os.path.join(self.dir, "settings.json")

    def path(self, *p):
        return os.path.join(self.dir, *p)

    def settings(self):
        if not os.path.exists(self.settings_file):
            fail("no hub set up in %s (run ./tasklab hub start first)" % self.dir)
        return json.load(open(self.settings_file))

    def url(self, s=None):
        s = s or self.settings()
        return "http://%s:%d" % (s["ip"], s["port"])

    def exchange(self, s, *p):
        return self.path("exchange", s["course_id"], *p)

    def course(self, *p):
        return self.path("course", *p)

    def pid(self):
        try:
            pid = int(open(self.path("jupyterhub.pid")).read().strip())
        except (OSError, ValueError):
            return None
        return pid if self.ours(pid) else None

    def ours(self, pid):
        """True when pid is alive and was started by this hub (its environment names this DIR)."""
        try:
            env = open("/proc/%d/environ" % pid, "rb").read().split(b"\0")
        except OSError:
            return False
        return ("TASKLAB_HUB_DIR=" + self.dir).encode() in env

    def processes(self):
        """Every process of this hub: the hub, the proxy, each student's server and kernel."""
        me = os.getpid()
        return sorted(int(p) for p in os.listdir("/proc")
                      if p.isdigit() and int(p) != me and self.ours(int(p)))

    def api(self, method, path, body=None, token=None):
        s = self.settings()
        token = token or open(self.path("service_token")).read().strip()
        req = urllib.request.Request(self.url(s) + "/hub/api" + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "token " + token})
        with urllib.request.urlopen(req, timeout=30) as r:
            data = r.read()
        return json.loads(data) if data else None


def write_secret(path, nbytes=32):
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, secrets.token_hex(nbytes).encode())
        os.close(fd)
    os.chmod(path, 0o600)


def release_tree(src, dest):
    """A read-only copy owned by root: directories 0755, files 0644 (students read, never write)."""
    tmp = dest + ".new"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for root, dirs, files in os.walk(tmp):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(tmp, dest)


def names(text):
    return sorted({n.strip() for n in (text or "").split(",") if n.strip()})


# ---------------------------------------------------------------- start / stop / status
def install_kernelspec(hub, s):
    """The tasklab kernelspec in PREFIX/share/jupyter/kernels (system-wide for /usr/local), with
    the per-kernel JVM heap cap, readable by every student."""
    subprocess.run([os.path.join(REPO, "jupyter-kernel", "bin", "install-kernelspec"),
                    "--prefix", s["kernel_prefix"], "--replace", "--quiet"], check=True)
    spec_dir = os.path.join(s["kernel_prefix"], "share", "jupyter", "kernels", "tasklab")
    spec_file = os.path.join(spec_dir, "kernel.json")
    spec = json.load(open(spec_file))
    argv = [a for a in spec["argv"] if not a.startswith("-Xmx")]
    argv.insert(1, "-Xmx" + s["kernel_heap"].lower())
    spec["argv"] = argv
    json.dump(spec, open(spec_file, "w"), indent=2)
    for root, dirs, files in os.walk(os.path.join(s["kernel_prefix"], "share", "jupyter")):
        os.chmod(root, os.stat(root).st_mode | 0o755)
        for f in files:
            p = os.path.join(root, f)
            os.chmod(p, os.stat(p).st_mode | 0o644)
    return spec_dir


def cmd_start(hub, a):
    if os.geteuid() != 0:
        fail("the hub runs as root (it starts each student's server as that student)")
    os.makedirs(hub.dir, exist_ok=True)
    os.chmod(hub.dir, 0o755)
    old = json.load(open(hub.settings_file)) if os.path.exists(hub.settings_file) else {}
    s = dict(DEFAULTS, **old)
    for k in ("ip", "port", "hub_port", "proxy_api_port", "kernel_heap", "cull_idle",
              "cull_interval", "cull_busy", "server_idle", "course_id", "tutorials", "kernel_prefix"):
        v = getattr(a, k)
        if v is not None:
            s[k] = os.path.abspath(v) if k in ("tutorials", "kernel_prefix") else v
    if a.users is not None:
        s["users"] = names(a.users)
    if a.admins is not None:
        s["admins"] = names(a.admins)
    s["repo"] = REPO
    std = ("/usr/local", "/usr")
    s["jupyter_path"] = None if s["kernel_prefix"] in std else os.path.join(s["kernel_prefix"], "share", "jupyter")
    for u in s["users"] + s["admins"]:
        try:
            pwd.getpwnam(u)
        except KeyError:
            fail("no Unix account '%s' on this machine (make it with: useradd -m %s; passwd %s)" % (u, u, u))
    if not s["users"]:
        say("no students yet: give them with --users a,b,... (Unix accounts; kept for the next start)")

    # secrets (0600, root's), the kernelspec, the tutorials, the exchange
    for f in ("cookie_secret", "proxy_token", "service_token"):
        write_secret(hub.path(f))
    os.makedirs(hub.path("bin"), exist_ok=True)
    os.chmod(hub.path("bin"), 0o755)
    for src in ("singleuser", os.path.join("student", "tasklab-homework")):
        dest = hub.path("bin", os.path.basename(src))
        shutil.copyfile(os.path.join(REPO, "hub", src), dest)
        os.chmod(dest, 0o755)
    spec = install_kernelspec(hub, s)
    say("kernelspec 'tasklab' in %s (JVM heap -Xmx%s)" % (spec, s["kernel_heap"].lower()))
    if os.path.isdir(s["tutorials"]):
        release_tree(s["tutorials"], hub.path("tutorials"))
        n = len([f for f in os.listdir(hub.path("tutorials")) if f.endswith(".ipynb")])
        say("tutorials released read-only: %d notebooks from %s (each student's copy: ~/tutorials)" % (n, s["tutorials"]))
    else:
        say("no tutorials at %s yet; students start with an empty home" % s["tutorials"])
    for d, mode in (("outbound", 0o755), ("inbound", 0o1733), ("feedback", 0o711)):
        os.makedirs(hub.exchange(s, d), exist_ok=True)
        os.chmod(hub.exchange(s, d), mode)
    os.chmod(hub.path("exchange"), 0o755)
    os.chmod(hub.exchange(s), 0o755)
    for d in ("source", "release", "submitted", "autograded", "feedback"):
        os.makedirs(hub.course(d), exist_ok=True)
    os.chmod(hub.course(), 0o700)

    changed = any(old.get(k) != s.get(k) for k in HUB_KEYS)
    json.dump(s, open(hub.settings_file, "w"), indent=2)
    pid = hub.pid()
    if pid and not changed:
        say("already running (pid %d) at %s/ - nothing changed" % (pid, hub.url(s)))
        return
    if pid:
        say("settings changed: restarting the hub (students' servers stop; their files stay)")
        cmd_stop(hub, a)
    log = open(hub.path("jupyterhub.log"), "ab")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env["TASKLAB_HUB_DIR"] = hub.dir
    proc = subprocess.Popen([PY, "-m", "jupyterhub", "-f", os.path.join(REPO, "hub", "jupyterhub_config.py")],
                            cwd=hub.dir, env=env, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            tail = open(hub.path("jupyterhub.log"), errors="replace").read()[-3000:]
            fail("the hub exited (code %s); the end of %s:\n%s" % (proc.returncode, hub.path("jupyterhub.log"), tail))
        try:
            hub.api("GET", "/")
            break
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    else:
        fail("the hub did not answer within 90 s; see %s" % hub.path("jupyterhub.log"))
    say("running (pid %d) at %s/ for %s; log %s" % (proc.pid, hub.url(s),
        ", ".join(s["users"] + s["admins"]) or "nobody yet", hub.path("jupyterhub.log")))


def cmd_stop(hub, a):
    if os.geteuid() != 0:
        fail("stopping the hub needs root, as starting it did")
    pid = hub.pid()
    if pid:
        os.kill(pid, signal.SIGTERM)   # the hub stops the students' servers and the proxy itself
        for _ in range(120):
            if not hub.ours(pid):
                break
            time.sleep(0.25)
    left = hub.processes()
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        for p in left:
            try:
                os.kill(p, sig)
            except ProcessLookupError:
                pass
        for _ in range(wait * 4):
            left = [p for p in left if hub.ours(p)]
            if not left:
                break
            time.sleep(0.25)
    if left:
        fail("processes still running after SIGKILL: %s" % left)
    for f in ("jupyterhub.pid", "proxy.pid"):
        try:
            os.remove(hub.path(f))
        except FileNotFoundError:
            pass
    say("stopped" if pid else "was not running; nothing of it is left")


def cmd_status(hub, a):
    s = hub.settings()
    pid = hub.pid()
    if not pid:
        say("not running (settings in %s)" % hub.settings_file)
        sys.exit(3)
    say("running (pid %d) at %s/" % (pid, hub.url(s)))
    for u in hub.api("GET", "/users"):
        srv = u.get("servers", {}).get("", {})
        state = "server ready" if srv.get("ready") else ("server starting" if srv else "no server")
        print("  %-16s %-6s %s%s" % (u["name"], "admin" if u.get("admin") else "", state,
                                     "  last activity " + u["last_activity"] if u.get("last_activity") else ""))
    print("  processes: %d (hub, proxy, servers, kernels)" % len(hub.processes()))


# ---------------------------------------------------------------- homework (nbgrader's layout)
def homework_command():
    """The kit's homework command (./tasklab homework, issue 13) when this checkout has it."""
    text = open(os.path.join(REPO, "tasklab")).read()
    return any(l.strip().startswith(("homework)", "homework|")) for l in text.splitlines())


def check_name(name):
    if not name or not all(ch.isalnum() or ch in "._-" for ch in name) or name.startswith("."):
        fail("an assignment name is letters, digits, '.', '_' or '-' (got %r)" % name, 2)


def homework(hub, s, *args):
    """./tasklab homework ARGS --course COURSE, with the hub's kernelspec visible to its grader."""
    env = dict(os.environ)
    if s.get("jupyter_path"):
        env["JUPYTER_PATH"] = s["jupyter_path"]
    subprocess.run([os.path.join(REPO, "tasklab"), "homework", *args, "--course", hub.course()],
                   check=True, env=env, cwd=hub.dir)


def cmd_release(hub, a):
    s = hub.settings()
    check_name(a.assignment)
    rel = hub.course("release", a.assignment)
    if not os.path.isdir(rel):
        sources = (hub.course("source", a.assignment), os.path.join(REPO, "notebooks", "homework", a.assignment))
        if any(os.path.isdir(d) for d in sources) and homework_command():
            homework(hub, s, "release", a.assignment)   # source -> course/release (student version)
        else:
            fail("no student version in %s: make it from course/source/%s with `./tasklab homework "
                 "release` (or nbgrader generate_assignment) first" % (rel, a.assignment))
    release_tree(rel, hub.exchange(s, "outbound", a.assignment))
    say("released %s: students get ~/homework/%s at their next server start, or now with "
        "`tasklab-homework fetch` in a Notebook terminal" % (a.assignment, a.assignment))


def cmd_collect(hub, a):
    s = hub.settings()
    check_name(a.assignment)
    inbound = hub.exchange(s, "inbound")
    latest = {}
    for entry in sorted(os.listdir(inbound)):   # <student>+<assignment>+<UTC time>: sorted = oldest first
        parts = entry.split("+")
        if len(parts) == 3 and parts[1] == a.assignment:
            latest[parts[0]] = entry
    for student, entry in sorted(latest.items()):
        dest = hub.course("submitted", student, a.assignment)
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(os.path.join(inbound, entry), dest)
        say("collected %s from %s (%s)" % (a.assignment, student,
            open(os.path.join(dest, "timestamp.txt")).read().strip()))
    say("%d submission(s) of %s in %s" % (len(latest), a.assignment, hub.course("submitted")))


def cmd_grade(hub, a):
    s = hub.settings()
    check_name(a.assignment)
    if not homework_command():
        say("grading skipped: this checkout has no `./tasklab homework` command yet (issue 13); "
            "the submissions wait in %s/<student>/%s/" % (hub.course("submitted"), a.assignment))
        return
    homework(hub, s, "autograde", a.assignment)   # course/submitted -> autograded + gradebook
    homework(hub, s, "feedback", a.assignment)    # -> course/feedback/<student>/<assignment>/


def cmd_return(hub, a):
    s = hub.settings()
    check_name(a.assignment)
    fb = hub.course("feedback")
    n = 0
    for student in sorted(os.listdir(fb)):
        src = os.path.join(fb, student, a.assignment)
        if not os.path.isdir(src):
            continue
        try:
            pw = pwd.getpwnam(student)
        except KeyError:
            say("skipped feedback for %s: no such Unix account" % student)
            continue
        mine = hub.exchange(s, "feedback", student)
        os.makedirs(mine, exist_ok=True)
        dest = os.path.join(mine, a.assignment)
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest)
        for root, dirs, files in os.walk(mine):   # the student's own, nobody else's
            os.chown(root, pw.pw_uid, pw.pw_gid)
            os.chmod(root, 0o700)
            for f in files:
                os.chown(os.path.join(root, f), pw.pw_uid, pw.pw_gid)
                os.chmod(os.path.join(root, f), 0o600)
        n += 1
    if n == 0:
        say("no feedback in %s/<student>/%s/ yet (grade first)" % (fb, a.assignment))
    else:
        say("returned feedback on %s to %d student(s): `tasklab-homework fetch` puts it in "
            "~/homework/%s/feedback/" % (a.assignment, n, a.assignment))


def main(argv):
    p = argparse.ArgumentParser(prog="./tasklab hub", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("start", "stop", "status", "release", "collect", "grade", "return"):
        q = sub.add_parser(name)
        q.add_argument("--dir", default="/srv/tasklab-hub", help="the hub's folder (default /srv/tasklab-hub)")
        if name == "start":
            q.add_argument("--users", help="students: Unix accounts, comma-separated")
            q.add_argument("--admins", help="teachers: Unix accounts, comma-separated")
            q.add_argument("--ip")
            q.add_argument("--port", type=int)
            q.add_argument("--hub-port", type=int)
            q.add_argument("--proxy-api-port", type=int)
            q.add_argument("--tutorials", help="folder of tutorial notebooks (default notebooks/tutorials)")
            q.add_argument("--kernel-heap", help="JVM heap cap per kernel, e.g. 1G")
            q.add_argument("--cull-idle", type=int, help="seconds before an idle kernel is shut down")
            q.add_argument("--cull-interval", type=int, help="seconds between culler checks")
            q.add_argument("--cull-busy", action=argparse.BooleanOptionalAction, default=None,
                           help="cull a busy kernel too after cull-idle seconds without output (default on)")
            q.add_argument("--server-idle", type=int, help="seconds before an unused server stops itself")
            q.add_argument("--course-id")
            q.add_argument("--kernel-prefix", help="kernelspec prefix (default /usr/local: system-wide)")
        if name in ("release", "collect", "grade", "return"):
            q.add_argument("assignment")
    a = p.parse_args(argv)
    hub = Hub(a.dir)
    {"start": cmd_start, "stop": cmd_stop, "status": cmd_status, "release": cmd_release,
     "collect": cmd_collect, "grade": cmd_grade, "return": cmd_return}[a.cmd](hub, a)


if __name__ == "__main__":
    main(sys.argv[1:])
