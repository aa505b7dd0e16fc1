// Binary columns as they come over the comm: ipywidgets hands each `bytes` of a trait to the
// page as a DataView, often into one message buffer at any byte offset. A typed array
// needs an offset that is a multiple of its element size, so a misaligned column is
// copied; an aligned one is viewed in place. The wire is little-endian; so is every
// browser, but a big-endian host reads through DataView rather than misread.

/** @typedef {Float64ArrayConstructor | Int32ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor} Column */
/** @typedef {ArrayBuffer | ArrayBufferView} Bytes */

const HOST_LITTLE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** @type {Map<string, (view: DataView, at: number) => number>} element type → little-endian read */
const READ = new Map([
  ["Float64Array", (v, at) => v.getFloat64(at, true)],
  ["Int32Array", (v, at) => v.getInt32(at, true)],
  ["Uint16Array", (v, at) => v.getUint16(at, true)],
  ["Uint8Array", (v, at) => v.getUint8(at)],
]);

/** @param {unknown} x @returns {x is ArrayBuffer} across realms too (an iframe's, happy-dom's) */
const isBuffer = (x) => Object.prototype.toString.call(x) === "[object ArrayBuffer]";

/**
 * Little-endian bytes as an array of `Type`: a view when aligned, else a copy. null for
 * null/undefined (a column the sender left out).
 * @template {Column} T
 * @param {Bytes | null | undefined} bytes a DataView, an ArrayBuffer or any typed array (its bytes)
 * @param {T} Type
 * @param {boolean} [littleHost] whether this machine is little-endian (a parameter for the tests)
 * @returns {InstanceType<T> | null}
 */
export function typed(bytes, Type, littleHost = HOST_LITTLE) {
  if (bytes == null) return null;
  /** @type {ArrayBuffer} */
  let buffer;
  let offset = 0;
  let length;
  if (ArrayBuffer.isView(bytes)) {
    buffer = /** @type {ArrayBuffer} */ (bytes.buffer);
    offset = bytes.byteOffset;
    length = bytes.byteLength;
  } else if (isBuffer(bytes)) {
    buffer = bytes;
    length = bytes.byteLength;
  } else {
    throw new TypeError(`expected bytes (DataView, ArrayBuffer or typed array), got ${typeof bytes}`);
  }
  const size = Type.BYTES_PER_ELEMENT;
  if (length % size) throw new RangeError(`${length} bytes are not a whole number of ${size}-byte ${Type.name} items`);
  const count = length / size;
  if (size > 1 && !littleHost) {
    const read = /** @type {(v: DataView, at: number) => number} */ (READ.get(Type.name));
    const view = new DataView(buffer, offset, length);
    const out = new Type(count);
    for (let k = 0; k < count; k++) out[k] = read(view, k * size);
    return /** @type {InstanceType<T>} */ (out);
  }
  if (offset % size === 0) return /** @type {InstanceType<T>} */ (new Type(buffer, offset, count));
  return /** @type {InstanceType<T>} */ (new Type(buffer.slice(offset, offset + length)));
}

/**
 * The bytes of a typed array as a DataView, the form ipywidgets gives the page.
 * @param {ArrayBufferView} array @returns {DataView}
 */
export const bytesOf = (array) => new DataView(array.buffer, array.byteOffset, array.byteLength);
