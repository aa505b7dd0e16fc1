"""Find the Values a cell built, name them after their variables, pick the one to draw.

Pure Python, no IPython: ``find_values(before, after, last)`` compares two snapshots of
a namespace by identity. It is what ``%%autograd`` runs after the cell, and works on any
micrograd-style object (``data`` a number, ``_prev`` a set/tuple/list of the same).

Rules, in order:

* **Found** — every Value-like object bound by the cell: a name that is new, or rebound
  to a different object (so a rebound ``a`` means its latest binding), plus the items of
  a list, tuple or dict the cell bound (one level deep, named ``xs[0]``, ``d['k']``).
  Names starting with ``_`` (IPython's ``_``, ``__``, ``_i3``, ``_7``…) and ``In``,
  ``Out``, ``exit``, ``quit``, ``get_ipython`` are never looked at.
* **Output** — an explicit name or expression, else the cell's last expression if it is
  Value-like, else the single root (a found Value that no other found Value's graph
  consumes). With several roots the largest graph is drawn (ties: the name that comes
  later in the namespace) and ``message`` says which roots there were and how to pick
  another.
* **Labels** — an unlabelled node (label missing, ``None`` or ``''``) of the drawn graph
  or of the found Values takes the variable name bound to it: the cell's own names first
  (variables, then container items), then older ones; first in namespace order. A
  non-empty label is never overwritten, so ``Value(2.0, label='a')`` keeps its own.
* **Cycles** — a ``_prev`` cycle in the drawn graph raises ValueError (never a hang).
* **Size** — with a ``limit``, a drawn graph of more nodes raises TooLarge (a ValueError)
  after at most a bounded walk, before anything is labelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .engine import Value
from .tape import TooLarge, checked_order, is_value_like, parents_of

IGNORED = frozenset({"In", "Out", "exit", "quit", "get_ipython"})
MAX_CONTAINER_ITEMS = 10_000  # longer lists are data, not a graph someone named by hand
MAX_SIZED_ROOTS = 100  # beyond this many roots, skip measuring each graph
_MISSING = object()


@dataclass
class Found:
    """What ``find_values`` decided. ``output`` is None when there is nothing to draw."""

    output: object | None = None
    output_name: str = ""
    values: dict[str, object] = field(default_factory=dict)  # name → Value-like the cell bound
    roots: list[str] = field(default_factory=list)  # found Values no other found Value consumes
    labelled: list[str] = field(default_factory=list)  # labels this call wrote
    message: str = ""  # one line for the user; '' when there is nothing to say


def visible(name: str, ignore=()) -> bool:
    return isinstance(name, str) and not name.startswith("_") and name not in IGNORED and name not in ignore


def bound_values(namespace: Mapping, ignore=()) -> dict[str, object]:
    """Every Value-like object a namespace names: ``{name: v}`` for variables, then
    ``{'xs[0]': v, "d['k']": v}`` for items of lists, tuples and dicts one level deep."""
    direct, items = {}, {}
    for name, obj in namespace.items():
        if not visible(name, ignore):
            continue
        if is_value_like(obj):
            direct[name] = obj
        else:
            items.update(_items(name, obj))
    return {**direct, **items}


def _items(name: str, obj) -> dict[str, object]:
    if isinstance(obj, (list, tuple)):  # copied first: another thread may change it meanwhile
        pairs = list(enumerate(obj)) if len(obj) <= MAX_CONTAINER_ITEMS else ()
    elif isinstance(obj, dict):
        pairs = list(obj.items()) if len(obj) <= MAX_CONTAINER_ITEMS else ()
    else:
        return {}
    return {f"{name}[{k!r}]": v for k, v in pairs if is_value_like(v)}


def find_values(before: Mapping, after: Mapping, last=None, output: str | None = None, ignore=(),
                limit: int | None = None) -> Found:
    """Compare a namespace before and after a cell (``before`` a shallow copy, ``after``
    the live namespace), label what the cell built and choose what to draw.

    ``last``: the value of the cell's last expression, if any. ``output``: a variable
    name or expression (``L``, ``n.w[0]``) evaluated in ``after``. Raises LookupError
    for an explicit output that does not exist, TypeError if it is not Value-like,
    ValueError for a cycle in the drawn graph, TooLarge for one of more than ``limit`` nodes.
    """
    new = {name: obj for name, obj in after.items() if visible(name, ignore) and before.get(name, _MISSING) is not obj}
    found = bound_values(new)
    result = Found(values=found)
    if output:
        result.output, result.output_name = evaluate(output, after), output
    elif is_value_like(last):
        result.output = last
    elif found:
        result.roots, result.output, result.message = _choose_root(found, limit)
    else:
        result.message = ("the cell built no Value (no variable holds an object with .data and ._prev); "
                          "to draw an existing one use %autograd NAME")
        return result
    checked_order(result.output, limit)  # ValueError on a cycle or TooLarge, before anything is labelled
    names = {**found, **bound_values(after, ignore)}  # the cell's names first
    result.labelled = label_graph(result.output, names, also=found.values())
    if not result.output_name:
        result.output_name = next((n for n, v in names.items() if v is result.output), "")
    return result


def evaluate(expr: str, namespace: Mapping):
    """``L`` or ``n.w[0]`` in a namespace, with no builtins; LookupError if it fails."""
    if expr in namespace:
        obj = namespace[expr]
    else:
        try:
            obj = eval(expr, {"__builtins__": {}}, namespace)
        except Exception as exc:
            raise LookupError(f"cannot find {expr!r} after the cell ({type(exc).__name__}: {exc})") from exc
    if not is_value_like(obj):
        raise TypeError(f"{expr} is not a Value (got {type(obj).__name__}; a Value has .data and ._prev)")
    return obj


def first_names(names: Mapping[str, object]) -> dict[int, str]:
    """``{id(object): the first name bound to it}``: how an unlabelled node is named."""
    by_id: dict[int, str] = {}
    for name, v in names.items():
        by_id.setdefault(id(v), name)
    return by_id


def label_graph(root, names: Mapping[str, object], also=()) -> list[str]:
    """Give every unlabelled node of ``root``'s graph (and of ``also``) the first name
    in ``names`` bound to it. Returns the labels written, in the order written."""
    by_id = first_names(names)
    written = []
    for v in [*walk([root]), *also]:
        name = by_id.get(id(v))
        if name is not None and not getattr(v, "label", None):
            try:
                v.label = name
            except AttributeError:  # __slots__ without a label: draw it unnamed
                continue
            written.append(name)
            by_id.pop(id(v))  # a node listed twice is labelled once
    return written


def walk(starts, limit: int | None = None, seen: set | None = None) -> list:
    """Every node reachable from ``starts`` through ``_prev``, each once (by identity);
    terminates on cycles, and raises TooLarge past ``limit`` nodes. Nodes already in
    ``seen`` (ids; it is updated) are not walked again. Parents that are not Value-like are
    skipped."""
    seen = set() if seen is None else seen
    order, stack = [], list(starts)
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        order.append(v)
        if limit is not None and len(order) > limit:
            raise TooLarge(limit)
        if type(v) is Value:  # ours, the common case: every parent is one of ours
            stack.extend(p for p in v.parents if id(p) not in seen)
        else:
            stack.extend(p for p in parents_of(v) if is_value_like(p) and id(p) not in seen)
    return order


def roots_of(values: Mapping[str, object], limit: int | None = None) -> list[str]:
    """Names of the Values that no node of any of their graphs has as a parent. With a
    ``limit``, TooLarge as soon as one Value's walk meets more than ``limit`` nodes no
    earlier walk met: a graph that large cannot be drawn, and its root would be chosen."""
    seen: set = set()
    nodes = [n for v in values.values() for n in walk([v], limit, seen)]
    consumed = {id(p) for v in nodes for p in parents_of(v)}
    roots, named = [], set()
    for name, v in values.items():
        if id(v) not in consumed and id(v) not in named:
            named.add(id(v))
            roots.append(name)
    return roots


def _choose_root(found: dict[str, object], limit: int | None = None) -> tuple[list[str], object, str]:
    roots = roots_of(found, limit)
    if not roots:  # every found Value is consumed by another: only a cycle does that
        for v in found.values():
            checked_order(v)
        raise ValueError("the graph has a cycle")
    if len(roots) == 1:
        return roots, found[roots[0]], ""
    if len(roots) <= MAX_SIZED_ROOTS:
        size = {name: len(walk([found[name]], limit)) for name in roots}
        chosen = max(reversed(roots), key=size.__getitem__)  # reversed: ties go to the last bound
        why = f"the largest graph, {size[chosen]} nodes"
    else:
        chosen, why = roots[-1], "the last in the namespace"
    shown = ", ".join(roots[:8]) + (f", … ({len(roots)} in all)" if len(roots) > 8 else "")
    message = (f"the cell built {len(roots)} separate graphs ({shown}); drawing {chosen} ({why}). "
               f"Pick another with %%autograd NAME")
    return roots, found[chosen], message
