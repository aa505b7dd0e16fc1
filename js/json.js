// Floats across the wire: tape.json_number sends NaN and ±inf as strings.

/** @param {import("./types.js").JsonNumber | null | undefined} v */
export const fromJson = (v) => (typeof v === "number" ? v : v == null ? NaN : Number(v));

/** @param {number} x @returns {import("./types.js").JsonNumber} */
export const toJson = (x) => (Number.isFinite(x) ? x : x !== x ? "NaN" : x > 0 ? "Infinity" : "-Infinity");

/** Equal as Python's tape compares leaf values: NaN equals NaN, 0 equals -0. @param {number} a @param {number} b */
export const same = (a, b) => a === b || (a !== a && b !== b);
