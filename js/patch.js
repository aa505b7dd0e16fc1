// Patch the Graphviz drawing in place: text, data-* attributes and classes of the
// elements drawing.to_dot made, found once by their stable ids (n{i}, n{i}op, and c{i} for
// an open box's cluster), never by document order. A drag never relayouts and never
// rebuilds markup; a node whose numbers and flags did not change is not touched at all.
//
// The tape may hold 10^5 nodes of which a few hundred are drawn (boxes.js): everything
// here is per drawn node — a list of their ids and arrays indexed by place in it — so a
// frame costs what the drawing holds, not what the tape holds, and allocates nothing for
// a node that did not change.
//
// What costs a frame is the browser's work after the writes (style, SVG text layout,
// paint), so text, classes and fill are written only for nodes whose tile (tiles.js)
// is in or near the scroll box's view; the others get them when their tile scrolls
// in. data-label/-value/-grad stay current on every drawn node on every patch: no CSS
// rule reads them, so writing them costs no style or layout.
//
// Layer boxes are kept apart from the nodes (layer-boxes.js), and so is the tooltip,
// written on hover and focus rather than per frame (tooltip.js).

import { CLUSTER_ID, NODE_ID, textNode } from "./drawn.js";
import { dataField, gradField } from "./format.js";
import { same } from "./json.js";
import { LayerBoxes } from "./layer-boxes.js";
import { addHatch } from "./svg.js";
import { Tooltip } from "./tooltip.js";
import { Visibility } from "./visible.js";

/** Fill strengths in hundredths, as text: a patch picks one, it never formats one. */
const ALPHAS = Array.from({ length: 101 }, (_, k) => (k / 100).toFixed(2));

/** A gradient's fill strength in hundredths: visible from 1e-3, full near 1e2, on a log scale. @param {number} g */
function alphaOf(g) {
  const t = Math.min(1, Math.max(0, (Math.log10(Math.abs(g)) + 3) / 5));
  return Math.round(12 + 60 * t);
}

/** A gradient's fill opacity, as written. @param {number} g */
export const gradAlpha = (g) => ALPHAS[alphaOf(g)];

// A node's dynamic classes, as bits: the grad's class (two bits), then one bit each.
const GRAD_CLASSES = ["grad-zero", "grad-pos", "grad-neg", "grad-nonfinite"];
const STALE = 4;
const STALE_GRAD = 8;
const DATA_NONFINITE = 16;
const FLAG_CLASSES = /** @type {[number, string][]} */ ([
  [STALE, "stale"],
  [STALE_GRAD, "stale-grad"],
  [DATA_NONFINITE, "data-nonfinite"],
]);
const NONE = -1; // no class written yet

/** @param {number} g */
const gradBits = (g) => (g !== g || g === Infinity || g === -Infinity ? 3 : g > 0 ? 1 : g < 0 ? 2 : 0);

/**
 * @typedef {object} Parts
 * @property {SVGGElement} g the record's group, n{i}
 * @property {Element | null} op the op node's group, n{i}op
 * @property {Element | null} cluster an open box's cluster, c{i}: it carries node i's numbers too
 * @property {Element[]} tiles the <svg> elements holding g and op
 * @property {SVGElement | null} shape the record's outline (its fill shows the grad)
 * @property {Text | null} dataText
 * @property {Text | null} gradText
 * @property {number} bits the dynamic classes last written (NONE: none yet)
 * @property {number} alpha the fill opacity last written, in hundredths (0: none)
 */

export class Drawing {
  /**
   * @param {HTMLElement | SVGSVGElement} root the drawing: an <svg>, or tiles.js's canvas of <svg> tiles
   * @param {import("./evaluator.js").Evaluator} ev
   * @param {Element} [scroller] the scroll box around it (default root): what is out of its view waits
   */
  constructor(root, ev, scroller) {
    this.ev = ev;
    root.classList.add("agw-graph");
    const first = root.localName === "svg" ? root : root.querySelector("svg");
    if (first) addHatch(/** @type {SVGSVGElement} */ (first), root);
    /** @type {Map<number, SVGGElement>} */
    const records = new Map();
    /** @type {Map<number, Element>} */
    const ops = new Map();
    for (const g of /** @type {NodeListOf<SVGGElement>} */ (root.querySelectorAll("g.node"))) {
      const m = NODE_ID.exec(g.id);
      const i = m ? Number(m[1]) : -1;
      if (i < 0 || i >= ev.n || g.classList.contains("agw-layer")) continue;
      if (m?.[2]) ops.set(i, g);
      else records.set(i, g);
    }
    /** the drawn nodes' ids, in tape order; every array below is indexed by place in it */
    this.ids = Int32Array.from(records.keys()).sort();
    /** @type {Map<number, number>} node id → place in ids */
    this.slot = new Map();
    /** @type {Parts[]} */
    this.parts = [];
    for (let k = 0; k < this.ids.length; k++) {
      const i = this.ids[k];
      this.slot.set(i, k);
      this.parts.push(this.#parts(/** @type {SVGGElement} */ (records.get(i)), ops.get(i) ?? null));
    }
    for (const c of root.querySelectorAll("g.cluster")) {
      const m = CLUSTER_ID.exec(c.id);
      const k = m ? this.slot.get(Number(m[1])) : undefined;
      if (k !== undefined) this.parts[k].cluster = c;
    }
    const m = this.ids.length;
    // What data-* were last written with, compared as numbers: no string is made for a node
    // that did not change, and on a drag most data do not (only those downstream of the leaf).
    this.shownData = new Float64Array(m);
    this.shownGrad = new Float64Array(m);
    this.shownFlags = new Uint8Array(m).fill(255); // 255: never written
    this.drawnData = new Float64Array(m); // what the text shows, once drawn
    this.drawnGrad = new Float64Array(m);
    this.behind = new Uint8Array(m); // text, classes, fill not yet drawn for the latest numbers
    for (let k = 0; k < m; k++) this.#label(k);
    this.boxes = new LayerBoxes(root, ev, (p) => this.#seen(p));
    /** What the evaluator must recompute for this drawing: the drawn nodes and every layer box's outputs. */
    this.watched = [...this.ids, ...this.boxes.outputs()];
    /** @type {Map<Element, number[]>} tile → the places (in ids) of the nodes with a part in it */
    this.inTile = new Map();
    this.visibility = new Visibility(scroller || root, (t, seen) => seen && this.#cameIntoView(t));
    this.retile();
    this.controller = new AbortController();
    const nodeOf = (/** @type {number} */ i) => {
      const k = this.slot.get(i);
      return k === undefined ? undefined : this.parts[k];
    };
    this.tooltip = new Tooltip(root, ev, nodeOf, this.boxes.layerOf, this.controller.signal);
  }

  /** The layer boxes drawn. */
  get layers() {
    return this.boxes.layers;
  }

  /** A layer box's element → its parts. */
  get layerOf() {
    return this.boxes.layerOf;
  }

  /** Tile → the layer boxes in it. */
  get layersInTile() {
    return this.boxes.layersInTile;
  }

  /** Find which <svg> tile holds each node's groups; again after tiles.js split the drawing. */
  retile() {
    this.visibility.disconnect();
    this.inTile.clear();
    for (let k = 0; k < this.parts.length; k++) {
      const p = this.parts[k];
      p.tiles = [];
      for (const el of p.op ? [p.g, p.op] : [p.g]) {
        const t = el.closest("svg");
        if (!t || p.tiles.includes(t)) continue;
        p.tiles.push(t);
        const list = this.inTile.get(t);
        if (list) list.push(k);
        else this.inTile.set(t, [k]);
      }
    }
    for (const t of new Set([...this.inTile.keys(), ...this.boxes.retile()])) this.visibility.observe(t);
  }

  /** @param {SVGGElement} g @param {Element | null} op @returns {Parts} */
  #parts(g, op) {
    const texts = g.querySelectorAll("text");
    const fields = texts.length >= 2;
    return {
      g,
      op,
      cluster: null,
      tiles: [],
      shape: /** @type {SVGElement | null} */ (g.querySelector("path, ellipse, circle")),
      dataText: fields ? textNode(texts[texts.length - 2]) : null,
      gradText: fields ? textNode(texts[texts.length - 1]) : null,
      bits: NONE,
      alpha: 0,
    };
  }

  /** Static classes and labels, set once. @param {number} k */
  #label(k) {
    const p = this.parts[k];
    const i = this.ids[k];
    const label = this.ev.labelOf(i);
    const kind = this.ev.isLeaf(i) ? "leaf" : "computed";
    p.g.classList.add("agw-value", kind);
    if (i === this.ev.root) p.g.classList.add("output");
    p.g.setAttribute("data-label", label);
    if (p.op) {
      p.op.classList.add("agw-op");
      p.op.setAttribute("data-label", label);
    }
  }

  /** Bring every drawn node in line with the evaluator: data-* everywhere, the rest where it can be seen. */
  patch() {
    const { data, grad, staleData, staleGrad } = this.ev;
    const { ids, parts, shownData, shownGrad, shownFlags } = this;
    for (let k = 0; k < ids.length; k++) {
      const i = ids[k];
      const p = parts[k];
      const x = data[i];
      const g = grad[i];
      const flags = staleData[i] | (staleGrad[i] << 1);
      const fresh = shownFlags[k] === 255;
      const dx = fresh || !same(x, shownData[k]);
      const dg = fresh || !same(g, shownGrad[k]);
      if (!dx && !dg && flags === shownFlags[k]) continue;
      shownFlags[k] = flags;
      if (dx) {
        shownData[k] = x;
        const value = String(x);
        p.g.setAttribute("data-value", value);
        p.op?.setAttribute("data-value", value);
        p.cluster?.setAttribute("data-value", value);
      }
      if (dg) {
        shownGrad[k] = g;
        const gradient = String(g);
        p.g.setAttribute("data-grad", gradient);
        p.op?.setAttribute("data-grad", gradient);
        p.cluster?.setAttribute("data-grad", gradient);
      }
      if (this.#seen(p)) this.#draw(k);
      else this.behind[k] = 1;
    }
    this.boxes.patch();
  }

  /** @param {{tiles: Element[]}} p */
  #seen(p) {
    for (let t = 0; t < p.tiles.length; t++) if (this.visibility.seen(p.tiles[t])) return true;
    return false;
  }

  /** A tile scrolled into (or near) view: draw what it missed. @param {Element} tile */
  #cameIntoView(tile) {
    for (const k of this.inTile.get(tile) ?? []) if (this.behind[k]) this.#draw(k);
    this.boxes.cameIntoView(tile);
  }

  /**
   * Text, classes and fill of the node at place k from the evaluator's numbers. Only what
   * changed is written: each class or style write costs a style recalculation.
   * @param {number} k
   */
  #draw(k) {
    const ev = this.ev;
    const p = this.parts[k];
    const i = this.ids[k];
    this.behind[k] = 0;
    const x = ev.data[i];
    const g = ev.grad[i];
    const first = p.bits === NONE; // the text is still the kernel's: whatever it says, write ours
    const grads = gradBits(g);
    let bits = grads;
    if (ev.staleData[i]) bits |= STALE;
    if (ev.staleGrad[i]) bits |= STALE_GRAD;
    if (x !== x || x === Infinity || x === -Infinity) bits |= DATA_NONFINITE;
    if (bits !== p.bits) {
      // Class by class, not the whole attribute: the drawing's interactions (scrub.js, boxes.js) add their own.
      this.#classes(p.g, p.bits, bits);
      if (p.op) this.#classes(p.op, p.bits, bits);
      p.bits = bits;
    }
    const alpha = grads === 1 || grads === 2 ? alphaOf(g) : 0;
    if (alpha !== p.alpha && p.shape) {
      p.alpha = alpha;
      if (alpha) p.shape.style.setProperty("fill-opacity", ALPHAS[alpha]);
      else p.shape.style.removeProperty("fill-opacity");
    }
    if (p.dataText && (first || !same(x, this.drawnData[k]))) {
      this.drawnData[k] = x;
      const text = dataField(x);
      if (text !== p.dataText.data) p.dataText.data = text;
    }
    if (p.gradText && (first || !same(g, this.drawnGrad[k]))) {
      this.drawnGrad[k] = g;
      const text = gradField(g);
      if (text !== p.gradText.data) p.gradText.data = text;
    }
  }

  /** Move an element from the classes of `was` to those of `now`. @param {Element} el @param {number} was @param {number} now */
  #classes(el, was, now) {
    const list = el.classList;
    if (was === NONE || (was & 3) !== (now & 3)) {
      if (was !== NONE) list.remove(GRAD_CLASSES[was & 3]);
      list.add(GRAD_CLASSES[now & 3]);
    }
    for (const [bit, name] of FLAG_CLASSES) {
      const on = (now & bit) !== 0;
      if (was === NONE ? on : on !== ((was & bit) !== 0)) list.toggle(name, on);
    }
  }

  /** Stop watching what is in view and what the pointer is over: the drawing is being replaced. */
  destroy() {
    this.visibility.disconnect();
    this.controller.abort();
  }
}
