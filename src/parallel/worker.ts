// Worker thread: analyses documents sent by the pool, one message per batch.
import { parentPort } from 'node:worker_threads';
import { analyzeSource, loadHtmlSupport, type DocResult, type DocSettings } from '../document.js';
import { encodeResult } from '../cache/codec.js';

export interface WorkerTask {
  index: number;
  path: string;
  bytes: Uint8Array;
  /** An article clean wrote (DocJob.written). */
  written?: boolean;
}

export interface WorkerBatch {
  settings: DocSettings;
  templateLines: string[] | null;
  tasks: WorkerTask[];
  /** Reply with each result encoded for the cache (codec.ts) instead of as objects: the main thread, which feeds every worker, then neither encodes nor receives a copy of the objects. */
  encode?: boolean;
}

export interface WorkerReply {
  results: ({ index: number; result: DocResult } | { index: number; encoded: Uint8Array })[];
}

// a worker is started for a corpus that needs one: it loads the HTML stage once, before its first batch
await loadHtmlSupport();

let lastTemplateSource: string[] | null = null;
let lastTemplateSet: Set<string> | undefined;

parentPort?.on('message', (batch: WorkerBatch) => {
  if (batch.templateLines !== lastTemplateSource) {
    lastTemplateSource = batch.templateLines;
    lastTemplateSet = batch.templateLines ? new Set(batch.templateLines) : undefined;
  }
  if (batch.encode) {
    const results = batch.tasks.map((t) => ({ index: t.index, encoded: encodeResult(analyzeSource(t.path, t.bytes, batch.settings, lastTemplateSet, t.written)) }));
    // encodeResult's buffers are its own (Buffer.alloc never pools): handed over, not copied
    parentPort!.postMessage({ results } satisfies WorkerReply, results.map((r) => r.encoded.buffer as ArrayBuffer));
    return;
  }
  const results = batch.tasks.map((t) => ({ index: t.index, result: analyzeSource(t.path, t.bytes, batch.settings, lastTemplateSet, t.written) }));
  parentPort!.postMessage({ results } satisfies WorkerReply);
});
