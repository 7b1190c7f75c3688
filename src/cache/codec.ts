// A document's result as bytes for the cache file, and back. The fingerprint's typed arrays are stored as the
// raw bytes of the one buffer they share (the layout of packArrays), and come back as views of one buffer again;
// the rest is JSON in three parts, so that a cached result is decoded only as far as a run needs it: its summary
// (metadata, removed lines, fingerprint scalars) at once, its template keys when the template pass asks, and its
// paragraphs only when its article is rendered. Until then they stay bytes of the cache file, which the run holds
// anyway: a warm run neither parses nor copies the texts of a corpus.
//
//   u32 summary length (0xffffffff: an error result, all JSON) | u32 keys length | u32 × 8 array lengths |
//   array bytes | summary JSON | template keys JSON | paragraphs JSON
// The cache file keeps two parts apart (splitLazy): the paragraphs and the first array, the 3-gram sketch (a third of
// the rest), which a warm run needs only for the few pairs it scores again.
import type { CleanDoc } from '../types.js';
import { LazyKeysAnalysis, LazyTextDoc, type DocResult, type KeysSource, type TextSource } from '../document.js';
import type { DocFingerprint } from '../fingerprint/index.js';
import { alignedBytes } from '../aligned.js';

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
 * An encoded result without the parts the cache keeps apart, in a region of its file that a run reads by position only
 * when it asks for them: the paragraphs' JSON (read for the articles a run renders) and the 3-gram sketch (read for the
 * pairs a run scores). `lean` is the rest, in two pieces (the head, then what follows the sketch up to the
 * paragraphs), which decodeResult reads with a sketch source. null: an error result, which has neither.
 */
export function splitLazy(bytes: Uint8Array): { lean: Uint8Array[]; texts: Uint8Array; sketch: Uint8Array } | null {
  const parts = partsOf(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!parts) return null;
  const sketchEnd = HEAD + parts.lengths[0] * WIDTH[0];
  return { lean: [bytes.subarray(0, HEAD), bytes.subarray(sketchEnd, parts.textsAt)], texts: bytes.subarray(parts.textsAt), sketch: bytes.subarray(HEAD, sketchEnd) };
}

/**
 * Where an encoded result's parts lie (its arrays' lengths, their bytes, the JSON parts); null: an error result. A
 * lean one (splitLazy) holds no sketch bytes, though its head gives the sketch's length.
 */
function partsOf(view: Buffer, lean = false): { lengths: number[]; summaryAt: number; keysAt: number; textsAt: number } | null {
  const summaryLength = view.readUInt32LE(0);
  if (summaryLength === ERROR) return null;
  let size = 0;
  const lengths = ARRAYS.map((_, i) => {
    const n = view.readUInt32LE(8 + i * 4);
    if (!(lean && i === 0)) size += n * WIDTH[i];
    return n;
  });
  const summaryAt = HEAD + size;
  const keysAt = summaryAt + summaryLength;
  return { lengths, summaryAt, keysAt, textsAt: keysAt + view.readUInt32LE(4) };
}

/**
 * The result stored in `bytes` (kept, not copied: its texts are read from them when asked for), under `path`. With
 * `texts` and `sketch`, the bytes are a lean result (splitLazy's pieces one after another): the paragraphs are read
 * from `texts`, and the 3-gram sketch from `sketch` when the fingerprint's `shingles` are first asked for.
 */
export function decodeResult(bytes: Uint8Array, path?: string, texts?: TextSource, sketch?: () => Uint32Array): DocResult {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = partsOf(view, sketch !== undefined);
  if (!parts) {
    const error = JSON.parse(view.toString('utf8', HEAD)) as DocResult;
    return path === undefined ? error : { ...error, path };
  }
  const { lengths, summaryAt, keysAt, textsAt } = parts;
  if (textsAt > view.length) throw new Error('the entry has the wrong length');
  // Views of the bytes themselves when they are aligned (the cache file lays entries out so), else one aligned copy.
  // The arrays are never written to, so sharing the bytes is safe.
  const arrays = alignedBytes(view.subarray(HEAD, summaryAt), 4);
  const buffer = arrays.buffer;
  let offset = arrays.byteOffset;
  const views = ARRAYS.map((_, i) => {
    const n = lengths[i];
    if (i === 0 && sketch) return null; // not in these bytes
    // most documents quote nobody and name no calendar date: one empty array for all of them (never written to)
    if (n === 0) return EMPTY[WIDTH[i]];
    const v = WIDTH[i] === 4 ? new Uint32Array(buffer, offset, n) : WIDTH[i] === 2 ? new Uint16Array(buffer, offset, n) : new Uint8Array(buffer, offset, n);
    offset += n * WIDTH[i];
    return v;
  });
  const [shingles, minhash, terms, quotes, title, counts, calendar, kinds] = views as [Uint32Array | null, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint16Array, Uint16Array, Uint8Array];
  const summary = JSON.parse(view.toString('utf8', summaryAt, keysAt)) as { doc: Omit<CleanDoc, 'paragraphs'>; fp: DocFingerprint };
  const { exact, words, shingleCount, quoteCount, day, labels } = summary.fp;
  // Fields in the order fingerprint() makes them, so a cached result is indistinguishable from a fresh one.
  let fp: DocFingerprint;
  if (shingles) fp = { exact, words, shingles, shingleCount, minhash, terms, counts, kinds, quotes, quoteCount, title, day, calendar, labels };
  else {
    const partial = { exact, words } as DocFingerprint;
    lazySketches.set(partial, { load: sketch!, length: lengths[0] });
    Object.defineProperty(partial, 'shingles', SHINGLES);
    fp = Object.assign(partial, { shingleCount, minhash, terms, counts, kinds, quotes, quoteCount, title, day, calendar, labels });
  }
  const doc = new LazyTextDoc(path === undefined ? summary.doc : { ...summary.doc, path }, texts ?? new CachedJson(view.subarray(textsAt)));
  return new LazyKeysAnalysis(doc, fp, new CachedJson(view.subarray(keysAt, textsAt)));
}

/** An empty array of each width, shared by the decoded fingerprints that have nothing there. */
const EMPTY: Record<number, Uint32Array | Uint16Array | Uint8Array> = { 4: new Uint32Array(0), 2: new Uint16Array(0), 1: new Uint8Array(0) };

/** The sketch source of each fingerprint decoded without its sketch, then the sketch once read. */
const lazySketches = new WeakMap<object, { load: () => Uint32Array; length: number } | Uint32Array>();

/**
 * `shingles` of such a fingerprint: an enumerable property like any other (JSON and equality see the sketch), whose
 * getter, one function for all of them, keeps their hidden class shared.
 */
const SHINGLES: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: object): Uint32Array {
    const held = lazySketches.get(this)!;
    if (held instanceof Uint32Array) return held;
    const sketch = held.load();
    if (sketch.length !== held.length) throw new Error(`a 3-gram sketch of ${sketch.length} hashes where ${held.length} were stored`);
    lazySketches.set(this, sketch);
    return sketch;
  },
};

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
