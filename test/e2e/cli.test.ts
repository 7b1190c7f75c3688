// The command line itself: usage errors, output safety, formats, stdin, in-process and as a child.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, type CliIO } from '../../src/cli/run.js';
import { CLI, FIXTURES, REPO, SEEDS, SHARED } from '../helpers/paths.js';
import { readTree, runCli, tempDir } from '../helpers/cli.js';
// @ts-expect-error: a plain JavaScript module of the benchmarks
import { writeCorpus as generateCorpus } from '../../bench/scale/generate.mjs';

function memoryIO(cwd: string, stdin = ''): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (s: string) => out.push(s), isTTY: false },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    readStdin: async () => Buffer.from(stdin),
    cwd,
    env: {},
  };
}

/**
 * Runs the CLI over `corpus` with CLEAN_TIMINGS, writing to a folder under `dir`: its report (the folder's path as
 * OUT), and the last run's stderr (its timings and how much it reused).
 */
function timedRuns(dir: string, corpus: string, flags = ['--format', 'json', '--quiet']): { run: (out: string, extra: string[]) => string; stderr: () => string } {
  let stderr = '';
  const run = (out: string, extra: string[]) => {
    const r = runCli([corpus, ...flags, '--out', path.join(dir, out), ...extra], { env: { CLEAN_TIMINGS: '1' } });
    expect(r.code, r.stderr).toBe(0);
    stderr = r.stderr;
    return r.stdout.replaceAll(path.join(dir, out), 'OUT');
  };
  return { run, stderr: () => stderr };
}

function writeCorpus(files: Record<string, string>): string {
  const dir = tempDir('clean-corpus-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const ARTICLE = [
  'Ferry Service Resumes Between Tamsin Island and the Mainland',
  '',
  'The ferry link between Tamsin Island and the port of Galloway Bay reopened on Tuesday after a three-week closure caused by storm damage to the island pier.',
  '',
  'Harbour master Ines Okafor said the first crossing carried 212 passengers and 40 vehicles, and that the timetable would return to eight daily sailings by the weekend.',
  '',
  'Repairs to the pier cost about 1.4 million dollars, according to the island council.',
  '',
].join('\n');

describe('usage errors exit 2', () => {
  it('an unknown option', () => {
    const r = runCli(['--no-such-option', SEEDS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
    expect(r.stdout).toBe('');
  });
  it('no paths', () => {
    const r = runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no input paths/);
  });
  it('a threshold out of range, empty (an unset shell variable) or not a decimal number', () => {
    for (const value of ['7', '', ' ', '0x1', '1e-1', 'NaN', '-0.1', '.']) {
      const r = runCli(['--threshold', value, SEEDS, '--check']);
      expect(r.code, `--threshold ${JSON.stringify(value)}`).toBe(2);
      expect(r.stderr).toMatch(/--threshold.*expected a decimal number from 0 to 1/);
    }
    for (const value of ['0', '1', '0.25', '.3', '1.0']) expect(runCli(['--threshold', value, SEEDS, '--check']).code, value).not.toBe(2);
  });
  it('a bad --format', () => {
    expect(runCli(['--format', 'xml', SEEDS]).code).toBe(2);
  });
  it('options that contradict each other', () => {
    for (const [args, msg] of [
      [['--stdout', '--out', 'o'], /--stdout .* cannot be combined with --out/],
      [['--stdout', '--check'], /cannot be combined with --stdout/],
      [['--stdout', '--format', 'json'], /both write to stdout/],
    ] as const) {
      const r = runCli([SEEDS, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
  });
  it('nothing readable', () => {
    const dir = writeCorpus({ 'empty.txt': '' });
    const r = runCli([dir, '--out', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty\.txt: empty file/);
  });
  it('--help and --version exit 0', () => {
    expect(runCli(['--help']).code).toBe(0);
    expect(runCli(['--help']).stdout).toMatch(/--threshold/);
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('output safety', () => {
  it('refuses an output folder inside an input folder before writing anything', () => {
    const dir = writeCorpus({ 'a.txt': ARTICLE });
    const before = readTree(dir);
    const r = runCli([dir, '--out', path.join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inside the input folder/);
    expect(readTree(dir)).toEqual(before);
    expect(runCli([dir, '--out', dir]).code).toBe(2);
  });
  it('never deletes unrelated files already in the output folder, and leaves inputs byte-identical', () => {
    const dir = writeCorpus({ 'a.txt': ARTICLE });
    const before = readTree(dir);
    const out = tempDir();
    fs.writeFileSync(path.join(out, 'notes.md'), 'mine');
    expect(runCli([dir, '--out', out, '--quiet']).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'notes.md'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(true);
    expect(readTree(dir)).toEqual(before);
  });
});

describe('formats and streams', () => {
  it('cat page | clean - prints the cleaned text', () => {
    const html = `<!doctype html><html><head><title>Ferry Service Resumes | The Island Post</title></head><body>
      <nav><a href="/">Home</a> <a href="/news">News</a></nav>
      <article><h1>Ferry Service Resumes</h1>
      <p>The ferry link between Tamsin Island and the port of Galloway Bay reopened on Tuesday after a three-week closure caused by storm damage to the island pier.</p>
      <p>Harbour master Ines Okafor said the first crossing carried 212 passengers and 40 vehicles, and that the timetable would return to eight daily sailings by the weekend.</p>
      </article><footer>© 2025 The Island Post. All rights reserved.</footer></body></html>`;
    const r = runCli(['-'], { input: html });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Ferry Service Resumes');
    expect(r.stdout).toContain('Harbour master Ines Okafor said the first crossing carried 212 passengers');
    expect(r.stdout).not.toContain('All rights reserved');
    expect(r.stdout).not.toContain('Home');
  });
  it('--format ndjson prints one cluster a line with its canonical text', () => {
    const r = runCli([SEEDS, '--format', 'ndjson', '--out', tempDir()]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      expect(typeof l.text).toBe('string');
      expect(l.text.split('\n')[0]).toBe(l.title);
      expect(l.members.length).toBeGreaterThan(0);
    }
  });
  it('--format json has exactly the keys of PRODUCT.md', () => {
    const r = runCli([SEEDS, '--format', 'json', '--out', tempDir()]);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['version', 'summary', 'clusters', 'documents', 'errors']);
    expect(Object.keys(report.summary)).toEqual(['documents', 'clusters', 'duplicates', 'removedLines', 'errors']);
    expect(Object.keys(report.clusters[0])).toEqual(['id', 'title', 'canonical', 'output', 'members']);
    expect(Object.keys(report.clusters[0].members[0])).toEqual(['path', 'relation', 'score']);
    expect(Object.keys(report.documents[0])).toEqual(['path', 'title', 'source', 'words', 'removed']);
    expect(report.version).toBe(1);
  });
  it('--stdout writes the canonical articles and nothing else to stdout', () => {
    const r = runCli([SEEDS, '--stdout', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Top U.S. Officials Are in the Middle East to Try to Jumpstart Cease-Fire Talks\n\n');
    expect(r.stdout).not.toMatch(/documents →/);
  });
  it('no colour in a pipe, colour with FORCE_COLOR, none with NO_COLOR or --no-color', () => {
    const out = tempDir();
    expect(runCli([SEEDS, '--out', out]).stdout).not.toMatch(/\x1b\[/);
    expect(runCli([SEEDS, '--out', out], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).toMatch(/\x1b\[/);
    expect(runCli([SEEDS, '--out', out, '--no-color'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).not.toMatch(/\x1b\[/);
  });
  it('the text summary names clusters, removed-line rules and the output folder', () => {
    const out = tempDir();
    const r = runCli([SEEDS, '--out', out]);
    expect(r.stdout).toMatch(/5 documents → 3 articles \(2 duplicates\)/);
    expect(r.stdout).toMatch(/★ .*001_4fd5f07e856e3726\.txt\s+canonical/);
    expect(r.stdout).toMatch(/Removed lines by rule/);
    expect(r.stdout).toContain(`to ${out}`);
  });
  it('--explain says why members joined and which lines were removed', () => {
    const r = runCli([SEEDS, '--explain', '--out', tempDir()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/canonical: /);
    expect(r.stdout).toMatch(/Removed lines by document/);
    expect(r.stdout).toMatch(/READ ALSO/);
  });
});

describe('in-process run(argv, io)', () => {
  it('runs the same job with injected streams', async () => {
    const dir = writeCorpus({ 'a.txt': ARTICLE, 'b.txt': ARTICLE + '\nLeave a Reply\n' });
    const io = memoryIO(dir);
    const code = await run(['.', '--check'], io);
    expect(code).toBe(1);
    const out = io.out.join('');
    expect(out).toMatch(/^b\.txt:\d+ comment-prompt/m);
    expect(out).toMatch(/^b\.txt:1 exact duplicates a\.txt/m);
  });
  it('bad files get one error line each and the run goes on', async () => {
    const dir = writeCorpus({ 'a.txt': ARTICLE, 'empty.txt': '', 'blob.bin': '\u0000\u0001\u0002binary' });
    const io = memoryIO(dir);
    const code = await run(['.', '--format', 'json', '--out', path.join(tempDir(), 'o')], io);
    expect(code).toBe(0);
    const report = JSON.parse(io.out.join(''));
    expect(report.summary.documents).toBe(1);
    expect(report.errors.map((e: { path: string }) => e.path)).toEqual(['blob.bin', 'empty.txt']);
    const errLines = io.err.join('').trim().split('\n');
    expect(errLines).toHaveLength(2);
    expect(errLines[0]).toMatch(/blob\.bin: binary file/);
  });
});

describe('--cache', () => {
  it('a second run reuses the cache and gives the same report; a corrupt cache is ignored with a warning', () => {
    const dir = tempDir();
    const cache = path.join(dir, 'cache.bin');
    const first = runCli([SEEDS, '--format', 'json', '--cache-location', cache, '--out', path.join(dir, 'o1')]);
    expect(first.code).toBe(0);
    expect(fs.existsSync(cache)).toBe(true);
    const second = runCli([SEEDS, '--format', 'json', '--cache-location', cache, '--out', path.join(dir, 'o1')]);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe('');
    fs.writeFileSync(cache, 'garbage');
    const third = runCli([SEEDS, '--format', 'json', '--cache-location', cache, '--out', path.join(dir, 'o1')]);
    expect(third.stdout).toBe(first.stdout);
    expect(third.stderr).toMatch(/cache .*cache\.bin: .*ignoring it/);
  });
  it('a cached text found damaged as it is read: a warning, the cache removed, and the same output as without it', () => {
    const dir = tempDir();
    const cache = path.join(dir, 'cache.bin');
    const plain = runCli([FIXTURES, '--format', 'ndjson', '--out', path.join(dir, 'o0')]);
    expect(runCli([FIXTURES, '--cache-location', cache, '--out', path.join(dir, 'o1')]).code).toBe(0);
    // every byte of the lazy region flipped: whichever text a run reads fails its check
    const bytes = fs.readFileSync(cache);
    const [start, end] = (JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(8))) as { lazy: [number, number] }).lazy;
    for (let i = start; i < end; i++) bytes[i] ^= 0x20;
    fs.writeFileSync(cache, bytes);
    for (const [args, out] of [[['--format', 'ndjson'], 'o2'], [['--stdout'], null], [[], 'o3']] as const) {
      fs.writeFileSync(cache, bytes);
      const r = runCli([FIXTURES, ...args, '--cache-location', cache, ...(out ? ['--out', path.join(dir, out)] : [])]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/cache .*cache\.bin: the cleaned text of a document is damaged .*; the cache is removed and the run done again without it/);
      // each input error once, though the run was done twice
      expect(r.stderr.match(/^clean: .*broken\.bin/gm)).toHaveLength(1);
      if (args[0] === '--format') expect(r.stdout.replaceAll('/o2/', '/o0/')).toBe(plain.stdout);
      const articles = (o: string) => [...readTree(path.join(dir, o))].filter(([f]) => f !== 'manifest.json');
      if (out === 'o3') expect(articles('o3')).toEqual(articles('o1'));
      expect(fs.existsSync(cache)).toBe(false);
    }
  });
  it('fingerprint arrays found damaged while a changed corpus clusters: a warning, the cache removed, and the same output as without it', () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    fs.cpSync(FIXTURES, corpus, { recursive: true });
    const cache = path.join(dir, 'cache.bin');
    expect(runCli([corpus, '--cache-location', cache, '--out', path.join(dir, 'o1')]).code).toBe(0);
    // one article changed, so its pairs are scored again and the arrays (3-gram sketches among them) of the others it meets are read
    const file = path.join(corpus, fs.readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort()[0]);
    fs.appendFileSync(file, '\nA correction was added after readers wrote in about the harbour figures.\n');
    const plain = runCli([corpus, '--format', 'json', '--out', path.join(dir, 'o0')]);
    const bytes = fs.readFileSync(cache);
    const [start, end] = (JSON.parse(bytes.toString('utf8', 16, 16 + bytes.readUInt32LE(8))) as { lazy: [number, number] }).lazy;
    for (let i = start; i < end; i++) bytes[i] ^= 0x20;
    fs.writeFileSync(cache, bytes);
    const r = runCli([corpus, '--format', 'json', '--cache-location', cache, '--out', path.join(dir, 'o0')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cache .*cache\.bin: the fingerprint arrays of a document are damaged .*; the cache is removed and the run done again without it/);
    expect(r.stdout).toBe(plain.stdout);
    expect(fs.existsSync(cache)).toBe(false);
  });
  it('a cache made under other settings is replaced by this run\'s, which the next run with them uses', () => {
    const dir = tempDir();
    const cache = path.join(dir, 'cache.bin');
    const config = path.join(dir, 'cleanrc.json');
    fs.writeFileSync(config, JSON.stringify({ disable: ['share-bar'] }));
    const args = [SEEDS, '--format', 'json', '--cache-location', cache, '--out', path.join(dir, 'o')];
    expect(runCli(args).code).toBe(0);
    const before = fs.readFileSync(cache);
    const other = runCli([...args, '--config', config], { env: { CLEAN_TIMINGS: '1' } });
    expect(other.code).toBe(0);
    expect(other.stderr).not.toMatch(/not saved/);
    const replaced = fs.readFileSync(cache);
    expect(replaced.equals(before)).toBe(false);
    // the next run with those settings finds everything it needs there: nothing recomputed (it keeps what it printed,
    // for the run after it to replay), and the run after that leaves the file as it is
    const again = runCli([...args, '--config', config], { env: { CLEAN_TIMINGS: '1' } });
    expect(again.stdout).toBe(other.stdout);
    expect(again.stderr).toMatch(/clusters of the last run reused/);
    // each stage's line says how long it took, the peak memory, and the pages it touched for the first time
    expect(again.stderr).toMatch(/^clean: clustering: \d+\.\d\d s \(peak RSS \d+ MB, \d+ minor page faults\)$/m);
    const kept = fs.readFileSync(cache);
    const third = runCli([...args, '--config', config], { env: { CLEAN_TIMINGS: '1' } });
    expect(third.stdout).toBe(other.stdout);
    expect(fs.readFileSync(cache).equals(kept)).toBe(true);
  });
  it('--cache-location naming a file that is not a cache (an input, the manifest, a FIFO) leaves it as it is', () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'seeds');
    fs.cpSync(SEEDS, corpus, { recursive: true });
    const input = path.join(corpus, fs.readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort()[0]);
    const before = readTree(corpus);
    const plain = runCli([corpus, '--format', 'json', '--out', path.join(dir, 'o')]);
    expect(plain.code, plain.stderr).toBe(0);
    const manifest = path.join(dir, 'o', 'manifest.json');
    const manifestBytes = fs.readFileSync(manifest);
    fs.mkdirSync(path.join(dir, 'fifo'));
    execFileSync('mkfifo', [path.join(dir, 'fifo', 'cache')]);
    for (const location of [input, manifest, path.join(dir, 'fifo', 'cache')]) {
      for (let i = 0; i < 2; i++) {
        // a FIFO would block an open() for ever: the timeout turns that into a failure here
        const r = runCli([corpus, '--format', 'json', '--out', path.join(dir, 'o'), '--cache-location', location], { timeoutMs: 60_000 });
        expect(r.code, `${location}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toBe(plain.stdout);
        expect(r.stderr).toMatch(/cache .*: (not a cache file of this tool|not a regular file).*it is left as it is and nothing is cached/);
      }
    }
    expect(readTree(corpus)).toEqual(before);
    expect(fs.readFileSync(manifest)).toEqual(manifestBytes);
    expect(fs.statSync(path.join(dir, 'fifo', 'cache')).isFIFO()).toBe(true);
  });
  it('--cache-location naming a file this run writes (the manifest, an article) never replaces it', () => {
    const dir = tempDir();
    const out = path.join(dir, 'o');
    for (let i = 0; i < 2; i++) {
      const r = runCli([SEEDS, '--format', 'json', '--out', out, '--cache-location', path.join(out, 'manifest.json')]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).generator).toBe('article-cleaner');
    }
  });
  it('a cache kept inside the input folder is never read as an input', () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'seeds');
    fs.cpSync(SEEDS, corpus, { recursive: true });
    const plain = runCli([corpus, '--format', 'json', '--out', path.join(dir, 'o')]);
    for (let i = 0; i < 2; i++) {
      const r = runCli([corpus, '--format', 'json', '--out', path.join(dir, 'o'), '--cache-location', `${corpus}/`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(plain.stdout);
    }
    expect(fs.existsSync(path.join(corpus, 'documents.cache'))).toBe(true);
  });
  it('an edited file is read again even when its size and modification time are put back', async () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'seeds');
    fs.cpSync(SEEDS, corpus, { recursive: true });
    // Files changed within 2 s of a run are never remembered by signature: let the copies age first.
    await new Promise((r) => setTimeout(r, 2100));
    const cache = path.join(dir, 'cache.bin');
    // --all: every document is written, so the edited one shows in the output.
    const run = (out: string, extra: string[]) => runCli([corpus, '--all', '--format', 'json', '--quiet', '--out', path.join(dir, out), ...extra]);
    expect(run('o1', ['--cache-location', cache]).code).toBe(0);
    const name = fs.readdirSync(corpus).filter((n) => n.endsWith('.txt')).sort()[0];
    const target = path.join(corpus, name);
    const st = fs.statSync(target);
    const text = fs.readFileSync(target, 'latin1');
    // A reference holding the file's exact modification time (to the nanosecond), to put it back with touch -r.
    const reference = path.join(dir, 'mtime-reference');
    fs.writeFileSync(reference, '');
    execFileSync('touch', ['-r', target, reference]);
    // The same number of bytes, another word, the old modification time.
    const word = /\b[a-z]{7,}\b/.exec(text.split('\n').slice(3).join('\n'))![0];
    const drow = word.split('').reverse().join('');
    fs.writeFileSync(target, text.replace(word, drow), 'latin1');
    execFileSync('touch', ['-r', reference, target]);
    expect(fs.statSync(target).size).toBe(st.size);
    expect(fs.statSync(target).mtimeMs).toBe(st.mtimeMs);
    const cached = run('o2', ['--cache-location', cache]);
    const fresh = run('o3', []);
    expect(cached.stdout.replaceAll(path.join(dir, 'o2'), 'OUT')).toBe(fresh.stdout.replaceAll(path.join(dir, 'o3'), 'OUT'));
    const articles = (out: string) => [...readTree(path.join(dir, out))].filter(([rel]) => rel !== 'manifest.json');
    expect(articles('o2')).toEqual(articles('o3'));
    expect(fs.readFileSync(path.join(dir, 'o2', name), 'utf8')).toContain(drow);
  });
  it('an article edited by hand in the output folder is written again, even with its size and modification time put back', async () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'seeds');
    fs.cpSync(SEEDS, corpus, { recursive: true });
    const cache = path.join(dir, 'cache.bin');
    const out = path.join(dir, 'out');
    const run = () => runCli([corpus, '--quiet', '--out', out, '--cache-location', cache]);
    expect(run().code).toBe(0);
    // Outputs are remembered by signature only once they are older than 2 s, when a later run finds them in place.
    await new Promise((r) => setTimeout(r, 2100));
    expect(run().code).toBe(0);
    const name = fs.readdirSync(out).filter((n) => n.endsWith('.txt')).sort()[0];
    const target = path.join(out, name);
    const good = fs.readFileSync(target);
    const reference = path.join(dir, 'mtime-reference');
    fs.writeFileSync(reference, '');
    execFileSync('touch', ['-r', target, reference]);
    const edited = Buffer.from(good);
    edited[edited.length - 2] = edited[edited.length - 2] === 0x2e ? 0x21 : 0x2e; // "." ↔ "!" before the last newline
    fs.writeFileSync(target, edited);
    execFileSync('touch', ['-r', reference, target]);
    expect(run().code).toBe(0);
    expect(fs.readFileSync(target)).toEqual(good);
  });
  it('on a corpus large enough for worker threads: cold, warm after an edit, and uncached runs agree', () => {
    const dir = tempDir();
    // 300 generated articles (copies, near-copies, partial copies, singles): the worker path, whose results reach
    // the cache already encoded
    const { docsDir } = generateCorpus({ root: path.join(dir, 'gen'), size: 300, seed: 5 });
    const cache = path.join(dir, 'cache.bin');
    let stderr = '';
    const run = (out: string, extra: string[]) => {
      // CLEAN_TIMINGS: the run says how many pair scores it reused from the cache
      const r = runCli([docsDir, '--all', '--format', 'json', '--quiet', '--out', path.join(dir, out), ...extra], { env: { CLEAN_TIMINGS: '1' } });
      expect(r.code, r.stderr).toBe(0);
      stderr = r.stderr;
      return r.stdout.replaceAll(path.join(dir, out), 'OUT');
    };
    const reused = () => stderr.match(/pair scores reused (\d+) of (\d+)/)!.slice(1).map(Number);
    const articles = (out: string) => [...readTree(path.join(dir, out))].filter(([rel]) => rel !== 'manifest.json');
    const cold = run('cold', ['--cache-location', cache]);
    expect(reused()[0]).toBe(0);
    // the timings: the first stage in its parts, then each stage, in order
    const stages = [...stderr.matchAll(/^clean: ([a-z ]+?)(?: to \S+)?: [\d.]+ s \(peak RSS/gm)].map((m) => m[1]);
    expect(stages).toEqual(['walking the inputs', 'waiting for the cache file', 'reading and cleaning', 'clustering', 'finding template lines', 'choosing canonical articles', 'writing', 'reporting']);
    expect(cold).toBe(run('fresh1', []));
    // without the cache there is nothing to wait for
    expect(stderr).not.toMatch(/waiting for the cache file/);
    expect(articles('cold')).toEqual(articles('fresh1'));
    // an article without copies (the generator's truth.json names each file's story), given a sentence of new names:
    // only its own weights change
    const truth = JSON.parse(fs.readFileSync(path.join(dir, 'gen', 'truth.json'), 'utf8')) as { groups: Record<string, number> };
    const size = new Map<number, number>();
    for (const g of Object.values(truth.groups)) size.set(g, (size.get(g) ?? 0) + 1);
    const single = Object.keys(truth.groups).sort().find((f) => size.get(truth.groups[f]) === 1)!;
    fs.appendFileSync(path.join(docsDir, single), '\nEditor’s note: Quorvane Tillbeck and Marsquell Ondrave corrected the figures.\n');
    const warm = run('warm', ['--cache-location', cache]);
    // the pairs of documents weighed as before keep their scores; the edited one's are scored again
    const [kept, candidates] = reused();
    expect(kept).toBeGreaterThan(candidates * 0.8);
    expect(kept).toBeLessThan(candidates);
    // and only the component of the edge graph it is in is linked again (the cold run linked them all)
    const [linked, representatives] = stderr.match(/representatives linked (\d+) of (\d+)/)!.slice(1).map(Number);
    expect(linked).toBeGreaterThan(0);
    expect(linked).toBeLessThan(representatives / 10);
    expect(warm).toBe(run('fresh2', []));
    expect(articles('warm')).toEqual(articles('fresh2'));
    // nothing changed since: the groups of the last run are taken as they are, and the output is the same
    const again = run('again', ['--cache-location', cache]);
    expect(stderr).toMatch(/clusters of the last run reused/);
    expect(again).toBe(warm);
    expect(articles('again')).toEqual(articles('warm'));
    // an article added, so that the others move: the candidate indexes and the linkage's labels of the last run are
    // moved to this run's places, not built again; then removed again, which gives the output of the corpus as it was
    const added = path.join(docsDir, `${single}.added.txt`);
    fs.writeFileSync(added, 'Harbour Lights Return\n\nThe old harbour lights of Quillmere were switched on again on Saturday after a decade, the port office said.\n');
    const relinked = () => {
      expect(stderr).toMatch(/candidate indexes updated/);
      const [linked, reps] = stderr.match(/representatives linked (\d+) of (\d+)/)!.slice(1).map(Number);
      expect(linked).toBeLessThan(reps / 10);
    };
    const moved = run('moved', ['--cache-location', cache]);
    relinked();
    expect(moved).toBe(run('fresh3', []));
    expect(articles('moved')).toEqual(articles('fresh3'));
    fs.rmSync(added);
    expect(run('back', ['--cache-location', cache])).toBe(warm);
    relinked();
    expect(articles('back')).toEqual(articles('warm'));
  });
  it('a warm run into the same folder copies the manifest entries that did not change: the manifest an uncached run writes, and none copied from a manifest edited by hand', () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    fs.cpSync(FIXTURES, corpus, { recursive: true });
    const cache = path.join(dir, 'cache.bin');
    const out = path.join(dir, 'out');
    let stderr = '';
    const run = (to: string, extra: string[]) => {
      const r = runCli([corpus, '--quiet', '--out', path.join(dir, to), ...extra], { env: { CLEAN_TIMINGS: '1' } });
      expect(r.code, r.stderr).toBe(0);
      stderr = r.stderr;
      return fs.readFileSync(path.join(dir, to, 'manifest.json'), 'utf8').replaceAll(`${to}/`, 'OUT/');
    };
    const copied = () => stderr.match(/manifest entries copied (\d+) of (\d+)/)!.slice(1).map(Number);
    run('out', ['--cache-location', cache]);
    const [none, total] = copied();
    expect(none).toBe(0);
    expect(total).toBeGreaterThan(2);
    // one article gains a paragraph of names found nowhere else: its cluster's entry is made again, the others copied
    const edited = fs.readdirSync(corpus).filter((f) => /^\d+_.*\.txt$/.test(f)).sort().at(-1)!;
    fs.appendFileSync(path.join(corpus, edited), '\nEditor’s note: Quorvane Tillbeck and Marsquell Ondrave corrected the figures.\n');
    const warm = run('out', ['--cache-location', cache]);
    const [kept, all] = copied();
    expect(all).toBe(total);
    expect(kept).toBeGreaterThanOrEqual(total - 2);
    expect(kept).toBeLessThan(total);
    expect(warm).toBe(run('fresh', []));
    // an edit by hand that keeps the manifest's length: nothing is copied from it, and it is made whole again
    const manifest = path.join(out, 'manifest.json');
    const text = fs.readFileSync(manifest, 'utf8');
    fs.writeFileSync(manifest, text.replace('"relation": "canonical"', '"relation": "CANONICAL"'));
    expect(run('out', ['--cache-location', cache])).toBe(warm);
    expect(copied()[0]).toBe(0);
  });
  it('canonical choices: a group as it was keeps its choice, an edit that makes the copy the original changes it, and every run is the uncached one', () => {
    const dir = tempDir();
    const base = [
      'The city council of Brelmouth voted on Tuesday to close the old Harrow Street bridge after engineers found deep cracks in two of its piers.',
      'Council leader Ima Torvald said the bridge, built in 1888, would stay shut for at least six months while repairs were designed.',
      'About 9,000 vehicles cross the bridge every day. Buses will be diverted over the Kell Road crossing, the transport office said.',
      'Local shopkeepers warned that the closure would cut trade on the south bank, where footfall has already fallen since the spring.',
      'Residents packed the public gallery and several shouted at councillors as the vote was read out.',
      'A petition to keep the bridge open for pedestrians has gathered more than 2,000 signatures.',
    ];
    const article = (title: string, paragraphs: string[]) => [title, '', ...paragraphs.flatMap((p) => [p, ''])].join('\n');
    const corpus = writeCorpus({
      'herald.txt': article('Harrow Street Bridge Closed', base),
      // a wire copy of the first two paragraphs: the herald is its original
      'wire.txt': article('Brelmouth bridge shut', ['Brelmouth bridge shut, officials say.', ...base.slice(0, 2), 'More to follow on this developing story from our correspondent.']),
      'fair.txt': article('School Fair Washed Out', ['A school fair in the village of Oxmere was held on Saturday in heavy rain, with stalls moved into the sports hall at the last minute.', 'Organisers said about 300 people came, fewer than last year, and that the raffle raised 1,200 pounds for new library books.']),
    });
    const cache = path.join(dir, 'cache.bin');
    const { run, stderr } = timedRuns(dir, corpus, ['--format', 'json', '--explain', '--quiet']);
    const cachedAndFresh = (expected: RegExp) => {
      const warm = run('o', ['--cache-location', cache]);
      const reused = stderr().match(/canonical choices reused (\d+) of (\d+)/)!.slice(1).join(' of ');
      expect(warm).toBe(run('fresh', []));
      const bridge = (JSON.parse(warm) as { clusters: { canonical: string; members: unknown[]; canonicalWhy: string[] }[] }).clusters.find((c) => c.members.length === 2)!;
      expect(`${path.basename(bridge.canonical)}: ${bridge.canonicalWhy.join('; ')}`).toMatch(expected);
      return reused;
    };
    expect(cachedAndFresh(/^herald\.txt: original of wire\.txt/)).toBe('0 of 1');
    // nothing changed, then another cluster's article edited: the bridge's choice is the last run's
    expect(cachedAndFresh(/^herald\.txt: original of wire\.txt/)).toBe('1 of 1');
    fs.appendFileSync(path.join(corpus, 'fair.txt'), '\nThe fair will be held again in June.\n');
    expect(cachedAndFresh(/^herald\.txt: original of wire\.txt/)).toBe('1 of 1');
    // the wire copy given the rest of the story and more: now it is the original, and the herald the copy
    fs.appendFileSync(path.join(corpus, 'wire.txt'), article('', [...base.slice(2), 'Engineers will return next week with divers to inspect the foundations of the third pier, which was not part of the first survey.']));
    expect(cachedAndFresh(/^wire\.txt: original of herald\.txt/)).toBe('0 of 1');
    // the herald renamed: the same results, but its reasons name the file, so the choice is made again
    fs.renameSync(path.join(corpus, 'herald.txt'), path.join(corpus, 'a-herald.txt'));
    expect(cachedAndFresh(/^wire\.txt: original of a-herald\.txt/)).toBe('0 of 1');
    expect(cachedAndFresh(/^wire\.txt: original of a-herald\.txt/)).toBe('1 of 1');
  });
  it('a corpus whose articles hold a site\'s template line: each cluster pass updates its own memo of the last run, and every run is the uncached one', () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    fs.cpSync(FIXTURES, corpus, { recursive: true });
    // one site's footer under articles of four different stories: a template line, which a second pass removes
    const footer = '\nQuillmere Ledger | Harbour Works Edition | Recycled Paper\n';
    const holders = ['001_meridian-wire-porthaven-dock-deal.txt', '005_northshore-business-port-talks-collapse.txt', '007_evening-post-hartwell-warehouse-fire.txt', '012_bay-chronicle-brightwater-winter-ferries.txt'];
    for (const f of holders) fs.appendFileSync(path.join(corpus, f), footer);
    const cache = path.join(dir, 'cache.bin');
    const { run, stderr } = timedRuns(dir, corpus);
    const cold = run('o', ['--cache-location', cache]);
    expect(stderr()).toMatch(/2 template lines, 4 documents cleaned again/);
    expect(cold).toBe(run('fresh', []));
    expect(JSON.stringify(JSON.parse(cold).documents)).toContain('Quillmere Ledger');
    // another article edited: the second pass starts from the last run's second pass, which differs by that article
    // alone (from the first pass's, the four holders would differ too: more than a third of the corpus, so its
    // candidate indexes would be built again)
    fs.appendFileSync(path.join(corpus, '010_arlenbury-today-canal-street-depot-fire.txt'), '\nThe depot will reopen in the spring, its owners said.\n');
    const warm = run('o', ['--cache-location', cache]);
    expect(stderr()).toMatch(/4 documents cleaned again/);
    expect(stderr()).toMatch(/candidate indexes updated/);
    expect(warm).toBe(run('fresh', []));
    // nothing changed since: both passes' groups taken as they are (the first pass's stored for their members alone)
    expect(run('o', ['--cache-location', cache])).toBe(warm);
    expect(stderr()).toMatch(/clusters of the last run reused \(2 passes\)/);
    // the footer taken off again: no second pass, and the output of an uncached run
    for (const f of holders) fs.writeFileSync(path.join(corpus, f), fs.readFileSync(path.join(corpus, f), 'utf8').replace(footer, ''));
    const plain = run('o', ['--cache-location', cache]);
    expect(stderr()).toMatch(/0 documents cleaned again/);
    expect(plain).toBe(run('fresh', []));
  });
  it('news of several events joined by weak edges (ECB+): the linkage takes the scores it completed averages with from the last run, and every run is the uncached one', () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    fs.mkdirSync(corpus);
    // six of ECB+'s topics (147 real articles): events of one kind, whose articles the linkage weighs as whole clusters
    const articles = path.join(SHARED, 'bench/events/ecbplus/articles');
    for (const f of fs.readdirSync(articles).filter((name) => /^ecbplus_[1-6]_/.test(name))) fs.copyFileSync(path.join(articles, f), path.join(corpus, f));
    const cache = path.join(dir, 'cache.bin');
    const { run, stderr } = timedRuns(dir, corpus);
    const completions = () => stderr().match(/linkage scores reused (\d+) of (\d+)/)!.slice(1).map(Number);
    expect(run('o', ['--cache-location', cache])).toBe(run('fresh', []));
    // one article of the first topic given a sentence: the pairs of the articles weighed as before keep their scores
    const first = fs.readdirSync(corpus).sort()[0];
    for (const sentence of ['The spokesperson declined to comment further on Tuesday.', 'Police said the investigation would continue through the weekend.']) {
      fs.appendFileSync(path.join(corpus, first), `\n${sentence}\n`);
      const warm = run('o', ['--cache-location', cache]);
      const [reused, asked] = completions();
      expect(reused).toBeGreaterThan(asked / 2);
      expect(reused).toBeLessThan(asked);
      expect(warm).toBe(run('fresh', []));
    }
  });
  it('--cache uses node_modules/.cache/clean/ in the working folder', () => {
    const dir = tempDir();
    fs.cpSync(SEEDS, path.join(dir, 'seeds'), { recursive: true });
    expect(runCli(['seeds', '--cache', '--quiet', '--out', 'out'], { cwd: dir }).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'node_modules/.cache/clean/documents.cache'))).toBe(true);
  });
});

describe('a page with a table of figures', () => {
  it('comes out one line per row, its cells apart, so the figures stay paired', () => {
    const dir = tempDir();
    const para1 = 'The operator will run fewer trams on two lines during the summer works, it said on Monday, after months of complaints about crowding.';
    const para2 = 'Passengers are advised to check the timetable before travelling, and extra buses will run on the busiest stretch of the route.';
    fs.writeFileSync(
      path.join(dir, 'page.html'),
      `<html><head><title>Tram timetable changes</title></head><body><article><h1>Tram timetable changes</h1><p>${para1}</p>` +
        '<table><tr><th>Line</th><th>Normal trams per hour</th></tr><tr><td>1</td><td>12</td></tr><tr><td>2</td><td>10</td></tr></table>' +
        `<p>${para2}</p></article></body></html>`,
    );
    const r = runCli(['page.html', '--stdout'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${para1}\n\nLine | Normal trams per hour\n\n1 | 12\n\n2 | 10\n\n${para2}`);
  });
});

describe('a page in a legacy charset it declares', () => {
  /** ASCII and the basic Cyrillic letters (А–я) as windows-1251 bytes. */
  const cp1251 = (text: string) => Buffer.from(Array.from(text, (c) => { const u = c.codePointAt(0)!; return u >= 0x410 && u <= 0x44f ? u - 0x410 + 0xc0 : u; }));
  it('a windows-1251 page with <meta charset> comes out in Cyrillic, not mojibake', () => {
    const title = 'В Москве открылась новая станция метро';
    const body = 'Новая станция открылась в понедельник утром. Первые пассажиры прошли через турникеты в шесть часов.';
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'page.html'), cp1251(`<html><head><meta charset="windows-1251"><title>${title}</title></head><body><article><h1>${title}</h1><p>${body}</p><p>${body.split('. ')[1]}</p></article></body></html>`));
    const r = runCli(['page.html', '--format', 'ndjson', '--out', 'o'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const line = JSON.parse(r.stdout);
    expect(line.title).toBe(title);
    expect(line.text).toContain('Первые пассажиры прошли через турникеты');
  });
});

describe('stories that share an outlet\'s stock paragraph', () => {
  it('stay two articles: a closing "about us" paragraph (a quarter of each) is not a copy', () => {
    const about =
      'The Orm Valley Ledger is an independent newsroom funded by its readers and two local charitable trusts. ' +
      'We publish every weekday morning and send a free digest of the valley\'s news to subscribers each Saturday, with letters from readers and the week\'s council notices.';
    const bridge = [
      'Kestrel Bridge closes for six weeks of repairs',
      '',
      'The Kestrel Bridge over the Orm will close to all traffic from Monday while engineers replace corroded bearings under its eastern span.',
      '',
      'Drivers face a detour of nine miles through Hallam, and the county has added two extra buses an hour on the river route.',
      '',
      'The bearings were fitted when the bridge opened in 1974 and have been patched three times since, according to a report the highways committee published in March.',
      '',
      'Shops on Ferry Lane fear the closure will cost them custom in the busiest weeks of spring, and the traders\' association has asked for the work to be done at night.',
      '',
      'A footbridge beside the main span stays open for walkers and cyclists throughout the repairs, the county said.',
      '',
      about,
      '',
    ].join('\n');
    const choir = [
      'Youth choir wins national prize in first season',
      '',
      'A choir of forty teenagers from Millbrook took the top award at the national youth singing festival in Carlisle on Saturday evening.',
      '',
      'Their conductor, a retired music teacher, said the singers had rehearsed twice a week in the old chapel since September.',
      '',
      'The judges praised an unaccompanied arrangement of a local folk song that the group had learned from recordings held at the county archive.',
      '',
      'The prize of four thousand pounds will pay for new music and a coach to the European festival in Ghent next summer.',
      '',
      'Parents raised the entry fee with a sponsored walk along the canal towpath in October, the choir\'s secretary said.',
      '',
      about,
      '',
    ].join('\n');
    const dir = writeCorpus({ 'bridge.txt': bridge, 'choir.txt': choir });
    const out = path.join(tempDir(), 'out');
    const r = runCli([dir, '--out', out, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary.clusters).toBe(2);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.txt')).length).toBe(2);
  });
});

describe('correct accented text', () => {
  it('keeps its words, though a letter, a no-break space and » look like mis-decoded bytes (--check proposes no repair of them)', () => {
    const french = [
      'Le pont de la Vieille-Rive rouvre après neuf mois de travaux',
      '',
      'Les commerçants décrivaient un trafic « désorganisé\u00A0» depuis la fermeture du pont en février.',
      '',
      'Pour la patronne du bar, la réouverture est « vitale pour le café\u00A0», qui a perdu un tiers de ses clients.',
      '',
      'Sur l’enseigne, “CAFÉ” était le seul mot encore lisible après l’été.',
      '',
    ].join('\n');
    const dir = writeCorpus({ 'pont.txt': french });
    const check = runCli([dir, '--check']);
    // the no-break spaces are made plain spaces (a repair of spacing, words unchanged): nothing else is proposed
    const problems = check.stdout.trim().split('\n').slice(0, -1);
    expect(problems.length).toBe(2);
    for (const line of problems) expect(line).toMatch(/^\S+pont\.txt:[35] invisible-char needs repair/);
    expect(check.stdout).not.toMatch(/mojibake|頻|ɔ/);
    const out = path.join(tempDir(), 'out');
    expect(runCli([dir, '--out', out, '--quiet']).code).toBe(0);
    const written = fs.readFileSync(path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.txt'))!), 'utf8');
    for (const words of ['« désorganisé »', '« vitale pour le café »', '“CAFÉ” était']) expect(written).toContain(words);
  });
});

describe('configuration through the CLI', () => {
  const SECOND = ARTICLE.replace('Ferry Service Resumes', 'Ferry Service Halted').replace('reopened on Tuesday after', 'closed again on Friday, ending').replace(/Harbour master.*\n/, 'The operator said a cracked ramp had to be replaced before any sailing.\n');
  /** A project: .cleanrc.json at its root, the corpus in corpus/, and a subfolder to run from. */
  function project(config: object): string {
    const dir = writeCorpus({
      '.cleanrc.json': JSON.stringify(config),
      'corpus/a.txt': `${ARTICLE}Download our app for the latest island news\n`,
      'corpus/drafts/d.txt': SECOND,
      'corpus/b.bak.txt': SECOND,
      'tools/.keep': '',
    });
    return dir;
  }

  it('"ignore" and "out" are relative to the config file, from whatever folder clean runs in', () => {
    const dir = project({ rules: [{ id: 'house-promo', pattern: '^Download our app' }], ignore: ['corpus/drafts/', '*.bak.txt'], out: 'articles' });
    for (const [cwd, input] of [[dir, 'corpus'], [path.join(dir, 'tools'), '../corpus']] as const) {
      fs.rmSync(path.join(dir, 'articles'), { recursive: true, force: true });
      const r = runCli([input, '--format', 'json'], { cwd });
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.documents.map((d: { path: string }) => path.basename(d.path)), cwd).toEqual(['a.txt']);
      expect(report.documents[0].removed.map((l: { rule: string }) => l.rule)).toContain('house-promo');
      expect(fs.readdirSync(path.join(dir, 'articles')).sort(), cwd).toEqual(['ferry-service-resumes-between-tamsin-island-and-the-mainland.txt', 'manifest.json']);
      expect(fs.existsSync(path.join(cwd, 'articles')) && cwd !== dir, 'nothing written beside the working folder').toBe(false);
    }
    // --config from another folder: the same
    const elsewhere = tempDir();
    const r = runCli([path.join(dir, 'corpus'), '--check', '--config', path.join(dir, '.cleanrc.json')], { cwd: elsewhere });
    expect(r.stdout).not.toMatch(/drafts|bak/);
    expect(r.stdout).toMatch(/a\.txt:\d+ house-promo/);
  });

  it('a config error names the file and the key, exits 2 and reads nothing', () => {
    const dir = project({ disable: ['teaser-links'] });
    const r = runCli(['corpus', '--check'], { cwd: path.join(dir, 'tools') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^clean: config \.\.\/\.cleanrc\.json: "disable\[0\]" "teaser-links" is not a rule id/m);
    expect(r.stdout).toBe('');
  });
});

describe('the executable', () => {
  it('runs the bundle: no module of dist/ outside dist/bundle/ is loaded, HTML pages included (scripts/bundle.config.mjs)', () => {
    const dir = tempDir('clean-bundle-');
    // a loader hook that names every ES module Node loads, and a preload that names every file require() resolves
    fs.writeFileSync(path.join(dir, 'hooks.mjs'), 'export async function load(url, ctx, next) { process.stderr.write(`loaded ${url}\\n`); return next(url, ctx); }\n');
    fs.writeFileSync(path.join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`);
    fs.writeFileSync(path.join(dir, 'required.cjs'), "const M = require('node:module'); const r = M._resolveFilename; M._resolveFilename = function (...a) { const f = r.apply(this, a); process.stderr.write(`loaded ${require('node:url').pathToFileURL(f).href}\\n`); return f; };\n");
    const corpus = writeCorpus({ 'story.html': `<html><head><title>Ferry Service Resumes</title></head><body><article><p>${ARTICLE.split('\n\n').join('</p><p>')}</p></article></body></html>` });
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(dir, 'register.mjs')).href, '--require', path.join(dir, 'required.cjs'), CLI, corpus, '--stdout'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CLEAN_TIMINGS: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Harbour master Ines Okafor said the first crossing carried 212 passengers');
    const dist = pathToFileURL(path.join(REPO, 'dist')).href + '/';
    const loaded = [...r.stderr.matchAll(/^loaded (\S+)$/gm)].map((m) => m[1]).filter((u) => u.startsWith(dist));
    expect(loaded).toContain(dist + 'bundle/bundle-loader.js');
    expect(loaded.filter((u) => !u.startsWith(dist + 'bundle/'))).toEqual([]);
    // the CLI itself is compiled with the code cache the build made for it (src/cli/bundle-loader.ts)
    expect(r.stderr).toMatch(/^clean: code cache used$/m);
  });

  it('loads node:worker_threads and node:zlib only when it needs them: not for a run without workers or the cache', () => {
    const dir = tempDir('clean-lazy-');
    // a preload that names the built-in modules loaded by the time the process exits
    fs.writeFileSync(path.join(dir, 'builtins.cjs'), "process.on('exit', () => process.stderr.write(`builtins ${process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join(' ')}\\n`));\n");
    const corpus = writeCorpus({ 'story.txt': ARTICLE });
    const loaded = (args: string[]) => {
      const r = spawnSync(process.execPath, ['--require', path.join(dir, 'builtins.cjs'), CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status).toBe(0);
      return (r.stderr.match(/^builtins (.*)$/m)?.[1] ?? '').split(' ');
    };
    const plain = loaded([corpus, '--stdout']);
    expect(plain).toContain('fs');
    expect(plain).not.toContain('worker_threads');
    expect(plain).not.toContain('zlib');
    // the cache checks its sums
    expect(loaded([corpus, '--stdout', '--cache-location', path.join(dir, 'cache.bin')])).toContain('zlib');
  });

  it('is built in ASCII alone, so that V8 holds its source one byte a character (scripts/bundle.config.mjs)', () => {
    const bundles = fs.readdirSync(path.join(REPO, 'dist/bundle')).filter((f) => /\.c?js$/.test(f));
    expect(bundles).toEqual(expect.arrayContaining(['cli.cjs', 'worker.js', 'bundle-loader.js']));
    for (const f of bundles) {
      const bytes = fs.readFileSync(path.join(REPO, 'dist/bundle', f));
      expect({ file: f, beyondAscii: bytes.findIndex((b) => b > 0x7f) }).toEqual({ file: f, beyondAscii: -1 });
    }
  });
});
