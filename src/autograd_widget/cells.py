"""Which cell shows which widget, so that widgets do not pile up in a long session.

Re-running a cell replaces the widgets it made and showed before: when a run of a cell
ends, every widget an earlier run of it made and showed, that no cell shows any more, is
closed (its comm, its views, its hold on the graph). So are those of cells the front end
reports deleted. A widget made in one cell and only shown in another is the learner's to
keep: it is never closed behind their back.
Cells and runs are told apart by the execute request the kernel is answering: its
metadata's ``cellId`` (JupyterLab and Notebook 7 send it) and its message id. Where a
front end sends no cell id, nothing is closed behind its back.

After every cell, each live widget also reads its objects again (live.py): the cell may
have changed them.
"""

from __future__ import annotations

import weakref

from . import live

_trackers: dict[int, CellWidgets] = {}  # id(shell) -> its tracker (shells live as long as the process)


class CellWidgets:
    """The widgets each run of each cell showed, for one IPython shell."""

    def __init__(self, shell):
        self.shell = shell
        self.shown: dict[tuple[str, str], weakref.WeakSet] = {}  # (cell id, run id) -> widgets it showed
        self.latest: dict[str, str] = {}  # cell id -> its latest run
        self.deleted: set[str] = set()

    def displayed(self, widget) -> None:
        cell, run, _ = self.request()
        if cell:
            self.shown.setdefault((cell, run), weakref.WeakSet()).add(widget)
            self.latest[cell] = run

    def post_run_cell(self, result) -> None:
        cell, run, deleted = self.request()
        if cell:
            self.latest[cell] = run
        self.deleted |= deleted
        gone = [k for k in self.shown if (k[0] == cell and k[1] != run) or k[0] in deleted]
        released = {id(w): w for k in gone for w in self.shown.pop(k)}
        for w in released.values():
            if not any(w in ws for ws in self.shown.values()) and self._replaced(w._born):
                w.close()
        live.refresh_all()

    def _replaced(self, born) -> bool:
        """The run that made a widget is over for good: its cell ran again, or was deleted."""
        cell, run = born
        return cell is not None and (cell in self.deleted or self.latest.get(cell, run) != run)

    def request(self) -> tuple[str | None, str | None, set[str]]:
        """(cell id, run id, deleted cell ids) of the execute request being answered."""
        kernel = getattr(self.shell, "kernel", None)
        try:
            parent = kernel.get_parent("shell") if kernel is not None else None
        except Exception:  # an older or foreign kernel: no cell ids, nothing tracked
            parent = None
        if not isinstance(parent, dict) or not parent:
            return None, None, set()
        meta = parent.get("metadata") or {}
        cell = meta.get("cellId") if isinstance(meta.get("cellId"), str) else None
        deleted = meta.get("deletedCells")
        deleted = {c for c in deleted if isinstance(c, str)} if isinstance(deleted, list) else set()
        return cell, (parent.get("header") or {}).get("msg_id"), deleted


def install(shell) -> CellWidgets:
    """Hook a shell's cell events (once); returns its tracker."""
    tracker = _trackers.get(id(shell))
    if tracker is None:
        tracker = _trackers[id(shell)] = CellWidgets(shell)
        shell.events.register("post_run_cell", tracker.post_run_cell)
    return tracker


def uninstall(shell) -> None:
    tracker = _trackers.pop(id(shell), None)
    if tracker is not None:
        shell.events.unregister("post_run_cell", tracker.post_run_cell)


def displayed(widget) -> None:
    """Note that the running cell shows ``widget`` (a no-op outside IPython)."""
    shell = _shell()
    if shell is not None:
        install(shell).displayed(widget)


def current_run() -> tuple[str | None, str | None]:
    """(cell id, run id) of the execute request being answered; (None, None) outside a kernel."""
    shell = _shell()
    return install(shell).request()[:2] if shell is not None else (None, None)


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()
