# JupyterHub configuration for a tasklab course on one Debian machine (Debian's jupyterhub 3.x).
# Loaded by hub/tasklab_hub.py (`./tasklab hub start`), which writes the course's settings to
# $TASKLAB_HUB_DIR/settings.json first; nothing here is course-specific.
import json
import os

c = get_config()  # noqa: F821 (JupyterHub defines get_config)

STATE = os.environ["TASKLAB_HUB_DIR"]
S = json.load(open(os.path.join(STATE, "settings.json")))

# --- where it listens: the public proxy port, and the hub's and the proxy API's own ports ---
c.JupyterHub.ip = S["ip"]
c.JupyterHub.port = S["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S["hub_port"]
c.JupyterHub.base_url = "/"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % S["proxy_api_port"]
# Debian's configurable-http-proxy finds its modules in /usr/share/nodejs through Debian's node; a
# node from another source (NodeSource's, on many machines) needs NODE_PATH to find them.
c.ConfigurableHTTPProxy.command = ["/usr/bin/env", "NODE_PATH=/usr/share/nodejs:/usr/lib/nodejs",
                                   "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = os.path.join(STATE, "proxy.pid")
c.ConfigurableHTTPProxy.auth_token = open(os.path.join(STATE, "proxy_token")).read().strip()

# --- state: everything in the course's hub directory ---
c.JupyterHub.db_url = "sqlite:///" + os.path.join(STATE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "cookie_secret")
c.JupyterHub.pid_file = os.path.join(STATE, "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True   # `hub stop` stops every student's server too
c.JupyterHub.cleanup_proxy = True

# --- who: local Unix accounts, checked by PAM; only the roster may log in ---
c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"
c.Authenticator.allowed_users = set(S["users"]) | set(S["admins"])
c.Authenticator.admin_users = set(S["admins"])

# The kit's own service: `./tasklab hub status|release|...` talk to the hub with this token.
c.JupyterHub.services = [{"name": "tasklab",
                          "api_token": open(os.path.join(STATE, "service_token")).read().strip()}]
c.JupyterHub.load_roles = [{"name": "tasklab-service", "services": ["tasklab"],
                            "scopes": ["list:users", "read:users", "admin:users", "admin:servers"]}]

# --- each student's server: the classic Notebook (Debian's python3-notebook) on loopback ---
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.ip = "127.0.0.1"
# The wrapper makes the per-user copy of the tutorials (and fetches released homework) at first
# login, as the student, then execs jupyterhub-singleuser.
# Both scripts are copied into DIR/bin by `hub start`: students need not reach the checkout.
c.Spawner.cmd = [os.path.join(STATE, "bin", "singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/tree/tutorials"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
env = {
    "JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp",
    "TASKLAB_HUB_DIR": STATE,   # also marks every process of this hub, so `hub stop` finds leftovers
    "TASKLAB_TUTORIALS": os.path.join(STATE, "tutorials"),
    "TASKLAB_OUTBOUND": os.path.join(STATE, "exchange", S["course_id"], "outbound"),
    "TASKLAB_INBOUND": os.path.join(STATE, "exchange", S["course_id"], "inbound"),
    "PATH": os.path.join(STATE, "bin") + ":/usr/local/bin:/usr/bin:/bin",
}
if S.get("jupyter_path"):
    env["JUPYTER_PATH"] = S["jupyter_path"]   # a kernelspec outside the system-wide folders (tests)
c.Spawner.environment = env
# Per-user limits. The JVM heap cap is in the kernelspec (-Xmx); the notebook server culls kernels
# idle for cull_idle seconds (by default busy ones too, once silent that long: a runaway cell must
# not hold a JVM and a core for ever), and a
# server with no kernel and no activity for server_idle seconds stops itself (the hub sees it gone).
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=%d" % S["cull_idle"],
    "--MappingKernelManager.cull_interval=%d" % S["cull_interval"],
    "--MappingKernelManager.cull_connected=True",
    "--MappingKernelManager.cull_busy=%s" % bool(S["cull_busy"]),
    "--NotebookApp.shutdown_no_activity_timeout=%d" % S["server_idle"],
    "--MappingKernelManager.default_kernel_name=tasklab",
]
c.Spawner.mem_limit = S["kernel_heap"]   # informational for LocalProcessSpawner (MEM_LIMIT)
