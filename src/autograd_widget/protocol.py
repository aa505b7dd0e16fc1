"""What a view may send the kernel, checked before anything is touched.

A view sends ``{"type": "leaves", "view", "seq", "values", "final"}`` — the leaves it
moved since its last message — or ``{"type": "ping", "view", "seq"}``. The kernel's
answer (``kernel_state.answers``) names the ``view`` and ``seq`` it answers. On a graph
drawn in boxes it also sends ``{"type": "expand", "id", "open"}`` (open or close box
``id``) and ``{"type": "slider", "id"}`` (a slider for leaf ``id``), answered by the new
drawing or slider list. js/types.js types the same messages for the browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

from .ops import to_float

MAX_VIEW_ID = 64
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class BadMessage(ValueError):
    """A message from a view that makes no sense; nothing was changed."""


@dataclass(frozen=True)
class Leaves:
    view: str
    seq: int
    values: dict[int, float]  # leaf id -> new value
    final: bool  # a release, not a step of a drag


@dataclass(frozen=True)
class Ping:
    view: str
    seq: int


@dataclass(frozen=True)
class Expand:
    id: int  # the box's output node (a layer box: its id, past the tape's nodes)
    open: bool


@dataclass(frozen=True)
class AddSlider:
    id: int  # a leaf


def sender(content) -> dict | None:
    """``{"view", "seq"}`` of a message, for the answer; None if it carries no valid pair."""
    if not isinstance(content, dict):
        return None
    view, seq = content.get("view"), content.get("seq")
    if isinstance(view, str) and 0 < len(view) <= MAX_VIEW_ID and _is_count(seq):
        return {"view": view, "seq": seq}
    return None


def parse(content, leaves: set[int]) -> Leaves | Ping | Expand | AddSlider:
    """Check a message from a view against the leaves it may move; BadMessage says why not.
    Which boxes and leaves an Expand or AddSlider may name, the widget checks."""
    kind = content.get("type") if isinstance(content, dict) else None
    if kind in ("expand", "slider"):
        i = content.get("id")
        if not (is_number(i) and isinstance(i, int) and 0 <= i < 2**31):
            raise BadMessage(f"'id' must be a node id, got {_short(i)}")
        if kind == "slider":
            return AddSlider(i)
        if not isinstance(content.get("open"), bool):
            raise BadMessage(f"'open' must be true or false, got {_short(content.get('open'))}")
        return Expand(i, content["open"])
    who = sender(content)
    if who is None:
        raise BadMessage(f"expected a dict with a view id and a seq number >= 1, got {_short(content)}")
    if kind == "ping":
        return Ping(**who)
    if kind != "leaves":
        raise BadMessage(f"unknown message type {_short(kind)}")
    final = content.get("final", False)
    if not isinstance(final, bool):
        raise BadMessage(f"'final' must be true or false, got {_short(final)}")
    values = content.get("values")
    if not isinstance(values, dict) or not values:
        raise BadMessage(f"'values' must be a non-empty dict of leaf id -> number, got {_short(values)}")
    return Leaves(values={_leaf(k, leaves): _value(k, x) for k, x in values.items()}, final=final, **who)


def _leaf(key, leaves: set[int]) -> int:
    i = int(key) if isinstance(key, str) and key.isdigit() and len(key) < 10 else None
    if i is None or i not in leaves:
        raise BadMessage(f"{_short(key)} is not the id of a leaf with a slider")
    return i


def is_number(x) -> bool:
    """A real number, as a person means it: bools are not numbers here."""
    return isinstance(x, Real) and not isinstance(x, bool)


def _value(key, x) -> float:
    if is_number(x):
        return to_float(x)  # JSON may carry an integer beyond float range
    if isinstance(x, str) and x in _NON_FINITE:
        return _NON_FINITE[x]
    raise BadMessage(f"the value for leaf {key} is not a number: {_short(x)}")


def _is_count(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= 1


def _short(x) -> str:
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."
