import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape, neuron } from "./fixtures/build-tape.js";
import { newWindow } from "./fixtures/dom.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { fmt } from "./format.js";
import { clipLine, HIDDEN, INCONSISTENT, mountTangent, xRange, yRange } from "./tangent.js";

const B = 6.8813735870195432;
const [X2, W1, O] = [2, 1, 9];

/**
 * A tangent mounted as the integrator does, on an evaluator whose drawing shows only
 * `drawn` (and what lies below them): the selected leaf's grad comes from watch().
 * @param {Evaluator} ev @param {number[]} drawn @param {Record<number, {min: number, max: number}>} ranges
 */
function setUp(ev, drawn, ranges = {}, gradsHidden = () => false) {
  const window = newWindow();
  const parent = window.document.createElement("div");
  window.document.body.append(parent);
  /** @type {number[][]} */
  const watched = [];
  /** @type {number[]} */
  const closed = [];
  ev.watch(drawn);
  const tangent = mountTangent(
    {
      parent,
      ev,
      watch(ids) {
        watched.push(ids);
        ev.watch([...drawn, ...ids]);
      },
      labelOf: (id) => ev.labelOf(id) || `node ${id}`,
      gradsHidden: () => gradsHidden(),
    },
    { rangeOf: (id) => ranges[id] ?? null, onClose: (id) => closed.push(id) },
  );
  const plot = () => parent.querySelector('[data-role="tangent"]');
  const line = () => /** @type {Element} */ (plot()?.querySelector(".agw-tangent-line"));
  const num = (/** @type {Element} */ el, /** @type {string} */ name) => Number(el.getAttribute(name));
  return { window, parent, tangent, watched, closed, plot, line, num };
}

test("select w1 on the lecture's neuron: the output against w1, and a line of slope ∂o/∂w1 through o", () => {
  const ev = new Evaluator(encodeTape(neuron())).run();
  // x2's slider is drawn; w1 is not: its grad goes stale on a move elsewhere, until selected
  const { tangent, watched, plot, line, num, parent } = setUp(ev, [X2], { [W1]: { min: -9, max: 3 } });
  ev.setLeaf(W1, -2);
  ev.setLeaf(W1, -3);
  ev.setLeaf(X2, 0.5);
  ev.setLeaf(X2, 0); // back at the lecture's numbers; w1's grad was not recomputed on the way
  assert.equal(plot(), null, "nothing until a leaf is selected");
  tangent.select(W1);
  assert.deepEqual(watched, [[W1]]);
  const svg = /** @type {Element} */ (plot());
  assert.equal(svg.getAttribute("data-leaf"), "w1");
  assert.equal(svg.getAttribute("role"), "img");
  const o = ev.data[O];
  assert.ok(Math.abs(o - Math.SQRT1_2) < 1e-15);
  const g = Number(svg.getAttribute("data-slope"));
  assert.equal(g, ev.backprop()[W1], "a fresh backward pass's grad, at full precision");
  assert.ok(Math.abs(g - 1) < 1e-12, `hand value 1.0, got ${g}`);
  assert.equal(svg.getAttribute("data-slope"), String(ev.backprop()[W1]));
  assert.match(/** @type {string} */ (svg.getAttribute("aria-label")), /o as a function of w1 from -9\.000 to 3\.000/);
  assert.match(/** @type {string} */ (svg.getAttribute("aria-label")), new RegExp(`slope ∂o/∂w1 = ${fmt(g)}\\.$`));
  assert.equal(parent.querySelector("figcaption")?.textContent, `slope = ∂o/∂w1 = ${fmt(g)}`, "w1 holds it: one line");

  // the line's ends, in data space: on y = o + 1·(x + 3), and inside the plot
  const l = line();
  const [x1, y1, x2, y2] = ["data-x1", "data-y1", "data-x2", "data-y2"].map((k) => num(l, k));
  for (const [x, y] of [
    [x1, y1],
    [x2, y2],
  ]) {
    assert.ok(Math.abs(y - (o + g * (x + 3))) < 1e-12, `(${x}, ${y}) is on the tangent`);
    assert.ok(x >= -9 && x <= 3, `x = ${x} within the slider's range`);
  }
  assert.ok(x1 < -3 && x2 > -3, "through the point, on both sides of it");
  // in pixels: inside the frame
  const frame = /** @type {Element} */ (svg.querySelector(".agw-tangent-frame"));
  const [fx, fy, fw, fh] = ["x", "y", "width", "height"].map((k) => num(frame, k));
  for (const [kx, ky] of [
    ["x1", "y1"],
    ["x2", "y2"],
  ]) {
    assert.ok(num(l, kx) >= fx && num(l, kx) <= fx + fw, `${kx} in the frame`);
    assert.ok(num(l, ky) >= fy && num(l, ky) <= fy + fh, `${ky} in the frame`);
  }
  const point = /** @type {Element} */ (svg.querySelector(".agw-tangent-point"));
  assert.equal(num(point, "data-x"), -3);
  assert.equal(num(point, "data-y"), o);
  // 64 samples in one piece, tanh everywhere: no gaps
  const d = /** @type {string} */ (svg.querySelector(".agw-tangent-curve")?.getAttribute("d"));
  assert.equal(d.split("M").length - 1, 1);
  assert.equal(d.split("L").length - 1, 63);
  assert.equal(ev.data[W1], -3, "sampling moved nothing");

  // w1 moves: the point moves along, and the slope is the new grad
  ev.setLeaf(W1, -2);
  tangent.update();
  const oAt = Math.tanh(-4 + B);
  assert.equal(svg.getAttribute("data-slope"), String(ev.grad[W1]), "w1 is watched: the move wrote its grad");
  assert.equal(ev.grad[W1], ev.backprop()[W1]);
  assert.ok(Math.abs(ev.grad[W1] - 2 * (1 - oAt * oAt)) < 1e-12, "x1 · (1 − o²) at w1 = -2");
  assert.equal(num(point, "data-y"), ev.data[O]);
  const [a, b] = ["data-x1", "data-y1"].map((k) => num(line(), k));
  assert.ok(Math.abs(b - (ev.data[O] + ev.grad[W1] * (a + 2))) < 1e-12, "the new line through the new point");
  assert.equal(plot(), svg, "updated in place, not rebuilt");
});

test("the close button clears the selection and its watch; selecting the grad a leaf not drawn needs", () => {
  const ev = new Evaluator(encodeTape(neuron())).run();
  const { tangent, watched, closed, plot, parent, window } = setUp(ev, [X2]);
  ev.setLeaf(W1, -2); // w1 not shown: its grad is left as it was (1)
  assert.ok(Math.abs(ev.grad[W1] - 1) < 1e-12, "not recomputed");
  tangent.select(W1);
  const oAt = Math.tanh(-4 + B);
  assert.ok(Math.abs(Number(plot()?.getAttribute("data-slope")) - 2 * (1 - oAt * oAt)) < 1e-12, "computed on select");
  const close = /** @type {HTMLButtonElement} */ (parent.querySelector('button[aria-label="Close tangent"]'));
  assert.equal(close.tagName, "BUTTON");
  close.click();
  assert.equal(plot(), null);
  assert.equal(parent.querySelector("figure"), null, "nothing of it is left");
  assert.equal(tangent.selected, null);
  assert.deepEqual(watched, [[W1], []]);
  assert.deepEqual(closed, [W1], "the integrator hears of it, to put focus back");
  tangent.update(); // nothing selected: nothing drawn
  assert.equal(plot(), null);

  tangent.select(W1);
  const figure = /** @type {Element} */ (parent.querySelector("figure"));
  figure.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  assert.equal(plot(), null, "Escape closes too");
  tangent.select(O);
  assert.equal(plot(), null, "the output is no leaf");
  tangent.select(W1);
  tangent.destroy();
  assert.equal(parent.children.length, 0);
  assert.deepEqual(watched.at(-1), []);
});

test("where the output is no number the curve has a gap, never a NaN coordinate", () => {
  // log(x² − 0.25): NaN for |x| < 0.5
  const ev = new Evaluator(
    encodeTape(
      buildTape([
        { label: "x", data: 0.75 },
        { label: "quarter", data: 0.25 },
        { label: "xx", op: "*", parents: [0, 0] },
        { label: "xx - quarter", op: "-", parents: [2, 1] },
        { label: "L", op: "log", parents: [3] },
      ]),
    ),
  ).run();
  const { tangent, plot } = setUp(ev, [0], { 0: { min: -1, max: 1 } });
  tangent.select(0);
  const svg = /** @type {Element} */ (plot());
  const d = /** @type {string} */ (svg.querySelector(".agw-tangent-curve")?.getAttribute("d"));
  // x_j = -1 + 2j/63: |x| < 0.5 for j = 16..47, 16 finite points on either side
  const pieces = d.split("M").filter(Boolean);
  assert.equal(pieces.length, 2, d);
  for (const piece of pieces) assert.equal(piece.split("L").length, 16);
  assert.doesNotMatch(svg.outerHTML, /NaN|Infinity/);
  const slope = Number(svg.getAttribute("data-slope"));
  assert.ok(Math.abs(slope - 4.8) < 1e-12, `d/dx log(x² − ¼) = 2x / (x² − ¼) = 1.5 / 0.3125, got ${slope}`);

  ev.setLeaf(0, NaN); // the leaf itself no number: no point, no line, still no NaN coordinate
  tangent.update();
  assert.equal(svg.querySelector(".agw-tangent-point")?.getAttribute("display"), "none");
  assert.equal(svg.querySelector(".agw-tangent-line")?.getAttribute("display"), "none");
  assert.equal(svg.getAttribute("data-slope"), "NaN");
  const coordinates = [...svg.querySelectorAll("*")].flatMap((el) =>
    ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "d"].map((k) => el.getAttribute(k) ?? ""),
  );
  assert.ok(coordinates.every((v) => !/NaN|Infinity/.test(v)));
});

test("ranges and clipping by hand", () => {
  assert.deepEqual(xRange(null, -3), [-6, 0], "x ± max(1, |x|)");
  assert.deepEqual(xRange(null, 0.5), [-0.5, 1.5]);
  assert.deepEqual(xRange({ min: -1, max: 1 }, 4), [-1, 4], "widened to hold x");
  assert.deepEqual(xRange({ min: 2, max: 2 }, 2), [1, 3], "never empty");
  assert.deepEqual(xRange(null, NaN), [-1, 1]);
  assert.deepEqual(yRange([0, 1, NaN, 2], 1), [-0.16, 2.16], "8% room either side of 0..2");
  assert.deepEqual(yRange([3, 3], 3), [1.5, 4.5], "a constant: ± half of it");
  assert.deepEqual(yRange([NaN], NaN), [-1, 1]);
  // y = 1 + 2 (x − 0) in [−1, 1] × [0, 2]: enters at y = 0 (x = −0.5), leaves at y = 2 (x = 0.5)
  assert.deepEqual(clipLine(0, 1, 2, [-1, 1], [0, 2]), [-0.5, 0, 0.5, 2]);
  assert.deepEqual(clipLine(0, 1, 0, [-1, 1], [0, 2]), [-1, 1, 1, 1], "flat: the whole width");
  assert.deepEqual(clipLine(0, 1, -0.5, [-1, 1], [0, 2]), [-1, 1.5, 1, 0.5], "shallow: the x range bounds it");
  assert.equal(clipLine(0, 1, NaN, [-1, 1], [0, 2]), null);
  assert.equal(clipLine(0, 5, 0, [-1, 1], [0, 2]), null, "misses the box");
});

test("the slope is what backward() would give, not the grad the object holds: 0 before backward() ran, said so", () => {
  const ev = new Evaluator(encodeTape(neuron())); // the objects' grads: all 0
  const { tangent, plot, parent } = setUp(ev, [X2], { [W1]: { min: -9, max: 3 } });
  tangent.select(W1);
  const svg = /** @type {Element} */ (plot());
  const g = Number(svg.getAttribute("data-slope"));
  assert.ok(Math.abs(g - 1) < 1e-12, `∂o/∂w1 = x1 · (1 − o²) = 1, got ${g}`);
  assert.deepEqual([...ev.grad], new Array(10).fill(0), "selecting wrote no grad into the evaluator (the drawing)");
  const lines = [...parent.querySelectorAll("figcaption > span")].map((s) => s.textContent);
  assert.deepEqual(lines, [`slope = ∂o/∂w1 = ${fmt(g)}`, "w1.grad holds 0.0000 (backward() has not run)"]);
  assert.match(/** @type {string} */ (svg.getAttribute("aria-label")), /w1\.grad holds 0\.0000 \(backward\(\) has not run\)/);
  const line = /** @type {Element} */ (svg.querySelector(".agw-tangent-line"));
  const [x1, y1] = ["data-x1", "data-y1"].map((k) => Number(line.getAttribute(k)));
  assert.ok(Math.abs(y1 - (ev.data[O] + 1 * (x1 + 3))) < 1e-12, "the line's slope is the fresh grad");
});

test("a graph whose numbers do not follow from its leaves: one line instead of a plot, until a move recomputes", () => {
  const columns = neuron();
  columns.data[W1] = -2.5; // a training step moved w1; o is still the old forward pass's
  const ev = new Evaluator(encodeTape(columns));
  const { tangent, plot, parent } = setUp(ev, [X2]);
  tangent.select(W1);
  assert.equal(plot(), null, "no curve that would miss its own point");
  assert.equal(parent.querySelector(".agw-tangent-inconsistent")?.textContent, INCONSISTENT);
  assert.ok(parent.querySelector('button[aria-label="Close tangent"]'), "it can still be closed");
  ev.setLeaf(X2, 0); // any slider: every node recomputed
  tangent.update();
  assert.equal(plot()?.getAttribute("data-leaf"), "w1");
  assert.equal(parent.querySelector(".agw-tangent-inconsistent"), null);
  const point = /** @type {Element} */ (plot()?.querySelector(".agw-tangent-point"));
  assert.equal(Number(point.getAttribute("data-y")), Math.tanh(-5 + B), "the point from the recomputed output");
});

test("follow() moves the point and the line without a probe while only the tangent's own leaf moves", () => {
  const ev = new Evaluator(encodeTape(neuron())).run();
  const { tangent, plot } = setUp(ev, [X2], { [W1]: { min: -9, max: 3 } });
  tangent.select(W1);
  const svg = /** @type {Element} */ (plot());
  const curve = () => svg.querySelector(".agw-tangent-curve")?.getAttribute("d");
  const pointY = () => Number(svg.querySelector(".agw-tangent-point")?.getAttribute("data-y"));
  const before = curve();
  let passes = 0;
  const forward = ev.forward.bind(ev);
  ev.forward = (order) => {
    passes++;
    forward(order);
  };
  ev.setLeaf(W1, -2);
  passes = 0;
  assert.equal(tangent.follow(), true, "the curve cannot have changed");
  assert.equal(passes, 0, "no probe");
  assert.equal(pointY(), ev.data[O], "the point moved along");
  assert.equal(Number(svg.getAttribute("data-slope")), ev.backprop()[W1]);
  tangent.update();
  assert.equal(passes, 0, "update() too samples nothing while the curve stands");
  assert.equal(curve(), before);

  ev.setLeaf(X2, 0.5); // another leaf: the curve itself moves
  passes = 0;
  assert.equal(tangent.follow(), false, "out of date: update() must sample again");
  assert.equal(passes, 0);
  tangent.update();
  assert.ok(passes > 0, "sampled again");
  assert.notEqual(curve(), before);
  assert.equal(pointY(), ev.data[O]);
});

test("while the grads are hidden (your turn) the tangent closes and does not open", () => {
  const ev = new Evaluator(encodeTape(neuron())).run();
  let hidden = false;
  const { tangent, plot, parent, watched } = setUp(ev, [X2], {}, () => hidden);
  tangent.select(W1);
  assert.ok(plot());
  hidden = true;
  tangent.update();
  assert.equal(plot(), null, "closed");
  assert.equal(tangent.selected, null);
  assert.deepEqual(watched.at(-1), [], "and its watch with it");
  assert.equal(parent.textContent, HIDDEN);
  tangent.select(W1);
  assert.equal(plot(), null, "does not open");
  assert.equal(parent.textContent, HIDDEN);
  hidden = false;
  tangent.follow();
  assert.equal(parent.textContent, "", "the line goes with the quiz");
  tangent.select(W1);
  assert.ok(plot());
});
