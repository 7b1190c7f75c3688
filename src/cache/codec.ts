// A document's result as bytes for the cache file, and back. The fingerprint's typed arrays are stored as the
// raw bytes of the one buffer they share (the layout of packArrays), and come back as views of one buffer again;
// the rest is JSON in three parts, so that a cached result is decoded only as far as a run needs it: its summary
// (metadata, removed lines, fingerprint scalars) at once, its template keys when the template pass asks, and its
// paragraphs only when its article is rendered. Until then they stay bytes of the cache file, which the run holds
// anyway: a warm run neither parses nor copies the texts of a corpus.
//
//   u32 summary length (0xffffffff: an error result, all JSON) | u32 keys length | u32 × 8 array lengths |
//   array bytes | summary JSON, a zero byte, the labels | template keys | paragraphs JSON
// where the template keys are u32 count | u32 open count | their hashes (keyHashes: 8 bytes each, the open ones after)
// | JSON [keys, open keys]: the template pass counts the hashes, and reads the text of the few keys it finds.
// The cache file keeps two parts apart (splitLazy): the paragraphs, and the fingerprint's arrays but its terms (the
// 3-gram sketch, MinHash, the terms' counts and kinds: most of the rest), which a warm run needs only for the few
// documents whose pairs it scores or whose terms it weighs again. The terms stay: a warm run whose edit moved a term's
// weight looks through every document's terms for the documents holding it.
import type { CleanDoc } from '../types.js';
import { LazyKeysAnalysis, LazyTextDoc, type DocResult, type KeysSource, type TextSource } from '../document.js';
import type { DocFingerprint } from '../fingerprint/index.js';
import { alignedBytes } from '../aligned.js';
import { KEY_HASH_BYTES, keyHashes, type KeyHashes } from '../clean/template-lines.js';

/** The fingerprint's arrays in packArrays order: widths 4, 4, 4, 4, 4, 2, 2, 1. */
const ARRAYS = ['shingles', 'minhash', 'terms', 'quotes', 'title', 'counts', 'calendar', 'kinds'] as const;
const WIDTH = [4, 4, 4, 4, 4, 2, 2, 1];
const HEAD = 8 + ARRAYS.length * 4;
/** Where a lean result's fingerprint arrays are read from when first asked for. */
export interface LazyArrays {
  arrays(): Uint8Array;
}

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
  // the labels after the JSON, raw (LABELS_CUT between): read when an explanation asks, not parsed with the rest
  const summary = Buffer.from(`${JSON.stringify({ doc: rest, fp: { exact: fp.exact, words: fp.words, shingleCount: fp.shingleCount, quoteCount: fp.quoteCount, day: fp.day } })}${String.fromCharCode(LABELS_CUT)}${fp.labels}`);
  const keys = encodeKeys(templateKeys, openTemplateKeys);
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
 * when it asks for them: the paragraphs' JSON (read for the articles a run renders) and the fingerprint's arrays but
 * its terms, one after another (read for the documents a run scores or weighs again). `lean` is the rest, in three
 * pieces (the head, with the arrays' lengths; the terms; the summary and the template keys), which decodeResult
 * reads with a source of the other arrays. null: an error result, which has neither.
 */
export function splitLazy(bytes: Uint8Array): { lean: Uint8Array[]; texts: Uint8Array; arrays: Uint8Array } | null {
  const buf = bufferOver(bytes.buffer);
  const parts = partsOf(buf, bytes.byteOffset, false);
  if (!parts) return null;
  const { termsAt, termsEnd } = termsOf(buf, bytes.byteOffset);
  return {
    lean: [bytes.subarray(0, HEAD), bytes.subarray(termsAt, termsEnd), bytes.subarray(parts.summaryAt, parts.textsAt)],
    texts: bytes.subarray(parts.textsAt),
    arrays: Buffer.concat([bytes.subarray(HEAD, termsAt), bytes.subarray(termsEnd, parts.summaryAt)]),
  };
}

/** The place of TERMS in ARRAYS: the one array a lean result keeps. */
const TERMS = ARRAYS.indexOf('terms');

/** Where the terms of the encoded result at `base` in `buf` lie, from its start. */
function termsOf(buf: Buffer, base: number): { termsAt: number; termsEnd: number } {
  let termsAt = HEAD;
  for (let i = 0; i < TERMS; i++) termsAt += buf.readUInt32LE(base + 8 + i * 4) * WIDTH[i];
  return { termsAt, termsEnd: termsAt + buf.readUInt32LE(base + 8 + TERMS * 4) * WIDTH[TERMS] };
}

/**
 * Where the parts of the encoded result at `base` in `buf` lie, from its start (the arrays' lengths are in its head: u32
 * at 8 + 4 i); null: an error result. A lean one (splitLazy) holds the terms of the arrays only, though its head gives
 * the lengths of all.
 */
function partsOf(buf: Buffer, base: number, lean: boolean): { summaryAt: number; keysAt: number; textsAt: number } | null {
  const summaryLength = buf.readUInt32LE(base);
  if (summaryLength === ERROR) return null;
  const summaryAt = HEAD + (lean ? buf.readUInt32LE(base + 8 + TERMS * 4) * WIDTH[TERMS] : arraysBytes(buf, base));
  const keysAt = summaryAt + summaryLength;
  return { summaryAt, keysAt, textsAt: keysAt + buf.readUInt32LE(base + 4) };
}

/** Bytes of the fingerprint's arrays of the encoded result at `base` in `buf`, by the lengths in its head. */
function arraysBytes(buf: Buffer, base: number): number {
  let size = 0;
  for (let i = 0; i < ARRAYS.length; i++) size += buf.readUInt32LE(base + 8 + i * 4) * WIDTH[i];
  return size;
}

/**
 * The result stored in `bytes` (kept, not copied: its texts are read from them when asked for), under `path`. With
 * `texts` and `arrays`, the bytes are a lean result (splitLazy's pieces one after another): the paragraphs are read
 * from `texts`, and the fingerprint's arrays from `arrays` when one of them is first asked for.
 *
 * A warm run decodes every cached result (10,000 at a time), so this makes few objects: the lengths and strings are
 * read from one Buffer over the whole file's bytes, not from a Buffer view made for each result.
 */
export function decodeResult(bytes: Uint8Array, path?: string, texts?: TextSource, arrays?: LazyArrays | (() => Uint8Array)): DocResult {
  if (bytes.byteLength < HEAD) throw new Error('the entry has the wrong length');
  const buf = bufferOver(bytes.buffer);
  const base = bytes.byteOffset;
  const lean = arrays !== undefined;
  const parts = partsOf(buf, base, lean);
  if (!parts) {
    const error = JSON.parse(buf.toString('utf8', base + HEAD, base + bytes.byteLength)) as DocResult;
    return path === undefined ? error : { ...error, path };
  }
  const { summaryAt, keysAt, textsAt } = parts;
  if (textsAt > bytes.byteLength) throw new Error('the entry has the wrong length');
  const lengths: number[] = new Array(ARRAYS.length);
  for (let i = 0; i < ARRAYS.length; i++) lengths[i] = buf.readUInt32LE(base + 8 + i * 4);
  // the summary's JSON ends at its first zero byte (JSON.stringify escapes U+0000), where the raw labels begin
  const labelsCut = buf.indexOf(LABELS_CUT, base + summaryAt);
  if (labelsCut < 0 || labelsCut >= base + keysAt) throw new Error('the entry has no labels part');
  const summary = JSON.parse(buf.toString('utf8', base + summaryAt, labelsCut)) as { doc: Omit<CleanDoc, 'paragraphs'>; fp: DocFingerprint };
  const { exact, words, shingleCount, quoteCount, day } = summary.fp;
  const labels: LabelsAt = { buf, start: labelsCut + 1, end: base + keysAt };
  // Views of the bytes themselves when they are aligned (the cache file lays entries out so), else one aligned copy.
  // The arrays are never written to, so sharing the bytes is safe.
  const inPlace = (base + HEAD) % 4 === 0;
  let fp: DocFingerprint;
  if (lean) {
    // a lean result holds the terms alone of its arrays (a view of them alone: no view of the part made first)
    const n = lengths[TERMS];
    const terms = n === 0 ? (EMPTY[4] as Uint32Array) : inPlace ? new Uint32Array(bytes.buffer, bytes.byteOffset + HEAD, n) : new Uint32Array(alignedBytes(bytes.subarray(HEAD, HEAD + 4 * n), 4).buffer, 0, n);
    fp = new ArraysLater(exact, words, shingleCount, quoteCount, day, labels, terms, lengths, arrays);
  }
  else {
    const aligned = inPlace ? bytes.subarray(HEAD, summaryAt) : alignedBytes(bytes.subarray(HEAD, summaryAt), 4);
    const [shingles, minhash, terms, quotes, title, counts, calendar, kinds] = viewsOf(aligned, lengths);
    // Fields in the order fingerprint() makes them, so a cached result is indistinguishable from a fresh one.
    fp = { exact, words, shingles, shingleCount, minhash, terms, counts, kinds, quotes, quoteCount, title, day, calendar, labels: labelsOf(labels) };
  }
  // the parsed object is this call's own: the path is set in its place (path is its first key, as in every document)
  if (path !== undefined) summary.doc.path = path;
  const doc = new LazyTextDoc(summary.doc, texts ?? new CachedJson(buf, base + textsAt, base + bytes.byteLength));
  return new LazyKeysAnalysis(doc, fp, new CachedKeys(buf, base + keysAt, base + textsAt));
}

/** The byte between a summary's JSON and its labels. */
const LABELS_CUT = 0;

/** Where a fingerprint's labels lie in the cache's bytes (UTF-8, from `start` to `end` of `buf`). */
interface LabelsAt {
  buf: Buffer;
  start: number;
  end: number;
}

function labelsOf(at: LabelsAt): string {
  return at.buf.toString('utf8', at.start, at.end);
}

/**
 * `make(ab)`, made once for each ArrayBuffer (the cache file's bytes) and kept as long as it lives: one Buffer, or one
 * DataView, over a whole file for all the results decoded from it, not one per result.
 */
function onePerBuffer<T>(make: (ab: ArrayBufferLike) => T): (ab: ArrayBufferLike) => T {
  const made = new WeakMap<ArrayBufferLike, T>();
  return (ab) => {
    let x = made.get(ab);
    if (x === undefined) made.set(ab, (x = make(ab)));
    return x;
  };
}

/** A Buffer over all of each ArrayBuffer decodeResult reads from. */
const bufferOver = onePerBuffer((ab) => Buffer.from(ab as ArrayBuffer));

/** An empty array of each width, shared by the decoded fingerprints that have nothing there. */
const EMPTY: Record<number, Uint32Array | Uint16Array | Uint8Array> = { 4: new Uint32Array(0), 2: new Uint16Array(0), 1: new Uint8Array(0) };

type Arrays = [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint16Array, Uint16Array, Uint8Array];

/** The fingerprint's arrays (ARRAYS order) as views of `bytes` (4-aligned in their buffer), by their lengths. */
function viewsOf(bytes: Uint8Array, lengths: readonly number[]): Arrays {
  const views = new Array(ARRAYS.length) as Arrays;
  let offset = bytes.byteOffset;
  for (let i = 0; i < ARRAYS.length; i++) {
    const n = lengths[i];
    // most documents quote nobody and name no calendar date: one empty array for all of them (never written to)
    if (n === 0) views[i] = EMPTY[WIDTH[i]] as Uint32Array;
    else {
      views[i] = (WIDTH[i] === 4 ? new Uint32Array(bytes.buffer, offset, n) : WIDTH[i] === 2 ? new Uint16Array(bytes.buffer, offset, n) : new Uint8Array(bytes.buffer, offset, n)) as Uint32Array;
      offset += n * WIDTH[i];
    }
  }
  return views;
}

/**
 * A fingerprint decoded with its terms but without its other arrays, which are read (from the cache file's lazy region)
 * when one of them is first asked for: a warm run needs them for the few documents whose pairs it scores or whose
 * terms it weighs again. The arrays are own enumerable properties like the others, in fingerprint()'s order (JSON and
 * equality see them), whose getters, the same for all fingerprints, keep their hidden class shared; where the arrays
 * are to be read from is a private field.
 */
class ArraysLater implements DocFingerprint {
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
  /** The labels' bytes until they are first asked for (an explanation names them), then the labels. */
  #labels: LabelsAt | string;
  #load: LazyArrays | (() => Uint8Array) | null;
  #arrays: Arrays | null = null;
  readonly #lengths: readonly number[];

  /** The getter of each array, by name: the arrays read at the first one asked for. */
  static readonly #getters: Record<string, PropertyDescriptor> = Object.fromEntries(
    [
      ...ARRAYS.map((name, i) => [name, { enumerable: true, configurable: true, get: function (this: ArraysLater) { return this.#read()[i]; } }]),
      ['labels', { enumerable: true, configurable: true, get: function (this: ArraysLater) { return this.#labelsRead(); } }],
    ],
  );

  constructor(exact: string, words: number, shingleCount: number, quoteCount: number, day: number | null, labels: LabelsAt, terms: Uint32Array, lengths: readonly number[], load: LazyArrays | (() => Uint8Array)) {
    // the fields in fingerprint()'s order, the arrays among them
    const self = this as { -readonly [K in keyof DocFingerprint]: DocFingerprint[K] };
    const getters = ArraysLater.#getters;
    self.exact = exact;
    self.words = words;
    Object.defineProperty(this, 'shingles', getters.shingles);
    self.shingleCount = shingleCount;
    Object.defineProperty(this, 'minhash', getters.minhash);
    self.terms = terms;
    Object.defineProperty(this, 'counts', getters.counts);
    Object.defineProperty(this, 'kinds', getters.kinds);
    Object.defineProperty(this, 'quotes', getters.quotes);
    self.quoteCount = quoteCount;
    Object.defineProperty(this, 'title', getters.title);
    self.day = day;
    Object.defineProperty(this, 'calendar', getters.calendar);
    Object.defineProperty(this, 'labels', getters.labels);
    this.#labels = labels;
    this.#load = load;
    this.#lengths = lengths;
  }

  #labelsRead(): string {
    const at = this.#labels;
    return typeof at === 'string' ? at : (this.#labels = labelsOf(at));
  }

  /** The arrays but the terms (held already), read when one is first asked for. */
  #read(): Arrays {
    if (this.#arrays) return this.#arrays;
    const load = this.#load!;
    const bytes = typeof load === 'function' ? load() : load.arrays();
    const lengths = this.#lengths.map((n, i) => (i === TERMS ? 0 : n));
    const stored = lengths.reduce((n, len, i) => n + len * WIDTH[i], 0);
    if (bytes.length !== stored) throw new Error(`fingerprint arrays of ${bytes.length} bytes where ${stored} were stored`);
    this.#load = null;
    return (this.#arrays = viewsOf(bytes.byteOffset % 4 === 0 ? bytes : alignedBytes(bytes, 4), lengths));
  }
}

/** Paragraphs as JSON bytes of the cache (from `start` to `end` of `buf`): parsed each time they are asked for. */
class CachedJson implements TextSource {
  constructor(
    private readonly buf: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}
  paragraphs(): string[] {
    return JSON.parse(this.buf.toString('utf8', this.start, this.end)) as string[];
  }
}

/**
 * The template keys part: the keys' count and the open keys' count (u32 each), their hashes (keyHashes: the keys', then
 * the open keys'), then the keys' JSON.
 */
function encodeKeys(keys: readonly string[], open: readonly string[]): Buffer {
  const json = Buffer.from(JSON.stringify([keys, open]));
  const { view } = keyHashes(keys, open);
  const out = Buffer.alloc(8 + view.byteLength + json.length);
  out.writeUInt32LE(keys.length, 0);
  out.writeUInt32LE(open.length, 4);
  out.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), 8);
  out.set(json, 8 + view.byteLength);
  return out;
}

/**
 * Template keys as bytes of the cache (the part from `start` to `end` of `buf`, as encodeKeys lays it out): their
 * hashes read where they lie when the template pass counts them, their text parsed when asked for.
 */
class CachedKeys implements KeysSource {
  constructor(
    private readonly buf: Buffer,
    private readonly start: number,
    private readonly end: number,
  ) {}
  keys(): [string[], string[]] {
    const hashesEnd = this.start + 8 + KEY_HASH_BYTES * (this.buf.readUInt32LE(this.start) + this.buf.readUInt32LE(this.start + 4));
    return JSON.parse(this.buf.toString('utf8', hashesEnd, this.end)) as [string[], string[]];
  }
  hashesInto(into: KeyHashes): void {
    const keys = this.buf.readUInt32LE(this.start);
    const open = this.buf.readUInt32LE(this.start + 4);
    if (this.start + 8 + KEY_HASH_BYTES * (keys + open) > this.end) throw new Error('the template keys part has the wrong length');
    into.view = viewOver(this.buf.buffer);
    into.at = this.buf.byteOffset + this.start + 8;
    into.keys = keys;
    into.open = open;
  }
}

/** A DataView over all of each ArrayBuffer the template keys are read from. */
const viewOver = onePerBuffer((ab) => new DataView(ab as ArrayBuffer));
