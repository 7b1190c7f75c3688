// Part of `npm run build`, after the bundle: makes the V8 code cache of the CLI (dist/bundle/cli.cjs.cache; see
// src/cli/bundle-loader.ts) by running the executable over the fixtures the ways a user runs it, each run writing the
// cache as it exits with every function compiled so far (the earlier runs' among them, taken from the cache). Its
// inputs are read only; its outputs go to a temporary folder, removed at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(REPO, 'bin/clean.js');
const fixtures = path.join(REPO, 'fixtures');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clean-code-cache-'));
const cacheFile = path.join(work, 'cache.bin');
const page = `<html><head><title>Code cache</title></head><body><article><p>${'A line of an article. '.repeat(40)}</p></article></body></html>`;
const runs = [
  // cold, then warm with the cache, then a pre-commit check, a page through standard input, the text report
  { argv: [fixtures, '--out', path.join(work, 'out'), '--format', 'json', '--cache-location', cacheFile] },
  { argv: [fixtures, '--out', path.join(work, 'out'), '--format', 'json', '--cache-location', cacheFile] },
  { argv: [fixtures, '--check', '--format', 'json'] },
  { argv: ['-', '--format', 'ndjson'], input: page },
  { argv: [fixtures, '--out', path.join(work, 'out2')] },
];
try {
  for (const { argv, input } of runs) {
    const r = spawnSync(process.execPath, [cli, ...argv], { input, cwd: work, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1', CLEAN_WRITE_CODE_CACHE: '1' } });
    if (r.status !== 0 && !(argv.includes('--check') && r.status === 1)) throw new Error(`clean ${argv.join(' ')}: exit ${r.status}: ${r.stderr.slice(0, 300)}`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
