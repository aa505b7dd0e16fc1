// Patch the Graphviz drawing in place: text, data-* attributes and classes of the
// elements drawing.to_dot made, found once by their stable ids (n{i}, n{i}op), never
// by document order. A drag never relayouts and never rebuilds markup; a node whose
// numbers and flags did not change is not touched at all.

import { dataField, gradField } from "./format.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const NODE_ID = /^n(\d+)(op)?$/;

/**
 * Parse the `svg` trait (a whole SVG document from Graphviz) into an element of `doc`.
 * @param {Document} doc @param {string} text
 * @returns {SVGSVGElement}
 */
export function parseSvg(doc, text) {
  const view = /** @type {any} */ (doc.defaultView);
  const parsed = new view.DOMParser().parseFromString(text, "image/svg+xml").documentElement;
  if (parsed && parsed.localName === "svg" && parsed.namespaceURI === SVG_NS) {
    return /** @type {SVGSVGElement} */ (doc.importNode(parsed, true));
  }
  throw new Error("the drawing is not valid SVG");
}

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

let patterns = 0;

/** A hatch for NaN/inf grads, with an id no other widget on the page uses. @param {SVGSVGElement} svg */
function addHatch(svg) {
  const doc = svg.ownerDocument;
  const id = `agw-hatch-${++patterns}-${Math.random().toString(36).slice(2, 8)}`;
  /** @param {string} tag @param {Record<string, string>} attrs */
  const el = (tag, attrs) => {
    const e = doc.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const pattern = el("pattern", {
    id,
    width: "6",
    height: "6",
    patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)",
  });
  pattern.append(
    el("rect", { width: "6", height: "6", class: "agw-hatch-bg" }),
    el("rect", { width: "2.5", height: "6", class: "agw-hatch-line" }),
  );
  const defs = el("defs", {});
  defs.append(pattern);
  svg.prepend(defs);
  svg.style.setProperty("--agw-hatch", `url(#${id})`);
}

/**
 * @typedef {object} Parts
 * @property {SVGGElement} g the record's group, n{i}
 * @property {Element | null} op the op node's group, n{i}op
 * @property {SVGElement | null} shape the record's outline (its fill shows the grad)
 * @property {Element | null} dataText
 * @property {Element | null} gradText
 * @property {Element | null} title
 * @property {string} states the dynamic classes last written
 * @property {string} alpha the fill opacity last written
 * @property {string} dataShown the data field's text last written
 * @property {string} gradShown
 */

export class Drawing {
  /**
   * @param {SVGSVGElement} svg already in the page (or a test document)
   * @param {import("./evaluator.js").Evaluator} ev
   */
  constructor(svg, ev) {
    this.svg = svg;
    this.ev = ev;
    svg.classList.add("agw-graph");
    addHatch(svg);
    /** @type {(Parts | undefined)[]} */
    this.parts = new Array(ev.n);
    const ops = new Map();
    for (const g of /** @type {NodeListOf<SVGGElement>} */ (svg.querySelectorAll("g.node"))) {
      const m = NODE_ID.exec(g.id);
      const i = m ? Number(m[1]) : -1;
      if (i < 0 || i >= ev.n) continue;
      if (m?.[2]) ops.set(i, g);
      else this.parts[i] = this.#parts(g);
    }
    for (const [i, g] of ops) if (this.parts[i]) /** @type {Parts} */ (this.parts[i]).op = g;
    this.shown = new Array(ev.n).fill(""); // the state each node was last drawn with
    /** @type {Map<Element, string>} the classes a group has whatever the numbers */
    this.base = new Map();
    for (let i = 0; i < ev.n; i++) this.#label(i);
    svg.addEventListener("pointerover", (e) => this.#onHover(e));
  }

  /** @param {SVGGElement} g @returns {Parts} */
  #parts(g) {
    const texts = g.querySelectorAll("text");
    const fields = texts.length >= 2;
    return {
      g,
      op: null,
      shape: /** @type {SVGElement | null} */ (g.querySelector("polygon, path, ellipse")),
      dataText: fields ? texts[texts.length - 2] : null,
      gradText: fields ? texts[texts.length - 1] : null,
      title: g.querySelector("title"),
      states: "",
      alpha: "",
      dataShown: fields ? texts[texts.length - 2].textContent || "" : "",
      gradShown: fields ? texts[texts.length - 1].textContent || "" : "",
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
    this.base.set(p.g, p.g.getAttribute("class") || "");
    if (p.op) {
      p.op.classList.add("agw-op");
      p.op.setAttribute("data-label", label);
      this.base.set(p.op, p.op.getAttribute("class") || "");
    }
  }

  /** Bring every node in line with the evaluator. Cheap when little changed. */
  patch() {
    const { data, grad, staleData, staleGrad, pendingData, pendingGrad } = this.ev;
    for (let i = 0; i < this.parts.length; i++) {
      const p = this.parts[i];
      if (!p) continue;
      const x = data[i];
      const g = grad[i];
      const key = `${x} ${g} ${staleData[i]}${staleGrad[i]}${pendingData[i]}${pendingGrad[i]}`;
      if (key === this.shown[i]) continue;
      this.shown[i] = key;
      this.#patchNode(p, i, x, g);
    }
  }

  /** @param {Parts} p @param {number} i @param {number} x @param {number} g */
  #patchNode(p, i, x, g) {
    const ev = this.ev;
    const value = String(x);
    const gradient = String(g);
    const cls = gradClass(g);
    let states = cls;
    if (ev.staleData[i]) states += " stale";
    if (ev.staleGrad[i]) states += " stale-grad";
    if (ev.pendingData[i] || ev.pendingGrad[i]) states += " pending";
    if (x !== x || x === Infinity || x === -Infinity) states += " data-nonfinite";
    // Only what changed is written: each class or style write costs the browser a
    // style recalculation, which dominates a frame on a few hundred nodes.
    const groups = p.op ? [p.g, p.op] : [p.g];
    for (const el of groups) {
      el.setAttribute("data-value", value);
      el.setAttribute("data-grad", gradient);
    }
    if (states !== p.states) {
      p.states = states;
      for (const el of groups) el.setAttribute("class", `${this.base.get(el)} ${states}`);
    }
    const alpha = cls === "grad-pos" || cls === "grad-neg" ? gradAlpha(g) : "";
    if (alpha !== p.alpha && p.shape) {
      p.alpha = alpha;
      if (alpha) p.shape.style.setProperty("fill-opacity", alpha);
      else p.shape.style.removeProperty("fill-opacity");
    }
    const dataText = dataField(x);
    if (p.dataText && dataText !== p.dataShown) p.dataText.textContent = p.dataShown = dataText;
    const gradText = gradField(g);
    if (p.gradText && gradText !== p.gradShown) p.gradText.textContent = p.gradShown = gradText;
  }

  /** The tooltip: written when the pointer arrives, not on every drag frame. @param {Event} e */
  #onHover(e) {
    const g = /** @type {Element} */ (e.target).closest?.("g.node");
    const m = g && NODE_ID.exec(g.id);
    const i = m ? Number(m[1]) : -1;
    const p = this.parts[i];
    if (!p || !m) return;
    const ev = this.ev;
    const why =
      ev.staleData[i] || ev.staleGrad[i]
        ? " (stale: an op upstream has no rule)"
        : ev.pendingData[i] || ev.pendingGrad[i]
          ? " (waiting for the kernel)"
          : "";
    const text = `${ev.label[i] || `node ${i}`}: data ${ev.data[i]}, grad ${ev.grad[i]}${why}`;
    const title = m[2] ? p.op?.querySelector("title") : p.title;
    if (title) title.textContent = text;
  }
}
