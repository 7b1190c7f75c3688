import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/fingerprint/index.js';
import { calendarFactor, dateAgreement, candidates, clusterDocs, linkageScale, PairSet, PARAMS, TermCounts, TermWeights } from '../../src/cluster/index.js';
import { linkAverage } from '../../src/cluster/linkage.js';
import { fmix32 } from '../../src/fingerprint/hash.js';
import { makeDoc } from './cluster-seed-docs.js';

/** Deterministic nonsense articles: each draws its words from its own vocabulary (so unrelated ones share little). */
function article(seed: number, words = 180): string[] {
  let s = seed >>> 0;
  const next = () => (s = fmix32(s + 0x9e3779b9));
  const vocab = Array.from({ length: 60 }, () => 'w' + (next() % 50000).toString(36));
  const out: string[] = [];
  for (let p = 0; p < 4; p++) {
    const sent: string[] = [];
    for (let i = 0; i < words / 4; i++) sent.push(vocab[next() % vocab.length]);
    out.push(sent.join(' ') + '.');
  }
  return out;
}

describe('typed-array building blocks', () => {
  it('PairSet keeps each unordered pair once, sorted', () => {
    const ps = new PairSet(10);
    ps.add(3, 1);
    ps.add(1, 3);
    ps.add(2, 2); // ignored
    ps.add(0, 9);
    for (let i = 0; i < 3000; i++) ps.add(i % 7, 9); // grows and compacts
    const { a, b } = ps.toArrays();
    expect([...a]).toEqual([0, 1, 1, 2, 3, 4, 5, 6]);
    expect([...b]).toEqual([9, 3, 9, 9, 9, 9, 9, 9]);
  });

  it('TermCounts counts like a Map, including the zero key and after growing', () => {
    const tc = new TermCounts(4);
    const ref = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      const k = i % 3 === 0 ? 0 : fmix32(i % 1700);
      tc.add(k);
      ref.set(k, (ref.get(k) ?? 0) + 1);
    }
    for (const [k, v] of ref) expect(tc.get(k)).toBe(v);
    expect(tc.get(12345)).toBe(0);
  });

  it('TermCounts is stored as its table and taken back as it is, unless keys counted down to 0 crowd it', () => {
    const tc = new TermCounts(4);
    for (let i = 1; i <= 3000; i++) tc.add(fmix32(i), 1 + (i % 5));
    tc.add(0, 7);
    const stored = tc.entries();
    expect(stored.keys).toBe(tc.table().keys); // the table's own slots, not a copy
    const back = TermCounts.fromTable(stored.keys.slice(), stored.vals.slice(), stored.zero)!;
    for (let i = 1; i <= 3000; i++) expect(back.get(fmix32(i))).toBe(1 + (i % 5));
    expect(back.get(0)).toBe(7);
    back.add(fmix32(3001)); // and it counts on
    expect(back.get(fmix32(3001))).toBe(1);
    // a few keys counted down to 0 keep their slots; many make a new table of the counted ones only
    for (let i = 1; i <= 200; i++) back.add(fmix32(i), -(1 + (i % 5)));
    expect(back.entries().keys).toBe(back.table().keys);
    for (let i = 201; i <= 1500; i++) back.add(fmix32(i), -(1 + (i % 5)));
    const compact = back.entries();
    expect(compact.keys).not.toBe(back.table().keys);
    expect(compact.keys.filter((k) => k !== 0).length).toBe(1501);
    const again = TermCounts.fromTable(compact.keys, compact.vals, compact.zero)!;
    expect(again.get(fmix32(1501))).toBe(1 + (1501 % 5));
    expect(again.get(fmix32(3001))).toBe(1);
    expect(again.get(fmix32(1))).toBe(0);
    // a table sized for more keys than it holds (a count from scratch sizes it for every term entry) is stored at its keys' size
    const roomy = new TermCounts(100_000);
    for (let i = 1; i <= 3000; i++) roomy.add(fmix32(i), 2);
    const small = roomy.entries();
    expect(small.keys.length).toBe(8192);
    expect(TermCounts.fromTable(small.keys, small.vals, small.zero)!.get(fmix32(77))).toBe(2);
    // what cannot be a table is not taken
    expect(TermCounts.fromTable(new Uint32Array(1000), new Uint32Array(1000), 0)).toBeNull();
    expect(TermCounts.fromTable(new Uint32Array(1024).fill(5), new Uint32Array(1024), 0)).toBeNull();
  });

  it('candidate generation is bounded per document and finds copies', () => {
    const docs = Array.from({ length: 300 }, (_, i) => makeDoc(`d${i}`, article(i + 1), null));
    docs.push(makeDoc('copy-of-7', article(8), null)); // article(8) is document 7
    const fps = docs.map(fingerprint);
    const reps = fps.map((_, i) => i);
    const pairs = candidates(fps, reps, new TermWeights(fps, reps)).toArrays();
    const perDoc = pairs.a.length / fps.length;
    expect(perDoc).toBeLessThan(PARAMS.termNeighbours + 8);
    const has = (x: number, y: number) => pairs.a.some((v, i) => v === x && pairs.b[i] === y);
    expect(has(7, 300)).toBe(true);
  });

  it('unrelated articles stay apart, exact and near copies join', () => {
    const docs = Array.from({ length: 200 }, (_, i) => makeDoc(`d${i}`, article(i + 1), null));
    const edited = article(11);
    edited[1] = edited[1].replace(/^\S+/, 'changed');
    docs.push(makeDoc('copy-10', article(11), null), makeDoc('edit-10', edited, null));
    const groups = clusterDocs(docs.map(fingerprint), {});
    const multi = groups.filter((g) => g.members.length > 1);
    expect(multi.map((g) => g.members)).toEqual([[10, 200, 201]]);
  });
});

describe('average linkage with exact completion', () => {
  it('completes missing cross pairs with pairScore before joining', () => {
    // only 0-1 and 1-2 are known; 0-2 is computed on demand
    const far = linkAverage(3, [0, 1], [1, 2], [0.9, 0.9], 0.5, 0.5, (x, y) => (x + y === 2 ? 0 : 0.9));
    expect(far[2]).toBe(2); // {0,1} vs 2: (0 + 0.9) / 2 = 0.45 < 0.5
    const near = linkAverage(3, [0, 1], [1, 2], [0.9, 0.9], 0.5, 0.5, (x, y) => (x + y === 2 ? 0.6 : 0.9));
    expect([...near]).toEqual([0, 0, 0]); // (0.6 + 0.9) / 2 = 0.75
  });

  it('gives the same clusters whatever edges were proposed, as long as each join is proposed', () => {
    const sim = (x: number, y: number) => (Math.floor(x / 3) === Math.floor(y / 3) ? 0.8 : 0.05);
    const allA: number[] = [];
    const allB: number[] = [];
    for (let x = 0; x < 9; x++) for (let y = x + 1; y < 9; y++) (allA.push(x), allB.push(y));
    const full = linkAverage(9, allA, allB, allA.map((x, i) => sim(x, allB[i])), 0.3, 0.5, sim);
    const chain = linkAverage(9, [0, 1, 3, 4, 6, 7], [1, 2, 4, 5, 7, 8], [0.8, 0.8, 0.8, 0.8, 0.8, 0.8], 0.3, 0.5, sim);
    expect([...chain]).toEqual([...full]);
    expect([...full]).toEqual([0, 0, 0, 3, 3, 3, 6, 6, 6]);
  });
});

describe('neighbourhood-relative scores', () => {
  it('scale sparse neighbourhoods up and dense ones down; isolated documents keep their score', () => {
    const k = PARAMS.localK;
    // node 0..5: dense (0.6 among themselves); 6..11: sparse (0.15 among themselves); 12, 13: one edge only
    const ea: number[] = [];
    const eb: number[] = [];
    const es: number[] = [];
    for (let x = 0; x < 12; x++)
      for (let y = x + 1; y < 12; y++) {
        if (Math.floor(x / 6) !== Math.floor(y / 6)) continue;
        ea.push(x), eb.push(y), es.push(x < 6 ? 0.6 : 0.15);
      }
    ea.push(12), eb.push(13), es.push(0.15);
    const scale = linkageScale(14, { edgeA: Uint32Array.from(ea), edgeB: Uint32Array.from(eb), edgeS: Float32Array.from(es) });
    expect(k).toBeGreaterThan(0);
    expect(scale(0, 1, 0.6, 1)).toBeLessThan(0.6);
    expect(scale(6, 7, 0.15, 1)).toBeGreaterThan(0.15);
    expect(scale(12, 13, 0.15, 1)).toBeCloseTo(0.15, 6);
    expect(scale(6, 7, PARAMS.localMinScore / 2, 1)).toBeCloseTo(PARAMS.localMinScore / 2, 6); // noise is never scaled up
    expect(scale(0, 1, 0.7, 2)).toBeCloseTo(0.7, 6); // copies keep their own score
  });
});

describe('pair evidence', () => {
  it('calendar dates: no effect within a few days, a gradual fall over weeks, the full penalty months apart', () => {
    const d = (...days: number[]) => Uint16Array.from(days);
    expect(calendarFactor(d(63), d(65))).toBe(1);
    expect(calendarFactor(d(), d(200))).toBe(1); // no evidence
    const week = calendarFactor(d(63), d(72));
    const month = calendarFactor(d(63), d(95));
    expect(week).toBeLessThan(1);
    expect(week).toBeGreaterThan(0.9);
    expect(month).toBeLessThan(week);
    expect(calendarFactor(d(63), d(344))).toBe(PARAMS.calendarPenalty); // 4 March vs 10 December
    expect(calendarFactor(d(365), d(1))).toBe(1); // the year wraps
  });

  it('one shared rare term alone does not make two texts one event', () => {
    const a = makeDoc('a', ['Zorvath Quellmire opened a bakery in the harbour district with ovens imported from abroad.'], null);
    const b = makeDoc('b', ['Council members debated parking charges while Zorvath Quellmire watched from the public gallery.'], null);
    const c = makeDoc('c', ['Zorvath Quellmire opened his harbour district bakery, using ovens imported from abroad, neighbours said.'], null);
    const fps = [a, b, c].map(fingerprint);
    const tw = new TermWeights(fps, [0, 1, 2]);
    expect(tw.cosine(0, 1)).toBeLessThan(0.5 * tw.cosine(0, 2));
  });

  it('cosine gives the same numbers whether it merges or looks terms up (a representative scored again)', () => {
    const docs = Array.from({ length: 12 }, (_, i) => makeDoc(`d${i}`, [...article((i % 4) + 1), ...article(i + 100, 40)], null));
    const fps = docs.map(fingerprint);
    const reps = fps.map((_, i) => i);
    const indexed = new TermWeights(fps, reps);
    const merged = new TermWeights(fps, reps);
    for (let p = 0; p < fps.length; p++)
      for (let q = 0; q < fps.length; q++) {
        if (p === q) continue;
        const a = indexed.cosine(p, q); // p-major: from the second q on, p's terms are looked up in a table
        const da = indexed.dateFactor(p, q);
        merged.cosine((p + 1) % fps.length, p); // a different first member each time: always merged
        const b = merged.cosine(p, q);
        expect(a).toBe(b);
        expect(da).toBe(merged.dateFactor(p, q));
      }
    expect(indexed.cosine(0, 4)).toBeGreaterThan(0.3);
  });

  it('minhashOverlap finds an equal MinHash slot exactly when a loop over the slots does', () => {
    let s = 99;
    const next = () => (s = fmix32(s + 0x9e3779b9));
    const sigs: Uint32Array[] = [];
    for (let d = 0; d < 40; d++) {
      const sig = Uint32Array.from({ length: 128 }, () => next());
      if (d % 5 === 1) sig.set(sigs[d - 1]); // identical
      if (d % 5 === 2) sig[next() % 128] = sigs[d - 2][0]; // one slot equal to another's slot 0? only if it is slot 0
      if (d % 5 === 3) sig[(next() % 32) * 4 + 3] = sigs[d - 3][(next() % 32) * 4 + 3]; // maybe one equal slot
      if (d % 5 === 4) for (let i = 0; i < 128; i++) sig[i] = (sigs[d - 4][i] & 0xffffff00) | ((sigs[d - 4][i] + 1) & 255); // equal low bytes never
      if (d % 7 === 6) for (let i = 0; i < 128; i++) sig[i] = (sig[i] & 0xffffff00) | (sigs[0][i] & 255); // all low bytes equal
      sigs.push(sig);
    }
    sigs.push(sigs[3].slice(0, 64), new Uint32Array(0)); // other lengths: the plain loop
    const fps = sigs.map((minhash) => ({ ...fingerprint(makeDoc('x', ['A short text.'], null)), minhash }));
    const tw = new TermWeights(fps, fps.map((_, i) => i));
    let equal = 0;
    for (let p = 0; p < fps.length; p++)
      for (let q = 0; q < fps.length; q++) {
        const want = Array.from(sigs[p]).some((v, i) => v === sigs[q][i]);
        expect(tw.minhashOverlap(p, q), `${p} ${q}`).toBe(want);
        if (want) equal++;
      }
    expect(equal).toBeGreaterThan(fps.length);
  });

  it('clusters do not depend on input order (200 articles with copies)', () => {
    const docs = Array.from({ length: 120 }, (_, i) => makeDoc(`d${i}`, article(i + 1), null));
    docs.push(makeDoc('c3', article(4), null), makeDoc('c50', [...article(51).slice(0, 2), ...article(999)], null));
    const fps = docs.map(fingerprint);
    const named = (order: number[]) =>
      clusterDocs(order.map((i) => fps[i]), {})
        .map((g) => g.members.map((k) => docs[order[k]].path).sort())
        .sort((x, y) => x[0].localeCompare(y[0]));
    const id = fps.map((_, i) => i);
    const rev = [...id].reverse();
    const mixed = id.map((i) => (i * 37) % id.length);
    expect(new Set(mixed).size).toBe(id.length);
    expect(named(rev)).toEqual(named(id));
    expect(named(mixed)).toEqual(named(id));
    expect(named(id).filter((g) => g.length > 1)).toEqual([['c3', 'd3'], ['c50', 'd50']]);
  });
});

describe('date agreement', () => {
  it('gathered in the cosine pass equals dateAgreement', () => {
    const docs = [
      makeDoc('a', ['On Tuesday, March 4, officials met in Porthaven. In 2025 the talks resumed on Thursday.'], null),
      makeDoc('b', ['Talks resumed on Thursday in Porthaven, in March 2025, after a break on Tuesday.'], null),
      makeDoc('c', ['In December 2024 the first round collapsed on a Tuesday.'], null),
    ];
    const fps = docs.map(fingerprint);
    const tw = new TermWeights(fps, [0, 1, 2]);
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      tw.cosine(p, q);
      const want = dateAgreement(fps[p], fps[q]);
      const got = tw.dates(p, q);
      expect(got?.confidence).toBeCloseTo(want!.confidence, 6);
      expect(got?.cosine).toBeCloseTo(want!.cosine, 6);
    }
  });
});
