import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape, unbackwardedNeuron } from "./fixtures/build-tape.js";
import { countReads } from "./fixtures/count-reads.js";
import { newWindow } from "./fixtures/dom.js";
import { encodeState, encodeTape, idOf } from "./fixtures/encode-tape.js";
import { loadColumns, loadState } from "./fixtures/fake-model.js";
import { gradField } from "./format.js";
import { Drawing } from "./patch.js";
import { DONE, DRAWING_CHANGED, ENDED, mountStepper, VALUES_CHANGED } from "./stepper.js";
import { parseSvg } from "./svg.js";

/**
 * The neuron's real drawing patched by a real Evaluator, and a lesson context over it as
 * widget.js builds one, in a widget root (.agw). Ids: x1 0, w1 1, x1*w1 2, x2 3, w2 4,
 * x2*w2 5, sum 6, b 7, n 8, o 9.
 * @param {{tape?: import("./types.js").TapeState, kernelState?: import("./types.js").KernelState | null}} [o]
 *   another tape over the same drawing; kernelState null: the tape's own numbers
 */
function setUp(o = {}) {
  const state = loadState("neuron");
  const tape = o.tape ?? state.tape;
  const kernelState = o.kernelState === undefined ? state.kernel_state : o.kernelState;
  const window = newWindow();
  const { document } = window;
  const style = document.createElement("style");
  style.textContent = readFileSync(new URL("./lesson-walk.css", import.meta.url), "utf8");
  document.head.append(style);
  const widget = document.createElement("div");
  widget.className = "agw";
  const parent = document.createElement("div");
  widget.append(parent);
  document.body.append(widget);
  const ev = new Evaluator(tape);
  if (kernelState) ev.load(kernelState);
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
  /** @type {Map<number, number>[]} */
  const moved = [];
  const ctx = {
    parent,
    ev,
    canvas: /** @type {() => SVGSVGElement | null} tests take the drawing away */ (() => canvas),
    leaves: () => state.sliders.map((/** @type {import("./types.js").SliderSpec} */ s) => s.id),
    moveLeaves: (/** @type {Map<number, number>} */ values) => moved.push(values),
    requestPatch: () => drawing.patch(),
    watch: (/** @type {number[]} */ ids) => ev.watch(ids),
    labelOf: (/** @type {number} */ id) => ev.labelOf(id) || `node ${id}`,
  };
  const stepper = mountStepper(ctx);
  const id = (/** @type {string} */ label) => idOf(state.tape, label);
  const record = (/** @type {string} */ label) =>
    /** @type {Element} */ (canvas.querySelector(`g[id="n${id(label)}"]`));
  /** A record's grad field, as drawn. @param {string} label */
  const grad = (label) => record(label).querySelector("text:last-of-type")?.textContent;
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
  /** @param {(svg: SVGSVGElement) => void} [edit] */
  const redraw = (edit) => {
    mountDrawing(edit);
    stepper.redraw();
  };
  const patch = () => drawing.patch();
  return { window, ev, ctx, stepper, id, record, grad, button, live, withClass, move, redraw, patch, moved };
}

/** The neuron before anyone ran backward() (build-tape.js unbackwardedNeuron), walked. */
function unbackwarded() {
  const columns = unbackwardedNeuron();
  assert.ok(columns.grad.every((g) => g === 0));
  return setUp({ tape: encodeTape(columns), kernelState: null });
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
  /** @param {string} label */
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

test("pressing through fills the nodes in the walk's order; the last stays marked until the next press ends the walk", () => {
  const { stepper, button, live, withClass } = setUp();
  const current = [];
  for (let k = 0; k < 10; k++) {
    button("Backward step").click();
    assert.equal(withClass("agw-current").length, 1);
    current.push(withClass("agw-current")[0]);
    assert.equal(withClass("agw-unfilled").length, 9 - k, `${k + 1} filled`);
    if (k === 8) assert.equal(live(), "w1: grad = grad(x1*w1) × ∂(x1*w1)/∂w1 = 0.5000 × 2.000 = 1.000");
  }
  assert.deepEqual(
    current,
    ["n9", "n8", "n7", "n6", "n5", "n4", "n3", "n2", "n1", "n0"],
    "descending id, root first, the last one marked too",
  );
  assert.equal(
    live(),
    `x1: grad = grad(x1*w1) × ∂(x1*w1)/∂x1 = 0.5000 × -3.000 = -1.500. ${DONE}`,
    "the last node, then the end",
  );
  assert.equal(stepper.walking(), true, "shown until the next press");
  button("Backward step").click();
  assert.equal(live(), ENDED);
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
  assert.equal(stepper.walking(), false);
  button("Backward step").click();
  assert.equal(stepper.walking(), true, "a further step starts a new walk");
  assert.deepEqual(withClass("agw-current"), ["n9"]);
  assert.equal(withClass("agw-unfilled").length, 9);
});

test("Backward all fills every remaining node at once; the next press ends the walk", () => {
  const { stepper, button, live, withClass, moved } = setUp();
  for (let k = 0; k < 3; k++) button("Backward step").click();
  assert.equal(withClass("agw-unfilled").length, 7);
  button("Backward all").click();
  assert.deepEqual([withClass("agw-unfilled"), withClass("agw-current")], [[], []]);
  assert.equal(live(), DONE);
  assert.equal(stepper.walking(), true);
  button("Backward all").click();
  assert.equal(live(), ENDED);
  assert.equal(stepper.walking(), false);
  button("Backward all").click();
  assert.equal(live(), DONE, "with no walk: the whole pass at once");
  assert.equal(stepper.walking(), true);
  button("Backward step").click();
  assert.equal(stepper.walking(), false, "either button ends it");
  assert.deepEqual(moved, [], "no leaf moved");
});

test("grads the objects do not hold yet: each step writes the walk's own, the end gives the objects' back", () => {
  const { button, live, grad, record, withClass, patch, ev } = unbackwarded();
  const LABELS0 = ["x1", "w1", "x1*w1", "x2", "w2", "x2*w2", "x1*w1 + x2*w2", "b", "n", "o"];
  for (const label of LABELS0) assert.equal(grad(label), gradField(0), `${label}: the object's grad, 0`);
  button("Backward step").click();
  assert.equal(
    live(),
    "o: grad = 1, the output's own grad (d o / d o) (o.grad holds 0.0000: backward() has not run)",
    "said once, on the first line that differs",
  );
  assert.equal(grad("o"), gradField(1), "filled with the walk's grad");
  assert.equal(grad("n"), gradField(0), "not filled yet: the object's, hidden");
  button("Backward step").click();
  assert.equal(live(), "n: grad = grad(o) × ∂o/∂n = 1.000 × 0.5000 = 0.5000", "not said again");
  assert.equal(grad("n"), gradField(0.4999999999999998));
  patch(); // the same numbers: patch.js writes nothing over the walk's
  assert.equal(grad("n"), gradField(0.4999999999999998));
  for (let k = 0; k < 8; k++) button("Backward step").click();
  assert.equal(live(), `x1: grad = grad(x1*w1) × ∂(x1*w1)/∂x1 = 0.5000 × -3.000 = -1.500. ${DONE}`);
  assert.equal(grad("x1"), gradField(-1.5), "x1 visibly filled in: -1.500, not the 0 x1.grad holds");
  assert.equal(grad("w1"), gradField(1));
  assert.equal(grad("w2"), gradField(0));
  assert.deepEqual(withClass("agw-current"), ["n0"]);
  assert.equal(record("x1").querySelectorAll("text").length, 3, "written in place: no text added");
  button("Backward step").click();
  assert.equal(live(), ENDED);
  for (const label of LABELS0) assert.equal(grad(label), gradField(0), `${label}: the object's grad again`);
  patch();
  for (const label of LABELS0) assert.equal(grad(label), gradField(0), `${label}: and patch.js agrees`);
  assert.ok([...ev.grad].every((g) => g === 0), "the walk writes no grad into the evaluator");
});

test("Backward all on grads never computed: every field the walk's, said once", () => {
  const { button, live, grad } = unbackwarded();
  button("Backward all").click();
  assert.equal(live(), `${DONE} (o.grad holds 0.0000: backward() has not run)`);
  assert.equal(grad("x1"), gradField(-1.5));
  assert.equal(grad("o"), gradField(1));
});

test("a grad the object holds that is not the walk's: said at that node", () => {
  const state = loadColumns("neuron");
  const ks = state.kernel_state;
  const grad = /** @type {number[]} */ (ks.grad).map((g, i) => (i === 1 ? 7 : g)); // w1.grad set by hand
  const { button, live } = setUp({ kernelState: encodeState({ ...ks, grad }) });
  for (let k = 0; k < 9; k++) button("Backward step").click();
  assert.equal(
    live(),
    "w1: grad = grad(x1*w1) × ∂(x1*w1)/∂w1 = 0.5000 × 2.000 = 1.000 (w1.grad holds 7.000: set by hand or accumulated)",
  );
  button("Backward step").click();
  assert.equal(live(), `x1: grad = grad(x1*w1) × ∂(x1*w1)/∂x1 = 0.5000 × -3.000 = -1.500. ${DONE}`, "x1 agrees");
});

test("the objects' grads change mid-walk (a cell ran backward()): the walk's stay; the end shows the new ones", () => {
  const { button, grad, patch, stepper, ev } = unbackwarded();
  button("Backward all").click();
  const ks = loadColumns("neuron").kernel_state;
  const held = /** @type {number[]} */ (ks.grad).map((g, i) => (i === 1 ? 7 : g)); // and w1.grad set by hand
  ev.load(encodeState({ ...ks, grad: held }));
  patch(); // patch.js writes the fields whose number changed, over the walk's
  assert.equal(grad("w1"), gradField(7));
  stepper.update();
  assert.equal(stepper.walking(), true, "the same data: the walk goes on");
  assert.equal(grad("w1"), gradField(1), "the walk's number again");
  button("Backward all").click();
  assert.equal(grad("w1"), gradField(7), "what w1 holds now, not the 0 it held when the walk wrote");
  assert.equal(grad("x1"), gradField(-1.4999999999999993));
  patch();
  assert.equal(grad("w1"), gradField(7));
});

test("update() reads only the numbers the walk is made of: a frame costs the drawing, not the tape", () => {
  // A sum of 20,000 leaves; drawn: the first leaf, the last and the root.
  const m = 20000;
  /** @type {import("./fixtures/build-tape.js").NodeSpec[]} */
  const nodes = Array.from({ length: m }, (_, i) => ({ label: `a${i}`, data: i % 7 }));
  nodes.push({ label: "s1", op: "+", parents: [0, 1] });
  for (let k = 2; k < m; k++) nodes.push({ label: k === m - 1 ? "out" : "", op: "+", parents: [nodes.length - 1, k] });
  const tape = encodeTape(buildTape(nodes));
  const root = nodes.length - 1;
  const record = (/** @type {number} */ i) =>
    `<g id="n${i}" class="node"><path d="M0,0h9"/><text>l</text><text>d</text><text>g</text></g>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg">${[0, m - 1, root].map(record).join("")}</svg>`;
  const { document } = newWindow();
  const parent = document.createElement("div");
  const canvas = parseSvg(document, svg);
  document.body.append(canvas, parent);
  const ev = new Evaluator(tape).run(true);
  const drawing = new Drawing(canvas, ev);
  drawing.patch();
  const stepper = mountStepper({
    parent,
    ev,
    canvas: () => canvas,
    leaves: () => [],
    moveLeaves: () => {},
    requestPatch: () => drawing.patch(),
    watch: () => {},
    labelOf: (/** @type {number} */ id) => ev.labelOf(id) || `node ${id}`,
  });
  const step = /** @type {HTMLButtonElement} */ (parent.querySelector("button"));
  step.click();
  step.click();
  assert.equal(stepper.walking(), true);
  const reads = countReads(ev, () => {
    for (let k = 0; k < 10; k++) stepper.update();
  });
  assert.equal(stepper.walking(), true, "nothing changed");
  assert.ok(reads <= 10 * 40, `${reads} reads of ${ev.n} nodes' numbers in 10 frames`);
  ev.setLeaf(5000, 100); // hidden: only the root's data tells
  drawing.patch();
  stepper.update();
  assert.equal(stepper.walking(), false, "a hidden leaf moved the root: the walk ended");
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
