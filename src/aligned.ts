// Typed arrays over stored bytes (the cache file, the vocabulary table) are views of them when they can be.

/**
 * `bytes` when they start at a multiple of `align` in their buffer, else a copy of them that does: typed arrays of
 * that width (4: Uint32Array, 8: Float64Array) can then be views of the result's buffer from its byteOffset on.
 */
export function alignedBytes(bytes: Uint8Array, align: number): Uint8Array {
  return bytes.byteOffset % align === 0 ? bytes : new Uint8Array(bytes);
}
