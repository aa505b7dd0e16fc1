// Forward and backward over the tape in typed arrays: what the browser runs on every
// slider input. Semantics are Tape.forward/backward in tape.py, node for node: a node
// whose op has no rule (known = false) is never recomputed; its data, and that of
// everything downstream, is stale once a leaf upstream moved (away from the tape's
// original values); every grad flowing through it is stale. load() takes the kernel's
// numbers (kernel_state), the truth, over whatever was computed here.
// The loops allocate nothing, so 10^5 nodes take a few milliseconds.

import { fromJson, same } from "./json.js";
import { OP_INDEX, OP_LIST } from "./ops.js";

const forwards = OP_LIST.map((o) => o.forward);
const local0 = OP_LIST.map((o) => o.local[0]);
const local1 = OP_LIST.map((o) => o.local[o.arity - 1]); // unary ops never call it
const params = Uint8Array.from(OP_LIST, (o) => (o.param ? 1 : 0));
const arities = Uint8Array.from(OP_LIST, (o) => o.arity);

/** @param {ArrayLike<boolean>} xs */
const flags = (xs) => Uint8Array.from(xs, (x) => (x ? 1 : 0));
/** @param {ArrayLike<import("./types.js").JsonNumber>} xs */
const floats = (xs) => Float64Array.from(xs, fromJson);

export class Evaluator {
  /** @param {import("./types.js").TapeJson} tape */
  constructor(tape) {
    const n = tape.label.length;
    this.n = n;
    this.root = n - 1;
    this.label = tape.label;
    this.offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.offsets[i + 1] = this.offsets[i] + tape.parents[i].length;
    this.indices = Int32Array.from(tape.parents.flat());
    this.known = flags(tape.known);
    this.opIndex = new Int16Array(n).fill(-1); // -1: a leaf, or an op with no rule
    this.arg = Float64Array.from(tape.arg, (a) => (a == null ? 0 : fromJson(a)));
    this.data = floats(tape.data);
    this.grad = floats(tape.grad);
    this.original = this.data.slice(); // Tape.original: what "changed" is measured against
    this.staleData = flags(tape.stale_data);
    this.staleGrad = flags(tape.stale_grad);
    this.changed = new Uint8Array(n); // a leaf upstream differs from Tape.original (as of the last forward)
    this.noGrad = new Uint8Array(n); // the grad flows through an op with no rule here: stale, whatever the kernel says
    this.#classify(tape.op);
    // No pass here: the tape's numbers are the kernel's, and a stale node keeps the
    // number it had, which a forward pass over the original values could overwrite.
  }

  /** @param {string[]} ops */
  #classify(ops) {
    const { n, offsets, indices, known, opIndex, noGrad, staleGrad } = this;
    for (let i = 0; i < n; i++) {
      const s = offsets[i];
      const e = offsets[i + 1];
      if (s === e) continue;
      const k = OP_INDEX.get(ops[i]);
      if (k !== undefined && arities[k] === e - s) opIndex[i] = k;
      // ops.py and ops.js ship together, held equal by a parity test; should a tape still
      // name a rule this file lacks, the node is one with no rule: stale, never wrong.
      else known[i] = 0;
    }
    for (let i = n - 1; i >= 0; i--) {
      if (known[i] && !noGrad[i]) continue; // as Tape._grads_through_unknown
      for (let j = offsets[i]; j < offsets[i + 1]; j++) noGrad[indices[j]] = 1;
    }
    for (let i = 0; i < n; i++) staleGrad[i] |= noGrad[i];
  }

  /** @param {number} id */
  isLeaf(id) {
    return id >= 0 && id < this.n && this.offsets[id] === this.offsets[id + 1];
  }

  /** Set one leaf and recompute everything. @param {number} id @param {number} x */
  setLeaf(id, x) {
    if (!this.isLeaf(id)) throw new Error(`node ${this.label[id] || id} is not a leaf; only leaves can be set`);
    this.data[id] = x;
    this.run();
  }

  /** Set leaves by id and run one forward and one backward pass. @param {Record<string, number>} values */
  setLeaves(values) {
    for (const [key, x] of Object.entries(values)) {
      const id = Number(key);
      if (!this.isLeaf(id)) throw new Error(`node ${this.label[id] || key} is not a leaf; only leaves can be set`);
      this.data[id] = x;
    }
    this.run();
  }

  /** One forward and one backward pass over the current leaf values. */
  run() {
    this.forward();
    this.backward();
    return this;
  }

  forward() {
    const { n, offsets, indices, known, opIndex, arg, data, original, staleData, changed } = this;
    for (let i = 0; i < n; i++) {
      const s = offsets[i];
      const e = offsets[i + 1];
      if (s === e) {
        changed[i] = same(data[i], original[i]) ? 0 : 1;
        continue;
      }
      let ch = 0;
      let up = 0;
      for (let j = s; j < e; j++) {
        const p = indices[j];
        ch |= changed[p];
        up |= staleData[p];
      }
      changed[i] = ch;
      if (known[i] && !up) {
        staleData[i] = 0;
        const k = opIndex[i];
        data[i] = forwards[k](data[indices[s]], params[k] ? arg[i] : e - s > 1 ? data[indices[s + 1]] : 0);
      } else {
        staleData[i] = ch;
      }
    }
  }

  backward() {
    const { n, offsets, indices, known, opIndex, arg, data, grad, staleGrad } = this;
    for (let i = 0; i < n; i++) if (!staleGrad[i]) grad[i] = 0; // a stale grad is kept, as Tape.backward keeps it
    grad[this.root] = 1;
    for (let i = n - 1; i >= 0; i--) {
      const s = offsets[i];
      const e = offsets[i + 1];
      if (s === e || !known[i] || staleGrad[i]) continue;
      const k = opIndex[i];
      const g = grad[i];
      const out = data[i];
      const p0 = indices[s];
      const x = data[p0];
      if (e - s === 1) {
        const d0 = local0[k](out, x, arg[i]);
        if (!staleGrad[p0]) grad[p0] += d0 * g;
        continue;
      }
      const p1 = indices[s + 1];
      const y = data[p1];
      const d0 = local0[k](out, x, y);
      const d1 = local1[k](out, x, y);
      // a stale grad keeps its last known value, as in Tape.backward
      if (!staleGrad[p0]) grad[p0] += d0 * g;
      if (!staleGrad[p1]) grad[p1] += d1 * g;
    }
  }

  /**
   * Take every node's numbers and flags from the kernel; false (and nothing taken) if
   * the state does not fit this tape.
   * @param {Partial<import("./types.js").KernelState>} state
   */
  load(state) {
    const { data: kd, grad: kg, stale_data: sd, stale_grad: sg } = state;
    const n = this.n;
    if (kd?.length !== n || kg?.length !== n || sd?.length !== n || sg?.length !== n) return false;
    for (let i = 0; i < n; i++) {
      this.data[i] = fromJson(kd[i]);
      this.grad[i] = fromJson(kg[i]);
      this.staleData[i] = sd[i] ? 1 : 0;
      this.staleGrad[i] = sg[i] || this.noGrad[i] ? 1 : 0;
    }
    return true;
  }
}
