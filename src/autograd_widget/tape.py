"""A graph as data: nodes in topological order with stable integer ids.

A ``Tape`` is built from any micrograd-style root (an object with ``data`` and
``_prev``; ``_op``, ``grad`` and ``label`` when present), so it covers our ``Value``,
karpathy's micrograd and the class a learner writes along the lecture. It can replay the
graph with new leaf values — forward, then backward — writing what it recomputed into the
objects. wire.py turns it into the binary columns the widget sends to the browser.

The objects are the truth: a Tape reads their ``data`` and ``grad`` when it is built and
again before every replay, so it never writes back a stale copy of its own.

Nodes whose op has no rule cannot be recomputed: their data (and everything downstream)
becomes *stale* once a leaf upstream of them moves, and every grad that flows through
them is stale always. Stale numbers are reported, never silently wrong.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real

from . import live
from .engine import Value
from .ops import OPS, parse, to_float


class TooLarge(ValueError):
    """The graph has more nodes than the caller set as its limit."""

    def __init__(self, limit: int):
        super().__init__(
            f"this graph has more than {limit:,} nodes, more than this draws (README: Big graphs). "
            "Draw a smaller part of it (a subexpression, one neuron)."
        )
        self.limit = limit


def parents_of(obj) -> tuple:
    """The ordered parents of a node: ``parents`` for ours, ``_prev`` for the others."""
    if isinstance(obj, Value):
        return obj.parents
    prev = getattr(obj, "_prev", ())
    return tuple(prev)


PLAIN = frozenset({int, float, complex, bool, str, bytes, list, tuple, dict, set, frozenset, type(None)})


def is_value_like(obj) -> bool:
    """Duck typing: a number in ``data`` and a collection of parents in ``_prev``.
    Classes themselves (``Value``) and mock-like objects that answer every attribute
    are not Values."""
    if type(obj) is Value:  # the common case, without the slow isinstance(…, Real)
        return True
    if type(obj) in PLAIN:  # most of a namespace: no attribute lookup that would raise and be caught
        return False
    try:
        if isinstance(obj, type):
            return False
        return isinstance(obj.data, Real) and isinstance(obj._prev, (set, frozenset, tuple, list))
    except Exception:  # any attribute access can raise on foreign objects
        return False


def checked_order(root, limit: int | None = None) -> list:
    """Topological order of any micrograd-style graph, by identity (``id``), failing
    with ValueError on a cycle instead of looping forever, and with TooLarge as soon as
    more than ``limit`` nodes were seen: refusing a huge graph costs ``limit`` steps."""
    order, done, on_path = [], set(), {id(root)}
    room = -1 if limit is None else limit - 1  # nodes that may still be seen (-1: no limit)
    stack = [(root, iter(parents_of(root)))]
    push, pop, append = stack.append, stack.pop, order.append
    while stack:
        v, pending = stack[-1]
        for p in pending:
            k = id(p)
            if k in done:
                continue
            if k in on_path:
                raise ValueError(f"the graph has a cycle: {p!r} is its own ancestor")
            ours = type(p) is Value  # the common case first: no duck-typing checks
            if not ours and not is_value_like(p):
                raise TypeError(f"{v!r} has a parent that is not a Value-like object: {p!r}")
            if room >= 0:
                room -= 1
                if room < 0:
                    raise TooLarge(limit)
            on_path.add(k)
            push((p, iter(p.parents if ours else parents_of(p))))
            break
        else:
            pop()
            k = id(v)
            on_path.discard(k)
            done.add(k)
            append(v)
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
    ``has_grad`` (the object has a ``grad`` to show and write), ``scopes``. The root is
    the last node. ``limit``: refuse (TooLarge) a graph of more nodes, before reading it.
    ``names``: ``{id(node): name}`` for nodes without a label of their own (the caller's
    variables); they name the drawing and the sliders, and are never written to the objects.

    ``data`` and ``grad`` are what the objects hold — hand-set or accumulated grads
    included. Only objects without a ``grad`` get the grads a backward pass computes.
    """

    def __init__(self, root, limit: int | None = None, names: Mapping[int, str] | None = None):
        if not is_value_like(root):
            raise TypeError(f"expected a Value-like object (with .data and ._prev), got {type(root).__name__}")
        self.nodes = checked_order(root, limit)
        self.index = ids = {id(v): i for i, v in enumerate(self.nodes)}
        names = names or {}
        self.labels = [str(getattr(v, "label", "") or names.get(id(v), "")) for v in self.nodes]
        self.scopes = [getattr(v, "scope", None) for v in self.nodes]
        self.has_grad = [hasattr(v, "grad") for v in self.nodes]
        self.grad = [0.0] * len(self.nodes)
        self.read()
        self.parents, self.ops, self.args, self.known = [], [], [], []
        for v in self.nodes:
            if type(v) is Value:  # ours, the common case: ordered parents, a rule or a leaf
                ps = tuple([ids[id(p)] for p in v.parents])
                self.parents.append(ps)
                self.ops.append(v.op)
                self.args.append(v.arg)
                self.known.append(not ps or v.op in OPS)
                continue
            ps = tuple(ids[id(p)] for p in parents_of(v))
            name, arg, known = _resolve(v, len(ps))
            if ps and known:
                arity = OPS[name].arity
                if arity == 2 and len(ps) == 1:
                    ps = ps * 2  # a set-based _prev collapses a + a to {a}
                elif arity == 2 and len(ps) == 2 and not isinstance(v, Value):
                    ps = self._order_operands(name, ps, self.data[len(self.parents)])
                known = len(ps) == arity  # '+' with three inputs is not a rule we have
            self.parents.append(ps)
            self.ops.append(name)
            self.args.append(arg)
            self.known.append(known)
        self.original = list(self.data)
        self.stale_grad = self._grads_through_unknown()
        self.stale_data = [False] * len(self.nodes)
        if not all(self.has_grad):  # nothing to show for these but what backward computes
            held = list(self.grad)
            self.backward()
            self.grad = [g if own else computed for g, computed, own in zip(held, self.grad, self.has_grad)]

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

    def leaf_id(self, key) -> int:
        """A leaf's id from an id, the object, or a label that names exactly one leaf."""
        if isinstance(key, str):
            named = [i for i in self.leaves if self.labels[i] == key]
            if len(named) > 1:
                raise KeyError(f"{key!r} labels {len(named)} leaves (ids {', '.join(map(str, named))}); "
                               "pass the Value itself to say which")
            if named:
                return named[0]
        i = self.id_of(key)
        if self.parents[i]:
            raise ValueError(f"node {self.labels[i] or i} is not a leaf; only leaves can be set")
        return i

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

    def read(self) -> None:
        """Take ``data`` (and ``grad``, where there is one) from the objects, as they are now."""
        self.data = [_number(v, "data") for v in self.nodes]
        for i, v in enumerate(self.nodes):
            if self.has_grad[i]:
                self.grad[i] = _number(v, "grad")

    def refresh(self, follow: bool = False) -> bool:
        """Read the objects again and flag what that makes stale; returns whether any number
        changed. Plain, nothing is recomputed (the learner's code may have changed them, and
        what it changed is what to draw). With ``follow`` (another view moved leaves of this
        graph), the data downstream of the leaves that moved is recomputed and written, so
        this graph stays a function of its leaves; grads are drawn as the objects hold them."""
        before = (self.data, list(self.grad))
        self.read()
        down = [False] * len(self.nodes)
        if follow:
            for i, ps in enumerate(self.parents):
                down[i] = any(down[p] for p in ps) if ps else not _same(before[0][i], self.data[i])
        self.forward(compute=down)
        self._write(data_of=[i for i, ps in enumerate(self.parents) if ps and down[i] and self._runnable(i)],
                    grads=False)
        return not (_all_same(before[0], self.data) and _all_same(before[1], self.grad))

    def replay(self, values: Mapping | None = None) -> Tape:
        """Set leaf values (by id, label or object) on top of what the objects hold now,
        recompute forward then backward, and write what was recomputed into the objects."""
        moved = {self.leaf_id(key): to_float(x) for key, x in (values or {}).items()}
        self.read()
        for i, x in moved.items():
            self.data[i] = x
        self.forward()
        self.backward()
        self.write_back(moved)
        return self

    def write_grads(self) -> Tape:
        """One backward pass from the root over what the objects hold now, written into
        their grads; data is left as it is."""
        self.read()
        self.forward(compute=False)
        self.backward()
        self._write(data_of=())
        return self

    def forward(self, compute=True) -> None:
        """Recompute every node whose op has a rule and no stale input (``compute``: all
        of them, none, or a per-node list); flag a node stale when it cannot be recomputed
        and a leaf upstream moved from its original value."""
        data, stale, changed = self.data, self.stale_data, [False] * len(self.nodes)
        for i, ps in enumerate(self.parents):
            if not ps:
                changed[i] = not _same(data[i], self.original[i])
                continue
            changed[i] = any(changed[p] for p in ps)
            runnable = self._runnable(i)
            stale[i] = changed[i] and not runnable
            if runnable and (compute is True or (compute is not False and compute[i])):
                data[i] = OPS[self.ops[i]].forward(*self._inputs(i))

    def _runnable(self, i: int) -> bool:
        """Node i's op has a rule and none of its inputs is stale."""
        return self.known[i] and not any(self.stale_data[p] for p in self.parents[i])

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

    def write_back(self, moved=()) -> None:
        """Write what a replay recomputed: the moved leaves' data, every node's data that
        its op recomputed, every grad that is not stale. Nothing else is touched."""
        recomputed = (i for i, ps in enumerate(self.parents) if ps and self.known[i] and not self.stale_data[i])
        self._write(data_of=[*moved, *recomputed])

    def _write(self, data_of, grads: bool = True) -> None:
        for i in data_of:
            self.nodes[i].data = self.data[i]
        if not grads:
            return
        for v, g, own, stale in zip(self.nodes, self.grad, self.has_grad, self.stale_grad):
            if own and not stale:
                v.grad = g

    def to_json(self) -> dict:
        """The columns as plain JSON (non-finite numbers as strings): readable, for tests and
        js/replay-cli.js. The browser gets the binary form, wire.tape_state."""
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


def _number(v, attr: str) -> float:
    x = getattr(v, attr)
    if type(x) is float:  # the common case, without the slow isinstance(…, Real)
        return x
    if x is None and attr == "grad":
        return 0.0
    if not isinstance(x, Real):
        name = getattr(v, "label", "") or repr(v)
        raise TypeError(f"{name}.{attr} is {x!r}, not a number")
    return to_float(x)


def _all_same(xs: list[float], ys: list[float]) -> bool:
    return len(xs) == len(ys) and all(_same(x, y) for x, y in zip(xs, ys))


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
    Every live widget over these objects follows. Returns the Tape, which can replay again
    without re-tracing the graph.
    """
    tape = Tape(root).replay(values)
    live.changed(tape.nodes, source=tape)  # every widget over these objects follows
    return tape
