// Library entry: the pipeline as functions. The `clean` CLI is a thin layer over these.
import path from 'node:path';
import { analyzeCorpus, type AnalyzeOptions } from './pipeline.js';
import { outputConflict, writeOutputs } from './write/index.js';
import type { Report } from './types.js';

export * from './types.js';
export { analyzeCorpus, type AnalyzeOptions, type CorpusAnalysis, type AnalyzedCluster } from './pipeline.js';
export { writeOutputs, outputConflict } from './write/index.js';
export { run, type CliIO } from './cli/run.js';

export interface CleanCorpusOptions extends AnalyzeOptions {
  /** Output folder; when absent nothing is written. */
  out?: string;
  all?: boolean;
}

/**
 * Read, clean, cluster and (with `out`) write the corpus; returns the report of PRODUCT.md.
 * Throws before reading anything when `out` would land on or inside an input.
 */
export async function cleanCorpus(inputs: readonly string[], options: CleanCorpusOptions = {}): Promise<Report> {
  const cwd = options.cwd ?? process.cwd();
  const outAbs = options.out ? path.resolve(cwd, options.out) : null;
  if (outAbs) {
    const abs = inputs.filter((i) => i !== '-').map((i) => path.resolve(cwd, i));
    const conflict = outputConflict(outAbs, abs, abs);
    if (conflict) throw new Error(conflict);
  }
  const analysis = await analyzeCorpus(inputs, options);
  try {
    if (options.out && outAbs) await writeOutputs(analysis, { outDisplay: options.out, outAbs, all: options.all });
  } finally {
    analysis.release();
  }
  return analysis.report;
}
