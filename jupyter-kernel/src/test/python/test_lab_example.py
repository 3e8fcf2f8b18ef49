"""The README's lab example as a notebook, executed by nbconvert through the installed kernel:
the pagemap shows as an HTML table, explain() as HTML, the COW picture as SVG (issue 11)."""
import unittest
import xml.dom.minidom

from test_clients import execute_notebook


class LabExampleTests(unittest.TestCase):
    def test_lab_example_gives_html_table_explanation_and_svg(self):
        outputs = execute_notebook("lab-example.ipynb")
        shown = [o for o in outputs if o.output_type == "execute_result"]
        self.assertEqual(3, len(shown), "the table, the explanation and the picture")
        table, explanation, picture = shown
        self.assertIn("<table", table.data["text/html"])
        self.assertIn("page_count", table.data["text/html"])
        self.assertIn("do_wp_page", explanation.data["text/html"])
        self.assertIn("(R9.5)", explanation.data["text/plain"])
        svg = picture.data["image/svg+xml"]
        root = xml.dom.minidom.parseString(svg).documentElement
        self.assertEqual("svg", root.tagName)
        self.assertIn("frame", picture.data["text/plain"])


if __name__ == "__main__":
    unittest.main()
