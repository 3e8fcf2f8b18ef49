"""Installs the tasklab kernelspec into a temporary prefix once per test run.

The user's own Jupyter directories are never touched: JUPYTER_PATH / JUPYTER_DATA_DIR point
at the temporary prefix for every client the tests start (jupyter_client, nbconvert, console).
bin/test-kernel does this before pytest starts; running pytest directly works too.
"""
import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

MODULE = Path(__file__).resolve().parents[3]  # jupyter-kernel/


def _install():
    if os.environ.get("TASKLAB_TEST_PREFIX"):
        return
    prefix = tempfile.mkdtemp(prefix="tasklab-kernelspec-")
    atexit.register(shutil.rmtree, prefix, True)
    subprocess.run([str(MODULE / "bin" / "install-kernelspec"), "--prefix", prefix, "--replace", "--quiet"],
                   check=True)
    os.environ["TASKLAB_TEST_PREFIX"] = prefix
    os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")


_install()
os.environ.setdefault("JUPYTER_DATA_DIR", tempfile.mkdtemp(prefix="tasklab-jupyter-data-"))
os.environ.setdefault("JUPYTER_RUNTIME_DIR", tempfile.mkdtemp(prefix="tasklab-jupyter-runtime-"))
os.environ.setdefault("JUPYTER_CONFIG_DIR", tempfile.mkdtemp(prefix="tasklab-jupyter-config-"))
os.environ.setdefault("IPYTHONDIR", tempfile.mkdtemp(prefix="tasklab-ipython-"))
