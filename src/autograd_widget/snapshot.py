"""The static picture of a widget: its laid-out SVG with the numbers the objects hold now.

A saved notebook and its HTML export show ``image/svg+xml`` where no widget runs. The
layout never changes, only the data and grad fields of each record do, so the SVG is cut
once around those fields and re-joined with new text: no Graphviz run per update.
"""

from __future__ import annotations

import re
from html import escape

from .drawing import fmt, pad

_NODE = re.compile(r'<g id="n(\d+)" class="node">(.*?)</g>', re.S)
_TEXT = re.compile(r"(<text\b[^>]*>)(.*?)(</text>)", re.S)


class Snapshot:
    """``Snapshot(svg).render(data, grad)`` -> the SVG with each record's fields rewritten."""

    def __init__(self, svg: str):
        self.chunks: list[str] = []  # static text; field k goes between chunks[k] and chunks[k + 1]
        self.fields: list[tuple[int, str]] = []  # (node id, "data" | "grad")
        at = 0
        for node in _NODE.finditer(svg):
            texts = list(_TEXT.finditer(svg, node.start(2), node.end(2)))
            if len(texts) < 3:  # label, data, grad: anything else is not one of our records
                continue
            for text, name in ((texts[-2], "data"), (texts[-1], "grad")):
                self.chunks.append(svg[at : text.start(2)])
                self.fields.append((int(node.group(1)), name))
                at = text.end(2)
        self.chunks.append(svg[at:])

    def render(self, data: list[float], grad: list[float]) -> str:
        columns = {"data": data, "grad": grad}
        out = [self.chunks[0]]
        for (i, name), chunk in zip(self.fields, self.chunks[1:]):
            out.append(field_text(name, columns[name][i]))
            out.append(chunk)
        return "".join(out)


def field_text(name: str, x: float) -> str:
    """A record field as SVG text, exactly as the browser writes it (js/format.js dataField)."""
    return escape(name + pad(fmt(x)), quote=False).replace("\u00a0", "&#160;")
