"""The student version, made as nbgrader's generate_assignment makes it.

Order (nbgrader/converters/generate_assignment.py): LockCells, ClearSolutions, ClearOutput,
ComputeChecksums (kept by the grader: the cell with its hidden tests), ClearHiddenTests,
ComputeChecksums again (written into the student's copy).
"""
import copy
import json
import re

from . import nbformat3 as f

NBGRADER_CONFIG = """# nbgrader configuration for the tasklab homework (written by ./tasklab homework release).
# nbgrader's built-in Java stub is only "// YOUR CODE HERE", which leaves a method that returns a
# value uncompilable; this stub compiles in any method and fails clearly when run.
c = get_config()  # noqa: F821 (nbgrader defines get_config)
c.ClearSolutions.code_stub = {"java": %s}
c.ClearSolutions.text_stub = %s
# Java cells run in the tasklab kernel; a cell that loops forever is interrupted after this many seconds.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
""" % (json.dumps(f.JAVA_STUB), json.dumps(f.TEXT_STUB))


def lock_cell(cell):
    """nbgrader's LockCells with its defaults: answers undeletable, tests and read-only cells frozen."""
    md = cell.setdefault("metadata", {})
    if f.is_solution(cell):
        md["deletable"] = False
    elif f.is_grade(cell) or f.is_locked(cell):
        md["deletable"] = False
        md["editable"] = False


def _replace_regions(src, begin, end, stub_lines):
    out, inside, replaced = [], False, False
    for line in src.split("\n"):
        if begin in line:
            inside, replaced = True, True
            if stub_lines is not None:
                indent = re.match(r"\s*", line).group(0)
                out.extend(indent + s for s in stub_lines)
        elif end in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out), replaced


def clear_solution(cell, code_stub):
    """Solution regions (or a whole solution cell) become the stub, indented like the BEGIN line."""
    stub = code_stub if cell["cell_type"] == "code" else f.TEXT_STUB
    src, replaced = _replace_regions(f.source(cell), f.BEGIN_SOLUTION, f.END_SOLUTION, stub.split("\n"))
    if f.is_solution(cell) and not replaced:
        src = stub
    cell["source"] = src


def clear_hidden_tests(cell):
    cell["source"], _ = _replace_regions(f.source(cell), f.BEGIN_HIDDEN, f.END_HIDDEN, None)


def clear_output(cell):
    if cell["cell_type"] == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    for k in ("collapsed", "scrolled"):
        cell.get("metadata", {}).pop(k, None)


def set_checksum(cell):
    if f.is_grade(cell) or f.is_solution(cell) or f.is_locked(cell):
        f.meta(cell)["checksum"] = f.compute_checksum(cell)
        f.meta(cell)["cell_type"] = cell["cell_type"]


def release_notebook(nb, name, code_stub=f.JAVA_STUB):
    """(student notebook, grader's record) for a validated instructor notebook.

    The record maps each nbgrader cell id to what the grader needs later, as nbgrader's database
    keeps it: the cell as the grader runs it (hidden tests in), the checksum the student's copy
    carries, its role, points and position.
    """
    errors = f.validate_notebook(nb, name)
    if errors:
        raise f.HomeworkError("\n".join(errors))
    nb = copy.deepcopy(nb)
    nb.get("metadata", {}).pop("celltoolbar", None)
    record = {}
    for i, cell in enumerate(nb["cells"]):
        lock_cell(cell)
        clear_solution(cell, code_stub)
        clear_output(cell)
        set_checksum(cell)
        if f.is_nbgrader_cell(cell):
            m = f.meta(cell)
            record[m["grade_id"]] = {
                "index": i, "role": f.role(cell), "cell_type": cell["cell_type"],
                "points": float(m["points"]) if f.is_grade(cell) else 0.0,
                "grader_source": f.source(cell), "locked": f.is_locked(cell),
            }
        clear_hidden_tests(cell)
        set_checksum(cell)
        if f.is_nbgrader_cell(cell):
            rec = record[f.meta(cell)["grade_id"]]
            rec["student_source"] = f.source(cell)
            rec["checksum"] = f.meta(cell).get("checksum")
    errors = f.validate_notebook(nb, name + " (student version)")
    if errors:
        raise f.HomeworkError("\n".join(errors))
    return nb, record
