// Worker thread: analyses documents sent by the pool, one message per batch.
import { parentPort } from 'node:worker_threads';
import { analyzeSource, type DocResult, type DocSettings } from '../document.js';

export interface WorkerTask {
  index: number;
  path: string;
  bytes: Uint8Array;
}

export interface WorkerBatch {
  settings: DocSettings;
  templateLines: string[] | null;
  tasks: WorkerTask[];
}

export interface WorkerReply {
  results: { index: number; result: DocResult }[];
}

let lastTemplateSource: string[] | null = null;
let lastTemplateSet: Set<string> | undefined;

parentPort?.on('message', (batch: WorkerBatch) => {
  if (batch.templateLines !== lastTemplateSource) {
    lastTemplateSource = batch.templateLines;
    lastTemplateSet = batch.templateLines ? new Set(batch.templateLines) : undefined;
  }
  const results = batch.tasks.map((t) => ({ index: t.index, result: analyzeSource(t.path, t.bytes, batch.settings, lastTemplateSet) }));
  parentPort!.postMessage({ results } satisfies WorkerReply);
});
