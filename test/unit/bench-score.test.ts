// The JS port of the benchmark metric reproduces score.py (the shared benchmark's scorer).
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { SHARED } from '../helpers/paths.js';
// @ts-expect-error plain ESM JS module without declarations
import { scoreDir, scoreTexts, tokenize, shingles } from '../../bench/extraction/score.mjs';

const BENCH = path.join(SHARED, 'bench/extraction');
const GOLD = path.join(BENCH, 'gold');
const hasBench = fs.existsSync(GOLD);

function python(): string | null {
  for (const p of ['python3', 'python']) {
    const r = spawnSync(p, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return p;
  }
  return null;
}

/** Run score.py and parse its 4-gram and token rows. */
function scorePy(predDir: string): { f1: number; precision: number; recall: number; tokenF1: number } {
  const py = python()!;
  const r = spawnSync(py, [path.join(BENCH, 'score.py'), predDir, '--gold', GOLD, '--bootstrap', '2'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  const row = (label: string) => {
    const line = r.stdout.split('\n').find((l) => l.startsWith(label))!;
    const nums = [...line.matchAll(/(\d\.\d{3}) ±/g)].map((m) => Number(m[1]));
    return nums;
  };
  const g4 = row('4-gram');
  const g1 = row('token');
  return { f1: g4[0], precision: g4[1], recall: g4[2], tokenF1: g1[0] };
}

describe('score.mjs tokenisation and shingles', () => {
  it('tokenises like Python re \\w+ (letters, digits, underscore; marks split tokens)', () => {
    expect(tokenize('Hello, world_1! Ça va? 3.14')).toEqual(['Hello', 'world_1', 'Ça', 'va', '3', '14']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize(null)).toEqual([]);
    // a combining mark (U+0301) is not \w in Python: it splits the token
    expect(tokenize('e\u0301t\u00e9')).toEqual(['e', 'té']);
    expect(tokenize('日本語 テキスト')).toEqual(['日本語', 'テキスト']);
  });
  it('gives one shorter shingle for a text with fewer than n tokens, none for an empty text', () => {
    expect([...shingles(['a', 'b'], 4).values()]).toEqual([1]);
    expect(shingles([], 4).size).toBe(0);
    expect(shingles(['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd'], 4).get('a\u0001b\u0001c\u0001d')).toBe(2);
  });
  it('follows score.py on empty documents', () => {
    // gold and pred both empty: tp=fp=fn=0 → left out of both means
    expect(scoreTexts([{ gold: '', pred: '' }, { gold: 'one two three four five', pred: 'one two three four five' }], 4).f1).toBe(1);
    // empty prediction: precision left out, recall 0
    const r = scoreTexts([{ gold: 'one two three four five', pred: '' }], 4);
    expect(r.recall).toBe(0);
    expect(r.precision).toBe(0);
  });
});

describe.skipIf(!hasBench)('score.mjs reproduces the published numbers', () => {
  it('trafilatura refs: F1 0.958', () => {
    const r = scoreDir(path.join(BENCH, 'refs/trafilatura'), GOLD, 4);
    expect(r.docs).toBe(181);
    expect(r.f1.toFixed(3)).toBe('0.958');
  });
  it('raw text (no cleaning): F1 0.665', () => {
    const r = scoreDir(path.join(BENCH, 'raw'), GOLD, 4);
    expect(r.f1.toFixed(3)).toBe('0.665');
  });
  it.skipIf(!python())('matches python3 score.py on several systems, 4-gram and token level', () => {
    for (const dir of ['refs/trafilatura', 'refs/justext', 'refs/goose3', 'raw']) {
      const py = scorePy(path.join(BENCH, dir));
      const js4 = scoreDir(path.join(BENCH, dir), GOLD, 4);
      const js1 = scoreDir(path.join(BENCH, dir), GOLD, 1);
      expect(js4.f1.toFixed(3)).toBe(py.f1.toFixed(3));
      expect(js4.precision.toFixed(3)).toBe(py.precision.toFixed(3));
      expect(js4.recall.toFixed(3)).toBe(py.recall.toFixed(3));
      expect(js1.f1.toFixed(3)).toBe(py.tokenF1.toFixed(3));
    }
  });
  it('counts a missing prediction as empty text', () => {
    const empty = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'score-empty-'));
    const r = scoreDir(empty, GOLD, 4);
    expect(r.missing.length).toBe(181);
    expect(r.f1).toBe(0);
    fs.rmSync(empty, { recursive: true, force: true });
  });
});

describe('run.mjs helpers', () => {
  it('replaceSection replaces only the extraction section and keeps the others', async () => {
    // @ts-expect-error plain ESM JS module without declarations
    const { replaceSection, stripTitle } = await import('../../bench/extraction/run.mjs');
    const before = '# Benchmark results\n\n## Clustering benchmark\n\nold cluster table\n\n## Cleaning benchmark (extraction)\n\nold\n\n### HTML mode\n\nold table\n\n## Speed\n\nfast\n';
    const after = replaceSection(before, '## Cleaning benchmark (extraction)\n\nnew\n\n### HTML mode\n\nnew table');
    expect(after).toContain('## Clustering benchmark\n\nold cluster table');
    expect(after).toContain('## Speed\n\nfast');
    expect(after).toContain('new table');
    expect(after).not.toContain('old table');
    expect(after.match(/## Cleaning benchmark/g)?.length).toBe(1);
    expect(replaceSection('', '## Cleaning benchmark (extraction)\n\nx')).toBe('# Benchmark results\n\n## Cleaning benchmark (extraction)\n\nx\n');
    expect(replaceSection('# R\n\n## Other\n\ny\n', '## Cleaning benchmark (extraction)\n\nx')).toBe('# R\n\n## Other\n\ny\n\n## Cleaning benchmark (extraction)\n\nx\n');
    expect(stripTitle('The title\n\nFirst paragraph.\n\nSecond.')).toBe('First paragraph.\n\nSecond.');
    expect(stripTitle('Only a title')).toBe('');
  });
});
