// Pair scores kept from the last run (with --cache), so that a warm run scores only the pairs that involve a
// changed document. Verification is the cluster stage's largest cost, and a pair's score depends on nothing but the
// two fingerprints and the two documents' term weights; the weights depend on the corpus through document
// frequencies, which idf reads on a grid (gridCount), so one changed document moves the weights of few others.
// A score is reused only when both documents have the same fingerprint identity (their cache key) and the same
// weights (two 32-bit hashes of the weight bits), and the pair was scored last time in the same order: the result is
// the same bytes as scoring it again.
//
// The candidate indexes the pairs came from are kept with the scores (candidate-index.ts): when the representatives
// sit where they sat (the same number of them, a few changed), they are updated for the changed and reweighed
// documents instead of being built again.
//
// So are the linkage's labels: a warm run links again only the components of the edge graph a change reaches
// (linkReached in index.ts), and the others keep their clusters.
//
// The groups themselves are kept too: the cluster stage is a function of the fingerprints and the threshold alone, so
// a run over a corpus as it was (CI, a pre-commit hook run over every file) need not cluster at all.
import crypto from 'node:crypto';
import { alignedBytes } from '../aligned.js';
import { decodeIndex, encodeIndex, type CandidateIndex } from './candidate-index.js';
import type { ClusterGroup, PairRelation } from './index.js';

/** What one run verified, in the positions of its representatives. */
export interface PairMemoState {
  /** The fingerprint identity (cache key) of each representative, by position ('' when it has none). */
  ids: string[];
  /** Two hashes of each representative's normalised term weights (2 per position). */
  weights: Uint32Array;
  /** Every verified candidate as p * ids.length + q (p < q), ascending. */
  pairs: Float64Array;
  /** Its score (as the edge list holds it). */
  score: Float32Array;
  /** Its relation code; 0: below the edge floor, not kept. */
  rel: Uint8Array;
  /** The candidate indexes of that run (candidate-index.ts), for the next one to update; null: not kept. */
  index?: CandidateIndex | null;
  /** The explanations of the edges inside its groups; null: not kept. */
  explained?: ExplainedEdges | null;
  /**
   * Its document frequencies (the count table slot by slot, TermCounts.entries) and what else the weights depended on
   * (weighKey): the next run hashes only the weights of documents whose terms moved on the grid. null: not kept.
   */
  df?: { keys: Uint32Array; vals: Uint32Array; zero: number } | null;
  weighKey?: string;
  /**
   * The linkage's outcome: each representative's cluster as the lowest position in it, at that threshold. The next
   * run links again only the components of the edge graph that a change reaches, and takes these for the rest
   * (clusterSteps). null: not kept.
   */
  labels?: { threshold: number; of: Int32Array } | null;
  /**
   * The scores the linkage completed averages with (cross pairs without a verified edge, scored when a join is
   * weighed), by pair key p * ids.length + q (p < q), ascending, with their relation codes: the next run takes them for
   * representatives weighed as before instead of scoring them again. null: not kept.
   */
  completed?: CompletedScores | null;
}

/** Pair scores as pairCore gives them (float64), by pair key ascending, with their relation codes. */
export interface CompletedScores {
  keys: Float64Array;
  score: Float64Array;
  rel: Uint8Array;
}

/** Explained edges by pair key p * ids.length + q (p < q), ascending, with what the group's edge list shows. */
export interface ExplainedEdges {
  keys: ArrayLike<number>;
  relation: PairRelation[];
  score: number[];
  why: string[][];
}

/** Given to the cluster stage: identities of the fingerprints, the last run's state; it leaves this run's in `next`. */
export interface PairMemo {
  /** Per fingerprint (index into the fingerprint array): its identity, or undefined when it has none. */
  ids: readonly (string | undefined)[];
  /** undefined: not decoded yet (the pipeline decodes it when a pass has to cluster); null: none. */
  previous?: PairMemoState | null;
  /**
   * Another state whose pair scores, linkage scores and explanations serve where `previous` has none (they are the same
   * bytes by the same rule): a second cluster pass is given this run's first, which has just scored the pairs of what
   * changed since `previous`. Its candidate indexes and frequencies are not used.
   */
  also?: PairMemoState | null;
  /** Set by the cluster stage. */
  next?: PairMemoState;
  /** Set by the cluster stage: candidate pairs whose score was reused, and scored afresh. */
  reused?: number;
  scored?: number;
  /** Set by the cluster stage: whether the candidate indexes were updated from the last state (not built afresh). */
  indexUpdated?: boolean;
  /** Set by the cluster stage: representatives whose weight hashes were computed, not taken from the last run. */
  rehashed?: number;
  /** Set by the cluster stage: edge explanations taken from the last state. */
  explanationsReused?: number;
  /**
   * The term hashes of a result by its identity (the cache's), for the representatives of the last state that are
   * gone: the document frequencies are then updated from the last run's instead of counted again (dfSince).
   */
  termsOf?: (id: string) => Uint32Array | undefined;
  /** Set by the cluster stage: whether the document frequencies were updated from the last state's. */
  dfUpdated?: boolean;
  /** Set by the cluster stage: representatives linked afresh (the others kept the last state's labels); null: all of them, with no labels to take. */
  linked?: number | null;
  /** Set by the cluster stage: scores the linkage completed averages with (asked for, and taken from the last state). */
  completions?: { reused: number; asked: number };
}

/** Where each representative was in the previous state (or in `prev`) by its identity (-1: not there). */
export function positionsById(memo: PairMemo, reps: ArrayLike<number>, prev: PairMemoState | null | undefined = memo.previous): Int32Array {
  const out = new Int32Array(reps.length).fill(-1);
  if (!prev) return out;
  const at = new Map<string, number>();
  prev.ids.forEach((id, j) => id && at.set(id, j));
  for (let p = 0; p < reps.length; p++) {
    const id = memo.ids[reps[p]];
    const j = id ? at.get(id) : undefined;
    if (j !== undefined) out[p] = j;
  }
  return out;
}

/** Where each representative was in the previous state (its positionsById), -1 also when it is weighed differently. */
export function previousPositions(prev: PairMemoState, byId: Int32Array, weights: Uint32Array): Int32Array {
  const out = Int32Array.from(byId);
  for (let p = 0; p < out.length; p++) {
    const j = out[p];
    if (j >= 0 && !(prev.weights[2 * j] === weights[2 * p] && prev.weights[2 * j + 1] === weights[2 * p + 1])) out[p] = -1;
  }
  return out;
}

/** Index of `key` in the ascending `keys`, or -1. */
export function findKey(keys: ArrayLike<number>, key: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid];
    if (k === key) return mid;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const MAGIC = 0x4d524150; // "PARM"
// 6: the document frequencies are stored as their hash table, slot by slot
// 7: the linkage's completed scores
const VERSION = 7;

/**
 * The state as bytes for the cache file, in pieces: its typed arrays are views of the state's own memory, not copied
 * into one buffer (the cache writes the pieces one after another and checks them as one payload).
 */
export function encodePairMemo(s: PairMemoState): Uint8Array[] {
  // one id a line (an id with a line break, which no cache key has, is stored as none)
  const ids = Buffer.from(s.ids.map((id) => (id.includes('\n') ? '' : id)).join('\n'));
  const index = s.index ? encodeIndex(s.index) : [];
  const indexBytes = index.reduce((n, p) => n + p.byteLength, 0);
  const told = s.explained ? Buffer.from(JSON.stringify([Array.from(s.explained.keys), s.explained.relation, s.explained.score, s.explained.why])) : Buffer.alloc(0);
  const df = s.df && s.df.keys.length === s.df.vals.length ? s.df : null;
  const weighKey = Buffer.from(df ? (s.weighKey ?? '') : '');
  const m = s.ids.length;
  const n = s.pairs.length;
  const c = df ? df.keys.length : 0;
  const labels = s.labels && s.labels.of.length === m ? s.labels : null;
  const l = labels ? m : 0;
  const done = s.completed && s.completed.score.length === s.completed.keys.length && s.completed.rel.length === s.completed.keys.length ? s.completed : null;
  const k = done ? done.keys.length : 0;
  // header: magic, version, m, n, ids byte length, index byte length, explanations byte length, the number of
  // terms with a document frequency, term 0's, the weigh key's byte length, the number of labels, the number of
  // completed scores, the labels' threshold (f64); then pairs (8-aligned), the completed scores' keys and scores,
  // weights, the terms and their frequencies, labels, scores, relations, the completed scores' relations, ids, weigh
  // key, explanations (JSON), and the index (8-aligned)
  const body = head + n * 8 + k * 16 + m * 8 + c * 8 + l * 4 + n * 4 + n + k + ids.length + weighKey.length + told.length;
  const at = indexBytes ? Math.ceil(body / 8) * 8 : body;
  const header = Buffer.alloc(head);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(VERSION, 4);
  header.writeUInt32LE(m, 8);
  header.writeUInt32LE(n, 12);
  header.writeUInt32LE(ids.length, 16);
  header.writeUInt32LE(indexBytes, 20);
  header.writeUInt32LE(told.length, 24);
  header.writeUInt32LE(c, 28);
  header.writeUInt32LE(df ? df.zero : 0, 32);
  header.writeUInt32LE(weighKey.length, 36);
  header.writeUInt32LE(l, 40);
  header.writeUInt32LE(k, 44);
  header.writeDoubleLE(labels ? labels.threshold : 0, 48);
  const arrays: ArrayBufferView[] = [s.pairs, ...(done ? [done.keys, done.score] : []), s.weights, ...(df ? [df.keys, df.vals] : []), ...(labels ? [labels.of] : []), s.score, s.rel, ...(done ? [done.rel] : [])];
  const pieces: Uint8Array[] = [header, ...arrays.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)), ids, weighKey, told];
  if (at > body) pieces.push(new Uint8Array(at - body));
  pieces.push(...index);
  return pieces.filter((p) => p.byteLength > 0);
}

const head = 56;

/** The state stored in `bytes`, or null when they are not one (then nothing is reused). */
export function decodePairMemo(bytes: Uint8Array | undefined): PairMemoState | null {
  if (!bytes || bytes.byteLength < head) return null;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.readUInt32LE(0) !== MAGIC || view.readUInt32LE(4) !== VERSION) return null;
  const m = view.readUInt32LE(8);
  const n = view.readUInt32LE(12);
  const idBytes = view.readUInt32LE(16);
  const indexBytes = view.readUInt32LE(20);
  const toldBytes = view.readUInt32LE(24);
  const c = view.readUInt32LE(28);
  const zero = view.readUInt32LE(32);
  const keyBytes = view.readUInt32LE(36);
  const l = view.readUInt32LE(40);
  const k = view.readUInt32LE(44);
  if (l !== 0 && l !== m) return null;
  const arrayBytes = n * 8 + k * 16 + m * 8 + c * 8 + l * 4 + n * 4 + n + k;
  const body = head + arrayBytes + idBytes + keyBytes + toldBytes;
  const at = indexBytes ? Math.ceil(body / 8) * 8 : body;
  if (at + indexBytes !== view.length) return null;
  // The typed arrays are views of the bytes when they sit at a multiple of 8 (the cache file lays its states out so),
  // else of one aligned copy. They are only read: the next state is made of new arrays.
  const arrays = alignedBytes(view.subarray(head, head + arrayBytes), 8);
  const buffer = arrays.buffer;
  const base = arrays.byteOffset;
  const pairs = new Float64Array(buffer, base, n);
  const doneAt = base + n * 8;
  const weights = new Uint32Array(buffer, doneAt + k * 16, 2 * m);
  const dfAt = doneAt + k * 16 + m * 8;
  const df = c ? { keys: new Uint32Array(buffer, dfAt, c), vals: new Uint32Array(buffer, dfAt + c * 4, c), zero } : null;
  const labelsAt = dfAt + c * 8;
  const labels = l ? { threshold: view.readDoubleLE(48), of: new Int32Array(buffer, labelsAt, l) } : null;
  const score = new Float32Array(buffer, labelsAt + l * 4, n);
  const rel = new Uint8Array(buffer, labelsAt + l * 4 + n * 4, n);
  const completed = k ? { keys: new Float64Array(buffer, doneAt, k), score: new Float64Array(buffer, doneAt + k * 8, k), rel: new Uint8Array(buffer, labelsAt + l * 4 + n * 5, k) } : null;
  const idsAt = head + arrayBytes;
  const ids = view.toString('utf8', idsAt, idsAt + idBytes);
  const list = m === 0 ? [] : ids.split('\n');
  if (list.length !== m) return null;
  const weighKey = df ? view.toString('utf8', idsAt + idBytes, idsAt + idBytes + keyBytes) : undefined;
  const toldAt = idsAt + idBytes + keyBytes;
  // an index that does not decode is only not updated: the next run builds it again
  const index = indexBytes ? decodeIndex(view.subarray(at)) : null;
  return { ids: list, weights, pairs, score, rel, index, df, weighKey, labels, completed, explained: toldBytes ? decodeExplained(view.toString('utf8', toldAt, body)) : null };
}

/** Explanations stored as JSON, or null when they do not parse as four parallel lists with ascending keys. */
function decodeExplained(json: string): ExplainedEdges | null {
  try {
    const [keys, relation, score, why] = JSON.parse(json) as [number[], PairRelation[], number[], string[][]];
    if (![keys, relation, score, why].every((a) => Array.isArray(a) && a.length === keys.length)) return null;
    for (let i = 1; i < keys.length; i++) if (!(keys[i] > keys[i - 1])) return null;
    return { keys: Float64Array.from(keys), relation, score, why };
  } catch {
    return null;
  }
}

/**
 * The name of a cluster pass's input: every fingerprint's identity, in order, and the threshold. Null when some
 * fingerprint has no identity (standard input): then no groups are kept or reused.
 */
export function groupsKey(ids: readonly (string | undefined)[], threshold: number): string | null {
  if (ids.some((id) => id === undefined)) return null;
  return crypto.createHash('sha1').update(`${threshold}\0${ids.join('\n')}`).digest('base64');
}

/**
 * Groups as bytes: their key on the first line (checked before anything is parsed), then JSON; in two pieces, which the
 * cache writes one after another. The JSON is encoded as the flat string JSON.stringify made: appended to the key it was a
 * string to be copied flat first (on ECB+, 15 ms a pass for 1 MB).
 */
export function encodeGroups(key: string, groups: readonly ClusterGroup[]): Uint8Array[] {
  return [Buffer.from(`${key}\n`), Buffer.from(JSON.stringify(groups))];
}

/** The groups stored in `bytes` for `key`, or null (none, another input, or bytes that do not parse). */
export function decodeGroups(bytes: Uint8Array | undefined, key: string): ClusterGroup[] | null {
  if (!bytes) return null;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nl = text.indexOf(10);
  if (nl < 0 || text.toString('utf8', 0, nl) !== key) return null;
  try {
    const groups = JSON.parse(text.toString('utf8', nl + 1)) as unknown;
    return Array.isArray(groups) ? (groups as ClusterGroup[]) : null;
  } catch {
    return null;
  }
}
