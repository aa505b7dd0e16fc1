"""The drawing as compact SVG, with the numbers the objects hold now.

Graphviz writes ~1.4 KB per node: comments, titles, the same font and colour attributes on
every element, coordinates to 1/100 pt, an arrowhead polygon per edge. The browser and a
static viewer (GitHub, nbviewer, an HTML export) need far less, so ``Picture`` keeps the
geometry and ids and writes each thing once, tersely: coordinates in whole points (a point
is 1.33 px at 100%), a record as one path (its box and field separators), a round op node
as a ``<circle>``, an edge as a relative path (a straight one as a line) under one shared
arrow marker, shared styling in one ``<style>`` (the widget drops it: widget.css styles the
drawing there), no ``class="node"`` (js/svg.js puts it back on ``g#n…``). About 350 bytes
per value node on the lecture's MLP loss.

The layout never changes, only each record's data and grad fields do, so the compact SVG
is kept cut around those fields and re-joined with new text (``render``): no Graphviz run
when numbers change.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from html import escape

from .drawing import fmt, pad, range_text, span

_NS = "{http://www.w3.org/2000/svg}"
_NODE_ID = re.compile(r"^n(\d+)(op)?$")
_FRAME_ID = re.compile(r"^c\d+$")
ARROW = 6.0, 4.2  # length and width of Graphviz's arrowhead at arrowsize 0.6, in pt

# Scoped to the picture's own <svg>: a viewer that pastes it into a page (classic Notebook)
# must not restyle the page's other figures.
STYLE = (
    ".agw-picture text{font:11px Courier,monospace;text-anchor:middle;white-space:pre;fill:#000}"
    ".agw-picture :is(ellipse,circle,polygon,path){fill:none;stroke:#000}.agw-picture .bg{fill:#fff}"
    ".agw-picture .cluster rect{fill:#f4f4fa;stroke:#888}.agw-picture .agw-box path{stroke-width:2}"
    ".agw-picture .edges path{stroke:#555}.agw-picture marker path{fill:#555;stroke:none}"
)


class Picture:
    """``Picture(graphviz_svg, layers)``: the compact drawing; ``render(data, grad)`` gives its
    SVG text with every record's data and grad fields showing those numbers. ``layers``: the
    layer boxes drawn (boxes.View.layers()), whose fields show their outputs' range."""

    def __init__(self, svg: str, layers: dict[int, list[int]] | None = None):
        self.layers = layers or {}
        root = ET.fromstring(svg)
        graph = root.find(f"{_NS}g")
        marker = f"agw-arrow-{uuid.uuid4().hex[:8]}"  # unique: many drawings share one page
        length, width = ARROW
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="agw-picture" width="{root.get("width")}" '
            f'height="{root.get("height")}" '
            f'viewBox="{root.get("viewBox")}"><style>{STYLE}</style>'
            f'<defs><marker id="{marker}" markerUnits="userSpaceOnUse" orient="auto" refX="0" '
            f'refY="{width / 2}" markerWidth="{length}" markerHeight="{width}">'
            f'<path d="M0,0L{length},{width / 2}L0,{width}z"/></marker></defs>'
            f'<g class="graph" transform="{graph.get("transform")}">'
        )
        nodes, edges, background = [], [], ""
        for el in graph:
            kind = el.get("class")
            if el.tag == f"{_NS}polygon" and not background:
                background = _background(el)
            elif kind == "edge":
                path = el.find(f"{_NS}path")
                if path is not None:  # its arrowhead polygon is the shared marker's job
                    edges.append(f'<path d="{_path(path.get("d"))}"{_edge_ends(el)}/>')
            elif kind and kind.split()[0] in ("node", "cluster"):
                nodes.append(el)
        self.chunks: list[str] = []  # static text; field k goes between chunks[k] and chunks[k + 1]
        self.fields: list[tuple[int, str]] = []  # (node id, "data" | "grad")
        out = [head, background, f'<g class="edges" marker-end="url(#{marker})">', *edges, "</g>"]
        for el in nodes:
            self._node(el, out)
        out.append("</g></svg>")
        self.chunks.append("".join(out))

    def _node(self, g, out: list[str]) -> None:
        if g.get("class") == "cluster":
            self._frame(g, out)
            return
        m = _NODE_ID.match(g.get("id") or "")
        if not m:
            return
        box = ' class="agw-box"' if "agw-box" in (g.get("class") or "").split() else ""
        if m.group(2) is None and int(m.group(1)) in self.layers:
            box = f' class="agw-box agw-layer"{self._outputs(int(m.group(1)))}'
        out.append(f'<g id="{g.get("id")}"{box}>')
        outline, texts = "", []
        for el in g:
            tag = el.tag[len(_NS):]
            if tag == "polygon":
                outline = _polygon_path(el.get("points")) + outline
            elif tag == "polyline":  # a record's field separators: part of the same outline
                outline += _polyline_path(el.get("points"))
            elif tag == "ellipse":
                out.append(_ellipse(el))
            elif tag == "path":
                out.append(f'<path d="{_path(el.get("d"))}"/>')
            elif tag == "text":
                texts.append(el)
        if outline:
            out.append(f'<path d="{outline}"/>')
        record = m.group(2) is None and len(texts) >= 2
        for k, text in enumerate(texts):
            start = f'<text x="{_num(float(text.get("x")))}" y="{_num(float(text.get("y")))}">'
            field = ("data", "grad")[k - len(texts) + 2] if record and k >= len(texts) - 2 else None
            if field is None:
                out.append(f"{start}{escape(text.text or '', quote=False)}</text>")
                continue
            out.append(start)
            self.chunks.append("".join(out))
            out.clear()
            self.fields.append((int(m.group(1)), field))
            out.append("</text>")
        out.append("</g>")

    def _frame(self, g, out: list[str]) -> None:
        """An open box's frame (a Graphviz cluster): its outline and its name."""
        if not _FRAME_ID.match(g.get("id") or ""):
            return
        b = int(g.get("id")[1:])
        layer = f' class="cluster agw-layer"{self._outputs(b)}' if b in self.layers else ' class="cluster"'
        out.append(f'<g id="{g.get("id")}"{layer}>')
        for el in g:
            tag = el.tag[len(_NS):]
            if tag in ("path", "polygon"):  # rounded (a path) or square: drawn as a rounded rect
                pts = _points(el.get("d") or el.get("points"))
                xs, ys = [x for x, _ in pts], [y for _, y in pts]
                out.append(f'<rect x="{min(xs)}" y="{min(ys)}" width="{max(xs) - min(xs)}" '
                           f'height="{max(ys) - min(ys)}" rx="6"/>')
            elif tag == "text":
                x, y = (_num(float(el.get(k))) for k in ("x", "y"))
                out.append(f'<text x="{x}" y="{y}">{escape(el.text or "", quote=False)}</text>')
        out.append("</g>")

    def _outputs(self, b: int) -> str:
        return f' data-outputs="{" ".join(map(str, self.layers[b]))}"'

    def render(self, data: list[float], grad: list[float]) -> str:
        columns = {"data": data, "grad": grad}
        out = [self.chunks[0]]
        for (i, name), chunk in zip(self.fields, self.chunks[1:]):
            column = columns[name]
            if i in self.layers:
                out.append(escape(range_text(name, *span(column[o] for o in self.layers[i])), quote=False))
            else:
                out.append(field_text(name, column[i]))
            out.append(chunk)
        return "".join(out)


def field_text(name: str, x: float) -> str:
    """A record field as SVG text, exactly as the browser writes it (js/format.js dataField)."""
    return escape(name + pad(fmt(x)), quote=False)


_EDGE = re.compile(r"^n(\d+)(?:op)?->n(\d+)(op)?$")


def _edge_ends(g) -> str:
    """Which nodes an edge joins, for the browser (paths to the output are lit along it):
    data-e="a b" from node a into node b's op (or closed box b), data-e="b" from b's op to b."""
    title = g.find(f"{_NS}title")
    m = _EDGE.match(title.text if title is not None and title.text else "")
    if not m:
        return ""
    a, b, into_op = m.groups()
    return f' data-e="{b}"' if a == b and not into_op else f' data-e="{a} {b}"'


def _num(x: float) -> str:
    """A coordinate in whole points."""
    return str(round(x) + 0)  # + 0: no "-0"


def _points(text: str | None) -> list[tuple[int, int]]:
    pairs = [p.split(",") for p in (text or "").replace("M", " ").replace("C", " ").split()]
    return [(round(float(x)), round(float(y))) for x, y in pairs]


def _path(d: str | None) -> str:
    """Graphviz's edge path (M then cubic Béziers) in whole points, relative after the first
    point; a straight one as a single line."""
    (x0, y0), *rest = _points(d)
    if all(_on_line((x0, y0), rest[-1], p) for p in rest[:-1]):
        return f"M{x0},{y0}l{rest[-1][0] - x0},{rest[-1][1] - y0}"
    out, (cx, cy) = [f"M{x0},{y0}c"], (x0, y0)
    for k in range(0, len(rest) - 2, 3):
        seg = rest[k:k + 3]
        out.append(" ".join(f"{x - cx},{y - cy}" for x, y in seg) + " ")
        cx, cy = seg[-1]
    return "".join(out).rstrip()


def _on_line(a, b, p) -> bool:
    """p lies within half a point of the line through a and b."""
    (ax, ay), (bx, by), (px, py) = a, b, p
    length = max(abs(bx - ax), abs(by - ay), 1)
    return abs((bx - ax) * (py - ay) - (by - ay) * (px - ax)) <= 0.5 * length


def _polygon_path(points: str | None) -> str:
    (x0, y0), *rest = _points(points)
    out = f"M{x0},{y0}"
    for x, y in rest[:-1] if rest and rest[-1] == (x0, y0) else rest:
        out += f"h{x - x0}" if y == y0 else f"v{y - y0}" if x == x0 else f"l{x - x0},{y - y0}"
        x0, y0 = x, y
    return out + "z"


def _polyline_path(points: str | None) -> str:
    (x0, y0), *rest = _points(points)
    out = f"M{x0},{y0}"
    for x, y in rest:
        out += f"h{x - x0}" if y == y0 else f"v{y - y0}" if x == x0 else f"l{x - x0},{y - y0}"
        x0, y0 = x, y
    return out


def _ellipse(el) -> str:
    cx, cy, rx, ry = (_num(float(el.get(k))) for k in ("cx", "cy", "rx", "ry"))
    if rx == ry:
        return f'<circle cx="{cx}" cy="{cy}" r="{rx}"/>'
    return f'<ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}"/>'


def _background(el) -> str:
    pts = _points(el.get("points"))
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    x0, y0 = min(xs), min(ys)
    return f'<rect class="bg" x="{x0}" y="{y0}" width="{max(xs) - x0}" height="{max(ys) - y0}"/>'
