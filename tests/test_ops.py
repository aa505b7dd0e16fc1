"""Every op in the table against central finite differences, at many points.

Parametrised over ops.OPS, so an op added to the table is tested here automatically.
"""

import itertools
import math
from fractions import Fraction

import pytest

from autograd_widget import ops
from autograd_widget.ops import OPS

POINTS = [-2.5, -1.3, -0.7, -1e-3, 1e-3, 0.4, 1.0, 1.9, 3.2]
EXPONENTS = [-2.0, -1.0, 0.5, 2.0, 3.0]  # the constant of '**k'


def cases(name):
    op = OPS[name]
    if op.param:
        return [(x, k) for x in POINTS for k in EXPONENTS]
    return [tuple(xs) for xs in itertools.product(POINTS, repeat=op.arity)]


def evaluate(op, xs):
    return op.forward(*xs)


def local(op, xs):
    return op.local(op.forward(*xs), *xs)


def central(op, xs, i, h=1e-6):
    lo, hi = list(xs), list(xs)
    h = h * max(1.0, abs(xs[i]))
    lo[i] -= h
    hi[i] += h
    return (op.forward(*hi) - op.forward(*lo)) / (2 * h)


@pytest.mark.parametrize("name", list(OPS))
def test_local_derivatives_match_finite_differences(name):
    op = OPS[name]
    checked = 0
    for xs in cases(name):
        grads = local(op, xs)
        assert len(grads) == op.arity, f"{name} must give one derivative per input"
        for i in range(op.arity):
            fd = central(op, xs, i)
            if math.isfinite(fd):
                assert grads[i] == pytest.approx(fd, rel=1e-4, abs=1e-6), f"{name} d/dx{i} at {xs}"
                checked += 1
            else:
                # undefined here (a log of a negative, a fractional power of one): say so
                assert not math.isfinite(grads[i]), f"{name} d/dx{i} at {xs} should be nan, got {grads[i]}"
    assert checked >= len(cases(name)) // 3, f"{name}: too few points where the derivative exists"


@pytest.mark.parametrize("name", list(OPS))
def test_every_op_is_reachable_from_value(name):
    """Each op is built by some Value method or by '**' with a number (the table says which)."""
    op = OPS[name]
    builders = [n for n, o in OPS.items() if o.scalar_variant == name]
    assert op.methods or op.reflected or builders, f"no Value method builds {name}"


@pytest.mark.parametrize(
    "fn, args, expected",
    [
        (ops.div, (1.0, 0.0), math.inf),
        (ops.div, (-1.0, 0.0), -math.inf),
        (ops.div, (0.0, 0.0), "nan"),
        (ops.power, (-8.0, 1 / 3), "nan"),
        (ops.power, (0.0, -1.0), math.inf),
        (ops.power, (-10.0, 309.0), -math.inf),
        (ops.power, (10.0, 309.0), math.inf),
        (ops.power, (1.0, math.nan), 1.0),
        (ops.exp, (1000.0,), math.inf),
        (ops.exp, (-1000.0,), 0.0),
        (ops.log, (0.0,), -math.inf),
        (ops.log, (-1.0,), "nan"),
        (ops.sigmoid, (-1000.0,), 0.0),
        (ops.sigmoid, (1000.0,), 1.0),
        (ops.relu, (math.nan,), "nan"),
        (ops.relu, (-2.0,), 0.0),
    ],
)
def test_ieee_results_instead_of_exceptions(fn, args, expected):
    result = fn(*args)
    if expected == "nan":
        assert math.isnan(result)
    else:
        assert result == expected


@pytest.mark.parametrize(
    "x, expected",
    [(10**400, math.inf), (-(10**400), -math.inf), (Fraction(10**400, 3), math.inf), (2, 2.0), (-0.0, -0.0),
     (True, 1.0), (math.nan, "nan")],
    ids=["huge", "-huge", "huge-fraction", "int", "-0.0", "bool", "nan"],
)
def test_to_float_overflows_to_signed_inf(x, expected):
    result = ops.to_float(x)
    assert type(result) is float
    if expected == "nan":
        assert math.isnan(result)
    else:
        assert result == expected and math.copysign(1.0, result) == math.copysign(1.0, expected)


def test_to_float_still_rejects_what_float_rejects():
    with pytest.raises(TypeError):
        ops.to_float(None)


@pytest.mark.parametrize(
    "text, parsed",
    [("+", ("+", None)), ("**2", ("**k", 2.0)), ("**-1", ("**k", -1.0)), ("**0.5", ("**k", 0.5)),
     ("ReLU", ("relu", None)), ("tanh", ("tanh", None)), ("exp", ("exp", None))],
)
def test_parse_recognises_micrograd_spellings(text, parsed):
    assert ops.parse(text) == parsed


def test_parse_fails_loudly_on_unknown_op():
    with pytest.raises(KeyError, match="no rule for op 'frobnicate'"):
        ops.parse("frobnicate")


def test_display_round_trips_parametric_ops():
    assert ops.display("**k", 2.0) == "**2"
    assert ops.parse(ops.display("**k", -0.5)) == ("**k", -0.5)
