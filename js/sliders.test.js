import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { newWindow } from "./fixtures/dom.js";
import { renderWidget } from "./fixtures/render-widget.js";
import { boxText, compactText, NOT_A_NUMBER, parseNumber } from "./number-text.js";
import { matcher, Sliders, widen } from "./sliders.js";

test("parseNumber reads what Python's float() reads, and nothing else", () => {
  const cases = {
    0.5: 0.5,
    " -2e-3 ": -0.002,
    "+.25": 0.25,
    "7.": 7,
    "1E3": 1000,
    nan: NaN,
    NaN: NaN,
    "-NAN": NaN,
    inf: Infinity,
    "+Inf": Infinity,
    "-inf": -Infinity,
    Infinity: Infinity,
    "-infinity": -Infinity,
  };
  for (const [text, want] of Object.entries(cases)) assert.ok(Object.is(parseNumber(text), want), `${text} → ${want}`);
  for (const text of ["", " ", "abc", "0x10", "1,5", "1e", "--1", "in", "infinit", "nan1", "1 2", "Infinityx"]) {
    assert.equal(parseNumber(text), null, `${JSON.stringify(text)} is no number`);
  }
  assert.deepEqual([NaN, Infinity, -Infinity, -0.5].map(boxText), ["nan", "inf", "-inf", "-0.5"]);
  assert.deepEqual(widen(-1, 1, 3), [-1, 4]);
});

test("nan, inf and -inf typed into a number box go to the kernel as its strings", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] }); // no lost clock left running after the test
  const { box, group, model, id, type } = renderWidget("neuron");
  const sent = () => model.sent.at(-1)?.values[String(id("x1"))];
  for (const [text, json, shown] of [
    ["nan", "NaN", "nan"],
    ["Infinity", "Infinity", "inf"],
    ["-INF", "-Infinity", "-inf"],
    ["NaN", "NaN", "nan"],
  ]) {
    type("x1", text);
    assert.equal(sent(), json, `${text} sent as ${json}`);
    assert.equal(group("x1").getAttribute("data-value"), json, "and drawn");
    assert.equal(box("x1").value, shown, "the box shows Python's spelling");
    assert.equal(box("x1").getAttribute("aria-invalid"), null);
  }
  assert.equal(group("o").getAttribute("data-value"), "NaN", "NaN flows through to the output");
  type("x1", "2");
  assert.equal(sent(), 2, "and back to a number");
  assert.ok(Math.abs(Number(group("o").getAttribute("data-value")) - Math.SQRT1_2) < 1e-15);
});

test("a text that is no number: an inline error, and nothing changes", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] }); // no lost clock left running after the test
  const { box, group, model, type, fire, frame, el, drag, id } = renderWidget("neuron");
  const b = box("w1");
  const message = () => el.ownerDocument.getElementById(/** @type {string} */ (b.getAttribute("aria-describedby")));
  assert.equal(message()?.textContent, "", "no error to begin with");
  type("w1", "three");
  assert.equal(b.getAttribute("aria-invalid"), "true");
  assert.equal(message()?.textContent, NOT_A_NUMBER);
  assert.ok(b.closest(".agw-slider")?.classList.contains("agw-invalid"), "the row grows to show it");
  assert.equal(b.value, "three", "the text stays, to be corrected");
  assert.equal(group("w1").getAttribute("data-value"), "-3");
  assert.equal(model.sent.length, 0, "nothing sent");
  fire(b, "blur");
  assert.equal(b.getAttribute("aria-invalid"), "true", "leaving the box does not apply it either");
  assert.equal(model.sent.length, 0);
  type("w1", "", "Escape");
  assert.equal(b.value, "-3", "Escape puts the value back");
  assert.equal(b.getAttribute("aria-invalid"), null);
  assert.equal(message()?.textContent, "");
  assert.equal(b.closest(".agw-slider")?.classList.contains("agw-invalid"), false);
  type("w1", "1e");
  assert.equal(b.getAttribute("aria-invalid"), "true");
  type("w1", "-2.5");
  assert.equal(b.getAttribute("aria-invalid"), null, "a number clears the error");
  assert.equal(message()?.textContent, "");
  assert.equal(model.sent.at(-1)?.values[String(id("w1"))], -2.5);
  type("w1", "x");
  drag("w1", 1);
  await frame();
  assert.equal(b.getAttribute("aria-invalid"), null, "moving the slider shows its value, and no error");
  assert.equal(b.value, "1");
});

/**
 * Sliders alone in a happy-dom page, one per label (ids 0, 1, …), with every event recorded.
 * @param {import("node:test").TestContext} t @param {string[]} labels @param {number[]} [values]
 */
function mount(t, labels, values = labels.map(() => 0.5)) {
  const window = newWindow();
  t.after(() => window.close());
  const doc = window.document;
  const container = doc.createElement("div");
  const outside = doc.createElement("button");
  doc.body.append(container, outside);
  const specs = labels.map((label, id) => ({ id, label, min: -5, max: 5, step: 0.01 }));
  /** @type {{commit: [number, number][], input: [number, number][], point: (number | null)[]}} */
  const calls = { commit: [], input: [], point: [] };
  const sliders = new Sliders(container, specs, (id) => values[id], {
    onInput: (id, x) => calls.input.push([id, x]),
    onCommit: (id, x) => calls.commit.push([id, x]),
    onPoint: (id) => calls.point.push(id),
  });
  const range = (/** @type {string} */ label) =>
    /** @type {HTMLInputElement} */ (container.querySelector(`input[type="range"][aria-label="${label}"]`));
  const box = (/** @type {string} */ label) =>
    /** @type {HTMLInputElement} */ (container.querySelector(`input[aria-label="${label} exact value"]`));
  const row = (/** @type {string} */ label) => /** @type {HTMLElement} */ (range(label).closest(".agw-slider"));
  const filter = () =>
    /** @type {HTMLInputElement | null} */ (container.querySelector('input[aria-label="Filter sliders"]'));
  const count = () => container.querySelector(".agw-filter-count")?.textContent;
  /** @param {Element} el @param {string} key */
  const press = (el, key) => el.dispatchEvent(new window.KeyboardEvent("keydown", { key, bubbles: true }));
  /** @param {HTMLInputElement} el @param {string} text */
  const typeIn = (el, text) => {
    el.value = text;
    el.dispatchEvent(new window.Event("input", { bubbles: true }));
  };
  /** @param {string} type @param {Element} el @param {Element | null} [related] */
  const pointer = (type, el, related = null) =>
    el.dispatchEvent(new window.PointerEvent(type, { bubbles: true, relatedTarget: related }));
  const visible = () => labels.filter((l) => !row(l).hidden);
  return {
    window,
    doc,
    container,
    outside,
    sliders,
    calls,
    range,
    box,
    row,
    filter,
    count,
    press,
    typeIn,
    pointer,
    visible,
  };
}

test("compactText: at most 8 significant digits, readable; the exact text is String(x)", () => {
  const cases = [
    [6.8813735870195432, "6.8813736"],
    [0.1 + 0.2, "0.3"],
    [1e-12, "1e-12"],
    [-2.5, "-2.5"],
    [0, "0"],
    [2.0000000001, "2"],
    [123456789, "123456790"],
    [1.23456789e-5, "1.2345679e-5"],
    [12345678901234567890, "1.2345679e+19"],
    [NaN, "nan"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
  ];
  for (const [x, want] of cases) assert.equal(compactText(/** @type {number} */ (x)), want, String(x));
  for (const [x] of cases) assert.ok(parseNumber(compactText(/** @type {number} */ (x))) !== null, "and it reads back");
  assert.equal(boxText(0.1 + 0.2), "0.30000000000000004");
});

test("the number box: compact at rest, exact and selected while edited; no change, nothing sent", (t) => {
  const { box, calls, press, outside } = mount(t, ["b", "w"], [6.8813735870195432, 0.5]);
  const b = box("b");
  assert.equal(b.value, "6.8813736", "compact at rest");
  b.focus();
  assert.equal(b.value, "6.881373587019543", "exact while edited");
  // typed: the two asserts above narrowed b.value to their literals, which nothing can be both
  assert.deepEqual(
    [b.selectionStart, b.selectionEnd],
    [0, /** @type {string} */ (b.value).length],
    "selected, to be typed over",
  );
  press(b, "Enter");
  outside.focus();
  assert.equal(b.value, "6.8813736", "compact again on blur");
  assert.deepEqual(calls.commit, [], "focus, Enter and blur without a change send nothing");
  b.focus();
  b.value = "6.88137358701954300"; // the same number, typed another way
  press(b, "Enter");
  assert.deepEqual(calls.commit, [], "a text that is the same number is no change");
  assert.equal(b.value, "6.881373587019543");
  b.value = "3";
  press(b, "Escape");
  assert.equal(b.value, "6.8813736", "Escape puts the value back, compact");
  outside.focus();
  assert.deepEqual(calls.commit, [], "and leaving after it sends nothing");

  b.focus();
  b.value = "6.8813736"; // the compact text, typed while the exact one is shown: a rounding asked for
  press(b, "Enter");
  assert.deepEqual(calls.commit, [[0, 6.8813736]]);
  assert.equal(b.value, "6.8813736");
  assert.deepEqual([b.selectionStart, b.selectionEnd], [0, b.value.length], "selected for the next value");
  b.value = "0.1";
  outside.focus();
  assert.deepEqual(calls.commit.at(-1), [0, 0.1], "leaving with a new number applies it");
  assert.equal(calls.commit.length, 2);

  const w = box("w");
  w.focus();
  w.value = "0.50";
  outside.focus();
  assert.deepEqual(calls.commit.length, 2, "0.50 for 0.5 sends nothing");
  assert.equal(w.value, "0.5");
});

test("a value shown while the box is edited is shown exact; a drag shows it compact", (t) => {
  const { box, range, sliders, window } = mount(t, ["a"]);
  box("a").focus();
  sliders.show(0, 0.1 + 0.2);
  assert.equal(box("a").value, "0.30000000000000004");
  range("a").focus();
  assert.equal(box("a").value, "0.3");
  range("a").value = "1.25";
  range("a").dispatchEvent(new window.Event("input", { bubbles: true }));
  assert.equal(box("a").value, "1.25");
});

test("a click into the box selects its exact value; a second click places the caret", (t) => {
  const { box, window } = mount(t, ["a"], [1 / 3]);
  const b = box("a");
  const mouse = (/** @type {string} */ type) => b.dispatchEvent(new window.MouseEvent(type, { bubbles: true }));
  mouse("mousedown");
  b.focus();
  b.setSelectionRange(3, 3); // where the click landed, as a browser places it after focus
  mouse("mouseup");
  assert.deepEqual([b.selectionStart, b.selectionEnd], [0, String(1 / 3).length]);
  mouse("mousedown");
  b.setSelectionRange(4, 4);
  mouse("mouseup");
  assert.deepEqual([b.selectionStart, b.selectionEnd], [4, 4], "editing already: the caret stays");
});

const MANY = ["w1", "w2", "W3", "bias", "x1", "x2", "lr", "weight decay", "momentum", "b1", "b2", "eps", "temp"];

test("more than 12 sliders: a filter box narrows the rows by label and says how many match", (t) => {
  const { filter, count, typeIn, press, visible, container, row } = mount(t, MANY);
  const f = /** @type {HTMLInputElement} */ (filter());
  assert.ok(f, "a filter box");
  assert.equal(container.firstElementChild, f.parentElement, "above the rows");
  assert.ok(f.placeholder.includes("filter"));
  assert.equal(f.getAttribute("data-lm-suppress-shortcuts"), "true");
  assert.equal(count(), "13 of 13");
  typeIn(f, "W");
  assert.deepEqual(visible(), ["w1", "w2", "W3", "weight decay"], "case-insensitive substring");
  assert.equal(count(), "4 of 13");
  assert.equal(row("bias").hidden, true);
  typeIn(f, " w  de ");
  assert.deepEqual(visible(), ["weight decay"], "every term must match");
  assert.equal(count(), "1 of 13");
  typeIn(f, "zzz");
  assert.deepEqual(visible(), []);
  assert.equal(count(), "0 of 13");
  typeIn(f, "1");
  press(f, "Escape");
  assert.equal(f.value, "", "Escape clears it");
  assert.deepEqual(visible(), MANY);
  assert.equal(count(), "13 of 13");
});

test("12 sliders or fewer: no filter box", (t) => {
  const { filter, count } = mount(t, MANY.slice(0, 12));
  assert.equal(filter(), null);
  assert.equal(count(), undefined);
});

test("a row the filter hides is not displayed, although a row is a grid", (t) => {
  const { doc, filter, typeIn, row, window } = mount(t, MANY);
  const style = doc.createElement("style");
  style.textContent = readFileSync(new URL("./widget.css", import.meta.url), "utf8");
  doc.head.append(style);
  typeIn(/** @type {HTMLInputElement} */ (filter()), "bias");
  assert.equal(window.getComputedStyle(row("bias")).display, "grid");
  assert.equal(window.getComputedStyle(row("w1")).display, "none");
});

test("onPoint: the row pointed at or focused, null once neither", (t) => {
  const { calls, range, box, row, pointer, outside, doc, container } = mount(t, ["a", "b", "c"]);
  pointer("pointerover", range("b"));
  pointer("pointerover", box("b"), range("b"));
  assert.deepEqual(calls.point, [1], "once per row entered, not per child crossed");
  pointer("pointerout", row("b"), outside);
  assert.deepEqual(calls.point, [1, null]);
  range("a").focus();
  box("a").focus();
  assert.deepEqual(calls.point, [1, null, 0], "focus within a row: one call");
  pointer("pointerover", range("c"));
  assert.deepEqual(calls.point, [1, null, 0, 2]);
  pointer("pointerout", row("c"), doc.body);
  assert.deepEqual(calls.point, [1, null, 0, 2, 0], "the pointer gone, the focused row is the one in use");
  pointer("pointerover", range("c"));
  pointer("pointerover", container, range("c")); // between rows
  assert.deepEqual(calls.point.slice(-2), [2, 0]);
  outside.focus();
  assert.deepEqual(calls.point.at(-1), null, "focus out of the rows");
  assert.equal(calls.point.length, 8);
});

test("mark highlights one row and scrolls nothing", (t) => {
  const { sliders, row, calls } = mount(t, ["a", "b", "c"]);
  /** @type {string[]} */
  const scrolled = [];
  for (const l of ["a", "b", "c"]) row(l).scrollIntoView = () => scrolled.push(l);
  const linked = () => ["a", "b", "c"].filter((l) => row(l).classList.contains("agw-linked"));
  sliders.mark(1);
  assert.deepEqual(linked(), ["b"]);
  sliders.mark(2);
  assert.deepEqual(linked(), ["c"]);
  sliders.mark(99);
  assert.deepEqual(linked(), [], "a node with no slider marks none");
  sliders.mark(0);
  sliders.mark(null);
  assert.deepEqual(linked(), []);
  assert.deepEqual(scrolled, []);
  assert.deepEqual(calls.point, [], "and tells the drawing nothing back");
});

test("focus(id) clears a filter hiding the row and focuses its slider without moving the page", (t) => {
  const { sliders, filter, typeIn, row, range, doc, visible, count, calls } = mount(t, MANY);
  /** @type {any[]} */
  const scrolled = [];
  row("bias").scrollIntoView = (/** @type {any} */ o) => scrolled.push(o);
  typeIn(/** @type {HTMLInputElement} */ (filter()), "w");
  assert.equal(row("bias").hidden, true);
  assert.equal(sliders.focus(MANY.indexOf("bias")), true);
  assert.equal(doc.activeElement, range("bias"));
  assert.deepEqual(scrolled, [], "a tap on the drawing must not pull it from under the pointer");
  assert.equal(filter()?.value, "");
  assert.deepEqual(visible(), MANY);
  assert.equal(count(), "13 of 13");
  assert.deepEqual(calls.point, [MANY.indexOf("bias")]);
  typeIn(/** @type {HTMLInputElement} */ (filter()), "w");
  sliders.focus(0);
  assert.equal(filter()?.value, "w", "a row the filter shows leaves the filter alone");
  assert.equal(sliders.focus(99), false);
});

test("edit(id) focuses the number box with the exact value selected, and sends nothing", (t) => {
  const { sliders, box, doc, calls, outside, row } = mount(t, ["a", "b"], [0.5, 1 / 3]);
  const b = box("b");
  /** @type {any[]} */
  const scrolled = [];
  row("b").scrollIntoView = (/** @type {any} */ o) => scrolled.push(o);
  assert.equal(sliders.edit(1), true);
  assert.deepEqual(scrolled, [{ block: "nearest" }], "typing needs the box in sight");
  assert.equal(doc.activeElement, b);
  assert.equal(b.value, String(1 / 3));
  assert.deepEqual([b.selectionStart, b.selectionEnd], [0, b.value.length]);
  b.value = "0.3";
  sliders.edit(1); // focused already: no focus event, the exact value all the same
  assert.equal(b.value, String(1 / 3));
  assert.deepEqual([b.selectionStart, b.selectionEnd], [0, b.value.length]);
  outside.focus();
  assert.equal(b.value, "0.33333333");
  assert.deepEqual(calls.commit, []);
  assert.equal(sliders.edit(99), false);
});

test("update adds rows for new specs only, after the others; the rows there keep value, edit and focus", (t) => {
  const { sliders, container, box, range, doc, calls, row } = mount(t, ["a", "b"], [0.5, 1, 2, 3]);
  box("a").focus();
  box("a").value = "0.7"; // being typed, not applied yet
  const added = sliders.update([
    { id: 0, label: "a", min: -5, max: 5, step: 0.01 },
    { id: 1, label: "b", min: -5, max: 5, step: 0.01 },
    { id: 3, label: "a longer name", min: 0, max: 4, step: 0.5 },
  ]);
  assert.deepEqual(added, { added: [3], removed: [] });
  assert.equal(doc.activeElement, box("a"), "focus stays");
  assert.equal(box("a").value, "0.7", "and the edit in progress");
  assert.deepEqual(calls.commit, []);
  assert.equal(container.lastElementChild, row("a longer name"), "after the others");
  assert.deepEqual(
    [range("a longer name").min, range("a longer name").max, range("a longer name").step],
    ["0", "4", "0.5"],
  );
  assert.equal(box("a longer name").value, "3", "its leaf's value");
  assert.equal(container.style.getPropertyValue("--agw-label-width"), "13ch", "the label column widens");
  const specs = [0, 1].map((id) => ({ id, label: "ab"[id], min: -5, max: 5, step: 0.01 }));
  const three = [...specs, { id: 3, label: "a longer name", min: 0, max: 4, step: 0.5 }];
  assert.deepEqual(sliders.update(three), { added: [], removed: [] }, "nothing new");
  assert.equal(container.querySelectorAll(".agw-slider").length, 3);
  assert.ok(sliders.has(3) && !sliders.has(2));
});

test("update takes away the rows of leaves no spec names any more; the others keep value, edit and focus", (t) => {
  const { sliders, container, box, doc, row } = mount(t, ["a", "b", "c"], [0.5, 1, 2]);
  box("c").focus();
  box("c").value = "0.7";
  const specs = ["a", "b", "c"].map((label, id) => ({ id, label, min: -5, max: 5, step: 0.01 }));
  assert.deepEqual(sliders.update([specs[0], specs[2]]), { added: [], removed: [1] });
  assert.equal(container.querySelector('input[aria-label="b"]'), null);
  assert.equal(container.querySelectorAll(".agw-slider").length, 2);
  assert.ok(!sliders.has(1) && sliders.has(0) && sliders.has(2));
  assert.equal(doc.activeElement, box("c"), "focus stays");
  assert.equal(box("c").value, "0.7", "and the edit in progress");
  assert.deepEqual(sliders.update(specs), { added: [1], removed: [] }, "a leaf can get a row again");
  assert.equal(container.lastElementChild, row("b"));
});

test("update past 12 rows brings the filter box; a filter typed applies to the rows added", (t) => {
  const { sliders, filter, typeIn, row, count, container } = mount(t, MANY.slice(0, 12), new Array(15).fill(0.5));
  assert.equal(filter(), null);
  const spec = (/** @type {number} */ id, /** @type {string} */ label) => ({ id, label, min: -5, max: 5, step: 0.01 });
  const twelve = MANY.slice(0, 12).map((label, id) => spec(id, label));
  sliders.update([...twelve, spec(12, "temp")]);
  const f = /** @type {HTMLInputElement} */ (filter());
  assert.ok(f, "13 rows: a filter");
  assert.equal(container.firstElementChild, f.parentElement, "above the rows");
  assert.equal(count(), "13 of 13");
  typeIn(f, "w");
  sliders.update([...twelve, spec(12, "temp"), spec(13, "w9"), spec(14, "zeta")]);
  assert.equal(row("w9").hidden, false);
  assert.equal(row("zeta").hidden, true, "hidden, as the filter says");
  assert.equal(count(), "5 of 15");
});
