// zlib's CRC-32, with node:zlib loaded when first asked for: only a run with the cache checks sums, and loading the
// module costs every run 3-4 ms.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let zlib: typeof import('node:zlib') | undefined;

/** The CRC-32 of `data`, going on from `value` (the CRC of what came before it). */
export function crc32(data: string | Uint8Array, value = 0): number {
  zlib ??= require('node:zlib') as typeof import('node:zlib');
  return zlib.crc32(data, value);
}
