import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape } from "./fixtures/build-tape.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { neuron } from "./fixtures/quiz-page.js";
import { checkAnswer, hintFor } from "./quiz.js";
import { backwardSteps } from "./walk.js";

// What the quiz takes as a right answer, and the chain-rule hint it gives for a wrong one.

test("checkAnswer: numbers as people type them, within 1e-3 of the grad", () => {
  /** @type {[string, number, boolean, number | null][]} */
  const cases = [
    ["", 0.5, false, null],
    ["   ", 0.5, false, null],
    ["abc", 0.5, false, null],
    ["0x10", 16, false, null],
    [" 0.5 ", 0.5, true, 0.5],
    [".5", 0.5, true, 0.5],
    ["-1.5", -1.5, true, -1.5],
    ["\u22121.5", -1.5, true, -1.5],
    ["1e-3", 0.001, true, 0.001],
    ["0.5009", 0.5, true, 0.5009],
    ["0.502", 0.5, false, 0.502],
    ["1000.9", 1000, true, 1000.9],
    ["1001.5", 1000, false, 1001.5],
    ["inf", Infinity, true, Infinity],
    ["-inf", Infinity, false, -Infinity],
    ["1e308", Infinity, false, 1e308],
  ];
  for (const [text, expected, ok, value] of cases) {
    assert.deepEqual(checkAnswer(text, expected), { ok, value }, `${JSON.stringify(text)} for ${expected}`);
  }
  const nan = checkAnswer("NaN", 0.5);
  assert.equal(nan.ok, false, "nan only for a NaN grad");
  assert.ok(Number.isNaN(nan.value));
  assert.equal(checkAnswer("nan", NaN).ok, true);
  assert.equal(checkAnswer("0", NaN).ok, false);
});

test("hintFor: the chain rule for a node with the numbers it takes, never the answer", () => {
  const { ev, ctx } = neuron();
  const steps = backwardSteps(ev, Array.from({ length: ev.n }, (_, i) => i));
  /** @param {string} label */
  const of = (label) => hintFor(/** @type {any} */ (steps.find((s) => ctx.labelOf(s.id) === label)), ctx.labelOf);
  assert.equal(of("o"), "The output's own grad is 1: d o / d o");
  assert.equal(
    of("x1"),
    "grad(x1) = grad(x1*w1) × ∂(x1*w1)/∂x1, and grad(x1*w1) = 0.5000, ∂(x1*w1)/∂x1 = w1 = -3.000",
  );
  assert.equal(of("b"), "grad(b) = grad(n) × ∂n/∂b, and grad(n) = 0.5000, ∂n/∂b = 1");
  assert.equal(
    hintFor({ id: 0, grad: 42, terms: [], unknown: true }, ctx.labelOf),
    "grad(x1) is the kernel's 42.00: it flows through an op with no rule, so the chain rule cannot be worked out here",
  );
  assert.equal(hintFor({ id: 3, grad: 0, terms: [] }, ctx.labelOf), "grad(x2) = 0: nothing downstream uses x2");
  // a + a: one consumer, both inputs; its numbers said once
  const tape = buildTape([{ label: "a", data: 3 }, { label: "s", op: "+", parents: [0, 0] }]);
  const twice = new Evaluator(encodeTape(tape)).run();
  const [, a] = backwardSteps(twice, [0, 1]);
  assert.equal(
    hintFor(a, (id) => twice.labelOf(id)),
    "grad(a) = grad(s) × ∂s/∂a + grad(s) × ∂s/∂a, and grad(s) = 1.000, ∂s/∂a = 1",
  );
});
