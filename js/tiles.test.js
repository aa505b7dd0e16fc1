import assert from "node:assert/strict";
import { test } from "node:test";
import { Boxes } from "./boxes.js";
import { Evaluator } from "./evaluator.js";
import { boxesGraph, N0, N1 } from "./fixtures/boxes-graph.js";
import { newWindow } from "./fixtures/dom.js";
import { idOf } from "./fixtures/encode-tape.js";
import { loadState } from "./fixtures/fake-model.js";
import { giveGeometry, translate } from "./fixtures/svg-geometry.js";
import { dataField } from "./format.js";
import { Drawing } from "./patch.js";
import { parseSvg } from "./svg.js";
import { cluster, cssPx, split, TILE_NODES, wrap } from "./tiles.js";

/** The neuron's drawing wrapped in a canvas, in a scroll box; `geometry` gives it getBBox from the shapes' coordinates. */
function page({ geometry = true, observer = /** @type {any} */ (null), state = loadState("neuron") } = {}) {
  const window = /** @type {any} */ (newWindow());
  if (geometry) {
    giveGeometry(window, state.svg); // Graphviz's translate, which happy-dom cannot consolidate
  }
  if (observer) window.IntersectionObserver = observer;
  const { canvas, width, height } = wrap(parseSvg(window.document, state.svg));
  const scroller = window.document.createElement("div");
  scroller.append(canvas);
  window.document.body.append(scroller);
  return { window, state, canvas, width, height, scroller };
}

test("cssPx reads Graphviz's sizes", () => {
  assert.ok(Math.abs(cssPx("1715pt") - 1715 * (4 / 3)) < 1e-9);
  assert.equal(cssPx("20px"), 20);
  assert.equal(cssPx("2in"), 192);
  assert.ok(Number.isNaN(cssPx("100%")) && Number.isNaN(cssPx(null)));
});

test("cluster: groups of at most max, every item once, neighbours together", () => {
  const items = [];
  for (let i = 0; i < 10; i++) for (let j = 0; j < 13; j++) items.push({ box: { x: 100 * i, y: 10 * j, w: 50, h: 5 } });
  const groups = cluster(items, 16);
  assert.ok(groups.every((g) => g.length <= 16 && g.length > 0));
  assert.equal(new Set(groups.flat()).size, items.length);
  assert.equal(groups.flat().length, items.length);
  // split at medians of the longer side: each group spans at most 2 columns 100 apart, not the whole width
  for (const g of groups) assert.ok(Math.max(...g.map((t) => t.box.x)) - Math.min(...g.map((t) => t.box.x)) <= 200);
  assert.deepEqual(cluster(items.slice(0, 3), 16), [items.slice(0, 3)]);
  assert.ok(TILE_NODES >= 16);
});

test("without geometry (not rendered yet) split moves nothing and says so", () => {
  const { canvas } = page({ geometry: false });
  assert.equal(split(canvas, 4), false);
  assert.equal(canvas.querySelectorAll("svg").length, 1);
  assert.equal(split(canvas), true, "a drawing of no more than TILE_NODES nodes needs no tiles");
});

test("split moves each node group into exactly one tile placed over its own part of the drawing", () => {
  const { canvas, width, height, state } = page();
  const size = /width="([\d.]+)pt" height="([\d.]+)pt"/.exec(state.svg);
  assert.ok(
    size && Math.abs(width - Number(size[1]) * (4 / 3)) < 1e-9 && Math.abs(height - Number(size[2]) * (4 / 3)) < 1e-9,
  );
  const base = /** @type {Element} */ (canvas.querySelector("svg.agw-base"));
  const edges = base.querySelectorAll("g.edges path").length;
  assert.equal(split(canvas, 4), true);
  const tiles = [...canvas.querySelectorAll("svg.agw-tile:not(.agw-base)")];
  assert.ok(tiles.length >= 4, `15 node groups in tiles of 4: ${tiles.length}`);
  assert.equal(base.querySelectorAll("g.node").length, 0, "no node left in the base");
  assert.ok(edges > 0);
  assert.equal(base.querySelectorAll("g.edges path").length, edges, "the edges stay under the tiles");
  const ids = [...canvas.querySelectorAll("g.node")].map((g) => g.id);
  assert.equal(ids.length, new Set(ids).size, "every node once");
  assert.equal(ids.filter((id) => /^n\d+$/.test(id)).length, state.tape.n);
  const [vx, vy, vw, vh] = /** @type {string} */ (base.getAttribute("viewBox")).split(/\s+/).map(Number);
  for (const t of tiles) {
    const nodes = t.querySelectorAll("g.node");
    assert.ok(nodes.length >= 1 && nodes.length <= 4);
    const [x, y, w, h] = /** @type {string} */ (t.getAttribute("viewBox")).split(/\s+/).map(Number);
    const pct = (/** @type {string} */ k) => parseFloat(/** @type {any} */ (t).style[k]) / 100;
    assert.ok(Math.abs(pct("left") - (x - vx) / vw) < 1e-6 && Math.abs(pct("top") - (y - vy) / vh) < 1e-6);
    assert.ok(Math.abs(pct("width") - w / vw) < 1e-6 && Math.abs(pct("height") - h / vh) < 1e-6);
    assert.equal(t.firstElementChild?.getAttribute("transform"), base.querySelector("g")?.getAttribute("transform"));
    for (const g of nodes) {
      const b = /** @type {any} */ (g).getBBox();
      const [tx, ty] = translate(state.svg);
      const [gx, gy] = [b.x + tx, b.y + ty];
      assert.ok(gx >= x && gy >= y && gx + b.width <= x + w && gy + b.height <= y + h, `${g.id} inside its tile`);
    }
  }
});

test("text waits in tiles out of view, data-* do not; a tile coming into view is drawn", () => {
  /** @type {any} */
  let io = null;
  class FakeObserver {
    constructor(/** @type {Function} */ callback, /** @type {any} */ options) {
      Object.assign(this, { callback, options, targets: new Set() });
      io = this;
    }
    observe(/** @type {Element} */ t) {
      /** @type {any} */ (this).targets.add(t);
    }
    disconnect() {
      /** @type {any} */ (this).targets.clear();
    }
  }
  const { canvas, scroller, state } = page({ observer: FakeObserver });
  const ev = new Evaluator(state.tape);
  const drawing = new Drawing(canvas, ev, scroller);
  split(canvas, 4);
  drawing.retile();
  assert.equal(io.options.root, scroller, "seen means seen in the scroll box");
  assert.deepEqual([...io.targets], [...canvas.querySelectorAll("svg.agw-tile:not(.agw-base)")], "it watches tiles");
  const o = canvas.querySelector(`g[id="n${ev.root}"]`);
  const tile = /** @type {Element} */ (o?.closest("svg"));
  io.callback([...io.targets].map((target) => ({ target, isIntersecting: target !== tile })));
  ev.setLeaf(idOf(state.tape, "x2"), 1);
  drawing.patch();
  // Graphviz writes the first padding blank as a plain space, we write no-break spaces: same width.
  const shownData = () => [...(o?.querySelectorAll("text") ?? [])].at(-2)?.textContent?.replace(/ /g, "\u00a0");
  const out = Math.tanh(2 * -3 + 1 + 6.8813735870195432);
  assert.equal(Number(o?.getAttribute("data-value")), out, "data-* current everywhere");
  assert.equal(shownData(), dataField(Math.SQRT1_2), "the text out of view is not written yet");
  const x2 = /** @type {Element} */ (canvas.querySelector(`g[id="n${idOf(state.tape, "x2")}"]`));
  if (x2?.closest("svg") !== tile) assert.equal([...x2.querySelectorAll("text")].at(-2)?.textContent, dataField(1));
  io.callback([{ target: tile, isIntersecting: true }]);
  assert.equal(shownData(), dataField(out), "drawn as it comes into view");
});

test("a drawing with an open box: the cluster stays drawn in the base, under the tiles, and still patched", () => {
  const graph = boxesGraph();
  const state = { ...graph.state, ...graph.open };
  const { canvas, scroller } = page({ state });
  const ev = new Evaluator(state.tape);
  const drawing = new Drawing(canvas, ev, scroller);
  const boxes = new Boxes({ box: scroller, send() {} });
  boxes.decorate(canvas, state.boxes);
  assert.equal(split(canvas, 3), true);
  drawing.retile();
  const base = /** @type {Element} */ (canvas.querySelector("svg.agw-base"));
  const cluster = /** @type {Element} */ (base.querySelector(`g[id="c${N0}"]`));
  assert.ok(cluster, "the cluster stays in the base svg");
  assert.equal(cluster.parentElement?.parentElement, base, "where Graphviz put it: in the graph, before the nodes");
  assert.ok(
    cluster.querySelector("rect") && cluster.querySelector("text")?.textContent === "L0.N0",
    "outline and label",
  );
  assert.equal(base.querySelectorAll("g.node").length, 0, "every node went to a tile");
  const tiles = [...canvas.querySelectorAll("svg.agw-tile:not(.agw-base)")];
  assert.ok(tiles.length >= 4, `12 node groups in tiles of 3: ${tiles.length}`);
  const ids = [...canvas.querySelectorAll("svg.agw-tile:not(.agw-base) g.node")].map((g) => g.id);
  assert.equal(ids.length, new Set(ids).size);
  assert.deepEqual(ids.filter((id) => /^n\d+$/.test(id)).sort(), ["n0", "n1", "n10", "n11", "n2", "n3", "n4", "n5"]);
  assert.equal(
    tiles.some((t) => t.querySelector(".cluster")),
    false,
    "no cluster in a tile",
  );
  ev.setLeaf(0, 1);
  drawing.patch();
  assert.equal(cluster.getAttribute("data-value"), String(ev.data[N0]), "patched where it is");
  assert.equal(cluster.getAttribute("aria-expanded"), "true");
  assert.equal(
    canvas.querySelector(`g[id="n${N1}"]`)?.getAttribute("aria-expanded"),
    "false",
    "a tiled box keeps its part",
  );
});
