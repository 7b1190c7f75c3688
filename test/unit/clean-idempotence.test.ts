// Cleaning the written article again changes nothing: one minimal input per root cause found by the
// idempotence property (test/reliability/properties.test.ts) and the extraction benchmark.
import { describe, expect, it } from 'vitest';
import { cleanText, renderArticle, renderWithTitle, type CleanOptions } from '../../src/clean/index.js';
import { looksLikeHeadline } from '../../src/clean/metadata.js';

function twice(text: string, format: 'text' | 'html' = 'text', options: CleanOptions = {}) {
  const doc = cleanText('a.txt', text, format, options);
  const once = renderArticle(doc);
  const again = renderArticle(cleanText('a.txt', once, 'text'));
  return { doc, once, again };
}

describe('idempotence: decisions made on the article as written', () => {
  it('a hard-wrapped first paragraph is judged as a dek as a whole, not by its first line', () => {
    // Shrunk by the property: the first two lines join into one paragraph without a final stop.
    const text =
      'Harbour Harbour Harbour\n\nHarbour harbour Porthaven harbour harbour Porthaven\nharbour Porthaven harbour harbour harbour harbour harbour\n' +
      '1. Harbour Porthaven harbour. Harbour Porthaven harbour\nPorthaven harbour Porthaven harbour harbour harbour\nharbour.\n\nHarbour Porthaven harbour.\n';
    const { doc, once, again } = twice(text);
    expect(doc.meta.dek).toBe('Harbour harbour Porthaven harbour harbour Porthaven harbour Porthaven harbour harbour harbour harbour harbour');
    expect(again).toBe(once);
  });

  const WRAPPED = [
    'The harbour council met on Monday and the ferry trust agreed',
    'to a new timetable for the winter storm season on the quay',
    'near the old station by the pier and the big harbour warehouses',
    '. The mayor said the bridge and the school would stay open',
    'all winter and the market would move to the pier for the',
    'festival next spring.',
    '',
    'Words and pictures on this page belong to the Herald. All rights',
    'reserved.',
  ];

  it('a wrapped line that starts with " ." is repaired once joined', () => {
    const { doc, once, again } = twice(`Harbour Works Begin\n\n${WRAPPED.join('\n')}\n`);
    expect(doc.paragraphs[0]).toContain('big harbour warehouses. The mayor');
    expect(again).toBe(once);
  });

  it('a notice wrapped over two lines is judged (and removed) as the paragraph it makes', () => {
    const { doc, once, again } = twice(`Harbour Works Begin\n\n${WRAPPED.join('\n')}\n`);
    expect(doc.removed.map((r) => [r.line, r.rule])).toEqual([
      [10, 'copyright'],
      [11, 'copyright'],
    ]);
    expect(again).toBe(once);
  });

  it('a page title that is a section label ("Opinion") is not written as the title', () => {
    const body = 'It was the shot heard round the world. In the closing seconds of the game the quarterback was hit.\n\nThe quarterback did not suffer a concussion, the team said on Monday after the game.\n';
    const { doc, once, again } = twice(body, 'html', { htmlMeta: { title: 'Opinion', description: null, byline: null, date: null, source: null, url: null } as never });
    expect(doc.meta.title).toBeNull();
    expect(again).toBe(once);
  });

  it('under a title from the page, a dek-like first paragraph is the dek (reading the output again would lift it)', () => {
    const body = 'The suspect confessed and the jury took just 15 minutes to find him guilty\n\nA video showing the dramatic moment a kidnapped girl was rescued by police was released on Monday by the prosecutors.\n\nA family friend found the car in the hotel parking lot and called the police.\n';
    const { doc, once, again } = twice(body, 'html', { htmlMeta: { title: 'Video Shows Dramatic Rescue of Kidnapped Girl', description: null, byline: null, date: null, source: null, url: null } as never });
    expect(doc.meta.dek).toBe('The suspect confessed and the jury took just 15 minutes to find him guilty');
    expect(again).toBe(once);
  });

  it('no dek is lifted when the paragraph that would then come first is dek-like too', () => {
    const text = [
      'Harbour Works Begin At Last',
      '',
      'Ferry fares will rise in spring after the council agreed a new deal',
      '',
      'World News',
      '',
      'The harbour trust and the union agreed the new timetable on the quay at Porthaven',
      '',
      'The council met on Monday and the ferry trust agreed to the new timetable for the winter storm season on the quay.',
    ].join('\n');
    const { doc, once, again } = twice(text);
    expect(doc.meta.dek).toBeNull();
    expect(again).toBe(once);
  });

  it('a lead-in that starts like the title ("Part 3:") is not a title repeat', () => {
    const text = 'Dare to Play 3 / October pack\n\nThe new pack has arrived with many tasks for the winter evenings.\n\nDare to Play 3:\n\nHundreds of cool tasks that will make your evenings fuller and more interesting for everyone.\n';
    const { doc, once, again } = twice(text);
    expect(doc.paragraphs).toContain('Dare to Play 3:');
    expect(again).toBe(once);
  });
});

describe('an article clean wrote (writtenTitle): its first line is its title', () => {
  const reread = (once: string) => cleanText('out/a.txt', once, 'text', { writtenTitle: true });

  it('keeps a title that does not read as a headline, and changes nothing below it', () => {
    // A page title with a sentence stop, a short CJK name, a bracketed one: none reads as a headline.
    for (const title of ['Markets fall again. Traders shrug.', '항구 소식', '[Harbour: Winter] More Notes From Readers']) {
      expect(looksLikeHeadline(title)).toBe(false);
      const body = ['The ferry trust agreed a new winter timetable on Monday after a long meeting on the quay.', 'The mayor said the bridge would stay open.'];
      const once = renderWithTitle({ ...cleanText('a.txt', body.join('\n\n'), 'text'), meta: { ...cleanText('a.txt', body.join('\n\n'), 'text').meta, title: null } }, title);
      const doc = reread(once);
      expect(doc.meta.title).toBe(title);
      expect(doc.paragraphs).toEqual(body);
      expect(renderArticle(doc)).toBe(once);
      // Read without the hint, the title line is only a paragraph.
      expect(cleanText('a.txt', once, 'text').meta.title).toBeNull();
    }
  });

  it('lifts neither a title repeat nor a dek under a title it was written with', () => {
    // A fallback title (the opening words) over a short first paragraph that starts the same way, and a dek-like line.
    const once = 'Harbour works begin at last\n\nHarbour works begin at\n\nFerry fares will rise in spring after the council agreed a new deal\n\nThe council met on Monday and the ferry trust agreed to the new timetable for the winter season.\n';
    const plain = cleanText('a.txt', once, 'text');
    expect(plain.removed.map((r) => r.rule)).toEqual(['title-repeat']);
    expect(plain.meta.dek).toBe('Ferry fares will rise in spring after the council agreed a new deal');
    const doc = reread(once);
    expect(doc.removed).toEqual([]);
    expect(doc.meta.dek).toBeNull();
    expect(renderArticle(doc)).toBe(once);
  });

  it('still applies the line rules', () => {
    const doc = reread('Harbour works begin\n\nThe council met on Monday and agreed the timetable.\n\nREAD ALSO: Ferry fares rise\n');
    expect(doc.removed.map((r) => r.rule)).toEqual([expect.stringMatching(/teaser/)]);
  });
});

describe('renderWithTitle', () => {
  const doc = (paragraphs: string[], title: string | null = null) => ({ ...cleanText('a.txt', '', 'text'), paragraphs, meta: { ...cleanText('a.txt', '', 'text').meta, title } });

  it('writes a first paragraph that is the chosen title once, as the title line', () => {
    expect(renderWithTitle(doc(['by Harbour Weekly / 2016.12.01', 'The council met.']), 'by Harbour Weekly / 2016.12.01')).toBe('by Harbour Weekly / 2016.12.01\n\nThe council met.\n');
  });

  it('puts any other chosen title above the paragraphs, and leaves an article with a title of its own alone', () => {
    expect(renderWithTitle(doc(['The council met.']), 'Harbour news')).toBe('Harbour news\n\nThe council met.\n');
    expect(renderWithTitle(doc(['The council met.'], 'Own title'), 'Harbour news')).toBe('Own title\n\nThe council met.\n');
  });
});
