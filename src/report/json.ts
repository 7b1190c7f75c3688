// Machine output: the JSON report of PRODUCT.md, and NDJSON (one cluster a line, with its text).
import type { Report } from '../types.js';
import type { AnalyzedCluster } from '../pipeline.js';

/** The report exactly as PRODUCT.md shapes it; `explain` adds each member's reasons. */
export function reportToJson(report: Report, explain = false): object {
  return {
    version: report.version,
    summary: report.summary,
    clusters: report.clusters.map((c) => ({
      id: c.id,
      title: c.title,
      canonical: c.canonical,
      output: c.output,
      members: c.members.map((m) => (explain ? { path: m.path, relation: m.relation, score: m.score, why: m.why } : { path: m.path, relation: m.relation, score: m.score })),
      ...(explain ? { canonicalWhy: c.canonicalWhy } : {}),
    })),
    documents: report.documents.map((d) => ({ path: d.path, title: d.title, source: d.source, words: d.words, removed: d.removed })),
    errors: report.errors,
  };
}

export function formatJson(report: Report, explain = false): string {
  return JSON.stringify(reportToJson(report, explain), null, 2) + '\n';
}

export function formatNdjsonLine(c: AnalyzedCluster, explain = false): string {
  const { cluster } = c;
  return (
    JSON.stringify({
      id: cluster.id,
      title: cluster.title,
      canonical: cluster.canonical,
      output: cluster.output,
      members: cluster.members.map((m) => (explain ? { path: m.path, relation: m.relation, score: m.score, why: m.why } : { path: m.path, relation: m.relation, score: m.score })),
      ...(explain ? { canonicalWhy: cluster.canonicalWhy } : {}),
      text: c.text,
    }) + '\n'
  );
}
