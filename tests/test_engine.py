"""The engine against karpathy's micrograd, finite differences and the lecture's numbers."""

import gc
import math
import sys

import pytest
from graphs import neuron
from micrograd.engine import Value as MicroValue

from autograd_widget import Value, gradcheck
from autograd_widget.engine import topological_order


def test_value_looks_like_the_seed():
    a = Value(2.0, label="a")
    assert (a.data, a.grad, a.label, a.op, a.parents) == (2.0, 0.0, "a", "", ())
    assert repr(a) == "Value(data=2.0, grad=0.0)"
    e = a * Value(-3.0)
    assert e._op == "*" and e._prev == e.parents and e._prev[0] is a


def test_ordered_parents_draw_and_differentiate_sub_right():
    a, b = Value(5.0, label="a"), Value(3.0, label="b")
    d = a - b
    assert d.parents == (a, b) and d.data == 2.0
    d.backward()
    assert (a.grad, b.grad) == (1.0, -1.0)


def test_reused_node_counts_every_use():
    a = Value(3.0)
    s = a + a
    assert s.parents == (a, a)
    s.backward()
    assert a.grad == 2.0
    p = a * a * a
    p.backward()
    assert p.data == 27.0 and a.grad == 27.0  # 3a²


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda a: 2 * a, 6.0), (lambda a: a * 2, 6.0), (lambda a: 1 - a, -2.0), (lambda a: a - 1, 2.0),
        (lambda a: 1 + a, 4.0), (lambda a: 6 / a, 2.0), (lambda a: a / 2, 1.5), (lambda a: a**2, 9.0),
        (lambda a: 2**a, 8.0), (lambda a: a ** Value(2.0), 9.0), (lambda a: -a, -3.0),
        (lambda a: sum([a, a, 1.0]), 7.0),
    ],
)
def test_numbers_on_either_side(build, expected):
    out = build(Value(3.0))
    assert out.data == pytest.approx(expected)
    assert gradcheck(out)


def test_unsupported_operand_is_a_type_error():
    with pytest.raises(TypeError):
        Value(1.0) + "x"


def test_power_with_number_exponent_is_one_node_like_micrograd():
    a = Value(-2.0)
    y = a**3
    assert y._op == "**3" and y.parents == (a,)  # no constant node, no log of a negative
    y.backward()
    assert a.grad == 12.0


def test_micrograd_sanity_check_expression():
    def build(V):
        x = V(-4.0)
        z = 2 * x + 2 + x
        q = z.relu() + z * x
        h = (z * z).relu()
        y = h + q + q * x
        y.backward()
        return x, y

    x, y = build(Value)
    mx, my = build(MicroValue)
    assert y.data == pytest.approx(my.data, rel=1e-12)
    assert x.grad == pytest.approx(mx.grad, rel=1e-12)


def test_micrograd_more_ops_expression():
    def build(V):
        a, b = V(-4.0), V(2.0)
        c = a + b
        d = a * b + b**3
        c += c + 1
        c += 1 + c + (-a)
        d += d * 2 + (b + a).relu()
        d += 3 * d + (b - a).relu()
        e = c - d
        f = e**2
        g = f / 2.0
        g += 10.0 / f
        g.backward()
        return a, b, g

    a, b, g = build(Value)
    ma, mb, mg = build(MicroValue)
    assert g.data == pytest.approx(mg.data, rel=1e-12)
    assert a.grad == pytest.approx(ma.grad, rel=1e-12)
    assert b.grad == pytest.approx(mb.grad, rel=1e-12)


def test_lecture_neuron_grads():
    v = neuron()
    x1, x2, w1, w2, o = (v[k] for k in ("x1", "x2", "w1", "w2", "o"))
    o.backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    assert [x1.grad, w1.grad, x2.grad, w2.grad] == pytest.approx([-1.5, 1.0, 0.5, 0.0], abs=1e-6)
    assert gradcheck(o)


def test_lecture_neuron_with_exp_spelled_out():
    v = neuron()  # its tanh node is left unused: o is built again from n below
    x1, x2, w1, w2, n = (v[k] for k in ("x1", "x2", "w1", "w2", "n"))
    e = (2 * n).exp()
    o = (e - 1) / (e + 1)
    o.backward()
    assert [x1.grad, w1.grad, x2.grad, w2.grad] == pytest.approx([-1.5, 1.0, 0.5, 0.0], abs=1e-6)


@pytest.mark.parametrize("method", ["exp", "log", "tanh", "relu", "sigmoid"])
def test_unary_methods_pass_gradcheck(method):
    x = Value(0.8)
    assert gradcheck(getattr(x * 1.5 + 0.2, method)() * x)


def test_deep_chain_of_a_million():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + 1e-6
    y.backward()
    assert x.grad == 1.0
    assert y.data == pytest.approx(2.0)
    assert len(topological_order(y)) == 2_000_001  # every step adds a constant leaf


def test_micrograd_itself_dies_on_a_shallow_chain():
    """The reason for the iterative order: micrograd's recursion fails near the limit."""
    x = MicroValue(1.0)
    y = x
    for _ in range(sys.getrecursionlimit() + 10):
        y = y + 1
    with pytest.raises(RecursionError):
        y.backward()


def test_backward_is_idempotent_by_default():
    a, b = Value(2.0), Value(-3.0)
    L = a * b + a
    L.backward()
    first = (a.grad, b.grad)
    L.backward()
    L.backward()
    assert (a.grad, b.grad) == first == (-2.0, 2.0)


def test_accumulate_adds_leaf_grads_but_not_through_intermediates():
    a = Value(2.0)
    m = a * a  # intermediate
    L = m + m
    L.backward(accumulate=True)
    assert (a.grad, m.grad) == (8.0, 2.0)
    L.backward(accumulate=True)
    assert a.grad == 16.0  # leaf: added up, PyTorch-style
    assert m.grad == 2.0  # intermediate: this call's own, not 4 (no over-counting into a)


def test_a_dropped_graph_is_freed_by_reference_counting():
    def live_values():
        return sum(isinstance(o, Value) for o in gc.get_objects())

    gc.collect()
    gc.disable()
    try:
        a = Value(1.0)
        before = live_values()
        out = (a * 2 + 3).tanh()
        out.backward()
        assert live_values() == before + 5  # 2, a*2, 3, +, tanh
        del out
        assert live_values() == before, "no reference cycles: the graph must go without the GC"
    finally:
        gc.enable()


def test_nan_and_inf_flow_instead_of_raising():
    a = Value(0.0)
    y = (1 / a) + Value(-1.0).log()
    y.backward()
    assert math.isnan(y.data)
    assert math.isinf((1 / a).data)


HUGE = 10**400  # an int no float can hold: float(HUGE) raises OverflowError


@pytest.mark.parametrize(
    "build, expected",
    [
        (lambda: Value(HUGE), math.inf), (lambda: Value(-HUGE), -math.inf), (lambda: Value(2.0) * HUGE, math.inf),
        (lambda: HUGE * Value(2.0), math.inf), (lambda: Value(2.0) + (-HUGE), -math.inf),
        (lambda: Value(2.0) ** HUGE, math.inf), (lambda: Value(2.0) / HUGE, 0.0), (lambda: HUGE - Value(2.0), math.inf),
    ],
    ids=["Value(H)", "Value(-H)", "v*H", "H*v", "v+-H", "v**H", "v/H", "H-v"],
)
def test_ints_beyond_float_range_overflow_to_inf(build, expected):
    out = build()
    assert out.data == expected
    out.backward()  # and the grads are IEEE numbers too, not an exception


def test_power_by_a_huge_int_keeps_its_constant_as_inf():
    y = Value(2.0) ** HUGE
    assert y.arg == math.inf and y._op == "**inf"


def test_missing_rule_fails_loudly():
    with pytest.raises(KeyError, match="no rule for op"):
        Value(1.0, (Value(2.0),), "frobnicate")


def test_scope_tags_nodes_built_inside():
    from autograd_widget.engine import scope

    a = Value(1.0)
    with scope("L0"), scope("N1"):
        b = a * 2
    assert b.scope == "L0.N1" and a.scope is None and (b + 1).scope is None
