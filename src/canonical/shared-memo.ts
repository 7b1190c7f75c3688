// The shared word 3-gram counts the canonical choice asks for, kept from the last run (with --cache): a count depends
// on nothing but the two fingerprints, so two documents whose results are as they were (the same cache keys) share
// what they shared then. A warm run then reads no 3-gram sketch for a cluster that did not change.
import { sharedShingles, type DocFingerprint } from '../fingerprint/index.js';
import type { SharedCount } from './index.js';

export class SharedCounts {
  /** This run's counts, by pair of identities: what the next run is given. */
  private readonly now = new Map<string, number>();
  /** Counts this run computed (not taken from the last run). */
  private computed = 0;

  private constructor(private readonly before: ReadonlyMap<string, number>) {}

  /** The counts stored in `bytes` (none when there are none, or when they do not parse: then every count is computed). */
  static decode(bytes: Uint8Array | undefined): SharedCounts {
    const before = new Map<string, number>();
    if (bytes && bytes.byteLength > 0) {
      for (const line of Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').split('\n')) {
        const [a, b, n, extra] = line.split('\t');
        const count = Number(n);
        if (extra !== undefined || !a || !b || a > b || !Number.isInteger(count) || count < 0) return new SharedCounts(new Map());
        before.set(pairKey(a, b), count);
      }
    }
    return new SharedCounts(before);
  }

  /**
   * sharedShingles of two documents (indices into ids and fps), from the last run when both have the identities it
   * knew, else computed; either way noted for the next run. A document without an identity (standard input) is
   * always computed and never noted.
   */
  counter(ids: readonly (string | undefined)[], fps: readonly DocFingerprint[]): SharedCount {
    return (a, b) => {
      const x = ids[a];
      const y = ids[b];
      if (x === undefined || y === undefined) return sharedShingles(fps[a], fps[b]);
      const key = x <= y ? pairKey(x, y) : pairKey(y, x);
      let count = this.now.get(key) ?? this.before.get(key);
      if (count === undefined) {
        count = sharedShingles(fps[a], fps[b]);
        this.computed++;
      }
      this.now.set(key, count);
      return count;
    };
  }

  /**
   * Whether encode() would give other bytes than the counts decoded: this run computed a count, or did not ask for every
   * one it was given. A run whose clusters are as they were asks for the same counts, and need not encode them again.
   */
  changed(): boolean {
    return this.computed > 0 || this.now.size !== this.before.size;
  }

  /** This run's counts as bytes: a line per pair, "id\tid\tcount", in key order (the same counts, the same bytes). */
  encode(): Uint8Array {
    const lines = [...this.now].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0)).map(([key, n]) => `${key}\t${n}`);
    return Buffer.from(lines.join('\n'));
  }
}

/** Cache keys are base64: no tab in them. */
const pairKey = (lo: string, hi: string): string => `${lo}\t${hi}`;
