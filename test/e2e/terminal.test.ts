// `clean` in a real terminal (tmux): what a person sees. The summary table, removed lines by rule,
// errors and where the output went; colours on a TTY and none with NO_COLOR or --no-color; --explain;
// a narrow terminal; and the progress bar of long runs (drawn on a TTY only, and never left behind).
// The expected values come from the manifest.json that the same run wrote, so the tests follow the
// clustering as it changes and check only that the screen tells the truth about the run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO } from '../helpers/paths.js';
import { tempDir } from '../helpers/cli.js';
import { hasTmux, NO_TMUX_MESSAGE, sh, Terminal, writeInventedArticles, type CommandRun } from '../helpers/tmux.js';

const TMUX = hasTmux();
if (!TMUX) console.warn(NO_TMUX_MESSAGE);

/** The command a person types (absolute node and script, so PATH does not matter). */
const CLEAN = `${sh(process.execPath)} ${sh(CLI)}`;

interface Manifest {
  summary: { documents: number; clusters: number; duplicates: number; removedLines: number; errors: number };
  articles: {
    id: string;
    title: string;
    output: string;
    canonical: string;
    canonicalWhy: string[];
    members: { path: string; relation: string; score: number; why: string[]; removed: { line: number; rule: string; text: string }[] }[];
  }[];
  errors: { path: string; message: string }[];
}

const readManifest = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const ESC = /\x1b\[/;
const width = (line: string) => [...line].length;

function headerOf(m: Manifest): string {
  const s = m.summary;
  return `${plural(s.documents, 'document')} → ${plural(s.clusters, 'article')} (${plural(s.duplicates, 'duplicate')}), ${plural(s.removedLines, 'line')} removed, ${plural(s.errors, 'error')}`;
}

/** The block of screen lines for one cluster: its title line up to the next cluster's title or a blank line. */
function clusterBlock(lines: string[], id: string): string[] {
  const start = lines.findIndex((l) => new RegExp(`^${esc(id)}\\s`).test(l));
  expect(start, `cluster ${id} on screen`).toBeGreaterThanOrEqual(0);
  let end = start + 1;
  while (end < lines.length && lines[end] !== '' && !/^c\d+\s/.test(lines[end])) end++;
  return lines.slice(start, end);
}

/** The lines of a section that starts with `heading` and ends at a blank line. */
function section(lines: string[], heading: string): string[] {
  const start = lines.indexOf(heading);
  expect(start, `"${heading}" on screen`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end === -1 ? lines.length : end);
}

describe.skipIf(!TMUX)('a person at a terminal (tmux, 120×50)', () => {
  let term: Terminal;
  let work: string;
  beforeAll(async () => {
    term = await Terminal.open({ cwd: REPO, width: 120, height: 50 });
  });
  afterAll(() => term?.close());
  afterEach(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('shows the summary table: clusters, titles, members, relations, scores, ★ on the canonical; removed lines by rule; errors; where the output went', async () => {
    work = tempDir('clean-tty-');
    const out = path.join(work, 'out');
    const r = await term.run(`${CLEAN} fixtures --out ${sh(out)}`);
    expect(r.code, r.lines.join('\n')).toBe(0);
    const m = readManifest(out);
    const lines = r.lines;

    // Unreadable files: one line each as they are met (stderr), and a section of the summary.
    for (const e of m.errors) expect(lines).toContain(`clean: ${e.path}: ${e.message}`);
    expect(m.errors.map((e) => path.basename(e.path)).sort()).toEqual(['broken.bin', 'empty.txt']);

    expect(lines).toContain(headerOf(m));

    // One block per cluster: its title, then each member in order with its relation and score; ★ marks the canonical only.
    for (const a of m.articles) {
      const block = clusterBlock(lines, a.id);
      expect(block[0]).toMatch(new RegExp(`^${esc(a.id)}\\s+${esc(a.title)}$`));
      expect(block.slice(1)).toHaveLength(a.members.length);
      a.members.forEach((mem, i) => {
        const row = block[1 + i];
        if (mem.relation === 'canonical') {
          expect(mem.path).toBe(a.canonical);
          expect(row).toMatch(new RegExp(`^\\s+★ ${esc(mem.path)}\\s+canonical$`));
        } else {
          expect(row).toMatch(new RegExp(`^\\s+${esc(mem.path)}\\s+${esc(mem.relation)}\\s+${mem.score.toFixed(2)}$`));
          expect(row).not.toContain('★');
        }
      });
    }
    expect(lines.filter((l) => l.includes('★'))).toHaveLength(m.articles.length);

    // Removed lines, counted by rule, the same counts as the manifest.
    const byRule = new Map<string, number>();
    for (const a of m.articles) for (const mem of a.members) for (const rm of mem.removed) byRule.set(rm.rule, (byRule.get(rm.rule) ?? 0) + 1);
    expect(byRule.size).toBeGreaterThan(0);
    const rows = section(lines, 'Removed lines by rule');
    expect(rows).toHaveLength(byRule.size);
    for (const [rule, n] of byRule) expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^\\s+${esc(rule)}\\s+${n}$`)));

    const errors = section(lines, 'Errors');
    expect(errors.map((l) => l.trim()).sort()).toEqual(m.errors.map((e) => `${e.path}: ${e.message}`).sort());

    // Where the articles went, last.
    expect(lines[lines.length - 1]).toBe(`Wrote ${plural(m.articles.length, 'article')} and manifest.json to ${out}`);
    for (const a of m.articles) expect(fs.existsSync(a.output), a.output).toBe(true);
  });

  it('colours on the terminal; none with NO_COLOR=1, --no-color or TERM=dumb', async () => {
    work = tempDir('clean-tty-');
    const coloured = await term.run(`${CLEAN} fixtures --out ${sh(path.join(work, 'a'))}`, { escapes: true });
    expect(coloured.code, coloured.lines.slice(-20).join('\n')).toBe(0);
    const text = coloured.lines.join('\n');
    expect(text).toMatch(/\x1b\[1m\d+ documents →/); // bold headline
    expect(text).toMatch(/\x1b\[32m★/); // green star on the canonical
    expect(text).toMatch(/\x1b\[3[1-6]m(exact|near-duplicate|same-event)/); // relations in colour

    const noColorEnv = await term.run(`NO_COLOR=1 ${CLEAN} fixtures --out ${sh(path.join(work, 'b'))}`, { escapes: true });
    expect(noColorEnv.code, noColorEnv.lines.slice(-20).join('\n')).toBe(0);
    expect(noColorEnv.lines.join('\n')).toContain('★');
    expect(noColorEnv.lines.join('\n')).not.toMatch(ESC);

    const noColorFlag = await term.run(`${CLEAN} fixtures --no-color --out ${sh(path.join(work, 'c'))}`, { escapes: true });
    expect(noColorFlag.code, noColorFlag.lines.slice(-20).join('\n')).toBe(0);
    expect(noColorFlag.lines.join('\n')).toContain('★');
    expect(noColorFlag.lines.join('\n')).not.toMatch(ESC);

    // TERM=dumb (an editor's shell buffer shows escape codes as text): plain too
    const dumb = await term.run(`TERM=dumb ${CLEAN} fixtures --out ${sh(path.join(work, 'd'))}`, { escapes: true });
    expect(dumb.code, dumb.lines.slice(-20).join('\n')).toBe(0);
    expect(dumb.lines.join('\n')).toContain('★');
    expect(dumb.lines.join('\n')).not.toMatch(ESC);
  });

  it('no colour codes in a file: `clean … 2> errors.log` on a terminal leaves plain text in errors.log', async () => {
    work = tempDir('clean-tty-');
    const log = path.join(work, 'errors.log');
    const r = await term.run(`${CLEAN} fixtures --out ${sh(path.join(work, 'out'))} 2> ${sh(log)}`, { escapes: true });
    expect(r.code, r.lines.slice(-20).join('\n')).toBe(0);
    expect(r.lines.join('\n')).toMatch(/\x1b\[32m★/); // stdout is still the terminal, in colour
    const errors = fs.readFileSync(log, 'utf8');
    expect(errors, JSON.stringify(errors)).not.toMatch(ESC);
    expect(errors).toMatch(/^clean: fixtures\/broken\.bin: /m);
  });

  it('--explain: why each member joined, why the canonical won, and the lines each rule removed from each document', async () => {
    work = tempDir('clean-tty-');
    const out = path.join(work, 'out');
    const r = await term.run(`${CLEAN} fixtures --explain --out ${sh(out)}`);
    expect(r.code, r.lines.join('\n')).toBe(0);
    const m = readManifest(out);
    const lines = r.lines;
    let reasons = 0;
    for (const a of m.articles) {
      const start = lines.findIndex((l) => new RegExp(`^${esc(a.id)}\\s`).test(l));
      expect(start).toBeGreaterThanOrEqual(0);
      let i = start + 1;
      for (const mem of a.members) {
        expect(lines[i], `${a.id}: row of ${mem.path}`).toContain(mem.path);
        i++;
        if (mem.relation === 'canonical') continue;
        expect(mem.why.length, `${mem.path} has reasons`).toBeGreaterThan(0);
        for (const why of mem.why) {
          expect(lines[i], `${mem.path}: why`).toMatch(new RegExp(`^\\s+· ${esc(why)}$`));
          i++;
          reasons++;
        }
      }
      if (a.canonicalWhy.length) expect(lines[i], `${a.id}: why the canonical won`).toMatch(new RegExp(`^\\s+canonical: ${esc(a.canonicalWhy.join('; '))}$`));
    }
    expect(reasons).toBeGreaterThan(0);

    // Removed lines by document: each document, then each removed line with its number, rule and text.
    const rows = section(lines, 'Removed lines by document');
    const removedDocs = m.articles.flatMap((a) => a.members).filter((mem) => mem.removed.length > 0);
    expect(removedDocs.length).toBeGreaterThan(0);
    for (const mem of removedDocs) {
      const at = rows.indexOf(`  ${mem.path}`);
      expect(at, `${mem.path} listed`).toBeGreaterThanOrEqual(0);
      mem.removed.forEach((rm, k) => {
        const row = rows[at + 1 + k];
        const match = /^\s+(\d+) (\S+)\s+(.*)$/.exec(row ?? '');
        expect(match, `${mem.path}: removed line ${rm.line} shown as "line rule text", got ${JSON.stringify(row)}`).not.toBeNull();
        expect(Number(match![1])).toBe(rm.line);
        expect(match![2]).toBe(rm.rule);
        const shown = match![3].replace(/…$/, '');
        expect(shown.length).toBeGreaterThan(0);
        expect(rm.text.trim().startsWith(shown), `${JSON.stringify(shown)} is the start of ${JSON.stringify(rm.text)}`).toBe(true);
      });
    }
  });
});

describe.skipIf(!TMUX)('a narrow terminal (80 columns)', () => {
  it('the table fits: no line wider than the terminal, long paths shortened with …, columns aligned', async () => {
    const term = await Terminal.open({ cwd: REPO, width: 80, height: 40 });
    const work = tempDir('clean-tty-');
    try {
      const r = await term.run(`${CLEAN} fixtures --out ${sh(path.join(work, 'o'))}`);
      expect(r.code, r.lines.slice(-20).join('\n')).toBe(0);
      const tooWide = r.lines.filter((l) => width(l) > 80);
      expect(tooWide, `lines wider than 80 columns in:\n${r.lines.join('\n')}`).toEqual([]);
      const rows = r.lines.filter((l) => /\s(canonical|exact|near-duplicate|same-event)(\s+\d\.\d\d)?$/.test(l));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((l) => l.includes('…')), 'the fixtures’ long paths are shortened').toBe(true);
      // shortened in the middle: each keeps the start of its file name (the number) and its extension
      for (const l of rows) expect(l, 'a row shows the start and the end of its file name').toMatch(/^\s+(★ )?\s*(fixtures\/|…\/|fixt…\/)?\d{3}_\S*\.(txt|html?)\s/);
      const columns = new Set(rows.map((l) => l.search(/ (canonical|exact|near-duplicate|same-event)\b/)));
      expect(columns.size, 'relations start in one column').toBe(1);
      // Titles are shortened too, never wrapped.
      for (const l of r.lines.filter((x) => /^c\d+\s/.test(x))) expect(width(l)).toBeLessThanOrEqual(80);
    } finally {
      term.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

// ── Progress bar on long runs ────────────────────────────────────────────────────────────────────
// What counts as a progress line: a count out of the corpus size ("1200/3000", "1,200 of 3,000"), a
// percentage, or a bar of block, `=` or `#` characters. Adjust if the bar is drawn differently.
const PROGRESS = /\b\d[\d,]*\s*(\/|of)\s*[23],?000\b|\b\d{1,3}(\.\d+)?\s?%|[█▉▊▋▌▍▎▏▓▒░■━]{3,}|\[[=#>. -]{5,}\]/;

describe.skipIf(!TMUX)('progress on a long run (3,000 invented articles)', () => {
  let work: string;
  let plain: CommandRun;
  let inCI: CommandRun;
  let quiet: CommandRun;
  const terms: Terminal[] = [];

  beforeAll(async () => {
    work = tempDir('clean-progress-');
    writeInventedArticles(path.join(work, 'articles'), 3000);
    const open = async () => {
      const t = await Terminal.open({ cwd: work, width: 120, height: 50 });
      terms.push(t);
      return t;
    };
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    // Three runs at once: the full corpus without CI in the environment, and two runs that must
    // never draw (CI set; --quiet) on a quoted glob that clean expands itself (2,000 files).
    [plain, inCI, quiet] = await Promise.all([
      a.run(`${CLEAN} articles --out out-plain`, { timeoutMs: 100_000 }),
      b.run(`CI=true ${CLEAN} 'articles/a0[01]*.txt' --out out-ci`, { timeoutMs: 100_000 }),
      c.run(`${CLEAN} 'articles/a0[01]*.txt' --quiet --out out-quiet`, { timeoutMs: 100_000 }),
    ]);
  }, 120_000);
  afterAll(() => {
    for (const t of terms) t.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('draws a progress bar on stderr while a long run works', () => {
    expect(plain.elapsedMs, 'the run lasted long enough for a bar').toBeGreaterThan(1500);
    const drawn = plain.frames.filter((f) => PROGRESS.test(f));
    expect(drawn.length, `no frame showed progress; last frame before the end:\n${plain.frames[plain.frames.length - 1]}`).toBeGreaterThan(0);
  });

  it('leaves no progress line behind: the summary starts right under the command, nothing progress-like on screen', () => {
    expect(plain.code, plain.lines.slice(-20).join('\n')).toBe(0);
    expect(plain.lines[0]).toMatch(/^3000 documents → \d+ articles? \(\d+ duplicates?\), \d+ lines? removed, 0 errors$/);
    expect(plain.lines.filter((l) => PROGRESS.test(l))).toEqual([]);
    expect(plain.finalScreen).not.toMatch(PROGRESS);
    expect(plain.lines[plain.lines.length - 1]).toMatch(/^Wrote \d+ articles and manifest\.json to out-plain$/);
  });

  it('draws nothing when CI is set', () => {
    expect(inCI.code, inCI.lines.slice(-20).join('\n')).toBe(0);
    expect(inCI.frames.filter((f) => PROGRESS.test(f))).toEqual([]);
    expect(inCI.lines[0], JSON.stringify(inCI.lines.slice(0, 3))).toMatch(/^2000 documents → /);
  });

  it('draws nothing with --quiet, and prints nothing at all', () => {
    expect(quiet.code, quiet.lines.slice(-20).join('\n')).toBe(0);
    expect(quiet.frames.filter((f) => PROGRESS.test(f))).toEqual([]);
    expect(quiet.lines).toEqual([]);
    expect(fs.existsSync(path.join(work, 'out-quiet', 'manifest.json'))).toBe(true);
  });
});
