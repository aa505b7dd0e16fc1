import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape } from "./fixtures/build-tape.js";
import { boxesGraph, N0, N1 } from "./fixtures/boxes-graph.js";
import { newWindow } from "./fixtures/dom.js";
import { drawnFixture as setUp, recordSvg, recordWrites } from "./fixtures/drawing.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { dataField, gradField, pad } from "./format.js";
import { Drawing, gradAlpha } from "./patch.js";
import { parseSvg } from "./svg.js";

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
  const { document } = newWindow();
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
  /** @param {string} label */
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

test("the NaN hatch is defined once per drawing with a unique id", () => {
  const a = setUp("neuron").svg;
  const b = setUp("neuron").svg;
  const idA = a.querySelector("pattern")?.id;
  assert.ok(idA && idA !== b.querySelector("pattern")?.id);
  assert.equal(a.style.getPropertyValue("--agw-hatch"), `url(#${idA})`);
});

test("a big tape with a small drawing: patch works on the drawn nodes only", () => {
  const n = 100_000;
  /** @type {import("./fixtures/build-tape.js").NodeSpec[]} */
  const nodes = [{ label: "x", data: 0.5 }];
  for (let i = 1; i < n; i++) nodes.push({ op: i % 2 ? "tanh" : "neg", parents: [i - 1] });
  const ev = new Evaluator(encodeTape(buildTape(nodes)));
  const drawn = [0, 50_000, n - 1];
  const record = (/** @type {number} */ i, /** @type {number} */ k) => recordSvg(`n${i}`, "", String(i), k * 120);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg"><g>${drawn.map(record).join("")}</g></svg>`;
  const window = newWindow();
  const root = parseSvg(window.document, svg);
  window.document.body.append(root);
  const drawing = new Drawing(root, ev);
  assert.deepEqual([...drawing.ids], drawn);
  assert.equal(drawing.shownData.length, 3, "per drawn node, not per tape node");
  drawing.patch();
  const { writes, restore } = recordWrites(window);
  try {
    drawing.patch();
    // typed, or the assertion would narrow writes to never[] for the rest of the test
    assert.deepEqual(writes, /** @type {string[]} */ ([]), "nothing changed: nothing written");
    ev.setLeaf(0, -0.25);
    drawing.patch();
  } finally {
    restore();
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
  const { document } = newWindow();
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
