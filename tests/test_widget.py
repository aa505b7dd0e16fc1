"""GraphWidget, kernel side: synced traits, the ownership rule, messages from the views
(sent through the widget's comm message handler, exactly as ipywidgets delivers them),
set_leaf, option checks, and closing."""

import gc
import json
import math
import sys
import weakref

import pytest
from graphs import neuron, neuron_and_leaves
from seed_notebook import SeedValue
from views import labels, numbers

from autograd_widget import GraphWidget, Value
from autograd_widget.sliders import default_range


def expected_neuron(x1, x2, w1, w2, b):
    o = math.tanh(x1 * w1 + x2 * w2 + b)
    dn = 1 - o * o
    return o, {"x1": w1 * dn, "w1": x1 * dn, "x2": w2 * dn, "w2": x2 * dn, "b": dn}


def leaves_msg(w, values, seq=1, final=True, view="view-1"):
    ids = {s["label"]: s["id"] for s in w.sliders}
    return {"type": "leaves", "view": view, "seq": seq, "final": final,
            "values": {str(ids[k]): x for k, x in values.items()}}


def drawn(w):
    """label -> (data, grad) as the widget tells its views."""
    ks = numbers(w)
    return {label: (ks["data"][i], ks["grad"][i]) for i, label in enumerate(labels(w)) if label}


def test_the_traits_the_frontend_reads_are_synced_and_the_bundle_is_text():
    w = GraphWidget(neuron()["o"])
    assert {"tape", "svg", "sliders", "kernel_state", "message", "rankdir"} <= set(w.keys)
    assert "values" not in w.keys  # the views send messages, they set no trait
    # a string, not a Path: given a Path anywidget watches the file and holds every widget forever
    assert isinstance(GraphWidget.__dict__["_esm"], str) and len(w._esm) > 1000
    assert isinstance(GraphWidget.__dict__["_css"], str)


def test_state_is_json_and_binary_columns():
    from ipywidgets.widgets.widget import _remove_buffers

    w = GraphWidget(neuron()["o"])
    state, paths, buffers = _remove_buffers(w.get_state())
    for key in ("tape", "sliders", "kernel_state", "boxes"):
        json.dumps(state[key], allow_nan=False)
    n = len(w._tape)
    sizes = {tuple(p): len(b) for p, b in zip(paths, buffers)}
    assert sizes[("tape", "data")] == sizes[("kernel_state", "grad")] == 8 * n
    assert sizes[("tape", "offsets")] == 4 * (n + 1) and sizes[("kernel_state", "stale_data")] == n
    assert numbers(w)["data"] == w._tape.data and labels(w) == w._tape.labels
    assert w.svg.startswith("<svg") and 'id="n0"' in w.svg
    assert set(w.kernel_state) == {"answers", "rejected", "data", "grad", "stale_data", "stale_grad"}


# -- the ownership rule: showing writes nothing ------------------------------------------------


def test_showing_a_graph_keeps_hand_set_grads():
    a = Value(2.0, label="a")
    b = Value(3.0)
    d = a * b
    d.label = "d"
    L = d * 10
    L.label = "L"
    L.backward()
    d.grad = 99.0
    w = GraphWidget(L)
    assert d.grad == 99.0 and a.grad == 30.0
    assert drawn(w)["d"] == (6.0, 99.0)  # drawn as the object holds it, like draw_dot


def test_showing_a_graph_keeps_accumulated_grads_and_edited_data():
    a = Value(2.0, label="a")
    y = a * a
    y.label = "y"
    y.backward(accumulate=True)
    y.backward(accumulate=True)
    y.data = 123.0  # an inconsistent node the learner edited
    w = GraphWidget(y)
    assert a.grad == 8.0 and y.data == 123.0
    assert drawn(w) == {"a": (2.0, 8.0), "y": (123.0, 1.0)}


def test_never_computed_grads_are_drawn_as_zero():
    o, leaves = neuron_and_leaves()
    w = GraphWidget(o)
    assert all(g == 0.0 for g in numbers(w)["grad"])
    assert all(v.grad == 0.0 for v in leaves.values())


def test_a_class_without_grad_shows_the_grads_the_widget_computes():
    a, b = SeedValue(2.0, label="a"), SeedValue(-3.0, label="b")
    c = SeedValue(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    w = GraphWidget(d)
    assert {k: v[1] for k, v in drawn(w).items()} == {"a": -3.0, "b": 2.0, "c": 1.0, "e": 1.0, "d": 1.0}
    assert not hasattr(a, "grad")  # nothing to overwrite, nothing written


# -- moving a leaf replays from the objects as they are now ----------------------------------


def test_a_leaf_changed_in_code_is_used_not_overwritten_at_the_next_move():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    L = a * b * 10
    w = GraphWidget(L)
    b.data = 7.0
    w.set_leaf("a", 1.0)
    assert b.data == 7.0 and L.data == 70.0 and a.grad == 70.0
    assert numbers(w)["data"][labels(w).index("b")] == 7.0


def test_widgets_over_shared_leaves_never_revert_each_other():
    s, t = Value(1.0, label="s"), Value(10.0, label="t")
    P, Q = s * 2, s + t
    P.label, Q.label = "P", "Q"
    wP, wQ = GraphWidget(P), GraphWidget(Q)
    wP.set_leaf("s", 3.0)
    # wQ followed at once, and shows what s holds: its grad is dP/ds, written by wP's replay
    assert drawn(wQ)["s"] == (3.0, 2.0) and drawn(wQ)["Q"][0] == 13.0 == Q.data
    wQ.set_leaf("t", 20.0)
    assert (s.data, t.data, P.data, Q.data) == (3.0, 20.0, 6.0, 23.0)
    assert drawn(wP)["s"][0] == 3.0 and drawn(wP)["P"][0] == 6.0


def test_set_leaf_takes_the_same_path_as_a_slider():
    o, leaves = neuron_and_leaves()
    w = GraphWidget(o)
    w.set_leaf("w1", 1.25)
    w.set_leaf(leaves["b"], 0)
    exp_o, _ = expected_neuron(2.0, 0.0, 1.25, 1.0, 0.0)
    assert o.data == pytest.approx(exp_o, rel=1e-12)
    assert w.kernel_state["answers"] is None and numbers(w)["data"][-1] == o.data
    w.set_leaf("b", 10**400)  # beyond float range: inf, as everywhere
    assert leaves["b"].data == math.inf and o.data == 1.0
    with pytest.raises(KeyError, match="no slider"):
        GraphWidget(o, sliders=["w1"]).set_leaf("b", 1.0)
    with pytest.raises(TypeError, match="needs a number"):
        w.set_leaf("w1", "2")


def test_duplicate_labels_get_distinct_slider_names_and_an_ambiguous_label_is_refused():
    a1, a2 = Value(1.0, label="a"), Value(2.0, label="a")
    y = a1 * a2
    w = GraphWidget(y)
    assert [s["label"] for s in w.sliders] == ["a", "a (2)"]
    with pytest.raises(KeyError, match=r"'a' labels 2 leaves \(sliders 'a', 'a \(2\)'\)"):
        w.set_leaf("a", 5.0)
    assert (a1.data, a2.data) == (1.0, 2.0)
    w.set_leaf("a (2)", 5.0)
    w.set_leaf(a1, 3.0)
    assert (a1.data, a2.data, y.data) == (3.0, 5.0, 15.0)
    with pytest.raises(KeyError, match="labels 2 leaves"):
        GraphWidget(y, ranges={"a": (0, 1)})
    assert GraphWidget(y, ranges={"a (2)": (0, 9)}).sliders[1]["max"] == 9


# -- options are checked before anything happens ---------------------------------------------


@pytest.mark.parametrize("kwargs, message", [
    ({"step": 0}, "step must be a finite number > 0"),
    ({"step": -1}, "step must be a finite number > 0"),
    ({"step": math.nan}, "step must be a finite number > 0"),
    ({"step": math.inf}, "step must be a finite number > 0"),
    ({"step": "0.1"}, "step must be a finite number > 0"),
    ({"ranges": {"w1": ("0", "9")}}, "must be two numbers"),
    ({"ranges": {"w1": (0, math.inf)}}, "must be finite"),
    ({"ranges": (-math.inf, 0)}, "must be finite"),
    ({"ranges": {"w1": (1, -1)}}, "lo < hi"),
    ({"ranges": {"w1": (1, 2, 3)}}, "must be a pair"),
    ({"ranges": "0,1"}, "must be a pair"),
    ({"rankdir": "XY"}, "rankdir must be"),
])
def test_bad_options_raise_a_clear_error_and_write_nothing(kwargs, message):
    o, leaves = neuron_and_leaves()
    o.backward()
    before = [(v.data, v.grad) for v in (o, *leaves.values())]
    with pytest.raises(ValueError, match=message):
        GraphWidget(o, **kwargs)
    assert [(v.data, v.grad) for v in (o, *leaves.values())] == before


def test_options_ranges_step_sliders_rankdir():
    o, leaves = neuron_and_leaves()
    w = GraphWidget(o, ranges={"w1": (-10, 10)}, step=0.5, sliders=["w1", leaves["x2"]], rankdir="tb")
    assert [(s["label"], s["min"], s["max"], s["step"]) for s in w.sliders] == [
        ("w1", -10, 10, 0.5), ("x2", -5.0, 5.0, 0.5)]
    assert w.rankdir == "TB"
    assert {(s["min"], s["max"]) for s in GraphWidget(o, ranges=(-2, 3)).sliders} == {(-2, 3)}
    assert {(s["min"], s["max"]) for s in GraphWidget(o, ranges=[0, 1]).sliders} == {(0, 1)}
    with pytest.raises(ValueError, match="not a leaf"):
        GraphWidget(o, sliders=["o"])
    with pytest.raises(KeyError, match="no node labelled 'nope'"):
        GraphWidget(o, sliders=["nope"])


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


@pytest.mark.parametrize("x", [0.0, 1.0, -3.0, 4.9, 7.0, -250.0, 1e6])
def test_default_range_holds_the_value_with_room(x):
    lo, hi = default_range(x)
    assert lo < x < hi
    assert min(x - lo, hi - x) >= 0.25 * (hi - lo)


@pytest.mark.parametrize("x", [9e307, -9e307, sys.float_info.max, -sys.float_info.max, 5e-324, math.nan, math.inf])
def test_default_range_is_finite_for_any_value(x):
    lo, hi = default_range(x)
    assert math.isfinite(lo) and math.isfinite(hi) and lo < hi
    if math.isfinite(x):
        assert lo <= x <= hi


def test_a_huge_leaf_gets_a_finite_slider():
    big = Value(1e308, label="big")
    w = GraphWidget(big * 2)
    (spec,) = w.sliders
    assert math.isfinite(spec["min"]) and math.isfinite(spec["max"]) and spec["min"] < 1e308 <= spec["max"]


# -- closing lets everything go ---------------------------------------------------------------


def test_close_frees_the_widget_and_its_graph():
    a = SeedValue(2.0, label="a")  # our Value has __slots__ and no weak references: use the seed's class
    o = a * SeedValue(3.0, label="b")
    w = GraphWidget(o)
    root_ref, widget_ref = weakref.ref(o), weakref.ref(w)
    w.close()
    with pytest.raises(RuntimeError, match="closed"):
        w.set_leaf("a", 1.0)
    del o, a
    gc.collect()
    assert root_ref() is None, "a closed widget still holds its graph"
    # a front end may hold on to a closed widget (marimo does): its synced copy of the graph is gone too
    assert (w.tape, w.svg, w.kernel_state, w.sliders, w.boxes) == ({}, "", {}, [], [])
    del w
    gc.collect()
    assert widget_ref() is None, "something still holds a closed widget"


def test_close_runs_no_observer_of_the_traits_it_empties():
    """A learner's observer (``w.observe(f, names="sliders")``) must not run on a widget that
    is gone with values it never expects, nor stop close() half-way if it raises."""
    w = GraphWidget(neuron()["o"])
    seen = []
    w.observe(lambda change: seen.append(change["new"][0]["label"]), names="sliders")  # raises on []
    layout = w.layout
    w.close()
    assert seen == [] and w.sliders == [] and layout.comm is None, "close() ran to its end, quietly"


def test_closed_widgets_are_freed_in_bulk():
    refs = []
    for _ in range(50):
        w = GraphWidget(neuron()["o"])
        refs.append(weakref.ref(w))
        w.close()
    del w
    gc.collect()
    assert sum(r() is not None for r in refs) == 0


def test_a_closed_widget_is_no_longer_refreshed_by_others():
    s = Value(1.0, label="s")
    P, Q = s * 2, s * 3
    wP, wQ = GraphWidget(P), GraphWidget(Q)
    wQ.close()
    wP.set_leaf("s", 4.0)  # must not touch the closed one
    assert Q.data == 3.0 and P.data == 8.0


def test_unknown_op_is_named_in_the_message():
    class Foreign:
        def __init__(self, data, prev=(), op="", label=""):
            self.data, self._prev, self._op, self.label = data, set(prev), op, label

    a = Foreign(2.0, label="a")
    y = Foreign(a.data**3, (a,), "cube", "y")
    w = GraphWidget(y)
    assert "'cube'" in w.message and "stale" in w.message
    w.set_leaf("a", 3.0)
    assert numbers(w)["stale_data"][-1] is True and y.data == 8.0  # not recomputed, flagged


def test_slider_names_never_take_another_leafs_label():
    a1, a2, a3 = Value(1.0, label="a"), Value(2.0, label="a"), Value(3.0, label="a (2)")
    y = a1 + a2 + a3
    w = GraphWidget(y)
    assert [s["label"] for s in w.sliders] == ["a", "a (3)", "a (2)"]
    w.set_leaf("a (2)", 30.0)  # the slider of that name: the leaf labelled "a (2)"
    w.set_leaf("a (3)", 20.0)
    assert (a1.data, a2.data, a3.data) == (1.0, 20.0, 30.0)


def test_replay_from_code_is_followed_by_every_widget():
    from autograd_widget import replay

    s, t = Value(1.0, label="s"), Value(10.0, label="t")
    P, Q = s * 2, s + t
    wQ = GraphWidget(Q)
    replay(P, {"s": 4.0})
    assert drawn(wQ)["s"][0] == 4.0 and Q.data == 14.0


# -- slider order ---------------------------------------------------------------------------


def test_sliders_come_in_the_order_the_leaves_were_made():
    a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
    y = c * (b * a)  # a left-to-right walk meets c, b, a
    assert [s["label"] for s in GraphWidget(y).sliders] == ["a", "b", "c"]


def test_foreign_leaves_come_in_a_left_to_right_walk():
    a, b, c = SeedValue(1.0, label="a"), SeedValue(2.0, label="b"), SeedValue(3.0, label="c")

    class Ordered(SeedValue):  # parents kept in order, as micrograd-likes with a tuple _prev do
        def __init__(self, data, children=(), op="", label=""):
            super().__init__(data, children, op, label)
            self._prev = tuple(children)

    y = Ordered(6.0, (c, Ordered(2.0, (b, a), "*")), "*")
    assert [s["label"] for s in GraphWidget(y).sliders] == ["c", "b", "a"]


def test_an_mlps_parameters_come_by_layer_neuron_and_weight():
    from autograd_widget.nn import MLP

    model = MLP(2, [3, 1])
    x = [Value(0.5, label="x0"), Value(-1.0, label="x1")]
    loss = (model(x) - 1.0) ** 2
    labels = [s["label"] for s in GraphWidget(loss).sliders]
    params = [f"L0.N{n}.{p}" for n in range(3) for p in ("w0", "w1", "b")]
    params += ["L1.N0.w0", "L1.N0.w1", "L1.N0.w2", "L1.N0.b"]
    assert labels == ["x0", "x1", *params]


def test_a_closed_widget_answers_any_display_with_a_line():
    w = GraphWidget(neuron()["o"])
    w.close()
    data, _ = w._repr_mimebundle_()
    assert data == {"text/plain": "this GraphWidget was closed (by close(), or when the cell that made it ran "
                                  "again); make a new one to show the graph again"}
