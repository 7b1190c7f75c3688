// Small, dependency-free 32-bit hashing used by every fingerprint feature.
// All functions are pure and deterministic across platforms (Math.imul, unsigned shifts).

/** MurmurHash3 finaliser: a fast, well-mixing bijection on 32-bit integers. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit hash of a string (UTF-16 code units, murmur-style mixing), with an optional seed. */
export function hashString(s: string, seed = 0x9747b28c): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    let k = s.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= s.length;
  return fmix32(h);
}

/** Combine two 32-bit hashes into one (order-sensitive). */
export function combine(a: number, b: number): number {
  return fmix32((Math.imul(a ^ 0x27d4eb2f, 0x165667b1) + b) | 0);
}

/** 64-bit content hash of a string as 16 hex characters (two independently seeded 32-bit hashes). */
export function hash64Hex(s: string): string {
  const a = hashString(s, 0x1234567);
  const b = hashString(s, 0x7654321 ^ s.length);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** Sort a Uint32Array ascending and drop duplicates; returns a new, exactly sized array. */
export function sortUnique(values: ArrayLike<number>, length = values.length): Uint32Array {
  const arr = new Uint32Array(length);
  for (let i = 0; i < length; i++) arr[i] = values[i];
  arr.sort();
  let w = 0;
  for (let i = 0; i < arr.length; i++) {
    if (i === 0 || arr[i] !== arr[i - 1]) arr[w++] = arr[i];
  }
  return arr.slice(0, w);
}

/** Size of the intersection of two ascending, duplicate-free arrays (linear merge, branch-free advance). */
export function intersectSize(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let i = 0;
  let j = 0;
  let n = 0;
  const la = a.length;
  const lb = b.length;
  while (i < la && j < lb) {
    const x = a[i];
    const y = b[j];
    n += x === y ? 1 : 0;
    i += x <= y ? 1 : 0;
    j += y <= x ? 1 : 0;
  }
  return n;
}
