import assert from "node:assert/strict";
import { test } from "node:test";
import { OP_INDEX, OP_LIST, OPS, power } from "./ops.js";

/** @param {number} a @param {number} b @param {number} rel */
const close = (a, b, rel) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));

test("the table has exactly the ops of ops.py, in its order", () => {
  assert.deepEqual(
    OP_LIST.map((o) => o.name),
    ["+", "-", "*", "/", "**", "**k", "neg", "exp", "log", "tanh", "relu", "sigmoid"],
  );
  for (const [i, o] of OP_LIST.entries()) {
    assert.equal(OP_INDEX.get(o.name), i);
    assert.equal(o.local.length, o.arity, `${o.name}: one local derivative per input`);
  }
  assert.equal(OPS["**k"].param, true);
  assert.equal(OPS["**"].param, false);
});

// Hand values: [op, x, y, out, d/dx, d/dy]
/** @type {[string, number, number, number, ...number[]][]} */
const HAND = [
  ["+", 2, -3, -1, 1, 1],
  ["-", 2, -3, 5, 1, -1],
  ["*", 2, -3, -6, -3, 2],
  ["/", 3, 4, 0.75, 0.25, -0.1875],
  ["**", 2, 3, 8, 12, 8 * Math.LN2],
  ["**k", 3, 2, 9, 6],
  ["**k", 4, -0.5, 0.5, -0.0625],
  ["neg", 2.5, 0, -2.5, -1],
  ["exp", 0, 0, 1, 1],
  ["log", Math.E, 0, 1, 1 / Math.E],
  ["tanh", 0, 0, 0, 1],
  ["relu", -2, 0, 0, 0],
  ["relu", 3, 0, 3, 1],
  ["sigmoid", 0, 0, 0.5, 0.25],
];

test("hand values: forward and local derivatives", () => {
  for (const [name, x, y, out, ...grads] of HAND) {
    const o = OPS[name];
    const got = o.forward(x, y);
    assert.ok(close(got, out, 1e-15), `${name}(${x}, ${y}) = ${got}, want ${out}`);
    o.local.forEach((d, j) => {
      const g = d(got, x, y);
      assert.ok(close(g, grads[j], 1e-15), `${name} d/d${j}(${x}, ${y}) = ${g}, want ${grads[j]}`);
    });
  }
});

// Points where every op is smooth: [x, y]
const POINTS = [
  [0.7, 1.3],
  [1.9, -0.4],
  [2.5, 2],
  [0.3, 3.1],
  [1.1, -2.2],
];

test("every local derivative matches a central finite difference", () => {
  const h = 1e-6;
  for (const o of OP_LIST) {
    for (let [x, y] of POINTS) {
      if (o.name === "relu") x += 0.5; // keep away from the kink at 0
      const out = o.forward(x, y);
      const fx = (o.forward(x + h, y) - o.forward(x - h, y)) / (2 * h);
      assert.ok(
        close(o.local[0](out, x, y), fx, 1e-6),
        `${o.name} d/dx at (${x}, ${y}): ${o.local[0](out, x, y)} vs ${fx}`,
      );
      if (o.arity === 2) {
        const fy = (o.forward(x, y + h) - o.forward(x, y - h)) / (2 * h);
        assert.ok(
          close(o.local[1](out, x, y), fy, 1e-6),
          `${o.name} d/dy at (${x}, ${y}): ${o.local[1](out, x, y)} vs ${fy}`,
        );
      }
    }
  }
});

/** @param {number} a @param {number} b */
const same = (a, b) => Object.is(a, b) || (a === b && a !== 0);

test("power follows C pow (Python's math.pow), not Math.pow, where they differ", () => {
  const cases = [
    [1, NaN, 1],
    [1, Infinity, 1],
    [-1, Infinity, 1],
    [-1, -Infinity, 1],
    [-1, NaN, NaN],
    [NaN, 0, 1],
    [0, -1, Infinity],
    [-0, -1, -Infinity],
    [-0, -2, Infinity],
    [0, -0.5, Infinity],
    [-2, 0.5, NaN],
    [-2, 3, -8],
    [10, 400, Infinity],
    [-10, 401, -Infinity],
    [0.5, Infinity, 0],
    [-Infinity, -3, -0],
    [0, 0, 1],
  ];
  for (const [x, y, want] of cases)
    assert.ok(same(power(x, y), want), `pow(${x}, ${y}) = ${power(x, y)}, want ${want}`);
});

test("IEEE edge cases match what Python's ops compute", () => {
  /** @param {string} name @param {number} x */
  const f = (name, x, y = 0) => OPS[name].forward(x, y);
  /** @param {string} name @param {number} j @param {number} x */
  const d = (name, j, x, y = 0) => OPS[name].local[j](OPS[name].forward(x, y), x, y);
  const cases = [
    [f("/", 1, 0), Infinity],
    [f("/", -1, 0), -Infinity],
    [f("/", 1, -0), -Infinity],
    [f("/", 0, 0), NaN],
    [f("/", NaN, 0), NaN],
    [f("log", 0), -Infinity],
    [f("log", -0), -Infinity],
    [f("log", -1), NaN],
    [d("log", 0, 0), Infinity],
    [d("log", 0, -0), -Infinity],
    [d("log", 0, -1), NaN],
    [d("log", 0, Infinity), 0],
    [f("exp", 800), Infinity],
    [f("exp", -800), 0],
    [f("sigmoid", 800), 1],
    [f("sigmoid", -800), 0],
    [f("sigmoid", NaN), NaN],
    [f("sigmoid", -Infinity), 0],
    [f("relu", NaN), NaN],
    [f("relu", -0), 0],
    [d("relu", 0, NaN), 0],
    [f("tanh", Infinity), 1],
    [d("**", 1, 0, 2), 0], // 0**2 = 0: the exponent derivative's limit
    [d("**", 0, 0, 0), NaN], // 0 * 0**-1 = 0 * inf
    [d("**", 1, 0, 0), -Infinity], // 0**0 = 1, 1 * log 0
    [d("**", 1, -2, 3), NaN], // log of a negative base
    [d("/", 1, 1, 0), -Infinity], // -(inf / 0): Python's div gives copysign(inf, inf)
  ];
  cases.forEach(([got, want], i) => assert.ok(same(got, want), `case ${i}: got ${got}, want ${want}`));
});

test("sigmoid's two branches agree where they meet and keep full precision far out", () => {
  const s = OPS.sigmoid.forward;
  assert.ok(close(s(-1e-12, 0), s(1e-12, 0), 1e-11));
  assert.ok(s(-40, 0) > 0, "the negative branch does not underflow to 0 this early");
  assert.ok(close(s(-40, 0), Math.exp(-40), 1e-12));
});

// The local derivatives as the lecture writes them, from the names o (output), a, b (inputs)
// or k (the constant of **k). Keyed by every op: an op added without a formula fails here.
/** @type {Record<string, string[]>} */
const FORMULAS = {
  "+": ["1", "1"],
  "-": ["1", "−1"],
  "*": ["b", "a"],
  "/": ["1/b", "−o/b"],
  "**": ["b·a^(b−1)", "o·ln a"],
  "**k": ["k·a^(k−1)"],
  neg: ["−1"],
  exp: ["o"],
  log: ["1/a"],
  tanh: ["1 − o²"],
  relu: ["1 if o > 0 else 0"],
  sigmoid: ["o·(1 − o)"],
};

test("every op has a formula for every operand, in the lecture's notation", () => {
  assert.deepEqual(Object.keys(FORMULAS), OP_LIST.map((o) => o.name), "a formula per op, in table order");
  for (const o of OP_LIST) {
    assert.equal(o.formula.length, o.arity, `${o.name}: one formula per input`);
    const third = o.param ? "k" : "b";
    assert.deepEqual(
      o.formula.map((f) => f("o", "a", third)),
      FORMULAS[o.name],
      o.name,
    );
  }
  assert.equal(OPS.tanh.formula[0]("o", "n", ""), "1 − o²");
  assert.equal(OPS["*"].formula[0]("(x1*w1)", "x1", "w1"), "w1", "the other input's name");
  assert.equal(OPS["**k"].formula[0]("y", "x", "3"), "3·x^(3−1)", "k is the constant");
});
