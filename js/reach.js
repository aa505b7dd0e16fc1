// What a move of some leaves can change: their descendants, themselves included, in tape
// order, found by one sweep over the tape and kept for the last few leaf sets (a drag moves
// the same leaf on every input: a hit allocates nothing). The order a move's forward pass
// runs over (Evaluator.setLeaf/setLeaves) and what a probe saves and restores
// (Evaluator.feeds). Separate from evaluator.js: a cache over the graph's shape, not a
// pass over its numbers.

/**
 * The parts of an Evaluator used here: the graph (read only), the cache (most recent
 * first) and a scratch of n zeros, left all 0 between calls.
 * @typedef {object} Reachable
 * @property {number} n
 * @property {Int32Array} offsets
 * @property {Int32Array} indices
 * @property {{key: number | string, order: Int32Array}[]} reach
 * @property {Uint8Array} mark
 */

/** How many leaf sets' descendants are kept. */
const KEPT = 4;

/**
 * The leaves' descendants, themselves included, in tape order: every node whose data a
 * move of them can change. Read only: the cache's own array.
 * @param {Reachable} graph
 * @param {number | string} key the leaf's id, or the sorted ids joined
 * @param {number[] | null} ids the sorted ids; null: the one leaf `key`
 * @returns {Int32Array}
 */
export function downstream(graph, key, ids) {
  const { reach } = graph;
  for (let k = 0; k < reach.length; k++) {
    const hit = reach[k];
    if (hit.key !== key) continue;
    for (let j = k; j > 0; j--) reach[j] = reach[j - 1];
    reach[0] = hit;
    return hit.order;
  }
  const { n, mark } = graph;
  if (ids) for (const id of ids) mark[id] = 1;
  else mark[/** @type {number} */ (key)] = 1;
  const from = ids ? ids[0] : /** @type {number} */ (key);
  const count = markDownstream(graph, mark, from);
  const order = new Int32Array(count);
  for (let i = from, k = 0; i < n; i++) {
    if (mark[i]) {
      order[k++] = i;
      mark[i] = 0;
    }
  }
  if (reach.length >= KEPT) reach.pop();
  reach.unshift({ key, order });
  return order;
}

/**
 * Flag every node downstream of a flagged one, in place, sweeping the tape from `from`
 * (no node before it is flagged); also Evaluator.watch()'s closure of what is shown.
 * @param {{n: number, offsets: Int32Array, indices: Int32Array}} graph
 * @param {Uint8Array} mark @param {number} from
 * @returns {number} how many nodes from `from` on are flagged
 */
export function markDownstream({ n, offsets, indices }, mark, from) {
  let count = 0;
  for (let i = from; i < n; i++) {
    if (!mark[i]) {
      for (let j = offsets[i]; j < offsets[i + 1]; j++) {
        if (mark[indices[j]]) {
          mark[i] = 1;
          break;
        }
      }
    }
    count += mark[i];
  }
  return count;
}
