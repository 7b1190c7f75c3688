// A corpus that needs more heap than Node's default limit (a million articles): the CLI runs again in a Node
// with a larger heap instead of aborting with "heap out of memory" after minutes of work. Simulated here with a
// tiny limit, so that the fixtures alone exceed it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { heapNeededMb } from '../../src/cli/run.js';
import { CLI, FIXTURES } from '../helpers/paths.js';
import { tempDir } from '../helpers/cli.js';
import { story, treeDigest } from './shared.js';

function run(args: string[], nodeArgs: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('heap', () => {
  it('estimates the heap a corpus needs from its files and bytes (100k articles of 3 KB fit the default 4 GB, 1M do not)', () => {
    expect(heapNeededMb(100_000, 314e6)).toBeLessThan(4096);
    expect(heapNeededMb(1_000_000, 3.14e9)).toBeGreaterThan(4096);
    expect(heapNeededMb(0, 0)).toBe(512);
  });

  it('under a heap limit too small for the corpus, runs again with a larger one: same output, same exit codes', () => {
    const small = ['--max-old-space-size=200'];
    const outA = path.join(tempDir(), 'a');
    const outB = path.join(tempDir(), 'b');
    const before = treeDigest(FIXTURES);
    const a = run([FIXTURES, '--out', outA, '--format', 'json'], small);
    const b = run([FIXTURES, '--out', outB, '--format', 'json'], [], { CLEAN_NO_REEXEC: '1' });
    expect(a.code).toBe(0);
    expect(a.stdout.replaceAll(outA, 'OUT')).toBe(b.stdout.replaceAll(outB, 'OUT'));
    expect(a.stderr).toBe(b.stderr); // discovery errors printed once, by the run that does the work
    expect(run(['--check', FIXTURES], small).code).toBe(1);
    expect(treeDigest(FIXTURES)).toEqual(before);
  });

  it('Ctrl-C reaches the relaunched run: exit 130, nothing written, no temporary files', async () => {
    const dir = tempDir();
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, `s${i}.txt`), story(i));
    const out = path.join(tempDir(), 'out');
    const child = spawn(process.execPath, ['--max-old-space-size=200', CLI, '.', '--out', out], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CLEAN_FAILPOINT: 'before-rename' },
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await new Promise<void>((resolve) => child.stderr.on('data', (d) => (stderr += d).includes('failpoint') && resolve()));
    child.kill('SIGINT'); // to the first process only, as `kill PID` would
    expect(await exited, stderr).toBe(130);
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });
});
