// @ts-check
// tables.js: the numbers Python computed once for every position of every control, and
// how the browser reads them (helpers.overlay.table encodes them; tests/test_js.py holds
// these functions to the helpers' exact values).

/**
 * A table as helpers.overlay.table sends it: little-endian bytes, and how to read them.
 * @typedef {object} Table
 * @property {DataView | ArrayBuffer | {buffer: ArrayBuffer}} data the bytes (a DataView from the kernel, an ArrayBuffer from a saved page)
 * @property {"f4" | "u2" | "u1"} dtype
 * @property {number[]} shape
 * @property {string[]} dims the inputs its leading axes follow
 * @property {number} scale
 * @property {number} offset
 */

/** @typedef {Table & {values: Float32Array | Uint16Array | Uint8Array}} DecodedTable */

/**
 * An input's grid: a slider's (min, step, count) or a dropdown's choices.
 * @typedef {object} Input
 * @property {number} [min]
 * @property {number} [step]
 * @property {number} [count]
 * @property {number[]} [choices]
 * @property {number} [value]
 * @property {string} [kind]
 */

/** A slider's grid: what a follow rule, Step and Play move on. */
/** @typedef {{min: number, step: number, count: number}} Grid */

/**
 * The bytes of a buffer as the kernel (DataView) or a saved page (ArrayBuffer) gives them.
 * @param {DataView | ArrayBuffer | {buffer: ArrayBuffer}} buffer
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function bytesOf(buffer) {
  if (buffer instanceof DataView) {
    return new Uint8Array(/** @type {ArrayBuffer} */ (buffer.buffer), buffer.byteOffset, buffer.byteLength);
  }
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  return new Uint8Array(buffer.buffer ?? buffer);
}

/**
 * Decode one table: {data, dtype, shape, dims, scale, offset} as helpers.overlay.table made it.
 * @param {Table} table
 * @returns {DecodedTable}
 */
export function decodeTable(table) {
  const copy = bytesOf(table.data).slice().buffer; // a copy is aligned for any typed array
  const Kind = { f4: Float32Array, u2: Uint16Array, u1: Uint8Array }[table.dtype];
  return { ...table, values: new Kind(copy) };
}

/**
 * Where an input's value sits on its grid, as a fractional index (clamped to the grid).
 * @param {Input} info
 * @param {number} value
 * @returns {number}
 */
export function position(info, value) {
  if (info.choices) return info.choices.indexOf(value); // a dropdown: its table holds these
  const { min, step, count } = /** @type {Grid} */ (info);
  const index = Math.min(Math.max((value - min) / step, 0), count - 1);
  const nearest = Math.round(index);
  return Math.abs(index - nearest) < 1e-6 ? nearest : index; // a grid point, up to rounding
}

/**
 * A table's value at fractional positions of its leading axes (one per input, linear
 * interpolation between grid points) and integer indices `tail` of the trailing axes.
 * @param {DecodedTable} table
 * @param {number[]} positions
 * @param {number[]} [tail]
 * @returns {number}
 */
export function lookup(table, positions, tail = []) {
  const { shape, values, scale, offset } = table;
  let total = 0;
  for (let corner = 0; corner < 1 << positions.length; corner++) {
    let weight = 1;
    let index = 0;
    positions.forEach((p, d) => {
      const low = Math.floor(p);
      const up = (corner >> d) & 1;
      weight *= up ? p - low : 1 - (p - low);
      index = index * shape[d] + Math.min(low + up, shape[d] - 1);
    });
    if (weight === 0) continue;
    tail.forEach((t, k) => {
      index = index * shape[positions.length + k] + t;
    });
    total += weight * (offset + scale * values[index]);
  }
  return total;
}
