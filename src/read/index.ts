// The read stage: find the inputs, read their bytes, decode them, tell text from HTML.
import type { InputError, SourceDoc } from '../types.js';
import { decodeBytes, looksLikeHtml } from './decode.js';

export { discoverInputs, fileStamp, GLOB_CHARS, MANIFEST_NAME, type Discovery, type InputEntry, type DiscoverOptions, type FileStamp } from './discover.js';
export { decodeBytes, looksLikeHtml, normaliseLineEndings } from './decode.js';
export { describeFsError, megabytes } from './messages.js';
export { readInputFile } from './file.js';

/** Default size limit for one input file; larger files get an error line (see README). */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Bytes → SourceDoc, or the one-line error that says why the input cannot be used. */
export function decodeSource(path: string, bytes: Uint8Array): SourceDoc | InputError {
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return { path, message: decoded.message };
  const format = looksLikeHtml(path, decoded.text) ? 'html' : 'text';
  return { path, text: decoded.text, format, encoding: decoded.encoding, bytes: bytes.length };
}

export function isInputError(x: SourceDoc | InputError): x is InputError {
  return (x as SourceDoc).text === undefined;
}
