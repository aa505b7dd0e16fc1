"""picture.py: the compact SVG sent to the browser and saved as image/svg+xml — the same
drawing as Graphviz's in fewer bytes, its number fields re-rendered from numbers."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from graphs import neuron
from views import labels

from autograd_widget import GraphWidget, Value
from autograd_widget.drawing import fmt, pad, to_dot
from autograd_widget.layout import render_svg
from autograd_widget.nn import MLP
from autograd_widget.picture import Picture
from autograd_widget.tape import Tape

SVG = "{http://www.w3.org/2000/svg}"
BUDGET = 400  # bytes per drawn node (issue 8)


def lecture_mlp_loss():
    """The lecture's MLP(3, [4, 4, 1]) and its squared-error loss on four examples: 394 nodes."""
    model = MLP(3, [4, 4, 1], last_nonlin="tanh")
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    return sum((model(x) - y) ** 2 for x, y in zip(xs, ys))


def node_ids(root) -> list[str]:
    return sorted(e.get("id") for e in root.iter(f"{SVG}g") if re.fullmatch(r"n\d+(op)?", e.get("id") or ""))


@pytest.fixture(scope="module")
def mlp_widget():
    return GraphWidget(lecture_mlp_loss(), collapse_above=None)  # every node drawn


def test_the_static_svg_and_the_synced_state_stay_under_budget_on_the_lectures_mlp_loss(mlp_widget):
    nodes = len(labels(mlp_widget))
    assert 350 <= nodes <= 450
    svg_bytes = len(mlp_widget.svg.encode())
    picture_bytes = len(mlp_widget._picture_bundle()["image/svg+xml"].encode())
    from ipywidgets.widgets.widget import _remove_buffers

    keys = ("tape", "svg", "sliders", "kernel_state", "message", "boxes", "notice")
    state, _, buffers = _remove_buffers({k: v for k, v in mlp_widget.get_state().items() if k in keys})
    synced = len(json.dumps(state).encode()) + sum(len(b) for b in buffers)
    print(f"{nodes} nodes: svg {svg_bytes / nodes:.0f} B/node, picture {picture_bytes / nodes:.0f} B/node, "
          f"synced state {synced / nodes:.0f} B/node")
    assert svg_bytes / nodes <= BUDGET and picture_bytes / nodes <= BUDGET
    assert synced / nodes <= 2 * BUDGET  # the SVG, JSON-escaped, plus the tape's columns


def test_the_compact_svg_keeps_every_node_its_texts_and_the_layout():
    tape = Tape(neuron(backward=True)["o"])
    graphviz = render_svg(to_dot(tape, rankdir="LR").source)
    compact = Picture(graphviz).render(tape.data, tape.grad)
    assert len(compact) < len(graphviz) / 3
    g, c = ET.fromstring(graphviz), ET.fromstring(compact)
    assert (g.get("width"), g.get("height"), g.get("viewBox")) == (c.get("width"), c.get("height"), c.get("viewBox"))
    assert node_ids(g) == node_ids(c)
    for node in c.iter(f"{SVG}g"):
        if not re.fullmatch(r"n\d+(op)?", node.get("id") or ""):
            continue
        original = next(e for e in g.iter(f"{SVG}g") if e.get("id") == node.get("id"))
        want = [(t.text or "").replace(" ", "\u00a0") for t in original.iter(f"{SVG}text")]
        got = [(t.text or "").replace(" ", "\u00a0") for t in node.iter(f"{SVG}text")]
        assert got == want, node.get("id")  # same words; the padding's first blank is a no-break space here
        for a, b in zip(original.iter(f"{SVG}text"), node.iter(f"{SVG}text")):
            assert all(abs(float(a.get(k)) - float(b.get(k))) <= 0.5 for k in "xy")  # whole points
    edges = [e for e in g.iter(f"{SVG}g") if e.get("class") == "edge"]
    assert len(list(c.find(f"{SVG}g").find(f"{SVG}g[@class='edges']"))) == len(edges)
    assert "<title>" not in compact and "<!--" not in compact


def test_each_edge_says_which_nodes_it_joins():
    tape = Tape(neuron(backward=True)["o"])
    compact = Picture(render_svg(to_dot(tape, rankdir="LR").source)).render(tape.data, tape.grad)
    ends = sorted(e.get("data-e") for e in ET.fromstring(compact).iter(f"{SVG}path") if e.get("data-e"))
    into_ops = [f"{p} {i}" for i in range(len(tape)) for p in dict.fromkeys(tape.parents[i])]
    op_to_value = [str(i) for i in range(len(tape)) if tape.parents[i]]
    assert ends == sorted(into_ops + op_to_value)  # every edge drawn, once, by its two ends


def test_render_writes_the_numbers_it_is_given_into_every_field():
    o = neuron(backward=True)["o"]
    tape = Tape(o)
    picture = Picture(render_svg(to_dot(tape, rankdir="TB").source))
    data = [float(i) * 1.5 for i in range(len(tape))]
    grad = [float("nan")] * len(tape)
    svg = picture.render(data, grad)
    for i in range(len(tape)):
        node = re.search(rf'<g id="n{i}">(.*?)</g>', svg).group(1)
        texts = re.findall(r"<text [^>]*>(.*?)</text>", node)
        assert texts[-2:] == ["data" + pad(fmt(data[i])), "grad" + pad(fmt(grad[i]))]
    assert picture.render(tape.data, tape.grad) != svg


def test_labels_with_markup_characters_stay_text():
    a = Value(1.0, label='<b>&"x"</b>')
    y = a * 2
    y.label = "]]><!--"
    svg = GraphWidget(y).svg
    ET.fromstring(svg)  # well-formed
    assert "&lt;b&gt;&amp;\"x\"&lt;/b&gt;" in svg and "]]&gt;&lt;!--" in svg


@pytest.mark.parametrize("label", ["\n", "\nx", "x\n", "\n\n", "a\n\nb", "\ufffe", "\ud800", "😀 ünï", " ", "x" * 300])
@pytest.mark.parametrize("rankdir", ["LR", "TB", "RL", "BT"])
def test_any_label_in_any_direction_draws_every_field(label, rankdir):
    a = Value(float("nan"), label=label)
    y = a * 2
    y.label = label
    svg = GraphWidget(y, rankdir=rankdir).svg
    root = ET.fromstring(svg)
    for i in (0, 2):  # a and y (1 is the constant 2)
        node = next(g for g in root.iter(f"{SVG}g") if g.get("id") == f"n{i}")
        texts = [t.text for t in node.iter(f"{SVG}text")]
        assert texts[-2:] == ["data" + pad(fmt(float("nan") if i == 0 else y.data)), "grad" + pad(fmt(0.0))]


def test_the_pictures_style_touches_only_the_picture():
    svg = GraphWidget(neuron(backward=True)["o"]).svg
    style = re.search(r"<style>(.*?)</style>", svg).group(1)
    rules = [r.split("{")[0] for r in style.split("}") if r]
    assert rules and all(rule.startswith(".agw-picture ") for rule in rules)  # one selector per rule
    assert 'class="agw-picture"' in svg.split(">")[0]
