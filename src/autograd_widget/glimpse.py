"""A graph too big to take: the part of it nearest its output, as a picture.

Above ``boxes.MAX_NODES`` a widget refuses a graph (reading it and sending it would take
seconds and megabytes, and its boxes could not be found without walking it all). What can
still be drawn at a bounded cost is the neighbourhood of the output: the first
``GLIMPSE_NODES`` nodes met walking back from it, breadth first. A node whose inputs lie
beyond is drawn as a leaf marked ``⋯ (op)`` — computed by ``op`` from more above — with the
numbers it holds. No sliders: without the whole graph nothing can be recomputed.
"""

from __future__ import annotations

from collections import deque

from .orient import lay_out
from .picture import Picture
from .tape import Tape, is_value_like, parents_of

GLIMPSE_NODES = 100


class _StandIn:
    """What the drawing reads of a node: its numbers, label, op and the parents drawn."""

    __slots__ = ("_op", "_prev", "data", "grad", "label")

    def __init__(self, node, parents: tuple, cut: bool):
        self.data = node.data
        self.grad = getattr(node, "grad", 0.0)
        op = str(getattr(node, "_op", "") or "")
        label = str(getattr(node, "label", "") or "")
        self.label = f"{label} ⋯ ({op})".strip() if cut else label
        self._op = "" if cut else op
        self._prev = () if cut else parents


def glimpse(root, limit: int = GLIMPSE_NODES) -> str:
    """SVG of (at most) the ``limit`` nodes nearest ``root``: asks only those for their parents."""
    near = {id(root): root}
    parents: dict[int, tuple] = {}  # asked once per node kept
    queue = deque([root])
    while queue and len(near) < limit:
        node = queue.popleft()
        parents[id(node)] = ps = tuple(parents_of(node))
        for p in ps:
            if id(p) not in near and len(near) < limit and is_value_like(p):
                near[id(p)] = p
                queue.append(p)
    stand_ins: dict[int, _StandIn] = {}
    stack, on_path = [root], {id(root)}
    while stack:  # parents before children: a depth-first walk over the nodes kept
        node = stack[-1]
        ps = parents.get(id(node))
        # not asked (the walk stopped first), an input beyond the nodes kept, or one of its own
        # descendants (a cycle): drawn as cut
        cut = ps is None or any(id(p) not in near or id(p) in on_path for p in ps)
        todo = None if cut else next((p for p in ps if id(p) not in stand_ins), None)
        if todo is not None:
            stack.append(todo)
            on_path.add(id(todo))
            continue
        stack.pop()
        on_path.discard(id(node))
        stand_ins[id(node)] = _StandIn(node, () if cut else tuple(stand_ins[id(p)] for p in ps), cut)
    tape = Tape(stand_ins[id(root)])
    _, svg = lay_out(tape)
    return Picture(svg).render(tape.data, tape.grad)


def glimpse_note(root, reason: Exception) -> tuple[str, str]:
    """One line saying why the graph is not drawn live, and the picture of the part nearest
    its output ('' when that fails too: the picture is a courtesy and must not hide the reason)."""
    try:
        svg = glimpse(root)
    except Exception as exc:
        return f"autograd: {reason} (Could not draw the part nearest its output either: {exc})", ""
    return f"autograd: {reason} Drawn below: the {GLIMPSE_NODES} nodes nearest its output, as a picture.", svg


def show_glimpse(root, reason: Exception) -> None:
    """Say in one line why the graph is not drawn live, then show the part nearest its output."""
    from .display import NotDrawn

    NotDrawn("", *glimpse_note(root, reason))._ipython_display_()
