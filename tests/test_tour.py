"""examples/tour.ipynb runs top to bottom in a fresh kernel (nbclient) and prints the lecture's numbers.

The kernel is this interpreter (a kernelspec written to a temporary directory names ``sys.executable``),
run with the notebook's folder as its working directory.
"""

import re
from itertools import pairwise
from pathlib import Path

import nbformat
import notebooks
import pytest
from notebooks import WIDGET_STATE, WIDGET_VIEW
from views import labels

NOTEBOOK = Path(__file__).parent.parent / "examples" / "tour.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    return notebooks.run(nbformat.read(NOTEBOOK, as_version=4), tmp_path_factory.mktemp("kernels"), NOTEBOOK.parent)


def cell(nb, starts_with):
    (found,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with)]
    return found


def printed(c) -> str:
    return "".join(o.text for o in c.outputs if o.output_type == "stream" and o.name == "stdout")


def widget_state(nb, c):
    """The saved model state of the one live widget a cell shows."""
    (view,) = [o for o in c.outputs if o.get("data", {}).get(WIDGET_VIEW, {}).get("model_id")]
    return nb.metadata["widgets"][WIDGET_STATE]["state"][view["data"][WIDGET_VIEW]["model_id"]]["state"]


def test_the_saved_notebook_has_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for c in nb.cells:
        if c.cell_type == "code":
            assert (c.outputs, c.execution_count) == ([], None), c.source


def test_runs_without_errors(executed):
    for c in executed.cells:
        if c.cell_type == "code":
            assert [o for o in c.outputs if o.output_type == "error"] == [], c.source
            assert [o.text for o in c.outputs if o.output_type == "stream" and o.name == "stderr"] == [], c.source


def test_the_seed_slopes_by_finite_difference_and_by_backward(executed):
    rows = re.findall(r"x = (\S+): slope = (\S+), backward = (\S+)", printed(cell(executed, "h = 0.001")))
    got = [tuple(map(float, row)) for row in rows]
    assert [x for x, _, _ in got] == pytest.approx([3.0, -3.0, 2 / 3], abs=1e-4)
    assert [s for _, s, _ in got] == pytest.approx([14.0, -22.0, 0.0], abs=0.01)  # h = 0.001: off by 0.003
    assert [g for _, _, g in got] == pytest.approx([14.0, -22.0, 0.0], abs=1e-9)


def test_the_first_widget_is_f_with_a_slider_on_x(executed):
    state = widget_state(executed, cell(executed, "from autograd_widget import GraphWidget"))
    assert labels(state["tape"])[-1] == "f"
    assert [(s["label"], s["min"], s["max"]) for s in state["sliders"]] == [("x", -5.0, 5.0)]


def test_the_three_slopes_of_d(executed):
    assert printed(cell(executed, "d.backward()")) == "-3.0 2.0 1.0\n"
    state = widget_state(executed, cell(executed, "%%autograd\nfrom autograd_widget import Value"))
    assert sorted(s["label"] for s in state["sliders"]) == ["a", "b", "c"]


def test_the_seed_class_is_drawn_live(executed):
    state = widget_state(executed, cell(executed, "%%autograd\na3 ="))
    assert labels(state["tape"])[-1] == "d"
    assert sorted(s["label"] for s in state["sliders"]) == ["a", "b", "c"]


def test_the_neuron_is_shown_before_backward_then_its_grads_print(executed):
    shown = cell(executed, "from autograd_widget import Value\n\nx1 =")
    (plain,) = [o["data"]["text/plain"] for o in shown.outputs if "text/plain" in o.get("data", {})]
    assert plain == "Value(data=0.7071067811865477, grad=0.0)"
    state = widget_state(executed, shown)
    assert sorted(s["label"] for s in state["sliders"]) == ["b", "w1", "w2", "x1", "x2"]
    grads = dict(re.findall(r"(\w+) (-?[\d.]+)", printed(cell(executed, "o.backward()"))))
    assert {k: float(v) for k, v in grads.items()} == {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}


def test_the_nudge_makes_o_go_up(executed):
    out = printed(cell(executed, "from autograd_widget import replay"))
    before, after = map(float, re.fullmatch(r"o: (\S+) -> (\S+)\n", out).groups())
    assert before == pytest.approx(0.7071, abs=1e-4)
    assert after > before


def test_training_lowers_the_loss_and_the_loss_graph_is_boxed(executed):
    losses = [float(line.split()[1]) for line in printed(cell(executed, "import random")).splitlines()]
    assert len(losses) == 10
    assert all(later < earlier for earlier, later in pairwise(losses))
    assert losses[-1] < losses[0] / 10
    shown = cell(executed, "ypred =")
    assert float(printed(shown)) < losses[-1]
    state = widget_state(executed, shown)
    assert labels(state["tape"])[-1] == "loss"
    assert state["boxes"] and not all(box["expanded"] for box in state["boxes"])
