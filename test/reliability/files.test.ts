// File-system hostility: unreadable files, symlinks, FIFOs and devices, odd names, links to one file,
// files over the size limit (also on standard input). Inputs are byte-identical afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/paths.js';
import { ARTICLE, corpus, errorsOf, expectErrorLines, readTree, runCli, runOn, story, tempDir } from './shared.js';

let restore: (() => void)[] = [];
afterEach(() => {
  for (const r of restore) r();
  restore = [];
});

function hasSetpriv(): boolean {
  return spawnSync('setpriv', ['--version']).status === 0;
}

describe('file system', () => {
  it('an unreadable file (mode 000) as a non-root user: "permission denied", the run goes on', () => {
    const dir = corpus({ 'good.txt': ARTICLE, 'locked.txt': story(1) });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'locked.txt'), 0o000);
    restore.push(() => fs.chmodSync(path.join(dir, 'locked.txt'), 0o644));
    const out = tempDir('clean-hostile-out-');
    fs.chmodSync(out, 0o777);
    const before = readTree(dir);
    let r;
    if (process.getuid?.() === 0) {
      // Root reads anything, so the run drops to user "nobody" (setpriv, util-linux).
      if (!hasSetpriv()) return void console.warn('setpriv missing: the EACCES path is not exercised as root');
      const p = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, '.', '--format', 'json', '--out', out], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      r = { code: p.status, stdout: p.stdout, stderr: p.stderr };
    } else {
      r = runCli(['.', '--format', 'json', '--out', out], { cwd: dir });
    }
    expect(readTree(dir)).toEqual(before);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('clean: locked.txt: permission denied\n');
    const report = JSON.parse(r.stdout);
    expect(report.errors).toEqual([{ path: 'locked.txt', message: 'permission denied' }]);
    expect(report.documents.map((d: { path: string }) => d.path)).toEqual(['good.txt']);
  });

  it('an unreadable folder as a non-root user', () => {
    if (process.getuid?.() === 0 && !hasSetpriv()) return;
    const dir = corpus({ 'good.txt': ARTICLE, 'private/a.txt': story(1) });
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'private'), 0o000);
    restore.push(() => fs.chmodSync(path.join(dir, 'private'), 0o755));
    const out = tempDir('clean-hostile-out-');
    fs.chmodSync(out, 0o777);
    const args = [process.execPath, CLI, '.', '--format', 'json', '--out', out];
    const p = process.getuid?.() === 0 ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...args], { cwd: dir, encoding: 'utf8' }) : spawnSync(args[0], args.slice(1), { cwd: dir, encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/^clean: private: permission denied$/m);
  });

  it('a broken symlink, a symlink loop, and a folder symlink that loops back', () => {
    const dir = corpus({ 'good.txt': ARTICLE, 'sub/b.txt': story(1) });
    fs.symlinkSync(path.join(dir, 'gone.txt'), path.join(dir, 'broken.txt'));
    fs.symlinkSync(path.join(dir, 'loop-b.txt'), path.join(dir, 'loop-a.txt'));
    fs.symlinkSync(path.join(dir, 'loop-a.txt'), path.join(dir, 'loop-b.txt'));
    fs.symlinkSync(dir, path.join(dir, 'sub', 'up'));
    const r = runOn(dir);
    expect(r.code).toBe(0);
    expect(errorsOf(r)).toEqual({
      'broken.txt': 'broken symlink',
      'loop-a.txt': 'symlink loop',
      'loop-b.txt': 'symlink loop',
      'sub/up': 'symlink loop (folder already visited)',
    });
    expect(r.report!.documents.map((d) => d.path)).toEqual(['good.txt', 'sub/b.txt']);
    expectErrorLines(r.stderr, 4);
  });

  it('a FIFO (in a folder and named explicitly) and a device never block', () => {
    const dir = corpus({ 'good.txt': ARTICLE });
    execFileSync('mkfifo', [path.join(dir, 'pipe.txt')]);
    const r = runOn(dir, [], { args: ['.', 'pipe.txt', '/dev/zero'] });
    expect(r.code).toBe(0);
    expect(errorsOf(r)).toEqual({ 'pipe.txt': 'not a regular file', '/dev/zero': 'not a regular file' });
    expectErrorLines(r.stderr, 2);
  });

  it('names with spaces, newlines, quotes and non-Latin letters', () => {
    const names = ['with space.txt', 'new\nline.txt', 'quote\'s "q".txt', 'статья.txt', '記事.txt', 'sub dir/ünï cödé.txt', '-dash.txt'];
    const files: Record<string, string> = {};
    names.forEach((n, i) => (files[n] = story(i)));
    const dir = corpus(files);
    const r = runOn(dir, ['--all']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report!.documents.map((d) => d.path).sort()).toEqual([...names].sort());
    expect(r.report!.summary.clusters).toBe(names.length);
    // --all keeps the relative names.
    for (const n of names) expect(fs.existsSync(path.join(r.out, n.replace(/\.txt$/, '.txt')))).toBe(true);
  });

  it('a file name with a newline or a tab still gives one error line, and one --check line per problem', () => {
    const dir = corpus({ 'bad\nname.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'tab\there.txt': ARTICLE + '\nREAD ALSO: Ferry fares rise again\n' });
    const r = runOn(dir);
    expectErrorLines(r.stderr, 1);
    expect(r.stderr).toContain('clean: bad\\nname.txt: ');
    expect(errorsOf(r)).toHaveProperty(['bad\nname.txt']); // JSON keeps the real name
    const check = runCli(['--check', '.'], { cwd: dir });
    const lines = check.stdout.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.includes('teaser-link'))).toEqual([expect.stringMatching(/^tab\\there\.txt:\d+ teaser-link /)]);
  });

  it('the same file given twice, through a symlink and through a hard link, is read once', () => {
    const dir = corpus({ 'a.txt': ARTICLE });
    fs.symlinkSync(path.join(dir, 'a.txt'), path.join(dir, 'sym.txt'));
    fs.linkSync(path.join(dir, 'a.txt'), path.join(dir, 'hard.txt'));
    const r = runOn(dir, [], { args: ['a.txt', './a.txt', path.join(dir, 'a.txt'), '.', 'sym.txt', 'hard.txt'] });
    expect(r.code).toBe(0);
    expect(r.report!.summary.documents).toBe(1);
    expect(r.report!.clusters).toHaveLength(1);
  });
});

describe('size limit (64 MB, DEFAULT_MAX_BYTES)', () => {
  it('a 200 MB file is refused with a clear message, without being read', () => {
    const dir = corpus({ 'good.txt': ARTICLE, 'huge.txt': '' });
    fs.truncateSync(path.join(dir, 'huge.txt'), 200 * 1024 * 1024); // sparse: instant, no disk used
    const t = Date.now();
    const r = runOn(dir);
    expect(Date.now() - t).toBeLessThan(30_000);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('clean: huge.txt: file too large (200.0 MB; the limit is 64.0 MB)\n');
    expect(r.report!.summary.documents).toBe(1);
  });

  it('standard input over the limit is refused the same way, not buffered whole', () => {
    const dir = corpus({ 'good.txt': ARTICLE });
    const big = Buffer.alloc(65 * 1024 * 1024, 0x61);
    const r = runOn(dir, [], { args: ['-', 'good.txt'], input: big });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('clean: -: input too large (more than 64.0 MB; the limit is 64.0 MB)\n');
    expect(r.report!.summary.documents).toBe(1);
  });

  it('only standard input, over the limit: exit 2, nothing readable', () => {
    const r = runCli(['-'], { input: Buffer.alloc(65 * 1024 * 1024, 0x20) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^clean: -: input too large/);
    expect(r.stderr).toMatch(/clean: nothing readable in the given paths\n$/);
  });
});
