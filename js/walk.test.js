import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape } from "./fixtures/build-tape.js";
import { newWindow } from "./fixtures/dom.js";
import { encodeState, encodeTape, idOf } from "./fixtures/encode-tape.js";
import { loadColumns, loadState } from "./fixtures/fake-model.js";
import { gradField } from "./format.js";
import { OP_LIST } from "./ops.js";
import { parseSvg } from "./svg.js";
import {
  backwardSteps,
  chainLine,
  changedSince,
  drawnRecords,
  gradTexts,
  keepGrads,
  localFormula,
  partial,
  sameNodes,
  snapshot,
  writeGrad,
} from "./walk.js";

/** @param {number} got @param {number} want @param {string} msg */
const near = (got, want, msg) =>
  assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${msg}: ${got} vs ${want}`);

/**
 * The widget fixture's neuron, its numbers the kernel's.
 * Ids: x1 0, w1 1, x1*w1 2, x2 3, w2 4, x2*w2 5, sum 6, b 7, n 8, o 9.
 */
function neuron() {
  const state = loadState("neuron");
  const ev = new Evaluator(state.tape);
  ev.load(state.kernel_state);
  const labelOf = (/** @type {number} */ id) => ev.labelOf(id) || `node ${id}`;
  return { state, ev, labelOf, id: (/** @type {string} */ label) => idOf(state.tape, label) };
}

const every = (/** @type {Evaluator} */ ev) => Array.from({ length: ev.n }, (_, i) => i);

test("the neuron's walk: descending id, root first, the lecture's numbers by hand", () => {
  const { ev, labelOf, id } = neuron();
  const steps = backwardSteps(ev, every(ev));
  assert.deepEqual(
    steps.map((s) => labelOf(s.id)),
    ["o", "n", "b", "x1*w1 + x2*w2", "x2*w2", "w2", "x2", "x1*w1", "w1", "x1"],
  );
  assert.deepEqual(
    steps.map((s) => s.id),
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
  );
  const o = Math.tanh(2 * -3 + 0 * 1 + 6.8813735870195432);
  /** @type {Record<string, number>} */
  const want = { o: 1, n: 1 - o * o, b: 0.5, "x1*w1 + x2*w2": 0.5, "x2*w2": 0.5 };
  Object.assign(want, { w2: 0, x2: 0.5, "x1*w1": 0.5, w1: 1, x1: -1.5 });
  for (const s of steps) near(s.grad, want[labelOf(s.id)], labelOf(s.id));
  near(steps[1].grad, 0.5, "n = 1 · (1 - o²) = 0.5");
  assert.deepEqual(steps[0], { id: 9, grad: 1, terms: [], root: true });
  const x1 = /** @type {import("./walk.js").Step} */ (steps.find((s) => s.id === id("x1")));
  assert.equal(x1.terms.length, 1);
  const [t] = x1.terms;
  assert.equal(t.consumer, id("x1*w1"));
  near(t.consumerGrad, 0.5, "grad(x1*w1)");
  assert.equal(t.local, -3, "∂(x1*w1)/∂x1 = w1");
  near(t.product, -1.5, "0.5 · -3");
  assert.deepEqual([t.op, t.slot, t.inputs, t.arg], ["*", 0, [id("x1"), id("w1")], 0]);
  const w2 = /** @type {import("./walk.js").Step} */ (steps.find((s) => s.id === id("w2")));
  assert.equal(w2.grad, 0, "w2 = 0.5 · x2 = 0");
  assert.deepEqual([w2.terms[0].local, w2.terms[0].slot], [0, 1], "w2 is x2*w2's second input; the local is x2");
  const n = steps[1];
  assert.deepEqual([n.terms[0].consumer, n.terms[0].consumerGrad, n.terms[0].op], [9, 1, "tanh"]);
  for (const s of steps) assert.equal(s.unknown, undefined, `${labelOf(s.id)} is worked out by the rule`);
});

test("the walk's grads are the evaluator's backward pass, to 1e-12", () => {
  const { ev } = neuron();
  ev.setLeaf(3, 0.37).setLeaf(1, 1.25); // x2, w1: every grad nonzero
  const steps = backwardSteps(ev, every(ev));
  ev.run(true);
  for (const s of steps) near(s.grad, ev.grad[s.id], `node ${s.id}`);
  assert.ok(steps.every((s) => s.grad !== 0));
});

test("a node used twice counts twice: a + a, and a*a + a", () => {
  const twice = new Evaluator(encodeTape(buildTape([{ label: "a", data: 3 }, { op: "+", parents: [0, 0] }]))).run();
  const [root, a] = backwardSteps(twice, [0, 1]);
  assert.equal(root.id, 1);
  assert.equal(a.grad, 2);
  assert.deepEqual(
    a.terms.map((t) => [t.consumer, t.slot, t.local, t.product]),
    [
      [1, 0, 1, 1],
      [1, 1, 1, 1],
    ],
  );
  const sq = new Evaluator(
    encodeTape(
      buildTape([
        { label: "a", data: 3 },
        { op: "*", parents: [0, 0] },
        { op: "+", parents: [1, 0] },
      ]),
    ),
  );
  sq.setLeaf(0, -2);
  const steps = backwardSteps(sq, [0, 1, 2]);
  const last = steps[2];
  assert.equal(last.grad, -3, "2a + 1 at a = -2");
  assert.equal(last.grad, sq.grad[0]);
  // The consumers in walk order: node 2 first (as a's second input), then node 1 twice.
  assert.deepEqual(
    last.terms.map((t) => [t.consumer, t.slot, t.local]),
    [
      [2, 1, 1],
      [1, 0, -2],
      [1, 1, -2],
    ],
  );
  const labelOf = (/** @type {number} */ id) => sq.labelOf(id) || `node ${id}`;
  assert.equal(
    chainLine(last, labelOf),
    "a: grad = grad(node 2) × ∂(node 2)/∂a + grad(node 1) × ∂(node 1)/∂a + grad(node 1) × ∂(node 1)/∂a" +
      " = 1.000 × 1.000 + 1.000 × -2.000 + 1.000 × -2.000 = 1.000 + -2.000 + -2.000 = -3.000",
  );
});

test("consumers that are not walked (inside a closed box) still count", () => {
  const { ev, labelOf } = neuron();
  const steps = backwardSteps(ev, [0, 9, 1, 9]); // x1, w1 and o drawn; the rest hidden
  assert.deepEqual(
    steps.map((s) => labelOf(s.id)),
    ["o", "w1", "x1"],
  );
  near(steps[2].grad, -1.5, "x1");
  near(steps[1].grad, 1, "w1");
  assert.equal(steps[2].terms[0].consumer, 2, "x1*w1, not drawn, is x1's consumer");
  near(steps[2].terms[0].consumerGrad, 0.5, "its grad, found by the walk all the same");
  assert.deepEqual(backwardSteps(ev, []), []);
  assert.deepEqual(
    backwardSteps(ev, [-1, 42, 9]).map((s) => s.id),
    [9],
    "ids outside the tape are no nodes",
  );
});

test("a grad through an op with no rule: unknown, the evaluator's number, said why", () => {
  const columns = buildTape([
    { label: "a", data: 2 },
    { label: "b", data: 3 },
    { label: "c", op: "cube", parents: [0], data: 8 },
    { label: "bb", op: "*", parents: [1, 1] },
    { label: "out", op: "+", parents: [2, 3] },
  ]);
  columns.grad = [42, 0, 0, 0, 0];
  const ev = new Evaluator(encodeTape(columns)).run();
  const steps = backwardSteps(ev, every(ev));
  const by = Object.fromEntries(steps.map((s) => [ev.labelOf(s.id), s]));
  assert.deepEqual(by.a, { id: 0, grad: 42, terms: [], unknown: true }, "the kernel's grad, kept");
  assert.equal(by.c.grad, 1, "c's own grad flows from out, whose op has a rule");
  assert.equal(by.c.unknown, undefined);
  assert.equal(by.b.grad, 6, "2b through bb = b*b");
  for (const s of steps) near(s.grad, ev.grad[s.id], ev.labelOf(s.id));
  assert.equal(
    chainLine(by.a, (id) => ev.labelOf(id)),
    "a: grad = 42.00, the kernel's number: it flows through an op with no rule, so the chain rule cannot be worked out here",
  );
});

test("a grad the kernel marked stale is not worked out either: the kernel's number stays", () => {
  const state = loadColumns("neuron");
  const ks = state.kernel_state;
  const ev = new Evaluator(encodeTape(state.tape));
  const grad = /** @type {number[]} */ (ks.grad).map((g, i) => (i === 1 ? 7 : g));
  ev.load(encodeState({ ...ks, grad, stale_grad: /** @type {boolean[]} */ (ks.stale_grad).map((f, i) => i === 1) }));
  const steps = backwardSteps(ev, every(ev));
  assert.deepEqual(steps[8], { id: 1, grad: 7, terms: [], unknown: true }, "w1: stale, as the kernel said");
  near(steps[9].grad, -1.5, "x1, next to it, is worked out");
});

test("the chain rule in words, as the lecture writes it", () => {
  const { ev, labelOf } = neuron();
  const steps = backwardSteps(ev, every(ev));
  /** @param {string} label */
  const line = (label) => chainLine(/** @type {any} */ (steps.find((s) => labelOf(s.id) === label)), labelOf);
  assert.equal(line("o"), "o: grad = 1, the output's own grad (d o / d o)");
  assert.equal(line("n"), "n: grad = grad(o) × ∂o/∂n = 1.000 × 0.5000 = 0.5000");
  assert.equal(line("x1"), "x1: grad = grad(x1*w1) × ∂(x1*w1)/∂x1 = 0.5000 × -3.000 = -1.500");
  assert.equal(
    line("x1*w1"),
    "x1*w1: grad = grad(x1*w1 + x2*w2) × ∂(x1*w1 + x2*w2)/∂(x1*w1) = 0.5000 × 1.000 = 0.5000",
  );
  assert.equal(partial("node 7", "a"), "∂(node 7)/∂a");
  const lonely = { id: 3, grad: 0, terms: [] };
  assert.equal(chainLine(lonely, labelOf), "x2: grad = 0: nothing downstream uses it");
});

test("local derivatives as formulas in the inputs' labels: ops.js's, as the tooltip writes them", () => {
  const labels = ["x", "y", "o", "node 3"];
  const labelOf = (/** @type {number} */ id) => labels[id];
  /** @param {string} op @param {number} slot */
  const t = (op, slot, inputs = [0, 1], arg = 0) =>
    localFormula({ consumer: 2, consumerGrad: 1, local: 0, product: 0, op, slot, inputs, arg }, labelOf);
  assert.deepEqual(
    [t("*", 0), t("*", 1), t("+", 1), t("-", 1), t("/", 0), t("/", 1)],
    ["y", "x", "1", "−1", "1/y", "−o/y"],
  );
  assert.deepEqual(
    [t("tanh", 0, [0]), t("exp", 0, [0]), t("log", 0, [0]), t("sigmoid", 0, [0]), t("neg", 0, [0])],
    ["1 − o²", "o", "1/x", "o·(1 − o)", "−1"],
  );
  assert.deepEqual([t("**k", 0, [0], 2), t("**k", 0, [3], -1), t("**k", 0, [0], 0.5)], [
    "2·x^(2−1)",
    "-1·(node 3)^(-1−1)",
    "0.5·x^(0.5−1)",
  ]);
  assert.deepEqual([t("**", 0), t("**", 1), t("relu", 0, [0])], ["y·x^(y−1)", "o·ln x", "1 if o > 0 else 0"]);
  assert.equal(t("mystery", 0, [0]), "", "an op with no rule: no formula");
  assert.equal(t("constructor", 0, [0]), "", "nor a name an object happens to have");
});

test("every op's formula is ops.js's own: no table of its own to drift", () => {
  const labels = ["a", "b", "out"];
  const labelOf = (/** @type {number} */ id) => labels[id];
  for (const op of OP_LIST) {
    op.formula.forEach((formula, slot) => {
      const inputs = op.arity === 2 ? [0, 1] : [0];
      const arg = op.param ? 3 : 0;
      const t = { consumer: 2, consumerGrad: 1, local: 0, product: 0, op: op.name, slot, inputs, arg };
      assert.equal(localFormula(t, labelOf), formula("out", "a", op.param ? "3" : op.arity === 2 ? "b" : ""), op.name);
    });
  }
});

test("snapshot: the numbers a walk reads, and only those, tell whether it still holds", () => {
  const { ev, id } = neuron();
  const steps = backwardSteps(ev, [id("x1"), id("o")]);
  const was = snapshot(ev, steps);
  const ids = [...was.ids].sort((a, b) => a - b);
  // o and x1 walked; o's parent n; x1's consumer x1*w1 and its inputs x1, w1
  assert.deepEqual(ids, [id("x1"), id("w1"), id("x1*w1"), id("n"), id("o")].sort((a, b) => a - b));
  assert.equal(changedSince(ev, was), false);
  ev.setLeaf(id("x2"), 1); // not read directly, but it moves o
  assert.equal(changedSince(ev, was), true);
  const now = snapshot(ev, backwardSteps(ev, [id("x1"), id("o")]));
  assert.equal(changedSince(ev, now), false);
  ev.staleGrad[id("x1*w1")] = 1;
  assert.equal(changedSince(ev, now), true, "a stale flag counts");
});

test("snapshot: a step that took the kernel's grad is stale when that grad changes", () => {
  const columns = buildTape([
    { label: "a", data: 2 },
    { label: "c", op: "cube", parents: [0], data: 8 },
    { label: "out", op: "+", parents: [1, 1] },
  ]);
  columns.grad = [42, 2, 1];
  const ev = new Evaluator(encodeTape(columns));
  const steps = backwardSteps(ev, every(ev));
  assert.equal(steps[2].unknown, true);
  const was = snapshot(ev, steps);
  assert.equal(changedSince(ev, was), false);
  ev.grad[0] = 43;
  assert.equal(changedSince(ev, was), true);
});

test("writeGrad: a walk's grad in the field while it holds it; then what the object holds, whatever was there", () => {
  const { document } = newWindow();
  const svg = parseSvg(
    document,
    '<svg xmlns="http://www.w3.org/2000/svg">' +
      '<g id="n0" class="node"><text>x</text><text>d</text><text>grad 0</text></g>' +
      '<g id="n1" class="node"><text>only one</text></g></svg>',
  );
  const texts = gradTexts(drawnRecords(svg, 2));
  assert.deepEqual([...texts.keys()], [0], "a record without both fields has none");
  const [field] = /** @type {Text[]} */ (texts.get(0));
  assert.equal(field, svg.querySelector("text:last-of-type")?.firstChild, "the Text node patch.js writes through");
  writeGrad(texts.get(0), "walk", -1.5, 0);
  assert.equal(field.data, gradField(-1.5));
  writeGrad(texts.get(0), "quiz", 2, 0);
  assert.equal(field.data, gradField(2), "the latest writer's");
  writeGrad(texts.get(0), "quiz", null, 0);
  assert.equal(field.data, gradField(-1.5), "the other owner's again, not the object's");
  field.data = gradField(7); // patch.js: the object's grad changed
  keepGrads(texts.get(0));
  assert.equal(field.data, gradField(-1.5));
  writeGrad(texts.get(0), "walk", null, 7);
  assert.equal(field.data, gradField(7), "the object's grad now, not the text found at first");
  writeGrad(texts.get(0), "walk", null, 9);
  assert.equal(field.data, gradField(7), "nothing written: nothing taken back");
  keepGrads(texts.get(0));
  assert.equal(field.data, gradField(7));
});

test("drawnRecords: the value records by id, not ops or layer boxes", () => {
  const { state, ev } = neuron();
  const { document } = newWindow();
  const svg = parseSvg(document, state.svg);
  const records = drawnRecords(svg, ev.n);
  assert.deepEqual(
    [...records.keys()].sort((a, b) => a - b),
    every(ev),
  );
  for (const [id, gs] of records) assert.deepEqual(gs, [svg.querySelector(`g[id="n${id}"]`)]);
  // the grad field, which lesson-walk.css hides, is a record's last <text>
  for (const [, [g]] of records) assert.match(String(g.querySelector("text:last-of-type")?.textContent), /^grad/);
  const layer = document.createElementNS("http://www.w3.org/2000/svg", "g");
  layer.id = "n99";
  layer.setAttribute("class", "node agw-layer");
  const past = document.createElementNS("http://www.w3.org/2000/svg", "g");
  past.id = "n10";
  past.setAttribute("class", "node");
  svg.append(layer, past);
  assert.equal(drawnRecords(svg, ev.n).size, 10);
  assert.equal(drawnRecords(null, ev.n).size, 0);
  assert.ok(sameNodes(records, drawnRecords(svg, ev.n)));
  svg.querySelector('g[id="n4"]')?.remove();
  assert.equal(sameNodes(records, drawnRecords(svg, ev.n)), false);
});
