// The five real seed articles (read from ../shared at run time) come out exactly as expected.json says.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEEDS } from '../helpers/paths.js';
import { readTree, runCli, tempDir } from '../helpers/cli.js';
import { checkAgainstExpected, loadExpected } from '../helpers/expected.js';

const expected = loadExpected(SEEDS);

describe('clean on ../shared/seeds', () => {
  it('matches expected.json: clusters, canonical, relations, removed and kept lines, metadata, repairs', () => {
    const { report } = checkAgainstExpected(SEEDS, expected);
    expect(report.summary.documents).toBe(5);
    expect(report.summary.clusters).toBe(3);
    expect(report.summary.duplicates).toBe(2);
    expect(report.errors).toEqual([]);
  });

  it('--check exits 1 on the seeds and lists problems as path:line rule message', () => {
    const r = runCli(['--check', SEEDS]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^clean: \d+ problems in \d+ of 5 documents/);
    expect(lines).toContainEqual(expect.stringMatching(/003_101b2b24460d714a\.txt:\d+ teaser\S* .*READ ALSO/));
    expect(lines).toContainEqual(expect.stringMatching(/003_101b2b24460d714a\.txt:1 near-duplicate duplicates .*001_4fd5f07e856e3726\.txt/));
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^\S.*:\d+ [a-z0-9-]+ .+/);
  });

  it('--check exits 0 on the folder clean just wrote (its own output is clean)', () => {
    const out = tempDir();
    expect(runCli([SEEDS, '--out', out, '--quiet']).code).toBe(0);
    const r = runCli(['--check', out]);
    expect(r.stdout).toMatch(/^clean: no problems in 3 documents$/m);
    expect(r.code).toBe(0);
    const outAll = tempDir();
    expect(runCli([SEEDS, '--all', '--out', outAll, '--quiet']).code).toBe(0);
    // Every cleaned document, not only canonicals, is clean on its own; the duplicates are still duplicates.
    const rAll = runCli(['--check', '--format', 'json', outAll]);
    const report = JSON.parse(rAll.stdout);
    expect(report.summary.removedLines).toBe(0);
    expect(report.summary.clusters).toBe(3);
  });

  it('gives byte-identical output whatever the order of the inputs', () => {
    const files = fs.readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).map((f) => path.join(SEEDS, f)).sort();
    const outA = tempDir();
    const outB = tempDir();
    const a = runCli([...files, '--out', outA, '--format', 'json']);
    const b = runCli([...files].reverse().concat(['--out', outB, '--format', 'json']));
    expect(a.code).toBe(0);
    expect(b.stdout.replaceAll(outB, 'OUT')).toBe(a.stdout.replaceAll(outA, 'OUT'));
    const ta = readTree(outA);
    const tb = readTree(outB);
    expect([...tb.keys()]).toEqual([...ta.keys()]);
    for (const [name, bytes] of ta) {
      const other = tb.get(name)!;
      if (name === 'manifest.json') expect(other.toString().replaceAll(outB, 'OUT')).toBe(bytes.toString().replaceAll(outA, 'OUT'));
      else expect(other.equals(bytes), name).toBe(true);
    }
  });

  it('writes the canonical article as title, blank line, paragraphs, in clean UTF-8', () => {
    const out = tempDir();
    const r = runCli([SEEDS, '--out', out, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    const c1 = report.clusters.find((c: { canonical: string }) => c.canonical.endsWith('001_4fd5f07e856e3726.txt'));
    const text = fs.readFileSync(path.join(out, path.basename(c1.output)), 'utf8');
    const [title, blank, ...rest] = text.split('\n');
    expect(title).toBe(expected.metadata!['001_4fd5f07e856e3726.txt'].title);
    expect(blank).toBe('');
    expect(rest.join('\n')).not.toMatch(/\n\n\n/);
    expect(text.endsWith('\n')).toBe(true);
    expect(path.basename(c1.output)).toBe('top-u-s-officials-are-in-the-middle-east-to-try-to-jumpstart-cease-fire-talks.txt');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const article = manifest.articles.find((a: { canonical: string }) => a.canonical === c1.canonical);
    expect(article.source).toBe('New York Times');
    expect(article.members).toHaveLength(3);
    expect(article.canonicalWhy.length).toBeGreaterThan(0);
  });
});
