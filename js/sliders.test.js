import assert from "node:assert/strict";
import { test } from "node:test";
import { mount } from "./fixtures/sliders-page.js";
import { widgetCss } from "./fixtures/styles.js";

// The slider rows: the filter over many, pointing and marking, focus and edit from outside,
// and rows added or taken away as the specs change. The number box: sliders-number.test.js.

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
  style.textContent = widgetCss();
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
