"""A tiny builder for the tutorial notebooks, so every one has the same shape and is stored clean.

    nb = Tutorial("01-tasks-and-pids", requires=["text/html", "image/png"])
    nb.md("# Title ...")
    nb.code("var sim = Sim.boot();")
    nb.save()              # notebooks/tutorials/01-tasks-and-pids.ipynb, no outputs, nbformat 4.5

Cell ids are derived from the notebook name and the cell's position, so regenerating an unchanged
tutorial gives the same file byte for byte. Run `python3 notebooks/tools/make_tutorials.py`.
"""
import os
import re
import textwrap

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNELSPEC = {"name": "tasklab", "display_name": "Java (tasklab)", "language": "java"}


class Tutorial:
    def __init__(self, name, requires, folder="tutorials"):
        self.name, self.folder, self.requires = name, folder, list(requires)
        self.cells = []

    def _id(self):
        return f"{self.name[:2]}-{len(self.cells):03d}"

    def md(self, text):
        text = textwrap.dedent(text).strip("\n")
        # The classic Notebook styles <summary> as a plain block (no triangle, no hand cursor), so a
        # folded solution looked like a heading; say that it opens.
        text = re.sub(r"<summary>([^<]+)</summary>", r"<summary><b>\1</b> (click to show)</summary>", text)
        cell = new_markdown_cell(text)
        cell.id = self._id()
        self.cells.append(cell)

    def code(self, src):
        cell = new_code_cell(textwrap.dedent(src).strip("\n"))
        cell.id = self._id()
        self.cells.append(cell)

    def save(self):
        nb = new_notebook(cells=self.cells)
        nb.nbformat, nb.nbformat_minor = 4, 5
        nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "java"},
                       "tasklab": {"requires": self.requires}}
        nbformat.validate(nb)
        path = os.path.join(NOTEBOOKS, self.folder, self.name + ".ipynb")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        return path
