// The evaluator's answers about the graph as it is, asked by the lesson, never by a drag:
// the grads a whole backward pass from the root gives now (gradcheck(), the tangent's
// slope), and whether every node's data follows from the leaves' (no probe means anything
// otherwise). Each is a pass over every node, cached against Evaluator.version.
// Separate from evaluator.js, whose passes are the ones a slider runs on every input (over
// what is shown, into the numbers drawn): these only read the tape's numbers, into a
// scratch array of their own or a yes/no.

import { forwards, params } from "./evaluator.js"; // read at call time only: the import is circular
import { same } from "./json.js";

/**
 * Whether a node's recomputed data `a` is the number it holds, `b`: equal up to what
 * another implementation of the op could round differently (the kernel's objects ran their
 * own class's tanh, exp, pow), never by a moved leaf's worth.
 * @param {number} a @param {number} b
 */
const agree = (a, b) => same(a, b) || Math.abs(a - b) <= 1e-12 + 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/** The evaluator's backprop(), freshGrad() and consistent (less its own shortcut), with their caches. */
export class Backprop {
  /** @type {{version: number, follows: boolean} | null} the last consistency check */
  #checked = null;
  /** @type {{version: number, grad: Float64Array} | null} the last backprop() */
  #fresh = null;
  /** @type {{version: number, inScope: Uint8Array} | null} the last backward(): at which data, over which nodes */
  #backwardAt = null;

  /** @param {import("./evaluator.js").Evaluator} ev */
  constructor(ev) {
    this.ev = ev;
  }

  /**
   * A backward pass over these nodes ran at the data as they are (version): its grads are
   * backprop()'s for them. null: none to go by (the scope it covered was rewritten).
   * @param {Uint8Array | null} inScope
   */
  backwardRan(inScope) {
    this.#backwardAt = inScope ? { version: this.ev.version, inScope } : null;
  }

  /** Every computed node's data is its op's on its parents' data (cached per version). */
  follows() {
    const { version } = this.ev;
    if (this.#checked?.version !== version) this.#checked = { version, follows: this.#follows() };
    return this.#checked.follows;
  }

  #follows() {
    const { n, offsets, indices, known, opIndex, arg, data, staleData } = this.ev;
    for (let i = 0; i < n; i++) {
      const s = offsets[i];
      const e = offsets[i + 1];
      if (s === e || !known[i] || staleData[i]) continue;
      let up = 0;
      for (let j = s; j < e; j++) up |= staleData[indices[j]];
      if (up) continue;
      const k = opIndex[i];
      const y = forwards[k](data[indices[s]], params[k] ? arg[i] : e - s > 1 ? data[indices[s + 1]] : 0);
      if (!agree(y, data[i])) return false;
    }
    return true;
  }

  /** Evaluator.backprop(): the same array every time, rewritten when the version moved. @returns {Float64Array} */
  grads() {
    const ev = this.ev;
    if (this.#fresh?.version === ev.version) return this.#fresh.grad;
    const grad = this.#fresh?.grad ?? new Float64Array(ev.n);
    const every = ev.all();
    ev.backward(every.order, every.inScope, grad); // its own pass, over every node, into grad
    this.#fresh = { version: ev.version, grad };
    return grad;
  }

  /** Evaluator.freshGrad(): the last backward()'s number when it is backprop()'s. @param {number} id */
  grad(id) {
    const b = this.#backwardAt;
    const ev = this.ev;
    return b && b.version === ev.version && b.inScope[id] ? ev.grad[id] : this.grads()[id];
  }
}
