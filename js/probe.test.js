import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape, neuron, reluAtKink, withUnknown, quadratic as quadraticTape } from "./fixtures/build-tape.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { agrees, numericGrad, outputAt, outputsAt, sample } from "./probe.js";

const B = 6.8813735870195432;
const [X1, W1, X2, W2, BIAS, O] = [0, 1, 2, 3, 4, 9];
/** The lecture's neuron, forward and backward run: every grad is the hand value. */
const lectureNeuron = () => new Evaluator(encodeTape(neuron())).run();
/** o as a function of w1, in the tape's order of operations: (x1*w1 + x2*w2) + b. */
const oOfW1 = (/** @type {number} */ w1) => Math.tanh(2 * w1 + 0 * 1 + B);

/** f(x) = 3x² − 4x + 5 as a tape (build-tape.js quadratic: x 0, the root 8), at x, run. @param {number} x */
const quadratic = (x) => new Evaluator(encodeTape(quadraticTape(x))).run();
/** The same f in the same order of operations: equal to the tape's bit for bit. @param {number} x */
const f = (x) => 3 * (x * x) - 4 * x + 5;

/** Everything a probe could disturb, copied. @param {Evaluator} ev */
const snapshot = (ev) => ({
  data: ev.data.slice(),
  staleData: ev.staleData.slice(),
  changed: ev.changed.slice(),
  grad: ev.grad.slice(),
  staleGrad: ev.staleGrad.slice(),
  order: ev.order.slice(),
  inScope: ev.inScope.slice(),
  mark: ev.mark.slice(),
  lastForward: ev.lastForward,
  lastForwardItems: ev.lastForward.slice(),
});
/** @param {Evaluator} ev @param {ReturnType<typeof snapshot>} before @param {string} what */
function unchanged(ev, before, what) {
  const now = snapshot(ev);
  for (const key of /** @type {(keyof typeof before)[]} */ (Object.keys(before))) {
    if (key === "lastForward") assert.equal(now.lastForward, before.lastForward, `${what}: the same lastForward`);
    // deepEqual on typed arrays compares NaN as equal to NaN, and -0 apart from 0
    else assert.deepEqual(now[key], before[key], `${what}: ${key}`);
  }
}

test("outputAt: the lecture's o at w1's own value, tanh of the hand-computed n elsewhere", () => {
  const ev = lectureNeuron();
  assert.ok(Math.abs(ev.data[O] - Math.SQRT1_2) < 1e-15, "o = 0.7071...");
  assert.equal(outputAt(ev, W1, -3), ev.data[O]);
  assert.equal(outputAt(ev, W1, -2), Math.tanh(-4 + B));
  assert.equal(outputAt(ev, BIAS, 0), Math.tanh(-6), "b = 0: n = -6");
  assert.equal(outputAt(ev, X2, 1), Math.tanh(-6 + 1 + B), "x2 = 1: x2*w2 = 1");
  assert.throws(() => outputAt(ev, O, 0), /not a leaf/);
});

test("sample: count points from lo to hi, each the output there", () => {
  const ev = lectureNeuron();
  const { xs, ys } = sample(ev, W1, -6, 0, 7);
  assert.deepEqual([...xs], [-6, -5, -4, -3, -2, -1, 0]);
  assert.deepEqual([...ys], [...xs].map(oOfW1));
  assert.equal(ys[3], ev.data[O], "w1 = -3 is the point the lecture sits on");
  const odd = sample(ev, W1, -1, 0.3, 64);
  assert.equal(odd.xs.length, 64);
  assert.equal(odd.xs[0], -1);
  assert.equal(odd.xs[63], 0.3, "hi exactly, not hi give or take a rounding");
  for (let j = 0; j < 64; j++) assert.equal(odd.ys[j], oOfW1(odd.xs[j]), `point ${j}`);
});

test("a central difference with h = 1e-4 finds every leaf's backprop grad on the neuron", () => {
  const ev = lectureNeuron();
  const hand = { [X1]: -1.5, [W1]: 1.0, [X2]: 0.5, [W2]: 0, [BIAS]: 0.5 };
  for (const [key, want] of Object.entries(hand)) {
    const id = Number(key);
    assert.ok(Math.abs(ev.grad[id] - want) < 1e-12, `backprop ${ev.labelOf(id)}: ${ev.grad[id]}`);
    const numeric = numericGrad(ev, id, 1e-4, "central");
    assert.ok(Math.abs(numeric - ev.grad[id]) <= 1e-6, `numeric ${ev.labelOf(id)}: ${numeric} vs ${ev.grad[id]}`);
    assert.ok(agrees(numeric, ev.grad[id]));
  }
  const w1 = numericGrad(ev, W1, 1e-4);
  assert.equal(w1, (oOfW1(-3 + 1e-4) - oOfW1(-3 - 1e-4)) / 2e-4, "central is the default, by its formula");
});

test("the notebook's forward difference on f(x) = 3x² − 4x + 5", () => {
  for (const [x, slope] of [
    [3, 14],
    [-3, -22],
    [2 / 3, 0],
  ]) {
    const ev = quadratic(x);
    assert.equal(ev.data[8], f(x), "the tape is f");
    assert.equal(ev.grad[0], 6 * x - 4, "backprop: f'(x) = 6x − 4");
    const got = numericGrad(ev, 0, 0.001, "forward");
    assert.equal(got, (f(x + 0.001) - f(x)) / 0.001, `at ${x}: exactly the notebook's formula`);
    assert.ok(Math.abs(got - slope) < 0.0031, `at ${x}: ≈ ${slope} (got ${got}), off by 3h`);
  }
  assert.equal(3 + 0.001, 3.001, "so at 3 it is the notebook's (f(3.001) − f(3)) / 0.001");
  assert.equal(numericGrad(quadratic(3), 0, 0.001, "forward"), (f(3.001) - f(3)) / 0.001);
  assert.ok(Math.abs(numericGrad(quadratic(3), 0, 0.001, "forward") - 14.003) < 1e-6);
  assert.equal(numericGrad(quadratic(3), 0, 0.5, "forward"), 15.5, "(f(3.5) − f(3)) / 0.5, all exact in binary");
  assert.throws(() => numericGrad(quadratic(3), 0, 0.5, /** @type {any} */ ("backward")), /no difference/);
});

test("a probe leaves the evaluator exactly as it was", () => {
  const ev = lectureNeuron();
  ev.watch([X1]); // a narrowed scope, as when a drawing shows a few nodes
  ev.setLeaf(X2, 0.25); // a move first: lastForward is x2's order
  for (const [what, probe] of /** @type {[string, () => unknown][]} */ ([
    ["outputAt", () => outputAt(ev, W1, 10)],
    ["outputAt NaN", () => outputAt(ev, W1, NaN)],
    ["sample", () => sample(ev, BIAS, -5, 5, 64)],
    ["central", () => numericGrad(ev, X1, 1e-4, "central")],
    ["forward", () => numericGrad(ev, W2, 0.5, "forward")],
  ])) {
    const before = snapshot(ev);
    probe();
    unchanged(ev, before, what);
  }
  const moved = ev.changed.slice();
  assert.deepEqual([...moved], [0, 0, 1, 0, 0, 0, 1, 1, 1, 1], "x2 moved: the flags a probe must keep");
});

test("stale flags are put back too, and a root no pass can update is no number", () => {
  // a -> mystery(a) -> u + bb; b -> b*b. Nothing here has a rule for "mystery".
  const ev = new Evaluator(encodeTape(withUnknown()));
  ev.setLeaf(0, 7); // a moved: u and out are stale
  assert.deepEqual([...ev.staleData], [0, 0, 1, 0, 1]);
  let before = snapshot(ev);
  assert.ok(Number.isNaN(outputAt(ev, 0, 8)), "out at a = 8 is unknown here");
  assert.equal(outputAt(ev, 0, 2), 14, "a at its original value: out = 5 + 9, known");
  assert.ok(Number.isNaN(outputAt(ev, 1, 4)), "b moves, a still differs: still unknown");
  unchanged(ev, before, "from stale");
  ev.setLeaf(0, 2);
  before = snapshot(ev);
  assert.equal(outputAt(ev, 1, 4), 21, "5 + 16");
  assert.ok(Number.isNaN(outputAt(ev, 0, 3)));
  unchanged(ev, before, "from fresh");
});

test("NaN and infinities come back as they are", () => {
  const ev = new Evaluator(encodeTape(buildTape([{ label: "x", data: 1 }, { op: "log", parents: [0] }]))).run();
  assert.deepEqual([...outputsAt(ev, 0, [0, -1, Infinity, Math.E])], [-Infinity, NaN, Infinity, 1]);
});

test("agrees: within 1% of the grad (absolutely below 1); the relu kink and non-finite numbers disagree", () => {
  const ev = new Evaluator(encodeTape(reluAtKink())).run();
  assert.equal(ev.grad[0], 0, "micrograd's rule: out > 0, and out = 0 here");
  const numeric = numericGrad(ev, 0, 1e-4);
  assert.equal(numeric, 0.5, "(relu(h) − relu(−h)) / 2h = h / 2h");
  assert.equal(agrees(numeric, ev.grad[0]), false);
  // gradcheck()'s rule: |numeric − grad| <= 1e-6 + 1e-4 · |numeric|
  assert.equal(agrees(0.9e-6, 0), true, "atol at zero");
  assert.equal(agrees(1.1e-6, 0), false);
  assert.equal(agrees(100.009, 100), true, "rtol of the estimate");
  assert.equal(agrees(100.011, 100), false);
  assert.equal(agrees(1.05, 1, { rtol: 0.1, atol: 0 }), true, "a looser rule when asked");
  assert.equal(agrees(NaN, 1), false);
  assert.equal(agrees(1, NaN), false);
  assert.equal(agrees(NaN, NaN), false);
  assert.equal(agrees(Infinity, Infinity), false);
  assert.equal(agrees(5, Infinity), false);
  assert.equal(agrees(-Infinity, 0), false);
});

test("a probe leaves the evaluator's version as it was: backprop() and consistent stay cached", () => {
  const ev = lectureNeuron();
  const fresh = ev.backprop();
  const before = fresh.slice();
  const version = ev.version;
  sample(ev, W1, -9, 3, 16);
  numericGrad(ev, X1, 1e-6);
  assert.equal(ev.version, version);
  assert.equal(ev.backprop(), fresh);
  assert.deepEqual([...fresh], [...before], "and its grads are the same numbers");
});
