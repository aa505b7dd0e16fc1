"""Which way a graph is drawn — left to right or top to bottom — when nobody said.

A notebook column is about 830 CSS px wide (JupyterLab at 1280 px with the file browser
open) and a widget's drawing gets about 600 px of height before it scrolls. Text stays
readable down to 9 px, that is at 9 / 14.67 of the drawing's natural size (11 pt Courier).
The lecture's look is left to right, so LR is kept whenever it fits that column at a
readable scale. Otherwise a drawing that is readable at the column's width wins, even if
it is tall: a notebook scrolls down naturally, sideways awkwardly. Failing both, the
direction that comes closer to the column's width.
"""

from __future__ import annotations

import re

from .drawing import to_dot
from .layout import render_svg

COLUMN_PX = (830.0, 600.0)  # width, height
TEXT_PX = 11 * 4 / 3  # the drawing's font, 11 pt, in CSS px at 100%
READABLE_PX = 9.0
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"', re.S)


def fit_scale(svg: str, column=COLUMN_PX) -> float:
    """The scale (at most 1) at which a laid-out drawing fits the column; a column of
    height None is as tall as it needs to be."""
    m = _SIZE.search(svg)
    if not m:
        return 1.0
    width, height = (float(v) * 4 / 3 for v in m.groups())  # pt -> CSS px
    tall = column[1] / max(height, 1.0) if column[1] else 1.0
    return min(1.0, column[0] / max(width, 1.0), tall)


def readable(scale: float) -> bool:
    return scale * TEXT_PX >= READABLE_PX


def lay_out(tape, rankdir: str | None = None, view=None) -> tuple[str, str]:
    """``(rankdir, svg)``: the graph (or what a ``boxes.View`` of it draws) laid out by
    Graphviz, in the direction asked for, or else the one that reads best in a notebook column."""
    if rankdir is not None:
        dot = to_dot(tape, rankdir=rankdir, view=view)
        return dot.graph_attr["rankdir"], render_svg(dot.source)
    lr = render_svg(to_dot(tape, rankdir="LR", view=view).source)
    if readable(fit_scale(lr)):
        return "LR", lr
    tb = render_svg(to_dot(tape, rankdir="TB", view=view).source)
    wide = (COLUMN_PX[0], None)
    if readable(fit_scale(tb, wide)) or fit_scale(tb, wide) > fit_scale(lr, wide):
        return "TB", tb
    return "LR", lr
