import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocCache } from '../../src/cache/index.js';
import { analyzeCorpus, type CorpusAnalysis } from '../../src/pipeline.js';
import { writeOutputs } from '../../src/write/index.js';
import { topLevelValue } from '../../src/json-chunks.js';
import { articleSignature, buildManifest, decodeLayout, documentIndex, emptyLayout, encodeLayout, layoutFinder, manifestPieces, reusableArticles, topLevelStrings, type ManifestLayout } from '../../src/write/manifest.js';
import type { CleanDoc, Cluster } from '../../src/types.js';
import type { DocSettings } from '../../src/document.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/paths.js';

const settings: DocSettings = { disabledRules: [], extraRules: [] };
const FILES = ['a.txt', 'b.txt'];

/** The manifest as it was written before it was made in pieces: the whole value, pretty, and a newline. */
const whole = (analysis: CorpusAnalysis) => JSON.stringify({ ...buildManifest(analysis), files: FILES }, null, 2) + '\n';
/** A layout as the cache gives it back. */
const stored = (layout: ManifestLayout) => decodeLayout(encodeLayout(layout))!;
/** The characters of a signature (SHA-1 in base64). */
const SIG_CHARS = 28;
const joined = (pieces: Iterable<string | Uint8Array>) => Buffer.concat([...pieces].map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

async function cachedAnalysis(dir: string): Promise<CorpusAnalysis> {
  const cache = DocCache.open(path.join(dir, 'cache.bin'), '1.0.0', settings, () => {});
  return analyzeCorpus([FIXTURES], { cache, spillTexts: false });
}

describe('manifest.json made in pieces', () => {
  it('is JSON.stringify(manifest, null, 2) byte for byte, with and without the cache, and with no article at all', async () => {
    const plain = await analyzeCorpus([FIXTURES], { spillTexts: false });
    expect(plain.clusters.length).toBeGreaterThan(2);
    expect(plain.report.errors.length).toBeGreaterThan(0); // the fixtures hold bad inputs: "errors" is not empty
    expect(joined(manifestPieces(plain, FILES, null)).toString('utf8')).toBe(whole(plain));
    const cached = await cachedAnalysis(tempDir());
    expect(joined(manifestPieces(cached, FILES, null, emptyLayout())).toString('utf8')).toBe(whole(cached));
    const none = { ...plain, clusters: [], report: { ...plain.report, errors: [] } };
    expect(joined(manifestPieces(none, [], null)).toString('utf8')).toBe(JSON.stringify({ ...buildManifest(none), files: [] }, null, 2) + '\n');
  });

  it('notes where each article landed (with the cache), and copies an article whose signature it is given instead of making it', async () => {
    const analysis = await cachedAnalysis(tempDir());
    const layout = emptyLayout();
    const bytes = joined(manifestPieces(analysis, FILES, null, layout));
    expect(layout.length).toBe(bytes.length);
    expect(layout.signatures).toHaveLength(analysis.clusters.length);
    expect(layout.places).toHaveLength(2 * analysis.clusters.length);
    expect(layout.copied).toBe(0);
    const manifest = JSON.parse(bytes.toString('utf8')) as { articles: unknown[] };
    layout.signatures.forEach((_, i) => {
      const [start, length] = layout.places.slice(2 * i, 2 * i + 2);
      expect(JSON.parse(bytes.toString('utf8', start, start + length))).toEqual(manifest.articles[i]);
    });
    // every article copied from the bytes: the same manifest
    const reuse = reusableArticles(stored(layout), bytes)!;
    const again = emptyLayout();
    expect(joined(manifestPieces(analysis, FILES, reuse, again)).equals(bytes)).toBe(true);
    expect(again.copied).toBe(analysis.clusters.length);
    // what is copied is what the bytes hold where the layout places the entry (here a marker), not made again
    const [start, length] = layout.places.slice(2, 4);
    const marked = Buffer.from(bytes);
    marked.write('{"copied": true}'.padEnd(length), start);
    expect(JSON.parse(joined(manifestPieces(analysis, FILES, { ...reuse, bytes: marked })).toString('utf8')).articles[1]).toEqual({ copied: true });
  });

  it('copies entries that lay one after another as one piece, and notes the same layout as a manifest made afresh', async () => {
    const analysis = await cachedAnalysis(tempDir());
    const layout = emptyLayout();
    const bytes = joined(manifestPieces(analysis, FILES, null, layout));
    const reuse = reusableArticles(stored(layout), bytes)!;
    // all copied: the head, one run of every entry, the tail
    const again = emptyLayout();
    const pieces = [...manifestPieces(analysis, FILES, reuse, again)];
    expect(pieces.filter((p) => typeof p !== 'string')).toHaveLength(1);
    expect(joined(pieces).equals(bytes)).toBe(true);
    expect({ ...again, copied: 0 }).toEqual(layout);
    // one entry in the middle not in the layout (made again): two runs around it, the same bytes and layout
    const middle = stored({ ...layout, signatures: layout.signatures.map((s, i) => (i === 1 ? 'x'.repeat(s.length) : s)) });
    const third = emptyLayout();
    const split = [...manifestPieces(analysis, FILES, { bytes, layout: middle }, third)];
    expect(split.filter((p) => typeof p !== 'string')).toHaveLength(2);
    expect(joined(split).equals(bytes)).toBe(true);
    expect(third.copied).toBe(analysis.clusters.length - 1);
    expect({ ...third, copied: 0 }).toEqual(layout);
  });

  it('makes a manifest of clusters in another order byte for byte, and never takes in what lies between two entries unless it is the separator', async () => {
    const analysis = await cachedAnalysis(tempDir());
    const layout = emptyLayout();
    const bytes = joined(manifestPieces(analysis, FILES, null, layout));
    const reuse = reusableArticles(stored(layout), bytes)!;
    const reversed = { ...analysis, clusters: [...analysis.clusters].reverse() };
    const fresh = emptyLayout();
    const expected = joined(manifestPieces(reversed, FILES, null, fresh));
    const copied = emptyLayout();
    expect(joined(manifestPieces(reversed, FILES, reuse, copied)).equals(expected)).toBe(true);
    expect({ ...copied, copied: 0 }).toEqual(fresh);
    // bytes where the separator after the first entry is something else: the entries are copied, the separator not
    const [start, length] = layout.places.slice(0, 2);
    const odd = Buffer.from(reuse.bytes);
    odd.write(';;', start + length);
    const out = joined(manifestPieces(analysis, FILES, { ...reuse, bytes: odd })).toString('utf8');
    expect(out).toBe(whole(analysis));
  });

  it('takes nothing from a manifest that is not the one the layout was made for (edited, or another length), nor from a stored layout that does not add up', async () => {
    const analysis = await cachedAnalysis(tempDir());
    const layout = emptyLayout();
    const bytes = joined(manifestPieces(analysis, FILES, null, layout));
    const edited = Buffer.from(bytes);
    edited[layout.places[0] + 10] ^= 1;
    expect(reusableArticles(stored(layout), edited)).toBeNull();
    expect(reusableArticles(stored(layout), bytes.subarray(0, bytes.length - 1))).toBeNull();
    expect(reusableArticles(stored(layout), undefined)).toBeNull();
    expect(reusableArticles(null, bytes)).toBeNull();
    const encoded = Buffer.from(encodeLayout(layout));
    expect(decodeLayout(encoded)).not.toBeNull();
    // the JSON layout of earlier builds, a layout cut short or longer, another format, a place past the manifest's end
    const otherFormat = Buffer.from(encoded);
    otherFormat.writeUInt32LE(1, 0);
    const pastTheEnd = Buffer.from(encoded);
    pastTheEnd.writeDoubleLE(layout.length, 24);
    const negative = Buffer.from(encoded);
    negative.writeDoubleLE(-1, 24);
    const fraction = Buffer.from(encoded);
    fraction.writeDoubleLE(1.5, 32);
    for (const bad of [Buffer.from('{"length":10,"crc":0,"articles":[["x",0,5]]}'), encoded.subarray(0, encoded.length - 1), Buffer.concat([encoded, Buffer.from('x')]), encoded.subarray(0, 10), otherFormat, pastTheEnd, negative, fraction]) {
      expect(decodeLayout(bad)).toBeNull();
    }
    expect(decodeLayout(undefined)).toBeNull();
    // a signature of another length is not stored at all (the ones after it would be misplaced)
    expect(decodeLayout(encodeLayout({ ...layout, signatures: [...layout.signatures.slice(1), 'short'] }))).toBeNull();
  });

  it('finds signatures in order, past a few entries removed, and anywhere once many were not where expected', () => {
    const sig = (n: number) => n.toString().padStart(SIG_CHARS, 's');
    const layoutOf = (ns: number[]) => stored({ length: 1000, crc: 0, signatures: ns.map(sig), places: ns.flatMap((n) => [n, 1]) });
    const find = layoutFinder(layoutOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    // in order; 2 and 3 removed since; 100 new; the rest in order
    expect([0, 1, 4, 100, 5, 6, 7, 8, 9].map((n) => find(sig(n)))).toEqual([0, 1, 4, -1, 5, 6, 7, 8, 9]);
    expect(find('short')).toBe(-1);
    // backwards: not where expected, found once the misses are many
    const many = Array.from({ length: 40 }, (_, n) => n);
    const back = layoutFinder(layoutOf(many));
    const found = [...many].reverse().map((n) => back(sig(n)));
    expect(found.slice(-10)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    found.forEach((k, i) => expect(k === -1 || k === 39 - i).toBe(true));
  });

  it('through writeOutputs with the cache: a run after an edit, and one after the manifest was edited by hand, write the manifest an uncached run writes', async () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    fs.cpSync(FIXTURES, corpus, { recursive: true });
    const out = path.join(dir, 'out');
    const run = async (withCache: boolean, to = out) => {
      const cache = withCache ? DocCache.open(path.join(dir, 'cache.bin'), '1.0.0', settings, () => {}) : undefined;
      const analysis = await analyzeCorpus([corpus], { cache });
      try {
        await writeOutputs(analysis, { outDisplay: 'out', outAbs: to, cache });
      } finally {
        analysis.release();
      }
      cache?.save();
    };
    const fresh = async () => {
      const other = path.join(dir, `fresh-${Math.random()}`);
      await run(false, other);
      return fs.readFileSync(path.join(other, 'manifest.json'), 'utf8');
    };
    await run(true);
    const target = fs.readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort()[0];
    fs.appendFileSync(path.join(corpus, target), '\nA correction was added to this story on Friday.\n');
    await run(true);
    expect(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe(await fresh());
    // a hand edit of the same length: the layout no longer holds, nothing is copied from the edited bytes
    const manifestFile = path.join(out, 'manifest.json');
    const text = fs.readFileSync(manifestFile, 'utf8');
    fs.writeFileSync(manifestFile, text.replace('"relation": "canonical"', '"relation": "CANONICAL"'));
    await run(true);
    expect(fs.readFileSync(manifestFile, 'utf8')).toBe(text);
  });
});

describe('documents by path', () => {
  const docs = (...paths: string[]) => paths.map((path) => ({ path }) as CleanDoc);
  /** What a Map made from the list answers: the last document of a path. */
  const byMap = (list: CleanDoc[], path: string) => new Map(list.map((d, i) => [d.path, i])).get(path) ?? -1;

  it('finds each document of a list in ascending order, with a wrong or no likely index, and none for a path not there', () => {
    const list = docs('a/1.txt', 'a/2.txt', 'a/b/1.txt', 'b.txt', 'c d.txt', 'é.txt');
    const indexOf = documentIndex(list);
    list.forEach((d, i) => {
      expect(indexOf(d.path)).toBe(i);
      expect(indexOf(d.path, i)).toBe(i);
      expect(indexOf(d.path, (i + 2) % list.length)).toBe(i);
      expect(indexOf(d.path, 99)).toBe(i);
    });
    for (const absent of ['', 'a', 'a/1.txt ', 'a/3.txt', 'z.txt', '0.txt']) expect(indexOf(absent, 0)).toBe(-1);
    expect(documentIndex([])('a.txt')).toBe(-1);
  });

  it('answers as a Map would for a list out of order or with a path twice (the last of them)', () => {
    for (const list of [docs('b.txt', 'a.txt', 'c.txt'), docs('a.txt', 'b.txt', 'b.txt', 'c.txt')]) {
      const indexOf = documentIndex(list);
      for (const path of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) {
        expect(indexOf(path)).toBe(byMap(list, path));
        expect(indexOf(path, 1)).toBe(byMap(list, path));
      }
    }
  });
});

describe('the list of files', () => {
  it('is topLevelValue of it, for no file, one, and names that JSON escapes', () => {
    for (const list of [[], ['a.txt'], ['a.txt', 'b/c.txt', 'quote".txt', 'line\nbreak.txt', 'tab\t.txt', 'é😀.txt', 'lone\ud800.txt']]) {
      expect(topLevelStrings(list)).toBe(topLevelValue(list));
    }
  });
});

describe('article signatures', () => {
  const base: Cluster = {
    id: 'c1',
    output: 'out/a.txt',
    title: 'A title',
    canonical: 'in/a.txt',
    canonicalWhy: ['most content'],
    members: [
      { path: 'in/a.txt', relation: 'canonical', score: 1, why: [] },
      { path: 'in/b.txt', relation: 'near-duplicate', score: 0.724, why: ['copied text', 'shared terms'] },
    ],
  };
  const ids = ['k1', 'k2'];
  const member = (i: number, m: Partial<Cluster['members'][number]>) => ({ ...base, members: base.members.map((x, j) => (j === i ? { ...x, ...m } : x)) });

  it('changes with every field an entry is made from, and with where a text ends and the next begins', () => {
    const variants: [Cluster, readonly string[]][] = [
      [base, ids],
      [{ ...base, id: 'c2' }, ids],
      [{ ...base, output: null }, ids],
      [{ ...base, output: 'null' }, ids],
      [{ ...base, title: null }, ids],
      [{ ...base, title: '' }, ids],
      [{ ...base, title: '-' }, ids],
      [{ ...base, canonical: 'in/b.txt' }, ids],
      [{ ...base, canonicalWhy: [] }, ids],
      [{ ...base, canonicalWhy: ['most', 'content'] }, ids],
      [{ ...base, canonicalWhy: ['most content', ''] }, ids],
      [member(1, { path: 'in/c.txt' }), ids],
      [member(1, { relation: 'same-event' }), ids],
      [member(1, { score: 0.72 }), ids],
      [member(1, { score: 7.24 }), ids],
      [member(1, { why: ['copied text'] }), ids],
      [member(1, { why: ['copied textshared terms'] }), ids],
      [member(0, { why: ['copied text', 'shared terms'] }), ids],
      [{ ...base, members: base.members.slice(0, 1) }, ids.slice(0, 1)],
      [base, ['k1', 'k3']],
      [base, ['k1k2']],
      // text moved from one field into the next
      [{ ...base, id: 'c1 1:A', title: 'title' }, ids],
      [{ ...base, output: 'out/a.txt7:A', title: null }, ids],
    ];
    expect(new Set(variants.map(([c, k]) => articleSignature(c, k))).size).toBe(variants.length);
    expect(articleSignature({ ...base, members: base.members.map((m) => ({ ...m, why: [...m.why] })) }, [...ids])).toBe(articleSignature(base, ids));
  });

  it('tells apart titles that differ only in a lone surrogate (which UTF-8 would make the same character; JSON escapes it)', () => {
    const a = articleSignature({ ...base, title: 'A \ud800 title' }, ids);
    const b = articleSignature({ ...base, title: 'A \ud801 title' }, ids);
    expect(a).not.toBe(b);
    expect(a).not.toBe(articleSignature({ ...base, title: 'A \ufffd title' }, ids));
  });
});
