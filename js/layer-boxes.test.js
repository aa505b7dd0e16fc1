// Layer boxes (layer-boxes.js) as a Drawing patches them: their outputs' numbers as lists, their range in the fields.
import assert from "node:assert/strict";
import { test } from "node:test";
import { COLLAPSED_LAYER, fakeObserver, LAYER, layerPage, recordSvg, recordWrites } from "./fixtures/drawing.js";
import { dataField, gradField, pad, rangeField } from "./format.js";

test("a collapsed layer box carries its outputs' numbers as lists and their range in its fields", () => {
  const { ev, drawing, g, fields, window } = layerPage(COLLAPSED_LAYER);
  assert.deepEqual([...ev.data.slice(4, 7)], [0.5, -1, 2], "the hand-computed numbers");
  assert.deepEqual([...ev.grad.slice(4, 7)], [-1, 0.5, 1]);
  drawing.patch();
  const box = g(`n${LAYER}`);
  assert.equal(box.getAttribute("data-value"), "[0.5,-1,2]");
  assert.equal(box.getAttribute("data-grad"), "[-1,0.5,1]");
  assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -1, 2), rangeField("grad", -1, 1)]);
  assert.deepEqual(fields(`n${LAYER}`), [
    "data\u00a0\u00a0\u00a0\u00a0-1.000 to\u00a0\u00a0\u00a0\u00a0\u00a02.000",
    "grad\u00a0\u00a0\u00a0\u00a0-1.000 to\u00a0\u00a0\u00a0\u00a0\u00a01.000",
  ]);
  assert.equal([...box.querySelectorAll("text")][0].textContent, "L1 ×3 (7)", "its name is kept");
  assert.deepEqual([...drawing.ids], [0, 8], "no node of its own");
  for (const cls of ["agw-value", "computed", "grad-pos", "grad-neg", "grad-zero", "grad-nonfinite"])
    assert.equal(box.classList.contains(cls), false, cls);
  assert.equal(box.querySelector("path")?.getAttribute("style"), null, "no grad fill");
  assert.equal(g("n8").getAttribute("data-value"), "1.5", "the nodes are patched as ever");

  ev.setLeaf(0, 1); // n = [1, -2, 4]; s = -2; out = 2; grads [-2, 1, 1]
  drawing.patch();
  assert.equal(box.getAttribute("data-value"), "[1,-2,4]");
  assert.equal(box.getAttribute("data-grad"), "[-2,1,1]");
  assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -2, 4), rangeField("grad", -2, 1)]);

  ev.setLeaf(3, NaN); // n3 = NaN: out is NaN; the grads are not
  drawing.patch();
  assert.equal(box.getAttribute("data-value"), "[1,-2,NaN]");
  assert.equal(box.getAttribute("data-grad"), "[-2,1,1]");
  assert.deepEqual(fields(`n${LAYER}`), ["data" + pad("nan") + " to" + pad("nan"), rangeField("grad", -2, 1)]);
  window.close();
});

test("a layer box's data-* are written only when an output's number changed", () => {
  const { ev, drawing, window } = layerPage(COLLAPSED_LAYER);
  drawing.patch();
  const { writes, restore } = recordWrites(window);
  try {
    drawing.patch();
    // typed, or the assertion would narrow writes to never[] for the rest of the test
    assert.deepEqual(writes, /** @type {string[]} */ ([]), "nothing changed: nothing written");
    ev.setLeaf(3, 8); // n3 = 4 changes, and out; no grad changes (n3's is 1; n1's and n2's do not depend on w3)
    drawing.patch();
  } finally {
    restore();
  }
  assert.deepEqual(writes.filter((w) => w.startsWith(`n${LAYER} `)), [`n${LAYER} data-value`]);
  window.close();
});

test("a layer box's outputs are watched: a drag recomputes their numbers, not only the nodes drawn", () => {
  // out and the layer box drawn, a slider on w1 (not drawn): what the widget watches
  const body =
    recordSvg(`n${LAYER}`, ' class="agw-box agw-layer" data-outputs="4 5 6"', "L1 ×3 (7)") +
    recordSvg("n8", "", "out");
  for (const watched of ["ids", "watched"]) {
    const { ev, drawing, g, fields, window } = layerPage(body);
    assert.deepEqual([...drawing.ids], [8]);
    assert.deepEqual([...drawing.watched].sort((a, b) => a - b), [4, 5, 6, 8]);
    ev.watch([...(watched === "ids" ? drawing.ids : drawing.watched), 1]);
    ev.setLeaf(1, 3); // n1 = 1.5: s = -1.5, out = 0.5; n2's grad is n1 = 1.5
    drawing.patch();
    const box = g(`n${LAYER}`);
    assert.equal(box.getAttribute("data-value"), "[1.5,-1,2]");
    if (watched === "ids") {
      const why = "n2 is not downstream of w1: its grad is left as it was";
      assert.equal(box.getAttribute("data-grad"), "[-1,0.5,1]", why);
    } else {
      assert.equal(box.getAttribute("data-grad"), "[-1,1.5,1]");
      assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -1, 2), rangeField("grad", -1, 1.5)]);
    }
    window.close();
  }
});

test("an open layer box's cluster carries the outputs' lists; its neuron boxes are records as ever", () => {
  const body =
    `<g id="c${LAYER}" class="cluster agw-layer" data-outputs="4 5 6"><rect x="0" y="0" width="400" height="300"/>` +
    `<text>L1</text></g>` +
    recordSvg("n0", "", "x") +
    [4, 5, 6].map((i, k) => recordSvg(`n${i}`, ' class="agw-box"', `L1.N${k} (2)`)).join("") +
    recordSvg("n8", "", "out");
  const { ev, drawing, g, fields, window } = layerPage(body);
  assert.deepEqual([...drawing.watched].sort((a, b) => a - b), [0, 4, 4, 5, 5, 6, 6, 8], "drawn, and the outputs");
  drawing.patch();
  const cluster = g(`c${LAYER}`);
  assert.equal(cluster.getAttribute("data-value"), "[0.5,-1,2]");
  assert.equal(cluster.getAttribute("data-grad"), "[-1,0.5,1]");
  assert.deepEqual([...cluster.querySelectorAll("text")].map((t) => t.textContent), ["L1"], "its name, no fields");
  assert.equal(cluster.classList.contains("grad-neg") || cluster.classList.contains("agw-value"), false);
  assert.deepEqual(fields("n5"), [dataField(-1), gradField(0.5)], "a neuron's box is its output's record");
  ev.setLeaf(0, 1);
  drawing.patch();
  assert.equal(cluster.getAttribute("data-value"), "[1,-2,4]");
  assert.equal(cluster.getAttribute("data-grad"), "[-2,1,1]");
  window.close();
});

test("a layer box's fields wait while its tile is out of view; its data-* do not", () => {
  const { FakeObserver, latest } = fakeObserver();
  const { ev, drawing, g, fields, root, window } = layerPage(COLLAPSED_LAYER, { observer: FakeObserver });
  assert.deepEqual([...latest().targets], [root], "the one tile there is");
  drawing.patch();
  latest().callback([{ target: root, isIntersecting: false }]);
  ev.setLeaf(0, 1);
  drawing.patch();
  assert.equal(g(`n${LAYER}`).getAttribute("data-value"), "[1,-2,4]", "data-* current");
  assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -1, 2), rangeField("grad", -1, 1)], "text not yet");
  latest().callback([{ target: root, isIntersecting: true }]);
  assert.deepEqual(fields(`n${LAYER}`), [rangeField("data", -2, 4), rangeField("grad", -2, 1)], "drawn on coming in");
  window.close();
});
