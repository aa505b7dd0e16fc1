import assert from "node:assert/strict";
import { test } from "node:test";
import { renderWidget } from "./fixtures/render-widget.js";
import { mount } from "./fixtures/sliders-page.js";
import { boxText, compactText, NOT_A_NUMBER, parseNumber } from "./number-text.js";
import { widen } from "./sliders.js";

// The number box beside each slider: what it reads (Python's float() spellings), what it
// shows at rest and while edited, and what it sends.

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
