// Background document frequencies (data/background-df.json), so that term weights make sense on a handful of files.
import { readFileSync } from 'node:fs';
import { hashString } from './hash.js';

export interface BackgroundVocab {
  /** Number of background documents the counts come from. */
  documents: number;
  /** term hash -> document frequency in the background. */
  df: Map<number, number>;
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
  return { documents, df: map };
}

/** The built-in background vocabulary (loaded once, lazily). Missing file: an empty background. */
export function backgroundVocab(): BackgroundVocab {
  if (cached) return cached;
  try {
    const url = new URL('../../data/background-df.json', import.meta.url);
    const file = JSON.parse(readFileSync(url, 'utf8')) as VocabFile;
    cached = vocabFromCounts(file.documents, file.df);
  } catch {
    cached = { documents: 0, df: new Map() };
  }
  return cached;
}

/** Inverse document frequency from the background alone (used to rank a document's own terms). */
export function backgroundIdf(hash: number, vocab = backgroundVocab()): number {
  const df = vocab.df.get(hash) ?? 0;
  return Math.log((vocab.documents + 1) / (df + 0.5));
}
