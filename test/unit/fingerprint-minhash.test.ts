import { describe, expect, it } from 'vitest';
import {
  bandKeys,
  candidateProbability,
  estimateJaccard,
  minhash,
  MINHASH_SLOTS,
} from '../../src/fingerprint/minhash.js';
import { fmix32, sortUnique } from '../../src/fingerprint/hash.js';

/** Deterministic pseudo-random uint32 stream. */
function stream(seed: number) {
  let s = seed >>> 0;
  return () => (s = fmix32(s + 0x9e3779b9));
}

/** Two sets of `size` hashes sharing `common` of them (so J = common / (2 size - common)). */
function pair(size: number, common: number, seed: number): [Uint32Array, Uint32Array] {
  const next = stream(seed);
  const shared = Array.from({ length: common }, next);
  const a = [...shared, ...Array.from({ length: size - common }, next)];
  const b = [...shared, ...Array.from({ length: size - common }, next)];
  return [sortUnique(a), sortUnique(b)];
}

describe('MinHash (one-permutation, densified)', () => {
  it('has MINHASH_SLOTS slots and is deterministic', () => {
    const [a] = pair(500, 100, 1);
    const s1 = minhash(a);
    const s2 = minhash(Uint32Array.from(a));
    expect(s1.length).toBe(MINHASH_SLOTS);
    expect([...s1]).toEqual([...s2]);
  });

  it('identical sets share every slot and every LSH bucket', () => {
    const [a] = pair(300, 0, 7);
    expect(estimateJaccard(minhash(a), minhash(a.slice()))).toBe(1);
    expect([...bandKeys(minhash(a))]).toEqual([...bandKeys(minhash(a.slice()))]);
  });

  it('fills every slot even for tiny sets (densification)', () => {
    const sig = minhash(Uint32Array.from([1, 2, 3]));
    expect(sig.every((v) => v !== 0xffffffff)).toBe(true);
  });

  for (const [common, label] of [
    [0, 'J=0'],
    [333, 'J=0.2'],
    [667, 'J=0.5'],
    [889, 'J=0.8'],
  ] as const) {
    it(`estimates Jaccard within tolerance (${label})`, () => {
      const size = 1000;
      const truth = common / (2 * size - common);
      let total = 0;
      const runs = 5;
      for (let seed = 0; seed < runs; seed++) {
        const [a, b] = pair(size, common, 100 + seed);
        const est = estimateJaccard(minhash(a), minhash(b));
        expect(Math.abs(est - truth)).toBeLessThan(0.16);
        total += est;
      }
      expect(Math.abs(total / runs - truth)).toBeLessThan(0.07);
    });
  }

  it('bands for a lower threshold than it decides at', () => {
    expect(candidateProbability(0.8)).toBeGreaterThan(0.99);
    expect(candidateProbability(0.5)).toBeGreaterThan(0.8);
    expect(candidateProbability(0.1)).toBeLessThan(0.01);
  });

  it('similar sets usually share at least one bucket, unrelated ones do not', () => {
    let sharedSimilar = 0;
    let sharedUnrelated = 0;
    for (let seed = 0; seed < 20; seed++) {
      const [a, b] = pair(400, 360, seed); // J ≈ 0.82
      const ka = bandKeys(minhash(a));
      const kb = bandKeys(minhash(b));
      if (ka.some((k, i) => k === kb[i])) sharedSimilar++;
      const [c, d] = pair(400, 0, 1000 + seed);
      const kc = bandKeys(minhash(c));
      const kd = bandKeys(minhash(d));
      if (kc.some((k, i) => k === kd[i])) sharedUnrelated++;
    }
    expect(sharedSimilar).toBe(20);
    expect(sharedUnrelated).toBe(0);
  });
});
