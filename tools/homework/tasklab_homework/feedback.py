"""Feedback: one self-contained HTML page per student notebook, each test's result beside its cell."""
import html

from . import nbformat3 as f

CSS = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;white-space:pre-wrap}
.out{background:#fff;border-left:3px solid #ccc}.err{background:#fdecea}
.res{padding:.4em .6em;margin:.3em 0 1.2em;border-radius:4px}.passed{background:#e6f4ea}
.failed,.invalid,.unanswered{background:#fdecea}.partial,.needs{background:#fff4e5}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}"""


def _markdown(text):
    try:
        from nbconvert.filters.markdown_mistune import markdown2html_mistune
        return markdown2html_mistune(text)
    except Exception:  # no nbconvert: the text as written
        return "<pre>%s</pre>" % html.escape(text)


def _outputs(cell):
    parts = []
    for out in cell.get("outputs", []):
        t = out.get("output_type")
        if t == "stream":
            txt = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
            parts.append('<pre class="out%s">%s</pre>' % (" err" if out.get("name") == "stderr" else "", html.escape(txt)))
        elif t == "error":
            parts.append('<pre class="out err">%s</pre>' % html.escape("\n".join(out.get("traceback") or [out.get("ename", "") + ": " + out.get("evalue", "")])))
        elif t in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "image/png" in data:
                parts.append('<img src="data:image/png;base64,%s">' % "".join(data["image/png"]).replace("\n", ""))
            elif "text/plain" in data:
                txt = data["text/plain"] if isinstance(data["text/plain"], str) else "".join(data["text/plain"])
                parts.append('<pre class="out">%s</pre>' % html.escape(txt))
    return "\n".join(parts)


def _fmt(x):
    return "-" if x is None else ("%g" % x)


def render(student, assignment, entry, nb):
    """The page for one notebook's gradebook entry (and its graded notebook, when it could run)."""
    title = "%s: %s, %s" % (assignment, entry["notebook"], student)
    rows = "".join("<tr><td>%s</td><td>%s</td><td>%s / %s</td><td>%s</td></tr>" % (
        html.escape(r["grade_id"]), r["kind"], _fmt(r["score"]), _fmt(r["max_score"]), html.escape(r["message"]))
        for r in entry["results"])
    head = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>%s</title><style>%s</style></head><body>" % (html.escape(title), CSS),
            "<h1>%s</h1>" % html.escape(title),
            "<p><b>Score: %s of %s</b> (autograded %s of %s; %s points wait for the teacher).</p>" % (
                _fmt(entry["score"]), _fmt(entry["max_score"]), _fmt(entry["autograded_score"]),
                _fmt(entry["autograded_max"]), _fmt(entry["manual_pending"])),
            ]
    if entry.get("message"):
        head.append("<p>%s</p>" % html.escape(entry["message"]))
    head.append("<table><tr><th>part</th><th>kind</th><th>points</th><th>result</th></tr>%s</table><hr>" % rows)
    body = []
    if nb is not None:
        for cell in nb["cells"]:
            src = f.source(cell)
            if cell["cell_type"] == "markdown":
                body.append(_markdown(src))
            elif cell["cell_type"] == "code":
                body.append("<pre>%s</pre>" % html.escape(src))
                body.append(_outputs(cell))
            res = cell.get("metadata", {}).get("tasklab")
            if res:
                cls = res["status"].split()[0]
                body.append('<div class="res %s"><b>%s: %s / %s</b> - %s</div>' % (
                    cls, html.escape(f.meta(cell)["grade_id"]), _fmt(res["score"]), _fmt(res["max_score"]), html.escape(res["message"])))
    return "\n".join(head + body + ["</body></html>"])
