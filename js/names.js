// What the lesson's words call a node, so the text names what the drawing shows (never a bare
// "node 7" the reader cannot find): its label; an unlabelled leaf by its slider's name
// ("node 3", as the kernel names it) or, a constant with no slider, by its value ("3"); an
// unlabelled op by what it computes from, two levels deep ("x**2", "3 * (x**2)").

import { expression, pyG } from "./explain.js";
import { OP_LIST } from "./ops.js";

const DEPTH = 2; // "a * (b + c)" reads; deeper expressions stop being names

/**
 * @param {import("./evaluator.js").Evaluator} ev
 * @param {(id: number) => boolean} hasSlider
 * @returns {(id: number) => string}
 */
export function namer(ev, hasSlider) {
  /** @param {number} id @param {number} depth @returns {string} */
  const name = (id, depth) => {
    const label = ev.labelOf(id);
    if (label) return label;
    if (ev.isLeaf(id)) return hasSlider(id) ? `node ${id}` : pyG(ev.data[id]);
    if (depth === 0 || ev.opIndex[id] < 0) return `node ${id}`;
    const parents = [];
    for (let q = ev.offsets[id]; q < ev.offsets[id + 1]; q++) parents.push(name(ev.indices[q], depth - 1));
    return expression(ev, id, parents, OP_LIST[ev.opIndex[id]].name);
  };
  return (id) => name(id, DEPTH);
}
