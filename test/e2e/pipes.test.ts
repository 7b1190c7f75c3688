// `clean` in pipelines, through real child processes and real pipes (bash -c '… | …'): machine output
// on stdout and nothing else; errors, warnings and the summary of --stdout on stderr; stdin in, text out;
// a reader that stops early (`| head -1`) ends the run quietly with the status it would have had (1 for a failing
// --check); no progress output and no colour when nothing is a terminal. The environment has no CI, NO_COLOR or FORCE_COLOR, so what is
// tested is the pipe detection itself.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, REPO } from '../helpers/paths.js';
import { tempDir } from '../helpers/cli.js';
import { loadExpected } from '../helpers/expected.js';
import { sh, writeInventedArticles } from '../helpers/tmux.js';

const CLEAN = `${sh(process.execPath)} ${sh(CLI)}`;
const ESC = /\x1b\[/;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a bash script (pipefail on, so a pipeline's status is clean's unless a later command fails). */
function bash(script: string, cwd = REPO): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CI', 'NO_COLOR', 'FORCE_COLOR']) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `set -o pipefail\n${script}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
  });
}

const expected = loadExpected(FIXTURES);
/** The readable fixtures, as clean names them when given `fixtures` from the repository root. */
const READABLE = expected.clusters.flat().map((f) => `fixtures/${f}`).sort();
const UNREADABLE = (expected.errors ?? []).map((f) => `fixtures/${f}`);
/** The one line on stderr for each unusable fixture. */
const errorLine = /^clean: fixtures\/(broken\.bin|empty\.txt): .+$/;

/** stderr holds exactly one line per unusable fixture, and maybe other lines that `allowed` accepts. */
function expectOnlyErrorLines(stderr: string, allowed: (line: string) => boolean = () => false) {
  const lines = stderr.split('\n').filter((l) => l !== '');
  const errors = lines.filter((l) => errorLine.test(l));
  expect(errors.map((l) => l.split(':')[1].trim()).sort(), stderr).toEqual([...UNREADABLE].sort());
  expect(lines.filter((l) => !errorLine.test(l) && !allowed(l)), 'unexpected lines on stderr').toEqual([]);
}

/** The form of every article clean writes: a title line, a blank line, paragraphs separated by one blank line. */
const ARTICLE_FORM = /^[^\n]+\n\n[^\n]+(\n\n[^\n]+)*\n$/;

let work: string;
beforeAll(() => {
  work = tempDir('clean-pipes-');
});
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});
const fresh = (name: string) => {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

describe('machine output through real pipes (the fixtures)', () => {
  // One ndjson run, read by the ndjson and --stdout tests.
  let ndjson: Result;
  const ndjsonOut = () => path.join(work, 'ndjson-out');
  beforeAll(async () => {
    ndjson = await bash(`${CLEAN} fixtures --format ndjson --out ${sh(ndjsonOut())}`);
  });

  it('--format json: one JSON document, read whole by the next program; every readable input in exactly one cluster', async () => {
    const out = path.join(work, 'json-out');
    const reader = `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);console.log(JSON.stringify({summary:r.summary,members:r.clusters.flatMap(c=>c.members.map(m=>m.path)),endsWith:s.slice(-2)}))})`;
    const r = await bash(`${CLEAN} fixtures --format json --out ${sh(out)} | ${sh(process.execPath)} -e ${sh(reader)}`);
    expect(r.code, r.stderr).toBe(0);
    const seen = JSON.parse(r.stdout);
    expect(seen.summary.documents).toBe(READABLE.length);
    expect(seen.summary.errors).toBe(UNREADABLE.length);
    expect([...seen.members].sort()).toEqual(READABLE);
    expect(seen.endsWith).toBe('}\n');
    expectOnlyErrorLines(r.stderr);
    expect(r.stderr).not.toMatch(ESC);
  });

  it('--format ndjson: one cluster a line, each with its canonical article exactly as written to --out; `| head -1` is the first cluster', async () => {
    const out = ndjsonOut();
    const r = ndjson;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const lines = r.stdout.slice(0, -1).split('\n');
    const clusters = lines.map((l) => JSON.parse(l));
    expect(clusters.map((c) => c.id)).toEqual(clusters.map((_, i) => `c${i + 1}`));
    expect(clusters.flatMap((c) => c.members.map((m: { path: string }) => m.path)).sort()).toEqual(READABLE);
    for (const c of clusters) {
      expect(c.text, c.id).toMatch(ARTICLE_FORM);
      expect(c.text.split('\n')[0]).toBe(c.title);
      expect(c.members.filter((m: { relation: string }) => m.relation === 'canonical').map((m: { path: string }) => m.path)).toEqual([c.canonical]);
      expect(fs.readFileSync(c.output, 'utf8'), `${c.id}: text is the file written`).toBe(c.text);
    }
    expectOnlyErrorLines(r.stderr);

    const headOut = path.join(work, 'ndjson-head');
    const first = await bash(`${CLEAN} fixtures --format ndjson --out ${sh(headOut)} | head -1`);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(lines[0].replaceAll(out, headOut) + '\n');
  });

  it('--stdout: the canonical articles on stdout separated by a blank line, the summary on stderr, nothing written to disk', async () => {
    const cwd = fresh('stdout-cwd');
    const articles = await bash(`${CLEAN} ${sh(FIXTURES)} --stdout > articles.txt`, cwd);
    expect(articles.code, articles.stderr).toBe(0);
    expect(fs.readdirSync(cwd), 'no ./cleaned folder, nothing but the redirect').toEqual(['articles.txt']);
    const texts = ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l).text as string);
    expect(fs.readFileSync(path.join(cwd, 'articles.txt'), 'utf8')).toBe(texts.join('\n'));
    // The summary is on stderr, for the person watching; stdout stays the articles.
    expect(articles.stderr).toMatch(/^\d+ documents → \d+ articles? /m);
    expect(articles.stderr).toMatch(/^Articles written to stdout\.$/m);
    expect(articles.stderr).not.toMatch(ESC);
  });

  it('nothing but the requested output on stdout, in every mode; errors on stderr, once each', async () => {
    const modes: [string, string[], (stdout: string) => void][] = [
      ['text summary', ['--out', path.join(work, 'm-text')], (s) => expect(s).toMatch(/^\d+ documents → /)],
      ['json', ['--format', 'json', '--out', path.join(work, 'm-json')], (s) => expect(() => JSON.parse(s)).not.toThrow()],
      ['ndjson', ['--format', 'ndjson', '--out', path.join(work, 'm-ndjson')], (s) => s.trim().split('\n').forEach((l) => expect(() => JSON.parse(l)).not.toThrow())],
      ['--check', ['--check'], (s) => expect(s.trim().split('\n').pop()).toMatch(/^clean: \d+ problems? in \d+ of \d+ documents/)],
      ['--check --format json', ['--check', '--format', 'json'], (s) => expect(() => JSON.parse(s)).not.toThrow()],
      ['--stdout', ['--stdout'], (s) => expect(s).toMatch(ARTICLE_FORM)],
    ];
    const cwd = fresh('modes-cwd');
    const results = await Promise.all(modes.map(([, args]) => bash(`${CLEAN} ${sh(FIXTURES)} ${args.map(sh).join(' ')} | cat`, cwd)));
    modes.forEach(([name, args], i) => {
      const r = results[i];
      expect(r.code, `${name}: ${r.stderr}`).toBe(args.includes('--check') ? 1 : 0);
      const stdout = r.stdout.replaceAll(FIXTURES, 'fixtures');
      const stderr = r.stderr.replaceAll(FIXTURES, 'fixtures');
      expect(stdout.split('\n').filter((l) => errorLine.test(l)), `${name}: no error lines on stdout`).toEqual([]);
      expect(stdout, `${name}: no colour in a pipe`).not.toMatch(ESC);
      expect(stderr, `${name}: no colour in a pipe`).not.toMatch(ESC);
      modes[i][2](stdout);
      // --stdout puts the summary on stderr; every other mode leaves only the error lines there.
      if (name === '--stdout') {
        expect(stdout).not.toMatch(/documents →|Removed lines by rule|Articles written/);
        expectOnlyErrorLines(stderr, () => true);
      } else {
        expectOnlyErrorLines(stderr);
      }
    });
    expect(fs.readdirSync(cwd), 'no ./cleaned folder in the working folder').toEqual([]);
    // --check --format json holds the problems that --check lists, one for one
    const lines = results[3].stdout.trim().split('\n').slice(0, -1);
    const problems: { path: string; line: number; rule: string; message: string }[] = JSON.parse(results[4].stdout).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => `${p.path}:${p.line} ${p.rule} ${p.message}`)).toEqual(lines);
  });
});

describe('standard input: cat page | clean - > page.txt', () => {
  const PAGE = `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Night buses return to Corrow Hill | The Lantern Courier</title>
<meta property="og:site_name" content="The Lantern Courier">
</head><body>
<header><nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a> <a href="/login">Log in</a></nav></header>
<main><article>
<h1>Night buses return to Corrow Hill</h1>
<p class="byline">By Wendeline Ashcombe</p>
<p>Night buses will run again between Corrow Hill and the city centre from Friday, the transport board said, ending a gap of eleven months that left late-shift workers paying for taxis or walking home along the ring road.</p>
<p>The N14 will leave the Corrow Hill terminus every forty minutes from half past eleven until five in the morning, with the last departure timed to meet the first tram at Weyland Cross.</p>
<div class="share">Share this: Facebook Twitter WhatsApp Email</div>
<p>Board member Osric Pennywhistle said the route had been restored after drivers agreed a new rota, and that fares would stay at the daytime price until the end of the year.</p>
<p>READ ALSO: Weyland Cross tram stop to close for two weekends of repairs</p>
<p>Residents who had campaigned for the service delivered a petition of 2,300 names to the board in the spring. "We are delighted, and a little tired," said organiser Maudie Fenwright.</p>
</article>
<aside><h3>More from The Lantern Courier</h3><ul><li><a href="/a">Corrow Hill library extends opening hours</a></li><li><a href="/b">Ring road resurfacing starts next month</a></li></ul></aside>
<section class="comments"><h3>Leave a Reply</h3><p>You must be logged in to post a comment.</p></section>
</main>
<footer><p>© 2026 The Lantern Courier. All rights reserved.</p><p><a href="/privacy">Privacy Policy</a></p></footer>
</body></html>
`;

  it('an invented HTML page: the cleaned article and nothing else, a title line, a blank line, paragraphs', async () => {
    const cwd = fresh('stdin-html');
    fs.writeFileSync(path.join(cwd, 'page.html'), PAGE);
    const r = await bash(`cat page.html | ${CLEAN} - > page.txt`, cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(fs.readdirSync(cwd).sort(), 'nothing written but the redirect').toEqual(['page.html', 'page.txt']);
    const text = fs.readFileSync(path.join(cwd, 'page.txt'), 'utf8');
    expect(text).toMatch(ARTICLE_FORM);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Night buses return to Corrow Hill');
    expect(lines[1]).toBe('');
    expect(lines[2]).toMatch(/^Night buses will run again between Corrow Hill and the city centre from Friday/);
    for (const kept of ['The N14 will leave the Corrow Hill terminus', 'Board member Osric Pennywhistle said', 'said organiser Maudie Fenwright.']) expect(text).toContain(kept);
    for (const junk of ['Home', 'Log in', 'By Wendeline Ashcombe', 'Share this', 'READ ALSO', 'More from', 'library extends', 'Leave a Reply', 'logged in', '©', 'Privacy Policy']) {
      expect(text, `"${junk}" removed`).not.toContain(junk);
    }
  });

  it('a fixture page through cat: title, kept sentences and removed junk as expected.json says', async () => {
    const file = '009_arlenbury-courier-hartwell-fire.html';
    const r = await bash(`cat ${sh(path.join(FIXTURES, file))} | ${CLEAN} -`, fresh('stdin-fixture'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(ARTICLE_FORM);
    expect(r.stdout.split('\n')[0]).toBe(expected.metadata![file].title);
    for (const sentence of expected.mustKeep![file]) expect(r.stdout, `kept: ${sentence}`).toContain(sentence);
    const outLines = r.stdout.split('\n').map((l) => l.trim());
    for (const line of expected.mustRemove![file]) expect(outLines, `removed: ${line}`).not.toContain(line.trim());
  });

  it('plain text with CRLF line endings: boilerplate lines dropped, LF out', async () => {
    const article = [
      'Apiary on the Dunmere allotments survives the winter',
      'READ ALSO: Allotment waiting list reaches 400 names',
      'All eleven hives on the Dunmere allotments came through the winter, the beekeeping club said on Sunday, after two years in which the colonies were lost to damp.',
      'Club secretary Hollis Varga credited new raised stands and a windbreak of hazel planted by volunteers in the autumn.',
      'Leave a Reply',
    ].join('\r\n');
    const cwd = fresh('stdin-crlf');
    fs.writeFileSync(path.join(cwd, 'article.txt'), `${article}\r\n`);
    const r = await bash(`cat article.txt | ${CLEAN} -`, cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('\r');
    expect(r.stdout).toBe(
      'Apiary on the Dunmere allotments survives the winter\n\n' +
        'All eleven hives on the Dunmere allotments came through the winter, the beekeeping club said on Sunday, after two years in which the colonies were lost to damp.\n\n' +
        'Club secretary Hollis Varga credited new raised stands and a windbreak of hazel planted by volunteers in the autumn.\n',
    );
  });
});

describe('a reader that stops early (| head -1): the exit status the run would have had, no EPIPE trace', () => {
  // 300 invented articles of 6 paragraphs: each mode's output is larger than a pipe's buffer.
  const MODES = [['--format', 'ndjson', '--out', 'h-ndjson'], ['--format', 'json', '--out', 'h-json'], ['--stdout']];
  let results: Result[];
  let bothClosed: Result;
  beforeAll(async () => {
    writeInventedArticles(path.join(work, 'long'), 300, 6);
    [bothClosed, ...results] = await Promise.all([
      bash(`${CLEAN} long --stdout 2>&1 | head -1`, work),
      ...MODES.map((args) => bash(`${CLEAN} long ${args.map(sh).join(' ')} | head -1`, work)),
    ]);
  }, 90_000);

  const trace = /EPIPE|Error|\n\s+at |internal error/;

  it('ndjson, json and --stdout into `| head -1`', () => {
    results.forEach((r, i) => {
      const name = MODES[i].join(' ');
      expect(r.code, `${name}: clean's status; stderr: ${r.stderr.slice(0, 2000)}`).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean), name).toHaveLength(1);
      expect(r.stderr, name).not.toMatch(trace);
    });
    expect(JSON.parse(results[0].stdout).members.length).toBeGreaterThan(0);
    expect(results[1].stdout).toBe('{\n');
  });

  it('a failing --check into `| head -1` still exits 1, and a closed stdout still lets the cache be saved', async () => {
    // the long corpus plus one article with a teaser line: its NDJSON report is far larger than a pipe's buffer
    const dir = path.join(work, 'long-check');
    fs.cpSync(path.join(work, 'long'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'teaser.txt'), 'Ferry timetable changes for the winter\n\nThe island ferry will sail twice a day from November, the operator said on Monday, after a fall in passengers.\n\nREAD ALSO: Harbour car park to close for resurfacing\n');
    const check = await bash(`${CLEAN} long-check --check --format ndjson | head -1`, work);
    expect(check.code, `clean's status; stderr: ${check.stderr.slice(0, 2000)}`).toBe(1);
    expect(check.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(check.stderr).not.toMatch(trace);
    const cached = await bash(`${CLEAN} long --format json --out h-cache --cache-location c.cache | head -1`, work);
    expect(cached.code, cached.stderr.slice(0, 2000)).toBe(0);
    expect(cached.stdout).toBe('{\n');
    expect(fs.statSync(path.join(work, 'c.cache')).size).toBeGreaterThan(100_000);
  }, 60_000);

  it('a reader that starts late gets every byte: the run ends only once its output is out', async () => {
    // the JSON report and the articles are larger than a pipe's buffer, and the reader waits before it reads
    const [json, text, slowJson, slowText] = await Promise.all([
      bash(`${CLEAN} long --format json --out h-full`, work),
      bash(`${CLEAN} long --stdout`, work),
      bash(`${CLEAN} long --format json --out h-slow | (sleep 1; cat)`, work),
      bash(`${CLEAN} long --stdout | (sleep 1; cat)`, work),
    ]);
    for (const r of [json, text, slowJson, slowText]) expect(r.code, r.stderr.slice(0, 2000)).toBe(0);
    expect(json.stdout.length).toBeGreaterThan(100_000);
    expect(slowJson.stdout.replaceAll('h-slow', 'h-full')).toBe(json.stdout);
    expect(text.stdout.length).toBeGreaterThan(100_000);
    expect(slowText.stdout).toBe(text.stdout);
  }, 60_000);

  it('--stdout 2>&1 | head -1: the summary on a closed stderr ends the run quietly too', () => {
    expect(bothClosed.code, "clean's status when both its streams are closed early").toBe(0);
    expect(bothClosed.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('no progress output in a pipe (3,000 invented articles, a long run)', () => {
  it('stderr stays empty while stdout goes into `| head -1`, and the run ends with status 0', async () => {
    const dir = path.join(work, 'many');
    writeInventedArticles(dir, 3000);
    const start = Date.now();
    const r = await bash(`${CLEAN} many --out out-many | head -1`, work);
    const elapsed = Date.now() - start;
    expect(r.code, r.stderr.slice(0, 2000)).toBe(0);
    expect(r.stdout).toMatch(/^3000 documents → \d+ articles? \(\d+ duplicates?\), \d+ lines? removed, 0 errors\n$/);
    expect(JSON.stringify(r.stderr), 'no progress, no warnings, no trace').toBe('""');
    if (elapsed < 1500) console.warn(`the long run took only ${elapsed} ms: a progress bar might not have been due anyway`);
  }, 90_000);
});
