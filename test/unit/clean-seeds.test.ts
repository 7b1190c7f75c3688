// The five real seed articles, read at run time from the shared folder, against seeds/expected.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanText, renderArticle } from '../../src/clean/index.js';
import { repairLine } from '../../src/clean/repairs.js';
import { SEEDS } from '../helpers/paths.js';

interface Expected {
  mustRemove: Record<string, string[]>;
  mustKeep: Record<string, string[]>;
  metadata: Record<string, { title?: string; source?: string; credits?: string[] }>;
  repairs: Record<string, { from?: string; to?: string; mustNotMatch?: string[] }>;
}

const expected = JSON.parse(readFileSync(path.join(SEEDS, 'expected.json'), 'utf8')) as Expected;
const files = ['000_9e7f83e371a9b204.txt', '001_4fd5f07e856e3726.txt', '002_b775d3cc8d032d1e.txt', '003_101b2b24460d714a.txt', '004_04c9ea05bfd72fed.txt'];

// Removed lines per seed, checked by eye: each is junk (or metadata lifted into meta), none is article text.
const REMOVED_COUNT: Record<string, number> = {
  '000_9e7f83e371a9b204.txt': 1, // credit line
  '001_4fd5f07e856e3726.txt': 1, // syndication footer
  '002_b775d3cc8d032d1e.txt': 8, // shop widget ×5, lorem ipsum, "Source:Read More", "Leave a Reply"
  '003_101b2b24460d714a.txt': 1, // READ ALSO teaser
  '004_04c9ea05bfd72fed.txt': 1, // "Top News"
};
// The rule expected for each mustRemove entry, in the order expected.json lists them.
const RULES_FOR: Record<string, string[]> = {
  '000_9e7f83e371a9b204.txt': ['credit-line'],
  '001_4fd5f07e856e3726.txt': ['syndication-footer'],
  '002_b775d3cc8d032d1e.txt': ['shop-widget', 'shop-widget', 'placeholder-text', 'shop-widget', 'shop-widget', 'shop-widget', 'syndication-footer', 'comment-prompt'],
  '003_101b2b24460d714a.txt': ['teaser-link'],
  '004_04c9ea05bfd72fed.txt': ['section-label'],
};

const load = (f: string) => readFileSync(path.join(SEEDS, f), 'utf8').replace(/\r\n?/g, '\n');

describe.each(files)('seed %s', (file) => {
  const doc = cleanText(file, load(file), 'text');
  const removedTexts = doc.removed.map((r) => r.text);

  it('removes every mustRemove line with a sensible rule', () => {
    const lines = expected.mustRemove[file] ?? [];
    expect(lines).toHaveLength(RULES_FOR[file].length);
    lines.forEach((line, k) => {
      const r = doc.removed.find((x) => x.text === line);
      expect(r, line).toBeDefined();
      expect(r!.rule, line).toBe(RULES_FOR[file][k]);
      expect(doc.paragraphs.join('\n')).not.toContain(line);
    });
  });

  it('removes nothing else', () => {
    expect(doc.removed).toHaveLength(REMOVED_COUNT[file]);
    for (const t of removedTexts) expect(expected.mustRemove[file]).toContain(t);
  });

  it('keeps every mustKeep line verbatim as a paragraph', () => {
    for (const line of expected.mustKeep[file] ?? []) expect(doc.paragraphs).toContain(repairLine(line));
  });

  it('lifts the expected metadata', () => {
    const meta = expected.metadata[file];
    if (meta?.title !== undefined) expect(doc.meta.title).toBe(meta.title);
    if (meta?.source !== undefined) expect(doc.meta.source).toBe(meta.source);
    if (meta?.credits !== undefined) expect(doc.meta.credits).toEqual(meta.credits);
    // The title is metadata, never a body paragraph.
    if (doc.meta.title) expect(doc.paragraphs).not.toContain(doc.meta.title);
  });

  it('applies the expected repairs', () => {
    const rep = expected.repairs[file];
    const body = doc.paragraphs.join('\n');
    if (rep?.to) {
      expect(body).toContain(rep.to);
      if (rep.from) expect(body).not.toContain(rep.from);
    }
    for (const pat of rep?.mustNotMatch ?? []) {
      for (const p of doc.paragraphs) expect(p, pat).not.toMatch(new RegExp(pat));
    }
  });

  it('is idempotent: cleaning the rendered article again removes and repairs nothing', () => {
    const out = renderArticle(doc);
    const again = cleanText(file, out, 'text');
    expect(again.removed).toEqual([]);
    expect(again.repairs).toEqual([]);
    expect(renderArticle(again)).toBe(out);
  });

  it('renders title, blank line, paragraphs and a trailing newline', () => {
    const out = renderArticle(doc);
    expect(out.endsWith('\n')).toBe(true);
    expect(out).not.toContain('\n\n\n');
    const blocks = out.trimEnd().split('\n\n');
    expect(blocks.length).toBe(doc.paragraphs.length + (doc.meta.title ? 1 : 0));
    expect(doc.words).toBe(doc.paragraphs.join(' ').split(/\s+/).filter(Boolean).length);
  });
});

describe('seed specifics', () => {
  it('003 has no headline line: title stays null, the subheading and short sentence stay in the body', () => {
    const raw = load('003_101b2b24460d714a.txt');
    const doc = cleanText('003', raw, 'text');
    expect(doc.meta.title).toBeNull();
    expect(doc.paragraphs[0]).toBe(repairLine(raw.split('\n')[0]));
  });
  it('002 records the sentence-space repair at its line', () => {
    const doc = cleanText('002', load('002_b775d3cc8d032d1e.txt'), 'text');
    const r = doc.repairs.find((x) => x.repair === 'sentence-space');
    expect(r?.line).toBe(12);
    expect(r?.to).toContain(expected.repairs['002_b775d3cc8d032d1e.txt'].to!.slice(0, 20));
  });
  it('000 keeps the orphan guillemet (attached to the word before it), so no quote mark is lost', () => {
    const raw = load('000_9e7f83e371a9b204.txt');
    const doc = cleanText('000', raw, 'text');
    const count = (s: string) => s.split('»').length - 1;
    expect(count(raw)).toBeGreaterThan(0);
    expect(count(doc.paragraphs.join('\n'))).toBe(count(raw));
    expect(doc.repairs.some((r) => r.repair === 'stray-guillemet')).toBe(true);
  });
  it('paragraph structure: one line per paragraph (001) and blank-line paragraphs (002) are kept', () => {
    const d1 = cleanText('001', load('001_4fd5f07e856e3726.txt'), 'text');
    const raw1 = load('001_4fd5f07e856e3726.txt').split('\n').filter((l) => l.trim());
    expect(d1.paragraphs).toHaveLength(raw1.length - 1); // minus the footer
    const d2 = cleanText('002', load('002_b775d3cc8d032d1e.txt'), 'text');
    expect(d2.paragraphs).toHaveLength(8);
  });
});
