"""``nbconvert --to html`` of an executed notebook shows every graph, with no widget state.

Each graph is displayed as two outputs: the live widget (a widget view plus the Value's repr
as text/plain) and its static picture (a widget view with no model, which Jupyter front ends
hide, plus image/svg+xml). A notebook saved without widget state (or read offline) cannot
render the widget, so the HTML must still carry every picture. The kernel is this
interpreter: a kernelspec written to a temporary directory names ``sys.executable``.
"""

import base64
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import notebooks
import pytest
from graphs import LABELLED_NEURON_CODE
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_notebook
from notebooks import WIDGET_STATE, WIDGET_VIEW

from autograd_widget.drawing import fmt

NEURON = LABELLED_NEURON_CODE + "o.backward()\no"

MAGIC = """\
%%autograd
a = Value(2.0)
b = Value(-3.0)
c = Value(10.0)
d = a*b + c"""

WIDGET = """\
p = Value(3.0, label="p")
q = p * p; q.label = "q"
GraphWidget(q)"""

# per graph, in cell order: labels and numbers (as the drawing writes them) it must show
EXPECTED = [
    ({"x1", "w1", "x2", "w2", "b", "n", "o"}, [fmt(0.7071067811865476), fmt(-1.5), fmt(1.0)]),  # o, x1.grad, w1.grad
    ({"a", "b", "c", "d"}, [fmt(4.0), fmt(-3.0), fmt(2.0)]),  # d, a.grad, b.grad (%%autograd runs backward)
    ({"p", "q"}, [fmt(3.0), fmt(9.0)]),
]


def run_graphs(where: Path, kernels: Path, store_widget_state: bool) -> Path:
    """The notebook of the three graphs, run in a fresh kernel of this interpreter (with or
    without widget state, as JupyterLab's "save widget state" setting), saved in ``where``."""
    nb = new_notebook(cells=[
        new_code_cell("from autograd_widget import GraphWidget, Value"),
        new_code_cell(NEURON),
        new_code_cell("%load_ext autograd_widget"),
        new_code_cell(MAGIC),
        new_code_cell(WIDGET),
    ])
    notebooks.run(nb, kernels, where, store_widget_state=store_widget_state)
    path = where / "graphs.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run without storing widget state (JupyterLab's default)."""
    return run_graphs(tmp_path_factory.mktemp("nb"), tmp_path_factory.mktemp("kernels"), store_widget_state=False)


def drawings(html: str) -> list[str]:
    """The SVG outputs in the HTML, in order. nbconvert writes each as an <img> with a base64
    data URL inside a jp-RenderedSVG div; the page's CSS holds many more SVG data URLs (icons)."""
    encoded = re.findall(r'data-mime-type="image/svg\+xml"[^>]*>\s*<img[^>]*src="data:image/svg\+xml;base64,([^"]+)"',
                         html)
    return [base64.b64decode(e).decode() for e in encoded]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def check_html(html: str) -> None:
    pictures = drawings(html)
    assert len(pictures) == len(EXPECTED) == 3
    for svg, (labels, numbers) in zip(pictures, EXPECTED):
        assert svg.startswith("<svg") and 'class="agw-picture"' in svg
        words = texts(svg)
        assert labels <= set(words), (labels, words)
        drawn = [w.split()[-1] for w in words if w.startswith(("data", "grad"))]
        for number in numbers:
            assert number in drawn, (number, drawn)
    # no state: the widget views are skipped, the live widget falls back to the Value's repr
    assert WIDGET_VIEW not in html
    assert WIDGET_STATE not in html
    assert "html-manager" not in html  # no widget loader script either
    reprs = re.findall(r"<pre>(Value\(data=[^<]*)</pre>", html)
    assert len(reprs) == 3, reprs


def test_the_notebook_has_no_widget_state(executed):
    nb = nbformat.read(executed, as_version=4)
    assert not nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state")
    for c in nb.cells:
        if c.cell_type == "code":
            assert [o for o in c.outputs if o.output_type == "error"] == [], c.source


def test_every_graph_has_its_view_and_its_picture(executed):
    nb = nbformat.read(executed, as_version=4)
    for c in (nb.cells[1], nb.cells[3], nb.cells[4]):
        views = [o.data for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
        assert [v[WIDGET_VIEW]["model_id"] != "" for v in views] == [True, False], c.source
        live, picture = views
        assert set(live) == {WIDGET_VIEW, "text/plain"}
        assert set(picture) == {WIDGET_VIEW, "image/svg+xml"}


def test_html_export_shows_every_graph(executed):
    html, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
    check_html(html)


def test_nbconvert_command_line(executed, tmp_path):
    jupyter = Path(sys.executable).parent / "jupyter"
    subprocess.run([str(jupyter), "nbconvert", "--to", "html", str(executed), "--output-dir", str(tmp_path)],
                   check=True, capture_output=True, timeout=120)
    check_html((tmp_path / "graphs.html").read_text())
