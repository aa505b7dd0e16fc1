"""examples/quickstart.ipynb runs top to bottom in a real kernel (nbclient) and shows its widgets.

The kernel is this interpreter: a kernelspec written to a temporary directory names
``sys.executable``, so neither the user's kernelspecs nor PATH decide which Python runs.
"""

import base64
import sys
from pathlib import Path

import nbformat
import notebooks
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from notebooks import WIDGET_STATE, WIDGET_VIEW
from views import labels, numbers

NOTEBOOK = Path(__file__).parent.parent / "examples" / "quickstart.ipynb"


@pytest.fixture(scope="module")
def execute(tmp_path_factory):
    """``execute(nb)``: run a notebook in a fresh kernel of this interpreter, in place."""
    kernels = tmp_path_factory.mktemp("kernels")
    return lambda nb: notebooks.run(nb, kernels, NOTEBOOK.parent)


@pytest.fixture(scope="module")
def executed(execute):
    return execute(nbformat.read(NOTEBOOK, as_version=4))


def cell(nb, starts_with):
    (found,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with)]
    return found


def widget_views(c):
    """The outputs that show a live widget."""
    return [o for o in c.outputs if o.get("data", {}).get(WIDGET_VIEW, {}).get("model_id")]


def pictures(c):
    """The widgets' static pictures: a widget view with no model (front ends hide it) and the SVG."""
    return [o for o in c.outputs if o.get("data", {}).get(WIDGET_VIEW, {}).get("model_id") == ""]


def state_of(nb, output):
    """The widget's model state as nbclient saved it in the notebook, its binary buffers
    (base64 in the file) put back where they belong."""
    model_id = output["data"][WIDGET_VIEW]["model_id"]
    saved = nb.metadata["widgets"][WIDGET_STATE]["state"][model_id]
    state = saved["state"]
    for buffer in saved.get("buffers", []):
        *where, key = buffer["path"]
        target = state
        for k in where:
            target = target[k]
        target[key] = base64.b64decode(buffer["data"])
    return state


def test_runs_without_errors(executed):
    for c in executed.cells:
        if c.cell_type == "code":
            assert [o for o in c.outputs if o.output_type == "error"] == [], c.source
            assert [o.text for o in c.outputs if o.output_type == "stream" and o.name == "stderr"] == [], c.source


def test_the_magic_cells_show_one_named_widget_each(executed):
    for source, root, sliders in [("%%autograd\nfrom", "d", ["a", "b", "c"]),
                                  ("%%autograd o", "o", ["x1", "w1", "x2", "w2", "b"]),
                                  ("%%autograd\nclass MyValue", "s", ["p", "q", "r"])]:
        c = cell(executed, source)
        (view,) = widget_views(c)
        assert view.output_type == "display_data"
        (picture,) = pictures(c)
        assert "<svg" in picture["data"]["image/svg+xml"]  # what GitHub shows where no widget runs
        state = state_of(executed, view)
        assert labels(state["tape"])[-1] == root
        assert sorted(s["label"] for s in state["sliders"]) == sorted(sliders)


def test_the_seed_slopes_are_the_ones_the_markdown_promises(executed):
    state = state_of(executed, widget_views(cell(executed, "%%autograd\nfrom"))[0])
    names, grads = labels(state["tape"]), numbers(state["kernel_state"])["grad"]
    assert [grads[names.index(x)] for x in "abc"] == [-3.0, 2.0, 1.0]


def test_the_kernel_objects_print(executed):
    (out,) = cell(executed, "print(").outputs
    assert out.text == "a = 2.0, d = 4.0, dd/da = -3.0\n"


def test_the_neuron_slider_range_comes_from_the_option(executed):
    state = state_of(executed, widget_views(cell(executed, "%%autograd o"))[0])
    assert {(s["min"], s["max"]) for s in state["sliders"]} == {(-8.0, 8.0)}
    names, data = labels(state["tape"]), numbers(state["kernel_state"])["data"]
    assert data[names.index("o")] == pytest.approx(0.7071067811865476, rel=1e-12)


def test_a_value_at_the_end_of_a_cell_shows_its_graph(executed):
    c = cell(executed, "L = (d - 3)")
    (view,) = widget_views(c)
    assert set(view["data"]) == {WIDGET_VIEW, "text/plain"}
    assert view["data"]["text/plain"].startswith("Value(data=")  # terminals and plain viewers: the repr
    assert labels(state_of(executed, view)["tape"])[-1] == "L"
    (picture,) = pictures(c)
    assert set(picture["data"]) == {WIDGET_VIEW, "image/svg+xml"}


def test_print_of_a_value_stays_text(execute):
    nb = execute(new_notebook(cells=[new_code_cell("from autograd_widget import Value\nprint(Value(2.0) * 3)")]))
    (out,) = nb.cells[0].outputs
    assert (out.output_type, out.text) == ("stream", "Value(data=6.0, grad=0.0)\n")


def test_a_trailing_value_in_a_magic_cell_shows_one_widget_the_named_one(execute):
    nb = execute(new_notebook(cells=[
        new_code_cell("%load_ext autograd_widget"),
        new_code_cell("%%autograd\nfrom autograd_widget import Value\nx = Value(3.0)\ny = x * x\ny"),
        new_code_cell("import sys\nprint(_ is y, sys.executable)"),
    ]))
    outputs = nb.cells[1].outputs
    # the widget and its picture only: no repr showing grad=0 above a drawing that shows the filled grads
    assert [o.output_type for o in outputs] == ["display_data"] * 2
    assert [labels(state_of(nb, o)["tape"]) for o in widget_views(nb.cells[1])] == [["x", "y"]]
    assert nb.cells[2].outputs[0].text == f"True {sys.executable}\n"  # `_` works; the kernel is this Python
