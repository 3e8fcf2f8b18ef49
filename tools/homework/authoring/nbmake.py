"""Tiny helpers to write homework notebooks (nbgrader schema 3 metadata) from Python, for authors."""
import json
import os
import uuid

KERNELSPEC = {"name": "tasklab", "display_name": "Java (tasklab)", "language": "java"}


def _cell(kind, src, nbg=None, cid=None):
    c = {"cell_type": kind, "id": cid or uuid.uuid5(uuid.NAMESPACE_URL, src).hex[:12], "metadata": {}, "source": src}
    if nbg:
        c["metadata"]["nbgrader"] = dict(schema_version=3, **nbg)
    if kind == "code":
        c["outputs"], c["execution_count"] = [], None
    return c


def md(src):
    return _cell("markdown", src)


def code(src):
    return _cell("code", src)


def readonly(gid, src, kind="code"):
    return _cell(kind, src, dict(grade=False, solution=False, locked=True, grade_id=gid), gid)


def answer(gid, src):
    return _cell("code", src, dict(grade=False, solution=True, locked=False, grade_id=gid), gid)


def tests(gid, points, src):
    return _cell("code", src, dict(grade=True, solution=False, locked=True, grade_id=gid, points=points), gid)


def manual(gid, points, src):
    return _cell("markdown", src, dict(grade=True, solution=True, locked=False, grade_id=gid, points=points), gid)


def write(path, cells):
    nb = {"cells": cells, "metadata": {"kernelspec": KERNELSPEC,
          "language_info": {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source"}},
          "nbformat": 4, "nbformat_minor": 5}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(nb, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
