"""Every live view of a graph, so that a change made through one reaches all the others.

The objects are the truth (design decision 8). When a widget moves leaves, every other
widget whose graph holds any of the nodes it wrote *follows*: it reads the objects and
recomputes what depends on the moved leaves. After a cell runs, every widget *refreshes*:
it draws what the objects hold (the cell may have set ``b.data = 7`` or run
``backward()``), recomputing nothing. Only weak references are kept: a closed or dropped
widget is never held alive here.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)

# tape -> (refresh, follow), weak bound methods of the widget that owns the tape
_views: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def watch(tape, refresh: Callable[[bool], None], follow: Callable[[bool], None]) -> None:
    """``refresh(final)`` after a cell ran, ``follow(final)`` when another view moved leaves
    of ``tape``'s graph. Held weakly: both must be bound methods of the tape's owner."""
    _views[tape] = (weakref.WeakMethod(refresh), weakref.WeakMethod(follow))


def unwatch(tape) -> None:
    _views.pop(tape, None)


def changed(nodes: Iterable, source=None, final: bool = True) -> None:
    """``nodes`` were written (through the tape ``source``): every other view of any of them follows.
    ``final``: the change is a settled one (a release), not a step of a drag."""
    ids = {id(v) for v in nodes}
    for tape, (_, follow) in list(_views.items()):
        if tape is not source and not ids.isdisjoint(tape.index):
            _call(follow, final)


def refresh_all() -> None:
    """Every view draws what its objects hold now (after a cell ran, say)."""
    for refresh, _ in list(_views.values()):
        _call(refresh, True)


def _call(ref, final: bool) -> None:
    refresh = ref()
    if refresh is None:
        return
    try:
        refresh(final)
    except Exception as exc:  # a safety net: one broken view must not stop the others (widgets say why)
        log.warning("autograd-widget: could not redraw a widget: %s", exc)
