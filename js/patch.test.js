import assert from "node:assert/strict";
import { test } from "node:test";
import { Window } from "happy-dom";
import { Evaluator } from "./evaluator.js";
import { buildTape } from "./fixtures/build-tape.js";
import { boxesGraph, N0, N1 } from "./fixtures/boxes-graph.js";
import { encodeTape, idOf } from "./fixtures/encode-tape.js";
import { loadState } from "./fixtures/fake-model.js";
import { dataField, fmt, gradField, pad, rangeField } from "./format.js";
import { Drawing, gradAlpha } from "./patch.js";
import { parseSvg } from "./svg.js";

/** The real drawing of a fixture (Graphviz's layout, picture.py's SVG), in a fresh document, patched by a Drawing. */
function setUp(name) {
  const state = loadState(name);
  const { document } = new Window();
  const svg = parseSvg(document, state.svg);
  document.body.append(svg);
  const ev = new Evaluator(state.tape);
  ev.load(state.kernel_state);
  const drawing = new Drawing(svg, ev);
  drawing.patch();
  const node = (id) => /** @type {Element} */ (svg.querySelector(`g[id="${id}"]`));
  const texts = (id) => [...node(id).querySelectorAll("text")].map((t) => t.textContent);
  const id = (label) => idOf(state.tape, label);
  const byLabel = (label, op = "") => node(`n${id(label)}${op}`);
  return { state, svg, ev, drawing, node, texts, id, byLabel };
}

test("every node of the real SVG gets its label, full-precision numbers and fields", () => {
  const { ev, node, texts } = setUp("neuron");
  for (let i = 0; i < ev.n; i++) {
    const g = node(`n${i}`);
    assert.equal(g.getAttribute("data-label"), ev.labelOf(i));
    assert.equal(g.getAttribute("data-value"), String(ev.data[i]));
    assert.equal(g.getAttribute("data-grad"), String(ev.grad[i]));
    const t = texts(`n${i}`);
    assert.deepEqual(t.slice(-2), [dataField(ev.data[i]), gradField(ev.grad[i])]);
  }
  assert.equal(node("n9").getAttribute("data-label"), "o");
  assert.equal(node("n9op").getAttribute("data-value"), String(ev.data[9]), "op groups carry their output's numbers");
  assert.ok(Math.abs(ev.data[9] - Math.SQRT1_2) < 1e-15);
});

test("the patched text is what the kernel drew from its numbers", () => {
  const { state, node, texts } = setUp("neuron");
  const { document } = new Window();
  const original = parseSvg(document, state.svg);
  for (let i = 0; i < state.tape.n; i++) {
    const blanks = (/** @type {(string | null)[]} */ list) => list.map((t) => t?.replace(/\u00a0/g, " "));
    const drawn = [...original.querySelectorAll(`g[id="n${i}"] text`)].map((t) => t.textContent);
    assert.deepEqual(blanks(texts(`n${i}`)), blanks(drawn), `node ${i}`);
  }
  assert.ok(node("n9").classList.contains("output"));
  assert.equal(original.querySelectorAll(".output").length, 0, "the class comes from Drawing, not Graphviz");
});

test("a leaf move patches numbers, fill classes and alpha in place, without new elements", () => {
  const { ev, drawing, svg, id, byLabel, texts } = setUp("neuron");
  const before = svg.querySelectorAll("*").length;
  const x1 = byLabel("x1");
  assert.ok(x1.classList.contains("grad-neg"), "x1's grad is -1.5");
  assert.equal(x1.querySelector("path")?.style.getPropertyValue("fill-opacity"), gradAlpha(-1.5));
  const w2 = byLabel("w2");
  assert.ok(w2.classList.contains("grad-zero"));
  ev.setLeaf(id("x2"), 1);
  drawing.patch();
  const o = Math.tanh(2 * -3 + 1 + 6.8813735870195432);
  const out = byLabel("o");
  assert.ok(Math.abs(Number(out.getAttribute("data-value")) - o) < 1e-15);
  assert.equal(texts(`n${id("o")}`).at(-2), dataField(o));
  assert.ok(w2.classList.contains("grad-pos"));
  assert.ok(Math.abs(Number(w2.getAttribute("data-grad")) - (1 - o * o)) < 1e-15);
  assert.equal(x1.querySelector("path")?.style.getPropertyValue("fill-opacity"), gradAlpha(-3 * (1 - o * o)));
  assert.equal(w2.querySelector("path")?.style.getPropertyValue("fill-opacity"), gradAlpha(1 - o * o));
  assert.equal(svg.querySelectorAll("*").length, before, "no element added or removed");
  assert.ok(out.classList.contains("node") && out.classList.contains("output"), "Graphviz's and static classes stay");
});

test("NaN and infinite numbers get their own style and Python's spelling", () => {
  const { ev, drawing, id, byLabel } = setUp("neuron");
  const fields = (label) => [...byLabel(label).querySelectorAll("text")].map((t) => t.textContent).slice(-2);
  ev.setLeaf(id("x1"), NaN);
  drawing.patch();
  const o = byLabel("o");
  assert.ok(o.classList.contains("data-nonfinite"));
  assert.equal(o.getAttribute("data-value"), "NaN");
  assert.equal(fields("o")[0], "data" + pad("nan"));
  assert.ok(byLabel("w1").classList.contains("grad-nonfinite"), "w1's grad is x1 * ... = NaN");
  ev.setLeaf(id("x1"), Infinity);
  drawing.patch();
  assert.equal(byLabel("x1*w1").getAttribute("data-value"), "-Infinity", "inf * -3");
  assert.equal(fields("x1*w1")[0], "data" + pad("-inf"));
  assert.ok(byLabel("n").classList.contains("grad-zero"), "o = tanh(-inf) = -1: n gets 1 - o*o = 0");
  assert.ok(byLabel("w1").classList.contains("grad-nonfinite"), "inf * 0");
});

test("stale nodes are marked, and unmarked once every leaf is back", () => {
  const { ev, drawing, node, id } = setUp("unknown");
  assert.equal(node(`n${id("c")}`).classList.contains("stale"), false);
  assert.ok(node(`n${id("a")}`).classList.contains("stale-grad"), "a's grad flows through cube");
  ev.setLeaf(id("a"), 3);
  drawing.patch();
  for (const label of ["c", "d", "out"]) assert.ok(node(`n${id(label)}`).classList.contains("stale"), label);
  assert.ok(node(`n${id("c")}op`).classList.contains("stale"));
  assert.equal(node(`n${id("bb")}`).classList.contains("stale"), false);
  const out = node(`n${id("out")}`);
  assert.equal(out.querySelector("title"), null, "no tooltip until the pointer comes");
  out
    .querySelector("path")
    ?.dispatchEvent(new /** @type {any} */ (out.ownerDocument.defaultView).Event("pointerover", { bubbles: true }));
  assert.equal(
    out.querySelector("title")?.textContent,
    [
      "out = d + bb = 33.00 (stale: an op upstream has no rule)",
      "∂out/∂d = 1 = 1.000",
      "∂out/∂bb = 1 = 1.000",
      "grad(out) = 1 (the output)",
    ].join("\n"),
  );
  const cube = node(`n${id("c")}op`);
  const view = /** @type {any} */ (cube.ownerDocument.defaultView);
  cube.querySelector("text")?.dispatchEvent(new view.Event("pointerover", { bubbles: true }));
  assert.equal(
    cube.querySelector(":scope > title")?.textContent?.split("\n")[1],
    "no rule for 'cube': its grad upstream is stale",
    "the op's name as drawn",
  );
  ev.setLeaf(id("a"), 2);
  drawing.patch();
  assert.equal(node(`n${id("out")}`).classList.contains("stale"), false);
});

test("a node's tooltip explains it: expression, local derivative with its numbers, how its grad is summed", () => {
  const { ev, drawing, id, byLabel } = setUp("neuron");
  const view = /** @type {any} */ (byLabel("o").ownerDocument.defaultView);
  const hover = (/** @type {Element} */ el) => el.dispatchEvent(new view.Event("pointerover", { bubbles: true }));
  const title = (/** @type {Element} */ g) => g.querySelector(":scope > title")?.textContent;
  hover(/** @type {Element} */ (byLabel("x1").querySelector("text")));
  assert.equal(
    title(byLabel("x1")),
    [
      "x1: a leaf = 2.000",
      "grad(x1) = Σ over its consumers grad(c) × ∂c/∂x1 = 0.5000 × -3.000 = -1.500",
      "  via x1*w1: grad(x1*w1) × ∂(x1*w1)/∂x1 = 0.5000 × -3.000",
    ].join("\n"),
  );
  const op = byLabel("o", "op");
  hover(/** @type {Element} */ (op.querySelector("circle, ellipse, path")));
  const lines = ["o = tanh(n) = 0.7071", "∂o/∂n = 1 − o² = 0.5000", "grad(o) = 1 (the output)"];
  assert.equal(title(op), lines.join("\n"), "the op node: its output's lines");
  assert.equal(title(byLabel("o")), undefined, "written where the pointer is only");
  ev.setLeaf(id("x1"), 1); // n = -3 + 6.88 = 3.88: the title waits for the next hover
  drawing.patch();
  assert.equal(title(op), lines.join("\n"), "not rewritten per frame");
  hover(op);
  assert.equal(title(op)?.split("\n")[0], `o = tanh(n) = ${fmt(ev.data[id("o")])}`);
  assert.notEqual(fmt(ev.data[id("o")]), "0.7071");
  assert.equal(op.querySelectorAll("title").length, 1, "one title, rewritten");
});

test("focus gets the tooltip too, and as the aria-label unless the element has its own", () => {
  const { ev, drawing, id, byLabel } = setUp("neuron");
  const view = /** @type {any} */ (byLabel("o").ownerDocument.defaultView);
  const focus = (/** @type {Element} */ el) => el.dispatchEvent(new view.Event("focusin", { bubbles: true }));
  const w2 = byLabel("w2");
  w2.setAttribute("tabindex", "0");
  focus(w2);
  const text = [
    "w2: a leaf = 1.000",
    "grad(w2) = Σ over its consumers grad(c) × ∂c/∂w2 = 0.5000 × 0.0000 = 0.0000",
    "  via x2*w2: grad(x2*w2) × ∂(x2*w2)/∂w2 = 0.5000 × 0.0000",
  ].join("\n");
  assert.equal(w2.querySelector(":scope > title")?.textContent, text);
  assert.equal(w2.getAttribute("aria-label"), text);
  ev.setLeaf(id("x2"), 1); // n = 1.8814, o = 0.9546: w2's grad is (1 − o²) × x2 = 0.0887 × 1
  drawing.patch();
  focus(w2);
  assert.equal(
    w2.getAttribute("aria-label")?.split("\n")[1],
    "grad(w2) = Σ over its consumers grad(c) × ∂c/∂w2 = 0.0887 × 1.000 = 0.0887",
    "the label it was given is rewritten: the numbers moved",
  );
  const b = byLabel("b");
  b.setAttribute("aria-label", "b: press Enter to expand"); // a box's name (boxes.js)
  focus(b);
  assert.equal(b.getAttribute("aria-label"), "b: press Enter to expand", "kept");
  assert.equal(b.querySelector(":scope > title")?.textContent?.split("\n")[0], "b: a leaf = 6.881");
  const x1 = byLabel("x1");
  x1.dispatchEvent(new view.Event("pointerover", { bubbles: true }));
  assert.equal(x1.getAttribute("aria-label"), null, "a hover writes no aria-label");
});

test("the NaN hatch is defined once per drawing with a unique id", () => {
  const a = setUp("neuron").svg;
  const b = setUp("neuron").svg;
  const idA = a.querySelector("pattern")?.id;
  assert.ok(idA && idA !== b.querySelector("pattern")?.id);
  assert.equal(a.style.getPropertyValue("--agw-hatch"), `url(#${idA})`);
});

test("a big tape with a small drawing: patch works on the drawn nodes only", () => {
  const n = 100_000;
  const nodes = [{ label: "x", data: 0.5 }];
  for (let i = 1; i < n; i++) nodes.push({ op: i % 2 ? "tanh" : "neg", parents: [i - 1] });
  const ev = new Evaluator(encodeTape(buildTape(nodes)));
  const drawn = [0, 50_000, n - 1];
  const record = (/** @type {number} */ i, /** @type {number} */ k) =>
    `<g id="n${i}"><path d="M${k * 120},0h100v60h-100z"/><text>${i}</text><text>data</text><text>grad</text></g>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg"><g>${drawn.map(record).join("")}</g></svg>`;
  const window = new Window();
  const root = parseSvg(window.document, svg);
  window.document.body.append(root);
  const drawing = new Drawing(root, ev);
  assert.deepEqual([...drawing.ids], drawn);
  assert.equal(drawing.shownData.length, 3, "per drawn node, not per tape node");
  drawing.patch();
  const proto = /** @type {any} */ (window).Element.prototype;
  const set = proto.setAttribute;
  /** @type {string[]} */
  const writes = [];
  proto.setAttribute = function (/** @type {string} */ name, /** @type {string} */ value) {
    writes.push(`${this.id} ${name}`);
    return set.call(this, name, value);
  };
  try {
    drawing.patch();
    assert.deepEqual(writes, [], "nothing changed: nothing written");
    ev.setLeaf(0, -0.25);
    drawing.patch();
  } finally {
    proto.setAttribute = set;
  }
  assert.deepEqual(
    writes.filter((w) => w.includes(" data-")),
    drawn.flatMap((i) => [`n${i} data-value`, `n${i} data-grad`]),
    "each drawn node's numbers changed (a chain: every grad depends on x); no other element is touched",
  );
  assert.deepEqual(new Set(writes.map((w) => w.split(" ")[0]).filter(Boolean)), new Set(drawn.map((i) => `n${i}`)));
  assert.equal(root.querySelector(`g[id="n${n - 1}"]`)?.getAttribute("data-value"), String(ev.data[n - 1]));
  assert.equal([...root.querySelectorAll(`g[id="n0"] text`)].at(-2)?.textContent, dataField(-0.25));
  window.close();
});

test("an open box's cluster carries its output node's numbers; a collapsed box is patched like any record", () => {
  const { state } = boxesGraph();
  const { open } = boxesGraph();
  const { document } = new Window();
  const svg = parseSvg(document, open.svg);
  document.body.append(svg);
  const ev = new Evaluator(state.tape);
  ev.load(state.kernel_state);
  const drawing = new Drawing(svg, ev);
  drawing.patch();
  const cluster = /** @type {Element} */ (svg.querySelector(`g[id="c${N0}"]`));
  assert.ok(cluster.classList.contains("cluster"));
  assert.equal(cluster.getAttribute("data-value"), String(ev.data[N0]));
  ev.setLeaf(0, 2);
  drawing.patch();
  assert.equal(cluster.getAttribute("data-value"), String(Math.tanh(-2 + 0.25)));
  assert.equal(cluster.getAttribute("data-grad"), String(ev.grad[N0]));
  assert.equal(
    cluster.classList.contains("grad-pos") || cluster.classList.contains("grad-neg"),
    false,
    "no fill classes: it is no record",
  );
  const collapsed = parseSvg(document, state.svg);
  document.body.append(collapsed);
  new Drawing(collapsed, ev).patch();
  const box = /** @type {Element} */ (collapsed.querySelector(`g[id="n${N1}"]`));
  const texts = [...box.querySelectorAll("text")].map((t) => t.textContent);
  assert.deepEqual(texts, ["L0.N1 (5)", dataField(ev.data[N1]), gradField(ev.grad[N1])], "name kept, numbers patched");
});

// A layer box over three neurons' outputs. Ids: x 0, w1 1, w2 2, w3 3; the outputs
// n1 = w1*x 4, n2 = w2*x 5, n3 = w3*x 6; s = n1*n2 7; out = s + n3 8. The layer box is 9
// (the tape's node count): no node of its own.
// At x = 0.5: n = [0.5, -1, 2]; s = -0.5; out = 1.5. Grads: n1 gets n2 = -1, n2 gets n1 = 0.5, n3 gets 1.
const LAYER = 9;
const layerTape = () =>
  encodeTape(
    buildTape([
      { label: "x", data: 0.5 },
      { label: "w1", data: 1 },
      { label: "w2", data: -2 },
      { label: "w3", data: 4 },
      { op: "*", parents: [1, 0] },
      { op: "*", parents: [2, 0] },
      { op: "*", parents: [3, 0] },
      { op: "*", parents: [4, 5] },
      { label: "out", op: "+", parents: [7, 6] },
    ]),
  );

/** A record by hand: outline, name, and the two fields as the kernel left them. */
const recordSvg = (/** @type {string} */ id, /** @type {string} */ attrs, /** @type {string} */ name) =>
  `<g id="${id}"${attrs}><path d="M0,0h100v60h-100z"/><text>${name}</text><text>data ?</text><text>grad ?</text></g>`;

/** @param {string} body @param {{observer?: any}} [o] */
function layerPage(body, { observer } = {}) {
  const window = /** @type {any} */ (new Window());
  if (observer) window.IntersectionObserver = observer;
  const root = parseSvg(window.document, `<svg xmlns="http://www.w3.org/2000/svg"><g class="graph">${body}</g></svg>`);
  window.document.body.append(root);
  const ev = new Evaluator(layerTape()).run();
  const drawing = new Drawing(root, ev);
  const g = (/** @type {string} */ id) => /** @type {Element} */ (root.querySelector(`g[id="${id}"]`));
  const fields = (/** @type {string} */ id) => [...g(id).querySelectorAll("text")].map((t) => t.textContent).slice(-2);
  return { window, root, ev, drawing, g, fields };
}

const COLLAPSED_LAYER =
  recordSvg("n0", "", "x") +
  recordSvg(`n${LAYER}`, ' class="agw-box agw-layer" data-outputs="4 5 6"', "L1 ×3 (7)") +
  recordSvg("n8", "", "out");

test("a collapsed layer box carries its outputs' numbers as lists and their range in its fields", () => {
  const { ev, drawing, g, fields, window } = layerPage(COLLAPSED_LAYER);
  assert.deepEqual([...ev.data.slice(4, 7)], [0.5, -1, 2], "the hand-computed numbers");
  assert.deepEqual([...ev.grad.slice(4, 7)], [-1, 0.5, 1]);
  drawing.patch();
  const box = g(`n${LAYER}`);
  assert.equal(box.getAttribute("data-value"), "[0.5,-1,2]");
  assert.equal(box.getAttribute("data-grad"), "[-1,0.5,1]");
  assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -1, 2), rangeField("grad", -1, 1)]);
  assert.deepEqual(fields(`n${LAYER}`), [
    "data\u00a0\u00a0\u00a0\u00a0-1.000 to\u00a0\u00a0\u00a0\u00a0\u00a02.000",
    "grad\u00a0\u00a0\u00a0\u00a0-1.000 to\u00a0\u00a0\u00a0\u00a0\u00a01.000",
  ]);
  assert.equal([...box.querySelectorAll("text")][0].textContent, "L1 ×3 (7)", "its name is kept");
  assert.deepEqual([...drawing.ids], [0, 8], "no node of its own");
  for (const cls of ["agw-value", "computed", "grad-pos", "grad-neg", "grad-zero", "grad-nonfinite"])
    assert.equal(box.classList.contains(cls), false, cls);
  assert.equal(box.querySelector("path")?.getAttribute("style"), null, "no grad fill");
  assert.equal(g("n8").getAttribute("data-value"), "1.5", "the nodes are patched as ever");

  ev.setLeaf(0, 1); // n = [1, -2, 4]; s = -2; out = 2; grads [-2, 1, 1]
  drawing.patch();
  assert.equal(box.getAttribute("data-value"), "[1,-2,4]");
  assert.equal(box.getAttribute("data-grad"), "[-2,1,1]");
  assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -2, 4), rangeField("grad", -2, 1)]);

  ev.setLeaf(3, NaN); // n3 = NaN: out is NaN; the grads are not
  drawing.patch();
  assert.equal(box.getAttribute("data-value"), "[1,-2,NaN]");
  assert.equal(box.getAttribute("data-grad"), "[-2,1,1]");
  assert.deepEqual(fields(`n${LAYER}`), ["data" + pad("nan") + " to" + pad("nan"), rangeField("grad", -2, 1)]);
  window.close();
});

test("a layer box's data-* are written only when an output's number changed", () => {
  const { ev, drawing, window } = layerPage(COLLAPSED_LAYER);
  drawing.patch();
  const proto = window.Element.prototype;
  const set = proto.setAttribute;
  /** @type {string[]} */
  const writes = [];
  proto.setAttribute = function (/** @type {string} */ name, /** @type {string} */ value) {
    writes.push(`${this.id} ${name}`);
    return set.call(this, name, value);
  };
  try {
    drawing.patch();
    assert.deepEqual(writes, [], "nothing changed: nothing written");
    ev.setLeaf(3, 8); // n3 = 4 changes, and out; no grad changes (n3's is 1; n1's and n2's do not depend on w3)
    drawing.patch();
  } finally {
    proto.setAttribute = set;
  }
  assert.deepEqual(writes.filter((w) => w.startsWith(`n${LAYER} `)), [`n${LAYER} data-value`]);
  window.close();
});

test("a layer box's outputs are watched: a drag recomputes their numbers, not only the nodes drawn", () => {
  // out and the layer box drawn, a slider on w1 (not drawn): what the widget watches
  const body =
    recordSvg(`n${LAYER}`, ' class="agw-box agw-layer" data-outputs="4 5 6"', "L1 ×3 (7)") +
    recordSvg("n8", "", "out");
  for (const watched of ["ids", "watched"]) {
    const { ev, drawing, g, fields, window } = layerPage(body);
    assert.deepEqual([...drawing.ids], [8]);
    assert.deepEqual([...drawing.watched].sort((a, b) => a - b), [4, 5, 6, 8]);
    ev.watch([...(watched === "ids" ? drawing.ids : drawing.watched), 1]);
    ev.setLeaf(1, 3); // n1 = 1.5: s = -1.5, out = 0.5; n2's grad is n1 = 1.5
    drawing.patch();
    const box = g(`n${LAYER}`);
    assert.equal(box.getAttribute("data-value"), "[1.5,-1,2]");
    if (watched === "ids") {
      const why = "n2 is not downstream of w1: its grad is left as it was";
      assert.equal(box.getAttribute("data-grad"), "[-1,0.5,1]", why);
    } else {
      assert.equal(box.getAttribute("data-grad"), "[-1,1.5,1]");
      assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -1, 2), rangeField("grad", -1, 1.5)]);
    }
    window.close();
  }
});

test("an open layer box's cluster carries the outputs' lists; its neuron boxes are records as ever", () => {
  const body =
    `<g id="c${LAYER}" class="cluster agw-layer" data-outputs="4 5 6"><rect x="0" y="0" width="400" height="300"/>` +
    `<text>L1</text></g>` +
    recordSvg("n0", "", "x") +
    [4, 5, 6].map((i, k) => recordSvg(`n${i}`, ' class="agw-box"', `L1.N${k} (2)`)).join("") +
    recordSvg("n8", "", "out");
  const { ev, drawing, g, fields, window } = layerPage(body);
  assert.deepEqual([...drawing.watched].sort((a, b) => a - b), [0, 4, 4, 5, 5, 6, 6, 8], "drawn, and the outputs");
  drawing.patch();
  const cluster = g(`c${LAYER}`);
  assert.equal(cluster.getAttribute("data-value"), "[0.5,-1,2]");
  assert.equal(cluster.getAttribute("data-grad"), "[-1,0.5,1]");
  assert.deepEqual([...cluster.querySelectorAll("text")].map((t) => t.textContent), ["L1"], "its name, no fields");
  assert.equal(cluster.classList.contains("grad-neg") || cluster.classList.contains("agw-value"), false);
  assert.deepEqual(fields("n5"), [dataField(-1), gradField(0.5)], "a neuron's box is its output's record");
  ev.setLeaf(0, 1);
  drawing.patch();
  assert.equal(cluster.getAttribute("data-value"), "[1,-2,4]");
  assert.equal(cluster.getAttribute("data-grad"), "[-2,1,1]");
  window.close();
});

test("a layer box's fields wait while its tile is out of view; its data-* do not", () => {
  /** @type {any} */
  let io = null;
  class FakeObserver {
    constructor(/** @type {Function} */ callback) {
      Object.assign(this, { callback, targets: new Set() });
      io = this;
    }
    observe(/** @type {Element} */ t) {
      /** @type {any} */ (this).targets.add(t);
    }
    disconnect() {
      /** @type {any} */ (this).targets.clear();
    }
  }
  const { ev, drawing, g, fields, root, window } = layerPage(COLLAPSED_LAYER, { observer: FakeObserver });
  assert.deepEqual([...io.targets], [root], "the one tile there is");
  drawing.patch();
  io.callback([{ target: root, isIntersecting: false }]);
  ev.setLeaf(0, 1);
  drawing.patch();
  assert.equal(g(`n${LAYER}`).getAttribute("data-value"), "[1,-2,4]", "data-* current");
  assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -1, 2), rangeField("grad", -1, 1)], "text not yet");
  io.callback([{ target: root, isIntersecting: true }]);
  assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -2, 4), rangeField("grad", -2, 1)], "drawn on coming in");
  window.close();
});

test("a layer box's tooltip gives its outputs' range, by its scope's name", () => {
  const { ev, drawing, g, window } = layerPage(COLLAPSED_LAYER);
  drawing.patch();
  const box = g(`n${LAYER}`);
  const hover = (/** @type {Element} */ el) => el.dispatchEvent(new window.Event("pointerover", { bubbles: true }));
  hover(/** @type {Element} */ (box.querySelector("path")));
  assert.equal(box.querySelector(":scope > title")?.textContent, "layer: 3 outputs, data -1 to 2, grad -1 to 1");
  box.setAttribute("data-scope", "L1");
  ev.setLeaf(3, NaN);
  hover(/** @type {Element} */ (box.querySelector("text")));
  assert.equal(box.querySelector(":scope > title")?.textContent, "L1: 3 outputs, data NaN to NaN, grad -1 to 1");
  assert.equal(box.querySelectorAll("title").length, 1);
  window.close();
});
