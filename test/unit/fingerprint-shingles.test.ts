import { describe, expect, it } from 'vitest';
import { fingerprint, shingleHashes, intersectSize, KIND_NAME, termHash, KIND_DATE } from '../../src/fingerprint/index.js';
import { analyse, isHeadlineCase, plainWords, stem } from '../../src/fingerprint/tokenize.js';
import { makeDoc } from './cluster-seed-docs.js';

const text =
  'The river burst its banks near Lorca on Tuesday, forcing 1,200 residents from their homes. ' +
  'Mayor Ana Ruiz said the water rose by two metres overnight. “We have never seen anything like this,” she said. ' +
  'Emergency crews from Murcia were sent to help.';

describe('normalisation and exact hash', () => {
  it('ignores case, whitespace and punctuation', () => {
    const a = fingerprint(makeDoc('a', [text]));
    const b = fingerprint(makeDoc('b', [text.toUpperCase().replace(/ /g, '   ').replace(/,/g, ' ; ')]));
    expect(a.exact).toBe(b.exact);
    const c = fingerprint(makeDoc('c', [text.replace('Tuesday', 'Wednesday')]));
    expect(c.exact).not.toBe(a.exact);
  });

  it('plainWords folds diacritics', () => {
    expect(plainWords('Café  DÉJÀ-vu!')).toEqual(['cafe', 'deja', 'vu']);
  });
});

describe('shingles and containment', () => {
  it('are sorted, unique 32-bit hashes of word 3-grams', () => {
    const words = plainWords('a b c a b c a b c');
    const sh = shingleHashes(words);
    expect(sh.length).toBe(3); // abc, bca, cab
    for (let i = 1; i < sh.length; i++) expect(sh[i]).toBeGreaterThan(sh[i - 1]);
  });

  it('measure a partial copy by containment', () => {
    const original = plainWords(text);
    const copy = [...original.slice(0, 20), ...plainWords('an entirely different second half written by another newsroom about the weather')];
    const a = shingleHashes(original);
    const b = shingleHashes(copy);
    const shared = intersectSize(a, b);
    expect(shared).toBe(18);
    const containment = shared / Math.min(a.length, b.length);
    const jaccard = shared / (a.length + b.length - shared);
    expect(containment).toBeGreaterThan(0.5);
    expect(jaccard).toBeLessThan(containment);
  });
});

describe('event features', () => {
  it('finds names that are not at a sentence start, numbers, dates and quotations', () => {
    const a = analyse([text], null);
    const kind = (t: string) => a.terms.filter((x) => x.term === t).reduce((k, x) => k | x.kind, 0);
    expect(kind('lorca') & KIND_NAME).toBeTruthy();
    expect(kind('ruiz') & KIND_NAME).toBeTruthy();
    expect(kind('murcia') & KIND_NAME).toBeTruthy();
    expect(kind('tuesday') & KIND_DATE).toBeTruthy();
    expect(a.terms.some((x) => x.term === 'emergency' && x.kind & KIND_NAME)).toBe(false); // sentence start
    expect(a.terms.some((x) => x.term === '1')).toBe(true);
    expect(a.quotes).toEqual([['we', 'have', 'never', 'seen', 'anything', 'like', 'this']]);
  });

  it('does not take a name after Mr. or an initial as a sentence start', () => {
    const a = analyse(['Officials met Mr. Burns and William J. Burns later. Burns spoke.'], null);
    expect(a.names).toContain('Burns');
    expect(a.terms.filter((t) => t.term === 'burns' && t.kind & KIND_NAME).length).toBe(3);
  });

  it('matches hyphenated and closed compounds', () => {
    const a = analyse(['talks on a cease-fire'], null).terms.map((t) => t.term);
    const b = analyse(['talks on a ceasefire'], null).terms.map((t) => t.term);
    expect(a).toContain(stem('ceasefire'));
    expect(b).toContain(stem('ceasefire'));
    expect(a).toContain(stem('cease'));
  });

  it('matches inflected forms', () => {
    expect(stem('arrested')).toBe(stem('arrests'));
    expect(stem('killing')).toBe(stem('killed'));
    expect(stem('cities')).toBe(stem('city'));
  });

  it('keeps fingerprints compact and typed', () => {
    const fp = fingerprint(makeDoc('x', [text], 'Flood in Lorca'));
    expect(fp.shingles).toBeInstanceOf(Uint32Array);
    expect(fp.terms).toBeInstanceOf(Uint32Array);
    expect(fp.counts.length).toBe(fp.terms.length);
    expect(fp.title.length).toBeGreaterThan(0);
    expect([...fp.terms]).toContain(termHash('lorca'));
    expect(fp.quotes.length).toBeGreaterThan(0);
    expect(fingerprint(makeDoc('x', [text], 'Flood in Lorca'))).toEqual(fp);
  });
});

describe('headline-case lines', () => {
  it('are recognised, and their capitals do not make names', () => {
    expect(isHeadlineCase('Magnitude 4.6 Earthquake Shakes Up North Bay')).toBe(true);
    expect(isHeadlineCase('Officials met Mr. Burns and William J. Burns later. Burns spoke.')).toBe(false);
    expect(isHeadlineCase('The river burst its banks near Lorca on Tuesday')).toBe(false);
    const a = analyse(['Magnitude 4.6 Earthquake Shakes Up North Bay', 'An earthquake shook the North Bay near Healdsburg on Thursday.'], null);
    const kind = (t: string) => a.terms.filter((x) => x.term === t).reduce((k, x) => k | x.kind, 0);
    expect(kind(stem('earthquake')) & KIND_NAME).toBeFalsy();
    expect(a.terms.filter((x) => x.term === stem('earthquake')).length).toBe(2); // headline and body forms meet
    expect(kind('healdsburg') & KIND_NAME).toBeTruthy();
    expect(kind('bay') & KIND_NAME).toBeTruthy(); // a name in the body, so also in the headline
  });
});
