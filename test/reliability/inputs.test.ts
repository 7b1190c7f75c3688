// Hostile inputs: each case gets the expected one-line error (or is handled), the run goes on,
// and the inputs are byte-identical afterwards.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readTree, runCli, tempDir } from '../helpers/cli.js';

const ARTICLE = [
  'Lighthouse Keeper Retires After Forty Years on Skerrow Rock',
  '',
  'Agnes Pellow, the last resident keeper of the Skerrow Rock lighthouse, stepped ashore for the final time on Friday after forty years of service on the island.',
  '',
  'The light was automated in 2019, but Ms Pellow stayed on as caretaker under a special arrangement with the harbour trust, which said on Friday that the post would not be filled again.',
  '',
  '“I will miss the gannets more than the people,” she told a small crowd on the quay at Port Ellery, where the trust presented her with a brass barometer.',
  '',
].join('\n');

function corpus(files: Record<string, string | Buffer>): string {
  const dir = tempDir('clean-hostile-');
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

let restore: (() => void)[] = [];
afterEach(() => {
  for (const r of restore) r();
  restore = [];
});

/** Run on a corpus; the good article must come through, the inputs must be unchanged. */
function runOn(dir: string, extraArgs: string[] = []) {
  const before = readTree(dir);
  const out = tempDir('clean-hostile-out-');
  const r = runCli(['.', '--out', out, '--format', 'json', ...extraArgs], { cwd: dir });
  expect(readTree(dir)).toEqual(before);
  return { ...r, out, report: r.stdout ? JSON.parse(r.stdout) : null };
}

describe('unusable files get one error line each; the run goes on', () => {
  it('empty, whitespace-only, NUL bytes, PNG, gzip', () => {
    const dir = corpus({
      'good.txt': ARTICLE,
      'empty.txt': '',
      'blank.txt': '  \n\n\t \n',
      'nul.txt': Buffer.from('half a story\u0000\u0000\u0000and binary'),
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'page.txt.gz': zlib.gzipSync(Buffer.from(ARTICLE)),
    });
    const r = runOn(dir);
    expect(r.code).toBe(0);
    expect(r.report.summary.documents).toBe(1);
    const errors = Object.fromEntries(r.report.errors.map((e: { path: string; message: string }) => [e.path, e.message]));
    expect(errors).toEqual({
      'blank.txt': 'no text (whitespace only)',
      'empty.txt': 'empty file',
      'image.png': 'binary file (a PNG image), not text',
      'nul.txt': 'binary file (control bytes), not text',
      'page.txt.gz': 'binary file (gzip-compressed), not text',
    });
    const errLines = r.stderr.trim().split('\n');
    expect(errLines).toHaveLength(5);
    for (const line of errLines) expect(line).toMatch(/^clean: \S+: .+$/);
  });

  it('a title-only file is read and kept as a (short) article', () => {
    const dir = corpus({ 'good.txt': ARTICLE, 'title.txt': 'Council Meets on Thursday\n' });
    const r = runOn(dir);
    expect(r.code).toBe(0);
    expect(r.report.documents.map((d: { path: string }) => d.path)).toEqual(['good.txt', 'title.txt']);
  });

  it('an unreadable file (mode 000)', () => {
    if (process.getuid?.() === 0) {
      // root reads anything; the permission path is covered through a folder we cannot list instead.
      const dir = corpus({ 'good.txt': ARTICLE });
      const r = runCli([path.join(dir, 'good.txt'), '/proc/1/root/nonexistent-clean-test', '--format', 'json', '--out', tempDir()]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/nonexistent-clean-test: (no such file or directory|permission denied)/);
      return;
    }
    const dir = corpus({ 'good.txt': ARTICLE, 'locked.txt': ARTICLE });
    fs.chmodSync(path.join(dir, 'locked.txt'), 0o000);
    restore.push(() => fs.chmodSync(path.join(dir, 'locked.txt'), 0o644));
    const r = runCli(['.', '--format', 'json', '--out', tempDir()], { cwd: dir });
    expect(r.stderr).toMatch(/locked\.txt: permission denied/);
  });

  it('a broken symlink and a symlink loop', () => {
    const dir = corpus({ 'good.txt': ARTICLE });
    fs.symlinkSync(path.join(dir, 'gone.txt'), path.join(dir, 'broken.txt'));
    fs.symlinkSync(path.join(dir, 'loop-b.txt'), path.join(dir, 'loop-a.txt'));
    fs.symlinkSync(path.join(dir, 'loop-a.txt'), path.join(dir, 'loop-b.txt'));
    const r = runOn(dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/broken\.txt: broken symlink/);
    expect(r.stderr).toMatch(/loop-a\.txt: symlink loop/);
  });

  it('a FIFO does not block', () => {
    const dir = corpus({ 'good.txt': ARTICLE });
    execFileSync('mkfifo', [path.join(dir, 'pipe.txt')]);
    const r = runCli(['.', '--format', 'json', '--out', tempDir()], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/pipe\.txt: not a regular file/);
  });

  it('names with spaces, newlines, quotes and non-Latin letters', () => {
    const names = ['with space.txt', 'new\nline.txt', 'quote\'s "q".txt', 'статья.txt', '記事.txt'];
    const files: Record<string, string> = {};
    names.forEach((n, i) => (files[n] = ARTICLE.replace('forty years', `${i + 2}0 years`).replace('Skerrow', `Skerrow${i}`)));
    const dir = corpus(files);
    const r = runOn(dir);
    expect(r.code).toBe(0);
    expect(r.report.documents.map((d: { path: string }) => d.path).sort()).toEqual([...names].sort());
  });

  it('the same file given twice is read once', () => {
    const dir = corpus({ 'a.txt': ARTICLE });
    const r = runCli(['a.txt', './a.txt', 'a.txt', '--format', 'json', '--out', tempDir()], { cwd: dir });
    expect(JSON.parse(r.stdout).summary.documents).toBe(1);
  });
});

describe('encodings and line endings', () => {
  it('UTF-16 LE/BE with a BOM, Windows-1252 curly quotes, invalid UTF-8, mixed line endings', () => {
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ARTICLE, 'utf16le')]);
    const utf16be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(ARTICLE.replace('Agnes', 'Morwenna'), 'utf16le').swap16()]);
    const cp1252 = Buffer.from('Harbour Trust Names New Caretaker\n\n\x93We are delighted,\x94 the trust\x92s chair said on Monday.\n', 'latin1');
    const invalid = Buffer.concat([Buffer.from('Overlong \xc0\xaf and lone surrogate \xed\xa0\x80 bytes', 'latin1')]);
    const mixed = 'Ferry Timetable Changes\r\n\r\nThe first line ends in CRLF.\rThe second in CR.\nThe third in LF.\r\n';
    const dir = corpus({ 'le.txt': utf16le, 'be.txt': utf16be, 'cp.txt': cp1252, 'invalid.txt': invalid, 'mixed.txt': mixed });
    const r = runOn(dir, ['--all']);
    expect(r.code).toBe(0);
    expect(r.report.errors).toEqual([]);
    const read = (n: string) => fs.readFileSync(path.join(r.out, n), 'utf8');
    expect(read('le.txt')).toContain('Agnes Pellow');
    expect(read('be.txt')).toContain('Morwenna Pellow');
    expect(read('cp.txt')).toContain('“We are delighted,” the trust’s chair said on Monday.');
    expect(read('mixed.txt')).not.toMatch(/\r/);
    expect(read('invalid.txt')).not.toMatch(/\uFFFD/);
  });
});
