// The incremental cache: per-document results (cleaned text, metadata, fingerprint) keyed by a hash of
// the file's bytes and of everything else that shapes the result (tool version, settings). One file.
// A corrupt or foreign file is ignored with a warning, never trusted.
//
// The file is a log, so that a run which changed one document of many writes one record, not the whole cache:
//   "ACLEANC3" | u32 header length | u32 CRC-32 of the header | header (JSON: format, salt) | records…
//   record: u8 kind | u32 tag | u32 payload length | u32 CRC-32 of the payload | payload
// An entry record holds one document's result (key, then the result as codec.ts encodes it). A file written anew keeps
// two parts of each entry apart, in one region after the entries that the header names (the lazy region): the cleaned
// texts and the fingerprints' arrays but their terms (the 3-gram sketch, MinHash, the terms' counts and kinds), two
// thirds of its bytes. A lean entry record holds the rest of a result and where those two lie (with their CRCs), and a
// run reads them by position only when it asks for them: the texts of the articles it renders, the arrays of the
// documents it scores or weighs again. A files record remembers files' stat signatures and the keys of their
// bytes (inputs, or articles written earlier; all those a save remembers anew, in one record), so a file whose
// signature is unchanged is not read again (git's index does the same; a file changed less than RACY_MS before a run
// began is not remembered, since a later change within the file system's timestamp granularity could leave its
// signature as it was; FINE_RACY_MS where the file system keeps times finer than a millisecond). An article this run
// wrote is remembered when the cache is saved, if it is still the version written and old enough by then. Later records
// win. A state record holds a corpus-level result by name (the cluster stage's pair scores): u16 name length | u16
// padding | name | zero bytes up to a multiple of 8 in the file | the state's bytes. The last one of a name wins. Every
// record carries a tag of the salt, and its CRC is checked before anything in it is used: a torn last record (a run
// stopped while appending) and everything after a damaged one are ignored. A state asked for only by some runs (the
// last run's output, which only a run that may replay it reads: src/cli/replay.ts) is deferred: written after the
// others, followed by a tail record (its last bytes: the payload's length and TAIL_MAGIC) that lists where each
// deferred state lies. A run reads the file but the lazy region and the deferred states, and reads a deferred state by
// position when it is asked for. A file whose tail does not check out is read whole, deferred states and all. When
// the entries no run needs any more outweigh the live ones, the file is written anew (atomically) with the live ones
// only, so it tracks the corpus.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from '../crc32.js';
import type { DocResult, DocSettings, TextSource } from '../document.js';
import { fileStamp, type FileStamp } from '../read/index.js';
import { removeDeadTempFiles, writeFileAtomic } from '../write/atomic.js';
import { decodeResult, encodeResult, RESULT_HEAD, splitLazy, type LazyArrays } from './codec.js';
import { openRegularFile, readInPool } from '../pool-read.js';

const MAGIC = Buffer.from('ACLEANC3', 'latin1');
const PREFIX = MAGIC.length + 8;
const RECORD_HEAD = 13;
const FORMAT = 14;
/**
 * Every record starts at a multiple of 4 in the file (zero bytes after it up to there), and an entry's result at an
 * offset where its fingerprint arrays are aligned: a warm run takes them as views of the file's bytes, not copies.
 */
const ALIGN = 4;
const padTo = (n: number): number => (ALIGN - (n % ALIGN)) % ALIGN;
/** Zero bytes that take position n to a multiple of `align`. */
const padFor = (n: number, align: number): number => (align - (n % align)) % align;
/**
 * A state's bytes start at a multiple of this in the file (zero bytes between its name and them, their number after the
 * name's length): the cluster stage's state holds Float64Arrays.
 */
const STATE_ALIGN = 8;
/** Bytes of a record of `length` payload bytes, with its padding. */
const recordBytes = (length: number): number => RECORD_HEAD + length + padTo(RECORD_HEAD + length);
/** Zero bytes between an entry's key and its result, so that the result's arrays start aligned. */
const keyPad = (keyLength: number): number => padTo(RECORD_HEAD + 2 + keyLength + RESULT_HEAD);
/** The same for a lean entry, whose key is followed by where its texts and fingerprint arrays lie. */
const leanPad = (keyLength: number): number => padTo(RECORD_HEAD + 2 + keyLength + LEAN_REF + RESULT_HEAD);
const KIND_ENTRY = 1;
/** Files remembered by stat signature, many to a record: a JSON list of [path, signature, content key]. */
const KIND_FILES = 5;
const KIND_STATE = 3;
/**
 * The file's last record when it has deferred states: a JSON list of [name, record offset, record bytes], padded with
 * spaces to a multiple of 4, then u32 payload length, u32 TAIL_MAGIC (so that a reader finds it from the file's end).
 */
const KIND_TAIL = 6;
const TAIL_MAGIC = 0x4c544341; // "ACTL"
/** Zero bytes after a tail record's payload (a multiple of 4 after a 13-byte head). */
const TAIL_PAD = 3;
/**
 * An entry whose paragraphs and fingerprint arrays lie in the lazy region: key, where each lies (u32 × 4 each: offset low,
 * high, length, CRC), the rest of the result.
 */
const KIND_LEAN = 4;
const REF = 16;
const LEAN_REF = 2 * REF;
/** The file is written anew when the bytes no run uses any more exceed the live ones and this. */
export const COMPACT_MIN_DEAD = 256 * 1024;
/** Files changed this close to the start of a run are read again next time (timestamp granularity, FAT's 2 s). */
const RACY_MS = 2000;
/**
 * The same where the file system keeps times finer than a millisecond: the granularity is then the kernel's clock
 * tick (at most 10 ms on Linux, 15.6 ms on Windows), with a margin. The margin is wide on purpose: file times come from a
 * clock read at the last tick, and on a virtual machine Linux lets that clock's update stall for up to 5 ticks (50 ms
 * at 100 Hz) before another CPU forces it. (40 ms was tried: the run after a cold one then trusted the articles the cold
 * run had renamed into place in its last 100 ms instead of rendering and comparing them, 0.1 s of its write stage; see
 * bench/RESULTS.md, fourteenth session.)
 */
const FINE_RACY_MS = 100;
/** How long after its last change a file's stat signature is sure to change with any further change. */
export const racyWindow = (stamp: FileStamp): number => (stamp.fine ? FINE_RACY_MS : RACY_MS);

/** The default place, like eslint's and babel's: node_modules/.cache/clean/ in the working folder. */
export const DEFAULT_CACHE_DIR = 'node_modules/.cache/clean';
export const CACHE_FILE = 'documents.cache';

/**
 * An entry: its record as in the file, or as it will be appended. Only bytes are kept (a result is encoded when it
 * is stored and decoded each time it is asked for), so the cache never holds a second copy of a corpus's texts.
 */
interface Entry {
  /** The whole record (head and payload). */
  readonly record: Uint8Array;
  /** Where the encoded result starts in the record. */
  readonly start: number;
  /** A result of this run, not in the file yet. */
  readonly fresh: boolean;
  /** A lean entry's paragraphs and fingerprint arrays: where they lie in the file's lazy region. */
  readonly texts?: RegionRef;
  readonly arrays?: RegionRef;
}

/**
 * An entry of the file as read: where its record lies in the file's bytes, with the record's view and the references
 * to its parts made when asked for. A warm run reads 10,000 entries and decodes each once: one object apiece, not a
 * Buffer view, two references and the entry (and the garbage collector copying them all while the run goes on).
 */
class HeldEntry implements Entry {
  readonly fresh = false;
  constructor(
    private readonly raw: Buffer,
    private readonly at: number,
    private readonly size: number,
    readonly start: number,
    /** Where a lean entry's two references lie in `raw` (-1: an entry with all its parts). */
    private readonly refAt: number,
  ) {}
  get record(): Uint8Array {
    return this.raw.subarray(this.at, this.at + this.size);
  }
  get texts(): RegionRef | undefined {
    return this.refAt < 0 ? undefined : regionRef(this.raw, this.refAt);
  }
  get arrays(): RegionRef | undefined {
    return this.refAt < 0 ? undefined : regionRef(this.raw, this.refAt + REF);
  }
  /** Whether its paragraphs and fingerprint arrays lie in the lazy region. */
  get lean(): boolean {
    return this.refAt >= 0;
  }
  /** Bytes of the file it takes: its record, and its two parts in the lazy region (their lengths, at 8 in each reference). */
  get bytes(): number {
    return this.size + (this.refAt < 0 ? 0 : this.raw.readUInt32LE(this.refAt + 8) + this.raw.readUInt32LE(this.refAt + REF + 8));
  }
  /** The encoded result (resultOf), without a view of the whole record. */
  result(): Uint8Array {
    const r = this.raw;
    const length = r.readUInt32LE(this.at + 5);
    return new Uint8Array(r.buffer, r.byteOffset + this.at + this.start, Math.max(0, Math.min(RECORD_HEAD + length, this.size) - this.start));
  }
}

/** Where a part of an entry (its paragraphs' JSON, its fingerprint arrays) lies in the cache file, and its CRC-32. */
interface RegionRef {
  at: number;
  length: number;
  crc: number;
}

/**
 * Thrown when a part of a cached document kept in the lazy region (its cleaned text, its fingerprint arrays) fails its check
 * as it is read: the run must do without the cache.
 */
export class CacheDamagedError extends Error {}

type Remembered = [sig: string, key: string];

/** Where a deferred state's record lies in the file. */
interface DeferredRef {
  at: number;
  size: number;
}

/** The deferred part of a file as its tail names it: the records in [at, end), the tail record from `end` on. */
interface DeferredRegion {
  at: number;
  end: number;
  states: Map<string, DeferredRef>;
}

/** What a cache file held, and what is needed to append to it. */
interface Contents {
  entries: Map<string, Entry>;
  files: Map<string, Remembered>;
  /** Corpus-level states by name (the payload after the name); a deferred one once it has been read. */
  states: Map<string, Uint8Array>;
  /** Deferred states by name: where each one's record lies (read when asked for). */
  deferred: Map<string, DeferredRef>;
  /** Bytes of the records region (0: no usable file, so the next save writes a new one). */
  size: number;
  /** The file's identity when it was read (an append goes only to that same file, at that same size). */
  ino: number;
  /** The whole file's length when read (with the header). */
  length: number;
  /** Where the state records at the end of the file begin (length: none there); an append replaces them. */
  statesAt: number;
  /** Something else is at the path (a user's file, an input, a FIFO, a device): it is never written. */
  foreign?: boolean;
  /** The file, kept open while its lazy region may be read (closed by DocCache.close). */
  fd?: number;
}

export class DocCache {
  private readonly used = new Map<string, Entry>();
  private readonly seen = new Map<string, Remembered>();
  /** Files this run wrote, by path: their stamp just after the write and the key of what they hold (noteWritten). */
  private readonly written = new Map<string, [FileStamp, string]>();
  /** States set by this run, each as the pieces its bytes are made of (written one after another, not joined). */
  private readonly newStates = new Map<string, readonly Uint8Array[]>();
  /** The states of newStates to be written deferred. */
  private readonly newDeferred = new Set<string>();
  /** Set when a record fails its check: nothing more is trusted from the file, and it is written anew. */
  private broken = false;
  /** Set when a deferred state fails its check: it is not used, and the file is written anew at save. */
  private damagedState = false;

  private constructor(
    private readonly file: string,
    private readonly salt: string,
    private readonly tag: number,
    private held: Contents,
    private readonly warn: (message: string) => void,
    /** When this run began: files changed after (or just before) it are not remembered by signature. */
    private readonly startedAt: number,
  ) {}

  /** Settles when the file's contents are in (at once, but for openInBackground). */
  ready: Promise<void> = Promise.resolve();

  /** Opens the cache file; `warn` is told why an unusable file was ignored. */
  static open(file: string, version: string, settings: DocSettings, warn: (message: string) => void): DocCache {
    const startedAt = Date.now();
    const { salt, tag } = saltOf(version, settings);
    return new DocCache(file, salt, tag, readFile(file, salt, tag, warn), warn, startedAt);
  }

  /**
   * open() with the file read in the background (one read in the thread pool) while the caller goes on (walking the
   * inputs, which does not need it): await `ready` before anything else. Whether the file is a cache of this tool
   * at all (ownPath) is known at once.
   */
  static openInBackground(file: string, version: string, settings: DocSettings, warn: (message: string) => void): DocCache {
    const startedAt = Date.now();
    const { salt, tag } = saltOf(version, settings);
    const o = openForRead(file, warn);
    if ('held' in o) return new DocCache(file, salt, tag, o.held, warn, startedAt);
    const { fd, ino, size } = o.opened;
    const prefix = Buffer.alloc(MAGIC.length);
    let got = 0;
    try {
      got = fs.readSync(fd, prefix, 0, prefix.length, 0);
    } catch {
      /* read below again, and reported there */
    }
    if (size < PREFIX || got < prefix.length || !prefix.equals(MAGIC)) {
      fs.closeSync(fd);
      return new DocCache(file, salt, tag, readFile(file, salt, tag, warn), warn, startedAt);
    }
    const cache = new DocCache(file, salt, tag, empty(), warn, startedAt);
    const region = lazyRegion(fd, size);
    const deferred = deferredRegion(fd, size, tag, region);
    cache.ready = readWhole(fd, size, region, deferred).then(
      (raw) => {
        cache.held = keptOpen(parseContents(file, raw, ino, salt, tag, warn, region, deferred), fd);
      },
      (e: Error) => {
        fs.closeSync(fd);
        warn(`cache ${file}: cannot read (${e.message}); ${LEFT_ALONE}`);
        cache.held = { ...empty(), foreign: true };
      },
    );
    return cache;
  }

  /** The cache file's path, which a walk never takes as an input; undefined when something else is there. */
  get ownPath(): string | undefined {
    return this.held.foreign ? undefined : this.file;
  }

  /** The key of a document's bytes alone. */
  static contentKey(bytes: Uint8Array): string {
    return crypto.hash('sha1', bytes, 'base64');
  }

  /** The key of a result that depends on the bytes (their content key) and on a salt (such as template lines). */
  static saltedKey(contentKey: string, salt?: string): string {
    if (!salt) return contentKey;
    // one-shot (the same digest as hashing the three pieces one after another): a warm run names every article by one
    return crypto.hash('sha1', `${contentKey}\0${salt}`, 'base64');
  }

  /** The key of a document's bytes (and of a salt: what else its result depends on). */
  static key(bytes: Uint8Array, salt?: string): string {
    return DocCache.saltedKey(DocCache.contentKey(bytes), salt);
  }

  /** The content key remembered for this version of a file, if its signature is unchanged since it was read. */
  knownContentKey(stamp: FileStamp): string | undefined {
    if (this.broken) return undefined;
    const f = this.held.files.get(stamp.id);
    return f && f[0] === stamp.sig ? f[1] : undefined;
  }

  /** Whether a result for these bytes (by content key) and salt is here, without decoding it. */
  holds(contentKey: string, salt?: string): boolean {
    return !this.broken && this.held.entries.has(DocCache.saltedKey(contentKey, salt));
  }

  /** Remembers which content key a version of a file had (not for files changed around the start of this run). */
  noteFile(stamp: FileStamp, contentKey: string): void {
    if (stamp.changed >= this.startedAt - racyWindow(stamp)) return;
    this.seen.set(stamp.id, [stamp.sig, contentKey]);
  }

  /**
   * Remembers a file this run wrote (with its stamp taken just after) as holding bytes of `key`, when the cache is
   * saved: if it is still that version then, and was written long enough before that a later change must show in its
   * signature. The next run then trusts it without reading it (a run after a cold one need not read every article).
   */
  noteWritten(stamp: FileStamp, key: string): void {
    this.written.set(stamp.id, [stamp, key]);
  }

  /** The files this run wrote that can be remembered now (noteWritten), with their keys. */
  private settleWritten(): void {
    const now = Date.now();
    for (const [id, [stamp, key]] of this.written) {
      if (now - stamp.changed <= racyWindow(stamp)) continue;
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(id, { throwIfNoEntry: false });
      } catch {
        continue;
      }
      // changed since it was written (by someone else): read and compared next time, as any file not remembered
      if (st?.isFile() && fileStamp(id, st).sig === stamp.sig) this.seen.set(id, [stamp.sig, key]);
    }
    this.written.clear();
  }

  /** The last state stored under this name, if any (bytes of the file; a deferred one is read now, the first time). */
  state(name: string): Uint8Array | undefined {
    if (this.broken) return undefined;
    const set = this.newStates.get(name);
    return set ? Buffer.concat(set) : (this.held.states.get(name) ?? this.readDeferred(name));
  }

  /** Whether a state of this name, with bytes, is stored (without reading a deferred one). */
  hasState(name: string): boolean {
    if (this.broken) return false;
    const set = this.newStates.get(name);
    if (set) return set.some((p) => p.length > 0);
    return (this.held.states.get(name)?.byteLength ?? 0) > 0 || this.held.deferred.has(name);
  }

  /**
   * Stores a corpus-level state under a name (it replaces the one before at save): its bytes, or the pieces they are
   * made of (views of a state's own arrays, say), which must stay as they are until the save. `deferred`: written
   * where a run reads it only when it asks for it (a large state that many runs do not need).
   */
  setState(name: string, bytes: Uint8Array | readonly Uint8Array[], opts: { deferred?: boolean } = {}): void {
    this.newStates.set(name, bytes instanceof Uint8Array ? [bytes] : bytes);
    if (opts.deferred) this.newDeferred.add(name);
    else this.newDeferred.delete(name);
  }

  /** A deferred state of the file: its bytes, read now by position, once they check out; undefined if none. */
  private readDeferred(name: string): Uint8Array | undefined {
    const ref = this.held.deferred.get(name);
    if (!ref) return undefined;
    let payload: Uint8Array | null = null;
    if (this.held.fd !== undefined) {
      // the record lands at the same offset modulo 8 as in the file, so the state's typed arrays are aligned views
      const lead = ref.at % STATE_ALIGN;
      const bytes = Buffer.from(new ArrayBuffer(lead + ref.size));
      try {
        if (readAt(this.held.fd, bytes, lead, ref.size, ref.at) === ref.size) payload = deferredPayload(bytes.subarray(lead), name, this.tag);
      } catch {
        /* unreadable: as damaged */
      }
    }
    if (payload) {
      this.held.states.set(name, payload);
      return payload;
    }
    this.held.deferred.delete(name);
    // another run saved the file since it was read (it cut the states off and wrote its own): gone, not damaged
    if (this.held.fd !== undefined && fs.fstatSync(this.held.fd).size !== this.held.length) return undefined;
    this.warn(`cache ${this.file}: the state "${name}" is damaged (checksum mismatch at byte ${ref.at}); it is not used`);
    this.damagedState = true;
    return undefined;
  }

  get(key: string, path: string): DocResult | undefined {
    const e = this.broken ? undefined : this.held.entries.get(key);
    const value = e && this.load(key, e, path);
    if (!e || !value) return undefined;
    this.used.set(key, e);
    return value;
  }

  /**
   * The result stored under a key (this run's or the file's), without counting it as used: a result of a document as it
   * was (the cluster stage asks for the terms of those gone since the last run), which the next rewrite may drop.
   */
  peek(key: string): DocResult | undefined {
    const e = this.broken ? undefined : (this.used.get(key) ?? this.held.entries.get(key));
    return e && this.load(key, e, '');
  }

  set(key: string, result: DocResult): void {
    const held = this.broken ? undefined : this.held.entries.get(key);
    this.used.set(key, held ?? { ...this.entryRecord(key, encodeResult(result)), fresh: true });
  }

  /** Stores a result encoded elsewhere (a worker); returns it under `path`, read from the stored bytes. */
  setEncoded(key: string, encoded: Uint8Array, path: string): DocResult {
    const e = { ...this.entryRecord(key, encoded), fresh: true };
    this.used.set(key, e);
    return decodeResult(resultOf(e), path);
  }

  /**
   * Stores what this run added: appended as records, or, when the file is new, unusable, or mostly entries this run
   * did not use, written anew with only the entries this run used. A run that added nothing leaves the file alone
   * (an unchanged corpus, a pre-commit hook, costs no write).
   */
  save(): void {
    if (this.held.foreign || !this.stillOurs()) return;
    this.settleWritten();
    const { files, size } = this.held;
    const fresh = [...this.used].filter(([, e]) => e.fresh);
    const changedFiles = [...this.seen].filter(([id, [sig, key]]) => {
      const f = files.get(id);
      return !f || f[0] !== sig || f[1] !== key;
    });
    const changedStates = [...this.newStates].filter(([name, pieces]) => {
      const held = this.held.states.get(name);
      return !held || !holdsPieces(held, pieces);
    });
    let live = 0;
    for (const e of this.used.values()) if (!e.fresh) live += e instanceof HeldEntry ? e.bytes : e.record.length + (e.texts?.length ?? 0) + (e.arrays?.length ?? 0);
    const rewrite = this.broken || this.damagedState || size === 0 || size - live > Math.max(live, COMPACT_MIN_DEAD);
    if (!rewrite && fresh.length === 0 && changedFiles.length === 0 && changedStates.length === 0) return;
    const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    // a state this run did not set is kept as the file had it (a deferred one read now: it is written again)
    const keptNames = this.broken ? [] : [...new Set([...this.held.states.keys(), ...this.held.deferred.keys()])].filter((name) => !this.newStates.has(name));
    const kept = keptNames.flatMap((name) => {
      const bytes = this.state(name);
      return bytes ? [[name, [bytes]] as const] : [];
    });
    const states = new Map<string, readonly Uint8Array[]>([...kept, ...this.newStates]);
    // Appended only to the very file read (another run may have rewritten it since): else ours is written anew. The
    // states the file ends with are cut off and written again after the new records, so that a state replaced at
    // every run (the cluster stage's) does not pile up in the file.
    const trailing = this.held.statesAt < this.held.length;
    // (an append starts where the states did, or at the end)
    const appended = this.records(fresh.sort(byKey), changedFiles.sort(byKey), (trailing ? [...states] : changedStates).sort(byKey), this.held.statesAt);
    if (rewrite || !appendTo(this.file, this.held, appended)) {
      removeDeadTempFiles(path.dirname(this.file), new Set([path.basename(this.file)])); // of a run killed while writing it
      writeFileAtomic(this.file, this.layout([...this.used].sort(byKey), [...this.seen].sort(byKey), [...states].sort(byKey)));
    }
  }

  /** Whether the state of this name is to be written deferred (one with bytes, set or kept so). */
  private isDeferred(name: string, pieces: readonly Uint8Array[]): boolean {
    if (!pieces.some((p) => p.length > 0)) return false;
    return this.newStates.has(name) ? this.newDeferred.has(name) : this.held.deferred.has(name);
  }

  /**
   * The records as pieces to write one after another, from byte `at` of the file on: each state's bytes start at a
   * multiple of 8 there (STATE_ALIGN), so that a run takes the typed arrays in them as views, not copies. The deferred
   * states come last, and after them the tail that lists them.
   */
  private records(es: Iterable<[string, Entry]>, files: Iterable<[string, Remembered]>, states: Iterable<[string, readonly Uint8Array[]]>, at: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const [, e] of es) out.push(e.record);
    // one record for all of them: one check and one parse for a corpus's files, not one each
    const list = [...files].map(([id, [sig, key]]) => [id, sig, key]);
    if (list.length > 0) out.push(this.record(KIND_FILES, Buffer.from(JSON.stringify(list))));
    let pos = at + out.reduce((n, r) => n + r.length, 0);
    const all = [...states];
    const deferred: [string, number, number][] = [];
    for (const later of [false, true]) {
      for (const [name, pieces] of all) {
        if (this.isDeferred(name, pieces) !== later) continue;
        const n = Buffer.from(name);
        const head = Buffer.alloc(4);
        const pad = padFor(pos + RECORD_HEAD + head.length + n.length, STATE_ALIGN);
        head.writeUInt16LE(n.length, 0);
        head.writeUInt16LE(pad, 2);
        const record = this.recordPieces(KIND_STATE, [head, n, new Uint8Array(pad), ...pieces]);
        const size = record.reduce((k, r) => k + r.length, 0);
        if (later) deferred.push([name, pos, size]);
        out.push(...record);
        pos += size;
      }
    }
    if (deferred.length > 0) out.push(this.tailRecord(deferred));
    return out;
  }

  /** The tail record that lists the deferred states (KIND_TAIL). */
  private tailRecord(deferred: readonly [string, number, number][]): Uint8Array {
    const json = JSON.stringify(deferred);
    const list = Buffer.from(json + ' '.repeat(padTo(Buffer.byteLength(json))));
    const end = Buffer.alloc(8);
    end.writeUInt32LE(list.length + 8, 0);
    end.writeUInt32LE(TAIL_MAGIC, 4);
    return this.record(KIND_TAIL, list, end);
  }

  /**
   * A file written anew, as pieces: the header, each entry as a lean record (an error result, which has neither texts
   * nor fingerprint arrays, as it is), the lazy region (every entry's paragraphs, then every entry's fingerprint arrays,
   * in their order), then the file records and the states. An entry whose parts fail their check as they are copied is left out.
   */
  private layout(entries: [string, Entry][], files: [string, Remembered][], states: [string, readonly Uint8Array[]][]): Uint8Array[] {
    const lean: { key: Buffer; rest: Uint8Array[]; texts: Uint8Array; arrays: Uint8Array }[] = [];
    const whole: Uint8Array[] = [];
    for (const [key, e] of entries) {
      if (e.texts && e.arrays) {
        try {
          lean.push({ key: Buffer.from(key), rest: [resultOf(e)], texts: this.readRegion(e.texts, TEXTS), arrays: this.readRegion(e.arrays, ARRAYS) });
        } catch {
          /* left out */
        }
        continue;
      }
      const parts = splitLazy(resultOf(e));
      if (parts) lean.push({ key: Buffer.from(key), rest: parts.lean, texts: parts.texts, arrays: parts.arrays });
      else whole.push(e.record);
    }
    const restLength = (l: (typeof lean)[number]) => l.rest.reduce((n, r) => n + r.length, 0);
    const leanRecord = (l: (typeof lean)[number]) => recordBytes(2 + l.key.length + LEAN_REF + leanPad(l.key.length) + restLength(l));
    const before = lean.reduce((n, l) => n + leanRecord(l), 0) + whole.reduce((n, r) => n + r.length, 0);
    const lazyLength = lean.reduce((n, l) => n + l.texts.length + l.arrays.length, 0);
    const regionPad = padTo(lazyLength);
    // the header names the region, whose place depends on the header's own length
    let header = this.header([0, 0]);
    for (let settled = false; !settled; ) {
      const start = header.length + before;
      const next = this.header([start, start + lazyLength + regionPad]);
      settled = next.length === header.length;
      header = next;
    }
    let textsAt = header.length + before;
    let arraysAt = textsAt + lean.reduce((n, l) => n + l.texts.length, 0);
    const out: Uint8Array[] = [header];
    const writeRef = (ref: Buffer, into: number, bytes: Uint8Array, at: number) => {
      ref.writeUInt32LE(at % 2 ** 32, into);
      ref.writeUInt32LE(Math.floor(at / 2 ** 32), into + 4);
      ref.writeUInt32LE(bytes.length, into + 8);
      ref.writeUInt32LE(crc32(bytes), into + 12);
    };
    for (const l of lean) {
      const ref = Buffer.alloc(LEAN_REF);
      writeRef(ref, 0, l.texts, textsAt);
      writeRef(ref, REF, l.arrays, arraysAt);
      textsAt += l.texts.length;
      arraysAt += l.arrays.length;
      const len = Buffer.alloc(2);
      len.writeUInt16LE(l.key.length, 0);
      out.push(...this.recordPieces(KIND_LEAN, [len, l.key, ref, new Uint8Array(leanPad(l.key.length)), ...l.rest]));
    }
    out.push(...whole);
    for (const l of lean) out.push(l.texts);
    for (const l of lean) out.push(l.arrays);
    if (regionPad > 0) out.push(new Uint8Array(regionPad));
    out.push(...this.records([], files, states, out.reduce((n, r) => n + r.length, 0)));
    return out;
  }

  /**
   * A part of a lean entry (paragraphs' JSON, fingerprint arrays) read from the file at its place and checked, in
   * memory of its own (aligned: the arrays are taken as views of it).
   */
  readRegion(ref: RegionRef, what: string): Buffer {
    const buf = Buffer.from(new ArrayBuffer(ref.length));
    try {
      if (readAt(this.held.fd!, buf, 0, ref.length, ref.at) === ref.length && crc32(buf) === ref.crc) return buf;
    } catch {
      /* unreadable: as damaged */
    }
    throw this.damaged(what, ref);
  }

  /** The error for a part of an entry that failed its check; nothing more is trusted from the file. */
  private damaged(what: string, ref: RegionRef): CacheDamagedError {
    this.broken = true;
    return new CacheDamagedError(`cache ${this.file}: the ${what} of a document ${what === ARRAYS ? 'are' : 'is'} damaged (checksum mismatch at byte ${ref.at})`);
  }

  /** Whether texts of this run's documents may be read from the cache file (it has a lazy region, kept open). */
  get readsTexts(): boolean {
    return this.held.fd !== undefined;
  }

  /** Closes the file, which a run keeps open while the texts of its documents may be read from it. */
  close(): void {
    if (this.held.fd === undefined) return;
    fs.closeSync(this.held.fd);
    this.held.fd = undefined;
  }

  /** Removes the cache file when it is still the one this run read (it was found damaged). */
  discard(): void {
    this.close();
    try {
      if (this.held.ino !== 0 && fs.statSync(this.file).ino === this.held.ino) fs.unlinkSync(this.file);
    } catch {
      /* gone already */
    }
  }

  /**
   * Whether the path still holds what was read: nothing when nothing was there, else the same file. A file made
   * since (this run's own manifest or article, named by --cache-location) is never replaced by the cache.
   */
  private stillOurs(): boolean {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.file);
    } catch {
      return true; // nothing there (or gone): a new file can be made
    }
    if (this.held.ino !== 0 && st.ino === this.held.ino) return true;
    this.warn(`cache ${this.file}: another file is there now; it is left as it is and the cache is not saved`);
    return false;
  }

  private header(lazy?: [number, number]): Uint8Array {
    const json = JSON.stringify({ magic: 'article-cleaner-cache', format: FORMAT, salt: this.salt, ...(lazy ? { lazy } : {}) });
    // spaces after the JSON, so that the first record starts aligned
    const header = Buffer.from(json + ' '.repeat(padTo(PREFIX + json.length)));
    const prefix = Buffer.alloc(PREFIX);
    MAGIC.copy(prefix, 0);
    prefix.writeUInt32LE(header.length, MAGIC.length);
    prefix.writeUInt32LE(crc32(header), MAGIC.length + 4);
    return Buffer.concat([prefix, header]);
  }

  /** A record of the given payload pieces, as pieces: its head, the payload pieces themselves, its padding. */
  private recordPieces(kind: number, pieces: readonly Uint8Array[]): Uint8Array[] {
    let length = 0;
    let crc = 0;
    for (const p of pieces) {
      length += p.length;
      // an empty piece is skipped: Node 20's zlib.crc32(empty, crc) has been seen to return 0, not crc
      if (p.length > 0) crc = crc32(p, crc);
    }
    const head = Buffer.alloc(RECORD_HEAD);
    head.writeUInt8(kind, 0);
    head.writeUInt32LE(this.tag, 1);
    head.writeUInt32LE(length, 5);
    head.writeUInt32LE(crc, 9);
    const pad = recordBytes(length) - RECORD_HEAD - length;
    return [head, ...pieces, ...(pad > 0 ? [new Uint8Array(pad)] : [])];
  }

  /** A record of the given payload pieces, in one allocation. */
  private record(kind: number, ...pieces: Uint8Array[]): Uint8Array {
    const length = pieces.reduce((n, p) => n + p.length, 0);
    const out = Buffer.alloc(recordBytes(length));
    let pos = RECORD_HEAD;
    for (const p of pieces) {
      out.set(p, pos);
      pos += p.length;
    }
    out.writeUInt8(kind, 0);
    out.writeUInt32LE(this.tag, 1);
    out.writeUInt32LE(length, 5);
    out.writeUInt32LE(crc32(out.subarray(RECORD_HEAD, RECORD_HEAD + length)), 9);
    return out;
  }

  private entryRecord(key: string, encoded: Uint8Array): { record: Uint8Array; start: number } {
    const k = Buffer.from(key);
    const len = Buffer.alloc(2);
    len.writeUInt16LE(k.length, 0);
    const pad = keyPad(k.length);
    return { record: this.record(KIND_ENTRY, len, k, Buffer.alloc(pad), encoded), start: RECORD_HEAD + 2 + k.length + pad };
  }

  /** An entry's result under `path` (its texts still bytes of the entry); a failure distrusts the whole file. */
  private load(key: string, e: Entry, path: string): DocResult | undefined {
    try {
      const parts = (e instanceof HeldEntry ? e.lean : e.texts && e.arrays) ? new LazyParts(this, e) : undefined;
      return decodeResult(resultOf(e), path, parts, parts);
    } catch (err) {
      this.warn(`cache ${this.file}: entry ${key} is unreadable (${(err as Error).message}); ignoring the rest of it`);
      this.broken = true;
      return undefined;
    }
  }
}

/**
 * A lean entry's paragraphs and fingerprint arrays, read from the cache file when asked for: the paragraphs each time
 * (an article is rendered once), the arrays when the fingerprint first needs one, by one read by position. A pass over
 * the whole arrays part, once a run had asked for a few hundred, cost 0.15 s more than reading the rest one by one when
 * an edit reweighed 30-70 documents, and no less when it reweighed 650 (bench/RESULTS.md). One object for both parts
 * of a document, made as its result is decoded.
 */
class LazyParts implements TextSource, LazyArrays {
  constructor(
    private readonly cache: DocCache,
    private readonly entry: Entry,
  ) {}
  paragraphs(): string[] {
    return JSON.parse(this.cache.readRegion(this.entry.texts!, TEXTS).toString('utf8')) as string[];
  }
  arrays(): Uint8Array {
    return this.cache.readRegion(this.entry.arrays!, ARRAYS);
  }
}

/**
 * Appends records to the file read earlier, if it is still that file at that length, after cutting off the state
 * records it ended with (the records given hold them again). Killed between the two, the file has lost only its
 * states; killed while writing, its last record is torn, which a reader ignores.
 */
function appendTo(file: string, held: Contents, records: Uint8Array[]): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch {
    return false;
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.ino !== held.ino || st.size !== held.length) return false;
    let pos = held.statesAt;
    if (pos < held.length) fs.ftruncateSync(fd, pos);
    for (const r of records) {
      let off = 0;
      while (off < r.length) off += fs.writeSync(fd, r, off, r.length - off, pos + off);
      pos += r.length;
    }
    held.length = pos;
    held.statesAt = pos; // where this append's states begin is not kept: a second save only appends
    return true;
  } finally {
    fs.closeSync(fd);
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

/** Whether `bytes` are the pieces' bytes, one after another. */
function holdsPieces(bytes: Uint8Array, pieces: readonly Uint8Array[]): boolean {
  const held = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  for (const p of pieces) {
    if (at + p.length > held.length || held.compare(p, 0, p.length, at, at + p.length) !== 0) return false;
    at += p.length;
  }
  return at === held.length;
}

/** An entry's encoded result: from its start to the end of the record's payload (not the padding after it). */
function resultOf(e: Entry): Uint8Array {
  if (e instanceof HeldEntry) return e.result();
  const r = e.record;
  // the payload's length (u32 LE at 5), read without a Buffer view: a warm run asks this of every entry
  const length = (r[5] | (r[6] << 8) | (r[7] << 16)) + r[8] * 0x1000000;
  return new Uint8Array(r.buffer, r.byteOffset + e.start, Math.max(0, Math.min(RECORD_HEAD + length, r.byteLength) - e.start));
}

function empty(): Contents {
  return { entries: new Map(), files: new Map(), states: new Map(), deferred: new Map(), size: 0, ino: 0, length: 0, statesAt: 0 };
}

const LEFT_ALONE = 'it is left as it is and nothing is cached (choose another --cache-location)';
/** What the parts of an entry in the lazy region are called in messages. */
const TEXTS = 'cleaned text';
const ARRAYS = 'fingerprint arrays';

/** The salt of a tool version and settings (the build included), and its tag. */
function saltOf(version: string, settings: DocSettings): { salt: string; tag: number } {
  const salt = crypto.createHash('sha256').update(JSON.stringify({ version, build: buildStamp(), settings })).digest('hex');
  return { salt, tag: parseInt(salt.slice(0, 8), 16) >>> 0 };
}

/** The cache file opened for reading, with its identity and size; or what to hold when it cannot be. */
function openForRead(file: string, warn: (message: string) => void): { opened: { fd: number; ino: number; size: number } } | { held: Contents } {
  try {
    const opened = openRegularFile(file);
    if (!opened) {
      warn(`cache ${file}: not a regular file; ${LEFT_ALONE}`);
      return { held: { ...empty(), foreign: true } };
    }
    return { opened: { fd: opened.fd, ino: opened.stat.ino, size: opened.stat.size } };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { held: empty() };
    // something is there that cannot be read (a user's mode-000 file): never replaced
    warn(`cache ${file}: cannot read (${(e as Error).message}); ${LEFT_ALONE}`);
    return { held: { ...empty(), foreign: true } };
  }
}

/** Reads up to `length` bytes at `at` into buf (from `into`); how many were read. */
function readAt(fd: number, buf: Buffer, into: number, length: number, at: number): number {
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, into + got, length - got, at + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/**
 * The lazy region a cache file's header names, [start, end), read from the file's first bytes; null when the header
 * does not check out (the file is then read whole, and judged as a whole) or names none.
 */
function lazyRegion(fd: number, size: number): [number, number] | null {
  try {
    const prefix = Buffer.alloc(PREFIX);
    if (readAt(fd, prefix, 0, PREFIX, 0) < PREFIX || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const header = Buffer.alloc(prefix.readUInt32LE(MAGIC.length));
    if (PREFIX + header.length > size || readAt(fd, header, 0, header.length, PREFIX) < header.length) return null;
    if (crc32(header) !== prefix.readUInt32LE(MAGIC.length + 4)) return null;
    const lazy = (JSON.parse(header.toString('utf8')) as { lazy?: unknown }).lazy;
    if (!Array.isArray(lazy) || lazy.length !== 2 || !lazy.every(Number.isInteger)) return null;
    const [start, end] = lazy as [number, number];
    return PREFIX + header.length <= start && start <= end && end <= size ? [start, end] : null;
  } catch {
    return null;
  }
}

/**
 * The deferred states a cache file's tail names, and where they lie; null when it has no tail, or one that does not
 * check out (the file is then read whole, and judged as a whole). They lie after the lazy region, one after another up
 * to the tail record.
 */
function deferredRegion(fd: number, size: number, tag: number, region: [number, number] | null): DeferredRegion | null {
  try {
    if (size < PREFIX + RECORD_HEAD + 8 + TAIL_PAD) return null;
    const end = Buffer.alloc(8);
    if (readAt(fd, end, 0, 8, size - TAIL_PAD - 8) < 8 || end.readUInt32LE(4) !== TAIL_MAGIC) return null;
    const length = end.readUInt32LE(0);
    const tailAt = size - TAIL_PAD - length - RECORD_HEAD;
    if (length < 8 || length % 4 !== 0 || tailAt < PREFIX) return null;
    const record = Buffer.alloc(RECORD_HEAD + length);
    if (readAt(fd, record, 0, record.length, tailAt) < record.length) return null;
    if (record[0] !== KIND_TAIL || record.readUInt32LE(1) !== tag || record.readUInt32LE(5) !== length) return null;
    if (crc32(record.subarray(RECORD_HEAD)) !== record.readUInt32LE(9)) return null;
    const list = JSON.parse(record.toString('utf8', RECORD_HEAD, RECORD_HEAD + length - 8)) as unknown;
    if (!Array.isArray(list) || list.length === 0) return null;
    const states = new Map<string, DeferredRef>();
    // one record after another, the first after the lazy region, the last just before the tail
    let at = -1;
    for (const item of list) {
      if (!Array.isArray(item) || item.length !== 3 || typeof item[0] !== 'string' || !Number.isInteger(item[1]) || !Number.isInteger(item[2])) return null;
      const [name, from, bytes] = item as [string, number, number];
      if ((at >= 0 && from !== at) || from % ALIGN !== 0 || bytes <= RECORD_HEAD || states.has(name)) return null;
      states.set(name, { at: from, size: bytes });
      at = from + bytes;
    }
    const first = (list[0] as [string, number])[1];
    if (at !== tailAt || first < PREFIX || (region && first < region[1])) return null;
    return { at: first, end: tailAt, states };
  } catch {
    return null;
  }
}

/** The byte ranges of a file of `size` bytes to read: all but its lazy region and its deferred states. */
function rangesToRead(size: number, region: [number, number] | null, deferred: DeferredRegion | null): [number, number][] {
  const skip = [region, deferred && ([deferred.at, deferred.end] as [number, number])].filter((r): r is [number, number] => r !== null && r[1] > r[0]);
  const ranges: [number, number][] = [];
  let from = 0;
  for (const [a, b] of skip) {
    ranges.push([from, a]);
    from = b;
  }
  ranges.push([from, size]);
  return ranges.filter(([a, b]) => b > a);
}

/**
 * The cache file in a buffer of its size, all but its lazy region and deferred states (those bytes are left as they
 * are: never touched, they cost no memory), read in the thread pool into memory it has touched first (pool-read.ts).
 */
function readWhole(fd: number, size: number, region: [number, number] | null, deferred: DeferredRegion | null): Promise<Buffer> {
  return readInPool(fd, size, rangesToRead(size, region, deferred));
}

function readFile(file: string, salt: string, tag: number, warn: (message: string) => void): Contents {
  const o = openForRead(file, warn);
  if ('held' in o) return o.held;
  const { fd, ino, size } = o.opened;
  let raw: Buffer;
  const region = lazyRegion(fd, size);
  const deferred = deferredRegion(fd, size, tag, region);
  try {
    raw = Buffer.allocUnsafe(size);
    for (const [start, end] of rangesToRead(size, region, deferred)) {
      const got = readAt(fd, raw, start, end - start, start);
      if (got < end - start) {
        raw = raw.subarray(0, start + got);
        break;
      }
    }
  } catch (e) {
    fs.closeSync(fd);
    warn(`cache ${file}: cannot read (${(e as Error).message}); ${LEFT_ALONE}`);
    return { ...empty(), foreign: true };
  }
  return keptOpen(parseContents(file, raw, ino, salt, tag, warn, region, deferred), fd);
}

/** The contents with the file kept open when texts of its entries or deferred states may be read from it; else it is closed. */
function keptOpen(held: Contents, fd: number): Contents {
  if (held.deferred.size > 0) {
    held.fd = fd;
    return held;
  }
  for (const e of held.entries.values()) {
    if (!(e instanceof HeldEntry ? e.lean : e.texts)) continue;
    held.fd = fd;
    return held;
  }
  fs.closeSync(fd);
  return held;
}

/** What the bytes of a cache file hold for this salt (nothing when they are not a usable cache of it). */
function parseContents(file: string, raw: Buffer, ino: number, salt: string, tag: number, warn: (message: string) => void, region: [number, number] | null = null, deferred: DeferredRegion | null = null): Contents {
  if (raw.length < PREFIX || !raw.subarray(0, MAGIC.length).equals(MAGIC)) {
    // not ours (an article, a manifest, a user's file): never trusted, and never replaced by a cache either
    warn(`cache ${file}: not a cache file of this tool; ignoring it: ${LEFT_ALONE}`);
    return { ...empty(), foreign: true };
  }
  // A cache file of this tool that holds nothing usable (damaged, or of another version or settings): nothing in it
  // is used, and this run's cache replaces it (the same file, by its inode, when it is saved).
  const ours = (): Contents => ({ ...empty(), ino });
  const headerLength = raw.readUInt32LE(MAGIC.length);
  const headerBytes = raw.subarray(PREFIX, PREFIX + headerLength);
  if (headerBytes.length !== headerLength || crc32(headerBytes) !== raw.readUInt32LE(MAGIC.length + 4)) {
    warn(`cache ${file}: checksum mismatch (corrupt); ignoring it`);
    return ours();
  }
  let header: { format?: unknown; salt?: unknown };
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch (e) {
    warn(`cache ${file}: unreadable (${(e as Error).message}); ignoring it`);
    return ours();
  }
  // another layout, version or settings: stale, not corrupt
  if (header.format !== FORMAT || header.salt !== salt) return ours();
  const entries = new Map<string, Entry>();
  const files = new Map<string, Remembered>();
  const states = new Map<string, Uint8Array>();
  const start = PREFIX + headerLength;
  let pos = start;
  // the start of the run of state records the file ends with (-1: it ends with another record)
  let statesAt = -1;
  while (pos < raw.length) {
    // the lazy region was not read: its bytes are read by position, each checked as it is
    if (region && pos === region[0] && region[1] > region[0]) {
      pos = region[1];
      continue;
    }
    // nor were the deferred states, which are read when asked for; they belong to the states the file ends with
    if (deferred && pos === deferred.at) {
      if (deferred.end > raw.length) {
        warn(`cache ${file}: an incomplete record (a run stopped while writing?) at byte ${pos}; using what comes before`);
        break;
      }
      if (statesAt < 0) statesAt = pos;
      pos = deferred.end;
      continue;
    }
    const problem = recordProblem(raw, pos, tag, region, deferred);
    if (problem) {
      warn(`cache ${file}: ${problem} at byte ${pos}; using what comes before`);
      break;
    }
    const kind = raw[pos];
    const length = raw.readUInt32LE(pos + 5);
    if (kind !== KIND_STATE && kind !== KIND_TAIL) statesAt = -1;
    else if (statesAt < 0) statesAt = pos;
    if (kind === KIND_TAIL) {
      // (read before the file was: a tail that is not the file's last record is an earlier save's, now idle bytes)
      pos += recordBytes(length);
      continue;
    }
    if (kind === KIND_ENTRY || kind === KIND_LEAN) {
      // read where it lies (no view of each entry's payload)
      const keyAt = pos + RECORD_HEAD + 2;
      const keyLength = raw.readUInt16LE(keyAt - 2);
      const key = raw.toString('utf8', keyAt, keyAt + keyLength);
      const size = recordBytes(length);
      if (kind === KIND_ENTRY) entries.set(key, new HeldEntry(raw, pos, size, RECORD_HEAD + 2 + keyLength + keyPad(keyLength), -1));
      else entries.set(key, new HeldEntry(raw, pos, size, RECORD_HEAD + 2 + keyLength + LEAN_REF + leanPad(keyLength), pos + RECORD_HEAD + 2 + keyLength));
    } else if (kind === KIND_STATE) {
      const payload = raw.subarray(pos + RECORD_HEAD, pos + RECORD_HEAD + length);
      const nameLength = payload.readUInt16LE(0);
      states.set(payload.toString('utf8', 4, 4 + nameLength), payload.subarray(4 + nameLength + payload.readUInt16LE(2)));
    } else {
      const list = fileRecords(raw.subarray(pos + RECORD_HEAD, pos + RECORD_HEAD + length));
      if (!list) {
        warn(`cache ${file}: a malformed record at byte ${pos}; using what comes before`);
        break;
      }
      for (const f of list) files.set(f[0], [f[1], f[2]]);
    }
    pos += recordBytes(length);
  }
  // the deferred states, when the records before them all checked out (a later record of a name wins)
  const held = deferred && pos === raw.length ? deferred.states : new Map<string, DeferredRef>();
  for (const name of held.keys()) states.delete(name);
  // Stop at a damaged record: the next run's save appends after it would be lost, so it writes the file anew.
  return { entries, files, states, deferred: held, size: pos < raw.length ? 0 : raw.length - start, ino, length: raw.length, statesAt: statesAt < 0 ? raw.length : statesAt };
}

/** Why the record at `pos` cannot be used, or null. */
function recordProblem(raw: Buffer, pos: number, tag: number, region: [number, number] | null, deferred: DeferredRegion | null = null): string | null {
  if (pos + RECORD_HEAD > raw.length) return 'an incomplete record (a run stopped while writing?)';
  const kind = raw[pos];
  const length = raw.readUInt32LE(pos + 5);
  if (pos + recordBytes(length) > raw.length) return 'an incomplete record (a run stopped while writing?)';
  // a record may not reach into the lazy region, whose bytes were not read
  if (region && pos < region[0] && pos + recordBytes(length) > region[0]) return 'a record across the lazy region (corrupt)';
  if (deferred && pos < deferred.at && pos + recordBytes(length) > deferred.at) return 'a record across the deferred states (corrupt)';
  // (a plain typed-array view: a Buffer view of each of 10,000 records costs more)
  if (crc32(new Uint8Array(raw.buffer, raw.byteOffset + pos + RECORD_HEAD, length)) !== raw.readUInt32LE(pos + 9)) return 'checksum mismatch (corrupt)';
  if ((kind !== KIND_ENTRY && kind !== KIND_FILES && kind !== KIND_STATE && kind !== KIND_LEAN && kind !== KIND_TAIL) || raw.readUInt32LE(pos + 1) !== tag) return 'a record of another kind of file';
  if (kind === KIND_STATE && (length < 4 || raw.readUInt16LE(pos + RECORD_HEAD + 2) >= STATE_ALIGN || 4 + raw.readUInt16LE(pos + RECORD_HEAD) + raw.readUInt16LE(pos + RECORD_HEAD + 2) > length)) return 'a malformed record';
  if (kind === KIND_ENTRY && (length < 2 || 2 + raw.readUInt16LE(pos + RECORD_HEAD) + keyPad(raw.readUInt16LE(pos + RECORD_HEAD)) > length)) return 'a malformed record';
  if (kind === KIND_LEAN) {
    const keyLength = length < 2 ? 0 : raw.readUInt16LE(pos + RECORD_HEAD);
    if (length < 2 || 2 + keyLength + LEAN_REF + leanPad(keyLength) > length) return 'a malformed record';
    const texts = regionRef(raw, pos + RECORD_HEAD + 2 + keyLength);
    const arrays = regionRef(raw, pos + RECORD_HEAD + 2 + keyLength + REF);
    const inside = (r: RegionRef) => region !== null && r.at >= region[0] && r.at + r.length <= region[1];
    if (!inside(texts) || !inside(arrays)) return 'a malformed record';
  }
  return null;
}

/** The reference to a part of a lean entry at `at` of `bytes`: offset (low, high), length, CRC-32. */
function regionRef(bytes: Buffer, at: number): RegionRef {
  return { at: bytes.readUInt32LE(at) + bytes.readUInt32LE(at + 4) * 2 ** 32, length: bytes.readUInt32LE(at + 8), crc: bytes.readUInt32LE(at + 12) };
}

/**
 * The state's bytes in a deferred state's record (`record`: the whole record as read), or null when the record is not
 * that state's or fails its check.
 */
function deferredPayload(record: Buffer, name: string, tag: number): Uint8Array | null {
  if (record.length < RECORD_HEAD + 4 || record[0] !== KIND_STATE || record.readUInt32LE(1) !== tag) return null;
  const length = record.readUInt32LE(5);
  if (recordBytes(length) !== record.length) return null;
  const payload = record.subarray(RECORD_HEAD, RECORD_HEAD + length);
  if (crc32(payload) !== record.readUInt32LE(9)) return null;
  const nameLength = payload.readUInt16LE(0);
  const pad = payload.readUInt16LE(2);
  if (pad >= STATE_ALIGN || 4 + nameLength + pad > length || payload.toString('utf8', 4, 4 + nameLength) !== name) return null;
  return payload.subarray(4 + nameLength + pad);
}

/** A files record's list of [path, signature, content key], or null when it is not one. */
function fileRecords(payload: Buffer): [string, string, string][] | null {
  try {
    const list = JSON.parse(payload.toString('utf8')) as unknown;
    if (!Array.isArray(list)) return null;
    for (const f of list) if (!(Array.isArray(f) && f.length === 3 && typeof f[0] === 'string' && typeof f[1] === 'string' && typeof f[2] === 'string')) return null;
    return list as [string, string, string][];
  } catch {
    return null;
  }
}
