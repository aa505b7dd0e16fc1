// Patch the Graphviz drawing in place: text, data-* attributes and classes of the
// elements drawing.to_dot made, found once by their stable ids (n{i}, n{i}op), never
// by document order. A drag never relayouts and never rebuilds markup; a node whose
// numbers and flags did not change is not touched at all.
//
// What costs a frame is the browser's work after the writes (style, SVG text layout,
// paint), so text, classes and fill are written only for nodes whose tile (tiles.js)
// is in or near the scroll box's view; the others get them when their tile scrolls
// in. data-label/-value/-grad stay current on every node on every patch: no CSS rule
// reads them, so writing them costs no style or layout.

import { dataField, gradField } from "./format.js";
import { same } from "./json.js";
import { addHatch } from "./svg.js";
import { Visibility } from "./visible.js";

const NODE_ID = /^n(\d+)(op)?$/;

/** A gradient's fill strength: visible from 1e-3, full near 1e2, on a log scale. @param {number} g */
export function gradAlpha(g) {
  const t = Math.min(1, Math.max(0, (Math.log10(Math.abs(g)) + 3) / 5));
  return (0.12 + 0.6 * t).toFixed(2);
}

/** @param {number} g */
function gradClass(g) {
  if (g !== g || g === Infinity || g === -Infinity) return "grad-nonfinite";
  return g > 0 ? "grad-pos" : g < 0 ? "grad-neg" : "grad-zero";
}

/**
 * A field's text node, to write through Text.data: setting textContent would replace
 * the node, and the browser rebuild its layout object, on every write.
 * @param {Element} el @returns {Text}
 */
function textNode(el) {
  const t = el.firstChild;
  if (t && t.nodeType === 3 && !t.nextSibling) return /** @type {Text} */ (t);
  const text = el.ownerDocument.createTextNode(el.textContent || "");
  el.replaceChildren(text);
  return text;
}

/**
 * @typedef {object} Parts
 * @property {SVGGElement} g the record's group, n{i}
 * @property {Element | null} op the op node's group, n{i}op
 * @property {Element[]} tiles the <svg> elements holding g and op
 * @property {SVGElement | null} shape the record's outline (its fill shows the grad)
 * @property {Text | null} dataText
 * @property {Text | null} gradText
 * @property {string} states the dynamic classes last written
 * @property {string} alpha the fill opacity last written
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
    /** @type {(Parts | undefined)[]} */
    this.parts = new Array(ev.n);
    const ops = new Map();
    for (const g of /** @type {NodeListOf<SVGGElement>} */ (root.querySelectorAll("g.node"))) {
      const m = NODE_ID.exec(g.id);
      const i = m ? Number(m[1]) : -1;
      if (i < 0 || i >= ev.n) continue;
      if (m?.[2]) ops.set(i, g);
      else this.parts[i] = this.#parts(g);
    }
    for (const [i, op] of ops) if (this.parts[i]) /** @type {Parts} */ (this.parts[i]).op = op;
    // What data-* were last written with, compared as numbers: no string is made for a node
    // that did not change, and on a drag most data do not (only those downstream of the leaf).
    this.shownData = new Float64Array(ev.n);
    this.shownGrad = new Float64Array(ev.n);
    this.shownFlags = new Uint8Array(ev.n).fill(255); // 255: never written
    this.behind = new Uint8Array(ev.n); // text, classes, fill not yet drawn for the latest numbers
    for (let i = 0; i < ev.n; i++) this.#label(i);
    /** @type {Map<Element, number[]>} tile → the nodes with a part in it */
    this.inTile = new Map();
    this.visibility = new Visibility(scroller || root, (t, seen) => seen && this.#cameIntoView(t));
    this.retile();
    root.addEventListener("pointerover", (e) => this.#onHover(e));
  }

  /** Find which <svg> tile holds each node's groups; again after tiles.js split the drawing. */
  retile() {
    this.visibility.disconnect();
    this.inTile.clear();
    for (let i = 0; i < this.parts.length; i++) {
      const p = this.parts[i];
      if (!p) continue;
      p.tiles = [];
      for (const el of p.op ? [p.g, p.op] : [p.g]) {
        const t = el.closest("svg");
        if (!t || p.tiles.includes(t)) continue;
        p.tiles.push(t);
        const list = this.inTile.get(t);
        if (list) list.push(i);
        else this.inTile.set(t, [i]);
      }
    }
    for (const t of this.inTile.keys()) this.visibility.observe(t);
  }

  /** @param {SVGGElement} g @returns {Parts} */
  #parts(g) {
    const texts = g.querySelectorAll("text");
    const fields = texts.length >= 2;
    return {
      g,
      op: null,
      tiles: [],
      shape: /** @type {SVGElement | null} */ (g.querySelector("path, ellipse, circle")),
      dataText: fields ? textNode(texts[texts.length - 2]) : null,
      gradText: fields ? textNode(texts[texts.length - 1]) : null,
      states: "",
      alpha: "",
    };
  }

  /** Static classes and labels, set once. @param {number} i */
  #label(i) {
    const p = this.parts[i];
    if (!p) return;
    const label = this.ev.label[i];
    const kind = this.ev.isLeaf(i) ? "leaf" : "computed";
    p.g.classList.add("agw-value", kind);
    if (i === this.ev.root) p.g.classList.add("output");
    p.g.setAttribute("data-label", label);
    if (p.op) {
      p.op.classList.add("agw-op");
      p.op.setAttribute("data-label", label);
    }
  }

  /** Bring every node in line with the evaluator: data-* everywhere, the rest where it can be seen. */
  patch() {
    const { data, grad, staleData, staleGrad } = this.ev;
    const { shownData, shownGrad, shownFlags } = this;
    for (let i = 0; i < this.parts.length; i++) {
      const p = this.parts[i];
      if (!p) continue;
      const x = data[i];
      const g = grad[i];
      const flags = staleData[i] | (staleGrad[i] << 1);
      const fresh = shownFlags[i] === 255;
      const dx = fresh || !same(x, shownData[i]);
      const dg = fresh || !same(g, shownGrad[i]);
      if (!dx && !dg && flags === shownFlags[i]) continue;
      shownFlags[i] = flags;
      if (dx) {
        shownData[i] = x;
        const value = String(x);
        p.g.setAttribute("data-value", value);
        p.op?.setAttribute("data-value", value);
      }
      if (dg) {
        shownGrad[i] = g;
        const gradient = String(g);
        p.g.setAttribute("data-grad", gradient);
        p.op?.setAttribute("data-grad", gradient);
      }
      if (p.tiles.some((t) => this.visibility.seen(t))) this.#draw(p, i);
      else this.behind[i] = 1;
    }
  }

  /** A tile scrolled into (or near) view: draw what it missed. @param {Element} tile */
  #cameIntoView(tile) {
    for (const i of this.inTile.get(tile) ?? []) {
      const p = this.parts[i];
      if (p && this.behind[i]) this.#draw(p, i);
    }
  }

  /**
   * Text, classes and fill of node i from the evaluator's numbers. Only what changed is
   * written: each class or style write costs a style recalculation.
   * @param {Parts} p @param {number} i
   */
  #draw(p, i) {
    const ev = this.ev;
    this.behind[i] = 0;
    const x = ev.data[i];
    const g = ev.grad[i];
    const cls = gradClass(g);
    let states = cls;
    if (ev.staleData[i]) states += " stale";
    if (ev.staleGrad[i]) states += " stale-grad";
    if (x !== x || x === Infinity || x === -Infinity) states += " data-nonfinite";
    if (states !== p.states) {
      // Class by class, not the whole attribute: the drawing's interactions (scrub.js) add their own.
      const now = states.split(" ");
      const gone = p.states.split(" ").filter((c) => c && !now.includes(c));
      for (const el of p.op ? [p.g, p.op] : [p.g]) {
        if (gone.length) el.classList.remove(...gone);
        el.classList.add(...now);
      }
      p.states = states;
    }
    const alpha = cls === "grad-pos" || cls === "grad-neg" ? gradAlpha(g) : "";
    if (alpha !== p.alpha && p.shape) {
      p.alpha = alpha;
      if (alpha) p.shape.style.setProperty("fill-opacity", alpha);
      else p.shape.style.removeProperty("fill-opacity");
    }
    if (p.dataText) {
      const text = dataField(x);
      if (text !== p.dataText.data) p.dataText.data = text;
    }
    if (p.gradText) {
      const text = gradField(g);
      if (text !== p.gradText.data) p.gradText.data = text;
    }
  }

  /** The tooltip: written when the pointer arrives, not on every drag frame. @param {Event} e */
  #onHover(e) {
    const g = /** @type {Element} */ (e.target).closest?.("g.node");
    const m = g && NODE_ID.exec(g.id);
    const i = m ? Number(m[1]) : -1;
    const p = this.parts[i];
    if (!p || !m) return;
    const ev = this.ev;
    const why = ev.staleData[i] || ev.staleGrad[i] ? " (stale: an op upstream has no rule)" : "";
    const text = `${ev.label[i] || `node ${i}`}: data ${ev.data[i]}, grad ${ev.grad[i]}${why}`;
    const group = m[2] ? p.op : p.g;
    if (!group) return;
    // The drawing carries no <title>s (bytes per node): the first hover makes one.
    let title = group.querySelector(":scope > title");
    if (!title) group.prepend((title = group.ownerDocument.createElementNS(group.namespaceURI, "title")));
    title.textContent = text;
  }

  /** Stop watching what is in view. */
  destroy() {
    this.visibility.disconnect();
  }
}
