// The incremental cache: per-document results (cleaned text, metadata, fingerprint) keyed by a hash of
// the file's bytes and of everything else that shapes the result (tool version, settings). One file,
// written atomically. A corrupt or foreign file is ignored with a warning, never trusted.
import crypto from 'node:crypto';
import fs from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocResult, DocSettings } from '../document.js';
import { writeFileAtomic } from '../write/atomic.js';

const MAGIC = 'article-cleaner-cache';
const FORMAT = 1;

/** The default place, like eslint's and babel's: node_modules/.cache/clean/ in the working folder. */
export const DEFAULT_CACHE_DIR = 'node_modules/.cache/clean';
export const CACHE_FILE = 'documents.cache';

interface CacheFile {
  magic: string;
  format: number;
  /** Hash of the tool version and settings: a different one means every entry is stale. */
  salt: string;
  /** SHA-256 of the serialised entries, so a truncated or altered file is caught before use. */
  checksum: string;
  entries: Buffer;
}

type Entry = DocResult;

export class DocCache {
  private readonly entries: Map<string, Entry>;
  private readonly used = new Map<string, Entry>();
  /** Whether this run stored a result the file does not hold yet. */
  private added = false;
  hits = 0;
  misses = 0;

  private constructor(
    private readonly file: string,
    private readonly salt: string,
    entries: Map<string, Entry>,
  ) {
    this.entries = entries;
  }

  /** Opens the cache file; `warn` is told why an unusable file was ignored. */
  static open(file: string, version: string, settings: DocSettings, warn: (message: string) => void): DocCache {
    const salt = crypto.createHash('sha256').update(JSON.stringify({ version, build: buildStamp(), settings })).digest('hex');
    return new DocCache(file, salt, readEntries(file, salt, warn));
  }

  /** The key of a document's bytes (and of a salt: what else its result depends on, such as template lines). */
  static key(bytes: Uint8Array, salt?: string): string {
    const h = crypto.createHash('sha1').update(bytes);
    if (salt) h.update('\0').update(salt);
    return h.digest('base64');
  }

  get(key: string, path: string): DocResult | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.used.set(key, e);
    return withPath(e, path);
  }

  set(key: string, result: DocResult): void {
    if (!this.entries.has(key)) this.added = true;
    this.used.set(key, result);
  }

  /**
   * Writes the entries this run used (others are dropped, so the file tracks the corpus). A run that used
   * exactly what the file holds leaves it alone: an unchanged corpus (a pre-commit hook) costs no rewrite.
   */
  save(): void {
    if (!this.added && this.used.size === this.entries.size) return;
    const entries = v8.serialize([...this.used.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    const checksum = crypto.createHash('sha256').update(entries).digest('hex');
    const body: CacheFile = { magic: MAGIC, format: FORMAT, salt: this.salt, checksum, entries };
    writeFileAtomic(this.file, v8.serialize(body));
  }
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
function withPath(e: Entry, path: string): DocResult {
  if ('doc' in e) return { ...e, doc: { ...e.doc, path } };
  return { ...e, path };
}

function readEntries(file: string, salt: string, warn: (message: string) => void): Map<string, Entry> {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cache ${file}: cannot read (${(e as Error).message}); starting empty`);
    return new Map();
  }
  try {
    const body = v8.deserialize(raw) as Partial<CacheFile>;
    if (!body || body.magic !== MAGIC || body.format !== FORMAT || !ArrayBuffer.isView(body.entries)) {
      warn(`cache ${file}: not a cache file of this tool; ignoring it`);
      return new Map();
    }
    if (body.salt !== salt) return new Map(); // another version or other settings: stale, not corrupt
    const entries = Buffer.from(body.entries as Uint8Array);
    if (crypto.createHash('sha256').update(entries).digest('hex') !== body.checksum) {
      warn(`cache ${file}: checksum mismatch (corrupt); ignoring it`);
      return new Map();
    }
    const list = v8.deserialize(entries) as [string, Entry][];
    if (!Array.isArray(list)) throw new Error('entries are not a list');
    return new Map(list);
  } catch (e) {
    warn(`cache ${file}: unreadable (${(e as Error).message}); ignoring it`);
    return new Map();
  }
}
