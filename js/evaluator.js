// Forward and backward over the tape in typed arrays: what the browser runs on every
// slider input. Semantics are Tape.forward/backward in tape.py, node for node:
//  - a node whose op the kernel has no rule for (known = false) is never recomputed;
//    its data, and that of everything downstream, is stale once a leaf upstream moved
//    (away from the tape's original values); every grad flowing through it is stale.
//  - a node the kernel knows but this file does not (a newer ops.py) is kernel-only:
//    its data and everything downstream, and the grads flowing back through it, are
//    the kernel's last numbers, marked pending until kernel_state confirms new ones.
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
    this.opIndex = new Int16Array(n).fill(-1); // -1: a leaf, or an op this file cannot run
    this.arg = Float64Array.from(tape.arg, (a) => (a == null ? 0 : fromJson(a)));
    this.data = floats(tape.data);
    this.grad = floats(tape.grad);
    this.original = this.data.slice(); // Tape.original: what "changed" is measured against
    this.kernelData = this.data.slice(); // the kernel's last confirmed numbers
    this.kernelGrad = this.grad.slice();
    this.staleData = flags(tape.stale_data);
    this.staleGrad = flags(tape.stale_grad);
    this.changed = new Uint8Array(n); // a leaf upstream differs from Tape.original
    this.dirty = new Uint8Array(n); // a leaf upstream differs from what the kernel confirmed
    this.fromKernel = new Uint8Array(n); // data is the kernel's (kernel-only op upstream)
    this.gradFromKernel = new Uint8Array(n); // grad flows through a kernel-only node
    this.pendingData = new Uint8Array(n);
    this.pendingGrad = new Uint8Array(n);
    /** @type {string[]} ops the kernel knows and this file does not */
    this.kernelOps = [];
    this.#classify(tape.op);
    // No pass here: the tape's numbers are the kernel's, and a stale node keeps the
    // number it had, which a forward pass over the original values could overwrite.
  }

  /** @param {string[]} ops */
  #classify(ops) {
    const { n, offsets, indices, known, opIndex, fromKernel, gradFromKernel } = this;
    const kernelOps = new Set();
    for (let i = 0; i < n; i++) {
      const s = offsets[i];
      const e = offsets[i + 1];
      if (s === e) continue;
      const k = OP_INDEX.get(ops[i]);
      if (k !== undefined && arities[k] === e - s) opIndex[i] = k;
      else if (known[i]) {
        fromKernel[i] = 1;
        kernelOps.add(ops[i]);
      }
      for (let j = s; j < e; j++) fromKernel[i] |= fromKernel[indices[j]];
    }
    for (let i = n - 1; i >= 0; i--) {
      if (!fromKernel[i] && !gradFromKernel[i]) continue;
      for (let j = offsets[i]; j < offsets[i + 1]; j++) gradFromKernel[indices[j]] = 1;
    }
    this.kernelOps = [...kernelOps].sort();
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
    const { n, offsets, indices, known, opIndex, arg, data, original, kernelData } = this;
    const { staleData, changed, dirty, fromKernel, pendingData } = this;
    let anyDirty = 0;
    for (let i = 0; i < n; i++) {
      const s = offsets[i];
      const e = offsets[i + 1];
      const x = data[i];
      if (s === e) {
        const o = original[i];
        const k = kernelData[i];
        changed[i] = same(x, o) ? 0 : 1;
        dirty[i] = same(x, k) ? 0 : 1;
        anyDirty |= dirty[i];
        continue;
      }
      let ch = 0;
      let up = 0;
      let dt = 0;
      for (let j = s; j < e; j++) {
        const p = indices[j];
        ch |= changed[p];
        up |= staleData[p];
        dt |= dirty[p];
      }
      changed[i] = ch;
      dirty[i] = dt;
      pendingData[i] = fromKernel[i] & dt;
      if (known[i] && !up) {
        staleData[i] = 0;
        const k = opIndex[i];
        if (fromKernel[i]) data[i] = kernelData[i];
        else data[i] = forwards[k](data[indices[s]], params[k] ? arg[i] : e - s > 1 ? data[indices[s + 1]] : 0);
      } else {
        staleData[i] = ch;
      }
    }
    if (anyDirty) this.pendingGrad.set(this.gradFromKernel);
    else this.pendingGrad.fill(0);
  }

  backward() {
    const { n, offsets, indices, known, opIndex, arg, data, grad, kernelGrad, staleGrad, gradFromKernel } = this;
    const fromKernel = this.fromKernel;
    for (let i = 0; i < n; i++) {
      if (staleGrad[i]) continue; // kept, as Tape.backward keeps it
      grad[i] = gradFromKernel[i] ? kernelGrad[i] : 0;
    }
    grad[this.root] = 1;
    for (let i = n - 1; i >= 0; i--) {
      const s = offsets[i];
      const e = offsets[i + 1];
      if (s === e || !known[i] || staleGrad[i] || fromKernel[i]) continue;
      const k = opIndex[i];
      const g = grad[i];
      const out = data[i];
      const p0 = indices[s];
      const x = data[p0];
      if (e - s === 1) {
        const d0 = local0[k](out, x, arg[i]);
        if (!staleGrad[p0] && !gradFromKernel[p0]) grad[p0] += d0 * g;
        continue;
      }
      const p1 = indices[s + 1];
      const y = data[p1];
      const d0 = local0[k](out, x, y);
      const d1 = local1[k](out, x, y);
      // a stale grad keeps its last known value, as in Tape.backward
      if (!staleGrad[p0] && !gradFromKernel[p0]) grad[p0] += d0 * g;
      if (!staleGrad[p1] && !gradFromKernel[p1]) grad[p1] += d1 * g;
    }
  }

  /**
   * Take the kernel's numbers if they are for the leaf values shown now; returns
   * whether they were. Kernel-only nodes get their data and grads from it.
   * @param {Partial<import("./types.js").KernelState>} state
   */
  applyKernel(state) {
    const { values, data: kd, grad: kg, stale_data: sd } = state;
    if (!values || !kd || !kg || kd.length !== this.n || kg.length !== this.n) return false;
    for (const [key, v] of Object.entries(values)) {
      const id = Number(key);
      if (!this.isLeaf(id) || !same(fromJson(v), this.data[id])) return false;
    }
    for (let i = 0; i < this.n; i++) {
      this.kernelData[i] = fromJson(kd[i]);
      this.kernelGrad[i] = fromJson(kg[i]);
      if (this.fromKernel[i]) this.data[i] = this.kernelData[i];
      if (this.gradFromKernel[i] && !this.staleGrad[i]) this.grad[i] = this.kernelGrad[i];
      if (sd) this.staleData[i] = sd[i] ? 1 : 0;
    }
    this.dirty.fill(0);
    this.pendingData.fill(0);
    this.pendingGrad.fill(0);
    return true;
  }
}
