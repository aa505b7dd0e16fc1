// The output as a function of one leaf, asked of the evaluator without disturbing it: the
// lesson's "what if w1 were -2?" (the tangent plot, the numeric check) must not move the
// drawing, the sliders or what goes to the kernel. A probe sets the leaf, reruns only what
// the leaf feeds (Evaluator.feeds), reads the root, and puts those nodes' data and flags
// back, and the evaluator's version with them (Evaluator.backprop() and .consistent, cached
// against it, stay valid); the grads are never touched (no backward pass runs).
//
// Nodes the leaf does not feed keep the numbers they have now (after a kernel state, the
// kernel's): "every other leaf as now" is read off them, not recomputed.

/**
 * The root's data at each of `xs`, with `leaf` set to it and everything else as now.
 * One save and one restore for all the points.
 * @param {import("./evaluator.js").Evaluator} ev @param {number} leaf
 * @param {ArrayLike<number>} xs @param {Float64Array} [ys] written in place if given
 * @returns {Float64Array}
 */
export function outputsAt(ev, leaf, xs, ys = new Float64Array(xs.length)) {
  if (!ev.isLeaf(leaf)) throw new Error(`node ${ev.labelOf(leaf) || leaf} is not a leaf; only a leaf can be probed`);
  const ids = ev.feeds(leaf);
  const { data, staleData, changed, root } = ev;
  const k = ids.length;
  const savedData = new Float64Array(k);
  const savedStale = new Uint8Array(k);
  const savedChanged = new Uint8Array(k);
  for (let q = 0; q < k; q++) {
    const i = ids[q];
    savedData[q] = data[i];
    savedStale[q] = staleData[i];
    savedChanged[q] = changed[i];
  }
  const last = ev.lastForward;
  const version = ev.version;
  try {
    for (let j = 0; j < xs.length; j++) {
      data[leaf] = xs[j];
      ev.forward(ids);
      // A stale root is an old number no pass here can update (an op with no rule lies
      // between): not the output at x, so no number at all.
      ys[j] = staleData[root] ? NaN : data[root];
    }
  } finally {
    for (let q = 0; q < k; q++) {
      const i = ids[q];
      data[i] = savedData[q];
      staleData[i] = savedStale[q];
      changed[i] = savedChanged[q];
    }
    ev.lastForward = last;
    ev.version = version;
  }
  return ys;
}

/**
 * The root's data with `leaf` set to x and every other leaf as now; the evaluator is left
 * exactly as it was. NaN and infinities come back as they are (NaN too when the root
 * cannot be recomputed: an op with no rule upstream of it).
 * @param {import("./evaluator.js").Evaluator} ev @param {number} leaf @param {number} x
 */
export const outputAt = (ev, leaf, x) => outputsAt(ev, leaf, [x])[0];

/**
 * The output at `count` evenly spaced values of the leaf, lo and hi included.
 * @param {import("./evaluator.js").Evaluator} ev @param {number} leaf
 * @param {number} lo @param {number} hi @param {number} count
 * @returns {{xs: Float64Array, ys: Float64Array}}
 */
export function sample(ev, leaf, lo, hi, count) {
  const xs = new Float64Array(count);
  for (let j = 0; j < count; j++) xs[j] = count === 1 ? lo : j === count - 1 ? hi : lo + ((hi - lo) * j) / (count - 1);
  return { xs, ys: outputsAt(ev, leaf, xs) };
}

/**
 * The finite-difference estimate of d(output)/d(leaf) at the leaf's current value x:
 * "central" (f(x+h) − f(x−h)) / 2h, error O(h²); "forward" (f(x+h) − f(x)) / h, the
 * lecture notebook's, error O(h). f(x) is probed too, not read off the root, so both
 * points come from the same pass.
 * @param {import("./evaluator.js").Evaluator} ev @param {number} leaf @param {number} h
 * @param {"central" | "forward"} [kind]
 */
export function numericGrad(ev, leaf, h, kind = "central") {
  const x = ev.data[leaf];
  if (kind === "forward") {
    const [fx, fxh] = outputsAt(ev, leaf, [x, x + h]);
    return (fxh - fx) / h;
  }
  if (kind !== "central") throw new Error(`no difference "${kind}": "central" or "forward"`);
  const [up, down] = outputsAt(ev, leaf, [x + h, x - h]);
  return (up - down) / (2 * h);
}

/** gradcheck()'s defaults in the kernel (numeric.py): the two checks say the same. */
export const GRADCHECK = { h: 1e-6, rtol: 1e-4, atol: 1e-6 };

/**
 * Whether a numeric estimate confirms a backprop grad, by gradcheck()'s rule:
 * |numeric − grad| <= atol + rtol · |numeric|. A central difference with h = 1e-6 is off by
 * ~1e-10 on smooth ops; a relu at its kink is off by 0.5 (backprop says 0, micrograd's rule
 * out > 0; the central difference 0.5); a forward difference by ~h · f''/2, so the seed's
 * h = 0.001 disagrees on anything curved — which is the lesson. Anything non-finite on either
 * side disagrees: no estimate confirms an infinite or NaN slope, nor does NaN confirm anything.
 * @param {number} numeric @param {number} grad
 * @param {{rtol: number, atol: number}} [tolerance] gradcheck()'s rtol and atol (default GRADCHECK's)
 */
export function agrees(numeric, grad, { rtol, atol } = GRADCHECK) {
  if (!Number.isFinite(numeric) || !Number.isFinite(grad)) return false;
  return Math.abs(numeric - grad) <= atol + rtol * Math.abs(numeric);
}
