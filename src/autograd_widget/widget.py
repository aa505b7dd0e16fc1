"""GraphWidget: the graph drawn live, with a slider on every leaf (anywidget).

The kernel lays the graph out once (Graphviz in WASM) and sends the SVG with the tape.
While a slider moves, the browser replays forward and backward over the tape and patches
the drawing; it sends leaf values here (debounced, and on release), and the kernel
writes them into the real objects, replays, and answers with ``kernel_state`` — the
numbers the browser uses for ops it does not know and to confirm its own.
"""

from __future__ import annotations

import math
from pathlib import Path

import anywidget
import traitlets

from .drawing import to_dot
from .layout import render_svg
from .tape import Tape, json_number

DEFAULT_STEP = 0.01
STATIC = Path(__file__).parent / "static"

if not (STATIC / "widget.js").is_file():
    raise ImportError(
        f"autograd_widget's frontend bundle is missing ({STATIC / 'widget.js'}). Build it with "
        "`npm ci && npm run build` in the source tree, or reinstall with `pip install -e .`."
    )


def default_range(x: float) -> tuple[float, float]:
    """A slider range holding x with room on both sides: [-5, 5] around small values,
    else twice the magnitude either way."""
    if not math.isfinite(x):
        return (-5.0, 5.0)
    span = max(5.0, 2 * abs(x))
    return (-span, span) if abs(x) < 5 else (x - span, x + span)


class GraphWidget(anywidget.AnyWidget):
    """``GraphWidget(root, ranges={"a": (-5, 5)}, step=0.01, rankdir="LR", sliders=None)``

    ``sliders``: labels (or nodes) of the leaves that get a slider; default every
    labelled leaf. ``ranges``: (lo, hi) per leaf label (or node), or one (lo, hi) for
    all; by default a range around each value with room on both sides. ``set_leaf(label_or_value, x)``
    moves a leaf exactly as its slider would.
    """

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    tape = traitlets.Dict().tag(sync=True)
    svg = traitlets.Unicode().tag(sync=True)
    sliders = traitlets.List().tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    kernel_state = traitlets.Dict().tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)
    rankdir = traitlets.Unicode("LR").tag(sync=True)

    def __init__(self, root, ranges=None, step: float = DEFAULT_STEP, rankdir: str = "LR",
                 sliders=None, **kwargs):
        self._tape = Tape(root)
        self._tape.replay()
        tape = self._tape
        leaves = [tape.id_of(s) for s in sliders] if sliders is not None else [
            i for i in tape.leaves if tape.labels[i]
        ]
        for i in leaves:
            if tape.parents[i]:
                raise ValueError(f"{tape.labels[i] or i!r} is not a leaf: only leaves get sliders")
        if isinstance(ranges, tuple):  # one (lo, hi) for every slider
            ranges = dict.fromkeys(leaves, ranges)
        ranges = {tape.id_of(k): v for k, v in (ranges or {}).items()}
        specs = []
        for i in leaves:
            lo, hi = ranges.get(i, default_range(tape.data[i]))
            if not lo < hi:
                raise ValueError(f"range for {tape.labels[i]!r} must have lo < hi, got ({lo}, {hi})")
            specs.append({"id": i, "label": tape.labels[i] or f"node {i}", "min": lo, "max": hi, "step": step})
        svg = render_svg(to_dot(tape, rankdir=rankdir).source)
        super().__init__(
            tape=tape.to_json(), svg=svg, sliders=specs, rankdir=rankdir,
            values={str(i): json_number(tape.data[i]) for i in leaves},
            message=self._unknown_message(), **kwargs,
        )
        self._publish()

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, plus the static drawing for places no widget runs
        (GitHub, nbviewer) and the repr for terminals."""
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["image/svg+xml"] = self.svg
        data["text/plain"] = repr(self.root)
        return data, metadata

    @property
    def root(self):
        return self._tape.nodes[self._tape.root]

    @property
    def leaves(self) -> list:
        """The leaf objects that have sliders, in slider order."""
        return [self._tape.nodes[s["id"]] for s in self.sliders]

    def set_leaf(self, key, x: float) -> None:
        """Move a leaf (by label or object) exactly as dragging its slider would."""
        i = self._tape.id_of(key)
        if str(i) not in self.values:
            raise KeyError(f"{self._tape.labels[i] or i!r} has no slider")
        self.values = {**self.values, str(i): json_number(float(x))}

    @traitlets.observe("values")
    def _on_values(self, change) -> None:
        self._tape.replay({int(k): float(v) for k, v in change["new"].items()})
        self._publish()

    def _publish(self) -> None:
        t = self._tape
        self.kernel_state = {
            "values": dict(self.values),
            "data": [json_number(x) for x in t.data],
            "grad": [json_number(x) for x in t.grad],
            "stale_data": list(t.stale_data),
            "stale_grad": list(t.stale_grad),
        }

    def _unknown_message(self) -> str:
        ops = self._tape.unknown_ops
        if not ops:
            return ""
        names = ", ".join(repr(o) for o in ops)
        return f"No rule for op {names}: nodes computed by it are shown stale (greyed) once a slider upstream moves."


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def value_mimebundle(value, include=None, exclude=None):
    """Rich display of a Value: its GraphWidget (with the static SVG beside it) in a
    kernel; just the repr in a terminal, where no widget or picture can show. A graph
    that cannot be drawn (too large, a cycle) gets its repr and a one-line reason."""
    wanted = {WIDGET_MIME, "image/svg+xml"}
    if include is not None:
        wanted &= set(include)
    wanted -= set(exclude or ())
    if not wanted or not _in_kernel():
        return {"text/plain": repr(value)}
    try:
        return GraphWidget(value)._repr_mimebundle_()
    except ValueError as exc:
        return {"text/plain": f"{value!r}\n(graph not drawn: {exc})"}


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
