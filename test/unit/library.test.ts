// The library entry point, as another program would use it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanCorpus } from '../../src/index.js';
import { analyzeCorpus } from '../../src/pipeline.js';
import { SEEDS } from '../helpers/paths.js';
import { tempDir } from '../helpers/cli.js';

describe('cleanCorpus(inputs, options) → Report', () => {
  it('returns the report and writes the canonical articles with a manifest', async () => {
    const out = tempDir();
    const report = await cleanCorpus([SEEDS], { out });
    expect(report.summary).toMatchObject({ documents: 5, clusters: 3, duplicates: 2, errors: 0 });
    const outputs = report.clusters.map((c) => c.output);
    for (const o of outputs) expect(fs.existsSync(o!)).toBe(true);
    expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(true);
  });
  it('writes nothing without `out`', async () => {
    const report = await cleanCorpus([SEEDS]);
    expect(report.clusters.every((c) => c.output === null)).toBe(true);
  });
  it('refuses an output folder inside an input folder before reading', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.txt'), 'Pier Reopens\n\nThe pier reopened on Monday after repairs costing 2 million dollars.\n');
    await expect(cleanCorpus([dir], { out: path.join(dir, 'out') })).rejects.toThrow(/inside the input folder/);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
  it('analyzeCorpus gives each document\'s path under its argument (for --all), the same each time it is read', async () => {
    const analysis = await analyzeCorpus([SEEDS]);
    try {
      expect(analysis.docs.map((d) => analysis.relativePaths.get(d.path))).toEqual(analysis.docs.map((d) => path.relative(SEEDS, d.path)));
      expect(analysis.relativePaths).toBe(analysis.relativePaths);
    } finally {
      analysis.release();
    }
  });
});
