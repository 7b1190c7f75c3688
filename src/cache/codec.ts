// A document's result as bytes for the cache file, and back. The fingerprint's typed arrays are stored as the
// raw bytes of the one buffer they share (the layout of packArrays), and come back as views of one buffer again;
// everything else is JSON. Faster than v8.serialize for both (no per-array host-object callbacks), and a
// cached fingerprint takes no more memory than a fresh one.
import type { DocResult } from '../document.js';
import type { DocFingerprint } from '../fingerprint/index.js';

/** The fingerprint's arrays in packArrays order: widths 4, 4, 4, 4, 4, 2, 2, 1. */
const ARRAYS = ['shingles', 'minhash', 'terms', 'quotes', 'title', 'counts', 'calendar', 'kinds'] as const;
const WIDTH = [4, 4, 4, 4, 4, 2, 2, 1];
const HEAD = 4 + ARRAYS.length * 4;

export function encodeResult(result: DocResult): Uint8Array {
  const fp = 'fp' in result ? result.fp : null;
  const json = Buffer.from(JSON.stringify(fp ? { ...result, fp: { exact: fp.exact, words: fp.words, day: fp.day, labels: fp.labels } } : result));
  const arrays = fp ? ARRAYS.map((name) => fp[name]) : [];
  const bytes = arrays.reduce((n, a, i) => n + a.length * WIDTH[i], 0);
  const out = Buffer.alloc(HEAD + bytes + json.length);
  out.writeUInt32LE(fp ? json.length : 0xffffffff, 0);
  let pos = HEAD;
  arrays.forEach((a, i) => {
    out.writeUInt32LE(a.length, 4 + i * 4);
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), pos);
    pos += a.byteLength;
  });
  out.set(json, pos);
  return out;
}

export function decodeResult(bytes: Uint8Array): DocResult {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.readUInt32LE(0);
  if (jsonLength === 0xffffffff) return JSON.parse(view.toString('utf8', HEAD)) as DocResult;
  let size = 0;
  const lengths = ARRAYS.map((_, i) => {
    const n = view.readUInt32LE(4 + i * 4);
    size += n * WIDTH[i];
    return n;
  });
  if (HEAD + size + jsonLength !== view.length) throw new Error('the entry has the wrong length');
  // One fresh, aligned buffer for all the arrays (the file's bytes may sit at any offset).
  const buffer = new ArrayBuffer(size);
  new Uint8Array(buffer).set(view.subarray(HEAD, HEAD + size));
  const parsed = JSON.parse(view.toString('utf8', HEAD + size)) as DocResult & { fp: Partial<DocFingerprint> };
  let offset = 0;
  const views = ARRAYS.map((_, i) => {
    const n = lengths[i];
    const v = WIDTH[i] === 4 ? new Uint32Array(buffer, offset, n) : WIDTH[i] === 2 ? new Uint16Array(buffer, offset, n) : new Uint8Array(buffer, offset, n);
    offset += n * WIDTH[i];
    return v;
  });
  const [shingles, minhash, terms, quotes, title, counts, calendar, kinds] = views as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint16Array, Uint16Array, Uint8Array];
  const { exact, words, day, labels } = parsed.fp as DocFingerprint;
  // Fields in the order fingerprint() makes them, so a cached result is indistinguishable from a fresh one.
  const fp: DocFingerprint = { exact, words, shingles, minhash, terms, counts, kinds, quotes, title, day, calendar, labels };
  return { ...parsed, fp };
}
