"""Drag-to-patch latency of GraphWidget in a real JupyterLab + headless Chromium, against
what people do today: an ``ipywidgets.interact`` slider whose callback rebuilds the
expression and displays ``draw_dot`` again.

    python benchmarks/drag_latency.py [--samples 300] [--baseline-samples 20]

Widget: inside a requestAnimationFrame callback (where Chromium delivers real drag
input), set the slider's value and dispatch a bubbling ``input`` event; "handler" is
dispatch -> return (the frontend patches every node synchronously), "painted" is
dispatch -> the task after that frame was rendered. Baseline: a real ArrowRight on the
interact slider; "inserted" is keydown -> the new drawing in the output area
(MutationObserver; JupyterLab shows SVG as an <img>), "painted" adds decoding it and the
frame that shows it. Also times the JS evaluator alone (forward + backward) on a
10^5-node tape in node. Uses the e2e harness
(tests/e2e/lab.py); needs the package installed with its bundle built.
"""

from __future__ import annotations

import argparse
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
WIDGET = """from autograd_widget.widget import GraphWidget
GraphWidget(build({terms}), ranges={{"w0": (-1.0, 1.0)}})"""
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
WIDGET_RUN = """async ([label, count]) => {
  const input = document.querySelector(`input[type="range"][aria-label="${label}"]`);
  const leaf = VALUE_NODES.find(g => g.getAttribute('data-label') === label);
  const lo = Number(input.min), hi = Number(input.max);
  const handler = [], painted = [];
  let unpatched = 0;
  for (let k = 0; k < count; k++) {
    await new Promise(resolve => requestAnimationFrame(() => {
      input.value = String(lo + (hi - lo) * (0.05 + 0.9 * ((k * 0.6180339887) % 1)));
      const t0 = performance.now();
      input.dispatchEvent(new Event('input', {bubbles: true}));
      const t1 = performance.now();
      handler.push(t1 - t0);
      if (Number(leaf.getAttribute('data-value')) !== Number(input.value)) unpatched++;
      const c = new MessageChannel();
      c.port1.onmessage = () => { painted.push(performance.now() - t0); resolve(); };
      c.port2.postMessage(0);
    }));
  }
  input.dispatchEvent(new Event('change', {bubbles: true}));
  return {handler, painted, unpatched};
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
const tape = JSON.parse(readFileSync(tapePath, "utf8"));
const ev = new Evaluator(tape);
const leaf = tape.label.indexOf("w0");
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
const result = {nodes: tape.label.length, runs: times.length, p50: q(0.5), p95: q(0.95), node: process.version};
console.log(JSON.stringify(result));
"""

def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def stats(xs: list[float]) -> tuple[float, float]:
    return pct(xs, 0.50), pct(xs, 0.95)


def widget_case(page, lab: Lab, terms: int, samples: int, warmup: int = 20) -> dict:
    Notebook(page, lab, f"widget_{terms}.ipynb", [BUILD, WIDGET.format(terms=terms)], timeout=180)
    page.locator('input[type="range"][aria-label="w0"]').wait_for(state="visible", timeout=60_000)
    page.wait_for_function(f"() => {VALUE_NODES}.some(g => g.dataset.label === 'o')", timeout=60_000)
    nodes = page.evaluate(f"() => {VALUE_NODES}.length")
    page.evaluate(WIDGET_RUN, ["w0", warmup])
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    before = main_thread(cdp)
    r = page.evaluate(WIDGET_RUN, ["w0", samples])
    spent = {k: (v - before[k]) * 1000 / samples for k, v in main_thread(cdp).items()}
    if r["unpatched"]:
        raise AssertionError(f"{r['unpatched']} of {samples} inputs left the w0 node unpatched after the handler")
    return {"nodes": nodes, "samples": samples, "handler": stats(r["handler"]), "painted": stats(r["painted"]),
            "per_input_ms": spent}


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

    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(Tape(ns["build"](terms)).to_json(), f)
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
        "| interact + draw_dot: key → new SVG | interact + draw_dot: key → painted "
        "| speed-up in the DOM | speed-up on screen |",
        "|---|---|---|---|---|---|---|",
    ]
    for terms, w in widget.items():
        b = baseline[terms]
        dom = (b["inserted"][0] / w["handler"][0], b["inserted"][1] / w["handler"][1])
        ratio = (b["painted"][0] / w["painted"][0], b["painted"][1] / w["painted"][1])
        lines.append(
            f"| {w['nodes']} nodes ({w['samples']} inputs / {b['samples']} steps) "
            f"| {w['handler'][0]:.2f} / {w['handler'][1]:.2f} | {w['painted'][0]:.2f} / {w['painted'][1]:.2f} "
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
