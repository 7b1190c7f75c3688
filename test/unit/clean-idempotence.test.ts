// Cleaning the written article again changes nothing: one minimal input per root cause found by the
// idempotence property (test/reliability/properties.test.ts) and the extraction benchmark.
import { describe, expect, it } from 'vitest';
import { cleanText, renderArticle, type CleanOptions } from '../../src/clean/index.js';

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
