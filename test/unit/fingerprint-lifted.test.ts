// What the cleaner lifts out of the body (headline, standfirst, date lines, time stamps) stays event evidence: the
// event terms and named dates are the same whether a line was lifted or left in the body.
import { describe, expect, it } from 'vitest';
import { fingerprint, isTimeStamp, KIND_NAME, KIND_TITLE, termHash, type DocFingerprint } from '../../src/fingerprint/index.js';
import { cleanText } from '../../src/clean/index.js';
import { makeDoc } from './cluster-seed-docs.js';
import type { CleanDoc } from '../../src/types.js';

const body = [
  'Firefighters battled a blaze at the Hartwell warehouse in Arlenbury on Tuesday night.',
  'Chief Dana Okafor said the roof collapsed shortly after midnight and no one was hurt.',
];

/** Event evidence of a fingerprint: term -> kind without the title flag, and the named days. */
function evidence(fp: DocFingerprint) {
  const kinds = new Map<number, number>();
  fp.terms.forEach((t, i) => kinds.set(t, fp.kinds[i] & ~KIND_TITLE));
  return { kinds, counts: [...fp.counts], calendar: [...fp.calendar] };
}

describe('lifted lines', () => {
  it('a title is analysed by the body rules: same terms, kinds and counts as the same line left in the body', () => {
    const title = 'Okafor says Hartwell warehouse roof fell on March 4';
    const lifted = fingerprint(makeDoc('a', body, title));
    const inBody = fingerprint(makeDoc('b', [title, ...body]));
    expect(evidence(lifted)).toEqual(evidence(inBody));
    // a capitalised word mid-sentence in a sentence-case title is a name, as it would be in the body
    const okafor = [...lifted.terms].indexOf(termHash('okafor'));
    expect(lifted.kinds[okafor] & KIND_NAME).toBeTruthy();
    expect(lifted.kinds[okafor] & KIND_TITLE).toBeTruthy();
    expect(lifted.calendar.length).toBe(1); // "March 4" in the title is a named date
  });

  it('a date line the cleaner removed still counts as a named date and date terms, once', () => {
    const raw = ['Warehouse fire in Arlenbury', '', 'December 16, 2008', '', ...body].join('\n');
    const doc = cleanText('x.txt', raw, 'text');
    expect(doc.meta.date).toBe('December 16, 2008');
    expect(doc.removed.some((r) => r.rule === 'date-line')).toBe(true);
    const fp = fingerprint(doc);
    const plain = fingerprint(makeDoc('p', [doc.meta.title!, 'December 16, 2008', ...body]));
    expect(evidence(fp)).toEqual(evidence(plain));
    // counted as text, not a second time as the publication day
    expect(fp.day).toBeNull();
  });

  it('a publication date that was never body text stays the publication day', () => {
    const doc: CleanDoc = { ...makeDoc('h', body), meta: { ...makeDoc('h', body).meta, date: '2008-12-16' } };
    expect(fingerprint(doc).day).toBe(Math.floor(Date.parse('2008-12-16') / 86_400_000));
  });

  it('a time stamp removed as a site-template line is read; other template lines are not', () => {
    const base = makeDoc('t', body);
    const stamp: CleanDoc = { ...base, removed: [{ line: 1, rule: 'template-line', text: 'Updated 4 / 9 / 2007 6: 04 PM' }] };
    const furniture: CleanDoc = { ...base, removed: [{ line: 1, rule: 'template-line', text: 'Subscribe to the Arlenbury Courier 2007' }] };
    expect([...fingerprint(stamp).terms]).toContain(termHash('2007'));
    expect(evidence(fingerprint(furniture))).toEqual(evidence(fingerprint(base)));
  });

  it('a standfirst lifted as meta.dek is read like the body', () => {
    const dek = 'Warehouse was one of the last original buildings of the Matanuska Colony';
    const base = makeDoc('d', body);
    const lifted: CleanDoc = { ...base, meta: { ...base.meta, dek } };
    expect(evidence(fingerprint(lifted))).toEqual(evidence(fingerprint(makeDoc('e', [...body, dek]))));
  });

  it('recognises time stamps', () => {
    for (const s of ['21 July 2013 Last updated at 11: 11 GMT', 'Updated 4/9/2007 6:04 PM', '2013 - 09 - 26', 'Sun., Aug. 4, 2013 11: 29 AM PDT', 'November 14, 2011|12: 35 pm'])
      expect(isTimeStamp(s), s).toBe(true);
    for (const s of ['Copyright 2013 Arlenbury Courier', 'Updated', 'Page 2 of 3 comments', '4 dead in Arlenbury fire'])
      expect(isTimeStamp(s), s).toBe(false);
  });
});
