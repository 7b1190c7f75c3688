// The whole job as a library: read → extract HTML → clean → fingerprint → cluster → canonical.
// No printing and no writing here: the CLI (and anyone embedding us) decides what to do with the result.
import path from 'node:path';
import type { CleanDoc, Cluster, ClusterMember, InputError, Report, ReportDocument, SourceDoc } from './types.js';
import { DEFAULT_MAX_BYTES, discoverInputs, isInputError, readEntry } from './read/index.js';
import { extractHtml } from './extract-html/index.js';
import { candidateTemplateLines, cleanText, findTemplateLines, renderArticle, type BoilerplateRule } from './clean/index.js';
import { fingerprint, type DocFingerprint } from './fingerprint/index.js';
import { clusterDocs, type ClusterGroup } from './cluster/index.js';
import { chooseCanonical } from './canonical/index.js';
import { fallbackTitle } from './write/title.js';

export interface AnalyzeOptions {
  /** Folder that relative arguments are resolved against. */
  cwd?: string;
  /** 0..1: how similar two write-ups must be to count as one story (see README). */
  threshold?: number;
  maxBytes?: number;
  disabledRules?: ReadonlySet<string>;
  extraRules?: BoilerplateRule[];
  ignorePatterns?: string[];
  /** Supplies standard input for the `-` argument. */
  readStdin?: () => Promise<Uint8Array>;
  /** Called once per unusable input, as soon as it is found (the CLI prints it on stderr). */
  onError?: (error: InputError) => void;
}

/** One decided cluster with the documents behind it. */
export interface AnalyzedCluster {
  cluster: Cluster;
  /** Index into `docs` of the canonical member. */
  canonicalIndex: number;
  /** The canonical article as it is written: title line, blank line, paragraphs. */
  text: string;
}

export interface CorpusAnalysis {
  report: Report;
  /** Cleaned documents, sorted by path. */
  docs: CleanDoc[];
  clusters: AnalyzedCluster[];
  /** For --all: the relative path under its argument of each document, by document path. */
  relativePaths: Map<string, string>;
}

const noStdin = async (): Promise<Uint8Array> => new Uint8Array();

function byPath<T extends { path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Read and decode every input; unusable ones become errors. */
async function readAll(inputs: readonly string[], opts: AnalyzeOptions) {
  const cwd = opts.cwd ?? process.cwd();
  const discovery = discoverInputs(inputs, {
    cwd,
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    ignorePatterns: opts.ignorePatterns,
  });
  const errors: InputError[] = [...discovery.errors];
  for (const e of discovery.errors) opts.onError?.(e);
  const sources: SourceDoc[] = [];
  const relativePaths = new Map<string, string>();
  for (const entry of discovery.entries) {
    const result = await readEntry(entry, opts.readStdin ?? noStdin);
    if (isInputError(result)) {
      errors.push(result);
      opts.onError?.(result);
    } else {
      sources.push(result);
      relativePaths.set(entry.path, entry.relative);
    }
  }
  errors.sort(byPath);
  return { sources, errors, relativePaths };
}

interface Prepared {
  source: SourceDoc;
  /** The text the line cleaner sees: the file itself, or the article text extracted from HTML. */
  text: string;
  htmlMeta?: ReturnType<typeof extractHtml>['meta'];
}

function prepare(source: SourceDoc): Prepared {
  if (source.format !== 'html') return { source, text: source.text };
  const extracted = extractHtml(source.text);
  return { source, text: extracted.text, htmlMeta: extracted.meta };
}

function cleanAll(prepared: readonly Prepared[], opts: AnalyzeOptions, templateLines?: ReadonlySet<string>): CleanDoc[] {
  return prepared.map((p) =>
    cleanText(p.source.path, p.text, p.source.format, {
      htmlMeta: p.htmlMeta,
      templateLines,
      disabledRules: opts.disabledRules,
      extraRules: opts.extraRules,
    }),
  );
}

/**
 * Lines that recur across documents of different stories are a site's template.
 * Stories are the clusters of a first pass; documents of one story may share lines legitimately.
 */
function corpusTemplateLines(prepared: readonly Prepared[], groups: readonly ClusterGroup[]): Set<string> {
  const groupOf = new Int32Array(prepared.length);
  groups.forEach((g, gi) => {
    for (const m of g.members) groupOf[m] = gi;
  });
  return findTemplateLines(prepared.map((p, i) => ({ keys: candidateTemplateLines(p.text), group: groupOf[i] })));
}

type Edge = ClusterGroup['edges'][number];
const RELATION_RANK: Record<string, number> = { exact: 3, 'near-duplicate': 2, 'same-event': 1 };

/**
 * How each member relates to its cluster: its verified edge to the canonical member when there is one,
 * else its strongest edge to any member (a copy of a copy is still a copy).
 */
function memberLinks(group: ClusterGroup, canonical: number): Map<number, Edge> {
  const links = new Map<number, Edge>();
  const consider = (m: number, e: Edge) => {
    const cur = links.get(m);
    const toCanonical = (x: Edge) => x.a === canonical || x.b === canonical;
    if (cur && toCanonical(cur)) return;
    if (!cur || toCanonical(e) || RELATION_RANK[e.relation] > RELATION_RANK[cur.relation] || (e.relation === cur.relation && e.score > cur.score)) links.set(m, e);
  };
  for (const e of group.edges) {
    consider(e.a, e);
    consider(e.b, e);
  }
  return links;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function buildClusters(docs: readonly CleanDoc[], fps: readonly DocFingerprint[], groups: readonly ClusterGroup[]): AnalyzedCluster[] {
  const built = groups.map((group) => {
    const choice = chooseCanonical(group.members, docs as CleanDoc[], fps as DocFingerprint[], group.edges);
    const canonicalDoc = docs[choice.index];
    const title =
      canonicalDoc.meta.title ??
      group.members.map((m) => docs[m].meta.title).find((t): t is string => Boolean(t)) ??
      fallbackTitle(canonicalDoc);
    const links = memberLinks(group, choice.index);
    const members: ClusterMember[] = group.members
      .map((m): ClusterMember => {
        if (m === choice.index) return { path: docs[m].path, relation: 'canonical', score: 1, why: [] };
        const link = links.get(m);
        return {
          path: docs[m].path,
          relation: link?.relation ?? 'same-event',
          score: round3(link?.score ?? 0),
          why: link?.why ?? [],
        };
      })
      .sort((a, b) => (a.relation === 'canonical' ? -1 : b.relation === 'canonical' ? 1 : byPath(a, b)));
    const text = renderArticle({ ...canonicalDoc, meta: { ...canonicalDoc.meta, title } });
    return {
      cluster: { id: '', title, canonical: canonicalDoc.path, output: null, members, canonicalWhy: choice.why },
      canonicalIndex: choice.index,
      text,
    };
  });
  // Stable ids: clusters in order of their first member's path.
  built.sort((a, b) => {
    const fa = firstPath(a.cluster);
    const fb = firstPath(b.cluster);
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  });
  built.forEach((c, i) => (c.cluster.id = `c${i + 1}`));
  return built;
}

function firstPath(c: Cluster): string {
  let min = c.members[0].path;
  for (const m of c.members) if (m.path < min) min = m.path;
  return min;
}

function reportDocument(doc: CleanDoc): ReportDocument {
  return { path: doc.path, title: doc.meta.title, source: doc.meta.source, words: doc.words, removed: doc.removed };
}

/** Read, clean and cluster the inputs. Deterministic: the same files in any order give the same result. */
export async function analyzeCorpus(inputs: readonly string[], opts: AnalyzeOptions = {}): Promise<CorpusAnalysis> {
  const { sources, errors, relativePaths } = await readAll(inputs, opts);
  sources.sort(byPath);
  const prepared = sources.map(prepare);

  let docs = cleanAll(prepared, opts);
  let fps = docs.map(fingerprint);
  let groups = clusterDocs(fps, { threshold: opts.threshold });

  // Second pass only when the corpus reveals template lines no rule knew.
  const templateLines = corpusTemplateLines(prepared, groups);
  if (templateLines.size > 0) {
    docs = cleanAll(prepared, opts, templateLines);
    fps = docs.map(fingerprint);
    groups = clusterDocs(fps, { threshold: opts.threshold });
  }

  const clusters = buildClusters(docs, fps, groups);
  const duplicates = clusters.reduce((n, c) => n + c.cluster.members.length - 1, 0);
  const removedLines = docs.reduce((n, d) => n + d.removed.length, 0);
  const report: Report = {
    version: 1,
    summary: { documents: docs.length, clusters: clusters.length, duplicates, removedLines, errors: errors.length },
    clusters: clusters.map((c) => c.cluster),
    documents: docs.map(reportDocument),
    errors,
  };
  return { report, docs, clusters, relativePaths };
}

/** For --all: where a cleaned document goes under the output folder (its relative path, as .txt). */
export function allModeRelativePath(relative: string): string {
  const ext = path.posix.extname(relative);
  return (ext ? relative.slice(0, -ext.length) : relative) + '.txt';
}
