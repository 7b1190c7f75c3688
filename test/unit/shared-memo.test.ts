import { describe, expect, it } from 'vitest';
import { fingerprint, sharedShingles } from '../../src/fingerprint/index.js';
import { SharedCounts } from '../../src/canonical/shared-memo.js';
import { chooseCanonical } from '../../src/canonical/index.js';
import { makeDoc } from './cluster-seed-docs.js';

const base = [
  'The harbour board of Keswater met on Monday to approve a new ferry pier after divers found the old one rotten below the waterline.',
  'Board chair Odile Farrant said the pier, built in 1921, would close for eight weeks while the new one was driven into place.',
  'About 1,200 passengers use the crossing every day; a temporary landing stage will serve them from the fish quay.',
];
const docs = [makeDoc('a.txt', base.slice(0, 2)), makeDoc('b.txt', base)];
const fps = docs.map(fingerprint);
const truth = sharedShingles(fps[0], fps[1]);

describe('SharedCounts', () => {
  it('computes a count it does not hold, notes it under the two identities, and gives it back the same next run', () => {
    const first = SharedCounts.decode(undefined);
    expect(first.counter(['id-b', 'id-a'], fps)(0, 1)).toBe(truth);
    const bytes = first.encode();
    expect(Buffer.from(bytes).toString('utf8')).toBe(`id-a\tid-b\t${truth}`);
    // the next run: documents with those identities share what they shared (the fingerprints are not looked at)
    const empty = docs.map((d) => fingerprint(makeDoc(d.path, [])));
    const next = SharedCounts.decode(bytes);
    expect(next.changed()).toBe(true); // asked for nothing yet: would encode none
    expect(next.counter(['id-a', 'id-b'], empty)(1, 0)).toBe(truth);
    expect(Buffer.from(next.encode())).toEqual(Buffer.from(bytes));
    // every count given asked for, none computed: the bytes as they were, not encoded again
    expect(next.changed()).toBe(false);
    expect(first.changed()).toBe(true);
  });

  it('keeps only the pairs asked for in this run', () => {
    const memo = SharedCounts.decode(Buffer.from('x\ty\t5\nid-a\tid-b\t7'));
    expect(memo.counter(['id-a', 'id-b'], fps)(0, 1)).toBe(7);
    expect(Buffer.from(memo.encode()).toString('utf8')).toBe('id-a\tid-b\t7');
  });

  it('computes every count from bytes that do not parse, and for documents without an identity', () => {
    for (const bad of ['id-b\tid-a\t3', 'id-a\tid-b\t-1', 'id-a\tid-b\t2.5', 'id-a\tid-b', 'id-a\tid-b\t3\textra']) {
      expect(SharedCounts.decode(Buffer.from(bad)).counter(['id-a', 'id-b'], fps)(0, 1)).toBe(truth);
    }
    const memo = SharedCounts.decode(Buffer.from('id-a\tid-b\t7'));
    expect(memo.counter([undefined, 'id-b'], fps)(0, 1)).toBe(truth);
    expect(memo.encode().byteLength).toBe(0);
  });

  it('gives the canonical choice the counts it would compute', () => {
    const memo = SharedCounts.decode(undefined);
    const edges = [{ a: 0, b: 1, relation: 'near-duplicate' as const }];
    expect(chooseCanonical([0, 1], docs, fps, edges, memo.counter(['id-a', 'id-b'], fps))).toEqual(chooseCanonical([0, 1], docs, fps, edges));
  });
});
