import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape, neuron } from "./fixtures/build-tape.js";

const near = (got, want, msg) =>
  assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${msg}: ${got} vs ${want}`);

test("the lecture's neuron: forward and backward by hand", () => {
  const ev = new Evaluator(neuron()).run();
  near(ev.data[8], 0.8813735870195432, "n");
  near(ev.data[9], Math.SQRT1_2, "o");
  const want = { 0: -1.5, 1: 1.0, 2: 0.5, 3: 0.0, 4: 0.5, 9: 1.0 };
  for (const [id, g] of Object.entries(want)) near(ev.grad[Number(id)], g, `grad ${ev.label[Number(id)]}`);
});

test("the tape's numbers are shown as they came, until a leaf moves", () => {
  const tape = neuron();
  tape.data[9] = 0.5; // not tanh(n): the constructor must not recompute
  tape.grad[0] = 42;
  const ev = new Evaluator(tape);
  assert.equal(ev.data[9], 0.5);
  assert.equal(ev.grad[0], 42);
  assert.deepEqual([...ev.pendingData, ...ev.changed], new Array(20).fill(0));
});

test("setLeaf recomputes the whole graph in one forward and one backward pass", () => {
  const ev = new Evaluator(neuron());
  ev.setLeaf(2, 1); // x2 = 1
  const n = 2 * -3 + 1 * 1 + 6.8813735870195432;
  const o = Math.tanh(n);
  near(ev.data[9], o, "o");
  near(ev.grad[3], 1 - o * o, "w2 = x2 * (1 - o^2)");
  near(ev.grad[2], 1 - o * o, "x2 = w2 * (1 - o^2)");
  near(ev.grad[0], -3 * (1 - o * o), "x1");
  ev.setLeaves({ 2: 0 });
  near(ev.grad[0], -1.5, "back where it was");
  assert.throws(() => ev.setLeaf(9, 1), /not a leaf/);
});

test("a reused node gets the sum of both paths: a + a, a * a, a * a + a", () => {
  const ev = new Evaluator(
    buildTape([
      { label: "a", data: 3 },
      { op: "+", parents: [0, 0] },
    ]),
  ).run();
  assert.equal(ev.data[1], 6);
  assert.equal(ev.grad[0], 2);
  const sq = new Evaluator(
    buildTape([
      { label: "a", data: 3 },
      { op: "*", parents: [0, 0] },
      { op: "+", parents: [1, 0] },
    ]),
  ).run();
  assert.equal(sq.data[2], 12);
  assert.equal(sq.grad[0], 7);
  sq.setLeaf(0, -2);
  assert.equal(sq.data[2], 2);
  assert.equal(sq.grad[0], -3);
});

test("NaN and infinities flow through like IEEE says", () => {
  const ev = new Evaluator(buildTape([{ data: -1 }, { op: "log", parents: [0] }, { op: "*", parents: [1, 0] }])).run();
  assert.ok(Number.isNaN(ev.data[2]));
  assert.ok(Number.isNaN(ev.grad[0]));
  ev.setLeaf(0, 0);
  assert.equal(ev.data[1], -Infinity);
  assert.ok(Number.isNaN(ev.data[2]), "-inf * 0");
});

// a -> mystery(a) -> u + b; b -> b*b; a is upstream of the op nobody knows.
const withUnknown = () =>
  buildTape([
    { label: "a", data: 2 },
    { label: "b", data: 3 },
    { label: "u", op: "mystery", parents: [0], data: 5, known: false },
    { label: "bb", op: "*", parents: [1, 1] },
    { label: "out", op: "+", parents: [2, 3] },
  ]);

test("an op nobody knows: stale downstream once a leaf upstream moves, exactly as tape.py", () => {
  const tape = withUnknown();
  tape.grad[0] = 42; // the last grad the kernel knew for a
  const ev = new Evaluator(tape);
  assert.deepEqual([...ev.staleGrad], [1, 0, 0, 0, 0], "grads through the unknown op are stale always");
  assert.deepEqual([...ev.staleData], [0, 0, 0, 0, 0]);
  ev.setLeaf(1, 4); // b is not upstream of the unknown op
  assert.deepEqual([...ev.staleData], [0, 0, 0, 0, 0]);
  assert.equal(ev.data[4], 5 + 16);
  assert.equal(ev.grad[1], 8);
  ev.setLeaf(0, 7);
  assert.deepEqual([...ev.staleData], [0, 0, 1, 0, 1]);
  assert.equal(ev.data[2], 5, "the unknown node keeps its number");
  assert.equal(ev.data[4], 21, "and so does everything it feeds");
  ev.setLeaf(1, 5);
  assert.equal(ev.data[4], 21, "still stale: b moved but a still differs from the original");
  assert.equal(ev.data[3], 25);
  ev.setLeaf(0, 2); // back to the original value: nothing is stale any more
  assert.deepEqual([...ev.staleData], [0, 0, 0, 0, 0]);
  assert.equal(ev.data[4], 30);
  assert.equal(ev.grad[0], 42, "a stale grad keeps its last confirmed value");
});

// An op the kernel knows (known = true) but ops.js does not: "cube".
const withKernelOnly = () =>
  buildTape([
    { label: "a", data: 2 },
    { label: "b", data: 3 },
    { label: "c", op: "cube", parents: [0], data: 8, known: true },
    { label: "d", op: "*", parents: [2, 1], data: 24 },
    { label: "bb", op: "*", parents: [1, 1] },
    { label: "out", op: "+", parents: [3, 4], data: 33 },
  ]);

test("an op only the kernel knows: its numbers come from kernel_state, pending until then", () => {
  const tape = withKernelOnly();
  tape.grad = [36, 17, 3, 1, 1, 1];
  const ev = new Evaluator(tape);
  assert.deepEqual(ev.kernelOps, ["cube"]);
  assert.deepEqual([...ev.fromKernel], [0, 0, 1, 1, 0, 1]);
  assert.deepEqual([...ev.gradFromKernel], [1, 1, 1, 1, 1, 0], "all grads that flow back through it");
  assert.deepEqual([ev.grad[0], ev.grad[1]], [36, 17], "the kernel's grads before any move");
  ev.setLeaf(1, 4);
  assert.equal(ev.data[4], 16, "what JS can compute, it does");
  assert.equal(ev.data[3], 24, "the rest keeps the kernel's numbers");
  assert.deepEqual([...ev.pendingData], [0, 0, 0, 1, 0, 1]);
  assert.deepEqual([...ev.pendingGrad], [1, 1, 1, 1, 1, 0]);
  const state = {
    values: { 1: 4 },
    data: [2, 4, 8, 32, 16, 48],
    grad: [48, 16, 4, 1, 1, 1],
    stale_data: [false, false, false, false, false, false],
    stale_grad: [false, false, false, false, false, false],
  };
  assert.equal(ev.applyKernel({ ...state, values: { 1: 3 } }), false, "numbers for other leaf values are ignored");
  assert.equal(ev.data[3], 24);
  assert.equal(ev.applyKernel(state), true);
  assert.deepEqual([...ev.data], [2, 4, 8, 32, 16, 48]);
  assert.deepEqual([...ev.grad], [48, 16, 4, 1, 1, 1]);
  assert.deepEqual([...ev.pendingData, ...ev.pendingGrad], new Array(12).fill(0));
  ev.setLeaf(1, 4); // same value again: nothing new to wait for
  assert.deepEqual([...ev.pendingData], [0, 0, 0, 0, 0, 0]);
  assert.equal(ev.data[5], 48);
});

test("10^5 nodes: a forward and backward pass stays within a frame budget", () => {
  const n = 100_000;
  const nodes = [
    { label: "x", data: 0.5 },
    { label: "y", data: -0.25 },
  ];
  const ops = ["+", "*", "tanh", "-", "sigmoid", "**k"];
  for (let i = 2; i < n; i++) {
    const op = ops[i % ops.length];
    const unary = op === "tanh" || op === "sigmoid" || op === "**k";
    nodes.push({ op, parents: unary ? [i - 1] : [i - 1, (i * 7919) % i], arg: 2 });
  }
  const ev = new Evaluator(buildTape(nodes));
  for (let r = 0; r < 3; r++) ev.setLeaf(0, 0.4 + r / 100); // let the JIT settle
  let ms = Infinity; // best of five: a busy CI machine should not fail this
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    ev.setLeaf(0, 0.3 + r / 100);
    ms = Math.min(ms, performance.now() - t0);
  }
  assert.ok(Number.isFinite(ev.data[n - 1]));
  assert.equal(ev.grad[n - 1], 1);
  assert.ok(ms < 50, `one setLeaf over 10^5 nodes took ${ms.toFixed(1)} ms`);
});
