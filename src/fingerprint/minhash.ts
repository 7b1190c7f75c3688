// One-permutation MinHash with optimal densification (Shrivastava 2017) over 32-bit shingle hashes,
// and LSH band keys. In-house: typed arrays, fmix32 mixing, fully deterministic.
import { combine, fmix32 } from './hash.js';

/** Number of MinHash slots (a power of two). */
export const MINHASH_SLOTS = 128;
const SLOT_BITS = 7;
const SEED_BIN = 0x3c6ef372;
const SEED_VAL = 0xa54ff53a;
const EMPTY = 0xffffffff;

/** MinHash signature of a set of 32-bit shingle hashes. An empty set gives an all-EMPTY signature. */
export function minhash(shingles: ArrayLike<number>): Uint32Array {
  const k = MINHASH_SLOTS;
  const sig = new Uint32Array(k).fill(EMPTY);
  const filled = new Uint8Array(k);
  for (let i = 0; i < shingles.length; i++) {
    const h = shingles[i];
    const bin = fmix32(h ^ SEED_BIN) >>> (32 - SLOT_BITS);
    const v = fmix32((h ^ SEED_VAL) + 0x61c88647);
    if (v < sig[bin] || !filled[bin]) {
      sig[bin] = v;
      filled[bin] = 1;
    }
  }
  if (shingles.length === 0) return sig;
  // densify: each empty slot copies a filled slot chosen by a slot-seeded probe sequence
  const out = sig.slice();
  for (let i = 0; i < k; i++) {
    if (filled[i]) continue;
    let attempt = 1;
    for (;;) {
      const j = fmix32(combine(i + 1, attempt)) >>> (32 - SLOT_BITS);
      if (filled[j]) {
        out[i] = fmix32(sig[j] ^ Math.imul(attempt, 0x9e3779b1));
        break;
      }
      attempt++;
    }
  }
  return out;
}

/** Estimated Jaccard similarity: share of equal slots. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let eq = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) eq++;
  return eq / a.length;
}

/** LSH parameters: bands × rows = MINHASH_SLOTS. 32 × 4 makes pairs with J ≈ 0.42 candidates half the time. */
export const LSH_BANDS = 32;
export const LSH_ROWS = 4;

/** One 32-bit key per band (band index mixed in, so keys of different bands never need separating). */
export function bandKeys(sig: Uint32Array, bands = LSH_BANDS, rows = LSH_ROWS): Uint32Array {
  const keys = new Uint32Array(bands);
  for (let b = 0; b < bands; b++) {
    let h = fmix32(b + 0x1000193);
    for (let r = 0; r < rows; r++) h = combine(h, sig[b * rows + r]);
    keys[b] = h;
  }
  return keys;
}

/** Probability that a pair with Jaccard similarity j becomes an LSH candidate. */
export function candidateProbability(j: number, bands = LSH_BANDS, rows = LSH_ROWS): number {
  return 1 - Math.pow(1 - Math.pow(j, rows), bands);
}
