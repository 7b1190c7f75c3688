import { describe, expect, it } from 'vitest';
import { fingerprint, shingleHashes, intersectSize, sharedShingles, SHINGLE_CAP, QUOTE_CAP, KIND_NAME, termHash, KIND_DATE } from '../../src/fingerprint/index.js';
import { analyse, isHeadlineCase, plainWords, stem } from '../../src/fingerprint/tokenize.js';
import { makeDoc } from './cluster-seed-docs.js';
import { clusterDocs } from '../../src/cluster/index.js';

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

describe('the shingle sketch of a long text (SHINGLE_CAP)', () => {
  // A pseudo-random text of `n` words over a large vocabulary: its 3-grams are all distinct.
  const longWords = (n: number, seed: number): string[] => {
    let x = seed >>> 0;
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      out.push(`w${(x >>> 8) % 50000}`);
    }
    return out;
  };
  const fpOf = (words: string[]) => fingerprint(makeDoc('x', [words.join(' ')]));

  it('keeps at most SHINGLE_CAP hashes, the smallest, and the true count', () => {
    const words = longWords(60_000, 1);
    const fp = fpOf(words);
    const all = shingleHashes(plainWords(words.join(' ')));
    expect(fp.shingleCount).toBe(all.length);
    expect(fp.shingles.length).toBe(SHINGLE_CAP);
    expect([...fp.shingles]).toEqual([...all.subarray(0, SHINGLE_CAP)]);
    expect(fp.shingles.byteLength).toBeLessThanOrEqual(16 * 1024);
  });

  it('counts shared 3-grams exactly when neither sketch was cut', () => {
    const a = fpOf(longWords(2000, 2));
    const b = fpOf([...longWords(2000, 2).slice(0, 1200), ...longWords(600, 3)]);
    expect(a.shingles.length).toBe(a.shingleCount);
    expect(sharedShingles(a, b)).toBe(intersectSize(a.shingles, b.shingles));
  });

  it('estimates what a long original shares with a short excerpt and with an edited copy', () => {
    const original = longWords(40_000, 4);
    const excerpt = original.slice(30_000, 32_000); // 2,000 words from near the end
    const edited = original.map((w, i) => (i % 50 === 0 ? `edit${i}` : w)); // one word in 50 changed
    const exact = (x: string[], y: string[]) => intersectSize(shingleHashes(plainWords(x.join(' '))), shingleHashes(plainWords(y.join(' '))));
    for (const other of [excerpt, edited]) {
      const truth = exact(original, other);
      const estimate = sharedShingles(fpOf(original), fpOf(other));
      expect(Math.abs(estimate - truth) / truth).toBeLessThan(0.1);
    }
    // Unrelated long texts share nothing.
    expect(sharedShingles(fpOf(original), fpOf(longWords(40_000, 5)))).toBeLessThan(50);
  });

  it('cuts the quotation 3-grams the same way (QUOTE_CAP), keeping their true count', () => {
    const quoted = longWords(12_000, 8);
    const fp = fingerprint(makeDoc('q', [`The minister said: “${quoted.join(' ')}.”`]));
    expect(fp.quotes.length).toBe(QUOTE_CAP);
    expect(fp.quoteCount).toBeGreaterThan(10_000);
    const short = fingerprint(makeDoc('s', [text]));
    expect(short.quoteCount).toBe(short.quotes.length);
  });

  it('still finds a short excerpt of a book-length page as its near-duplicate', () => {
    const original = longWords(40_000, 6);
    const fps = [fpOf(original), fpOf(original.slice(20_000, 21_500)), fpOf(longWords(1500, 7))];
    const groups = clusterDocs(fps);
    expect(groups.map((g) => g.members)).toEqual([[0, 1], [2]]);
    expect(groups[0].edges[0].relation).toBe('near-duplicate');
  });
});
