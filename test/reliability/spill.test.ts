// The temporary file that holds the cleaned texts during a run (src/spill.ts): never left behind, after a
// normal end, an error, or Ctrl-C; and a run without one (no writable temporary folder) writes the same.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, readTree, runCli, story, tempDir, runToFailpoint } from './shared.js';

/** A corpus large enough for worker threads (the texts come back from them). */
function workerCorpus(): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < 300; i++) files[`d${String(i).padStart(4, '0')}.txt`] = story(i) + `\nParagraph ${i}: ${'the ferry timetable changes again next month '.repeat(20)}\n`;
  return corpus(files);
}

/** Files the process has open under `dir` (Linux), e.g. ".../.clean-spill-…tmp (deleted)". */
function openFilesUnder(pid: number, dir: string): string[] {
  const fdDir = `/proc/${pid}/fd`;
  const found: string[] = [];
  for (const fd of fs.readdirSync(fdDir)) {
    try {
      const target = fs.readlinkSync(path.join(fdDir, fd));
      if (target.startsWith(dir + path.sep)) found.push(target);
    } catch {
      /* closed meanwhile */
    }
  }
  return found;
}

describe('the spill file of cleaned texts', () => {
  it('is gone after a run, and the articles are those of a run that keeps the texts in memory', () => {
    const dir = workerCorpus();
    const tmp = tempDir('clean-spill-tmp-');
    const out = tempDir('clean-spill-out-');
    const r = runCli(['.', '--out', out, '--format', 'json', '--quiet'], { cwd: dir, env: { TMPDIR: tmp } });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(tmp)).toEqual([]);
    // No writable temporary folder: no spill, the same output.
    const out2 = tempDir('clean-spill-out-');
    const r2 = runCli(['.', '--out', out2, '--format', 'json', '--quiet'], { cwd: dir, env: { TMPDIR: path.join(tmp, 'missing') } });
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout.replaceAll(out2, 'OUT')).toBe(r.stdout.replaceAll(out, 'OUT'));
    const a = readTree(out);
    const b = readTree(out2);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [f, bytes] of a) if (f !== 'manifest.json') expect(b.get(f)!.equals(bytes), f).toBe(true);
    // --stdout --all reads every document's text back.
    const all = runCli(['.', '--stdout', '--all', '--quiet'], { cwd: dir, env: { TMPDIR: tmp } });
    expect(all.code).toBe(0);
    expect(all.stdout.split('the ferry timetable changes again next month').length - 1).toBe(300 * 20);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('is gone after a run that fails to write (a folder in the way)', () => {
    const dir = workerCorpus();
    const tmp = tempDir('clean-spill-tmp-');
    const out = tempDir('clean-spill-out-');
    fs.mkdirSync(path.join(out, 'manifest.json'));
    const r = runCli(['.', '--out', out], { cwd: dir, env: { TMPDIR: tmp } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/manifest\.json is a folder/);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('Ctrl-C midway: open with no name during the run, nothing left after (exit 130)', async () => {
    const dir = workerCorpus();
    const tmp = tempDir('clean-spill-tmp-');
    const out = tempDir('clean-spill-out-');
    const { child, exited, stderr } = await runToFailpoint(['.', '--out', out], dir, { TMPDIR: tmp });
    // The articles were rendered from the spill: it is open, and it has no name in the temporary folder.
    expect(fs.readdirSync(tmp)).toEqual([]);
    if (process.platform === 'linux') {
      const open = openFilesUnder(child.pid!, fs.realpathSync(tmp));
      expect(open).toHaveLength(1);
      expect(open[0]).toMatch(/\/\.clean-spill-\d+-[0-9a-f]{32}\.tmp \(deleted\)$/);
    }
    child.kill('SIGINT');
    expect(await exited, stderr()).toBe(130);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});
