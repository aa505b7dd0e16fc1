"""A 65,818-node MLP loss in a real JupyterLab: micrograd's demo (MLP(2, [16, 16, 1]) on 100
points, hinge loss plus L2) drawn in boxes; a neuron's box shows that neuron's output; it
opens and closes in place with the keyboard and the mouse; "Find parameter" gives a leaf a
slider; dragging it changes the drawn loss, and after the release the kernel's loss.data is
the drawn one.

Expected numbers come from the kernel's objects (read by plain Python in a cell), never
from the widget's own state.
"""

from __future__ import annotations

import json

import pytest

from .test_graph_widget import drag_slider, slider_value

pytestmark = pytest.mark.e2e

DEMO = """%load_ext autograd_widget
import random
from autograd_widget import Value
from autograd_widget.nn import MLP
random.seed(1337)
X = [[random.uniform(-2, 2), random.uniform(-1, 1)] for _ in range(100)]
Y = [random.choice([-1, 1]) for _ in range(100)]
model = MLP(2, [16, 16, 1], nonlin="relu")"""
LOSS = """%%autograd loss
inputs = [list(map(Value, x)) for x in X]
scores = list(map(model, inputs))
losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
data_loss = sum(losses) * (1.0 / len(losses))
reg_loss = 1e-4 * sum(p * p for p in model.parameters())
loss = data_loss + reg_loss"""
# the neuron L0.N2 on the last point, by hand from the kernel's parameters
NEURON = """n = model.layers[0].neurons[2]
print(json.dumps([max(0.0, sum(w.data * x for w, x in zip(n.w, X[-1])) + n.b.data), len(__import__('autograd_widget').Tape(loss))]))"""
BOX = "(scope) => { const g = document.querySelector(`.agw [data-scope=\"${scope}\"]`); " \
      "return g && {expanded: g.getAttribute('aria-expanded'), value: g.getAttribute('data-value'), " \
      "tag: g.localName, id: g.id}; }"
OUTPUT = "() => Number(document.querySelector('.agw svg g.node.output').getAttribute('data-value'))"


def box(page, scope: str) -> dict | None:
    return page.evaluate(BOX, scope)


def wait_box(page, scope: str, expanded: str, timeout: float = 10) -> None:
    page.wait_for_function(f"(s) => {{ const b = ({BOX})(s); return b && b.expanded === '{expanded}'; }}",
                           arg=scope, timeout=timeout * 1000)


def test_a_65k_node_mlp_loss_is_drawn_in_boxes_explored_and_dragged(open_notebook, page):
    nb = open_notebook([DEMO, LOSS], timeout=180)
    page.locator(".agw").first.wait_for(state="visible")
    expected, nodes = json.loads(nb.run_cell("import json\n" + NEURON))
    assert nodes == 65_818

    # a neuron's box: its name, closed, the numbers of the neuron's output on the drawn point
    neuron = box(page, "L0.N2")
    assert neuron is not None and neuron["expanded"] == "false"
    assert float(neuron["value"]) == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert page.locator(".agw svg g.node").count() < 300  # drawn small: boxes, not 65k nodes
    kernel_loss = float(nb.run_cell("print(repr(loss.data))"))
    assert page.evaluate(OUTPUT) == kernel_loss

    # open and close it with the keyboard, focus following the box; then open it with the mouse
    focused = "() => { const a = document.activeElement; return a && [a.id, a.getAttribute('aria-expanded')]; }"
    page.locator('.agw [data-scope="L0.N2"]').focus()
    page.keyboard.press("Enter")
    wait_box(page, "L0.N2", "true")
    assert page.evaluate(focused) == [f"c{neuron['id'][1:]}", "true"]
    page.keyboard.press("Enter")
    wait_box(page, "L0.N2", "false")
    assert page.evaluate(focused) == [neuron["id"], "false"]
    page.locator('.agw [data-scope="L0.N2"]').click()
    wait_box(page, "L0.N2", "true")
    inner = page.locator('.agw svg g.node[data-label="L0.N2.w0"]')
    assert inner.count() == 1  # its weights are drawn now...
    assert page.locator('.agw input[type="range"][aria-label="L0.N2.w0"]').count() == 1  # ...and offered
    page.locator('.agw [data-scope="L0.N2"][aria-expanded="true"] > text').click()  # the frame's name
    wait_box(page, "L0.N2", "false")
    assert page.locator('.agw svg g.node[data-label="L0.N2.w0"]').count() == 0

    # Find parameter: a slider for a weight deep inside (one the loss depends on), then drag it
    label = nb.run_cell("print(next(p.label for p in model.parameters() "
                        "if p.label.startswith('L1') and abs(p.grad) > 1e-3))").strip()
    assert page.locator(f'.agw input[type="range"][aria-label="{label}"]').count() == 0
    find = page.locator('.agw input[aria-label="Find parameter"]')
    find.fill(label)
    find.press("Enter")
    slider = page.locator(f'.agw input[type="range"][aria-label="{label}"]')
    slider.wait_for(state="visible")
    before = page.evaluate(OUTPUT)
    drag_slider(page, slider, 0.9)
    w = slider_value(slider)
    page.wait_for_function("() => document.querySelector('.agw').getAttribute('data-sync') === 'ok'",
                           timeout=20_000)
    drawn = page.evaluate(OUTPUT)
    assert drawn != before
    kernel = json.loads(nb.run_cell(
        f"print(json.dumps([loss.data, next(p.data for p in model.parameters() if p.label == {label!r})]))"))
    assert kernel[1] == pytest.approx(w, abs=1e-12)
    assert kernel[0] == drawn  # the kernel's loss is the one drawn
