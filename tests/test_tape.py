"""The graph as data: tape columns, replay, foreign micrograd-style objects."""

import json
import math

import pytest
from graphs import neuron_and_leaves
from micrograd.engine import Value as MicroValue
from seed_notebook import CountingValue, SeedValue, counting_chain

from autograd_widget import Tape, Value, replay
from autograd_widget.tape import TooLarge


def test_tape_is_topological_with_stable_ids():
    o, _ = neuron_and_leaves()
    tape = Tape(o)
    assert tape.nodes[tape.root] is o
    for i, ps in enumerate(tape.parents):
        assert all(p < i for p in ps)
    assert Tape(o).labels == tape.labels and Tape(o).parents == tape.parents  # same graph, same ids
    assert sorted(tape.labels[i] for i in tape.leaves) == ["b", "w1", "w2", "x1", "x2"]


def test_tape_json_is_compact_and_serialisable_with_nan():
    a = Value(-1.0, label="a")
    y = a.log() * 2
    tape = Tape(y).replay()
    doc = json.loads(json.dumps(tape.to_json(), allow_nan=False))
    assert doc["op"] == ["", "log", "", "*"]
    assert doc["parents"] == [[], [0], [], [1, 2]]
    assert doc["data"][1] == "NaN" and doc["data"][0] == -1.0
    assert set(doc) == {"label", "op", "arg", "parents", "known", "scope", "data", "grad", "stale_data", "stale_grad"}


def test_replay_equals_rebuilding_from_scratch():
    o, leaves = neuron_and_leaves()
    replay(o, {leaves["w1"]: 0.5, "x2": -1.25, "b": 0.3})
    fresh, fresh_leaves = neuron_and_leaves(w1=0.5, x2=-1.25, b=0.3)
    fresh.backward()
    assert o.data == fresh.data
    for k in leaves:
        assert leaves[k].grad == fresh_leaves[k].grad
        assert leaves[k].data == fresh_leaves[k].data


def test_replay_by_tape_id_and_again_without_retracing():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    y = a * b + a
    tape = Tape(y)
    tape.replay({tape.id_of("a"): 4.0})
    assert (y.data, a.grad, b.grad) == (16.0, 4.0, 4.0)
    tape.replay({b: -1.0})
    assert (y.data, a.grad) == (0.0, 0.0)


def test_replay_refuses_to_set_an_inner_node():
    a = Value(2.0, label="a")
    y = a * 2
    y.label = "y"
    with pytest.raises(ValueError, match="not a leaf"):
        replay(y, {"y": 1.0})
    with pytest.raises(KeyError, match="no node labelled 'zz'"):
        replay(y, {"zz": 1.0})


def test_micrograd_values_replay_forward_and_backward():
    a, b = MicroValue(2.0), MicroValue(-3.0)
    d = (a * b + a**2).relu() + (a - b)
    tape = Tape(d)
    assert tape.unknown_ops == []
    tape.replay({a: 3.0})
    a2, b2 = MicroValue(3.0), MicroValue(-3.0)
    d2 = (a2 * b2 + a2**2).relu() + (a2 - b2)
    d2.backward()
    assert d.data == d2.data and a.grad == a2.grad and b.grad == b2.grad




def test_seed_class_replays_and_gets_grads_from_the_tape():
    a, b, c = SeedValue(2.0, label="a"), SeedValue(-3.0, label="b"), SeedValue(10.0, label="c")
    d = a * b + c
    tape = Tape(d).replay({"a": 3.0})
    assert d.data == 1.0  # written back into the user's object
    grads = {tape.labels[i]: tape.grad[i] for i in tape.leaves}
    assert grads == {"a": -3.0, "b": 3.0, "c": 1.0}
    assert not hasattr(a, "grad")  # the class has no grad: we add none


def test_set_based_prev_of_a_plus_a_counts_twice():
    a = SeedValue(3.0, label="a")
    s = a + a  # _prev == {a}
    tape = Tape(s).replay()
    assert tape.grad[tape.id_of("a")] == 2.0


def test_non_commutative_foreign_op_order_is_recovered_from_the_data():
    class Sub(SeedValue):
        def __sub__(self, other):
            return Sub(self.data - other.data, (self, other), "-")

    a, b = Sub(5.0, label="a"), Sub(1.0, label="b")
    d = a - b
    tape = Tape(d).replay({"b": 2.0})
    assert d.data == 3.0
    assert tape.grad[tape.id_of("a")] == 1.0 and tape.grad[tape.id_of("b")] == -1.0


def test_unknown_op_is_stale_never_silently_wrong():
    a, b = SeedValue(2.0, label="a"), SeedValue(3.0, label="b")
    m = SeedValue(a.data**b.data, (a, b), "frob")
    out = m + SeedValue(1.0, label="c")
    tape = Tape(out)
    assert tape.unknown_ops == ["frob"]
    tape.replay({"c": 2.0})  # not upstream of frob: everything still exact
    assert out.data == 10.0 and not any(tape.stale_data)
    tape.replay({"a": 5.0})
    m_id, out_id = tape.id_of(m), tape.root
    assert tape.stale_data[m_id] and tape.stale_data[out_id]
    assert tape.stale_grad[tape.id_of("a")] and tape.stale_grad[tape.id_of("b")]
    assert not tape.stale_grad[tape.id_of("c")] and tape.grad[tape.id_of("c")] == 1.0


def test_stale_grads_stay_put_across_replays():
    a, b = SeedValue(2.0, label="a"), SeedValue(3.0, label="b")
    m = SeedValue(6.0, (a, b), "frob")
    out = m * a  # a's grad flows through frob (stale) and through * (known)
    object.__setattr__(a, "grad", 4.0)
    tape = Tape(out)
    first = tape.grad[tape.id_of("a")]
    for _ in range(3):
        tape.replay({"b": 1.0})
    assert tape.grad[tape.id_of("a")] == first == 4.0  # the object's own, not growing


def test_json_args_are_valid_json_even_when_huge():
    a = Value(2.0)
    y = a ** 1e308 * 1e308
    doc = Tape(a ** float("inf")).to_json()
    assert doc["arg"] == [None, "Infinity"]
    json.dumps(Tape(y).to_json(), allow_nan=False)


def test_cycle_is_a_clear_error_not_a_hang():
    a = SeedValue(1.0, label="a")
    b = a + a
    a._prev = {b}
    with pytest.raises(ValueError, match="cycle"):
        Tape(b)


def test_non_value_parent_is_a_clear_error():
    a = SeedValue(1.0)
    a._prev = {42}
    with pytest.raises(TypeError, match="not a Value-like"):
        Tape(a)


def test_not_a_value_at_all():
    with pytest.raises(TypeError, match="Value-like"):
        Tape(3.0)


def test_nan_leaf_propagates_and_comes_back_unchanged():
    o, leaves = neuron_and_leaves()
    tape = Tape(o).replay({"w1": math.nan})
    assert math.isnan(o.data) and math.isnan(leaves["x1"].grad)
    tape.replay({"w1": -3.0})
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    assert leaves["x1"].grad == pytest.approx(-1.5)


# -- the objects are the truth -------------------------------------------------------------


def test_building_a_tape_reads_the_objects_and_writes_nothing():
    o, leaves = neuron_and_leaves()
    o.backward()
    leaves["w1"].grad = 42.0  # set by hand
    tape = Tape(o)
    assert tape.grad[tape.id_of("w1")] == 42.0 and leaves["w1"].grad == 42.0
    assert tape.data == [v.data for v in tape.nodes]


def test_replay_starts_from_what_the_objects_hold_now():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    y = a * b
    tape = Tape(y)
    b.data = 7.0  # changed in code after the tape was built
    tape.replay({"a": 1.0})
    assert (b.data, y.data, a.grad) == (7.0, 7.0, 7.0)


def test_replay_writes_only_what_it_recomputed():
    a, b = SeedValue(2.0, label="a"), SeedValue(3.0, label="b")
    m = SeedValue(99.0, (a,), "frob")  # no rule: never recomputed, so never written
    out = m * b
    tape = Tape(out)
    m.data = 5.0  # the learner edits the unknown node
    tape.replay({"b": 4.0})
    assert m.data == 5.0 and out.data == 20.0


def test_refresh_draws_what_the_objects_hold_and_recomputes_nothing():
    a = Value(2.0, label="a")
    y = a * a
    tape = Tape(y)
    assert tape.refresh() is False  # nothing changed
    y.data = 123.0
    a.grad = 5.0
    assert tape.refresh() is True
    assert tape.data[tape.root] == 123.0 and tape.grad[tape.id_of("a")] == 5.0
    assert y.data == 123.0  # not recomputed


def test_refresh_flags_an_unknown_op_stale_when_its_leaf_moved_in_code():
    a = SeedValue(2.0, label="a")
    m = SeedValue(8.0, (a,), "cube")
    tape = Tape(m)
    a.data = 3.0
    tape.refresh()
    assert tape.stale_data[tape.root] is True


def test_refresh_following_recomputes_only_what_depends_on_a_moved_leaf():
    s, t, u = Value(1.0, label="s"), Value(10.0, label="t"), Value(2.0, label="u")
    st, tu = s + t, t * u
    q = st + tu
    tape = Tape(q)
    tu.data = -1.0  # an edit on a branch that does not depend on s
    s.data = 3.0  # as another widget moving s would
    assert tape.refresh(follow=True) is True
    assert st.data == 13.0 and tu.data == -1.0 and q.data == 12.0


def test_write_grads_fills_grads_from_the_objects_data_and_keeps_it():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    d = a * b
    d.data = 100.0  # inconsistent on purpose: write_grads leaves data alone
    Tape(d).write_grads()
    assert (a.grad, b.grad, d.grad, d.data) == (-3.0, 2.0, 1.0, 100.0)


def test_an_ambiguous_label_is_refused_naming_the_leaves():
    a1, a2 = Value(1.0, label="a"), Value(2.0, label="a")
    y = a1 + a2
    with pytest.raises(KeyError, match=r"'a' labels 2 leaves \(ids 0, 1\)"):
        replay(y, {"a": 5.0})
    assert (a1.data, a2.data) == (1.0, 2.0)
    replay(y, {a2: 5.0})
    assert y.data == 6.0


def test_a_limit_refuses_a_huge_graph_after_a_bounded_walk():
    x = Value(1.0)
    for _ in range(10_000):
        x = x + 1.0
    c = counting_chain(10_000)
    with pytest.raises(TooLarge, match="more than 100 nodes"):
        Tape(x, limit=100)
    CountingValue.looks.clear()
    with pytest.raises(TooLarge):
        Tape(c, limit=100)
    assert len(CountingValue.looks) <= 2 * 101  # is_value_like and the walk each look once per node seen
    assert len(Tape(x, limit=20_001)) == 20_001  # each x + 1.0 adds the sum and the constant
    with pytest.raises(TooLarge):
        Tape(x, limit=20_000)
