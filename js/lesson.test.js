import assert from "node:assert/strict";
import { test } from "node:test";
import { renderWidget } from "./fixtures/render-widget.js";

/** A key pressed on the drawing's scroll box. @param {any} w @param {string} key */
function press(w, key) {
  const box = w.el.querySelector(".agw-drawing");
  box.focus();
  box.dispatchEvent(new w.el.ownerDocument.defaultView.KeyboardEvent("keydown", { key, bubbles: true }));
}

test("the lesson panel holds every tool, by the names the lesson uses", (t) => {
  const w = renderWidget("neuron");
  t.after(() => w.el.ownerDocument.defaultView?.close());
  const names = [...w.el.querySelectorAll(".agw-lesson button")].map((b) => b.getAttribute("aria-label") || b.textContent);
  for (const name of ["Numeric check", "Step", "Reset", "Backward step", "Backward all", "Hide grads", "Export SVG", "Export PNG"]) {
    assert.ok(names.includes(name), `a button named ${name}`);
  }
  assert.ok(w.el.querySelector(".agw-lesson input[type=number]"), "the learning rate");
});

test("n and p select the values drawn in order, on the keyboard: the tangent of a leaf, its paths, its chain rule in words", (t) => {
  const w = renderWidget("neuron");
  t.after(() => w.el.ownerDocument.defaultView?.close());
  press(w, "n"); // the first node drawn: x1, a leaf
  const selected = () => w.el.querySelector("svg g.node.selected")?.getAttribute("data-label");
  assert.equal(selected(), "x1");
  assert.equal(w.el.querySelector('[data-role="tangent"]')?.getAttribute("data-leaf"), "x1");
  const about = /** @type {HTMLElement} */ (w.el.querySelector(".agw-lesson-explain"));
  assert.match(about.textContent ?? "", /grad\(x1\)/);
  assert.match(about.textContent ?? "", /-1\.500/, "x1's grad, as the chain rule gives it: 0.5 × -3");
  press(w, "p"); // from the first, back round to the last: o
  assert.equal(selected(), "o");
  const tangent = w.el.querySelector('[data-role="tangent"]');
  assert.equal(tangent?.getAttribute("data-leaf"), "x1", "o is no leaf: the last leaf's tangent stays");
  assert.match(about.textContent ?? "", /1 − o²|1 - o²/);
  press(w, "Escape");
  assert.equal(selected(), undefined);
  assert.equal(about.textContent, "");
});

test("a slider's name, pressed, draws its leaf's tangent", (t) => {
  const w = renderWidget("neuron");
  t.after(() => w.el.ownerDocument.defaultView?.close());
  const name = /** @type {HTMLElement} */ (w.slider("w1").parentElement?.querySelector(".agw-slider-label"));
  name.click();
  const plot = w.el.querySelector('[data-role="tangent"]');
  assert.equal(plot?.getAttribute("data-leaf"), "w1");
  assert.equal(Number(plot?.getAttribute("data-slope")), Number(w.group("w1").getAttribute("data-grad")));
});
