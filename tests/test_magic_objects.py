"""%%autograd on objects that are not ours: the seed notebook's own Value class pasted
verbatim, karpathy's micrograd, and a class with an op the engine does not know."""

import math

import pytest
from ipywidgets.widgets.widget import _instances as live_widgets
from micrograd.engine import Value as MicrogradValue
from seed_notebook import SEED_CELL, SEED_CLASS
from views import labels, move, numbers

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widget_of(ip, shown, cell, line=""):
    """Run a %%autograd cell and return the one GraphWidget it displayed."""
    assert ip.run_cell(f"%%autograd {line}\n{cell}", store_history=True).success
    views = [o["data"][WIDGET_VIEW]["model_id"] for o in shown if o["data"].get(WIDGET_VIEW, {}).get("model_id")]
    assert len(views) == 1
    return live_widgets[views[0]]


def node(w, label):
    """Tape id of the last node drawn with this label."""
    return len(labels(w)) - 1 - labels(w)[::-1].index(label)


def test_seed_class_verbatim_draws_and_its_sliders_run_forward_and_backward(ip, shown):
    w = widget_of(ip, shown, SEED_CLASS + "\na = Value(2.0)\nb = Value(-3.0)\nc = Value(10.0)\nd = a*b + c\n")
    ns = ip.user_ns
    assert w.root is ns["d"]
    assert sorted(s["label"] for s in w.sliders) == ["a", "b", "c"]  # _prev is a set: any order
    grad = numbers(w)["grad"]
    assert [grad[node(w, x)] for x in "abc"] == [-3.0, 2.0, 1.0]  # the slopes the seed measured by hand
    w.set_leaf("a", 3.0)  # what a drag of a's slider does
    assert ns["a"].data == 3.0
    assert ns["d"].data == 3.0 * -3.0 + 10.0
    grad = numbers(w)["grad"]
    assert [grad[node(w, x)] for x in "abc"] == [-3.0, 3.0, 1.0]
    assert not hasattr(ns["a"], "grad")  # the class has no grad, and gets none


def test_seed_cell_verbatim_keeps_its_labels_and_prints(ip, shown, capsys):
    w = widget_of(ip, shown, SEED_CLASS + "\n" + SEED_CELL)
    out = capsys.readouterr().out
    assert out.splitlines()[:4] == ["Value(data=-1.0)", "Value(data=-6.0)", "Value(data=-6.0)", "Value(data=4.0)"]
    ns = ip.user_ns
    assert (ns["c"].label, ns["e"].label, ns["d"].label) == ("d", "e", "d")  # its own labels, even c's 'd'
    assert sorted(s["label"] for s in w.sliders) == ["a", "b", "d"]
    c_slider = next(s["id"] for s in w.sliders if s["label"] == "d")
    move(w, {c_slider: 5.0})  # as the browser sends it
    assert ns["c"].data == 5.0
    assert ns["e"].data == -6.0
    assert ns["d"].data == -1.0


def test_micrograd_value_replays_like_micrograd(ip, shown):
    cell = "from micrograd.engine import Value\na = Value(2.0)\nb = Value(-3.0)\nL = (a*b + a**2 - b/a + 5).relu()"
    w = widget_of(ip, shown, cell)
    ns = ip.user_ns
    assert w.root is ns["L"] and ns["L"].label == "L"
    assert sorted(s["label"] for s in w.sliders) == ["a", "b"]  # the constant 5 has no name, no slider
    assert w.message == ""  # '**2', '**-1', 'ReLU' are all known
    w.set_leaf("a", 1.5)
    move(w, {node(w, "b"): 0.5})
    a, b = MicrogradValue(1.5), MicrogradValue(0.5)
    L = (a * b + a**2 - b / a + 5).relu()
    L.backward()
    assert ns["L"].data == pytest.approx(L.data, rel=1e-12)
    assert (ns["a"].data, ns["b"].data) == (1.5, 0.5)
    assert ns["a"].grad == pytest.approx(a.grad, rel=1e-12)
    assert ns["b"].grad == pytest.approx(b.grad, rel=1e-12)


UNKNOWN_OP = """\
import math
class Mine:
    def __init__(self, data, _children=(), _op=''):
        self.data, self._prev, self._op, self.grad = data, set(_children), _op, 0.0
    def __add__(self, other):
        return Mine(self.data + other.data, (self, other), '+')
    def sin(self):
        return Mine(math.sin(self.data), (self,), 'sin')
x = Mine(0.5)
y = Mine(2.0)
s = x.sin()
z = s + y
"""


def test_unknown_op_is_drawn_stale_with_a_message_naming_it(ip, shown):
    w = widget_of(ip, shown, UNKNOWN_OP)
    ns = ip.user_ns
    assert "'sin'" in w.message
    assert ">sin<" in w.svg  # the op node is drawn
    before = ns["z"].data
    w.set_leaf("x", 1.0)
    state = w.kernel_state
    assert ns["x"].data == 1.0
    assert state["stale_data"][node(w, "s")] and state["stale_data"][node(w, "z")]
    assert ns["z"].data == before  # never a silently wrong number
    w.set_leaf("y", 3.0)
    assert numbers(w)["stale_grad"][node(w, "x")] and not numbers(w)["stale_grad"][node(w, "y")]
    assert ns["y"].grad == 1.0  # the path z = s + y needs no rule for sin
    assert ns["x"].grad == 0.0  # a grad through sin is unknown: left alone
    assert not math.isnan(numbers(w)["grad"][node(w, "y")])


def test_the_lectures_class_on_a_big_graph_starts_with_the_drawn_leaves_sliders(ip, shown):
    """The seed's class keeps no birth order, so the magic orders sliders by the cell's names;
    that order must not turn into "every leaf gets one" on a graph drawn in boxes."""
    w = widget_of(ip, shown, SEED_CLASS + "\nxs = [Value(float(i)) for i in range(300)]\n"
                  "ws = [Value(0.5) for _ in range(300)]\nfor i in range(300):\n"
                  "    xs[i].label = f'x{i}'; ws[i].label = f'w{i}'\n"
                  "t = Value(0.0)\nfor x, w in zip(xs, ws):\n    t = t + x * w\n")
    assert w.boxes
    drawn = set(w._view.drawn)
    assert w.sliders and all(s["id"] in drawn for s in w.sliders)
    w.add_slider("w7")
    assert w.sliders[-1]["label"] == "w7"
