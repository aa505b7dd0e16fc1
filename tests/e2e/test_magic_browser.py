"""%%autograd in a real JupyterLab: the learner's own Value class (the seed notebook's,
verbatim), ``d = a*b + c``, a real mouse drag of ``a``'s slider; the drawing shows the
new ``d`` and the grads, and a later cell finds the same numbers in the kernel.

Expected numbers come from the formulas here (d = a·b + c, ∂d/∂a = b, ∂d/∂b = a),
with ``a`` read back from the slider after the drag, never from the package.
"""

from __future__ import annotations

import pytest
from seed_notebook import SEED_CLASS

from .kernel_agrees import run_until_kernel_agrees
from .test_graph_widget import drag_slider, slider_value, wait_drawn_leaf

pytestmark = pytest.mark.e2e

CELL = "%%autograd\n" + SEED_CLASS + "\na = Value(2.0)\nb = Value(-3.0)\nc = Value(10.0)\nd = a*b + c\n"
KERNEL = "print(repr(a.data), repr(d.data))"
DRAWN = """(label) => {
  const g = document.querySelector(`svg g.node.agw-value[data-label="${label}"]`);
  return g && [Number(g.getAttribute('data-value')), Number(g.getAttribute('data-grad'))];
}"""


def drawn(page, label: str) -> tuple[float, float]:
    got = page.evaluate(DRAWN, label)
    assert got is not None, f"no node labelled {label!r} drawn"
    return tuple(got)


def test_drag_in_a_magic_cell_with_the_learners_own_class(open_notebook, page):
    nb = open_notebook(["%load_ext autograd_widget", CELL])
    a_slider = page.locator('input[type="range"][aria-label="a"]')
    a_slider.wait_for(state="visible")
    page.locator('svg g.node.agw-value[data-label="d"]').wait_for(state="attached")
    for label in ("b", "c"):  # every named leaf got a slider, from its variable name
        assert page.locator(f'input[type="range"][aria-label="{label}"]').count() == 1
    assert drawn(page, "d") == (4.0, 1.0)
    assert drawn(page, "a") == (2.0, -3.0)  # the slopes the seed measured by hand: -3, 2, 1
    assert drawn(page, "b")[1] == 2.0 and drawn(page, "c")[1] == 1.0

    drag_slider(page, a_slider, 0.8)
    a = slider_value(a_slider)
    assert a != 2.0 and a > 0, f"dragged a to 80% of its range, slider says {a}"
    wait_drawn_leaf(page, "a", a)
    d = a * -3.0 + 10.0
    assert drawn(page, "d")[0] == pytest.approx(d, abs=1e-12, rel=0)
    assert drawn(page, "a")[1] == pytest.approx(-3.0, abs=1e-12, rel=0)  # ∂d/∂a = b
    assert drawn(page, "b")[1] == pytest.approx(a, abs=1e-12, rel=0)  # ∂d/∂b = a, moved with the drag

    # The kernel gets the values debounced and on release: poll it for up to ~10 s.
    kernel = run_until_kernel_agrees(nb, KERNEL, lambda kernel: kernel == pytest.approx([a, d], abs=1e-12, rel=0))
    assert kernel == pytest.approx([a, d], abs=1e-12, rel=0), f"kernel (a.data, d.data) = {kernel}, drawn {[a, d]}"
