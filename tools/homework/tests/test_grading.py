"""The homework chain through the real tasklab kernel: release, autograde prepared submissions, feedback.

Needs the kernelspec installed (bin/test-homework installs it into a temporary prefix). The course
folder is made once per run; each test reads its part of the gradebook.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

from tasklab_homework import nbformat3 as f
from tests import fixtures as fx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
HOMEWORK = os.path.join(ROOT, "notebooks", "homework")
WARMUP = "cow-warmup"
NB = "cow-warmup.ipynb"
TIMEOUT = int(os.environ.get("TASKLAB_HOMEWORK_TEST_TIMEOUT", "20"))
JOBS = os.environ.get("TASKLAB_HOMEWORK_TEST_JOBS", "2")

SUBMISSIONS = {  # student -> how the submission is made
    "perfect": fx.perfect, "untouched": fx.untouched, "loop": fx.infinite_loop, "bigprint": fx.huge_print,
    "exception": fx.exception, "deleted": fx.deleted_test, "moved": fx.moved_test, "edited": fx.edited_test,
    "copier": fx.copied_from("alice"), "exiter": fx.exits_jvm,
}


def hw(*args):
    r = subprocess.run([sys.executable, "-m", "tasklab_homework", *args], cwd=os.path.join(ROOT, "tools", "homework"),
                       capture_output=True, text=True, timeout=1800)
    assert r.stderr == "", "the homework command wrote to stderr:\n" + r.stderr
    return r


def assignments():
    return sorted(d for d in os.listdir(HOMEWORK) if os.path.isdir(os.path.join(HOMEWORK, d)) and not d.startswith("."))


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    c = str(tmp_path_factory.mktemp("course"))
    r = hw("validate")
    assert r.returncode == 0, r.stdout
    r = hw("release", WARMUP, "--course", c)
    assert r.returncode == 0, r.stdout
    with open(os.path.join(c, "release", WARMUP, NB)) as fh:
        student = json.load(fh)
    with open(os.path.join(c, "source", WARMUP, NB)) as fh:
        source = json.load(fh)
    for who, make in SUBMISSIONS.items():
        d = os.path.join(c, "submitted", who, WARMUP)
        os.makedirs(d)
        fx.write(make(student, source), os.path.join(d, NB))
    d = os.path.join(c, "submitted", "badjson", WARMUP)
    os.makedirs(d)
    fx.write_invalid_json(fx.perfect(student, source), os.path.join(d, NB))
    r = hw("autograde", WARMUP, "--course", c, "--timeout", str(TIMEOUT), "--jobs", JOBS)
    assert r.returncode == 0, r.stdout
    r2 = hw("feedback", WARMUP, "--course", c)
    assert r2.returncode == 0, r2.stdout
    with open(os.path.join(c, "gradebook", WARMUP + ".json")) as fh:
        book = json.load(fh)
    return {"dir": c, "book": {e["student"]: e for e in book["entries"]}, "log": r.stdout}


def parts(entry):
    return {r["grade_id"]: r for r in entry["results"]}


AUTO_MAX = 6.0


def test_instructor_answers_score_full_marks_on_every_autograded_part(course):
    e = course["book"]["perfect"]
    assert e["autograded_max"] == AUTO_MAX
    assert e["autograded_score"] == AUTO_MAX, e
    assert parts(e)["explain-reuse"]["status"] == "needs manual grading"


def test_untouched_student_version_scores_zero_without_crashing(course):
    e = course["book"]["untouched"]
    assert e["status"] == "graded", e
    assert e["autograded_score"] == 0.0 and e["score"] == 0.0
    p = parts(e)
    assert "UnsupportedOperationException: TODO" in p["test-count-faults"]["message"]
    assert p["explain-reuse"]["status"] == "unanswered"
    assert all(r["status"] in ("failed", "unanswered") for r in e["results"]), e["results"]


def test_infinite_loop_is_interrupted_and_the_next_cells_still_run(course):
    p = parts(course["book"]["loop"])
    assert p["test-count-faults"]["score"] == 0.0
    assert "no result after %d s; the kernel was interrupted" % TIMEOUT in p["test-count-faults"]["message"]
    assert p["test-predict-flushes"]["score"] == 1.0, "the cells after the loop must run and pass"
    assert p["test-predict-copies"]["score"] == 2.0


def test_megabytes_of_printing_are_graded_and_cut_in_the_graded_notebook(course):
    e = course["book"]["bigprint"]
    assert e["autograded_score"] == AUTO_MAX, e
    path = os.path.join(course["dir"], "autograded", "bigprint", WARMUP, NB)
    assert os.path.getsize(path) < 500_000, "the graded notebook keeps a bounded part of the printing"
    with open(path) as fh:
        assert "output truncated by the grader" in fh.read()


def zero_part(course, submission, cell, lost):
    """Checks that `cell` of `submission` scored 0 and its total is AUTO_MAX - lost; returns the part's message."""
    e = course["book"][submission]
    part = parts(e)[cell]
    assert part["score"] == 0.0, part
    assert e["autograded_score"] == AUTO_MAX - lost, e
    return part["message"]


def test_thrown_exception_scores_zero_with_its_message(course):
    assert "IllegalStateException: boom" in zero_part(course, "exception", "test-count-faults", 3)


def test_deleted_tests_cell_scores_zero_with_a_sentence(course):
    assert zero_part(course, "deleted", "test-predict-flushes", 1) == (
        "the cell 'test-predict-flushes' (1 point) is missing: deleted, "
        "or its nbgrader metadata removed, so it scores 0")


def test_moved_tests_cell_scores_zero_with_a_sentence(course):
    assert ("'test-predict-copies' was moved (it must stay after 'predict-copies' and before 'count-faults'"
            in zero_part(course, "moved", "test-predict-copies", 2))


def test_edited_tests_cell_is_caught_by_checksum(course):
    assert "was changed (its checksum differs" in zero_part(course, "edited", "test-count-faults", 3)


def test_invalid_json_gets_a_gradebook_line_and_the_others_are_graded(course):
    e = course["book"]["badjson"]
    assert e["status"] == "unreadable" and e["score"] == 0.0
    assert e["message"].startswith("the notebook could not be read, not valid JSON:")
    assert len(course["book"]) == len(SUBMISSIONS) + 1
    with open(os.path.join(course["dir"], "gradebook", WARMUP + ".csv")) as fh:
        lines = fh.read().splitlines()
    assert lines[0].startswith("student,notebook,score,max_score")
    assert any(l.startswith("badjson,%s,0,8," % NB) and "not valid JSON" in l for l in lines)


def test_system_exit_in_an_answer_fails_that_part_and_the_kernel_lives_on(course):
    # The kernel turns System.exit in a cell into a clean SystemExit error (issue 16), so the
    # parts after the answer that called it still run and score.
    e = course["book"]["exiter"]
    assert not e["message"].startswith("the kernel died"), e
    p = parts(e)
    assert p["test-predict-copies"]["score"] == 2.0, p
    assert p["test-count-faults"]["score"] == 0.0, p
    assert not p["test-count-faults"]["message"].startswith("did not run"), p
    later = [k for k in p if k not in ("test-predict-copies", "test-count-faults") and p[k]["score"] is not None]
    assert any(p[k]["score"] > 0 for k in later), p
    assert e["autograded_score"] == 2.0 + sum(p[k]["score"] for k in later), e


def test_hidden_tests_check_each_student_against_their_own_variant(course):
    # perfect computes its own figure and passes (above); copier hands in alice's figure and fails
    assert fx.expected_copies("copier") != fx.expected_copies("alice")
    p = parts(course["book"]["copier"])["test-predict-copies"]
    assert p["score"] == 0.0 and "cow_copy for variant of copier" in p["message"], p


def test_feedback_page_per_student_shows_each_test_result(course):
    page = os.path.join(course["dir"], "feedback", "exception", WARMUP, "cow-warmup.html")
    with open(page) as fh:
        text = fh.read()
    assert "Score: 3 of 8" in text and "IllegalStateException: boom" in text
    assert text.count('class="res ') == 4, "one result box per graded part"
    with open(os.path.join(course["dir"], "feedback", "badjson", WARMUP, "cow-warmup.html")) as fh:
        assert "not valid JSON" in fh.read()


def test_manual_scores_from_the_teachers_csv_complete_the_grade(course):
    c = course["dir"]
    todo = os.path.join(c, "gradebook", WARMUP + "-manual.csv")
    with open(todo) as fh:
        rows = fh.read().splitlines()
    assert rows[0] == "student,notebook,grade_id,max_score,score,comment"
    rows = [r.rstrip(",") + ",1.5,clear but no count" if r.startswith("perfect,") else r for r in rows]
    with open(todo, "w") as fh:
        fh.write("\n".join(rows) + "\n")
    assert hw("feedback", WARMUP, "--course", c, "--student", "perfect").returncode == 0
    with open(os.path.join(c, "gradebook", WARMUP + ".json")) as fh:
        e = {x["student"]: x for x in json.load(fh)["entries"]}["perfect"]
    assert e["score"] == AUTO_MAX + 1.5 and e["status"] == "graded"


def test_variant_prints_a_students_problem_with_its_solution():
    r = hw("variant", WARMUP, "student42", "--timeout", str(max(TIMEOUT, 60)))
    assert r.returncode == 0, r.stdout
    children, writers = fx.variant_numbers("student42")
    assert "variant of student42" in r.stdout
    assert "init forks %d children, the first %d of them write" % (children, writers) in r.stdout
    assert "ERROR" not in r.stdout, r.stdout


@pytest.mark.parametrize("assignment", [a for a in assignments() if a != WARMUP])
def test_each_assignment_instructor_answers_full_marks_untouched_zero(assignment, tmp_path):
    """Every other homework: released, its solutions (hidden tests in) score full marks, the
    untouched student version scores 0 on every autograded part and still runs to the end."""
    c = str(tmp_path)
    assert hw("release", assignment, "--course", c).returncode == 0
    src = os.path.join(c, "source", assignment)
    for name in sorted(n for n in os.listdir(src) if n.endswith(".ipynb")):
        with open(os.path.join(c, "release", assignment, name)) as fh:
            student = json.load(fh)
        with open(os.path.join(src, name)) as fh:
            source = json.load(fh)
        for who, make in (("instructor", fx.perfect), ("untouched", fx.untouched)):
            d = os.path.join(c, "submitted", who, assignment)
            os.makedirs(d, exist_ok=True)
            fx.write(make(student, source), os.path.join(d, name))
    r = hw("autograde", assignment, "--course", c, "--timeout", str(max(TIMEOUT, 120)), "--jobs", JOBS)
    assert r.returncode == 0, r.stdout
    with open(os.path.join(c, "gradebook", assignment + ".json")) as fh:
        book = json.load(fh)["entries"]
    assert book, "graded nothing"
    for e in book:
        assert e["status"] in ("graded", "needs manual grading"), e
        assert 3 <= len(e["results"]) <= 8, "3-6 graded parts (plus manual answers)"
        if e["student"] == "instructor":
            assert e["autograded_score"] == e["autograded_max"] > 0, [r for r in e["results"] if r["status"] != "passed"]
        else:
            assert e["autograded_score"] == 0.0, [r for r in e["results"] if r["score"]]
            assert all(r["status"] in ("failed", "unanswered") for r in e["results"]), e["results"]
