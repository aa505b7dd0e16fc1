import assert from "node:assert/strict";
import { mock, test } from "node:test";
import { loadState } from "./fixtures/fake-model.js";
import { renderWidget } from "./fixtures/render-widget.js";
import { dataField, gradField } from "./format.js";
import { SEND_MAX_WAIT_MS, SEND_WAIT_MS } from "./widget.js";

test("render shows the drawing, one labelled slider per leaf, and the output marked", (t) => {
  const { el, state, group, slider, box } = renderWidget("neuron");
  t.after(() => el.ownerDocument.defaultView?.close());
  const svg = el.querySelector("svg");
  assert.ok(svg?.querySelector("g.node"));
  assert.equal(el.querySelectorAll('input[type="range"]').length, state.sliders.length);
  for (const s of state.sliders) {
    const r = slider(s.label);
    assert.ok(r, `a slider labelled ${s.label}`);
    assert.equal([r.min, r.max, r.step].map(Number).join(), [s.min, s.max, s.step].join());
    assert.equal(Number(box(s.label).value), state.values[String(s.id)], "the exact value, not the snapped one");
  }
  for (const input of el.querySelectorAll("input, button")) {
    assert.ok(input.hasAttribute("data-lm-suppress-shortcuts"), "JupyterLab shortcuts leave the inputs' keys alone");
  }
  assert.equal(el.querySelectorAll("svg .output").length, 1);
  assert.ok(group("o").classList.contains("output"));
  assert.equal(el.querySelector('[role="status"]')?.textContent, "");
});

test("a slider input re-draws every node in the next animation frame", async () => {
  const { group, drag, model, frame } = renderWidget("neuron");
  drag("x2", 1);
  assert.equal(group("x2").getAttribute("data-value"), "0", "nothing written before the frame");
  await frame();
  const o = Math.tanh(2 * -3 + 1 * 1 + 6.8813735870195432);
  const out = group("o");
  assert.ok(Math.abs(Number(out.getAttribute("data-value")) - o) < 1e-15);
  assert.equal(
    [...out.querySelectorAll("text")].at(-2)?.textContent,
    dataField(Number(out.getAttribute("data-value"))),
  );
  const w2 = group("w2");
  const g = Number(w2.getAttribute("data-grad"));
  assert.ok(Math.abs(g - (1 - o * o)) < 1e-15, `w2 grad ${g}`);
  assert.equal([...w2.querySelectorAll("text")].at(-1)?.textContent, gradField(g));
  assert.equal(group("x2").getAttribute("data-value"), "1");
  assert.equal(model.saved.length, 0, "nothing sent to the kernel during the drag yet");
});

test("inputs faster than frames: each one evaluated, the drawing written once per frame with the last", async () => {
  const { group, drag, frame, slider, fire } = renderWidget("neuron");
  const out = group("o");
  /** @type {string[]} */
  const writes = [];
  const observer = new /** @type {any} */ (out.ownerDocument.defaultView).MutationObserver(() =>
    writes.push(/** @type {string} */ (out.getAttribute("data-value"))),
  );
  observer.observe(out, { attributes: true, attributeFilter: ["data-value"] });
  for (const x of [0.25, 0.5, 0.75, 1]) drag("x2", x);
  await frame();
  observer.disconnect();
  const o = Math.tanh(2 * -3 + 1 * 1 + 6.8813735870195432);
  assert.equal(writes.length, 1, `one write in the frame, got ${writes}`);
  assert.ok(Math.abs(Number(writes[0]) - o) < 1e-15, "with the last input's numbers");
  drag("x2", -1);
  fire(slider("x2"), "change");
  assert.equal(group("x2").getAttribute("data-value"), "-1", "release draws at once, not a frame later");
  assert.ok(Math.abs(Number(out.getAttribute("data-value")) - Math.tanh(-6 - 1 + 6.8813735870195432)) < 1e-15);
});

test("values reach the kernel debounced while dragging and at once on release", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { model, drag, slider, fire, id } = renderWidget("neuron");
  drag("x2", 0.5);
  t.mock.timers.tick(SEND_WAIT_MS - 1);
  drag("x2", 0.75);
  t.mock.timers.tick(SEND_WAIT_MS - 1);
  assert.equal(model.saved.length, 0, "each input restarts the wait");
  t.mock.timers.tick(1);
  assert.equal(model.saved.length, 1);
  assert.equal(model.saved[0].values[String(id("x2"))], 0.75);
  assert.equal(model.saved[0].values[String(id("x1"))], 2, "all leaves, the untouched ones as they are");
  for (let k = 1; k <= 10; k++) {
    drag("x2", k / 10);
    t.mock.timers.tick(SEND_WAIT_MS / 2);
  }
  assert.ok(model.saved.length >= 2, `a long drag still sends every ${SEND_MAX_WAIT_MS} ms`);
  const sent = model.saved.length;
  slider("x2").value = "-0.25";
  fire(slider("x2"), "input");
  fire(slider("x2"), "change");
  assert.equal(model.saved.length, sent + 1, "release sends immediately");
  assert.equal(model.get("values")[String(id("x2"))], -0.25);
  t.mock.timers.tick(SEND_MAX_WAIT_MS);
  assert.equal(model.saved.length, sent + 1, "and nothing is left pending to send again");
});

test("the number box applies an exact value on Enter and widens the range to hold it", () => {
  const { box, slider, group, model, id, type } = renderWidget("neuron");
  type("w1", "12.345678901");
  assert.equal(group("w1").getAttribute("data-value"), "12.345678901");
  assert.equal(model.saved.at(-1)?.values[String(id("w1"))], 12.345678901, "sent at once, exactly");
  const r = slider("w1");
  assert.ok(Number(r.max) > 12.345678901 + 1, `range widened with room: max ${r.max}`);
  assert.equal(box("w1").getAttribute("aria-invalid"), null);
  assert.equal(model.saved.length, 1);
});

test("an op only the kernel knows: pending while dragging, its numbers from kernel_state", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const state = loadState("unknown");
  const c = state.tape.label.indexOf("c");
  // As if the kernel had a rule for "cube" (a newer ops.py than this ops.js).
  state.tape.known[c] = true;
  state.tape.stale_grad = state.tape.stale_grad.map(() => false);
  state.kernel_state.stale_grad = state.tape.stale_grad;
  state.message = "";
  const { model, group, drag, fire, slider, id, el, frame } = renderWidget(state);
  assert.match(el.querySelector('[role="status"]')?.textContent ?? "", /kernel only: cube/);
  drag("a", 3);
  await frame();
  for (const label of ["c", "d", "out"]) {
    assert.ok(group(label).classList.contains("pending"), `${label} waits for the kernel`);
    assert.equal(group(label).classList.contains("stale"), false);
  }
  assert.equal(group("c").getAttribute("data-value"), "8", "the kernel's last number meanwhile");
  fire(slider("a"), "change");
  assert.deepEqual(model.saved.at(-1)?.values, { [String(id("a"))]: 3, [String(id("b"))]: 3 });
  const kernel = (a) => ({
    values: { [String(id("a"))]: a, [String(id("b"))]: 3 },
    data: state.tape.label.map((l) => ({ a, b: 3, bb: 9, c: a ** 3, d: 3 * a ** 3, out: 9 + 3 * a ** 3 })[l]),
    grad: state.tape.label.map((l) => ({ a: 9 * a * a, b: a ** 3 + 6, bb: 1, c: 3, d: 1, out: 1 })[l]),
    stale_data: state.tape.label.map(() => false),
    stale_grad: state.tape.stale_grad,
  });
  model.kernelSets("kernel_state", kernel(2.5));
  assert.equal(group("c").getAttribute("data-value"), "8", "numbers for other leaf values are not taken");
  model.kernelSets("kernel_state", kernel(3));
  assert.equal(group("c").getAttribute("data-value"), "27");
  assert.equal(group("out").getAttribute("data-value"), "90");
  assert.equal(group("a").getAttribute("data-grad"), "81");
  for (const label of ["c", "d", "out", "a"]) assert.equal(group(label).classList.contains("pending"), false, label);
});

test("the message shows in a status line, and follows the trait", () => {
  const { el, model } = renderWidget("unknown");
  const status = /** @type {Element} */ (el.querySelector('[role="status"]'));
  assert.equal(status.textContent, model.get("message"));
  model.kernelSets("message", "something else");
  assert.equal(status.textContent, "something else");
});

test("values set by the kernel move the slider and re-draw", () => {
  const { model, slider, box, group, id } = renderWidget("neuron");
  model.kernelSets("values", { ...model.get("values"), [String(id("x2"))]: 2.0000000001 });
  assert.equal(box("x2").value, "2.0000000001");
  assert.ok(Math.abs(Number(slider("x2").value) - 2) < 0.01, "the range shows it (a browser snaps it to its step)");
  assert.equal(group("x2").getAttribute("data-value"), "2.0000000001");
  assert.equal(model.saved.length, 0, "nothing echoed back");
});

test("a late echo of values we sent does not pull the slider back mid-drag", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const { model, drag, box, group, id, fire, slider, frame } = renderWidget("neuron");
  drag("x2", 0.5);
  t.mock.timers.tick(SEND_WAIT_MS);
  drag("x2", 0.7);
  t.mock.timers.tick(SEND_WAIT_MS);
  assert.equal(model.saved.length, 2);
  drag("x2", 0.9);
  model.kernelSets("values", structuredClone(model.saved[0].values)); // the echo of 0.5 arrives late
  await frame();
  assert.equal(box("x2").value, "0.9");
  assert.equal(group("x2").getAttribute("data-value"), "0.9");
  t.mock.timers.tick(SEND_WAIT_MS);
  assert.equal(model.saved.at(-1)?.values[String(id("x2"))], 0.9, "and 0.9 still goes out");
  fire(slider("x2"), "change"); // released: now the kernel may set any value, an old one too
  model.kernelSets("values", structuredClone(model.saved[0].values));
  assert.equal(box("x2").value, "0.5");
});

test("cleanup removes every listener and the view", () => {
  const { model, el, cleanup } = renderWidget("neuron");
  assert.ok(model.listenerCount > 0);
  /** @type {() => void} */ (cleanup)();
  assert.equal(model.listenerCount, 0);
  assert.equal(el.children.length, 0);
});
