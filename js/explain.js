// What a node's tooltip says, in the lecture's words: what it is computed from, its local
// derivative(s) as a formula with today's numbers, and how its grad is summed from its
// consumers (the chain rule, one product per use). Plain text lines; patch.js joins them.
//
// Computed when the pointer or focus arrives, never per frame: finding the consumers
// scans the tape after the node once (the evaluator keeps parents only).

import { fmt, pyExp, pyFixed } from "./format.js";
import { OP_LIST } from "./ops.js";

/** Consumers listed one by one up to this many; more are summed in one figure. */
const MAX_TERMS = 6;

const ORDINAL = ["1st", "2nd"];

/** A name as it goes into a formula: a compound one ("x1*w1", "node 7") in parentheses. @param {string} name */
export const term = (name) => (/^[\p{L}\p{N}_.']+$/u.test(name) ? name : `(${name})`);

/**
 * Python's f"{x:g}", as ops.display writes the constant of "**k" ("**2", "**0.5", "**1e-05").
 * @param {number} x
 */
export function pyG(x) {
  if (x !== x) return "nan";
  if (x === Infinity || x === -Infinity) return x > 0 ? "inf" : "-inf";
  const trim = (/** @type {string} */ s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  const e = pyExp(x, 5); // 6 significant digits, rounded as Python rounds them
  const exponent = Number(e.slice(e.indexOf("e") + 1));
  if (exponent < -4 || exponent >= 6) return trim(e.slice(0, e.indexOf("e"))) + e.slice(e.indexOf("e"));
  return trim(pyFixed(x, 5 - exponent));
}

/**
 * The right-hand side of node i's expression: "x1 * w1", "a**2", "tanh(n)".
 * @param {import("./evaluator.js").Evaluator} ev @param {number} i @param {string[]} parents their names
 * @param {string} opName
 */
export function expression(ev, i, parents, opName) {
  const k = ev.opIndex[i];
  const op = k >= 0 ? OP_LIST[k] : null;
  if (op?.param) return `${term(parents[0])}**${pyG(ev.arg[i])}`;
  if (op && op.arity === 2 && !/^\w/.test(op.name)) return `${term(parents[0])} ${op.name} ${term(parents[1])}`;
  return `${opName}(${parents.join(", ")})`;
}

/**
 * ∂c/∂(its operand j), as evaluator.js computes it in backward(). c must have a rule.
 * @param {import("./evaluator.js").Evaluator} ev @param {number} c @param {number} j
 */
function localValue(ev, c, j) {
  const op = OP_LIST[ev.opIndex[c]];
  const s = ev.offsets[c];
  const x = ev.data[ev.indices[s]];
  const y = op.arity === 1 ? ev.arg[c] : ev.data[ev.indices[s + 1]];
  return op.local[j](ev.data[c], x, y);
}

/**
 * Every use of node id as an operand, in tape order: a + a gives two.
 * @param {import("./evaluator.js").Evaluator} ev @param {number} id
 * @returns {{c: number, j: number}[]}
 */
export function usesOf(ev, id) {
  const { n, offsets, indices } = ev;
  const uses = [];
  for (let c = id + 1; c < n; c++) {
    for (let q = offsets[c]; q < offsets[c + 1]; q++) if (indices[q] === id) uses.push({ c, j: q - offsets[c] });
  }
  return uses;
}

/**
 * The tooltip of node id, line by line.
 * @param {import("./evaluator.js").Evaluator} ev
 * @param {number} id
 * @param {(id: number) => string} labelOf a node's name for people ("x1", "node 7")
 * @param {string} [opName] its op as drawn: the evaluator keeps no name for an op with no rule
 * @param {{grads?: boolean}} [options] grads: false leaves out every line that states a grad
 *   (the learner's turn to find them): what it is, its data and local derivatives remain
 * @returns {string[]}
 */
export function explain(ev, id, labelOf, opName, { grads = true } = {}) {
  const name = (/** @type {number} */ j) => labelOf(j) || `node ${j}`;
  const self = name(id);
  const lines = [];
  const stale = ev.staleData[id] ? " (stale: an op upstream has no rule)" : "";
  const parents = Array.from(ev.indices.subarray(ev.offsets[id], ev.offsets[id + 1]));
  const k = ev.opIndex[id];
  if (!parents.length) lines.push(`${self}: a leaf = ${fmt(ev.data[id])}${stale}`);
  else {
    const shown = k >= 0 ? OP_LIST[k].name : opName || "?";
    const names = parents.map(name);
    const rhs = expression(ev, id, names, shown); // an unlabelled node may be named by it already
    lines.push(`${self === rhs ? self : `${self} = ${rhs}`} = ${fmt(ev.data[id])}${stale}`);
    if (k < 0) lines.push(`no rule for '${shown}': its grad upstream is stale`);
    else {
      const op = OP_LIST[k];
      const b = op.param ? pyG(ev.arg[id]) : term(names[1] ?? "");
      const twice = parents.length === 2 && parents[0] === parents[1];
      parents.forEach((p, j) => {
        const formula = op.formula[j](term(self), term(names[0]), b);
        const which = twice ? ` (as its ${ORDINAL[j]} operand)` : "";
        lines.push(`∂${term(self)}/∂${term(names[j])}${which} = ${formula} = ${fmt(localValue(ev, id, j))}`);
      });
    }
  }
  if (grads) lines.push(...gradLines(ev, id, name));
  return lines;
}

/**
 * How node id's grad is made: 1 at the output, else one product per use, summed.
 * @param {import("./evaluator.js").Evaluator} ev @param {number} id @param {(id: number) => string} name
 */
function gradLines(ev, id, name) {
  const own = name(id);
  const self = term(own);
  if (id === ev.root) return [`grad(${own}) = 1 (the output)`];
  const uses = usesOf(ev, id);
  const g = fmt(ev.grad[id]);
  if (!uses.length) return [`grad(${own}) = ${g}: it does not reach the output`];
  const rule = `grad(${own}) = Σ over its consumers grad(c) × ∂c/∂${self}`;
  if (ev.staleGrad[id]) {
    const lines = [`${rule} = ${g} (stale: an op between it and the output has no rule)`];
    for (const { c } of uses.slice(0, MAX_TERMS)) {
      if (ev.opIndex[c] < 0) lines.push(`  via ${name(c)}: its op has no rule`);
    }
    return lines;
  }
  const products = uses.map(({ c, j }) => `${fmt(ev.grad[c])} × ${fmt(localValue(ev, c, j))}`);
  const sum = uses.length <= MAX_TERMS ? products.join(" + ") : `the sum of ${uses.length} products`;
  const lines = [`${rule} = ${sum} = ${g}`];
  uses.slice(0, MAX_TERMS).forEach(({ c }, u) => {
    lines.push(`  via ${name(c)}: grad(${name(c)}) × ∂${term(name(c))}/∂${self} = ${products[u]}`);
  });
  if (uses.length > MAX_TERMS) lines.push(`  … and ${uses.length - MAX_TERMS} more`);
  return lines;
}
