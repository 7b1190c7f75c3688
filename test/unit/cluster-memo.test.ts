import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/fingerprint/index.js';
import { clusterDocs, gridCount } from '../../src/cluster/index.js';
import { decodePairMemo, encodePairMemo, findKey, type PairMemo } from '../../src/cluster/memo.js';
import { makeDoc, syntheticArticle } from './cluster-seed-docs.js';
import { seeded } from '../helpers/seeded.js';

/** Articles by id: stories told three times, some copied with an edit. */
function corpus(n: number): { id: string; paras: string[] }[] {
  const docs = [];
  for (let i = 0; i < n; i++) docs.push({ id: `d${i}`, paras: syntheticArticle(i + 1, i % 3 === 0 ? Math.floor(i / 9) : 100000 + i) });
  for (let i = 0; i < n / 10; i++) {
    const copy = syntheticArticle(i * 7 + 1, (i * 7) % 3 === 0 ? Math.floor((i * 7) / 9) : 100000 + i * 7);
    docs.push({ id: `copy${i}`, paras: copy });
    docs.push({ id: `edit${i}`, paras: [...copy.slice(0, 2), 'edited ' + copy[2]] });
  }
  return docs;
}

const fpsOf = (docs: { id: string; paras: string[] }[]) => docs.map((d) => fingerprint(makeDoc(d.id, d.paras, null)));
/** The identity a run gives each fingerprint: here, its text (the CLI uses the cache key of the file's bytes). */
const idsOf = (docs: { id: string; paras: string[] }[]) => docs.map((d) => d.paras.join(' | '));

describe('gridCount (document frequencies as idf reads them)', () => {
  it('is exact up to 16, then within 4.5% up to 64 and within 9.1% above, never decreasing', () => {
    for (let c = 0; c <= 16; c++) expect(gridCount(c)).toBe(c);
    let last = 0;
    for (let c = 17; c < 200000; c += 1 + (c >> 6)) {
      const g = gridCount(c);
      expect(Math.abs(g - c) / c, `count ${c}`).toBeLessThan(c <= 64 ? 0.045 : 0.091);
      expect(g).toBeGreaterThanOrEqual(last);
      last = g;
    }
  });
  it('above 64, moves on about half as many counts as below (a grid line every 19% instead of 9%)', () => {
    // how many of the counts in [lo, 2 lo) see their grid value change when one document is added
    const moves = (lo: number) => {
      let n = 0;
      for (let c = lo; c < 2 * lo; c++) if (gridCount(c + 1) !== gridCount(c)) n++;
      return n;
    };
    expect(moves(32)).toBe(8);
    expect(moves(128)).toBe(4);
    expect(moves(4096)).toBe(4);
  });
});

describe('pair memo (scores reused from the last run)', () => {
  const base = corpus(300);

  it('gives the groups of a fresh run after a document changes, reusing nearly every score', () => {
    const memo1: PairMemo = { ids: idsOf(base) };
    const first = clusterDocs(fpsOf(base), { memo: memo1 });
    expect(first).toEqual(clusterDocs(fpsOf(base)));
    expect(memo1.reused).toBe(0);

    const changed = base.map((d) => ({ ...d, paras: [...d.paras] }));
    changed[4].paras.push('A correction was added to this article after readers wrote in.');
    changed[40].paras = syntheticArticle(9999, 4); // now another telling of story 4
    const memo2: PairMemo = { ids: idsOf(changed), previous: decodePairMemo(Buffer.concat(encodePairMemo(memo1.next!))) };
    const warm = clusterDocs(fpsOf(changed), { memo: memo2 });
    expect(warm).toEqual(clusterDocs(fpsOf(changed)));
    expect(memo2.reused! / (memo2.reused! + memo2.scored!)).toBeGreaterThan(0.8);
    expect(memo2.scored).toBeGreaterThan(0);
  });

  it('gives the same groups when documents are added or removed (positions shift)', () => {
    const memo1: PairMemo = { ids: idsOf(base) };
    clusterDocs(fpsOf(base), { memo: memo1 });
    const fewer = base.filter((_, i) => i % 50 !== 7);
    const more = [...base.slice(0, 100), { id: 'new', paras: syntheticArticle(4242, 3) }, ...base.slice(100)];
    for (const docs of [fewer, more]) {
      const memo: PairMemo = { ids: idsOf(docs), previous: memo1.next };
      expect(clusterDocs(fpsOf(docs), { memo })).toEqual(clusterDocs(fpsOf(docs)));
    }
  });

  it('reuses nothing it cannot vouch for: documents without an identity, another corpus, a damaged state', () => {
    const memo1: PairMemo = { ids: idsOf(base) };
    clusterDocs(fpsOf(base), { memo: memo1 });
    const none: PairMemo = { ids: base.map(() => undefined), previous: memo1.next };
    expect(clusterDocs(fpsOf(base), { memo: none })).toEqual(clusterDocs(fpsOf(base)));
    expect(none.reused).toBe(0);
    const bytes = Buffer.concat(encodePairMemo(memo1.next!));
    expect(decodePairMemo(bytes.subarray(0, bytes.length - 1))).toBeNull();
    expect(decodePairMemo(new Uint8Array(40))).toBeNull();
    expect(decodePairMemo(undefined)).toBeNull();
    const back = decodePairMemo(bytes)!;
    expect(back.ids).toEqual(memo1.next!.ids);
    expect([...back.pairs]).toEqual([...memo1.next!.pairs]);
    expect([...back.rel]).toEqual([...memo1.next!.rel]);
    // at a multiple of 8 its arrays are views of the bytes; elsewhere of a copy, with the same values
    const aligned = new Uint8Array(new ArrayBuffer(bytes.length + 8), 8, bytes.length);
    aligned.set(bytes);
    const shifted = new Uint8Array(new ArrayBuffer(bytes.length + 4), 4, bytes.length);
    shifted.set(bytes);
    const viewed = decodePairMemo(aligned)!;
    expect(viewed.pairs.buffer).toBe(aligned.buffer);
    expect(viewed.df!.keys.buffer).toBe(aligned.buffer);
    const copied = decodePairMemo(shifted)!;
    expect(copied.pairs.buffer).not.toBe(shifted.buffer);
    for (const k of ['pairs', 'weights', 'score', 'rel'] as const) expect([...copied[k]]).toEqual([...viewed[k]]);
    expect([...copied.df!.vals]).toEqual([...viewed.df!.vals]);
  });

  it('keeps the scores the linkage completed averages with, to the bit, beside the rest of the state', () => {
    const memo1: PairMemo = { ids: idsOf(base) };
    clusterDocs(fpsOf(base), { memo: memo1 });
    const completed = { keys: Float64Array.from([3, 17, 40]), score: Float64Array.from([0.1 + 0.2, Math.PI / 10, 1 / 3]), rel: Uint8Array.from([1, 2, 1]) };
    const bytes = Buffer.concat(encodePairMemo({ ...memo1.next!, completed }));
    const back = decodePairMemo(bytes)!;
    expect([...back.completed!.keys]).toEqual([...completed.keys]);
    expect([...back.completed!.score]).toEqual([...completed.score]);
    expect([...back.completed!.rel]).toEqual([...completed.rel]);
    // the arrays around them read as they were written
    expect([...back.pairs]).toEqual([...memo1.next!.pairs]);
    expect([...back.weights]).toEqual([...memo1.next!.weights]);
    expect([...back.rel]).toEqual([...memo1.next!.rel]);
    expect(back.labels!.of).toEqual(memo1.next!.labels!.of);
    // none kept: none read back
    expect(decodePairMemo(Buffer.concat(encodePairMemo({ ...memo1.next!, completed: null })))!.completed).toBeNull();
  });

  it('takes the weight hashes of documents whose terms kept their frequencies from the last run, and they are the ones a fresh run computes', () => {
    const memo1: PairMemo = { ids: idsOf(base) };
    clusterDocs(fpsOf(base), { memo: memo1 });
    expect(memo1.rehashed).toBe(memo1.next!.ids.length);
    const stored = decodePairMemo(Buffer.concat(encodePairMemo(memo1.next!)))!;
    expect(stored.weighKey).toBe(memo1.next!.weighKey);
    expect([...stored.df!.keys]).toEqual([...memo1.next!.df!.keys]);
    expect([...stored.df!.vals]).toEqual([...memo1.next!.df!.vals]);
    expect(stored.df!.zero).toBe(memo1.next!.df!.zero);

    const changed = base.map((d) => ({ ...d, paras: [...d.paras] }));
    changed[7].paras.push('A correction was added to this article after readers wrote in about the figures.');
    const warm: PairMemo = { ids: idsOf(changed), previous: stored };
    const cold: PairMemo = { ids: idsOf(changed) };
    expect(clusterDocs(fpsOf(changed), { memo: warm })).toEqual(clusterDocs(fpsOf(changed), { memo: cold }));
    expect([...warm.next!.weights]).toEqual([...cold.next!.weights]);
    expect(warm.rehashed).toBeGreaterThan(0);
    expect(warm.rehashed!).toBeLessThan(warm.next!.ids.length / 2);

    // weighed under other parameters (the key differs): nothing is taken
    const otherKey: PairMemo = { ids: idsOf(changed), previous: { ...stored, weighKey: 'other' } };
    clusterDocs(fpsOf(changed), { memo: otherKey });
    expect(otherKey.rehashed).toBe(otherKey.next!.ids.length);
    expect([...otherKey.next!.weights]).toEqual([...cold.next!.weights]);
  });

  it('updates the document frequencies from the last run by the terms of the documents gone and new: the counts, hashes and groups of a count from scratch', () => {
    const termsById = new Map<string, Uint32Array>();
    const remember = (docs: { id: string; paras: string[] }[]) => fpsOf(docs).forEach((fp, i) => termsById.set(idsOf(docs)[i], fp.terms));
    remember(base);
    const termsOf = (id: string) => termsById.get(id);
    const memo1: PairMemo = { ids: idsOf(base), termsOf };
    clusterDocs(fpsOf(base), { memo: memo1 });
    expect(memo1.dfUpdated).toBe(false); // nothing to update from
    // the counted terms (a stored table has empty slots, and may keep a term whose count went to 0), and term 0's count
    const counts = (df: { keys: Uint32Array; vals: Uint32Array; zero: number }) => [new Map([...df.keys].flatMap((k, i) => (k !== 0 && df.vals[i] > 0 ? [[k, df.vals[i]]] : []))), df.zero];
    let previous = decodePairMemo(Buffer.concat(encodePairMemo(memo1.next!)))!;
    // one edit with words seen nowhere else, one that repeats common words (counts cross grid lines), a removal and an addition
    const edits: ((docs: { id: string; paras: string[] }[]) => { id: string; paras: string[] }[])[] = [
      (docs) => docs.map((d, i) => (i === 11 ? { ...d, paras: [...d.paras, 'Zorblat quindle vexmoor.'] } : d)),
      (docs) => docs.map((d, i) => (i === 12 ? { ...d, paras: [...d.paras, docs[0].paras[0], docs[1].paras[1]] } : d)),
      (docs) => docs.filter((_, i) => i !== 13),
      (docs) => [...docs, { id: 'new', paras: syntheticArticle(4242, 8) }],
    ];
    let docs = base;
    const rehashed: number[] = [];
    for (const edit of edits) {
      docs = edit(docs);
      remember(docs);
      const warm: PairMemo = { ids: idsOf(docs), termsOf, previous };
      const cold: PairMemo = { ids: idsOf(docs) };
      expect(clusterDocs(fpsOf(docs), { memo: warm })).toEqual(clusterDocs(fpsOf(docs), { memo: cold }));
      expect(warm.dfUpdated).toBe(true);
      expect(counts(warm.next!.df!)).toEqual(counts(cold.next!.df!));
      expect([...warm.next!.weights]).toEqual([...cold.next!.weights]);
      rehashed.push(warm.rehashed!);
      previous = decodePairMemo(Buffer.concat(encodePairMemo(warm.next!)))!;
    }
    // words seen nowhere else move no other document's weights; common ones do, and those documents are found
    expect(rehashed[0]).toBe(1);
    expect(rehashed[1]).toBeGreaterThan(1);
    // the terms of a document gone since cannot be had: counted from scratch, with the same outcome
    const missing: PairMemo = { ids: idsOf(base), termsOf: () => undefined, previous };
    expect(clusterDocs(fpsOf(base), { memo: missing })).toEqual(clusterDocs(fpsOf(base)));
    expect(missing.dfUpdated).toBe(false);
    // last run's counts that do not add up (a damaged or foreign state): counted from scratch
    const wrong: PairMemo = { ids: idsOf(docs), termsOf, previous: { ...previous, df: { ...previous.df!, zero: previous.df!.zero + 1 } } };
    expect(clusterDocs(fpsOf(docs), { memo: wrong })).toEqual(clusterDocs(fpsOf(docs)));
    expect(wrong.dfUpdated).toBe(false);
  });

  it('links again only the components of the edge graph an edit reaches, and the labels are those of linking everything', () => {
    const labelsOf = (memo: PairMemo) => [...memo.next!.labels!.of];
    const memo1: PairMemo = { ids: idsOf(base) };
    clusterDocs(fpsOf(base), { memo: memo1 });
    expect(memo1.linked).toBeNull(); // no labels to take: everything linked
    let previous = decodePairMemo(Buffer.concat(encodePairMemo(memo1.next!)))!;
    expect(previous.labels!.threshold).toBe(memo1.next!.labels!.threshold);
    expect([...previous.labels!.of]).toEqual(labelsOf(memo1));
    // edits that leave a story, join one, grow a copy, and change nothing of the groups; then random ones
    const rand = seeded(7).below;
    const edits: ((docs: { id: string; paras: string[] }[]) => { id: string; paras: string[] }[])[] = [
      (docs) => docs.map((d, i) => (i === 3 ? { ...d, paras: syntheticArticle(777, 100777) } : d)),
      (docs) => docs.map((d, i) => (i === 5 ? { ...d, paras: syntheticArticle(8888, 6) } : d)),
      (docs) => docs.map((d, i) => (d.id === 'edit2' ? { ...d, paras: [...d.paras, 'The harbour office added a note on Friday.'] } : d)),
      (docs) => docs.map((d, i) => (i === 20 ? { ...d, paras: [...d.paras, 'Zorblat quindle vexmoor.'] } : d)),
      ...Array.from({ length: 8 }, () => (docs: { id: string; paras: string[] }[]) => {
        const i = rand(docs.length);
        const from = docs[rand(docs.length)].paras;
        return docs.map((d, k) => (k === i ? { ...d, paras: [...d.paras, from[rand(from.length)]] } : d));
      }),
    ];
    let docs = base;
    const linked: number[] = [];
    for (const edit of edits) {
      docs = edit(docs);
      const warm: PairMemo = { ids: idsOf(docs), previous };
      const cold: PairMemo = { ids: idsOf(docs) };
      expect(clusterDocs(fpsOf(docs), { memo: warm })).toEqual(clusterDocs(fpsOf(docs), { memo: cold }));
      expect(labelsOf(warm)).toEqual(labelsOf(cold));
      if (warm.linked !== null) linked.push(warm.linked!);
      previous = decodePairMemo(Buffer.concat(encodePairMemo(warm.next!)))!;
    }
    // most edits reach a few components: a small share of the representatives is linked again
    expect(linked.length).toBeGreaterThanOrEqual(8);
    const m = previous.ids.length;
    expect(Math.max(...linked)).toBeLessThan(m / 2);
    expect(Math.min(...linked)).toBeGreaterThan(0);

    // labels of another threshold, or that are no labelling, are not taken
    for (const labels of [{ ...previous.labels!, threshold: 0.9 }, { threshold: previous.labels!.threshold, of: Int32Array.from(previous.labels!.of, (l, p) => (p === m - 1 ? m - 1 : l + 1)) }]) {
      const changed = docs.map((d, i) => (i === 30 ? { ...d, paras: [...d.paras, 'A line no other article has, quibbling wexfordly.'] } : d));
      const memo: PairMemo = { ids: idsOf(changed), previous: { ...previous, labels } };
      expect(clusterDocs(fpsOf(changed), { memo })).toEqual(clusterDocs(fpsOf(changed)));
      expect(memo.linked).toBeNull();
    }
  });

  it('serves runs after articles are added, removed, or edited into or out of a group of exact copies: the same groups and labels, the indexes updated, few linked again', () => {
    const labelsOf = (memo: PairMemo) => [...memo.next!.labels!.of];
    // with exact copies, so that representatives come and go when a copy is edited (the number of representatives
    // stays off a line of idf's grid, where every weight would move and the indexes be built afresh)
    const start = [...base.filter((_, i) => i % 15 !== 14), { id: 'twin-a', paras: base[12].paras }, { id: 'twin-b', paras: base[45].paras }];
    const memo1: PairMemo = { ids: idsOf(start) };
    clusterDocs(fpsOf(start), { memo: memo1 });
    let previous = decodePairMemo(Buffer.concat(encodePairMemo(memo1.next!)))!;
    const edits: [string, (docs: { id: string; paras: string[] }[]) => { id: string; paras: string[] }[]][] = [
      ['one added in the middle', (docs) => [...docs.slice(0, 100), { id: 'new1', paras: syntheticArticle(4321, 100) }, ...docs.slice(100)]],
      ['one removed', (docs) => docs.filter((d) => d.id !== 'd77')],
      ['a copy edited out of its group', (docs) => docs.map((d) => (d.id === 'twin-a' ? { ...d, paras: [...d.paras, 'This copy carries a note of its own.'] } : d))],
      ['an article edited into a copy of another', (docs) => docs.map((d) => (d.id === 'd150' ? { ...d, paras: docs[151].paras } : d))],
      ['one added, another telling of a story, and one removed', (docs) => [{ id: 'new2', paras: syntheticArticle(4322, 5) }, ...docs.filter((d) => d.id !== 'd200')]],
      ['two added and two removed', (docs) => [...docs.filter((d) => d.id !== 'd201' && d.id !== 'd9'), { id: 'new3', paras: syntheticArticle(4323, 8) }, { id: 'new4', paras: syntheticArticle(4324, 200000) }]],
    ];
    const updated = new Set(['one added in the middle', 'one removed', 'a copy edited out of its group']);
    let docs = start;
    for (const [what, edit] of edits) {
      docs = edit(docs);
      const warm: PairMemo = { ids: idsOf(docs), previous };
      const cold: PairMemo = { ids: idsOf(docs) };
      expect(clusterDocs(fpsOf(docs), { memo: warm }), what).toEqual(clusterDocs(fpsOf(docs), { memo: cold }));
      expect(labelsOf(warm), what).toEqual(labelsOf(cold));
      // (in a corpus this small, an article's words are a large share of some terms' counts: the later edits weigh
      // more than a third of it again, and its indexes are built afresh, as they should be)
      if (updated.has(what)) expect(warm.indexUpdated, what).toBe(true);
      expect(warm.linked, what).not.toBeNull();
      expect(warm.linked!, what).toBeLessThan(warm.next!.ids.length / 2);
      previous = decodePairMemo(Buffer.concat(encodePairMemo(warm.next!)))!;
    }
  });

  it('updates the indexes, not builds them, after an edit that weighs up to a third of the corpus again, the same as a fresh run', () => {
    const memo1: PairMemo = { ids: idsOf(base) };
    clusterDocs(fpsOf(base), { memo: memo1 });
    const previous = decodePairMemo(Buffer.concat(encodePairMemo(memo1.next!)))!;
    // how many representatives an edit weighs differently, by identity: the indexes' update redoes those
    const weighedAgain = (memo: PairMemo) => {
      const at = new Map(previous.ids.map((id, j) => [id, j]));
      let n = 0;
      memo.next!.ids.forEach((id, p) => {
        const j = at.get(id);
        if (j === undefined || memo.next!.weights[2 * p] !== previous.weights[2 * j] || memo.next!.weights[2 * p + 1] !== previous.weights[2 * j + 1]) n++;
      });
      return n;
    };
    // one article given more and more words that a few other articles hold (where idf's grid is exact, every count
    // that moves moves a weight): each edit weighs more documents again
    const holding = new Map<string, number>();
    for (const d of base) for (const w of new Set(d.paras.join(' ').toLowerCase().match(/[a-z]{4,}/g))) holding.set(w, (holding.get(w) ?? 0) + 1);
    const fewHold = [...holding].filter(([, n]) => n >= 4 && n <= 16).map(([w]) => w);
    const shares: number[] = [];
    for (const words of [10, 40, 80, 160, 320]) {
      const docs = base.map((d, i) => (i === 10 ? { ...d, paras: [...d.paras, fewHold.slice(0, words).join(' ') + '.'] } : d));
      const warm: PairMemo = { ids: idsOf(docs), previous };
      expect(clusterDocs(fpsOf(docs), { memo: warm }), `${words} words`).toEqual(clusterDocs(fpsOf(docs), { memo: { ids: idsOf(docs) } }));
      const share = weighedAgain(warm) / warm.next!.ids.length;
      shares.push(share);
      expect(warm.indexUpdated, `${words} words: ${(share * 100).toFixed(0)}% weighed again`).toBe(share <= 1 / 3);
    }
    // some edit weighed more than an eighth again (built afresh before) and no more than a third
    expect(shares.some((x) => x > 1 / 8 && x <= 1 / 3), shares.map((x) => x.toFixed(2)).join(' ')).toBe(true);
    // and some more than a third: built afresh
    expect(shares.some((x) => x > 1 / 3), shares.map((x) => x.toFixed(2)).join(' ')).toBe(true);
  });

  it('findKey finds keys in an ascending array', () => {
    const keys = Float64Array.from([1, 5, 9, 40, 41]);
    expect([1, 5, 9, 40, 41].map((k) => findKey(keys, k))).toEqual([0, 1, 2, 3, 4]);
    expect([0, 2, 42].map((k) => findKey(keys, k))).toEqual([-1, -1, -1]);
  });
});
