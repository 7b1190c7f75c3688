// A document's result as bytes for the cache file, and back. The fingerprint's typed arrays are stored as the
// raw bytes of the one buffer they share (the layout of packArrays), and come back as views of one buffer again;
// the rest is JSON in three parts, so that a cached result is decoded only as far as a run needs it: its summary
// (metadata, removed lines, fingerprint scalars) at once, its template keys when the template pass asks, and its
// paragraphs only when its article is rendered. Until then they stay bytes of the cache file, which the run holds
// anyway: a warm run neither parses nor copies the texts of a corpus.
//
//   u32 summary length (0xffffffff: an error result, all JSON) | u32 keys length | u32 × 8 array lengths |
//   array bytes | summary JSON | template keys JSON | paragraphs JSON
import type { CleanDoc } from '../types.js';
import { LazyKeysAnalysis, LazyTextDoc, type DocResult, type KeysSource, type TextSource } from '../document.js';
import type { DocFingerprint } from '../fingerprint/index.js';

/** The fingerprint's arrays in packArrays order: widths 4, 4, 4, 4, 4, 2, 2, 1. */
const ARRAYS = ['shingles', 'minhash', 'terms', 'quotes', 'title', 'counts', 'calendar', 'kinds'] as const;
const WIDTH = [4, 4, 4, 4, 4, 2, 2, 1];
const HEAD = 8 + ARRAYS.length * 4;
/** Bytes before a result's arrays (the cache aligns what follows). */
export const RESULT_HEAD = HEAD;
const ERROR = 0xffffffff;

export function encodeResult(result: DocResult): Uint8Array {
  if (!('fp' in result)) {
    const json = Buffer.from(JSON.stringify(result));
    const out = Buffer.alloc(HEAD + json.length);
    out.writeUInt32LE(ERROR, 0);
    out.set(json, HEAD);
    return out;
  }
  const { doc, fp, templateKeys, openTemplateKeys } = result;
  const { paragraphs, ...rest } = doc;
  const summary = Buffer.from(JSON.stringify({ doc: rest, fp: { exact: fp.exact, words: fp.words, shingleCount: fp.shingleCount, quoteCount: fp.quoteCount, day: fp.day, labels: fp.labels } }));
  const keys = Buffer.from(JSON.stringify([templateKeys, openTemplateKeys]));
  const texts = Buffer.from(JSON.stringify(paragraphs));
  const arrays = ARRAYS.map((name) => fp[name]);
  const bytes = arrays.reduce((n, a) => n + a.byteLength, 0);
  const out = Buffer.alloc(HEAD + bytes + summary.length + keys.length + texts.length);
  out.writeUInt32LE(summary.length, 0);
  out.writeUInt32LE(keys.length, 4);
  let pos = HEAD;
  arrays.forEach((a, i) => {
    out.writeUInt32LE(a.length, 8 + i * 4);
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), pos);
    pos += a.byteLength;
  });
  out.set(summary, pos);
  out.set(keys, pos + summary.length);
  out.set(texts, pos + summary.length + keys.length);
  return out;
}

/**
 * An encoded result cut where its paragraphs begin: the rest, and the paragraphs' JSON (the cache keeps them apart, in
 * a region of its file that a run reads only for the articles it renders). null: an error result, which has none.
 */
export function splitTexts(bytes: Uint8Array): [rest: Uint8Array, texts: Uint8Array] | null {
  const parts = partsOf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return parts && [bytes.subarray(0, parts.textsAt), bytes.subarray(parts.textsAt)];
}

/** Where an encoded result's parts lie (its arrays' lengths, their bytes, the JSON parts); null: an error result. */
function partsOf(view: Buffer): { lengths: number[]; size: number; summaryAt: number; keysAt: number; textsAt: number } | null {
  const summaryLength = view.readUInt32LE(0);
  if (summaryLength === ERROR) return null;
  let size = 0;
  const lengths = ARRAYS.map((_, i) => {
    const n = view.readUInt32LE(8 + i * 4);
    size += n * WIDTH[i];
    return n;
  });
  const summaryAt = HEAD + size;
  const keysAt = summaryAt + summaryLength;
  return { lengths, size, summaryAt, keysAt, textsAt: keysAt + view.readUInt32LE(4) };
}

/**
 * The result stored in `bytes` (kept, not copied: its texts are read from them when asked for), under `path`; with
 * `texts`, the bytes end where the paragraphs would begin (splitTexts) and the paragraphs are read from that source.
 */
export function decodeResult(bytes: Uint8Array, path?: string, texts?: TextSource): DocResult {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = partsOf(view);
  if (!parts) {
    const error = JSON.parse(view.toString('utf8', HEAD)) as DocResult;
    return path === undefined ? error : { ...error, path };
  }
  const { lengths, size, summaryAt, keysAt, textsAt } = parts;
  if (textsAt > view.length) throw new Error('the entry has the wrong length');
  // Views of the bytes themselves when they are aligned (the cache file lays entries out so), else one aligned copy.
  // The arrays are never written to, so sharing the bytes is safe.
  let buffer: ArrayBufferLike;
  let offset: number;
  if ((view.byteOffset + HEAD) % 4 === 0) {
    buffer = view.buffer;
    offset = view.byteOffset + HEAD;
  } else {
    buffer = new ArrayBuffer(size);
    new Uint8Array(buffer).set(view.subarray(HEAD, summaryAt));
    offset = 0;
  }
  const views = ARRAYS.map((_, i) => {
    const n = lengths[i];
    const v = WIDTH[i] === 4 ? new Uint32Array(buffer, offset, n) : WIDTH[i] === 2 ? new Uint16Array(buffer, offset, n) : new Uint8Array(buffer, offset, n);
    offset += n * WIDTH[i];
    return v;
  });
  const [shingles, minhash, terms, quotes, title, counts, calendar, kinds] = views as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint16Array, Uint16Array, Uint8Array];
  const summary = JSON.parse(view.toString('utf8', summaryAt, keysAt)) as { doc: Omit<CleanDoc, 'paragraphs'>; fp: DocFingerprint };
  const { exact, words, shingleCount, quoteCount, day, labels } = summary.fp;
  // Fields in the order fingerprint() makes them, so a cached result is indistinguishable from a fresh one.
  const fp: DocFingerprint = { exact, words, shingles, shingleCount, minhash, terms, counts, kinds, quotes, quoteCount, title, day, calendar, labels };
  const doc = new LazyTextDoc(path === undefined ? summary.doc : { ...summary.doc, path }, texts ?? new CachedJson(view.subarray(textsAt)));
  return new LazyKeysAnalysis(doc, fp, new CachedJson(view.subarray(keysAt, textsAt)));
}

/** Paragraphs, or template keys, as JSON bytes of the cache: parsed each time they are asked for. */
class CachedJson implements TextSource, KeysSource {
  constructor(private readonly json: Buffer) {}
  paragraphs(): string[] {
    return JSON.parse(this.json.toString('utf8')) as string[];
  }
  keys(): [string[], string[]] {
    return JSON.parse(this.json.toString('utf8')) as [string[], string[]];
  }
}
