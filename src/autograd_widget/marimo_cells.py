"""A GraphWidget made while a marimo cell runs is closed when that cell runs again or is
deleted; otherwise every run of a reactive cell would leave one behind (its comm and its
hold on the graph: 21 widgets open after 20 runs).

That is marimo's own rule for a cell's names (a re-run cell's definitions are deleted first),
so it holds for ``mo.ui.anywidget(GraphWidget(L))`` as for a Value shown at a cell's end. In
IPython cells.py decides instead. marimo's cell lifecycle registry disposes the items a cell
registered when the cell is invalidated.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)


def close_with_cell(widget) -> bool:
    """Register ``widget`` to be closed with the running marimo cell; False outside one."""
    if "marimo" not in sys.modules:  # never import marimo: only look when it runs this code
        return False
    try:
        from marimo._runtime.cell_lifecycle_item import CellLifecycleItem
        from marimo._runtime.context import get_context

        context = get_context()
        if getattr(context, "cell_id", None) is None:
            return False

        class CloseWidget(CellLifecycleItem):
            def create(self, context) -> None:
                pass

            def dispose(self, context, deletion: bool) -> bool:
                # marimo keeps an item whose dispose raised and raises again at every later run of the
                # cell, skipping the cell's other items: a failure here is said, never passed on
                try:
                    widget.close()
                except Exception:
                    log.warning("autograd-widget: could not close a widget of a re-run marimo cell", exc_info=True)
                return True

        context.cell_lifecycle_registry.add(CloseWidget())
    except Exception:  # not in a marimo run, or its internals moved: the widget just stays open
        return False
    return True
