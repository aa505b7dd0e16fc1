"""The op table: every operation the engine knows, by name.

Each op gives its forward function and its local derivatives (d out / d input for
each input, as a tuple). Functions take plain floats and follow IEEE rules instead of
raising: a slider dragged to 0 in ``a / b`` must draw ``inf`` or ``nan``, not crash.
``js/ops.js`` mirrors this table name for name; the parity test holds them together.

Parametric ops (``a ** 3``) take their constant as the last argument (``arg``).

Each op also carries ``doc``, one line saying what it computes and its derivatives (inputs
``x`` or ``a, b``, constant ``k``, result ``out``): the engine builds the docstrings of the
Value methods from it, so ``help(Value.tanh)`` reads from this table too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

INF = math.inf
NAN = math.nan


def to_float(x) -> float:
    """float(x), but a number too large for a float (an int such as 10**400) becomes
    ±inf as IEEE overflow would, instead of raising OverflowError."""
    try:
        return float(x)
    except OverflowError:
        return INF if x > 0 else -INF  # compare, not copysign: that would convert x again


def div(x: float, y: float) -> float:
    try:
        return x / y
    except ZeroDivisionError:
        return NAN if x == 0 or x != x else math.copysign(INF, x) * math.copysign(1.0, y)


def power(x: float, y: float) -> float:
    """x ** y as C's pow: real results only, inf on overflow, nan where undefined."""
    try:
        return math.pow(x, y)
    except OverflowError:
        odd = y == math.floor(y) and y % 2 == 1
        return -INF if x < 0 and odd else INF
    except ValueError:  # 0 ** negative, or a negative base with a fractional exponent
        if x == 0:
            odd = y == math.floor(y) and y % 2 == 1
            return math.copysign(INF, x) if odd else INF
        return NAN


def exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def log(x: float) -> float:
    if x > 0:
        return math.log(x)
    return -INF if x == 0 else NAN


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = exp(x)  # the other branch is NaN-safe too: nan >= 0 is False
    return e / (1.0 + e)


def relu(x: float) -> float:
    return x if x > 0 else (x if x != x else 0.0)


def _pow_exponent_grad(out: float, x: float) -> float:
    # d(x**y)/dy = x**y * ln x; at x == 0 the limit is 0 when the result is 0.
    return 0.0 if x == 0 and out == 0 else out * log(x)


@dataclass(frozen=True)
class Op:
    arity: int  # how many Value inputs
    forward: Callable[..., float]
    local: Callable[..., tuple]  # (out, *inputs[, arg]) -> d out / d input, one per input
    methods: tuple[str, ...] = ()  # Value methods that build this op: a.tanh(), a + b
    reflected: tuple[str, ...] = ()  # the same with operands swapped: 2 - a
    param: bool = False  # takes a constant argument (the 3 of a ** 3)
    scalar_variant: str | None = None  # op to use when the right operand is a plain number
    doc: str = ""  # one line: what it computes; d/d input (every op has one: tests/test_engine_methods.py)


OPS: dict[str, Op] = {
    "+": Op(
        2,
        lambda a, b: a + b,
        lambda o, a, b: (1.0, 1.0),
        ("__add__",),
        ("__radd__",),
        doc="sum a + b; d/da = 1, d/db = 1",
    ),
    "-": Op(
        2,
        lambda a, b: a - b,
        lambda o, a, b: (1.0, -1.0),
        ("__sub__",),
        ("__rsub__",),
        doc="difference a − b; d/da = 1, d/db = −1",
    ),
    "*": Op(
        2,
        lambda a, b: a * b,
        lambda o, a, b: (b, a),
        ("__mul__",),
        ("__rmul__",),
        doc="product a·b; d/da = b, d/db = a",
    ),
    "/": Op(
        2,
        div,
        lambda o, a, b: (div(1.0, b), -div(o, b)),
        ("__truediv__",),
        ("__rtruediv__",),
        doc="quotient a / b, ±inf or nan at b = 0; d/da = 1/b, d/db = −out/b",
    ),
    "**": Op(
        2,
        power,
        lambda o, a, b: (b * power(a, b - 1.0), _pow_exponent_grad(o, a)),
        ("__pow__",),
        ("__rpow__",),
        scalar_variant="**k",
        doc="power a ** b; d/da = b·a^(b−1), d/db = out·ln a",
    ),
    "**k": Op(
        1,
        power,
        lambda o, a, k: (k * power(a, k - 1.0),),
        param=True,
        doc="power x ** k by a constant k; d/dx = k·x^(k−1)",
    ),
    "neg": Op(1, lambda a: -a, lambda o, a: (-1.0,), ("__neg__",), doc="negation −x; d/dx = −1"),
    "exp": Op(1, exp, lambda o, a: (o,), ("exp",), doc="exponential e^x; d/dx = out"),
    "log": Op(
        1,
        log,
        lambda o, a: (div(1.0, a) if a >= 0 else NAN,),
        ("log",),
        doc="natural logarithm ln x, −inf at 0 and nan below; d/dx = 1/x",
    ),
    "tanh": Op(1, math.tanh, lambda o, a: (1.0 - o * o,), ("tanh",), doc="hyperbolic tangent; d/dx = 1 − out²"),
    "relu": Op(
        1,
        relu,
        lambda o, a: (1.0 if o > 0 else 0.0,),
        ("relu",),
        doc="rectified linear max(0, x), nan kept; d/dx = 1 if out > 0 else 0",
    ),
    "sigmoid": Op(
        1, sigmoid, lambda o, a: (o * (1.0 - o),), ("sigmoid",), doc="logistic 1/(1 + e^−x); d/dx = out·(1 − out)"
    ),
}

# Op strings other micrograd-style engines record, mapped to our names.
ALIASES = {"ReLU": "relu", "Relu": "relu", "σ": "sigmoid", "ln": "log", "-x": "neg", "^": "**"}

_POW_CONST = re.compile(r"^(?:\*\*|\^)\s*\(?\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)?$")


def parse(op: str) -> tuple[str, float | None]:
    """Map an op string as recorded ('+', '**2', 'ReLU') to (table name, constant).

    Raises KeyError naming the op when no rule exists.
    """
    if op in OPS:
        return op, None
    if op in ALIASES:
        return ALIASES[op], None
    m = _POW_CONST.match(op)
    if m:
        return "**k", float(m.group(1))
    raise KeyError(f"no rule for op {op!r}: known ops are {', '.join(OPS)}")


def display(name: str, arg: float | None) -> str:
    """The op as drawn and as micrograd spells it: '**2' for ('**k', 2.0)."""
    return f"**{arg:g}" if arg is not None else name
