// The layer boxes of a drawing (class agw-layer: all the neurons of one layer call, drawn
// as one), kept up to date for patch.js. Apart from the per-node arrays there because a
// layer box has no node of its own: its id is past the tape's nodes, and data-outputs
// lists its neurons' output nodes. data-value/-grad are the outputs' numbers as a list,
// its fields their range (format.js rangeField), and it gets no grad fill or classes.
// A short list of its own, patched after the per-node loop.

import { CLUSTER_ID, NODE_ID, textNode } from "./drawn.js";
import { rangeField } from "./format.js";
import { same } from "./json.js";

/**
 * A layer box drawn: its record n{gid} when collapsed, its cluster c{gid} when open.
 * @typedef {object} LayerParts
 * @property {number} gid the box's id (>= the tape's node count)
 * @property {Element} el the record or the cluster, whichever is drawn
 * @property {Int32Array} outputs its neurons' output nodes, in neuron order
 * @property {Element[]} tiles the <svg> element holding el
 * @property {Text | null} dataText the record's fields; none on a cluster
 * @property {Text | null} gradText
 * @property {Float64Array} shownData the outputs' data last written to data-value
 * @property {Float64Array} shownGrad
 * @property {boolean} fresh nothing written yet
 * @property {boolean} behind the fields not yet drawn for the latest numbers
 */

/** A list attribute's text: "[0.5,-1,NaN]". @param {Float64Array} xs */
function listOf(xs) {
  let s = "[";
  for (let j = 0; j < xs.length; j++) s += (j ? "," : "") + String(xs[j]);
  return s + "]";
}

/**
 * The smallest and largest of `column` over `ids`: NaN for both if any is NaN (or there are none).
 * @param {Float64Array} column @param {Int32Array} ids @returns {[number, number]}
 */
export function rangeOf(column, ids) {
  if (!ids.length) return [NaN, NaN];
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < ids.length; j++) {
    const x = column[ids[j]];
    if (x !== x) return [NaN, NaN];
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

export class LayerBoxes {
  /**
   * @param {Element} root the drawing
   * @param {import("./evaluator.js").Evaluator} ev
   * @param {(p: {tiles: Element[]}) => boolean} seen whether any of a box's tiles is in or near view
   */
  constructor(root, ev, seen) {
    this.ev = ev;
    this.seen = seen;
    /** @type {LayerParts[]} the layer boxes drawn */
    this.layers = [];
    /** @type {Map<Element, LayerParts>} a layer box's element → its parts */
    this.layerOf = new Map();
    for (const el of root.querySelectorAll("g.agw-layer[data-outputs]")) {
      const L = this.#layer(el);
      if (!L) continue;
      this.layers.push(L);
      this.layerOf.set(el, L);
    }
    /** @type {Map<Element, LayerParts[]>} tile → the layer boxes in it */
    this.layersInTile = new Map();
  }

  /** Every box's outputs, in box order: what the evaluator must recompute for them. @returns {number[]} */
  outputs() {
    const all = [];
    for (const L of this.layers) for (const i of L.outputs) all.push(i);
    return all;
  }

  /** Find which <svg> tile holds each box; again after tiles.js split the drawing. @returns {Iterable<Element>} the tiles */
  retile() {
    this.layersInTile.clear();
    for (const L of this.layers) {
      const t = L.dataText || L.gradText ? L.el.closest("svg") : null; // an open one's cluster has no fields to wait
      L.tiles = t ? [t] : [];
      if (!t) continue;
      const list = this.layersInTile.get(t);
      if (list) list.push(L);
      else this.layersInTile.set(t, [L]);
    }
    return this.layersInTile.keys();
  }

  /**
   * A layer box's parts, from its record n{gid} or cluster c{gid}; null if it is neither.
   * @param {Element} el @returns {LayerParts | null}
   */
  #layer(el) {
    const m = NODE_ID.exec(el.id) ?? CLUSTER_ID.exec(el.id);
    if (!m || m[2]) return null;
    const n = this.ev.n;
    const outputs = Int32Array.from(
      (el.getAttribute("data-outputs") || "")
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number)
        .filter((i) => Number.isInteger(i) && i >= 0 && i < n),
    );
    const record = el.id[0] === "n";
    const texts = record ? el.querySelectorAll("text") : [];
    const fields = texts.length >= 2;
    return {
      gid: Number(m[1]),
      el,
      outputs,
      tiles: [],
      dataText: fields ? textNode(texts[texts.length - 2]) : null,
      gradText: fields ? textNode(texts[texts.length - 1]) : null,
      shownData: new Float64Array(outputs.length),
      shownGrad: new Float64Array(outputs.length),
      fresh: true,
      behind: false,
    };
  }

  /** Bring every box in line with the evaluator. */
  patch() {
    for (let l = 0; l < this.layers.length; l++) this.#patchLayer(this.layers[l]);
  }

  /** A layer box's data-* when some output's number changed; its fields if it can be seen. @param {LayerParts} L */
  #patchLayer(L) {
    const { data, grad } = this.ev;
    const { outputs, shownData, shownGrad } = L;
    let dx = L.fresh;
    let dg = L.fresh;
    for (let j = 0; j < outputs.length && !(dx && dg); j++) {
      const i = outputs[j];
      if (!dx && !same(data[i], shownData[j])) dx = true;
      if (!dg && !same(grad[i], shownGrad[j])) dg = true;
    }
    if (!dx && !dg) return;
    L.fresh = false;
    if (dx) {
      for (let j = 0; j < outputs.length; j++) shownData[j] = data[outputs[j]];
      L.el.setAttribute("data-value", listOf(shownData));
    }
    if (dg) {
      for (let j = 0; j < outputs.length; j++) shownGrad[j] = grad[outputs[j]];
      L.el.setAttribute("data-grad", listOf(shownGrad));
    }
    if (!L.dataText && !L.gradText) return;
    if (this.seen(L)) this.#drawLayer(L);
    else L.behind = true;
  }

  /** A tile scrolled into (or near) view: draw what its boxes missed. @param {Element} tile */
  cameIntoView(tile) {
    for (const L of this.layersInTile.get(tile) ?? []) if (L.behind) this.#drawLayer(L);
  }

  /** A layer box's fields: the range of its outputs' numbers. @param {LayerParts} L */
  #drawLayer(L) {
    L.behind = false;
    const { data, grad } = this.ev;
    if (L.dataText) {
      const text = rangeField("data", ...rangeOf(data, L.outputs));
      if (text !== L.dataText.data) L.dataText.data = text;
    }
    if (L.gradText) {
      const text = rangeField("grad", ...rangeOf(grad, L.outputs));
      if (text !== L.gradText.data) L.gradText.data = text;
    }
  }
}
