"""Real front ends against the installed kernelspec: nbconvert --execute and jupyter console."""
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import nbformat

PY = "/usr/bin/python3"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def execute_notebook(name):
    """Runs notebooks/NAME through `jupyter nbconvert --execute` and the installed kernel; returns
    the executed notebook's code-cell outputs (asserting no error and nothing on stderr)."""
    with tempfile.TemporaryDirectory() as out_dir:
        subprocess.run([PY, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=120", "--output-dir", out_dir,
                        str(NOTEBOOKS / name)], check=True, capture_output=True, timeout=300)
        nb = nbformat.read(os.path.join(out_dir, name), as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"], outputs
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"], outputs
    return outputs


class ClientTests(unittest.TestCase):
    def test_kernelspec_is_listed(self):
        out = subprocess.run([PY, "-m", "jupyter", "kernelspec", "list"], capture_output=True, text=True, check=True)
        self.assertIn("tasklab", out.stdout)

    def test_nbconvert_executes_smoke_notebook(self):
        outputs = execute_notebook("smoke.ipynb")
        html = [o for o in outputs if "data" in o and "text/html" in o.data]
        self.assertTrue(html and "<table" in html[0].data["text/html"])
        png = [o for o in outputs if "data" in o and "image/png" in o.data]
        self.assertTrue(png)
        self.assertIn("width", png[0].metadata.get("image/png", {}))

    def test_console_answers_a_cell(self):
        p = subprocess.run(["/usr/bin/jupyter-console", "--kernel", "tasklab", "--simple-prompt", "--ZMQTerminalInteractiveShell.kernel_timeout=60"],
                           input="6*7\nexit\n", capture_output=True, text=True, timeout=120)
        self.assertIn("42", p.stdout, p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
