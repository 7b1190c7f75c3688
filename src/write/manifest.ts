// manifest.json: provenance for every written article (members, relations, scores, reasons, source, removed lines).
import type { CorpusAnalysis } from '../pipeline.js';

export const MANIFEST_VERSION = 1;
/** The provenance file beside the articles (the read stage skips it by this name). */
export const MANIFEST_NAME = 'manifest.json';

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
        // The standfirst lifted from under the title: not in the article text, so kept here.
        dek: canonical?.meta.dek ?? null,
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
            dek: doc?.meta.dek ?? null,
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
