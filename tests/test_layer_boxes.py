"""Layer boxes (boxes.py): the neurons of one layer call on one point held in one box when
they are too many to draw one by one — its outputs, its numbers, opening and closing it."""

import math
import re

import pytest
from test_boxes import consumers, inside, mlp_loss

from autograd_widget import GraphWidget
from autograd_widget.boxes import WIDE_LAYER, Boxes, View
from autograd_widget.drawing import range_text, span
from autograd_widget.tape import Tape

SAME_ARROW = re.compile(r"agw-arrow-\w+")  # each picture names its arrow marker afresh


@pytest.fixture(scope="module")
def wide():
    """Two hidden layers wider than WIDE_LAYER: their neurons are not drawn one by one at first."""
    loss, model = mlp_loss(points=3, sizes=(WIDE_LAYER + 4, WIDE_LAYER + 4, 1))
    Tape(loss).write_grads()
    return loss, model


def layer_text(svg, i):
    g = re.search(rf'<g id="n{i}" class="agw-box agw-layer" data-outputs="([\d ]+)">(.*?)</g>', svg)
    return [int(x) for x in g.group(1).split()], re.findall(r"<text[^>]*>([^<]*)</text>", g.group(2))


def test_a_layer_box_holds_the_neurons_of_one_layer_call_on_one_point(wide):
    loss, _ = wide
    tape = Tape(loss)
    boxes = Boxes(tape)
    n = len(tape)
    layers = {b: outs for b, outs in boxes.outputs.items()}
    assert len(layers) == 3 * 2  # L0 and L1 on each of 3 points; L2 has one neuron: no layer box
    for b, outs in layers.items():
        assert b >= n and boxes.name(b) in ("L0", "L1")
        assert [str(tape.scopes[o]) for o in outs] == [f"{boxes.name(b)}.N{j}" for j in range(WIDE_LAYER + 4)]
        assert {id(tape.scopes[o].outer) for o in outs} == {id(tape.scopes[outs[0]].outer)}  # one call
        assert all(boxes.owner[o] == b for o in outs)
        assert boxes.size[b] == sum(boxes.size[o] for o in outs)
        # nothing inside a layer box is used outside it but its outputs
        used_by = consumers(tape)
        for v in range(n):
            if inside(boxes, v, b) and v not in outs:
                assert all(inside(boxes, c, b) for c in used_by[v]), (v, b)


def test_wide_layers_stay_one_box_in_the_first_view_narrow_ones_open(wide):
    loss, _ = wide
    boxes = Boxes(Tape(loss))
    view = View(boxes, boxes.first_view(150))
    closed_layers = [b for b in view.closed if boxes.is_layer(b)]
    assert closed_layers and not any(boxes.is_scope(b) and boxes.name(b).startswith(("L0", "L1")) for b in view.closed)
    narrow, _ = mlp_loss(points=3, sizes=(4, 4, 1))
    nb = Boxes(Tape(narrow))
    nview = View(nb, nb.first_view(150))
    assert nb.outputs and not [b for b in nview.closed if nb.is_layer(b)]  # its neurons are drawn instead
    assert any(nb.name(b) == "L1.N3" for b in nview.closed)


def test_a_closed_layer_box_shows_the_range_of_its_outputs(wide):
    loss, _ = wide
    w = GraphWidget(loss)
    layers = [b for b in w.boxes if "outputs" in b]
    assert layers
    spans = []
    for box in layers:
        outs, (name, data, grad) = layer_text(w.svg, box["id"])
        assert outs == box["outputs"] == w._boxes.outputs[box["id"]]
        assert name == f"{box['name']}, {len(outs)} neurons ({box['size']:,})"
        nodes = [w._tape.nodes[o] for o in outs]
        assert data.replace("\u00a0", " ") == range_text("data", *span(v.data for v in nodes)).replace("\u00a0", " ")
        assert grad.replace("\u00a0", " ") == range_text("grad", *span(v.grad for v in nodes)).replace("\u00a0", " ")
        spans.append(span(v.grad for v in nodes))
    assert any(lo < hi for lo, hi in spans)  # live grads, not a blank (a point past the hinge has none)


def test_range_text_and_span():
    assert range_text("data", -0.5, 2.0) == "data" + "\u00a0" * 3 + "-0.5000 to" + "\u00a0" * 5 + "2.000"
    assert span([3.0, -1.0, 2.0]) == (-1.0, 3.0)
    lo, hi = span([1.0, math.nan])
    assert math.isnan(lo) and math.isnan(hi)


def test_a_layer_box_follows_a_leaf_change(wide):
    loss, model = wide
    w = GraphWidget(loss)
    box = next(b for b in w.boxes if b["name"] == "L0")
    before = layer_text(w.svg, box["id"])[1]
    top = max(box["outputs"], key=lambda o: w._tape.data[o])  # a neuron past its relu's kink
    weight = next(p for p in model.parameters() if p.label == f"{w._tape.scopes[top]}.b")
    w.add_slider(weight)  # as Find parameter does
    was = weight.data
    w.set_leaf(weight, was + 5.0)
    after = layer_text(w._picture_svg(), box["id"])[1]  # the static picture; the view patches its own
    assert after != before
    nodes = [w._tape.nodes[o] for o in box["outputs"]]
    assert after[1].replace("\u00a0", " ") == range_text("data", *span(v.data for v in nodes)).replace("\u00a0", " ")
    w.set_leaf(weight, was)  # the fixture's objects, as they were


def test_opening_a_layer_box_draws_its_neurons_in_a_frame_and_closing_restores_the_drawing(wide):
    loss, _ = wide
    w = GraphWidget(loss)
    first_svg, first_boxes = w.svg, w.boxes
    box = next(b for b in w.boxes if b["name"] == "L1")
    w.expand("L1") if sum(b["name"] == "L1" for b in w.boxes) == 1 else w.expand(box["id"])
    now = {b["id"]: b for b in w.boxes}
    assert now[box["id"]]["expanded"] is True and now[box["id"]]["outputs"] == box["outputs"]
    outputs = " ".join(map(str, box["outputs"]))
    assert re.search(rf'<g id="c{box["id"]}" class="cluster agw-layer" data-outputs="{outputs}">',
                     w.svg)
    assert f'id="n{box["id"]}"' not in w.svg  # an open layer box is only its frame
    names = {b["name"] for b in w.boxes if b["id"] in box["outputs"]}
    assert names == {f"L1.N{j}" for j in range(WIDE_LAYER + 4)}  # each neuron a box of its own
    w.collapse(box["id"])
    assert w.boxes == first_boxes and SAME_ARROW.sub("", w.svg) == SAME_ARROW.sub("", first_svg)


def test_layer_box_messages_open_and_close_it(wide):
    from views import send

    loss, _ = wide
    w = GraphWidget(loss)
    box = next(b for b in w.boxes if b["name"] == "L0")
    send(w, {"type": "expand", "id": box["id"], "open": True})
    assert next(b for b in w.boxes if b["id"] == box["id"])["expanded"] is True
    send(w, {"type": "expand", "id": box["id"], "open": False})
    assert next(b for b in w.boxes if b["id"] == box["id"])["expanded"] is False
    w.notice = ""
    send(w, {"type": "expand", "id": len(w._boxes.owner) + 7, "open": True})  # no such box
    assert "is not a closed box" in w.notice
