// Node's built-in modules that only some runs need (a relaunch, worker threads, the cache's checksums), loaded when
// first asked for instead of by every run: each costs a few ms to load.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A getter of the built-in module `id`, which loads it at the first call. */
export function lazyBuiltin<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
