// manifest.json: provenance for every written article (members, relations, scores, reasons, source, removed lines).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from '../crc32.js';
import type { CorpusAnalysis } from '../pipeline.js';
import type { CleanDoc, Cluster } from '../types.js';
import { withRemoved } from '../document.js';
import { nestedElement, topLevelValue } from '../json-chunks.js';
import { openRegularFile, readInPool } from '../pool-read.js';
import { fileStamp } from '../read/index.js';

export const MANIFEST_VERSION = 1;
/** The provenance file beside the articles (the read stage skips it by this name). */
export const MANIFEST_NAME = 'manifest.json';

/** The manifest as one value (as it is written, without "files"): for a reader that wants it whole. */
export function buildManifest(analysis: CorpusAnalysis) {
  const docAt = documentAt(analysis.docs);
  return {
    version: MANIFEST_VERSION,
    generator: 'article-cleaner',
    summary: analysis.report.summary,
    articles: analysis.clusters.map(({ cluster }) => articleEntry(cluster, docAt)),
    errors: analysis.report.errors,
  };
}

/**
 * The index in `docs` of the document of a path (-1: none), with the index it is likely at (a cluster's canonical
 * member's): found by halving, since the documents come in strictly ascending order of path (the walk sorts them and
 * drops repeats; checked here, with a Map otherwise). Two Maps of 10,000 paths, made for every manifest, cost a warm
 * run 10-40 ms with the collections they set off.
 */
export function documentIndex(docs: readonly CleanDoc[]): (path: string, likely?: number) => number {
  let ascending = true;
  for (let i = 1; i < docs.length && ascending; i++) ascending = docs[i - 1].path < docs[i].path;
  if (!ascending) {
    // the last of repeated paths, as a Map made from the list keeps it
    const byPath = new Map(docs.map((d, i) => [d.path, i]));
    return (path) => byPath.get(path) ?? -1;
  }
  return (path, likely) => {
    if (likely !== undefined && docs[likely]?.path === path) return likely;
    let lo = 0;
    let hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = docs[mid].path;
      if (at === path) return mid;
      if (at < path) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
}

/** The document of a path, if any (documentIndex). */
function documentAt(docs: readonly CleanDoc[], indexOf = documentIndex(docs)): (path: string) => CleanDoc | undefined {
  return (path) => {
    const i = indexOf(path);
    return i < 0 ? undefined : docs[i];
  };
}

/** One written article's provenance: the cluster, and the metadata and removed lines of the canonical and each member. */
function articleEntry(cluster: Cluster, docAt: (path: string) => CleanDoc | undefined) {
  return {
    id: cluster.id,
    output: cluster.output,
    title: cluster.title,
    canonical: cluster.canonical,
    canonicalWhy: cluster.canonicalWhy,
    ...lifted(docAt(cluster.canonical)),
    members: cluster.members.map((m) => {
      const doc = docAt(m.path);
      // each member's own metadata, not only the canonical's: a syndicated copy's date and URL are provenance
      const fields = { path: m.path, relation: m.relation, score: m.score, why: m.why, title: doc?.meta.title ?? null, ...lifted(doc) };
      // removed lines read when the manifest is written, an article at a time
      return doc ? withRemoved(fields, doc) : { ...fields, removed: [] };
    }),
  };
}

/** The metadata lifted out of a document's text (none for a document not found), in the manifest's key order. */
function lifted(doc: CleanDoc | undefined) {
  const meta = doc?.meta;
  return {
    source: meta?.source ?? null,
    // The standfirst lifted from under the title: not in the article text, so kept here.
    dek: meta?.dek ?? null,
    byline: meta?.byline ?? null,
    credits: meta?.credits ?? [],
    dateline: meta?.dateline ?? null,
    date: meta?.date ?? null,
    url: meta?.url ?? null,
  };
}

/**
 * Where each article's entry lies in a manifest as it was written, by the signature of what the entry was made from
 * (articleSignature): a later run with the cache copies the entries whose signature is unchanged from that manifest's
 * bytes instead of making them again (10 MB of JSON at 10,000 articles, of which an edit changes one entry).
 */
export interface ManifestLayout {
  /** The manifest's length and CRC-32: the layout holds for those bytes only. */
  length: number;
  crc: number;
  /** Each entry's signature, in the manifest's order. */
  signatures: string[];
  /** Where each entry starts and how many bytes it has: two numbers an entry, in the same order. */
  places: number[];
  /** How many entries were copied from the manifest before (set by manifestPieces; not stored). */
  copied?: number;
}

/** A layout as the cache holds it (decodeLayout): the signatures one after another in one text, the places as numbers. */
export interface StoredLayout {
  length: number;
  crc: number;
  count: number;
  /** SIGNATURE_CHARS an entry. */
  signatures: string;
  places: Float64Array;
}

/** The characters of a signature: SHA-1 in base64. */
const SIGNATURE_CHARS = 28;
/** The stored layout's first bytes: its format, the manifest's CRC, its length, the number of entries. */
const LAYOUT_FORMAT = 2;
const LAYOUT_HEAD = 24;

export function emptyLayout(): ManifestLayout {
  return { length: 0, crc: 0, signatures: [], places: [] };
}

/**
 * The layout as bytes: the head, every entry's start and length (float64, so that the numbers are exact up to 2^53),
 * then the signatures as one ASCII text. Read back without a parse or an object per entry: the JSON of 6,852 entries
 * cost a warm run its parse, 6,852 arrays and a Map of them, and the stringify of the next.
 */
export function encodeLayout(layout: ManifestLayout): Uint8Array {
  const count = layout.signatures.length;
  const text = layout.signatures.join('');
  // (a signature of another length would shift every one after it: no layout, then)
  if (layout.places.length !== 2 * count || text.length !== count * SIGNATURE_CHARS) return new Uint8Array(0);
  const bytes = Buffer.alloc(LAYOUT_HEAD + 16 * count + text.length);
  bytes.writeUInt32LE(LAYOUT_FORMAT, 0);
  bytes.writeUInt32LE(layout.crc >>> 0, 4);
  bytes.writeDoubleLE(layout.length, 8);
  bytes.writeUInt32LE(count, 16);
  const places = new Float64Array(layout.places);
  bytes.set(new Uint8Array(places.buffer), LAYOUT_HEAD);
  bytes.write(text, LAYOUT_HEAD + 16 * count, 'latin1');
  return bytes;
}

/** A layout as encodeLayout stored it; null for anything else (another format, cut short, a place outside the manifest). */
export function decodeLayout(bytes: Uint8Array | undefined): StoredLayout | null {
  if (!bytes || bytes.length < LAYOUT_HEAD) return null;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = b.readUInt32LE(16);
  const length = b.readDoubleLE(8);
  if (b.readUInt32LE(0) !== LAYOUT_FORMAT || b.length !== LAYOUT_HEAD + count * (16 + SIGNATURE_CHARS) || !Number.isSafeInteger(length) || length < 0) return null;
  // copied out: the state's bytes need not lie at a multiple of 8
  const places = new Float64Array(2 * count);
  new Uint8Array(places.buffer).set(b.subarray(LAYOUT_HEAD, LAYOUT_HEAD + 16 * count));
  for (let k = 0; k < places.length; k += 2) {
    const start = places[k];
    const n = places[k + 1];
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(n) || start < 0 || n < 0 || start + n > length) return null;
  }
  return { length, crc: b.readUInt32LE(4), count, signatures: b.toString('latin1', LAYOUT_HEAD + 16 * count), places };
}

/** The entries of a manifest as read (`bytes`) that a layout places. */
export interface ReusableArticles {
  bytes: Uint8Array;
  layout: StoredLayout;
}

/**
 * The entries of the manifest `bytes` (as read from the output folder) that `layout` places; null when the bytes are
 * not those the layout was made for (another run's, or edited since).
 */
export function reusableArticles(layout: StoredLayout | null, bytes: Uint8Array | undefined): ReusableArticles | null {
  if (!layout || !bytes || bytes.length !== layout.length || crc32(bytes) !== layout.crc) return null;
  return { bytes, layout };
}

/** How many entries a signature looked for may lie past the one expected (entries removed since). */
const LOOK_AHEAD = 4;
/** Signatures not found in order before every signature is put in a Map (clusters in another order). */
const MISSES_BEFORE_MAP = 16;

/**
 * Finds signatures in a stored layout, in the order of this run's clusters: a warm run's manifest lists the same
 * entries in the same order but for the few a change reaches, so each is looked for where the one before was found
 * (and a few entries on); only after many misses is a Map of all of them made. Not finding one only costs making that
 * entry again.
 */
export function layoutFinder(layout: StoredLayout): (signature: string) => number {
  let next = 0;
  let misses = 0;
  let all: Map<string, number> | null = null;
  const at = (k: number, signature: string) => k < layout.count && layout.signatures.startsWith(signature, k * SIGNATURE_CHARS);
  return (signature) => {
    if (signature.length !== SIGNATURE_CHARS) return -1;
    for (let k = next; k <= next + LOOK_AHEAD; k++) {
      if (!at(k, signature)) continue;
      next = k + 1;
      return k;
    }
    if (++misses <= MISSES_BEFORE_MAP) return -1;
    if (!all) {
      all = new Map();
      for (let k = layout.count - 1; k >= 0; k--) all.set(layout.signatures.slice(k * SIGNATURE_CHARS, (k + 1) * SIGNATURE_CHARS), k);
    }
    const k = all.get(signature) ?? -1;
    if (k >= 0) next = k + 1;
    return k;
  };
}

/**
 * What an article's entry is made from: the cluster as decided (id, output, title, members with their relations,
 * scores and reasons) and the result of each member (by its cache key, which fixes its metadata and removed lines).
 */
export function articleSignature(cluster: Cluster, memberIds: readonly string[]): string {
  const members = cluster.members.map((m) => [m.path, m.relation, m.score, m.why]);
  return crypto.hash('sha1', JSON.stringify([cluster.id, cluster.output, cluster.title, cluster.canonical, cluster.canonicalWhy, members, memberIds]), 'base64');
}

/** What lies between two articles' entries in the manifest. */
const BETWEEN = ',\n';

/** Whether `bytes` hold BETWEEN at `at`. */
function betweenAt(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x2c && bytes[at + 1] === 0x0a;
}

/**
 * manifest.json's bytes in pieces (JSON.stringify(manifest, null, 2) and a newline, manifest as buildManifest makes it
 * with `files` last), each article's entry made on its own or, when `reuse` holds it by signature, copied. Copied
 * entries that lay one after another in the bytes they come from go out as one piece (a warm run copies thousands of
 * entries in a few pieces, not one each). With `layout`, where each entry landed is noted there (with the cache's keys
 * of the documents; without them, nothing).
 */
export function* manifestPieces(analysis: CorpusAnalysis, files: readonly string[], reuse: ReusableArticles | null, layout?: ManifestLayout): Generator<string | Uint8Array> {
  const keys = analysis.docKeys;
  const indexOf = documentIndex(analysis.docs);
  const docAt = documentAt(analysis.docs, indexOf);
  // bytes placed so far, with those of a run of copied entries not given out yet
  let pos = 0;
  let crc = 0;
  const summed = <T extends string | Uint8Array>(piece: T): T => {
    if (layout) crc = crc32(piece, crc);
    return piece;
  };
  const out = (piece: string): string => {
    pos += Buffer.byteLength(piece);
    return summed(piece);
  };
  // the run of copied entries (with what lies between them) not given out yet: [runStart, runEnd) of reuse.bytes
  let runStart = 0;
  let runEnd = 0;
  const find = reuse && layoutFinder(reuse.layout);
  let copied = 0;
  const run = (): Uint8Array => {
    const piece = reuse!.bytes.subarray(runStart, runEnd);
    runStart = runEnd = 0;
    return summed(piece);
  };
  yield out(`{\n  "version": ${MANIFEST_VERSION},\n  "generator": "article-cleaner",\n  "summary": ${topLevelValue(analysis.report.summary)},\n  "articles": `);
  const clusters = analysis.clusters;
  if (clusters.length === 0) yield out('[]');
  else {
    yield out('[\n');
    for (let i = 0; i < clusters.length; i++) {
      const { cluster, canonicalIndex } = clusters[i];
      const ids = keys && cluster.members.map((m) => keys[indexOf(m.path, canonicalIndex)]);
      const signature = ids && ids.every((id) => id !== undefined) ? articleSignature(cluster, ids as string[]) : null;
      const k = signature === null || !find ? -1 : find(signature);
      // where the entry lies in the bytes it is copied from
      const from = k < 0 ? -1 : reuse!.layout.places[2 * k];
      const length = k < 0 ? 0 : reuse!.layout.places[2 * k + 1];
      let start: number;
      if (k >= 0 && runEnd > runStart && from === runEnd + BETWEEN.length && betweenAt(reuse!.bytes, runEnd)) {
        // right after the run's last entry there: the run takes it in, with the separator
        start = pos + BETWEEN.length;
        runEnd = from + length;
      } else {
        if (runEnd > runStart) yield run();
        if (i > 0) yield out(BETWEEN);
        start = pos;
        if (k >= 0) [runStart, runEnd] = [from, from + length];
        else yield out(nestedElement(articleEntry(cluster, docAt)));
      }
      if (k >= 0) {
        pos = start + length;
        copied++;
      }
      if (signature !== null && layout) {
        layout.signatures.push(signature);
        layout.places.push(start, pos - start);
      }
    }
    if (runEnd > runStart) yield run();
    yield out('\n  ]');
  }
  yield out(`,\n  "errors": ${topLevelValue(analysis.report.errors)},\n  "files": ${topLevelStrings(files)}\n}\n`);
  if (layout) {
    layout.length = pos;
    layout.crc = crc;
    layout.copied = copied;
  }
}

/**
 * topLevelValue of a list of strings, in one pass: each string on a line of its own at 4 spaces and the closing bracket
 * at 2 are JSON.stringify's lines at 4 spaces but the last (a string's own newlines are escaped). The indenting pass
 * over the 6,852 names of a warm run's "files" cost a few ms.
 */
export function topLevelStrings(list: readonly string[]): string {
  return list.length === 0 ? '[]' : JSON.stringify(list, null, 4).slice(0, -1) + '  ]';
}

/** manifest.json of an output folder as read ahead (prefetchManifest): the file's stat when it was opened, and its bytes. */
export interface ManifestAhead {
  stat: fs.Stats;
  bytes: Buffer | null;
}

/**
 * A manifest larger than this is not read ahead: it would be held through the whole run instead of the write stage
 * alone (a corpus of a million articles has a manifest of about 1 GB). 10,000 articles make 10 MB.
 */
export const READ_AHEAD_MAX_BYTES = 64 << 20;

/**
 * Starts reading manifest.json of the output folder `dirAbs` in the thread pool (readInPool), for the write stage to
 * take once it gets there: a warm run of 10,000 articles reads 10 MB of it, which then costs the main thread nothing
 * while it reads and clusters. null when there is no such regular file, or one larger than `maxBytes`; a read that
 * fails gives bytes null.
 */
export function prefetchManifest(dirAbs: string, maxBytes = READ_AHEAD_MAX_BYTES): Promise<ManifestAhead> | null {
  let opened: ReturnType<typeof openRegularFile>;
  try {
    opened = openRegularFile(path.join(dirAbs, MANIFEST_NAME));
  } catch {
    return null;
  }
  if (!opened) return null;
  const { fd, stat } = opened;
  // the size of the version opened, which is the one read
  if (stat.size > maxBytes) {
    fs.closeSync(fd);
    return null;
  }
  return readInPool(fd, stat.size)
    .then(
      (bytes): ManifestAhead => ({ stat, bytes }),
      (): ManifestAhead => ({ stat, bytes: null }),
    )
    .finally(() => fs.closeSync(fd));
}

/** Whether two stats are of one file as it was: the same stat signature (fileStamp). */
function sameVersion(a: fs.Stats, b: fs.Stats): boolean {
  return fileStamp('', a).sig === fileStamp('', b).sig;
}

/**
 * Files (relative, '/'-separated, with manifest.json itself) that a run of `clean` wrote into folder `dirAbs`, from
 * the manifest.json there (its bytes and stat handed to `read`); null when there is none or it is not this tool's. Manifests without "files" (older
 * runs) name their articles' outputs as shown, relative to the folder's display name `dirDisplay` when it is known.
 * `ahead`: the manifest as read ahead, used when the file is still that version of it.
 */
export function writtenFiles(dirAbs: string, dirDisplay?: string, read?: (bytes: Buffer, st: fs.Stats) => void, ahead?: ManifestAhead | null): Set<string> | null {
  let manifest: { generator?: unknown; files?: unknown; articles?: { output?: unknown }[] };
  try {
    const fd = fs.openSync(path.join(dirAbs, MANIFEST_NAME), 'r');
    let bytes: Buffer;
    try {
      const st = fs.fstatSync(fd);
      bytes = ahead?.bytes && ahead.bytes.length === st.size && sameVersion(ahead.stat, st) ? ahead.bytes : fs.readFileSync(fd);
      read?.(bytes, st);
    } finally {
      fs.closeSync(fd);
    }
    manifest = ownFileList(bytes) ?? JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (!manifest || manifest.generator !== 'article-cleaner') return null;
  const ours = new Set<string>([MANIFEST_NAME]);
  if (Array.isArray(manifest.files)) for (const f of manifest.files) if (typeof f === 'string') ours.add(f);
  if (dirDisplay !== undefined) {
    const prefix = dirDisplay.endsWith('/') ? dirDisplay : `${dirDisplay}/`;
    for (const a of Array.isArray(manifest.articles) ? manifest.articles : []) {
      if (typeof a?.output === 'string' && a.output.startsWith(prefix)) ours.add(a.output.slice(prefix.length));
    }
  }
  return ours;
}

/**
 * The generator and file list of a manifest as this tool writes it (2-space JSON, "files" the last key), without
 * parsing all of it: the manifest of a large corpus is megabytes of provenance. Null for any other shape.
 */
function ownFileList(bytes: Buffer): { generator: string; files: unknown } | null {
  if (!/^\{\n {2}"version": \d+,\n {2}"generator": "article-cleaner",\n/.test(bytes.toString('utf8', 0, 80))) return null;
  // A newline inside a JSON string is escaped: this is the top-level key. Only the list is decoded (the rest is
  // megabytes of provenance).
  const key = '\n  "files": ';
  const at = bytes.lastIndexOf(key);
  const end = bytes.lastIndexOf(']');
  if (at < 0 || end < at || bytes.toString('utf8', end + 1).trim() !== '}') return null;
  try {
    return { generator: 'article-cleaner', files: JSON.parse(bytes.toString('utf8', at + key.length, end + 1)) };
  } catch {
    return null;
  }
}
