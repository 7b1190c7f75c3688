// The whole job as a library: read → (per document, in parallel) decode, extract HTML, clean, fingerprint
// → corpus-level template lines → cluster → canonical. No printing and no writing here: the CLI
// (and anyone embedding us) decides what to do with the result.
import path from 'node:path';
import type { CleanDoc, Cluster, ClusterMember, InputError, Report, ReportDocument } from './types.js';
import { DEFAULT_MAX_BYTES, describeFsError, discoverInputs, readInputFile, type Discovery, type InputEntry } from './read/index.js';
import { renderWithTitle, templateHashesAndHolders, templateLineKeys } from './clean/index.js';
import type { DocFingerprint } from './fingerprint/index.js';
import { clusterDocsAsync, PARAMS, type ClusterGroup } from './cluster/index.js';
import { decodeGroups, decodePairMemo, encodeGroups, encodePairMemo, groupsKey, type PairMemo } from './cluster/memo.js';
import { ascending, chooseCanonical } from './canonical/index.js';
import { ChoiceMemo, type Chooser } from './canonical/choice-memo.js';
import { fallbackTitle } from './write/title.js';
import { isDocError, LazyKeysAnalysis, LazyTextDoc, templateKeyHashesInto, templateKeysOf, withRemoved, type DocAnalysis, type DocSettings, type KeysSource, type TextSource } from './document.js';
import { analyzeAll, type DocJob } from './parallel/pool.js';
import type { DocCache } from './cache/index.js';
import { TextSpill, type SpillSlot } from './spill.js';

export interface AnalyzeOptions {
  /** Folder that relative arguments are resolved against. */
  cwd?: string;
  /** 0..1: how similar two write-ups must be to count as one story (see README). */
  threshold?: number;
  maxBytes?: number;
  disabledRules?: Iterable<string>;
  extraRules?: { id: string; pattern: RegExp }[];
  ignorePatterns?: string[];
  /** The folder ignorePatterns are relative to; default cwd. */
  ignoreBase?: string;
  /** Supplies standard input for the `-` argument. */
  readStdin?: () => Promise<Uint8Array>;
  /** Called once per unusable input, as soon as it is found (the CLI prints it on stderr). */
  onError?: (error: InputError) => void;
  /** Called as documents are analysed: (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Called when a corpus-wide stage starts ("clustering"), for progress display. */
  onPhase?: (label: string) => void;
  /**
   * Called when a part of the first stage starts ("waiting for the cache file", "reading and cleaning"), for timings
   * (the CLI's CLEAN_TIMINGS): the walk comes first.
   */
  onStep?: (label: string) => void;
  /** Per-document results from earlier runs, by content hash (--cache). */
  cache?: DocCache;
  /**
   * Told how many files of how many bytes were found, before anything is read or reported; may throw to stop
   * the run there (the CLI does, to run again with a larger heap when the corpus needs one).
   */
  onDiscovered?: (found: { files: number; bytes: number }) => void;
  /**
   * Keep the cleaned texts in a temporary file until they are rendered (default: true). The documents'
   * `paragraphs` are then read from it when asked for; false keeps them in memory.
   */
  spillTexts?: boolean;
  /**
   * The inputs as discoverCorpus found them, with the cache (if any) read already: a caller that looks at them first
   * (the CLI replays the last run's output when nothing changed) passes them on instead of having them walked again.
   */
  discovery?: Discovery;
}

/** One decided cluster with the documents behind it. */
export interface AnalyzedCluster {
  cluster: Cluster;
  /** Index into `docs` of the canonical member. */
  canonicalIndex: number;
  /** The canonical article as it is written: title line, blank line, paragraphs (rendered when read, not kept). */
  readonly text: string;
}

export interface CorpusAnalysis {
  report: Report;
  /** Cleaned documents, sorted by path. */
  docs: CleanDoc[];
  clusters: AnalyzedCluster[];
  /** For --all: the relative path under its argument of each document, by document path (made when first read). */
  relativePaths: Map<string, string>;
  /**
   * With the cache: each document's cache key (what its result is the result of), by index into `docs`; the writer
   * names the articles it renders by them.
   */
  docKeys?: readonly (string | undefined)[];
  /** How much corpus-level work the run did (shown with CLEAN_TIMINGS). */
  stats: { templateLines: number; recleaned: number; pairsReused: number; pairsScored: number | null; indexesUpdated: boolean; dfUpdated: boolean; weightsHashed: number | null; linked: { linked: number; of: number } | null; completions: { reused: number; asked: number } | null; clustersReused: number; choicesReused: { reused: number; of: number } | null };
  /**
   * Closes the temporary file that holds the cleaned texts: the documents' `paragraphs` (and the articles'
   * `text`) cannot be read after this. Optional: the file has no name on disk, and it is closed when the
   * analysis is garbage-collected or the process ends.
   */
  release(): void;
}

/**
 * The cache's names for the cluster stage's pair memo of each pass. The second pass clusters the documents that held a
 * site's template lines without them: kept apart (when that is many documents: OWN_SECOND_MEMO_FROM), each pass's memo
 * differs from this run's only by what changed since. One memo for both made each pass update it for every document the
 * template lines reach: on ECB+ with the extraction benchmark's pages, 211 of 1,163, and a warm run built both passes'
 * candidate indexes afresh.
 */
const PAIR_MEMO = 'cluster-pairs';
const PAIR_MEMO_SECOND = 'cluster-pairs-template';
/**
 * The second pass keeps its own memo when it cleans again more than one document in this many. Fewer, and it updates
 * this run's first pass's state for them as cheaply as for an edit of as many documents, while a memo of its own is
 * read by every run (17 MB at 10,000 articles).
 */
const OWN_SECOND_MEMO_FROM = 64;
/** The cache's names for the groups of the first cluster pass, and of the one after template lines are removed. */
const GROUPS_FIRST = 'cluster-groups';
const GROUPS_SECOND = 'cluster-groups-template';
/** The cache's name for the canonical choices of the groups (canonical/choice-memo.ts). */
const CHOICES = 'canonical-choices';

const noStdin = async (): Promise<Uint8Array> => new Uint8Array();

function byPath<T extends { path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** A read failure of a file the walk had found. */
const describeReadError = (_path: string, e: unknown) => describeFsError(e, true);


function jobFor(entry: InputEntry, readStdin: () => Promise<Uint8Array>, maxBytes: number): DocJob {
  const abs = entry.abs;
  const load = async () => (abs === null ? readStdin() : readInputFile(abs, maxBytes));
  // An article clean wrote is read with its first line as the title: a result of its own in the cache.
  return { path: entry.path, stamp: entry.stamp, load, ...(entry.written ? { written: true, cacheSalt: 'written' } : {}) };
}

/**
 * Lines that recur across documents of different stories are a site's template, and the documents that still hold one
 * (by index). Stories are the clusters of a first pass; documents of one story may share lines legitimately.
 */
function corpusTemplateLines(analyses: readonly DocAnalysis[], groups: readonly ClusterGroup[]): { lines: Set<string>; holders: number[] } {
  const groupOf = new Int32Array(analyses.length);
  groups.forEach((g, gi) => {
    for (const m of g.members) groupOf[m] = gi;
  });
  // One document's key hashes at a time (a cached result holds them; others are made from keys read back from the
  // spill), each read once; the text of the keys found is read from one document each.
  const found = templateHashesAndHolders(analyses.length, (i, into) => {
    templateKeyHashesInto(analyses[i], into);
    into.group = groupOf[i];
  });
  return { lines: templateLineKeys(found.lines, (d) => templateKeysOf(analyses[d])[0]), holders: found.holders };
}

type Edge = ClusterGroup['edges'][number];
const RELATION_RANK: Record<string, number> = { exact: 3, 'near-duplicate': 2, 'same-event': 1 };

/**
 * How each member relates to its cluster: its verified edge to the canonical member when there is one,
 * else its strongest edge to any member (a copy of a copy is still a copy).
 */
function memberLinks(group: ClusterGroup, canonical: number): Map<number, Edge> {
  const links = new Map<number, Edge>();
  const toCanonical = (x: Edge) => x.a === canonical || x.b === canonical;
  const consider = (m: number, e: Edge) => {
    const cur = links.get(m);
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

/**
 * Paragraphs, or template keys, kept in the spill: read back each time they are asked for (an article is rendered
 * once; the template pass reads the keys twice). Spilling the keys too keeps 3.4 MB less heap at 10,000 articles.
 */
class Spilled implements TextSource, KeysSource {
  constructor(
    protected readonly spill: TextSpill,
    private readonly slot: SpillSlot | null,
  ) {}
  paragraphs(): string[] {
    return this.slot ? this.spill.read(this.slot) : [];
  }
  keys(): [string[], string[]] {
    return this.spill.read(this.slot!);
  }
}

/** A document's paragraphs, and its removed lines and repairs, each in the spill. */
class SpilledWithLines extends Spilled {
  constructor(
    spill: TextSpill,
    slot: SpillSlot | null,
    private readonly linesSlot: SpillSlot,
  ) {
    super(spill, slot);
  }
  removed(): CleanDoc['removed'] {
    return this.spill.read<[CleanDoc['removed'], CleanDoc['repairs']]>(this.linesSlot)[0];
  }
  repairs(): CleanDoc['repairs'] {
    return this.spill.read<[CleanDoc['removed'], CleanDoc['repairs']]>(this.linesSlot)[1];
  }
}

/**
 * Removed lines and repairs go to the spill too from this many on: a page that is mostly boilerplate (or a site
 * template removed line by line, or mojibake on every line) would otherwise hold more in them than the run holds
 * of its text.
 */
const SPILL_LINES_FROM = 16;

/** What the run holds of a result: the text and template keys in the spill when it can take them. */
function spilledAnalysis(a: DocAnalysis, spill: TextSpill): DocAnalysis {
  const doc = spilledDoc(a.doc, spill);
  const slot = a.templateKeys.length > 0 ? spill.store([a.templateKeys, a.openTemplateKeys]) : null;
  return slot ? new LazyKeysAnalysis(doc, a.fp, new Spilled(spill, slot)) : { ...a, doc };
}

/** The document as the run holds it: its paragraphs in the spill when it can take them, else as it is. */
function spilledDoc(doc: CleanDoc, spill: TextSpill): CleanDoc {
  const slot = doc.paragraphs.length > 0 ? spill.store(doc.paragraphs) : null;
  if (doc.paragraphs.length > 0 && !slot) return doc;
  const linesSlot = doc.removed.length + doc.repairs.length >= SPILL_LINES_FROM ? spill.store([doc.removed, doc.repairs]) : null;
  // no slot: nothing to spill, or the spill could not take it (disk full)
  if (linesSlot) return new LazyTextDoc(doc, new SpilledWithLines(spill, slot, linesSlot));
  if (slot) return new LazyTextDoc(doc, new Spilled(spill, slot));
  return doc;
}

/**
 * A cluster whose article is rendered when read (a corpus of 100,000 articles would otherwise hold every text
 * twice). A class, not a getter made inside buildClusters: that would keep its scope, and with it every fingerprint
 * and edge, alive as long as the analysis; and a getter per cluster made each one an object several times this size.
 */
class RenderedCluster implements AnalyzedCluster {
  readonly #doc: CleanDoc;
  readonly #title: string | null;
  constructor(
    readonly cluster: Cluster,
    readonly canonicalIndex: number,
    doc: CleanDoc,
    title: string | null,
  ) {
    this.#doc = doc;
    this.#title = title;
  }
  get text(): string {
    return renderWithTitle(this.#doc, this.#title);
  }
}

const NO_LINKS: ReadonlyMap<number, Edge> = new Map();

/** The first title among the members, in the group's order. */
function firstTitle(members: readonly number[], docs: readonly CleanDoc[]): string | undefined {
  for (const m of members) {
    const title = docs[m].meta.title;
    if (title) return title;
  }
  return undefined;
}

/** A cluster's members as the report lists them: the canonical one first, then the others in path order. */
function clusterMembers(sorted: readonly number[], canonical: number, links: ReadonlyMap<number, Edge>, docs: readonly CleanDoc[]): ClusterMember[] {
  const members: ClusterMember[] = [{ path: docs[canonical].path, relation: 'canonical', score: 1, why: [] }];
  for (const m of sorted) {
    if (m === canonical) continue;
    const link = links.get(m);
    members.push({ path: docs[m].path, relation: link?.relation ?? 'same-event', score: round3(link?.score ?? 0), why: link?.why ?? [] });
  }
  return members;
}

function buildClusters(docs: readonly CleanDoc[], fps: readonly DocFingerprint[], groups: readonly ClusterGroup[], choose?: Chooser): AnalyzedCluster[] {
  const built = groups.map((group) => {
    const choice = choose ? choose(group.members, group.edges) : chooseCanonical(group.members, docs as CleanDoc[], fps as DocFingerprint[], group.edges);
    const canonicalDoc = docs[choice.index];
    const title = canonicalDoc.meta.title ?? firstTitle(group.members, docs) ?? fallbackTitle(canonicalDoc);
    // ascending by index is the members' path order (documents are sorted by path)
    const sorted = ascending(group.members);
    // (a group of one has no edges, and its member no link)
    const members = clusterMembers(sorted, choice.index, group.edges.length > 0 ? memberLinks(group, choice.index) : NO_LINKS, docs);
    return { c: new RenderedCluster({ id: '', title, canonical: canonicalDoc.path, output: null, members, canonicalWhy: choice.why }, choice.index, canonicalDoc, title), first: sorted[0] };
  });
  // Stable ids: clusters in order of their first member's path, which is their least index.
  built.sort((a, b) => a.first - b.first);
  return built.map(({ c }, i) => ((c.cluster.id = `c${i + 1}`), c));
}

function reportDocument(doc: CleanDoc): ReportDocument {
  return withRemoved({ path: doc.path, title: doc.meta.title, source: doc.meta.source, words: doc.words }, doc);
}

/** The settings per-document work depends on, in a form that crosses to worker threads. */
export function docSettings(opts: Pick<AnalyzeOptions, 'disabledRules' | 'extraRules'>): DocSettings {
  return {
    disabledRules: [...(opts.disabledRules ?? [])].sort(),
    extraRules: (opts.extraRules ?? []).map((r) => ({ id: r.id, source: r.pattern.source, flags: r.pattern.flags.replace(/[gy]/g, '') })),
  };
}

/** The input files the arguments name (walked, ignore files applied, sorted), and the errors found on the way. */
export function discoverCorpus(inputs: readonly string[], opts: AnalyzeOptions = {}): Discovery {
  const cwd = opts.cwd ?? process.cwd();
  return discoverInputs(inputs, { cwd, maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES, ignorePatterns: opts.ignorePatterns, ignoreBase: opts.ignoreBase, skipFile: opts.cache?.ownPath });
}

/** Read, clean and cluster the inputs. Deterministic: the same files in any order give the same result. */
export async function analyzeCorpus(inputs: readonly string[], opts: AnalyzeOptions = {}): Promise<CorpusAnalysis> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const discovery = opts.discovery ?? discoverCorpus(inputs, opts);
  opts.onDiscovered?.({ files: discovery.entries.length, bytes: discovery.entries.reduce((n, e) => n + e.size, 0) });
  // a cache opened in the background was read while the inputs were walked
  if (opts.cache) {
    if (!opts.discovery) opts.onStep?.('waiting for the cache file');
    await opts.cache.ready;
  }
  opts.onStep?.('reading and cleaning');
  // No spill file (a temporary folder that cannot be written): the texts stay in memory, as they did.
  const spill = opts.spillTexts === false ? null : TextSpill.create();
  try {
    return await analyzeDiscovered(discovery, opts, maxBytes, spill);
  } catch (e) {
    spill?.close();
    throw e;
  }
}

/**
 * For --all, the only reader: each document's relative path by its path, made when first asked for. Made out here,
 * as releaser is.
 */
function relativePathsOf(entries: readonly InputEntry[]): () => Map<string, string> {
  let made: Map<string, string> | undefined;
  return () => (made ??= new Map(entries.map((e) => [e.path, e.relative])));
}

/** Empties a state the cache holds (it is not read by the next run, nor written again). */
function dropState(cache: DocCache | undefined, name: string): void {
  if (cache?.hasState(name)) cache.setState(name, new Uint8Array(0));
}

/** Made out here: a closure made in analyzeDiscovered would keep its scope (the fingerprints among it) alive. */
function releaser(spill: TextSpill | null): () => void {
  return () => spill?.close();
}

async function analyzeDiscovered(
  discovery: Discovery,
  opts: AnalyzeOptions,
  maxBytes: number,
  spill: TextSpill | null,
): Promise<CorpusAnalysis> {
  const errors: InputError[] = [...discovery.errors];
  for (const e of discovery.errors) opts.onError?.(e);

  const settings = docSettings(opts);
  // Standard input can be read once only; the template pass may need it again.
  let stdinBytes: Promise<Uint8Array> | null = null;
  const readStdin = () => (stdinBytes ??= (opts.readStdin ?? noStdin)());
  // Each result's text and template keys go to the spill as it arrives; the run holds the rest (metadata, removed lines, fingerprint).
  const keep = spill ? (a: DocAnalysis): DocAnalysis => spilledAnalysis(a, spill) : undefined;
  const entries = discovery.entries; // sorted by path
  const total = entries.length;
  const resultKeys: (string | undefined)[] | undefined = opts.cache ? new Array(total) : undefined;
  const outcomes = await analyzeAll(entries.map((e) => jobFor(e, readStdin, maxBytes)), {
    settings,
    templateLines: null,
    describeError: describeReadError,
    onResult: (done) => opts.onProgress?.(done, total),
    cache: opts.cache,
    keep,
    resultKeys,
  });

  // Unusable inputs drop out here; everything after works on the readable documents, in path order.
  const analyses: DocAnalysis[] = [];
  const usable: InputEntry[] = [];
  const ids: (string | undefined)[] = [];
  outcomes.forEach((o, i) => {
    if (isDocError(o)) {
      errors.push(o);
      opts.onError?.(o);
    } else {
      analyses.push(o);
      usable.push(entries[i]);
      ids.push(resultKeys?.[i]);
    }
  });
  outcomes.length = 0;
  errors.sort(byPath);
  const docs = analyses.map((a) => a.doc);
  const fps = analyses.map((a) => a.fp);

  opts.onPhase?.('clustering');
  // With the cache, pair scores of the last run are reused for documents that are as they were (cluster/memo.ts);
  // they are decoded only when a pass clusters (a corpus as it was takes its groups as they are).
  const cache = opts.cache;
  // the terms of results of the last run, by identity: its document frequencies are updated, not counted again
  const termsOf = cache && ((id: string) => {
    const r = cache.peek(id);
    return r && 'fp' in r ? r.fp.terms : undefined;
  });
  let memo: PairMemo | undefined = cache ? { ids, termsOf } : undefined;
  let clustersReused = 0;
  // With the cache, the groups of a pass over exactly the fingerprints of the last run are taken as they are. Groups
  // clustered come with the key to store them under (null: taken as they were, or no cache): the caller stores them,
  // the first pass's once it is known whether a second follows.
  const cluster = async (pass: string, pairs: PairMemo | undefined, pairsState: string | null): Promise<{ groups: ClusterGroup[]; key: string | null }> => {
    const key = opts.cache ? groupsKey(ids, opts.threshold ?? PARAMS.threshold) : null;
    const held = key ? decodeGroups(opts.cache!.state(pass), key) : null;
    if (held) {
      clustersReused++;
      return { groups: held, key: null };
    }
    if (pairs && pairs.previous === undefined) pairs.previous = decodePairMemo(opts.cache!.state(pairsState ?? PAIR_MEMO));
    const groups = await clusterDocsAsync(fps, { threshold: opts.threshold, memo: pairs });
    // (not deferred: read with the rest of the file while the inputs are walked. Deferred and read ahead once the walk
    // showed a change, they came in 40-50 ms after the first pass asked for them, the two cores busy decoding results)
    if (pairs?.next && pairsState) opts.cache!.setState(pairsState, encodePairMemo(pairs.next));
    return { groups, key };
  };
  const first = await cluster(GROUPS_FIRST, memo, PAIR_MEMO);
  let groups = first.groups;

  // Second pass, only over the documents where a line the corpus shows to be a site's template is
  // still in place (a line some rule already removed changes nothing).
  opts.onPhase?.('finding template lines');
  const { lines: templateLines, holders: affected } = corpusTemplateLines(analyses, groups);
  // Followed by a second pass, the first pass's groups serve for their members alone (the template lines they give):
  // stored without their edges and reasons (on ECB+ with the extraction pages, 1 MB of JSON less to write and read).
  // A run that takes them as they are finds the same template lines, and so a second pass again.
  if (first.key) cache!.setState(GROUPS_FIRST, encodeGroups(first.key, affected.length > 0 ? groups.map((g) => ({ members: g.members, edges: [] })) : groups));
  // A document's second-pass result depends on its bytes and on the template lines it holds: that is its cache key.
  const jobs = affected.map((i) => {
    const job = jobFor(usable[i], readStdin, maxBytes);
    const held = [...new Set(analyses[i].templateKeys.filter((k) => templateLines.has(k)))].sort().join('\n');
    return { ...job, cacheSalt: (job.cacheSalt ? `${job.cacheSalt}\0` : '') + 'template\0' + held };
  });
  // The template keys are not needed from here on.
  analyses.length = 0;
  if (jobs.length > 0) {
    const redoneKeys: (string | undefined)[] | undefined = opts.cache ? new Array(jobs.length) : undefined;
    const redone = await analyzeAll(jobs, {
      settings,
      templateLines: [...templateLines],
      describeError: describeReadError,
      cache: opts.cache,
      keep,
      resultKeys: redoneKeys,
    });
    redone.forEach((r, k) => {
      if (isDocError(r)) return;
      docs[affected[k]] = r.doc;
      fps[affected[k]] = r.fp;
      ids[affected[k]] = redoneKeys?.[k];
    });
    // Over many documents, the last run's second pass differs from this one by what changed since, and this run's
    // first pass serves too (it has just scored the pairs of what changed). Over few, or without the last run's, the
    // first pass's state serves for every document the second pass left as it was.
    const own = affected.length * OWN_SECOND_MEMO_FROM > docs.length;
    if (memo) {
      const last = own ? decodePairMemo(opts.cache!.state(PAIR_MEMO_SECOND)) : null;
      memo = { ids, termsOf, previous: last ?? memo.next ?? memo.previous ?? decodePairMemo(opts.cache!.state(PAIR_MEMO)), also: last ? memo.next : null };
    }
    const second = await cluster(GROUPS_SECOND, memo, own ? PAIR_MEMO_SECOND : null);
    groups = second.groups;
    if (second.key) cache!.setState(GROUPS_SECOND, encodeGroups(second.key, groups));
    if (!own) dropState(cache, PAIR_MEMO_SECOND);
  } else dropState(cache, PAIR_MEMO_SECOND); // no second pass: nothing to keep for one

  opts.onPhase?.('choosing canonical articles');
  // with the cache, a group whose members and copy edges are the last run's has the choice it had then
  const choices = cache ? ChoiceMemo.decode(cache.state(CHOICES)) : null;
  const clusters = buildClusters(docs, fps, groups, choices?.chooser(ids, docs, fps));
  // (left as it is when this run asked for the very choices it was given)
  if (cache && choices?.changed()) cache.setState(CHOICES, choices.encode());
  const duplicates = clusters.reduce((n, c) => n + c.cluster.members.length - 1, 0);
  const removedLines = docs.reduce((n, d) => n + d.removed.length, 0);
  const report: Report = {
    version: 1,
    summary: { documents: docs.length, clusters: clusters.length, duplicates, removedLines, errors: errors.length },
    clusters: clusters.map((c) => c.cluster),
    documents: docs.map(reportDocument),
    errors,
  };
  const analysis: Omit<CorpusAnalysis, 'relativePaths'> = { report, docs, clusters, docKeys: opts.cache ? ids : undefined, stats: { templateLines: templateLines.size, recleaned: affected.length, pairsReused: memo?.reused ?? 0, pairsScored: memo?.scored ?? null, indexesUpdated: memo?.indexUpdated ?? false, dfUpdated: memo?.dfUpdated ?? false, weightsHashed: memo?.rehashed ?? null, linked: memo?.next ? { linked: memo.linked ?? memo.next.ids.length, of: memo.next.ids.length } : null, completions: memo?.completions ?? null, clustersReused, choicesReused: choices && { reused: choices.reused, of: choices.reused + choices.made } }, release: releaser(spill) };
  return Object.defineProperty(analysis, 'relativePaths', { get: relativePathsOf(usable), enumerable: true }) as CorpusAnalysis;
}

/** For --all: where a cleaned document goes under the output folder (its relative path, as .txt). */
export function allModeRelativePath(relative: string): string {
  const ext = path.posix.extname(relative);
  return (ext ? relative.slice(0, -ext.length) : relative) + '.txt';
}
