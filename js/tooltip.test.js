// The drawing's tooltip (tooltip.js): a node's explanation on hover and focus, a layer box's range.
import assert from "node:assert/strict";
import { test } from "node:test";
import { COLLAPSED_LAYER, drawnFixture as setUp, LAYER, layerPage } from "./fixtures/drawing.js";
import { fmt } from "./format.js";

test("a node's tooltip explains it: expression, local derivative with its numbers, how its grad is summed", () => {
  const { ev, drawing, id, byLabel } = setUp("neuron");
  const view = /** @type {any} */ (byLabel("o").ownerDocument.defaultView);
  const hover = (/** @type {Element} */ el) => el.dispatchEvent(new view.Event("pointerover", { bubbles: true }));
  const title = (/** @type {Element} */ g) => g.querySelector(":scope > title")?.textContent;
  hover(/** @type {Element} */ (byLabel("x1").querySelector("text")));
  assert.equal(
    title(byLabel("x1")),
    [
      "x1: a leaf = 2.000",
      "grad(x1) = Σ over its consumers grad(c) × ∂c/∂x1 = 0.5000 × -3.000 = -1.500",
      "  via x1*w1: grad(x1*w1) × ∂(x1*w1)/∂x1 = 0.5000 × -3.000",
    ].join("\n"),
  );
  const op = byLabel("o", "op");
  hover(/** @type {Element} */ (op.querySelector("circle, ellipse, path")));
  const lines = ["o = tanh(n) = 0.7071", "∂o/∂n = 1 − o² = 0.5000", "grad(o) = 1 (the output)"];
  assert.equal(title(op), lines.join("\n"), "the op node: its output's lines");
  assert.equal(title(byLabel("o")), undefined, "written where the pointer is only");
  ev.setLeaf(id("x1"), 1); // n = -3 + 6.88 = 3.88: the title waits for the next hover
  drawing.patch();
  assert.equal(title(op), lines.join("\n"), "not rewritten per frame");
  hover(op);
  assert.equal(title(op)?.split("\n")[0], `o = tanh(n) = ${fmt(ev.data[id("o")])}`);
  assert.notEqual(fmt(ev.data[id("o")]), "0.7071");
  assert.equal(op.querySelectorAll("title").length, 1, "one title, rewritten");
});

test("focus gets the tooltip too, and as the aria-label unless the element has its own", () => {
  const { ev, drawing, id, byLabel } = setUp("neuron");
  const view = /** @type {any} */ (byLabel("o").ownerDocument.defaultView);
  const focus = (/** @type {Element} */ el) => el.dispatchEvent(new view.Event("focusin", { bubbles: true }));
  const w2 = byLabel("w2");
  w2.setAttribute("tabindex", "0");
  focus(w2);
  const text = [
    "w2: a leaf = 1.000",
    "grad(w2) = Σ over its consumers grad(c) × ∂c/∂w2 = 0.5000 × 0.0000 = 0.0000",
    "  via x2*w2: grad(x2*w2) × ∂(x2*w2)/∂w2 = 0.5000 × 0.0000",
  ].join("\n");
  assert.equal(w2.querySelector(":scope > title")?.textContent, text);
  assert.equal(w2.getAttribute("aria-label"), text);
  ev.setLeaf(id("x2"), 1); // n = 1.8814, o = 0.9546: w2's grad is (1 − o²) × x2 = 0.0887 × 1
  drawing.patch();
  focus(w2);
  assert.equal(
    w2.getAttribute("aria-label")?.split("\n")[1],
    "grad(w2) = Σ over its consumers grad(c) × ∂c/∂w2 = 0.0887 × 1.000 = 0.0887",
    "the label it was given is rewritten: the numbers moved",
  );
  const b = byLabel("b");
  b.setAttribute("aria-label", "b: press Enter to expand"); // a box's name (boxes.js)
  focus(b);
  assert.equal(b.getAttribute("aria-label"), "b: press Enter to expand", "kept");
  assert.equal(b.querySelector(":scope > title")?.textContent?.split("\n")[0], "b: a leaf = 6.881");
  const x1 = byLabel("x1");
  x1.dispatchEvent(new view.Event("pointerover", { bubbles: true }));
  assert.equal(x1.getAttribute("aria-label"), null, "a hover writes no aria-label");
});

test("a layer box's tooltip gives its outputs' range, by its scope's name", () => {
  const { ev, drawing, g, window } = layerPage(COLLAPSED_LAYER);
  drawing.patch();
  const box = g(`n${LAYER}`);
  const hover = (/** @type {Element} */ el) => el.dispatchEvent(new window.Event("pointerover", { bubbles: true }));
  hover(/** @type {Element} */ (box.querySelector("path")));
  assert.equal(box.querySelector(":scope > title")?.textContent, "layer: 3 outputs, data -1 to 2, grad -1 to 1");
  box.setAttribute("data-scope", "L1");
  ev.setLeaf(3, NaN);
  hover(/** @type {Element} */ (box.querySelector("text")));
  assert.equal(box.querySelector(":scope > title")?.textContent, "L1: 3 outputs, data NaN to NaN, grad -1 to 1");
  assert.equal(box.querySelectorAll("title").length, 1);
  window.close();
});
