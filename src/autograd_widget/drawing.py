"""The seed's drawing: ``trace()`` and ``draw_dot()``, built from a Tape.

One record node per value (label | data | grad) and a small op node per operation, as
in the lecture. The widget lays out the very same DOT, so numbers are written in a
fixed-width format (``fmt``, mirrored by ``js/format.js``) that the browser can patch
in place without the boxes ever needing to grow.
"""

from __future__ import annotations

import math

import graphviz
from graphviz import nohtml

from .ops import display
from .tape import Tape, checked_order, parents_of

NUMBER_WIDTH = 9  # every fmt() result fits in this many characters
MAX_DRAWN_NODES = 2000  # beyond this dot takes many seconds: say so instead of hanging
_RECORD_SPECIALS = str.maketrans({c: "\\" + c for c in '\\{}|<>"'})
# Every C0 control but LF, and DEL, drawn as its Unicode Control Picture (NUL -> U+2400):
# Graphviz rejects a NUL, and others reach the SVG raw (ESC is not even legal XML).
# TAB too: a record drops it silently and SVG would collapse it, so show it instead.
_CONTROL_PICTURES = {c: 0x2400 + c for c in range(0x20) if c != 0x0A} | {0x7F: 0x2421}
# What XML cannot carry at all (lone surrogates, U+FFFE, U+FFFF) is drawn as the replacement character.
_NOT_XML = dict.fromkeys([*range(0xD800, 0xE000), 0xFFFE, 0xFFFF], 0xFFFD)
RANKDIRS = ("LR", "TB", "RL", "BT")


def fmt(x: float) -> str:
    """A number in at most NUMBER_WIDTH characters: 4 significant digits or the lecture's
    4 decimals, whichever is narrower (4 decimals on a tie), never hiding the value."""
    if x != x:
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0.0000"  # -0.0 too; 4 significant digits of zero ("0.000") would mean nothing
    significant = _significant(x)
    if abs(x) >= 1e-3:  # below, 4 decimals would show 0.0000 or a lone digit
        decimals = f"{x:.4f}"
        if len(decimals) <= len(significant):
            return decimals
    return significant


def _significant(x: float) -> str:
    """x to 4 significant digits as C's %#.4g writes it (2.0 -> "2.000", trailing zeros
    show the precision), compactly: "1235." -> "1235", "e+05" -> "e5", "e-07" -> "e-7".
    Too wide (-1.234e-100, -0.0001235), it keeps 4, then 3, then 2 digits in the exponent
    form, whichever fits first: "-1.2e-308" is NUMBER_WIDTH characters."""
    s = _compact(f"{x:#.4g}")
    for digits in (4, 3, 2):
        if len(s) <= NUMBER_WIDTH:
            break
        s = _compact(f"{x:.{digits - 1}e}")
    return s


def _compact(s: str) -> str:
    mantissa, e, exponent = s.partition("e")
    return mantissa.rstrip(".") + (f"e{int(exponent)}" if e else "")


def pad(number: str) -> str:
    """Right-align a formatted number with no-break spaces to a fixed width (the text
    the browser writes: js/format.js)."""
    return "\u00a0" * (NUMBER_WIDTH + 1 - len(number)) + number


def field(name: str, x: float) -> str:
    """A record field as DOT source: 'data' and the padded number. The padding is
    written as escaped spaces, which Graphviz keeps (it trims plain ones) and measures as
    one character (a literal no-break space it measures as two), so every field is laid
    out exactly as wide as its widest future text."""
    return name + pad(fmt(x)).replace("\u00a0", "\\ ")


def range_text(name: str, lo: float, hi: float) -> str:
    """A layer box's field as the browser writes it (js/format.js rangeField): its outputs' lowest
    and highest number."""
    return name + pad(fmt(lo)) + " to" + pad(fmt(hi))


def range_field(name: str, lo: float, hi: float) -> str:
    """A layer box's field as DOT source, every blank escaped as in field()."""
    return range_text(name, lo, hi).replace("\u00a0", " ").replace(" ", "\\ ")


def span(xs) -> tuple[float, float]:
    """The lowest and highest of some numbers; both NaN if one is (as JS's Math.min has it)."""
    xs = list(xs)
    if any(x != x for x in xs):
        return math.nan, math.nan
    return min(xs), max(xs)


def visible(text: str) -> str:
    """Text as drawn: CR LF and a lone CR are line breaks like LF, other controls are
    shown as Control Pictures (see _CONTROL_PICTURES), what XML cannot hold as U+FFFD."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL_PICTURES).translate(_NOT_XML)


def escape_record(text: str) -> str:
    """Make any text safe inside a record label field: specials escaped, newlines kept
    between lines (Graphviz's WASM build traps on a field that starts with a line break)."""
    return visible(text).strip("\n").translate(_RECORD_SPECIALS).replace("\n", "\\n")


def escape_text(text: str) -> str:
    """Make any text safe as a plain DOT label (graphviz quotes it; we keep backslashes)."""
    return visible(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Drawing(graphviz.Digraph):
    """A graphviz.Digraph that shows itself in Jupyter through Graphviz-in-WASM, so it
    needs no system ``dot``; ``render()``/``pipe()`` still use a system ``dot`` as usual."""

    def _repr_image_svg_xml(self) -> str:
        from .layout import render_svg

        return render_svg(self.source)

    def svg(self) -> str:
        """The laid-out SVG text."""
        return self._repr_image_svg_xml()


def trace(root):
    """The seed's trace: ``(nodes, edges)`` as sets, edges as (parent, child) pairs."""
    nodes = checked_order(root)
    edges = {(p, v) for v in nodes for p in parents_of(v)}
    return set(nodes), edges


def draw_dot(root, rankdir: str = "LR", format: str = "svg") -> Drawing:
    """The graph of ``root`` as a graphviz Digraph in the lecture's style."""
    return to_dot(Tape(root, limit=MAX_DRAWN_NODES), rankdir=rankdir, format=format)  # refuses before walking it all


# Graphviz's network simplex runs until it converges, and a leaf that feeds many ops (x used
# 100 times: 201 nodes) makes that take minutes (73 s measured). Past a few dozen nodes, a
# bounded number of iterations lays the same graphs out in seconds, at a slightly looser fit.
SMALL_GRAPH = 50


def _effort(nodes: int) -> dict:
    return {} if nodes <= SMALL_GRAPH else {"nslimit": "2", "nslimit1": "2", "mclimit": "0.3"}


def to_dot(tape: Tape, rankdir: str = "LR", format: str = "svg", view=None) -> Drawing:
    """The lecture's drawing of every node, or, given a ``boxes.View``, of what it draws:
    its open nodes as usual, its closed boxes as records of their own, its frames as
    clusters around what they hold."""
    if not isinstance(rankdir, str) or rankdir.upper() not in RANKDIRS:
        raise ValueError(f"rankdir must be 'LR' or 'TB' (or 'RL', 'BT'), got {rankdir!r}")
    rankdir = rankdir.upper()  # Graphviz reads 'lr' as its default, top to bottom, silently
    drawn = range(len(tape)) if view is None else view.drawn
    if len(drawn) > MAX_DRAWN_NODES:
        raise ValueError(
            f"this drawing has {len(drawn)} nodes; drawing more than {MAX_DRAWN_NODES} would take "
            "Graphviz minutes. Draw a smaller part of it (a subexpression, one neuron)."
        )
    dot = Drawing(
        format=format,
        graph_attr={"rankdir": rankdir, "nodesep": "0.15", "ranksep": "0.3", **_effort(len(drawn))},
        # a fixed-width font: a patched number takes exactly the room of the laid-out one
        node_attr={"fontname": "Courier", "fontsize": "11", "height": "0.3"},
        edge_attr={"arrowsize": "0.6"},
    )
    if view is None:
        for i in drawn:
            _node(dot, tape, i, rankdir)
            for p in dict.fromkeys(tape.parents[i]):
                dot.edge(f"n{p}", f"n{i}op")
        return dot
    graphs = {-1: dot}
    for b in view.framed:
        graphs[b] = graphviz.Digraph(name=f"cluster_c{b}", graph_attr={
            "id": f"c{b}", "label": escape_text(view.boxes.name(b)), **_NAME_BY_OUTPUT[rankdir],
            "fontname": "Courier", "fontsize": "11", "style": "rounded"})
    for i in view.drawn:
        g = graphs[view.frame_of(i)]
        if view.boxes.is_layer(i):
            _layer(g, tape, view.boxes, i, rankdir)
        elif i in view.closed:
            _box(g, tape, view.boxes, i, rankdir)
        else:
            _node(g, tape, i, rankdir)
    # subgraph() copies a frame's text: the innermost (smallest) frames go into theirs first
    for b in sorted(view.framed, key=view.boxes.size.__getitem__):
        graphs[view.frame_of(view.boxes.owner[b])].subgraph(graphs[b])
    for a, b in view.edges:  # after the frames: a node belongs to the frame it is declared in
        dot.edge(f"n{a}", f"n{b}" if b in view.closed else f"n{b}op")
    return dot


# An open box's name, which closes it, sits at the end where its output is drawn: a neuron
# opened left to right is thousands of pixels wide, and the learner is looking at its output.
_NAME_BY_OUTPUT = {"LR": {"labeljust": "r"}, "RL": {"labeljust": "l"},
                   "TB": {"labelloc": "b"}, "BT": {"labelloc": "t"}}


def _fields(rankdir: str, fields: list[str]) -> str:
    # A record's fields run across the rank direction, so LR stacks them as written and
    # TB needs braces. No blanks around '|': Graphviz keeps them after an escaped space.
    record = "|".join(fields)
    return record if rankdir in ("LR", "RL") else "{" + record + "}"


def _node(dot, tape: Tape, i: int, rankdir: str) -> None:
    """A value as the lecture draws it: label on top, data and grad stacked under it,
    narrow enough for a notebook column; its op as a small node feeding it."""
    fields = [escape_record(tape.labels[i])] if tape.labels[i] else []
    fields += [field("data", tape.data[i]), field("grad", tape.grad[i])]
    # nohtml: labels are text, never Graphviz's HTML-like '<...>' labels
    dot.node(f"n{i}", nohtml(_fields(rankdir, fields)), shape="record", id=f"n{i}")
    if tape.parents[i]:
        op = display(tape.ops[i], tape.args[i])
        shape = "circle" if len(op) <= 2 else "ellipse"
        dot.node(f"n{i}op", nohtml(escape_text(op)), id=f"n{i}op", shape=shape)
        dot.edge(f"n{i}op", f"n{i}")


def _box(dot, tape: Tape, boxes, i: int, rankdir: str) -> None:
    """A closed box: its name (and its output's label, if it has one: which point's neuron)
    and how many nodes it holds, then its output's data and grad."""
    label = tape.labels[i] if boxes.is_scope(i) else ""
    name = escape_record(" ".join(filter(None, [boxes.name(i), label, f"({boxes.size[i]:,})"])))
    fields = [name, field("data", tape.data[i]), field("grad", tape.grad[i])]
    dot.node(f"n{i}", nohtml(_fields(rankdir, fields)), shape="record", id=f"n{i}", **{"class": "agw-box"})


def _layer(dot, tape: Tape, boxes, i: int, rankdir: str) -> None:
    """A closed layer box: its name, how many neurons and nodes, then the range of their
    outputs' data and grad."""
    outputs = boxes.outputs[i]
    name = escape_record(f"{boxes.name(i)}, {len(outputs)} neurons ({boxes.size[i]:,})")
    fields = [name, range_field("data", *span(tape.data[o] for o in outputs)),
              range_field("grad", *span(tape.grad[o] for o in outputs))]
    dot.node(f"n{i}", nohtml(_fields(rankdir, fields)), shape="record", id=f"n{i}",
             **{"class": "agw-box agw-layer"})
