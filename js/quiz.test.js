import assert from "node:assert/strict";
import { test } from "node:test";
import { Window } from "happy-dom";
import { Evaluator } from "./evaluator.js";
import { buildTape } from "./fixtures/build-tape.js";
import { encodeTape, idOf } from "./fixtures/encode-tape.js";
import { loadState } from "./fixtures/fake-model.js";
import { Drawing } from "./patch.js";
import { checkAnswer, hintFor, mountQuiz, NOT_A_NUMBER, VALUES_CHANGED } from "./quiz.js";
import { mountStepper } from "./stepper.js";
import { parseSvg } from "./svg.js";
import { backwardSteps } from "./walk.js";

/**
 * A quiz over a drawing patched by a real Evaluator, with a lesson context as widget.js
 * builds one; moveLeaves records every call (the quiz must make none).
 * @param {import("./types.js").TapeState} tape @param {string} svgText
 * @param {import("./types.js").KernelState} [kernelState]
 */
function setUp(tape, svgText, kernelState) {
  const { document } = new Window();
  const parent = document.createElement("div");
  const ev = new Evaluator(tape);
  if (kernelState) ev.load(kernelState);
  else ev.run();
  const canvas = parseSvg(document, svgText);
  document.body.append(canvas, parent);
  const drawing = new Drawing(canvas, ev);
  drawing.patch();
  /** @type {Map<number, number>[]} */
  const moved = [];
  const ctx = {
    parent,
    ev,
    canvas: () => canvas,
    leaves: () => [],
    moveLeaves: (/** @type {Map<number, number>} */ values) => moved.push(values),
    requestPatch: () => drawing.patch(),
    watch: (/** @type {number[]} */ ids) => ev.watch(ids),
    labelOf: (/** @type {number} */ id) => ev.labelOf(id) || `node ${id}`,
  };
  const quiz = mountQuiz(ctx);
  const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (parent.querySelector(selector));
  const button = (/** @type {string} */ name) =>
    /** @type {HTMLButtonElement} */ ([...parent.querySelectorAll("button")].find((b) => b.textContent === name));
  const toggle = button("Hide grads");
  const check = button("Check");
  /** The answer box, found as a person finds it: through its label. */
  const input = () => {
    const label = /** @type {HTMLLabelElement} */ ($("label"));
    const box = /** @type {HTMLInputElement} */ (document.getElementById(label.htmlFor));
    return { label: label.textContent, input: box };
  };
  /** Type an answer and press Enter (or the Check button). */
  const answer = (/** @type {string} */ text, how = "enter") => {
    const box = input().input;
    box.value = text;
    const enter = new document.defaultView.KeyboardEvent("keydown", { key: "Enter", bubbles: true });
    if (how === "enter") box.dispatchEvent(enter);
    else check.click();
  };
  const live = () => $('[aria-live="polite"]').textContent ?? "";
  const score = () => $(".agw-quiz-score").textContent;
  const withClass = (/** @type {string} */ name) => [...canvas.querySelectorAll(`g.node.${name}`)].map((g) => g.id);
  return { document, ev, drawing, ctx, quiz, toggle, check, input, answer, live, score, withClass, moved, canvas };
}

/** The neuron's real drawing. Ids: x1 0, w1 1, x1*w1 2, x2 3, w2 4, x2*w2 5, sum 6, b 7, n 8, o 9. */
function neuron() {
  const state = loadState("neuron");
  const s = setUp(state.tape, state.svg, state.kernel_state);
  return { ...s, id: (/** @type {string} */ label) => idOf(state.tape, label) };
}

test("Hide grads hides every drawn grad and asks the output's first", () => {
  const { toggle, input, withClass, quiz, document } = neuron();
  assert.equal(toggle.getAttribute("aria-pressed"), "false");
  assert.equal(toggle.getAttribute("data-lm-suppress-shortcuts"), "true");
  assert.deepEqual(withClass("agw-unfilled"), []);
  toggle.click();
  assert.equal(toggle.getAttribute("aria-pressed"), "true");
  assert.equal(quiz.active(), true);
  assert.equal(withClass("agw-unfilled").length, 10, "every record, the output's too");
  assert.deepEqual(withClass("agw-current"), ["n9"]);
  const { label, input: box } = input();
  assert.equal(label, "Your grad for o");
  assert.ok(box, "the label is tied to the input");
  assert.equal(box.getAttribute("data-lm-suppress-shortcuts"), "true");
  assert.equal(document.activeElement, box, "focus goes to the answer");
});

test("right answers fill a node and ask the next; a wrong one gets the chain rule for it", () => {
  const { toggle, input, answer, live, score, withClass, canvas, document } = neuron();
  toggle.click();
  answer("1");
  assert.equal(live(), "Right: grad(o) = 1.000");
  assert.equal(canvas.querySelector('g[id="n9"]')?.classList.contains("agw-unfilled"), false, "o shown");
  assert.equal(input().label, "Your grad for n");
  assert.deepEqual(withClass("agw-current"), ["n8"]);
  assert.equal(score(), "Score: 1 right of 1 tried");
  answer("0.3", "button");
  assert.equal(live(), "Not quite. grad(n) = grad(o) × ∂o/∂n, and grad(o) = 1.000, ∂o/∂n = 1 - o² = 0.5000");
  assert.equal(input().label, "Your grad for n", "the same node again");
  assert.ok(withClass("agw-unfilled").includes("n8"), "n still hidden");
  assert.equal(score(), "Score: 1 right of 2 tried");
  answer("abc");
  assert.equal(live(), NOT_A_NUMBER);
  assert.equal(score(), "Score: 1 right of 2 tried", "no number: no try");
  answer(".5");
  assert.equal(live(), "Right: grad(n) = 0.5000");
  assert.equal(input().label, "Your grad for b");
  answer("0.5");
  answer("0.5"); // x1*w1 + x2*w2
  answer("0.5"); // x2*w2
  answer("1"); // w2: wrong, it is 0.5 · x2 = 0
  assert.equal(
    live(),
    "Not quite. grad(w2) = grad(x2*w2) × ∂(x2*w2)/∂w2, and grad(x2*w2) = 0.5000, ∂(x2*w2)/∂w2 = x2 = 0.0000",
  );
  answer("0");
  answer("0.5"); // x2
  answer("0.5"); // x1*w1
  answer("1"); // w1
  assert.equal(input().label, "Your grad for x1");
  answer("-1.5");
  assert.equal(live(), "Right: grad(x1) = -1.500. All grads filled: 8 of 10 right first time.");
  assert.equal(score(), "Score: 10 right of 12 tried");
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
  assert.equal(/** @type {HTMLElement} */ (input().input.parentElement).hidden, true, "nothing more to ask");
  assert.equal(document.activeElement, toggle, "focus is not left on a hidden box");
});

test("off shows every grad again; the score stays until the next on", () => {
  const { toggle, answer, score, withClass, quiz, live, moved } = neuron();
  toggle.click();
  answer("1");
  answer("2");
  toggle.click();
  assert.equal(toggle.getAttribute("aria-pressed"), "false");
  assert.equal(quiz.active(), false);
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
  assert.equal(score(), "Score: 1 right of 2 tried");
  assert.equal(live(), "");
  toggle.click();
  assert.equal(score(), "Score: 0 right of 0 tried");
  assert.equal(withClass("agw-unfilled").length, 10, "a new round: all hidden again");
  assert.deepEqual(moved, [], "the quiz never moves a leaf");
});

test("values that change mid-quiz: the walk is recomputed and the same node asked", () => {
  const { toggle, input, answer, live, ev, drawing, quiz, id, withClass } = neuron();
  toggle.click();
  answer("1");
  answer("0.5");
  quiz.update(); // the same numbers: nothing to say
  assert.equal(live(), "Right: grad(n) = 0.5000");
  ev.setLeaf(id("x2"), 1);
  drawing.patch();
  quiz.update();
  assert.equal(live(), `${VALUES_CHANGED}.`);
  assert.equal(input().label, "Your grad for b");
  assert.deepEqual(withClass("agw-current"), ["n7"]);
  assert.equal(withClass("agw-unfilled").length, 8, "o and n stay filled");
  const o = Math.tanh(2 * -3 + 1 * 1 + 6.8813735870195432);
  answer("0.5");
  assert.match(live(), /^Not quite\./, "the old grad is wrong now");
  answer(String(1 - o * o));
  assert.equal(live(), `Right: grad(b) = ${(1 - o * o).toFixed(4)}`);
});

test("a new drawing: the classes go onto it, and the same node is asked", () => {
  const state = loadState("neuron");
  const s = setUp(state.tape, state.svg, state.kernel_state);
  s.toggle.click();
  s.answer("1");
  const fresh = parseSvg(s.document, state.svg);
  s.canvas.replaceWith(fresh);
  new Drawing(fresh, s.ev).patch();
  s.ctx.canvas = () => fresh;
  s.quiz.redraw();
  const withClass = (name) => [...fresh.querySelectorAll(`g.node.${name}`)].map((g) => g.id);
  assert.equal(withClass("agw-unfilled").length, 9);
  assert.deepEqual(withClass("agw-current"), ["n8"]);
  assert.equal(s.input().label, "Your grad for n");
});

test("a node whose grad flows through an op with no rule is shown, not asked", () => {
  // out = cube(a) + b, with b first on the tape: the walk reaches a before b.
  const tape = encodeTape(
    buildTape([
      { label: "b", data: 3 },
      { label: "a", data: 2 },
      { label: "c", op: "cube", parents: [1], data: 8 },
      { label: "out", op: "+", parents: [2, 0] },
    ]),
  );
  // Hand-built records, as picture.py draws them: label, data, grad.
  const record = (i, label) => `<g id="n${i}"><path d="M0,0h9"/><text>${label}</text><text>d</text><text>g</text></g>`;
  const records = ["b", "a", "c", "out"].map((l, i) => record(i, l)).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg">${records}</svg>`;
  const { toggle, answer, live, input, withClass } = setUp(tape, svg);
  toggle.click();
  answer("1"); // out
  assert.equal(input().label, "Your grad for c", "c has a grad: its consumer, out, has a rule");
  answer("1");
  assert.equal(
    live(),
    "Right: grad(c) = 1.000. grad(a) is not asked: it flows through an op with no rule, so the chain rule cannot be worked out here.",
  );
  assert.equal(input().label, "Your grad for b");
  assert.deepEqual(withClass("agw-unfilled"), ["n0"], "a shown with the kernel's grad, b still asked");
  answer("1");
  assert.equal(live(), "Right: grad(b) = 1.000. All grads filled: 3 of 3 right first time.");
});

test("the quiz and the stepper on one drawing: ending one never shows what the other hides", () => {
  const { toggle, answer, ctx, withClass } = neuron();
  const stepper = mountStepper(ctx);
  const stepButton = /** @type {HTMLButtonElement} */ (
    [...ctx.parent.querySelectorAll("button")].find((b) => b.textContent === "Backward all")
  );
  toggle.click();
  answer("1");
  stepButton.click(); // a whole walk, started and ended
  assert.equal(stepper.walking(), false);
  assert.equal(withClass("agw-unfilled").length, 9, "the quiz's blanks stay");
  assert.deepEqual(withClass("agw-current"), ["n8"]);
  toggle.click();
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
});

test("checkAnswer: numbers as people type them, within 1e-3 of the grad", () => {
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
