import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { buildTape, neuron, reluAtKink, quadratic as quadraticTape } from "./fixtures/build-tape.js";
import { newWindow } from "./fixtures/dom.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { loadState } from "./fixtures/fake-model.js";
import { fmt } from "./format.js";
import { mountNumeric } from "./numeric.js";
import { INCONSISTENT } from "./tangent.js";
import { Drawing } from "./patch.js";
import { parseSvg } from "./svg.js";

/**
 * The numeric check mounted on `ev`, the drawing made by `draw` in the same page.
 * @param {Evaluator} ev @param {(doc: Document) => Element} draw
 */
function setUp(ev, draw, gradsHidden = () => false) {
  const window = newWindow();
  const doc = /** @type {Document} */ (/** @type {unknown} */ (window.document));
  const parent = doc.createElement("div");
  let canvas = draw(doc);
  doc.body.append(canvas, parent);
  const numeric = mountNumeric({
    parent,
    ev,
    canvas: () => canvas,
    labelOf: (id) => ev.labelOf(id) || `node ${id}`,
    gradsHidden: () => gradsHidden(),
  });
  const button = /** @type {HTMLButtonElement} */ (
    [...parent.querySelectorAll("button")].find((b) => b.textContent === "Numeric check")
  );
  const hBox = /** @type {HTMLInputElement} */ (parent.querySelector('input[aria-label="h (finite-difference step)"]'));
  const kindBox = /** @type {HTMLSelectElement} */ (parent.querySelector('select[aria-label="Difference"]'));
  const table = () => parent.querySelector("table");
  const rows = () =>
    [...(table()?.querySelectorAll("tbody tr") ?? [])].map((tr) => [...tr.children].map((c) => c.textContent));
  const record = (/** @type {number} */ id) => /** @type {Element} */ (canvas.querySelector(`g[id="n${id}"]`));
  /** @param {Element} el @param {string} type */
  const fire = (el, type) => el.dispatchEvent(new window.Event(type, { bubbles: true }));
  const setH = (/** @type {string} */ text) => {
    hBox.value = text;
    fire(hBox, "input");
  };
  const setKind = (/** @type {string} */ value) => {
    kindBox.value = value;
    fire(kindBox, "change");
  };
  /** A new drawing in place of the old (as a box opening would make). */
  const replace = () => {
    const next = draw(doc);
    canvas.replaceWith(next);
    canvas = next;
  };
  return { window, parent, numeric, button, hBox, kindBox, table, rows, record, setH, setKind, replace };
}

/** A drawing of records alone: class leaf or computed, as patch.js marks them. @param {Evaluator} ev */
const plainDrawing = (ev) => (/** @type {Document} */ doc) => {
  const div = doc.createElement("div");
  const groups = Array.from(
    { length: ev.n },
    (_, i) =>
      `<g id="n${i}" class="node ${ev.isLeaf(i) ? "leaf" : "computed"}" data-grad="${ev.grad[i]}">` +
      `<path d="M0,0h9v9h-9z"/></g>`,
  );
  div.innerHTML = `<svg xmlns="http://www.w3.org/2000/svg">${groups.join("")}</svg>`;
  return div;
};

/** f(x) = 3x² − 4x + 5 as a tape (build-tape.js quadratic: x 0, the root 8), at x, run. @param {number} x */
const quadratic = (x) => new Evaluator(encodeTape(quadraticTape(x))).run();
const f = (/** @type {number} */ x) => 3 * (x * x) - 4 * x + 5;

test("on the lecture's neuron (its real drawing): every leaf's estimate within 1% of its backprop grad", () => {
  const state = loadState("neuron");
  const ev = new Evaluator(state.tape);
  ev.load(state.kernel_state);
  const t = setUp(ev, (doc) => {
    const svg = parseSvg(doc, state.svg);
    new Drawing(svg, ev).patch(); // classes leaf/computed and data-grad, as in the widget
    return svg;
  });
  assert.equal(t.button.tagName, "BUTTON", "a real button: Enter and Space press it");
  assert.equal(t.button.getAttribute("aria-pressed"), "false");
  assert.equal(t.hBox.closest("[hidden]") !== null, true, "h is shown only while on");
  assert.equal(t.table(), null);
  t.button.click();
  assert.equal(t.button.getAttribute("aria-pressed"), "true");
  assert.equal(t.hBox.closest("[hidden]"), null);
  assert.equal(t.hBox.value, "0.000001", "gradcheck()'s h");
  assert.equal(t.kindBox.value, "central");
  const leaves = [...t.parent.ownerDocument.querySelectorAll("g.node.leaf")];
  assert.deepEqual(
    leaves.map((g) => g.getAttribute("data-label")),
    ["x1", "w1", "x2", "w2", "b"],
  );
  /** @type {Record<string, number>} */
  const hand = { x1: -1.5, w1: 1, x2: 0.5, w2: 0, b: 0.5 };
  for (const g of leaves) {
    const label = /** @type {string} */ (g.getAttribute("data-label"));
    const grad = Number(g.getAttribute("data-grad"));
    const numeric = Number(g.getAttribute("data-numeric-grad"));
    assert.ok(Math.abs(grad - hand[label]) < 1e-12, `${label}: backprop ${grad}`);
    assert.ok(Math.abs(numeric - grad) <= 0.01 * Math.abs(grad) + 1e-9, `${label}: ${numeric} vs ${grad}`);
    assert.ok(!g.classList.contains("agw-disagree"), label);
  }
  assert.equal(t.parent.ownerDocument.querySelectorAll(".agw-disagree").length, 0);
  const caption = t.table()?.querySelector("caption")?.textContent;
  assert.equal(caption, "Numeric check: (f(x+h) − f(x−h)) / 2h vs backprop");
  const rows = t.rows();
  assert.deepEqual(
    rows.map((r) => [r[0], r[3]]),
    ["x1", "w1", "x2", "w2", "b"].map((label) => [label, "✓"]),
  );
  assert.equal(rows[0][1], fmt(ev.grad[0]), "x1's backprop grad, as the drawing writes numbers");
  assert.equal(rows[0][1], "-1.500");
  assert.equal(rows[0][2], fmt(Number(t.record(0).getAttribute("data-numeric-grad"))));
});

test("forward difference with h = 0.5 on f(x) = 3x² − 4x + 5 at 3: (f(3.5) − f(3)) / 0.5 = 15.5, not 14", () => {
  const ev = quadratic(3);
  const t = setUp(ev, plainDrawing(ev));
  t.button.click();
  assert.equal(Number(t.record(0).getAttribute("data-numeric-grad")), (f(3 + 1e-6) - f(3 - 1e-6)) / 2e-6);
  t.setKind("forward");
  assert.equal(t.table()?.querySelector("caption")?.textContent, "Numeric check: (f(x+h) − f(x)) / h vs backprop");
  const forward = (f(3 + 1e-6) - f(3)) / 1e-6;
  assert.equal(Number(t.record(0).getAttribute("data-numeric-grad")), forward, "forward, h = 1e-6");
  t.setH("0.5");
  assert.equal(t.hBox.getAttribute("aria-invalid"), null);
  assert.equal(t.record(0).getAttribute("data-numeric-grad"), "15.5");
  assert.equal((f(3.5) - f(3)) / 0.5, 15.5, "the notebook's formula by hand");
  assert.equal(ev.grad[0], 14, "backprop: 6·3 − 4");
  assert.ok(t.record(0).classList.contains("agw-disagree"), "h this large is no derivative: 1.5 off");
  assert.deepEqual(t.rows()[0], ["x", "14.00", "15.50", "✗ differs"]);
  t.setKind("central");
  assert.equal(t.record(0).getAttribute("data-numeric-grad"), "14", "(f(3.5) − f(2.5)) / 1: exact on a parabola");
  assert.ok(!t.record(0).classList.contains("agw-disagree"));
  t.setKind("forward");

  // an h that is no positive number: flagged, and the last good one stays
  for (const bad of ["abc", "", "0", "-1", "Infinity"]) {
    t.setH(bad);
    assert.equal(t.hBox.getAttribute("aria-invalid"), "true", JSON.stringify(bad));
    t.numeric.update();
    assert.equal(t.record(0).getAttribute("data-numeric-grad"), "15.5", `${JSON.stringify(bad)}: h = 0.5 kept`);
  }
  t.setH("0.25");
  assert.equal(t.hBox.getAttribute("aria-invalid"), null);
  assert.equal(t.record(0).getAttribute("data-numeric-grad"), "14.75", "(f(3.25) − f(3)) / 0.25");
  // the leaves move: update() recomputes on the same records
  ev.setLeaf(0, -3);
  t.numeric.update();
  assert.equal(Number(t.record(0).getAttribute("data-numeric-grad")), (f(-3 + 0.25) - f(-3)) / 0.25);
  assert.equal(t.rows()[0][1], fmt(-22));
  // the constants are leaves too: f is linear in each, so even h = 0.25 is exact
  assert.equal(t.rows().map((r) => r[0]).join(" "), "x three four five");
  assert.deepEqual(t.rows()[1], ["three", "9.000", "9.000", "✓"], "df/dthree = x² = 9 at x = -3");
});

test("a relu at its kink: backprop says 0, the central difference 0.5: marked, and said in words", () => {
  const ev = new Evaluator(encodeTape(reluAtKink())).run();
  const t = setUp(ev, plainDrawing(ev));
  t.button.click();
  assert.equal(t.record(0).getAttribute("data-numeric-grad"), "0.5");
  assert.ok(t.record(0).classList.contains("agw-disagree"));
  assert.ok(!t.record(1).hasAttribute("data-numeric-grad"), "computed nodes are not checked");
  assert.deepEqual(t.rows(), [["x", "0.0000", "0.5000", "✗ differs"]]);
  ev.setLeaf(0, 1); // off the kink: both say 1
  t.numeric.update();
  assert.ok(!t.record(0).classList.contains("agw-disagree"));
  assert.deepEqual(t.rows(), [["x", "1.000", "1.000", "✓"]]);
});

test("off removes every mark and the table; a new drawing gets the marks again", () => {
  const ev = quadratic(3);
  const t = setUp(ev, plainDrawing(ev));
  t.button.click();
  t.setKind("forward");
  t.setH("0.5");
  const old = t.record(0);
  assert.ok(old.classList.contains("agw-disagree"));
  t.replace();
  assert.ok(!t.record(0).hasAttribute("data-numeric-grad"), "a fresh record, not yet marked");
  t.numeric.redraw();
  assert.equal(t.record(0).getAttribute("data-numeric-grad"), "15.5");
  assert.ok(t.record(0).classList.contains("agw-disagree"));
  assert.equal(t.rows().length, 4, "one row per drawn leaf, no more");
  t.button.click();
  assert.equal(t.button.getAttribute("aria-pressed"), "false");
  assert.equal(t.table(), null);
  assert.ok(t.hBox.closest("[hidden]"));
  const doc = t.parent.ownerDocument;
  assert.equal(doc.querySelectorAll("[data-numeric-grad]").length, 0);
  assert.equal(doc.querySelectorAll(".agw-disagree").length, 0);
  t.numeric.update();
  t.numeric.redraw();
  assert.equal(doc.querySelectorAll("[data-numeric-grad]").length, 0, "off stays off");
  t.button.click();
  assert.equal(t.record(0).getAttribute("data-numeric-grad"), "15.5", "on again: h and the difference kept");
  t.numeric.destroy();
  assert.equal(t.parent.children.length, 0);
  assert.equal(doc.querySelectorAll("[data-numeric-grad], .agw-disagree").length, 0);
});

test("a stale grad is not judged: nothing backprop knows to compare with", () => {
  // a -> mystery(a) -> u + b: a's grad flows through an op with no rule
  const ev = new Evaluator(
    encodeTape(
      buildTape([
        { label: "a", data: 2 },
        { label: "b", data: 3 },
        { label: "u", op: "mystery", parents: [0], data: 5, known: false },
        { label: "out", op: "+", parents: [2, 1] },
      ]),
    ),
  ).run();
  const t = setUp(ev, plainDrawing(ev));
  t.button.click();
  assert.deepEqual(
    t.rows().map((r) => [r[0], r[3]]),
    [
      ["a", "? grad stale"],
      ["b", "✓"],
    ],
  );
  assert.ok(!t.record(0).classList.contains("agw-disagree"));
  assert.equal(t.record(1).getAttribute("data-numeric-grad"), String((5 + (3 + 1e-6) - (5 + (3 - 1e-6))) / 2e-6), "out = u + b, u = 5");
});

test("h has a name that says what it is, and keeps the visible h", () => {
  const ev = quadratic(3);
  const t = setUp(ev, plainDrawing(ev));
  assert.equal(t.hBox.getAttribute("aria-label"), "h (finite-difference step)");
  assert.match(t.hBox.closest("label")?.textContent ?? "", /^h/);
});

test("backprop grad is a fresh backward pass's, as gradcheck() compares, not the grad the leaf holds", () => {
  const ev = new Evaluator(encodeTape(neuron())); // the objects' grads: 0, backward() never ran
  const t = setUp(ev, plainDrawing(ev));
  t.button.click();
  const rows = t.rows();
  assert.deepEqual(
    rows.map((r) => [r[0], r[1], r[3]]),
    [
      ["x1", "-1.500", "✓"],
      ["w1", "1.000", "✓"],
      ["x2", "0.5000", "✓"],
      ["w2", "0.0000", "✓"],
      ["b", "0.5000", "✓"],
    ],
  );
  assert.equal(t.parent.ownerDocument.querySelectorAll(".agw-disagree").length, 0, "backprop is right: nothing marked");
  assert.deepEqual([...ev.grad], new Array(10).fill(0), "and nothing written where the drawing reads grads");
});

test("a graph whose numbers do not follow from its leaves: one line, no estimates, until a move recomputes", () => {
  const columns = neuron();
  columns.data[1] = -2.5; // a training step moved w1; nothing was recomputed from it
  const ev = new Evaluator(encodeTape(columns));
  const t = setUp(ev, plainDrawing(ev));
  t.button.click();
  assert.equal(t.table(), null);
  assert.equal(t.parent.querySelector(".agw-numeric-inconsistent")?.textContent, INCONSISTENT);
  assert.equal(t.parent.ownerDocument.querySelectorAll("[data-numeric-grad], .agw-disagree").length, 0);
  ev.setLeaf(2, 0);
  t.numeric.update();
  assert.equal(t.parent.querySelector(".agw-numeric-inconsistent"), null);
  assert.equal(t.rows().length, 5);
  assert.ok(t.rows().every((r) => r[3] === "✓"));
  assert.ok(t.record(1).hasAttribute("data-numeric-grad"));
});

test("while grads are hidden (your turn) the check is disabled and shows nothing; it comes back after", () => {
  const ev = quadratic(3);
  let hidden = false;
  const t = setUp(ev, plainDrawing(ev), () => hidden);
  t.button.click();
  assert.ok(t.table());
  hidden = true;
  t.numeric.update();
  assert.equal(t.button.getAttribute("aria-disabled"), "true");
  assert.equal(t.table(), null, "no table");
  assert.equal(t.parent.ownerDocument.querySelectorAll("[data-numeric-grad], .agw-disagree").length, 0, "no marks");
  assert.ok(t.hBox.closest("[hidden]"));
  t.button.click();
  assert.equal(t.button.getAttribute("aria-pressed"), "true", "a press does nothing");
  assert.equal(t.table(), null);
  hidden = false;
  t.numeric.update();
  assert.equal(t.button.getAttribute("aria-disabled"), null);
  assert.ok(t.table(), "on as it was");
  assert.ok(t.record(0).hasAttribute("data-numeric-grad"));
});
