// A fresh backward pass (backprop.js) as the evaluator gives it: backprop(), freshGrad(), consistent.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { neuron as neuronColumns, withUnknown } from "./fixtures/build-tape.js";
import { encodeState, encodeTape } from "./fixtures/encode-tape.js";
import { near, neuron, tape } from "./fixtures/evaluator-helpers.js";
import { randomNodes, seeded } from "./fixtures/random-tape.js";
import { same } from "./json.js";

test("backprop(): a fresh backward pass's grads for every node, in a scratch array; grad and data untouched", () => {
  const ev = new Evaluator(neuron()); // the tape's grads: all 0 (backward() never ran on the objects)
  const data = ev.data.slice();
  const fresh = ev.backprop();
  const want = { 0: -1.5, 1: 1.0, 2: 0.5, 3: 0.0, 4: 0.5, 9: 1.0 };
  for (const [id, g] of Object.entries(want)) near(fresh[Number(id)], g, `fresh grad ${ev.labelOf(Number(id))}`);
  assert.deepEqual([...ev.grad], new Array(10).fill(0), "the grads the objects hold are left as they are");
  assert.deepEqual([...ev.data], [...data]);
  assert.equal(ev.backprop(), fresh, "cached while the data stay");
  assert.equal(ev.freshGrad(0), fresh[0], "no backward pass ran here: backprop()'s");
  const copy = fresh.slice();
  ev.setLeaf(2, 1); // x2 = 1: w2's grad is no longer 0
  const after = ev.backprop();
  near(after[3], 1 - ev.data[9] ** 2, "w2 = x2 · (1 − o²) after the move");
  assert.notDeepEqual([...after], [...copy], "recomputed after a move");
});

test("backprop(): an op with no rule as backward() treats it: stale grads keep their number, nothing flows through", () => {
  const columns = withUnknown();
  columns.grad[0] = 42;
  const ev = new Evaluator(encodeTape(columns));
  const fresh = ev.backprop();
  assert.equal(fresh[0], 42, "a's grad flows through the unknown op: stale, kept");
  assert.deepEqual([fresh[1], fresh[2], fresh[3], fresh[4]], [6, 1, 1, 1]);
  assert.equal(ev.grad[1], 0, "not written into the evaluator");
});

test("random graphs: backprop() is a whole backward pass's grads, bit for bit, whatever is watched", () => {
  const rand = seeded(777);
  for (let g = 0; g < 30; g++) {
    const wire = tape(randomNodes(rand, 20 + Math.floor(rand() * 60)));
    const ev = new Evaluator(wire);
    const full = new Evaluator(wire);
    /** @type {number[]} */
    const leaves = [];
    for (let i = 0; i < ev.n; i++) if (ev.isLeaf(i)) leaves.push(i);
    ev.watch([Math.floor(rand() * ev.n)]);
    for (let step = 0; step < 10; step++) {
      const id = leaves[Math.floor(rand() * leaves.length)];
      const x = rand() < 0.3 ? ev.original[id] : Math.round(rand() * 16 - 8) / 4;
      ev.setLeaf(id, x);
      full.data[id] = x;
      full.run(true);
      if (rand() < 0.3) ev.watch([Math.floor(rand() * ev.n)]); // a new scope: the last pass's no longer says which grads are exact
      const held = ev.grad.slice();
      const fresh = ev.backprop();
      for (let i = 0; i < ev.n; i++) {
        assert.ok(same(fresh[i], full.grad[i]), `graph ${g}, step ${step}: grad ${i}`);
        assert.ok(same(ev.freshGrad(i), full.grad[i]), `graph ${g}, step ${step}: freshGrad(${i})`);
      }
      assert.deepEqual([...ev.grad], [...held], "backprop() writes no grad");
      assert.ok(ev.consistent, "a whole forward pass ran: the data follow from the leaves");
    }
  }
});

test("consistent: whether every node's data follows from the leaves, as the tape and the kernel give them", () => {
  const columns = neuronColumns();
  assert.ok(new Evaluator(encodeTape(columns)).consistent, "the objects' own numbers, from a forward pass");
  // a training step: w1 moved, nothing recomputed from it
  const trained = neuronColumns();
  trained.data[1] = -2.9;
  const ev = new Evaluator(encodeTape(trained));
  assert.equal(ev.consistent, false);
  ev.setLeaf(2, 0); // a move recomputes every node the first time
  assert.ok(ev.consistent);
  // the kernel's numbers after another training step: a leaf moved, its descendants kept
  const state = { data: [...ev.data], grad: [...ev.grad], stale_data: new Array(10).fill(0), stale_grad: new Array(10).fill(0) };
  state.data[0] = 2.5;
  assert.ok(ev.load(encodeState(state)));
  assert.equal(ev.consistent, false, "x1 changed after o was computed");
  state.data[0] = 2; // as it was: the numbers follow again
  assert.ok(ev.load(encodeState(state)));
  assert.ok(ev.consistent);
  // last-digit differences (the objects' class computes tanh its own way) are no inconsistency
  const rounded = neuronColumns();
  rounded.data[9] = Number(rounded.data[9]) * (1 + 2e-16);
  assert.ok(new Evaluator(encodeTape(rounded)).consistent);
  // a stale node cannot be checked: the op with no rule keeps whatever it has
  assert.ok(new Evaluator(encodeTape(withUnknown())).consistent);
});
