"""The README's lab example as a notebook, executed by nbconvert through the installed kernel:
the pagemap shows as an HTML table, explain() as HTML, the COW picture as SVG (issue 11)."""
import os
import subprocess
import tempfile
import unittest
import xml.dom.minidom
from pathlib import Path

import nbformat

PY = "/usr/bin/python3"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


class LabExampleTests(unittest.TestCase):
    def test_lab_example_gives_html_table_explanation_and_svg(self):
        with tempfile.TemporaryDirectory() as out_dir:
            subprocess.run([PY, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                            "--ExecutePreprocessor.timeout=120", "--output-dir", out_dir,
                            str(NOTEBOOKS / "lab-example.ipynb")], check=True, capture_output=True, timeout=300)
            nb = nbformat.read(os.path.join(out_dir, "lab-example.ipynb"), as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        self.assertFalse([o for o in outputs if o.output_type == "error"], outputs)
        self.assertFalse([o for o in outputs if o.output_type == "stream" and o.name == "stderr"])
        shown = [o for o in outputs if o.output_type == "execute_result"]
        self.assertEqual(3, len(shown), "the table, the explanation and the picture")
        table, explanation, picture = shown
        self.assertIn("<table", table.data["text/html"])
        self.assertIn("page_count", table.data["text/html"])
        self.assertIn("do_wp_page", explanation.data["text/html"])
        self.assertIn("(R9.5)", explanation.data["text/plain"])
        svg = picture.data["image/svg+xml"]
        root = xml.dom.minidom.parseString(svg).documentElement
        self.assertEqual("svg", root.tagName)
        self.assertIn("frame", picture.data["text/plain"])


if __name__ == "__main__":
    unittest.main()
