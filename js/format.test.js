import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { dataField, fmt, gradField, pad, pyExp, pyFixed, rangeField } from "./format.js";

const fixture = JSON.parse(readFileSync(new URL("./fixtures/fmt-cases.json", import.meta.url), "utf8"));

test("fmt writes every fixture number exactly as drawing.fmt does", () => {
  assert.ok(fixture.cases.length > 900);
  for (const [x, want] of fixture.cases) assert.equal(fmt(Number(x)), want, `fmt(${x})`);
});

test("pyExp matches Python's .3e, ties to even included", () => {
  for (const [x, , want] of fixture.cases) if (want !== null) assert.equal(pyExp(Number(x), 3), want, `${x}:.3e`);
});

test("fmt by hand: the narrower of 4 significant digits and 4 decimals, widths, signs, specials", () => {
  /** @type {[number, string][]} */
  const cases = [
    [0, "0.0000"],
    [-0, "0.0000"],
    [NaN, "nan"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [2, "2.000"],
    [6.8813735870195432, "6.881"],
    [0.7071067811865476, "0.7071"], // a tie in width: the lecture's 4 decimals
    [10, "10.00"],
    [1234.5678, "1235"], // %#.4g writes "1235."
    [123456, "1.235e5"],
    [1.234e-7, "1.234e-7"],
    [1e-5, "1.000e-5"],
    [-1e-5, "-1.000e-5"],
    [0.001, "0.0010"],
    [0.0123, "0.0123"],
    [0.00099995, "0.001000"], // below 1e-3: 4 decimals would hide most of it
    [0.0001235, "0.0001235"],
    [-0.0001235, "-1.235e-4"], // "-0.0001235" is too wide
    [9.9995, "9.999"], // the double is just below the tie
    [9.99995, "10.00"], // rounds up across a power of ten
    [999.95, "1000"],
    [9999.5, "1.000e4"], // an exact tie, to even
    [-1.234e-15, "-1.23e-15"],
    [-1.2345e-100, "-1.2e-100"], // too wide at 4 and 3 digits: 2
    [1.2345e-100, "1.23e-100"],
    [5e-324, "4.94e-324"],
    [-5e-324, "-4.9e-324"],
    [1.7976931348623157e308, "1.798e308"],
    [-1.7976931348623157e308, "-1.80e308"],
  ];
  for (const [x, want] of cases) {
    assert.equal(fmt(x), want, `fmt(${x})`);
    assert.ok(fmt(x).length <= 9);
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
  assert.equal(fmt(1.0625), "1.062");
  assert.equal(fmt(1.1875), "1.188");
  assert.equal(fmt(0.03125), "0.0312");
  assert.equal(fmt(1.2345), "1.234", "not a tie: the double is just below 1.2345");
  assert.equal(pyExp(1.0625, 3), "1.062e+00");
  assert.equal(pyExp(0.1, 3), "1.000e-01", "not a tie: 0.1 is not exactly 0.1");
});

test("pad right-aligns with no-break spaces to 10 characters", () => {
  for (const [s, want] of fixture.pad) assert.equal(pad(s), want);
  assert.equal(pad("1.0000"), "\u00a0".repeat(4) + "1.0000");
  assert.equal(dataField(2), "data\u00a0\u00a0\u00a0\u00a0\u00a02.000");
  assert.equal(gradField(-Infinity), "grad" + "\u00a0".repeat(6) + "-inf");
  assert.equal(dataField(-1.2345e-100).length, 14);
});

test("rangeField writes a layer box's field: both ends padded as a record's number, joined by \" to\"", () => {
  assert.equal(rangeField("data", -0.5, 2), "data\u00a0\u00a0\u00a0-0.5000 to\u00a0\u00a0\u00a0\u00a0\u00a02.000");
  assert.equal(
    rangeField("grad", -Infinity, 123456),
    "grad\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-inf to\u00a0\u00a0\u00a01.235e5",
  );
  assert.equal(rangeField("data", NaN, NaN), "data" + "\u00a0".repeat(7) + "nan to" + "\u00a0".repeat(7) + "nan");
  assert.equal(rangeField("data", Math.SQRT1_2, Math.SQRT1_2), dataField(Math.SQRT1_2) + " to" + pad("0.7071"));
});
