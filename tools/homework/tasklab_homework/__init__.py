"""tasklab homework: nbgrader-format assignments without nbgrader (issue 13).

Reads and writes nbgrader's cell metadata schema 3 exactly as nbgrader does (same checksums, same
stubs, same locks, same scoring rule), so a course with nbgrader can use the files unchanged and a
course without it can still release, grade and return homework.
"""
