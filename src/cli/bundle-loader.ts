// Runs the bundled CLI (dist/bundle/cli.cjs) with a V8 code cache. Node 20 has no compile cache for modules
// (module.enableCompileCache came with Node 22.1), so without one every run parses the bundle and compiles each of
// its functions again when it is first called: 20-30 ms of a short run (`npm run bench:startup`), about 60 ms of CPU
// in a warm --cache run over 10,000 articles. The bundle is CommonJS because a script, unlike an ES module, can be compiled
// with cached data (vm.Script) without experimental flags. The cache is made when the package is built
// (scripts/code-cache.mjs), by runs over the fixtures that write it as they exit.
//
// A cache is used only for the bundle it was made from: it starts with the SHA-1 of the bundle's bytes, since V8
// itself checks no more than the source's length (a rebuilt bundle of the same length would run stale code). V8
// rejects a cache of another Node, or of other flags, and the bundle is then compiled as usual: same results,
// slower start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire, Module } from 'node:module';

/** What became of the code cache: used; rejected by V8 (another Node or other flags); made for another bundle; none. */
export type CodeCacheUse = 'used' | 'rejected' | 'stale' | 'none';

const HASH_BYTES = 20;

/** The code cache's name beside a bundle. */
function codeCacheFile(bundle: string): string {
  return `${bundle}.cache`;
}

export interface LoadedBundle<T> {
  exports: T;
  cache: CodeCacheUse;
}

/**
 * Compiles and runs the CommonJS bundle `file` as Node's module loader would (the module wrapper, its own require),
 * with the code cache beside it when that is the bundle's. `writeOnExit`: when the process exits, the cache is
 * written anew with every function compiled by then (the build's runs over the fixtures do this).
 */
export function loadBundle<T>(file: string, opts: { writeOnExit?: boolean } = {}): LoadedBundle<T> {
  const bytes = fs.readFileSync(file);
  const hash = crypto.hash('sha1', bytes, 'buffer');
  const cacheFile = codeCacheFile(file);
  let cachedData: Buffer | undefined;
  let cache: CodeCacheUse = 'none';
  try {
    const held = fs.readFileSync(cacheFile);
    if (held.length > HASH_BYTES && held.subarray(0, HASH_BYTES).equals(hash)) cachedData = held.subarray(HASH_BYTES);
    else cache = 'stale';
  } catch {
    /* none: compiled as usual */
  }
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: file, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'used';
  if (opts.writeOnExit) process.once('exit', () => writeAtomic(cacheFile, Buffer.concat([hash, script.createCachedData()])));
  const module = { exports: {} as T, id: file, filename: file, loaded: false };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return { exports: module.exports, cache };
}

/**
 * The file written whole or not at all (a temporary file beside it, renamed over it). Not write/atomic.ts's
 * writeFileAtomic: this loader runs before the CLI is compiled and imports none of it (that module would bring its
 * exit handlers along), and it writes only when the build asks.
 */
function writeAtomic(file: string, data: Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

export { setEngineFlags } from './engine-flags.js';
