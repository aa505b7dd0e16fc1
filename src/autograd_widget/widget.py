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

from . import cells, live, protocol
from .drawing import MAX_DRAWN_NODES
from .layout import LayoutError
from .orient import lay_out
from .picture import Picture
from .sliders import DEFAULT_STEP, find_leaf, slider_specs
from .tape import Tape, TooLarge, json_number

__all__ = ["DEFAULT_STEP", "GraphWidget", "show_value"]

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
    """``GraphWidget(root, ranges={"a": (-5, 5)}, step=0.01, rankdir=None, sliders=None)``

    Draws what the objects hold — data and grad, hand-set or accumulated grads included —
    and writes nothing until a leaf moves. ``sliders``: labels (or nodes) of the leaves that
    get a slider; default every labelled leaf. ``ranges``: one (lo, hi) for all, or a dict
    label/node -> (lo, hi); by default a range around each value. ``rankdir``: "LR" or "TB";
    by default whichever fits a notebook column at a readable size (orient.py). ``set_leaf(leaf, x)``
    moves a leaf exactly as its slider would. ``close()`` lets the widget and its graph go.
    """

    _esm = BUNDLE
    _css = STYLES

    tape = traitlets.Dict().tag(sync=True)
    svg = traitlets.Unicode().tag(sync=True)
    sliders = traitlets.List().tag(sync=True)
    kernel_state = traitlets.Dict().tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    rankdir = traitlets.Unicode("LR").tag(sync=True)

    def __init__(self, root, ranges=None, step: float = DEFAULT_STEP, rankdir: str | None = None,
                 sliders=None, **kwargs):
        tape = Tape(root, limit=MAX_DRAWN_NODES)  # refuses a huge graph before reading it
        specs = slider_specs(tape, sliders=sliders, ranges=ranges, step=step)
        rankdir, svg = lay_out(tape, rankdir)
        self._tape = tape
        self._picture = Picture(svg)
        self._display_id = f"autograd-widget-{uuid.uuid4().hex}"
        self._shown = False  # a picture output exists that update_display can reach
        self._trouble = ""  # why the objects could not be read at the last redraw, said once
        self._born = cells.current_run()  # only the run that made a widget replaces it on a re-run
        super().__init__(tape=tape.to_json(), svg=self._picture_svg(), sliders=specs, rankdir=rankdir,
                         message=_unknown_message(tape), **kwargs)
        self._publish()
        self.on_msg(self._on_view_message)
        live.watch(tape, self._refresh, self._follow)

    # -- what the objects hold, out to every view ---------------------------------------

    def _publish(self, answers: dict | None = None, rejected: str = "") -> None:
        t = self._tape
        self.kernel_state = {
            "answers": answers,
            "rejected": rejected,
            "data": [json_number(x) for x in t.data],
            "grad": [json_number(x) for x in t.grad],
            "stale_data": list(t.stale_data),
            "stale_grad": list(t.stale_grad),
        }

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
        except protocol.BadMessage as exc:
            log.warning("autograd-widget: ignored a message from the front end: %s", exc)
            self._publish(answers=protocol.sender(content), rejected=str(exc))
            return
        except Exception as exc:  # the objects themselves: a str in .data, a property that raises
            log.warning("autograd-widget: could not replay the graph: %s", exc)
            self._publish(answers=protocol.sender(content), rejected=f"could not replay the graph: {exc}")
            return
        self._publish(answers={"view": msg.view, "seq": msg.seq})

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

    def close(self) -> None:
        """Close the widget in every front end and let go of its graph."""
        if getattr(self, "_tape", None) is not None:  # ipywidgets also closes half-built widgets
            live.unwatch(self._tape)
        self._tape = self._picture = None
        layout = self._trait_values.get("layout")  # ipywidgets leaves a DOMWidget's own Layout widget open
        super().close()
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


def _unknown_message(tape: Tape) -> str:
    ops = tape.unknown_ops
    if not ops:
        return ""
    names = ", ".join(repr(o) for o in ops)
    return f"No rule for op {names}: nodes computed by it are shown stale (greyed) once a slider upstream moves."


def show_value(value) -> None:
    """How a Value displays itself: its live graph in a kernel, the repr elsewhere (a
    terminal has neither widgets nor pictures), and a one-line reason when a graph cannot
    be drawn (too large, a cycle, a layout failure)."""
    from IPython.display import display

    if not _in_kernel():
        display({"text/plain": repr(value)}, raw=True)
        return
    try:
        widget = GraphWidget(value)
    except (TooLarge, ValueError, TypeError, LayoutError) as exc:
        display({"text/plain": f"{value!r}\n(graph not drawn: {exc})"}, raw=True)
        return
    widget._ipython_display_()


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
