"""GraphWidget, kernel side: synced traits, the frontend's messages through set_state,
set_leaf, options, and the rich display bundle."""

import json
import math

import pytest

from autograd_widget import GraphWidget, Value
from autograd_widget.widget import default_range, value_mimebundle


def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o, dict(x1=x1, x2=x2, w1=w1, w2=w2, b=b)


def expected_neuron(x1, x2, w1, w2, b):
    o = math.tanh(x1 * w1 + x2 * w2 + b)
    dn = 1 - o * o
    return o, {"x1": w1 * dn, "w1": x1 * dn, "x2": w2 * dn, "w2": x2 * dn, "b": dn}


def test_the_traits_the_frontend_reads_are_synced():
    w = GraphWidget(neuron()[0])
    synced = set(w.keys)
    assert {"tape", "svg", "sliders", "values", "kernel_state", "message", "rankdir"} <= synced
    assert "_esm" in synced and len(w._esm) > 1000  # the real bundle, not a path string


def test_state_is_plain_json():
    w = GraphWidget(neuron()[0])
    state = w.get_state()
    for key in ("tape", "sliders", "values", "kernel_state"):
        json.dumps(state[key], allow_nan=False)
    assert w.svg.lstrip().startswith("<?xml") and 'id="n0"' in w.svg


def test_sliders_on_labelled_leaves_only_with_a_range_around_the_value():
    a = Value(1.5, label="a")
    y = 2 * a + Value(40.0, label="big")
    w = GraphWidget(y)
    specs = {s["label"]: s for s in w.sliders}
    assert set(specs) == {"a", "big"}  # not the unlabelled constant 2
    for label, x in (("a", 1.5), ("big", 40.0)):
        lo, hi = specs[label]["min"], specs[label]["max"]
        assert lo < x < hi and min(x - lo, hi - x) >= 0.25 * (hi - lo)
    assert [leaf.label for leaf in w.leaves] == ["a", "big"]
    assert w.root is y


def test_options_ranges_step_sliders_rankdir():
    o, leaves = neuron()
    w = GraphWidget(o, ranges={"w1": (-10, 10)}, step=0.5, sliders=["w1", leaves["x2"]], rankdir="TB")
    assert [(s["label"], s["min"], s["max"], s["step"]) for s in w.sliders] == [
        ("w1", -10, 10, 0.5), ("x2", -5.0, 5.0, 0.5)]
    assert w.rankdir == "TB"
    assert {(s["min"], s["max"]) for s in GraphWidget(o, ranges=(-2, 3)).sliders} == {(-2, 3)}
    with pytest.raises(ValueError, match="not a leaf"):
        GraphWidget(o, sliders=["o"])
    with pytest.raises(ValueError, match="lo < hi"):
        GraphWidget(o, ranges={"w1": (1, -1)})
    with pytest.raises(KeyError, match="no node labelled 'nope'"):
        GraphWidget(o, sliders=["nope"])


def test_frontend_values_reach_the_kernel_objects():
    o, leaves = neuron()
    w = GraphWidget(o)
    ids = {s["label"]: str(s["id"]) for s in w.sliders}
    w.set_state({"values": {**w.values, ids["w1"]: 0.75, ids["x2"]: -1.5}})
    exp_o, exp_grads = expected_neuron(2.0, -1.5, 0.75, 1.0, 6.8813735870195432)
    assert o.data == pytest.approx(exp_o, rel=1e-12)
    for name, leaf in leaves.items():
        assert leaf.grad == pytest.approx(exp_grads[name], rel=1e-12, abs=1e-15)
    ks = w.kernel_state
    assert ks["values"] == w.values
    assert ks["data"][-1] == o.data and ks["grad"][int(ids["w1"])] == leaves["w1"].grad


def test_set_leaf_takes_the_same_path_as_a_slider():
    o, leaves = neuron()
    w = GraphWidget(o)
    w.set_leaf("w1", 1.25)
    assert w.values[str(w._tape.id_of("w1"))] == 1.25
    w.set_leaf(leaves["b"], 0.0)
    exp_o, _ = expected_neuron(2.0, 0.0, 1.25, 1.0, 0.0)
    assert o.data == pytest.approx(exp_o, rel=1e-12)
    assert w.kernel_state["values"] == w.values
    with pytest.raises(KeyError, match="no slider"):
        GraphWidget(o, sliders=["w1"]).set_leaf("b", 1.0)


def test_nan_from_the_frontend_is_kept_and_recoverable():
    o, leaves = neuron()
    w = GraphWidget(o)
    wid = str(w._tape.id_of("w1"))
    w.set_state({"values": {**w.values, wid: "NaN"}})
    assert math.isnan(o.data) and w.kernel_state["data"][-1] == "NaN"
    w.set_state({"values": {**w.values, wid: -3.0}})
    assert o.data == pytest.approx(0.7071, abs=1e-4) and leaves["x1"].grad == pytest.approx(-1.5)


def test_unknown_op_is_named_in_the_message():
    class Foreign:
        def __init__(self, data, prev=(), op="", label=""):
            self.data, self._prev, self._op, self.label = data, set(prev), op, label

    a = Foreign(2.0, label="a")
    y = Foreign(a.data**3, (a,), "cube", "y")
    w = GraphWidget(y)
    assert "'cube'" in w.message and "stale" in w.message
    w.set_leaf("a", 3.0)
    assert w.kernel_state["stale_data"][-1] is True and y.data == 8.0  # not recomputed, flagged


def test_widget_bundle_has_widget_svg_and_text():
    o, _ = neuron()
    data, _meta = GraphWidget(o)._repr_mimebundle_()
    assert set(data) == {"application/vnd.jupyter.widget-view+json", "image/svg+xml", "text/plain"}
    assert data["text/plain"] == repr(o) and "<svg" in data["image/svg+xml"]


def test_value_outside_a_kernel_displays_as_text_only():
    o, _ = neuron()
    assert value_mimebundle(o) == {"text/plain": repr(o)}
    assert str(o) == repr(o) == f"Value(data={o.data!r}, grad={o.grad!r})"


@pytest.mark.parametrize("x", [0.0, 1.0, -3.0, 4.9, 7.0, -250.0, 1e6])
def test_default_range_holds_the_value_with_room(x):
    lo, hi = default_range(x)
    assert lo < x < hi
    assert min(x - lo, hi - x) >= 0.25 * (hi - lo)
