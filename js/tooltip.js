// The drawing's tooltip, apart from patch.js because it is written on a different beat:
// when the pointer or focus arrives at a node, not on every drag frame. A node's says
// what explain.js says (its expression, local derivatives, how its grad is summed); a
// layer box's (layer-boxes.js) gives its outputs' range. Focus also gets it as the
// aria-label (an SVG <title> is not announced reliably on focus), unless the element has
// one of its own: a box's (boxes.js) says how to open it.
//
// While the learner's grads are hidden (the quiz puts GRADS_HIDDEN on the widget's root),
// no line states a grad: op, data and local derivatives only.

import { NODE_ID } from "./drawn.js";
import { explain } from "./explain.js";
import { rangeOf } from "./layer-boxes.js";

/** On the widget's root (.agw) while the learner's grads are hidden (quiz.js). */
export const GRADS_HIDDEN = "agw-grads-hidden";

/** Whether the grads are hidden for the widget `el` is in. @param {Element} el */
export const gradsHidden = (el) => el.closest?.(".agw")?.classList.contains(GRADS_HIDDEN) === true;

/**
 * A drawn node's groups, as the tooltip needs them.
 * @typedef {object} NodeGroups
 * @property {Element} g the record's group, n{i}
 * @property {Element | null} op the op node's group, n{i}op
 */

export class Tooltip {
  /** @type {WeakMap<Element, string>} the aria-labels #tip wrote, to tell them from an element's own */
  #spoken = new WeakMap();

  /**
   * @param {Element} root the drawing
   * @param {import("./evaluator.js").Evaluator} ev
   * @param {(i: number) => NodeGroups | undefined} nodeOf a drawn node's groups (undefined: not drawn)
   * @param {Map<Element, import("./layer-boxes.js").LayerParts>} layerOf a layer box's element → its parts
   * @param {AbortSignal} signal removes the listeners
   */
  constructor(root, ev, nodeOf, layerOf, signal) {
    this.root = root;
    this.ev = ev;
    this.nodeOf = nodeOf;
    this.layerOf = layerOf;
    root.addEventListener("pointerover", (e) => this.#onHover(e), { signal });
    root.addEventListener("focusin", (e) => this.#onHover(e), { signal });
  }

  /** @param {Event} e */
  #onHover(e) {
    const target = /** @type {Element} */ (e.target);
    const g = target.closest?.("g.node");
    const layer = g ? (g.classList.contains("agw-layer") ? g : null) : target.closest?.("g.cluster.agw-layer");
    const L = layer && this.layerOf.get(layer);
    if (L) return this.#tip(L.el, this.#layerTip(L), e.type === "focusin" ? target : null);
    const m = g && NODE_ID.exec(g.id);
    const p = m ? this.nodeOf(Number(m[1])) : undefined;
    if (!m || p === undefined) return;
    const i = Number(m[1]);
    const ev = this.ev;
    const scope = p.g.getAttribute("data-scope"); // a closed box: its name stands for its output
    const labelOf = (/** @type {number} */ j) => (j === i && scope) || ev.labelOf(j) || `node ${j}`;
    // an op with no rule is known by its drawn name only (its <text>: the group may hold a <title> by now)
    const opName = p.op?.querySelector("text")?.textContent?.trim() || undefined;
    const text = explain(ev, i, labelOf, opName, { grads: !gradsHidden(this.root) }).join("\n");
    const group = m[2] ? p.op : p.g;
    if (group) this.#tip(group, text, e.type === "focusin" ? target : null);
  }

  /**
   * @param {Element} group where the <title> goes
   * @param {string} text
   * @param {Element | null} focused the element focus arrived at: it gets the text as its name
   */
  #tip(group, text, focused) {
    this.#title(group, text);
    if (!focused) return;
    const own = focused.getAttribute("aria-label");
    if (own !== null && own !== this.#spoken.get(focused)) return; // someone else's name (a box's): kept
    focused.setAttribute("aria-label", text);
    this.#spoken.set(focused, text);
  }

  /** A layer box's tooltip: its outputs' range. @param {import("./layer-boxes.js").LayerParts} L */
  #layerTip(L) {
    const { data, grad } = this.ev;
    const name = L.el.getAttribute("data-scope") || "layer";
    const [dlo, dhi] = rangeOf(data, L.outputs);
    const head = `${name}: ${L.outputs.length} outputs, data ${dlo} to ${dhi}`;
    if (gradsHidden(this.root)) return head;
    const [glo, ghi] = rangeOf(grad, L.outputs);
    return `${head}, grad ${glo} to ${ghi}`;
  }

  /** @param {Element} group @param {string} text */
  #title(group, text) {
    // The drawing carries no <title>s (bytes per node): the first hover makes one.
    let title = group.querySelector(":scope > title");
    if (!title) group.prepend((title = group.ownerDocument.createElementNS(group.namespaceURI, "title")));
    title.textContent = text;
  }
}
