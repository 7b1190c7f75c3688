// Background document frequencies (data/background-df.json), so that term weights make sense on a handful of files.
import { readFileSync } from 'node:fs';
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
  private readonly keys: Uint32Array;
  private readonly vals: Uint32Array;
  private zero = 0;
  readonly size: number;
  /** A table for `count` keys, filled by `fill`, which calls put once per key (a key given twice: the last count). */
  constructor(count: number, fill: (put: (key: number, count: number) => void) => void) {
    let cap = 16;
    while (cap < count * 2) cap *= 2;
    this.keys = new Uint32Array(cap);
    this.vals = new Uint32Array(cap);
    const mask = cap - 1;
    let size = 0;
    fill((key, n) => {
      if (key === 0) {
        if (!this.zero) size++;
        this.zero = n;
        return;
      }
      let i = fmix32(key) & mask;
      while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & mask;
      if (this.keys[i] === 0) size++;
      this.keys[i] = key;
      this.vals[i] = n;
    });
    this.size = size;
  }
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
    df: new HashCounts(terms.length, (put) => {
      for (const term of terms) put(termHash(term), df[term]);
    }),
  };
}

/** The built-in background vocabulary (loaded once, lazily). Missing file: an empty background. */
export function backgroundVocab(): BackgroundVocab {
  if (cached) return cached;
  try {
    const url = new URL('../../data/background-df.json', import.meta.url);
    const file = JSON.parse(readFileSync(url, 'utf8')) as VocabFile;
    cached = vocabFromCounts(file.documents, file.df);
  } catch {
    cached = { documents: 0, df: new HashCounts(0, () => {}) };
  }
  return cached;
}

/** Inverse document frequency from the background alone (used to rank a document's own terms). */
export function backgroundIdf(hash: number, vocab = backgroundVocab()): number {
  const df = vocab.df.get(hash);
  return Math.log((vocab.documents + 1) / (df + 0.5));
}
