import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { newWindow } from "./fixtures/dom.js";
import { fakeObserver } from "./fixtures/drawing.js";
import { idOf } from "./fixtures/encode-tape.js";
import { loadState } from "./fixtures/fake-model.js";
import { dataField, gradField, rangeField } from "./format.js";
import {
  drawingSize,
  mountExport,
  PNG_FILE,
  pngScale,
  standaloneSvg,
  SVG_FILE,
  svgToPng,
} from "./export.js";
import { Drawing, gradAlpha } from "./patch.js";
import { parseSvg, SVG_NS } from "./svg.js";
import { split, wrap } from "./tiles.js";

/** The graph's translate(x y) in a drawing's SVG text. @param {string} svg @returns {[number, number]} */
const translate = (svg) => {
  const m = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(svg);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
};

/** The points of a path of M/m, L/l, H/h, V/v and z commands (what picture.py writes for a record). @param {string} d */
function pathPoints(d) {
  /** @type {[number, number][]} */
  const pts = [];
  let [x, y] = [0, 0];
  for (const [, cmd, args] of d.matchAll(/([MmLlHhVvZz])([^MmLlHhVvZz]*)/g)) {
    const v = args.split(/[\s,]+/).filter(Boolean).map(Number);
    const rel = cmd === cmd.toLowerCase();
    const k = cmd.toLowerCase();
    if (k === "h") x = rel ? x + v[0] : v[0];
    else if (k === "v") y = rel ? y + v[0] : v[0];
    else if (k === "m" || k === "l") [x, y] = rel ? [x + v[0], y + v[1]] : [v[0], v[1]];
    if (k !== "z") pts.push([x, y]);
  }
  return pts;
}

/**
 * The neuron's drawing as the widget shows it: wrapped in a canvas, in a scroll box,
 * patched by a Drawing over a real Evaluator; getBBox from the shapes' coordinates
 * (happy-dom has no layout) so that tiles.js can split it.
 * @param {{observer?: any}} [o]
 */
function page({ observer = null } = {}) {
  const state = loadState("neuron");
  const window = /** @type {any} */ (newWindow());
  const [e, f] = translate(state.svg);
  window.SVGTransformList.prototype.consolidate = () => ({ matrix: { a: 1, b: 0, c: 0, d: 1, e, f } });
  window.SVGGraphicsElement.prototype.getBBox = function () {
    const xs = [];
    const ys = [];
    for (const s of this.querySelectorAll("path, circle, ellipse")) {
      const n = (/** @type {string} */ k) => Number(s.getAttribute(k));
      if (s.localName === "path") {
        for (const [x, y] of pathPoints(/** @type {string} */ (s.getAttribute("d")))) {
          xs.push(x);
          ys.push(y);
        }
      } else {
        const [rx, ry] = s.localName === "circle" ? [n("r"), n("r")] : [n("rx"), n("ry")];
        xs.push(n("cx") - rx, n("cx") + rx);
        ys.push(n("cy") - ry, n("cy") + ry);
      }
    }
    const [x, y] = [Math.min(...xs), Math.min(...ys)];
    return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
  };
  if (observer) window.IntersectionObserver = observer;
  const { canvas } = wrap(parseSvg(window.document, state.svg));
  const scroller = window.document.createElement("div");
  scroller.append(canvas);
  window.document.body.append(scroller);
  const ev = new Evaluator(state.tape);
  ev.load(state.kernel_state);
  const drawing = new Drawing(canvas, ev, scroller);
  drawing.patch();
  const id = (/** @type {string} */ label) => idOf(state.tape, label);
  return { window, state, canvas, scroller, ev, drawing, id };
}

/** Parse exported text as a browser would open the file. @param {any} window @param {string} text */
function parse(window, text) {
  const doc = new window.DOMParser().parseFromString(text, "image/svg+xml");
  assert.equal(doc.querySelector("parsererror"), null, "well-formed XML");
  const root = doc.documentElement;
  assert.equal(root.localName, "svg");
  assert.equal(root.namespaceURI, SVG_NS);
  return { doc, root };
}

/** The fields (last two texts) of node i's record. @param {Element | Document} root @param {number} i */
const fields = (root, i) => [...root.querySelectorAll(`g[id="n${i}"] > text`)].slice(-2).map((t) => t.textContent);

/** How many times `id="…"` occurs in the text. @param {string} text @param {string} id */
const occurrences = (text, id) => text.split(`id="${id}"`).length - 1;

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

/**
 * mountExport over the neuron's drawing; every link click recorded (and kept from
 * navigating the test's window), every object URL made and revoked recorded.
 * @param {{toPng?: any, canvas?: boolean}} [o]
 */
function mounted({ toPng, canvas: hasCanvas = true } = {}) {
  const p = page();
  const { window } = p;
  const parent = window.document.createElement("div");
  window.document.body.append(parent);
  /** @type {{url: string, blob: Blob}[]} */
  const made = [];
  /** @type {string[]} */
  const revoked = [];
  const { createObjectURL, revokeObjectURL } = window.URL;
  window.URL.createObjectURL = (/** @type {Blob} */ blob) => {
    const url = createObjectURL.call(window.URL, blob);
    made.push({ url, blob });
    return url;
  };
  window.URL.revokeObjectURL = (/** @type {string} */ url) => {
    revoked.push(url);
    revokeObjectURL.call(window.URL, url);
  };
  /** @type {{href: string, download: string, inDocument: boolean, revokedBefore: boolean}[]} */
  const clicks = [];
  window.document.addEventListener(
    "click",
    (/** @type {any} */ e) => {
      const a = e.target;
      if (a.localName !== "a") return;
      clicks.push({ href: a.href, download: a.download, inDocument: a.isConnected, revokedBefore: revoked.includes(a.href) });
      e.preventDefault(); // happy-dom would navigate the window to the file
    },
    true,
  );
  const ctx = { parent, ev: p.ev, canvas: () => (hasCanvas ? p.canvas : null) };
  const widget = mountExport(ctx, toPng ? { toPng } : undefined);
  /** @param {string} name */
  const button = (name) => {
    const b = [...parent.querySelectorAll("button")].find((x) => x.textContent === name);
    assert.ok(b, `a button "${name}"`);
    return /** @type {HTMLButtonElement} */ (b);
  };
  const status = () => parent.querySelector('[role="status"]')?.textContent ?? "";
  return { ...p, parent, made, revoked, clicks, widget, button, status };
}

test("Export SVG downloads autograd-graph.svg through a blob: link, clicked, then revoked", async () => {
  const { window, canvas, ev, drawing, id, made, revoked, clicks, button, status, parent } = mounted();
  assert.equal(button("Export SVG").type, "button");
  ev.setLeaf(id("b"), 7);
  drawing.patch();
  button("Export SVG").click();
  assert.equal(clicks.length, 1);
  assert.equal(clicks[0].download, SVG_FILE);
  assert.equal(SVG_FILE, "autograd-graph.svg");
  assert.match(clicks[0].href, /^blob:/);
  assert.equal(clicks[0].inDocument, true);
  assert.equal(clicks[0].revokedBefore, false, "not revoked before the click");
  assert.equal(made.length, 1);
  assert.equal(made[0].url, clicks[0].href);
  assert.match(made[0].blob.type, /^image\/svg\+xml/);
  const text = await made[0].blob.text();
  assert.equal(text, standaloneSvg(canvas), "the drawing as it is now");
  const { root } = parse(window, text);
  assert.equal(fields(root, id("b"))[0], dataField(7));
  assert.equal(parent.querySelector("a"), null, "the link is gone");
  await window.happyDOM.waitUntilComplete();
  assert.deepEqual(revoked, [made[0].url], "then revoked");
  assert.equal(status(), "Saved autograd-graph.svg");
});

test("Export PNG: the injected toPng gets the SVG and the size at 2×, and its blob is downloaded as autograd-graph.png", async () => {
  /** @type {{svg: string, size: any, view: any}[]} */
  const calls = [];
  const png = { blob: /** @type {Blob | null} */ (null) };
  const toPng = async (/** @type {string} */ svg, /** @type {any} */ size, /** @type {any} */ view) => {
    calls.push({ svg, size, view });
    png.blob = new view.Blob(["PNG bytes"], { type: "image/png" });
    return png.blob;
  };
  const { window, canvas, made, clicks, button, status, revoked } = mounted({ toPng });
  button("Export PNG").click();
  await window.happyDOM.waitUntilComplete();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].svg, standaloneSvg(canvas));
  assert.equal(calls[0].view, window);
  assert.deepEqual(calls[0].size, { width: 882 * (4 / 3), height: 301 * (4 / 3), scale: 2 });
  assert.equal(clicks.length, 1);
  assert.equal(clicks[0].download, PNG_FILE);
  assert.equal(PNG_FILE, "autograd-graph.png");
  assert.equal(made.at(-1)?.blob, png.blob);
  assert.equal(made.at(-1)?.url, clicks[0].href);
  assert.deepEqual(revoked, [clicks[0].href]);
  assert.equal(status(), "Saved autograd-graph.png");
});

test("Export PNG that fails says why, downloads nothing", async () => {
  const { window, clicks, button, status } = mounted({
    toPng: async () => {
      throw new Error("no canvas here");
    },
  });
  button("Export PNG").click();
  await window.happyDOM.waitUntilComplete();
  assert.equal(clicks.length, 0);
  assert.equal(status(), "PNG export failed: no canvas here");
});

test("the default PNG path in happy-dom, which has no canvas: an error in the status line, not silence", async () => {
  const { window, clicks, button, status } = mounted();
  assert.equal(window.document.createElement("canvas").getContext("2d"), null, "happy-dom draws nothing");
  button("Export PNG").click();
  await window.happyDOM.waitUntilComplete();
  assert.equal(clicks.length, 0);
  assert.equal(status(), "PNG export failed: this browser cannot draw on a canvas");
});

test("svgToPng: an Image of the SVG from a blob: URL, drawn at the scale on a canvas, toBlob'd as PNG", async () => {
  const window = /** @type {any} */ (newWindow());
  /** @type {any[][]} */
  const log = [];
  const fake = {
    scale: (/** @type {number} */ x, /** @type {number} */ y) => log.push(["scale", x, y]),
    drawImage: (/** @type {any[]} */ ...a) => log.push(["drawImage", ...a]),
  };
  window.HTMLCanvasElement.prototype.getContext = function (/** @type {string} */ kind) {
    log.push(["getContext", kind, this.width, this.height]);
    return fake;
  };
  /** @param {BlobCallback} cb @param {string} type */
  window.HTMLCanvasElement.prototype.toBlob = function (cb, type) {
    log.push(["toBlob", type]);
    cb(new window.Blob(["png"], { type }));
  };
  /** @type {{url: string, blob: Blob}[]} */
  const made = [];
  /** @type {string[]} */
  const revoked = [];
  const { createObjectURL } = window.URL;
  window.URL.createObjectURL = (/** @type {Blob} */ blob) => {
    const url = createObjectURL.call(window.URL, blob);
    made.push({ url, blob });
    return url;
  };
  window.URL.revokeObjectURL = (/** @type {string} */ url) => revoked.push(url);
  /** @type {any[]} */
  const images = [];
  window.Image = class {
    set src(/** @type {string} */ url) {
      images.push(this);
      this.url = url;
      queueMicrotask(() => /** @type {any} set by svgToPng */ (this).onload());
    }
  };
  const blob = await svgToPng("<svg/>", { width: 100, height: 40, scale: 2 }, window);
  assert.equal(blob.type, "image/png");
  assert.deepEqual(log[0], ["getContext", "2d", 200, 80], "a canvas twice the size");
  assert.deepEqual(log[1], ["scale", 2, 2]);
  assert.deepEqual(log[2], ["drawImage", images[0], 0, 0, 100, 40]);
  assert.deepEqual(log[3], ["toBlob", "image/png"]);
  assert.equal(images[0].url, made[0].url);
  assert.match(made[0].url, /^blob:/);
  assert.equal(await made[0].blob.text(), "<svg/>");
  assert.match(made[0].blob.type, /^image\/svg\+xml/);
  assert.deepEqual(revoked, [made[0].url], "the image's URL revoked once drawn");
  // an SVG the browser cannot render: rejected, the URL revoked all the same
  window.Image = class {
    set src(/** @type {string} */ url) {
      queueMicrotask(() => /** @type {any} set by svgToPng */ (this).onerror());
    }
  };
  await assert.rejects(svgToPng("<svg/>", { width: 1, height: 1, scale: 2 }, window), /could not render/);
  assert.equal(revoked.length, 2);
});

test("pngScale: 2× unless the canvas would be too big to draw", () => {
  assert.equal(pngScale(1176, 401), 2);
  assert.equal(pngScale(20000, 1000), 16384 / 20000);
  assert.ok(Math.abs(pngScale(6000, 6000) - 8192 / 6000) < 1e-12, "area: 8192² at most");
});

test("no drawing: the status says so and nothing is downloaded", async () => {
  const { window, clicks, button, status } = mounted({ canvas: false, toPng: async () => assert.fail("not called") });
  button("Export SVG").click();
  assert.equal(status(), "No drawing to export.");
  button("Export PNG").click();
  await window.happyDOM.waitUntilComplete();
  assert.equal(clicks.length, 0);
  assert.equal(status(), "No drawing to export.");
});

test("destroy takes the buttons away", () => {
  const { parent, widget } = mounted();
  assert.equal(parent.querySelectorAll("button").length, 2);
  widget.destroy();
  assert.equal(parent.children.length, 0);
});
