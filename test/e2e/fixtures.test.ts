// Our own fixture corpus (fixtures/) comes out exactly as fixtures/expected.json says.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/paths.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { checkAgainstExpected, loadExpected } from '../helpers/expected.js';

const expected = loadExpected(FIXTURES);

describe('clean on fixtures/', () => {
  it('matches fixtures/expected.json', () => {
    const { report } = checkAgainstExpected(FIXTURES, expected);
    expect(report.summary.clusters).toBe(expected.clusters.length);
    expect(report.summary.errors).toBe((expected.errors ?? []).length);
  });

  it("manifest.json keeps every member's own metadata: the HTML page's date and URL though it is not the canonical", () => {
    const out = tempDir();
    expect(runCli([FIXTURES, '--out', out, '--quiet']).code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const members = manifest.articles.flatMap((a: { members: Record<string, unknown>[] }) => a.members);
    const page = members.find((m: { path: string }) => m.path.endsWith('009_arlenbury-courier-hartwell-fire.html'));
    expect(manifest.articles.some((a: { canonical: string }) => a.canonical === page.path), 'the page is a member, not the canonical').toBe(false);
    expect(page).toMatchObject({ url: 'https://www.arlenburycourier.example/news/2025/06/14/hartwell-warehouse-fire', date: expect.stringMatching(/^2025-06-14/), byline: expect.stringMatching(/Imogen Blackwood/) });
    for (const m of members) for (const key of ['title', 'source', 'dek', 'byline', 'credits', 'dateline', 'date', 'url', 'removed']) expect(m, `${m.path}: ${key}`).toHaveProperty(key);
  });

  // An exact copy is one representative in the linkage; a near copy was one more, in every neighbour's neighbourhood
  // and in every average: turning 001's exact copy into a near copy (an appended line of names seen nowhere else)
  // merged the dock-deal story with the talks-collapse and walkout stories. Copies now count as one (copyFamilies).
  it('an exact copy edited into a near copy (one appended line) moves no other story', () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    fs.cpSync(FIXTURES, corpus, { recursive: true });
    const edited = fs.readdirSync(corpus).filter((f) => /^\d+_.*\.txt$/.test(f)).sort()[0];
    fs.appendFileSync(path.join(corpus, edited), '\nEditor’s note: Quorvane Tillbeck and Marsquell Ondrave corrected the figures.\n');
    const r = runCli([corpus, '--format', 'json', '--quiet', '--out', path.join(dir, 'out')]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { clusters: { members: { path: string }[] }[] };
    expect(report.clusters.length).toBe(expected.clusters.length);
    const together = (a: string, b: string) => report.clusters.some((c) => c.members.some((m) => m.path.includes(a)) && c.members.some((m) => m.path.includes(b)));
    expect(together('001_', '002_')).toBe(true);
    expect(together('001_', '005_')).toBe(false);
    expect(together('005_', '006_')).toBe(true);
  });

  it('--check exits 1 on the raw fixtures and 0 on what clean wrote', () => {
    expect(runCli(['--check', FIXTURES]).code).toBe(1);
    const out = tempDir();
    expect(runCli([FIXTURES, '--out', out, '--quiet']).code).toBe(0);
    const r = runCli(['--check', out]);
    expect(r.stdout).toMatch(/no problems/);
    expect(r.code).toBe(0);
  });
});
