"""A graph as data: nodes in topological order with stable integer ids.

A ``Tape`` is built from any micrograd-style root (an object with ``data`` and
``_prev``; ``_op``, ``grad`` and ``label`` when present), so it covers our ``Value``,
karpathy's micrograd and the class a learner writes along the lecture. It can replay the
graph with new leaf values — forward, then backward — writing the results back into the
objects, and serialises to the compact JSON the widget sends to the browser.

Nodes whose op has no rule cannot be recomputed: their data (and everything downstream)
becomes *stale* once a leaf upstream of them moves, and every grad that flows through
them is stale always. Stale numbers are reported, never silently wrong.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real

from .engine import Value
from .ops import OPS, parse


def parents_of(obj) -> tuple:
    """The ordered parents of a node: ``parents`` for ours, ``_prev`` for the others."""
    if isinstance(obj, Value):
        return obj.parents
    prev = getattr(obj, "_prev", ())
    return tuple(prev)


def is_value_like(obj) -> bool:
    """Duck typing: a number in ``data`` and a collection of parents in ``_prev``.
    Classes themselves (``Value``) and mock-like objects that answer every attribute
    are not Values."""
    if isinstance(obj, type):
        return False
    try:
        return isinstance(obj.data, Real) and isinstance(obj._prev, (set, frozenset, tuple, list))
    except Exception:  # any attribute access can raise on foreign objects
        return False


def checked_order(root) -> list:
    """Topological order of any micrograd-style graph, by identity (``id``), failing
    with ValueError on a cycle instead of looping forever."""
    order, done, on_path = [], set(), {id(root)}
    stack = [(root, iter(parents_of(root)))]
    while stack:
        v, pending = stack[-1]
        for p in pending:
            k = id(p)
            if k in on_path:
                raise ValueError(f"the graph has a cycle: {p!r} is its own ancestor")
            if k not in done:
                if not is_value_like(p):
                    raise TypeError(f"{v!r} has a parent that is not a Value-like object: {p!r}")
                on_path.add(k)
                stack.append((p, iter(parents_of(p))))
                break
        else:
            stack.pop()
            on_path.discard(id(v))
            done.add(id(v))
            order.append(v)
    return order


def json_number(x: float):
    """Full-precision JSON number; non-finite as the strings JS's Number() reads back."""
    if math.isfinite(x):
        return x
    return "NaN" if x != x else ("Infinity" if x > 0 else "-Infinity")


class Tape:
    """The graph under ``root`` as columns indexed by node id (= topological position).

    Columns: ``nodes`` (the objects), ``labels``, ``ops`` (table name, '' for a leaf,
    or the raw string of an op with no rule), ``args`` (the constant of a ``**k``),
    ``parents`` (tuples of ids), ``data``, ``grad``, ``known`` (op has a rule),
    ``scopes``. The root is the last node.
    """

    def __init__(self, root):
        if not is_value_like(root):
            raise TypeError(f"expected a Value-like object (with .data and ._prev), got {type(root).__name__}")
        self.nodes = checked_order(root)
        self.index = ids = {id(v): i for i, v in enumerate(self.nodes)}
        self.labels = [str(getattr(v, "label", "") or "") for v in self.nodes]
        self.scopes = [getattr(v, "scope", None) for v in self.nodes]
        self.data = [float(v.data) for v in self.nodes]
        self.parents, self.ops, self.args, self.known = [], [], [], []
        for v in self.nodes:
            ps = tuple(ids[id(p)] for p in parents_of(v))
            name, arg, known = _resolve(v, len(ps))
            if ps and known:
                arity = OPS[name].arity
                if arity == 2 and len(ps) == 1:
                    ps = ps * 2  # a set-based _prev collapses a + a to {a}
                elif arity == 2 and len(ps) == 2 and not isinstance(v, Value):
                    ps = self._order_operands(name, ps, float(v.data))
                known = len(ps) == arity  # '+' with three inputs is not a rule we have
            self.parents.append(ps)
            self.ops.append(name)
            self.args.append(arg)
            self.known.append(known)
        self.original = list(self.data)
        self.stale_grad = self._grads_through_unknown()
        self.stale_data = [False] * len(self.nodes)
        self.grad = [float(getattr(v, "grad", 0.0) or 0.0) for v in self.nodes]

    @property
    def root(self) -> int:
        return len(self.nodes) - 1

    @property
    def leaves(self) -> list[int]:
        return [i for i, ps in enumerate(self.parents) if not ps]

    @property
    def unknown_ops(self) -> list[str]:
        return sorted({op for op, k, ps in zip(self.ops, self.known, self.parents) if ps and not k})

    def __len__(self) -> int:
        return len(self.nodes)

    def id_of(self, key) -> int:
        """A node id from an id, a node object, or a label (the latest node so labelled)."""
        if isinstance(key, int) and not isinstance(key, bool):
            if 0 <= key < len(self.nodes):
                return key
            raise KeyError(f"no node with id {key}")
        if isinstance(key, str):
            for i in range(len(self.nodes) - 1, -1, -1):
                if self.labels[i] == key:
                    return i
            raise KeyError(f"no node labelled {key!r}; labels are {sorted(set(filter(None, self.labels)))}")
        if id(key) in self.index:
            return self.index[id(key)]
        raise KeyError(f"{key!r} is not a node of this graph")

    def _order_operands(self, name: str, ps: tuple, data: float) -> tuple:
        # Foreign engines keep parents in a set; for a non-commutative op pick the
        # order that reproduces the recorded result.
        f = OPS[name].forward
        a, b = (self.data[i] for i in ps)
        if _close(f(a, b), data) or not _close(f(b, a), data):
            return ps
        return ps[::-1]

    def _grads_through_unknown(self) -> list[bool]:
        stale = [False] * len(self.nodes)
        for i in range(len(self.nodes) - 1, -1, -1):
            if self.parents[i] and (stale[i] or not self.known[i]):
                for p in self.parents[i]:
                    stale[p] = True
        return stale

    def replay(self, values: Mapping | None = None) -> Tape:
        """Set leaf values (by id, label or object), recompute forward then backward,
        and write data (and grad, where the objects have one) into the nodes."""
        for key, x in (values or {}).items():
            i = self.id_of(key)
            if self.parents[i]:
                raise ValueError(f"node {self.labels[i] or i} is not a leaf; only leaves can be set")
            self.data[i] = float(x)
        self.forward()
        self.backward()
        self.write_back()
        return self

    def forward(self) -> None:
        data, changed = self.data, [False] * len(self.nodes)
        for i, ps in enumerate(self.parents):
            if not ps:
                changed[i] = not _same(data[i], self.original[i])
                continue
            changed[i] = any(changed[p] for p in ps)
            upstream_stale = any(self.stale_data[p] for p in ps)
            if self.known[i] and not upstream_stale:
                data[i] = OPS[self.ops[i]].forward(*self._inputs(i))
                self.stale_data[i] = False
            else:
                self.stale_data[i] = changed[i]

    def backward(self) -> None:
        """d root / d node for every node whose grad does not flow through an unknown op."""
        data, grad, stale_grad = self.data, self.grad, self.stale_grad
        for i in range(len(grad)):
            if not stale_grad[i]:
                grad[i] = 0.0
        grad[self.root] = 1.0
        for i in range(len(grad) - 1, -1, -1):
            ps = self.parents[i]
            if not ps or not self.known[i] or stale_grad[i]:
                continue
            for p, d in zip(ps, OPS[self.ops[i]].local(data[i], *self._inputs(i))):
                if not stale_grad[p]:  # a stale grad keeps its last known value
                    grad[p] += d * grad[i]

    def _inputs(self, i: int) -> list[float]:
        """What node i's op functions take: its parents' data, then its constant if any."""
        xs = [self.data[p] for p in self.parents[i]]
        if OPS[self.ops[i]].param:
            xs.append(self.args[i])
        return xs

    def write_back(self) -> None:
        for v, x, g, stale in zip(self.nodes, self.data, self.grad, self.stale_grad):
            v.data = x
            if hasattr(v, "grad") and not stale:
                v.grad = g

    def to_json(self) -> dict:
        """Columns for the browser; plain JSON (non-finite numbers as strings)."""
        return {
            "label": self.labels,
            "op": self.ops,
            "arg": [None if a is None else json_number(a) for a in self.args],
            "parents": [list(ps) for ps in self.parents],
            "known": self.known,
            "scope": self.scopes,
            "data": [json_number(x) for x in self.data],
            "grad": [json_number(x) for x in self.grad],
            "stale_data": self.stale_data,
            "stale_grad": self.stale_grad,
        }


def _resolve(v, n_parents: int) -> tuple[str, float | None, bool]:
    if isinstance(v, Value):
        return v.op, v.arg, v.op in OPS or not v.parents
    raw = str(getattr(v, "_op", "") or "")
    if not n_parents:
        return "", None, True
    if raw == "-" and n_parents == 1:
        raw = "neg"
    try:
        name, arg = parse(raw)
    except KeyError:
        return raw, None, False
    return name, arg, True


def _same(x: float, y: float) -> bool:
    return x == y or (x != x and y != y)


def _close(x: float, y: float) -> bool:
    return x == y or (x != x and y != y) or abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def replay(root, values: Mapping | None = None) -> Tape:
    """Give leaves new values and recompute every node's data and grad in place.

    ``replay(L, {a: 3.0, "b": -1.0})`` — keys are leaf objects, labels or tape ids.
    Returns the Tape, which can replay again without re-tracing the graph.
    """
    return Tape(root).replay(values)
