"""GraphWidget, kernel side: what the views send (protocol.py), delivered through the widget's
comm message handler exactly as ipywidgets delivers it — taken, answered, or refused with a
reason and nothing changed."""

import math

import pytest
from graphs import neuron, neuron_and_leaves
from seed_notebook import SeedValue
from test_widget import expected_neuron, leaves_msg
from views import numbers, send

from autograd_widget import GraphWidget, Value


def test_a_view_message_moves_only_the_leaves_it_names_and_the_answer_names_it():
    o, leaves = neuron_and_leaves()
    w = GraphWidget(o)
    leaves["x1"].data = 1.5  # changed in code meanwhile: the message must not undo it
    send(w, leaves_msg(w, {"w1": 0.75, "x2": -1.5}, seq=7, view="abc"))
    exp_o, exp_grads = expected_neuron(1.5, -1.5, 0.75, 1.0, 6.8813735870195432)
    assert o.data == pytest.approx(exp_o, rel=1e-12)
    for name, leaf in leaves.items():
        assert leaf.grad == pytest.approx(exp_grads[name], rel=1e-12, abs=1e-15)
    ks = numbers(w)
    assert ks["answers"] == {"view": "abc", "seq": 7} and ks["rejected"] == ""
    assert ks["data"][-1] == o.data and ks["grad"][w._tape.id_of("w1")] == leaves["w1"].grad


def test_a_ping_is_answered_and_changes_nothing():
    o = neuron()["o"]
    w = GraphWidget(o)
    before, objects = dict(w.kernel_state), [(v.data, v.grad) for v in w._tape.nodes]
    send(w, {"type": "ping", "view": "v", "seq": 3})
    assert w.kernel_state == {**before, "answers": {"view": "v", "seq": 3}}
    assert [(v.data, v.grad) for v in w._tape.nodes] == objects


def test_nan_from_a_view_is_kept_and_recoverable():
    o, leaves = neuron_and_leaves()
    w = GraphWidget(o)
    send(w, leaves_msg(w, {"w1": "NaN"}, seq=1))
    assert math.isnan(o.data) and math.isnan(numbers(w)["data"][-1])
    send(w, leaves_msg(w, {"w1": -3.0}, seq=2))
    assert o.data == pytest.approx(0.7071, abs=1e-4) and leaves["x1"].grad == pytest.approx(-1.5)


BAD_MESSAGES = [
    ("unknown id", lambda w: {"type": "leaves", "view": "v", "seq": 5, "final": True, "values": {"999": 1.0}}),
    ("inner node", lambda w: {"type": "leaves", "view": "v", "seq": 5, "final": True,
                              "values": {str(w._tape.root): 1.0}}),
    ("non-number", lambda w: leaves_msg(w, {"w1": "3"}, seq=5)),
    ("bool", lambda w: leaves_msg(w, {"w1": True}, seq=5)),
    ("null", lambda w: leaves_msg(w, {"w1": None}, seq=5)),
    ("empty values", lambda w: {"type": "leaves", "view": "v", "seq": 5, "final": True, "values": {}}),
    ("values not a dict", lambda w: {"type": "leaves", "view": "v", "seq": 5, "values": [1, 2]}),
    ("final not a bool", lambda w: {**leaves_msg(w, {"w1": 1.0}, seq=5), "final": "yes"}),
    ("unknown type", lambda w: {"type": "explode", "view": "v", "seq": 5}),
]


@pytest.mark.parametrize("name, make", BAD_MESSAGES, ids=[b[0] for b in BAD_MESSAGES])
def test_a_bad_message_changes_nothing_is_answered_with_why_and_the_widget_still_works(name, make, caplog):
    o = neuron()["o"]
    w = GraphWidget(o)
    state_before = {k: repr(v) for k, v in w.get_state().items() if k != "kernel_state"}
    objects_before = [(v.data, v.grad) for v in w._tape.nodes]
    msg = make(w)
    send(w, msg)
    assert [(v.data, v.grad) for v in w._tape.nodes] == objects_before
    assert {k: repr(v) for k, v in w.get_state().items() if k != "kernel_state"} == state_before
    assert w.kernel_state["answers"] == {"view": msg["view"], "seq": msg["seq"]}
    assert w.kernel_state["rejected"], "the answer says why"
    assert "ignored a message" in caplog.text
    w.set_leaf("w1", 1.25)
    assert o.data == pytest.approx(expected_neuron(2.0, 0.0, 1.25, 1.0, 6.8813735870195432)[0], rel=1e-12)


@pytest.mark.parametrize("content", [None, "leaves", 3, [], {"type": "leaves"}, {"view": "", "seq": 1},
                                     {"view": "v", "seq": 0}, {"view": "v", "seq": True}, {"view": "v" * 65, "seq": 1}])
def test_a_message_without_a_sender_is_logged_and_changes_nothing(content, caplog):
    o = neuron()["o"]
    w = GraphWidget(o)
    before = [(v.data, v.grad) for v in w._tape.nodes]
    send(w, content)
    assert [(v.data, v.grad) for v in w._tape.nodes] == before
    assert w.kernel_state["answers"] is None and w.kernel_state["rejected"]
    assert "ignored a message" in caplog.text


def test_the_front_end_cannot_set_the_widgets_traits(caplog):
    o = neuron()["o"]
    w = GraphWidget(o)
    before = {k: repr(v) for k, v in w.get_state().items()}
    w.set_state({"values": {"999": "x"}, "kernel_state": "garbage", "tape": {}, "sliders": [1]})
    assert {k: repr(v) for k, v in w.get_state().items()} == before
    assert "ignored" in caplog.text
    w.set_leaf("w1", 1.25)
    assert numbers(w)["data"][w._tape.id_of("w1")] == 1.25


def test_objects_broken_in_code_are_refused_with_a_reason_not_a_traceback(caplog):
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    y = a * b
    w = GraphWidget(y)
    b.data = "seven"  # the learner's code put a string in a node
    send(w, {"type": "leaves", "view": "v", "seq": 1, "final": True, "values": {str(w.sliders[0]["id"]): 5.0}})
    assert a.data == 2.0 and y.data == 6.0  # nothing written
    assert w.kernel_state["answers"] == {"view": "v", "seq": 1}
    assert "b.data is 'seven', not a number" in w.kernel_state["rejected"]
    b.data = 4.0
    w.set_leaf("a", 5.0)
    assert y.data == 20.0


def test_objects_that_raise_anything_are_answered_and_said_once(caplog):
    class Touchy(SeedValue):
        broken = False

        @property
        def data(self):
            if Touchy.broken:
                raise RuntimeError("sensor offline")
            return self.__dict__["data"]

        @data.setter
        def data(self, x):
            self.__dict__["data"] = x

    a, b = Touchy(2.0, label="a"), Touchy(3.0, label="b")
    y = a * b
    w = GraphWidget(y)
    Touchy.broken = True
    send(w, {"type": "leaves", "view": "v", "seq": 1, "final": True, "values": {str(w.sliders[0]["id"]): 5.0}})
    assert "sensor offline" in w.kernel_state["rejected"] and w.kernel_state["answers"]["seq"] == 1
    caplog.clear()
    for _ in range(3):
        w._refresh()  # what happens after every cell
    assert caplog.text.count("sensor offline") == 1
    Touchy.broken = False
    w.set_leaf("a", 5.0)
    assert y.data == 15.0


def test_an_integer_beyond_float_range_in_a_message_is_inf():
    o, leaves = neuron_and_leaves()
    w = GraphWidget(o)
    send(w, {"type": "leaves", "view": "v", "seq": 1, "final": True, "values": {str(w._tape.id_of("b")): 10**400}})
    assert leaves["b"].data == math.inf and w.kernel_state["rejected"] == ""
