// Checks a run of `clean` against an expected.json (the form of ../shared/seeds/expected.json).
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runCli, tempDir } from './cli.js';

export interface Expected {
  clusters: string[][];
  canonical: Record<string, string[]>;
  relations?: Record<string, { to: string; relation: string }>;
  mustRemove?: Record<string, string[]>;
  mustKeep?: Record<string, string[]>;
  metadata?: Record<string, { title?: string; source?: string; credits?: string[]; byline?: string; dateline?: string }>;
  repairs?: Record<string, { from?: string; to?: string; mustNotMatch?: string[] }>;
  errors?: string[];
}

export interface JsonReport {
  summary: { documents: number; clusters: number; duplicates: number; removedLines: number; errors: number };
  clusters: { id: string; title: string; canonical: string; output: string | null; members: { path: string; relation: string; score: number }[] }[];
  documents: { path: string; title: string | null; source: string | null; words: number; removed: { line: number; rule: string; text: string }[] }[];
  errors: { path: string; message: string }[];
}

export function loadExpected(dir: string): Expected {
  return JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
}

const base = (p: string) => path.basename(p);

/** Run the CLI once with --all (every cleaned document written) and once per canonical; return everything to check. */
export function runCorpus(dir: string) {
  const outAll = tempDir('clean-all-');
  const all = runCli([dir, '--all', '--out', outAll, '--format', 'json']);
  const outCanon = tempDir('clean-canon-');
  const canon = runCli([dir, '--out', outCanon, '--format', 'json']);
  return { outAll, all, outCanon, canon, report: JSON.parse(canon.stdout) as JsonReport };
}

/** The cleaned text of one input, as --all wrote it. */
export function cleanedText(outAll: string, file: string): string {
  const name = file.replace(/\.[^.]+$/, '') + '.txt';
  return fs.readFileSync(path.join(outAll, name), 'utf8');
}

export function checkAgainstExpected(dir: string, expected: Expected) {
  const { outAll, all, outCanon, canon, report } = runCorpus(dir);
  expect(canon.code, canon.stderr).toBe(0);
  expect(all.code, all.stderr).toBe(0);

  // Clusters, exactly, as sets of file names.
  const got = report.clusters.map((c) => c.members.map((m) => base(m.path)).sort()).sort((a, b) => a[0].localeCompare(b[0]));
  const want = expected.clusters.map((c) => [...c].sort()).sort((a, b) => a[0].localeCompare(b[0]));
  expect(got).toEqual(want);

  // Canonical members.
  for (const [canonical, members] of Object.entries(expected.canonical)) {
    const cluster = report.clusters.find((c) => c.members.some((m) => base(m.path) === members[0]));
    expect(cluster, `cluster of ${members[0]}`).toBeDefined();
    expect(base(cluster!.canonical)).toBe(canonical);
    expect(cluster!.members.find((m) => m.relation === 'canonical')?.path).toBe(cluster!.canonical);
    expect(cluster!.output).toBeTruthy();
    expect(fs.existsSync(path.join(outCanon, base(cluster!.output!)))).toBe(true);
  }

  // Relations of non-canonical members.
  for (const [file, rel] of Object.entries(expected.relations ?? {})) {
    const cluster = report.clusters.find((c) => c.members.some((m) => base(m.path) === file))!;
    const member = cluster.members.find((m) => base(m.path) === file)!;
    expect(member.relation, `relation of ${file}`).toBe(rel.relation);
    expect(base(cluster.canonical)).toBe(rel.to);
  }

  // Every removable line removed (and reported), every kept line kept.
  for (const [file, lines] of Object.entries(expected.mustRemove ?? {})) {
    const doc = report.documents.find((d) => base(d.path) === file)!;
    const removedTexts = doc.removed.map((r) => r.text.trim());
    const outLines = cleanedText(outAll, file).split('\n').map((l) => l.trim());
    // An HTML page's junk is mostly dropped by the extractor before line cleaning: only its absence counts.
    const isHtml = /\.html?$/i.test(file);
    for (const line of lines) {
      if (!isHtml) expect(removedTexts, `${file}: removed "${line}"`).toContain(line.trim());
      expect(outLines, `${file}: "${line}" absent from output`).not.toContain(line.trim());
    }
  }
  for (const [file, lines] of Object.entries(expected.mustKeep ?? {})) {
    const text = cleanedText(outAll, file);
    for (const line of lines) expect(text, `${file}: kept "${line}"`).toContain(line);
  }

  // Metadata: titles and sources from the report, credits from the manifest.
  const manifest = JSON.parse(fs.readFileSync(path.join(outAll, 'manifest.json'), 'utf8'));
  const manifestMembers = new Map<string, { credits: string[]; byline: string | null; dateline: string | null }>(
    manifest.articles.flatMap((a: { members: { path: string; credits: string[]; byline: string | null; dateline: string | null }[] }) => a.members.map((m) => [base(m.path), m])),
  );
  for (const [file, meta] of Object.entries(expected.metadata ?? {})) {
    const doc = report.documents.find((d) => base(d.path) === file)!;
    if (meta.title !== undefined) expect(doc.title, `${file} title`).toBe(meta.title);
    if (meta.source !== undefined) expect(doc.source, `${file} source`).toBe(meta.source);
    if (meta.credits !== undefined) expect(manifestMembers.get(file)?.credits, `${file} credits`).toEqual(meta.credits);
    if (meta.byline !== undefined) expect(manifestMembers.get(file)?.byline, `${file} byline`).toBe(meta.byline);
    if (meta.dateline !== undefined) expect(manifestMembers.get(file)?.dateline, `${file} dateline`).toBe(meta.dateline);
    if (meta.title) expect(cleanedText(outAll, file).split('\n')[0]).toBe(meta.title);
  }

  // Repairs.
  for (const [file, rep] of Object.entries(expected.repairs ?? {})) {
    const text = cleanedText(outAll, file);
    if (rep.to !== undefined) expect(text, `${file} repaired`).toContain(rep.to);
    if (rep.from !== undefined && rep.from !== rep.to) expect(text, `${file} no longer has "${rep.from}"`).not.toContain(rep.from);
    for (const pattern of rep.mustNotMatch ?? []) expect(text, `${file} must not match /${pattern}/`).not.toMatch(new RegExp(pattern));
  }

  // Unusable inputs are reported, each once, and do not stop the run.
  for (const file of expected.errors ?? []) {
    expect(report.errors.map((e) => base(e.path))).toContain(file);
    expect(canon.stderr).toContain(file);
  }
  return { report, outAll, outCanon };
}
