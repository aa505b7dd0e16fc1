"""The widget outside Jupyter, in a page of our own: is the drawing's height sane where the
viewport is not a browser window?

The drawing's scroll box is sized from the viewport (widget-base.css, `.agw-drawing`). That is
right in JupyterLab, whose page is the window, but not in the hosts whose outputs live in
iframes:

- Colab renders each output in its own iframe that starts small and is then resized, by
  the parent page, to its content's height, again whenever that changes. A height in vh
  there is a share of a frame sized to its content: a feedback loop. What we assume (Colab
  itself cannot run here): the frame starts 150 px tall; each round the parent sets it to
  the content's height (the <html> element's box, which does not stretch to the viewport).
- VS Code renders outputs in one webview far taller than the window (the issue
  microsoft/vscode-jupyter#13407 reports a ~14,000 px tall frame): there a vh is huge.

No Jupyter here: a static page imports the bundle (src/autograd_widget/static, or the
directory $AUTOGRAD_WIDGET_STATIC names, to measure a bundle built elsewhere) as an ES
module and calls its anywidget `render({model, el})` with a small model of its own. The
model holds a real GraphWidget's traits, built in this process: the lecture's neuron, and a
chain of neurons drawn top to bottom, taller than any box. Binary traits (the tape's columns)
reach the page as DataViews at the same paths, as ipywidgets delivers them. Nothing is sent
anywhere: the view only draws.

Readable: a node's text at least 10 CSS px tall on screen (its font size times its SVG's
scale, getScreenCTM), as drawn at first paint, without pressing anything.
"""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

import graphs
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from autograd_widget import Value
from autograd_widget.widget import GraphWidget

from .lab import save_artifacts

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
STATIC = Path(os.environ.get("AUTOGRAD_WIDGET_STATIC") or ROOT / "src" / "autograd_widget" / "static")
ORIGIN = "http://agw.test"  # served by page.route: no server, no network
TRAITS = ["tape", "svg", "sliders", "kernel_state", "message", "rankdir", "boxes", "notice"]

COLAB_START_PX = 150  # assumed: Colab's output frame before its first resize
ROUNDS = 12  # resize rounds allowed before the frame must have stopped changing
MIN_TEXT_PX = 10
# widget-base.css: `.agw-drawing { max-height: clamp(320px, 70vh, 800px) }`
FLOOR_PX = 320  # the drawing box may be this tall whatever the viewport (a 150 px frame: 105 px)
CEILING_PX = 800  # and never taller (a 14,000 px webview: 9,800 px)


def neuron() -> GraphWidget:
    """The lecture's neuron, o = tanh(x1*w1 + x2*w2 + b), every node labelled as the notebook tests do."""
    v = graphs.neuron(backward=True)
    for name in ("x1w1", "x2w2", "x1w1x2w2", "n"):
        v[name].label = name
    return GraphWidget(v["o"])


def chain(depth: int = 10) -> GraphWidget:
    """A drawing far taller than wide: ``depth`` neurons of one input each, top to bottom."""
    x = Value(0.5, label="x")
    for i in range(depth):
        x = (x * Value(0.9, label=f"w{i}")).tanh()
    x.backward()
    return GraphWidget(x, rankdir="TB")


def wire_state(widget: GraphWidget) -> str:
    """The traits the view reads, as JSON: bytes split out as ipywidgets does, base64 here."""
    state, paths, buffers = _remove_buffers(widget.get_state(TRAITS))
    return json.dumps({"state": state, "buffers": [[p, base64.b64encode(bytes(b)).decode()]
                                                   for p, b in zip(paths, buffers, strict=True)]})


# The view's page: the bundle's CSS as anywidget injects it, and a model with what the view
# uses of anywidget's (Backbone-like) model: get, on, off, send; set and save_changes for completeness.
INNER = """<!doctype html>
<html><head><meta charset="utf-8"><link rel="stylesheet" href="/widget.css">
<style>body { margin: 0; padding: 4px 8px; font: 13px sans-serif; }</style></head>
<body><div id="out"></div>
<script type="module">
import widget from "/widget.js";
const { state, buffers } = await (await fetch(`/${location.hash.slice(1) || "neuron"}.json`)).json();
for (const [path, b64] of buffers) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  let obj = state;
  for (const key of path.slice(0, -1)) obj = obj[key];
  obj[path[path.length - 1]] = new DataView(bytes.buffer);
}
const handlers = new Map();
const model = {
  get: (key) => state[key],
  set: (key, value) => { state[key] = value; for (const f of handlers.get(`change:${key}`) ?? []) f(); },
  save_changes() {},
  send: (msg) => (window.agwSent ??= []).push(msg),
  on: (event, f) => { if (!handlers.has(event)) handlers.set(event, new Set()); handlers.get(event).add(f); },
  off: (event, f) => handlers.get(event)?.delete(f),
};
widget.render({ model, el: document.getElementById("out") });
window.agwReady = true;
</script></body></html>"""

# A notebook-ish parent page with one output frame (Colab: a frame per output).
OUTER = """<!doctype html>
<html><head><meta charset="utf-8"><style>body { margin: 0; } p { margin: 8px; }</style></head>
<body><p>In [1]: GraphWidget(o)</p>
<iframe id="output" src="/inner.html#__WHICH__"
  style="display: block; width: 100%; height: __HEIGHT__px; border: 0"></iframe>
<p>In [2]:</p></body></html>"""

# What one view looks like now, from inside its document.
GEOMETRY = """() => {
  const fig = document.querySelector('.agw-drawing');
  const f = fig.getBoundingClientRect();
  const box = {x: f.left, y: f.top, r: f.left + fig.clientWidth, b: f.top + fig.clientHeight};
  const nodes = [...fig.querySelectorAll('g.node')].map(g => {
    const r = g.getBoundingClientRect();
    return {id: g.id, x: r.left, y: r.top, r: r.right, b: r.bottom};
  });
  const text = [...fig.querySelectorAll('g.node text')].map(t =>
    t.getScreenCTM().a * parseFloat(getComputedStyle(t).fontSize));
  const outside = nodes.filter(n => n.x < box.x - 1 || n.r > box.r + 1 || n.y < box.y - 1 || n.b > box.b + 1)
    .map(n => n.id);
  const out = fig.querySelector('g.node.output')?.getBoundingClientRect();
  const outputInView = Boolean(out) && out.left >= box.x - 1 && out.right <= box.r + 1
    && out.top >= box.y - 1 && out.bottom <= box.b + 1;
  return {drawing: Math.round(f.height), viewport: window.innerHeight, minText: Math.min(...text),
          zoom: document.querySelector('.agw-zoom')?.textContent, outside, outputInView,
          canvas: Math.round(fig.querySelector('.agw-canvas').getBoundingClientRect().height),
          maxHeight: getComputedStyle(fig).maxHeight,
          content: Math.ceil(document.documentElement.getBoundingClientRect().height)};
}"""

# The parent's side of Colab's auto-height: each round, after the view has had a few frames to
# lay out (ResizeObserver → zoom), set the frame to its content's height; stop when they agree.
AUTO_HEIGHT = """async ([rounds, geometry]) => {
  const frame = document.getElementById('output');
  const win = frame.contentWindow;
  const frames = (n) => new Promise((done) => {
    const step = (k) => (k ? win.requestAnimationFrame(() => step(k - 1)) : done());
    step(n);
  });
  const history = [];
  for (let i = 0; i <= rounds; i++) {
    await frames(3);
    await new Promise((r) => setTimeout(r, 30));
    const g = win.eval(`(${geometry})()`);
    history.push({frame: frame.clientHeight, ...g});
    if (g.content === frame.clientHeight) break;
    frame.style.height = `${g.content}px`;
  }
  return history;
}"""


@pytest.fixture(scope="module")
def served() -> dict[str, tuple[str, bytes]]:
    """Path → (content type, body) for the routes."""
    js, css = STATIC / "widget.js", STATIC / "widget.css"
    assert js.is_file() and css.is_file(), f"no bundle in {STATIC}: run `npm run build`"
    return {
        "/widget.js": ("text/javascript", js.read_bytes()),
        "/widget.css": ("text/css", css.read_bytes()),
        "/neuron.json": ("application/json", wire_state(neuron()).encode()),
        "/chain.json": ("application/json", wire_state(chain()).encode()),
        "/inner.html": ("text/html", INNER.encode()),
    }


@pytest.fixture
def open_page(browser, served, request):
    """``open_page(path, viewport, outer_height=None) -> page``: a fresh context serving the routes;
    ``outer_height`` puts the view in the parent page's frame of that height. On failure, a
    screenshot and the console go to test-artifacts/."""
    contexts, pages, console = [], [], []

    def open_(path: str, viewport: dict, outer_height: int | None = None, which: str = "neuron"):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        routes = dict(served)
        if outer_height is not None:
            outer = OUTER.replace("__HEIGHT__", str(outer_height)).replace("__WHICH__", which)
            routes["/outer.html"] = ("text/html", outer.encode())

        def fulfil(route):
            p = route.request.url.removeprefix(ORIGIN).split("?")[0]
            if p in routes:
                kind, body = routes[p]
                route.fulfill(status=200, content_type=kind, body=body)
            else:
                route.fulfill(status=404, body=b"")

        context.route(f"{ORIGIN}/**", fulfil)
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        pg.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
        pg.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
        pages.append(pg)
        pg.goto(f"{ORIGIN}{path}")
        framed = outer_height is not None
        ready = "document.getElementById('output').contentWindow?.agwReady" if framed else "window.agwReady"
        pg.wait_for_function(f"() => {ready} === true")
        (pg.frames[1] if framed else pg.main_frame).wait_for_selector("svg g.node.output", state="attached")
        return pg

    try:
        yield open_
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed and pages:
            stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            save_artifacts(pages[-1], request.config.rootpath / "test-artifacts", stem, console)
        for c in contexts:
            c.close()


def top_level(open_page, which: str) -> dict:
    """The view as the page itself, in a 1280×800 window (JupyterLab's case)."""
    pg = open_page(f"/inner.html#{which}", {"width": 1280, "height": 800})
    return settled(pg)


def auto_sized(open_page, which: str, start: int = COLAB_START_PX) -> tuple[list[dict], list[dict]]:
    """Colab's case: the rounds of resizing until the frame fits its content, then, after a
    pause, the rounds again (one, if nothing changed meanwhile)."""
    pg = open_page("/outer.html", {"width": 1280, "height": 800}, outer_height=start, which=which)
    rounds = pg.evaluate(AUTO_HEIGHT, [ROUNDS, GEOMETRY])
    pg.wait_for_timeout(500)
    return rounds, pg.evaluate(AUTO_HEIGHT, [ROUNDS, GEOMETRY])


def tall_webview(open_page, which: str, height: int = 14_000) -> dict:
    """VS Code's case: the view in a frame far taller than the window."""
    pg = open_page("/outer.html", {"width": 1280, "height": 800}, outer_height=height, which=which)
    return settled(pg.frames[1])


def settled(frame, tries: int = 50) -> dict:
    """The geometry once two reads a frame apart agree: the first layout and fit have run."""
    last = frame.evaluate(GEOMETRY)
    for _ in range(tries):
        frame.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        now = frame.evaluate(GEOMETRY)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the view kept changing: {last}")


def summary(rounds: list[dict]) -> str:
    return "; ".join(f"frame {r['frame']} → drawing {r['drawing']} at {r['zoom']}" for r in rounds)


def test_in_a_window_the_drawing_follows_the_window(open_page):
    """The reference: 1280×800, the neuron whole at 100%; the tall chain in 70vh (560 px)."""
    neuron_ = top_level(open_page, "neuron")
    assert neuron_["maxHeight"] == "560px", "70vh of an 800 px window"
    assert neuron_["zoom"] == "100%" and neuron_["outside"] == [], neuron_
    assert neuron_["drawing"] == neuron_["canvas"], "the box wraps the whole drawing"
    assert neuron_["minText"] >= 14, neuron_
    chain_ = top_level(open_page, "chain")
    assert chain_["drawing"] == 560 and chain_["outputInView"], chain_


def test_in_a_frame_sized_to_its_content_the_neuron_settles_readable(open_page):
    """Colab's case for the lecture's neuron: the frame stops growing within a few rounds, and
    the drawing it settles at is readable and whole. With `max-height: 70vh` alone the zoom
    was chosen for the 150 px frame (a 105 px box): 61%, 9 px text."""
    rounds, later = auto_sized(open_page, "neuron")
    last = rounds[-1]
    assert last["content"] == last["frame"] and len(rounds) <= ROUNDS, f"still resizing: {summary(rounds)}"
    assert len(later) == 1 and later[0]["drawing"] == last["drawing"], f"not settled: {summary(later)}"
    assert FLOOR_PX <= last["drawing"] <= CEILING_PX, summary(rounds)
    assert last["minText"] >= MIN_TEXT_PX, f"text {last['minText']:.1f} px: {summary(rounds)}"
    assert last["outside"] == [], f"nodes outside the drawing box: {last['outside']}"


def test_in_a_frame_sized_to_its_content_a_tall_drawing_does_not_creep(open_page):
    """Colab's case for a drawing taller than any box: 70vh of a frame sized to its content is a
    feedback loop. With `max-height: 70vh` alone the frame grew every round (150 → 578 → 878 →
    … → 1564 px after 12 rounds, still growing); the ceiling stops it."""
    rounds, later = auto_sized(open_page, "chain")
    last = rounds[-1]
    assert last["content"] == last["frame"] and len(rounds) <= ROUNDS, f"still resizing: {summary(rounds)}"
    assert len(later) == 1 and later[0]["drawing"] == last["drawing"], f"not settled: {summary(later)}"
    heights = [r["frame"] for r in rounds]
    assert heights == sorted(heights), f"the frame went up and down: {heights}"
    assert last["drawing"] <= CEILING_PX, summary(rounds)
    assert last["outputInView"], "the output node is in view, as zoom.js opens a drawing too big to fit"
    assert last["minText"] >= 0.98 * 9, f"text {last['minText']:.1f} px (zoom.js's readable minimum is 9)"


def test_in_a_webview_taller_than_the_window_the_drawing_is_capped(open_page):
    """VS Code's case: one webview thousands of px tall, so 70vh is thousands of px. With
    `max-height: 70vh` alone the chain's box was 3,536 px tall (the whole drawing at 100%)."""
    g = tall_webview(open_page, "chain")
    assert FLOOR_PX <= g["drawing"] <= CEILING_PX, g
    assert g["maxHeight"].endswith("px"), "zoom.js fits to the computed max-height: it must come out in px"
    assert g["outputInView"] and g["minText"] >= 0.98 * 9, g
    n = tall_webview(open_page, "neuron")
    assert n["zoom"] == "100%" and n["outside"] == [], "a drawing lower than the ceiling: whole, at 100%"
