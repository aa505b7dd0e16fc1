"""``nbconvert --to html`` of a notebook executed WITH widget state (nbclient's ``store_widget_state``).

The same three graphs as test_html_export.py (rich display of a Value, ``%%autograd``, an
explicit GraphWidget). With state saved, nbconvert writes, per graph: the live view as a
``widget-view+json`` script naming its model (the Value's text/plain repr is dropped: the view
outranks it), and the picture as an ``<img>`` (its view has no model in the state, so nbconvert
skips it). The state itself goes in one ``widget-state+json`` script at the end: for each
GraphWidget anywidget's ``AnyModel`` with our traits, the bundle's ESM and CSS, and the tape and
kernel numbers as base64 buffers. The page loads require.js and, from a CDN, the html-manager
that renders the views from that state (tests/e2e/test_html_export_live_browser.py loads it).
"""

import base64
import json
import math
import re
import struct
import subprocess
import sys
from pathlib import Path

import anywidget
import nbformat
import pytest
from nbconvert import HTMLExporter
from notebooks import WIDGET_STATE, WIDGET_VIEW
from test_html_export import EXPECTED, drawings, run_graphs, texts

from autograd_widget.widget import BUNDLE, STYLES

# what nbconvert's lab template loads (HTMLExporter.require_js_url, jupyter_widgets_base_url +
# html_manager_semver_range): the e2e test serves exactly these URLs
REQUIRE_JS = "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"
HTML_MANAGER = "https://unpkg.com/@jupyter-widgets/html-manager@*/dist/embed-amd.js"
MAJOR, MINOR = anywidget.__version__.split(".")[:2]
ANYWIDGET_RANGE = f"~{MAJOR}.{MINOR}.*"  # the model's module version: what a CDN is asked for

# per graph, in cell order: its sliders (labels, in order) and label -> (data, grad), by hand
TANH_N = math.tanh(6.8813735870195432 - 6.0)  # o = tanh(x1*w1 + x2*w2 + b)
GRAPHS = [
    (["x1", "x2", "w1", "w2", "b"],
     {"x1": (2.0, -3.0 * (1 - TANH_N**2)), "w1": (-3.0, 2.0 * (1 - TANH_N**2)), "x2": (0.0, 1 - TANH_N**2),
      "w2": (1.0, 0.0), "b": (6.8813735870195432, 1 - TANH_N**2), "o": (TANH_N, 1.0)}),
    (["a", "b", "c"], {"a": (2.0, -3.0), "b": (-3.0, 2.0), "c": (10.0, 1.0), "d": (4.0, 1.0)}),
    (["p"], {"p": (3.0, 0.0), "q": (9.0, 0.0)}),  # no backward: every grad 0
]
TAPE_BUFFERS = {"op", "offsets", "parents", "known", "data", "grad", "stale_data", "stale_grad"}
NUMBER_BUFFERS = {"data", "grad", "stale_data", "stale_grad"}


def run_with_state(where: Path, kernels: Path) -> Path:
    """The notebook, run in a fresh kernel of this interpreter storing widget state, saved in ``where``."""
    return run_graphs(where, kernels, store_widget_state=True)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    return run_with_state(tmp_path_factory.mktemp("nb"), tmp_path_factory.mktemp("kernels"))


def scripts(html: str, kind: str) -> list[str]:
    """The bodies of the <script type="kind"> elements, in order."""
    return re.findall(rf'<script type="{re.escape(kind)}">\s*(.*?)\s*</script>', html, re.S)


def column(model: dict, path: list[str], fmt: str) -> list:
    """A binary column of a saved model, decoded (little-endian, as wire.py writes it)."""
    found = [b for b in model["buffers"] if b["path"] == path]
    assert len(found) == 1, (path, [b["path"] for b in model["buffers"]])
    assert found[0]["encoding"] == "base64"
    raw = base64.b64decode(found[0]["data"])
    return list(struct.unpack(f"<{len(raw) // struct.calcsize(fmt)}{fmt}", raw))


def check_graph_model(model: dict, state: dict, sliders: list[str], numbers: dict) -> None:
    """One GraphWidget's saved model: anywidget's, with our traits, bundle and numbers."""
    assert (model["model_name"], model["model_module"], model["model_module_version"]) == (
        "AnyModel", "anywidget", ANYWIDGET_RANGE)
    s = model["state"]
    assert (s["_model_name"], s["_model_module"], s["_model_module_version"]) == (
        "AnyModel", "anywidget", ANYWIDGET_RANGE)
    assert (s["_view_name"], s["_view_module"], s["_view_module_version"]) == ("AnyView", "anywidget", ANYWIDGET_RANGE)
    assert s["_anywidget_id"] == "autograd_widget.widget.GraphWidget"
    assert s["_esm"] == BUNDLE and s["_css"] == STYLES  # the whole bundle travels in every model
    assert {"svg", "sliders", "tape", "kernel_state", "rankdir", "boxes", "message", "notice"} <= set(s)
    assert s["svg"].startswith("<svg") and 'class="agw-picture"' in s["svg"]
    assert [x["label"] for x in s["sliders"]] == sliders
    assert (s["message"], s["notice"], s["boxes"]) == ("", "", [])
    # its layout is a model of the state too
    assert s["layout"].startswith("IPY_MODEL_")
    assert state[s["layout"].removeprefix("IPY_MODEL_")]["model_name"] == "LayoutModel"
    # the tape's columns and the kernel's numbers are buffers, not JSON
    tape = s["tape"]
    assert set(tape) == {"n", "ops", "args", "labels"}, sorted(tape)
    assert s["kernel_state"] == {"answers": None, "rejected": ""}
    assert {tuple(b["path"]) for b in model["buffers"]} == (
        {("tape", k) for k in TAPE_BUFFERS} | {("kernel_state", k) for k in NUMBER_BUFFERS})
    data, grad = column(model, ["tape", "data"], "d"), column(model, ["tape", "grad"], "d")
    assert len(data) == len(grad) == tape["n"]
    ids = {label: int(i) for i, label in tape["labels"].items()}
    for label, (d, g) in numbers.items():
        assert data[ids[label]] == pytest.approx(d, abs=1e-12), (label, "data")
        assert grad[ids[label]] == pytest.approx(g, abs=1e-12), (label, "grad")
    for k, fmt in (("data", "d"), ("grad", "d"), ("stale_data", "B"), ("stale_grad", "B")):
        assert column(model, ["kernel_state", k], fmt) == column(model, ["tape", k], fmt), k
    assert not any(column(model, ["tape", "stale_data"], "B")) and not any(column(model, ["tape", "stale_grad"], "B"))


def check_html(html: str, saved_state: dict) -> None:
    # the loaders: require.js in <head>; the html-manager from unpkg, added on DOMContentLoaded
    assert re.findall(r'<script src="([^"]*require[^"]*)"', html) == [REQUIRE_JS]
    assert html.count(HTML_MANAGER) == 1
    assert re.search(rf"var widgetRendererSrc = '{re.escape(HTML_MANAGER)}';", html)

    # the state: one script at the end, exactly the notebook's
    states = scripts(html, WIDGET_STATE)
    assert len(states) == 1, f"{len(states)} widget-state scripts"
    assert re.search(r"</script>\s*</html>\s*$", html) and html.rindex(WIDGET_STATE) > html.rindex(WIDGET_VIEW)
    widget_state = json.loads(states[0])
    assert widget_state == saved_state
    assert (widget_state["version_major"], widget_state["version_minor"]) == (2, 0)
    state = widget_state["state"]
    names = sorted(m["model_name"] for m in state.values())
    assert names == ["AnyModel"] * 3 + ["LayoutModel"] * 3, names

    # each live view: a script naming a GraphWidget's model, in cell order; no repr, no view without a model
    views = [json.loads(v) for v in scripts(html, WIDGET_VIEW)]
    assert len(views) == 3
    assert all((v["version_major"], v["version_minor"]) == (2, 1) for v in views)
    models = [state[v["model_id"]] for v in views]
    assert len({v["model_id"] for v in views}) == 3
    assert '"model_id": ""' not in html
    assert not re.findall(r"Value\(data=", html), "the live view's text/plain repr is not exported"

    # each picture: once, as an <img>, with its labels and numbers, the drawing its model holds
    pictures = drawings(html)
    assert len(pictures) == len(EXPECTED) == len(GRAPHS) == 3
    for svg, model, (labels, numbers), (sliders, values) in zip(pictures, models, EXPECTED, GRAPHS):
        assert svg.startswith("<svg") and 'class="agw-picture"' in svg
        words = texts(svg)
        assert labels <= set(words), (labels, words)
        drawn = [w.split()[-1] for w in words if w.startswith(("data", "grad"))]
        for number in numbers:
            assert number in drawn, (number, drawn)
        assert html.count(base64.b64encode(svg.encode()).decode()) == 1
        assert model["state"]["svg"] == svg  # the live view starts from the same drawing
        check_graph_model(model, state, sliders, values)


def saved_state(path: Path) -> dict:
    return nbformat.read(path, as_version=4).metadata["widgets"][WIDGET_STATE]


def test_the_notebook_has_widget_state(executed):
    nb = nbformat.read(executed, as_version=4)
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    for c in nb.cells:
        if c.cell_type == "code":
            assert [o for o in c.outputs if o.output_type == "error"] == [], c.source
    for c in (nb.cells[1], nb.cells[3], nb.cells[4]):
        live, picture = [o.data for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
        assert set(live) == {WIDGET_VIEW, "text/plain"} and live[WIDGET_VIEW]["model_id"] in state
        assert set(picture) == {WIDGET_VIEW, "image/svg+xml"} and picture[WIDGET_VIEW]["model_id"] == ""


def test_html_export_carries_the_widget_state(executed):
    html, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
    check_html(html, saved_state(executed))


def test_nbconvert_command_line(executed, tmp_path):
    jupyter = Path(sys.executable).parent / "jupyter"
    subprocess.run([str(jupyter), "nbconvert", "--to", "html", str(executed), "--output-dir", str(tmp_path)],
                   check=True, capture_output=True, timeout=120)
    check_html((tmp_path / "graphs.html").read_text(), saved_state(executed))
