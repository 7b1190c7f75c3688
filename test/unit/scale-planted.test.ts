// The scale benchmark's planted-pair scorer, generator and results writer; and the real CLI on a 2k planted corpus.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM JavaScript with JSDoc types (bench scripts have no build step)
import { scorePlanted, docKey } from '../../bench/scale/planted.mjs';
// @ts-expect-error plain ESM JavaScript with JSDoc types
import { generateInMemory, loadSource, measureUnrelated, overlap, shingles, writeCorpus, makeRng } from '../../bench/scale/generate.mjs';
// @ts-expect-error plain ESM JavaScript with JSDoc types
import { replaceSection } from '../../bench/scale/run.mjs';
import { runCli, tempDir } from '../helpers/cli.js';
import { SHARED } from '../helpers/paths.js';

const haveEcb = fs.existsSync(path.join(SHARED, 'bench/events/ecbplus/articles'));

describe('scorePlanted', () => {
  // groups: g1 = {a, b, c} (b exact of a, c near of a), g2 = {d, e} (e partial of d), g3 = {f}, g4 = {g}
  const truth = {
    groups: { '0000/a.txt': 1, '0000/b.txt': 1, '0001/c.txt': 1, '0001/d.txt': 2, '0002/e.txt': 2, '0002/f.txt': 3, '0002/g.txt': 4 },
    pairs: [
      { a: '0000/a.txt', b: '0000/b.txt', type: 'exact', param: 0, jaccard: 1, containment: 1 },
      { a: '0000/a.txt', b: '0001/c.txt', type: 'near', param: 0.01, jaccard: 0.95, containment: 0.97 },
      { a: '0001/d.txt', b: '0002/e.txt', type: 'partial', param: 0.5, jaccard: 0.33, containment: 0.52 },
    ],
  };

  it('counts found pairs, false pairs and precision from the clusters', () => {
    const report = {
      clusters: [
        // a, b, c together, plus unrelated f: 6 predicted pairs, 3 true
        { id: 'c1', members: [{ path: 'corpus/0000/a.txt' }, { path: 'corpus/0000/b.txt' }, { path: 'corpus/0001/c.txt' }, { path: 'corpus/0002/f.txt' }] },
        // d and e apart: partial copy missed
        { id: 'c2', members: [{ path: 'corpus/0001/d.txt' }] },
        { id: 'c3', members: [{ path: 'corpus/0002/e.txt' }] },
        { id: 'c4', members: [{ path: 'corpus/0002/g.txt' }] },
      ],
    };
    const s = scorePlanted(report, truth);
    expect(s.byType.exact).toEqual({ pairs: 1, found: 1, recall: 1 });
    expect(s.targets.nearJ08).toEqual({ pairs: 1, found: 1, recall: 1 });
    expect(s.targets.partialC05).toEqual({ pairs: 1, found: 0, recall: 0 });
    expect(s.precision.predictedPairs).toBe(6);
    expect(s.precision.truePairs).toBe(3);
    expect(s.precision.falsePairs).toBe(3);
    expect(s.precision.precision).toBeCloseTo(0.5);
    expect(s.precision.impureClusters).toBe(1);
    expect(s.precision.largestCluster).toBe(4);
    expect(s.documents).toMatchObject({ truth: 7, inReport: 7, missing: 0, duplicated: 0, unknown: 0 });
    expect(s.byBucket['near J>=0.9']).toEqual({ pairs: 1, found: 1, recall: 1 });
    expect(s.byBucket['partial 0.5<=C<0.75']).toEqual({ pairs: 1, found: 0, recall: 0 });
  });

  it('gives precision 1 for singletons and counts sibling copies of one original as true pairs', () => {
    const report = {
      clusters: [
        { id: 'c1', members: [{ path: '/abs/0000/b.txt' }, { path: '/abs/0001/c.txt' }] }, // siblings, original elsewhere
        { id: 'c2', members: [{ path: '/abs/0000/a.txt' }] },
        { id: 'c3', members: [{ path: '0001/d.txt' }, { path: '0002/e.txt' }] },
        { id: 'c4', members: [{ path: '0002/f.txt' }] },
      ],
    };
    const s = scorePlanted(report, truth);
    expect(s.precision).toMatchObject({ predictedPairs: 2, truePairs: 2, falsePairs: 0, precision: 1 });
    expect(s.byType.exact.recall).toBe(0);
    expect(s.byType.partial.recall).toBe(1);
    expect(s.documents.missing).toBe(1); // g
  });

  it('keys documents by their last two path segments', () => {
    expect(docKey('/tmp/x/docs/0012/d0012345.txt')).toBe('0012/d0012345.txt');
    expect(docKey('docs\\0012\\d0012345.txt')).toBe('0012/d0012345.txt');
  });
});

describe('replaceSection', () => {
  it('replaces only its own section and keeps the others', () => {
    const md = '# Results\n\n## Extraction\n\nx\n\n## Scale benchmark\n\nold\n\n### detail\n\nold too\n\n## Clustering\n\ny\n';
    const out = replaceSection(md, '## Scale benchmark', 'new');
    expect(out).toBe('# Results\n\n## Extraction\n\nx\n\n## Scale benchmark\n\nnew\n\n## Clustering\n\ny\n');
    expect(replaceSection('', '## Scale benchmark', 'new')).toContain('## Scale benchmark\n\nnew');
    expect(replaceSection('# R\n\n## A\n\na\n', '## Scale benchmark', 'new')).toBe('# R\n\n## A\n\na\n\n## Scale benchmark\n\nnew\n');
  });
});

describe.skipIf(!haveEcb)('planted generator', () => {
  it('is deterministic and plants what it says', () => {
    const src = loadSource();
    const a = generateInMemory({ size: 120, seed: 7, src });
    const b = generateInMemory({ size: 120, seed: 7, src });
    expect(a.docs).toEqual(b.docs);
    expect(a.truth).toEqual(b.truth);
    expect(generateInMemory({ size: 120, seed: 8, src }).docs[0].text).not.toBe(a.docs[0].text);
    expect(a.docs.length).toBe(120);
    const byPath = new Map(a.docs.map((d: { path: string; text: string }) => [d.path, d.text]));
    for (const p of a.truth.pairs) {
      expect(a.truth.groups[p.a]).toBe(a.truth.groups[p.b]);
      if (p.type === 'exact') expect(byPath.get(p.b).replace(/\s+/g, ' ').trim()).toBe(byPath.get(p.a).replace(/\s+/g, ' ').trim());
      if (p.type === 'near') expect(p.jaccard).toBeLessThan(1);
    }
    expect(makeRng(1, 2)()).toBe(makeRng(1, 2)());
  });

  it('keeps unrelated articles unrelated (few shared word 5-grams)', () => {
    const c = generateInMemory({ size: 400, seed: 3 });
    const m = measureUnrelated(c, 400);
    expect(m.shared5grams.mean).toBeLessThan(0.5);
    expect(m.shared3grams.maxJaccard).toBeLessThan(0.05);
    const o = overlap(shingles('a b c d e'), shingles('a b c d f'));
    expect(o.jaccard).toBeCloseTo(2 / 4);
  });
});

// Floors for the real CLI on a 2k planted corpus (targets: near J≥0.8 ≥ 0.99, precision ≥ 0.99, partial C≥0.5 ≥ 0.95).
const FLOOR = { nearJ08: 0.99, precision: 0.99, partialC05: 0.95 };

describe.skipIf(!haveEcb)('clean on a 2k planted corpus', () => {
  it('finds planted near-copies and partial copies without merging unrelated articles', () => {
    const root = tempDir('clean-scale-');
    try {
      const c = writeCorpus({ root: path.join(root, 'corpus'), size: 2000, seed: 11 });
      const out = path.join(root, 'out');
      const r = runCli([c.docsDir, '--format', 'json', '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      const truth = JSON.parse(fs.readFileSync(c.truthFile, 'utf8'));
      const s = scorePlanted(report, truth);
      expect(s.documents.missing).toBe(0);
      expect(s.documents.duplicated).toBe(0);
      expect(s.targets.exact.recall).toBe(1);
      expect(s.targets.nearJ08.pairs).toBeGreaterThan(100);
      expect(s.targets.nearJ08.recall).toBeGreaterThanOrEqual(FLOOR.nearJ08);
      expect(s.targets.partialC05.recall).toBeGreaterThanOrEqual(FLOOR.partialC05);
      expect(s.precision.precision).toBeGreaterThanOrEqual(FLOOR.precision);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
