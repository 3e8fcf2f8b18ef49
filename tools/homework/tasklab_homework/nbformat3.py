"""nbgrader's cell metadata, schema 3: roles, checksum, validation (nbgrader/utils.py, nbgraderformat/v3.py)."""
import hashlib
import re

SCHEMA_VERSION = 3
REQUIRED = ("schema_version", "grade", "solution", "locked")
ALLOWED = set(REQUIRED) | {"task", "grade_id", "points", "checksum", "cell_type"}
GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]*$")

BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
JAVA_STUB = '// YOUR CODE HERE\nthrow new UnsupportedOperationException("TODO");'
TEXT_STUB = "YOUR ANSWER HERE"


class HomeworkError(Exception):
    """A problem in a homework notebook, said in a sentence that names the notebook and cell."""


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader")


def is_grade(cell):
    m = meta(cell)
    return bool(m and m.get("grade", False))


def is_solution(cell):
    m = meta(cell)
    return bool(m and m.get("solution", False))


def is_task(cell):
    m = meta(cell)
    return bool(m and m.get("task", False))


def is_locked(cell):
    """nbgrader's is_locked: solution cells never, grade cells always, otherwise the locked key."""
    m = meta(cell)
    if not m or is_solution(cell):
        return False
    if is_grade(cell):
        return True
    return bool(m.get("locked", False))


def is_nbgrader_cell(cell):
    """A cell nbgrader tracks by id (grade, solution, locked or task)."""
    m = meta(cell)
    return bool(m) and (is_grade(cell) or is_solution(cell) or is_locked(cell) or is_task(cell))


def role(cell):
    if is_task(cell):
        return "task"
    if is_grade(cell) and is_solution(cell):
        return "manual"
    if is_grade(cell):
        return "tests"
    if is_solution(cell):
        return "answer"
    if is_locked(cell):
        return "read-only"
    return "plain"


def source(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _py_float_str(x):
    """str(float(x)) as Python prints it (nbgrader hashes that text)."""
    return str(float(x))


def compute_checksum(cell):
    """The MD5 nbgrader's utils.compute_checksum gives: source, type, the three roles, id, points."""
    m = hashlib.md5()
    m.update(source(cell).encode("utf-8"))
    m.update(cell["cell_type"].encode("utf-8"))
    m.update(str(is_grade(cell)).encode("utf-8"))
    m.update(str(is_solution(cell)).encode("utf-8"))
    m.update(str(is_locked(cell)).encode("utf-8"))
    m.update(meta(cell)["grade_id"].encode("utf-8"))
    if is_grade(cell):
        m.update(_py_float_str(meta(cell)["points"]).encode("utf-8"))
    return m.hexdigest()


def cell_label(index, cell):
    m = meta(cell) or {}
    gid = m.get("grade_id")
    first = source(cell).strip().split("\n")[0][:50]
    return "cell %d%s (%s)" % (index + 1, " '%s'" % gid if gid else "", first or "empty")


def _check_regions(src, begin, end, what):
    """Returns (found, problem) for a delimited region, as nbgrader's ClearSolutions/ClearHiddenTests scan it."""
    inside, found = False, False
    for line in src.split("\n"):
        if begin in line:
            if inside:
                return found, "nested %s" % begin
            inside, found = True, True
        elif end in line:
            inside = False
    if inside:
        return found, "%s without %s" % (begin, end)
    return found, None


def validate_cell(cell, where):
    """Errors (sentences) for one cell; nbgrader's v3 validator plus the kit's role table."""
    errors = []
    m = meta(cell)
    src = source(cell)
    sol_found, sol_problem = _check_regions(src, BEGIN_SOLUTION, END_SOLUTION, "solution")
    hid_found, hid_problem = _check_regions(src, BEGIN_HIDDEN, END_HIDDEN, "hidden tests")
    for p in (sol_problem, hid_problem):
        if p:
            errors.append("%s: %s" % (where, p))
    if m is None:
        if sol_found:
            errors.append("%s: a %s region in a cell without nbgrader metadata (make it an answer cell)" % (where, BEGIN_SOLUTION))
        if hid_found:
            errors.append("%s: a %s region in a cell without nbgrader metadata (make it a tests cell)" % (where, BEGIN_HIDDEN))
        return errors
    if not isinstance(m, dict):
        return ["%s: metadata.nbgrader must be an object" % where]
    missing = [k for k in REQUIRED if k not in m]
    if missing:
        errors.append("%s: nbgrader metadata lacks %s (schema 3 requires %s)" % (where, ", ".join(missing), ", ".join(REQUIRED)))
        return errors
    if m["schema_version"] != SCHEMA_VERSION:
        errors.append("%s: schema_version is %r; the kit and nbgrader 0.9 use 3" % (where, m["schema_version"]))
    extra = sorted(set(m) - ALLOWED)
    if extra:
        errors.append("%s: unknown nbgrader keys %s (nbgrader removes them)" % (where, ", ".join(extra)))
    for k in ("grade", "solution", "locked", "task"):
        if k in m and not isinstance(m[k], bool):
            errors.append("%s: %s must be true or false, got %r" % (where, k, m[k]))
    grade, solution, locked, task = m["grade"], m["solution"], m["locked"], m.get("task", False)
    gid = m.get("grade_id")
    if grade or solution or locked or task:
        if gid is None:
            errors.append("%s: a graded, solution or locked cell needs a grade_id" % where)
        elif not isinstance(gid, str) or gid == "" or not GRADE_ID.match(gid):
            errors.append("%s: grade_id %r must be non-empty letters, digits, _ and -" % (where, gid))
    if grade:
        pts = m.get("points")
        if pts is None:
            errors.append("%s: a graded cell needs points" % where)
        elif isinstance(pts, bool) or not isinstance(pts, (int, float)) or pts < 0:
            errors.append("%s: points must be a number >= 0, got %r" % (where, pts))
    elif "points" in m:
        errors.append("%s: points only go with grade: true" % where)
    if task:
        if cell["cell_type"] != "markdown":
            errors.append("%s: task cells must be markdown" % where)
    elif cell["cell_type"] == "markdown" and grade != solution:
        errors.append("%s: a markdown cell that is graded must also be a solution cell (manually graded answer), and vice versa" % where)
    if grade and not solution and cell["cell_type"] == "code" and not locked:
        errors.append("%s: autograder tests must be locked (locked: true)" % where)
    if solution and locked:
        errors.append("%s: an answer cell cannot be locked" % where)
    if sol_found and not solution:
        errors.append("%s: a %s region in a cell that is not a solution cell" % (where, BEGIN_SOLUTION))
    if hid_found and not grade:
        errors.append("%s: a %s region in a cell that is not a grade cell" % (where, BEGIN_HIDDEN))
    if "cell_type" in m and m["cell_type"] != cell["cell_type"]:
        errors.append("%s: the cell was a %s cell and is now %s" % (where, m["cell_type"], cell["cell_type"]))
    return errors


def validate_notebook(nb, name, language="java"):
    """Every error of a notebook, each a sentence naming the notebook and the cell."""
    errors = []
    lang = nb.get("metadata", {}).get("kernelspec", {}).get("language")
    if lang != language:
        errors.append("%s: metadata.kernelspec.language is %r; the stub is chosen by it and must be %r" % (name, lang, language))
    seen = {}
    graded = 0
    for i, cell in enumerate(nb.get("cells", [])):
        where = "%s, %s" % (name, cell_label(i, cell))
        errors.extend(validate_cell(cell, where))
        m = meta(cell)
        if isinstance(m, dict) and is_nbgrader_cell(cell) and isinstance(m.get("grade_id"), str):
            gid = m["grade_id"]
            if gid in seen:
                errors.append("%s: grade_id '%s' is used again (first at cell %d); ids must be unique" % (where, gid, seen[gid] + 1))
            else:
                seen[gid] = i
            if is_grade(cell):
                graded += 1
    if graded == 0:
        errors.append("%s: no graded cell (grade: true), nothing to score" % name)
    return errors
