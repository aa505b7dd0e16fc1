import assert from "node:assert/strict";
import { test } from "node:test";
import { bytesOf, typed } from "./bytes.js";

/** Little-endian bytes of a few numbers of each width, written through DataView (not the host's order). */
function message() {
  const buffer = new ArrayBuffer(64);
  const v = new DataView(buffer);
  v.setFloat64(3, -2.5, true); // 3: no multiple of 8
  v.setFloat64(11, Infinity, true);
  v.setInt32(24, -7, true); // 24: aligned for Int32
  v.setInt32(28, 70000, true);
  v.setUint16(33, 65535, true); // 33: odd
  v.setUint8(40, 1);
  return buffer;
}

test("a DataView at an offset no multiple of the item size: copied, read little-endian", () => {
  const buffer = message();
  const floats = typed(new DataView(buffer, 3, 16), Float64Array);
  assert.ok(floats instanceof Float64Array);
  assert.deepEqual([...floats], [-2.5, Infinity]);
  assert.notEqual(floats.buffer, buffer, "a copy: a Float64Array cannot start at byte 3");
  const shorts = typed(new DataView(buffer, 33, 2), Uint16Array);
  assert.deepEqual([...(shorts ?? [])], [65535]);
});

test("an aligned DataView is viewed in place, not copied", () => {
  const buffer = message();
  const ints = /** @type {Int32Array} */ (typed(new DataView(buffer, 24, 8), Int32Array));
  assert.deepEqual([...ints], [-7, 70000]);
  assert.equal(ints.buffer, buffer);
  assert.equal(ints.byteOffset, 24);
  const flag = typed(new DataView(buffer, 40, 1), Uint8Array);
  assert.deepEqual([...(flag ?? [])], [1]);
});

test("an ArrayBuffer or any typed array is taken by its bytes", () => {
  const data = Float64Array.of(1.5, -0, NaN);
  assert.ok(Object.is(typed(data.buffer, Float64Array)?.[1], -0), "an ArrayBuffer");
  const asBytes = new Uint8Array(data.buffer);
  assert.deepEqual([...(typed(asBytes, Float64Array) ?? [])], [1.5, -0, NaN], "a Uint8Array of its bytes");
  const part = new Uint8Array(message(), 24, 8); // a typed array with an offset of its own
  assert.deepEqual([...(typed(part, Int32Array) ?? [])], [-7, 70000]);
  assert.deepEqual([...(typed(bytesOf(Int32Array.of(3, -4)), Int32Array) ?? [])], [3, -4], "bytesOf round-trips");
});

test("a big-endian host reads through DataView and gets the same numbers", () => {
  const buffer = message();
  for (const [offset, length, Type] of /** @type {const} */ ([
    [3, 16, Float64Array],
    [24, 8, Int32Array],
    [33, 2, Uint16Array],
  ])) {
    const little = typed(new DataView(buffer, offset, length), Type);
    const big = typed(new DataView(buffer, offset, length), Type, false);
    assert.deepEqual([...(big ?? [])], [...(little ?? [])], Type.name);
    assert.notEqual(big?.buffer, buffer);
  }
});

test("nothing gives null; a byte count that is no whole number of items, or no bytes at all, is an error", () => {
  assert.equal(typed(undefined, Float64Array), null);
  assert.equal(typed(null, Uint8Array), null);
  assert.throws(
    () => typed(new DataView(new ArrayBuffer(12)), Float64Array),
    /12 bytes are not a whole number of 8-byte/,
  );
  assert.throws(() => typed(/** @type {any} */ ([1, 2]), Uint8Array), /expected bytes/);
  assert.equal(typed(new ArrayBuffer(0), Int32Array)?.length, 0);
});
