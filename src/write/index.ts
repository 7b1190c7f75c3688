// The write stage: canonical articles (or, with --all, every cleaned document) and manifest.json,
// written into the output folder as one step (all temporary files first, then renames).
// Unrelated files already there are left alone: never deleted, and never overwritten.
import fs from 'node:fs';
import path from 'node:path';
import { renderWithTitle } from '../clean/index.js';
import type { CorpusAnalysis } from '../pipeline.js';
import { allModeRelativePath } from '../pipeline.js';
import { removeDeadTempFiles, writeFilesAtomic, type FileData, type KnownFiles } from './atomic.js';
import { DocCache } from '../cache/index.js';
import { fileStamp } from '../read/index.js';
import { slugify, uniqueNames } from './paths.js';
import { decodeLayout, emptyLayout, encodeLayout, manifestPieces, MANIFEST_NAME, reusableArticles, writtenFiles, type ManifestAhead, type ManifestLayout } from './manifest.js';

/** The cache's name for where the articles' entries lie in the manifest last written (manifest.ts). */
const MANIFEST_LAYOUT = 'manifest-layout';

export { outputConflict, slugify, uniqueNames, realpathLoose, isInside } from './paths.js';
import { isInside, realpathLoose } from './paths.js';
export { writeFileAtomic, writeFilesAtomic, removePendingTempFiles } from './atomic.js';
export { fallbackTitle } from './title.js';
export { MANIFEST_VERSION, prefetchManifest, type ManifestAhead } from './manifest.js';

export interface WriteOptions {
  /** The output folder as the user named it (shown in the report). */
  outDisplay: string;
  /** The output folder resolved to an absolute path. */
  outAbs: string;
  /** Write every cleaned document under its relative path instead of one file per cluster. */
  all?: boolean;
  /** Runs when the temporary files are written, before they are renamed into place (tests use it to interrupt). */
  beforeRename?: () => Promise<void>;
  /** With --cache: outputs whose stat signature and content are remembered there are not read to compare. */
  cache?: DocCache;
  /** Told, once manifest.json is in place, how many of its article entries were copied from the one there before. */
  onManifest?: (entries: { copied: number; total: number }) => void;
  /** The manifest in place, being read ahead (prefetchManifest): taken when the file is still as it was read. */
  manifestAhead?: Promise<ManifestAhead> | null;
  /**
   * When given, filled with every file the run leaves in the output folder (articles and manifest), by absolute path:
   * the stat signature it had when it was found in place and left alone, or null when it was written now.
   */
  outputs?: Map<string, string | null>;
}

/** The cache as a memory of output files: by stat signature, the hash of what each held when last seen. */
function knownOutputs(cache: DocCache): KnownFiles {
  return {
    key: (bytes) => DocCache.contentKey(bytes),
    known: (target, st) => cache.knownContentKey(fileStamp(target, st)),
    saw: (target, st, key) => cache.noteFile(fileStamp(target, st), key),
    wrote: (target, key) => {
      const st = fs.lstatSync(target, { throwIfNoEntry: false });
      if (st?.isFile()) cache.noteWritten(fileStamp(target, st), key);
    },
  };
}

/** Writing would replace a file that `clean` did not write (or a folder): nothing was written. */
export class OutputClashError extends Error {
  readonly code = 'EEXIST';
}

/**
 * The absolute path of a relative output path ('/'-separated) under the output folder. A plain file name, which is what
 * every article of a run without --all is, is appended as it is: path.join of 6,852 of them, three times a run, made
 * 13 MB of strings to collect.
 */
function underOut(outAbs: string, rel: string): string {
  if (rel.includes('/') || rel === '' || rel === '.' || rel === '..') return path.join(outAbs, ...rel.split('/'));
  return outAbs.endsWith(path.sep) ? outAbs + rel : outAbs + path.sep + rel;
}

function joinDisplay(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** "a/b.txt" taken → "a/b-2.txt", "a/b-3.txt", … Compared case-insensitively (macOS, Windows). */
function uniqueRelative(rel: string, used: Set<string>): string {
  let name = rel;
  const ext = path.posix.extname(rel);
  const stem = rel.slice(0, rel.length - ext.length);
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${stem}-${n}${ext}`;
  used.add(name.toLowerCase());
  return name;
}

/**
 * Targets that exist already must be files an earlier run wrote (listed in its manifest.json);
 * anything else in the way (a user's file, a folder) stops the write before anything changes.
 */
function checkTargets(outAbs: string, outDisplay: string, rels: readonly string[], seen: Map<string, fs.Stats | null>, manifest?: (bytes: Buffer, st: fs.Stats) => void, ahead?: ManifestAhead | null): Set<string> {
  let ours: Set<string> | null = null;
  for (const rel of rels) {
    const abs = underOut(outAbs, rel);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      seen.set(rel, null);
      continue; // not there yet (or a parent is missing or not a folder: the write reports that)
    }
    seen.set(rel, st);
    ours ??= writtenFiles(outAbs, outDisplay, manifest, ahead) ?? new Set();
    if (!st.isFile() || !ours.has(rel)) {
      const what = st.isDirectory() ? 'a folder' : st.isFile() ? 'a file that clean did not write' : 'a special file';
      throw new OutputClashError(`${joinDisplay(outDisplay, rel)} is ${what}; it would be replaced (move it or choose another --out)`);
    }
  }
  return ours ?? writtenFiles(outAbs, outDisplay, manifest, ahead) ?? new Set();
}

/**
 * Removes the files an earlier run wrote that this run did not (an article whose title or cluster changed): left
 * behind, they would read as articles of the corpus, and the new manifest no longer lists them as ours, so a later
 * run could not replace them. Only regular files listed in the earlier manifest are removed, and folders of --all
 * left empty by that.
 */
function removeStaleOutputs(outAbs: string, earlier: ReadonlySet<string>, now: readonly string[]): void {
  const kept = new Set(now).add(MANIFEST_NAME);
  const stale: string[] = [];
  for (const rel of earlier) if (!kept.has(rel)) stale.push(rel);
  // a re-run whose articles kept their names (most): nothing else to look at
  if (stale.length === 0) return;
  // on macOS or Windows "A.txt" of an earlier run may be this run's "a.txt": the same file, by its inode
  const keptByLower = new Map([...kept].map((rel) => [rel.toLowerCase(), rel]));
  const realOut = realpathLoose(outAbs);
  for (const rel of stale.sort()) {
    if (!partsInside(rel)) continue;
    const abs = underOut(outAbs, rel);
    // a folder of the output replaced by a symlink leads elsewhere: nothing outside the output folder is removed
    if (!isInside(realpathLoose(path.dirname(abs)), realOut)) continue;
    try {
      const st = fs.lstatSync(abs);
      if (!st.isFile()) continue;
      const twin = keptByLower.get(rel.toLowerCase());
      if (twin !== undefined && sameFile(st, underOut(outAbs, twin))) continue;
      fs.unlinkSync(abs);
    } catch {
      continue; // gone already, or not ours to remove
    }
    for (let dir = path.dirname(abs); dir.length > outAbs.length && dir.startsWith(outAbs); dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        break; // not empty
      }
    }
  }
}

/** The parts of a manifest's relative path, or null for one that would leave the folder ("", ".", ".."). */
function partsInside(rel: string): string[] | null {
  const parts = rel.split('/');
  return parts.some((p) => p === '' || p === '.' || p === '..') ? null : parts;
}

function sameFile(st: fs.Stats, other: string): boolean {
  try {
    const o = fs.statSync(other);
    return o.ino === st.ino && o.dev === st.dev;
  } catch {
    return false;
  }
}

/**
 * What the write stage does for temporary files beside these outputs (absolute paths under `outAbs`), for a run that
 * leaves them as they are (a replayed one, src/cli/replay.ts).
 */
export function sweepDeadTemps(outAbs: string, outputs: Iterable<string>): void {
  const rels: string[] = [];
  // (they lie under the folder, as underOut made them: cut, not path.relative, which costs 30 ms for 7,000 articles)
  const prefix = outAbs.endsWith(path.sep) ? outAbs : outAbs + path.sep;
  for (const file of outputs) rels.push((file.startsWith(prefix) ? file.slice(prefix.length) : path.relative(outAbs, file)).split(path.sep).join('/'));
  removeDeadTemps(outAbs, rels);
}

/** The temporary files of earlier runs that were killed outright, beside any target of ours (atomic.ts). */
function removeDeadTemps(outAbs: string, ...lists: Iterable<string>[]): void {
  const top = path.join(outAbs);
  // Most targets are plain names in the output folder itself. They are gathered into a set only when the folder holds
  // a name shaped like a temporary one to ask about (rarely): a re-run has 13,700 of them (its articles and the last
  // run's), and the set cost more than listing the folder.
  let topNames: Set<string> | null = null;
  const inTop = {
    has: (name: string): boolean => {
      if (!topNames) {
        topNames = new Set();
        for (const list of lists) for (const rel of list) if (isPlainName(rel)) topNames.add(rel);
      }
      return topNames.has(name);
    },
  };
  const byFolder = new Map<string, Set<string>>();
  for (const list of lists) {
    for (const rel of list) {
      if (isPlainName(rel)) continue;
      const parts = partsInside(rel);
      if (!parts) continue;
      const dir = path.join(outAbs, ...parts.slice(0, -1));
      let names = byFolder.get(dir);
      if (!names) byFolder.set(dir, (names = new Set()));
      names.add(parts[parts.length - 1]);
    }
  }
  const realOut = realpathLoose(outAbs);
  if (isInside(realpathLoose(top), realOut)) removeDeadTempFiles(top, inTop);
  for (const [dir, names] of [...byFolder].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (isInside(realpathLoose(dir), realOut)) removeDeadTempFiles(dir, names);
  }
}

/** A relative path that is one name in the output folder itself (most targets). */
function isPlainName(rel: string): boolean {
  return !rel.includes('/') && rel !== '' && rel !== '.' && rel !== '..';
}

/** Writes the files and fills in each cluster's `output`. Returns the written display paths. */
export async function writeOutputs(analysis: CorpusAnalysis, opts: WriteOptions): Promise<string[]> {
  // Names first, texts later: each article is rendered when its turn to be written comes.
  const files: { rel: string; data: FileData; key?: string }[] = [];
  // With the cache, an article is named by what it is rendered from (the document's result and the title), so an
  // output remembered to hold it is not rendered again to be compared.
  const renderKey = (i: number, title: string | null) => {
    const id = analysis.docKeys?.[i];
    return id === undefined ? undefined : `render:${DocCache.saltedKey(id, `title\0${title ?? ''}`)}`;
  };
  const outputs: (string | null)[] = analysis.clusters.map(() => null);
  if (opts.all) {
    const clusterIndex = new Map(analysis.clusters.flatMap((c, i) => c.cluster.members.map((m) => [m.path, i] as const)));
    const used = new Set<string>();
    // Documents are in path order, so which of two colliding names ("a.html", "a.txt") gets "-2" is fixed.
    analysis.docs.forEach((doc, i) => {
      const rel = uniqueRelative(allModeRelativePath(analysis.relativePaths.get(doc.path) ?? path.basename(doc.path)), used);
      const ci = clusterIndex.get(doc.path);
      const cluster = ci === undefined ? undefined : analysis.clusters[ci];
      const title = doc.meta.title ?? cluster?.cluster.title ?? null;
      files.push({ rel, data: () => renderWithTitle(doc, title), key: renderKey(i, title) });
      if (ci !== undefined && cluster!.cluster.canonical === doc.path) outputs[ci] = joinDisplay(opts.outDisplay, rel);
    });
  } else {
    const names = uniqueNames(
      analysis.clusters.map((c) => slugify(c.cluster.title ?? 'article')),
      '.txt',
    );
    analysis.clusters.forEach((c, i) => {
      files.push({ rel: names[i], data: () => c.text, key: renderKey(c.canonicalIndex, c.cluster.title) });
      outputs[i] = joinDisplay(opts.outDisplay, names[i]);
    });
  }
  // each target's lstat, taken once: checkTargets looks at it, the write asks the cache whether it holds its bytes
  const seen = new Map<string, fs.Stats | null>();
  // the earlier manifest is read once: for the files it lists, and to compare the new one with
  let manifestRead: { bytes: Buffer; stat: fs.Stats } | undefined;
  const ahead = opts.manifestAhead ? await opts.manifestAhead : null;
  const earlier = checkTargets(opts.outAbs, opts.outDisplay, [...files.map((f) => f.rel), MANIFEST_NAME], seen, (bytes, stat) => (manifestRead = { bytes, stat }), ahead);
  analysis.clusters.forEach((c, i) => (c.cluster.output = outputs[i]));
  const rels = files.map((f) => f.rel);
  // with the cache, the articles' entries of the manifest in place that are as they were are copied from it
  const reuse = opts.cache ? reusableArticles(decodeLayout(opts.cache.state(MANIFEST_LAYOUT)), manifestRead?.bytes) : null;
  const layout: ManifestLayout | undefined = opts.cache ? emptyLayout() : undefined;
  // A re-run over a corpus that barely changed finds most articles already there, byte for byte: those are
  // left alone (checkTargets made sure every existing target is a file an earlier run wrote).
  const replaced = await writeFilesAtomic(
    [
      ...files.map((f) => ({ target: underOut(opts.outAbs, f.rel), data: f.data, key: f.key, stat: seen.get(f.rel) })),
      { target: underOut(opts.outAbs, MANIFEST_NAME), data: () => manifestPieces(analysis, rels, reuse, layout), read: manifestRead },
    ],
    { beforeRename: opts.beforeRename, skipUnchanged: true, known: opts.cache && knownOutputs(opts.cache) },
  );
  if (opts.outputs) {
    for (const rel of [...rels, MANIFEST_NAME]) {
      const target = underOut(opts.outAbs, rel);
      const st = seen.get(rel);
      opts.outputs.set(target, st && !replaced.has(target) ? fileStamp(target, st).sig : null);
    }
  }
  // the manifest in place holds the bytes just made: where its articles lie, for the next run
  if (layout) opts.cache!.setState(MANIFEST_LAYOUT, encodeLayout(layout));
  opts.onManifest?.({ copied: layout?.copied ?? 0, total: analysis.clusters.length });
  removeStaleOutputs(opts.outAbs, earlier, rels);
  removeDeadTemps(opts.outAbs, earlier, rels, [MANIFEST_NAME]);
  return rels.map((rel) => joinDisplay(opts.outDisplay, rel));
}
