// Runs the per-document stage on all cores with worker_threads. The main thread reads files and
// hands over bytes (transferred, not copied); results come back in input order.
// Small corpora, and runs from TypeScript sources (tests), stay in-process: starting workers costs more.
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyzeSource, type DocResult, type DocSettings } from '../document.js';
import type { WorkerBatch, WorkerReply, WorkerTask } from './worker.js';

/** Below this many documents the work stays on the main thread. */
export const MIN_DOCS_FOR_WORKERS = 200;
const BATCH_BYTES = 1 << 20;
const BATCH_DOCS = 64;

const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));

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
}

/**
 * Analyse every job. `onResult` sees each result as it arrives (for progress); the returned array is in job order.
 * Read failures come back as InputErrors from `describeError`.
 */
export async function analyzeAll(
  jobs: readonly DocJob[],
  settings: DocSettings,
  templateLines: readonly string[] | null,
  describeError: (path: string, err: unknown) => string,
  onResult?: (done: number) => void,
): Promise<DocResult[]> {
  const results: DocResult[] = new Array(jobs.length);
  let done = 0;
  const templateSet = templateLines ? new Set(templateLines) : undefined;

  if (jobs.length < MIN_DOCS_FOR_WORKERS || !workersAvailable()) {
    for (let i = 0; i < jobs.length; i++) {
      let bytes: Uint8Array;
      try {
        bytes = await jobs[i].load();
      } catch (e) {
        results[i] = { path: jobs[i].path, message: describeError(jobs[i].path, e) };
        onResult?.(++done);
        continue;
      }
      results[i] = analyzeSource(jobs[i].path, bytes, settings, templateSet);
      onResult?.(++done);
    }
    return results;
  }

  const workers = Array.from({ length: Math.min(workerCount(), Math.ceil(jobs.length / BATCH_DOCS)) }, () => new Worker(workerFile));
  const templateArray = templateLines ? [...templateLines] : null;
  let next = 0;

  /** Read the next batch of files (bounded by count and bytes so memory stays flat). */
  async function nextBatch(): Promise<WorkerTask[]> {
    const tasks: WorkerTask[] = [];
    let bytes = 0;
    while (next < jobs.length && tasks.length < BATCH_DOCS && bytes < BATCH_BYTES) {
      const i = next++;
      try {
        const data = await jobs[i].load();
        tasks.push({ index: i, path: jobs[i].path, bytes: data });
        bytes += data.byteLength;
      } catch (e) {
        results[i] = { path: jobs[i].path, message: describeError(jobs[i].path, e) };
        onResult?.(++done);
      }
    }
    return tasks;
  }

  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (;;) {
          const tasks = await nextBatch();
          if (tasks.length === 0) return;
          const batch: WorkerBatch = { settings, templateLines: templateArray, tasks };
          // Hand over buffers the task owns outright; a slice of a shared buffer is copied instead.
          const transfer = tasks
            .filter((t) => t.bytes.byteOffset === 0 && t.bytes.byteLength === t.bytes.buffer.byteLength)
            .map((t) => t.bytes.buffer as ArrayBuffer);
          const reply = await new Promise<WorkerReply>((resolve, reject) => {
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
          for (const r of reply.results) {
            results[r.index] = r.result;
            onResult?.(++done);
          }
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
