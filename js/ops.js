// The op table, name for name the one in src/autograd_widget/ops.py.
//
// Every function takes plain numbers and returns IEEE results instead of throwing,
// computed in the same order of operations as Python so both sides agree to the ulp
// wherever the math library does. Each op has `forward(x, y)` and one local
// derivative per input, `local[j](out, x, y)`. For a binary op `y` is the second
// input; for a parametric op (`**k`) `y` is its constant; unary ops ignore `y`.
// Separate functions per input (not a returned array) keep the evaluator's
// backward pass free of allocation.
//
// `formula[j](o, a, b)` is local[j] as the lecture writes it, from names instead of
// numbers (the output's, the first input's, the second input's or the constant k): the
// right-hand side of ∂o/∂a = …, for tooltips (explain.js). Names arrive ready to splice
// in (a compound one already parenthesized).

/**
 * @typedef {(x: number, y: number) => number} Forward
 * @typedef {(out: number, x: number, y: number) => number} Local
 * @typedef {(o: string, a: string, b: string) => string} Formula
 * @typedef {{name: string, arity: 1 | 2, param: boolean, forward: Forward, local: Local[], formula: Formula[]}} Op
 */

/** Python's float division: `ops.div` catches ZeroDivisionError into what IEEE gives anyway. @type {Forward} */
const div = (x, y) => x / y;

/**
 * `ops.power`: C99 pow, which is what Python's math.pow computes (its errors turned back
 * into inf/nan by ops.power). C and JS differ only where C returns 1: pow(1, y) for
 * every y, NaN included, and pow(-1, ±inf).
 * @param {number} x @param {number} y
 */
export function power(x, y) {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

const exp = Math.exp; // overflow gives inf, as ops.exp does

/** @param {number} x */
function log(x) {
  if (x > 0) return Math.log(x);
  return x === 0 ? -Infinity : NaN;
}

/** Two branches so exp never overflows; NaN takes the second (NaN >= 0 is false). @param {number} x */
function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** relu passes NaN through and maps -0 to +0, like ops.relu. @param {number} x */
const relu = (x) => (x > 0 ? x : x !== x ? x : 0);

/** d(x**y)/dy = x**y ln x; its limit at x = 0 is 0 where the result is 0. @param {number} out @param {number} x */
const powExponentGrad = (out, x) => (x === 0 && out === 0 ? 0 : out * log(x));

/**
 * @param {1 | 2} arity @param {Forward} forward @param {Local[]} local @param {Formula[]} formula
 * @param {boolean} [param]
 * @returns {Omit<Op, "name">}
 */
const op = (arity, forward, local, formula, param = false) => ({ arity, param, forward, local, formula });

/** @type {Readonly<Record<string, Omit<Op, "name">>>} */
const TABLE = {
  "+": op(2, (a, b) => a + b, [() => 1, () => 1], [() => "1", () => "1"]),
  "-": op(2, (a, b) => a - b, [() => 1, () => -1], [() => "1", () => "−1"]),
  "*": op(2, (a, b) => a * b, [(o, a, b) => b, (o, a) => a], [(o, a, b) => b, (o, a) => a]),
  "/": op(
    2,
    div,
    [(o, a, b) => div(1, b), (o, a, b) => -div(o, b)],
    [(o, a, b) => `1/${b}`, (o, a, b) => `−${o}/${b}`],
  ),
  "**": op(
    2,
    power,
    [(o, a, b) => b * power(a, b - 1), (o, a) => powExponentGrad(o, a)],
    [(o, a, b) => `${b}·${a}^(${b}−1)`, (o, a) => `${o}·ln ${a}`],
  ),
  "**k": op(1, power, [(o, a, k) => k * power(a, k - 1)], [(o, a, k) => `${k}·${a}^(${k}−1)`], true),
  neg: op(1, (a) => -a, [() => -1], [() => "−1"]),
  exp: op(1, exp, [(o) => o], [(o) => o]),
  log: op(1, log, [(o, a) => (a >= 0 ? div(1, a) : NaN)], [(o, a) => `1/${a}`]),
  tanh: op(1, Math.tanh, [(o) => 1 - o * o], [(o) => `1 − ${o}²`]),
  relu: op(1, relu, [(o) => (o > 0 ? 1 : 0)], [(o) => `1 if ${o} > 0 else 0`]),
  sigmoid: op(1, sigmoid, [(o) => o * (1 - o)], [(o) => `${o}·(1 − ${o})`]),
};

/** The ops in table order; the evaluator stores an index into this list per node. */
export const OP_LIST = Object.freeze(Object.entries(TABLE).map(([name, o]) => Object.freeze({ name, ...o })));

/** @type {ReadonlyMap<string, number>} op name → index into OP_LIST */
export const OP_INDEX = new Map(OP_LIST.map((o, i) => [o.name, i]));

/** @type {Readonly<Record<string, Op>>} */
export const OPS = Object.freeze(Object.fromEntries(OP_LIST.map((o) => [o.name, o])));
