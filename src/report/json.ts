// Machine output: the JSON report of PRODUCT.md, and NDJSON (one cluster a line, with its text).
import type { Cluster, Report } from '../types.js';
import type { AnalyzedCluster } from '../pipeline.js';
import { jsonChunks } from '../json-chunks.js';
import type { CheckProblem } from './check.js';

/** One cluster as PRODUCT.md shapes it; `explain` adds each member's reasons and why the canonical won. */
function clusterToJson(c: Cluster, explain: boolean): object {
  return {
    id: c.id,
    title: c.title,
    canonical: c.canonical,
    output: c.output,
    members: c.members.map((m) => (explain ? { path: m.path, relation: m.relation, score: m.score, why: m.why } : { path: m.path, relation: m.relation, score: m.score })),
    ...(explain ? { canonicalWhy: c.canonicalWhy } : {}),
  };
}

/** The report exactly as PRODUCT.md shapes it. */
export function reportToJson(report: Report, explain = false): object {
  return {
    version: report.version,
    summary: report.summary,
    clusters: report.clusters.map((c) => clusterToJson(c, explain)),
    documents: report.documents.map((d) => ({ path: d.path, title: d.title, source: d.source, words: d.words, removed: d.removed })),
    errors: report.errors,
  };
}

/** The JSON report in pieces (a large corpus's report is too big for one string); with --check, its problems too. */
export function* jsonReportChunks(report: Report, explain = false, problems?: readonly CheckProblem[]): Generator<string> {
  // --check adds what it fails on, the lines its text output lists
  const json = reportToJson(report, explain) as Record<string, unknown>;
  yield* jsonChunks(problems ? { ...json, problems } : json);
  yield '\n';
}

export function formatNdjsonLine(c: AnalyzedCluster, explain = false): string {
  return JSON.stringify({ ...clusterToJson(c.cluster, explain), text: c.text }) + '\n';
}
