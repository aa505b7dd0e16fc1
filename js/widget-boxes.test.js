// The widget's boxes across the kernel's new drawings: focus follows the box a person
// opened or closed, whatever order the traits' change events come in; a box asked about
// may be pressed again when no drawing comes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { layerColumns } from "./fixtures/build-tape.js";
import { boxesGraph, N0 } from "./fixtures/boxes-graph.js";
import { recordSvg } from "./fixtures/drawing.js";
import { encodeState, encodeTape } from "./fixtures/encode-tape.js";
import { pointer } from "./fixtures/pointer.js";
import { renderWidget } from "./fixtures/render-widget.js";
import { rangeField } from "./format.js";

/**
 * A browser blurs a focused element that stops being focusable (HTML's focus fixup rule);
 * happy-dom never does. This one does, at once: the strictest a browser may be.
 * @param {any} window
 */
function focusFixup(window) {
  const remove = window.Element.prototype.removeAttribute;
  window.Element.prototype.removeAttribute = function (/** @type {string} */ name) {
    remove.call(this, name);
    if (name === "tabindex" && this === this.ownerDocument.activeElement) this.blur();
  };
}

// Backbone fires one change event per trait of a message, in the message's key order.
for (const order of [
  ["boxes", "svg"],
  ["svg", "boxes"],
]) {
  test(`a box opened and closed by key or click keeps focus, the kernel's ${order.join(" and ")} changing at once`, () => {
    const graph = boxesGraph();
    const { model, window, el, slider } = renderWidget(graph.state, focusFixup);
    const doc = window.document;
    const g = (/** @type {string} */ id) => /** @type {HTMLElement} */ (el.querySelector(`g[id="${id}"]`));
    /** The kernel's answer to an expand: both traits in one message, in this order. */
    const answer = (/** @type {Record<string, any>} */ to) =>
      model.kernelUpdate(Object.fromEntries(order.map((k) => [k, to[k]])));
    const enter = (/** @type {Element} */ target) =>
      target.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    /** A mouse click: press and release on the same spot. */
    const click = (/** @type {Element} */ target) => {
      for (const type of ["pointerdown", "pointerup"]) pointer(window, type, target, 50, 50);
    };
    g(`n${N0}`).focus();
    enter(g(`n${N0}`));
    answer(graph.open);
    assert.equal(doc.activeElement, g(`c${N0}`), "Enter opened it: focus on the open box");
    enter(g(`c${N0}`));
    answer(graph.collapsed);
    assert.equal(doc.activeElement, g(`n${N0}`), "Enter closed it: focus on the closed box");
    slider("x").focus(); // somewhere else, then a click
    click(/** @type {Element} */ (g(`n${N0}`).querySelector("path")));
    assert.equal(doc.activeElement, g(`n${N0}`), "the box clicked has focus while the kernel works");
    answer(graph.open);
    assert.equal(doc.activeElement, g(`c${N0}`), "a click opened it: focus on the open box");
    click(/** @type {Element} */ (g(`c${N0}`).querySelector("text")));
    answer(graph.collapsed);
    assert.equal(doc.activeElement, g(`n${N0}`), "a click closed it: focus on the closed box");
    assert.equal(model.sent.filter((m) => m.type === "expand").length, 4);
    window.close();
  });
}

test("new boxes for the drawing there is leave a focused box that stays one focused", () => {
  const graph = boxesGraph();
  const { model, window, el } = renderWidget(graph.state, focusFixup);
  const box = /** @type {HTMLElement} */ (el.querySelector(`g[id="n${N0}"]`));
  box.focus();
  model.kernelSets("boxes", graph.state.boxes.map((b) => ({ ...b, size: b.size + 1 })));
  assert.equal(box.getAttribute("aria-label"), "L0.N0: 6 nodes, press Enter to expand", "decorated anew");
  assert.equal(window.document.activeElement, box, "its tabindex never went");
  window.close();
});

test("a new drawing that cannot be shown, with new boxes: the last drawing's box may be pressed again", (t) => {
  const graph = boxesGraph();
  const { model, window, el } = renderWidget(graph.state);
  t.after(() => window.close());
  t.mock.method(console, "warn", () => {});
  const box = /** @type {HTMLElement} */ (el.querySelector(`g[id="n${N0}"]`));
  box.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  assert.equal(box.getAttribute("aria-busy"), "true");
  model.kernelUpdate({ boxes: graph.open.boxes, svg: "<html>not a drawing</html>" });
  assert.equal(el.querySelector(`g[id="n${N0}"]`), box, "the last drawing stays");
  assert.equal(box.getAttribute("aria-busy"), null);
  assert.equal(box.getAttribute("role"), "button", "still a box: the boxes that came are for a drawing not shown");
});

test("a collapsed layer box follows a drag: its outputs are watched, though none of them is drawn", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  // x 0, w1 1, w2 2, w3 3; outputs n1 = w1*x 4, n2 = w2*x 5, n3 = w3*x 6; s = n1*n2 7; out = s + n3 8; the layer box 9.
  const columns = layerColumns();
  const ev = new Evaluator(encodeTape(columns)).run();
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="80pt" viewBox="0 0 300 80"><g class="graph">' +
    recordSvg("n9", ' class="agw-box agw-layer" data-outputs="4 5 6"', "L1 ×3 (7)", 0) +
    recordSvg("n8", "", "out", 150) +
    "</g></svg>";
  const { el, drag, frame, window } = renderWidget({
    tape: encodeTape({ ...columns, grad: Array.from(ev.grad) }),
    svg,
    boxes: [{ id: 9, name: "L1", size: 7, expanded: false, outputs: [4, 5, 6] }],
    sliders: [{ id: 1, label: "w1", min: -5, max: 5, step: 0.5 }],
    kernel_state: encodeState({ data: ev.data, grad: ev.grad, stale_data: ev.staleData, stale_grad: ev.staleGrad }),
    message: "",
    notice: "",
    rankdir: "LR",
  });
  t.after(() => window.close());
  const box = /** @type {any} */ (el.querySelector('g[id="n9"]'));
  const fields = () => [...box.querySelectorAll("text")].slice(-2).map((/** @type {Element} */ x) => x.textContent);
  assert.equal(box.getAttribute("aria-label"), "L1: 3 neurons, 7 nodes, press Enter to expand");
  assert.equal(box.getAttribute("data-grad"), "[-1,0.5,1]");
  drag("w1", 3); // n1 = 1.5; n2's grad is n1: n2 is no descendant of w1 or of anything drawn but the box
  await frame();
  assert.equal(box.getAttribute("data-value"), "[1.5,-1,2]");
  assert.equal(box.getAttribute("data-grad"), "[-1,1.5,1]");
  assert.deepEqual(fields(), [rangeField("data", -1, 2), rangeField("grad", -1, 1.5)]);
});
