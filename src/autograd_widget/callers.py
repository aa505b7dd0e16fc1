"""The variables of the code that asked for a graph, so unlabelled leaves get their names.

``%%autograd`` sees the cell's namespace; ``GraphWidget(root)`` and a bare ``Value`` at a
cell's end (IPython's display or marimo's ``_display_``) do not, so they look here: the
globals of the first stack frame outside this package unless it is a front end's own code
(displaying a Value: its names are the front end's), then IPython's user namespace and
marimo's cell globals, each only if it exists. A function's locals are not read: on Python
< 3.13 reading them leaves a snapshot on the frame that keeps every local alive until it
returns. Names are a courtesy: a namespace that cannot be read (changed by another thread
meanwhile, an object that raises when looked at) is skipped, never an error in a display.
Only nodes of the drawn graph take names from them: an extra namespace costs a lookup,
never a wrong label.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from .naming import bound_values

PACKAGE = __name__.partition(".")[0]
FRONT_ENDS = frozenset({"IPython", "ipykernel", "marimo"})  # their frames hold their names, not the user's


def caller_names() -> dict[str, object]:
    """``{name: Value-like}`` from every namespace the caller can see, nearest first."""
    names: dict[str, object] = {}
    seen: set[int] = set()
    for namespace in _namespaces():
        if id(namespace) in seen:  # in IPython the caller's globals are user_ns itself
            continue
        seen.add(id(namespace))
        try:
            found = bound_values(dict(namespace))  # a copy: another thread may change it meanwhile
        except Exception:
            continue
        for name, v in found.items():
            names.setdefault(name, v)
    return names


def _namespaces() -> list[Mapping]:
    found = []
    frame = sys._getframe(1)
    while frame is not None and _package(frame) == PACKAGE:
        frame = frame.f_back
    if frame is not None and _package(frame) not in FRONT_ENDS:
        found.append(frame.f_globals)
    found += [ns for ns in (_ipython_namespace(), _marimo_namespace()) if ns is not None]
    return found


def _package(frame) -> str:
    """The top-level package of the code running in ``frame`` ('__main__' for a cell)."""
    return str(frame.f_globals.get("__name__", "")).partition(".")[0]


def _ipython_namespace() -> Mapping | None:
    if "IPython" not in sys.modules:
        return None
    shell = sys.modules["IPython"].get_ipython()
    return getattr(shell, "user_ns", None)


def _marimo_namespace() -> Mapping | None:
    if "marimo" not in sys.modules:  # never import marimo: only look when it runs this code
        return None
    try:
        from marimo._runtime.context import get_context

        return get_context().globals
    except Exception:  # not inside a marimo run (a script importing marimo), or its internals moved
        return None
