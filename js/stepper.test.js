import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Window } from "happy-dom";
import { Evaluator } from "./evaluator.js";
import { idOf } from "./fixtures/encode-tape.js";
import { loadState } from "./fixtures/fake-model.js";
import { gradField } from "./format.js";
import { Drawing } from "./patch.js";
import { DONE, DRAWING_CHANGED, mountStepper, VALUES_CHANGED } from "./stepper.js";
import { parseSvg } from "./svg.js";

/**
 * The neuron's real drawing patched by a real Evaluator, and a lesson context over it as
 * widget.js builds one. Ids: x1 0, w1 1, x1*w1 2, x2 3, w2 4, x2*w2 5, sum 6, b 7, n 8, o 9.
 */
function setUp() {
  const state = loadState("neuron");
  const window = new Window();
  const { document } = window;
  const style = document.createElement("style");
  style.textContent = readFileSync(new URL("./lesson-walk.css", import.meta.url), "utf8");
  document.head.append(style);
  const parent = document.createElement("div");
  document.body.append(parent);
  const ev = new Evaluator(state.tape);
  ev.load(state.kernel_state);
  /** @type {SVGSVGElement} */
  let canvas;
  /** @type {Drawing} */
  let drawing;
  /** A new drawing in place of the old, as a box opening mounts one. @param {(svg: SVGSVGElement) => void} [edit] */
  const mountDrawing = (edit) => {
    drawing?.destroy();
    canvas?.remove();
    canvas = parseSvg(document, state.svg);
    edit?.(canvas);
    document.body.prepend(canvas);
    drawing = new Drawing(canvas, ev);
    drawing.patch();
  };
  mountDrawing();
  const moved = [];
  const ctx = {
    parent,
    ev,
    canvas: () => canvas,
    leaves: () => state.sliders.map((s) => s.id),
    moveLeaves: (/** @type {Map<number, number>} */ values) => moved.push(values),
    requestPatch: () => drawing.patch(),
    watch: (/** @type {number[]} */ ids) => ev.watch(ids),
    labelOf: (/** @type {number} */ id) => ev.labelOf(id) || `node ${id}`,
  };
  const stepper = mountStepper(ctx);
  const id = (/** @type {string} */ label) => idOf(state.tape, label);
  const record = (/** @type {string} */ label) =>
    /** @type {Element} */ (canvas.querySelector(`g[id="n${id(label)}"]`));
  const button = (/** @type {string} */ name) =>
    /** @type {HTMLButtonElement} */ ([...parent.querySelectorAll("button")].find((b) => b.textContent === name));
  const live = () => parent.querySelector('[aria-live="polite"]')?.textContent ?? "";
  const withClass = (/** @type {string} */ name) => [...canvas.querySelectorAll(`g.node.${name}`)].map((g) => g.id);
  /** Move a leaf as a drag does: evaluator, drawing, then the module. */
  const move = (/** @type {string} */ label, /** @type {number} */ x) => {
    ev.setLeaf(id(label), x);
    drawing.patch();
    stepper.update();
  };
  const redraw = (/** @type {((svg: SVGSVGElement) => void) | undefined} */ edit) => {
    mountDrawing(edit);
    stepper.redraw();
  };
  return { window, ev, ctx, stepper, id, record, button, live, withClass, move, redraw, moved };
}

const LABELS = ["x1", "w1", "x1*w1", "x2", "w2", "x2*w2", "x1*w1 + x2*w2", "b", "n", "o"];

test("the first Backward step blanks every grad but the output's, and marks it", () => {
  const { stepper, button, record, live, withClass, window } = setUp();
  assert.equal(stepper.walking(), false);
  assert.deepEqual(withClass("agw-unfilled"), [], "nothing hidden before the walk");
  button("Backward step").click();
  assert.equal(stepper.walking(), true);
  for (const label of LABELS) {
    assert.equal(record(label).classList.contains("agw-unfilled"), label !== "o", `${label} blank`);
  }
  assert.deepEqual(withClass("agw-current"), ["n9"]);
  assert.equal(live(), "o: grad = 1, the output's own grad (d o / d o)");
  // The grad field is hidden by lesson-walk.css, its text left as it is.
  const gradText = (label) => /** @type {Element} */ (record(label).querySelector("text:last-of-type"));
  assert.equal(gradText("x1").textContent, gradField(-1.5));
  assert.equal(window.getComputedStyle(gradText("x1")).visibility, "hidden");
  assert.notEqual(window.getComputedStyle(gradText("o")).visibility, "hidden");
  assert.notEqual(
    window.getComputedStyle(/** @type {Element} */ (record("x1").querySelector("text"))).visibility,
    "hidden",
    "the label stays",
  );
});

test("each next step fills one node and says the chain rule that gave it", () => {
  const { button, record, live, withClass } = setUp();
  button("Backward step").click();
  button("Backward step").click();
  assert.equal(live(), "n: grad = grad(o) × ∂o/∂n = 1.000 × 0.5000 = 0.5000");
  assert.deepEqual(withClass("agw-current"), ["n8"]);
  assert.equal(record("n").classList.contains("agw-unfilled"), false);
  assert.equal(record("o").classList.contains("agw-unfilled"), false, "o stays filled");
  assert.equal(record("b").classList.contains("agw-unfilled"), true);
  button("Backward step").click();
  assert.equal(live(), "b: grad = grad(n) × ∂n/∂b = 0.5000 × 1.000 = 0.5000");
});

test("pressing through fills the nodes in the walk's order, then the walk ends", () => {
  const { stepper, button, live, withClass } = setUp();
  const current = [];
  for (let k = 0; k < 9; k++) {
    button("Backward step").click();
    assert.equal(withClass("agw-current").length, 1);
    current.push(withClass("agw-current")[0]);
    assert.equal(withClass("agw-unfilled").length, 9 - k, `${k + 1} filled`);
  }
  assert.deepEqual(current, ["n9", "n8", "n7", "n6", "n5", "n4", "n3", "n2", "n1"], "descending id, root first");
  assert.equal(live(), "w1: grad = grad(x1*w1) × ∂(x1*w1)/∂w1 = 0.5000 × 2.000 = 1.000");
  button("Backward step").click();
  assert.equal(
    live(),
    `x1: grad = grad(x1*w1) × ∂(x1*w1)/∂x1 = 0.5000 × -3.000 = -1.500. ${DONE}`,
    "the last node, then the end",
  );
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
  assert.equal(stepper.walking(), false);
  button("Backward step").click();
  assert.equal(stepper.walking(), true, "a further step starts a new walk");
  assert.deepEqual(withClass("agw-current"), ["n9"]);
  assert.equal(withClass("agw-unfilled").length, 9);
});

test("Backward all fills every remaining node at once", () => {
  const { stepper, button, live, withClass, moved } = setUp();
  for (let k = 0; k < 3; k++) button("Backward step").click();
  assert.equal(withClass("agw-unfilled").length, 7);
  button("Backward all").click();
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
  assert.equal(live(), DONE);
  assert.equal(stepper.walking(), false);
  button("Backward all").click();
  assert.equal(live(), DONE, "with no walk: the whole pass at once");
  assert.equal(stepper.walking(), false);
  assert.deepEqual(moved, [], "no leaf moved");
});

test("values that change mid-walk end it: no stale numbers", () => {
  const { stepper, button, live, withClass, move, ev } = setUp();
  button("Backward step").click();
  button("Backward step").click();
  stepper.update(); // a patch with the same numbers (a kernel state that agrees): the walk goes on
  assert.equal(stepper.walking(), true);
  assert.equal(withClass("agw-unfilled").length, 8);
  move("x2", 1);
  assert.equal(stepper.walking(), false);
  assert.equal(live(), VALUES_CHANGED);
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
  button("Backward step").click();
  button("Backward step").click();
  const o = Math.tanh(2 * -3 + 1 * 1 + 6.8813735870195432);
  assert.ok(Math.abs(ev.grad[8] - (1 - o * o)) < 1e-15);
  const local = (1 - o * o).toFixed(4);
  assert.equal(live(), `n: grad = grad(o) × ∂o/∂n = 1.000 × ${local} = ${local}`, "the new walk's numbers");
});

test("a new drawing: the classes go onto its elements, or the walk ends if its nodes changed", () => {
  const { stepper, button, record, live, withClass, redraw } = setUp();
  for (let k = 0; k < 3; k++) button("Backward step").click();
  const old = record("b");
  redraw();
  assert.notEqual(record("b"), old, "the elements were replaced");
  assert.equal(stepper.walking(), true);
  assert.deepEqual(withClass("agw-current"), ["n7"]);
  assert.deepEqual(withClass("agw-unfilled"), ["n0", "n1", "n2", "n3", "n4", "n5", "n6"].sort());
  assert.match(live(), /^b: grad/, "nothing said: the walk goes on");
  redraw((svg) => svg.querySelector('g[id="n5"]')?.remove());
  assert.equal(stepper.walking(), false);
  assert.equal(live(), DRAWING_CHANGED);
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
});

test("the controls: two buttons, keyboard operable; destroy takes them and the classes away", () => {
  const { stepper, button, ctx, withClass, window } = setUp();
  const step = button("Backward step");
  assert.equal(step.type, "button");
  assert.equal(step.getAttribute("data-lm-suppress-shortcuts"), "true");
  assert.ok(button("Backward all"));
  step.focus();
  assert.equal(window.document.activeElement, step, "reachable by Tab: a real button");
  step.click();
  stepper.destroy();
  assert.equal(ctx.parent.children.length, 0);
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
});

test("nothing drawn: nothing to walk", () => {
  const { stepper, button, live, ctx } = setUp();
  ctx.canvas = () => null;
  button("Backward step").click();
  assert.equal(stepper.walking(), false);
  assert.equal(live(), "Nothing drawn to walk.");
});
