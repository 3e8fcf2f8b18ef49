"""./tasklab homework: validate, release, autograde, feedback and print variants of nbgrader-format homework.

Course folders as nbgrader lays them out:
  COURSE/source/<assignment>/      the instructor version (copied there by release)
  COURSE/release/<assignment>/     the student version, to hand out
  COURSE/submitted/<student>/<assignment>/   what students hand in (collected by you or nbgrader)
  COURSE/autograded/<student>/<assignment>/  the graded notebooks
  COURSE/feedback/<student>/<assignment>/    one HTML page per notebook, to return
  COURSE/gradebook/<assignment>.json, .csv, -cells.csv, -manual.csv
"""
import argparse
import csv
import json
import os
import shutil
import sys

from . import nbformat3 as f
from . import release as rel
from . import grade as gr
from . import feedback as fb

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
HOMEWORK = os.path.join(ROOT, "notebooks", "homework")


def say(msg):
    print(msg, flush=True)


def fail(msg, code=1):
    print("homework: " + msg, flush=True)
    sys.exit(code)


def load_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


def notebooks_in(folder):
    return sorted(n for n in os.listdir(folder) if n.endswith(".ipynb") and not n.startswith("."))


def source_dir(args):
    """The instructor version: COURSE/source/A when released, else notebooks/homework/A."""
    if args.course:
        d = os.path.join(args.course, "source", args.assignment)
        if os.path.isdir(d):
            return d
    d = os.path.join(HOMEWORK, args.assignment)
    if os.path.isdir(d):
        return d
    fail("no assignment '%s' (looked in %s%s)" % (args.assignment, HOMEWORK,
         " and %s/source" % args.course if args.course else ""))


def records(src):
    """{notebook name: (student notebook, grader record)} for every notebook of an assignment."""
    out = {}
    for name in notebooks_in(src):
        try:
            out[name] = rel.release_notebook(load_json(os.path.join(src, name)), name)
        except f.HomeworkError as e:
            fail("the assignment does not validate, nothing done:\n" + str(e))
    if not out:
        fail("no notebooks in " + src)
    return out


def cmd_validate(args):
    paths = []
    for p in args.paths or [HOMEWORK]:
        if os.path.isdir(p):
            for dirpath, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                paths += [os.path.join(dirpath, n) for n in sorted(files) if n.endswith(".ipynb")]
        else:
            paths.append(p)
    if not paths:
        fail("no homework notebooks found in " + " ".join(args.paths or [HOMEWORK]))
    errors, points = [], 0.0
    for p in paths:
        name = os.path.relpath(p, ROOT) if p.startswith(ROOT) else p
        try:
            nb = load_json(p)
        except (OSError, ValueError) as e:
            errors.append("%s: not a readable notebook: %s" % (name, e))
            continue
        errs = f.validate_notebook(nb, name)
        if not errs:
            try:
                _, record = rel.release_notebook(nb, name)
                points += sum(r["points"] for r in record.values())
            except f.HomeworkError as e:
                errs = str(e).split("\n")
        errors += errs
    for e in errors:
        say(e)
    if errors:
        fail("%d problem(s) in %d notebook(s)" % (len(errors), len(paths)))
    say("homework: %d notebook(s) valid (nbgrader schema 3), %g points in all" % (len(paths), points))


def cmd_release(args):
    src = source_dir(args)
    made = records(src)
    course = args.course
    dst_src = os.path.join(course, "source", args.assignment)
    if os.path.abspath(src) != os.path.abspath(dst_src):
        shutil.rmtree(dst_src, ignore_errors=True)
        shutil.copytree(src, dst_src, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.pyc"))
    out = os.path.join(course, "release", args.assignment)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(src, out, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb", "*.pyc"))
    for name, (student_nb, record) in made.items():
        write_json(os.path.join(out, name), student_nb)
    cfg = os.path.join(course, "nbgrader_config.py")
    if not os.path.exists(cfg):
        with open(cfg, "w") as fh:
            fh.write(rel.NBGRADER_CONFIG)
    say("homework: released %s: %d notebook(s) in %s (hand these out)" % (args.assignment, len(made), out))


def _manual_scores(course, assignment):
    """{(student, notebook, grade_id): (score, comment)} from the teacher's -manual.csv."""
    path = os.path.join(course, "gradebook", assignment + "-manual.csv")
    out = {}
    if os.path.exists(path):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if (row.get("score") or "").strip():
                    try:
                        out[(row["student"], row["notebook"], row["grade_id"])] = (float(row["score"]), row.get("comment", ""))
                    except ValueError:
                        fail("%s: score %r of %s/%s is not a number" % (path, row["score"], row["student"], row["grade_id"]))
    return out


def apply_manual(entry, manual):
    for r in entry["results"]:
        key = (entry["student"], entry["notebook"], r["grade_id"])
        if r["kind"] == "manual" and r["status"] == "needs manual grading" and key in manual:
            s, comment = manual[key]
            r.update(score=min(s, r["max_score"]), status="graded by hand", message=comment or "graded by the teacher")
    pending = sum(r["max_score"] for r in entry["results"] if r["score"] is None)
    entry["manual_pending"] = pending
    entry["score"] = sum(r["score"] for r in entry["results"] if r["score"] is not None)
    if entry["status"] in ("graded", "needs manual grading"):
        entry["status"] = "needs manual grading" if pending else "graded"


def write_gradebook(course, assignment, book):
    base = os.path.join(course, "gradebook", assignment)
    write_json(base + ".json", book)
    with open(base + ".csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "notebook", "score", "max_score", "autograded_score", "autograded_max",
                    "manual_pending", "status", "message"])
        for e in book["entries"]:
            w.writerow([e["student"], e["notebook"], "%g" % e["score"], "%g" % e["max_score"], "%g" % e["autograded_score"],
                        "%g" % e["autograded_max"], "%g" % e["manual_pending"], e["status"], e["message"]])
    with open(base + "-cells.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "notebook", "grade_id", "kind", "score", "max_score", "status", "message"])
        for e in book["entries"]:
            for r in e["results"]:
                w.writerow([e["student"], e["notebook"], r["grade_id"], r["kind"],
                            "" if r["score"] is None else "%g" % r["score"], "%g" % r["max_score"], r["status"], r["message"]])
    todo = base + "-manual.csv"
    if not os.path.exists(todo):
        rows = [(e["student"], e["notebook"], r["grade_id"], "%g" % r["max_score"]) for e in book["entries"]
                for r in e["results"] if r["status"] == "needs manual grading"]
        if rows:
            with open(todo, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(["student", "notebook", "grade_id", "max_score", "score", "comment"])
                for row in rows:
                    w.writerow(list(row) + ["", ""])


def _check_kernel(name):
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        fail("the Jupyter kernel '%s' is not installed: run ./tasklab install-kernel" % name)


def _grade_one(job):
    """(gradebook entry, graded notebook or None) for one student's notebook; runs in a worker when --jobs > 1."""
    student, name, path, record, out_dir, timeout = job
    if not os.path.exists(path):
        entry = {"student": student, "notebook": name, "status": "missing", "score": 0.0,
                 "max_score": sum(r["points"] for r in record.values()),
                 "autograded_score": 0.0, "autograded_max": sum(r["points"] for r in record.values() if r["role"] == "tests"),
                 "manual_max": sum(r["points"] for r in record.values() if r["role"] == "manual"),
                 "manual_pending": 0.0, "message": "no %s handed in" % name, "results": [], "notes": []}
        return entry, None
    return gr.grade_notebook(path, record, student, timeout, out_dir)


def cmd_autograde(args):
    _check_kernel(args.kernel)
    src = source_dir(args)
    made = records(src)
    sub_root = os.path.join(args.course, "submitted")
    if not os.path.isdir(sub_root):
        fail("no %s folder: put each student's work in submitted/<student>/%s/" % (sub_root, args.assignment))
    students = args.student or sorted(s for s in os.listdir(sub_root)
                                      if os.path.isdir(os.path.join(sub_root, s, args.assignment)))
    book_path = os.path.join(args.course, "gradebook", args.assignment + ".json")
    book = load_json(book_path) if os.path.exists(book_path) else {"assignment": args.assignment, "entries": []}
    book["entries"] = [e for e in book["entries"] if e["student"] not in students]
    manual = _manual_scores(args.course, args.assignment)
    jobs = []
    for student in students:
        folder = os.path.join(sub_root, student, args.assignment)
        out_dir = os.path.join(args.course, "autograded", student, args.assignment)
        shutil.rmtree(out_dir, ignore_errors=True)
        if os.path.isdir(folder):
            shutil.copytree(folder, out_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb"))
        else:
            os.makedirs(out_dir)
        for name, (_, record) in made.items():
            jobs.append((student, name, os.path.join(folder, name), record, out_dir, args.timeout))
    if args.jobs > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            done = pool.map(_grade_one, jobs)
            results = list(done)
    else:
        results = map(_grade_one, jobs)
    for (student, name, _, _, out_dir, _), (entry, graded) in zip(jobs, results):
        apply_manual(entry, manual)
        if graded is not None:
            write_json(os.path.join(out_dir, name), graded)
        book["entries"].append(entry)
        say("%-12s %-28s %5s / %-5s %s%s" % (student, name, "%g" % entry["score"], "%g" % entry["max_score"], entry["status"],
                                             (": " + entry["message"]) if entry["message"] else ""))
    book["entries"].sort(key=lambda e: (e["student"], e["notebook"]))
    write_gradebook(args.course, args.assignment, book)
    say("homework: gradebook in %s/gradebook/%s.csv (.json, -cells.csv)" % (args.course, args.assignment))


def cmd_feedback(args):
    book_path = os.path.join(args.course, "gradebook", args.assignment + ".json")
    if not os.path.exists(book_path):
        fail("no gradebook %s: run ./tasklab homework autograde %s first" % (book_path, args.assignment))
    book = load_json(book_path)
    manual = _manual_scores(args.course, args.assignment)
    n = 0
    for e in book["entries"]:
        if args.student and e["student"] not in args.student:
            continue
        apply_manual(e, manual)
        graded_path = os.path.join(args.course, "autograded", e["student"], args.assignment, e["notebook"])
        nb = load_json(graded_path) if os.path.exists(graded_path) and e["status"] not in ("unreadable", "missing") else None
        if nb is not None:
            for cell in nb["cells"]:
                m, res = f.meta(cell), cell.get("metadata", {}).get("tasklab")
                if m and res:
                    r = next((r for r in e["results"] if r["grade_id"] == m["grade_id"]), None)
                    if r:
                        res.update(score=r["score"], status=r["status"], message=r["message"])
        out = os.path.join(args.course, "feedback", e["student"], args.assignment, e["notebook"][:-len(".ipynb")] + ".html")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(fb.render(e["student"], args.assignment, e, nb))
        n += 1
    write_gradebook(args.course, args.assignment, book)
    say("homework: %d feedback page(s) in %s/feedback/<student>/%s/" % (n, args.course, args.assignment))


def cmd_variant(args):
    """Runs the instructor version as STUDENT: that student's problem with its solution."""
    _check_kernel(args.kernel)
    src = source_dir(args)
    for name in notebooks_in(src):
        nb = load_json(os.path.join(src, name))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"], cell["execution_count"] = [], None
        notes = gr.execute(nb, src, args.student, args.timeout, args.kernel)
        say("=== %s, %s: the variant of %s with its solution" % (args.assignment, name, args.student))
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            gid = (f.meta(cell) or {}).get("grade_id", "")
            shown = []
            for out in cell["outputs"]:
                if out.get("output_type") == "stream":
                    shown.append(gr._text(out["text"]).rstrip("\n"))
                elif out.get("output_type") in ("execute_result", "display_data"):
                    shown.append(gr._text(out.get("data", {}).get("text/plain", "")).rstrip("\n"))
                elif out.get("output_type") == "error":
                    shown.append("ERROR %s: %s" % (out.get("ename"), out.get("evalue")))
            if shown:
                say("--- %s" % (gid or f.source(cell).strip().split("\n")[0][:60]))
                say("\n".join(shown))
        for n in notes:
            say("note: " + n)
        if args.notebook:
            write_json(args.notebook if len(notebooks_in(src)) == 1 else os.path.join(args.notebook, name), nb)


def main(argv=None):
    p = argparse.ArgumentParser(prog="./tasklab homework", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate", help="check the nbgrader metadata of every homework notebook")
    v.add_argument("paths", nargs="*", help="notebooks or folders (default: notebooks/homework)")
    for cmd, helptext in (("release", "make the student version in COURSE/release/A"),
                          ("assign", "the same as release (nbgrader's old name)"),
                          ("autograde", "run and grade COURSE/submitted/*/A; gradebook in COURSE/gradebook"),
                          ("feedback", "HTML per student in COURSE/feedback"),
                          ("variant", "print a student's variant with its solution")):
        s = sub.add_parser(cmd, help=helptext)
        s.add_argument("assignment")
        if cmd == "variant":
            s.add_argument("student")
            s.add_argument("--notebook", help="also write the executed notebook here")
        s.add_argument("--course", default=None if cmd == "variant" else "course",
                       help="course folder (default: ./course)")
        s.add_argument("--student", action="append", help="only this student (repeatable)") if cmd in ("autograde", "feedback") else None
        s.add_argument("--timeout", type=int, default=60, help="seconds a cell may run before the kernel is interrupted (default 60)")
        s.add_argument("--kernel", default="tasklab", help="kernelspec name (default tasklab)")
        if cmd == "autograde":
            s.add_argument("--jobs", type=int, default=1, help="notebooks graded at once, each with its own kernel (default 1)")
    args = p.parse_args(argv)
    {"validate": cmd_validate, "release": cmd_release, "assign": cmd_release, "autograde": cmd_autograde,
     "feedback": cmd_feedback, "variant": cmd_variant}[args.cmd](args)


if __name__ == "__main__":
    main()
