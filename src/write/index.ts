// The write stage: canonical articles (or, with --all, every cleaned document) and manifest.json,
// each written atomically into the output folder. Unrelated files already there are left alone.
import path from 'node:path';
import { renderArticle } from '../clean/index.js';
import type { CorpusAnalysis } from '../pipeline.js';
import { allModeRelativePath } from '../pipeline.js';
import { writeFileAtomic } from './atomic.js';
import { slugify, uniqueNames } from './paths.js';
import { buildManifest } from './manifest.js';

export { outputConflict, slugify, uniqueNames, realpathLoose } from './paths.js';
export { writeFileAtomic, removePendingTempFiles } from './atomic.js';
export { fallbackTitle } from './title.js';
export { MANIFEST_VERSION } from './manifest.js';

export interface WriteOptions {
  /** The output folder as the user named it (shown in the report). */
  outDisplay: string;
  /** The output folder resolved to an absolute path. */
  outAbs: string;
  /** Write every cleaned document under its relative path instead of one file per cluster. */
  all?: boolean;
}

function joinDisplay(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Writes the files and fills in each cluster's `output`. Returns the written display paths. */
export function writeOutputs(analysis: CorpusAnalysis, opts: WriteOptions): string[] {
  const written: string[] = [];
  const names = uniqueNames(
    analysis.clusters.map((c) => slugify(c.cluster.title ?? 'article')),
    '.txt',
  );
  if (opts.all) {
    const clusterOf = new Map(analysis.clusters.flatMap((c) => c.cluster.members.map((m) => [m.path, c] as const)));
    const canonicalFile = new Map<string, string>();
    for (const doc of analysis.docs) {
      const rel = allModeRelativePath(analysis.relativePaths.get(doc.path) ?? path.basename(doc.path));
      const cluster = clusterOf.get(doc.path);
      const title = doc.meta.title ?? cluster?.cluster.title ?? null;
      writeFileAtomic(path.join(opts.outAbs, ...rel.split('/')), renderArticle({ ...doc, meta: { ...doc.meta, title } }));
      written.push(joinDisplay(opts.outDisplay, rel));
      if (cluster && cluster.cluster.canonical === doc.path) canonicalFile.set(doc.path, joinDisplay(opts.outDisplay, rel));
    }
    for (const c of analysis.clusters) c.cluster.output = canonicalFile.get(c.cluster.canonical) ?? null;
  } else {
    analysis.clusters.forEach((c, i) => {
      writeFileAtomic(path.join(opts.outAbs, names[i]), c.text);
      c.cluster.output = joinDisplay(opts.outDisplay, names[i]);
      written.push(c.cluster.output);
    });
  }
  writeFileAtomic(path.join(opts.outAbs, 'manifest.json'), JSON.stringify(buildManifest(analysis), null, 2) + '\n');
  return written;
}
