// The incremental cache: per-document results (cleaned text, metadata, fingerprint) keyed by a hash of
// the file's bytes and of everything else that shapes the result (tool version, settings). One file,
// written atomically. A corrupt or foreign file is ignored with a warning, never trusted.
//
// Layout (format 2), built so that a warm run pays little for what did not change:
//   "ACLEANC2" | u32 header length | u32 CRC-32 of the header | header (JSON) | entries
// Each entry is one v8-serialised result with its own CRC-32, checked when it is first used. Entries are
// deserialised only when asked for, and an entry kept from the old file is copied as raw bytes when the file
// is written again, never re-serialised. The header also remembers, per input file, the stat signature it had
// and the hash of its bytes, so a file whose signature is unchanged need not be read at all (git's index does
// the same); a file changed less than RACY_MS before a run began is not remembered, since a later change
// within the file system's timestamp granularity could leave the signature as it was.
import crypto from 'node:crypto';
import fs from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { DocResult, DocSettings } from '../document.js';
import type { FileStamp } from '../read/index.js';
import { writeFileAtomic } from '../write/atomic.js';

const MAGIC = Buffer.from('ACLEANC2', 'latin1');
const PREFIX = MAGIC.length + 8;
const FORMAT = 2;
/** Files changed this close to the start of a run are read again next time (timestamp granularity, FAT's 2 s). */
const RACY_MS = 2000;

/** The default place, like eslint's and babel's: node_modules/.cache/clean/ in the working folder. */
export const DEFAULT_CACHE_DIR = 'node_modules/.cache/clean';
export const CACHE_FILE = 'documents.cache';

interface Header {
  magic: string;
  format: number;
  /** Hash of the tool version, build and settings: a different one means every entry is stale. */
  salt: string;
  /** Entries: key, offset in the entries section, length, CRC-32. Sorted by key. */
  entries: [string, number, number, number][];
  /** Remembered files: path, stat signature, content key. Sorted by path. */
  files: [string, string, string][];
}

/** An entry as found in the file: raw bytes, deserialised (and checked) on first use. */
interface Stored {
  /** The serialised result; null for a result of this run, serialised when the file is written. */
  bytes: Uint8Array | null;
  crc: number;
  value?: DocResult;
}

export class DocCache {
  /** Whether this run stored or dropped something the file does not reflect yet. */
  private dirty = false;
  private readonly used = new Map<string, Stored>();
  private readonly seen = new Map<string, [string, string]>();
  /** Set when an entry fails its check: nothing more is trusted from the file. */
  private broken = false;
  hits = 0;
  misses = 0;

  private constructor(
    private readonly file: string,
    private readonly salt: string,
    private readonly stored: Map<string, Stored>,
    private readonly files: Map<string, [sig: string, key: string]>,
    private readonly warn: (message: string) => void,
    /** When this run began: files changed after (or just before) it are not remembered by signature. */
    private readonly startedAt: number,
  ) {}

  /** Opens the cache file; `warn` is told why an unusable file was ignored. */
  static open(file: string, version: string, settings: DocSettings, warn: (message: string) => void): DocCache {
    const startedAt = Date.now();
    const salt = crypto.createHash('sha256').update(JSON.stringify({ version, build: buildStamp(), settings })).digest('hex');
    const { entries, files } = readFile(file, salt, warn);
    return new DocCache(file, salt, entries, files, warn, startedAt);
  }

  /** The key of a document's bytes alone. */
  static contentKey(bytes: Uint8Array): string {
    return crypto.createHash('sha1').update(bytes).digest('base64');
  }

  /** The key of a result that depends on the bytes (their content key) and on a salt (such as template lines). */
  static saltedKey(contentKey: string, salt?: string): string {
    if (!salt) return contentKey;
    return crypto.createHash('sha1').update(contentKey).update('\0').update(salt).digest('base64');
  }

  /** The key of a document's bytes (and of a salt: what else its result depends on). */
  static key(bytes: Uint8Array, salt?: string): string {
    return DocCache.saltedKey(DocCache.contentKey(bytes), salt);
  }

  /** The content key remembered for this version of a file, if its signature is unchanged since it was read. */
  knownContentKey(stamp: FileStamp): string | undefined {
    if (this.broken) return undefined;
    const f = this.files.get(stamp.id);
    return f && f[0] === stamp.sig ? f[1] : undefined;
  }

  /** Remembers which content key a version of a file had (not for files changed around the start of this run). */
  noteFile(stamp: FileStamp, contentKey: string): void {
    if (stamp.changed >= this.startedAt - RACY_MS) return;
    this.seen.set(stamp.id, [stamp.sig, contentKey]);
  }

  get(key: string, path: string): DocResult | undefined {
    const e = this.broken ? undefined : this.stored.get(key);
    const value = e && this.load(key, e);
    if (!e || !value) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.used.set(key, e);
    return withPath(value, path);
  }

  set(key: string, result: DocResult): void {
    if (!this.stored.has(key) || this.broken) this.dirty = true;
    this.used.set(key, { bytes: null, crc: -1, value: result });
  }

  /**
   * Writes the entries this run used (others are dropped, so the file tracks the corpus). A run that used
   * exactly what the file holds leaves it alone: an unchanged corpus (a pre-commit hook) costs no rewrite.
   */
  save(): void {
    if (!this.dirty && this.used.size === this.stored.size && sameFiles(this.seen, this.files)) return;
    const keys = [...this.used.keys()].sort();
    const entries: Header['entries'] = [];
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (const key of keys) {
      const e = this.used.get(key)!;
      const bytes = e.bytes ?? v8.serialize(e.value);
      const crc = e.crc >= 0 ? e.crc : zlib.crc32(bytes);
      entries.push([key, offset, bytes.length, crc]);
      parts.push(bytes);
      offset += bytes.length;
    }
    const files = [...this.seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([id, [sig, key]]): [string, string, string] => [id, sig, key]);
    const header: Header = { magic: 'article-cleaner-cache', format: FORMAT, salt: this.salt, entries, files };
    const headerBytes = Buffer.from(JSON.stringify(header));
    const prefix = Buffer.alloc(PREFIX);
    MAGIC.copy(prefix, 0);
    prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
    prefix.writeUInt32LE(zlib.crc32(headerBytes), MAGIC.length + 4);
    writeFileAtomic(this.file, Buffer.concat([prefix, headerBytes, ...parts]));
  }

  /** An entry's result, checked against its CRC on first use; a failed check distrusts the whole file. */
  private load(key: string, e: Stored): DocResult | undefined {
    if (e.value) return e.value;
    try {
      if (!e.bytes || zlib.crc32(e.bytes) !== e.crc) throw new Error('checksum mismatch (corrupt)');
      e.value = v8.deserialize(e.bytes) as DocResult;
      return e.value;
    } catch (err) {
      this.warn(`cache ${this.file}: entry ${key}: ${(err as Error).message}; ignoring the rest of it`);
      this.broken = true;
      this.dirty = true;
      return undefined;
    }
  }
}

function sameFiles(a: Map<string, [string, string]>, b: Map<string, [string, string]>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, [sig, key]] of a) {
    const o = b.get(id);
    if (!o || o[0] !== sig || o[1] !== key) return false;
  }
  return true;
}

/**
 * What this build is: a hash of the compiled code beside this module (the per-document stages), so a
 * changed tool with the same version number never trusts old entries, while rebuilding unchanged code does
 * not throw the cache away.
 */
function buildStamp(): string {
  const h = crypto.createHash('sha256');
  try {
    const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
    const stack = [root];
    const files: string[] = [];
    while (stack.length) {
      const dir = stack.pop()!;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) stack.push(p);
        else if (e.name.endsWith('.js')) files.push(p);
      }
    }
    for (const f of files.sort()) h.update(path.relative(root, f)).update(fs.readFileSync(f));
    h.update(fs.readFileSync(new URL('../../data/background-df.json', import.meta.url)));
  } catch {
    /* a layout we do not know: the version alone decides */
  }
  return h.digest('hex');
}

/** Cached results are stored by content; the path is the one of this run. */
function withPath(e: DocResult, path: string): DocResult {
  if ('doc' in e) return { ...e, doc: { ...e.doc, path } };
  return { ...e, path };
}

interface Contents {
  entries: Map<string, Stored>;
  files: Map<string, [string, string]>;
}

function empty(): Contents {
  return { entries: new Map(), files: new Map() };
}

function readFile(file: string, salt: string, warn: (message: string) => void): Contents {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cache ${file}: cannot read (${(e as Error).message}); starting empty`);
    return empty();
  }
  if (raw.length < PREFIX || !raw.subarray(0, MAGIC.length).equals(MAGIC)) {
    warn(`cache ${file}: not a cache file of this tool; ignoring it`);
    return empty();
  }
  try {
    const headerLength = raw.readUInt32LE(MAGIC.length);
    const headerBytes = raw.subarray(PREFIX, PREFIX + headerLength);
    if (headerBytes.length !== headerLength || zlib.crc32(headerBytes) !== raw.readUInt32LE(MAGIC.length + 4)) {
      warn(`cache ${file}: checksum mismatch (corrupt); ignoring it`);
      return empty();
    }
    const header = JSON.parse(headerBytes.toString('utf8')) as Header;
    if (header.format !== FORMAT || !Array.isArray(header.entries) || !Array.isArray(header.files)) throw new Error('unknown layout');
    if (header.salt !== salt) return empty(); // another version or other settings: stale, not corrupt
    const body = raw.subarray(PREFIX + headerLength);
    const entries = new Map<string, Stored>();
    for (const [key, offset, length, crc] of header.entries) {
      if (!(offset >= 0 && length >= 0 && offset + length <= body.length)) throw new Error('an entry lies outside the file');
      entries.set(key, { bytes: body.subarray(offset, offset + length), crc });
    }
    return { entries, files: new Map(header.files.map(([id, sig, key]) => [id, [sig, key]])) };
  } catch (e) {
    warn(`cache ${file}: unreadable (${(e as Error).message}); ignoring it`);
    return empty();
  }
}
