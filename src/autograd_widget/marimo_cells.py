"""A widget shown for a Value at the end of a marimo cell is closed when that cell runs again
or is deleted, as cells.py does for IPython; otherwise every run of a reactive cell would
leave one behind (its comm and its hold on the graph: 21 widgets alive after 20 runs).

marimo's cell lifecycle registry disposes the items a cell registered when the cell is
invalidated. Only widgets this package made for ``_display_`` are registered: a GraphWidget
the learner made is theirs to keep.
"""

from __future__ import annotations


def close_with_cell(widget) -> bool:
    """Register ``widget`` to be closed with the running marimo cell; False outside one."""
    try:
        from marimo._runtime.cell_lifecycle_item import CellLifecycleItem
        from marimo._runtime.context import get_context

        context = get_context()
    except Exception:  # not in a marimo run, or its internals moved: nothing registered
        return False
    if getattr(context, "cell_id", None) is None:
        return False

    class CloseWidget(CellLifecycleItem):
        def create(self, context) -> None:
            pass

        def dispose(self, context, deletion: bool) -> bool:
            widget.close()
            return True

    context.cell_lifecycle_registry.add(CloseWidget())
    return True
