"""The prepared submissions of the homework tests: what students hand in, good and bad.

Each is made from the released student version (so its checksums are the real ones) and the
instructor version (for correct answers), then one thing is done to it, as a student would.
"""
import copy
import hashlib
import json

from tasklab_homework import nbformat3 as f


def _by_id(nb):
    return {f.meta(c)["grade_id"]: c for c in nb["cells"] if f.meta(c)}


def perfect(student_nb, source_nb):
    """Every answer as the instructor wrote it."""
    nb = copy.deepcopy(student_nb)
    src = _by_id(source_nb)
    for gid, cell in _by_id(nb).items():
        if f.is_solution(cell):
            cell["source"] = src[gid]["source"]
    return nb


def untouched(student_nb, source_nb):
    return copy.deepcopy(student_nb)


def _set_answer(nb, gid, text):
    _by_id(nb)[gid]["source"] = text
    return nb


def infinite_loop(student_nb, source_nb):
    return _set_answer(perfect(student_nb, source_nb), "count-faults",
                       "long wpFaults(int children, int writers) {\n    while (true) { }\n}")


def huge_print(student_nb, source_nb):
    """About 6 MB of printing in an answer cell, then the right answer."""
    nb = perfect(student_nb, source_nb)
    cell = _by_id(nb)["predict-copies"]
    cell["source"] = 'for (int i = 0; i < 120_000; i++) System.out.println("x".repeat(50));\n' + f.source(cell)
    return nb


def exception(student_nb, source_nb):
    return _set_answer(perfect(student_nb, source_nb), "count-faults",
                       'long wpFaults(int children, int writers) {\n    throw new IllegalStateException("boom");\n}')


def exits_jvm(student_nb, source_nb):
    """System.exit in an answer: a SystemExit error in that cell; the kernel lives on."""
    return _set_answer(perfect(student_nb, source_nb), "count-faults", "System.exit(3);")


def deleted_test(student_nb, source_nb):
    nb = perfect(student_nb, source_nb)
    nb["cells"] = [c for c in nb["cells"] if (f.meta(c) or {}).get("grade_id") != "test-predict-flushes"]
    return nb


def moved_test(student_nb, source_nb):
    """The first tests cell moved to the end (where it would even pass)."""
    nb = perfect(student_nb, source_nb)
    cell = _by_id(nb)["test-predict-copies"]
    nb["cells"].remove(cell)
    nb["cells"].append(cell)
    return nb


def edited_test(student_nb, source_nb):
    nb = perfect(student_nb, source_nb)
    cell = _by_id(nb)["test-count-faults"]
    cell["source"] = "assertTrue(true); // the test was too hard"
    return nb


def variant_numbers(student):
    """children and writers of a student, as Variant.between draws them (VariantTest pins this)."""
    def draw(name, lo, hi):
        h = hashlib.sha256(("%s\0%s\0%d" % (student, name, 0)).encode()).digest()[:8]
        return lo + int.from_bytes(h, "big") % (hi - lo + 1)
    children = draw("children", 2, 5)
    return children, draw("writers", 1, children)


def expected_copies(student):
    children, writers = variant_numbers(student)
    return writers + (1 if children > writers else 0)


def copied_from(other):
    """Hard-codes another student's correct number instead of computing one's own."""
    answer = expected_copies(other)

    def make(student_nb, source_nb):
        return _set_answer(perfect(student_nb, source_nb), "predict-copies",
                           "int predictedCopies = %d; // %s's figure" % (answer, other))
    return make


def write(nb, path):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(nb, fh, indent=1)


def write_invalid_json(nb, path):
    """A notebook cut off half-way, as an interrupted upload leaves it."""
    text = json.dumps(nb, indent=1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text[: len(text) // 2])
