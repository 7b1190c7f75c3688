// The read stage: find the inputs, read their bytes, decode them, tell text from HTML.
import fs from 'node:fs/promises';
import type { InputError, SourceDoc } from '../types.js';
import { decodeBytes, looksLikeHtml } from './decode.js';
import type { InputEntry } from './discover.js';

export { discoverInputs, MANIFEST_NAME, type InputEntry, type DiscoverOptions } from './discover.js';
export { decodeBytes, looksLikeHtml, normaliseLineEndings } from './decode.js';

/** Default size limit for one input file; larger files get an error line (see README). */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

function describeReadError(err: NodeJS.ErrnoException): string {
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'EISDIR') return 'is a folder';
  if (err.code === 'ENOENT') return 'no such file (it vanished while reading)';
  return err.message;
}

/** Bytes → SourceDoc, or the one-line error that says why the input cannot be used. */
export function decodeSource(path: string, bytes: Uint8Array): SourceDoc | InputError {
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return { path, message: decoded.message };
  const format = looksLikeHtml(path, decoded.text) ? 'html' : 'text';
  return { path, text: decoded.text, format, encoding: decoded.encoding, bytes: bytes.length };
}

export async function readEntry(entry: InputEntry, readStdin: () => Promise<Uint8Array>): Promise<SourceDoc | InputError> {
  let bytes: Uint8Array;
  try {
    bytes = entry.abs === null ? await readStdin() : await fs.readFile(entry.abs);
  } catch (e) {
    return { path: entry.path, message: describeReadError(e as NodeJS.ErrnoException) };
  }
  return decodeSource(entry.path, bytes);
}

export function isInputError(x: SourceDoc | InputError): x is InputError {
  return (x as SourceDoc).text === undefined;
}
