"""GraphWidget in a real JupyterLab: drag a leaf's slider, the drawing shows the new data
and grads of every node at once, and the kernel's Values end up holding the same numbers.

Frontend contract checked here: each slider is an ``<input type="range">`` whose
``aria-label`` is the leaf's label; each value node is an SVG ``<g class="node">`` with
``data-label``, ``data-value`` and ``data-grad`` holding full-precision numbers.
Expected numbers are computed below from the neuron's formulas, not by the package.
"""

from __future__ import annotations

import math

import pytest
from graphs import LABELLED_NEURON_CODE, NEURON_LEAVES

from .kernel_agrees import run_until_kernel_agrees

pytestmark = pytest.mark.e2e

START = dict(NEURON_LEAVES)
NEURON = ("from autograd_widget.widget import GraphWidget\n" + LABELLED_NEURON_CODE + "o.backward()\n"
          'GraphWidget(o, ranges={"w1": (-5.0, 5.0), "x2": (-2.0, 2.0)}, step=0.01)')
KERNEL = "print(repr(w1.data), repr(x2.data), repr(o.data), repr(w1.grad))"
# Value nodes only: <g class="node" id="n{i}"> (op nodes "n{i}op" may carry data-* too).
VALUE_NODES = "[...document.querySelectorAll('svg g.node')].filter(g => /^n[0-9]+$/.test(g.id))"
DRAWN = f"""() => {VALUE_NODES}.map(g => ({{
  label: g.getAttribute('data-label'), data: g.getAttribute('data-value'), grad: g.getAttribute('data-grad')}}))"""


def expected(v: dict) -> dict:
    """data and grad of every node of o = tanh(x1*w1 + x2*w2 + b), by hand."""
    x1w1, x2w2 = v["x1"] * v["w1"], v["x2"] * v["w2"]
    n = x1w1 + x2w2 + v["b"]
    o = math.tanh(n)
    dn = 1 - o**2  # do/dn; + passes it to every summand
    return {
        "x1": (v["x1"], v["w1"] * dn), "w1": (v["w1"], v["x1"] * dn),
        "x2": (v["x2"], v["w2"] * dn), "w2": (v["w2"], v["x2"] * dn),
        "b": (v["b"], dn), "x1w1": (x1w1, dn), "x2w2": (x2w2, dn),
        "x1w1x2w2": (x1w1 + x2w2, dn), "n": (n, dn), "o": (o, 1.0),
    }


def drawn(page) -> dict:
    """label -> (data, grad) as the drawing carries them."""
    nodes = page.evaluate(DRAWN)
    labels = [n["label"] for n in nodes]
    assert len(labels) == len(set(labels)), f"node labels drawn more than once: {labels}"
    return {n["label"]: (float(n["data"]), float(n["grad"])) for n in nodes}


def assert_drawing_matches(page, leaves: dict) -> dict:
    want, got = expected(leaves), drawn(page)
    assert set(got) == set(want), f"drawn nodes {sorted(got)} != {sorted(want)}"
    for label, (data, grad) in want.items():
        assert got[label][0] == pytest.approx(data, abs=1e-9, rel=0), f"{label}.data with leaves {leaves}"
        assert got[label][1] == pytest.approx(grad, abs=1e-9, rel=0), f"{label}.grad with leaves {leaves}"
    return got


def wait_drawn_leaf(page, label: str, value: float) -> None:
    """The frontend patches in the input handler; allow the event loop a moment anyway."""
    page.wait_for_function(
        f"""([label, value]) => {{
          const g = {VALUE_NODES}.find(g => g.getAttribute('data-label') === label);
          return g && Math.abs(Number(g.getAttribute('data-value')) - value) < 1e-12;
        }}""", arg=[label, value], timeout=5000)


def slider_value(slider) -> float:
    return float(slider.evaluate("el => el.value"))


def drag_slider(page, slider, to_fraction: float) -> None:
    """Press on the thumb with the real mouse, drag to ``to_fraction`` of the track, release."""
    slider.scroll_into_view_if_needed()  # as a person scrolls to it first
    box = slider.bounding_box()
    lo, hi, v = (float(slider.evaluate(f"el => el.{k}")) for k in ("min", "max", "value"))
    thumb = 16  # Chromium's default thumb width; pressing slightly off it still grabs the track
    y = box["y"] + box["height"] / 2
    x_of = lambda f: box["x"] + thumb / 2 + f * (box["width"] - thumb)  # noqa: E731
    page.mouse.move(x_of((v - lo) / (hi - lo)), y)
    page.mouse.down()
    page.mouse.move(x_of(to_fraction), y, steps=15)
    page.mouse.up()


def test_drag_updates_drawing_and_kernel(open_notebook, page):
    nb = open_notebook([NEURON])
    w1 = page.locator('input[type="range"][aria-label="w1"]')
    x2 = page.locator('input[type="range"][aria-label="x2"]')
    w1.wait_for(state="visible")
    page.wait_for_function(f"() => {VALUE_NODES}.some(g => g.getAttribute('data-label') === 'o')")
    leaves = dict(START)
    assert slider_value(w1) == pytest.approx(leaves["w1"], abs=1e-12)
    assert_drawing_matches(page, leaves)

    drag_slider(page, w1, 0.7)
    leaves["w1"] = slider_value(w1)
    assert leaves["w1"] > 0, f"dragged w1 to 70% of [-5, 5], slider says {leaves['w1']}"
    wait_drawn_leaf(page, "w1", leaves["w1"])
    assert_drawing_matches(page, leaves)

    x2.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    leaves["x2"] = slider_value(x2)
    assert leaves["x2"] == pytest.approx(START["x2"] + 4 * float(x2.evaluate("el => el.step")), abs=1e-12), (
        "ArrowRight did not step the focused slider. In JupyterLab 4 command mode ArrowRight is bound to "
        "notebook:move-cursor-heading-below-or-expand, which prevents the default unless the <input> itself "
        "has data-lm-suppress-shortcuts or its keydown does not propagate.")
    wait_drawn_leaf(page, "x2", leaves["x2"])
    shown = assert_drawing_matches(page, leaves)

    # The kernel gets the values debounced and on release: poll it for up to ~10 s.
    want = [shown["w1"][0], shown["x2"][0], shown["o"][0], shown["w1"][1]]
    kernel = run_until_kernel_agrees(nb, KERNEL, lambda kernel: all(abs(k - w) <= 1e-12 for k, w in zip(kernel, want)))
    assert kernel == pytest.approx(want, abs=1e-12, rel=0), (
        f"kernel (w1.data, x2.data, o.data, w1.grad) = {kernel}, drawing shows {want}")
