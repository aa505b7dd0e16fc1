"""A scalar autograd engine whose graph is data.

Each ``Value`` stores the *name* of the op that made it and its ordered parents, never
a closure, so a graph can be replayed with new leaf values and is freed by reference
counting alone. The engine knows no op by name: methods and derivatives come from the
table in ``ops.py``.
"""

from __future__ import annotations

import gc
import itertools
from contextlib import contextmanager
from numbers import Real

from .ops import OPS, Op, display, parse, to_float

_scope: Scope | None = None  # the nn module call building nodes right now, see scope()
_births = itertools.count()  # Values made by the constructor (leaves, constants) in the order made


class Value:
    """A scalar in a computation graph: data, grad, label, op and ordered parents."""

    __slots__ = ("arg", "birth", "data", "grad", "label", "op", "parents", "scope")

    def __init__(self, data, _children=(), _op="", label=""):
        try:  # the common case without a function call: leaves and constants are made often
            self.data = float(data)
        except OverflowError:  # an int beyond float range: ±inf, as the README promises
            self.data = to_float(data)
        self.grad = 0.0
        self.label = label
        self.parents = tuple(_children)
        self.op, self.arg = parse(_op) if _op else ("", None)
        self.scope = _scope
        self.birth = next(_births)  # the widget orders sliders by it; ops' results (_node) skip it

    # Seed/micrograd spellings, so code written along the lecture keeps working.
    @property
    def _prev(self) -> tuple[Value, ...]:
        return self.parents

    @property
    def _op(self) -> str:
        return display(self.op, self.arg)

    @property
    def is_leaf(self) -> bool:
        return not self.parents

    def __repr__(self) -> str:
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def _ipython_display_(self) -> None:
        """A Value at the end of a cell shows its live graph (see display.show_value)."""
        from .display import show_value

        show_value(self)

    def _display_(self):
        """marimo's display protocol: a Value at the end of a marimo cell shows its live graph."""
        from .display import value_view

        return value_view(self)

    def backward(self, accumulate: bool = False) -> None:
        """Fill ``grad`` of every node with d self / d node.

        Idempotent by default: all grads of the graph are zeroed first, so calling it
        twice (or re-running a cell) gives the same result. With ``accumulate=True``
        leaf grads add up across calls, PyTorch-style, while intermediate grads hold
        this call's contribution only (adding through them would count twice).
        """
        with _gc_paused():
            topo = topological_order(self)
            for v in topo:
                if v.parents or not accumulate:
                    v.grad = 0.0
            self.grad += 1.0
            propagate(topo)


def propagate(topo: list[Value]) -> None:
    """Run the chain rule backwards over a topological order whose root grad is set."""
    ops = OPS
    for v in reversed(topo):
        ps = v.parents
        if not ps:
            continue
        g = v.grad
        op = ops[v.op]
        if op.param:
            local = op.local(v.data, ps[0].data, v.arg)
        elif op.arity == 2:
            local = op.local(v.data, ps[0].data, ps[1].data)
        else:
            local = op.local(v.data, ps[0].data)
        for p, d in zip(ps, local):
            p.grad += d * g


def topological_order(root: Value) -> list[Value]:
    """Nodes reachable from root, every node after its parents.

    Iterative, so a chain a million deep works (micrograd's recursion dies near 1,000).
    """
    order = []
    visited = {root}
    stack = [(root, iter(root.parents))]
    while stack:
        v, pending = stack[-1]
        for p in pending:
            if p not in visited:
                visited.add(p)
                stack.append((p, iter(p.parents)))
                break
        else:
            stack.pop()
            order.append(v)
    return order


@contextmanager
def _gc_paused():
    """The walk allocates a tuple per node but frees no cycles: letting the cyclic GC
    rescan the whole graph meanwhile costs about half of backward() on big graphs."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Scope(str):
    """A scope's dotted name ('L0.N2'), one object per call: every Value that one call of a
    module builds shares it, so the nodes of neuron L0.N2 on point 3 can be told from those
    on point 4 (``is``), while ``==`` compares names. ``outer``: the enclosing call's Scope."""

    outer: Scope | None

    def __new__(cls, name: str, outer: Scope | None = None):
        self = super().__new__(cls, f"{outer}.{name}" if outer else name)
        self.outer = outer
        return self


@contextmanager
def scope(name: str):
    """Tag every Value built inside with this call's Scope (nn modules use it: 'L0.N2')."""
    global _scope
    outer = _scope
    _scope = Scope(name, outer)
    try:
        yield
    finally:
        _scope = outer


def _node(data: float, parents: tuple, name: str, arg) -> Value:
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.parents = parents
    out.op = name
    out.arg = arg
    out.scope = _scope
    return out


_new = object.__new__


def _as_value(x):
    if isinstance(x, Value):
        return x
    if isinstance(x, Real):
        return Value(x)
    return NotImplemented


def _method(name: str, op: Op, method: str, reflected: bool):
    """Build the Value method (a.tanh, a.__add__, a.__rsub__, ...) for one op.

    Named, documented and signed for help(), IDEs and Jupyter's Shift+Tab once, here: the
    calls themselves run the bare closure, with nothing added per call."""
    f = op.forward
    if op.arity == 1:

        def unary(self):
            return _node(f(self.data), (self,), name, None)

        return _named(unary, method, _docstring(name, op, method, reflected))

    variant_name = op.scalar_variant
    variant = OPS[variant_name].forward if variant_name else None

    def binary(self, other):
        if variant and not reflected and isinstance(other, Real):
            try:  # as in __init__: a plain float() unless it overflows
                k = float(other)
            except OverflowError:
                k = to_float(other)
            return _node(variant(self.data, k), (self,), variant_name, k)
        other = _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        a, b = (other, self) if reflected else (self, other)
        return _node(f(a.data, b.data), (a, b), name, None)

    return _named(binary, method, _docstring(name, op, method, reflected))


def _docstring(name: str, op: Op, method: str, reflected: bool) -> str:
    """One line from the op's table entry: 'tanh(self): hyperbolic tangent; d/dx = 1 − out²',
    '__rsub__(self, other): difference a − b; … (op '-', a = other, b = self)'."""
    if op.arity == 1:
        where = "" if method == name else f" (op {name!r})"
        return f"{method}(self): {op.doc}{where}"
    a, b = ("other", "self") if reflected else ("self", "other")
    variant = op.scalar_variant
    also = f"; a plain number other is k of op {variant!r}: {OPS[variant].doc}" if variant and not reflected else ""
    return f"{method}(self, other): {op.doc} (op {name!r}, a = {a}, b = {b}{also})"


def _named(fn, method: str, doc: str):
    fn.__name__ = method
    fn.__qualname__ = f"{Value.__qualname__}.{method}"
    fn.__doc__ = doc
    return fn


for _name, _op in OPS.items():
    for _m in _op.methods:
        setattr(Value, _m, _method(_name, _op, _m, reflected=False))
    for _m in _op.reflected:
        setattr(Value, _m, _method(_name, _op, _m, reflected=True))
