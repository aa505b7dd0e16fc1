// Numbers as a person reads and types them in a slider's number box: parsed with Python's
// float() spellings, shown exactly while edited and compactly at rest.

import { fmt } from "./format.js";

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
export const NOT_A_NUMBER = "Not a number: type one like 0.5 or -2e-3, or nan, inf, -inf.";
const DIGITS = 8;
/** Longer than this, a plain decimal loses to exponent notation if that is shorter (1e+21, 1.2345678e-5). */
const PLAIN_WIDTH = 12;

/**
 * A number as a person types it, Python's float() spellings included: decimal or
 * exponent notation, nan, inf, infinity, any case, signed. null if it is none.
 * @param {string} text @returns {number | null}
 */
export function parseNumber(text) {
  const t = text.trim();
  if (/^[+-]?nan$/i.test(t)) return NaN;
  const inf = /^([+-]?)inf(inity)?$/i.exec(t);
  if (inf) return inf[1] === "-" ? -Infinity : Infinity;
  return DECIMAL.test(t) ? Number(t) : null;
}

/** A value exactly, as the box shows it while edited: Python's spelling for NaN and the infinities. @param {number} x */
export const boxText = (x) => (Number.isFinite(x) ? String(x) : fmt(x));

/**
 * A value as the box shows it at rest: at most 8 significant digits, and no trailing zeros
 * (String of the rounded number is its shortest spelling: 0.1 + 0.2 is "0.3").
 * @param {number} x
 */
export function compactText(x) {
  if (!Number.isFinite(x)) return fmt(x);
  const rounded = Number(x.toPrecision(DIGITS));
  const plain = String(rounded);
  const exp = rounded.toExponential();
  return plain.length > PLAIN_WIDTH && exp.length < plain.length ? exp : plain;
}
