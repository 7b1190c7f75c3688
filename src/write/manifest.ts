// manifest.json: provenance for every written article (members, relations, scores, reasons, source, removed lines).
import fs from 'node:fs';
import path from 'node:path';
import type { CorpusAnalysis } from '../pipeline.js';
import { withRemoved } from '../document.js';

export const MANIFEST_VERSION = 1;
/** The provenance file beside the articles (the read stage skips it by this name). */
export const MANIFEST_NAME = 'manifest.json';

export function buildManifest(analysis: CorpusAnalysis) {
  const docByPath = new Map(analysis.docs.map((d) => [d.path, d]));
  return {
    version: MANIFEST_VERSION,
    generator: 'article-cleaner',
    summary: analysis.report.summary,
    articles: analysis.clusters.map(({ cluster }) => {
      const canonical = docByPath.get(cluster.canonical);
      return {
        id: cluster.id,
        output: cluster.output,
        title: cluster.title,
        canonical: cluster.canonical,
        canonicalWhy: cluster.canonicalWhy,
        source: canonical?.meta.source ?? null,
        // The standfirst lifted from under the title: not in the article text, so kept here.
        dek: canonical?.meta.dek ?? null,
        byline: canonical?.meta.byline ?? null,
        credits: canonical?.meta.credits ?? [],
        dateline: canonical?.meta.dateline ?? null,
        date: canonical?.meta.date ?? null,
        url: canonical?.meta.url ?? null,
        members: cluster.members.map((m) => {
          const doc = docByPath.get(m.path);
          const fields = {
            path: m.path,
            relation: m.relation,
            score: m.score,
            why: m.why,
            title: doc?.meta.title ?? null,
            source: doc?.meta.source ?? null,
            dek: doc?.meta.dek ?? null,
            byline: doc?.meta.byline ?? null,
            credits: doc?.meta.credits ?? [],
            // each member's own metadata, not only the canonical's: a syndicated copy's date and URL are provenance
            dateline: doc?.meta.dateline ?? null,
            date: doc?.meta.date ?? null,
            url: doc?.meta.url ?? null,
          };
          // read when the manifest is written, a batch of articles at a time
          return doc ? withRemoved(fields, doc) : { ...fields, removed: [] };
        }),
      };
    }),
    errors: analysis.report.errors,
  };
}

/**
 * Files (relative, '/'-separated, with manifest.json itself) that a run of `clean` wrote into folder `dirAbs`, from
 * the manifest.json there (its bytes and stat handed to `read`); null when there is none or it is not this tool's. Manifests without "files" (older
 * runs) name their articles' outputs as shown, relative to the folder's display name `dirDisplay` when it is known.
 */
export function writtenFiles(dirAbs: string, dirDisplay?: string, read?: (bytes: Buffer, st: fs.Stats) => void): Set<string> | null {
  let manifest: { generator?: unknown; files?: unknown; articles?: { output?: unknown }[] };
  try {
    const fd = fs.openSync(path.join(dirAbs, MANIFEST_NAME), 'r');
    let bytes: Buffer;
    try {
      const st = fs.fstatSync(fd);
      bytes = fs.readFileSync(fd);
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
