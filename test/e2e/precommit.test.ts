// `clean --check` as a pre-commit check: the `path:line rule message` format and exit codes, a real git
// repository whose .git/hooks/pre-commit runs the built CLI (clean commits pass, boilerplate and duplicate
// articles are refused with the file, line and rule named), and the shipped .pre-commit-hooks.yaml.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, REPO } from '../helpers/paths.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { loadExpected } from '../helpers/expected.js';

const expected = loadExpected(FIXTURES);
const READABLE = expected.clusters.flat().map((f) => `fixtures/${f}`);
const PROBLEM = /^(\S+):(\d+) ([a-z][a-z0-9-]*) (.+)$/;
const SUMMARY = /^clean: (\d+) problems? in (\d+) of (\d+) documents? \((\d+) boilerplate, (\d+) repairs?, (\d+) duplicates?\)$/;
const DUPLICATE_RULES = new Set(['exact', 'near-duplicate', 'same-event']);

// Invented articles, in the form clean writes: a title line, a blank line, paragraphs separated by blank lines.
const ORCHARD = [
  'Volunteers replant the old Fenwick orchard after the February gales',
  '',
  'More than sixty volunteers spent Saturday replanting the Fenwick community orchard, where the February gales brought down nineteen of its oldest apple and pear trees.',
  '',
  'The orchard trust bought forty young trees grafted from cuttings taken from the fallen ones, so that local varieties such as the Fenwick Russet would not be lost, said trust chair Delphine Marchbank.',
  '',
  'The first fruit is expected in three or four years. Until then the trust will hold its autumn apple day with fruit donated by growers in neighbouring villages.',
  '',
].join('\n');

// A raw scrape with junk around it; clean turns it into the committed canonical article.
const FERRY_RAW = [
  'Local News',
  'Ferry crews on the Mallow Sound crossing accept a new pay offer',
  'By Corentin Ashby',
  'Crews on the Mallow Sound ferry accepted a new pay offer on Wednesday, ending a dispute that had cancelled the early and late crossings for most of the spring.',
  'Advertisement',
  'The offer gives deckhands and engineers a rise of 6 percent this year and 4 percent next year, and limits shifts to eleven hours, the seafarers’ branch said after a vote of its 140 members.',
  'READ ALSO: Mallow Sound harbour dredging to start in June',
  'The operator said full timetables would return on Monday, with the 6:10 a.m. sailing from Port Quillan restored first for workers at the fish market.',
  'Leave a Reply',
  '© 2026 The Sound Reporter. All rights reserved.',
  '',
].join('\n');

const HARBOUR_LIGHTS = (withTeaser: boolean) =>
  [
    'Harbour lights at Quillan Point switched to solar power',
    '',
    'The four navigation lights at the mouth of Quillan Point harbour now run on solar panels and batteries, the harbour board said on Thursday, after the undersea power cable failed for the third time in two winters.',
    '',
    ...(withTeaser ? ['READ ALSO: Quillan Point lifeboat crew rescue two kayakers', ''] : []),
    'Each light has a week of stored power, and the board said the change would save about 9,000 dollars a year in cable repairs.',
    '',
  ].join('\n');

describe('--check: one `path:line rule message` line per problem, then a summary; exit 0, 1 or 2', () => {
  it('the fixtures: exit 1, every line in the format, line numbers that point at the line, a summary that adds up, nothing written', () => {
    const cwd = tempDir('clean-check-cwd-');
    const r = runCli([FIXTURES, '--check'], { cwd });
    expect(r.code, r.stderr).toBe(1);
    expect(fs.readdirSync(cwd), 'nothing written').toEqual([]);
    const lines = r.stdout.replaceAll(FIXTURES, 'fixtures').split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline
    const summary = lines.pop()!;
    expect(lines.length).toBeGreaterThan(0);
    const problems = lines.map((line) => {
      const m = PROBLEM.exec(line);
      expect(m, `not "path:line rule message": ${JSON.stringify(line)}`).not.toBeNull();
      return { path: m![1], line: Number(m![2]), rule: m![3], message: m![4] };
    });

    for (const p of problems) {
      expect(READABLE, `${p.path} is an input`).toContain(p.path);
      const bytes = fs.readFileSync(path.join(REPO, p.path));
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        text = new TextDecoder('windows-1252').decode(bytes);
      }
      const fileLines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
      expect(p.line, `${p.path}:${p.line} within the file`).toBeGreaterThanOrEqual(1);
      expect(p.line).toBeLessThanOrEqual(fileLines.length);
      // A boilerplate problem quotes the very line it names.
      const quoted = /^boilerplate line: "(.*)"$/.exec(p.message);
      if (quoted && !/\.html?$/.test(p.path)) {
        const shown = quoted[1].replace(/…$/, '');
        const actual = fileLines[p.line - 1].replace(/\s+/g, ' ').trim();
        expect(actual.startsWith(shown), `${p.path}:${p.line} is ${JSON.stringify(actual)}, the message quotes ${JSON.stringify(quoted[1])}`).toBe(true);
      }
      if (DUPLICATE_RULES.has(p.rule)) expect(p.message).toMatch(/^duplicates fixtures\/\S+ \(score [\d.]+\)$/);
    }
    expect(problems.some((p) => p.rule === 'teaser-link')).toBe(true);
    expect(problems.some((p) => DUPLICATE_RULES.has(p.rule))).toBe(true);

    const s = SUMMARY.exec(summary);
    expect(s, `summary line: ${JSON.stringify(summary)}`).not.toBeNull();
    const [, total, files, documents, boiler, repairs, dups] = s!.map(Number);
    expect(total).toBe(problems.length);
    expect(files).toBe(new Set(problems.map((p) => p.path)).size);
    expect(documents).toBe(READABLE.length);
    expect(dups).toBe(problems.filter((p) => DUPLICATE_RULES.has(p.rule)).length);
    expect(boiler).toBe(problems.filter((p) => p.message.startsWith('boilerplate line')).length);
    expect(repairs).toBe(total - dups - boiler);

    // Unreadable files are reported on stderr, not counted as problems on stdout.
    expect(r.stderr.trim().split('\n').sort()).toEqual([
      `clean: ${FIXTURES}/broken.bin: binary file (a PNG image), not text`,
      `clean: ${FIXTURES}/empty.txt: empty file`,
    ]);
  });

  it('a clean corpus: exit 0 and a single summary line', () => {
    const dir = tempDir('clean-check-ok-');
    fs.writeFileSync(path.join(dir, 'orchard.txt'), ORCHARD);
    fs.writeFileSync(path.join(dir, 'harbour-lights.txt'), HARBOUR_LIGHTS(false));
    const r = runCli(['--check', '.'], { cwd: dir });
    expect(r.stdout, r.stderr).toBe('clean: no problems in 2 documents\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the folder clean writes passes its own check', () => {
    const raw = tempDir('clean-check-raw-');
    fs.writeFileSync(path.join(raw, 'ferry.txt'), FERRY_RAW);
    fs.writeFileSync(path.join(raw, 'ferry-repost.txt'), `Share this: Facebook Twitter WhatsApp\n${FERRY_RAW}The post Ferry crews on the Mallow Sound crossing accept a new pay offer appeared first on Quillan Daily.\n`);
    fs.writeFileSync(path.join(raw, 'orchard.txt'), `Top News\n${ORCHARD}Sign up for our newsletter and never miss a story.\n`);
    const before = runCli(['--check', raw]);
    expect(before.code, before.stderr).toBe(1);
    const out = path.join(tempDir('clean-check-out-'), 'articles');
    const written = runCli([raw, '--out', out, '--quiet']);
    expect(written.code, written.stderr).toBe(0);
    const after = runCli(['--check', out]);
    expect(after.stdout, after.stderr).toBe('clean: no problems in 2 documents\n');
    expect(after.code).toBe(0);
  });

  it('exit 2 for usage errors and nothing readable; nothing on stdout', () => {
    const empty = tempDir('clean-check-empty-');
    const blank = tempDir('clean-check-blank-');
    fs.writeFileSync(path.join(blank, 'empty.txt'), '');
    const cases: [string, string[]][] = [
      ['no paths', ['--check']],
      ['an empty folder', ['--check', empty]],
      ['nothing readable', ['--check', blank]],
      ['--check with --stdout', ['--check', '--stdout', FIXTURES]],
      ['a missing --config file', ['--check', '--config', path.join(empty, 'nope.json'), FIXTURES]],
      ['an unknown option', ['--check', '--no-such-option', FIXTURES]],
    ];
    for (const [name, args] of cases) {
      const r = runCli(args, { cwd: empty });
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stdout, name).toBe('');
      expect(r.stderr.trim(), name).not.toBe('');
    }
  });
});

// ── A real git repository with a plain pre-commit hook ────────────────────────────────────────────

/** git with no user or system configuration (no global hooksPath, no signing), in `cwd`. */
function git(cwd: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') && !k.startsWith('GIT_CONFIG')) delete env[k];
  delete env.FORCE_COLOR;
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, output: r.stdout + r.stderr };
}

describe('a git pre-commit hook running `clean --check --cache corpus`', () => {
  let repo: string;
  let corpus: string;
  let ferryName: string;
  const commits = () => Number(git(repo, 'rev-list', '--count', 'HEAD').stdout.trim());
  const head = () => git(repo, 'rev-parse', 'HEAD').stdout.trim();
  /** Drop whatever a refused commit left staged or on disk. */
  const restore = () => {
    git(repo, 'reset', '-q', '--hard', 'HEAD');
    git(repo, 'clean', '-q', '-f', '-d');
  };

  beforeAll(() => {
    repo = tempDir('clean-git-');
    corpus = path.join(repo, 'corpus');
    fs.mkdirSync(corpus);
    expect(git(repo, 'init', '-q').code).toBe(0);
    git(repo, 'config', 'user.name', 'Test Author');
    git(repo, 'config', 'user.email', 'author@example.invalid');
    git(repo, 'config', 'commit.gpgsign', 'false');
    const hook = path.join(repo, '.git', 'hooks', 'pre-commit');
    // With --cache, as the README suggests for a large corpus: every verdict below must be the same through it.
    fs.writeFileSync(hook, `#!/bin/sh\n# The README's plain git hook, with this checkout's built CLI.\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --check --cache corpus\n`);
    fs.chmodSync(hook, 0o755);
    fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), 'node_modules/\n');

    // The ferry article as clean writes it, from a raw scrape.
    const raw = tempDir('clean-git-raw-');
    fs.writeFileSync(path.join(raw, 'ferry.txt'), FERRY_RAW);
    const out = path.join(tempDir('clean-git-out-'), 'o');
    const written = runCli([raw, '--out', out, '--quiet']);
    expect(written.code, written.stderr).toBe(0);
    ferryName = fs.readdirSync(out).find((f) => f.endsWith('.txt'))!;
    fs.copyFileSync(path.join(out, ferryName), path.join(corpus, ferryName));
  });
  afterAll(() => {
    if (repo) fs.rmSync(repo, { recursive: true, force: true });
  });

  it('accepts a commit of clean articles (one written by clean, one by hand in its form)', () => {
    expect(fs.readFileSync(path.join(corpus, ferryName), 'utf8')).toMatch(/^Ferry crews on the Mallow Sound crossing accept a new pay offer\n\nCrews on the Mallow Sound ferry/);
    fs.writeFileSync(path.join(corpus, 'orchard.txt'), ORCHARD);
    git(repo, 'add', 'corpus');
    const r = git(repo, 'commit', '-q', '-m', 'Add the ferry and orchard articles');
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('clean: no problems in 2 documents');
    expect(commits()).toBe(1);
    expect(fs.existsSync(path.join(repo, 'node_modules/.cache/clean/documents.cache'))).toBe(true);
  });

  it('refuses an article with a "READ ALSO:" line, naming the file, the line and the rule; accepts it once fixed', () => {
    const before = head();
    fs.writeFileSync(path.join(corpus, 'harbour-lights.txt'), HARBOUR_LIGHTS(true));
    git(repo, 'add', 'corpus');
    const r = git(repo, 'commit', '-q', '-m', 'Add the harbour lights article');
    expect(r.code, r.output).not.toBe(0);
    expect(head()).toBe(before);
    expect(r.output).toMatch(/^corpus\/harbour-lights\.txt:5 teaser-link boilerplate line: "READ ALSO: Quillan Point lifeboat crew rescue two kayakers"$/m);
    expect(r.output).toMatch(/^clean: \d+ problems? in 1 of 3 documents/m);

    fs.writeFileSync(path.join(corpus, 'harbour-lights.txt'), HARBOUR_LIGHTS(false));
    git(repo, 'add', 'corpus');
    const fixed = git(repo, 'commit', '-q', '-m', 'Add the harbour lights article');
    expect(fixed.code, fixed.output).toBe(0);
    expect(commits()).toBe(2);
  });

  it('refuses an exact copy of a committed article, naming both files and the relation', () => {
    const before = head();
    fs.copyFileSync(path.join(corpus, 'orchard.txt'), path.join(corpus, 'orchard-repost.txt'));
    git(repo, 'add', 'corpus');
    const r = git(repo, 'commit', '-q', '-m', 'Add a copy');
    try {
      expect(r.code, r.output).not.toBe(0);
      expect(head()).toBe(before);
      const line = r.output.split('\n').find((l) => /^corpus\/orchard(-repost)?\.txt:1 (exact|near-duplicate) duplicates corpus\/orchard(-repost)?\.txt \(score [\d.]+\)$/.test(l));
      expect(line, r.output).toBeDefined();
      expect(line).toContain('orchard.txt');
      expect(line).toContain('orchard-repost.txt');
    } finally {
      restore();
    }
  });

  it('refuses a partial, lightly edited copy under another title (near-duplicate)', () => {
    const before = head();
    const original = fs.readFileSync(path.join(corpus, ferryName), 'utf8').split('\n\n');
    expect(original).toHaveLength(4); // title and three paragraphs: the repost drops the second and edits the third
    const repost = [
      'Mallow Sound ferry dispute ends as crews vote yes',
      original[1],
      original[3].replace('full timetables', 'the full timetable'),
    ].join('\n\n');
    fs.writeFileSync(path.join(corpus, 'ferry-repost.txt'), repost.endsWith('\n') ? repost : `${repost}\n`);
    git(repo, 'add', 'corpus');
    const r = git(repo, 'commit', '-q', '-m', 'Add a repost');
    try {
      expect(r.code, r.output).not.toBe(0);
      expect(head()).toBe(before);
      expect(r.output).toMatch(new RegExp(`^corpus/(ferry-repost\\.txt|${ferryName.replace(/[.-]/g, '\\$&')}):1 (exact|near-duplicate) duplicates corpus/`, 'm'));
    } finally {
      restore();
    }
  });
});

// ── .pre-commit-hooks.yaml ─────────────────────────────────────────────────────────────────────────

type Scalar = string | number | boolean | null | Scalar[];

/** Just enough YAML for a hooks file: a list of flat maps with scalar, quoted or `[a, b]` values. */
function parseHooksYaml(text: string): Record<string, Scalar>[] {
  const scalar = (raw: string): Scalar => {
    const v = raw.trim();
    if (v.startsWith('[') && v.endsWith(']')) {
      const inner = v.slice(1, -1).trim();
      return inner === '' ? [] : inner.split(',').map((x) => scalar(x));
    }
    if (/^'.*'$/.test(v)) return v.slice(1, -1).replace(/''/g, "'");
    if (/^".*"$/.test(v)) return JSON.parse(v) as string;
    if (v === 'true' || v === 'false') return v === 'true';
    if (v === '' || v === 'null' || v === '~') return null;
    if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    return v;
  };
  const items: Record<string, Scalar>[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = /^(-\s+|\s+)([A-Za-z_][\w-]*):(?:\s+(.*))?$/.exec(line);
    if (!m) throw new Error(`not understood: ${JSON.stringify(line)}`);
    if (m[1].startsWith('-')) items.push({});
    if (!items.length) throw new Error(`a key outside a list item: ${JSON.stringify(line)}`);
    const value = (m[3] ?? '').replace(/\s+#.*$/, '');
    items[items.length - 1][m[2]] = scalar(value);
  }
  return items;
}

describe('.pre-commit-hooks.yaml', () => {
  const file = path.join(REPO, '.pre-commit-hooks.yaml');

  it('parses, and declares the `clean` hook: entry `clean --check`, language node, no file names passed, a files pattern for articles', () => {
    expect(fs.existsSync(file), '.pre-commit-hooks.yaml at the repository root').toBe(true);
    const hooks = parseHooksYaml(fs.readFileSync(file, 'utf8'));
    const hook = hooks.find((h) => h.id === 'clean');
    expect(hook, JSON.stringify(hooks)).toBeDefined();
    expect(typeof hook!.name).toBe('string');
    expect(hook!.entry).toBe('clean --check');
    expect(hook!.language).toBe('node');
    expect(hook!.pass_filenames).toBe(false);
    if (hook!.args !== undefined) expect(Array.isArray(hook!.args)).toBe(true);

    // The entry's program is this package's executable (language: node installs the package).
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.bin)).toContain(String(hook!.entry).split(' ')[0]);

    // `files` is a regular expression that selects articles and not code.
    expect(typeof hook!.files).toBe('string');
    const files = new RegExp(String(hook!.files));
    for (const f of ['corpus/001_story.txt', 'corpus/nested/page.html', 'corpus/old.htm']) expect(files.test(f), f).toBe(true);
    for (const f of ['src/index.ts', 'package.json', 'bin/clean.js', 'corpus/photo.png', 'README.md']) expect(files.test(f), f).toBe(false);
  });

  it('the tiny parser reads the README example shape too', () => {
    const hooks = parseHooksYaml("- id: clean\n  args: [corpus, 'more']\n  pass_filenames: false # comment\n");
    expect(hooks).toEqual([{ id: 'clean', args: ['corpus', 'more'], pass_filenames: false }]);
  });
});
