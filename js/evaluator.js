// Forward and backward over the tape in typed arrays: what the browser runs on every
// slider input. Semantics are Tape.forward/backward in tape.py, node for node: a node
// whose op has no rule (known = 0) is never recomputed; its data, and that of
// everything downstream, is stale once a leaf upstream moved (away from the tape's
// original values); every grad flowing through it is stale. load() takes the kernel's
// numbers (kernel_state), the truth, over whatever was computed here.
// A drag recomputes the data of what the moved leaf feeds, and the grads of what is drawn
// (watch()): nothing else can change, or is shown.
// The tape comes binary (types.js TapeState): each column is viewed in place or copied
// once into a typed array, never turned into an object per node; the loops allocate
// nothing, so 10^5 nodes take a few milliseconds.
// What a move can reach is found in reach.js; backprop(), freshGrad() and consistent, asked
// by the lesson and never by a drag, are answered in backprop.js.

import { Backprop } from "./backprop.js";
import { typed } from "./bytes.js";
import { fromJson, same } from "./json.js";
import { OP_INDEX, OP_LIST } from "./ops.js";
import { downstream, markDownstream } from "./reach.js";

// The op tables, by OP_LIST index (backprop.js reads them too).
export const forwards = OP_LIST.map((o) => o.forward);
const local0 = OP_LIST.map((o) => o.local[0]);
const local1 = OP_LIST.map((o) => o.local[o.arity - 1]); // unary ops never call it
export const params = Uint8Array.from(OP_LIST, (o) => (o.param ? 1 : 0));
const arities = Uint8Array.from(OP_LIST, (o) => o.arity);

/**
 * A column of the tape, checked for its length.
 * @template {import("./bytes.js").Column} T
 * @param {import("./types.js").TapeState} tape @param {keyof import("./types.js").TapeState} key
 * @param {T} Type @param {number} length
 * @returns {InstanceType<T>}
 */
function column(tape, key, Type, length) {
  const a = typed(/** @type {any} */ (tape[key]), Type);
  if (!a || a.length !== length) throw new Error(`tape.${key}: ${a ? a.length : "no"} items where ${length} belong`);
  return a;
}

/**
 * A column of a kernel_state; null if it is missing or not n items long.
 * @template {import("./bytes.js").Column} T
 * @param {import("./types.js").Bytes | undefined} bytes @param {T} Type @param {number} n
 * @returns {InstanceType<T> | null}
 */
function stateColumn(bytes, Type, n) {
  try {
    const a = typed(bytes, Type);
    return a && a.length === n ? a : null;
  } catch {
    return null; // a byte count that is no whole number of items: not this tape's either
  }
}

export class Evaluator {
  #whole = false;
  #ticks = 0;
  /** backprop(), freshGrad() and consistent's checks, with their caches */
  #backprop = new Backprop(this);
  /** @param {import("./types.js").TapeState} tape */
  constructor(tape) {
    const n = tape.n;
    this.n = n;
    this.root = n - 1;
    /** @type {Readonly<Record<string, string>>} the labelled nodes' labels, by id */
    this.labels = tape.labels ?? {};
    this.offsets = column(tape, "offsets", Int32Array, n + 1); // read only: a view of the message is enough
    this.indices = column(tape, "parents", Int32Array, this.offsets[n]);
    // Copies, never views: these change here, and the message's bytes are every view's tape.
    this.known = column(tape, "known", Uint8Array, n).slice();
    this.data = column(tape, "data", Float64Array, n).slice();
    this.grad = column(tape, "grad", Float64Array, n).slice();
    this.staleData = column(tape, "stale_data", Uint8Array, n).slice();
    this.staleGrad = column(tape, "stale_grad", Uint8Array, n).slice();
    this.original = this.data.slice(); // Tape.original: what "changed" is measured against
    this.opIndex = new Int16Array(n).fill(-1); // -1: a leaf, or an op with no rule
    this.arg = new Float64Array(n);
    for (const [id, a] of Object.entries(tape.args ?? {})) this.arg[Number(id)] = fromJson(a);
    this.changed = new Uint8Array(n); // a leaf upstream differs from Tape.original (as of the last forward or load)
    this.noGrad = new Uint8Array(n); // the grad flows through an op with no rule here: stale, whatever the kernel says
    /** @type {number[] | null} */
    this.leafIds = null;
    // What is shown (watch()): every node by default. Backward covers it; a move's forward
    // covers what the moved leaves feed (#downstream).
    this.inScope = new Uint8Array(n).fill(1);
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    /** @type {{order: Int32Array, inScope: Uint8Array} | undefined} all nodes, once watch() narrowed them */
    this.everything = undefined;
    // Whether every node's data follows from the leaves'. Not so at first, nor after load():
    // the objects may hold anything (a training step moves parameters, not the nodes built
    // from them). The first move then recomputes every node, as the kernel's replay does;
    // later moves only what the moved leaves feed.
    this.#whole = false;
    /**
     * Bumped whenever a pass or the kernel may have changed data or flags (forward(),
     * load()): what backprop() and consistent are cached against. probe.js, which puts
     * back every number its passes changed, puts this back too.
     */
    this.version = 0;
    /** @type {Int32Array} read only: the nodes the last forward pass covered, in tape order */
    this.lastForward = this.order;
    /** @type {{key: number | string, order: Int32Array}[]} the last few leaf sets' descendants, most recent first */
    this.reach = [];
    this.mark = new Uint8Array(n); // scratch for reach.js, all 0 between calls
    this.#classify(column(tape, "op", Uint16Array, n), tape.ops ?? []);
    // No pass here: the tape's numbers are the kernel's, and a stale node keeps the
    // number it had, which a forward pass over the original values could overwrite.
  }

  /** @param {Uint16Array} op @param {string[]} names */
  #classify(op, names) {
    const { n, offsets, indices, known, opIndex, noGrad, staleGrad } = this;
    const rule = Int16Array.from(names, (name) => OP_INDEX.get(name) ?? -1);
    for (let i = 0; i < n; i++) {
      const s = offsets[i];
      const e = offsets[i + 1];
      if (s === e) continue;
      const k = op[i] < rule.length ? rule[op[i]] : -1;
      if (k >= 0 && arities[k] === e - s) opIndex[i] = k;
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

  /** A node's label, "" if it has none. @param {number} id */
  labelOf(id) {
    return this.labels[id] ?? "";
  }

  /** The labelled leaves' ids, in tape order (found once, from the sparse labels). @returns {readonly number[]} */
  labelledLeaves() {
    if (!this.leafIds) {
      this.leafIds = Object.keys(this.labels)
        .map(Number)
        .filter((id) => this.labels[id] && this.isLeaf(id))
        .sort((a, b) => a - b);
    }
    return this.leafIds;
  }

  /** @param {number} id */
  isLeaf(id) {
    return id >= 0 && id < this.n && this.offsets[id] === this.offsets[id + 1];
  }

  /**
   * Show these nodes (drawn, or a layer box's outputs): a drag then recomputes the data of
   * what the moved leaf feeds, and the grads of what is shown. Shown are the ids and every
   * node on a path from them to the root (closed downstream, so their grads are exact);
   * backward covers them alone, every other grad keeps the kernel's until its next state.
   * On a 65,818-node loss drawn as 49 boxes, a drawn parameter's drag so recomputes a few
   * thousand nodes, not all, however many leaves have sliders.
   * @param {Iterable<number>} ids
   */
  watch(ids) {
    const { n, inScope } = this;
    this.#backprop.backwardRan(null); // its scope is rewritten in place
    inScope.fill(0);
    for (const id of ids) if (id >= 0 && id < n) inScope[id] = 1;
    inScope[this.root] = 1;
    const count = markDownstream(this, inScope, 0);
    const order = new Int32Array(count);
    for (let i = 0, k = 0; i < n; i++) if (inScope[i]) order[k++] = i;
    this.order = order;
  }

  /** Set one leaf and recompute what it feeds, then the grads shown. @param {number} id @param {number} x */
  setLeaf(id, x) {
    if (!this.isLeaf(id)) throw new Error(`node ${this.labelOf(id) || id} is not a leaf; only leaves can be set`);
    this.data[id] = x;
    this.forward(this.#whole ? this.#downstream(id, null) : this.all().order);
    this.#whole = true;
    this.backward();
    return this;
  }

  /** Set leaves by id and run one forward and one backward pass. @param {Record<string, number>} values */
  setLeaves(values) {
    const ids = [];
    for (const [key, x] of Object.entries(values)) {
      const id = Number(key);
      if (!this.isLeaf(id)) throw new Error(`node ${this.labelOf(id) || key} is not a leaf; only leaves can be set`);
      this.data[id] = x;
      ids.push(id);
    }
    ids.sort((a, b) => a - b);
    if (!this.#whole) this.forward(this.all().order);
    else if (ids.length) this.forward(ids.length === 1 ? this.#downstream(ids[0], null) : this.#downstream(ids.join(" "), ids));
    this.#whole = true;
    this.backward();
    return this;
  }

  /**
   * The leaves' descendants, themselves included, in tape order (reach.js, cached).
   * @param {number | string} key the leaf's id, or the sorted ids joined
   * @param {number[] | null} ids the sorted ids; null: the one leaf `key`
   */
  #downstream(key, ids) {
    return downstream(this, key, ids);
  }

  /**
   * The leaf and every node it feeds, in tape order: what a move of it can change (probe.js
   * saves and restores exactly these). Read only: it is the moves' own cached order.
   * @param {number} id @returns {Int32Array}
   */
  feeds(id) {
    if (!(Number.isInteger(id) && id >= 0 && id < this.n)) throw new RangeError(`no node ${id} in a tape of ${this.n}`);
    return this.#downstream(id, null);
  }

  /**
   * One forward and one backward pass over the current leaf values: over the nodes shown
   * (watch()), or over all of them with `all` (the grads of the nodes not shown too).
   * @param {boolean} [all]
   */
  run(all = false) {
    if (all && this.order.length < this.n) {
      const every = this.all();
      this.forward(every.order);
      this.backward(every.order, every.inScope);
    } else {
      this.forward();
      this.backward();
    }
    if (all || this.order.length === this.n) this.#whole = true;
    return this;
  }

  /** Every node, as an order and a scope: made once, when first needed. Read only. */
  all() {
    this.everything ??= { order: Int32Array.from({ length: this.n }, (_, i) => i), inScope: new Uint8Array(this.n).fill(1) };
    return this.everything;
  }

  /**
   * Recompute these nodes' data and flags from their parents', in tape order. Exact when
   * `order` holds every node a leaf moved since the last pass can reach (what #downstream
   * gives): the rest cannot have changed.
   * @param {Int32Array} [order]
   */
  forward(order = this.order) {
    this.version = ++this.#ticks;
    this.lastForward = order;
    const { offsets, indices, known, opIndex, arg, data, original, staleData, changed } = this;
    for (let q = 0; q < order.length; q++) {
      const i = order[q];
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

  /**
   * The grads of these nodes, which must be closed downstream (every child of one of them
   * is one of them, the root too): what watch() makes. A stale grad is kept, as
   * Tape.backward keeps it; so is every grad outside them (not shown: the kernel's stays
   * until its next state).
   * Into `grad`, a scratch array of n, instead of the nodes' own grads: it starts as a
   * copy of them, which are left untouched (backprop.js, over every node).
   * @param {Int32Array} [order] @param {Uint8Array} [inScope] the same nodes, flagged
   * @param {Float64Array} [grad] where the grads go
   */
  backward(order = this.order, inScope = this.inScope, grad = this.grad) {
    const { offsets, indices, known, opIndex, arg, data, staleGrad } = this;
    const own = grad === this.grad;
    if (!own) grad.set(this.grad);
    for (let q = 0; q < order.length; q++) if (!staleGrad[order[q]]) grad[order[q]] = 0;
    grad[this.root] = 1;
    for (let q = order.length - 1; q >= 0; q--) {
      const i = order[q];
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
        if (!staleGrad[p0] && inScope[p0]) grad[p0] += d0 * g;
        continue;
      }
      const p1 = indices[s + 1];
      const y = data[p1];
      const d0 = local0[k](out, x, y);
      const d1 = local1[k](out, x, y);
      // a stale grad keeps its last known value, as in Tape.backward
      if (!staleGrad[p0] && inScope[p0]) grad[p0] += d0 * g;
      if (!staleGrad[p1] && inScope[p1]) grad[p1] += d1 * g;
    }
    if (own) this.#backprop.backwardRan(inScope);
  }

  /**
   * Whether every node's data follows from the leaves' as they are now (read only). So
   * after a whole forward pass here; the tape's or the kernel's numbers are checked, node
   * by node against its op on its parents' numbers (a training step that moved a parameter
   * without a new forward pass fails it). A node whose data is stale, or whose op has no
   * rule, cannot be checked and is taken as it is. While false, a probe (probe.js), which
   * reruns only what its leaf feeds, answers for a graph that is not the one drawn.
   */
  get consistent() {
    return this.#whole || this.#backprop.follows();
  }

  /**
   * The grads a backward pass from the root gives now, for every node, in a scratch array:
   * what gradcheck() compares with, and the tangent's slope. Neither grad nor data is
   * touched (the drawing shows what the objects hold: grads backward() never wrote stay
   * unwritten). The same rules as backward(): a stale grad keeps the number it has, and
   * nothing flows through an op with no rule. Cached until the data change (version): the
   * same array every time, rewritten then; read it, never write it.
   * @returns {Float64Array}
   */
  backprop() {
    return this.#backprop.grads();
  }

  /**
   * backprop()[id] without a pass when one is not needed: the grad the last backward()
   * wrote, if it covered the node at the data as they are (a move's pass over what is
   * shown, a watched node included), is that number already.
   * @param {number} id
   */
  freshGrad(id) {
    return this.#backprop.grad(id);
  }

  /**
   * Take every node's numbers and flags from the kernel; false (and nothing taken) if
   * the state does not fit this tape.
   * @param {Partial<import("./types.js").KernelState>} state
   */
  load(state) {
    const n = this.n;
    const kd = stateColumn(state.data, Float64Array, n);
    const kg = stateColumn(state.grad, Float64Array, n);
    const sd = stateColumn(state.stale_data, Uint8Array, n);
    const sg = stateColumn(state.stale_grad, Uint8Array, n);
    if (!kd || !kg || !sd || !sg) return false;
    this.version = ++this.#ticks;
    this.#whole = false;
    this.data.set(kd);
    this.grad.set(kg);
    const { staleData, staleGrad, noGrad, changed, original, offsets, indices } = this;
    for (let i = 0; i < n; i++) {
      staleData[i] = sd[i] ? 1 : 0;
      staleGrad[i] = sg[i] || noGrad[i] ? 1 : 0;
      // which leaves upstream differ from the original now: the kernel may have moved any
      // of them, and a move's forward reads the flag of every parent, whether it reran or not
      let ch = 0;
      if (offsets[i] === offsets[i + 1]) ch = same(this.data[i], original[i]) ? 0 : 1;
      else for (let j = offsets[i]; j < offsets[i + 1]; j++) ch |= changed[indices[j]];
      changed[i] = ch;
    }
    return true;
  }
}
