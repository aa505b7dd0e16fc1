"""A graph bigger than any widget takes: a one-line reason and a picture of the part nearest
its output (glimpse.py), at a cost bounded by that part, whichever way it is shown."""

import re

import pytest
from seed_notebook import CountingValue, counting_chain

from autograd_widget import Value
from autograd_widget.boxes import MAX_NODES
from autograd_widget.drawing import fmt
from autograd_widget.glimpse import GLIMPSE_NODES, glimpse

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def records(svg):
    """The drawn value nodes: id -> their texts."""
    return {m.group(1): re.findall(r"<text[^>]*>([^<]*)</text>", m.group(2))
            for m in re.finditer(r'<g id="n(\d+)">(.*?)</g>', svg)}


def test_the_nodes_nearest_the_output_are_drawn_and_the_cut_is_marked():
    x = counting_chain(5_000)
    CountingValue.looks.clear()
    svg = glimpse(x)
    # each node kept is asked for its parents once, and checked once to be Value-like: nothing beyond
    assert len(CountingValue.looks) <= 2 * GLIMPSE_NODES
    drawn = records(svg)
    assert len(drawn) == GLIMPSE_NODES
    cut = [texts for texts in drawn.values() if "⋯ (+)" in texts[0]]
    assert len(cut) == 1  # the one node whose input lies beyond: computed by + from more above
    node = x
    for _ in range(GLIMPSE_NODES - 1):
        (node,) = node._prev
    assert cut[0][1].split()[-1] == fmt(node.data)  # drawn with the number it holds


def test_a_shared_node_and_a_cycle_are_drawn_without_hanging():
    a = Value(2.0, label="a")
    r = a + a * 3
    assert len(records(glimpse(r))) == 4  # a once, 3, a*3, r
    c1 = CountingValue(1.0, label="c1")
    c2 = CountingValue(2.0, (c1,), "+")
    c1._prev, c1._op = (c2,), "+"
    assert len(records(glimpse(c2))) == 2


@pytest.fixture
def huge(ip):
    ip.run_cell(f"from autograd_widget import Value\nbig = Value(1.0)\nfor _ in range({MAX_NODES}):\n"
                "    big = big + 1.0")
    yield ip.user_ns["big"]
    for name in ("big", "_"):  # the shell is shared with other tests
        ip.user_ns.pop(name, None)


def test_the_magic_says_why_in_one_line_and_shows_the_part_nearest_the_output(ip, shown, huge, capsys):
    ip.run_line_magic("autograd", "big")
    line = capsys.readouterr().out.strip()
    assert "\n" not in line and f"more than {MAX_NODES:,} nodes" in line and "nearest its output" in line
    (picture,) = shown
    assert WIDGET_VIEW not in picture["data"]  # no widget: a picture only
    # the chain's constants beside the cut are not drawn: nothing below the cut is
    assert GLIMPSE_NODES - 2 <= len(records(picture["data"]["image/svg+xml"])) <= GLIMPSE_NODES
