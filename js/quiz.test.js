import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { buildTape } from "./fixtures/build-tape.js";
import { countReads } from "./fixtures/count-reads.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { loadState } from "./fixtures/fake-model.js";
import { neuron, setUp, unbackwarded } from "./fixtures/quiz-page.js";
import { gradField } from "./format.js";
import { Drawing } from "./patch.js";
import { NOT_A_NUMBER, VALUES_CHANGED } from "./quiz.js";
import { DONE, mountStepper, OFF_TITLE, QUIZ_ON } from "./stepper.js";
import { parseSvg } from "./svg.js";
import { GRADS_HIDDEN } from "./walk.js";

// "Hide grads" (quiz.js) on a real drawing; what an answer counts as and the hints: quiz-answers.test.js.

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
  assert.equal(live(), "Not quite. grad(n) = grad(o) × ∂o/∂n, and grad(o) = 1.000, ∂o/∂n = 1 − o² = 0.5000");
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
  const withClass = (/** @type {string} */ name) => [...fresh.querySelectorAll(`g.node.${name}`)].map((g) => g.id);
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
  /** @param {number} i @param {string} label */
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

test("the quiz and the stepper on one drawing: the stepper's buttons are off while the quiz is on", () => {
  const { toggle, answer, ctx, withClass, widget, gradText } = neuron();
  const stepper = mountStepper(ctx);
  const button = (/** @type {string} */ name) =>
    /** @type {HTMLButtonElement} */ ([...ctx.parent.querySelectorAll("button")].find((b) => b.textContent === name));
  const stepSay = () => ctx.parent.querySelector(".agw-walk-say")?.textContent;
  for (const name of ["Backward step", "Backward all"]) {
    assert.notEqual(button(name).getAttribute("aria-disabled"), "true");
    assert.notEqual(button(name).title, OFF_TITLE);
  }
  button("Backward step").click();
  button("Backward step").click();
  assert.equal(stepper.walking(), true);
  toggle.click();
  assert.equal(stepper.walking(), false, "a walk under way ends: it would show the answers");
  assert.equal(stepSay(), QUIZ_ON);
  for (const name of ["Backward step", "Backward all"]) {
    assert.equal(button(name).getAttribute("aria-disabled"), "true", `${name} off`);
    assert.equal(button(name).title, OFF_TITLE, `${name} says why`);
  }
  assert.equal(withClass("agw-unfilled").length, 10, "the quiz's blanks, the stepper's gone");
  answer("1");
  button("Backward all").click();
  button("Backward step").click();
  assert.equal(stepper.walking(), false, "pressed while off: nothing");
  assert.equal(stepSay(), QUIZ_ON);
  assert.equal(withClass("agw-unfilled").length, 9, "the quiz's blanks stay");
  assert.deepEqual(withClass("agw-current"), ["n8"]);
  assert.ok(widget.classList.contains(GRADS_HIDDEN));
  toggle.click();
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
  for (const name of ["Backward step", "Backward all"]) {
    assert.equal(button(name).getAttribute("aria-disabled"), "false", `${name} on again`);
    assert.notEqual(button(name).title, OFF_TITLE);
  }
  button("Backward all").click();
  assert.equal(stepSay(), DONE);
  assert.equal(gradText(0), gradField(-1.4999999999999993));
  stepper.destroy();
});

test("Hide grads marks the widget's root agw-grads-hidden while on, for the other tools", () => {
  const { toggle, widget, quiz, ctx, document, canvas } = neuron();
  const style = document.createElement("style");
  style.textContent = readFileSync(new URL("./lesson-walk.css", import.meta.url), "utf8");
  document.head.append(style);
  // a layer box (layer-boxes.js): its grad range gives its neurons' answers away
  const layer = document.createElementNS("http://www.w3.org/2000/svg", "g");
  layer.id = "n99";
  layer.setAttribute("class", "node agw-layer");
  layer.innerHTML = "<text>L1</text><text>data -1 to 1</text><text>grad -0.5 to 2</text>";
  canvas.append(layer);
  const range = /** @type {Element} */ (layer.querySelector("text:last-of-type"));
  const visibility = () => /** @type {typeof globalThis} */ (document.defaultView).getComputedStyle(range).visibility;
  assert.notEqual(visibility(), "hidden");
  /** @type {boolean[]} */
  const heard = [];
  widget.addEventListener(GRADS_HIDDEN, (e) => heard.push(/** @type {CustomEvent} */ (e).detail.on));
  assert.equal(widget.classList.contains(GRADS_HIDDEN), false);
  toggle.click();
  assert.equal(widget.classList.contains(GRADS_HIDDEN), true);
  assert.equal(visibility(), "hidden", "a layer box's grad range hidden too");
  toggle.click();
  assert.equal(widget.classList.contains(GRADS_HIDDEN), false);
  assert.notEqual(visibility(), "hidden");
  toggle.click();
  quiz.destroy();
  assert.equal(widget.classList.contains(GRADS_HIDDEN), false, "destroyed while on: off");
  assert.deepEqual(heard, [true, false, true, false]);
  assert.equal(ctx.parent.children.length, 0);
});

test("nothing drawn: no quiz, the grads are not marked hidden", () => {
  const { toggle, widget, ctx, live } = neuron();
  ctx.canvas = () => null;
  toggle.click();
  assert.equal(live(), "Nothing drawn to ask about.");
  assert.equal(widget.classList.contains(GRADS_HIDDEN), false);
});

test("grads the objects do not hold yet: a right answer shows the walk's grad, off shows the objects' again", () => {
  const { toggle, answer, live, gradText, drawing, quiz, ev } = unbackwarded();
  for (let i = 0; i < 10; i++) assert.equal(gradText(i), gradField(0));
  toggle.click();
  answer("1");
  assert.equal(gradText(9), gradField(1), "o: 1.000, not the 0 o.grad holds");
  answer("0.5");
  assert.equal(live(), "Right: grad(n) = 0.5000");
  assert.equal(gradText(8), gradField(0.4999999999999998), "n filled in: 0.5000, not 0");
  assert.equal(gradText(7), gradField(0), "b not filled yet: hidden, the object's");
  drawing.patch();
  quiz.update();
  assert.equal(gradText(8), gradField(0.4999999999999998), "a frame with the same numbers keeps it");
  for (const a of ["0.5", "0.5", "0.5", "0", "0.5", "0.5", "1", "-1.5"]) answer(a);
  assert.match(live(), /All grads filled/);
  assert.equal(gradText(0), gradField(-1.5), "x1: -1.500");
  toggle.click();
  for (let i = 0; i < 10; i++) assert.equal(gradText(i), gradField(0), `node ${i}: the object's grad again`);
  drawing.patch();
  for (let i = 0; i < 10; i++) assert.equal(gradText(i), gradField(0));
  assert.ok([...ev.grad].every((g) => g === 0), "nothing written into the evaluator");
});

test("done, then the values change: the filled fields show the walk recomputed", () => {
  const { toggle, answer, gradText, ev, drawing, quiz, id } = neuron();
  toggle.click();
  for (const a of ["1", "0.5", "0.5", "0.5", "0.5", "0", "0.5", "0.5", "1", "-1.5"]) answer(a);
  ev.setLeaf(id("w1"), 2);
  drawing.patch();
  quiz.update();
  const o = Math.tanh(2 * 2 + 6.8813735870195432);
  assert.equal(gradText(id("x1")), gradField(2 * (1 - o * o)), "x1 = w1 · grad(n), with the new w1");
  toggle.click();
  assert.equal(gradText(id("x1")), gradField(ev.grad[id("x1")]));
});

test("update() reads only the numbers the walk is made of: a frame costs the drawing, not the tape", () => {
  const m = 20000; // a sum of 20,000 leaves; drawn: the first leaf, the last and the root
  /** @type {import("./fixtures/build-tape.js").NodeSpec[]} */
  const nodes = Array.from({ length: m }, (_, i) => ({ label: `a${i}`, data: i % 7 }));
  nodes.push({ label: "s1", op: "+", parents: [0, 1] });
  for (let k = 2; k < m; k++) nodes.push({ label: k === m - 1 ? "out" : "", op: "+", parents: [nodes.length - 1, k] });
  const root = nodes.length - 1;
  const record = (/** @type {number} */ i) =>
    `<g id="n${i}" class="node"><path d="M0,0h9"/><text>l</text><text>d</text><text>g</text></g>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg">${[0, m - 1, root].map(record).join("")}</svg>`;
  const { toggle, answer, quiz, ev, drawing, input, live } = setUp(encodeTape(buildTape(nodes)), svg);
  toggle.click();
  answer("1");
  assert.equal(input().label, `Your grad for a${m - 1}`);
  const reads = countReads(ev, () => {
    for (let k = 0; k < 10; k++) quiz.update();
  });
  assert.ok(reads <= 10 * 40, `${reads} reads of ${ev.n} nodes' numbers in 10 frames`);
  ev.setLeaf(5000, 100); // hidden: only the root's data tells
  drawing.patch();
  assert.equal(live(), "Right: grad(out) = 1.000");
  quiz.update();
  assert.equal(live(), `${VALUES_CHANGED}.`, "a hidden leaf moved the root: the walk recomputed");
});
