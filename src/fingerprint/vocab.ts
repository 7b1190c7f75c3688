// Background document frequencies (data/background-df.json), so that term weights make sense on a handful of files.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { alignedBytes } from '../aligned.js';
import { fmix32, hashString } from './hash.js';

export interface BackgroundVocab {
  /** Number of background documents the counts come from. */
  documents: number;
  /** term hash -> document frequency in the background (0 when absent). */
  df: HashCounts;
}

/**
 * A read-only table from 32-bit hashes to counts: open addressing over typed arrays. A Map keyed by numbers
 * above 2^30 boxes every key, and the lookup runs for every term of every document.
 */
export class HashCounts {
  /** A table for `count` keys, filled by `fill`, which calls put once per key (a key given twice: the last count). */
  static filled(count: number, fill: (put: (key: number, count: number) => void) => void): HashCounts {
    let cap = 16;
    while (cap < count * 2) cap *= 2;
    const keys = new Uint32Array(cap);
    const vals = new Uint32Array(cap);
    const mask = cap - 1;
    let size = 0;
    let zero = 0;
    fill((key, n) => {
      if (key === 0) {
        if (!zero) size++;
        zero = n;
        return;
      }
      let i = fmix32(key) & mask;
      while (keys[i] !== 0 && keys[i] !== key) i = (i + 1) & mask;
      if (keys[i] === 0) size++;
      keys[i] = key;
      vals[i] = n;
    });
    return new HashCounts(keys, vals, zero, size);
  }

  /** A table as filled() leaves it: `keys` and `vals` of a power-of-two length, the count of key 0 apart. */
  constructor(
    readonly keys: Uint32Array,
    readonly vals: Uint32Array,
    readonly zero: number,
    readonly size: number,
  ) {}

  get(key: number): number {
    if (key === 0) return this.zero;
    const mask = this.keys.length - 1;
    for (let i = fmix32(key) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === key) return this.vals[i];
      if (k === 0) return 0;
    }
  }
}

interface VocabFile {
  documents: number;
  df: Record<string, number>;
}

let cached: BackgroundVocab | null = null;

/** Hash of a normalised term, as used in fingerprints and the vocabulary. */
export function termHash(term: string): number {
  return hashString(term, 0x5bd1e995);
}

export function vocabFromCounts(documents: number, df: Record<string, number>): BackgroundVocab {
  // straight into the table (no Map of boxed hashes in between): this runs at the start of every run that scores
  const terms = Object.keys(df);
  return {
    documents,
    df: HashCounts.filled(terms.length, (put) => {
      for (const term of terms) put(termHash(term), df[term]);
    }),
  };
}

/** The built-in vocabulary's counts (the source of truth, kept readable for its attribution). */
const VOCAB_JSON = new URL('../../data/background-df.json', import.meta.url);
/**
 * The same counts as the finished hash table, written beside the compiled code by `npm run build`
 * (scripts/vocab-table.mjs): read and checked in about 6 ms, where parsing the JSON and hashing its 17,600 terms into
 * the table takes 45-60 at the start of every run (and every worker) that fingerprints a document.
 */
const VOCAB_TABLE = new URL('../background-df.bin', import.meta.url);
const TABLE_MAGIC = 0x434f5643; // "CVOC"
const TABLE_VERSION = 1;
/** magic, version, documents, capacity, size, the count of hash 0, the SHA-1 of the JSON the table was made from, 4 bytes of padding. */
const TABLE_HEAD = 24 + 20 + 4;

/**
 * The vocabulary of `json` (data/background-df.json's bytes) as table bytes: its HashCounts arrays as they are, and
 * the SHA-1 of the JSON, so that a table left from other counts is never used.
 */
export function encodeVocabTable(json: Uint8Array): Uint8Array {
  const { documents, df } = vocabFromJson(json);
  const cap = df.keys.length;
  const out = Buffer.alloc(TABLE_HEAD + cap * 8);
  [TABLE_MAGIC, TABLE_VERSION, documents, cap, df.size, df.zero].forEach((v, i) => out.writeUInt32LE(v, i * 4));
  out.set(createHash('sha1').update(json).digest(), 24);
  out.set(new Uint8Array(df.keys.buffer, df.keys.byteOffset, cap * 4), TABLE_HEAD);
  out.set(new Uint8Array(df.vals.buffer, df.vals.byteOffset, cap * 4), TABLE_HEAD + cap * 4);
  return out;
}

/** The vocabulary in table bytes made from `json`; null when they are not such a table, or were made from other counts. */
export function decodeVocabTable(table: Uint8Array, json: Uint8Array): BackgroundVocab | null {
  const view = Buffer.from(table.buffer, table.byteOffset, table.byteLength);
  if (view.length < TABLE_HEAD || view.readUInt32LE(0) !== TABLE_MAGIC || view.readUInt32LE(4) !== TABLE_VERSION) return null;
  const cap = view.readUInt32LE(12);
  if (cap < 16 || (cap & (cap - 1)) !== 0 || view.length !== TABLE_HEAD + cap * 8) return null;
  if (!createHash('sha1').update(json).digest().equals(view.subarray(24, 44))) return null;
  // views of the bytes (one aligned copy when they are not); little-endian, as on every machine Node runs on
  const pairs = alignedBytes(view.subarray(TABLE_HEAD), 4);
  const words = new Uint32Array(pairs.buffer, pairs.byteOffset, cap * 2);
  return { documents: view.readUInt32LE(8), df: new HashCounts(words.subarray(0, cap), words.subarray(cap), view.readUInt32LE(20), view.readUInt32LE(16)) };
}

/** The built-in background vocabulary (loaded once, lazily). Missing file: an empty background. */
export function backgroundVocab(): BackgroundVocab {
  if (cached) return cached;
  try {
    const json = readFileSync(VOCAB_JSON);
    let table: Uint8Array | null = null;
    try {
      table = readFileSync(VOCAB_TABLE);
    } catch {
      /* not built (run from the sources): the JSON */
    }
    cached = (table && decodeVocabTable(table, json)) ?? vocabFromJson(json);
  } catch {
    cached = { documents: 0, df: HashCounts.filled(0, () => {}) };
  }
  return cached;
}

function vocabFromJson(json: Uint8Array): BackgroundVocab {
  const file = JSON.parse(Buffer.from(json).toString('utf8')) as VocabFile;
  return vocabFromCounts(file.documents, file.df);
}

/** Inverse document frequency from the background alone (used to rank a document's own terms). */
export function backgroundIdf(hash: number, vocab = backgroundVocab()): number {
  const df = vocab.df.get(hash);
  return Math.log((vocab.documents + 1) / (df + 0.5));
}
