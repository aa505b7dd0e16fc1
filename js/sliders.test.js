import assert from "node:assert/strict";
import { test } from "node:test";
import { renderWidget } from "./fixtures/render-widget.js";
import { boxText, NOT_A_NUMBER, parseNumber, widen } from "./sliders.js";

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
  t.mock.timers.enable({ apis: ["setTimeout"] }); // no lost clock left running after the test
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
  t.mock.timers.enable({ apis: ["setTimeout"] }); // no lost clock left running after the test
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
