import assert from "node:assert/strict";
import { test } from "node:test";
import { pointer as press } from "./fixtures/pointer.js";
import { renderWidget } from "./fixtures/render-widget.js";
import { FINE, isTap, nodeOf, SCRUB_PX, scrubValue, TAP_PX } from "./scrub.js";

const near = (/** @type {number} */ a, /** @type {number} */ b, eps = 1e-9) => Math.abs(a - b) < eps;

test("scrubValue: the range's span per SCRUB_PX, right is up, Shift a tenth, on the slider's grid, in range", () => {
  const range = { min: -5, max: 5, step: 0.01 };
  assert.equal(scrubValue(0, SCRUB_PX, range, false), 5, "a full sweep crosses the whole range");
  assert.equal(scrubValue(0, 30, range, false), 1);
  assert.equal(scrubValue(0, -30, range, false), -1, "left is down");
  assert.equal(scrubValue(0, 30, range, true), 1 * FINE, "Shift: a tenth");
  assert.equal(scrubValue(0.3, 1, range, false), 0.33, "snapped to 0.01, without float dust");
  assert.equal(scrubValue(0, 1, range, true), 0.003, "fine steps on a 0.001 grid");
  assert.equal(scrubValue(4.5, 100, range, false), 5, "kept in range");
  assert.equal(scrubValue(-4.5, -100, range, false), -5);
  assert.equal(scrubValue(NaN, 0, range, false), 0, "from nan: the middle of the range");
  const b = { min: -6.881373587019543, max: 20.64412076105863, step: 0.01 };
  const x = scrubValue(6.8813735870195432, 10, b, false);
  assert.ok(near((x - b.min) / 0.01, Math.round((x - b.min) / 0.01), 1e-6), `on the grid from min: ${x}`);
  assert.equal(scrubValue(1, 30, { min: 0, max: 3, step: 0 }, false), 1.3, "no step: no grid");
});

test("a press is a tap until it moves TAP_PX", () => {
  assert.equal(isTap(10, 10, 10 + TAP_PX - 1, 10), true);
  assert.equal(isTap(10, 10, 12, 12), true, "2.8 px");
  assert.equal(isTap(10, 10, 10 + TAP_PX, 10), false);
  assert.equal(isTap(10, 10, 10, 10 - TAP_PX), false, "any direction");
});

/** The neuron, with handles to press on its nodes the way a mouse does. */
function render() {
  const widget = renderWidget("neuron");
  const { window, el, group } = widget;
  const fig = /** @type {HTMLElement} */ (el.querySelector(".agw-drawing"));
  /**
   * @param {string} type @param {Element} target @param {number} x @param {number} [y]
   * @param {Record<string, any>} [more]
   */
  const pointer = (type, target, x, y = 100, more = {}) => press(window, type, target, x, y, more);
  /** Press on `target` at x, move by each of `moves` (px, cumulative from the press), release. */
  const drag = (/** @type {Element} */ target, /** @type {number[]} */ moves, more = {}) => {
    const down = pointer("pointerdown", target, 200, 100, more);
    for (const dx of moves) pointer("pointermove", fig, 200 + dx, 100, more);
    pointer("pointerup", fig, 200 + (moves.at(-1) ?? 0), 100, more);
    return down;
  };
  const shape = (/** @type {string} */ label) => /** @type {Element} */ (group(label).firstElementChild); // its outline
  const value = (/** @type {string} */ label) => Number(group(label).getAttribute("data-value"));
  return { ...widget, fig, pointer, drag, shape, value };
}

test("leaves with a slider say they drag sideways; other nodes do not", () => {
  const { group } = render();
  assert.ok(group("w1").classList.contains("agw-scrub"));
  assert.ok(!group("n").classList.contains("agw-scrub"));
  assert.deepEqual(nodeOf(group("w1").querySelector("text")), { g: group("w1"), id: 1, op: false });
});

test("dragging w1's box scrubs it the slider's way: drawing, slider, kernel with final on release", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const { drag, shape, value, slider, box, model, frame, pointer, fig, id } = render();
  const down = pointer("pointerdown", shape("w1"), 200);
  assert.equal(down.defaultPrevented, true, "the press is the scrub's: no text selection, no pan");
  pointer("pointermove", fig, 230);
  const want = -3 + (30 * 12) / SCRUB_PX; // w1's slider spans [-6, 6]
  assert.ok(near(Number(slider("w1").value), want), `the slider follows: ${slider("w1").value}`);
  assert.equal(Number(box("w1").value), want, "and its number box");
  await frame();
  assert.ok(near(value("w1"), want), "drawn in the next frame, like a slider input");
  const o = Math.tanh(2 * want + 0 * 1 + 6.8813735870195432);
  assert.ok(near(value("o"), o, 1e-12), "and everything downstream");
  assert.equal(model.sent.length, 0, "the kernel hears of it debounced, as from the slider");
  pointer("pointerup", fig, 230);
  const last = model.sent.at(-1);
  assert.equal(last.final, true, "release: final, at once");
  assert.ok(near(last.values[String(id("w1"))], want));
  assert.ok(fig.classList.contains("agw-drawing") && !fig.classList.contains("agw-scrubbing"));
  drag(shape("w1"), [-10, -20]);
  assert.ok(near(value("w1"), want - (20 * 12) / SCRUB_PX), "left is down; release draws at once");
});

test("Shift scrubs a tenth as fast, and switching mid-drag does not jump", async () => {
  const { pointer, shape, fig, value, frame } = render();
  pointer("pointerdown", shape("w1"), 200);
  pointer("pointermove", fig, 230, 100, { shiftKey: true });
  await frame();
  assert.ok(near(value("w1"), -3 + (30 * 1.2) / SCRUB_PX), `fine: ${value("w1")}`);
  const fine = value("w1");
  pointer("pointermove", fig, 240, 100, { shiftKey: false });
  await frame();
  assert.ok(near(value("w1"), fine + (10 * 12) / SCRUB_PX, 1e-2), "coarse again from where it was");
  pointer("pointerup", fig, 240);
});

test("a press that moves less than TAP_PX changes nothing: it selects the node and focuses its slider", () => {
  const { pointer, shape, fig, value, group, slider, model, window } = render();
  pointer("pointerdown", shape("w1"), 200);
  pointer("pointermove", fig, 202, 101);
  pointer("pointerup", fig, 202, 101);
  assert.equal(value("w1"), -3, "no scrub");
  assert.equal(model.sent.length, 0);
  assert.ok(group("w1").classList.contains("selected"));
  assert.equal(window.document.activeElement, slider("w1"), "keys now move w1");
  pointer("pointerdown", shape("n"), 300);
  pointer("pointerup", fig, 300);
  assert.ok(group("n").classList.contains("selected"), "a computed node is selected too");
  assert.ok(!group("w1").classList.contains("selected"), "one at a time");
  assert.equal(window.document.activeElement, fig, "and the drawing has the keys");
  fig.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
  assert.equal(fig.querySelectorAll(".selected").length, 0, "Escape clears");
  pointer("pointerdown", shape("n"), 300);
  pointer("pointerup", fig, 300);
  pointer("pointerdown", fig, 5, 5);
  pointer("pointerup", fig, 5, 5);
  assert.equal(fig.querySelectorAll(".selected").length, 0, "so does a tap on the background");
});

test("the selection and the scrub cursor survive the drawing's patches", async () => {
  const { pointer, shape, fig, group, drag, frame } = render();
  pointer("pointerdown", shape("w1"), 200);
  pointer("pointerup", fig, 200);
  drag(shape("x1"), [200]); // x1 to 5: grads change sign and size
  await frame();
  assert.ok(group("w1").classList.contains("selected"));
  assert.ok(group("w1").classList.contains("agw-scrub"));
  assert.ok(group("w1").classList.contains("leaf"), "the drawing's own classes stay as well");
});

test("dragging the background or a computed node pans instead", () => {
  const { drag, fig, shape, value, model } = render();
  fig.scrollLeft = 100;
  fig.scrollTop = 50;
  const n = value("n");
  drag(shape("n"), [-30, -60]);
  assert.deepEqual([fig.scrollLeft, fig.scrollTop], [160, 50], "dragged left by 60: the view moves right");
  assert.deepEqual([value("n"), model.sent.length], [n, 0], "nothing scrubbed");
  drag(fig, [10]);
  assert.equal(fig.scrollLeft, 150);
  assert.equal(fig.querySelectorAll(".selected").length, 0, "a drag selects nothing");
});

test("a double-click on a leaf opens its slider's number fig", () => {
  const { pointer, shape, fig, window } = render();
  for (let k = 0; k < 2; k++) {
    pointer("pointerdown", shape("w1"), 200);
    pointer("pointerup", fig, 200);
  }
  shape("w1").dispatchEvent(new window.MouseEvent("dblclick", { bubbles: true }));
  const active = /** @type {HTMLInputElement} */ (window.document.activeElement);
  assert.equal(active.getAttribute("aria-label"), "w1 exact value");
  assert.equal(active.value, "-3");
});

test("hovering a leaf marks its slider row; pointing at a row marks the leaf's node", () => {
  const { pointer, shape, slider, group, window, fig } = render();
  const row = /** @type {Element} */ (slider("w1").closest(".agw-slider"));
  pointer("pointerover", shape("w1"), 200);
  assert.ok(row.classList.contains("agw-linked"));
  pointer("pointerover", shape("n"), 300);
  assert.ok(!row.classList.contains("agw-linked"), "a node without a slider marks none");
  slider("x2").dispatchEvent(new window.PointerEvent("pointerover", { bubbles: true }));
  assert.ok(group("x2").classList.contains("linked"));
  slider("x2").dispatchEvent(new window.PointerEvent("pointerout", { bubbles: true, relatedTarget: fig }));
  assert.ok(!group("x2").classList.contains("linked"));
});

test("a slider added later: its leaf scrubs on the drawing like the others", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const { boxesGraph } = await import("./fixtures/boxes-graph.js");
  const graph = boxesGraph();
  const { model, el, window, slider } = renderWidget(graph.state);
  model.kernelUpdate(graph.open); // L0.N0.w (node 1) is drawn, with no slider
  const n1 = () => /** @type {Element} */ (el.querySelector('g[id="n1"]'));
  assert.equal(n1().classList.contains("agw-scrub"), false);
  slider("x").focus();
  model.kernelSets("sliders", [...graph.state.sliders, { id: 1, label: "L0.N0.w", min: -3, max: 3, step: 0.01 }]);
  assert.ok(slider("L0.N0.w"), "a new row");
  assert.equal(window.document.activeElement, slider("x"), "the focused slider keeps focus");
  assert.ok(n1().classList.contains("agw-scrub"));
  const fig = /** @type {HTMLElement} */ (el.querySelector(".agw-drawing"));
  const at = (/** @type {string} */ type, /** @type {Element} */ target, /** @type {number} */ x) =>
    press(window, type, target, x, 9);
  at("pointerdown", /** @type {Element} */ (n1().querySelector("path")), 100);
  at("pointermove", fig, 150);
  at("pointerup", fig, 150);
  const want = -1 + (50 * 6) / SCRUB_PX;
  assert.ok(near(Number(slider("L0.N0.w").value), want), "the new slider follows");
  const last = model.sent.at(-1);
  assert.equal(last.type, "leaves");
  assert.ok(near(last.values["1"], want), "and the kernel hears of it");
  model.kernelUpdate(graph.collapsed);
  model.kernelUpdate(graph.open);
  assert.ok(n1().classList.contains("agw-scrub"), "a new drawing marks it again");
});
