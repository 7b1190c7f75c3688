// zlib's CRC-32, with node:zlib loaded when first asked for: only a run with the cache checks sums, and loading the
// module costs every run 3-4 ms.
import { lazyBuiltin } from './lazy-builtin.js';

const zlib = lazyBuiltin<typeof import('node:zlib')>('node:zlib');

/** The CRC-32 of `data`, going on from `value` (the CRC of what came before it). */
export function crc32(data: string | Uint8Array, value = 0): number {
  return zlib().crc32(data, value);
}
