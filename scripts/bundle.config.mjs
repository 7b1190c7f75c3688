// Part of `npm run build`: the CLI and its worker as bundles (dist/bundle/), which bin/clean.js runs.
// Node 20 loads the 67 modules of dist/ one by one (resolve, read, compile, link each), which cost a short run 30-110 ms
// more than the bundle does (`npm run bench:startup`; Node 20 has no compile cache for modules). The library API
// (dist/index.js) stays as tsc wrote it. The bundles lie two folders under the package like every module of dist/, so
// the paths they find beside themselves (../../data, ../background-df.bin, ./worker.js) are the same.
//
// The CLI is one CommonJS file (its HTML support inlined, compiled lazily like any function), so that the executable
// can compile it with a V8 code cache (src/cli/bundle-loader.ts; the cache is made by scripts/code-cache.mjs). The
// worker stays an ES module (it awaits its HTML support at the top level), with the loader beside it.
//
// Both are written in ASCII alone (asciiOnly): a source with one character past it is held by V8 as two bytes a
// character, and read and compiled slower (`clean --version` 5-6 ms, `--check` over the fixtures 12-24 ms, medians
// of 21 in two tries).
import fs from 'node:fs';
import { defineConfig } from 'rolldown';

/**
 * Every character past ASCII written as a \u escape. The bundles' non-ASCII characters are in strings, regular
 * expressions and comments, where an escape means the very same character (a pair of surrogate escapes, the same
 * code point, in a /u expression too).
 */
const asciiOnly = {
  name: 'ascii-only',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type === 'chunk') file.code = file.code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    }
  },
};

// both builds write into the one folder: emptied once here, not by either
fs.rmSync('dist/bundle', { recursive: true, force: true });

export default defineConfig([
  {
    input: { worker: 'dist/parallel/worker.js', 'bundle-loader': 'dist/cli/bundle-loader.js' },
    platform: 'node',
    logLevel: 'warn',
    plugins: [asciiOnly],
    output: { dir: 'dist/bundle', format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name].js' },
  },
  {
    input: { cli: 'dist/cli/main.js' },
    platform: 'node',
    logLevel: 'warn',
    plugins: [asciiOnly],
    output: { dir: 'dist/bundle', format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
  },
]);
