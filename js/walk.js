// The backward pass as the lecture does it by hand: start at the output (grad 1), then go
// back through the graph one node at a time, each node's grad the sum over the nodes that
// use it of grad(user) × ∂user/∂node. stepper.js shows it step by step, quiz.js asks it.
//
// The walk computes its own grads (not the evaluator's), so every number in a step comes
// from the steps before it. Its numbers are the evaluator's backward pass (same local
// derivatives, same order of sums); a test holds them equal. The drawing shows the objects'
// grads, 0 before backward() ran: a node the walk fills gets the walk's grad written into its
// grad field (writeGrad) until the walk ends, then the object's again.
//
// The quiz hides the grads everywhere while it is on: the widget's root then has the class
// GRADS_HIDDEN, and the event of that name (detail: {on}) tells the other tools.

import { textNode } from "./drawn.js";
import { pyG } from "./explain.js";
import { fmt, gradField } from "./format.js";
import { same } from "./json.js";
import { OP_LIST, OPS } from "./ops.js";

/**
 * The lesson context the widget hands each lesson module (the integration contract).
 * @typedef {object} LessonContext
 * @property {HTMLElement} parent an empty container of the module's own
 * @property {import("./evaluator.js").Evaluator} ev
 * @property {() => Element | null} canvas the drawing's root now
 * @property {() => number[]} leaves
 * @property {(values: Map<number, number>) => void} moveLeaves
 * @property {() => void} requestPatch
 * @property {(ids: number[]) => void} watch
 * @property {(id: number) => string} labelOf a node's name for people
 */

/**
 * One consumer's share of a node's grad: grad(consumer) × ∂consumer/∂node.
 * @typedef {object} Term
 * @property {number} consumer the node that uses this one
 * @property {number} consumerGrad its grad, as the walk found it
 * @property {number} local ∂consumer/∂node, from the op table
 * @property {number} product consumerGrad × local
 * @property {string} op the consumer's op ("*", "tanh", ...)
 * @property {number} slot which of the consumer's inputs this node is (0 or 1)
 * @property {number[]} inputs the consumer's inputs, in order
 * @property {number} arg the consumer's constant (the k of "**k"; 0 for other ops)
 */

/**
 * One node of the walk. The root: grad 1, no terms. `unknown`: the chain rule cannot be
 * worked out here (the grad flows through an op with no rule, or the kernel marked it
 * stale): grad is the evaluator's, terms are empty.
 * @typedef {object} Step
 * @property {number} id
 * @property {number} grad
 * @property {Term[]} terms
 * @property {boolean} [root]
 * @property {boolean} [unknown]
 */

/**
 * The backward walk over `nodes` (the drawn ones): descending id, which is reverse
 * topological order, so the root comes first. Every node downstream of them counts as a
 * consumer, drawn or not (a closed box hides some), but only `nodes` get a step.
 * @param {import("./evaluator.js").Evaluator} ev @param {Iterable<number>} nodes
 * @returns {Step[]}
 */
export function backwardSteps(ev, nodes) {
  const { n, root, offsets, indices, known, opIndex, arg, data, staleGrad } = ev;
  const ids = [...new Set(nodes)].filter((i) => Number.isInteger(i) && i >= 0 && i < n).sort((a, b) => b - a);
  if (!ids.length) return [];
  const lowest = ids[ids.length - 1];
  const walked = new Uint8Array(n);
  for (const id of ids) walked[id] = 1;
  // Everything downstream of the walked nodes: their grads need all of it.
  const down = walked.slice();
  for (let i = lowest; i < n; i++) {
    for (let j = offsets[i]; j < offsets[i + 1] && !down[i]; j++) down[i] = down[indices[j]];
  }
  down[root] = 1;
  const grad = new Float64Array(n);
  const unknown = new Uint8Array(n);
  /** @type {Map<number, Term[]>} */
  const terms = new Map(ids.map((id) => [id, []]));
  grad[root] = 1;
  for (let i = n - 1; i >= lowest; i--) {
    if (!down[i]) continue;
    // Every consumer has a higher id and was done: grad[i] is complete; pass it on.
    if (i !== root && staleGrad[i]) unknown[i] = 1;
    if (unknown[i]) grad[i] = ev.grad[i];
    const s = offsets[i];
    const e = offsets[i + 1];
    if (s === e) continue;
    const k = opIndex[i];
    if (!known[i] || k < 0 || unknown[i]) {
      for (let j = s; j < e; j++) unknown[indices[j]] = 1; // no rule, or no grad to pass on
      continue;
    }
    const op = OP_LIST[k];
    // As Evaluator.backward: the second argument is the second input, or the constant.
    const y = e - s > 1 ? data[indices[s + 1]] : arg[i];
    for (let j = s; j < e; j++) {
      const p = indices[j];
      const local = op.local[j - s](data[i], data[indices[s]], y);
      const product = grad[i] * local;
      grad[p] += product;
      terms.get(p)?.push({
        consumer: i,
        consumerGrad: grad[i],
        local,
        product,
        op: op.name,
        slot: j - s,
        inputs: Array.from(indices.subarray(s, e)),
        arg: op.param ? arg[i] : 0,
      });
    }
  }
  return ids.map((id) => {
    /** @type {Step} */
    const step = { id, grad: grad[id], terms: unknown[id] ? [] : /** @type {Term[]} */ (terms.get(id)) };
    if (id === root) step.root = true;
    if (unknown[id]) step.unknown = true;
    return step;
  });
}

/**
 * The drawn value nodes: each record g#n{i} (not an op's n{i}op, not a layer box) by id.
 * @param {Element | null} canvas @param {number} n the tape's node count
 * @returns {Map<number, Element[]>}
 */
export function drawnRecords(canvas, n) {
  /** @type {Map<number, Element[]>} */
  const records = new Map();
  if (!canvas) return records;
  for (const g of canvas.querySelectorAll("g.node[id]")) {
    const m = /^n(\d+)$/.exec(g.id);
    const i = m ? Number(m[1]) : -1;
    if (i < 0 || i >= n || g.classList.contains("agw-layer")) continue;
    const list = records.get(i);
    if (list) list.push(g);
    else records.set(i, [g]);
  }
  return records;
}

/**
 * The numbers a walk is computed from, kept to tell cheaply — every animation frame —
 * whether they still hold: the data and stale flags of the walked nodes, of their parents,
 * of their consumers and of the consumers' inputs (every number a term reads), and the
 * kernel's grad wherever a step took it (an unknown one). A few numbers per drawn node,
 * not the tape's: a hidden node further down moves only when a leaf does, and that moves
 * the root, which is walked.
 * @typedef {{ids: Int32Array, data: Float64Array, stale: Uint8Array, held: Int32Array, grad: Float64Array}} Snapshot
 * @param {import("./evaluator.js").Evaluator} ev @param {Step[]} steps
 * @returns {Snapshot}
 */
export function snapshot(ev, steps) {
  const { offsets, indices } = ev;
  const ids = new Set([ev.root]);
  /** @type {number[]} */
  const held = [];
  for (const s of steps) {
    ids.add(s.id);
    for (let j = offsets[s.id]; j < offsets[s.id + 1]; j++) ids.add(indices[j]);
    for (const t of s.terms) {
      ids.add(t.consumer);
      for (const p of t.inputs) ids.add(p);
    }
    if (s.unknown) held.push(s.id);
  }
  const list = Int32Array.from(ids);
  return {
    ids: list,
    data: Float64Array.from(list, (i) => ev.data[i]),
    stale: Uint8Array.from(list, (i) => ev.staleGrad[i]),
    held: Int32Array.from(held),
    grad: Float64Array.from(held, (i) => ev.grad[i]),
  };
}

/**
 * Whether the evaluator's numbers differ from the snapshot's: a walk computed from them is
 * stale. Reads only the snapshot's nodes.
 * @param {import("./evaluator.js").Evaluator} ev @param {Snapshot} was
 */
export function changedSince(ev, was) {
  const { data, staleGrad, grad } = ev;
  const { ids, held } = was;
  for (let k = 0; k < ids.length; k++) {
    const i = ids[k];
    if (!same(data[i], was.data[k]) || staleGrad[i] !== was.stale[k]) return true;
  }
  for (let k = 0; k < held.length; k++) if (!same(grad[held[k]], was.grad[k])) return true;
  return false;
}

const OWNERS = ["walk", "quiz"];

/** On the widget's root (.agw) while the quiz hides the grads; also the event saying it turned on or off. */
export const GRADS_HIDDEN = "agw-grads-hidden";

/**
 * Put a class (agw-unfilled, agw-current) on a node's records for one owner (stepper.js:
 * "walk", quiz.js: "quiz"), or take it off. Both may be on at once: the class itself stays
 * while either owner still wants it, so ending one never shows what the other hides.
 * @param {Map<number, Element[]>} records @param {number} id @param {string} name
 * @param {"walk" | "quiz"} owner @param {boolean} on
 */
export function mark(records, id, name, owner, on) {
  for (const g of records.get(id) ?? []) {
    const list = g.classList;
    list.toggle(`${name}-${owner}`, on);
    list.toggle(name, on || OWNERS.some((o) => list.contains(`${name}-${o}`)));
  }
}

/**
 * The grad field of each drawn record, by node id: the record's last <text> (picture.py
 * writes data, then grad), as the Text node patch.js writes through. A record without
 * both fields has none.
 * @param {Map<number, Element[]>} records @returns {Map<number, Text[]>}
 */
export function gradTexts(records) {
  /** @type {Map<number, Text[]>} */
  const texts = new Map();
  for (const [id, gs] of records) {
    const list = [];
    for (const g of gs) {
      const fields = g.querySelectorAll("text");
      if (fields.length >= 2) list.push(textNode(fields[fields.length - 1]));
    }
    if (list.length) texts.set(id, list);
  }
  return texts;
}

/** @type {WeakMap<Text, Map<string, string>>} what each owner wrote into a grad field, in order */
const written = new WeakMap();

/**
 * Write a walk's grad into a node's grad fields for one owner ("walk", "quiz"), or (grad
 * null) take it back. The drawing shows the objects' grads (the ownership rule), which
 * before backward() are all 0: a walk that fills a node shows its own number there, and
 * when the last owner lets go the field shows `held` again — the grad the object holds, as
 * patch.js writes it. Not the text found when writing: patch.js may have rewritten it
 * since (a cell ran backward()), and it rewrites a field only when its number changes.
 * @param {Text[] | undefined} texts @param {"walk" | "quiz"} owner @param {number | null} grad
 * @param {number} held
 */
export function writeGrad(texts, owner, grad, held) {
  for (const t of texts ?? []) {
    let by = written.get(t);
    if (grad !== null) {
      if (!by) written.set(t, (by = new Map()));
      by.delete(owner); // the latest writer's number is the one shown
      by.set(owner, gradField(grad));
    } else if (!by?.delete(owner)) continue;
    let text = gradField(held);
    if (by.size) text = [...by.values()].pop() ?? text;
    else written.delete(t);
    if (t.data !== text) t.data = text;
  }
}

/**
 * Put back what a walk wrote into these fields where patch.js has written over it since (a
 * grad that changed, a tile that scrolled into view): a string compare per field, cheap
 * enough for every frame.
 * @param {Text[] | undefined} texts
 */
export function keepGrads(texts) {
  for (const t of texts ?? []) {
    const by = written.get(t);
    if (!by) continue;
    const text = [...by.values()].pop();
    if (text !== undefined && t.data !== text) t.data = text;
  }
}

/**
 * Whether the drawing would show another number than the walk's: what the object holds
 * (patch.js's text) against the walk's grad, as the field writes them.
 * @param {number} walked @param {number} held
 */
export const shownApart = (walked, held) => fmt(walked) !== fmt(held);

/** Whether two drawings hold the same nodes. @param {Map<number, unknown>} a @param {Map<number, unknown>} b */
export const sameNodes = (a, b) => a.size === b.size && [...a.keys()].every((id) => b.has(id));

// ---- The walk in words (the lecture's notation) ----

/** A label inside a formula: bare if it is one word, else in parentheses. @param {string} label */
export const operand = (label) => (/^[\w.]+$/.test(label) ? label : `(${label})`);

/** "grad(x1*w1)" @param {string} label */
export const gradOf = (label) => `grad(${label})`;

/** "∂(x1*w1)/∂x1" @param {string} of @param {string} by */
export const partial = (of, by) => `∂${operand(of)}/∂${operand(by)}`;

/**
 * ∂consumer/∂input as a formula in the labels, the way the lecture writes it: "w1" for
 * x1 in x1*w1, "1 − o²" for tanh — ops.js's own formula, the one the tooltip says. "" for
 * an op with no rule.
 * @param {Term} t @param {(id: number) => string} labelOf
 */
export function localFormula(t, labelOf) {
  const op = Object.hasOwn(OPS, t.op) ? OPS[t.op] : null;
  const formula = op?.formula[t.slot];
  if (!op || !formula) return "";
  const o = operand(labelOf(t.consumer));
  const a = operand(labelOf(t.inputs[0]));
  const b = op.param ? pyG(t.arg) : t.inputs.length > 1 ? operand(labelOf(t.inputs[1])) : "";
  return formula(o, a, b);
}

/** Why an unknown step's grad is not worked out. */
export const NO_RULE = "it flows through an op with no rule, so the chain rule cannot be worked out here";

/**
 * The chain rule that gave a step, with its numbers: what "Backward step" says.
 * "x1: grad = grad(x1*w1) × ∂(x1*w1)/∂x1 = 0.5000 × -3.000 = -1.500"
 * @param {Step} step @param {(id: number) => string} labelOf
 */
export function chainLine(step, labelOf) {
  const name = labelOf(step.id);
  if (step.unknown) return `${name}: grad = ${fmt(step.grad)}, the kernel's number: ${NO_RULE}`;
  if (step.root) return `${name}: grad = 1, the output's own grad (d ${name} / d ${name})`;
  const { terms } = step;
  if (!terms.length) return `${name}: grad = 0: nothing downstream uses it`;
  const symbols = terms.map((t) => `${gradOf(labelOf(t.consumer))} × ${partial(labelOf(t.consumer), name)}`);
  const numbers = terms.map((t) => `${fmt(t.consumerGrad)} × ${fmt(t.local)}`);
  const products = terms.length > 1 ? ` = ${terms.map((t) => fmt(t.product)).join(" + ")}` : "";
  return `${name}: grad = ${symbols.join(" + ")} = ${numbers.join(" + ")}${products} = ${fmt(step.grad)}`;
}
