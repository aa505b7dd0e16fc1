// Split one big Graphviz SVG into stacked <svg> tiles of a few dozen nodes each.
//
// Chromium repaints an SVG root as a whole: change one text and paint, pre-paint and
// layerization walk every element of it (measured: one text changed in a 1,000-node
// drawing costs ~20 ms of rendering; in 30 tiles of ~60 nodes, ~4 ms). Each tile is its
// own SVG root, so a drag repaints only the tiles whose nodes changed and can be seen.
// The edges, the background and the clusters of open boxes (only their data-* change)
// stay in the original <svg>, under the tiles. Every element exists once, so ids and
// selectors work as before.

import { SVG_NS } from "./svg.js";

/** Tiles hold at most this many node groups (value and op nodes). */
export const TILE_NODES = 64;

const PX_PER = /** @type {Record<string, number>} */ ({
  pt: 4 / 3,
  px: 1,
  "": 1,
  in: 96,
  cm: 96 / 2.54,
  mm: 96 / 25.4,
});

/** A length attribute ("1715pt") in CSS px, or NaN. @param {string | null} s */
export function cssPx(s) {
  const m = /^\s*([\d.]+)\s*(pt|px|in|cm|mm|)\s*$/.exec(s || "");
  return m ? Number(m[1]) * PX_PER[m[2]] : NaN;
}

/** @typedef {{x: number, y: number, w: number, h: number}} Box */

/**
 * Groups of at most `max` boxes that lie close together: split at the median of the
 * longer side until every group is small enough (a k-d tree's leaves).
 * @template {{box: Box}} T
 * @param {T[]} items @param {number} max @returns {T[][]}
 */
export function cluster(items, max) {
  if (items.length <= max) return [items];
  const cx = (/** @type {T} */ t) => t.box.x + t.box.w / 2;
  const cy = (/** @type {T} */ t) => t.box.y + t.box.h / 2;
  const spread = (/** @type {(t: T) => number} */ f) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of items) {
      lo = Math.min(lo, f(t));
      hi = Math.max(hi, f(t));
    }
    return hi - lo;
  };
  const by = spread(cx) >= spread(cy) ? cx : cy;
  const sorted = [...items].sort((a, b) => by(a) - by(b));
  const half = sorted.length >> 1;
  return [...cluster(sorted.slice(0, half), max), ...cluster(sorted.slice(half), max)];
}

/** @param {Box[]} boxes @returns {Box} */
function union(boxes) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * Put the parsed drawing in a canvas of its natural size (CSS px), which zoom.js scales.
 * @param {SVGSVGElement} svg @returns {{canvas: HTMLElement, width: number, height: number}}
 */
export function wrap(svg) {
  const canvas = svg.ownerDocument.createElement("div");
  canvas.className = "agw-canvas";
  const width = cssPx(svg.getAttribute("width"));
  const height = cssPx(svg.getAttribute("height"));
  canvas.append(svg);
  // With no natural size the SVG sizes itself, in the flow, and nothing can be split.
  if (width > 0 && height > 0) svg.classList.add("agw-tile", "agw-base");
  return { canvas, width, height };
}

/**
 * Move the node groups of wrap's drawing into tiles. Needs geometry (getBBox): call it
 * once the canvas is in a rendered page; returns false, moving nothing, until then.
 * @param {HTMLElement} canvas @param {number} [max] @returns {boolean} whether it split (or had no need to)
 */
export function split(canvas, max = TILE_NODES) {
  const svg = /** @type {SVGSVGElement | null} */ (canvas.querySelector(":scope > svg.agw-base"));
  const graph = /** @type {SVGGElement | null} */ (svg?.querySelector(":scope > g") ?? null);
  const view = (svg?.getAttribute("viewBox") || "")
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  // Graphviz writes clusters beside the nodes, not around them; should a node sit in a
  // cluster's group all the same, it is tiled too (coordinates are the graph's throughout).
  const nodes = graph ? [...graph.querySelectorAll("g.node")] : [];
  if (!svg || !graph || view.length !== 4 || !(view[2] > 0 && view[3] > 0) || nodes.length <= max) return true;
  const doc = canvas.ownerDocument;
  const [vx, vy, vw, vh] = view;
  const m = graph.transform?.baseVal?.consolidate?.()?.matrix ?? { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };
  const items = nodes.map((g) => {
    const b = /** @type {SVGGraphicsElement} */ (g).getBBox();
    const xs = [m.a * b.x + m.c * b.y + m.e, m.a * (b.x + b.width) + m.c * (b.y + b.height) + m.e];
    const ys = [m.b * b.x + m.d * b.y + m.f, m.b * (b.x + b.width) + m.d * (b.y + b.height) + m.f];
    const box = { x: Math.min(...xs), y: Math.min(...ys), w: Math.abs(xs[1] - xs[0]), h: Math.abs(ys[1] - ys[0]) };
    return { g, box };
  });
  if (items.every((t) => t.box.w === 0 && t.box.h === 0)) return false; // not rendered (yet)
  const pct = (/** @type {number} */ v) => `${(v * 100).toFixed(4)}%`;
  const transform = graph.getAttribute("transform");
  for (const group of cluster(items, max)) {
    const b = union(group.map((t) => t.box));
    const pad = 2; // user units: strokes reach past getBBox
    const [x, y, w, h] = [b.x - pad, b.y - pad, b.w + 2 * pad, b.h + 2 * pad];
    const t = doc.createElementNS(SVG_NS, "svg");
    t.setAttribute("class", "agw-tile");
    t.setAttribute("viewBox", `${x} ${y} ${w} ${h}`);
    t.setAttribute("preserveAspectRatio", "none");
    t.setAttribute(
      "style",
      `left:${pct((x - vx) / vw)};top:${pct((y - vy) / vh)};width:${pct(w / vw)};height:${pct(h / vh)}`,
    );
    const g = doc.createElementNS(SVG_NS, "g");
    if (transform) g.setAttribute("transform", transform);
    for (const item of group) g.append(item.g);
    t.append(g);
    canvas.append(t);
  }
  return true;
}
