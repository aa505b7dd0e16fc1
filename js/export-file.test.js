import assert from "node:assert/strict";
import { test } from "node:test";
import { drawingSize, standaloneSvg } from "./export.js";
import { newWindow } from "./fixtures/dom.js";
import { fakeObserver } from "./fixtures/drawing.js";
import { fields, occurrences, page, parse } from "./fixtures/export-page.js";
import { dataField, gradField, rangeField } from "./format.js";
import { gradAlpha } from "./patch.js";
import { split } from "./tiles.js";

// The exported SVG file (export.js standaloneSvg): one well-formed document with its own style and
// every node's numbers as they are now. The buttons and the PNG path: export.test.js.

test("the exported SVG: one well-formed document, xmlns, the drawing's viewBox and size, every node once with its numbers now", () => {
  const { window, canvas, ev, drawing, id } = page();
  ev.setLeaf(id("x2"), 1);
  drawing.patch();
  const text = standaloneSvg(canvas);
  assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg /);
  assert.match(text, /<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal(text.match(/xmlns=/g)?.length, 1, "declared once");
  const { doc, root } = parse(window, text);
  const base = /** @type {Element} */ (canvas.querySelector("svg"));
  assert.equal(root.getAttribute("viewBox"), "0.00 0.00 882.00 301.00");
  assert.equal(root.getAttribute("viewBox"), base.getAttribute("viewBox"));
  assert.deepEqual([root.getAttribute("width"), root.getAttribute("height")], ["882pt", "301pt"]);
  const ids = [...canvas.querySelectorAll("g.node")].map((g) => g.id);
  assert.equal(ids.length, 15, "10 records and 5 ops");
  for (const gid of ids) {
    assert.equal(doc.querySelectorAll(`[id="${gid}"]`).length, 1, gid);
    assert.equal(occurrences(text, gid), 1, `${gid} once in the text`);
  }
  const o = Math.tanh(2 * -3 + 1 + 6.8813735870195432);
  assert.notEqual(dataField(o), dataField(Math.SQRT1_2), "the move changed o's field");
  for (let i = 0; i < ev.n; i++) assert.deepEqual(fields(root, i), [dataField(ev.data[i]), gradField(ev.grad[i])], `n${i}`);
  assert.deepEqual(fields(root, id("o")), [dataField(o), gradField(1)]);
  assert.equal(root.querySelector(`g[id="n${id("o")}"]`)?.getAttribute("data-value"), String(o));
  assert.equal(root.querySelectorAll("svg").length, 0, "one <svg>, no nested tiles");
  assert.equal(root.getAttribute("class"), "agw-export");
});

test("the file carries its own style: fonts, strokes, fills, the hatch, as widget.css draws them", () => {
  const { window, canvas } = page();
  // a hover gives a node its tooltip; a box would be a button with a tab stop
  canvas.querySelector('g[id="n0"] text')?.dispatchEvent(new window.Event("pointerover", { bubbles: true }));
  assert.ok(canvas.querySelector('g[id="n0"] > title'), "the page's tooltip");
  canvas.querySelector('g[id="n9"]')?.setAttribute("tabindex", "0");
  canvas.querySelector('g[id="n9"]')?.setAttribute("role", "button");
  canvas.querySelector('g[id="n9"]')?.setAttribute("aria-label", "o");
  const { root } = parse(window, standaloneSvg(canvas));
  const style = root.querySelector(":scope > style")?.textContent ?? "";
  assert.equal(root.firstElementChild?.localName, "style", "first, before what it styles");
  for (const rule of [
    /\.agw-export text\{font:11px Courier[^}]*text-anchor:middle;white-space:pre;fill:#000\}/,
    /\.agw-export \.node path[^{]*\{stroke:#9e9e9e;fill:none\}/,
    /\.agw-export \.edges path\{stroke:#757575;fill:none\}/,
    /\.agw-export marker path\{stroke:none;fill:#757575\}/,
    /\.agw-export \.node\.grad-pos>path\{fill:#e66101\}/,
    /\.agw-export \.node\.grad-neg>path\{fill:#5e3c99\}/,
    /\.agw-export \.node\.output>path\{stroke:#000;stroke-width:2\.5\}/,
    /\.agw-export \.node\.stale\{opacity:0\.45\}/,
    /\.agw-export \.bg\{fill:#fff\}/,
  ]) {
    assert.match(style, rule);
  }
  assert.doesNotMatch(style, /var\(/, "no CSS variable: a file has no theme");
  const pattern = root.querySelector("defs pattern[id]");
  assert.ok(pattern, "the hatch pattern comes along");
  assert.ok(style.includes(`.grad-nonfinite>path{fill:url(#${pattern.id})}`), "and NaN grads are filled with it");
  // the page's interaction stays in the page
  assert.equal(root.querySelectorAll("[role], [tabindex], [aria-label], title").length, 0);
  assert.equal(canvas.querySelectorAll('[role="button"], title').length, 2, "the page keeps its own");
  // the fill strengths patch.js wrote come along: x1's grad is -1.5
  const x1 = /** @type {any} */ (root.querySelector('g[id="n0"]'));
  assert.ok(x1.classList.contains("grad-neg"));
  assert.equal(x1.querySelector("path").getAttribute("style"), `fill-opacity: ${gradAlpha(-1.5)};`);
});

test("a drawing split in tiles: each node once, back in the base's coordinates", () => {
  const { window, canvas, ev, drawing, id } = page();
  assert.equal(split(canvas, 4), true);
  drawing.retile();
  const tiles = canvas.querySelectorAll("svg.agw-tile:not(.agw-base)");
  assert.ok(tiles.length >= 4, `tiles: ${tiles.length}`);
  ev.setLeaf(id("w1"), 0.5);
  drawing.patch();
  const text = standaloneSvg(canvas);
  const { doc, root } = parse(window, text);
  assert.equal(root.getAttribute("viewBox"), "0.00 0.00 882.00 301.00");
  assert.equal(root.querySelectorAll("svg").length, 0, "no tile survives as an <svg>");
  const ids = [...canvas.querySelectorAll("g.node")].map((g) => g.id);
  assert.equal(ids.length, 15);
  for (const gid of ids) {
    assert.equal(doc.querySelectorAll(`[id="${gid}"]`).length, 1, gid);
    assert.equal(occurrences(text, gid), 1, `${gid} once in the text`);
  }
  assert.equal(root.querySelectorAll("g.node").length, 15, "and nothing else");
  const transform = canvas.querySelector("svg.agw-base > g")?.getAttribute("transform");
  assert.ok(transform);
  for (const g of root.querySelectorAll("g.node")) {
    const group = /** @type {Element} */ (g.parentElement);
    assert.equal(group.parentElement, root, `${g.id}: in a group right under the root`);
    assert.equal(group.getAttribute("transform"), transform, `${g.id}: with the graph's transform`);
  }
  assert.equal(root.querySelectorAll("g.edges path").length, 14, "the edges, once");
  for (let i = 0; i < ev.n; i++) assert.deepEqual(fields(root, i), [dataField(ev.data[i]), gradField(ev.grad[i])], `n${i}`);
  assert.deepEqual(fields(root, id("w1")).slice(0, 1), [dataField(0.5)]);
});

test("a node scrolled out of view shows its numbers now in the file, not the older text the page still has", () => {
  const { FakeObserver, latest } = fakeObserver();
  const { window, canvas, ev, drawing, id } = page({ observer: FakeObserver });
  split(canvas, 4);
  drawing.retile();
  const oGroup = /** @type {Element} */ (canvas.querySelector(`g[id="n${id("o")}"]`));
  const w2Group = /** @type {Element} */ (canvas.querySelector(`g[id="n${id("w2")}"]`));
  const hidden = [oGroup.closest("svg"), w2Group.closest("svg")];
  const io = latest();
  io.callback([...io.targets].map((target) => ({ target, isIntersecting: !hidden.includes(target) })));
  ev.setLeaf(id("x2"), 1);
  drawing.patch();
  const out = Math.tanh(2 * -3 + 1 + 6.8813735870195432);
  const pageText = [...oGroup.querySelectorAll("text")].at(-2)?.textContent?.replace(/ /g, "\u00a0");
  assert.equal(pageText, dataField(Math.SQRT1_2), "the page has not drawn o's new number yet");
  assert.ok(w2Group.classList.contains("grad-zero"), "nor w2's new grad class");
  const { root } = parse(window, standaloneSvg(canvas));
  assert.deepEqual(fields(root, id("o")), [dataField(out), gradField(1)]);
  const w2 = /** @type {any} */ (root.querySelector(`g[id="n${id("w2")}"]`));
  const g = 1 - out * out; // w2's grad: x2 · (1 - o²)
  assert.deepEqual(fields(root, id("w2")), [dataField(1), gradField(g)]);
  assert.ok(w2.classList.contains("grad-pos") && !w2.classList.contains("grad-zero"), "its grad's class now");
  assert.equal(w2.querySelector("path").style.getPropertyValue("fill-opacity"), gradAlpha(g));
  assert.ok(w2Group.classList.contains("grad-zero"), "the page's drawing is left as it is");
});

test("a layer box's fields: the range of its outputs now; a drawing with no viewBox gets one from its size", () => {
  const window = /** @type {any} */ (newWindow());
  const doc = window.document;
  const canvas = doc.createElement("div");
  canvas.innerHTML =
    '<svg xmlns="http://www.w3.org/2000/svg" class="agw-tile agw-base" width="75pt" height="30pt"><g>' +
    '<g id="n20" class="node agw-box agw-layer" data-outputs="3 4" data-value="[0.5,-1]" data-grad="[2,NaN]" role="button" tabindex="0">' +
    "<path d=\"M0,0h10\"/><text>L1</text><text>old</text><text>old</text></g></g></svg>";
  doc.body.append(canvas);
  const { root } = parse(window, standaloneSvg(canvas));
  assert.deepEqual(
    [...root.querySelectorAll('g[id="n20"] > text')].map((t) => t.textContent),
    ["L1", rangeField("data", -1, 0.5), rangeField("grad", NaN, NaN)],
  );
  assert.equal(root.getAttribute("viewBox"), "0 0 100 40", "75pt × 30pt in CSS px");
  assert.equal(root.querySelector("[role], [tabindex]"), null);
  assert.deepEqual(drawingSize(canvas), { width: 100, height: 40 });
});
