// The cluster stage's three candidate indexes as a state kept between runs (with --cache), so that a warm run rebuilds
// only the posting lists a changed document is in, instead of all of them.
//
// Each index is a sorted Float64Array of packed (key, id) entries; its runs of equal keys are the posting lists. What
// a list proposes depends on its members alone (all pairs when short, each member with its next few when long), and
// a document's event neighbours depend on the lists its distinctive terms are in. So when a few documents change,
// only the lists holding one of their old or new keys can propose other pairs, and only the members of those lists
// can find other neighbours. The state keeps every proposal with its multiplicity (how many lists, or neighbour
// lists, make it); an update takes back the proposals of the touched lists and adds the new ones. The candidate set
// is then the union of the three, the very set a full build finds (tested on random edits). A member whose lists all
// count as they did, and who is not reweighed itself, keeps every neighbour sum but those with the reweighed: the
// term index keeps each document's neighbours' sums, and such a member's list is decided from them (neighboursWith).
import type { DocFingerprint } from '../fingerprint/index.js';
import { bandKeys, fmix32 } from '../fingerprint/index.js';
import { alignedBytes } from '../aligned.js';
import type { TermWeights } from './index.js';
import { loop, NEVER, runSync, sortSteps, type Slicer, type Steps } from './slice.js';

/**
 * A posting index: its sorted entries, and every pair its lists propose with the number of lists proposing it. A
 * document's own entries are not listed apart: an update finds those of the few changed documents by one pass over
 * `sorted` (a list per document cost a warm run two passes and 2.4 MB of fresh memory per index to build and copy).
 */
export interface Postings {
  sorted: Float64Array;
  /** Pair keys lo * n + hi, ascending. */
  keys: Float64Array;
  cnt: Uint32Array;
}

/** The distinctive-term index: entries (term, p * K + k), their weights, and each document's chosen neighbours. */
export interface TermIndex {
  sorted: Float64Array;
  /** Weight of entry id p * K + k (0 past a document's entries). */
  ew: Float32Array;
  /**
   * The key (truncated term) of entry id p * K + k, and each document's number of entries: an update finds a
   * document's entries in `sorted` by them, with no pass over the whole index.
   */
  et: Uint32Array;
  eLen: Uint8Array;
  /** Per document, its neighbours (top per document, nbLen[p] of them used), and each one's partial dot product. */
  nb: Uint32Array;
  nbLen: Uint8Array;
  nbScore: Float32Array;
  /** Pairs the neighbour lists make, with the number of lists (1 or 2) holding each. */
  keys: Float64Array;
  cnt: Uint32Array;
}

/** The numbers the proposals depend on (an index built with others is not updated, but rebuilt). */
export interface CandidateParams {
  bucketCap: number;
  bucketWindow: number;
  /** Posting lists of the sample and term indexes longer than this are windowed (sample) or skipped (terms). */
  cap: number;
  sampleBits: number;
  indexTerms: number;
  termNeighbours: number;
}

export interface CandidateIndex {
  /** Number of representatives, and the parameters, it was built for. */
  n: number;
  params: CandidateParams;
  lsh: Postings;
  samples: Postings;
  terms: TermIndex;
}

/** How an entry (key, id < m) packs into one double: the key's top bits × scale + id. */
/**
 * The low part (the id) of a packed entry key * scale + id: exactly `packed % scale` (scale a power of two, packed an
 * integer below 2^53, so every step is exact), without a floating-point remainder, which costs 20 times as much.
 */
export function idOf(packed: number, scale: number): number {
  return packed - Math.floor(packed / scale) * scale;
}

export function packing(m: number): { shift: number; scale: number } {
  const bits = Math.max(1, Math.ceil(Math.log2(m + 1)));
  const keyBits = Math.min(32, 52 - bits);
  return { shift: 32 - keyBits, scale: 2 ** bits };
}

/** A document's LSH band keys (none without shingles). */
export function lshEntries(fp: DocFingerprint, push: (key: number) => void): void {
  if (fp.shingles.length === 0) return;
  const keys = bandKeys(fp.minhash);
  for (let b = 0; b < keys.length; b++) push(keys[b]);
}

/** At most this many sampled shingles per document. */
export function sampleLimit(fp: DocFingerprint, sampleBits: number): number {
  return Math.ceil(fp.shingles.length / (1 << sampleBits)) * 2 + 8;
}

/** A document's sampled shingles: 1 in 2^sampleBits, chosen by hash, at most sampleLimit. */
export function sampleEntries(fp: DocFingerprint, sampleBits: number, push: (key: number) => void): void {
  const mask = (1 << sampleBits) - 1;
  const sh = fp.shingles;
  const limit = sampleLimit(fp, sampleBits);
  let k = 0;
  for (let i = 0; i < sh.length && k < limit; i++) {
    if ((fmix32(sh[i] ^ 0x2545f491) & mask) !== 0) continue;
    push(sh[i]);
    k++;
  }
}

/**
 * The K heaviest terms of representative p (ties: lower hash), into bw (weights) and bt (term hashes), heaviest first;
 * returns how many (terms of weight 0 never count).
 */
export function topTerms(tw: TermWeights, p: number, fp: DocFingerprint, K: number, bw: Float64Array, bt: Uint32Array): number {
  let len = 0;
  for (let i = 0; i < fp.terms.length; i++) {
    const w = tw.weight(p, i);
    if (w <= 0) continue;
    if (len === K && w <= bw[K - 1]) continue; // terms ascend by hash: an equal weight loses the tie
    let j = len < K ? len++ : K - 1;
    while (j > 0 && bw[j - 1] < w) {
      bw[j] = bw[j - 1];
      bt[j] = bt[j - 1];
      j--;
    }
    bw[j] = w;
    bt[j] = fp.terms[i];
  }
  return len;
}

/** The pairs of ids a posting list [s, e) proposes: all of them when it is at most `cap` long, else each entry with its next `window`. */
export function windowPairs(sorted: Float64Array, scale: number, s: number, e: number, cap: number, window: number, emit: (x: number, y: number) => void): void {
  const win = e - s > cap ? window : e - s;
  for (let i = s; i < e; i++) {
    const pi = idOf(sorted[i], scale);
    for (let j = i + 1; j < Math.min(e, i + 1 + win); j++) {
      const pj = idOf(sorted[j], scale);
      if (pi !== pj) emit(pi, pj);
    }
  }
}

/** Per entry of the term index (by sorted position): its document, weight and posting list; per document, its entries. */
export interface TermRuns {
  entryDoc: Uint32Array;
  entryW: Float32Array;
  runStart: Uint32Array;
  runEnd: Uint32Array;
  /** Entries of document p: docEntries[docStart[p] .. docStart[p + 1]), ascending. */
  docStart: Uint32Array;
  docEntries: Uint32Array;
}

/** The lookup arrays of a sorted term index (in steps); null when an entry names a document past the n. */
export function* termRunsSteps(sorted: Float64Array, scale: number, K: number, ew: Float32Array, n: number, slicer: Slicer): Steps<TermRuns | null> {
  const total = sorted.length;
  const entryDoc = new Uint32Array(total);
  const entryW = new Float32Array(total);
  const runStart = new Uint32Array(total);
  const runEnd = new Uint32Array(total);
  yield* loop(total, (from) => {
    let s = from;
    while (s < total) {
      if (s !== from && slicer.due()) return s;
      const key = Math.floor(sorted[s] / scale);
      let e = s + 1;
      while (e < total && Math.floor(sorted[e] / scale) === key) e++;
      for (let i = s; i < e; i++) {
        runStart[i] = s;
        runEnd[i] = e;
      }
      s = e;
    }
    return total;
  });
  const docStart = new Uint32Array(n + 1);
  let past = false;
  yield* loop(total, (from) => {
    for (let i = from; i < total; i++) {
      if (i !== from && slicer.due(1 / 16)) return i;
      const id = idOf(sorted[i], scale);
      const p = Math.floor(id / K);
      if (p >= n) {
        past = true;
        return total;
      }
      entryDoc[i] = p;
      entryW[i] = ew[id];
      docStart[p + 1]++;
    }
    return total;
  });
  if (past) return null;
  for (let p = 0; p < n; p++) docStart[p + 1] += docStart[p];
  const docEntries = new Uint32Array(total);
  const fillPos = docStart.slice(0, n);
  yield* loop(total, (from) => {
    for (let i = from; i < total; i++) {
      if (i !== from && slicer.due(1 / 32)) return i;
      docEntries[fillPos[entryDoc[i]]++] = i;
    }
    return total;
  });
  return { entryDoc, entryW, runStart, runEnd, docStart, docEntries };
}

/** Scratch memory for bestNeighbours. */
export interface NeighbourScratch {
  acc: Float32Array;
  /**
   * The documents with a partial sum in acc, in the order first reached: touched[0 .. count). A typed array of its
   * own size, not a JS array emptied per call (V8 drops an emptied array's storage: 21 MB of garbage a warm run).
   */
  touched: Uint32Array;
  count: number;
  best: Uint32Array;
  /** The partial dot product of each of `best`. */
  score: Float32Array;
}

export function neighbourScratch(n: number, top: number): NeighbourScratch {
  return { acc: new Float32Array(n), touched: new Uint32Array(n), count: 0, best: new Uint32Array(Math.max(1, top)), score: new Float32Array(Math.max(1, top)) };
}

/**
 * Document p's `top` best neighbours by the partial dot product over the posting lists (of 2 to `cap` entries) of its
 * distinctive terms (ties: lower position), into scratch.best; returns how many.
 */
export function bestNeighbours(p: number, r: TermRuns, cap: number, top: number, scratch: NeighbourScratch): number {
  const { acc, touched } = scratch;
  let count = 0;
  for (let x = r.docStart[p]; x < r.docStart[p + 1]; x++) {
    const i = r.docEntries[x];
    const rs = r.runStart[i];
    const re = r.runEnd[i];
    if (re - rs < 2 || re - rs > cap) continue;
    const wi = r.entryW[i];
    for (let j = rs; j < re; j++) {
      const q = r.entryDoc[j];
      if (q === p) continue;
      if (acc[q] === 0) touched[count++] = q;
      acc[q] += wi * r.entryW[j] + 1e-9;
    }
  }
  scratch.count = count;
  return selectBest(scratch, top);
}

/** The `top` best of the touched documents by accumulated weight (ties: lower position), into best and score; acc is cleared. */
function selectBest(scratch: NeighbourScratch, top: number): number {
  const { acc, touched, count, best, score } = scratch;
  // by insertion into a small buffer
  let len = 0;
  for (let t = 0; t < count; t++) {
    const q = touched[t];
    const v = acc[q];
    if (len === top && (v < acc[best[top - 1]] || (v === acc[best[top - 1]] && q > best[top - 1]))) continue;
    let j = len < top ? len++ : top - 1;
    while (j > 0 && (acc[best[j - 1]] < v || (acc[best[j - 1]] === v && best[j - 1] > q))) {
      best[j] = best[j - 1];
      j--;
    }
    best[j] = q;
  }
  for (let k = 0; k < len; k++) score[k] = acc[best[k]];
  for (let t = 0; t < count; t++) acc[touched[t]] = 0;
  return len;
}

/**
 * bestNeighbours for document p without the lookup arrays: its entries (packed, ascending) looked up in the sorted
 * index. -1 when a list names a document past the corpus (an index that does not add up).
 */
function bestNeighboursIn(p: number, entries: readonly number[], sorted: Float64Array, scale: number, K: number, ew: Float32Array, cap: number, top: number, scratch: NeighbourScratch): number {
  const { acc, touched } = scratch;
  let count = 0;
  for (const v of entries) {
    const key = Math.floor(v / scale);
    const [rs, re] = runOf(sorted, key, scale);
    if (re - rs < 2 || re - rs > cap) continue;
    const wi = ew[v - key * scale];
    for (let j = rs; j < re; j++) {
      const id = sorted[j] - key * scale;
      const q = Math.floor(id / K);
      if (q >= acc.length) return -1;
      if (q === p) continue;
      if (acc[q] === 0) touched[count++] = q;
      acc[q] += wi * ew[id] + 1e-9;
    }
  }
  scratch.count = count;
  return selectBest(scratch, top);
}

/** Growable list of pair keys (lo * n + hi), counted at the end. */
export class PairList {
  private buf = new Float64Array(1024);
  private len = 0;
  constructor(readonly n: number) {}
  push(x: number, y: number): void {
    if (this.len === this.buf.length) {
      const b = new Float64Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.len++] = x < y ? x * this.n + y : y * this.n + x;
  }
  /** The distinct keys, ascending, with how often each was pushed. */
  *countedSteps(slicer: Slicer): Steps<{ keys: Float64Array; cnt: Uint32Array }> {
    const k = yield* sortSteps(this.buf.subarray(0, this.len), slicer);
    const keys = new Float64Array(k.length);
    const cnt = new Uint32Array(k.length);
    let w = 0;
    yield* loop(k.length, (from) => {
      for (let i = from; i < k.length; i++) {
        if (i !== from && slicer.due(1 / 16)) return i;
        if (w > 0 && keys[w - 1] === k[i]) cnt[w - 1]++;
        else {
          keys[w] = k[i];
          cnt[w] = 1;
          w++;
        }
      }
      return k.length;
    });
    return { keys: keys.slice(0, w), cnt: cnt.slice(0, w) };
  }
  counted(): { keys: Float64Array; cnt: Uint32Array } {
    return runSync(this.countedSteps(NEVER));
  }
}

/**
 * The candidate pairs of an index, ascending: proposed by an LSH bucket, by at least two sampled shingles, or by a
 * neighbour list. Counted first, then written into an array of that size: the three lists hold five times as many
 * pairs as the candidates (most sampled pairs share one shingle only), and an array for all of them would be 2.6 MB of
 * fresh memory at 10,000 articles.
 */
export function indexPairs(index: CandidateIndex): Float64Array {
  let count = 0;
  mergePairs(index, () => count++);
  const out = new Float64Array(count);
  let w = 0;
  mergePairs(index, (v) => (out[w++] = v));
  return out;
}

/** Calls `f` with each candidate pair of the index, ascending (a merge of the three ascending lists). */
function mergePairs(index: CandidateIndex, f: (key: number) => void): void {
  const { lsh, samples, terms } = index;
  let i = 0;
  let j = 0;
  let k = 0;
  for (;;) {
    while (j < samples.keys.length && samples.cnt[j] < 2) j++;
    const x = i < lsh.keys.length ? lsh.keys[i] : Infinity;
    const y = j < samples.keys.length ? samples.keys[j] : Infinity;
    const z = k < terms.keys.length ? terms.keys[k] : Infinity;
    const v = Math.min(x, y, z);
    if (v === Infinity) break;
    f(v);
    if (x === v) i++;
    if (y === v) j++;
    if (z === v) k++;
  }
}

/** Where an update of the term index changes its way of working (either way, the result is the same). */
export interface UpdateTuning {
  /** Documents to redo above which the term index's lookup arrays are built. */
  lookupFrom: number;
  /** Reweighed documents up to which the documents sharing lists with them are decided by their sums, not redone. */
  sumsUpTo: number;
}

/**
 * For n representatives: the lookup arrays for a sixteenth of them to redo; the sums while a 128th is reweighed
 * (measured at 10,000 articles: the sums paid with up to 60 reweighed, and cost 0.16 s more with 562).
 */
export function updateTuning(n: number): UpdateTuning {
  return { lookupFrom: n >> 4, sumsUpTo: n / 128 };
}

/**
 * The index after the documents marked in `changed` (their fingerprints) and `reweighed` (their term weights; every
 * changed document is reweighed too) became what fps and tw say; null when it cannot be updated (another corpus
 * size or other parameters, or a state that does not add up): then the caller builds it afresh. Only the entries of
 * the marked documents and the posting lists they were or are in are looked at: no pass over the whole index.
 */
export function updateIndex(
  prev: CandidateIndex,
  fps: DocFingerprint[],
  reps: ArrayLike<number>,
  tw: TermWeights,
  changed: Uint8Array,
  reweighed: Uint8Array,
  params: CandidateParams,
  tuning: UpdateTuning = updateTuning(reps.length),
): CandidateIndex | null {
  const n = reps.length;
  if (prev.n !== n || !sameParams(prev.params, params)) return null;
  return updatePlaces(prev, (p) => p, fps, reps, tw, changed, reweighed, params, tuning);
}

/**
 * The three indexes of `prev` (over prev.n places) updated for the places marked in `changed` and `reweighed`, where
 * `at(p)` is the representative at place p (-1: none, a gone one, whose entries all go).
 */
function updatePlaces(
  prev: CandidateIndex,
  at: (p: number) => number,
  fps: DocFingerprint[],
  reps: ArrayLike<number>,
  tw: TermWeights,
  changed: Uint8Array,
  reweighed: Uint8Array,
  params: CandidateParams,
  tuning: UpdateTuning,
): CandidateIndex | null {
  const { n } = prev;
  const K = params.indexTerms;
  const fp = (p: number) => fps[reps[at(p)]];
  const lsh = updatePostings(prev.lsh, n, changed, (p, push) => at(p) >= 0 && lshEntries(fp(p), push), params.bucketCap, params.bucketWindow);
  const samples = updatePostings(prev.samples, n, changed, (p, push) => at(p) >= 0 && sampleEntries(fp(p), params.sampleBits, push), params.cap, params.bucketWindow);
  const terms = updateTerms(prev.terms, n, (p, bw, bt) => (at(p) >= 0 ? topTerms(tw, at(p), fp(p), K, bw, bt) : 0), reweighed, params, tuning);
  if (!lsh || !samples || !terms) return null;
  return { n, params: { ...params }, lsh, samples, terms };
}

/**
 * updateIndex when representatives came or went since the index was made (a file added, removed, or edited into or
 * out of a group of exact copies), so that the others moved: `before[p]` is where representative p sat then (-1: new),
 * and the ones that stayed kept their order (both runs' representatives are in path order). The index is moved into a
 * frame with a place for every representative of either run, updated there as if the gone ones and the new ones had
 * changed (a gone one's entries all go, a new one's all come), and moved into this run's positions. A place's order is
 * kept by both moves, and so is every posting list's order and every tie broken by position: the result is the index
 * built afresh. Null as for updateIndex, and when the ones that stayed did not keep their order.
 */
export function updateShiftedIndex(
  prev: CandidateIndex,
  fps: DocFingerprint[],
  reps: ArrayLike<number>,
  tw: TermWeights,
  before: Int32Array,
  /** Representatives that stayed but are weighed differently (by this run's position). */
  reweighed: Uint8Array,
  params: CandidateParams,
  tuning: UpdateTuning = updateTuning(reps.length),
): CandidateIndex | null {
  const n = reps.length;
  const frame = unionFrame(before, prev.n);
  if (!frame || !sameParams(prev.params, params)) return null;
  const { size, fromOld, toNew } = frame;
  // the three packings must keep a key's bits: they do below 2^20 representatives (a key of 32 bits in each)
  for (const per of [1, params.indexTerms]) {
    const shift = packing(size * per).shift;
    if (packing(prev.n * per).shift !== shift || packing(n * per).shift !== shift) return null;
  }
  // with nothing new, the frame is the last run's places; with nothing gone, this run's: no move needed there
  const moved = size === prev.n ? prev : moveIndex(prev, fromOld, size);
  if (!moved) return null;
  // in the frame: the gone and the new are changed, and reweighed with those that stayed but are weighed differently
  const changed = new Uint8Array(size);
  const weighed = new Uint8Array(size);
  for (let u = 0; u < size; u++) {
    const p = toNew[u];
    changed[u] = p < 0 || before[p] < 0 ? 1 : 0;
    weighed[u] = changed[u] || reweighed[p] ? 1 : 0;
  }
  const updated = updatePlaces(moved, (u) => toNew[u], fps, reps, tw, changed, weighed, params, tuning);
  return updated && (size === n ? updated : moveIndex(updated, toNew, n));
}

/**
 * `before` (each representative's place in the last run, -1: new) with the places that break the last run's order
 * taken as new, so that the ones kept ascend: a copy that became its group's representative when the first of the
 * group was removed sits later than the group's did, and is taken as gone from there and new here.
 */
export function inLastOrder(before: Int32Array): Int32Array {
  const out = Int32Array.from(before);
  let last = -1;
  for (let p = 0; p < out.length; p++) {
    if (out[p] < 0) continue;
    if (out[p] <= last) out[p] = -1;
    else last = out[p];
  }
  return out;
}

/**
 * The frame of updateShiftedIndex: a place for every representative of the last run (fromOld) and of this one (toNew:
 * this run's position of each place, -1 for a gone one), in an order both runs' orders keep. Null when the ones that
 * stayed did not keep their order, or `before` names places the last run did not have.
 */
export function unionFrame(before: Int32Array, prevN: number): { size: number; fromOld: Int32Array; toNew: Int32Array } | null {
  const fromOld = new Int32Array(prevN).fill(-1);
  const toNew: number[] = [];
  let j = 0;
  for (let p = 0; p < before.length; p++) {
    const was = before[p];
    if (was >= 0) {
      if (was < j || was >= prevN) return null; // out of order, or not a place of the last run
      // the last run's representatives before it that are not this run's are gone: a place each, before it
      for (; j < was; j++) {
        fromOld[j] = toNew.length;
        toNew.push(-1);
      }
      fromOld[j++] = toNew.length;
    }
    toNew.push(p);
  }
  for (; j < prevN; j++) {
    fromOld[j] = toNew.length;
    toNew.push(-1);
  }
  return { size: toNew.length, fromOld, toNew: Int32Array.from(toNew) };
}

/**
 * The index with representative j at place `to[j]` of `n` places (-1: it must have nothing left: no entry, neighbour or
 * proposal). Every list keeps its order, since `to` keeps the order of the places it keeps. Null when an entry names a
 * representative the index does not have, or one that was to have nothing left.
 */
function moveIndex(x: CandidateIndex, to: Int32Array, n: number): CandidateIndex | null {
  const K = x.params.indexTerms;
  const top = x.params.termNeighbours;
  const movePostings = (p: Postings): Postings | null => {
    const sorted = moveEntries(p.sorted, x.n, 1, to, n);
    const keys = movePairs(p.keys, x.n, to, n);
    return sorted && keys && { sorted, keys, cnt: p.cnt };
  };
  const lsh = movePostings(x.lsh);
  const samples = movePostings(x.samples);
  const t = x.terms;
  const sorted = moveEntries(t.sorted, x.n, K, to, n);
  const keys = movePairs(t.keys, x.n, to, n);
  if (!lsh || !samples || !sorted || !keys || t.ew.length !== x.n * K || t.et.length !== x.n * K || t.eLen.length !== x.n || t.nb.length !== x.n * top || t.nbScore.length !== x.n * top || t.nbLen.length !== x.n) return null;
  const ew = new Float32Array(n * K);
  const et = new Uint32Array(n * K);
  const eLen = new Uint8Array(n);
  const nb = new Uint32Array(n * top);
  const nbScore = new Float32Array(n * top);
  const nbLen = new Uint8Array(n);
  for (let j = 0; j < x.n; j++) {
    const u = to[j];
    if (u < 0) {
      if (t.nbLen[j] > 0 || t.eLen[j] > 0 || t.ew.subarray(j * K, j * K + K).some((w) => w !== 0)) return null;
      continue;
    }
    ew.set(t.ew.subarray(j * K, j * K + K), u * K);
    et.set(t.et.subarray(j * K, j * K + K), u * K);
    eLen[u] = t.eLen[j];
    nbScore.set(t.nbScore.subarray(j * top, j * top + top), u * top);
    nbLen[u] = t.nbLen[j];
    for (let k = 0; k < t.nbLen[j]; k++) {
      const q = t.nb[j * top + k];
      if (q >= x.n || to[q] < 0) return null;
      nb[u * top + k] = to[q];
    }
  }
  return { n, params: x.params, lsh, samples, terms: { sorted, ew, et, eLen, nb, nbLen, nbScore, keys, cnt: t.cnt } };
}

/** Packed entries (key, id = j * per + k) of m representatives, with j moved to to[j] of n. Null: an id past m, or a j moved nowhere. */
function moveEntries(sorted: Float64Array, m: number, per: number, to: Int32Array, n: number): Float64Array | null {
  const from = packing(m * per).scale;
  const into = packing(n * per).scale;
  const out = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i];
    const key = Math.floor(v / from);
    const id = v - key * from;
    const j = per === 1 ? id : Math.floor(id / per);
    if (j >= m || to[j] < 0) return null;
    out[i] = key * into + to[j] * per + (id - j * per);
  }
  return out;
}

/** Pair keys lo * m + hi with both ends moved (to[] of n). Null: an end past m, or moved nowhere. */
function movePairs(keys: Float64Array, m: number, to: Int32Array, n: number): Float64Array | null {
  const out = new Float64Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const lo = Math.floor(keys[i] / m);
    const hi = keys[i] - lo * m;
    if (hi >= m || to[lo] < 0 || to[hi] < 0) return null;
    out[i] = to[lo] * n + to[hi];
  }
  return out;
}

function sameParams(a: CandidateParams, b: CandidateParams): boolean {
  return (Object.keys(b) as (keyof CandidateParams)[]).every((k) => a[k] === b[k]);
}

/** The posting list of truncated key `key` in `sorted`: [start, end). */
function runOf(sorted: Float64Array, key: number, scale: number): [number, number] {
  return [lowerBound(sorted, key * scale), lowerBound(sorted, (key + 1) * scale)];
}

function lowerBound(a: ArrayLike<number>, x: number, lo = 0): number {
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type Typed = Float64Array | Float32Array | Uint32Array;

/**
 * `old` without the elements at removeAt, with insert[i] placed before old[insertAt[i]] (both lists ascending):
 * copied a stretch at a time.
 */
function splice<T extends Typed>(old: T, removeAt: readonly number[], insert: ArrayLike<number>, insertAt: readonly number[]): T {
  const out = new (old.constructor as { new (n: number): T })(old.length - removeAt.length + insert.length);
  let src = 0;
  let w = 0;
  let r = 0;
  let a = 0;
  while (r < removeAt.length || a < insert.length) {
    const next = Math.min(r < removeAt.length ? removeAt[r] : Infinity, a < insert.length ? insertAt[a] : Infinity);
    out.set(old.subarray(src, next), w);
    w += next - src;
    src = next;
    while (a < insert.length && insertAt[a] === next) out[w++] = insert[a++];
    if (r < removeAt.length && removeAt[r] === next) {
      src++;
      r++;
    }
  }
  out.set(old.subarray(src), w);
  return out;
}

/** The distinct truncated keys of packed entries, ascending. */
function keysOf(scale: number, ...lists: Float64Array[]): number[] {
  const keys: number[] = [];
  for (const list of lists) for (const v of list) keys.push(Math.floor(v / scale));
  keys.sort((x, y) => x - y);
  let u = 0;
  for (let t = 0; t < keys.length; t++) if (u === 0 || keys[t] !== keys[u - 1]) keys[u++] = keys[t];
  keys.length = u;
  return keys;
}

/**
 * The entries of the documents `marked` (ids p * per + k), as they are in `sorted`: their places and values, from one
 * pass over the index (ascending, so both lists are too). Null when an id lies past the n documents: not an index of
 * this corpus.
 */
function entriesOfMarked(sorted: Float64Array, scale: number, n: number, per: number, marked: Uint8Array): { removeAt: number[]; gone: number[] } | null {
  const removeAt: number[] = [];
  const gone: number[] = [];
  const limit = n * per;
  for (let i = 0; i < sorted.length; i++) {
    const id = idOf(sorted[i], scale);
    if (id >= limit) return null;
    if (marked[per === 1 ? id : Math.floor(id / per)]) {
      removeAt.push(i);
      gone.push(sorted[i]);
    }
  }
  return { removeAt, gone };
}

function updatePostings(
  prev: Postings,
  n: number,
  changed: Uint8Array,
  entriesOf: (p: number, push: (key: number) => void) => void,
  cap: number,
  window: number,
): Postings | null {
  const { shift, scale } = packing(n);
  const old = prev.sorted;
  const was = entriesOfMarked(old, scale, n, 1, changed);
  if (!was) return null;
  const { removeAt, gone } = was;
  // and as they are now
  const fresh: number[] = [];
  for (let p = 0; p < n; p++) {
    if (!changed[p]) continue;
    entriesOf(p, (key) => fresh.push((key >>> shift) * scale + p));
  }
  const out = Float64Array.from(gone);
  const add = Float64Array.from(fresh).sort();
  const sorted = splice(old, removeAt, add, Array.from(add, (v) => lowerBound(old, v)));
  const minus = new PairList(n);
  const plus = new PairList(n);
  const take = (x: number, y: number) => minus.push(x, y);
  const give = (x: number, y: number) => plus.push(x, y);
  for (const key of keysOf(scale, out, add)) {
    const [s0, e0] = runOf(old, key, scale);
    windowPairs(old, scale, s0, e0, cap, window, take);
    const [s1, e1] = runOf(sorted, key, scale);
    windowPairs(sorted, scale, s1, e1, cap, window, give);
  }
  const counts = applyCounts(prev.keys, prev.cnt, minus.counted(), plus.counted());
  return counts && { sorted, ...counts };
}

function updateTerms(
  prev: TermIndex,
  n: number,
  /** Document p's heaviest terms (topTerms). */
  topOf: (p: number, bw: Float64Array, bt: Uint32Array) => number,
  reweighed: Uint8Array,
  params: CandidateParams,
  { lookupFrom, sumsUpTo }: UpdateTuning,
): TermIndex | null {
  const K = params.indexTerms;
  const top = params.termNeighbours;
  const { cap } = params;
  if (prev.ew.length !== n * K || prev.et.length !== n * K || prev.eLen.length !== n || prev.nb.length !== n * top || prev.nbScore.length !== n * top || prev.nbLen.length !== n) return null;
  const { shift, scale } = packing(n * K);
  const old = prev.sorted;
  // the reweighed documents' entries as they were, found where their keys put them
  const gone = entriesOf(prev.et, prev.eLen, scale, K, reweighed);
  const removeAt: number[] = [];
  for (const v of gone) {
    const at = lowerBound(old, v);
    if (old[at] !== v) return null; // the keys do not name the index's entries
    removeAt.push(at);
  }
  // and as they are now
  const ew = prev.ew.slice();
  const et = prev.et.slice();
  const eLen = prev.eLen.slice();
  const bw = new Float64Array(K);
  const bt = new Uint32Array(K);
  const fresh: number[] = [];
  for (let p = 0; p < n; p++) {
    if (!reweighed[p]) continue;
    ew.fill(0, p * K, p * K + K);
    et.fill(0, p * K, p * K + K);
    const len = topOf(p, bw, bt);
    eLen[p] = len;
    for (let k = 0; k < len; k++) {
      ew[p * K + k] = bw[k];
      et[p * K + k] = bt[k] >>> shift;
      fresh.push((bt[k] >>> shift) * scale + p * K + k);
    }
  }
  const out = Float64Array.from(gone);
  const add = Float64Array.from(fresh).sort();
  const sorted = splice(old, removeAt, add, Array.from(add, (v) => lowerBound(old, v)));
  const touched = keysOf(scale, out, add);
  const { redo, check } = neighboursToRedo(old, sorted, scale, K, touched, reweighed, cap, n);
  // with many reweighed (a common term moved), the sums of each checked document with each of them cost more than
  // redoing it: all are redone (measured at 10,000 articles: the sums paid with up to 60 reweighed, cost 0.16 s more
  // with 562)
  let weighed = 0;
  for (let p = 0; p < n; p++) weighed += reweighed[p];
  if (weighed > sumsUpTo) for (let p = 0; p < n; p++) redo[p] |= check[p];
  const nb = prev.nb.slice();
  const nbLen = prev.nbLen.slice();
  const nbScore = prev.nbScore.slice();
  const minus = new PairList(n);
  const plus = new PairList(n);
  // a document that shares lists with reweighed ones only where every list counts as it did: its other sums are as
  // they were, so its neighbours change only by the reweighed ones' new sums (or it must be redone after all)
  const sums = sumsWithReweighed(sorted, scale, K, ew, touched, check, redo, reweighed, cap, n);
  const scratch = neighbourScratch(n, top);
  neighbourUpdates.bySums = neighbourUpdates.moved = 0;
  for (const [q, sumsOfQ] of sums) {
    const len = neighboursWith(q, sumsOfQ, nb, nbLen, nbScore, reweighed, top, scratch);
    if (len < 0) {
      redo[q] = 1; // a reweighed neighbour lost weight: one outside the list may pass it now
      continue;
    }
    neighbourUpdates.bySums++;
    if (keepNeighbours(q, len, scratch, nb, nbLen, nbScore, top, minus, plus)) neighbourUpdates.moved++;
  }
  let count = 0;
  for (let p = 0; p < n; p++) count += redo[p];
  neighbourUpdates.redone = count;
  // many to redo (a common term moved): the lookup arrays of the whole index pay for themselves
  const runs = count > lookupFrom ? runSync(termRunsSteps(sorted, scale, K, ew, n, NEVER)) : null;
  if (count > lookupFrom && !runs) return null; // an entry names a document the corpus does not have
  for (let p = 0; p < n; p++) {
    if (!redo[p]) continue;
    // by the lookup arrays, or else by its entries (ascending, as bestNeighbours goes through them) found by their keys
    const len = runs ? bestNeighbours(p, runs, cap, top, scratch) : bestNeighboursIn(p, entriesOfDoc(et, eLen, scale, K, p).sort((x, y) => x - y), sorted, scale, K, ew, cap, top, scratch);
    if (len < 0) return null; // an entry names a document the corpus does not have
    keepNeighbours(p, len, scratch, nb, nbLen, nbScore, top, minus, plus);
  }
  const counts = applyCounts(prev.keys, prev.cnt, minus.counted(), plus.counted());
  return counts && { sorted, ew, et, eLen, nb, nbLen, nbScore, ...counts };
}

/**
 * Document p's neighbours as scratch.best and scratch.score hold them (len of them), taking the place of its last ones;
 * returns whether they are other neighbours.
 */
function keepNeighbours(p: number, len: number, scratch: NeighbourScratch, nb: Uint32Array, nbLen: Uint8Array, nbScore: Float32Array, top: number, minus: PairList, plus: PairList): boolean {
  let same = len === nbLen[p];
  for (let k = 0; k < len && same; k++) same = nb[p * top + k] === scratch.best[k];
  if (same) {
    // the same neighbours (most checked documents): only their sums may have moved
    nbScore.set(scratch.score.subarray(0, len), p * top);
    return false;
  }
  for (let k = 0; k < nbLen[p]; k++) minus.push(p, nb[p * top + k]);
  nbLen[p] = len;
  nb.fill(0, p * top + len, p * top + top);
  nbScore.fill(0, p * top + len, p * top + top);
  for (let k = 0; k < len; k++) {
    nb[p * top + k] = scratch.best[k];
    nbScore[p * top + k] = scratch.score[k];
    plus.push(p, scratch.best[k]);
  }
  return true;
}

/**
 * How the last term index update decided its documents' neighbours: by their kept sums (`bySums`, of which `moved`
 * chose other neighbours) or from scratch (`redone`). For tests and timings.
 */
export const neighbourUpdates = { bySums: 0, moved: 0, redone: 0 };

/** The term index entries (packed, ascending) of the documents `marked`, by their keys. */
function entriesOf(et: Uint32Array, eLen: Uint8Array, scale: number, K: number, marked: Uint8Array): number[] {
  const out: number[] = [];
  for (let p = 0; p < marked.length; p++) if (marked[p]) entriesOfDoc(et, eLen, scale, K, p, out);
  return out.sort((x, y) => x - y);
}

/** Document p's term index entries (packed), by their keys, onto `out`. */
function entriesOfDoc(et: Uint32Array, eLen: Uint8Array, scale: number, K: number, p: number, out: number[] = []): number[] {
  for (let k = 0; k < eLen[p]; k++) out.push(et[p * K + k] * scale + p * K + k);
  return out;
}

/** Whether a posting list of this length adds to its members' sums (bestNeighbours skips the others). */
const countsIn = (length: number, cap: number): boolean => length >= 2 && length <= cap;

/**
 * Who may choose other neighbours after the reweighed documents' entries moved, by the lists they were or are in
 * (`touched`): `redo`, the reweighed themselves and every member of a list that counts now and did not before, or the
 * other way round (each member's sums move); `check`, the members of a list that counts both times (only their sums
 * with the reweighed documents move). A list that counts neither time changes nobody's sums.
 */
function neighboursToRedo(old: Float64Array, sorted: Float64Array, scale: number, K: number, touched: readonly number[], reweighed: Uint8Array, cap: number, n: number): { redo: Uint8Array; check: Uint8Array } {
  const redo = reweighed.slice();
  const check = new Uint8Array(n);
  for (const key of touched) {
    const [s0, e0] = runOf(old, key, scale);
    const [s, e] = runOf(sorted, key, scale);
    const before = countsIn(e0 - s0, cap);
    const now = countsIn(e - s, cap);
    if (!before && !now) continue;
    // the members that are not reweighed are the same in both lists
    const mark = before === now ? check : redo;
    for (let j = s; j < e; j++) mark[Math.floor((sorted[j] - key * scale) / K)] = 1;
  }
  return { redo, check };
}

/**
 * For each checked document q (not to redo), its partial dot product with each reweighed document p it shares a
 * counting list with now, summed as bestNeighbours sums it: over q's entries in ascending order, each list's
 * members in ascending order, in single precision. The checked documents come in ascending order.
 */
function sumsWithReweighed(sorted: Float64Array, scale: number, K: number, ew: Float32Array, touched: readonly number[], check: Uint8Array, redo: Uint8Array, reweighed: Uint8Array, cap: number, n: number): Map<number, Map<number, number>> {
  const of = new Map<number, Map<number, number>>();
  for (let q = 0; q < n; q++) if (check[q] && !redo[q]) of.set(q, new Map());
  // every list a reweighed document is in now is touched (all its entries moved), and touched keys ascend
  for (const key of touched) {
    const [s, e] = runOf(sorted, key, scale);
    if (!countsIn(e - s, cap)) continue;
    for (let i = s; i < e; i++) {
      const qi = sorted[i] - key * scale;
      const q = Math.floor(qi / K);
      const sumsOfQ = of.get(q);
      if (!sumsOfQ) continue;
      for (let j = s; j < e; j++) {
        const pj = sorted[j] - key * scale;
        const p = Math.floor(pj / K);
        if (p === q || !reweighed[p]) continue;
        sumsOfQ.set(p, Math.fround((sumsOfQ.get(p) ?? 0) + (ew[qi] * ew[pj] + 1e-9)));
      }
    }
  }
  return of;
}

/**
 * Document q's neighbours when only its sums with reweighed documents moved (`sums`), into scratch.best and
 * scratch.score; returns how many, or -1 when a reweighed neighbour's sum fell (a document outside the list, whose
 * sum is not kept, may then pass it: q must be redone). Every other document's sum is as it was, and those outside
 * the list ranked below every one in it, so the new list is the best of the kept ones and the reweighed ones.
 */
function neighboursWith(q: number, sums: Map<number, number>, nb: Uint32Array, nbLen: Uint8Array, nbScore: Float32Array, reweighed: Uint8Array, top: number, scratch: NeighbourScratch): number {
  const ids: number[] = [];
  const values: number[] = [];
  for (let k = 0; k < nbLen[q]; k++) {
    const t = nb[q * top + k];
    let v = nbScore[q * top + k];
    if (reweighed[t]) {
      const now = sums.get(t) ?? 0;
      if (now < v) return -1;
      v = now;
    }
    ids.push(t);
    values.push(v);
  }
  for (const [p, v] of sums) {
    if (ids.includes(p)) continue;
    ids.push(p);
    values.push(v);
  }
  // by sum, higher first; ties: lower position (selectBest's order)
  const order = ids.map((_, i) => i).sort((x, y) => values[y] - values[x] || ids[x] - ids[y]);
  const len = Math.min(top, order.length);
  for (let k = 0; k < len; k++) {
    scratch.best[k] = ids[order[k]];
    scratch.score[k] = values[order[k]];
  }
  return len;
}

/**
 * Counts with `minus` taken off and `plus` added (keys left at 0 dropped); null when minus takes more than there is.
 * The keys are copied only when some come or go, and the counts once (they are the last state's bytes, never written to).
 */
function applyCounts(
  keys: Float64Array,
  cnt: Uint32Array,
  minus: { keys: Float64Array; cnt: Uint32Array },
  plus: { keys: Float64Array; cnt: Uint32Array },
): { keys: Float64Array; cnt: Uint32Array } | null {
  // counts that change, by place in `keys`, ascending
  const changedAt: number[] = [];
  const changedTo: number[] = [];
  const removeAt: number[] = [];
  const insert: number[] = [];
  const insertCnt: number[] = [];
  const insertAt: number[] = [];
  let i = 0;
  let j = 0;
  while (i < minus.keys.length || j < plus.keys.length) {
    const k = Math.min(i < minus.keys.length ? minus.keys[i] : Infinity, j < plus.keys.length ? plus.keys[j] : Infinity);
    let d = 0;
    if (i < minus.keys.length && minus.keys[i] === k) d -= minus.cnt[i++];
    if (j < plus.keys.length && plus.keys[j] === k) d += plus.cnt[j++];
    if (d === 0) continue;
    const at = lowerBound(keys, k);
    if (at < keys.length && keys[at] === k) {
      const c = cnt[at] + d;
      if (c < 0) return null;
      if (c === 0) removeAt.push(at);
      else {
        changedAt.push(at);
        changedTo.push(c);
      }
    } else {
      if (d < 0) return null; // taken back but never there
      insert.push(k);
      insertCnt.push(d);
      insertAt.push(at);
    }
  }
  if (removeAt.length === 0 && insert.length === 0) {
    const counts = cnt.slice();
    for (let c = 0; c < changedAt.length; c++) counts[changedAt[c]] = changedTo[c];
    return { keys, cnt: counts };
  }
  const counts = splice(cnt, removeAt, insertCnt, insertAt);
  // where each changed count landed: its place, less the places removed before it, plus the keys inserted before it
  let r = 0;
  let a = 0;
  for (let c = 0; c < changedAt.length; c++) {
    const at = changedAt[c];
    while (r < removeAt.length && removeAt[r] < at) r++;
    while (a < insertAt.length && insertAt[a] <= at) a++;
    counts[at - r + a] = changedTo[c];
  }
  return { keys: splice(keys, removeAt, insert, insertAt), cnt: counts };
}

// --- bytes (inside the pair memo's state) ---

// "CND3": the neighbours' sums are kept since the second layout, each entry's term key since the third (an index of
// an earlier one is built afresh once)
const INDEX_MAGIC = 0x33444e43;
const PARAM_KEYS: (keyof CandidateParams)[] = ['bucketCap', 'bucketWindow', 'cap', 'sampleBits', 'indexTerms', 'termNeighbours'];

type Arr = Float64Array | Float32Array | Uint32Array | Uint8Array;

function arraysOf(x: CandidateIndex): Arr[] {
  const { lsh, samples, terms } = x;
  return [lsh.sorted, lsh.keys, samples.sorted, samples.keys, terms.sorted, terms.keys, terms.ew, terms.nbScore, lsh.cnt, samples.cnt, terms.nb, terms.cnt, terms.et, terms.nbLen, terms.eLen];
}
/**
 * Element types of arraysOf, in order. (The LSH and sample indexes do not store each document's keys: an update reads
 * them off the sorted entries. The term index does, in `et`: its update finds every reweighed document's entries.)
 */
const KINDS = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float32Array, Float32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint8Array, Uint8Array];

/**
 * The index as bytes: a header (magic, n, the parameters, each array's length), then the arrays, 8-aligned. In
 * pieces: the arrays are views of the index's own memory, not copies.
 */
export function encodeIndex(x: CandidateIndex): Uint8Array[] {
  const arrays = arraysOf(x);
  const head = 4 * (2 + PARAM_KEYS.length + arrays.length);
  const header = new Uint8Array(Math.ceil(head / 8) * 8);
  const view = new DataView(header.buffer);
  let h = 0;
  const u32 = (v: number) => {
    view.setUint32(h, v, true);
    h += 4;
  };
  u32(INDEX_MAGIC);
  u32(x.n);
  for (const k of PARAM_KEYS) u32(x.params[k]);
  for (const a of arrays) u32(a.length);
  const pieces: Uint8Array[] = [header];
  for (const a of arrays) {
    pieces.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const pad = Math.ceil(a.byteLength / 8) * 8 - a.byteLength;
    if (pad > 0) pieces.push(new Uint8Array(pad));
  }
  return pieces.filter((p) => p.byteLength > 0);
}

/**
 * The index in `bytes` (views of them when they sit at a multiple of 8, as the cache file lays its states out, else of
 * an aligned copy; only read: updateIndex makes new arrays), or null when they are not one.
 */
export function decodeIndex(bytes: Uint8Array): CandidateIndex | null {
  const count = KINDS.length;
  const head = 4 * (2 + PARAM_KEYS.length + count);
  if (bytes.byteLength < head) return null;
  const copy = alignedBytes(bytes, 8);
  const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
  let h = 0;
  const u32 = () => {
    const v = view.getUint32(h, true);
    h += 4;
    return v;
  };
  if (u32() !== INDEX_MAGIC) return null;
  const n = u32();
  const params = {} as CandidateParams;
  for (const k of PARAM_KEYS) params[k] = u32();
  let pos = Math.ceil(head / 8) * 8;
  const arrays: Arr[] = [];
  for (const Kind of KINDS) {
    const len = u32();
    const bytesLen = len * Kind.BYTES_PER_ELEMENT;
    if (pos + bytesLen > copy.byteLength) return null;
    arrays.push(new Kind(copy.buffer as ArrayBuffer, copy.byteOffset + pos, len));
    pos += Math.ceil(bytesLen / 8) * 8;
  }
  if (pos !== copy.byteLength) return null;
  const [ls, lk, ss, sk, ts, tk] = arrays as Float64Array[];
  const [ew, nbScore] = arrays.slice(6, 8) as Float32Array[];
  const [lc, sc, nb, tc, et] = arrays.slice(8, 13) as Uint32Array[];
  const [nbLen, eLen] = arrays.slice(13, 15) as Uint8Array[];
  const K = params.indexTerms;
  const top = params.termNeighbours;
  if (lk.length !== lc.length || sk.length !== sc.length || tk.length !== tc.length || nbLen.length !== n || eLen.length !== n || ew.length !== n * K || et.length !== n * K || nb.length !== n * top || nbScore.length !== n * top) return null;
  // The entries' ids are checked as an update goes through them (an index is used only by updateIndex): a pass
  // over 800,000 entries here would cost every warm run that clusters.
  return {
    n,
    params,
    lsh: { sorted: ls, keys: lk, cnt: lc },
    samples: { sorted: ss, keys: sk, cnt: sc },
    terms: { sorted: ts, ew, et, eLen, nb, nbLen, nbScore, keys: tk, cnt: tc },
  };
}
