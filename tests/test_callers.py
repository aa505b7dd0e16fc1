"""Unlabelled nodes take the caller's variable names (callers.py), in the drawing only:
GraphWidget(root) from a function, a module, a real kernel's bare Value, and marimo's
``_display_`` (the browser side of marimo is tests/e2e/test_marimo_browser.py)."""

import re

import pytest
from kernel import Kernel, displays

from autograd_widget import GraphWidget, Value
from autograd_widget.boxes import MAX_NODES
from autograd_widget.display import NotDrawn
from autograd_widget.widget import MAX_START_SLIDERS


def drawn_labels(svg: str) -> set[str]:
    """The titles of the records a drawing shows (a record without a label starts at 'data')."""
    first_lines = re.findall(r'<g id="n\d+"><path[^>]*/><text[^>]*>([^<]*)</text>', svg)
    return {t for t in first_lines if not t.startswith("data")}


def slider_labels(w: GraphWidget) -> list[str]:
    return [s["label"] for s in w.sliders]


def test_a_module_s_globals_name_the_leaves_and_the_objects_keep_their_labels():
    namespace = {"__name__": "__main__"}
    exec("from autograd_widget import GraphWidget, Value\n"
         "a = Value(2.0)\nb = Value(-3.0)\n"
         "d = a * b + Value(10.0)\n"  # the constant is bound to nothing: unnamed, no slider
         "widget = GraphWidget(d)\n", namespace)
    w, a, b, d = (namespace[k] for k in ("widget", "a", "b", "d"))
    assert slider_labels(w) == ["a", "b"]
    assert {"a", "b", "d"} <= drawn_labels(w.svg)
    assert (a.label, b.label, d.label) == ("", "", ""), "naming is the drawing's: the objects are not written"
    w.set_leaf("a", 4.0)  # a slider's name is a name the widget answers to
    assert a.data == 4.0 and d.data == -2.0
    w.close()


def test_a_function_s_locals_are_not_read():
    """Reading them (Python < 3.13) would keep every local alive until the function returns:
    inside a function, leaves are named by their labels, else by their node."""
    def build():
        a = Value(2.0)
        return GraphWidget(a * Value(3.0, label="b"))

    w = build()
    assert slider_labels(w) == ["b"]
    w.close()


def test_an_own_label_always_wins():
    namespace = {"__name__": "__main__"}
    exec("from autograd_widget import GraphWidget, Value\n"
         "x = Value(1.5)\nw = Value(-2.0, label='weight')\ny = x * w\n"
         "widget = GraphWidget(y)\n", namespace)
    w = namespace["widget"]
    assert slider_labels(w) == ["x", "weight"]
    assert {"x", "weight", "y"} <= drawn_labels(w.svg) and "w" not in drawn_labels(w.svg)
    w.close()


def test_with_no_name_for_any_leaf_every_leaf_gets_a_slider_named_by_its_node():
    w = GraphWidget(Value(2.0) * Value(3.0) + Value(1.0))
    assert slider_labels(w) == ["node 0", "node 1", "node 3"]
    w.close()


def test_a_front_end_s_own_names_never_name_anything():
    """marimo calls ``obj._display_()`` from its own code: what its module holds is not the
    learner's name for the Value."""
    front_end = {"__name__": "marimo._output.formatting"}
    exec("def format(obj):\n    global last\n    last = obj\n    return obj._display_()\n", front_end)
    value = Value(2.0) * Value(3.0)
    w = front_end["format"](value)
    assert isinstance(w, GraphWidget) and front_end["last"] is value
    assert "last" not in drawn_labels(w.svg)
    w.close()


def test_a_namespace_that_cannot_be_read_costs_its_names_never_the_drawing():
    """A lazy proxy whose ``__class__`` raises, a list whose iteration raises: skipped."""
    namespace = {"__name__": "__main__"}
    exec("from autograd_widget import GraphWidget, Value\n"
         "class Proxy:\n"
         "    @property\n"
         "    def __class__(self):\n"
         "        raise RuntimeError('working outside of request context')\n"
         "class Broken(list):\n"
         "    def __iter__(self):\n"
         "        raise TypeError('not iterable today')\n"
         "proxy = Proxy()\nrows = Broken([1.0])\n"
         "x = Value(1.5)\ny = x * 2\n"
         "shown = y._display_()\n", namespace)
    w = namespace["shown"]
    assert isinstance(w, GraphWidget), w
    w.close()


def test_an_unnamed_graph_gets_at_most_the_start_cap_of_sliders():
    def dot_product():
        xs = [Value(float(i)) for i in range(MAX_START_SLIDERS + 10)]
        return sum(x * x for x in xs)

    w = GraphWidget(dot_product(), collapse_above=None)  # drawn whole: no boxes to choose by
    assert len(w.sliders) == MAX_START_SLIDERS
    w.close()


def test_display_protocol_gives_the_live_graph_or_says_why_not():
    """marimo's ``_display_``: a GraphWidget; a graph too large for one is a one-line reason
    and a picture of the part nearest the output; a cycle is the reason alone."""
    namespace = {"__name__": "__main__"}
    exec("from autograd_widget import Value\np = Value(1.5)\nq = p * p\nw = q._display_()", namespace)
    w = namespace["w"]
    assert isinstance(w, GraphWidget) and slider_labels(w) == ["p"]
    w.close()

    big = Value(1.0)
    for _ in range(MAX_NODES):
        big = big + 1.0
    shown = big._display_()
    assert isinstance(shown, NotDrawn)
    mime, html = shown._mime_()
    assert mime == "text/html" and f"more than {MAX_NODES:,} nodes" in html and "<svg" in html

    c1 = Value(1.0, label="c1")
    c2 = c1 + 1.0
    c1.parents = (c2,)  # a cycle: no graph can be drawn
    _, html = c2._display_()._mime_()
    assert "graph not drawn" in html and "cycle" in html and "<svg" not in html


def test_not_drawn_escapes_what_it_shows():
    _, html = NotDrawn("Value(data=1.0) <b>{}|\"</b>", "why: <script>")._mime_()
    assert "<b>" not in html and "<script>" not in html and "&lt;script&gt;" in html


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    k = Kernel(tmp_path_factory.mktemp("kernels"))
    yield k
    k.stop()


def test_a_bare_value_in_a_kernel_is_drawn_with_its_variables_names(kernel):
    out = displays(kernel.execute("from autograd_widget import Value\n"
                                  "a = Value(2.0)\nb = Value(-3.0)\nd = a*b + 10\nd"))
    pictures = [o["data"]["image/svg+xml"] for o in out if "image/svg+xml" in o["data"]]
    assert len(pictures) == 1 and {"a", "b", "d"} <= drawn_labels(pictures[0])
    assert kernel.value("[a.label, b.label, d.label]") == ["", "", ""]
