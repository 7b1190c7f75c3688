import { describe, expect, it } from 'vitest';
import { cleanText, renderArticle } from '../../src/clean/index.js';
import { isCreditLine, looksLikeHeadline, parseByline, parseDateLine, parseDateline, parseSyndicationFooter } from '../../src/clean/metadata.js';
import type { HtmlMeta } from '../../src/types.js';

const P1 = 'Officials in the river town said on Tuesday that the new bridge would open in spring, after years of delays.';
const P2 = 'The mayor said the ribbon would be cut by the oldest resident of the town, a retired ferry pilot.';
const P3 = 'Construction crews are still working on the approach roads, and some lanes will stay closed until summer.';

const html = (over: Partial<HtmlMeta>): HtmlMeta => ({ title: null, byline: null, date: null, url: null, source: null, description: null, ...over });

describe('metadata recognisers', () => {
  it('syndication footers', () => {
    expect(parseSyndicationFooter('The post Ferry Fares Rise appeared first on Coastal Ledger.')).toEqual({ title: 'Ferry Fares Rise', source: 'Coastal Ledger' });
    expect(parseSyndicationFooter('Source: Read More')).toEqual({});
    expect(parseSyndicationFooter('Source: Harbor Wire')).toEqual({ source: 'Harbor Wire' });
    expect(parseSyndicationFooter('Source material came from court filings and interviews with residents.')).toBeNull();
  });
  it('bylines', () => {
    expect(parseByline('By Jane Doe')).toBe('Jane Doe');
    expect(parseByline('By JANE DOE and JOHN ROE')).toBe('JANE DOE and JOHN ROE');
    expect(parseByline('by the river, a crowd gathered')).toBeNull();
    expect(parseByline('By Monday, the talks had collapsed.')).toBeNull();
  });
  it('date lines', () => {
    expect(parseDateLine('Published Nov. 3, 2024')).toBe('Nov. 3, 2024');
    expect(parseDateLine('Updated 5:02 PM ET')).toBe('5:02 PM ET');
    expect(parseDateLine('Nov. 3 was a Sunday.')).toBeNull();
  });
  it('datelines', () => {
    expect(parseDateline('CAIRO (Reuters) — Talks resumed on Thursday.')).toBe('CAIRO (Reuters)');
    expect(parseDateline('WASHINGTON — The Senate voted on Friday.')).toBe('WASHINGTON');
    expect(parseDateline('BEIRUT, Lebanon — Strikes continued overnight.')).toBe('BEIRUT, Lebanon');
    expect(parseDateline('(AP) — A storm hit the coast.')).toBe('(AP)');
    expect(parseDateline('PORTHAVEN, March 4 — Striking dockworkers reached a deal.')).toBe('PORTHAVEN, March 4');
    expect(parseDateline('LONDON, 4 March 2024 — Trains ran late.')).toBe('LONDON, 4 March 2024');
    expect(parseDateline('CAIRO, Jan. 5, 2024 (AP) — Talks resumed.')).toBe('CAIRO, Jan. 5, 2024 (AP)');
    expect(parseDateline('BEIRUT, Lebanon, May 2 — Strikes continued.')).toBe('BEIRUT, Lebanon, May 2');
    expect(parseDateline('A — well, nobody knew.')).toBeNull();
    expect(parseDateline('The talks — which began in May — stalled.')).toBeNull();
  });
  it('headlines', () => {
    expect(looksLikeHeadline('River Town Opens Its New Bridge')).toBe(true);
    expect(looksLikeHeadline('Is the bridge worth the wait?')).toBe(true);
    expect(looksLikeHeadline(P1)).toBe(false);
    expect(looksLikeHeadline('the lower-case start of a fragment')).toBe(false);
  });
});

describe('metadata lifted by cleanText', () => {
  it('byline, date line and credits leave the body but stay in meta; dateline is recorded and kept', () => {
    const text = ['River Town Opens Its New Bridge', 'By Jane Doe and John Roe', 'Published Nov. 3, 2024', `WASHINGTON — ${P1}`, P2, P3, 'Ana Ruiz contributed reporting.'].join('\n');
    const doc = cleanText('a.txt', text, 'text');
    expect(doc.meta).toMatchObject({
      title: 'River Town Opens Its New Bridge',
      byline: 'Jane Doe and John Roe',
      date: 'Nov. 3, 2024',
      dateline: 'WASHINGTON',
      credits: ['Ana Ruiz contributed reporting.'],
    });
    expect(doc.removed.map((r) => r.rule)).toEqual(['byline', 'date-line', 'credit-line']);
    expect(doc.paragraphs[0]).toBe(`WASHINGTON — ${P1}`);
  });

  it('"Posted by NAME on DATE" gives both byline and date', () => {
    const doc = cleanText('a.txt', ['River Town Opens Its New Bridge', 'Posted by Ana Ruiz on March 4, 2021, 6:21 AM EST', P1, P2].join('\n'), 'text');
    expect(doc.meta.byline).toBe('Ana Ruiz');
    expect(doc.meta.date).toBe('March 4, 2021, 6:21 AM EST');
  });

  it('title: skips leading boilerplate; a period-ended first line is not a title', () => {
    expect(cleanText('a.txt', ['Buy Now', 'Quantity', 'River Town Opens Its New Bridge', P1, P2].join('\n'), 'text').meta.title).toBe('River Town Opens Its New Bridge');
    const none = cleanText('a.txt', [P1, P2, P3].join('\n'), 'text');
    expect(none.meta.title).toBeNull();
    expect(none.paragraphs).toEqual([P1, P2, P3]);
  });

  it('title from a syndication footer when the body has none; the body title wins otherwise', () => {
    const footer = 'The post Bridge Opens at Last appeared first on Coastal Ledger.';
    expect(cleanText('a.txt', [P1, P2, footer].join('\n'), 'text').meta).toMatchObject({ title: 'Bridge Opens at Last', source: 'Coastal Ledger' });
    expect(cleanText('a.txt', ['River Town Opens Its New Bridge', P1, footer].join('\n'), 'text').meta.title).toBe('River Town Opens Its New Bridge');
  });

  it('"Source: …" under a table or amid the paragraphs credits the figures and stays; at the foot it names the outlet', () => {
    const table = ['River Town Opens Its New Bridge', P1, 'Year | Crossings', '2023 | 4,100', '2024 | 5,300', 'Source: County Statistics Office', P2, P3].join('\n');
    const underTable = cleanText('a.txt', table, 'text');
    expect(underTable.meta.source).toBeNull();
    expect(underTable.paragraphs).toContain('Source: County Statistics Office');
    expect(underTable.removed.map((r) => r.text)).not.toContain('Source: County Statistics Office');
    const amid = cleanText('a.txt', ['River Town Opens Its New Bridge', P1, P2, 'Source: County Statistics Office', P3].join('\n'), 'text');
    expect(amid.meta.source).toBeNull();
    expect(amid.paragraphs).toContain('Source: County Statistics Office');
    // cleaning the output again keeps it: the same neighbours are there
    const again = cleanText('b.txt', renderArticle(amid), 'text');
    expect(again.paragraphs).toEqual(amid.paragraphs);
    const foot = cleanText('a.txt', ['River Town Opens Its New Bridge', P1, P2, P3, 'Source: Harbor Wire'].join('\n'), 'text');
    expect(foot.meta.source).toBe('Harbor Wire');
    expect(foot.paragraphs).not.toContain('Source: Harbor Wire');
  });

  it('html: the body line equal to the page title is lifted, not duplicated; html meta fills the rest', () => {
    const meta = html({ title: 'River Town Opens Its New Bridge | Coastal Ledger', byline: 'Jane Doe', url: 'https://example.org/a', source: 'Coastal Ledger', date: '2024-11-03' });
    const doc = cleanText('a.html', ['River Town Opens Its New Bridge', '', P1, '', P2].join('\n'), 'html', { htmlMeta: meta });
    expect(doc.meta).toMatchObject({ title: 'River Town Opens Its New Bridge', byline: 'Jane Doe', url: 'https://example.org/a', source: 'Coastal Ledger', date: '2024-11-03' });
    expect(doc.paragraphs).toEqual([P1, P2]);
    expect(doc.removed).toEqual([]);
  });

  it('html: without a matching body line the page title is used and the body is untouched', () => {
    const doc = cleanText('a.html', [P1, '', P2].join('\n'), 'html', { htmlMeta: html({ title: 'River Town Opens Its New Bridge' }) });
    expect(doc.meta.title).toBe('River Town Opens Its New Bridge');
    expect(doc.paragraphs).toEqual([P1, P2]);
  });

  it('dek: a one-sentence standfirst without a final period after the title (conservative)', () => {
    const dek = 'After four years of delays and two floods the crossing finally opens to traffic';
    const doc = cleanText('a.txt', ['River Town Opens Its New Bridge', dek, P1, P2].join('\n'), 'text');
    expect(doc.meta.dek).toBe(dek);
    expect(doc.paragraphs).toEqual([P1, P2]);
    // A normal first paragraph (ends with a period) is not a dek.
    expect(cleanText('a.txt', ['River Town Opens Its New Bridge', P1, P2].join('\n'), 'text').meta.dek).toBeNull();
  });

  it('renderArticle: title, blank line, paragraphs separated by blank lines, trailing newline', () => {
    const doc = cleanText('a.txt', ['River Town Opens Its New Bridge', P1, P2].join('\n'), 'text');
    expect(renderArticle(doc)).toBe(`River Town Opens Its New Bridge\n\n${P1}\n\n${P2}\n`);
    expect(doc.words).toBe(`${P1} ${P2}`.split(' ').length);
  });

  it('empty and blank input', () => {
    const doc = cleanText('e.txt', '', 'text');
    expect(doc.paragraphs).toEqual([]);
    expect(doc.words).toBe(0);
    expect(renderArticle(doc)).toBe('');
    expect(cleanText('b.txt', '\n\n  \n', 'text').paragraphs).toEqual([]);
  });
});

describe('credit lines', () => {
  it('are the credits a newsroom prints', () => {
    for (const line of [
      'Reporting by Jane Doe in London; Editing by John Roe',
      '(Reporting by Jane Doe and Ana Ruiz; additional reporting by Tom Hale)',
      'Writing by Jane Doe; editing by John Roe',
      'Compiled by Jane Doe from agency reports',
      'Ana Ruiz contributed reporting.',
      'Associated Press writers Jane Doe in Paris and John Roe in Rome contributed to this report.',
      'Reuters contributed to this report.',
    ]) expect(isCreditLine(line), line).toBe(true);
  });
  it('are not sentences of the story about research or contributors', () => {
    for (const line of [
      'Research by Dunmore University followed 4,100 hospital nurses for twelve years and found that night shifts raised the risk.',
      'More than 200 nurses contributed to the report.',
      'Hundreds of volunteers contributed to the report, which took two years.',
    ]) expect(isCreditLine(line), line).toBe(false);
  });
});
