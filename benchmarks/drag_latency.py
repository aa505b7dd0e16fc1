"""Drag-to-patch latency of GraphWidget in a real JupyterLab + headless Chromium, against
what people do today: an ``ipywidgets.interact`` slider whose callback rebuilds the
expression and displays ``draw_dot`` again.

    python benchmarks/drag_latency.py [--samples 300] [--baseline-samples 20]

Widget: a real mouse drag of the slider (CDP mouse events, which Chromium delivers
aligned to frames, as it does a person's); "patched" is the slider's input event -> the
output node's data-value written (the frontend patches once per animation frame),
"painted" is input -> the end of the frame that shows it, and "pointer -> painted" counts
from the pointer event's own timestamp, so its wait for the frame counts too. Baseline: a
real ArrowRight on the interact slider; "inserted" is keydown -> the new drawing in the
output area (MutationObserver; JupyterLab shows SVG as an <img>), "painted" adds decoding
it and the frame that shows it. Also times the JS evaluator alone (forward + backward) on
a 10^5-node tape in node. Uses the e2e harness
(tests/e2e/lab.py); needs the package installed with its bundle built.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from lab import Lab, Notebook, chromium_path, launch_chromium  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

BUILD = """from autograd_widget import Value

def build(terms, w0=0.5):
    \"\"\"tanh of a balanced sum of a_i * w_i: 4 * terms nodes, every grad depends on w0.\"\"\"
    xs = []
    for i in range(terms):
        a = Value(0.01 * ((i % 7) - 3) + 0.001, label=f"a{i}")
        w = Value(w0 if i == 0 else 0.5, label=f"w{i}")
        xs.append(a * w)
    while len(xs) > 1:
        xs = [xs[i] + xs[i + 1] if i + 1 < len(xs) else xs[i] for i in range(0, len(xs), 2)]
    o = xs[0].tanh(); o.label = "o"
    o.backward()
    return o"""
# Drawn whole (no boxes): this measures a drag over every node drawn, as the baseline redraws them all.
WIDGET = """from autograd_widget.widget import GraphWidget
GraphWidget(build({terms}), ranges={{"w0": (-1.0, 1.0)}}, collapse_above=None)"""
BASELINE = """import ipywidgets as widgets
from IPython.display import display
from autograd_widget.drawing import draw_dot

def show(w0=0.5):
    display(draw_dot(build({terms}, w0)))

widgets.interact(show, w0=widgets.FloatSlider(value=0.5, min=-1.0, max=1.0, step=0.01));"""

# After the frame is rendered: a task posted from rAF runs once painting is done.
AFTER_PAINT = "() => new Promise(r => requestAnimationFrame(() => { const c = new MessageChannel(); " \
              "c.port1.onmessage = () => r(performance.now()); c.port2.postMessage(0); }))"
# Value nodes only: <g class="node" id="n{i}"> (op nodes "n{i}op" may carry data-* too).
VALUE_NODES = "[...document.querySelectorAll('svg g.node')].filter(g => /^n[0-9]+$/.test(g.id))"
# Timestamps in the page while a real mouse drags the slider: every `input` event on it
# (with the pointer event's own timestamp), every write of the output node's data-value
# (a MutationObserver: its callback runs right after the script that patched), and the end
# of every frame (a task posted from an animation frame callback runs after that frame is
# rendered). The w0 node's data-value is read at each patch, to check it is the latest input.
WIDGET_ARM = """([label, output]) => {
  const input = document.querySelector(`input[type="range"][aria-label="${label}"]`);
  const nodes = VALUE_NODES;
  const leaf = nodes.find(g => g.getAttribute('data-label') === label);
  const out = nodes.find(g => g.getAttribute('data-label') === output);
  const rec = window.__drag = {inputs: [], patches: [], frames: [], stop: false};
  let pointer = 0;
  window.addEventListener('pointermove', e => { pointer = e.timeStamp; }, {capture: true});
  window.addEventListener('input', e => {
    if (e.target === input) rec.inputs.push([performance.now(), pointer, Number(input.value)]);
  }, {capture: true});
  // a leaf not drawn (a big graph's hidden parameter): its slider's value stands in for its node's
  const value = () => Number(leaf ? leaf.getAttribute('data-value') : input.value);
  new MutationObserver(() => rec.patches.push([performance.now(), value()]))
    .observe(out, {attributes: true, attributeFilter: ['data-value']});
  const loop = () => {
    if (rec.stop) return;
    const c = new MessageChannel();
    c.port1.onmessage = () => rec.frames.push(performance.now());
    c.port2.postMessage(0);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}""".replace("VALUE_NODES", VALUE_NODES)
BASELINE_ARM = """() => {
  const out = document.querySelector('.widget-interact .widget-output');
  const shown = n => n.nodeType === 1 && (n.matches(SHOWN) ? n : n.querySelector(SHOWN));
  window.__sample = new Promise((resolve, reject) => {
    let t0 = null;
    document.addEventListener('keydown', () => { t0 = performance.now(); }, {capture: true, once: true});
    const seen = new MutationObserver(async muts => {
      const el = t0 === null ? null : muts.flatMap(m => [...m.addedNodes].map(shown)).find(Boolean);
      if (!el) return;
      const t1 = performance.now();
      seen.disconnect();
      // JupyterLab shows image/svg+xml as an <img>: on screen once decoded and painted
      if (el.tagName === 'IMG') await el.decode().catch(() => {});
      const t2 = await (AFTER_PAINT)();
      resolve({inserted: t1 - t0, painted: t2 - t0});
    });
    seen.observe(out, {childList: true, subtree: true});
    setTimeout(() => reject(new Error('no new drawing within 60 s')), 60000);
  });
}""".replace("AFTER_PAINT", AFTER_PAINT).replace("SHOWN", "'.jp-RenderedSVG img, .jp-RenderedSVG svg'")
# js/evaluator.js alone, in node: one setLeaf (forward + backward) per run on a tape from Python.
EVALUATOR = """
const [tapePath, evaluatorUrl, runs] = process.argv.slice(1);
const { readFileSync } = await import("node:fs");
const { Evaluator } = await import(evaluatorUrl);
// wire.tape_state, the tape as the browser gets it, its binary columns carried here as base64
const saved = JSON.parse(readFileSync(tapePath, "utf8"));
const tape = Object.fromEntries(Object.entries(saved).map(([k, v]) =>
  [k, saved.binary.includes(k) ? Buffer.from(v, "base64") : v]));
const ev = new Evaluator(tape);
const leaf = Number(Object.keys(tape.labels).find((id) => tape.labels[id] === "w0"));
const times = [];
for (let k = 0; k < 20 + Number(runs); k++) {
  const x = -1 + 2 * ((k * 0.6180339887) % 1);
  const t0 = performance.now();
  ev.setLeaf(leaf, x);
  const t1 = performance.now();
  if (ev.data[leaf] !== x || !Number.isFinite(ev.data[ev.root])) throw new Error("evaluator did not apply " + x);
  if (k >= 20) times.push(t1 - t0);
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.max(0, Math.ceil(p * times.length) - 1)];
const result = {nodes: tape.n, runs: times.length, p50: q(0.5), p95: q(0.95), node: process.version};
console.log(JSON.stringify(result));
"""

def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def stats(xs: list[float]) -> tuple[float, float]:
    return pct(xs, 0.50), pct(xs, 0.95)


def drag(page, slider, inputs: int) -> None:
    """Hold the thumb with the real mouse and sweep it between 10% and 90% of the track in
    3-px moves (CDP mouse events, which Chromium delivers aligned to frames, as a person's)
    until the slider has fired ``inputs`` input events; then release."""
    box = slider.bounding_box()
    lo, hi, v = (float(slider.evaluate(f"el => el.{k}")) for k in ("min", "max", "value"))
    thumb, y = 16, box["y"] + box["height"] / 2  # Chromium's default thumb width
    x_of = lambda f: box["x"] + thumb / 2 + f * (box["width"] - thumb)  # noqa: E731
    x, step = x_of((v - lo) / (hi - lo)), 3.0
    page.mouse.move(x, y)
    page.mouse.down()
    count = "() => window.__drag.inputs.length"
    while page.evaluate(count) < inputs:
        for _ in range(10):
            if not x_of(0.1) <= x + step <= x_of(0.9):
                step = -step
            x += step
            page.mouse.move(x, y)
    page.mouse.up()


def latencies(rec: dict) -> dict:
    """Per input event: to the patch that drew it, to the end of that frame, and from the
    pointer event itself (the OS/CDP time, so queueing counts) to that frame's end."""
    patched, painted, pointer, stale = [], [], [], 0
    patches, frames = rec["patches"], rec["frames"]
    for t_in, t_pointer, value in rec["inputs"]:
        k = next((k for k, p in enumerate(patches) if p[0] >= t_in), None)
        if k is None:
            raise AssertionError(f"input at {t_in:.1f} ms was never drawn")
        t_patch = patches[k][0]
        later = [i for i in rec["inputs"] if t_in < i[0] <= t_patch]
        if not later and patches[k][1] != value:  # the latest input before the patch must be what it drew
            stale += 1
        t_frame = next((t for t in frames if t >= t_patch), None)
        if t_frame is None:
            raise AssertionError(f"no frame after the patch at {t_patch:.1f} ms")
        patched.append(t_patch - t_in)
        painted.append(t_frame - t_in)
        pointer.append(t_frame - t_pointer)
    if stale:
        raise AssertionError(f"{stale} patches did not draw the latest input")
    return {"patched": patched, "painted": painted, "pointer": pointer}


def widget_case(page, lab: Lab, terms: int, samples: int, warmup: int = 20) -> dict:
    Notebook(page, lab, f"widget_{terms}.ipynb", [BUILD, WIDGET.format(terms=terms)], timeout=180)
    slider = page.locator('input[type="range"][aria-label="w0"]')
    slider.wait_for(state="visible", timeout=60_000)
    page.wait_for_function(f"() => {VALUE_NODES}.some(g => g.dataset.label === 'o')", timeout=60_000)
    nodes = page.evaluate(f"() => {VALUE_NODES}.length")
    return {"nodes": nodes, **drag_case(page, "w0", "o", samples, warmup)}


def drag_case(page, leaf: str, output: str, samples: int, warmup: int = 20) -> dict:
    """Drag the slider of ``leaf`` (drawn, as is the node labelled ``output``) ``samples``
    input events after ``warmup`` more: latencies, frames and main-thread time per input."""
    slider = page.locator(f'input[type="range"][aria-label="{leaf}"]')
    slider.scroll_into_view_if_needed()
    page.evaluate(WIDGET_ARM, [leaf, output])
    drag(page, slider, warmup)
    page.evaluate("() => { const r = window.__drag; r.inputs = []; r.patches = []; r.frames = []; }")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    before = main_thread(cdp)
    drag(page, slider, samples)
    page.wait_for_timeout(200)
    after = main_thread(cdp)
    rec = page.evaluate("() => { const r = window.__drag; r.stop = true; return r; }")
    n = len(rec["inputs"])
    frames = sum(1 for f in rec["frames"] if rec["inputs"][0][0] <= f <= rec["inputs"][-1][0])
    spent = {k: (v - before[k]) * 1000 / n for k, v in after.items()}
    lat = latencies(rec)
    return {"samples": n, "frames": frames, "per_input_ms": spent, **{k: stats(v) for k, v in lat.items()}}


def main_thread(cdp) -> dict:
    """Renderer main-thread seconds so far: script, style, layout, all tasks (Chrome's Performance domain)."""
    m = {x["name"]: x["value"] for x in cdp.send("Performance.getMetrics")["metrics"]}
    return {k: m[k] for k in ("ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "TaskDuration")}


def baseline_case(page, lab: Lab, terms: int, samples: int) -> dict:
    Notebook(page, lab, f"baseline_{terms}.ipynb", [BUILD, BASELINE.format(terms=terms)], timeout=180)
    handle = page.locator(".widget-interact .noUi-handle")
    handle.wait_for(state="visible", timeout=60_000)
    page.locator(".widget-interact .jp-RenderedSVG").first.wait_for(state="attached", timeout=60_000)
    handle.focus()
    inserted, painted = [], []
    for k in range(samples + 2):  # the first two warm up
        page.evaluate(BASELINE_ARM)
        page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        r = page.evaluate("() => window.__sample")
        if k >= 2:
            inserted.append(r["inserted"])
            painted.append(r["painted"])
    return {"nodes": 4 * terms, "samples": samples, "inserted": stats(inserted), "painted": stats(painted)}


def evaluator_case(terms: int, runs: int = 200) -> dict:
    ns: dict = {}
    exec(BUILD, ns)
    from autograd_widget import Tape
    from autograd_widget.wire import tape_state

    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        state = tape_state(Tape(ns["build"](terms)))
        binary = [k for k, v in state.items() if isinstance(v, bytes)]
        json.dump({**{k: base64.b64encode(v).decode() if k in binary else v for k, v in state.items()},
                   "binary": binary}, f)
        f.flush()
        url = (ROOT / "js" / "evaluator.js").as_uri()
        out = subprocess.run(["node", "--input-type=module", "-e", EVALUATOR, f.name, url, str(runs)],
                             cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"node evaluator benchmark failed:\n{out.stderr}")
    return json.loads(out.stdout)

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=300, help="input events per widget size (>= 200)")
    ap.add_argument("--baseline-samples", type=int, default=20, help="slider steps per baseline size")
    ap.add_argument("--sizes", type=int, nargs="+", default=[25, 250], help="terms; nodes = 4 * terms")
    args = ap.parse_args()
    widget, baseline = {}, {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        lab = Lab(Path(tmp))
        browser = launch_chromium(p)
        try:
            for terms in args.sizes:
                for name, run, n in (("widget", widget_case, args.samples),
                                     ("baseline", baseline_case, args.baseline_samples)):
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    try:
                        r = run(ctx.new_page(), lab, terms, n)
                    finally:
                        ctx.close()
                        lab.shutdown_kernels()
                    (widget if name == "widget" else baseline)[terms] = r
                    print(f"{name} {r['nodes']} nodes: {r}", file=sys.stderr)
        finally:
            browser.close()
            lab.stop()
    evaluator = evaluator_case(25_000)  # 10^5 nodes
    print(report(widget, baseline, evaluator))


def report(widget: dict, baseline: dict, evaluator: dict) -> str:
    chromium = subprocess.run([chromium_path(), "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, {chromium} "
        "(headless), JupyterLab in the same machine. Times in ms, p50 / p95.",
        "",
        "| graph | GraphWidget: input → all nodes patched | GraphWidget: input → painted "
        "| GraphWidget: pointer → painted | interact + draw_dot: key → new SVG | interact + draw_dot: key → painted "
        "| speed-up in the DOM | speed-up on screen |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for terms, w in widget.items():
        b = baseline[terms]
        dom = (b["inserted"][0] / w["patched"][0], b["inserted"][1] / w["patched"][1])
        ratio = (b["painted"][0] / w["painted"][0], b["painted"][1] / w["painted"][1])
        lines.append(
            f"| {w['nodes']} nodes ({w['samples']} inputs in {w['frames']} frames / {b['samples']} steps) "
            f"| {w['patched'][0]:.2f} / {w['patched'][1]:.2f} | {w['painted'][0]:.2f} / {w['painted'][1]:.2f} "
            f"| {w['pointer'][0]:.2f} / {w['pointer'][1]:.2f} "
            f"| {b['inserted'][0]:.0f} / {b['inserted'][1]:.0f} | {b['painted'][0]:.0f} / {b['painted'][1]:.0f} "
            f"| {dom[0]:.0f}× / {dom[1]:.0f}× | {ratio[0]:.0f}× / {ratio[1]:.0f}× |")
    lines += ["", "Renderer main thread per GraphWidget input (Chrome Performance metrics over the run, ms):", ""]
    lines += ["| graph | script | style | layout | all tasks |", "|---|---|---|---|---|"]
    for w in widget.values():
        t = w["per_input_ms"]
        lines.append(f"| {w['nodes']} nodes | {t['ScriptDuration']:.2f} | {t['RecalcStyleDuration']:.2f} "
                     f"| {t['LayoutDuration']:.2f} | {t['TaskDuration']:.2f} |")
    lines += ["", f"JS evaluator alone, forward + backward, {evaluator['nodes']:,} nodes "
              f"({evaluator['runs']} runs, node {evaluator['node']}): "
              f"p50 {evaluator['p50']:.2f} ms, p95 {evaluator['p95']:.2f} ms."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
