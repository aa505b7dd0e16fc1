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
out = max(0.0, sum(w.data * x for w, x in zip(n.w, X[-1])) + n.b.data)
print(json.dumps([out, len(__import__('autograd_widget').Tape(loss))]))"""
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
    page.locator('.agw input[type="range"][aria-label="L0.N2.w0"]').wait_for(state="detached")  # its slider went too

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


WIDE = """%load_ext autograd_widget
import json, random
from autograd_widget import Value
from autograd_widget.nn import MLP
random.seed(7)
X = [[random.uniform(-2, 2), random.uniform(-1, 1)] for _ in range(3)]
wide = MLP(2, [24, 24, 1], nonlin="relu")"""
WIDE_LOSS = """%%autograd loss
inputs = [list(map(Value, x)) for x in X]
loss = sum((1 + -s).relu() for s in map(wide, inputs))"""
# each point's L1 outputs, from the kernel's objects: the same ops in the same order as the widget's graph
LAYER_OUTPUTS = "print(json.dumps([[v.data for v in wide.layers[1](wide.layers[0](list(map(Value, x))))] for x in X]))"
LAYER_BOXES = """() => [...document.querySelectorAll('.agw [data-scope="L1"]')].map(g => ({
  id: g.id, expanded: g.getAttribute('aria-expanded'), value: g.getAttribute('data-value'),
  label: g.getAttribute('aria-label')}))"""
NEURONS = """() => document.querySelectorAll('.agw [data-scope^="L1.N"]').length"""


def test_a_wide_layer_is_one_box_with_its_outputs_and_opens_into_its_neurons(open_notebook, page):
    nb = open_notebook([WIDE, WIDE_LOSS], timeout=120)
    page.locator(".agw").first.wait_for(state="visible")
    expected = json.loads(nb.run_cell(LAYER_OUTPUTS))

    layers = page.evaluate(LAYER_BOXES)
    assert len(layers) == 3  # one L1 box per point: 24 neurons are too many to draw one by one
    assert all(b["expanded"] == "false" and b["label"].startswith("L1: 24 neurons") for b in layers)
    assert sorted(json.loads(b["value"]) for b in layers) == sorted(expected)  # its outputs, in neuron order

    first = page.locator('.agw [data-scope="L1"]').first
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({LAYER_BOXES})().some(b => b.expanded === 'true')", timeout=10_000)
    opened = next(b for b in page.evaluate(LAYER_BOXES) if b["expanded"] == "true")
    assert opened["id"].startswith("c") and page.evaluate(NEURONS) == 24  # its neurons, each a box, in its frame
    assert json.loads(opened["value"]) in expected
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({LAYER_BOXES})().every(b => b.expanded === 'false')", timeout=10_000)
    assert page.evaluate(NEURONS) == 0

    # a first-layer bias moves every L1 output on every point; after the release the kernel agrees
    find = page.locator('.agw input[aria-label="Find parameter"]')
    find.fill("L0.N0.b")
    find.press("Enter")
    slider = page.locator('.agw input[type="range"][aria-label="L0.N0.b"]')
    slider.wait_for(state="visible")
    drag_slider(page, slider, 0.95)
    page.wait_for_function("() => document.querySelector('.agw').getAttribute('data-sync') === 'ok'",
                           timeout=20_000)
    moved = json.loads(nb.run_cell(LAYER_OUTPUTS))
    assert moved != expected
    assert sorted(json.loads(b["value"]) for b in page.evaluate(LAYER_BOXES)) == sorted(moved)
