"""Autograding: a submission is checked against the grader's record, run headless, and scored.

As nbgrader's autograde does (nbgrader/converters/autograde.py, preprocessors/overwritecells.py,
utils.determine_grade): locked cells get the grader's source back (hidden tests included), each
cell runs with a timeout that interrupts the kernel and goes on with the next cell, and a tests
cell scores 0 when its output has an error or stderr, its execute_result as partial credit, full
marks otherwise. The kit adds sentences for what nbgrader only logs: a tests cell deleted,
changed (checksum) or moved scores 0 and says why.
"""
import copy
import json
import logging
import os

from . import nbformat3 as f

MAX_LINES = 1000          # per cell, as nbgrader's LimitOutput
MAX_CHARS = 200_000       # per cell: a line can be megabytes long
MAX_TRACEBACK = 100
TIMEOUT_ENAME = "CellTimeoutError"


class Unreadable(Exception):
    """A submission that is not a notebook."""


def read_submission(path):
    """The notebook as a dict, or Unreadable with a sentence a student understands."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except UnicodeDecodeError as e:
        raise Unreadable("the file is not UTF-8 text (byte %d)" % e.start)
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as e:
        raise Unreadable("not valid JSON: %s at line %d, column %d" % (e.msg, e.lineno, e.colno))
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat") != 4:
        raise Unreadable("valid JSON but not a Jupyter notebook of format 4 (no 'cells' list)")
    for i, c in enumerate(nb["cells"]):
        if not isinstance(c, dict) or c.get("cell_type") not in ("code", "markdown", "raw"):
            raise Unreadable("cell %d is not a notebook cell" % (i + 1))
        c.setdefault("metadata", {})
        if not isinstance(c["metadata"], dict):
            c["metadata"] = {}
        if c["cell_type"] == "code":
            c.setdefault("outputs", [])
            c.setdefault("execution_count", None)
    return nb


def _dedupe_and_forget_unknown(nb, record, notes):
    """nbgrader's DeduplicateIds (the last copy of an id keeps it) and unknown ids dropped."""
    seen = set()
    for cell in reversed(nb["cells"]):
        m = f.meta(cell)
        if not isinstance(m, dict):
            if m is not None:
                del cell["metadata"]["nbgrader"]
            continue
        gid = m.get("grade_id")
        if gid not in record:
            del cell["metadata"]["nbgrader"]
            if gid:
                notes.append("a cell with the unknown id '%s' was treated as the student's own cell" % gid)
        elif gid in seen:
            del cell["metadata"]["nbgrader"]
            notes.append("cell id '%s' appears more than once; the last copy counts" % gid)
        else:
            seen.add(gid)


def _out_of_place(order, record):
    """Ids whose neighbours in the assignment are not on the same sides in the submission."""
    pos = {gid: i for i, gid in enumerate(order)}
    present = sorted(pos, key=lambda g: record[g]["index"])
    moved = {}
    for j, gid in enumerate(present):
        before = present[j - 1] if j > 0 else None
        after = present[j + 1] if j + 1 < len(present) else None
        if (before and pos[before] > pos[gid]) or (after and pos[after] < pos[gid]):
            moved[gid] = (before, after)
    return moved


def prepare(nb, record):
    """(notebook to run, {grade_id: problem sentence}, notes): the grader's view of a submission."""
    nb = copy.deepcopy(nb)
    notes, problems = [], {}
    _dedupe_and_forget_unknown(nb, record, notes)
    order = [f.meta(c)["grade_id"] for c in nb["cells"] if f.meta(c)]
    for gid, rec in record.items():
        if gid not in order and rec["role"] in ("tests", "manual"):
            problems[gid] = "the cell '%s' (%g point%s) is missing: deleted, or its nbgrader metadata removed, so it scores 0" % (
                gid, rec["points"], "" if rec["points"] == 1 else "s")
        elif gid not in order and rec["role"] == "answer":
            notes.append("the answer cell '%s' was deleted" % gid)
    for gid, (before, after) in _out_of_place(order, record).items():
        if record[gid]["role"] == "tests":
            where = " and ".join(x for x in ("after '%s'" % before if before else "", "before '%s'" % after if after else "") if x)
            problems[gid] = "the tests cell '%s' was moved (it must stay %s, as in the assignment), so it scores 0" % (gid, where)
    for cell in nb["cells"]:
        m = f.meta(cell)
        if not m:
            continue
        gid = m["grade_id"]
        rec = record[gid]
        if rec["locked"]:
            try:
                changed = f.compute_checksum(cell) != rec["checksum"] or cell["cell_type"] != rec["cell_type"]
            except (KeyError, TypeError, ValueError):
                changed = True
            if changed and rec["role"] == "tests" and gid not in problems:
                problems[gid] = ("the tests cell '%s' was changed (its checksum differs from the assignment's), "
                                 "so it scores 0; the original tests were run instead" % gid)
            elif changed:
                notes.append("the read-only cell '%s' was changed; the assignment's version was run" % gid)
            cell["source"] = rec["grader_source"]
            cell["cell_type"] = rec["cell_type"]
        elif rec["role"] == "manual":
            try:
                m["unanswered"] = f.compute_checksum(cell) == rec["checksum"]
            except (KeyError, TypeError, ValueError):
                m["unanswered"] = False
        # the grader's metadata, not the student's (nbgrader's OverwriteCells)
        cell["metadata"]["nbgrader"] = {
            "schema_version": 3, "grade_id": gid, "grade": rec["role"] in ("tests", "manual"),
            "solution": rec["role"] in ("answer", "manual"), "locked": rec["locked"],
            **({"points": rec["points"]} if rec["role"] in ("tests", "manual") else {}),
            **({"unanswered": m["unanswered"]} if "unanswered" in m else {}),
        }
        if cell["cell_type"] == "code":
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb, problems, notes


def limit_output(cell):
    """Bounds a cell's printing (lines and characters) and traceback, as nbgrader's LimitOutput."""
    lines, chars, kept = 0, 0, []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            if lines >= MAX_LINES or chars >= MAX_CHARS:
                continue
            text = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
            cut = text.split("\n")
            truncated = False
            if lines + len(cut) > MAX_LINES:
                cut, truncated = cut[:max(0, MAX_LINES - lines - 1)], True
            text = "\n".join(cut)
            if chars + len(text) > MAX_CHARS:
                text, truncated = text[:max(0, MAX_CHARS - chars)], True
            if truncated:
                text += "\n... output truncated by the grader ...\n"
                lines, chars = MAX_LINES, MAX_CHARS
            else:
                lines += len(cut)
                chars += len(text)
            out["text"] = text
        elif out.get("output_type") == "error" and len(out.get("traceback", [])) > MAX_TRACEBACK:
            tb = out["traceback"]
            out["traceback"] = tb[:MAX_TRACEBACK // 2] + ["... traceback truncated ..."] + tb[-(MAX_TRACEBACK // 2 - 1):]
        kept.append(out)
    cell["outputs"] = kept


def execute(nb, path, student, timeout, kernel_name="tasklab"):
    """Runs every code cell; (notes). A cell past `timeout` s is interrupted and the next one runs."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError, CellTimeoutError
    log = logging.getLogger("tasklab_homework.nbclient")
    log.propagate = False
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    node = nbformat.from_dict(nb)
    client = NotebookClient(
        node, timeout=timeout, interrupt_on_timeout=True, allow_errors=True, kernel_name=kernel_name,
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "no result after %d s; the kernel was interrupted" % timeout,
                          "traceback": ["%s: no result after %d s; the kernel was interrupted" % (TIMEOUT_ENAME, timeout)]},
        record_timing=False, startup_timeout=120, log=log, resources={"metadata": {"path": path}})
    timed_out = set()

    def on_cell_executed(cell, cell_index, execute_reply):
        # nbclient answers a timeout with error_on_timeout in the reply only; the cell's outputs hold
        # what the kernel said when interrupted. Keep the reason, as nbgrader's Execute does.
        if execute_reply.get("content", {}).get("ename") == TIMEOUT_ENAME:
            timed_out.add(cell_index)
    client.on_cell_executed = on_cell_executed
    env = dict(os.environ, TASKLAB_STUDENT=student)
    notes = []
    try:
        client.execute(env=env)
    except DeadKernelError:
        notes.append("the kernel died while running the notebook (a cell ended the JVM?); cells after that did not run")
    except CellTimeoutError as e:
        notes.append("the kernel stopped answering: %s" % str(e).split("\n")[0])
    except Exception as e:  # a kernel that does not start, a broken connection: say so, grade what ran
        notes.append("running the notebook stopped: %s: %s" % (type(e).__name__, str(e).split("\n")[0]))
    ran = nbformat.from_dict(node)
    for i, (cell, done) in enumerate(zip(nb["cells"], ran.cells)):
        if cell["cell_type"] == "code":
            cell["outputs"] = json.loads(json.dumps(done.outputs))
            cell["execution_count"] = done.execution_count
            if i in timed_out:
                cell["outputs"].append({"output_type": "error", "ename": TIMEOUT_ENAME,
                                        "evalue": "no result after %d s; the kernel was interrupted" % timeout,
                                        "traceback": ["%s: no result after %d s; the kernel was interrupted" % (TIMEOUT_ENAME, timeout)]})
            limit_output(cell)
    return notes


def _text(x):
    return x if isinstance(x, str) else "".join(x)


def test_cell_grade(cell, points):
    """nbgrader's determine_grade for a code tests cell, with the reason in a sentence."""
    if cell.get("execution_count") is None and not cell.get("outputs"):
        return 0.0, "did not run (the notebook stopped before this cell)"
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error" and out.get("ename") == TIMEOUT_ENAME:
            return 0.0, out.get("evalue", "timed out")
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            msg = (out.get("ename", "error") + ": " + (out.get("evalue") or "")).strip()
            return 0.0, "failed: " + (msg[:500] + " ..." if len(msg) > 500 else msg)
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return 0.0, "failed: wrote to stderr: " + _text(out.get("text", "")).strip()[:300]
        if out.get("output_type") == "execute_result":
            value = _text(out.get("data", {}).get("text/plain", ""))
            try:
                partial = float(value)
            except ValueError:
                return points, "passed (its value %r is not a number, so full marks, as nbgrader does)" % value[:80]
            if partial < 0:
                return points, "passed"
            if partial > points:
                return 0.0, "its value %s is more than the cell's %g points" % (value, points)
            return partial, "partial credit %s of %g" % (value, points)
    return points, "passed"


def score(nb, record, problems):
    """One result per graded cell of the assignment, in the assignment's order."""
    by_id = {f.meta(c)["grade_id"]: c for c in nb["cells"] if f.meta(c)}
    results = []
    for gid, rec in sorted(record.items(), key=lambda kv: kv[1]["index"]):
        if rec["role"] not in ("tests", "manual"):
            continue
        r = {"grade_id": gid, "kind": "autograded" if rec["role"] == "tests" else "manual", "max_score": rec["points"]}
        cell = by_id.get(gid)
        if gid in problems:
            r.update(score=0.0, status="invalid", message=problems[gid])
        elif rec["role"] == "manual":
            if f.meta(cell).get("unanswered"):
                r.update(score=0.0, status="unanswered", message="no answer written (the cell is as released), so it scores 0")
            else:
                r.update(score=None, status="needs manual grading", message="a teacher grades this answer")
        else:
            s, msg = test_cell_grade(cell, rec["points"])
            r.update(score=s, status="passed" if s == rec["points"] else "failed" if s == 0 else "partial", message=msg)
        if cell is not None:
            cell["metadata"]["tasklab"] = {k: r[k] for k in ("score", "max_score", "status", "message")}
        results.append(r)
    return results


def grade_notebook(path, record, student, timeout, workdir):
    """Everything about one submitted notebook: results, totals, notes, and the graded notebook."""
    max_auto = sum(r["points"] for r in record.values() if r["role"] == "tests")
    max_manual = sum(r["points"] for r in record.values() if r["role"] == "manual")
    base = {"student": student, "notebook": os.path.basename(path), "max_score": max_auto + max_manual,
            "autograded_max": max_auto, "manual_max": max_manual}
    try:
        sub = read_submission(path)
    except (Unreadable, OSError) as e:
        msg = "the notebook could not be read, %s; nothing was graded" % (e if isinstance(e, Unreadable) else e.strerror)
        return dict(base, status="unreadable", message=msg, score=0.0, autograded_score=0.0,
                    manual_pending=0.0, results=[], notes=[]), None
    run_nb, problems, notes = prepare(sub, record)
    notes += execute(run_nb, workdir, student, timeout)
    results = score(run_nb, record, problems)
    auto = sum(r["score"] for r in results if r["kind"] == "autograded")
    manual_done = sum(r["score"] for r in results if r["kind"] == "manual" and r["score"] is not None)
    pending = sum(r["max_score"] for r in results if r["kind"] == "manual" and r["score"] is None)
    status = "graded" if not pending else "needs manual grading"
    return dict(base, status=status, message="; ".join(notes), score=auto + manual_done, autograded_score=auto,
                manual_pending=pending, results=results, notes=notes), run_nb
