// CI slice of the extraction benchmark: the first 20 pages (by name) must keep a 4-gram F1 floor.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { SHARED } from '../helpers/paths.js';
import { extractHtml } from '../../src/extract-html/index.js';
// @ts-expect-error plain ESM JS module without declarations
import { scoreTexts, goldNames } from '../../bench/extraction/score.mjs';

const BENCH = path.join(SHARED, 'bench/extraction');
const hasBench = fs.existsSync(path.join(BENCH, 'gold'));

describe.skipIf(!hasBench)('extractHtml on the first 20 benchmark pages', () => {
  it('scores 4-gram F1 ≥ 0.965 (measured 0.981 when written)', () => {
    const names: string[] = goldNames(path.join(BENCH, 'gold')).slice(0, 20);
    const pairs = names.map((name) => ({
      name,
      gold: fs.readFileSync(path.join(BENCH, 'gold', name + '.txt'), 'utf8'),
      pred: extractHtml(fs.readFileSync(path.join(BENCH, 'html', name + '.html'), 'utf8')).text,
    }));
    const s = scoreTexts(pairs, 4);
    expect(s.f1).toBeGreaterThanOrEqual(0.965);
    expect(s.precision).toBeGreaterThanOrEqual(0.94);
    expect(s.recall).toBeGreaterThanOrEqual(0.94);
  });
});
