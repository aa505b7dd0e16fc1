"""Big graphs drawn in boxes (boxes.py): one output per box, scopes, folded chains, the
first view, opening and closing, and the widget's side of it (threshold, messages, sliders)."""

import random
import re

import pytest
from views import numbers, send

from autograd_widget import GraphWidget, Value
from autograd_widget.boxes import FOLD_MIN, Boxes, View
from autograd_widget.drawing import fmt
from autograd_widget.nn import MLP
from autograd_widget.tape import Tape


def mlp_loss(points=6, sizes=(4, 4, 1), seed=0):
    """micrograd's demo loss (hinge loss over points plus L2), on a smaller net."""
    rng = random.Random(seed)
    model = MLP(2, list(sizes), nonlin="relu")
    xs = [[rng.uniform(-2, 2), rng.uniform(-1, 1)] for _ in range(points)]
    ys = [rng.choice([-1, 1]) for _ in range(points)]
    scores = [model(list(map(Value, x))) for x in xs]
    losses = [(1 + -y * s).relu() for y, s in zip(ys, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + 1e-4 * sum(p * p for p in model.parameters()), model


def consumers(tape):
    out = [[] for _ in range(len(tape))]
    for i, ps in enumerate(tape.parents):
        for p in ps:
            out[p].append(i)
    return out


def inside(boxes, v, b):
    while v >= 0:
        if v == b:
            return True
        v = boxes.owner[v]
    return False


def assert_one_output_each(tape, boxes):
    """Every node of a box but its output is used only inside the box."""
    used_by = consumers(tape)
    for b in range(len(tape)):
        if boxes.is_box(b):
            for v in range(len(tape)):
                if v != b and inside(boxes, v, b):
                    assert all(inside(boxes, c, b) for c in used_by[v]), (v, b)


def random_graph(rng, n=60):
    nodes = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(4)]
    for _ in range(n):
        a, b = rng.choice(nodes), rng.choice(nodes)
        nodes.append(rng.choice([a + b, a * b, a.tanh(), a - b]))
    out = nodes[-1]
    for v in nodes[-12:-1]:
        out = out + v
    return out


@pytest.mark.parametrize("seed", range(8))
def test_every_box_has_one_output_on_random_graphs(seed):
    tape = Tape(random_graph(random.Random(seed)))
    assert_one_output_each(tape, Boxes(tape))


def test_every_box_has_one_output_on_an_mlp_loss_with_scopes():
    loss, _ = mlp_loss(points=3)
    tape = Tape(loss)
    assert_one_output_each(tape, Boxes(tape))


def test_a_neurons_box_is_that_neuron_on_one_point_named_by_its_scope():
    loss, _ = mlp_loss(points=3)
    tape = Tape(loss)
    boxes = Boxes(tape)
    neurons = [b for b in range(len(tape)) if boxes.is_scope(b)]
    assert len(neurons) == 3 * 9  # 9 neurons, called once per point
    for b in neurons:
        members = [v for v in range(len(tape)) if boxes.owner[v] == b]
        call = tape.scopes[b]
        assert all(tape.scopes[v] is call for v in members)  # this call's nodes, no other's
        assert boxes.name(b) == str(call) and re.fullmatch(r"L\d\.N\d+", boxes.name(b))
        assert tape.ops[b] in ("relu", "+")  # its output: the activation (the last layer is linear)
    size = {boxes.name(b): boxes.size[b] for b in neurons}
    assert size["L0.N0"] == 2 + 2 + 1 and size["L1.N0"] == 4 + 4 + 1  # w*x per input, the sums, relu


def test_the_first_view_shows_one_point_and_folds_the_others_into_the_sum_before_it():
    loss, _ = mlp_loss(points=2 * FOLD_MIN)
    tape = Tape(loss)
    boxes = Boxes(tape)
    view = View(boxes, boxes.first_view(150))
    names = [boxes.name(b) for b in view.closed]
    # the 16 per-point terms: the last drawn open (its neurons as boxes), the 15 before it one box
    assert f"sum of {2 * FOLD_MIN - 1} terms" in names  # sum()'s start, 0, is not one of the learner's
    assert sorted(n for n in names if n.startswith("L")) == sorted(
        [f"L0.N{j}" for j in range(4)] + [f"L1.N{j}" for j in range(4)] + ["L2.N0"])
    assert len(view) <= 150


def test_a_hand_built_sum_without_scopes_is_folded():
    xs = [Value(float(i), label=f"x{i}") for i in range(500)]
    total = sum(xs)
    tape = Tape(total)
    boxes = Boxes(tape)
    view = View(boxes, boxes.first_view(150))
    assert [boxes.name(b) for b in view.closed] == ["sum of 499 terms"]  # x0..x498 (and sum()'s 0)
    assert len(view) == 3  # that box, x499 and the sum
    product = Tape(__import__("math").prod(xs[1:30]))  # prod() starts from 1
    boxes = Boxes(product)
    assert [boxes.name(b) for b in View(boxes, boxes.first_view(20)).closed] == ["product of 28 factors"]


def test_widget_draws_small_graphs_whole_and_big_ones_in_boxes():
    small = sum(Value(float(i)) for i in range(10))
    assert GraphWidget(small).boxes == []
    loss, _ = mlp_loss(points=2)
    assert GraphWidget(loss).boxes != []  # ~700 nodes, over the default 150
    assert GraphWidget(loss, collapse_above=None).boxes == []
    assert GraphWidget(loss, collapse_above=10_000).boxes == []
    assert GraphWidget(small, collapse_above=5).boxes != []
    for bad in (0, -1, 2.5, "10", True):
        with pytest.raises(ValueError, match="collapse_above"):
            GraphWidget(small, collapse_above=bad)


@pytest.fixture
def boxed():
    loss, model = mlp_loss(points=4, sizes=(8, 8, 1))  # 105 parameters: sliders on demand
    Tape(loss).write_grads()
    return GraphWidget(loss), loss, model


def box_text(svg, i):
    g = re.search(rf'<g id="n{i}" class="agw-box">(.*?)</g>', svg).group(1)
    return re.findall(r"<text[^>]*>([^<]*)</text>", g)


def test_a_closed_box_shows_the_numbers_of_the_node_it_stands_for(boxed):
    w, _, _ = boxed
    assert w.boxes
    state = numbers(w)
    for box in w.boxes:
        node = w._tape.nodes[box["id"]]
        assert not box["expanded"]
        assert state["data"][box["id"]] == node.data and state["grad"][box["id"]] == node.grad
        name, data, grad = box_text(w.svg, box["id"])
        label = f" {node.label}" if re.fullmatch(r"L\d\.N\d+", box["name"]) and node.label else ""
        assert name == f"{box['name']}{label} ({box['size']:,})"  # a neuron's: which point's, by its label
        assert data.split()[-1] == fmt(node.data) and grad.split()[-1] == fmt(node.grad)


def test_open_and_close_round_trip(boxed):
    w, _, _ = boxed
    first_svg, first_boxes = w.svg, w.boxes
    neuron = next(b for b in w.boxes if b["name"] == "L1.N2")
    w.expand(neuron["id"])
    opened = {b["id"]: b for b in w.boxes}
    assert opened[neuron["id"]]["expanded"] is True
    assert f'<g id="c{neuron["id"]}" class="cluster">' in w.svg  # drawn in a frame
    members = [v for v in range(len(w._tape)) if w._boxes.owner[v] == neuron["id"]]
    assert all(f'id="n{v}"' in w.svg for v in members)  # its inner nodes are drawn
    w.collapse(neuron["id"])
    same = re.compile(r"agw-arrow-\w+")  # each picture names its arrow marker afresh
    assert w.boxes == first_boxes and same.sub("", w.svg) == same.sub("", first_svg)  # Graphviz is deterministic


def test_a_boxed_graph_with_few_parameters_starts_with_all_their_sliders():
    loss, model = mlp_loss(points=4)  # 37 parameters
    w = GraphWidget(loss)
    assert w.boxes and {s["label"] for s in w.sliders} == {p.label for p in model.parameters()}


def test_a_box_is_found_by_its_name_when_that_is_unique(boxed):
    w, _, _ = boxed
    names = [b["name"] for b in w.boxes]
    unique = next(n for n in names if names.count(n) == 1)
    twice = next(n for n in names if names.count(n) > 1)  # a neuron, once per point drawn
    w.expand(unique)
    assert {b["name"]: b["expanded"] for b in w.boxes}[unique] is True
    with pytest.raises(KeyError, match=rf"'{re.escape(twice)}' names {names.count(twice)} boxes"):
        w.expand(twice)


def test_opening_a_neuron_offers_its_weights_and_bias(boxed):
    w, _, _ = boxed
    neuron = next(b for b in w.boxes if b["name"] == "L0.N1")
    before = {s["label"] for s in w.sliders}
    assert not {"L0.N1.w0", "L0.N1.w1", "L0.N1.b"} & before
    w.expand(neuron["id"])
    assert {"L0.N1.w0", "L0.N1.w1", "L0.N1.b"} <= {s["label"] for s in w.sliders}


def test_closing_a_box_takes_back_its_sliders_but_those_moved_or_asked_for(boxed):
    w, _, _ = boxed
    before = [s["label"] for s in w.sliders]
    neuron = next(b for b in w.boxes if b["name"] == "L0.N1")
    w.expand(neuron["id"])
    w.set_leaf("L0.N1.w0", 0.25)  # moved: it stays
    w.add_slider("L0.N1.b")  # asked for again: it stays
    w.collapse(neuron["id"])
    labels = [s["label"] for s in w.sliders]
    assert labels[:len(before)] == before and set(labels[len(before):]) == {"L0.N1.w0", "L0.N1.b"}  # w1 went
    w.expand(neuron["id"])
    w.collapse(neuron["id"])
    assert [s["label"] for s in w.sliders] == labels


def test_view_messages_open_close_and_add_sliders_and_nonsense_changes_nothing(boxed, caplog):
    w, _, _ = boxed
    box = next(b for b in w.boxes if b["name"] == "L1.N0")
    send(w, {"type": "expand", "id": box["id"], "open": True})
    assert {b["id"]: b["expanded"] for b in w.boxes}[box["id"]] is True
    send(w, {"type": "expand", "id": box["id"], "open": False})
    assert {b["id"]: b["expanded"] for b in w.boxes}[box["id"]] is False
    leaf = w._tape.id_of("L0.N3.w1")
    send(w, {"type": "slider", "id": leaf})
    assert w.sliders[-1] == {**w.sliders[-1], "id": leaf, "label": "L0.N3.w1"}
    svg, sliders = w.svg, w.sliders
    for bad in [{"type": "expand", "id": w._tape.root, "open": True},  # not a closed box
                {"type": "expand", "id": 10**9, "open": True},
                {"type": "expand", "id": box["id"], "open": "yes"},
                {"type": "expand", "id": -1, "open": True},
                {"type": "slider", "id": w._tape.root},  # not a leaf
                {"type": "slider", "id": "3"}]:
        caplog.clear()
        send(w, bad)
        assert w.svg == svg and w.sliders == sliders
        assert "ignored a message" in caplog.text, bad  # said, each one


def test_opening_a_box_that_would_draw_too_much_is_refused_and_the_drawing_stays(boxed, monkeypatch):
    from autograd_widget import widget

    w, _, _ = boxed
    svg, boxes = w.svg, w.boxes
    monkeypatch.setattr(widget, "MAX_DRAWN_NODES", len(w._view))  # any opening draws more
    neuron = next(b for b in w.boxes if b["name"] == "L1.N2")
    send(w, {"type": "expand", "id": neuron["id"], "open": True})
    assert w.svg == svg and w.boxes == boxes
    assert "\n" not in w.notice and f"more than {len(w._view):,}" in w.notice


def test_a_collapsed_widget_replays_the_whole_graph(boxed):
    w, loss, model = boxed
    before = loss.data
    leaf = w._tape.id_of("L2.N0.b")
    w.add_slider(leaf)
    w.set_leaf("L2.N0.b", model.layers[-1].neurons[0].b.data + 1.0)
    assert loss.data != before and numbers(w)["data"][w._tape.root] == loss.data
