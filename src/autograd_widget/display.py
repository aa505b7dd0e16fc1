"""How a Value at the end of a cell shows itself: its live graph, or one line why not.

IPython calls ``Value._ipython_display_`` → ``show_value``; marimo calls ``Value._display_``
→ ``value_view``. Both get the same answer: a GraphWidget, or ``NotDrawn`` (the repr, the
reason, and for a graph too large for a widget a picture of the part nearest its output).
"""

from __future__ import annotations

import html

from .layout import LayoutError
from .tape import TooLarge
from .widget import GraphWidget


def show_value(value) -> None:
    """How a Value displays itself in IPython: its live graph in a kernel, the repr elsewhere
    (a terminal has neither widgets nor pictures)."""
    from IPython.display import display

    if not _in_kernel():
        display({"text/plain": repr(value)}, raw=True)
        return
    value_view(value)._ipython_display_()


def value_view(value):
    """A Value's live graph, or ``NotDrawn`` saying in one line why not (too large — with a
    picture of the part nearest its output — a cycle, a layout failure). What a Value at the
    end of a cell shows: in IPython through show_value, in marimo as its ``_display_``."""
    try:
        return GraphWidget(value)
    except TooLarge as exc:  # bigger than any widget takes: the part nearest the output, as a picture
        from .glimpse import glimpse_note

        return NotDrawn(repr(value), *glimpse_note(value, exc))
    except (ValueError, TypeError, LayoutError) as exc:
        return NotDrawn(f"{value!r}\n(graph not drawn: {exc})")


class NotDrawn:
    """A graph not drawn live: the Value's repr (the magic shows none), why not, and maybe a picture."""

    def __init__(self, text: str, reason: str = "", svg: str = ""):
        self.text, self.reason, self.svg = text, reason, svg

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if self.text:
            display({"text/plain": self.text}, raw=True)
        if self.reason:
            print(self.reason)
        if self.svg:
            display({"image/svg+xml": self.svg}, raw=True)

    def _mime_(self) -> tuple[str, str]:
        """marimo's one output: the text, then the picture."""
        text = html.escape("\n".join(filter(None, [self.text, self.reason])))
        return "text/html", f"<pre>{text}</pre>{self.svg}"


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
