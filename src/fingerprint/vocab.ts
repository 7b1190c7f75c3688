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
  constructor(entries: Iterable<[number, number]>) {
    const list = [...entries];
    let cap = 16;
    while (cap < list.length * 2) cap *= 2;
    this.keys = new Uint32Array(cap);
    this.vals = new Uint32Array(cap);
    const mask = cap - 1;
    for (const [key, count] of list) {
      if (key === 0) {
        this.zero = count;
        continue;
      }
      let i = fmix32(key) & mask;
      while (this.keys[i] !== 0 && this.keys[i] !== key) i = (i + 1) & mask;
      this.keys[i] = key;
      this.vals[i] = count;
    }
    this.size = list.length;
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
  const map = new Map<number, number>();
  for (const [term, n] of Object.entries(df)) map.set(termHash(term), n);
  return { documents, df: new HashCounts(map) };
}

/** The built-in background vocabulary (loaded once, lazily). Missing file: an empty background. */
export function backgroundVocab(): BackgroundVocab {
  if (cached) return cached;
  try {
    const url = new URL('../../data/background-df.json', import.meta.url);
    const file = JSON.parse(readFileSync(url, 'utf8')) as VocabFile;
    cached = vocabFromCounts(file.documents, file.df);
  } catch {
    cached = { documents: 0, df: new HashCounts([]) };
  }
  return cached;
}

/** Inverse document frequency from the background alone (used to rank a document's own terms). */
export function backgroundIdf(hash: number, vocab = backgroundVocab()): number {
  const df = vocab.df.get(hash);
  return Math.log((vocab.documents + 1) / (df + 0.5));
}
