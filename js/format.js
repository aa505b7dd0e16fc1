// Numbers as drawing.fmt and drawing.pad write them, character for character, so a
// patched field is exactly what the kernel would have drawn.
//
// JS's toFixed/toExponential round exact decimal ties away from zero; Python's format
// rounds them to even (f"{0.03125:.4f}" is "0.0312", f"{12345:.3e}" is "1.234e+04").
// Both are exact otherwise, so only a tie needs correcting, and a tie can only happen
// when one more digit ends in 5 and represents x exactly.

const NUMBER_WIDTH = 9;
const NBSP = "\u00a0";

const view = new DataView(new ArrayBuffer(8));

/**
 * Whether the decimal string `s` ("-1.2345e+4", "0.03125") equals |x| exactly, compared
 * as integers: decimal digits × 10^e against the double's mantissa × 2^q.
 * @param {number} x @param {string} s
 */
function isExactly(x, s) {
  const m = /^-?(\d+)(?:\.(\d*))?(?:e([-+]?\d+))?$/.exec(s);
  if (!m) return false;
  const frac = m[2] || "";
  let left = BigInt(m[1] + frac);
  const e10 = Number(m[3] || 0) - frac.length;
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  let right = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let q = -1074;
  if (biased !== 0) {
    right |= 1n << 52n;
    q = biased - 1075;
  }
  if (e10 >= 0) left *= 10n ** BigInt(e10);
  else right *= 10n ** BigInt(-e10);
  if (q >= 0) right <<= BigInt(q);
  else left <<= BigInt(-q);
  return left === right;
}

/**
 * Round-half-even on top of a JS formatter that rounds ties away from zero.
 * @param {number} x @param {number} digits @param {(x: number, d: number) => string} format
 * @param {boolean} mayTie false when x cannot be a tie: skips the second formatting
 */
function roundEven(x, digits, format, mayTie) {
  if (Object.is(x, -0)) return "-" + format(0, digits); // JS drops the sign of -0, Python keeps it
  const away = format(x, digits);
  if (!mayTie) return away;
  const longer = format(x, digits + 1);
  const e = longer.indexOf("e");
  const mantissa = e < 0 ? longer : longer.slice(0, e);
  if (mantissa[mantissa.length - 1] !== "5" || !isExactly(x, longer)) return away;
  const kept = mantissa.slice(0, mantissa.endsWith(".5") ? -2 : -1);
  const toward = kept + (e < 0 ? "" : longer.slice(e));
  const last = kept.charCodeAt(kept.length - 1) - 48;
  return last % 2 === 0 ? toward : away;
}

/** @param {number} x @param {number} d */
const toFixed = (x, d) => x.toFixed(d);
/** @param {number} x @param {number} d */
const toExponential = (x, d) => x.toExponential(d);

/**
 * Python's f"{x:.{d}f}" for finite |x| < 1e21. A tie x = (n + 1/2) / 10^d is a double
 * only when x * 2^(d+1) is an odd integer (5^d is odd), which is cheap to test.
 * @param {number} x @param {number} d
 */
export function pyFixed(x, d) {
  const t = x * 2 ** (d + 1);
  return roundEven(x, d, toFixed, Number.isInteger(t) && t % 2 !== 0);
}

/**
 * x.toExponential(d) with Python's rounding ("1.234e+4", "1.000e-5").
 * A tie m * 10^k (m of d + 2 digits) is a double only if x is an integer (k >= 0) or
 * 5^-k divides m, which keeps a non-integer tie above 1e-3 and below 10^(d+1).
 * @param {number} x @param {number} d
 */
function sci(x, d) {
  const a = Math.abs(x);
  return roundEven(x, d, toExponential, Number.isInteger(x) || (a >= 1e-3 && a < 10 ** (d + 1)));
}

/**
 * Python's f"{x:.{d}e}": mantissa, "e", a sign and at least two exponent digits.
 * @param {number} x @param {number} d
 */
export function pyExp(x, d) {
  const s = sci(x, d);
  const e = s.indexOf("e");
  const exponent = Number(s.slice(e + 1));
  return `${s.slice(0, e)}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

/**
 * drawing._compact of a JS exponent string: "1.234e+5" -> "1.234e5" (JS already writes no
 * leading exponent zeros).
 * @param {string} s
 */
const compact = (s) => s.replace("e+", "e");

/**
 * drawing._significant: Python's f"{x:#.4g}" written compactly, then 4, 3, 2 digits in
 * the exponent form until it fits. Both of Python's layouts come from the same 4 rounded
 * digits, so one rounding (sci) gives both: fixed notation when -4 <= exponent < 4.
 * @param {number} x
 */
function significant(x) {
  const s = sci(x, 3); // "-d.ddde±X"
  const e = s.indexOf("e");
  const exponent = Number(s.slice(e + 1));
  let out = compact(s);
  if (exponent >= -4 && exponent < 4) {
    const sign = x < 0 ? "-" : "";
    const digits = s.slice(sign.length, e).replace(".", "");
    out =
      exponent >= 0
        ? sign + digits.slice(0, exponent + 1) + (exponent < 3 ? "." + digits.slice(exponent + 1) : "")
        : sign + "0." + "0".repeat(-exponent - 1) + digits;
  }
  for (let d = 3; out.length > NUMBER_WIDTH && d >= 1; d--) out = compact(sci(x, d));
  return out;
}

/**
 * drawing.fmt: 4 significant digits or 4 decimals, whichever is narrower (4 decimals on
 * a tie), in at most NUMBER_WIDTH characters.
 * @param {number} x
 */
export function fmt(x) {
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return "0.0000";
  const s = significant(x);
  const a = Math.abs(x);
  // From 1e5 on, 4 decimals take 11+ characters and never win; pyFixed needs |x| < 1e21.
  if (a >= 1e-3 && a < 1e5) {
    const decimals = pyFixed(x, 4);
    if (decimals.length <= s.length) return decimals;
  }
  return s;
}

/**
 * drawing.pad: right-aligned with no-break spaces to NUMBER_WIDTH + 1.
 * @param {string} number
 */
export const pad = (number) => NBSP.repeat(Math.max(0, NUMBER_WIDTH + 1 - number.length)) + number;

/** The two patched fields of a record, as drawing.to_dot writes them. @param {number} x */
export const dataField = (x) => "data" + pad(fmt(x));
/** @param {number} g */
export const gradField = (g) => "grad" + pad(fmt(g));
/**
 * A layer box's field, as drawing.range_field writes it: the smallest and largest of its
 * outputs' numbers ("data   -0.5000 to     2.000").
 * @param {string} name "data" or "grad" @param {number} lo @param {number} hi
 */
export const rangeField = (name, lo, hi) => name + pad(fmt(lo)) + " to" + pad(fmt(hi));
