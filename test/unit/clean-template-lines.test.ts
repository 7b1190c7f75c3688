import { describe, expect, it } from 'vitest';
import { candidateTemplateLines, cleanText, findTemplateLines, keyHashes, lineKey, templateLinesAndHolders } from '../../src/clean/index.js';
import { seeded } from '../helpers/seeded.js';

const story = (topic: string, extra: string[] = []) =>
  [
    `${topic} Draws Crowds to the Old Harbor`,
    'Tide tables and ferry times for every pier',
    `The ${topic.toLowerCase()} opened on Saturday with more visitors than the organisers had expected, the harbor office said.`,
    'He said.',
    `Stalls selling food lined the quay, and the ${topic.toLowerCase()} will run until the end of the month, when the boats return to their winter moorings further up the river.`,
    'Local',
    ...extra,
  ].join('\n');

describe('lineKey', () => {
  it('folds case, spacing, digits and punctuation', () => {
    expect(lineKey('  Sign Up   for our MORNING briefing! ')).toBe('sign up for our morning briefing');
    expect(lineKey('12 Comments')).toBe(lineKey('3 comments'));
    expect(lineKey('Read 2,000 stories')).toBe('read 0 0 stories');
    expect(lineKey('Café — Crème')).toBe('café crème');
    expect(lineKey('हिन्दी समाचार')).toBe('हिन्दी समाचार');
  });
});

describe('candidateTemplateLines', () => {
  it('keeps short-ish lines once, skips long prose and short sentences', () => {
    const keys = candidateTemplateLines(story('Festival') + '\nTide tables and ferry times for every pier');
    expect(keys).toContain('tide tables and ferry times for every pier');
    expect(keys).toContain('local');
    expect(keys.filter((k) => k === 'tide tables and ferry times for every pier')).toHaveLength(1);
    expect(keys).not.toContain('he said');
    expect(keys.some((k) => k.startsWith('stalls selling food'))).toBe(false); // > 160 characters
  });
});

describe('findTemplateLines', () => {
  const docs = [
    { keys: candidateTemplateLines(story('Festival')), group: 1 },
    { keys: candidateTemplateLines(story('Festival')), group: 1 }, // a copy of the same story
    { keys: candidateTemplateLines(story('Regatta')), group: 2 },
    { keys: candidateTemplateLines(story('Market')), group: 3 },
  ];

  it('finds lines repeated across different stories', () => {
    const t = findTemplateLines(docs);
    expect(t.has('tide tables and ferry times for every pier')).toBe(true);
    expect(t.has('local')).toBe(true); // a short label: in 3 different groups
  });

  it('never flags a story\'s own lines shared only by its copies', () => {
    const t = findTemplateLines(docs);
    expect(t.has(lineKey('Festival Draws Crowds to the Old Harbor'))).toBe(false);
    expect([...t].some((k) => k.includes('festival'))).toBe(false);
  });

  it('needs ≥ 2 groups and ≥ 3 documents for a line, ≥ 3 groups for a short line', () => {
    const line = 'Tide tables and ferry times for every pier';
    const two = findTemplateLines([
      { keys: [lineKey(line), 'local'], group: 1 },
      { keys: [lineKey(line), 'local'], group: 2 },
    ]);
    expect(two.size).toBe(0);
    const copies = findTemplateLines([1, 1, 1, 1].map((g) => ({ keys: [lineKey(line)], group: g })));
    expect(copies.size).toBe(0);
    const three = findTemplateLines([
      { keys: [lineKey(line), 'local'], group: 1 },
      { keys: [lineKey(line), 'local'], group: 1 },
      { keys: [lineKey(line), 'local'], group: 2 },
    ]);
    expect([...three]).toEqual([lineKey(line)]);
  });

  it('tells, from the same pass, which documents still hold a template line on a line no rule removed', () => {
    const line = lineKey('Tide tables and ferry times for every pier');
    const own = (w: string) => lineKey(`A line of ${w} own that no other story has`);
    const { lines, holders } = templateLinesAndHolders([
      { keys: [line, own('one')], open: [line, own('one')], group: 1 },
      { keys: [line, own('two')], open: [own('two')], group: 2 }, // a rule removed it here already
      { keys: [own('three')], open: [own('three')], group: 3 },
      { keys: [line], open: [line], group: 3 },
      { keys: [line], group: 4 }, // no open keys given: holds nothing
    ]);
    expect([...lines]).toEqual([line]);
    expect(holders).toEqual([0, 3]);
    expect(templateLinesAndHolders([{ keys: [own('x')], open: [own('x')], group: 1 }])).toEqual({ lines: new Set(), holders: [] });
  });

  it('cleanText removes template lines with rule template-line (rules take precedence)', () => {
    const t = findTemplateLines(docs);
    const doc = cleanText('f.txt', story('Festival', ['Advertisement']), 'text', { templateLines: t });
    expect(doc.removed.map((r) => [r.line, r.rule])).toEqual([
      [2, 'template-line'],
      [6, 'template-line'],
      [7, 'advertisement'],
    ]);
    expect(doc.paragraphs).toContain('He said.');
    const off = cleanText('f.txt', story('Festival'), 'text', { templateLines: t, disabledRules: new Set(['template-line']) });
    expect(off.removed).toEqual([]);
  });
});

describe('open template keys (which documents the second pass must clean again)', () => {
  it('collects the keys of candidate lines no rule removed, and not those a rule already removed', () => {
    const keys = { all: new Set<string>(), open: new Set<string>() };
    const text = story('Festival', ['Share this article', 'Harbour Gazette weekend edition']);
    cleanText('a.txt', text, 'text', { templateKeys: keys });
    const open = keys.open;
    // `all` is exactly what candidateTemplateLines reads from the same text.
    expect([...keys.all].sort()).toEqual([...candidateTemplateLines(text)].sort());
    expect(open).toContain('harbour gazette weekend edition');
    expect(open).toContain('tide tables and ferry times for every pier');
    // "Share this article" is a share bar by rule: it is removed whatever the corpus says.
    expect(open).not.toContain('share this article');
    expect(candidateTemplateLines(story('Festival', ['Share this article']))).toContain('share this article');
  });

  it('a document whose open keys hold no template line cleans the same with or without the corpus pass', () => {
    const text = story('Festival', ['Share this article']);
    const keys = { all: new Set<string>(), open: new Set<string>() };
    const first = cleanText('a.txt', text, 'text', { templateKeys: keys });
    const open = keys.open;
    const templates = new Set(['share this article']);
    expect([...open].some((k) => templates.has(k))).toBe(false);
    expect(cleanText('a.txt', text, 'text', { templateLines: templates })).toEqual(first);
  });
});

describe('a sentence that news stories repeat by themselves', () => {
  const keysOf = (lines: string[]) => candidateTemplateLines(lines.join('\n'));
  const fact = 'The cause of the fire is under investigation.';
  const label = 'Subscribe to the Harbour Herald print edition today';
  it('is not a template line in three unrelated stories, as a line of furniture would be', () => {
    const docs = ['barn', 'flat', 'van'].map((what, group) => ({ keys: keysOf([`A ${what} burned down overnight in the village, firefighters said.`, fact, label]), group }));
    const found = findTemplateLines(docs);
    expect(found.has(keysOf([label])[0])).toBe(true);
    expect(found.has(keysOf([fact])[0])).toBe(false);
  });
  it('is one in five documents of three stories or more (a site that prints it under every article)', () => {
    const docs = [0, 1, 2, 3, 4].map((group) => ({ keys: keysOf([`Story number ${group} went on for a while, reporters said.`, fact]), group }));
    expect(findTemplateLines(docs).has(keysOf([fact])[0])).toBe(true);
  });
});

describe('template lines counted by key hash', () => {
  /** The rules as stated, over the keys' text (each key's documents and distinct groups counted in full). */
  function reference(docs: { keys: string[]; open: string[]; group: number }[]): { lines: string[]; holders: number[] } {
    const holding = new Map<string, { docs: Set<number>; groups: Set<number> }>();
    docs.forEach((d, i) => {
      for (const k of d.keys) {
        const h = holding.get(k) ?? { docs: new Set<number>(), groups: new Set<number>() };
        h.docs.add(i);
        h.groups.add(d.group);
        holding.set(k, h);
      }
    });
    const lines = [...holding].filter(([k, h]) => {
      const words = k.split(' ').length;
      const enough = words < 4 ? h.groups.size >= 3 : h.groups.size >= 2 && h.docs.size >= 3;
      return enough && !(k.endsWith('.') && (h.groups.size < 3 || h.docs.size < 5));
    });
    const set = new Set(lines.map(([k]) => k));
    return { lines: lines.map(([k]) => k), holders: docs.flatMap((d, i) => (d.open.some((k) => set.has(k)) ? [i] : [])) };
  }

  it('finds what the rules over the text find, in the order the keys are first met, on random corpora', () => {
    // a small vocabulary of keys, short and long, some sentences, so that keys recur across documents and groups
    const vocab = ['local', 'world news', 'sign up for our morning briefing', 'tide tables and ferry times for every pier', 'the cause of the fire is under investigation now.', 'share', 'advertisement below this line', 'read more from the harbour desk today'];
    const rand = seeded(7).below;
    let withLines = 0;
    for (let round = 0; round < 200; round++) {
      const docs = Array.from({ length: 2 + rand(14) }, (_, i) => {
        const keys = [...new Set(Array.from({ length: rand(6) }, () => vocab[rand(vocab.length)]).concat(`own line of document ${round} ${i} alone here`))];
        return { keys, open: keys.filter(() => rand(3) > 0), group: rand(5) };
      });
      const want = reference(docs);
      const got = templateLinesAndHolders(docs);
      expect([...got.lines]).toEqual(want.lines);
      expect(got.holders).toEqual(want.holders);
      if (want.lines.length > 1) withLines++;
    }
    // the corpora are not trivial: most find more than one template line
    expect(withLines).toBeGreaterThan(100);
  });

  it('keeps what the rules ask of a key in its hash: short (under four words) and sentence', () => {
    const flags = (key: string) => keyHashes([key]).view.getUint32(4, true) & 3;
    expect(flags('local news')).toBe(1);
    expect(flags('sign up for our morning briefing')).toBe(0);
    expect(flags('the cause of the fire is under investigation.')).toBe(2);
    // the open keys follow the keys, 8 bytes each
    const both = keyHashes(['local', 'world news'], ['local']);
    expect([both.keys, both.open, both.view.byteLength]).toEqual([2, 1, 24]);
    expect(both.view.getUint32(16, true)).toBe(both.view.getUint32(0, true));
  });
});
