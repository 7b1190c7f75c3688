// Structure heuristics of the line cleaner: list-like tails, comment threads, inline boxes, repeats,
// captions, and how text extracted from HTML or filtered by corpus templates is treated.
import { describe, expect, it } from 'vitest';
import { cleanText, lineKey, matchRule, renderArticle, type RuleContext } from '../../src/clean/index.js';
import { repairLine } from '../../src/clean/repairs.js';
import { quotedLines } from '../../src/clean/structure.js';

function ruleOf(line: string): string | null {
  const text = repairLine(line);
  const ctx: RuleContext = { index: 0, lines: [text] };
  return matchRule(text, ctx);
}

const para = (n: number) =>
  `Officials in the river town said on Tuesday that the new bridge would open in spring, after ${n} years of delays caused by funding disputes, floods and a long argument over tolls.`;

// Other stories as a related-stories block prints them: headline, author, teaser sentence.
const teaser = (k: number) => [
  `Ferry Fares Set to Rise Again in Spring, Part ${k}`,
  'Mia Holt',
  `Operators blamed fuel costs for the ${k}th increase in two years, saying the winter timetable would also be cut back to three sailings a day.`,
];

const NAV = ['Home', 'World', 'Business', 'Opinion', 'Sports', 'Weather', 'Podcasts', 'Contact Us', 'Newsletters', 'Events', 'Jobs', 'Obituaries'];

describe('new line rules', () => {
  const CASES: Record<string, { pos: string[]; neg: string[] }> = {
    'image-caption': {
      pos: [
        'Firefighters work through the night at the depot on Canal Street (Photo: Harbor Press)',
        'A crane lifts the first span into place over the river on Monday (AP Photo/Ana Ruiz)',
        'The flooded quay seen from the harbour wall Credit: Valley Courier',
        'Image 1 of 8',
        'Image 1 of / 23',
        '3 of 12 Volunteers stack sandbags along the quay on Tuesday.',
        'Back to Gallery',
        'Visitors look at a concept car at the auto show in the convention centre on Tuesday, Nov. 19. less',
        'Visitors look at a concept car at the auto show in the convention... more',
      ],
      neg: [
        'He said 3 of 12 members voted against the motion on Monday.',
        'The photo, taken from a drone, shows the bridge before the flood (see below).',
        'The council approved the plan by 7 votes to 2 after a long debate.',
        'Residents said they wanted the ferry to run more, not less',
        'The fund will pay for more buses, more ferries and more',
      ],
    },
    'markup-line': {
      pos: ['<img height="1" width="1" style="display:none" src="https://example.org/p.gif">', '<span class="marker" style="width: 0px"></span>'],
      neg: ['<3 the new ferry, one reader wrote.', 'Prices rose by <5 percent, the ministry said.'],
    },
    'tag-list': {
      pos: ['This article is related to: Harbor, Ferries, Budget'],
      neg: ['This article is related to an earlier report on the ferries.'],
    },
    'author-contact': {
      pos: ['Write to Ana Ruiz at ana.ruiz@example.org', 'Email Tom Berg at tberg@example.org or follow him @tomberg.'],
      neg: ['Write to your councillor, the campaign urged residents on Tuesday.', 'Email records at example.org showed the deal was agreed in May.'],
    },
    'url-line': {
      pos: ['https://example.org/news/2024/bridge-opens.html', 'www.example.org/harbor'],
      neg: ['Details are at https://example.org/plan, the council said.'],
    },
    'share-bar': {
      pos: ['Share this: Facebook Twitter WhatsApp', 'Share this article: Facebook, Email, Print', 'Follow Harbor Radio News on Facebook and X for the latest updates.', 'Follow Harbor Radio on', 'Like this story? Share it with a friend!'],
      neg: ['Follow-up talks on Friday ended without a deal, the union said.', 'Share prices fell on Facebook news, traders said.'],
    },
    'reading-time': {
      pos: ['5 min read', 'Reading time: 3 minutes', 'Tempo de leitura: 1 minuto'],
      neg: ['The reading time for the full report is about three hours, she said.'],
    },
    'newsletter-prompt': {
      pos: ['Stay up to date with Harbor Ltd. Subscribe to our newsletter.', 'Please fill the form to subscribe to our newsletter', 'No spam, we promise. You can unsubscribe at any time.'],
      neg: ['Readers who subscribe to the newsletter of the harbour society received the plans early.'],
    },
    'teaser-link': {
      pos: ['Also on example.org Ferry operators warn of further cuts to the winter timetable', 'Mehr: Ferry operators warn of cuts', 'Explore further', 'Popular on Coastal Ledger'],
      neg: ['Also on the agenda was a vote on the new ferry timetable.'],
    },
    copyright: {
      pos: ['This document is subject to copyright. Apart from fair dealing, no part may be reproduced without permission.'],
      neg: ['The document is subject to review by the harbour board next week.'],
    },
    'image-credit': {
      pos: ['Ana Ruiz | Harbor Press | Coastal Images', 'Image copyright Harbor Press', 'Image caption The ferry leaves the quay at dawn'],
      neg: ['Ana Ruiz | Harbor Press'],
    },
    'placeholder-text': {
      pos: ['[button link="https://example.org/submit" type="big"] Send us your story[/button]'],
      neg: ['[Editor’s note: this story has been updated.]'],
    },
    'js-video-notice': {
      pos: ['This video is unavailable in your region.', 'Thanks for watching! Visit Website'],
      neg: ['The video is now part of the court record, the judge said.'],
    },
    byline: {
      pos: ['Ana Ruiz, Staff Writer', 'Tom Berg, Senior Political Correspondent'],
      neg: ['Ana Ruiz, the harbor master, said the writer had been misinformed.'],
    },
    'date-line': {
      pos: ['Updated 1:39 am EST, Wednesday, November 20, 2019', 'PUBLISHED: November 19, 2019 at 8:59 pm | UPDATED: November 19, 2019 at 10:16 pm'],
      neg: ['Updated figures were published on November 20, the ministry said.'],
    },
  };
  for (const [id, { pos, neg }] of Object.entries(CASES)) {
    describe(id, () => {
      for (const line of pos) it(`removes ${JSON.stringify(line)}`, () => expect(ruleOf(line)).toBe(id));
      for (const line of neg) it(`keeps ${JSON.stringify(line)}`, () => expect(ruleOf(line)).toBeNull());
    });
  }

  it('a long cookie notice is still a cookie notice', () => {
    const long = `This website uses cookies to improve your experience while you navigate through the website. ${'Some of these cookies are necessary for the site to work. '.repeat(8)}`.trim();
    expect(long.length).toBeGreaterThan(400);
    expect(ruleOf(long)).toBe('cookie-notice');
  });

  it('a role byline goes to meta.byline', () => {
    const doc = cleanText('a.txt', ['Harbor Council Approves New Budget', 'Ana Ruiz, Staff Writer', para(1), para(2)].join('\n'), 'text');
    expect(doc.meta.byline).toBe('Ana Ruiz');
    expect(doc.paragraphs).toEqual([para(1), para(2)]);
  });

  it('caption and url patterns stay fast on adversarial lines', () => {
    const nasty = ['(Photo '.repeat(3000), 'Credit: '.repeat(3000), 'https://'.repeat(3000) + ' x', 'Share this: Facebook '.repeat(2000), 'follow on '.repeat(3000)];
    const t0 = performance.now();
    for (const s of nasty) ruleOf(s.slice(0, 590));
    for (const s of nasty) cleanText('x.txt', `${s}\n${s.slice(0, 500)}\n`, 'text');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('duplicate-line', () => {
  it('a line printed twice in a row keeps its first copy', () => {
    const cap = 'Volunteers stack sandbags along the quay as the tide rises on Tuesday evening';
    const doc = cleanText('a.txt', ['Harbor Council Approves New Budget', para(1), cap, cap, para(2)].join('\n'), 'text');
    expect(doc.removed).toEqual([{ line: 4, rule: 'duplicate-line', text: cap }]);
    expect(doc.paragraphs).toEqual([para(1), cap, para(2)]);
  });

  it('the same line far apart, and short repeats, are kept', () => {
    const q = '“We will not give up,” she said.';
    const doc = cleanText('a.txt', ['Harbor Council Approves New Budget', para(1), q, para(2), q, 'Yes.', 'Yes.', para(3)].join('\n'), 'text');
    expect(doc.removed).toEqual([]);
  });
});

describe('terminating blocks after a substantial article', () => {
  it('a long list of other stories after "Read these next" is removed, however long', () => {
    const tail = [1, 2, 3, 4, 5, 6, 7, 8].flatMap(teaser);
    const lines = ['Harbor Council Approves New Budget', para(1), para(2), para(3), para(4), para(5), para(6), 'Read these next', ...tail];
    const doc = cleanText('a.txt', lines.join('\n'), 'text');
    expect(doc.paragraphs).toEqual([para(1), para(2), para(3), para(4), para(5), para(6)]);
  });

  it('"More <Outlet>" heading before a list of other stories ends the article', () => {
    const tail = [1, 2, 3, 4, 5].flatMap(teaser);
    const lines = ['Harbor Council Approves New Budget', para(1), para(2), para(3), para(4), para(5), para(6), 'More Coastal Ledger', ...tail];
    const doc = cleanText('a.txt', lines.join('\n'), 'text');
    expect(doc.paragraphs).toEqual([para(1), para(2), para(3), para(4), para(5), para(6)]);
  });

  it('not an inline "Related" box after which the article goes on', () => {
    const box = ['Storm Cuts Power to Coastal Villages', 'Ferry Fares to Rise in Spring', 'Harbor Festival Draws Record Crowds', 'New Mayor Sworn In at Town Hall'];
    const lines = ['Harbor Council Approves New Budget', para(1), para(2), para(3), para(4), para(5), para(6), 'Related articles', ...box, para(7), para(8), para(9), para(10), 'Tags'];
    const doc = cleanText('a.txt', lines.join('\n'), 'text');
    for (const k of [7, 8, 9, 10]) expect(doc.paragraphs).toContain(para(k));
  });

  it('not after a short text (the heading may be near the top)', () => {
    const lines = ['Harbor Council Approves New Budget', para(1), 'More Coastal Ledger', 'Storm Cuts Power', 'Ana Ruiz', 'Ferry Fares Rise', 'Tom Berg', para(2)];
    const doc = cleanText('a.txt', lines.join('\n'), 'text');
    expect(doc.paragraphs).toEqual(lines.slice(1));
  });

  it('an "About <name>" box at the end (author or company blurb) ends the article', () => {
    const bio = 'Ana Ruiz has covered the harbour and its unions for the Ledger since 2015 and previously worked as a ferry deckhand.';
    const lines = ['Harbor Council Approves New Budget', para(1), para(2), para(3), para(4), 'About Ana Ruiz', bio];
    const doc = cleanText('a.txt', lines.join('\n'), 'text');
    expect(doc.paragraphs).toEqual([para(1), para(2), para(3), para(4)]);
    const de = cleanText('a.txt', ['Harbor Council Approves New Budget', para(1), para(2), para(3), 'Über Ana Ruiz', bio].join('\n'), 'text');
    expect(de.paragraphs).toEqual([para(1), para(2), para(3)]);
  });

  it('not an "About …" subheading early in the story, nor one followed by more than came before', () => {
    const early = ['Harbor Council Approves New Budget', para(1), 'About Harbor Town', para(2), para(3), para(4)];
    expect(cleanText('a.txt', early.join('\n'), 'text').paragraphs).toEqual(early.slice(1));
    const long = ['Harbor Council Approves New Budget', para(1), para(2), para(3), 'About Harbor Town', para(4), para(5), para(6), para(7)];
    expect(cleanText('a.txt', long.join('\n'), 'text').paragraphs).toEqual(long.slice(1));
  });

  it('keeps the dates of a timeline in the body, and does not take the first as the publication date', () => {
    const lines = [
      'How the Harbour Dispute Unfolded',
      'Published March 3, 2025',
      para(1), para(2),
      'June 2, 2024',
      'Dock workers walked out for the first time in a decade after talks on the night shift broke down without a deal.',
      'August 19, 2024',
      'The port authority offered a new rota, which the union rejected at a meeting attended by more than 400 members.',
    ];
    const doc = cleanText('a.txt', lines.join('\n'), 'text');
    expect(doc.paragraphs).toEqual(lines.slice(2));
    expect(doc.meta.date).toMatch(/2025-03-03|March 3, 2025/);
  });

  it('not a pun subheading "About Face" late in a feature, nor a closing "Discussion" section of sentences', () => {
    const face = [
      'The Bakery That Turned Around',
      para(1), para(2), para(3), para(4),
      'About Face',
      'The owners stopped selling sliced loaves in May and went back to the sourdough their grandmother baked, a change regulars noticed within days.',
      'Sales rose by a third over the summer, and the shop now opens on Sundays for the first time since the 1990s.',
    ];
    expect(cleanText('a.txt', face.join('\n'), 'text').paragraphs).toEqual(face.slice(1));
    const discussion = [
      'Seal Numbers Recover on the Northern Sandbanks',
      para(1), para(2), para(3), para(4),
      'Discussion',
      'The survey team said the recovery was likely helped by the ban on netting near the haul-out sites.',
      'They warned that a single cold winter could still set the colony back by several years.',
    ];
    expect(cleanText('a.txt', discussion.join('\n'), 'text').paragraphs).toEqual(discussion.slice(1));
  });

  it('a comment thread ("Name on DATE at TIME said:") ends the article', () => {
    const lines = [
      'Harbor Council Approves New Budget', para(1), para(2), para(3), para(4),
      'Mia Holt on March 3, 2021 at 4:47 pm said:', 'I think the council got this one right, although the tolls are too high.',
      'Tom Berg says:', 'The bridge should have been built ten years ago, and everyone in town knows it.',
    ];
    const doc = cleanText('a.txt', lines.join('\n'), 'text');
    expect(doc.paragraphs).toEqual([para(1), para(2), para(3), para(4)]);
    expect(doc.removed.every((r) => r.rule === 'terminating-block')).toBe(true);
  });

  it('a quoted "said:" inside the story is not a comment header', () => {
    const lines = ['Harbor Council Approves New Budget', para(1), para(2), para(3), para(4), 'In a statement on Monday the mayor said:', '“The bridge will open on time and on budget.”', para(5)];
    const doc = cleanText('a.txt', lines.join('\n'), 'text');
    // The mayor's line is a sentence of the story: it stays, and so does what follows.
    expect(doc.paragraphs).toContain(para(5));
  });
});

describe('page dumps', () => {
  const links = ['Storm Cuts Power to Coastal Villages', 'Ferry Fares to Rise in Spring', 'Harbor Festival Draws Record Crowds', 'Schools Close Early for the Holidays', 'New Mayor Sworn In at Town Hall'];
  const page = ['Harbor Council Approves New Budget | Coastal Ledger', ...NAV, 'Harbor Council Approves New Budget', para(1), para(2), para(3), 'Most read in Local', ...links, para(4), para(5), ...NAV];

  it('an inline "Most read" box between two runs of the article is removed, both runs kept', () => {
    const doc = cleanText('a.txt', page.join('\n'), 'text');
    expect(doc.paragraphs).toEqual([para(1), para(2), para(3), para(4), para(5)]);
  });

  it('corpus template lines do not change where the article is found', () => {
    const templates = new Set(NAV.filter((l) => l.includes(' ') || l.length > 6).map(lineKey));
    const plain = cleanText('a.txt', page.join('\n'), 'text');
    const withTemplates = cleanText('a.txt', page.join('\n'), 'text', { templateLines: templates });
    expect(withTemplates.paragraphs).toEqual(plain.paragraphs);
    expect(withTemplates.removed.length).toBe(plain.removed.length);
  });

  it('text extracted from HTML is trusted: no content zone, its table rows and figures stay', () => {
    const rows = ['Pos', 'Driver', 'Points', '1', 'Ana Ruiz', '5040', '2', 'Tom Berg', '5035', '3', 'Mia Holt', '5033', '4', 'Lena Voss', '5027', 'Standings', 'Wins', 'Poles'];
    const text = [para(1), ...rows, para(2)].join('\n');
    const asHtml = cleanText('a.html', text, 'html', { htmlMeta: { title: 'Harbor Regatta Standings', byline: null, date: null, url: null, source: null, description: null } });
    expect(asHtml.paragraphs).toEqual([para(1), ...rows, para(2)]);
  });

  it('an article extracted from HTML with a long table, rendered and cleaned again as text, loses nothing', () => {
    const rows = NAV.flatMap((name, k) => [`${name} Team`, `${k + 1}`, 'Qualified']);
    const meta = { title: 'Harbor Regatta Standings', byline: null, date: null, url: null, source: null, description: null };
    const doc = cleanText('a.html', [para(1), ...rows, para(2), para(3)].join('\n'), 'html', { htmlMeta: meta });
    const again = cleanText('a.txt', renderArticle({ ...doc, meta: { ...doc.meta, title: 'Harbor Regatta Standings' } }), 'text');
    expect(again.removed).toEqual([]);
    expect(again.paragraphs).toEqual(doc.paragraphs);
  });

  it('the same lines run together (a page dump) are still cut to the article', () => {
    const doc = cleanText('a.txt', page.join('\n'), 'text');
    const spaced = cleanText('a.txt', page.join('\n\n'), 'text');
    expect(doc.removed.filter((r) => r.rule === 'page-furniture').length).toBeGreaterThan(10);
    // Laid out as paragraphs, the text is trusted: no zone is cut.
    expect(spaced.removed.filter((r) => r.rule === 'page-furniture')).toEqual([]);
  });

  it('cleaning the rendered article again removes nothing', () => {
    const doc = cleanText('a.txt', page.join('\n'), 'text');
    const again = cleanText('a.txt', renderArticle(doc), 'text');
    expect(again.removed).toEqual([]);
    expect(again.paragraphs).toEqual(doc.paragraphs);
  });
});

describe('quotations over several short lines (tweets, statements) in a page dump', () => {
  const reaction = ['The harbour master posted on social media: "What a morning!', 'Proud of every crew.', 'See you next year! "'];
  const page = ['Harbor Regatta Ends in Record Time | Coastal Ledger', ...NAV, 'Harbor Regatta Ends in Record Time', para(1), ...reaction, 'Another skipper wrote: "Windy.', 'Wet.', 'Wonderful. "', para(2), para(3), ...NAV];

  it('are speech, kept with the article; the menus around it are still cut', () => {
    const doc = cleanText('a.txt', page.join('\n'), 'text');
    const body = doc.paragraphs.join('\n');
    for (const line of [...reaction, 'Wet.', para(3)]) expect(body).toContain(line.replace(/ "$/, ''));
    expect(doc.removed.filter((r) => r.rule === 'page-furniture').length).toBeGreaterThanOrEqual(NAV.length);
  });

  it('quotedLines marks the lines of a quotation closed within a few lines, and nothing for a stray mark', () => {
    const lines = ['Menu', 'He wrote: "One.', 'Two.', 'Three. "', 'Home', 'A stray " mark', 'News', 'Sport', 'Weather', 'Games', 'Travel', 'Money', 'Jobs', 'Cars'];
    const K = lines.map((_, i) => i);
    expect(quotedLines(lines, K)).toEqual([false, true, true, true, ...new Array(10).fill(false)]);
    expect(quotedLines(['“Curly', 'quotes”', 'Menu'], [0, 1, 2])).toEqual([true, true, false]);
  });
});
