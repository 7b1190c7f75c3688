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
  const buf = bufferOver(bytes.buffer);
  const parts = partsOf(buf, bytes.byteOffset, false);
  if (!parts) return null;
  const sketchEnd = HEAD + buf.readUInt32LE(bytes.byteOffset + 8) * WIDTH[0];
  return { lean: [bytes.subarray(0, HEAD), bytes.subarray(sketchEnd, parts.textsAt)], texts: bytes.subarray(parts.textsAt), sketch: bytes.subarray(HEAD, sketchEnd) };
}

/**
 * Where the parts of the encoded result at `base` in `buf` lie, from its start (the arrays' lengths are in its head: u32
 * at 8 + 4 i); null: an error result. A lean one (splitLazy) holds no sketch bytes, though its head gives the sketch's
 * length.
 */
function partsOf(buf: Buffer, base: number, lean: boolean): { summaryAt: number; keysAt: number; textsAt: number } | null {
  const summaryLength = buf.readUInt32LE(base);
  if (summaryLength === ERROR) return null;
  let size = 0;
  for (let i = lean ? 1 : 0; i < ARRAYS.length; i++) size += buf.readUInt32LE(base + 8 + i * 4) * WIDTH[i];
  const summaryAt = HEAD + size;
  const keysAt = summaryAt + summaryLength;
  return { summaryAt, keysAt, textsAt: keysAt + buf.readUInt32LE(base + 4) };
}

/**
 * The result stored in `bytes` (kept, not copied: its texts are read from them when asked for), under `path`. With
 * `texts` and `sketch`, the bytes are a lean result (splitLazy's pieces one after another): the paragraphs are read
 * from `texts`, and the 3-gram sketch from `sketch` when the fingerprint's `shingles` are first asked for.
 *
 * A warm run decodes every cached result (10,000 at a time), so this makes few objects: the lengths and strings are
 * read from one Buffer over the whole file's bytes, not from a Buffer view made for each result.
 */
export function decodeResult(bytes: Uint8Array, path?: string, texts?: TextSource, sketch?: () => Uint32Array): DocResult {
  if (bytes.byteLength < HEAD) throw new Error('the entry has the wrong length');
  const buf = bufferOver(bytes.buffer);
  const base = bytes.byteOffset;
  const lean = sketch !== undefined;
  const parts = partsOf(buf, base, lean);
  if (!parts) {
    const error = JSON.parse(buf.toString('utf8', base + HEAD, base + bytes.byteLength)) as DocResult;
    return path === undefined ? error : { ...error, path };
  }
  const { summaryAt, keysAt, textsAt } = parts;
  if (textsAt > bytes.byteLength) throw new Error('the entry has the wrong length');
  // Views of the bytes themselves when they are aligned (the cache file lays entries out so), else one aligned copy.
  // The arrays are never written to, so sharing the bytes is safe.
  let arrays: ArrayBufferLike = bytes.buffer;
  let offset = base + HEAD;
  if (offset % 4 !== 0) {
    const copy = alignedBytes(bytes.subarray(HEAD, summaryAt), 4);
    arrays = copy.buffer;
    offset = copy.byteOffset;
  }
  const views: (Uint32Array | Uint16Array | Uint8Array | null)[] = new Array(ARRAYS.length);
  for (let i = 0; i < ARRAYS.length; i++) {
    const n = buf.readUInt32LE(base + 8 + i * 4);
    if (i === 0 && lean) views[i] = null; // not in these bytes
    // most documents quote nobody and name no calendar date: one empty array for all of them (never written to)
    else if (n === 0) views[i] = EMPTY[WIDTH[i]];
    else {
      views[i] = WIDTH[i] === 4 ? new Uint32Array(arrays, offset, n) : WIDTH[i] === 2 ? new Uint16Array(arrays, offset, n) : new Uint8Array(arrays, offset, n);
      offset += n * WIDTH[i];
    }
  }
  const [shingles, minhash, terms, quotes, title, counts, calendar, kinds] = views as [Uint32Array | null, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint16Array, Uint16Array, Uint8Array];
  const summary = JSON.parse(buf.toString('utf8', base + summaryAt, base + keysAt)) as { doc: Omit<CleanDoc, 'paragraphs'>; fp: DocFingerprint };
  const { exact, words, shingleCount, quoteCount, day, labels } = summary.fp;
  // Fields in the order fingerprint() makes them, so a cached result is indistinguishable from a fresh one.
  const fp: DocFingerprint = shingles
    ? { exact, words, shingles, shingleCount, minhash, terms, counts, kinds, quotes, quoteCount, title, day, calendar, labels }
    : new SketchLater(exact, words, sketch!, buf.readUInt32LE(base + 8), shingleCount, minhash, terms, counts, kinds, quotes, quoteCount, title, day, calendar, labels);
  // the parsed object is this call's own: the path is set in its place (path is its first key, as in every document)
  if (path !== undefined) summary.doc.path = path;
  const doc = new LazyTextDoc(summary.doc, texts ?? new CachedJson(buf, base + textsAt, base + bytes.byteLength));
  return new LazyKeysAnalysis(doc, fp, new CachedJson(buf, base + keysAt, base + textsAt));
}

/** A Buffer over all of each ArrayBuffer decodeResult reads from (the cache file's bytes): one, not one per result. */
const buffers = new WeakMap<ArrayBufferLike, Buffer>();
function bufferOver(ab: ArrayBufferLike): Buffer {
  let buf = buffers.get(ab);
  if (!buf) buffers.set(ab, (buf = Buffer.from(ab as ArrayBuffer)));
  return buf;
}

/** An empty array of each width, shared by the decoded fingerprints that have nothing there. */
const EMPTY: Record<number, Uint32Array | Uint16Array | Uint8Array> = { 4: new Uint32Array(0), 2: new Uint16Array(0), 1: new Uint8Array(0) };

/**
 * A fingerprint decoded without its 3-gram sketch, which is read (from the cache file's lazy region) when `shingles`
 * is first asked for. `shingles` is an own enumerable property like the others, in fingerprint()'s order (JSON and
 * equality see the sketch), whose getter, one for all of them, keeps their hidden class shared; where the sketch is to
 * be read from is a private field (a WeakMap of 10,000 fingerprints and an Object.assign each cost a warm run more).
 */
class SketchLater implements DocFingerprint {
  declare readonly exact: string;
  declare readonly words: number;
  declare readonly shingles: Uint32Array;
  declare readonly shingleCount: number;
  declare readonly minhash: Uint32Array;
  declare readonly terms: Uint32Array;
  declare readonly counts: Uint16Array;
  declare readonly kinds: Uint8Array;
  declare readonly quotes: Uint32Array;
  declare readonly quoteCount: number;
  declare readonly title: Uint32Array;
  declare readonly day: number | null;
  declare readonly calendar: Uint16Array;
  declare readonly labels: string;
  #load: (() => Uint32Array) | null;
  #sketch: Uint32Array | null = null;
  readonly #length: number;

  static readonly #shingles: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: SketchLater): Uint32Array {
      if (this.#sketch) return this.#sketch;
      const sketch = this.#load!();
      if (sketch.length !== this.#length) throw new Error(`a 3-gram sketch of ${sketch.length} hashes where ${this.#length} were stored`);
      this.#load = null;
      return (this.#sketch = sketch);
    },
  };

  constructor(
    exact: string,
    words: number,
    load: () => Uint32Array,
    length: number,
    shingleCount: number,
    minhash: Uint32Array,
    terms: Uint32Array,
    counts: Uint16Array,
    kinds: Uint8Array,
    quotes: Uint32Array,
    quoteCount: number,
    title: Uint32Array,
    day: number | null,
    calendar: Uint16Array,
    labels: string,
  ) {
    // the fields in fingerprint()'s order, `shingles` among them
    const self = this as { -readonly [K in keyof DocFingerprint]: DocFingerprint[K] };
    self.exact = exact;
    self.words = words;
    Object.defineProperty(this, 'shingles', SketchLater.#shingles);
    self.shingleCount = shingleCount;
    self.minhash = minhash;
    self.terms = terms;
    self.counts = counts;
    self.kinds = kinds;
    self.quotes = quotes;
    self.quoteCount = quoteCount;
    self.title = title;
    self.day = day;
    self.calendar = calendar;
    self.labels = labels;
    this.#load = load;
    this.#length = length;
  }
}

/** Paragraphs, or template keys, as JSON bytes of the cache (from `start` to `end` of `buf`): parsed each time they are asked for. */
class CachedJson implements TextSource, KeysSource {
  constructor(
    private readonly buf: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}
  paragraphs(): string[] {
    return JSON.parse(this.buf.toString('utf8', this.start, this.end)) as string[];
  }
  keys(): [string[], string[]] {
    return JSON.parse(this.buf.toString('utf8', this.start, this.end)) as [string[], string[]];
  }
}
