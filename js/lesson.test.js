import assert from "node:assert/strict";
import { test } from "node:test";
import { loadColumns, toWire } from "./fixtures/fake-model.js";
import { renderWidget } from "./fixtures/render-widget.js";
import { SLOW_MS, throttle } from "./lesson.js";
import { INCONSISTENT } from "./tangent.js";

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

/** Let a MutationObserver's records arrive. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test("the tangent's slope is a fresh backward pass's; the drawing keeps the grads the objects hold (0: no backward())", (t) => {
  const columns = loadColumns("neuron");
  columns.tape.grad = columns.tape.grad.map(() => 0);
  columns.kernel_state.grad = columns.kernel_state.grad.map(() => 0);
  const w = renderWidget(toWire(columns));
  t.after(() => w.el.ownerDocument.defaultView?.close());
  const name = /** @type {HTMLElement} */ (w.slider("w1").parentElement?.querySelector(".agw-slider-label"));
  name.click();
  const plot = w.el.querySelector('[data-role="tangent"]');
  assert.ok(Math.abs(Number(plot?.getAttribute("data-slope")) - 1) < 1e-12, "∂o/∂w1 = x1 · (1 − o²) = 1");
  const caption = [...w.el.querySelectorAll(".agw-tangent figcaption > span")].map((s) => s.textContent);
  assert.deepEqual(caption, ["slope = ∂o/∂w1 = 1.000", "w1.grad holds 0.0000 (backward() has not run)"]);
  // the drawing drawn again from the evaluator (a new layout from the kernel): still the objects' grads
  w.model.set("svg", `${w.model.get("svg")} `);
  for (const label of ["w1", "x1", "o"]) assert.equal(Number(w.group(label).getAttribute("data-grad")), 0, label);
  // numeric check: backprop's grads, not the held 0s, and they agree with the estimates
  const check = /** @type {HTMLButtonElement} */ (
    [...w.el.querySelectorAll(".agw-lesson button")].find((b) => b.textContent === "Numeric check")
  );
  check.click();
  const rows = [...w.el.querySelectorAll(".agw-numeric-table tbody tr")].map((tr) =>
    [...tr.children].map((c) => c.textContent),
  );
  assert.deepEqual(
    rows.find((r) => r[0] === "x1"),
    ["x1", "-1.500", "-1.500", "✓"],
  );
  assert.equal(w.el.querySelectorAll(".agw-disagree").length, 0);
});

test("a graph whose leaves moved after it was built (a training step): the tangent and the check say so", (t) => {
  const columns = loadColumns("neuron");
  const w1 = columns.tape.label.indexOf("w1");
  columns.kernel_state.data[w1] = -2.5; // p.data -= lr * p.grad, no new forward pass
  const w = renderWidget(toWire(columns));
  t.after(() => w.el.ownerDocument.defaultView?.close());
  const name = /** @type {HTMLElement} */ (w.slider("w1").parentElement?.querySelector(".agw-slider-label"));
  name.click();
  assert.equal(w.el.querySelector('[data-role="tangent"]'), null);
  assert.equal(w.el.querySelector(".agw-tangent-inconsistent")?.textContent, INCONSISTENT);
  const check = /** @type {HTMLButtonElement} */ (
    [...w.el.querySelectorAll(".agw-lesson button")].find((b) => b.textContent === "Numeric check")
  );
  check.click();
  assert.equal(w.el.querySelector(".agw-numeric-table"), null);
  assert.equal(w.el.querySelector(".agw-numeric-inconsistent")?.textContent, INCONSISTENT);
  assert.equal(w.el.querySelectorAll("[data-numeric-grad]").length, 0);
});

test("throttle: at once, then at most every 150 ms while called, and once more after the last call", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  let runs = 0;
  const slow = throttle(() => runs++, SLOW_MS);
  assert.equal(SLOW_MS, 150);
  slow.schedule();
  assert.equal(runs, 1, "the first call runs at once");
  for (let k = 0; k < 8; k++) {
    t.mock.timers.tick(16);
    slow.schedule();
  }
  assert.equal(runs, 1, "128 ms of frames: nothing more yet");
  t.mock.timers.tick(22);
  assert.equal(runs, 2, "150 ms after the first: the numbers since");
  t.mock.timers.tick(150);
  assert.equal(runs, 2, "nothing called since: nothing run");
  t.mock.timers.tick(1000);
  slow.schedule();
  assert.equal(runs, 3, "quiet again: at once");
  slow.schedule();
  slow.cancel();
  t.mock.timers.tick(1000);
  assert.equal(runs, 3, "cancelled");
});

test("dragging: the tangent's curve, the numeric table and the chain rule in words refresh at most every 150 ms, and after the last move", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const w = renderWidget("neuron");
  t.after(() => w.el.ownerDocument.defaultView?.close());
  press(w, "n"); // x1 selected: its tangent and its chain rule in words
  const check = /** @type {HTMLButtonElement} */ (
    [...w.el.querySelectorAll(".agw-lesson button")].find((b) => b.textContent === "Numeric check")
  );
  check.click();
  const curve = () => w.el.querySelector(".agw-tangent-curve")?.getAttribute("d");
  const pointY = () => Number(w.el.querySelector(".agw-tangent-point")?.getAttribute("data-y"));
  const about = () => w.el.querySelector(".agw-lesson-explain")?.textContent ?? "";
  const numericOf = (/** @type {string} */ label) => w.group(label).getAttribute("data-numeric-grad");
  const o = () => Number(w.group("o").getAttribute("data-value"));
  const first = curve();
  const firstAbout = about();
  const firstNumeric = numericOf("w2");

  w.drag("x2", 0.5); // another leaf: the curve of o against x1 moves
  await w.frame();
  assert.notEqual(curve(), first, "the first frame after a quiet spell refreshes at once");
  const second = curve();
  assert.notEqual(numericOf("w2"), firstNumeric);
  assert.notEqual(about(), firstAbout);
  const secondAbout = about();
  const secondNumeric = numericOf("w2");
  w.drag("x2", 1);
  await w.frame();
  w.drag("x2", 1.5);
  await w.frame();
  assert.equal(curve(), second, "within 150 ms: not sampled again");
  assert.equal(numericOf("w2"), secondNumeric, "nor estimated");
  assert.equal(about(), secondAbout, "nor explained");
  t.mock.timers.tick(SLOW_MS);
  assert.notEqual(curve(), second, "after 150 ms, the last numbers");
  assert.equal(pointY(), o(), "the point on the output now");
  assert.notEqual(numericOf("w2"), secondNumeric);
  assert.match(about(), /x1/);
  const settled = curve();

  // the tangent's own leaf: the curve cannot change; the point follows every frame
  w.drag("x1", 1);
  await w.frame();
  w.drag("x1", 1.5);
  await w.frame();
  assert.equal(curve(), settled);
  assert.equal(pointY(), o(), "the point moved in the same frame");
  assert.equal(Number(w.el.querySelector('[data-role="tangent"]')?.getAttribute("data-slope")), Number(w.group("x1").getAttribute("data-grad")));
  t.mock.timers.tick(SLOW_MS);
  assert.equal(curve(), settled);
});

test("while the grads are hidden (the quiz's class on the root): no grad in the tooltip or the words, no tangent, no numeric check", async (t) => {
  const w = renderWidget("neuron");
  t.after(() => w.el.ownerDocument.defaultView?.close());
  const check = /** @type {HTMLButtonElement} */ (
    [...w.el.querySelectorAll(".agw-lesson button")].find((b) => b.textContent === "Numeric check")
  );
  check.click();
  assert.ok(w.el.querySelector(".agw-numeric-table"));
  press(w, "n"); // x1: its tangent and its words
  const about = /** @type {HTMLElement} */ (w.el.querySelector(".agw-lesson-explain"));
  assert.match(about.textContent ?? "", /grad\(x1\)/);
  assert.ok(w.el.querySelector('[data-role="tangent"]'));
  const hover = (/** @type {string} */ label) => {
    const g = w.group(label);
    g.dispatchEvent(new w.window.Event("pointerover", { bubbles: true }));
    return g.querySelector(":scope > title")?.textContent ?? "";
  };
  assert.match(hover("n"), /grad\(n\)/);

  w.root.classList.add("agw-grads-hidden");
  await settle();
  assert.doesNotMatch(about.textContent ?? "", /grad/, "the words keep op and data only");
  assert.match(about.textContent ?? "", /x1: a leaf = 2\.000/);
  assert.equal(w.el.querySelector('[data-role="tangent"]'), null, "the tangent closed");
  assert.equal(w.el.querySelector(".agw-tangent-note")?.textContent, "Grads are hidden (your turn)");
  const name = /** @type {HTMLElement} */ (w.slider("w1").parentElement?.querySelector(".agw-slider-label"));
  name.click();
  assert.equal(w.el.querySelector('[data-role="tangent"]'), null, "and does not open");
  assert.equal(check.getAttribute("aria-disabled"), "true");
  assert.equal(w.el.querySelector(".agw-numeric-table"), null);
  assert.equal(w.el.querySelectorAll("[data-numeric-grad]").length, 0);
  check.click();
  assert.equal(w.el.querySelector(".agw-numeric-table"), null, "a press does nothing");
  const tip = hover("n");
  assert.doesNotMatch(tip, /grad/);
  assert.match(tip, /n = \(x1\*w1 \+ x2\*w2\) \+ b = 0\.8814/);
  assert.match(tip, /∂n\/∂b = 1 = 1\.000/, "local derivatives stay");

  w.root.classList.remove("agw-grads-hidden");
  await settle();
  assert.match(about.textContent ?? "", /grad\(x1\)/);
  assert.equal(check.getAttribute("aria-disabled"), null);
  assert.ok(w.el.querySelector(".agw-numeric-table"), "the check comes back as it was");
  assert.match(hover("n"), /grad\(n\)/);
  name.click();
  assert.ok(w.el.querySelector('[data-role="tangent"]'));
});

test("the words are not a live region; a selection is announced in a line of its own", (t) => {
  const w = renderWidget("neuron");
  t.after(() => w.el.ownerDocument.defaultView?.close());
  const about = /** @type {HTMLElement} */ (w.el.querySelector(".agw-lesson-explain"));
  const live = /** @type {HTMLElement} */ (w.el.querySelector(".agw-lesson-announce"));
  assert.equal(about.getAttribute("aria-live"), null);
  assert.equal(about.closest("[aria-live]"), null);
  assert.equal(live.getAttribute("aria-live"), "polite");
  press(w, "n");
  assert.equal(live.textContent, "Selected x1");
  assert.ok((about.textContent ?? "").length > live.textContent.length);
  press(w, "Escape");
  assert.equal(live.textContent, "");
});

test("closing the tangent clears the drawing's selection and puts focus on the drawing", (t) => {
  const w = renderWidget("neuron");
  t.after(() => w.el.ownerDocument.defaultView?.close());
  press(w, "n");
  assert.ok(w.el.querySelector("svg g.node.selected"));
  const close = /** @type {HTMLButtonElement} */ (w.el.querySelector('button[aria-label="Close tangent"]'));
  close.focus();
  close.click();
  assert.equal(w.el.querySelector('[data-role="tangent"]'), null);
  assert.equal(w.el.querySelector("svg g.node.selected"), null, "nothing selected");
  assert.equal(w.el.querySelector(".agw-lesson-explain")?.textContent, "");
  assert.equal(w.el.ownerDocument.activeElement, w.el.querySelector(".agw-drawing"));
});

test("t on a slider opens its leaf's tangent; focusing another slider then moves the tangent there", (t) => {
  const w = renderWidget("neuron");
  t.after(() => w.el.ownerDocument.defaultView?.close());
  const leaf = () => w.el.querySelector('[data-role="tangent"]')?.getAttribute("data-leaf");
  const key = (/** @type {Element} */ el, /** @type {string} */ k) =>
    el.dispatchEvent(new w.window.KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
  w.slider("x2").focus();
  assert.equal(leaf(), undefined, "focus alone opens nothing");
  key(w.slider("x2"), "x");
  assert.equal(leaf(), undefined);
  assert.equal(key(w.slider("x2"), "t"), false, "t is taken (default prevented)");
  assert.equal(leaf(), "x2");
  w.slider("w1").focus();
  assert.equal(leaf(), "w1", "the open tangent follows focus");
  w.box("x2").focus();
  assert.equal(leaf(), "w1", "an exact-value box is no slider");
});
