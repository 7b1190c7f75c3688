// Runs the per-document stage on all cores with worker_threads. The main thread reads files and
// hands over bytes (transferred, not copied); results come back in input order.
// Small corpora, and runs from TypeScript sources (tests), stay in-process: starting workers costs more.
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { analyzeSourceLoading, isDocError, type DocAnalysis, type DocResult, type DocSettings } from '../document.js';
import { DocCache } from '../cache/index.js';
import { decodeResult } from '../cache/codec.js';
import { lazyBuiltin } from '../lazy-builtin.js';
import type { FileStamp } from '../read/index.js';
import type { WorkerBatch, WorkerReply, WorkerTask } from './worker.js';

/** Below this many documents the work stays on the main thread. */
export const MIN_DOCS_FOR_WORKERS = 200;
/**
 * A document this large goes to a worker even in a small corpus: the main thread must stay free to
 * answer Ctrl-C (a signal handler cannot run while JavaScript is busy), and a huge page can take seconds.
 */
export const MAX_IN_PROCESS_BYTES = 1 << 20;
const BATCH_BYTES = 1 << 20;
const BATCH_DOCS = 64;

const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));

/**
 * A worker's young generation, in MB. Fingerprinting allocates many short-lived strings and arrays; with the
 * default size two workers spend much of their time in minor garbage collections (10,000 articles, two workers:
 * 6.0 s with the default, 4.5-5.2 s with 64-128 MB; CLEAN_WORKER_YOUNG_MB overrides it for measurements).
 */
const WORKER_YOUNG_MB = Number(process.env.CLEAN_WORKER_YOUNG_MB) || 64;

/**
 * node:worker_threads, loaded when the first worker starts: a warm run with the cache, or a short one, starts none, and
 * loading the module costs every run 3-4 ms.
 */
const workerThreads = lazyBuiltin<typeof import('node:worker_threads')>('node:worker_threads');

function newWorker(): Worker {
  const { Worker } = workerThreads();
  return new Worker(workerFile, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
}

export function workersAvailable(): boolean {
  return workerFile.endsWith('.js') && fs.existsSync(workerFile) && !process.env.CLEAN_NO_WORKERS;
}

export function workerCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 8));
}

export interface DocJob {
  path: string;
  /** Reads the input's bytes; errors become InputErrors. */
  load: () => Promise<Uint8Array>;
  /** Anything besides the bytes that shapes this document's result (the template lines it holds), for the cache key. */
  cacheSalt?: string;
  /** The file's stat signature: with the cache, an unchanged file is not read again. */
  stamp?: FileStamp;
  /** An article clean wrote: its first line is its title (InputEntry.written; part of cacheSalt). */
  written?: boolean;
}

export interface AnalyzeAllOptions {
  settings: DocSettings;
  /** Corpus template lines for the second pass; null in the first. */
  templateLines: readonly string[] | null;
  describeError: (path: string, err: unknown) => string;
  /** Sees the count of finished documents as results arrive (for progress). */
  onResult?: (done: number) => void;
  /** Results by content hash: hits skip the work, misses are added. */
  cache?: DocCache;
  /**
   * What is held of each result as it arrives (the pipeline moves the cleaned text to its spill file);
   * the cache is given the whole result. Not applied to cache hits, whose texts stay bytes of the cache file.
   */
  keep?: (result: DocAnalysis) => DocAnalysis;
  /** With the cache: filled with each result's cache key, by job (the fingerprint's identity for the cluster memo). */
  resultKeys?: (string | undefined)[];
}

/** One document in a worker of its own, so that the main thread stays responsive. */
async function analyzeInWorker(path: string, bytes: Uint8Array, settings: DocSettings, templateLines: readonly string[] | null, written?: boolean): Promise<DocResult> {
  const worker = newWorker();
  try {
    const batch: WorkerBatch = { settings, templateLines: templateLines ? [...templateLines] : null, tasks: [{ index: 0, path, bytes, written }] };
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(batch);
    });
    const r = reply.results[0];
    return 'result' in r ? r.result : decodeResult(r.encoded); // asked without `encode`: always a result
  } finally {
    await worker.terminate();
  }
}

/** Analyse every job; the returned array is in job order. Read failures come back as InputErrors. */
export async function analyzeAll(jobs: readonly DocJob[], opts: AnalyzeAllOptions): Promise<DocResult[]> {
  const { settings, templateLines, describeError, onResult, cache, keep, resultKeys } = opts;
  const results: DocResult[] = new Array(jobs.length);
  const keys: (string | null)[] = new Array(jobs.length).fill(null);
  let done = 0;
  const hold = (r: DocResult) => (keep && !isDocError(r) ? keep(r) : r);
  const finish = (i: number, r: DocResult) => {
    const key = keys[i];
    if (cache && key) cache.set(key, r);
    if (resultKeys && key && !isDocError(r)) resultKeys[i] = key;
    results[i] = hold(r);
    onResult?.(++done);
  };
  /** A result a worker encoded for the cache: stored as it is, and read by the run from the cache's bytes. */
  const finishEncoded = (i: number, encoded: Uint8Array) => {
    results[i] = cache!.setEncoded(keys[i]!, encoded, jobs[i].path);
    if (resultKeys && !isDocError(results[i])) resultKeys[i] = keys[i]!;
    onResult?.(++done);
  };

  // The content key each file had when its stat signature was last seen: those files need not be read.
  const known = jobs.map((j) => (cache && j.stamp ? cache.knownContentKey(j.stamp) : undefined));

  /** The cached result for content key `content`, taken as job i's (its texts stay bytes of the cache: nothing to spill). */
  function useHit(i: number, content: string): boolean {
    const key = DocCache.saltedKey(content, jobs[i].cacheSalt);
    const hit = cache!.get(key, jobs[i].path);
    if (!hit) return false;
    if (resultKeys && !isDocError(hit)) resultKeys[i] = key;
    if (jobs[i].stamp) cache!.noteFile(jobs[i].stamp!, content);
    results[i] = hit;
    onResult?.(++done);
    return true;
  }

  /**
   * Whether job i's file is one the cache knows as it is (by its stat signature), its result taken from there: no read,
   * and no await (a warm run takes 10,000 results so, one promise and one microtask each otherwise).
   */
  const knownHit = (i: number): boolean => Boolean(known[i]) && useHit(i, known[i]!);

  /** Read a job's bytes (knownHit was false); null when it failed or the cache had the answer by their content. */
  async function load(i: number): Promise<Uint8Array | null> {
    let bytes: Uint8Array;
    try {
      bytes = await jobs[i].load();
    } catch (e) {
      finish(i, { path: jobs[i].path, message: describeError(jobs[i].path, e) });
      return null;
    }
    if (cache) {
      const content = DocCache.contentKey(bytes);
      if (useHit(i, content)) return null;
      if (jobs[i].stamp) cache.noteFile(jobs[i].stamp!, content);
      keys[i] = DocCache.saltedKey(content, jobs[i].cacheSalt);
    }
    return bytes;
  }

  const templateSet = templateLines ? new Set(templateLines) : undefined;
  // A warm run finds most results in the cache by file signature alone: what is left to analyse decides whether
  // workers are worth starting (one costs more than a few documents in process).
  const toAnalyse = cache ? jobs.reduce((n, j, i) => n + (known[i] && cache.holds(known[i]!, j.cacheSalt) ? 0 : 1), 0) : jobs.length;
  if (toAnalyse < MIN_DOCS_FOR_WORKERS || !workersAvailable()) {
    for (let i = 0; i < jobs.length; i++) {
      if (knownHit(i)) continue;
      const bytes = await load(i);
      if (!bytes) continue;
      // A huge document goes to a worker: the main thread stays free to answer Ctrl-C.
      if (bytes.byteLength > MAX_IN_PROCESS_BYTES && workersAvailable()) finish(i, await analyzeInWorker(jobs[i].path, bytes, settings, templateLines, jobs[i].written));
      else finish(i, await analyzeSourceLoading(jobs[i].path, bytes, settings, templateSet, jobs[i].written));
    }
    return results;
  }

  const templateArray = templateLines ? [...templateLines] : null;
  let next = 0;

  /** Read the next batch of files (bounded by count and bytes so memory stays flat). */
  async function nextBatch(): Promise<WorkerTask[]> {
    const tasks: WorkerTask[] = [];
    let size = 0;
    while (next < jobs.length && tasks.length < BATCH_DOCS && size < BATCH_BYTES) {
      const i = next++;
      if (knownHit(i)) continue;
      const bytes = await load(i);
      if (!bytes) continue;
      tasks.push({ index: i, path: jobs[i].path, bytes, written: jobs[i].written });
      size += bytes.byteLength;
    }
    return tasks;
  }

  const workers: Worker[] = [];
  const worker = () => {
    const w = newWorker();
    workers.push(w);
    return w;
  };
  try {
    await Promise.all(
      Array.from({ length: workerCount() }, async () => {
        let w: Worker | null = null;
        for (;;) {
          const tasks = await nextBatch();
          if (tasks.length === 0) return;
          w ??= worker();
          const reply = await runBatch(w, { settings, templateLines: templateArray, tasks, encode: Boolean(cache) });
          for (const r of reply.results) {
            if ('result' in r) finish(r.index, r.result);
            else finishEncoded(r.index, r.encoded);
          }
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

function runBatch(worker: Worker, batch: WorkerBatch): Promise<WorkerReply> {
  // Hand over buffers the task owns outright; a slice of a shared buffer is copied instead.
  const transfer = batch.tasks
    .filter((t) => t.bytes.byteOffset === 0 && t.bytes.byteLength === t.bytes.buffer.byteLength)
    .map((t) => t.bytes.buffer as ArrayBuffer);
  return new Promise<WorkerReply>((resolve, reject) => {
    const onMessage = (msg: WorkerReply) => {
      worker.off('error', onError);
      resolve(msg);
    };
    const onError = (err: Error) => {
      worker.off('message', onMessage);
      reject(err);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(batch, transfer);
  });
}
