import { describe, expect, it } from 'vitest';
import { fingerprint, type DocFingerprint } from '../../src/fingerprint/index.js';
import { candidateParams, candidates, candidatesWithIndex, clusterDocs, TermWeights } from '../../src/cluster/index.js';
import { decodeIndex, encodeIndex, idOf, indexPairs, inLastOrder, neighbourUpdates, packing, updateTuning, type UpdateTuning, unionFrame, updateIndex, updateShiftedIndex, type CandidateIndex } from '../../src/cluster/candidate-index.js';
import { decodePairMemo, encodePairMemo, type PairMemo } from '../../src/cluster/memo.js';
import { makeDoc, syntheticArticle } from './cluster-seed-docs.js';
import { seeded } from '../helpers/seeded.js';

/**
 * Stories told several times, and one story copied 90 times with a sentence of its own each, so that LSH buckets and
 * sampled-shingle lists run past their caps and are windowed.
 */
function corpus(): string[][] {
  const docs: string[][] = [];
  for (let i = 0; i < 240; i++) docs.push(syntheticArticle(i + 1, i % 3 === 0 ? Math.floor(i / 9) : 100000 + i));
  const story = syntheticArticle(777, 5000);
  for (let i = 0; i < 90; i++) docs.push([...story, `Reader ${i} wrote in about paragraph ${i % 7} of this piece.`]);
  return docs;
}

const fpsOf = (docs: string[][]): DocFingerprint[] => docs.map((d, i) => fingerprint(makeDoc(`d${i}`, d, null)));
const all = (n: number) => Array.from({ length: n }, (_, i) => i);
const keysOf = (fps: DocFingerprint[], reps: number[], tw: TermWeights) => {
  const { a, b } = candidates(fps, reps, tw).toArrays();
  return Array.from(a, (x, i) => x * reps.length + b[i]);
};

/**
 * The update's tuning with the lookup arrays from `lookupFrom` documents to redo (default: as a run has it), and the
 * documents reached decided by their sums however many are reweighed, so that both ways are tested on a small corpus.
 */
const tuned = (n: number, lookupFrom?: number): UpdateTuning => ({ lookupFrom: lookupFrom ?? updateTuning(n).lookupFrom, sumsUpTo: Infinity });

/** The index after `docs` became `next` (same count), by update; and built from scratch. */
function update(docs: string[][], next: string[][], lookupFrom?: number): { updated: CandidateIndex | null; fresh: CandidateIndex; fps: DocFingerprint[]; tw: TermWeights } {
  const reps = all(docs.length);
  const oldFps = fpsOf(docs);
  const oldTw = new TermWeights(oldFps, reps);
  const { index } = candidatesWithIndex(oldFps, reps, oldTw);
  const fps = fpsOf(next);
  const tw = new TermWeights(fps, reps);
  const before = oldTw.weightHashes();
  const after = tw.weightHashes();
  const changed = Uint8Array.from(docs, (d, p) => (d.join('\n') === next[p].join('\n') ? 0 : 1));
  const reweighed = Uint8Array.from(changed, (c, p) => (c || before[2 * p] !== after[2 * p] || before[2 * p + 1] !== after[2 * p + 1] ? 1 : 0));
  const stored = decodeIndex(Buffer.concat(encodeIndex(index)))!;
  return { updated: updateIndex(stored, fps, reps, tw, changed, reweighed, candidateParams(reps.length), tuned(reps.length, lookupFrom)), fresh: candidatesWithIndex(fps, reps, tw).index, fps, tw };
}

describe('candidate indexes kept between runs', () => {
  const docs = corpus();

  it('propose exactly the candidates of the indexes built in one go', () => {
    const fps = fpsOf(docs);
    const reps = all(fps.length);
    const tw = new TermWeights(fps, reps);
    const { index } = candidatesWithIndex(fps, reps, tw);
    const keys = keysOf(fps, reps, tw);
    expect(keys.length).toBeGreaterThan(1000);
    expect([...indexPairs(index)]).toEqual(keys);
    // some lists are past their caps, so windows are exercised
    expect(index.lsh.cnt.some((c) => c > 1)).toBe(true);
  });

  it('after edits, copies and rewrites, an update equals a fresh build, list by list', () => {
    const next = docs.map((d) => [...d]);
    next[3].push('A correction was added to this article after readers wrote in.');
    next[40] = syntheticArticle(9999, 4); // now another telling of story 4
    next[250] = [...next[250].slice(0, 2)]; // a copy cut short
    next[300] = syntheticArticle(31337, 5000); // one of the 90 copies rewritten
    next[120] = [...docs[121]]; // an exact copy of its neighbour
    // with the term index's lookup arrays and without (few documents to redo)
    for (const lookupFrom of [0, Infinity]) {
      const { updated, fresh, fps, tw } = update(docs, next, lookupFrom);
      expect(updated).not.toBeNull();
      expect(updated).toEqual(fresh);
      expect([...indexPairs(updated!)]).toEqual(keysOf(fps, all(fps.length), tw));
    }
  });

  it('after random edits, an update proposes the candidates of a fresh build', () => {
    const rand = seeded(12345).unit;
    for (let round = 0; round < 4; round++) {
      const next = docs.map((d) => [...d]);
      for (let k = 0; k < 6; k++) {
        const p = Math.floor(rand() * next.length);
        const q = Math.floor(rand() * next.length);
        const pick = rand();
        if (pick < 0.3) next[p] = [...next[q]];
        else if (pick < 0.6) next[p] = [...next[p].slice(0, 1), ...next[q].slice(1)];
        else if (pick < 0.8) next[p] = syntheticArticle(Math.floor(rand() * 1e6), Math.floor(rand() * 30));
        else next[p] = [];
      }
      const { updated, fresh } = update(docs, next, round % 2 === 0 ? 0 : Infinity);
      expect(updated).toEqual(fresh);
    }
  });

  it('after sentences added to or cut from a few articles, the neighbours of the documents sharing lists with them are those of a fresh build', () => {
    // Most documents an edit reaches are not weighed again: their neighbours are decided from their kept sums and the
    // reweighed documents' new ones, or redone when a reweighed neighbour lost weight. Both ways must be taken, and
    // some documents decided by their sums must choose other neighbours, or this test would not show the decision.
    const rnd = seeded(2026);
    const sentences = ['The council met again on Tuesday.', 'Police said the investigation continues.', 'Shares fell sharply in early trading.', 'The minister declined to comment.'];
    const seen = { bySums: 0, moved: 0, redone: 0 };
    for (let round = 0; round < 16; round++) {
      const next = docs.map((d) => [...d]);
      const edits = 1 + rnd.below(3);
      for (let k = 0; k < edits; k++) {
        const p = rnd.below(next.length);
        const kind = rnd.below(3);
        if (kind === 0) next[p].push(sentences[rnd.below(sentences.length)]);
        else if (kind === 1 && next[p].length > 2) next[p] = next[p].slice(0, -1);
        // a paragraph of another article: closer to that one's neighbours now
        else next[p].push(docs[rnd.below(docs.length)][1] ?? sentences[0]);
      }
      const { updated, fresh } = update(docs, next, round % 2 === 0 ? 0 : Infinity);
      expect(updated, `round ${round}`).toEqual(fresh);
      seen.bySums += neighbourUpdates.bySums;
      seen.moved += neighbourUpdates.moved;
      seen.redone += neighbourUpdates.redone;
    }
    expect(seen.bySums, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.moved, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.redone, JSON.stringify(seen)).toBeGreaterThan(0);
  });

  /**
   * The index after `docs` became `next` (documents added, removed, replaced), by updateShiftedIndex with each
   * document's last place found by its text, as a warm run finds it by its cache key; and built from scratch.
   */
  function shifted(docs: string[][], next: string[][], lookupFrom?: number) {
    const oldFps = fpsOf(docs);
    const oldTw = new TermWeights(oldFps, all(docs.length));
    const { index } = candidatesWithIndex(oldFps, all(docs.length), oldTw);
    const fps = fpsOf(next);
    const reps = all(next.length);
    const tw = new TermWeights(fps, reps);
    const place = new Map(docs.map((d, j) => [d.join('\n'), j]));
    const before = Int32Array.from(next, (d) => place.get(d.join('\n')) ?? -1);
    const was = oldTw.weightHashes();
    const now = tw.weightHashes();
    const reweighed = Uint8Array.from(before, (j, p) => (j >= 0 && (was[2 * j] !== now[2 * p] || was[2 * j + 1] !== now[2 * p + 1]) ? 1 : 0));
    const stored = decodeIndex(Buffer.concat(encodeIndex(index)))!;
    return { updated: updateShiftedIndex(stored, fps, reps, tw, before, reweighed, candidateParams(reps.length), tuned(reps.length, lookupFrom)), fresh: candidatesWithIndex(fps, reps, tw).index };
  }

  it('after documents are added and removed, so that the others move, an update equals a fresh build', () => {
    // every document distinct, so that each is found by its text
    const distinct = docs.map((d, i) => [...d, `Filed as item ${i} of the archive.`]);
    const cases: [string, string[][]][] = [
      ['one added first', [syntheticArticle(8888, 4), ...distinct]],
      ['one added in the middle', [...distinct.slice(0, 100), syntheticArticle(8889, 7), ...distinct.slice(100)]],
      ['one added last, a copy of the long story', [...distinct, [...distinct[300].slice(0, -1), 'Reader 999 wrote in.']]],
      ['one removed', [...distinct.slice(0, 50), ...distinct.slice(51)]],
      ['one of the 90 copies removed', [...distinct.slice(0, 260), ...distinct.slice(261)]],
      ['removed, added and edited together', [syntheticArticle(8890, 2), ...distinct.slice(0, 30), ...distinct.slice(32, 200), [...distinct[200], 'A correction followed.'], ...distinct.slice(201, 320), syntheticArticle(8891, 9)]],
    ];
    for (const [what, next] of cases) {
      for (const lookupFrom of [0, Infinity]) {
        const { updated, fresh } = shifted(distinct, next, lookupFrom);
        expect(updated, what).not.toBeNull();
        expect(updated, what).toEqual(fresh);
      }
    }
  });

  it('after random additions and removals, an update equals a fresh build', () => {
    const distinct = docs.map((d, i) => [...d, `Filed as item ${i} of the archive.`]);
    const rand = seeded(777).unit;
    for (let round = 0; round < 4; round++) {
      const next = distinct.map((d) => [...d]);
      for (let k = 0; k < 5; k++) {
        const p = Math.floor(rand() * next.length);
        if (rand() < 0.5) next.splice(p, 1);
        else next.splice(p, 0, syntheticArticle(Math.floor(rand() * 1e6), Math.floor(rand() * 30)));
      }
      const { updated, fresh } = shifted(distinct, next, round % 2 === 0 ? 0 : Infinity);
      expect(updated).toEqual(fresh);
    }
  });

  it('are not moved when the documents that stayed are out of their order', () => {
    expect(unionFrame(Int32Array.from([0, 2, 1]), 3)).toBeNull();
    expect(unionFrame(Int32Array.from([0, 5]), 3)).toBeNull();
    // gone ones take a place before the next that stayed; new ones where they are
    expect(unionFrame(Int32Array.from([-1, 1, 3]), 4)).toEqual({ size: 5, fromOld: Int32Array.from([1, 2, 3, 4]), toNew: Int32Array.from([0, -1, 1, -1, 2]) });
    // a place that breaks the last run's order is taken as new (and its last place as gone), so that a frame exists
    expect([...inLastOrder(Int32Array.from([0, 3, 1, 4, -1, 2]))]).toEqual([0, 3, -1, 4, -1, -1]);
    expect(unionFrame(inLastOrder(Int32Array.from([0, 2, 1])), 3)).not.toBeNull();
  });

  /** The corpus's fingerprints and term weights, and its indexes built in one go. */
  const built = () => {
    const fps = fpsOf(docs);
    const reps = all(fps.length);
    const tw = new TermWeights(fps, reps);
    return { fps, reps, tw, index: candidatesWithIndex(fps, reps, tw).index };
  };

  it('are not updated for another corpus size or other parameters, nor from damaged bytes', () => {
    const { fps, reps, tw, index } = built();
    const none = new Uint8Array(reps.length);
    expect(updateIndex(index, fps, reps, tw, none, none, { ...candidateParams(reps.length), indexTerms: 5 })).toBeNull();
    const fewer = reps.slice(1);
    expect(updateIndex(index, fps, fewer, tw, none, none, candidateParams(fewer.length))).toBeNull();
    const bytes = Buffer.concat(encodeIndex(index));
    // bytes at a multiple of 8 are taken as they are (views), others copied: the same index either way
    const aligned = new Uint8Array(new ArrayBuffer(bytes.length + 8), 8, bytes.length);
    aligned.set(bytes);
    const shifted = new Uint8Array(new ArrayBuffer(bytes.length + 4), 4, bytes.length);
    shifted.set(bytes);
    const viewed = decodeIndex(aligned)!;
    expect(viewed.lsh.sorted.buffer).toBe(aligned.buffer);
    expect(decodeIndex(shifted)!.lsh.sorted.buffer).not.toBe(shifted.buffer);
    expect(decodeIndex(shifted)).toEqual(viewed);
    expect(viewed).toEqual(decodeIndex(bytes));
    expect(decodeIndex(bytes.subarray(0, bytes.length - 8))).toBeNull();
    expect(decodeIndex(new Uint8Array(16))).toBeNull();
  });

  it('are not updated when an entry names a document the corpus does not have (checked as the update reads them)', () => {
    const { fps, reps, tw, index } = built();
    const changed = new Uint8Array(reps.length);
    changed[5] = 1;
    const params = candidateParams(reps.length);
    expect(updateIndex(index, fps, reps, tw, changed, changed, params)).not.toBeNull();
    // the last entry of each index, its id part pushed past the corpus (the key part kept, so the order holds)
    const n = reps.length;
    const K = params.indexTerms;
    const pastEnd = (sorted: Float64Array, scale: number, limit: number) => {
      const bad = sorted.slice();
      const last = bad[bad.length - 1];
      bad[bad.length - 1] = last - idOf(last, scale) + limit;
      return bad;
    };
    const lsh = { ...index, lsh: { ...index.lsh, sorted: pastEnd(index.lsh.sorted, packing(n).scale, n) } };
    const samples = { ...index, samples: { ...index.samples, sorted: pastEnd(index.samples.sorted, packing(n).scale, n) } };
    // the term index is read by the lists an update reaches: an entry past the corpus in a list of the changed document
    const termScale = packing(n * K).scale;
    const intoList = index.terms.et[5 * K] * termScale + n * K;
    const withBad = Float64Array.from([...index.terms.sorted, intoList]).sort();
    const terms = { ...index, terms: { ...index.terms, sorted: withBad } };
    for (const bad of [lsh, samples, terms]) expect(updateIndex(bad, fps, reps, tw, changed, changed, params)).toBeNull();
    // with the lookup arrays of the whole index too
    expect(updateIndex(terms, fps, reps, tw, changed, changed, params, { lookupFrom: 0, sumsUpTo: Infinity })).toBeNull();
    // and a changed document's entries are looked for by their keys: a key the index does not hold is found out
    const et = index.terms.et.slice();
    et[5 * K] ^= 1;
    expect(updateIndex({ ...index, terms: { ...index.terms, et } }, fps, reps, tw, changed, changed, params)).toBeNull();
  });

  it('serve a warm cluster run, which gives the groups of a fresh one', () => {
    const ids = (d: string[][]) => d.map((x) => x.join(' | '));
    const memo1: PairMemo = { ids: ids(docs) };
    clusterDocs(fpsOf(docs), { memo: memo1 });
    expect(memo1.indexUpdated).toBe(false);
    const next = docs.map((d) => [...d]);
    next[7].push('Editor’s note: the figures were corrected after publication.');
    next[260] = syntheticArticle(4242, 3);
    const memo2: PairMemo = { ids: ids(next), previous: decodePairMemo(Buffer.concat(encodePairMemo(memo1.next!))) };
    const warm = clusterDocs(fpsOf(next), { memo: memo2 });
    expect(warm).toEqual(clusterDocs(fpsOf(next)));
    expect(memo2.indexUpdated).toBe(true);
    // the edges' explanations of documents as they were come from the memo, the same words
    const edges = warm.reduce((n, g) => n + g.edges.filter((e) => e.relation !== 'exact').length, 0);
    expect(memo2.explanationsReused).toBeGreaterThan(edges / 2);
  });
});

describe('idOf (the id part of a packed index entry)', () => {
  it('is the remainder by the packing scale, for every size of id and key up to 2^53', () => {
    for (const m of [1, 2, 3, 255, 256, 9398, 1 << 20, 50_000_000]) {
      const { scale } = packing(m);
      const keyLimit = 2 ** 53 / scale;
      for (const key of [0, 1, 2, 12345, keyLimit / 2, keyLimit - 1]) {
        for (const id of [0, 1, Math.floor(m / 2), m - 1, m]) {
          const packed = key * scale + id;
          expect(idOf(packed, scale)).toBe(packed % scale);
          expect(idOf(packed, scale)).toBe(id);
        }
      }
    }
  });
});
