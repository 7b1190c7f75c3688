// With --cache, a run over inputs, settings and an output folder all as the last run left them prints what that run
// printed and exits as it did (src/cli/replay.ts). Real CLI runs on copies of the fixtures: the replayed output must be
// the very bytes of a full run, and anything changed (an input, an output, the command, the configuration) must bring
// the full run back.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/paths.js';
import { readTree, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { racyWindow } from '../../src/cache/index.js';
import { fileStamp } from '../../src/read/index.js';
import { HOST_TAG } from '../../src/write/atomic.js';

const REPLAYED = /its output replayed/;

/** Waits until files written now in `dir` are old enough to be trusted by their stat signatures (the cache's rule). */
function settle(dir: string): void {
  const probe = path.join(dir, '.settle-probe');
  fs.writeFileSync(probe, 'x');
  const wait = racyWindow(fileStamp(probe, fs.statSync(probe))) + 30;
  fs.rmSync(probe);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
}

/** Every file under a folder with its bytes and its stat signature: a file written again, even the same bytes, differs. */
function treeWithStamps(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [rel, bytes] of readTree(dir)) out.set(rel, `${fileStamp(path.join(dir, rel), fs.statSync(path.join(dir, rel))).sig} ${bytes.toString('base64')}`);
  return out;
}

/** A copy of the fixtures, with a cache file and an output folder beside it. */
function corpus(): { dir: string; docs: string; cache: string; out: string } {
  const dir = tempDir();
  const docs = path.join(dir, 'docs');
  fs.cpSync(FIXTURES, docs, { recursive: true });
  return { dir, docs, cache: path.join(dir, 'cache.bin'), out: path.join(dir, 'out') };
}

/** Runs until a run replays (at most `most` runs, settling before each); every run's result, the last the replay. */
function runsUntilReplay(dir: string, args: string[], most = 6, cwd?: string): CliResult[] {
  const runs: CliResult[] = [];
  for (let i = 0; i < most; i++) {
    settle(dir);
    runs.push(runCli(args, { env: { CLEAN_TIMINGS: '1' }, cwd }));
    if (REPLAYED.test(runs[runs.length - 1].stderr)) break;
  }
  return runs;
}

describe('--cache: the last run replayed when nothing changed', () => {
  it('prints the same bytes with the same exit code, writes nothing, and runs in full again once an input, an output or the command changes', () => {
    const c = corpus();
    const args = [c.docs, '--format', 'json', '--cache-location', c.cache, '--out', c.out];
    const runs = runsUntilReplay(c.dir, args);
    const last = runs[runs.length - 1];
    expect(last.stderr).toMatch(REPLAYED);
    expect(last.stderr.replace(/^clean: (code cache|nothing changed).*\n/gm, '')).toBe(runs[0].stderr.split('\n').filter((l) => /: (binary|empty)/.test(l)).map((l) => l + '\n').join(''));
    // a run over inputs the cache does not know yet is done in full; the first that knows them all keeps its output
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const r of runs) expect([r.code, r.stdout]).toEqual([0, runs[0].stdout]);
    // nothing is written: not the output folder (not even the same bytes again), not the cache file
    const tree = treeWithStamps(c.out);
    const cacheBytes = fs.readFileSync(c.cache);
    const cacheSig = fileStamp(c.cache, fs.statSync(c.cache)).sig;
    settle(c.dir);
    const again = runCli(args, { env: { CLEAN_TIMINGS: '1' } });
    expect(again.stderr).toMatch(REPLAYED);
    expect(again.stdout).toBe(runs[0].stdout);
    expect(treeWithStamps(c.out)).toEqual(tree);
    expect(fs.readFileSync(c.cache).equals(cacheBytes)).toBe(true);
    expect(fileStamp(c.cache, fs.statSync(c.cache)).sig).toBe(cacheSig);

    // an input edited: done in full, and the report is an uncached run's
    const input = path.join(c.docs, fs.readdirSync(c.docs).sort()[3]);
    fs.appendFileSync(input, '\nA spokesperson for the port declined to comment on Friday.\n');
    const edited = runCli(args, { env: { CLEAN_TIMINGS: '1' } });
    expect(edited.stderr).not.toMatch(REPLAYED);
    expect(edited.stdout).not.toBe(runs[0].stdout);
    expect(edited.stdout).toBe(runCli([c.docs, '--format', 'json', '--out', c.out]).stdout);
    const settled = runsUntilReplay(c.dir, args);
    expect(settled[settled.length - 1].stderr).toMatch(REPLAYED);
    expect(settled[settled.length - 1].stdout).toBe(edited.stdout);
    // a temporary file that a run stopped while writing left beside the articles is removed, as a full run removes it
    // (a process of that number no longer runs: the highest a pid can be on Linux, plus one)
    const dead = path.join(c.out, `.manifest.json.${HOST_TAG}.4194305.1.tmp`);
    fs.writeFileSync(dead, 'half a manifest');
    settle(c.dir);
    const swept = runCli(args, { env: { CLEAN_TIMINGS: '1' } });
    expect(swept.stderr).toMatch(REPLAYED);
    expect(fs.existsSync(dead)).toBe(false);

    // an output article removed, or edited: done in full, and the article is put back
    const article = path.join(c.out, fs.readdirSync(c.out).filter((f) => f.endsWith('.txt')).sort()[0]);
    const text = fs.readFileSync(article, 'utf8');
    fs.rmSync(article);
    const removed = runCli(args, { env: { CLEAN_TIMINGS: '1' } });
    expect(removed.stderr).not.toMatch(REPLAYED);
    expect(removed.stdout).toBe(edited.stdout);
    expect(fs.readFileSync(article, 'utf8')).toBe(text);
    const back = runsUntilReplay(c.dir, args);
    expect(back[back.length - 1].stderr).toMatch(REPLAYED);
    fs.appendFileSync(article, 'A line someone added.\n');
    const changed = runCli(args, { env: { CLEAN_TIMINGS: '1' } });
    expect(changed.stderr).not.toMatch(REPLAYED);
    expect(fs.readFileSync(article, 'utf8')).toBe(text);

    // another command: another output, never the last one's (the one before it replays, so this one could too)
    const before = runsUntilReplay(c.dir, args);
    expect(before[before.length - 1].stderr).toMatch(REPLAYED);
    const explained = runCli([...args, '--explain'], { env: { CLEAN_TIMINGS: '1' } });
    expect(explained.stderr).not.toMatch(REPLAYED);
    expect(explained.stdout).not.toBe(edited.stdout);
    expect(explained.stdout).toBe(runCli([c.docs, '--format', 'json', '--out', c.out, '--explain']).stdout);
  });
  it('replays --check too: its problem lines and exit code 1; a changed configuration is a changed run', () => {
    const c = corpus();
    fs.writeFileSync(path.join(c.docs, 'teaser.txt'), 'Ferry Timetable Changes on the Island Route\n\nThe island ferry will leave the harbour at seven from next week, the operator said.\n\nREAD ALSO: Ten things to do on the island this summer\n');
    const args = [c.docs, '--check', '--cache-location', c.cache];
    const runs = runsUntilReplay(c.dir, args, 6, c.dir);
    const last = runs[runs.length - 1];
    expect(last.stderr).toMatch(REPLAYED);
    expect(last.code).toBe(1);
    expect(last.stdout).toBe(runs[0].stdout);
    expect(last.stdout).toMatch(/teaser\.txt:5 teaser-link /);
    // the input errors the run reported are reported again
    expect(last.stderr).toMatch(/broken\.bin: binary file.*\n.*empty\.txt: empty file/);
    // the configuration in the working folder changes the threshold: the run is done in full under it
    const json = [...args, '--format', 'json'];
    const plain = runsUntilReplay(c.dir, json, 6, c.dir);
    expect(plain[plain.length - 1].stderr).toMatch(REPLAYED);
    fs.writeFileSync(path.join(c.dir, '.cleanrc.json'), JSON.stringify({ threshold: 0.9 }));
    settle(c.dir);
    const configured = runCli(json, { env: { CLEAN_TIMINGS: '1' }, cwd: c.dir });
    expect(configured.stderr).not.toMatch(REPLAYED);
    const underIt = runsUntilReplay(c.dir, json, 6, c.dir);
    expect(underIt[underIt.length - 1].stderr).toMatch(REPLAYED);
    expect(underIt[underIt.length - 1].stdout).toBe(configured.stdout);
    fs.writeFileSync(path.join(c.dir, '.cleanrc.json'), JSON.stringify({ threshold: 0.3 }));
    settle(c.dir);
    const reconfigured = runCli(json, { env: { CLEAN_TIMINGS: '1' }, cwd: c.dir });
    expect(reconfigured.stderr).not.toMatch(REPLAYED);
    expect(reconfigured.stdout).toBe(runCli([c.docs, '--check', '--format', 'json'], { cwd: c.dir }).stdout);
  });
});
