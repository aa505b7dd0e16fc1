// The downstream cache (reach.js) as the evaluator uses it: what a move recomputes, feeds().
import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { neuron as neuronColumns } from "./fixtures/build-tape.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { near, neuron } from "./fixtures/evaluator-helpers.js";

test("watch: backward covers what is shown and everything downstream of it; a move's forward, what the moved leaf feeds", () => {
  const full = new Evaluator(neuron());
  const columns = neuronColumns();
  columns.data[5] = -6 + 2 ** -50; // x1*w1 as the kernel sent it, a bit off what this file computes
  const ev = new Evaluator(encodeTape(columns));
  ev.watch([5]); // x1*w1: with x1*w1 + x2*w2, n and o on its way to the root
  assert.deepEqual([...ev.order], [5, 7, 8, 9]);
  ev.setLeaf(3, 1); // w2 to its own value: the first move recomputes every node, as the kernel's replay
  assert.equal(ev.lastForward.length, ev.n);
  assert.equal(ev.data[5], -6, "x1*w1 follows from x1 and w1 now");
  ev.data[5] = -6 + 2 ** -50; // a number only a whole pass would correct: shows what a move leaves alone
  const before = ev.grad.slice();
  ev.setLeaf(2, 1); // x2 feeds x2*w2 and the root's way, not x1*w1
  full.setLeaf(2, 1);
  assert.deepEqual([...ev.lastForward], [2, 6, 7, 8, 9], "the forward covers what x2 feeds, and nothing else");
  assert.equal(ev.data[5], -6 + 2 ** -50, "x1*w1 is shown, but x2 does not feed it: the kernel's number stays");
  near(ev.data[9], full.data[9], "o, from it");
  for (const i of ev.order) near(ev.grad[i], full.grad[i], `grad ${i}`);
  for (const i of [0, 1, 2, 3, 4, 6]) assert.equal(ev.grad[i], before[i], `grad ${i} is not shown: the kernel's stays`);
  ev.setLeaf(0, 2); // x1, not shown, to its own value: x1*w1 is recomputed
  assert.deepEqual([...ev.lastForward], [0, 5, 7, 8, 9]);
  assert.equal(ev.data[5], -6);
  for (let i = 0; i < ev.n; i++) assert.equal(ev.data[i], full.data[i], `data ${i}`);
  assert.equal(ev.grad[0], before[0], "a slider's leaf that is not drawn: its grad is never computed here");
  ev.run(true); // one whole pass: every grad
  for (let i = 0; i < ev.n; i++) assert.equal(ev.grad[i], full.grad[i], `grad ${i}`);
  assert.deepEqual([...ev.order], [5, 7, 8, 9], "and the watch stands");
});

test("a move's nodes are kept for the last four leaf sets: a drag allocates nothing per input", () => {
  const ev = new Evaluator(neuron());
  ev.watch([9]);
  ev.run(true); // a whole pass first: the moves after it recompute only what they feed
  ev.setLeaf(0, 1);
  const first = ev.lastForward;
  ev.setLeaf(0, 1.5);
  assert.equal(ev.lastForward, first, "the same array, not a new one");
  ev.setLeaves({ 3: 2, 2: 1 });
  assert.deepEqual([...ev.lastForward], [2, 3, 6, 7, 8, 9], "two leaves: what either feeds, in tape order");
  const both = ev.lastForward;
  ev.setLeaves({ 2: 0.5, 3: 1 });
  assert.equal(ev.lastForward, both, "the same set in another order is the same set");
  for (const id of [1, 4, 2]) ev.setLeaf(id, 0);
  ev.setLeaf(0, 2);
  assert.notEqual(ev.lastForward, first, "five sets since: x1's was dropped");
  assert.deepEqual([...ev.lastForward], [...first]);
  assert.deepEqual(ev.mark, new Uint8Array(ev.n), "the scratch is left clear");
});

test("feeds: a node and everything it feeds, in tape order, from the moves' own cache", () => {
  const ev = new Evaluator(neuron());
  ev.run(true);
  assert.deepEqual([...ev.feeds(1)], [1, 5, 7, 8, 9], "w1 -> x1*w1 -> sum -> n -> o");
  assert.deepEqual([...ev.feeds(4)], [4, 8, 9], "b -> n -> o");
  assert.deepEqual([...ev.feeds(9)], [9], "the root feeds nothing");
  ev.setLeaf(1, 0);
  assert.equal(ev.feeds(1), ev.lastForward, "the very order a move of w1 runs");
  assert.deepEqual(ev.mark, new Uint8Array(ev.n), "the scratch is left clear");
  assert.throws(() => ev.feeds(10), RangeError);
  assert.throws(() => ev.feeds(-1), RangeError);
});
