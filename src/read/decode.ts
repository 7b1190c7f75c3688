// Bytes → text. Decides the encoding (BOM, strict UTF-8, else a page's declared charset, else Windows-1252), refuses binary,
// and normalises line endings. Pure: no file system.
import type { Encoding } from '../types.js';

export type DecodeResult = { ok: true; text: string; encoding: Encoding } | { ok: false; message: string };

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const latin1 = new TextDecoder('latin1');

// Node's TextDecoder treats 'windows-1252' as ISO-8859-1, so the 0x80–0x9F range (curly quotes,
// dashes, euro sign) is mapped here. Five bytes are undefined in Windows-1252 and stay as they are.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  return latin1.decode(bytes).replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]));
}
const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');

/** Control bytes that never occur in text (NUL and the C0 set except tab, LF, FF, CR, ESC). */
function controlByteShare(bytes: Uint8Array, limit: number): number {
  const n = Math.min(bytes.length, limit);
  if (n === 0) return 0;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) bad++;
  }
  return bad / n;
}

function hasNul(bytes: Uint8Array, limit: number): boolean {
  const n = Math.min(bytes.length, limit);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * UTF-16 without a BOM (some Windows tools save it so), told by its zero bytes: text in a Latin script has a zero
 * high byte in nearly every code unit and nearly never a zero low byte. Binary data and UTF-8 do not look like that.
 */
function bomlessUtf16(bytes: Uint8Array): 'le' | 'be' | null {
  const n = Math.min(bytes.length, 1 << 16) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const units = n / 2;
  if (oddZero >= 0.9 * units && evenZero === 0) return 'le';
  if (evenZero >= 0.9 * units && oddZero === 0) return 'be';
  return null;
}

/** Known binary signatures: a clearer message than "binary" for the common cases. */
function binaryKind(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'a JPEG image';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'a GIF image';
  if (starts(0x1f, 0x8b)) return 'gzip-compressed';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF';
  return null;
}

/**
 * The charset a page declares in its first 4 KB (`<meta charset>`, `<meta http-equiv … charset=…>`, or an XML
 * declaration's encoding), lowercased; null when there is none. The markup itself is ASCII in every such charset.
 */
export function declaredCharset(bytes: Uint8Array): string | null {
  const head = latin1.decode(bytes.subarray(0, 4096));
  const m = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9._:-]+)/i.exec(head) ?? /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([a-z0-9._:-]+)/i.exec(head);
  return m ? m[1].toLowerCase() : null;
}

/**
 * A decoder for a declared legacy charset, or null for one decoded otherwise: UTF-8 and UTF-16 (the bytes were not
 * that), and windows-1252 with its aliases latin1 and ascii (Node's decoder reads them as ISO-8859-1: see above).
 */
function legacyDecoder(label: string | null): InstanceType<typeof TextDecoder> | null {
  if (!label) return null;
  let d: InstanceType<typeof TextDecoder>;
  try {
    d = new TextDecoder(label);
  } catch {
    return null; // a label no decoder knows
  }
  return /^(utf-8|utf-16le|utf-16be|windows-1252)$/.test(d.encoding) ? null : d;
}

/** CRLF and lone CR become LF; other line separators stay for the cleaner to judge. */
export function normaliseLineEndings(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

export function decodeBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, message: 'empty file' };
  let text: string;
  let encoding: Encoding;
  const bomless = bytes[0] === 0xff || bytes[0] === 0xfe ? null : bomlessUtf16(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = utf16le.decode(bytes.subarray(2));
    encoding = 'utf-16le';
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = utf16be.decode(bytes.subarray(2));
    encoding = 'utf-16be';
  } else if (bomless) {
    text = (bomless === 'le' ? utf16le : utf16be).decode(bytes);
    encoding = bomless === 'le' ? 'utf-16le' : 'utf-16be';
  } else {
    const kind = binaryKind(bytes);
    if (kind) return { ok: false, message: `binary file (${kind}), not text` };
    if (hasNul(bytes, 1 << 16) || controlByteShare(bytes, 1 << 16) > 0.05) {
      return { ok: false, message: 'binary file (control bytes), not text' };
    }
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const body = bom ? bytes.subarray(3) : bytes;
    try {
      text = utf8Strict.decode(body);
      encoding = bom ? 'utf-8-bom' : 'utf-8';
    } catch {
      // Not valid UTF-8: the charset a page declares (a Russian page in windows-1251, a Japanese one in Shift_JIS),
      // else the common legacy encoding of scraped Western pages. Valid UTF-8 stays UTF-8 whatever a page declares:
      // a scraper that saved the page as UTF-8 kept its old <meta charset>.
      const declared = legacyDecoder(declaredCharset(body));
      if (declared) {
        text = declared.decode(body);
        encoding = declared.encoding;
      } else {
        text = decodeWindows1252(body);
        encoding = 'windows-1252';
      }
    }
  }
  text = normaliseLineEndings(text);
  if (text.trim().length === 0) return { ok: false, message: 'no text (whitespace only)' };
  return { ok: true, text, encoding };
}

/** HTML by extension, or by content that is clearly markup. */
export function looksLikeHtml(path: string, text: string): boolean {
  if (/\.(html?|xhtml)$/i.test(path)) return true;
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return true;
  if (!head.startsWith('<')) return false;
  // Starts with a tag: call it HTML when block tags are common.
  const sample = text.slice(0, 65536);
  const tags = sample.match(/<\/?(p|div|body|head|article|span|a|br|section|meta|title)\b/gi);
  return (tags?.length ?? 0) >= 5;
}
