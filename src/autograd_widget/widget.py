"""GraphWidget: the graph drawn live, with a slider on every leaf (anywidget).

The kernel lays the graph out once (Graphviz in WASM) and sends the SVG with the tape.
While a slider moves, the browser replays forward and backward over the tape and patches
the drawing; it sends the moved leaves here (debounced, and on release) as numbered
messages (protocol.py). The kernel writes them into the real objects — replaying from
what the objects hold *now* — and answers with ``kernel_state``: every node's numbers as
the objects hold them, naming the message it answers.

The objects are the truth (design decision 8): building or showing a widget writes
nothing into them; moving a leaf writes what was recomputed; every other live widget over
the same objects then redraws from them (live.py).
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import anywidget
import traitlets

from . import cells, live, marimo_cells, protocol, wire
from .boxes import COLLAPSE_ABOVE, MAX_NODES, OPEN_BUDGET, Boxes, View
from .callers import caller_names
from .drawing import MAX_DRAWN_NODES
from .layout import LayoutError
from .naming import first_names
from .orient import lay_out
from .picture import Picture
from .sliders import DEFAULT_STEP, find_leaf, slider_specs
from .tape import Tape, TooLarge

MAX_NEW_SLIDERS = 40  # opening a box offers sliders for at most this many of the leaves it shows
MAX_START_SLIDERS = 50  # more leaves with default sliders: a boxed graph's drawn ones only, an unnamed graph's first

__all__ = ["DEFAULT_STEP", "GraphWidget"]

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CLOSED = ("this GraphWidget was closed (by close(), or when the cell that made it ran again); "
          "make a new one to show the graph again")

if not (STATIC / "widget.js").is_file():
    raise ImportError(
        f"autograd_widget's frontend bundle is missing ({STATIC / 'widget.js'}). Build it with "
        "`npm ci && npm run build` in the source tree, or reinstall with `pip install -e .`."
    )
# Read once, as text: given a Path, anywidget watches the file and holds every widget forever.
BUNDLE = (STATIC / "widget.js").read_text(encoding="utf-8")
STYLES = (STATIC / "widget.css").read_text(encoding="utf-8")


class GraphWidget(anywidget.AnyWidget):
    """``GraphWidget(root, ranges={"a": (-5, 5)}, step=0.01, rankdir=None, sliders=None, collapse_above=150)``

    Draws what the objects hold — data and grad, hand-set or accumulated grads included —
    and writes nothing until a leaf moves. A node with no label is named after the caller's
    variable bound to it (as ``%%autograd`` does, but in the drawing only: the objects keep
    their labels). ``sliders``: labels (or nodes) of the leaves that get a slider; default
    every labelled leaf, or every leaf when none is (on a graph drawn in boxes with more
    than 50, those drawn; the rest on request: "Find parameter", opening a box). ``order``: leaves or
    labels in the order their sliders come (default: the order the leaves were made).
    ``ranges``: one (lo, hi) for all, or a dict label/node -> (lo, hi); by default a range
    around each value. ``rankdir``: "LR" or
    "TB"; by default whichever fits a notebook column at a readable size (orient.py).
    ``collapse_above``: a graph of more nodes is drawn in boxes that open on a click
    (boxes.py); None never. ``set_leaf(leaf, x)`` moves a leaf exactly as its slider would;
    ``expand(box)``/``collapse(box)`` open and close a box as a click does. ``close()`` lets
    the widget and its graph go. ``root`` may also be a Tape.
    """

    _esm = BUNDLE
    _css = STYLES

    tape = traitlets.Dict().tag(sync=True)
    svg = traitlets.Unicode().tag(sync=True)
    sliders = traitlets.List().tag(sync=True)
    kernel_state = traitlets.Dict().tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    rankdir = traitlets.Unicode("LR").tag(sync=True)
    boxes = traitlets.List().tag(sync=True)  # the boxes drawn: id (output node), name, size, expanded
    notice = traitlets.Unicode("").tag(sync=True)  # one line on how the graph is drawn, or why not so

    def __init__(self, root, ranges=None, step: float = DEFAULT_STEP, rankdir: str | None = None,
                 sliders=None, collapse_above: int | None = COLLAPSE_ABOVE, order=None, **kwargs):
        collapse_above = _check_threshold(collapse_above)
        if isinstance(root, Tape):
            tape = root
            if len(tape) > MAX_NODES:
                raise TooLarge(MAX_NODES)
        else:  # refuses a huge graph before reading it
            names = first_names(caller_names())  # unlabelled leaves take the caller's variable names
            tape = Tape(root, limit=MAX_DRAWN_NODES if collapse_above is None else MAX_NODES, names=names)
        self._tape = tape
        self._boxes = None if collapse_above is None or len(tape) <= collapse_above else Boxes(tape)
        self._expanded = self._boxes.first_view(collapse_above) if self._boxes else set()
        self._framed: set[int] = set()  # the boxes a person opened: drawn in a frame they can close
        self._offered: dict[int, list[int]] = {}  # box -> the sliders opening it offered
        self._kept: set[int] = set()  # leaves whose sliders stay: moved, or asked for
        self._view = View(self._boxes, self._expanded) if self._boxes else None
        chosen = slider_specs(tape, sliders=sliders, ranges=ranges, step=step, order=order)
        # every labelled leaf can get a slider later (Find parameter, opening a box)
        self._specs = {s["id"]: s for s in [*slider_specs(tape, ranges=ranges, step=step), *chosen]}
        shown = {s["id"] for s in chosen}
        if sliders is None and len(chosen) > MAX_START_SLIDERS:  # the rest on demand (Find parameter)
            if self._view is not None:
                shown &= set(self._view.drawn)  # a big model's parameters
            elif not any(tape.labels[i] for i in tape.leaves):  # no names: a slider per leaf, up to the cap
                shown = {s["id"] for s in chosen[:MAX_START_SLIDERS]}
        rankdir, svg = lay_out(tape, rankdir, self._view)
        self._picture = Picture(svg, self._view.layers() if self._view else None)
        self._display_id = f"autograd-widget-{uuid.uuid4().hex}"
        self._shown = False  # a picture output exists that update_display can reach
        self._trouble = ""  # why the objects could not be read at the last redraw, said once
        self._born = cells.current_run()  # only the run that made a widget replaces it on a re-run
        super().__init__(tape=wire.tape_state(tape), svg=self._picture_svg(), rankdir=rankdir,
                         sliders=[s for s in chosen if s["id"] in shown],
                         boxes=self._view.box_specs() if self._view else [], notice=self._summary(),
                         message=_unknown_message(tape), **kwargs)
        self._publish()
        self.on_msg(self._on_view_message)
        live.watch(tape, self._refresh, self._follow)
        marimo_cells.close_with_cell(self)  # in marimo, a widget lives as long as its cell's run

    # -- what the objects hold, out to every view ---------------------------------------

    def _publish(self, answers: dict | None = None, rejected: str = "") -> None:
        self.kernel_state = {"answers": answers, "rejected": rejected, **wire.numbers(self._tape)}

    def _refresh(self, final: bool = True) -> None:
        """A cell ran and may have changed the objects: draw what they hold now."""
        self._redraw(final, follow=False)

    def _follow(self, final: bool) -> None:
        """Another view moved leaves this graph shares: recompute what depends on them."""
        self._redraw(final, follow=True)

    def _redraw(self, final: bool, follow: bool) -> None:
        if self._tape is None:
            return
        try:
            changed = self._tape.refresh(follow)
        except Exception as exc:  # the learner's objects can raise anything (a str in .data, a property)
            if str(exc) != self._trouble:  # say it once, not after every cell
                log.warning("autograd-widget: could not redraw a widget from its objects: %s", exc)
            self._trouble = str(exc)
            return
        self._trouble = ""
        if changed:
            self._publish()
            if final:
                self._update_picture()

    def _move(self, values: dict, final: bool = True) -> None:
        """Replay from the objects as they are, with these leaves moved; tell every other view."""
        self._kept.update(values)  # a slider that moved a leaf stays when its box closes
        self._tape.replay(values)
        live.changed(self._tape.nodes, source=self._tape, final=final)
        if final:
            self._update_picture()

    # -- messages from the views ---------------------------------------------------------

    def _on_view_message(self, _widget, content, _buffers) -> None:
        if self._tape is None:
            return
        try:
            msg = protocol.parse(content, {s["id"] for s in self.sliders})
            if isinstance(msg, protocol.Leaves):
                self._move(msg.values, final=msg.final)
            elif isinstance(msg, (protocol.Expand, protocol.AddSlider)):
                self._on_box_message(msg)
                return
        except protocol.BadMessage as exc:
            log.warning("autograd-widget: ignored a message from the front end: %s", exc)
            self._publish(answers=protocol.sender(content), rejected=str(exc))
            return
        except Exception as exc:  # the objects themselves: a str in .data, a property that raises
            log.warning("autograd-widget: could not replay the graph: %s", exc)
            self._publish(answers=protocol.sender(content), rejected=f"could not replay the graph: {exc}")
            return
        self._publish(answers={"view": msg.view, "seq": msg.seq})

    def _on_box_message(self, msg) -> None:
        """Open or close a box, or add a slider; what makes no sense is said in ``notice``."""
        try:
            if isinstance(msg, protocol.AddSlider):
                self.add_slider(msg.id)
            elif msg.open:
                self.expand(msg.id)
            else:
                self.collapse(msg.id)
        except (KeyError, ValueError, LayoutError) as exc:
            log.warning("autograd-widget: ignored a message from the front end: %s", exc)
            self.notice = str(exc).strip("'\"")

    def set_state(self, sync_data) -> None:
        """The views set no trait of this widget: they send messages. A state update from a
        front end is logged and dropped, so nothing unchecked is ever stored."""
        log.warning("autograd-widget: ignored a state update from the front end for %s", sorted(sync_data))

    # -- the Python API ------------------------------------------------------------------

    @property
    def root(self):
        return self._graph().nodes[self._tape.root]

    @property
    def leaves(self) -> list:
        """The leaf objects that have sliders, in slider order."""
        return [self._graph().nodes[s["id"]] for s in self.sliders]

    def set_leaf(self, key, x) -> None:
        """Move a leaf (by object, label or slider name) exactly as dragging its slider would."""
        tape = self._graph()
        i = find_leaf(tape, self.sliders, key)
        if i not in {s["id"] for s in self.sliders}:
            raise KeyError(f"{tape.labels[i] or i!r} has no slider")
        if not protocol.is_number(x):
            raise TypeError(f"set_leaf needs a number, got {x!r}")
        self._move({i: x})
        self._publish()

    # -- boxes ------------------------------------------------------------------------------

    def expand(self, box) -> None:
        """Open a closed box (its name, or its output node: id, object or label), as a click does;
        the plain boxes inside it open too while that adds at most OPEN_BUDGET nodes."""
        b = self._box(box, closed=True)
        self._offered[b] = self._relayout(self._boxes.open_inside(b, self._expanded, OPEN_BUDGET), self._framed | {b})

    def collapse(self, box) -> None:
        """Close an open box and every box inside it. The sliders opening them offered go
        too, but for those of leaves moved, asked for (Find parameter) or still drawn."""
        b = self._box(box, closed=False)
        expanded = self._boxes.close(b, self._expanded)
        offered = {i for c in self._expanded - expanded for i in self._offered.pop(c, ())}
        self._relayout(expanded, {f for f in self._framed if f in expanded}, withdraw=offered - self._kept)

    def _box(self, key, closed: bool) -> int:
        tape = self._graph()
        if self._view is None:
            raise ValueError("this graph is drawn whole: it has no boxes to open or close")
        candidates = self._view.closed if closed else self._view.framed
        named = [c for c in candidates if isinstance(key, str) and self._boxes.name(c) == key]
        if len(named) > 1:
            raise KeyError(f"{key!r} names {len(named)} boxes (ids {', '.join(map(str, sorted(named)))}); "
                           "pass the id or the node to say which")
        if named:
            return named[0]
        b = key if isinstance(key, int) and not isinstance(key, bool) else tape.id_of(key)
        if b not in candidates:
            state = "a closed box" if closed else "an open box"
            raise KeyError(f"node {tape.labels[b] if 0 <= b < len(tape) and tape.labels[b] else b} "
                           f"is not {state} of this drawing")
        return b

    def _relayout(self, expanded: set[int], framed: set[int], withdraw: set[int] = frozenset()) -> list[int]:
        """Lay out the boxes as they now are (only what is drawn: a few hundred nodes at most),
        in the direction the widget was first drawn, offer sliders for the leaves that came
        into view and take back those in ``withdraw`` that left it. Returns the leaves offered.
        A drawing over MAX_DRAWN_NODES is refused: the old one stays."""
        view = View(self._boxes, expanded, framed)
        if len(view) > MAX_DRAWN_NODES:
            raise ValueError(f"opening that would draw {len(view):,} nodes, more than {MAX_DRAWN_NODES:,}; "
                             "open a smaller box inside it instead")
        _, svg = lay_out(self._tape, self.rankdir, view)
        before = set(self._view.drawn)
        self._view, self._expanded, self._framed = view, view.expanded, framed
        self._picture = Picture(svg, view.layers())
        new = [i for i in view.drawn if i not in before and i in self._specs]
        have = {s["id"] for s in self.sliders}
        added = [self._specs[i] for i in new if i not in have][:MAX_NEW_SLIDERS]
        gone = set(withdraw) - set(view.drawn)
        with self.hold_sync():
            self.svg = self._picture_svg()
            self.boxes = view.box_specs()
            if added or gone & have:
                self.sliders = [*(s for s in self.sliders if s["id"] not in gone), *added]
            self.notice = self._summary()
        self._update_picture()
        return [s["id"] for s in added]

    def add_slider(self, leaf) -> None:
        """Give a leaf (id, object or label) a slider, as "Find parameter" does."""
        tape = self._graph()
        i = leaf if isinstance(leaf, int) and not isinstance(leaf, bool) else tape.leaf_id(leaf)
        if i not in self._specs:
            raise KeyError(f"node {i} is not a labelled leaf of this graph")
        self._kept.add(i)
        if i not in {s["id"] for s in self.sliders}:
            self.sliders = [*self.sliders, self._specs[i]]

    def _summary(self) -> str:
        if self._view is None:
            return ""
        shown = len(self._view.drawn)
        return (f"{len(self._tape):,} nodes, drawn as {shown:,}: each box is one value and the part of the "
                "graph only it uses. Click a box (or Tab to it, Enter) to open it; drag the background to pan; "
                "Find parameter gives any labelled leaf a slider.")

    def close(self) -> None:
        """Close the widget in every front end and let go of its graph."""
        if getattr(self, "_tape", None) is not None:  # ipywidgets also closes half-built widgets
            live.unwatch(self._tape)
        self._tape = self._picture = self._boxes = self._view = None
        layout = self._trait_values.get("layout")  # ipywidgets leaves a DOMWidget's own Layout widget open
        super().close()
        # A front end may keep a closed widget long after (marimo caches one per output it showed):
        # its synced copy of the graph goes too, quietly (no comm to send on; a learner's observer
        # of these traits must not run on a widget that is gone).
        self._trait_values.update(tape={}, svg="", kernel_state={}, sliders=[], boxes=[])
        self.__dict__.pop("_repr_mimebundle_", None)  # ipywidgets blanks it: ours says "closed" instead
        if layout is not None:
            layout.close()

    def _graph(self) -> Tape:
        if self._tape is None:
            raise RuntimeError(CLOSED)
        return self._tape

    # -- display ---------------------------------------------------------------------------

    def _ipython_display_(self, **kwargs) -> None:
        """Two outputs: the live widget, and its static picture for places no widget runs
        (GitHub, nbviewer, HTML export). The picture sits in a widget-view output with no
        model, which Jupyter front ends hide, and follows every release (display_id)."""
        from IPython.display import display

        if self._tape is None:
            display({"text/plain": CLOSED}, raw=True)
            return
        display(self._widget_bundle(), raw=True)
        display(self._picture_bundle(), raw=True, display_id=self._display_id)
        self._shown = True
        cells.displayed(self)

    def _repr_mimebundle_(self, **kwargs):
        """One bundle, for callers that are not IPython's display (marimo, say): widget,
        picture, text."""
        if self._tape is None:
            return {"text/plain": CLOSED}, {}
        return {**self._widget_bundle(), "image/svg+xml": self._picture_svg()}, {}

    def _widget_bundle(self) -> dict:
        data, _ = super()._repr_mimebundle_()
        return {**data, "text/plain": repr(self.root)}

    def _picture_bundle(self) -> dict:
        view = {**self._widget_bundle()[WIDGET_MIME], "model_id": ""}  # no model: front ends hide it
        return {WIDGET_MIME: view, "image/svg+xml": self._picture_svg()}

    def _picture_svg(self) -> str:
        return self._picture.render(self._tape.data, self._tape.grad)

    def _update_picture(self) -> None:
        if self._shown and self._tape is not None:
            from IPython.display import update_display

            update_display(self._picture_bundle(), raw=True, display_id=self._display_id)


def _check_threshold(n):
    if n is None:
        return None
    if not (protocol.is_number(n) and n == int(n) and n >= 1):
        raise ValueError(f"collapse_above must be a whole number of nodes >= 1, or None, got {n!r}")
    return int(n)


def _unknown_message(tape: Tape) -> str:
    ops = tape.unknown_ops
    if not ops:
        return ""
    names = ", ".join(repr(o) for o in ops)
    return f"No rule for op {names}: nodes computed by it are shown stale (greyed) once a slider upstream moves."
