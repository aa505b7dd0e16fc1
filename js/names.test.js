import assert from "node:assert/strict";
import { test } from "node:test";
import { Evaluator } from "./evaluator.js";
import { explain } from "./explain.js";
import { buildTape } from "./fixtures/build-tape.js";
import { encodeTape } from "./fixtures/encode-tape.js";
import { namer } from "./names.js";

// The seed's f(x) = 3x² − 4x + 5 as the engine builds it, only x labelled:
// x 0, 2 (k) , x**2 2, 3 3, 3*x**2 4, -4 5, -4*x 6, sum 7, 5 8, f 9.
const quadratic = () =>
  new Evaluator(
    encodeTape(
      buildTape([
        { label: "x", data: 3 },
        { data: 0 }, // an unused constant, to show a leaf with no slider reads as its value
        { op: "**k", arg: 2, parents: [0] },
        { data: 3 },
        { op: "*", parents: [3, 2] },
        { data: -4 },
        { op: "*", parents: [5, 0] },
        { op: "+", parents: [4, 6] },
        { data: 5 },
        { op: "+", parents: [7, 8] },
      ]),
    ),
  ).run();

test("an unlabelled node is named by what it computes from, two levels deep; a constant by its value", () => {
  const name = namer(quadratic(), () => false);
  assert.equal(name(0), "x");
  assert.equal(name(2), "x**2");
  assert.equal(name(3), "3");
  assert.equal(name(4), "3 * (x**2)");
  assert.equal(name(7), "(3 * (node 2)) + ((-4) * x)", "beyond two levels: the node's number");
  assert.equal(name(9), "((node 4) + (node 6)) + 5");
});

test("an unlabelled leaf with a slider is called what its slider is called", () => {
  const name = namer(quadratic(), (id) => id === 3);
  assert.equal(name(3), "node 3");
  assert.equal(name(4), "(node 3) * (x**2)");
});

test("the chain-rule text does not say a node's expression twice when that is its name", () => {
  const ev = quadratic();
  const [first] = explain(ev, 4, namer(ev, () => false));
  assert.equal(first, "3 * (x**2) = 27.00");
});
