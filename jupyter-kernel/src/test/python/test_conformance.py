"""The Jupyter project's own kernel conformance suite (jupyter_kernel_test), every group enabled."""
import unittest

import jupyter_kernel_test


class TasklabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "tasklab"
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max("}},
        {"text": "System.out.prin", "matches": {"print(", "println(", "printf("}},
    ]

    complete_code_samples = ["1", "int x = 1;", "void f() {}", "class A {}", "%sim"]
    incomplete_code_samples = ["int x = ", "void f() {", "for (int i = 0; i < 3; i++) {"]
    invalid_code_samples = ["int x = @;", "x = )", "class 1A {}"]

    code_page_something = "%doc Math.max"

    code_generate_error = 'throw new RuntimeException("boom");'

    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": '"a" + "b"', "result": "ab"},
        {"code": "Math.max(3, 4)", "result": "4"},
    ]

    code_display_data = [
        {"code": 'display("hello");', "mime": "text/plain"},
        {"code": 'display(Table.create("t", IntColumn.create("a", 1, 2)));', "mime": "text/html"},
        {"code": "var c = new XYChartBuilder().width(300).height(200).build();\n"
                 "c.addSeries(\"s\", new double[] {1, 2, 3}, new double[] {1, 4, 9});\n"
                 "display(c);", "mime": "image/png"},
        {"code": "display(c, \"image/svg+xml\");", "mime": "image/svg+xml"},
    ]

    code_history_pattern = "6*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput();"


if __name__ == "__main__":
    unittest.main()
