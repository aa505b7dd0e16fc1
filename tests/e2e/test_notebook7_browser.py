"""The widget in Notebook 7 (``jupyter notebook``, the page /notebooks/<name>.ipynb), not
only in JupyterLab: ``%%autograd`` on the lecture's neuron, a bare ``Value`` at the end of
a cell, and a real mouse drag whose numbers the kernel ends up holding.

Same contract and same hand-computed numbers as test_graph_widget.py (the neuron
o = tanh(x1*w1 + x2*w2 + b)); ``w1`` is read back from the slider after the drag.
"""

from __future__ import annotations

import pytest
from graphs import NEURON_CODE

from .kernel_agrees import run_until_kernel_agrees
from .test_graph_widget import (
    KERNEL,
    START,
    VALUE_NODES,
    assert_drawing_matches,
    drag_slider,
    slider_value,
    wait_drawn_leaf,
)

pytestmark = pytest.mark.e2e

LEAVES = ("x1", "x2", "w1", "w2", "b")
# The lecture's neuron, named by its variables (no labels): %%autograd names and draws it.
MAGIC_NEURON = "%%autograd\n" + NEURON_CODE
BARE = """from autograd_widget import Value

a = Value(2.0, label="a"); b = Value(-3.0, label="b"); c = Value(10.0, label="c")
d = a*b + c; d.label = "d"
d.backward()
d"""


def in_notebook7(nb) -> None:
    """The page is Notebook 7's own front end, not JupyterLab's."""
    assert "/notebooks/" in nb.page.url, nb.page.url
    assert nb.page.evaluate("() => window.jupyterapp.name") == "Jupyter Notebook"
    assert nb.page.locator("#jp-main-dock-panel").count() == 0, "JupyterLab's dock panel: this is Lab"


def wait_widget(page, root: str, sliders: tuple[str, ...]) -> None:
    page.locator(f'svg g.node.agw-value[data-label="{root}"]').wait_for(state="attached")
    for label in sliders:  # one slider per leaf, named by its label
        assert page.locator(f'input[type="range"][aria-label="{label}"]').count() == 1, f"slider {label}"
    page.locator(f'input[type="range"][aria-label="{sliders[0]}"]').wait_for(state="visible")


def test_magic_draws_the_lectures_neuron(open_notebook7):
    nb = open_notebook7(["%load_ext autograd_widget", MAGIC_NEURON])
    page = nb.page
    in_notebook7(nb)
    wait_widget(page, "o", LEAVES)
    assert page.locator('input[type="range"]').count() == len(LEAVES), "a slider for each leaf, no more"
    assert page.evaluate(f"() => {VALUE_NODES}.length") == 10
    for label in LEAVES:  # a range input holds a multiple of its step: b = 6.88137... sits between two
        slider = page.locator(f'input[type="range"][aria-label="{label}"]')
        step = float(slider.evaluate("el => el.step"))
        assert abs(slider_value(slider) - START[label]) <= step, f"slider {label} at {slider_value(slider)}"
    assert_drawing_matches(page, START)  # every node's data and the grads of one backward pass


def test_bare_value_at_the_end_of_a_cell_shows_the_widget(open_notebook7):
    nb = open_notebook7([BARE])
    page = nb.page
    in_notebook7(nb)
    wait_widget(page, "d", ("a", "b", "c"))
    out = page.locator(".jp-Cell").nth(0).locator(".jp-OutputArea")
    assert out.locator("svg g.node.agw-value").count() == 5, "a, b, c, a*b and d drawn under the cell itself"
    got = {label: page.evaluate(
        """(l) => { const g = document.querySelector(`svg g.node.agw-value[data-label="${l}"]`);
                    return [Number(g.getAttribute('data-value')), Number(g.getAttribute('data-grad'))]; }""", label)
        for label in "abcd"}
    assert got == {"a": [2.0, -3.0], "b": [-3.0, 2.0], "c": [10.0, 1.0], "d": [4.0, 1.0]}


def test_drag_changes_the_drawing_and_the_kernel(open_notebook7):
    nb = open_notebook7(["%load_ext autograd_widget", MAGIC_NEURON])
    page = nb.page
    in_notebook7(nb)
    wait_widget(page, "o", LEAVES)
    w1 = page.locator('input[type="range"][aria-label="w1"]')
    before = page.evaluate(f"""() => {VALUE_NODES}.find(g => g.getAttribute('data-label') === 'o')
                                      .getAttribute('data-value')""")

    drag_slider(page, w1, 0.75)  # the real mouse: press on the thumb, move, release
    leaves = dict(START, w1=slider_value(w1))
    assert leaves["w1"] > 0, f"dragged w1 to 75% of its range, slider says {leaves['w1']}"
    wait_drawn_leaf(page, "w1", leaves["w1"])
    shown = assert_drawing_matches(page, leaves)
    assert abs(shown["o"][0] - float(before)) > 1e-3, f"o drawn {before} before the drag, {shown['o'][0]} after"

    # The kernel gets the values debounced and on release: poll it for up to ~10 s.
    want = [shown["w1"][0], shown["x2"][0], shown["o"][0], shown["w1"][1]]
    kernel = run_until_kernel_agrees(nb, KERNEL, lambda kernel: kernel == pytest.approx(want, abs=1e-12, rel=0))
    assert kernel == pytest.approx(want, abs=1e-12, rel=0), (
        f"kernel (w1.data, x2.data, o.data, w1.grad) = {kernel}, drawing shows {want}")
