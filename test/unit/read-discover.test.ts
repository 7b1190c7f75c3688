import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverInputs } from '../../src/read/discover.js';
import { tempDir } from '../helpers/cli.js';

function tree(files: Record<string, string>): string {
  const dir = tempDir('clean-discover-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const opts = (cwd: string) => ({ cwd, maxBytes: 1000 });

describe('discoverInputs', () => {
  it('walks folders in sorted order, skipping hidden files, node_modules, manifest.json and data sidecars', () => {
    const dir = tree({
      'b.txt': 'b', 'a/z.html': 'z', 'a/y.txt': 'y', '.hidden.txt': 'h', 'node_modules/x.txt': 'x',
      'manifest.json': '{}', 'meta.json': '{}', 'notes': 'n',
    });
    const d = discoverInputs(['.'], opts(dir));
    expect(d.entries.map((e) => e.path)).toEqual(['a/y.txt', 'a/z.html', 'b.txt', 'notes']);
    expect(d.errors).toEqual([]);
  });
  it("marks the articles clean wrote: the files its manifest.json lists, in that folder or below it", () => {
    const ours = (files: string[]) => JSON.stringify({ version: 1, generator: 'article-cleaner', summary: {}, articles: [], files }, null, 2);
    const dir = tree({
      'out/manifest.json': ours(['a.txt', 'sub/b.txt']),
      'out/a.txt': 'a', 'out/sub/b.txt': 'b', 'out/c.txt': 'added by hand',
      'other/manifest.json': JSON.stringify({ generator: 'something-else', files: ['d.txt'] }), 'other/d.txt': 'd',
    });
    const written = (args: string[]) => discoverInputs(args, opts(dir)).entries.filter((e) => e.written).map((e) => e.path);
    expect(written(['.'])).toEqual(['out/a.txt', 'out/sub/b.txt']);
    // A file named on its own is looked up the same way, in the folders above it.
    expect(written(['out/sub/b.txt', 'out/c.txt', 'other/d.txt'])).toEqual(['out/sub/b.txt']);
  });

  it('keeps the folder as given in the display path', () => {
    const dir = tree({ 'corpus/one.txt': '1' });
    expect(discoverInputs(['corpus'], opts(dir)).entries.map((e) => e.path)).toEqual(['corpus/one.txt']);
    expect(discoverInputs(['corpus/'], opts(dir)).entries.map((e) => e.path)).toEqual(['corpus/one.txt']);
  });
  it('expands globs and reports a glob that matches nothing', () => {
    const dir = tree({ 'c/a.txt': 'a', 'c/b.html': 'b', 'c/d/e.txt': 'e' });
    expect(discoverInputs(['c/**/*.txt'], opts(dir)).entries.map((e) => e.path)).toEqual(['c/a.txt', 'c/d/e.txt']);
    expect(discoverInputs(['c/*.md'], opts(dir)).errors).toEqual([{ path: 'c/*.md', message: 'no files match this pattern' }]);
  });
  it('reads the same file once, however often it is given', () => {
    const dir = tree({ 'a.txt': 'a' });
    expect(discoverInputs(['a.txt', './a.txt', '.'], opts(dir)).entries.map((e) => e.path)).toEqual(['./a.txt']);
  });
  it('honours .cleanignore (gitignore syntax) and config ignore patterns', () => {
    const dir = tree({ '.cleanignore': 'drafts/\n*.bak.txt\n', 'drafts/x.txt': 'x', 'a.bak.txt': 'b', 'keep.txt': 'k', 'tmp/t.txt': 't' });
    expect(discoverInputs(['.'], { ...opts(dir), ignorePatterns: ['tmp/'] }).entries.map((e) => e.path)).toEqual(['keep.txt']);
  });
  it('turns missing paths, broken symlinks, FIFOs and too-large files into errors', () => {
    const dir = tree({ 'big.txt': 'x'.repeat(2000), 'ok.txt': 'ok' });
    fs.symlinkSync(path.join(dir, 'nowhere.txt'), path.join(dir, 'dangling.txt'));
    const d = discoverInputs(['.', 'missing.txt'], opts(dir));
    expect(d.entries.map((e) => e.path)).toEqual(['ok.txt']);
    expect(d.errors).toEqual([
      { path: 'big.txt', message: 'file too large (0.0 MB; the limit is 0.0 MB)' },
      { path: 'dangling.txt', message: 'broken symlink' },
      { path: 'missing.txt', message: 'no such file or directory' },
    ]);
  });
  it('reports a symlink loop instead of following it forever', () => {
    const dir = tree({ 'sub/a.txt': 'a' });
    fs.symlinkSync(dir, path.join(dir, 'sub', 'loop'));
    const d = discoverInputs(['.'], opts(dir));
    expect(d.entries.map((e) => e.path)).toEqual(['sub/a.txt']);
    expect(d.errors.map((e) => e.message)).toContain('symlink loop (folder already visited)');
  });
  it('stdin is `-`', () => {
    expect(discoverInputs(['-'], opts('/')).entries).toEqual([{ path: '-', abs: null, relative: 'stdin', size: 0 }]);
  });
});
