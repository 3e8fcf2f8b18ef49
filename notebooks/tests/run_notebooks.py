#!/usr/bin/python3
"""Checks and executes the tutorial and experiment notebooks through the real tasklab kernel.

  run_notebooks.py clean  [NOTEBOOK...]   stored clean: nbformat 4.5 valid, no outputs, kernelspec tasklab,
                                          metadata.tasklab.requires lists the MIME types it must produce
  run_notebooks.py run    [NOTEBOOK...]   executes each top to bottom (nbclient); fails on an error output,
                                          any stderr output, or a required MIME type never produced
  run_notebooks.py render OUTDIR [NB...]  executes each and writes OUTDIR/<folder>/<name>.html

The kernelspec `tasklab` must be findable (notebooks/bin/test-notebooks installs it into a temporary
prefix and sets JUPYTER_PATH). With no NOTEBOOK arguments: every notebooks/tutorials/*.ipynb and
notebooks/experiments/*.ipynb. Exit status 0 only when every notebook passes.
"""
import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = os.path.dirname(os.path.abspath(__file__))
NOTEBOOKS = os.path.dirname(HERE)
FOLDERS = ("tutorials", "experiments")
KERNEL = "tasklab"
CELL_TIMEOUT = int(os.environ.get("TASKLAB_CELL_TIMEOUT", "180"))


def all_notebooks():
    out = []
    for f in FOLDERS:
        out += sorted(glob.glob(os.path.join(NOTEBOOKS, f, "*.ipynb")))
    return out


def rel(path):
    return os.path.relpath(path, NOTEBOOKS)


def clean_problems(path):
    """Why a stored notebook is not clean (empty list when it is)."""
    problems = []
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    except Exception as e:  # unreadable JSON is a problem to report, not a crash
        return [f"cannot be read: {e}"]
    if (nb.get("nbformat"), nb.get("nbformat_minor")) != (4, 5):
        problems.append(f"nbformat is {nb.get('nbformat')}.{nb.get('nbformat_minor')}, must be 4.5")
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as e:
        problems.append(f"not valid nbformat: {e.message}")
    ks = nb.metadata.get("kernelspec", {})
    if ks.get("name") != KERNEL or ks.get("language") != "java":
        problems.append(f"kernelspec must be name '{KERNEL}', language 'java' (is {dict(ks)})")
    req = nb.metadata.get("tasklab", {}).get("requires")
    if not isinstance(req, list) or not req or not all(isinstance(m, str) and "/" in m for m in req):
        problems.append("metadata.tasklab.requires must list the MIME types the notebook must produce")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {i} is stored with outputs (clear them before committing)")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {i} is stored with an execution_count")
    return problems


def output_problems(nb, required):
    """Errors, stderr and missing MIME types in an executed notebook."""
    problems = []
    seen = set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                problems.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
            elif kind == "stream" and out.get("name") == "stderr":
                problems.append(f"cell {i} wrote to stderr: {''.join(out.get('text', ''))[:300]!r}")
            elif kind in ("display_data", "execute_result"):
                seen.update(out.get("data", {}).keys())
                # an empty picture is a missing picture
                for mime in ("image/svg+xml", "image/png", "text/html"):
                    if mime in out.get("data", {}) and not str(out["data"][mime]).strip():
                        problems.append(f"cell {i}: empty {mime} output")
    for mime in required:
        if mime not in seen:
            problems.append(f"never produced {mime} (metadata.tasklab.requires lists it)")
    return problems


def execute(path):
    """Executes a notebook in its own folder; returns (executed notebook, problems, seconds)."""
    nb = nbformat.read(path, as_version=4)
    required = nb.metadata.get("tasklab", {}).get("requires", [])
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT, allow_errors=True,
                            startup_timeout=120, resources={"metadata": {"path": os.path.dirname(path)}})
    t0 = time.monotonic()
    try:
        client.execute()
        problems = output_problems(nb, required)
    except CellExecutionError as e:
        problems = [f"execution stopped: {e}"]
    except Exception as e:  # a dead kernel or a timeout: report it against this notebook
        problems = [f"execution failed: {type(e).__name__}: {e}"]
    return nb, problems, time.monotonic() - t0


def main(argv):
    if not argv or argv[0] not in ("clean", "run", "render"):
        print(__doc__)
        return 2
    mode, args = argv[0], argv[1:]
    outdir = None
    if mode == "render":
        if not args:
            print("run_notebooks.py render OUTDIR [NOTEBOOK...]")
            return 2
        outdir, args = args[0], args[1:]
    paths = [os.path.abspath(a) for a in args] or all_notebooks()
    if not paths:
        print("no notebooks found under", NOTEBOOKS)
        return 1
    failed = 0
    if mode == "clean":
        for p in paths:
            probs = clean_problems(p)
            failed += bool(probs)
            for pr in probs:
                print(f"NOT CLEAN {rel(p)}: {pr}")
        print(f"notebooks stored clean: {len(paths) - failed} of {len(paths)}")
        return 1 if failed else 0
    total = 0.0
    times = {}
    for p in paths:
        nb, probs, secs = execute(p)
        total += secs
        times[rel(p)] = secs
        failed += bool(probs)
        status = "FAIL" if probs else "ok  "
        print(f"{status} {rel(p)} ({secs:.1f} s)", flush=True)
        for pr in probs:
            print(f"     {pr}")
        if outdir:
            from nbconvert import HTMLExporter
            # nbconvert 6.5's clean_html (bleach) strips every child element of an inline SVG, which
            # would leave the pictures blank; these are the project's own notebooks, so no sanitizing.
            html, _ = HTMLExporter(filters={"clean_html": lambda text: text}).from_notebook_node(nb)
            dest = os.path.join(outdir, os.path.splitext(rel(p))[0] + ".html")
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "w", encoding="utf-8") as f:
                f.write(html)
    tut = sum(s for n, s in times.items() if n.startswith("tutorials/"))
    print(f"notebooks executed: {len(paths) - failed} of {len(paths)} passed in {total:.1f} s "
          f"(tutorials {tut:.1f} s)")
    if outdir:
        print(f"HTML written to {outdir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
