import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/fingerprint/index.js';
import { clusterDocs, clusterDocsAsync } from '../../src/cluster/index.js';
import { NEVER, Slicer, runAsync, sortSteps } from '../../src/cluster/slice.js';
import { fmix32 } from '../../src/fingerprint/hash.js';
import { makeDoc, readSeedDocs, syntheticArticle } from './cluster-seed-docs.js';

/** A corpus with unrelated articles, stories told several times, exact copies and edited copies. */
function corpus(n: number) {
  const docs = [];
  for (let i = 0; i < n; i++) docs.push(makeDoc(`d${i}`, syntheticArticle(i + 1, i % 3 === 0 ? Math.floor(i / 9) : 100000 + i), null));
  for (let i = 0; i < n / 10; i++) {
    const copy = syntheticArticle(i * 7 + 1, (i * 7) % 3 === 0 ? Math.floor((i * 7) / 9) : 100000 + i * 7);
    docs.push(makeDoc(`copy${i}`, copy, null));
    copy[2] = 'edited ' + copy[2];
    docs.push(makeDoc(`edit${i}`, copy.slice(0, 3), null));
  }
  return docs.map(fingerprint);
}

describe('clusterDocsAsync', () => {
  it('gives exactly the result of clusterDocs on the seeds', async () => {
    const fps = readSeedDocs().map(fingerprint);
    expect(await clusterDocsAsync(fps)).toEqual(clusterDocs(fps));
    // a zero-length slice yields at every checkpoint: the result still does not change
    expect(await clusterDocsAsync(fps, { sliceMs: 0 })).toEqual(clusterDocs(fps));
  });

  it('gives the same result on a larger corpus, at every slice length and threshold', async () => {
    const fps = corpus(1500);
    const sync = clusterDocs(fps);
    expect(sync.some((g) => g.members.length > 2)).toBe(true);
    expect(await clusterDocsAsync(fps)).toEqual(sync);
    expect(await clusterDocsAsync(fps, { sliceMs: 0 })).toEqual(sync);
    expect(await clusterDocsAsync(fps, { sliceMs: 1, threshold: 0.4 })).toEqual(clusterDocs(fps, { threshold: 0.4 }));
  });

  it('lets timers fire while it runs', async () => {
    const fps = corpus(3000);
    const t0 = performance.now();
    clusterDocs(fps);
    const syncMs = performance.now() - t0;
    let ticks = 0;
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 1);
    const t1 = performance.now();
    last = t1;
    let ticksWhileClustering = -1;
    const groups = await clusterDocsAsync(fps, { sliceMs: 10 }).then((g) => {
      ticksWhileClustering = ticks;
      return g;
    });
    clearInterval(timer);
    const asyncMs = performance.now() - t1;
    expect(groups.length).toBeGreaterThan(0);
    expect(ticksWhileClustering).toBeGreaterThan(2);
    // on an idle machine the gaps stay near the slice; allow for a loaded CI machine
    expect(maxGap).toBeLessThan(Math.max(250, syncMs / 2));
    expect(asyncMs).toBeLessThan(syncMs * 3 + 500);
  }, 60_000);
});

describe('sortSteps', () => {
  it('sorts like Float64Array.prototype.sort, in steps', async () => {
    let s = 12345;
    const next = () => (s = fmix32(s + 0x9e3779b9));
    for (const n of [0, 1, 1000, (1 << 18) + 1, 700_001]) {
      const a = Float64Array.from({ length: n }, () => (next() % 5000) * 4096 + (next() % 4096));
      const want = a.slice().sort();
      const slicer = new Slicer(0);
      const got = await runAsync(sortSteps(a, slicer), slicer);
      expect(got).toBe(a);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
    }
  });

  it('sorts every kind of double like the native sort, straight through or sliced, views included', async () => {
    let s = 777;
    const next = () => (s = fmix32(s + 0x9e3779b9));
    const kinds: [string, () => number][] = [
      ['packed 52-bit keys', () => (next() >>> 12) * 2 ** 32 + next()],
      ['pair keys lo * m + hi', () => (next() % 100_000) * 100_000 + (next() % 100_000)],
      ['few distinct', () => next() % 3],
      ['fractions and huge', () => (next() / 2 ** 32) * 10 ** ((next() % 600) - 300)],
      ['with zeros and infinity', () => [0, Infinity, next()][next() % 3]],
      ['negative and -0 (native fallback)', () => [-0, 0, -next(), next()][next() % 4]],
    ];
    for (const [name, gen] of kinds)
      for (const n of [4095, 4096, 5000, 200_001]) {
        const whole = Float64Array.from({ length: n + 3 }, gen);
        for (const slicer of [NEVER, new Slicer(0)]) {
          const a = whole.slice().subarray(2, n + 2);
          const want = a.slice().sort();
          const got = await runAsync(sortSteps(a, slicer), slicer);
          expect(got, name).toBe(a);
          expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(want.buffer)), `${name} ${n}`).toBe(true);
        }
      }
  });
});
