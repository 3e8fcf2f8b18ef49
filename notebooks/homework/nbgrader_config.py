# nbgrader configuration for the tasklab homework (written by ./tasklab homework release).
# nbgrader's built-in Java stub is only "// YOUR CODE HERE", which leaves a method that returns a
# value uncompilable; this stub compiles in any method and fails clearly when run.
c = get_config()  # noqa: F821 (nbgrader defines get_config)
c.ClearSolutions.code_stub = {"java": "// YOUR CODE HERE\nthrow new UnsupportedOperationException(\"TODO\");"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Java cells run in the tasklab kernel; a cell that loops forever is interrupted after this many seconds.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
