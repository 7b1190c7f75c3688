// manifest.json: provenance for every written article (members, relations, scores, reasons, source, removed lines).
import type { CorpusAnalysis } from '../pipeline.js';

export const MANIFEST_VERSION = 1;

export function buildManifest(analysis: CorpusAnalysis) {
  const docByPath = new Map(analysis.docs.map((d) => [d.path, d]));
  return {
    version: MANIFEST_VERSION,
    generator: 'article-cleaner',
    summary: analysis.report.summary,
    articles: analysis.clusters.map(({ cluster }) => {
      const canonical = docByPath.get(cluster.canonical);
      return {
        id: cluster.id,
        output: cluster.output,
        title: cluster.title,
        canonical: cluster.canonical,
        canonicalWhy: cluster.canonicalWhy,
        source: canonical?.meta.source ?? null,
        byline: canonical?.meta.byline ?? null,
        credits: canonical?.meta.credits ?? [],
        dateline: canonical?.meta.dateline ?? null,
        date: canonical?.meta.date ?? null,
        url: canonical?.meta.url ?? null,
        members: cluster.members.map((m) => {
          const doc = docByPath.get(m.path);
          return {
            path: m.path,
            relation: m.relation,
            score: m.score,
            why: m.why,
            title: doc?.meta.title ?? null,
            source: doc?.meta.source ?? null,
            byline: doc?.meta.byline ?? null,
            credits: doc?.meta.credits ?? [],
            removed: doc?.removed ?? [],
          };
        }),
      };
    }),
    errors: analysis.report.errors,
  };
}
