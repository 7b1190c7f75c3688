// The spill of cleaned texts: what goes in comes back exactly, the file never has a name for long, and the
// pipeline's documents read their paragraphs from it as if they were in memory.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TextSpill } from '../../src/spill.js';
import { analyzeCorpus } from '../../src/pipeline.js';
import { renderArticle } from '../../src/clean/index.js';
import { FIXTURES, SEEDS } from '../helpers/paths.js';
import { tempDir } from '../helpers/cli.js';

const ODD = ['', 'plain', 'line\nbreak', 'nul\0byte', 'é ü ß “quotes” — dash', '😀 emoji', 'lone \ud800 surrogate', '\\ backslash "quote"', 'x'.repeat(10)];

describe('TextSpill', () => {
  const spills: TextSpill[] = [];
  afterEach(() => spills.splice(0).forEach((s) => s.close()));

  it('gives back every text exactly, whether still buffered or written, in any order', () => {
    const dir = tempDir('clean-spill-');
    const spill = TextSpill.create(dir)!;
    spills.push(spill);
    expect(spill).not.toBeNull();
    const stored: { texts: string[]; slot: NonNullable<ReturnType<TextSpill['store']>> }[] = [];
    // Enough to fill the buffer many times over, plus texts larger than the buffer.
    for (let i = 0; i < 3000; i++) {
      const texts = i % 500 === 7 ? ['big '.repeat(100_000) + i] : [...ODD.slice(0, (i % ODD.length) + 1), `paragraph ${i} `.repeat(i % 40)];
      const slot = spill.store(texts)!;
      expect(slot).not.toBeNull();
      stored.push({ texts, slot });
      // The latest text reads back before it is written to the file.
      if (i % 97 === 0) expect(spill.read(slot)).toEqual(texts);
    }
    for (let k = 0; k < stored.length; k++) {
      const { texts, slot } = stored[(k * 7919) % stored.length];
      expect(spill.read(slot)).toEqual(texts);
    }
    expect(spill.read(stored[3].slot)).toEqual(spill.read(stored[3].slot));
  });

  it('has no name in its folder once created, nor after it is closed', () => {
    const dir = tempDir('clean-spill-');
    const spill = TextSpill.create(dir)!;
    const slot = spill.store(['kept'])!;
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(spill.read(slot)).toEqual(['kept']);
    spill.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('cannot be made in a folder that does not exist (the texts then stay in memory)', () => {
    expect(TextSpill.create(path.join(tempDir('clean-spill-'), 'missing'))).toBeNull();
  });

  it('once closed, refuses texts and cannot read those in the file', () => {
    const spill = TextSpill.create(tempDir('clean-spill-'))!;
    const first = spill.store(['a'.repeat(300_000)])!; // larger than the buffer: written at once
    spill.close();
    expect(spill.store(['more'])).toBeNull();
    expect(() => spill.read(first)).toThrow(/released/);
  });
});

describe('analyzeCorpus with its texts spilled', () => {
  const tmpdir = process.env.TMPDIR;
  afterEach(() => {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  });

  it('documents and articles read the same texts as a run that keeps them in memory; nothing is left in the temporary folder', async () => {
    const dir = tempDir('clean-spill-tmp-');
    process.env.TMPDIR = dir;
    const spilled = await analyzeCorpus([FIXTURES, SEEDS]);
    const inMemory = await analyzeCorpus([FIXTURES, SEEDS], { spillTexts: false });
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(spilled.docs.length).toBeGreaterThan(10);
    expect(spilled.docs.map((d) => d.paragraphs)).toEqual(inMemory.docs.map((d) => d.paragraphs));
    expect(spilled.docs.map(renderArticle)).toEqual(inMemory.docs.map(renderArticle));
    expect(spilled.clusters.map((c) => c.text)).toEqual(inMemory.clusters.map((c) => c.text));
    expect(spilled.report).toEqual(inMemory.report);
    // Copies and serialisations carry the text (it is an own, enumerable property).
    const doc = spilled.docs.find((d) => d.paragraphs.length > 1)!;
    expect({ ...doc }.paragraphs).toEqual(doc.paragraphs);
    expect(JSON.parse(JSON.stringify(doc)).paragraphs).toEqual(doc.paragraphs);
    spilled.release();
    inMemory.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('keeps the removed lines (and repairs) of a page that is mostly boilerplate in the spill, and reads them back the same', async () => {
    const dir = tempDir('clean-spill-removed-');
    const junk = Array.from({ length: 40 }, (_, i) => `READ ALSO: Harbour story number ${i} you may have missed`);
    const body = 'The harbour council met on Monday and agreed the new winter timetable for the ferry after a long debate.';
    fs.writeFileSync(path.join(dir, 'page.txt'), ['Harbour timetable agreed', '', body, '', ...junk.flatMap((l) => [l, ''])].join('\n'));
    fs.writeFileSync(path.join(dir, 'short.txt'), `Ferry fares rise\n\n${body.replace('timetable', 'fares')}\n\nREAD ALSO: Tides\n`);
    const spilled = await analyzeCorpus([dir]);
    const inMemory = await analyzeCorpus([dir], { spillTexts: false });
    const page = spilled.docs.find((d) => d.path.endsWith('page.txt'))!;
    const short = spilled.docs.find((d) => d.path.endsWith('short.txt'))!;
    // Read from the spill (an accessor) from 16 removed lines on; a few stay in the document.
    expect(page.removed.length).toBe(40);
    expect(Object.getOwnPropertyDescriptor(page, 'removed')?.get).toBeTypeOf('function');
    expect(Object.getOwnPropertyDescriptor(short, 'removed')?.get).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(page, 'repairs')?.get).toBeTypeOf('function');
    expect(spilled.report).toEqual(inMemory.report);
    const kept = inMemory.docs.find((d) => d.path.endsWith('page.txt'))!;
    expect(JSON.parse(JSON.stringify(page)).removed).toEqual(kept.removed);
    expect(page.repairs).toEqual(kept.repairs);
    spilled.release();
    inMemory.release();
  });

  it('finds the same template lines and cleans the same documents again with the template keys spilled', async () => {
    const dir = tempDir('clean-spill-corpus-');
    // The seed articles (three stories) under one site's template line.
    for (const name of fs.readdirSync(SEEDS).filter((f) => f.endsWith('.txt'))) {
      fs.writeFileSync(path.join(dir, name), fs.readFileSync(path.join(SEEDS, name), 'utf8') + '\nTide tables and ferry times for every pier\n');
    }
    const spilled = await analyzeCorpus([dir]);
    const inMemory = await analyzeCorpus([dir], { spillTexts: false });
    expect(spilled.stats.templateLines).toBeGreaterThan(0);
    expect(spilled.stats.recleaned).toBeGreaterThan(0);
    expect(spilled.stats).toEqual(inMemory.stats);
    expect(spilled.report).toEqual(inMemory.report);
    expect(spilled.docs.map(renderArticle)).toEqual(inMemory.docs.map(renderArticle));
    expect(spilled.docs.filter((d) => d.removed.some((r) => r.rule === 'template-line')).length).toBeGreaterThan(2);
    spilled.release();
  });

  it('runs with the texts in memory when the temporary folder cannot be written', async () => {
    process.env.TMPDIR = path.join(tempDir('clean-spill-tmp-'), 'missing');
    const a = await analyzeCorpus([SEEDS]);
    expect(a.clusters.every((c) => c.text.length > 0)).toBe(true);
    a.release();
    expect(a.clusters.every((c) => c.text.length > 0)).toBe(true);
  });
});
