// The executable's loader (src/cli/bundle-loader.ts): a CommonJS bundle run as Node would run it, with a V8 code
// cache that is used only for the very bundle it was made from. Each load runs in a fresh Node, as the executable
// does (a cache is accepted only under the flags it was made with, and a test worker's are not a plain Node's).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';
import { tempDir } from '../helpers/cli.js';

const LOADER = pathToFileURL(path.join(REPO, 'dist/cli/bundle-loader.js')).href;

/** Loads `file` in a fresh Node; what the bundle's exports said, and what became of the cache. */
function load(file: string, writeOnExit = false): { cache: string; answer: number; dir: string; joined: string; self: boolean } {
  const script = `import { loadBundle } from ${JSON.stringify(LOADER)};
const { exports, cache } = loadBundle(${JSON.stringify(file)}, { writeOnExit: ${writeOnExit} });
console.log(JSON.stringify({ cache, answer: exports.answer(), dir: exports.dir, joined: exports.joined, self: exports.self }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

const bundleText = (answer: number) =>
  `'use strict';\nconst path = require('node:path');\nexports.answer = function () { return ${answer}; };\nexports.dir = __dirname;\nexports.joined = path.join('a', 'b');\nexports.self = module.exports === exports && this === exports;\n`;

describe('loadBundle', () => {
  it('runs a bundle with the module wrapper (exports, require, module, __dirname) and without a cache says none', () => {
    const dir = tempDir('clean-loader-');
    const file = path.join(dir, 'b.cjs');
    fs.writeFileSync(file, bundleText(42));
    expect(load(file)).toEqual({ cache: 'none', answer: 42, dir, joined: path.join('a', 'b'), self: true });
    expect(fs.existsSync(file + '.cache')).toBe(false);
  });

  it('writes the cache as the process exits when asked, uses it next time, and never for a changed bundle of the same length', () => {
    const dir = tempDir('clean-loader-');
    const file = path.join(dir, 'b.cjs');
    fs.writeFileSync(file, bundleText(42));
    expect(load(file, true).cache).toBe('none');
    const cache = fs.readFileSync(file + '.cache');
    // the SHA-1 of the bundle's bytes first, then V8's data
    expect(cache.subarray(0, 20).equals(crypto.hash('sha1', fs.readFileSync(file), 'buffer'))).toBe(true);
    expect(cache.length).toBeGreaterThan(20);
    expect(load(file)).toMatchObject({ cache: 'used', answer: 42 });
    // rebuilt with other code of the same length: V8 alone would take the old cache
    fs.writeFileSync(file, bundleText(43));
    expect(load(file)).toMatchObject({ cache: 'stale', answer: 43 });
    // no temporary file is left beside it
    expect(fs.readdirSync(dir).sort()).toEqual(['b.cjs', 'b.cjs.cache']);
  });

  it('compiles as usual when V8 rejects the data (another Node, other flags, damaged bytes)', () => {
    const dir = tempDir('clean-loader-');
    const file = path.join(dir, 'b.cjs');
    fs.writeFileSync(file, bundleText(7));
    const hash = crypto.hash('sha1', fs.readFileSync(file), 'buffer');
    fs.writeFileSync(file + '.cache', Buffer.concat([hash, Buffer.alloc(4096, 0x5a)]));
    expect(load(file)).toMatchObject({ cache: 'rejected', answer: 7 });
  });
});
