import assert from "node:assert/strict";
import { test } from "node:test";
import { Find, MAX_OPTIONS, NO_MATCH } from "./find.js";
import { boxesGraph } from "./fixtures/boxes-graph.js";
import { newWindow } from "./fixtures/dom.js";
import { renderWidget } from "./fixtures/render-widget.js";

/**
 * A Find alone over `labels` (ids 0, 1, …), `withSlider` of them having sliders, every call recorded.
 * @param {import("node:test").TestContext} t @param {string[]} labels @param {number[]} [withSlider]
 */
function mount(t, labels, withSlider = []) {
  const window = newWindow();
  t.after(() => window.close());
  const doc = window.document;
  const parent = doc.createElement("div");
  doc.body.append(parent);
  const sliders = new Set(withSlider);
  /** @type {{focus: number[], ask: number[]}} */
  const calls = { focus: [], ask: [] };
  const find = new Find({
    parent,
    leaves: labels.map((_, id) => id),
    labelOf: (id) => labels[id],
    has: (id) => sliders.has(id),
    focus: (id) => calls.focus.push(id),
    ask: (id) => calls.ask.push(id),
  });
  const input = /** @type {HTMLInputElement} */ (parent.querySelector('input[aria-label="Find parameter"]'));
  const options = () => [...parent.querySelectorAll('[role="option"]')];
  const names = () => options().map((o) => o.firstChild?.textContent);
  const status = () => parent.querySelector(".agw-find-status")?.textContent;
  const type = (/** @type {string} */ text) => {
    input.value = text;
    input.dispatchEvent(new window.Event("input", { bubbles: true }));
  };
  const key = (/** @type {string} */ k) => {
    const e = new window.KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true });
    input.dispatchEvent(e);
    return e;
  };
  return { window, doc, find, input, options, names, status, type, key, calls, sliders };
}

const MLP = ["x", "L0.N0.w0", "L0.N0.w1", "L0.N0.b", "L0.N1.w0", "L0.N1.w1", "L0.N1.b", "L1.N0.w0"];

test("typing lists the leaves whose label holds it, in any case, in tape order", (t) => {
  const { type, names, input, options, status } = mount(t, MLP);
  assert.equal(input.type, "search");
  assert.equal(input.getAttribute("role"), "combobox");
  assert.equal(options().length, 0, "nothing listed before typing");
  assert.equal(input.getAttribute("aria-expanded"), "false");
  type("L0.N0.w");
  assert.deepEqual(names(), ["L0.N0.w0", "L0.N0.w1"]);
  assert.equal(input.getAttribute("aria-expanded"), "true");
  const list = /** @type {Element} */ (options()[0].parentElement);
  assert.equal(list.getAttribute("role"), "listbox");
  assert.equal(input.getAttribute("aria-controls"), list.id);
  type("n1.B");
  assert.deepEqual(names(), ["L0.N1.b"]);
  assert.equal(status(), "");
  type("zzz");
  assert.deepEqual(names(), []);
  assert.equal(status(), NO_MATCH);
  assert.equal(/** @type {HTMLElement} */ (list).hidden, true);
  type("");
  assert.equal(status(), "", "an empty box says nothing");
});

test("more than MAX_OPTIONS matches: the first ones, and how many more", (t) => {
  const labels = Array.from({ length: 65 }, (_, k) => `L0.N${k}.w0`);
  const { type, names, status } = mount(t, labels);
  type("w0");
  assert.equal(names().length, MAX_OPTIONS);
  assert.deepEqual(names().slice(0, 2), ["L0.N0.w0", "L0.N1.w0"]);
  assert.equal(status(), `${65 - MAX_OPTIONS} more — keep typing`);
  type("N6");
  assert.deepEqual(names(), ["L0.N6.w0", ...Array.from({ length: 5 }, (_, k) => `L0.N6${k}.w0`)]);
  assert.equal(status(), "");
});

test("arrows move through the options, round the ends; Enter picks; Escape clears", (t) => {
  const { type, key, input, options, calls, names, status } = mount(t, MLP);
  type("l0.n0");
  const active = () => options().findIndex((o) => o.getAttribute("aria-selected") === "true");
  assert.equal(key("ArrowDown").defaultPrevented, true, "the caret stays");
  assert.equal(active(), 0);
  assert.equal(input.getAttribute("aria-activedescendant"), options()[0].id);
  key("ArrowDown");
  key("ArrowDown");
  assert.equal(active(), 2);
  key("ArrowDown");
  assert.equal(active(), 0, "round the end");
  key("ArrowUp");
  assert.equal(active(), 2);
  key("Enter");
  assert.deepEqual(calls.ask, [3], "L0.N0.b has no slider: the kernel is asked for one");
  assert.equal(input.value, "L0.N0.b");
  assert.deepEqual(names(), [], "the list closes");
  assert.match(String(status()), /asking the kernel for a slider on L0\.N0\.b/);
  type("n1.w");
  const esc = key("Escape");
  assert.equal(esc.defaultPrevented, true);
  assert.equal(input.value, "");
  assert.deepEqual(names(), []);
  assert.equal(key("Escape").defaultPrevented, false, "an empty box leaves Escape alone");
  type("w1");
  key("Enter");
  assert.deepEqual(calls.ask, [3, 2], "Enter with no option chosen picks the first");
});

test("a leaf that has a slider is marked, and picking it focuses the slider, asking nothing", (t) => {
  const { type, options, calls, window, key } = mount(t, MLP, [0, 1]);
  type("x");
  assert.match(String(options()[0].textContent), /has a slider/);
  options()[0].dispatchEvent(new window.MouseEvent("click", { bubbles: true }));
  assert.deepEqual([calls.focus, calls.ask], [[0], []]);
  type("w0");
  const press = new window.PointerEvent("pointerdown", { bubbles: true, cancelable: true });
  options()[1].dispatchEvent(press);
  assert.equal(press.defaultPrevented, true, "a press on an option leaves focus in the box");
  key("ArrowDown");
  key("Enter");
  assert.deepEqual(calls.focus, [0, 1]);
});

test("focus going elsewhere closes the list; within the finder, it stays", (t) => {
  const { doc, find, type, input, options } = mount(t, MLP);
  const elsewhere = doc.createElement("button");
  doc.body.append(elsewhere);
  input.focus();
  type("w0");
  assert.equal(options().length, 3);
  find.status.tabIndex = -1; // anything of the finder's own
  find.status.focus();
  assert.equal(options().length, 3, "still the finder's");
  input.focus();
  elsewhere.focus();
  assert.deepEqual([options().length, input.getAttribute("aria-expanded")], [0, "false"]);
  assert.equal(input.value, "w0", "what was typed stays");
});

test("a click on an option picks it, even if the press took focus away first", (t) => {
  const { window, doc, type, input, options, calls } = mount(t, MLP);
  const elsewhere = doc.createElement("button");
  doc.body.append(elsewhere);
  const pointer = (/** @type {string} */ kind, /** @type {Element} */ target) =>
    target.dispatchEvent(new window.PointerEvent(kind, { bubbles: true, cancelable: true, pointerId: 1 }));
  input.focus();
  type("w0");
  const option = options()[1];
  pointer("pointerdown", option);
  elsewhere.focus(); // what a browser may do on a press, whatever pointerdown says
  assert.equal(options().length, 3, "open until the click");
  pointer("pointerup", option);
  option.dispatchEvent(new window.MouseEvent("click", { bubbles: true }));
  assert.deepEqual(calls.ask, [4], "L0.N1.w0 picked");
  input.focus();
  type("w0");
  pointer("pointerdown", options()[0]);
  elsewhere.focus();
  pointer("pointerup", doc.body); // released off the list: no click picks
  assert.equal(options().length, 0, "the list goes with focus");
  assert.deepEqual(calls.ask, [4]);
});

test("in the widget: a press on the drawing closes the list", (t) => {
  const { el, window } = renderWidget(boxesGraph().state);
  t.after(() => window.close());
  const input = /** @type {HTMLInputElement} */ (el.querySelector('input[aria-label="Find parameter"]'));
  input.focus();
  input.value = "w";
  input.dispatchEvent(new window.Event("input", { bubbles: true }));
  assert.equal(el.querySelectorAll('[role="option"]').length, 2);
  const init = { bubbles: true, cancelable: true, pointerId: 1, pointerType: "mouse", button: 0 };
  /** @type {Element} */ (el.querySelector(".agw-canvas")).dispatchEvent(new window.PointerEvent("pointerdown", init));
  assert.equal(window.document.activeElement, el.querySelector(".agw-drawing"), "scrub.js focuses the drawing");
  assert.equal(el.querySelectorAll('[role="option"]').length, 0);
});

test("shown only while some labelled leaf has no slider", (t) => {
  const { find, sliders } = mount(t, ["a", "b"], [0]);
  assert.equal(find.element.hidden, false);
  sliders.add(1);
  find.update();
  assert.equal(find.element.hidden, true);
  const { el } = renderWidget("neuron"); // the lecture's neuron: every labelled leaf has a slider
  assert.equal(/** @type {HTMLElement} */ (el.querySelector(".agw-find")).hidden, true);
});

test("in the widget: a leaf without a slider is asked for, and its new slider gets focus when it comes", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const graph = boxesGraph();
  const { el, model, window, slider } = renderWidget(graph.state);
  const input = /** @type {HTMLInputElement} */ (el.querySelector('input[aria-label="Find parameter"]'));
  assert.equal(/** @type {HTMLElement} */ (input.closest(".agw-find")).hidden, false, "four leaves have no slider");
  input.focus();
  input.value = "n0.w";
  input.dispatchEvent(new window.Event("input", { bubbles: true }));
  input.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  assert.deepEqual(model.sent, [{ type: "slider", id: 1 }]);
  model.kernelSets("sliders", [...graph.state.sliders, { id: 1, label: "L0.N0.w", min: -3, max: 3, step: 0.01 }]);
  assert.equal(window.document.activeElement, slider("L0.N0.w"), "the new slider, named by its label");
  assert.equal(slider("L0.N0.w").getAttribute("data-id"), "1");
  input.value = "x";
  input.dispatchEvent(new window.Event("input", { bubbles: true }));
  input.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  assert.equal(window.document.activeElement, slider("x"), "a leaf with a slider: focused at once");
  assert.equal(model.sent.length, 1, "nothing asked");
  input.focus();
  input.value = "n1.b";
  input.dispatchEvent(new window.Event("input", { bubbles: true }));
  input.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
  assert.deepEqual(model.sent.at(-1), { type: "slider", id: 7 });
  slider("x").focus(); // the person went on before the kernel answered
  model.kernelSets("sliders", [...model.get("sliders"), { id: 7, label: "L0.N1.b", min: -3, max: 3, step: 0.01 }]);
  assert.ok(slider("L0.N1.b"));
  assert.equal(window.document.activeElement, slider("x"), "focus is not taken from where it went");
});
