import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { explain, pyG, usesOf } from "./explain.js";
import { buildTape, neuron } from "./fixtures/build-tape.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { loadState } from "./fixtures/fake-model.js";

/** @param {import("./fixtures/encode-tape.js").TapeJson} columns */
function setUp(columns) {
  const ev = new Evaluator(encodeTape(columns)).run();
  const name = (/** @type {number} */ i) => ev.labelOf(i) || `node ${i}`;
  return { ev, lines: (/** @type {number} */ i) => explain(ev, i, name) };
}

// The neuron's ids: x1 0, w1 1, x2 2, w2 3, b 4, x1*w1 5, x2*w2 6, x1*w1 + x2*w2 7, n 8, o 9.

test("the output: tanh's local derivative 1 − o² with o = 1/√2 is 0.5, and its grad is 1", () => {
  const { ev, lines } = setUp(neuron());
  assert.ok(Math.abs(ev.data[9] - Math.SQRT1_2) < 1e-15, "o = tanh(0.8814) = 1/√2");
  assert.deepEqual(lines(9), ["o = tanh(n) = 0.7071", "∂o/∂n = 1 − o² = 0.5000", "grad(o) = 1 (the output)"]);
});

test("a leaf's grad is its one consumer's grad times the local derivative: x1 0.5 × -3, w2 0.5 × 0", () => {
  const { lines } = setUp(neuron());
  assert.deepEqual(lines(0), [
    "x1: a leaf = 2.000",
    "grad(x1) = Σ over its consumers grad(c) × ∂c/∂x1 = 0.5000 × -3.000 = -1.500",
    "  via x1*w1: grad(x1*w1) × ∂(x1*w1)/∂x1 = 0.5000 × -3.000",
  ]);
  assert.deepEqual(lines(3), [
    "w2: a leaf = 1.000",
    "grad(w2) = Σ over its consumers grad(c) × ∂c/∂w2 = 0.5000 × 0.0000 = 0.0000",
    "  via x2*w2: grad(x2*w2) × ∂(x2*w2)/∂w2 = 0.5000 × 0.0000",
  ]);
});

test("a product's local derivatives are the other input, with today's numbers", () => {
  const { lines } = setUp(neuron());
  assert.deepEqual(lines(5), [
    "x1*w1 = x1 * w1 = -6.000",
    "∂(x1*w1)/∂x1 = w1 = -3.000",
    "∂(x1*w1)/∂w1 = x1 = 2.000",
    "grad(x1*w1) = Σ over its consumers grad(c) × ∂c/∂(x1*w1) = 0.5000 × 1.000 = 0.5000",
    "  via x1*w1 + x2*w2: grad(x1*w1 + x2*w2) × ∂(x1*w1 + x2*w2)/∂(x1*w1) = 0.5000 × 1.000",
  ]);
  assert.equal(lines(8)[0], "n = (x1*w1 + x2*w2) + b = 0.8814", "compound names in parentheses");
});

test("a node used twice by one consumer counts twice: a + a gives grad 1 + 1 = 2", () => {
  const { ev, lines } = setUp(buildTape([{ label: "a", data: 3 }, { op: "+", parents: [0, 0] }]));
  assert.equal(ev.grad[0], 2);
  assert.deepEqual(usesOf(ev, 0), [
    { c: 1, j: 0 },
    { c: 1, j: 1 },
  ]);
  assert.deepEqual(lines(0), [
    "a: a leaf = 3.000",
    "grad(a) = Σ over its consumers grad(c) × ∂c/∂a = 1.000 × 1.000 + 1.000 × 1.000 = 2.000",
    "  via node 1: grad(node 1) × ∂(node 1)/∂a = 1.000 × 1.000",
    "  via node 1: grad(node 1) × ∂(node 1)/∂a = 1.000 × 1.000",
  ]);
  assert.deepEqual(lines(1), [
    "node 1 = a + a = 6.000",
    "∂(node 1)/∂a (as its 1st operand) = 1 = 1.000",
    "∂(node 1)/∂a (as its 2nd operand) = 1 = 1.000",
    "grad(node 1) = 1 (the output)",
  ]);
});

test("a * a: each use's local derivative is the other use, 3 + 3 = 6", () => {
  const { ev, lines } = setUp(buildTape([{ label: "a", data: 3 }, { label: "y", op: "*", parents: [0, 0] }]));
  assert.equal(ev.grad[0], 6);
  assert.equal(lines(0)[1], "grad(a) = Σ over its consumers grad(c) × ∂c/∂a = 1.000 × 3.000 + 1.000 × 3.000 = 6.000");
});

test("two consumers, **k and exp, sigmoid and relu, with their formulas", () => {
  // x = 3; s = x**2 = 9; e = exp(x); y = s + e
  const { ev, lines } = setUp(
    buildTape([
      { label: "x", data: 3 },
      { label: "s", op: "**k", arg: 2, parents: [0] },
      { label: "e", op: "exp", parents: [0] },
      { label: "y", op: "+", parents: [1, 2] },
    ]),
  );
  assert.deepEqual(lines(1).slice(0, 2), ["s = x**2 = 9.000", "∂s/∂x = 2·x^(2−1) = 6.000"]);
  assert.deepEqual(lines(2).slice(0, 2), ["e = exp(x) = 20.09", "∂e/∂x = e = 20.09"]);
  assert.equal(ev.grad[0], 6 + Math.exp(3));
  assert.deepEqual(lines(0), [
    "x: a leaf = 3.000",
    "grad(x) = Σ over its consumers grad(c) × ∂c/∂x = 1.000 × 6.000 + 1.000 × 20.09 = 26.09",
    "  via s: grad(s) × ∂s/∂x = 1.000 × 6.000",
    "  via e: grad(e) × ∂e/∂x = 1.000 × 20.09",
  ]);
  const small = setUp(
    buildTape([
      { label: "x", data: -2 },
      { label: "r", op: "relu", parents: [0] },
      { label: "g", op: "sigmoid", parents: [0] },
      { label: "d", op: "-", parents: [1, 2] },
    ]),
  );
  assert.equal(small.lines(1)[1], "∂r/∂x = 1 if r > 0 else 0 = 0.0000");
  const g = 1 / (1 + Math.exp(2)); // 0.1192
  assert.equal(small.lines(2)[1], `∂g/∂x = g·(1 − g) = ${(g * (1 - g)).toFixed(4)}`);
  assert.equal(small.lines(3)[2], "∂d/∂g = −1 = -1.000");
});

test("more consumers than are listed: the sum in one figure, the rest counted", () => {
  /** @type {import("./fixtures/build-tape.js").NodeSpec[]} */
  const nodes = [{ label: "w", data: 0.5 }];
  for (let i = 0; i < 8; i++) nodes.push({ op: "*", parents: [0, 0] }); // each w*w
  for (let i = 1; i < 8; i++) nodes.push({ op: "+", parents: [i === 1 ? 1 : 8 + i - 1, i + 1] });
  const { ev, lines } = setUp(buildTape(nodes));
  assert.equal(ev.grad[0], 8, "16 uses of w, each 1 × 0.5");
  const out = lines(0);
  assert.equal(out[1], "grad(w) = Σ over its consumers grad(c) × ∂c/∂w = the sum of 16 products = 8.000");
  assert.equal(out.length, 2 + 6 + 1);
  assert.equal(out.at(-1), "  … and 10 more");
});

test("an op with no rule: said so, its inputs' grads stale, its own grad from its consumer", () => {
  // b 0 = 3, a 1 = 2, c 2 = cube(a), d 3 = b*c, bb 4 = b*b, out 5 = d + bb
  const state = loadState("unknown");
  const ev = new Evaluator(state.tape);
  ev.load(state.kernel_state);
  ev.run();
  const name = (/** @type {number} */ i) => ev.labelOf(i) || `node ${i}`;
  assert.deepEqual(explain(ev, 2, name, "cube"), [
    "c = cube(a) = 8.000",
    "no rule for 'cube': its grad upstream is stale",
    "grad(c) = Σ over its consumers grad(c) × ∂c/∂c = 1.000 × 3.000 = 3.000",
    "  via d: grad(d) × ∂d/∂c = 1.000 × 3.000",
  ]);
  assert.equal(explain(ev, 2, name)[1], "no rule for '?': its grad upstream is stale", "no name given");
  assert.deepEqual(explain(ev, 1, name), [
    "a: a leaf = 2.000",
    "grad(a) = Σ over its consumers grad(c) × ∂c/∂a = 0.0000 (stale: an op between it and the output has no rule)",
    "  via c: its op has no rule",
  ]);
  ev.setLeaf(1, 3);
  assert.equal(explain(ev, 3, name)[0], "d = b * c = 24.00 (stale: an op upstream has no rule)");
});

test("pyG writes a constant as Python's f'{x:g}'", () => {
  const cases = [
    [2, "2"],
    [0.5, "0.5"],
    [-1, "-1"],
    [1e-5, "1e-05"],
    [0.0001, "0.0001"],
    [123456, "123456"],
    [1234567, "1.23457e+06"],
    [1 / 3, "0.333333"],
    [NaN, "nan"],
    [-Infinity, "-inf"],
  ];
  for (const [x, want] of cases) assert.equal(pyG(/** @type {number} */ (x)), want, String(x));
});

test("grads: false (the learner's turn) leaves out every line that states a grad, and keeps the rest", () => {
  const ev = new Evaluator(encodeTape(neuron())).run();
  const name = (/** @type {number} */ i) => ev.labelOf(i) || `node ${i}`;
  assert.deepEqual(explain(ev, 9, name, undefined, { grads: false }), ["o = tanh(n) = 0.7071", "∂o/∂n = 1 − o² = 0.5000"]);
  assert.deepEqual(explain(ev, 0, name, undefined, { grads: false }), ["x1: a leaf = 2.000"]);
  for (let i = 0; i < ev.n; i++) {
    const lines = explain(ev, i, name, undefined, { grads: false });
    assert.ok(lines.every((l) => !/grad/.test(l)), `node ${i}: ${lines.join(" | ")}`);
    assert.deepEqual(lines, explain(ev, i, name).slice(0, lines.length), "the same lines, the grads' left off");
  }
});
