import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { dataField, fmt, gradField, pad, pyExp, pyFixed } from "./format.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/fmt-cases.json", import.meta.url), "utf8"));

test("fmt writes every fixture number exactly as drawing.fmt does", () => {
  assert.ok(fixture.cases.length > 900);
  for (const [x, want] of fixture.cases) assert.equal(fmt(Number(x)), want, `fmt(${x})`);
});

test("pyExp matches Python's .3e, ties to even included", () => {
  for (const [x, , want] of fixture.cases) if (want !== null) assert.equal(pyExp(Number(x), 3), want, `${x}:.3e`);
});

test("fmt by hand: widths, signs, specials", () => {
  const cases = [
    [0, "0.0000"],
    [-0, "0.0000"],
    [NaN, "nan"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [1e-5, "1.000e-5"],
    [-1e-5, "-1.000e-5"],
    [0.001, "0.0010"],
    [0.00099999, "1.000e-3"],
    [9999.99995, "9999.9999"], // the double is just below the tie
    [1e4, "1.000e4"],
    [-1.2345e-100, "-1.23e-100"], // too long at 3 decimals: 2
    [1.5e300, "1.500e300"],
  ];
  for (const [x, want] of cases) {
    assert.equal(fmt(x), want, `fmt(${x})`);
    assert.ok(fmt(x).length <= 10);
  }
});

test("exact decimal ties round to even, as Python does (JS rounds them away from zero)", () => {
  assert.equal((0.03125).toFixed(4), "0.0313", "the JS behaviour this module corrects");
  assert.equal(pyFixed(0.03125, 4), "0.0312");
  assert.equal(pyFixed(-0.03125, 4), "-0.0312");
  assert.equal(pyFixed(0.09375, 4), "0.0938");
  assert.equal(pyFixed(2.5, 0), "2");
  assert.equal(pyFixed(3.5, 0), "4");
  assert.equal(fmt(12345), "1.234e4");
  assert.equal(fmt(12355), "1.236e4");
  assert.equal(pyExp(1.0625, 3), "1.062e+00");
  assert.equal(pyExp(0.1, 3), "1.000e-01", "not a tie: 0.1 is not exactly 0.1");
});

test("pad right-aligns with no-break spaces to 11 characters", () => {
  for (const [s, want] of fixture.pad) assert.equal(pad(s), want);
  assert.equal(pad("1.0000"), "\u00a0".repeat(5) + "1.0000");
  assert.equal(dataField(2), "data\u00a0\u00a0\u00a0\u00a0\u00a02.0000");
  assert.equal(gradField(-Infinity), "grad" + "\u00a0".repeat(7) + "-inf");
  assert.equal(dataField(-1.2345e-100).length, 15);
});
