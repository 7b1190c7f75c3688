import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/fingerprint/index.js';
import { ascending, chooseCanonical } from '../../src/canonical/index.js';
import type { RepairRecord } from '../../src/types.js';
import { makeDoc } from './cluster-seed-docs.js';

const base = [
  'The city council of Brelmouth voted on Tuesday to close the old Harrow Street bridge after engineers found deep cracks in two of its piers.',
  'Council leader Ima Torvald said the bridge, built in 1888, would stay shut for at least six months while repairs were designed.',
  'About 9,000 vehicles cross the bridge every day. Buses will be diverted over the Kell Road crossing, the transport office said.',
  'Local shopkeepers warned that the closure would cut trade on the south bank, where footfall has already fallen since the spring.',
];
const extra = [
  'Residents packed the public gallery and several shouted at councillors as the vote was read out.',
  'A petition to keep the bridge open for pedestrians has gathered more than 2,000 signatures.',
];
const repairs = (n: number): RepairRecord[] =>
  Array.from({ length: n }, (_, i) => ({ line: i + 1, repair: 'space-before-punct', from: 'a ,', to: 'a,' }));

describe('chooseCanonical', () => {
  it('prefers the original over a copy that contains its text and adds little of its own', () => {
    // copy: the first two paragraphs of the original plus its own short intro (contained in the original mostly)
    const original = makeDoc('b.txt', [...base, ...extra]);
    const copy = makeDoc('a.txt', ['Brelmouth bridge shut.', ...base.slice(0, 2), 'More to follow on this developing story from our correspondent.']);
    const docs = [copy, original];
    const fps = docs.map(fingerprint);
    const choice = chooseCanonical([0, 1], docs, fps, [{ a: 0, b: 1, relation: 'near-duplicate' }]);
    expect(choice.index).toBe(1);
    expect(choice.why.join(' ')).toMatch(/original of a\.txt/);
  });

  it('prefers fewer repair artifacts over more content', () => {
    const long = makeDoc('a.txt', [...base, ...extra], null, repairs(8));
    const clean = makeDoc('b.txt', base, null, []);
    const docs = [long, clean];
    const fps = docs.map(fingerprint);
    const choice = chooseCanonical([0, 1], docs, fps, [{ a: 0, b: 1, relation: 'same-event' }]);
    expect(choice.index).toBe(1);
    expect(choice.why.join(' ')).toMatch(/repair/);
  });

  it('ignores a repair rate difference within tolerance and takes more content', () => {
    const long = makeDoc('a.txt', [...base, ...extra], null, repairs(0));
    const short = makeDoc('b.txt', base, null, []);
    const docs = [short, long];
    const fps = docs.map(fingerprint);
    const choice = chooseCanonical([0, 1], docs, fps, [{ a: 0, b: 1, relation: 'same-event' }]);
    expect(choice.index).toBe(1);
    expect(choice.why.join(' ')).toMatch(/most content/);
  });

  it('breaks ties by path order (lower index)', () => {
    const a = makeDoc('a.txt', base);
    const b = makeDoc('b.txt', base.map((p) => p.toUpperCase()));
    const docs = [a, b];
    const fps = docs.map(fingerprint);
    const choice = chooseCanonical([1, 0], docs, fps, [{ a: 0, b: 1, relation: 'exact' }]);
    expect(choice.index).toBe(0);
    expect(choice.why.join(' ')).toMatch(/first by path/);
  });

  it('explains a singleton', () => {
    const docs = [makeDoc('a.txt', base)];
    expect(chooseCanonical([0], docs, docs.map(fingerprint), [])).toEqual({ index: 0, why: ['only member of its cluster'] });
  });
  it('takes members in any order: ascending() gives the array itself when it is sorted, else a sorted copy', () => {
    const sorted = [1, 4, 9];
    expect(ascending(sorted)).toBe(sorted);
    const unsorted = [9, 1, 4];
    expect(ascending(unsorted)).toEqual([1, 4, 9]);
    expect(unsorted).toEqual([9, 1, 4]);
  });
});
