import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape } from "./fixtures/build-tape.js";
import { newWindow } from "./fixtures/dom.js";
import { encodeState, encodeTape, idOf } from "./fixtures/encode-tape.js";
import { loadState } from "./fixtures/fake-model.js";
import { fmt } from "./format.js";
import { gradScope, mountNudge, readRate, RESET_DONE } from "./nudge.js";

const B = 6.8813735870195432;

/**
 * The nudge widget over a real Evaluator and a fake ctx whose moveLeaves sets the leaves
 * (ev.setLeaves) and records every call.
 * @param {{tape?: any, state?: any, sliders?: string[], drawn?: string[]}} [o]
 *   tape: a wire tape (default: the neuron fixture's); sliders: labels of the leaves with a
 *   slider (default: the fixture's sliders); drawn: labels of the nodes drawn (default: all)
 */
function setUp({ tape, state, sliders, drawn } = {}) {
  const fixture = tape ? null : loadState("neuron");
  const t = tape ?? fixture?.tape;
  const window = newWindow();
  const doc = window.document;
  const parent = doc.createElement("div");
  doc.body.append(parent);
  const ev = new Evaluator(t);
  const ks = state ?? fixture?.kernel_state;
  if (ks) assert.ok(ev.load(ks));
  const id = (/** @type {string} */ label) => {
    const i = idOf(t, label);
    assert.ok(i >= 0, `no node labelled ${label}`);
    return i;
  };
  // Only what is drawn gets its grads on a move: the slider leaves' grads go stale unless drawn.
  if (drawn) ev.watch(drawn.map(id));
  // no tape given: the fixture's, and its sliders
  let leaves = sliders
    ? sliders.map(id)
    : /** @type {Record<string, any>} */ (fixture).sliders.map((/** @type {any} */ s) => s.id);
  /** @type {Map<number, number>[]} */
  const calls = [];
  /** @type {number[][]} */
  const watched = [];
  const ctx = {
    parent,
    ev,
    canvas: () => null,
    leaves: () => leaves,
    moveLeaves(/** @type {Map<number, number>} */ values) {
      calls.push(new Map(values));
      ev.setLeaves(Object.fromEntries(values));
    },
    requestPatch() {},
    watch: (/** @type {number[]} */ ids) => watched.push(ids),
    labelOf: (/** @type {number} */ i) => ev.labelOf(i) || `node ${i}`,
  };
  const widget = mountNudge(ctx);
  /** The control a label element names. @param {string} name */
  const labelled = (name) => {
    const label = [...parent.querySelectorAll("label")].find((l) => l.textContent === name);
    assert.ok(label, `a <label> "${name}"`);
    const control = doc.getElementById(/** @type {string} */ (label.getAttribute("for")));
    assert.ok(control && parent.contains(control), `the label "${name}" is tied to a control`);
    return /** @type {any} */ (control);
  };
  /** @param {string} name */
  const button = (name) => {
    const b = [...parent.querySelectorAll("button")].find((x) => x.textContent === name);
    assert.ok(b, `a button "${name}"`);
    return /** @type {HTMLButtonElement} */ (b);
  };
  const rate = /** @type {HTMLInputElement} */ (labelled("Learning rate"));
  const direction = /** @type {HTMLSelectElement} */ (labelled("Direction"));
  const setRate = (/** @type {string} */ text) => {
    rate.value = text;
    rate.dispatchEvent(new window.Event("input", { bubbles: true }));
  };
  const setDirection = (/** @type {string} */ text) => {
    const option = [...direction.options].find((o) => o.textContent === text);
    assert.ok(option, `a direction "${text}"`);
    direction.value = option.value;
    direction.dispatchEvent(new window.Event("change", { bubbles: true }));
  };
  const step = () => button("Step").click();
  const status = () => {
    const s = parent.querySelector('[role="status"], [aria-live="polite"]');
    assert.ok(s, "a live status line");
    return s.textContent;
  };
  const setLeaves = (/** @type {number[]} */ ids) => (leaves = ids);
  return { window, parent, ev, id, calls, watched, widget, rate, direction, setRate, setDirection, step, button, status, setLeaves };
}

/**
 * The neuron's hand grads at a point: d = 1 - o², x1 ← w1·d, w1 ← x1·d, x2 ← w2·d, w2 ← x2·d, b ← d.
 * @param {Record<string, number>} point @returns {{o: number, grads: Record<string, number>}}
 */
function handGrads({ x1, w1, x2, w2, b }) {
  const o = Math.tanh(x1 * w1 + x2 * w2 + b);
  const d = 1 - o * o;
  return { o, grads: { x1: w1 * d, w1: x1 * d, x2: w2 * d, w2: x2 * d, b: d } };
}

const LEAVES = ["x1", "w1", "x2", "w2", "b"];
// a: a moved leaf's value, undefined if it did not move, which is near nothing (NaN)
const near = (/** @type {number | undefined} */ a, /** @type {number} */ b, tol = 1e-12) =>
  Math.abs(/** @type {number} */ (a) - b) <= tol;

test("the controls: named as the lesson reads them, the learning rate 0.01 and ascent to begin with", () => {
  const { rate, direction, button, parent } = setUp();
  assert.equal(rate.type, "number");
  assert.equal(rate.value, "0.01");
  assert.equal(rate.getAttribute("aria-invalid"), null);
  assert.deepEqual(
    [...direction.options].map((o) => o.textContent),
    ["up (ascent: +lr·grad)", "down (descent: \u2212lr·grad)"],
  );
  assert.equal(direction.selectedOptions[0].textContent, "up (ascent: +lr·grad)");
  assert.equal(button("Step").type, "button");
  assert.equal(button("Reset").type, "button");
  assert.equal(parent.querySelectorAll('[role="status"]').length, 1);
});

test("ascent with lr 0.05: every slider leaf moves by +lr·grad, in one moveLeaves call", () => {
  const { ev, id, calls, setRate, step, status } = setUp();
  setRate("0.05");
  const grad0 = new Map(LEAVES.map((l) => [id(l), ev.grad[id(l)]]));
  const o0 = ev.data[id("o")];
  step();
  assert.equal(calls.length, 1, "one move per press");
  const moved = calls[0];
  assert.deepEqual([...moved.keys()].sort(), LEAVES.map(id).sort(), "every slider leaf, w2 (grad 0) too");
  // The lecture's numbers, by hand.
  /** @type {Record<string, number>} */
  const want = { x1: 2 + 0.05 * -1.5, w1: -3 + 0.05 * 1, x2: 0 + 0.05 * 0.5, w2: 1 + 0.05 * 0, b: B + 0.05 * 0.5 };
  assert.ok(near(want.x1, 1.925) && near(want.w1, -2.95) && near(want.x2, 0.025));
  for (const l of LEAVES) {
    assert.ok(near(moved.get(id(l)), want[l]), `${l}: ${moved.get(id(l))} ≈ ${want[l]}`);
    assert.equal(ev.data[id(l)], moved.get(id(l)), `${l} set in the evaluator`);
  }
  // Exactly x + lr·grad from the grads before the step.
  /** @type {Record<string, number>} */
  const start = { x1: 2, w1: -3, x2: 0, w2: 1, b: 6.881373587019543 };
  for (const l of LEAVES) assert.equal(moved.get(id(l)), start[l] + 0.05 * /** @type {number} */ (grad0.get(id(l))));
  assert.equal(moved.get(id("w2")), 1);
  const o1 = ev.data[id("o")];
  assert.ok(o1 > o0, `o went up: ${o0} → ${o1}`);
  assert.ok(near(o1, handGrads(want).o));
  assert.equal(status(), `o: ${fmt(o0)} → ${fmt(o1)}`);
  assert.equal(status(), "o: 0.7071 → " + fmt(o1));
});

test("three presses with only o drawn: each step uses the grads at the new point, o climbs every time", () => {
  // Only o is drawn: a move recomputes the grads of o alone, the leaves' stay the kernel's.
  const { ev, id, calls, setRate, step } = setUp({ drawn: ["o"] });
  setRate("0.05");
  const os = [ev.data[id("o")]];
  for (let k = 0; k < 3; k++) {
    const at = Object.fromEntries(LEAVES.map((l) => [l, ev.data[id(l)]]));
    const { grads } = handGrads(at);
    step();
    const moved = calls[k];
    for (const l of LEAVES) {
      const want = at[l] + 0.05 * grads[l];
      assert.ok(near(moved.get(id(l)), want), `press ${k + 1}, ${l}: ${moved.get(id(l))} ≈ ${want}`);
    }
    os.push(ev.data[id("o")]);
    assert.ok(os[k + 1] > os[k], `press ${k + 1}: o ${os[k]} → ${os[k + 1]}`);
  }
  assert.equal(calls.length, 3);
});

test("ten presses: the output climbs each time", () => {
  const { ev, id, calls, step } = setUp({ drawn: ["o"] });
  let o = ev.data[id("o")];
  for (let k = 0; k < 10; k++) {
    step();
    assert.ok(ev.data[id("o")] > o, `press ${k + 1}`);
    o = ev.data[id("o")];
  }
  assert.equal(calls.length, 10);
});

test("descent moves every leaf the other way, and o goes down", () => {
  const { ev, id, calls, setRate, setDirection, step, status } = setUp();
  setRate("0.05");
  setDirection("down (descent: \u2212lr·grad)");
  const o0 = ev.data[id("o")];
  step();
  const moved = calls[0];
  /** @type {Record<string, number>} */
  const want = { x1: 2 - 0.05 * -1.5, w1: -3 - 0.05 * 1, x2: 0 - 0.05 * 0.5, w2: 1, b: B - 0.05 * 0.5 };
  for (const l of LEAVES) assert.ok(near(moved.get(id(l)), want[l]), `${l}: ${moved.get(id(l))} ≈ ${want[l]}`);
  assert.ok(near(moved.get(id("x1")), 2.075));
  const o1 = ev.data[id("o")];
  assert.ok(o1 < o0, `o went down: ${o0} → ${o1}`);
  assert.equal(status(), `o: 0.7071 → ${fmt(o1)}`);
  step();
  assert.ok(ev.data[id("o")] < o1, "and again");
});

test("Reset: one move back to the values shown first, exactly", () => {
  const { ev, id, calls, setRate, step, button, status } = setUp({ drawn: ["o"] });
  setRate("0.1");
  step();
  step();
  step();
  assert.notEqual(ev.data[id("x1")], 2);
  button("Reset").click();
  assert.equal(calls.length, 4, "one move for the reset");
  const back = calls[3];
  assert.deepEqual(
    LEAVES.map((l) => back.get(id(l))),
    [2, -3, 0, 1, 6.881373587019543],
  );
  assert.deepEqual(
    LEAVES.map((l) => ev.data[id(l)]),
    [2, -3, 0, 1, 6.881373587019543],
  );
  assert.ok(near(ev.data[id("o")], Math.SQRT1_2, 1e-15));
  assert.equal(status(), RESET_DONE);
  assert.equal(status(), "Reset to the values shown first");
});

test("a leaf that gets its slider later is reset to the value it had when it first appeared", () => {
  const { ev, id, calls, widget, setLeaves, step, button } = setUp({ sliders: ["x1", "w1"] });
  step();
  assert.deepEqual([...calls[0].keys()].sort(), [id("x1"), id("w1")].sort(), "only the leaves with a slider");
  ev.setLeaves({ [id("x2")]: 0.7 }); // the kernel moved x2 before it had a slider
  setLeaves([id("x1"), id("w1"), id("x2")]);
  widget.update();
  step();
  assert.notEqual(ev.data[id("x2")], 0.7, "stepped");
  setLeaves([id("x1"), id("w1"), id("x2"), id("b")]); // b appears, and is first seen at a press
  button("Reset").click();
  const back = /** @type {Map<number, number>} */ (calls.at(-1));
  assert.equal(back.get(id("x1")), 2);
  assert.equal(back.get(id("w1")), -3);
  assert.equal(back.get(id("x2")), 0.7, "x2 as it was when its slider came, not the tape's 0");
  assert.equal(back.get(id("b")), 6.881373587019543);
  assert.equal(back.size, 4);
});

test("an invalid learning rate: marked invalid, Step moves nothing and says why", () => {
  const { calls, rate, setRate, step, status } = setUp();
  for (const [text, why] of /** @type {[string, RegExp][]} */ ([
    ["", /enter a learning rate/i],
    ["0", /greater than 0/],
    ["-0.1", /greater than 0/],
  ])) {
    setRate(text);
    assert.equal(rate.getAttribute("aria-invalid"), "true", JSON.stringify(text));
    step();
    assert.equal(calls.length, 0, `${JSON.stringify(text)}: nothing moved`);
    assert.match(status(), why);
    assert.match(status(), /nothing moved/);
  }
  setRate("1e400"); // a valid number's syntax, but Infinity
  step();
  assert.equal(calls.length, 0);
  assert.equal(rate.getAttribute("aria-invalid"), "true");
  assert.match(status(), rate.value ? /must be finite/ : /enter a learning rate/i);
  setRate("0.2");
  assert.equal(rate.getAttribute("aria-invalid"), null, "valid again");
  step();
  assert.equal(calls.length, 1);
});

test("readRate: the number or why not", () => {
  assert.deepEqual(readRate(" 0.5 "), { lr: 0.5 });
  assert.deepEqual(readRate("1e-3"), { lr: 0.001 });
  for (const [text, why] of /** @type {[string, RegExp][]} */ ([
    ["", /enter/i],
    ["abc", /not a number/],
    ["NaN", /not a number/],
    ["Infinity", /finite/],
    ["-Infinity", /finite/],
    ["1e400", /finite/],
    ["0", /greater than 0/],
    ["-2", /greater than 0/],
  ])) {
    const r = readRate(text);
    assert.ok("error" in r, text);
    assert.match(r.error, why, text);
  }
});

/**
 * o = tanh(x1*w1 + c*w2**0.5) at w2 = 0: d(w2**0.5)/dw2 is inf there, so w2's grad is
 * c·inf: NaN for c = 0, inf for c = 1. Ids: x1 0, w1 1, w2 2, c 3.
 * @param {number} c
 */
function rootAtZero(c) {
  const columns = buildTape([
    { label: "x1", data: 0.5 },
    { label: "w1", data: -0.4 },
    { label: "w2", data: 0 },
    { label: "c", data: c },
    { label: "r", op: "**k", arg: 0.5, parents: [2] },
    { label: "cr", op: "*", parents: [3, 4] },
    { label: "s", op: "*", parents: [0, 1] },
    { label: "t", op: "+", parents: [6, 5] },
    { label: "o", op: "tanh", parents: [7] },
  ]);
  const tape = encodeTape(columns);
  // the kernel's grads, from a full pass: stale for the slider leaves once only o is drawn
  const full = new Evaluator(tape).run(true);
  const state = encodeState({
    data: [...full.data],
    grad: [...full.grad],
    stale_data: [...full.staleData],
    stale_grad: [...full.staleGrad],
  });
  return { tape, state };
}

test("a leaf whose grad is NaN is not moved, and the status says so; the others are", () => {
  const { tape, state } = rootAtZero(0);
  const { ev, id, calls, setRate, step, status } = setUp({ tape, state, sliders: ["x1", "w1", "w2", "c"], drawn: ["o"] });
  setRate("0.5");
  const o0 = ev.data[id("o")];
  step();
  assert.ok(Number.isNaN(ev.grad[id("w2")]), "w2's grad: 0·inf");
  const moved = calls[0];
  assert.equal(moved.has(id("w2")), false, "w2 not moved");
  assert.deepEqual([...moved.keys()].sort(), [id("x1"), id("w1"), id("c")].sort());
  const d = 1 - Math.tanh(0.5 * -0.4) ** 2;
  assert.ok(near(moved.get(id("x1")), 0.5 + 0.5 * -0.4 * d));
  assert.ok(near(moved.get(id("w1")), -0.4 + 0.5 * 0.5 * d));
  assert.equal(moved.get(id("c")), 0, "c's grad is r = 0");
  assert.equal(ev.data[id("w2")], 0);
  assert.equal(status(), `o: ${fmt(o0)} → ${fmt(ev.data[id("o")])}; w2 not moved: its grad is NaN`);
});

test("an infinite grad: not moved either", () => {
  const { tape, state } = rootAtZero(1);
  const { ev, id, calls, step, status } = setUp({ tape, state, sliders: ["w2", "x1"] });
  step();
  assert.equal(ev.grad[id("w2")], Infinity);
  assert.deepEqual([...calls[0].keys()], [id("x1")]);
  assert.match(status(), /; w2 not moved: its grad is Infinity$/);
});

test("a step that would overflow a leaf leaves it where it is", () => {
  const tape = encodeTape(
    buildTape([
      { label: "x", data: 1 },
      { label: "k", data: 4 },
      { label: "y", op: "*", parents: [0, 1] },
    ]),
  );
  const { ev, id, calls, setRate, step, status } = setUp({ tape, sliders: ["x", "k"] });
  ev.run(true);
  setRate("1e308"); // x + 1e308·4 is inf; k + 1e308·1 is not
  step();
  assert.deepEqual([...calls[0].keys()], [id("k")]);
  assert.equal(calls[0].get(id("k")), 4 + 1e308);
  assert.equal(ev.data[id("x")], 1);
  assert.match(status(), /; x not moved: its new value would be inf$/);
});

test("Enter in the learning rate box steps", () => {
  const { window, rate, calls } = setUp();
  rate.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  assert.equal(calls.length, 1);
  rate.dispatchEvent(new window.KeyboardEvent("keydown", { key: "a", bubbles: true }));
  assert.equal(calls.length, 1, "other keys type");
});

test("no leaf with a slider: nothing to step, nothing sent", () => {
  const { calls, setLeaves, step, status } = setUp();
  setLeaves([]);
  step();
  assert.equal(calls.length, 0);
  assert.match(status(), /no leaf has a slider/i);
});

test("gradScope: the leaves, all they feed and the root; the widget's watch is left alone", () => {
  const { ev, id, watched, step } = setUp({ drawn: ["o"] });
  const { order, inScope } = gradScope(ev, [id("x2")]);
  const want = ["x2", "x2*w2", "x1*w1 + x2*w2", "n", "o"].map(id).sort((a, b) => a - b);
  assert.deepEqual([...order], want);
  assert.deepEqual(
    [...inScope].flatMap((f, i) => (f ? [i] : [])),
    want,
  );
  assert.deepEqual([...gradScope(ev, []).order], [id("o")], "the root always: backward starts there");
  const scoped = [...ev.order];
  step();
  assert.deepEqual([...ev.order], scoped, "the evaluator still watches what the widget asked for");
  assert.equal(watched.length, 0);
});

test("destroy takes the controls away", () => {
  const { parent, widget } = setUp();
  assert.ok(parent.querySelector("button"));
  widget.destroy();
  assert.equal(parent.children.length, 0);
});
