"""The widget teaches, in a real JupyterLab, on the lecture's neuron: the tangent of a clicked
leaf has the leaf's grad as its slope; "Numeric check" puts a finite-difference estimate on
every leaf, within 1% of its grad; "Step" nudges every input along its grad and the output
climbs, and the kernel's o.data is the drawn one; "Backward step" walks from o to the leaves;
"Hide grads" takes a right answer and flags a wrong one.

Expected numbers come from the kernel's objects or from the drawing's own data-grad, never
from the widget's lesson code.
"""

from __future__ import annotations

import json

import pytest

from .test_graph_widget import NEURON, VALUE_NODES

pytestmark = pytest.mark.e2e

NODE = f"(label) => {VALUE_NODES}.find(g => g.getAttribute('data-label') === label)"
ATTR = f"([label, name]) => ({NODE})(label).getAttribute(name)"
CURRENT = "() => { const g = document.querySelector('.agw svg g.node.agw-current'); " \
          "return g && g.getAttribute('data-label'); }"
LEAVES = ("x1", "x2", "w1", "w2", "b")
CONSUMER = {"x1": "x1w1", "w1": "x1w1", "x2": "x2w2", "w2": "x2w2", "x1w1": "x1w1x2w2", "x2w2": "x1w1x2w2",
            "x1w1x2w2": "n", "b": "n", "n": "o"}


def attr(page, label: str, name: str) -> str | None:
    return page.evaluate(ATTR, [label, name])


def test_tangent_numeric_check_step_backward_walk_and_your_turn(open_notebook, page):
    nb = open_notebook([NEURON])
    page.locator(".agw svg g.node").first.wait_for()
    widget = page.locator(".agw")

    # the tangent of w1: its slope is w1's grad
    page.locator(f".agw svg g.node#{attr(page, 'w1', 'id')}").click()
    tangent = page.locator('.agw [data-role="tangent"]')
    tangent.wait_for()
    assert tangent.get_attribute("data-leaf") == "w1"
    assert float(tangent.get_attribute("data-slope")) == float(attr(page, "w1", "data-grad"))

    # numeric check: every leaf's estimate within 1% of its grad
    check = widget.get_by_role("button", name="Numeric check", exact=True)
    check.click()
    assert check.get_attribute("aria-pressed") == "true"
    for leaf in LEAVES:
        numeric, grad = float(attr(page, leaf, "data-numeric-grad")), float(attr(page, leaf, "data-grad"))
        assert numeric == pytest.approx(grad, rel=0.01, abs=1e-9), leaf
    check.click()
    assert attr(page, "w1", "data-numeric-grad") is None

    # three steps up the gradient at lr 0.05: o climbs each time, and the kernel has the last
    widget.get_by_label("Learning rate", exact=True).fill("0.05")
    outputs = [float(attr(page, "o", "data-value"))]
    for _ in range(3):
        widget.get_by_role("button", name="Step", exact=True).click()
        page.wait_for_function(f"(v) => Number(({ATTR})(['o', 'data-value'])) !== v", arg=outputs[-1])
        outputs.append(float(attr(page, "o", "data-value")))
    assert outputs == sorted(outputs) and len(set(outputs)) == 4
    page.wait_for_function("() => document.querySelector('.agw').getAttribute('data-sync') === 'ok'", timeout=10_000)
    kernel = json.loads(nb.run_cell("import json; print(json.dumps([o.data, w1.data]))"))
    assert kernel[0] == outputs[-1]
    assert kernel[1] == float(attr(page, "w1", "data-value"))

    # the backward pass by hand: from o to the leaves, one node a press
    walked = []
    step = widget.get_by_role("button", name="Backward step", exact=True)
    for _ in range(9):
        step.click()
        walked.append(page.evaluate(CURRENT))
        assert page.locator(".agw svg g.node.agw-unfilled").count() == 10 - len(walked)  # the rest still blank
    step.click()  # the last node: its line, and the walk is over
    widget.get_by_text("Backward pass done").first.wait_for()
    assert page.locator(".agw svg g.node.agw-unfilled").count() == 0
    walked.append(next(leaf for leaf in LEAVES if leaf not in walked))
    assert walked[0] == "o" and sorted(walked) == sorted([*LEAVES, "x1w1", "x2w2", "x1w1x2w2", "n", "o"])
    for node, consumer in CONSUMER.items():  # a node's grad is filled after its consumer's
        assert walked.index(consumer) < walked.index(node), (node, consumer)

    # your turn: the output's grad is 1 (right); n's is not 0.3 (flagged, with a hint)
    widget.get_by_role("button", name="Hide grads", exact=True).click()
    answer = widget.get_by_label("Your grad for o", exact=True)
    answer.fill("1")
    answer.press("Enter")
    widget.get_by_text("Right").first.wait_for()
    answer = widget.get_by_label("Your grad for n", exact=True)
    answer.fill("0.3")
    answer.press("Enter")
    widget.get_by_text("Not quite").first.wait_for()


def test_before_backward_the_walk_fills_in_the_grads_and_writes_nothing(open_notebook, page):
    """The lecture's order: the graph first, grads by hand. The objects hold grad 0; the walk shows
    the chain rule's numbers in the drawing, and the kernel's objects keep their 0."""
    nb = open_notebook([NEURON.replace("o.backward()\n", "")])
    page.locator(".agw svg g.node").first.wait_for()
    widget = page.locator(".agw")
    assert float(attr(page, "x1", "data-grad")) == 0.0
    step = widget.get_by_role("button", name="Backward step", exact=True)
    step.click()
    widget.get_by_text("backward() has not run").first.wait_for()  # said of o, the first it fills
    for _ in range(9):
        step.click()
    grad_text = page.evaluate(f"() => [...({NODE})('x1').querySelectorAll('text')].at(-1).textContent")
    assert grad_text.split()[-1] == "-1.500"  # 0.5 × w1 = 0.5 × -3, as the lecture fills it in
    assert json.loads(nb.run_cell("import json; print(json.dumps([x1.grad, o.grad]))")) == [0.0, 0.0]


def test_the_tools_after_the_walk_keep_their_place_while_it_walks(open_notebook, page):
    """Each Backward step rewrites a line of words of a different length: the buttons after it
    (Hide grads, Export) must not move sideways under the pointer."""
    open_notebook([NEURON])
    page.locator(".agw svg g.node").first.wait_for()
    widget = page.locator(".agw")
    step = widget.get_by_role("button", name="Backward step", exact=True)
    after = [widget.get_by_role("button", name=name, exact=True) for name in ("Hide grads", "Export SVG")]
    places = []
    for _ in range(4):
        step.click()
        root = widget.bounding_box()  # the page may scroll: places within the widget
        places.append([(round(b["x"] - root["x"]), round(b["y"] - root["y"]))
                       for b in (button.bounding_box() for button in after)])
    assert all(p == places[0] for p in places), places
