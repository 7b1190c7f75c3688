// CLUSTER stage: candidate pairs from indexes (never all pairs), exact verification, average linkage on
// neighbourhood-relative scores. Linear in the corpus: every index is a sorted typed array, every posting list is
// either short or cut to a window, and each document proposes a bounded number of neighbours.
//
// 1. Exact duplicates (same normalised-text hash) collapse onto their lowest index.
// 2. Candidate pairs among the remaining representatives come from three indexes, each a sorted Float64Array of
//    (key, document) entries whose runs are the posting lists; pairs are packed lo * n + hi, sorted and deduplicated:
//    - MinHash LSH banding (copies; banded for a lower Jaccard than we decide at),
//    - a sampled-shingle index (partial copies: 1 in 16 word 3-grams, chosen by hash; two shared samples needed),
//    - an index over each document's most distinctive terms (same-event write-ups): each document keeps only its
//      termNeighbours best neighbours by the partial dot product over those terms.
// 3. Each candidate is verified exactly: shingle intersection on sorted hash arrays (Jaccard, containment; skipped
//    when MinHash sees no overlap at all) and a TF-IDF cosine in which rare names and numbers weigh more (idf from a
//    background vocabulary plus the corpus; no single shared term may carry the score alone), damped when the dates
//    the texts name (calendar days, weekdays, months, years) or their publication days disagree.
// 4. Scores become neighbourhood-relative: divided by the geometric mean of the two documents' densities (the score
//    of each one's localK-th best neighbour), so short texts with low cosines to everything still find their event,
//    while same-kind stories in a dense neighbourhood need more. Documents without enough neighbours (tiny corpora)
//    and noise-level pairs keep their raw score.
// 5. Average linkage joins clusters while the average score between them is at least the threshold. The verified
//    edges only propose joins: before a join is taken, the average over every cross pair is completed exactly, so
//    one bridging article cannot chain two events and the result does not depend on how many candidates were made.
import type { DocFingerprint } from '../fingerprint/index.js';
import { backgroundVocab, labelList, sharedHashes, sharedShingles, type BackgroundVocab, fmix32, LSH_BANDS, KIND_NAME, KIND_NUMBER, KIND_TITLE, KIND_DATE } from '../fingerprint/index.js';
import { linkAverageSteps } from './linkage.js';
import {
  bestNeighbours,
  lshEntries,
  neighbourScratch,
  packing,
  PairList,
  sampleEntries,
  sampleLimit,
  termRunsSteps,
  topTerms,
  updateIndex,
  updateShiftedIndex,
  inLastOrder,
  indexPairs,
  windowPairs,
  type CandidateIndex,
  type CandidateParams,
} from './candidate-index.js';
import { findKey, positionsById, previousPositions, type CompletedScores, type ExplainedEdges, type PairMemo, type PairMemoState } from './memo.js';
import { loop, NEVER, runAsync, runSync, Slicer, sortSteps, type Steps } from './slice.js';

export type PairRelation = 'exact' | 'near-duplicate' | 'same-event';

export interface ClusterEdge {
  /** Indices into the fingerprint array, a < b. */
  a: number;
  b: number;
  relation: PairRelation;
  /** Similarity in 0..1 (1 for exact; containment-based for near-duplicates; event similarity otherwise). */
  score: number;
  why: string[];
}

export interface ClusterGroup {
  /** Indices into the fingerprint array, ascending. */
  members: number[];
  /** Verified pairs inside the group (a < b), sorted by a then b. */
  edges: ClusterEdge[];
}

export interface ClusterOptions {
  /** How similar two write-ups must be to count as one story (0..1): the average-link event similarity needed to join. */
  threshold?: number;
  /** Pair scores of an earlier run to reuse, and where this run's are left (memo.ts). Same result either way. */
  memo?: PairMemo;
}

export interface AsyncClusterOptions extends ClusterOptions {
  /** clusterDocsAsync: longest stretch of work (ms) between two turns of the event loop. Default 25. */
  sliceMs?: number;
}

/** Tunable constants (exported for the benchmark harness and tests; treat as read-only). */
export const PARAMS = {
  /** Default --threshold. */
  threshold: 0.2,
  /** A join also needs the average similarity without its strongest pair to reach threshold × bridgeFactor. */
  bridgeFactor: 0.5,
  /**
   * Near-duplicate: share of the smaller document's word 3-grams found in the other. Below ndContainment, down to
   * ndContainmentMin, only when the two also tell of one event (event similarity at least ndEventFloor): two
   * stories that share a stock paragraph (an outlet's "about us", a house-style closing) are not copies.
   */
  ndContainment: 0.3,
  ndContainmentMin: 0.15,
  ndEventFloor: 0.2,
  /** Near-duplicate: minimum shared 3-grams (so tiny texts do not qualify by accident). */
  ndMinShared: 12,
  /** Near-duplicate: Jaccard resemblance alone. */
  ndJaccard: 0.5,
  /**
   * A near-duplicate pair scored at least this (most of the smaller text found in the other: 0.6 + 0.4 × a containment
   * of 0.9) is one text twice: in the event-level average the copies share one weight, as exact copies do.
   */
  copyFamilyScore: 0.96,
  /** The background vocabulary counts as this many pseudo-documents of the corpus (a prior on document frequency). */
  backgroundDocs: 5,
  /**
   * Calendar dates named in the texts: no effect when two are within calendarDays; beyond, event similarity falls as
   * a Gaussian of the extra days (calendarSigma), down to calendarPenalty for dates months apart.
   */
  calendarPenalty: 0.4,
  calendarDays: 3,
  calendarSigma: 21,
  /** How much disagreeing dates (weekdays, months, years mentioned) lower event similarity (0: not at all). */
  dateWeight: 0.8,
  /** Date mentions (on the side with fewer) needed for full confidence in the date agreement. */
  dateMentions: 3,
  /**
   * Extra weight factors for kinds of terms. A headline's words weigh as body words (titleBoost 1): the event evidence
   * is the same whether or not the cleaner lifted the first line as the title, and a headline is the most generic
   * summary of a story, the words two same-kind events share (1.5 merged two IE emergency patches five years apart).
   */
  nameBoost: 3,
  numberBoost: 1.5,
  titleBoost: 1,
  /** Terms per document put into the event index. */
  indexTerms: 24,
  /** Each document keeps this many best neighbours from the event index (by partial dot product). */
  termNeighbours: 8,
  /** Posting lists longer than clamp(4 sqrt(n), postingMin, postingMax) are not expanded into all pairs. */
  postingMin: 64,
  postingMax: 64,
  /**
   * Neighbourhood-relative linkage scores (localK = 0: off). A document's density is the score of its localK-th best
   * verified neighbour, at least localFloor; without localK neighbours it is localRef (the prior: no scaling).
   */
  localK: 5,
  localFloor: 0.1,
  localRef: 1 / 3,
  /** 1: no single shared term may contribute more to the cosine than all other shared terms together. */
  singleTermCap: 1,
  localMinScore: 0.08,
  /** Joins between clusters with at most this many cross pairs use the exact average over all of them. */
  exactBudget: 4096,
  /** Event edges below this similarity are not kept. */
  edgeFloor: 0.04,
  /** Shingle sampling rate for the partial-copy index (1 in 2^bits). */
  sampleBits: 4,
  /** LSH buckets larger than this link each member to its next `bucketWindow` members only. */
  bucketCap: 64,
  bucketWindow: 6,
};

/** Open-addressing hash table from 32-bit term hashes to document frequencies (typed arrays, no Map). */
export class TermCounts {
  private keys: Uint32Array;
  private vals: Uint32Array;
  private used = 0;
  private zero = 0;
  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Uint32Array(cap);
    this.vals = new Uint32Array(cap);
  }
  /** Adds to a key's count; returns its slot (-2 for the zero key), valid until the table next grows. */
  add(key: number, by = 1): number {
    if (key === 0) {
      this.zero += by;
      return -2;
    }
    if ((this.used + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = fmix32(key) & mask;
    for (;;) {
      const k = this.keys[i];
      if (k === key) {
        this.vals[i] += by;
        return i;
      }
      if (k === 0) {
        this.keys[i] = key;
        this.vals[i] = by;
        this.used++;
        return i;
      }
      i = (i + 1) & mask;
    }
  }
  /** How many times the table has grown (slots move when it does). */
  grown = 0;
  /**
   * The table as the pair memo stores it (memo.ts), slot by slot, and the zero key's count: the next run takes it as
   * it is (fromTable), which costs a copy instead of adding every key again. The counted keys go to a table of their
   * size when this one is at most a quarter full (a count from scratch sizes its table for every term entry of the
   * corpus: 4 MB where 2 do) or crowded by keys whose count an update took down to 0 (in no document); else it is
   * stored as it is, its arrays the table's own: it must not be added to after this.
   */
  entries(): { keys: Uint32Array; vals: Uint32Array; zero: number } {
    let gone = 0;
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0 && this.vals[i] === 0) gone++;
    const sparse = this.keys.length > 1024 && (this.used - gone) * 4 < this.keys.length;
    if (gone * 8 <= this.used && !sparse) return this.table();
    const live = new TermCounts(this.used - gone);
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] !== 0 && this.vals[i] !== 0) live.add(this.keys[i], this.vals[i]);
    return { keys: live.keys, vals: live.vals, zero: this.zero };
  }
  /** The sum of every count (the zero key's included). */
  total(): number {
    let sum = this.zero;
    for (let i = 0; i < this.vals.length; i++) sum += this.vals[i];
    return sum;
  }
  /** Counts of these keys (a key listed twice counts twice). */
  static of(keys: Uint32Array, vals: Uint32Array, zero: number): TermCounts {
    const t = new TermCounts(keys.length);
    for (let i = 0; i < keys.length; i++) t.add(keys[i], vals[i]);
    t.zero = zero;
    return t;
  }
  /**
   * The table entries() gave (a stored run's counts), copied slot by slot; null when it cannot be one (a size that is
   * not a power of two, or fuller than add() lets a table get).
   */
  static fromTable(keys: Uint32Array, vals: Uint32Array, zero: number): TermCounts | null {
    const cap = keys.length;
    if (cap < 1024 || (cap & (cap - 1)) !== 0 || vals.length !== cap) return null;
    let used = 0;
    for (let i = 0; i < cap; i++) if (keys[i] !== 0) used++;
    if (used * 2 > cap) return null;
    const t = new TermCounts(0);
    t.keys = keys.slice();
    t.vals = vals.slice();
    t.used = used;
    t.zero = zero;
    return t;
  }
  /** The table's own arrays (slot by slot, 0: empty) and the zero key's count. */
  table(): { keys: Uint32Array; vals: Uint32Array; zero: number } {
    return { keys: this.keys, vals: this.vals, zero: this.zero };
  }
  /** Slot of a key, or -1. */
  slot(key: number): number {
    if (key === 0) return -2;
    const mask = this.keys.length - 1;
    let i = fmix32(key) & mask;
    for (;;) {
      const k = this.keys[i];
      if (k === key) return i;
      if (k === 0) return -1;
      i = (i + 1) & mask;
    }
  }
  /** Calls f(key, count) for every key (the zero key included when counted), or for the keys in slots [from, to). */
  forEach(f: (key: number, count: number, slot: number) => void, from = 0, to = this.keys.length): void {
    if (this.zero && from === 0) f(0, this.zero, -2);
    for (let i = from; i < to; i++) if (this.keys[i] !== 0) f(this.keys[i], this.vals[i], i);
  }
  get capacity(): number {
    return this.keys.length;
  }
  get(key: number): number {
    if (key === 0) return this.zero;
    const mask = this.keys.length - 1;
    let i = fmix32(key) & mask;
    for (;;) {
      const k = this.keys[i];
      if (k === key) return this.vals[i];
      if (k === 0) return 0;
      i = (i + 1) & mask;
    }
  }
  private grow(): void {
    this.grown++;
    const ok = this.keys;
    const ov = this.vals;
    this.keys = new Uint32Array(ok.length * 2);
    this.vals = new Uint32Array(ok.length * 2);
    this.used = 0;
    for (let i = 0; i < ok.length; i++) if (ok[i] !== 0) this.add(ok[i], ov[i]);
  }
}

/** What a run needs of the last one to take its weight hashes (TermWeights.weightHashes). */
export interface WeightReuse {
  /** Each representative's position in the last run by its identity (-1: none). */
  positions: Int32Array;
  /** The last run's weight hashes, 2 per position. */
  weights: Uint32Array;
  /** Its document frequencies (null when this run's were updated from them: DfUpdate), and its number of representatives. */
  df: TermCounts | null;
  m: number;
}

/**
 * This run's document frequencies made from the last run's (DfUpdate): the counts that moved (the terms of the
 * representatives gone since and of the new ones), each with its count before.
 */
export interface DfUpdate {
  df: TermCounts;
  before: Map<number, number>;
  /** Per representative: 1 when it was not one in the last run (its terms are among the moved). */
  added: Uint8Array;
}

/**
 * The document frequencies of `reps` from the last run's (`stored`, over its representatives by position): a table of
 * them with the terms of the representatives gone since taken out and those of the new ones put in, the same counts a
 * count from scratch gives. `byId` is each representative's position in the last run (-1: new); `termsOf` gives the
 * terms of a result by its identity. Null when a gone one's terms cannot be had, when too many changed for it to pay,
 * or when the counts do not add up (then everything is counted).
 */
export function dfSince(
  stored: { keys: Uint32Array; vals: Uint32Array; zero: number },
  prevIds: readonly string[],
  byId: Int32Array,
  fps: readonly DocFingerprint[],
  reps: ArrayLike<number>,
  termsOf: (id: string) => Uint32Array | undefined,
): DfUpdate | null {
  const m = reps.length;
  const still = new Uint8Array(prevIds.length);
  const added = new Uint8Array(m);
  let changes = 0;
  for (let p = 0; p < m; p++) {
    if (byId[p] >= 0) still[byId[p]] = 1;
    else {
      added[p] = 1;
      changes++;
    }
  }
  const gone: Uint32Array[] = [];
  for (let j = 0; j < prevIds.length; j++) {
    if (still[j]) continue;
    const terms = prevIds[j] ? termsOf(prevIds[j]) : undefined;
    if (!terms) return null;
    gone.push(terms);
    changes++;
  }
  if (changes > m / 8) return null;
  const df = TermCounts.fromTable(stored.keys, stored.vals, stored.zero);
  if (!df) return null;
  const before = new Map<number, number>();
  const move = (terms: ArrayLike<number>, by: number) => {
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i];
      if (!before.has(t)) before.set(t, df.get(t));
      df.add(t, by);
    }
  };
  for (const terms of gone) move(terms, -1);
  for (let p = 0; p < m; p++) if (added[p]) move(fps[reps[p]].terms, 1);
  // every representative's terms counted once: the counts add up to their number of terms
  let entries = 0;
  for (let p = 0; p < m; p++) entries += fps[reps[p]].terms.length;
  for (const c of before.keys()) if (df.get(c) < 0 || df.get(c) > 0xfffffff) return null;
  if (df.total() !== entries) return null;
  return { df, before, added };
}

/** The parameters the term weights depend on besides the corpus: a stored run's weights are reused only under the same. */
export function weighKey(): string {
  return `boosts ${PARAMS.nameBoost} ${PARAMS.numberBoost} ${PARAMS.titleBoost} background ${PARAMS.backgroundDocs}`;
}

/** Words of minhashOverlap's byte filter: MINHASH_SLOTS / 4. */
const MH_WORDS = 32;
/** The zero key's slot (-2) as stored in a Uint32Array. */
const ZERO_SLOT = -2 >>> 0;
/** Math.log of small counts, looked up (the same numbers). */
const LOGS = Float64Array.from({ length: 256 }, (_, c) => Math.log(c));
function logOf(c: number): number {
  return c < 256 ? LOGS[c] : Math.log(c);
}

/**
 * A corpus count as idf sees it: exact up to 16, then on a grid of ratio 2^(1/8) up to 64 (within 4.5%, at most 0.045
 * in idf), and of ratio 2^(1/4) above (within 9.1%, at most 0.087 in an idf that is below log(N/64) there). One document
 * more or less then moves few terms' weights (a count crosses a grid line with a chance of about 11/count, 5.5/count
 * above 64), so a warm run finds nearly every document weighed as before and reuses its pair scores (memo.ts). When a
 * common term's count does cross, every document holding it is weighed again: the coarser grid above 64 halves how
 * often that happens, with the ECB+ figures as they were or better (bench/RESULTS.md).
 */
export function gridCount(c: number): number {
  return c <= 16 ? c : c <= 64 ? 2 ** (Math.round(8 * Math.log2(c)) / 8) : 2 ** (Math.round(4 * Math.log2(c)) / 4);
}

/**
 * Corpus-aware term weights, computed on demand (never one weight array per document, so memory stays at one
 * float per document): idf from the corpus document frequencies plus the background vocabulary as a prior,
 * sublinear tf, boosts for names, numbers and title words; each document's vector norm is precomputed.
 */
export class TermWeights {
  df!: TermCounts;
  norm!: Float32Array;
  private total = 0;
  private m = 0;
  private bgDocs = 0;
  private bg!: BackgroundVocab['df'];
  /** Builds the weights at once; TermWeights.create builds them in steps. */
  constructor(
    readonly fps: DocFingerprint[],
    readonly reps: ArrayLike<number>,
    deferred = false,
  ) {
    if (!deferred) runSync(this.build(NEVER, false));
  }
  /**
   * lazy: each representative is weighed when first asked for (a warm run asks for few: weightHashes takes the
   * others' hashes from the last run), and each term's idf when first needed. The weights are the same either way.
   * With `update` (lazy too), the document frequencies are the ones given, made from the last run's (dfSince): no
   * representative's terms are counted, and each is looked up in them when it is first weighed.
   */
  static *create(fps: DocFingerprint[], reps: ArrayLike<number>, slicer: Slicer, lazy = false, update: DfUpdate | null = null): Steps<TermWeights> {
    const tw = new TermWeights(fps, reps, true);
    tw.update = update;
    yield* tw.build(slicer, lazy || update !== null);
    return tw;
  }
  /** The document frequencies as made from the last run's, when they were (create). */
  private update: DfUpdate | null = null;
  /** Per representative, with `update`: 1 once its entries hold their slots in the count table. */
  private slotted: Uint8Array | null = null;
  private *build(slicer: Slicer, lazy: boolean): Steps<void> {
    const { fps, reps } = this;
    const vocab = backgroundVocab();
    let entries = 0;
    for (let p = 0; p < reps.length; p++) entries += fps[reps[p]].terms.length;
    // every representative's normalised term weights, in one flat array (CSR by representative); until they are
    // weighed, the same memory holds each entry's slot in the count table (so the weighing need not look terms up)
    const offset = (this.offset = new Float64Array(reps.length + 1));
    for (let p = 0; p < reps.length; p++) offset[p + 1] = offset[p] + fps[reps[p]].terms.length;
    this.w = new Float32Array(offset[reps.length]);
    const slotOf = (this.slotOf = new Uint32Array(this.w.buffer));
    this.weighed = new Uint8Array(reps.length);
    if (this.update) {
      this.df = this.update.df;
      this.slotted = new Uint8Array(reps.length);
    } else yield* this.count(entries, slicer);
    this.finish(vocab, lazy);
    yield* this.weighAll(lazy, slicer);
  }
  /** Counts every representative's terms, noting each entry's slot. */
  private *count(entries: number, slicer: Slicer): Steps<void> {
    const { fps, reps, offset, slotOf } = this;
    const df = (this.df = new TermCounts(Math.min(entries >> 3, 1 << 22))); // grows when needed; small enough to stay in cache
    yield* loop(reps.length, (from) => {
      for (let p = from; p < reps.length; p++) {
        const t = fps[reps[p]].terms;
        if (p !== from && slicer.due(t.length >> 4)) return p;
        const o = offset[p];
        for (let i = 0; i < t.length; i++) slotOf[o + i] = df.add(t[i]);
      }
      return reps.length;
    });
    if (df.grown) {
      // slots recorded before the last growth moved: look them all up again
      yield* loop(reps.length, (from) => {
        for (let p = from; p < reps.length; p++) {
          const t = fps[reps[p]].terms;
          if (p !== from && slicer.due(t.length >> 4)) return p;
          const o = offset[p];
          for (let i = 0; i < t.length; i++) slotOf[o + i] = df.slot(t[i]);
        }
        return reps.length;
      });
    }
  }
  private finish(vocab: BackgroundVocab, lazy: boolean): void {
    const { reps } = this;
    this.m = vocab.documents ? PARAMS.backgroundDocs : 0;
    this.bgDocs = vocab.documents;
    this.bg = vocab.df;
    this.total = gridCount(reps.length) + this.m;
    // idf of every corpus term, parallel to the count table's slots: each computed once (NaN: not yet)
    this.idfs = new Float32Array(this.df.capacity);
    this.idfZero = this.computeIdf(0);
    this.norm = new Float32Array(reps.length);
    this.dateN2 = new Float32Array(reps.length);
    this.dateCount = new Float32Array(reps.length);
    if (lazy) this.idfs.fill(NaN);
  }
  /** Unless lazy: every term's idf, and every representative weighed; then the MinHash filter bytes. */
  private *weighAll(lazy: boolean, slicer: Slicer): Steps<void> {
    const { fps, reps, df, slotOf } = this;
    if (!lazy) {
      const setIdf = (h: number, _c: number, slot: number) => {
        if (slot >= 0) this.idfs[slot] = this.computeIdf(h);
      };
      const slots = df.capacity;
      yield* loop(slots, (from) => {
        for (let s = from; s < slots; s += 1 << 12) {
          if (s !== from && slicer.due(16)) return s;
          df.forEach(setIdf, s, Math.min(slots, s + (1 << 12)));
        }
        return slots;
      });
      yield* loop(reps.length, (from) => {
        for (let p = from; p < reps.length; p++) {
          const fp = fps[reps[p]];
          if (p !== from && slicer.due(fp.terms.length >> 3)) return p;
          this.weighRep(p, fp, slotOf);
          this.weighed[p] = 1;
        }
        return reps.length;
      });
    }
    // the low bytes of each representative's MinHash slots, four to a word (a quick filter for minhashOverlap), made
    // for a representative when a pair first asks: a warm run scores few pairs, and a cached fingerprint's MinHash is
    // read from the cache only when asked for
    this.mhBytes = new Int32Array(reps.length * MH_WORDS);
    this.mhMade = new Uint8Array(reps.length);
  }
  private mhBytes!: Int32Array;
  /** Per representative: 1 once its part of mhBytes is made. */
  private mhMade!: Uint8Array;
  /** Representative p's MinHash, its filter bytes made if they are not yet. */
  private minhashOf(p: number): Uint32Array {
    const mh = this.fps[this.reps[p]].minhash;
    if (this.mhMade[p]) return mh;
    this.mhMade[p] = 1;
    if (mh.length === 4 * MH_WORDS) {
      const o = p * MH_WORDS;
      for (let k = 0; k < MH_WORDS; k++)
        this.mhBytes[o + k] = (mh[4 * k] & 255) | ((mh[4 * k + 1] & 255) << 8) | ((mh[4 * k + 2] & 255) << 16) | ((mh[4 * k + 3] & 255) << 24);
    }
    return mh;
  }
  /**
   * Whether two representatives' MinHash signatures agree in some slot (as a loop over the slots finds). Words of low
   * bytes with no equal byte cannot hold an equal slot; the others are checked slot by slot.
   */
  minhashOverlap(p: number, q: number): boolean {
    const x = this.minhashOf(p);
    const y = this.minhashOf(q);
    if (x.length !== 4 * MH_WORDS || y.length !== 4 * MH_WORDS) return anyEqual(x, y);
    const b = this.mhBytes;
    const op = p * MH_WORDS;
    const oq = q * MH_WORDS;
    for (let k = 0; k < MH_WORDS; k++) {
      const v = b[op + k] ^ b[oq + k];
      if (((v - 0x01010101) & ~v & 0x80808080) === 0) continue; // no zero byte in v: no equal low byte
      const i = 4 * k;
      if (x[i] === y[i] || x[i + 1] === y[i + 1] || x[i + 2] === y[i + 2] || x[i + 3] === y[i + 3]) return true;
    }
    return false;
  }
  /** Per representative: 1 once weighed (until then its part of w holds its terms' slots in the count table). */
  private weighed!: Uint8Array;
  private slotOf!: Uint32Array;
  /** Weighs representative p if it is not yet. */
  private ensure(p: number): void {
    if (this.weighed[p]) return;
    const fp = this.fps[this.reps[p]];
    if (this.slotted && !this.slotted[p]) this.slot(p, fp);
    this.weighRep(p, fp, this.slotOf);
    this.weighed[p] = 1;
  }
  /** Looks up the slots of a representative's terms in the count table given to create (which counted them all). */
  private slot(p: number, fp: DocFingerprint): void {
    const o = this.offset[p];
    for (let i = 0; i < fp.terms.length; i++) {
      const slot = this.df.slot(fp.terms[i]);
      if (slot === -1) throw new Error('term weights: a term is missing from the updated document frequencies');
      this.slotOf[o + i] = slot;
    }
    this.slotted![p] = 1;
  }
  /** Weighs a representative's terms (as raw() does), reading each term's slot where its weight goes. */
  private weighRep(p: number, fp: DocFingerprint, slotOf: Uint32Array): void {
    const o = this.offset[p];
    const { kinds, counts } = fp;
    const idfs = this.idfs;
    const w = this.w;
    let n2 = 0;
    for (let i = 0; i < fp.terms.length; i++) {
      const k = kinds[i];
      let v = 0;
      // weekdays and month names: only in the date agreement factor
      if (!(k & KIND_DATE && !(k & KIND_NUMBER))) {
        let boost = 1;
        if (k & KIND_NAME) boost *= PARAMS.nameBoost;
        else if (k & KIND_NUMBER) boost *= PARAMS.numberBoost;
        if (k & KIND_TITLE) boost *= PARAMS.titleBoost;
        const slot = slotOf[o + i];
        const idf = slot === ZERO_SLOT ? this.idfZero : this.idfAt(slot, fp.terms[i]);
        v = (1 + logOf(counts[i])) * idf * boost;
      }
      w[o + i] = v;
      n2 += v * v;
      if (fp.kinds[i] & KIND_DATE) {
        this.dateN2[p] += fp.counts[i] * fp.counts[i];
        this.dateCount[p] += fp.counts[i];
      }
    }
    const norm = Math.sqrt(n2) || 1;
    this.norm[p] = norm;
    for (let i = 0; i < fp.terms.length; i++) this.w[o + i] /= norm;
  }
  private offset!: Float64Array;
  private w!: Float32Array;
  /** Per representative: sum of squared counts, and count, of date mentions (weekdays, months, years). */
  private dateN2!: Float32Array;
  private dateCount!: Float32Array;
  /** Dot product of the date-mention counts of the last pair given to cosine(). */
  private lastDateDot = 0;
  /** The date-agreement factor on event similarity for the last pair given to cosine() (1 without evidence). */
  dateFactor(p: number, q: number): number {
    const na = this.dateN2[p];
    const nb = this.dateN2[q];
    if (!na || !nb) return 1;
    const cos = this.lastDateDot / Math.sqrt(na * nb);
    const confidence = Math.min(1, Math.min(this.dateCount[p], this.dateCount[q]) / PARAMS.dateMentions);
    return 1 - PARAMS.dateWeight * confidence * (1 - cos);
  }
  /** dateAgreement of the last pair given to cosine(), from the counts gathered in the same pass. */
  dates(p: number, q: number): { cosine: number; confidence: number } | null {
    const na = this.dateN2[p];
    const nb = this.dateN2[q];
    if (!na || !nb) return null;
    return {
      cosine: this.lastDateDot / Math.sqrt(na * nb),
      confidence: Math.min(1, Math.min(this.dateCount[p], this.dateCount[q]) / PARAMS.dateMentions),
    };
  }
  private idfs!: Float32Array;
  private idfZero = 0;
  idf(h: number): number {
    const slot = this.df.slot(h);
    if (slot >= 0) return this.idfAt(slot, h);
    if (slot === -2) return this.idfZero;
    return this.computeIdf(h);
  }
  /** The idf of term h at its slot of the count table, computed when first asked for (as the table holds it: a float32). */
  private idfAt(slot: number, h: number): number {
    if (Number.isNaN(this.idfs[slot])) this.idfs[slot] = this.computeIdf(h);
    return this.idfs[slot];
  }
  private computeIdf(h: number): number {
    const pBg = this.m ? (this.bg.get(h) + 0.5) / (this.bgDocs + 1) : 0;
    const df = gridCount(this.df.get(h)) + this.m * pBg;
    return Math.max(0, Math.log((this.total + 1) / (df + 0.5)));
  }
  /** Unnormalised weight of term i of a fingerprint. */
  raw(fp: DocFingerprint, i: number): number {
    const k = fp.kinds[i];
    // weekdays and month names: only in the date agreement factor
    if (k & KIND_DATE && !(k & KIND_NUMBER)) return 0;
    let boost = 1;
    if (k & KIND_NAME) boost *= PARAMS.nameBoost;
    else if (k & KIND_NUMBER) boost *= PARAMS.numberBoost;
    if (k & KIND_TITLE) boost *= PARAMS.titleBoost;
    return (1 + Math.log(fp.counts[i])) * this.idf(fp.terms[i]) * boost;
  }
  /**
   * Two 32-bit hashes of each representative's normalised weights (their bits), 2 per position: equal hashes and an
   * equal fingerprint mean equal pair scores (memo.ts).
   */
  weightHashes(reuse?: WeightReuse | null): Uint32Array {
    const bits = new Uint32Array(this.w.buffer, this.w.byteOffset, this.w.length);
    const m = this.reps.length;
    const out = new Uint32Array(2 * m);
    const same = reuse ? this.unchangedSince(reuse) : null;
    for (let p = 0; p < m; p++) {
      const j = same ? same[p] : -1;
      if (j >= 0) {
        out[2 * p] = reuse!.weights[2 * j];
        out[2 * p + 1] = reuse!.weights[2 * j + 1];
        continue;
      }
      this.rehashed++;
      this.ensure(p);
      let h1 = 0x2545f491;
      let h2 = 0x9e3779b9;
      for (let i = this.offset[p]; i < this.offset[p + 1]; i++) {
        const x = bits[i];
        h1 = Math.imul(h1 ^ x, 0x85ebca6b);
        h1 = (h1 << 13) | (h1 >>> 19);
        h2 = Math.imul(h2 + x, 0xc2b2ae35);
        h2 ^= h2 >>> 16;
      }
      out[2 * p] = fmix32(h1 ^ (this.offset[p + 1] - this.offset[p]));
      out[2 * p + 1] = fmix32(h2);
    }
    return out;
  }
  /** Representatives weightHashes hashed (the others' hashes came from the last run). */
  rehashed = 0;
  /**
   * For each representative, its position in the last run when it is weighed as it was then (-1: not known to be):
   * the same fingerprint, the same corpus size on the grid, and no term of it whose count moved on the grid. Those
   * are not weighed to be hashed: their weights, and so their hashes, are the last run's.
   */
  private unchangedSince(reuse: WeightReuse): Int32Array | null {
    if (gridCount(reuse.m) !== gridCount(this.reps.length)) return null;
    if (this.update) return this.unchangedSinceUpdate(reuse, this.update);
    if (!reuse.df) return null;
    const { keys, vals, zero } = this.df.table();
    const moved = new Uint8Array(keys.length);
    for (let s = 0; s < keys.length; s++) {
      const k = keys[s];
      if (k === 0) continue;
      const c = vals[s];
      const was = reuse.df.get(k);
      if (c !== was && gridCount(c) !== gridCount(was)) moved[s] = 1;
    }
    const was0 = reuse.df.get(0);
    const zeroMoved = zero !== was0 && gridCount(zero) !== gridCount(was0);
    const out = Int32Array.from(reuse.positions);
    const slotOf = this.slotOf;
    for (let p = 0; p < out.length; p++) {
      if (out[p] < 0) continue;
      if (this.weighed[p]) {
        out[p] = -1; // its slots are weights now: hashed as it is
        continue;
      }
      for (let i = this.offset[p], end = this.offset[p + 1]; i < end; i++) {
        const slot = slotOf[i];
        if (slot === ZERO_SLOT ? zeroMoved : moved[slot]) {
          out[p] = -1;
          break;
        }
      }
    }
    return out;
  }
  /**
   * unchangedSince when the counts were updated from the last run's: only the updated counts can have moved, and a
   * representative's terms are looked at only when one that moved on the grid is held by some representative that is
   * not new (a new one is weighed anyway).
   */
  private unchangedSinceUpdate(reuse: WeightReuse, update: DfUpdate): Int32Array {
    const out = Int32Array.from(reuse.positions);
    for (let p = 0; p < out.length; p++) if (this.weighed[p]) out[p] = -1; // its slots are weights now: hashed as it is
    // term hashes in count tables, not Sets: a hash above 2^30 would be boxed at each lookup (1.7 million of them)
    const moved = new TermCounts(update.before.size);
    for (const [t, was] of update.before) {
      const c = this.df.get(t);
      if (c !== was && gridCount(c) !== gridCount(was)) moved.add(t);
    }
    if (moved.total() === 0) return out;
    const inNew = new TermCounts(update.before.size);
    for (let p = 0; p < out.length; p++) {
      if (!update.added[p]) continue;
      const t = this.fps[this.reps[p]].terms;
      for (let i = 0; i < t.length; i++) if (moved.get(t[i]) > 0) inNew.add(t[i]);
    }
    let heldElsewhere = false;
    moved.forEach((t) => {
      if (this.df.get(t) > inNew.get(t)) heldElsewhere = true;
    });
    if (!heldElsewhere) return out;
    // Every representative's terms are looked through (two million of them at 10,000 articles) for the few that moved:
    // a table of their low 16 bits rules out nearly every term with one read, before the hash table is asked.
    const maybe = new Uint8Array(1 << 16);
    moved.forEach((t) => (maybe[t & 0xffff] = 1));
    for (let p = 0; p < out.length; p++) {
      if (out[p] < 0) continue;
      const t = this.fps[this.reps[p]].terms;
      for (let i = 0; i < t.length; i++) {
        if (maybe[t[i] & 0xffff] === 1 && moved.get(t[i]) > 0) {
          out[p] = -1;
          break;
        }
      }
    }
    return out;
  }
  /** Normalised weight of term i of the representative at position p. */
  weight(p: number, i: number): number {
    this.ensure(p);
    return this.w[this.offset[p] + i];
  }
  /**
   * Cosine of two representatives' weighted term vectors, where no single shared term may carry more than all the
   * others together: one shared rare name (a person in two unrelated stories) is not a shared event.
   */
  cosine(p: number, q: number): number {
    // the same representative scored again (candidates come sorted by their first member): look its terms up in a
    // table instead of merging (the same shared terms in the same order, so the same sums)
    this.ensure(p);
    this.ensure(q);
    if (p === this.lastP) return this.cosineIndexed(p, q);
    this.lastP = p;
    this.indexedP = -1;
    const fa = this.fps[this.reps[p]];
    const fb = this.fps[this.reps[q]];
    const ta = fa.terms;
    const tb = fb.terms;
    let i = 0;
    let j = 0;
    let s = 0;
    let top = 0;
    const la = ta.length;
    const lb = tb.length;
    const w = this.w;
    const oa = this.offset[p];
    const ob = this.offset[q];
    const ka = fa.kinds;
    const kb = fb.kinds;
    const ca = fa.counts;
    const cb = fb.counts;
    let dd = 0;
    while (i < la && j < lb) {
      const x = ta[i];
      const y = tb[j];
      if (x === y) {
        const c = w[oa + i] * w[ob + j];
        s += c;
        if (c > top) top = c;
        if (ka[i] & kb[j] & KIND_DATE) dd += ca[i] * cb[j];
      }
      i += x <= y ? 1 : 0;
      j += y <= x ? 1 : 0;
    }
    return this.capped(s, top, dd);
  }
  /** The end of both cosines: the date dot product kept for dateFactor, the single-term cap applied. */
  private capped(s: number, top: number, dd: number): number {
    this.lastDateDot = dd;
    const rest = s - top;
    return PARAMS.singleTermCap && top > rest ? 2 * rest : s;
  }
  /** The p of the last cosine(), and the p whose terms are in the table (-1: none). */
  private lastP = -1;
  private indexedP = -1;
  /** Open-addressing table of one representative's terms: slot -> term hash and its position; stamp marks used slots. */
  private tKey = new Uint32Array(0);
  private tPos = new Int32Array(0);
  private tStamp = new Int32Array(0);
  private tEpoch = 0;
  private tMask = 0;
  private tShift = 24;
  private indexTerms(p: number): void {
    const ta = this.fps[this.reps[p]].terms;
    let cap = 256;
    let shift = 24; // the table's index: the top bits of a multiplicative hash
    while (cap < 4 * ta.length) {
      cap *= 2;
      shift--;
    }
    if (cap > this.tKey.length) {
      this.tKey = new Uint32Array(cap);
      this.tPos = new Int32Array(cap);
      this.tStamp = new Int32Array(cap);
      this.tEpoch = 0;
    }
    if (this.tEpoch === 0x3fffffff) {
      this.tStamp.fill(0);
      this.tEpoch = 0;
    }
    const epoch = ++this.tEpoch;
    const mask = (this.tMask = cap - 1);
    this.tShift = shift;
    const { tKey, tPos, tStamp } = this;
    for (let i = 0; i < ta.length; i++) {
      const x = ta[i];
      let h = Math.imul(x, 0x9e3779b1) >>> shift;
      while (tStamp[h] === epoch) h = (h + 1) & mask;
      tStamp[h] = epoch;
      tKey[h] = x;
      tPos[h] = i;
    }
    this.indexedP = p;
  }
  /** cosine() by looking q's terms up in p's table: shared terms in ascending hash order, as the merge finds them. */
  private cosineIndexed(p: number, q: number): number {
    if (this.indexedP !== p) this.indexTerms(p);
    const fa = this.fps[this.reps[p]];
    const fb = this.fps[this.reps[q]];
    const tb = fb.terms;
    const lb = tb.length;
    const w = this.w;
    const oa = this.offset[p];
    const ob = this.offset[q];
    const ka = fa.kinds;
    const kb = fb.kinds;
    const ca = fa.counts;
    const cb = fb.counts;
    const { tKey, tPos, tStamp, tEpoch: epoch, tMask: mask, tShift: shift } = this;
    let s = 0;
    let top = 0;
    let dd = 0;
    for (let j = 0; j < lb; j++) {
      const y = tb[j];
      let h = Math.imul(y, 0x9e3779b1) >>> shift;
      while (tStamp[h] === epoch) {
        if (tKey[h] === y) {
          const i = tPos[h];
          const c = w[oa + i] * w[ob + j];
          s += c;
          if (c > top) top = c;
          if (ka[i] & kb[j] & KIND_DATE) dd += ca[i] * cb[j];
          break;
        }
        h = (h + 1) & mask;
      }
    }
    return this.capped(s, top, dd);
  }
}

/** Growable set of pairs (lo, hi) of positions < m, packed as lo * m + hi into a Float64Array; sorted and deduped. */
export class PairSet {
  private keys = new Float64Array(1024);
  private len = 0;
  private sortedLen = 0;
  constructor(readonly m: number) {}
  add(x: number, y: number): void {
    if (x === y) return;
    if (this.len === this.keys.length) runSync(this.makeRoom(NEVER));
    this.keys[this.len++] = x < y ? x * this.m + y : y * this.m + x;
  }
  /** Sort and drop duplicates in place. */
  compact(): void {
    runSync(this.compactSteps(NEVER));
  }
  /** compact() in steps; a slicing caller compacts early (nearlyFull) so that add() need not do it at once. */
  *compactSteps(slicer: Slicer): Steps<void> {
    if (this.len === this.sortedLen) return;
    const k = yield* sortSteps(this.keys.subarray(0, this.len), slicer);
    let w = 0;
    yield* loop(k.length, (from) => {
      for (let i = from; i < k.length; i++) {
        if (i !== from && slicer.due(1 / 64)) return i;
        if (w === 0 || k[i] !== k[w - 1]) k[w++] = k[i];
      }
      return k.length;
    });
    this.len = w;
    this.sortedLen = w;
  }
  /** Compact, and grow when still more than half full. */
  *makeRoom(slicer: Slicer): Steps<void> {
    yield* this.compactSteps(slicer);
    if (this.len * 2 > this.keys.length) {
      const k = new Float64Array(this.keys.length * 2);
      k.set(this.keys.subarray(0, this.len));
      this.keys = k;
    }
  }
  /**
   * At a checkpoint of a slicing caller: make room in steps when fewer than 1/8 of the slots are free, so that add()
   * does not have to sort everything at once. (When compaction happens does not change the final set.)
   */
  *roomSteps(slicer: Slicer): Steps<void> {
    if (this.wantsRoom(slicer)) yield* this.makeRoom(slicer);
  }
  /** Under a slicing slicer: fewer than 1/8 of the slots are free (a loop body should return, to call roomSteps). */
  wantsRoom(slicer: Slicer): boolean {
    return slicer.slicing && this.len > this.keys.length - (this.keys.length >> 3);
  }
  get size(): number {
    this.compact();
    return this.len;
  }
  /** The pairs as two parallel arrays, sorted by lo then hi. */
  toArrays(): { a: Uint32Array; b: Uint32Array } {
    this.compact();
    return pairArrays(this.keys.subarray(0, this.len), this.m);
  }
}

/** Pair keys lo * m + hi as two parallel arrays. */
function pairArrays(keys: Float64Array, m: number): { a: Uint32Array; b: Uint32Array } {
  const a = new Uint32Array(keys.length);
  const b = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const lo = Math.floor(k / m);
    a[i] = lo;
    b[i] = k - lo * m;
  }
  return { a, b };
}

/**
 * Sorted (key, position) entries packed into doubles: key (truncated to fit) × 2^bits + position. `fill(push, p)` pushes
 * the entries of document p (of `docs`).
 */
function* packEntries(
  count: number,
  m: number,
  docs: number,
  fill: (push: (key: number, p: number) => void, p: number) => void,
  slicer: Slicer,
): Steps<{ sorted: Float64Array; scale: number }> {
  const { shift, scale } = packing(m);
  const out = new Float64Array(count);
  let n = 0;
  const push = (key: number, p: number) => {
    out[n++] = (key >>> shift) * scale + p;
  };
  yield* loop(docs, (from) => {
    for (let p = from; p < docs; p++) {
      if (p !== from && slicer.due(4)) return p;
      fill(push, p);
    }
    return docs;
  });
  return { sorted: yield* sortSteps(out.subarray(0, n), slicer), scale };
}

/**
 * Runs of equal keys in packed entries: calls visit(start, end) for each run of length >= 2. With `pairs` (which
 * visit adds to), room is made in steps whenever it runs short.
 */
function* forRuns(sorted: Float64Array, scale: number, visit: (s: number, e: number) => void, slicer: Slicer, pairs?: PairSet): Steps<void> {
  const m = sorted.length;
  const body = (from: number): number => {
    let s = from;
    while (s < m) {
      const key = Math.floor(sorted[s] / scale);
      let e = s + 1;
      while (e < m && Math.floor(sorted[e] / scale) === key) e++;
      if (s !== from && (slicer.due(e - s) || pairs?.wantsRoom(slicer))) return s;
      if (e - s > 1) visit(s, e);
      s = e;
    }
    return m;
  };
  let s = 0;
  while (s < m) {
    s = body(s);
    if (s < m) {
      if (pairs) yield* pairs.roomSteps(slicer);
      yield;
    }
  }
}

/**
 * Candidate pairs (positions into reps, lo < hi), from three indexes, each linear in the corpus:
 * every posting list is either short (all its pairs) or long (each member paired with its next few only), and the
 * distinctive-term index keeps each document's best few neighbours only.
 */
export function candidates(fps: DocFingerprint[], reps: number[], tw: TermWeights): PairSet {
  return runSync(candidateSteps(fps, reps, tw, NEVER)).pairs;
}

/** candidates() with the indexes they came from, as a later run would update them (candidate-index.ts). */
export function candidatesWithIndex(fps: DocFingerprint[], reps: number[], tw: TermWeights): { pairs: PairSet; index: CandidateIndex } {
  const { pairs, index } = runSync(candidateSteps(fps, reps, tw, NEVER, true));
  return { pairs, index: index! };
}

/** The parameters of the candidate indexes for a corpus of n representatives. */
export function candidateParams(n: number): CandidateParams {
  return {
    bucketCap: PARAMS.bucketCap,
    bucketWindow: PARAMS.bucketWindow,
    cap: Math.min(PARAMS.postingMax, Math.max(PARAMS.postingMin, Math.ceil(4 * Math.sqrt(n)))),
    sampleBits: PARAMS.sampleBits,
    indexTerms: PARAMS.indexTerms,
    termNeighbours: PARAMS.termNeighbours,
  };
}

/**
 * candidates() as steps that yield when the slicer's time slice is used up. With `keep`, the indexes are kept too
 * (candidate-index.ts), for a later run to update instead of building them again.
 */
function* candidateSteps(fps: DocFingerprint[], reps: number[], tw: TermWeights, slicer: Slicer, keep = false): Steps<{ pairs: PairSet; index?: CandidateIndex }> {
  const n = reps.length;
  const pairs = new PairSet(n);
  const params = candidateParams(n);
  const { cap } = params;
  const proposed = keep ? new PairList(n) : null;

  // (a) MinHash LSH: sort (band key, doc); buckets larger than bucketCap link each member to its next few only.
  const lshSorted = yield* packEntries(n * LSH_BANDS, n, n, (push, p) => lshEntries(fps[reps[p]], (key) => push(key, p)), slicer);
  {
    const { sorted, scale } = lshSorted;
    const add = proposed ? (x: number, y: number) => (pairs.add(x, y), proposed.push(x, y)) : (x: number, y: number) => pairs.add(x, y);
    yield* forRuns(sorted, scale, (s, e) => windowPairs(sorted, scale, s, e, PARAMS.bucketCap, PARAMS.bucketWindow, add), slicer, pairs);
  }
  const lsh = proposed ? { sorted: lshSorted.sorted.slice(), ...(yield* proposed.countedSteps(slicer)) } : null;

  // (b) sampled shingles (1 in 2^sampleBits word 3-grams, chosen by hash): pairs sharing at least 2 of them.
  let count = 0;
  for (let p = 0; p < n; p++) count += sampleLimit(fps[reps[p]], PARAMS.sampleBits);
  const sampleSorted = yield* packEntries(count, n, n, (push, p) => sampleEntries(fps[reps[p]], PARAMS.sampleBits, (key) => push(key, p)), slicer);
  // a pair must share two sampled 3-grams
  const counts = yield* countPairs(sampleSorted.sorted, sampleSorted.scale, cap, n, slicer);
  for (let i = 0; i < counts.keys.length; ) {
    i = addPairs(pairs, counts, i, n, slicer);
    if (i < counts.keys.length) {
      yield* pairs.roomSteps(slicer);
      yield;
    }
  }
  const samples = keep
    ? { sorted: sampleSorted.sorted.slice(), keys: counts.keys.slice(), cnt: counts.mult.slice() }
    : null;

  // (c) distinctive terms: each document's indexTerms heaviest terms; each document keeps its termNeighbours best
  //     neighbours by the partial dot product over shared index terms.
  const K = PARAMS.indexTerms;
  // entries are (term hash, entry id = p * K + k); the entry's weight is kept by id
  const ew = new Float32Array(n * K);
  // with `keep`, each entry's term key (as packed) and each document's number of entries, for updates
  const et = keep ? new Uint32Array(n * K) : null;
  const eLen = keep ? new Uint8Array(n) : null;
  const termShift = packing(n * K).shift;
  const bw = new Float64Array(K);
  const bt = new Uint32Array(K);
  const { sorted, scale } = yield* packEntries(n * K, n * K, n, (push, p) => {
    const len = topTerms(tw, p, fps[reps[p]], K, bw, bt);
    if (eLen) eLen[p] = len;
    for (let k = 0; k < len; k++) {
      ew[p * K + k] = bw[k];
      if (et) et[p * K + k] = bt[k] >>> termShift;
      push(bt[k], p * K + k);
    }
  }, slicer);
  const runs = yield* termRunsSteps(sorted, scale, K, ew, n, slicer);
  if (!runs) throw new Error('a term index entry past the corpus'); // its ids were made here, each below n * K
  const top = PARAMS.termNeighbours;
  const scratch = neighbourScratch(n, top);
  const nb = keep ? new Uint32Array(n * top) : null;
  const nbLen = keep ? new Uint8Array(n) : null;
  const nbScore = keep ? new Float32Array(n * top) : null;
  const body = (from: number): number => {
    for (let p = from; p < n; p++) {
      if (p !== from && (slicer.due(scratch.count >> 3) || pairs.wantsRoom(slicer))) return p;
      const len = bestNeighbours(p, runs, cap, top, scratch);
      for (let k = 0; k < len; k++) pairs.add(p, scratch.best[k]);
      if (nb && nbLen && nbScore) {
        nb.set(scratch.best.subarray(0, len), p * top);
        nbScore.set(scratch.score.subarray(0, len), p * top);
        nbLen[p] = len;
      }
    }
    return n;
  };
  for (let p = 0; p < n; ) {
    p = body(p);
    if (p < n) {
      yield* pairs.roomSteps(slicer);
      yield;
    }
  }
  if (!lsh || !samples || !nb || !nbLen || !nbScore || !et || !eLen) return { pairs };
  const chosen = new PairList(n);
  for (let p = 0; p < n; p++) for (let k = 0; k < nbLen[p]; k++) chosen.push(p, nb[p * top + k]);
  const terms = { sorted: sorted.slice(), ew, et, eLen, nb, nbLen, nbScore, ...(yield* chosen.countedSteps(slicer)) };
  return { pairs, index: { n, params, lsh, samples, terms } };
}

/** Adds the pairs held by at least two runs, from position i on, until done or due; returns where to go on. */
function addPairs(pairs: PairSet, counts: { keys: Float64Array; mult: Uint32Array }, from: number, n: number, slicer: Slicer): number {
  for (let i = from; i < counts.keys.length; i++) {
    if (i !== from && (slicer.due(1 / 4) || pairs.wantsRoom(slicer))) return i;
    if (counts.mult[i] < 2) continue;
    const k = counts.keys[i];
    const lo = Math.floor(k / n);
    pairs.add(lo, k - lo * n);
  }
  return counts.keys.length;
}

/** Pairs from runs of packed entries with their multiplicity (how many runs hold both). */
function* countPairs(sorted: Float64Array, scale: number, cap: number, n: number, slicer: Slicer): Steps<{ keys: Float64Array; mult: Uint32Array }> {
  const list = new PairList(n);
  const push = (x: number, y: number) => list.push(x, y);
  yield* forRuns(sorted, scale, (s, e) => windowPairs(sorted, scale, s, e, cap, PARAMS.bucketWindow, push), slicer);
  const { keys, cnt } = yield* list.countedSteps(slicer);
  return { keys, mult: cnt };
}

/**
 * Agreement of the dates mentioned (weekdays, months, years): cosine of their counts, and a confidence that grows with
 * the number of mentions on the poorer side (full at PARAMS.dateMentions). Null when either mentions none.
 */
export function dateAgreement(fa: DocFingerprint, fb: DocFingerprint): { cosine: number; confidence: number } | null {
  let ca = 0;
  let cb = 0;
  let i = 0;
  let j = 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  const ta = fa.terms;
  const tb = fb.terms;
  for (let x = 0; x < ta.length; x++)
    if (fa.kinds[x] & KIND_DATE) {
      na += fa.counts[x] * fa.counts[x];
      ca += fa.counts[x];
    }
  for (let y = 0; y < tb.length; y++)
    if (fb.kinds[y] & KIND_DATE) {
      nb += fb.counts[y] * fb.counts[y];
      cb += fb.counts[y];
    }
  if (!na || !nb) return null;
  while (i < ta.length && j < tb.length) {
    if (ta[i] === tb[j]) {
      if (fa.kinds[i] & KIND_DATE && fb.kinds[j] & KIND_DATE) dot += fa.counts[i] * fb.counts[j];
      i++;
      j++;
    } else if (ta[i] < tb[j]) i++;
    else j++;
  }
  return { cosine: dot / Math.sqrt(na * nb), confidence: Math.min(1, Math.min(ca, cb) / PARAMS.dateMentions) };
}

/** Smallest distance in days between a date one text names and a date the other names (0 when either names none). */
export function calendarGap(a: Uint16Array, b: Uint16Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let best = 366;
  for (const x of a)
    for (const y of b) {
      const d = Math.abs(x - y);
      const c = Math.min(d, 366 - d);
      if (c < best) best = c;
    }
  return best;
}

/**
 * Factor on event similarity from the dates two texts name: 1 when some named dates lie within calendarDays;
 * beyond that it falls like the publication-date factor (a follow-up a week later still names nearby days), down to
 * calendarPenalty for dates months apart (two rounds of talks, two fires in one city).
 */
export function calendarFactor(a: Uint16Array, b: Uint16Array): number {
  const gap = calendarGap(a, b);
  if (gap <= PARAMS.calendarDays) return 1;
  const x = gap - PARAMS.calendarDays;
  return Math.max(PARAMS.calendarPenalty, Math.exp(-(x * x) / (2 * PARAMS.calendarSigma * PARAMS.calendarSigma)));
}

export interface PairEvidence {
  shared: number;
  jaccard: number;
  /** |A∩B| / min(|A|, |B|) */
  containment: number;
  /** share of a's 3-grams found in b, and of b's in a */
  aInB: number;
  bInA: number;
  cosine: number;
  quoteShare: number;
  relation: PairRelation | null;
  score: number;
}

function anyEqual(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) return true;
  return false;
}

/** Verify one pair of representatives (positions p, q into the weights' reps) exactly, with all its evidence. */
export function verifyPair(tw: TermWeights, p: number, q: number): PairEvidence {
  const ev: PairEvidence = { shared: 0, jaccard: 0, containment: 0, aInB: 0, bInA: 0, cosine: 0, quoteShare: 0, relation: null, score: 0 };
  pairCore(tw, p, q, ev);
  return ev;
}

/** RELATION_CODE of the pair last scored by pairCore. */
let coreRelation = 0;

/**
 * The pair decision without allocating (the linkage scores millions of pairs): returns the score, leaves the relation
 * code in coreRelation, and fills `ev` when given.
 */
function pairCore(tw: TermWeights, p: number, q: number, ev: PairEvidence | null): number {
  const fa = tw.fps[tw.reps[p]];
  const fb = tw.fps[tw.reps[q]];
  const na = fa.shingleCount;
  const nb = fb.shingleCount;
  // the shared 3-grams (exact unless a sketch was cut) only when MinHash sees some overlap or the sizes differ a lot (a short partial copy
  // of a long text can have a low resemblance): no equal slot out of 128 means resemblance below about 0.02, far
  // from a copy
  const shared = Math.max(na, nb) > 4 * Math.min(na, nb) || tw.minhashOverlap(p, q) ? sharedShingles(fa, fb) : 0;
  const union = na + nb - shared;
  const jaccard = union ? shared / union : 0;
  const containment = Math.min(na, nb) ? shared / Math.min(na, nb) : 0;
  let cos = tw.cosine(p, q);
  cos *= tw.dateFactor(p, q); // dateAgreement(fa, fb), gathered in the cosine pass
  cos *= calendarFactor(fa.calendar, fb.calendar);
  const qShared = fa.quotes.length && fb.quotes.length ? sharedHashes(fa.quotes, fa.quoteCount, fb.quotes, fb.quoteCount) : 0;
  if (fa.day !== null && fb.day !== null) {
    const d = Math.abs(fa.day - fb.day);
    if (d > 3) cos *= Math.exp(-((d - 3) ** 2) / (2 * 14 * 14));
  }
  let score = cos;
  // quoting the same speaker is not copying: shared quotation 3-grams do not count towards a near-duplicate
  const copied = Math.max(0, shared - qShared);
  const copiedShare = Math.min(na, nb) ? copied / Math.min(na, nb) : 0;
  if (fa.exact === fb.exact) {
    coreRelation = RELATION_CODE.exact;
    score = 1;
  } else if ((copied >= PARAMS.ndMinShared && (copiedShare >= PARAMS.ndContainment || (copiedShare >= PARAMS.ndContainmentMin && cos >= PARAMS.ndEventFloor))) || jaccard >= PARAMS.ndJaccard) {
    coreRelation = RELATION_CODE['near-duplicate'];
    score = Math.max(cos, 0.6 + 0.4 * containment);
  } else {
    coreRelation = RELATION_CODE['same-event'];
  }
  if (ev) {
    const qMin = Math.min(fa.quoteCount, fb.quoteCount);
    ev.shared = shared;
    ev.jaccard = jaccard;
    ev.containment = containment;
    ev.aInB = na ? shared / na : 0;
    ev.bInA = nb ? shared / nb : 0;
    ev.cosine = cos;
    ev.quoteShare = qMin >= 3 ? qShared / qMin : 0;
    ev.relation = RELATION_NAME[coreRelation];
    ev.score = score;
  }
  return score;
}

function explain(ev: PairEvidence, fa: DocFingerprint, fb: DocFingerprint): string[] {
  const why: string[] = [];
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (ev.relation === 'exact') return ['identical text after normalisation (case, whitespace, punctuation)'];
  if (ev.relation === 'near-duplicate') {
    why.push(
      `copied text: ${ev.shared} shared word 3-grams (${pct(ev.aInB)} of the first, ${pct(ev.bInA)} of the second; Jaccard ${ev.jaccard.toFixed(2)})`,
    );
  }
  why.push(`event similarity ${ev.cosine.toFixed(3)} (rarity-weighted terms, names and numbers)`);
  const lb = new Set(labelList(fb));
  const common = labelList(fa).filter((l) => lb.has(l)).slice(0, 10);
  if (common.length) why.push(`shared distinctive terms: ${common.join(', ')}`);
  if (ev.quoteShare > 0) why.push(`shared quotation text: ${pct(ev.quoteShare)} of quoted 3-grams`);
  return why;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const RELATION_CODE = { exact: 3, 'near-duplicate': 2, 'same-event': 1 } as const;
const RELATION_NAME: (PairRelation | null)[] = [null, 'same-event', 'near-duplicate', 'exact'];

interface Verified {
  tw: TermWeights;
  /** Kept edges (positions into reps, a < b), sorted by a then b. */
  edgeA: Uint32Array;
  edgeB: Uint32Array;
  edgeS: Float32Array;
  /** RELATION_CODE of each edge. */
  edgeR: Uint8Array;
  /** With a memo: each representative's position in its last state (-1: not there, or weighed differently). */
  before: Int32Array | null;
  /** The same in the memo's other state (PairMemo.also), with that state; null: none. */
  also: { state: PairMemoState; before: Int32Array } | null;
}

/**
 * The share of the representatives changed or weighed differently up to which the candidate indexes are updated rather
 * than built afresh. Measured on 10,000 articles (bench/RESULTS.md, tenth session): with 1,676 weighed again the update
 * took the cluster stage 1.14 s against 2.10 s for a build; with 3,878 (41%) 2.79 s against 3.01; with 5,615 (60%)
 * 2.44 s against 2.31. It was an eighth, which sent a warm run whose edit moved a common word's weight to a build.
 */
const UPDATE_AT_MOST = 1 / 3;

/**
 * The last run's candidate indexes updated for this run: in place when its representatives sit where they sat then
 * (the same number of them, each with its identity or a new one), else moved to this run's positions (representatives
 * came or went: updateShiftedIndex). Null when that cannot be done, or when so much changed that building them again
 * costs no more. `positions`: each representative's position in the last run by its identity (-1: new).
 */
function updatedIndex(prev: PairMemoState, fps: DocFingerprint[], reps: number[], tw: TermWeights, weights: Uint32Array, positions: Int32Array): CandidateIndex | null {
  const m = reps.length;
  if (!prev.index) return null;
  const byId = inLastOrder(positions);
  const reweighedAt = (p: number) => weights[2 * p] !== prev.weights[2 * byId[p]] || weights[2 * p + 1] !== prev.weights[2 * byId[p] + 1];
  let inPlace = prev.ids.length === m;
  for (let p = 0; p < m && inPlace; p++) if (byId[p] !== p && byId[p] !== -1) inPlace = false;
  const changed = new Uint8Array(m);
  const reweighed = new Uint8Array(m);
  let count = 0;
  let stayed = 0;
  for (let p = 0; p < m; p++) {
    if (byId[p] < 0) changed[p] = 1;
    else stayed++;
    if (changed[p] || reweighedAt(p)) {
      reweighed[p] = 1;
      count++;
    }
  }
  // moved: the gone are changes too (in place, each one's place holds a changed one)
  if (!inPlace) count += prev.ids.length - stayed;
  if (count > m * UPDATE_AT_MOST) return null;
  const params = candidateParams(m);
  return inPlace ? updateIndex(prev.index, fps, reps, tw, changed, reweighed, params) : updateShiftedIndex(prev.index, fps, reps, tw, byId, reweighed, params);
}

/**
 * Candidate pairs among representatives (positions into reps), verified exactly; only typed arrays are kept. With a
 * memo, pairs of documents unchanged since its last state take their score from there (the same values).
 */
function* verifyCandidates(fps: DocFingerprint[], reps: number[], slicer: Slicer, memo?: PairMemo): Steps<Verified> {
  const prev = memo?.previous;
  // the last run's document frequencies, when its weights can be reused: then only documents weighed differently
  // are weighed to be hashed, and the rest when a pair asks for them
  const stored = prev?.df && prev.weighKey === weighKey() ? prev.df : null;
  const byId = memo ? positionsById(memo, reps) : null;
  // this run's frequencies made from the last run's, when the terms of the representatives gone since can be had;
  // else the last run's as they were, to compare this run's count with
  const update = stored && byId && memo?.termsOf ? dfSince(stored, prev!.ids, byId, fps, reps, memo.termsOf) : null;
  const prevDf = stored && !update ? TermCounts.fromTable(stored.keys, stored.vals, stored.zero) : null;
  const tw = yield* TermWeights.create(fps, reps, slicer, stored !== null, update);
  const m = reps.length;
  const weights = byId ? tw.weightHashes(stored && { positions: byId, weights: prev!.weights, df: prevDf, m: prev!.ids.length }) : null;
  // the last run's candidate indexes, updated for what changed since (when they can be), or built afresh
  let index = byId && weights && prev ? updatedIndex(prev, fps, reps, tw, weights, byId) : null;
  const updated = index !== null;
  let a: Uint32Array;
  let b: Uint32Array;
  // the candidates as pair keys a * m + b, when the index gave them so (the next state keeps them as they are)
  let pairKeys: Float64Array | null = null;
  if (index) ({ a, b } = pairArrays((pairKeys = indexPairs(index)), m));
  else {
    const built = yield* candidateSteps(fps, reps, tw, slicer, memo !== undefined);
    yield* built.pairs.compactSteps(slicer);
    ({ a, b } = built.pairs.toArrays());
    index = built.index ?? null;
  }
  yield;
  const before = prev && byId && weights ? previousPositions(prev, byId, weights) : null;
  const pm = prev ? prev.ids.length : 0;
  const also = memo?.also && weights ? { state: memo.also, before: previousPositions(memo.also, positionsById(memo, reps, memo.also), weights) } : null;
  const am = also ? also.state.ids.length : 0;
  const keep = new Uint8Array(a.length);
  const score = new Float32Array(a.length);
  const rel = new Uint8Array(a.length);
  let kept = 0;
  let reused = 0;
  yield* loop(a.length, (from) => {
    for (let e = from; e < a.length; e++) {
      if (e !== from && slicer.due(4)) return e;
      // the last state's outcome, else the other state's (the same rule: both ends as they were there, in that order)
      let held: PairMemoState | null = null;
      let at = -1;
      if (before) {
        const op = before[a[e]];
        const oq = before[b[e]];
        if (op >= 0 && op < oq && (at = findKey(prev!.pairs, op * pm + oq)) >= 0) held = prev!;
      }
      if (!held && also) {
        const op = also.before[a[e]];
        const oq = also.before[b[e]];
        if (op >= 0 && op < oq && (at = findKey(also.state.pairs, op * am + oq)) >= 0) held = also.state;
      }
      if (held) {
        reused++;
        const r = held.rel[at];
        if (r === 0) continue;
        keep[e] = 1;
        score[e] = held.score[at];
        rel[e] = r;
        kept++;
        continue;
      }
      const sc = pairCore(tw, a[e], b[e], null);
      if (sc < PARAMS.edgeFloor && coreRelation === RELATION_CODE['same-event']) continue;
      keep[e] = 1;
      score[e] = sc;
      rel[e] = coreRelation;
      kept++;
    }
    return a.length;
  });
  if (memo && weights) {
    // every candidate with its outcome (rel 0: dropped), so the next run reuses the drops too
    let keys = pairKeys;
    if (!keys) {
      keys = new Float64Array(a.length);
      for (let e = 0; e < a.length; e++) keys[e] = a[e] * m + b[e];
    }
    memo.next = { ids: reps.map((r) => memo.ids[r] ?? ''), weights, pairs: keys, score, rel, index, df: tw.df.entries(), weighKey: weighKey() };
    memo.reused = reused;
    memo.scored = a.length - reused;
    memo.indexUpdated = updated;
    memo.rehashed = tw.rehashed;
    memo.dfUpdated = update !== null;
  }
  const edgeA = new Uint32Array(kept);
  const edgeB = new Uint32Array(kept);
  const edgeS = new Float32Array(kept);
  const edgeR = new Uint8Array(kept);
  let w = 0;
  for (let e = 0; e < a.length; e++) {
    if (!keep[e]) continue;
    edgeA[w] = a[e];
    edgeB[w] = b[e];
    edgeS[w] = score[e];
    edgeR[w] = rel[e];
    w++;
  }
  return { tw, edgeA, edgeB, edgeS, edgeR, before, also };
}

/**
 * Every verified candidate pair of a corpus (a < b, indices into fps), with its evidence; exact duplicates are not
 * collapsed first. For explanations, tests and tuning: clusterDocs uses the same computation.
 */
export function scorePairs(fps: DocFingerprint[]): (PairEvidence & { a: number; b: number })[] {
  const reps = fps.map((_, i) => i);
  const v = runSync(verifyCandidates(fps, reps, NEVER));
  return Array.from(v.edgeA, (p, e) => ({ ...verifyPair(v.tw, p, v.edgeB[e]), a: p, b: v.edgeB[e] }));
}

/**
 * Neighbourhood-relative similarity for the linkage. Each representative's density is the score of its
 * localK-th best verified neighbour (floored at localFloor); a same-event score is divided by the geometric mean of
 * the two densities and multiplied by localRef, so write-ups in a sparse neighbourhood (short texts, few shared
 * words) need less raw similarity and those in a dense one (many same-kind stories) need more. Copies keep their
 * own score when it is higher. localK = 0 switches this off (the score is used as it is).
 */
export function linkageScale(m: number, v: Pick<Verified, 'edgeA' | 'edgeB' | 'edgeS'>, family: Int32Array | null = null): (p: number, q: number, score: number, relation: number) => number {
  const k = PARAMS.localK;
  if (k <= 0) return (_p, _q, score) => score;
  const top = new Float32Array(m * k); // per node, its k best scores, descending
  // With families of copies: a family is one neighbour (its best score), not one per copy, and no neighbour of its own
  // members. Each of a node's best scores then keeps the family it came from, so that a second score of one family
  // replaces the first instead of taking another place.
  const from = family ? new Int32Array(m * k).fill(-1) : null;
  /** Node p's neighbour `f` (a family, or a node) at score s. */
  const push = (p: number, s: number, f: number) => {
    const base = p * k;
    if (from) {
      for (let j = 0; j < k; j++) {
        if (from[base + j] !== f) continue;
        if (s <= top[base + j]) return;
        for (let t = j; t < k - 1; t++) {
          top[base + t] = top[base + t + 1];
          from[base + t] = from[base + t + 1];
        }
        top[base + k - 1] = 0;
        from[base + k - 1] = -1;
        break;
      }
    }
    if (s <= top[base + k - 1]) return;
    let i = k - 1;
    while (i > 0 && top[base + i - 1] < s) {
      top[base + i] = top[base + i - 1];
      if (from) from[base + i] = from[base + i - 1];
      i--;
    }
    top[base + i] = s;
    if (from) from[base + i] = f;
  };
  for (let e = 0; e < v.edgeA.length; e++) {
    const a = v.edgeA[e];
    const b = v.edgeB[e];
    if (family && family[a] === family[b]) continue;
    push(a, v.edgeS[e], family ? family[b] : b);
    push(b, v.edgeS[e], family ? family[a] : a);
  }
  const density = new Float32Array(m);
  // a document with fewer than k verified neighbours has no neighbourhood to measure: it gets the prior density
  for (let p = 0; p < m; p++) density[p] = top[p * k + k - 1] > 0 ? Math.max(PARAMS.localFloor, top[p * k + k - 1]) : PARAMS.localRef;
  return (p, q, score, relation) => {
    // below localMinScore a pair is noise whatever the neighbourhood: it is never scaled up
    const scaled = score < PARAMS.localMinScore ? score : Math.min(1, (score * PARAMS.localRef) / Math.sqrt(density[p] * density[q]));
    return relation >= RELATION_CODE['near-duplicate'] ? Math.max(score, scaled) : scaled;
  };
}

/**
 * The families of copies among the representatives: those joined by near-duplicate edges of at least copyFamilyScore,
 * by the lowest position in each; null when there are none. An exact copy is one representative already; a near copy
 * edited by one line should weigh no more than that in the event-level linkage.
 */
export function copyFamilies(m: number, v: Pick<Verified, 'edgeA' | 'edgeB' | 'edgeS' | 'edgeR'>): Int32Array | null {
  const parent = new Int32Array(m);
  for (let p = 0; p < m; p++) parent[p] = p;
  const root = (p: number): number => {
    while (parent[p] !== p) p = parent[p] = parent[parent[p]];
    return p;
  };
  let joined = false;
  for (let e = 0; e < v.edgeA.length; e++) {
    if (v.edgeR[e] !== RELATION_CODE['near-duplicate'] || v.edgeS[e] < PARAMS.copyFamilyScore) continue;
    const a = root(v.edgeA[e]);
    const b = root(v.edgeB[e]);
    if (a === b) continue;
    parent[Math.max(a, b)] = Math.min(a, b);
    joined = true;
  }
  if (!joined) return null;
  for (let p = 0; p < m; p++) parent[p] = root(p);
  return parent;
}

/** Each representative's weight in the average linkage: 1 over the size of its family of copies. */
function copyWeights(family: Int32Array): Float64Array {
  const size = new Int32Array(family.length);
  for (let p = 0; p < family.length; p++) size[family[p]]++;
  const weight = new Float64Array(family.length);
  for (let p = 0; p < family.length; p++) weight[p] = 1 / size[family[p]];
  return weight;
}

/** Cluster a corpus (synchronously; clusterDocsAsync gives the same result without blocking the event loop). */
export function clusterDocs(fps: DocFingerprint[], options: ClusterOptions = {}): ClusterGroup[] {
  return runSync(clusterSteps(fps, options, NEVER));
}

/**
 * clusterDocs that gives the event loop a turn (setImmediate) after every `sliceMs` (default 25) of work, so signal
 * handlers, timers and progress output run while a large corpus clusters. Same result as clusterDocs.
 */
export function clusterDocsAsync(fps: DocFingerprint[], options: AsyncClusterOptions = {}): Promise<ClusterGroup[]> {
  const slicer = new Slicer(options.sliceMs ?? 25);
  return runAsync(clusterSteps(fps, options, slicer), slicer);
}

/** Each document's representative (the lowest index with its exact hash), and the representatives, ascending. */
export function exactGroups(fps: readonly Pick<DocFingerprint, 'exact'>[]): { repOf: Int32Array; reps: number[] } {
  const n = fps.length;
  const repOf = new Int32Array(n);
  const reps: number[] = [];
  const first = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const exact = fps[i].exact;
    const r = first.get(exact);
    if (r === undefined) {
      first.set(exact, i);
      repOf[i] = i;
      reps.push(i);
    } else repOf[i] = r;
  }
  return { repOf, reps };
}

/** The cluster stage as steps: yields whenever the slicer's time slice is used up. */
function* clusterSteps(fps: DocFingerprint[], options: ClusterOptions, slicer: Slicer): Steps<ClusterGroup[]> {
  const threshold = Math.min(1, Math.max(0, options.threshold ?? PARAMS.threshold));
  const n = fps.length;
  // 1. exact groups: each document's representative is the first document with its exact hash (one pass and a map,
  //    not a sort of the corpus by hash: 17-52 ms of a warm run over 10,000 articles)
  const { repOf, reps } = exactGroups(fps);
  yield;

  // 2-3. candidates and verification
  const m = reps.length;
  const v = yield* verifyCandidates(fps, reps, slicer, options.memo);

  // 4. average linkage over representatives, on neighbourhood-relative scores: the verified edges propose joins,
  //    and the average over every cross pair is completed exactly before a join is taken
  // copies of one text (near-duplicates of at least copyFamilyScore) count as one, as exact copies do: a copy is
  // neither a neighbour in a document's neighbourhood nor a second voice in an average
  const family = copyFamilies(m, v);
  const scale = linkageScale(m, v, family);
  const linkS = new Float32Array(v.edgeS.length);
  yield* loop(linkS.length, (from) => {
    for (let e = from; e < linkS.length; e++) {
      if (e !== from && slicer.due(1 / 16)) return e;
      linkS[e] = scale(v.edgeA[e], v.edgeB[e], v.edgeS[e], v.edgeR[e]);
    }
    return linkS.length;
  });
  const completion = options.memo ? new CompletionScores(v, m, options.memo.previous) : null;
  const pairScore = (p: number, q: number): number => {
    if (completion) {
      const sc = completion.score(Math.min(p, q), Math.max(p, q));
      return scale(p, q, sc, completion.rel);
    }
    const sc = pairCore(v.tw, Math.min(p, q), Math.max(p, q), null);
    return scale(p, q, sc, coreRelation);
  };
  const weight = family ? copyWeights(family) : undefined;
  const link = (ea: ArrayLike<number>, eb: ArrayLike<number>, es: ArrayLike<number>, k: number, score: (p: number, q: number) => number, w?: ArrayLike<number>) =>
    linkAverageSteps(k, ea, eb, es, threshold, PARAMS.bridgeFactor, score, PARAMS.exactBudget, slicer, w);
  // with the last run's labels, only the components a change reaches are linked again (the same labels: linkReached)
  const reached = options.memo ? yield* linkReached(m, v, linkS, options.memo.previous, threshold, pairScore, weight, link) : null;
  const label = reached?.label ?? (yield* link(v.edgeA, v.edgeB, linkS, m, pairScore, weight));
  if (options.memo) {
    options.memo.linked = reached ? reached.linked : null;
    if (options.memo.next) {
      options.memo.next.labels = { threshold, of: label };
      options.memo.next.completed = completion!.state(reached?.relinked ?? null);
    }
    options.memo.completions = { reused: completion!.reused, asked: completion!.asked };
  }

  // assemble groups (members include exact duplicates)
  const byLabel = new Map<number, number[]>();
  yield* loop(n, (from) => {
    for (let i = from; i < n; i++) {
      if (i !== from && slicer.due(1 / 4)) return i;
      const l = label[findKey(reps, repOf[i])];
      let g = byLabel.get(l);
      if (!g) byLabel.set(l, (g = []));
      g.push(i);
    }
    return n;
  });
  const groups: ClusterGroup[] = [];
  const groupOf = new Int32Array(n);
  for (const members of byLabel.values()) groups.push({ members, edges: [] }); // members ascend: pushed in order
  groups.sort((x, y) => x.members[0] - y.members[0]);
  groups.forEach((g, gi) => g.members.forEach((i) => (groupOf[i] = gi)));
  yield;
  yield* loop(n, (from) => {
    for (let i = from; i < n; i++) {
      if (repOf[i] === i) continue;
      if (i !== from && slicer.due(4)) return i;
      const r = repOf[i];
      groups[groupOf[i]].edges.push({ a: Math.min(r, i), b: Math.max(r, i), relation: 'exact', score: 1, why: explain({ relation: 'exact' } as PairEvidence, fps[r], fps[i]) });
    }
    return n;
  });
  // explanations only for the edges kept inside a group (the evidence is recomputed for those few pairs, or taken
  // from the memo for two documents as they were: the same evidence, so the same words)
  const memo = options.memo;
  const told = memo?.previous?.explained && v.before ? { prev: memo.previous, before: v.before } : null;
  const keys: number[] = [];
  let reusedWhy = 0;
  const explained: ExplainedEdges | null = memo?.next ? { keys, relation: [], score: [], why: [] } : null;
  yield* loop(v.edgeA.length, (from) => {
    for (let e = from; e < v.edgeA.length; e++) {
      const p = v.edgeA[e];
      const q = v.edgeB[e];
      const a = reps[p];
      const b = reps[q];
      if (groupOf[a] !== groupOf[b]) continue;
      if (e !== from && slicer.due(8)) return e;
      let edge = (told && toldBefore(told.prev, told.before[p], told.before[q])) || (v.also && toldBefore(v.also.state, v.also.before[p], v.also.before[q]));
      if (edge) reusedWhy++;
      else {
        const ev = verifyPair(v.tw, p, q);
        edge = { relation: ev.relation ?? 'same-event', score: round3(ev.score), why: explain(ev, fps[a], fps[b]) };
      }
      groups[groupOf[a]].edges.push({ a: Math.min(a, b), b: Math.max(a, b), ...edge });
      if (explained) {
        keys.push(p * m + q);
        explained.relation.push(edge.relation);
        explained.score.push(edge.score);
        explained.why.push(edge.why);
      }
    }
    return v.edgeA.length;
  });
  if (memo?.next && explained) memo.next.explained = explained;
  if (memo) memo.explanationsReused = reusedWhy;
  yield* loop(groups.length, (from) => {
    for (let gi = from; gi < groups.length; gi++) {
      const g = groups[gi];
      if (gi !== from && slicer.due(1 + g.edges.length)) return gi;
      g.edges.sort((x, y) => x.a - y.a || x.b - y.b);
    }
    return groups.length;
  });
  return groups;
}

/**
 * The linkage's labels when the last state's can serve: the components of the edge graph that no change reaches (no
 * representative new or weighed differently, no edge added, dropped or scored otherwise) keep the last run's labels,
 * and only the others are linked again, as a graph of their own. The average linkage never joins across components
 * (a join needs an edge), every input it reads for a node (its edges, its neighbourhood's density, its family of
 * copies, the pair scores that complete an average) lies in the node's component, and ties are broken by position,
 * which renumbering in order keeps: so the labels are those of linking the whole graph. Representatives that came or
 * went since move the others: the last run's edges and labels are moved to this run's places first (an order the move
 * keeps, as the candidate indexes are: updateShiftedIndex). Null when the last state cannot serve: no labels, another
 * threshold, or representatives out of the last run's order.
 */
function* linkReached(
  m: number,
  v: Verified,
  linkS: Float32Array,
  prev: PairMemoState | null | undefined,
  threshold: number,
  pairScore: (p: number, q: number) => number,
  weight: Float64Array | undefined,
  link: (ea: ArrayLike<number>, eb: ArrayLike<number>, es: ArrayLike<number>, k: number, score: (p: number, q: number) => number, w?: ArrayLike<number>) => Steps<Int32Array>,
): Steps<{ label: Int32Array; linked: number; relinked: Int32Array } | null> {
  const labels = prev?.labels;
  const before = v.before && inLastOrder(v.before);
  const pm = prev?.ids.length ?? 0;
  if (!prev || !labels || labels.threshold !== threshold || labels.of.length !== pm || !before) return null;
  // where each representative of the last run sits now (-1: gone, or weighed differently: its place is touched)
  const now = new Int32Array(pm).fill(-1);
  const touched = new Uint8Array(m);
  let last = -1;
  for (let p = 0; p < m; p++) {
    const j = before[p];
    if (j < 0) touched[p] = 1; // new, changed, or weighed differently
    else {
      if (j <= last || j >= pm) return null; // not a place of the last run
      now[j] = p;
      last = j;
    }
  }
  // the edges as they were (moved to this run's places, an order the move keeps) and as they are, both ascending by
  // (a, b): a difference touches both ends; an edge of the last run with an end not here touches the other
  const { edgeA, edgeB, edgeS, edgeR } = v;
  const { pairs, score, rel } = prev;
  let i = 0;
  let j = 0;
  for (;;) {
    let was = Infinity;
    while (i < pairs.length) {
      if (rel[i] !== 0) {
        const a = Math.floor(pairs[i] / pm);
        const pa = now[a];
        const pb = now[pairs[i] - a * pm];
        if (pa >= 0 && pb >= 0) {
          was = pa * m + pb;
          break;
        }
        if (pa >= 0) touched[pa] = 1;
        if (pb >= 0) touched[pb] = 1;
      }
      i++;
    }
    if (was === Infinity && j >= edgeA.length) break;
    const is = j < edgeA.length ? edgeA[j] * m + edgeB[j] : Infinity;
    if (was === is) {
      if (score[i] !== edgeS[j] || rel[i] !== edgeR[j]) touched[edgeA[j]] = touched[edgeB[j]] = 1;
      i++;
      j++;
    } else if (was < is) {
      const a = Math.floor(was / m);
      touched[a] = touched[was - a * m] = 1;
      i++;
    } else {
      touched[edgeA[j]] = touched[edgeB[j]] = 1;
      j++;
    }
  }
  yield;
  // components of this run's edges; those holding a touched representative are linked again
  const root = new Int32Array(m);
  for (let p = 0; p < m; p++) root[p] = p;
  const find = (p: number): number => {
    while (root[p] !== p) p = root[p] = root[root[p]];
    return p;
  };
  for (let e = 0; e < edgeA.length; e++) {
    const a = find(edgeA[e]);
    const b = find(edgeB[e]);
    if (a !== b) root[Math.max(a, b)] = Math.min(a, b);
  }
  const reached = new Uint8Array(m);
  for (let p = 0; p < m; p++) if (touched[p]) reached[find(p)] = 1;
  const nodes: number[] = [];
  const local = new Int32Array(m).fill(-1);
  // the last run's labels moved to this run's places (a label is the first place of its group, which the move keeps)
  const label = new Int32Array(m).fill(-1);
  for (let p = 0; p < m; p++) if (before[p] >= 0) label[p] = now[labels.of[before[p]]] ?? -1;
  for (let p = 0; p < m; p++) {
    if (reached[find(p)]) {
      local[p] = nodes.length;
      nodes.push(p);
    } else if (!(label[p] >= 0 && label[p] <= p && label[label[p]] === label[p])) return null; // not a labelling
  }
  if (nodes.length === m) return null; // everything reached: the whole graph is linked as it is
  const ea: number[] = [];
  const eb: number[] = [];
  const es: number[] = [];
  for (let e = 0; e < edgeA.length; e++) {
    if (local[edgeA[e]] < 0) continue;
    ea.push(local[edgeA[e]]);
    eb.push(local[edgeB[e]]);
    es.push(linkS[e]);
  }
  const w = weight && Float64Array.from(nodes, (p) => weight[p]);
  const sub = yield* link(ea, eb, Float32Array.from(es), nodes.length, (x, y) => pairScore(nodes[x], nodes[y]), w);
  for (let k = 0; k < nodes.length; k++) label[nodes[k]] = nodes[sub[k]];
  return { label, linked: nodes.length, relinked: local };
}

/**
 * The scores the average linkage completes an average with (pairCore of a cross pair without a verified edge), with
 * those the last run completed: a pair of representatives weighed as before, in the same order, scores the same bytes
 * (pairCore reads nothing but the two fingerprints and their weights), as the verified pairs do (verifyCandidates). A
 * warm run that links a large component again (news of many events, joined by weak edges) asked for thousands of them,
 * about 37 µs each on ECB+'s long articles: most of its linkage.
 */
class CompletionScores {
  /** The relation code of the pair last scored (pairCore's coreRelation). */
  rel = 0;
  /** Scores taken from the last run. */
  reused = 0;
  /** Scores asked for (a pair may be asked more than once). */
  asked = 0;
  private readonly keys: number[] = [];
  private readonly scores: number[] = [];
  private readonly rels: number[] = [];
  private readonly last: CompletedScores | null;
  private readonly before: Int32Array | null;
  private readonly pm: number;

  constructor(
    private readonly v: Verified,
    private readonly m: number,
    prev: PairMemoState | null | undefined,
  ) {
    this.last = prev?.completed ?? null;
    this.before = this.last ? v.before : null;
    this.pm = prev?.ids.length ?? 0;
  }

  /** The score of representatives p < q (and its relation code in `rel`). */
  score(p: number, q: number): number {
    let held: CompletedScores | null = null;
    let at = -1;
    if (this.before) {
      const op = this.before[p];
      const oq = this.before[q];
      if (op >= 0 && op < oq && (at = findKey(this.last!.keys, op * this.pm + oq)) >= 0) held = this.last;
    }
    // else the memo's other state (a second pass: this run's first)
    const also = this.v.also;
    if (!held && also?.state.completed) {
      const op = also.before[p];
      const oq = also.before[q];
      if (op >= 0 && op < oq && (at = findKey(also.state.completed.keys, op * also.state.ids.length + oq)) >= 0) held = also.state.completed;
    }
    let sc: number;
    if (held) {
      sc = held.score[at];
      this.rel = held.rel[at];
      this.reused++;
    } else {
      sc = pairCore(this.v.tw, p, q, null);
      this.rel = coreRelation;
    }
    this.asked++;
    this.keys.push(p * this.m + q);
    this.scores.push(sc);
    this.rels.push(this.rel);
    return sc;
  }

  /**
   * What the next run can take: the scores this run's linkage asked for, and the last run's of the components it did not
   * link again (`relinked`, by representative: -1 where the last labels were kept; null: everything was linked), moved
   * to this run's places. Those of a component linked again and not asked for this time are let go.
   */
  state(relinked: Int32Array | null): CompletedScores {
    // each pair once (the linkage may ask for one again): its place in the lists by its key
    const placeOf = new Map<number, number>();
    for (let i = 0; i < this.keys.length; i++) if (!placeOf.has(this.keys[i])) placeOf.set(this.keys[i], i);
    // (called once, after the linkage: the last run's carried over join this run's lists)
    const { keys, scores, rels } = this;
    const last = this.last;
    const before = this.v.before;
    if (last && before && relinked) {
      const now = new Int32Array(this.pm).fill(-1);
      for (let p = 0; p < this.m; p++) if (before[p] >= 0 && before[p] < this.pm) now[before[p]] = p;
      for (let i = 0; i < last.keys.length; i++) {
        const op = Math.floor(last.keys[i] / this.pm);
        const p = now[op];
        const q = now[last.keys[i] - op * this.pm];
        if (p < 0 || q <= p || relinked[p] >= 0 || relinked[q] >= 0) continue;
        const key = p * this.m + q;
        if (placeOf.has(key)) continue;
        placeOf.set(key, keys.length);
        keys.push(key);
        scores.push(last.score[i]);
        rels.push(last.rel[i]);
      }
    }
    // the distinct keys in order by a typed array's own sort (no comparator called for each pair of them)
    const sorted = Float64Array.from(placeOf.keys()).sort();
    const score = new Float64Array(sorted.length);
    const rel = new Uint8Array(sorted.length);
    for (let k = 0; k < sorted.length; k++) {
      const i = placeOf.get(sorted[k])!;
      score[k] = scores[i];
      rel[k] = rels[i];
    }
    return { keys: sorted, score, rel };
  }
}

/** The explanation the last state holds for the pair at positions op < oq there, if any. */
function toldBefore(prev: PairMemoState, op: number, oq: number): Omit<ClusterEdge, 'a' | 'b'> | null {
  const ex = prev.explained;
  if (!ex || op < 0 || oq < 0 || op >= oq) return null;
  const at = findKey(ex.keys, op * prev.ids.length + oq);
  return at < 0 ? null : { relation: ex.relation[at], score: ex.score[at], why: ex.why[at] };
}

export interface MemberRelation {
  index: number;
  /** The member it is related to (the canonical when a direct edge exists). */
  to: number;
  relation: PairRelation;
  score: number;
  why: string[];
}

/**
 * How each non-canonical member relates to the cluster: its edge to the canonical when verified, else its strongest
 * edge to any other member (exact > near-duplicate > same-event, then score, then index).
 */
export function memberRelations(group: ClusterGroup, canonical: number): MemberRelation[] {
  const rank = { exact: 3, 'near-duplicate': 2, 'same-event': 1 } as const;
  const out: MemberRelation[] = [];
  for (const i of group.members) {
    if (i === canonical) continue;
    let best: ClusterEdge | null = null;
    let bestToCanon: ClusterEdge | null = null;
    for (const e of group.edges) {
      if (e.a !== i && e.b !== i) continue;
      const other = e.a === i ? e.b : e.a;
      if (other === canonical) bestToCanon = e;
      if (
        !best ||
        rank[e.relation] > rank[best.relation] ||
        (rank[e.relation] === rank[best.relation] && e.score > best.score)
      )
        best = e;
    }
    const e = bestToCanon && (!best || rank[bestToCanon.relation] >= rank[best.relation]) ? bestToCanon : best;
    if (!e) {
      out.push({ index: i, to: canonical, relation: 'same-event', score: 0, why: ['joined through the cluster average'] });
      continue;
    }
    out.push({ index: i, to: e.a === i ? e.b : e.a, relation: e.relation, score: e.score, why: e.why });
  }
  return out;
}
