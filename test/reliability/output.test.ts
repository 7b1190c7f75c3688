// The output folder: refused when it is or lies in an input; never loses what is already there;
// a failed write or Ctrl-C leaves no partial or temporary file.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_TAG } from '../../src/write/atomic.js';
import { CLI } from '../helpers/paths.js';
import { ARTICLE, corpus, readTree, runCli, story, tempDir, treeDigest, runToFailpoint } from './shared.js';

/** Every file under a folder (relative paths), hidden ones included. */
function listAll(dir: string): string[] {
  return fs.existsSync(dir) ? [...readTree(dir).keys()] : [];
}

const tempFiles = (dir: string) => listAll(dir).filter((f) => /\.tmp$/.test(f));

describe('output folder safety', () => {
  it('--out equal to an input folder, inside one, or holding an input file: exit 2, nothing written', () => {
    const dir = corpus({ 'a.txt': ARTICLE, 'sub/b.txt': story(1) });
    const before = treeDigest(dir);
    for (const [args, msg] of [
      [['.', '--out', '.'], /the output folder .* is an input folder/],
      [['.', '--out', 'sub/out'], /is inside the input folder/],
      [['sub', '--out', 'sub'], /is an input folder/],
      [['a.txt', '--out', '.'], /holds the input file/],
    ] as const) {
      const r = runCli([...args], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).toMatch(/nothing was written/);
      expect(treeDigest(dir)).toEqual(before);
    }
  });

  it('unrelated files already in the output folder are never deleted nor overwritten', () => {
    const dir = corpus({ 'a.txt': ARTICLE, 'b.txt': story(2) });
    const out = tempDir('clean-hostile-out-');
    fs.writeFileSync(path.join(out, 'notes.md'), 'my notes');
    fs.mkdirSync(path.join(out, 'keep'));
    fs.writeFileSync(path.join(out, 'keep', 'x.bin'), Buffer.from([0, 1, 2]));
    const first = runCli(['.', '--out', out, '--format', 'json'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'notes.md'), 'utf8')).toBe('my notes');
    expect(fs.readFileSync(path.join(out, 'keep', 'x.bin'))).toEqual(Buffer.from([0, 1, 2]));
    // A second run replaces its own files (listed in manifest.json) and still keeps the others.
    const second = runCli(['.', '--out', out, '--format', 'json'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'notes.md'), 'utf8')).toBe('my notes');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).files.sort()).toEqual(
      JSON.parse(first.stdout).clusters.map((c: { output: string }) => path.basename(c.output)).sort(),
    );
  });

  it('an article an earlier run wrote and this run does not (its title changed) is removed; the folder stays usable', () => {
    const dir = corpus({ 'a.txt': ARTICLE, 'b.txt': story(2) });
    const out = tempDir('clean-hostile-out-');
    fs.writeFileSync(path.join(out, 'notes.md'), 'my notes');
    const run = () => runCli(['.', '--out', out, '--format', 'json'], { cwd: dir });
    const outputs = (stdout: string) =>
      JSON.parse(stdout).clusters.map((c: { output: string }) => path.basename(c.output)).sort();
    const first = run();
    expect(first.code, first.stderr).toBe(0);
    const oldSlug = 'lighthouse-keeper-retires-after-forty-years-on-skerrow-rock.txt';
    expect(listAll(out)).toContain(oldSlug);

    fs.writeFileSync(path.join(dir, 'a.txt'), ARTICLE.replace('Forty Years', 'Four Decades'));
    const second = run();
    expect(second.code, second.stderr).toBe(0);
    const renamed = 'lighthouse-keeper-retires-after-four-decades-on-skerrow-rock.txt';
    expect(listAll(out).sort()).toEqual([...outputs(second.stdout), 'manifest.json', 'notes.md'].sort());
    expect(listAll(out)).toContain(renamed);
    expect(listAll(out)).not.toContain(oldSlug);

    // Back to the first title: the name is free again, not "a file clean did not write".
    fs.writeFileSync(path.join(dir, 'a.txt'), ARTICLE);
    const third = run();
    expect(third.code, third.stderr).toBe(0);
    expect(listAll(out).sort()).toEqual([...outputs(first.stdout), 'manifest.json', 'notes.md'].sort());
    expect(fs.readFileSync(path.join(out, 'notes.md'), 'utf8')).toBe('my notes');
  });

  it('--all: a folder of outputs left empty by a removed input goes too; folders holding user files stay', () => {
    const dir = corpus({ 'a.txt': ARTICLE, 'sub/b.txt': story(2), 'deep/c.txt': story(3) });
    const out = tempDir('clean-hostile-out-');
    const first = runCli(['.', '--all', '--out', out], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(listAll(out).sort()).toEqual(['a.txt', 'deep/c.txt', 'manifest.json', 'sub/b.txt']);
    fs.writeFileSync(path.join(out, 'deep', 'mine.md'), 'keep me');
    fs.rmSync(path.join(dir, 'sub'), { recursive: true });
    fs.rmSync(path.join(dir, 'deep', 'c.txt'));
    fs.writeFileSync(path.join(dir, 'deep', 'd.txt'), story(4));
    const second = runCli(['.', '--all', '--out', out], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(listAll(out).sort()).toEqual(['a.txt', 'deep/d.txt', 'deep/mine.md', 'manifest.json']);
    expect(fs.existsSync(path.join(out, 'sub'))).toBe(false);
  });

  it('--all: temporary files a killed run left beside targets in the output folder and its subfolders go; others stay', () => {
    const dir = corpus({ 'a.txt': ARTICLE, 'sub/b.txt': story(2) });
    const out = tempDir('clean-hostile-out-');
    expect(runCli(['.', '--all', '--out', out], { cwd: dir }).code).toBe(0);
    // a process id no machine gives out: the run that wrote these is gone
    const dead = (name: string) => `.${name}.${HOST_TAG}.999999999.0.tmp`;
    const planted = [dead('a.txt'), dead('manifest.json'), `sub/${dead('b.txt')}`, dead('notes.txt'), `sub/${dead('other.txt')}`];
    for (const f of planted) fs.writeFileSync(path.join(out, f), 'left by a killed run');
    const r = runCli(['.', '--all', '--out', out], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    // those of targets go, in the output folder and below it; a hidden file named for no target stays
    expect(tempFiles(out).sort()).toEqual([dead('notes.txt'), `sub/${dead('other.txt')}`].sort());
  });

  it('--all: stale outputs are never removed through a folder the user replaced by a symlink', () => {
    const dir = corpus({ 'a.txt': ARTICLE, 'sub/b.txt': story(2) });
    const out = tempDir('clean-hostile-out-');
    expect(runCli(['.', '--all', '--out', out], { cwd: dir }).code).toBe(0);
    const elsewhere = tempDir('clean-user-');
    fs.writeFileSync(path.join(elsewhere, 'b.txt'), 'the user\'s own file');
    fs.rmSync(path.join(out, 'sub'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(out, 'sub'));
    fs.rmSync(path.join(dir, 'sub'), { recursive: true });
    const r = runCli(['.', '--all', '--out', out], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(elsewhere, 'b.txt'), 'utf8')).toBe("the user's own file");
  });

  it('a misspelt input is "no such file", not an output-folder clash; a glob is refused only when it could read the output', () => {
    const dir = corpus({ 'a.txt': ARTICLE, 'b.txt': story(2) });
    const typo = runCli(['corpsu'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^clean: corpsu: no such file or directory$/m);
    expect(typo.stderr).not.toMatch(/output folder/);
    // '*.txt' matches files one level down only: ./cleaned/*.txt can never be read back
    for (let i = 0; i < 2; i++) {
      const r = runCli(['*.txt', '--format', 'json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).documents).toHaveLength(2);
    }
    for (const glob of ['**/*.txt', '*/*.txt', '{a,cleaned/x}.txt']) {
      const r = runCli([glob], { cwd: dir });
      expect(r.code, glob).toBe(2);
      expect(r.stderr, glob).toMatch(/the output folder .*cleaned is inside the input folder/);
    }
  });

  it('a user file where an article would go: exit 2, nothing written, the file intact', () => {
    const dir = corpus({ 'a.txt': ARTICLE });
    const out = tempDir('clean-hostile-out-');
    const slug = 'lighthouse-keeper-retires-after-forty-years-on-skerrow-rock.txt';
    fs.writeFileSync(path.join(out, slug), 'not ours');
    fs.writeFileSync(path.join(out, 'manifest.json'), '{"mine": true}');
    const r = runCli(['.', '--out', out], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a file that clean did not write; it would be replaced/);
    expect(fs.readFileSync(path.join(out, slug), 'utf8')).toBe('not ours');
    expect(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe('{"mine": true}');
    expect(listAll(out).sort()).toEqual(['lighthouse-keeper-retires-after-forty-years-on-skerrow-rock.txt', 'manifest.json']);
  });

  it('--all: two inputs that map to one output name ("a.html", "a.txt") both survive', () => {
    const html = `<html><head><title>Harbour Wall Repaired</title></head><body><article><p>${story(3).split('\n')[2]}</p><p>Work took six weeks and cost less than planned.</p></article></body></html>`;
    const dir = corpus({ 'a.html': html, 'a.txt': ARTICLE });
    const out = tempDir('clean-hostile-out-');
    const r = runCli(['.', '--all', '--out', out, '--format', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(listAll(out).sort()).toEqual(['a-2.txt', 'a.txt', 'manifest.json']);
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toMatch(/^Harbour Wall Repaired/);
    expect(fs.readFileSync(path.join(out, 'a-2.txt'), 'utf8')).toMatch(/^Lighthouse Keeper/);
  });

  it('an output path whose parent is a file: a clear error, exit 2, nothing left behind', () => {
    const dir = corpus({ 'a.txt': ARTICLE });
    const parent = tempDir('clean-hostile-out-');
    fs.writeFileSync(path.join(parent, 'file'), 'x');
    const r = runCli(['.', '--out', path.join(parent, 'file', 'out')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^clean: cannot write to .*file\/out: ENOTDIR/m);
    expect(listAll(parent)).toEqual(['file']);
  });

  it('a disk that fills up midway (a 64 KB tmpfs): clear error, exit 2, no half-written or temporary file', () => {
    const mnt = tempDir('clean-hostile-tmpfs-');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status === 0;
    if (!mounted) return void console.warn('mount -t tmpfs not permitted here: the full-disk case is not exercised');
    try {
      // Several articles of ~20 KB each: the first fit, a later one does not.
      const files: Record<string, string> = {};
      // Unique words per file, so that no two are duplicates and each is written.
      for (let i = 0; i < 6; i++) files[`s${i}.txt`] = story(i) + '\n' + (crypto.randomBytes(15000).toString('hex').match(/.{1,7}/g) ?? []).join(' ') + '.\n';
      const dir = corpus(files);
      fs.writeFileSync(path.join(mnt, 'existing.txt'), 'kept');
      const r = runCli(['.', '--out', mnt], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^clean: cannot write to .*: ENOSPC/m);
      // All-or-nothing: the articles go to temporary files first, so a full disk changes nothing.
      expect(listAll(mnt)).toEqual(['existing.txt']);
      expect(fs.readFileSync(path.join(mnt, 'existing.txt'), 'utf8')).toBe('kept');
    } finally {
      spawnSync('umount', [mnt]);
    }
  });

  it('a second run leaves articles that did not change untouched, and replaces the one that did', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) files[`s${i}.txt`] = story(i);
    const dir = corpus(files);
    const out = tempDir('clean-hostile-out-');
    expect(runCli(['.', '--out', out], { cwd: dir }).code).toBe(0);
    const inodes = () => new Map(listAll(out).map((f) => [f, fs.statSync(path.join(out, f)).ino]));
    const first = inodes();
    const firstTree = readTree(out);
    // Same corpus: every file stays the very same file (no rewrite, no rename).
    expect(runCli(['.', '--out', out], { cwd: dir }).code).toBe(0);
    expect(inodes()).toEqual(first);
    expect(readTree(out)).toEqual(firstTree);
    // One story changes: its article is replaced; the others stay as they were.
    fs.appendFileSync(path.join(dir, 's0.txt'), '\nA correction was appended to this story on Monday evening by the desk.\n');
    expect(runCli(['.', '--out', out], { cwd: dir }).code).toBe(0);
    const after = inodes();
    const changed = [...after].filter(([f, ino]) => first.get(f) !== ino).map(([f]) => f).sort();
    // The manifest changes only if what it records changed; of the articles, exactly the edited story's.
    expect(changed.filter((f) => f !== 'manifest.json')).toEqual(['brackwater-library-reopened-0.txt']);
    expect(readTree(out).get('brackwater-library-reopened-0.txt')!.toString()).toContain('A correction was appended');
    expect(tempFiles(out)).toEqual([]);
  });

  it('with --cache, an article edited after the run that wrote it (same size) is written again by the next run', async () => {
    // The cache may remember the articles a run wrote by their stat signature (written long enough before it was saved),
    // so that the next run need not read them: an edit made since must still show, and be undone, while the other
    // articles stay the very same files.
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) files[`s${i}.txt`] = story(i);
    const dir = corpus(files);
    const out = tempDir('clean-hostile-out-');
    const cache = path.join(tempDir('clean-hostile-cache-'), 'cache.bin');
    expect(runCli(['.', '--out', out, '--cache-location', cache], { cwd: dir }).code).toBe(0);
    const inodes = () => new Map(listAll(out).map((f) => [f, fs.statSync(path.join(out, f)).ino]));
    const first = inodes();
    const firstTree = readTree(out);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const edited = path.join(out, 'quillon-fire-station-trained-1.txt');
    const text = fs.readFileSync(edited, 'utf8');
    fs.writeFileSync(edited, text.replace(/[a-z]/, 'X')); // same size, other bytes
    expect(runCli(['.', '--out', out, '--cache-location', cache], { cwd: dir }).code).toBe(0);
    expect(readTree(out)).toEqual(firstTree);
    const after = inodes();
    expect([...after].filter(([f, ino]) => first.get(f) !== ino).map(([f]) => f)).toEqual(['quillon-fire-station-trained-1.txt']);
  });

  it('Ctrl-C midway: exit 130, no partial and no temporary files', async () => {
    // CLEAN_FAILPOINT stops the run once every temporary file is written and before any rename: the
    // interrupt lands at the worst moment, every time (a timer-based Ctrl-C raced the run on a busy machine).
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`d${String(i).padStart(4, '0')}.txt`] = story(i) + `\nParagraph ${i}: ${'the ferry timetable changes again next month '.repeat(20)}\n`;
    const dir = corpus(files);
    const before = treeDigest(dir);
    const out = tempDir('clean-hostile-out-');
    fs.writeFileSync(path.join(out, 'mine.txt'), 'a file of the user');
    const { child, exited, stderr } = await runToFailpoint(['.', '--out', out], dir);
    // The moment of the interrupt: every article is a temporary file, none is in place yet.
    expect(tempFiles(out).length).toBeGreaterThan(1);
    expect(listAll(out)).toEqual(['mine.txt', ...tempFiles(out)].sort());
    child.kill('SIGINT');
    expect(await exited, stderr()).toBe(130);
    expect(tempFiles(out)).toEqual([]);
    expect(listAll(out)).toEqual(['mine.txt']);
    expect(fs.readFileSync(path.join(out, 'mine.txt'), 'utf8')).toBe('a file of the user');
    expect(treeDigest(dir)).toEqual(before);
  });

  it('a closed terminal (SIGHUP) stops as cleanly; temporary files of a run killed outright go at the next run', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`d${String(i).padStart(4, '0')}.txt`] = story(i) + `\nParagraph ${i}: ${'the harbour wall repairs go on '.repeat(10)}\n`;
    const dir = corpus(files);
    const out = tempDir('clean-hostile-out-');
    fs.writeFileSync(path.join(out, 'mine.txt'), 'a file of the user');
    fs.writeFileSync(path.join(out, '.notes.123.4.tmp'), 'a hidden file of the user, shaped like a temporary one');
    const hup = await runToFailpoint(['.', '--out', out], dir);
    expect(tempFiles(out).length).toBeGreaterThan(2);
    hup.child.kill('SIGHUP');
    expect(await hup.exited, hup.stderr()).toBe(129);
    expect(listAll(out).sort()).toEqual(['.notes.123.4.tmp', 'mine.txt']);

    const killed = await runToFailpoint(['.', '--out', out], dir);
    const left = tempFiles(out).filter((f) => f !== '.notes.123.4.tmp');
    expect(left.length).toBeGreaterThan(2);
    killed.child.kill('SIGKILL'); // no handler runs: the temporary files stay
    await killed.exited;
    expect(tempFiles(out).filter((f) => f !== '.notes.123.4.tmp')).toEqual(left);
    // every one is named for this machine
    for (const f of left) expect(path.basename(f)).toContain(`.${HOST_TAG}.`);
    // one named for a real target by a process that is alive (this test's own): a concurrent run's, so it stays
    const live = `.manifest.json.${HOST_TAG}.${process.pid}.9.tmp`;
    fs.writeFileSync(path.join(out, live), 'a live run is writing this');
    // one of a run on another machine (an output folder on a network share): its process cannot be checked, so it stays
    const otherHost = HOST_TAG === '00000000' ? '11111111' : '00000000';
    const remote = `.manifest.json.${otherHost}.999999999.3.tmp`;
    fs.writeFileSync(path.join(out, remote), 'another machine is writing this');
    const next = runCli(['.', '--out', out], { cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    expect(tempFiles(out).sort()).toEqual(['.notes.123.4.tmp', live, remote].sort());
    expect(fs.readFileSync(path.join(out, 'mine.txt'), 'utf8')).toBe('a file of the user');
  });
});

describe('Ctrl-C while one huge document is being cleaned', () => {
  it('exit 130 within a few seconds (the document is analysed off the main thread)', async () => {
    // An 11 MB one-line page of distinct words takes ~10 s; the interrupt must not wait for it.
    const dir = corpus({ 'big.txt': (crypto.randomBytes(5_000_000).toString('hex').match(/.{1,7}/g) ?? []).join(' ') });
    const out = tempDir('clean-hostile-out-');
    const child = spawn(process.execPath, [CLI, '.', '--out', out], { cwd: dir, stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 2500));
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(listAll(out)).toEqual([]);
  });
});
