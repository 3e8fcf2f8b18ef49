"""nbgrader's format, checked without a kernel: checksums as nbgrader computes them, validation, release."""
import copy
import json
import os

import pytest

from tasklab_homework import nbformat3 as f
from tasklab_homework import release as rel

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def cell(kind, src, **nbg):
    return {"cell_type": kind, "metadata": {"nbgrader": dict(schema_version=3, **nbg)}, "source": src}


# Checksums stored by nbgrader itself in its test notebook nbgrader/tests/apps/files/submitted-unchanged.ipynb
@pytest.mark.parametrize("c,expected", [
    (cell("code", ["# YOUR CODE HERE\n", "raise NotImplementedError()"], grade=False, solution=True, locked=False, grade_id="set_a"),
     "3d6aac4236f8e1ec85380e692dcc51b1"),
    (cell("code", ['print("Success!")'], grade=True, solution=False, locked=False, grade_id="foo", points=1.0),
     "8bb5c7c6f388fae724e5ef53dc4deeb2"),
    (cell("code", ["assert a == 1"], grade=True, solution=False, locked=False, grade_id="bar", points=1),
     "75d78cdf605a339809ceaace462c5f33"),
    (cell("code", ["print(\"Don't change this cell!\")"], grade=False, solution=False, locked=True, grade_id="ro1"),
     "86f5f877fe95faac003fcd4b8d43d093"),
])
def test_checksum_is_the_one_nbgrader_stores(c, expected):
    assert f.compute_checksum(c) == expected


def nb(*cells):
    return {"cells": list(cells), "metadata": {"kernelspec": {"name": "tasklab", "language": "java"}}, "nbformat": 4, "nbformat_minor": 5}


GOOD = nb(cell("code", "int x;\n  // BEGIN SOLUTION\n  x = 1;\n  // END SOLUTION", grade=False, solution=True, locked=False, grade_id="ans"),
          cell("code", "assertEquals(1, x);\n// BEGIN HIDDEN TESTS\nassertEquals(1, x, \"hidden\");\n// END HIDDEN TESTS",
               grade=True, solution=False, locked=True, grade_id="t", points=2),
          cell("markdown", "Because.", grade=True, solution=True, locked=False, grade_id="why", points=1))


def test_valid_notebook_has_no_errors():
    assert f.validate_notebook(GOOD, "good.ipynb") == []


@pytest.mark.parametrize("mutate,words", [
    (lambda n: n["cells"][1]["metadata"]["nbgrader"].update(grade_id="ans"), "grade_id 'ans' is used again"),
    (lambda n: n["cells"][1]["metadata"]["nbgrader"].pop("points"), "needs points"),
    (lambda n: n["cells"][1]["metadata"]["nbgrader"].update(locked=False), "must be locked"),
    (lambda n: n["cells"][0]["metadata"]["nbgrader"].update(schema_version=2), "schema_version is 2"),
    (lambda n: n["cells"][0]["metadata"]["nbgrader"].update(grade_id="a b"), "letters, digits"),
    (lambda n: n["cells"][0]["metadata"]["nbgrader"].pop("locked"), "lacks locked"),
    (lambda n: n["cells"][0]["metadata"]["nbgrader"].update(points=3), "points only go with grade"),
    (lambda n: n["cells"][2]["metadata"]["nbgrader"].update(solution=False), "must also be a solution cell"),
    (lambda n: n["cells"][0].update(source="// BEGIN SOLUTION\nx = 1;"), "without END SOLUTION"),
    (lambda n: n["cells"][1]["metadata"]["nbgrader"].update(grade=False, points=None) or n["cells"][1]["metadata"]["nbgrader"].pop("points"),
     "BEGIN HIDDEN TESTS region in a cell that is not a grade cell"),
    (lambda n: n["metadata"]["kernelspec"].update(language="python"), "kernelspec.language"),
])
def test_each_error_names_notebook_cell_and_rule(mutate, words):
    bad = copy.deepcopy(GOOD)
    mutate(bad)
    errors = f.validate_notebook(bad, "hw.ipynb")
    assert errors, "expected an error about " + words
    assert any(words in e and e.startswith("hw.ipynb") for e in errors), errors
    assert any("cell " in e for e in errors) or "kernelspec" in words


def test_release_clears_solutions_hides_tests_locks_and_checksums_like_nbgrader():
    student, record = rel.release_notebook(GOOD, "good.ipynb")
    ans, tests, why = student["cells"]
    assert ans["source"] == 'int x;\n  // YOUR CODE HERE\n  throw new UnsupportedOperationException("TODO");'
    assert "hidden" not in tests["source"] and tests["source"] == "assertEquals(1, x);"
    assert why["source"] == f.TEXT_STUB
    assert ans["metadata"]["deletable"] is False and "editable" not in ans["metadata"]
    assert tests["metadata"]["deletable"] is False and tests["metadata"]["editable"] is False
    for c in student["cells"]:
        assert c["metadata"]["nbgrader"]["checksum"] == f.compute_checksum(c)
        assert c["metadata"]["nbgrader"]["cell_type"] == c["cell_type"]
    assert "hidden" in record["t"]["grader_source"] and record["t"]["checksum"] == tests["metadata"]["nbgrader"]["checksum"]
    assert f.validate_notebook(student, "student") == []


def test_shipped_nbgrader_config_sets_the_java_stub_release_uses():
    class Section:
        pass

    class Config:
        ClearSolutions = Section()
        Execute = Section()
    c = Config()
    for path in (os.path.join(ROOT, "notebooks", "homework", "nbgrader_config.py"),):
        with open(path) as fh:
            exec(fh.read(), {"get_config": lambda: c})
        assert c.ClearSolutions.code_stub == {"java": f.JAVA_STUB}
    assert f.JAVA_STUB == '// YOUR CODE HERE\nthrow new UnsupportedOperationException("TODO");'


def test_every_homework_in_the_repository_validates():
    found = 0
    for dirpath, _, files in os.walk(os.path.join(ROOT, "notebooks", "homework")):
        for n in files:
            if n.endswith(".ipynb") and ".ipynb_checkpoints" not in dirpath:
                with open(os.path.join(dirpath, n)) as fh:
                    assert f.validate_notebook(json.load(fh), n) == []
                found += 1
    assert found >= 1
