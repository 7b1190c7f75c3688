// Score a `clean --format json` report against a planted corpus's truth (bench/scale/generate.mjs). Pure.
//
// Definitions
//  - A planted pair is (original, derivative) with a type: exact, near (word edits at rate r) or partial (a
//    contiguous fraction f of the original plus new text). Its measured similarity is on word 3-grams, as the
//    product shingles: jaccard = |A∩B| / |A∪B|, containment = |A∩B| / |A| (share of the original in the copy).
//  - Recall of a set of planted pairs = share whose two documents are members of one predicted cluster.
//  - A planted group is an original with all its derivatives (so two copies of one original are related too).
//  - Pair precision = over all pairs of documents that share a predicted cluster, the share whose two documents
//    are in the same planted group. A predicted pair across two groups (e.g. two unrelated articles merged) is
//    false. Counted per cluster from group counts, so a giant cluster costs O(members), not O(members²).
//  - Documents are matched by the last two path segments ("0012/d0012345.txt"), so the report's paths may be
//    given relative to any folder.

/** @typedef {import('./generate.mjs').Truth} Truth */
/** @typedef {import('./generate.mjs').PlantedPair} PlantedPair */
/**
 * @typedef {{ clusters: { id: string, members: { path: string, relation?: string }[] }[] }} Report
 * @typedef {{ pairs: number, found: number, recall: number }} Recall
 */

/** "…/0012/d0012345.txt" → "0012/d0012345.txt" @param {string} p */
export function docKey(p) {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts.slice(-2).join('/');
}

/** @param {number} pairs @param {number} found @returns {Recall} */
const recall = (pairs, found) => ({ pairs, found, recall: pairs ? found / pairs : 1 });

/** The buckets reported (by measured similarity). */
export const BUCKETS = [
  { name: 'exact', type: 'exact', test: () => true },
  { name: 'near J>=0.9', type: 'near', test: (/** @type {PlantedPair} */ p) => p.jaccard >= 0.9 },
  { name: 'near 0.8<=J<0.9', type: 'near', test: (/** @type {PlantedPair} */ p) => p.jaccard >= 0.8 && p.jaccard < 0.9 },
  { name: 'near 0.6<=J<0.8', type: 'near', test: (/** @type {PlantedPair} */ p) => p.jaccard >= 0.6 && p.jaccard < 0.8 },
  { name: 'near 0.4<=J<0.6', type: 'near', test: (/** @type {PlantedPair} */ p) => p.jaccard >= 0.4 && p.jaccard < 0.6 },
  { name: 'near J<0.4', type: 'near', test: (/** @type {PlantedPair} */ p) => p.jaccard < 0.4 },
  { name: 'partial C>=0.75', type: 'partial', test: (/** @type {PlantedPair} */ p) => p.containment >= 0.75 },
  { name: 'partial 0.5<=C<0.75', type: 'partial', test: (/** @type {PlantedPair} */ p) => p.containment >= 0.5 && p.containment < 0.75 },
  { name: 'partial C<0.5', type: 'partial', test: (/** @type {PlantedPair} */ p) => p.containment < 0.5 },
];

/**
 * @param {Report} report
 * @param {Pick<Truth, 'groups' | 'pairs'>} truth
 */
export function scorePlanted(report, truth) {
  /** @type {Map<string, number>} doc key → predicted cluster index */
  const clusterOf = new Map();
  let duplicated = 0;
  let unknown = 0;
  report.clusters.forEach((c, ci) => {
    for (const m of c.members) {
      const k = docKey(m.path);
      if (clusterOf.has(k)) duplicated++;
      else clusterOf.set(k, ci);
      if (!(k in truth.groups)) unknown++;
    }
  });
  const truthDocs = Object.keys(truth.groups);
  const missing = truthDocs.filter((k) => !clusterOf.has(k)).length;

  // recall
  const same = (/** @type {PlantedPair} */ p) => {
    const a = clusterOf.get(p.a);
    return a !== undefined && a === clusterOf.get(p.b);
  };
  const found = truth.pairs.map(same);
  /** @param {(p: PlantedPair) => boolean} f */
  const recallOf = (f) => {
    let n = 0;
    let k = 0;
    truth.pairs.forEach((p, i) => {
      if (f(p)) { n++; if (found[i]) k++; }
    });
    return recall(n, k);
  };
  const byType = {
    exact: recallOf((p) => p.type === 'exact'),
    near: recallOf((p) => p.type === 'near'),
    partial: recallOf((p) => p.type === 'partial'),
  };
  /** @type {Record<string, Recall>} */
  const byBucket = {};
  for (const b of BUCKETS) byBucket[b.name] = recallOf((p) => p.type === b.type && b.test(p));
  /** @type {Record<string, Recall>} */
  const byParam = {};
  for (const key of [...new Set(truth.pairs.filter((p) => p.type !== 'exact').map((p) => `${p.type} ${p.param}`))].sort()) {
    byParam[key] = recallOf((p) => `${p.type} ${p.param}` === key);
  }
  const targets = {
    /** planted near-copies with Jaccard ≥ 0.8 (exact copies excluded; they are reported apart) */
    nearJ08: recallOf((p) => p.type === 'near' && p.jaccard >= 0.8),
    /** planted partial copies with containment ≥ 0.5 */
    partialC05: recallOf((p) => p.type === 'partial' && p.containment >= 0.5),
    exact: byType.exact,
  };

  // precision
  let predicted = 0;
  let truePairs = 0;
  let impure = 0;
  let docsImpure = 0;
  let largest = 0;
  for (const c of report.clusters) {
    /** @type {Map<number | string, number>} */
    const counts = new Map();
    let n = 0;
    for (const m of c.members) {
      const k = docKey(m.path);
      const g = truth.groups[k] ?? `?${k}`;
      counts.set(g, (counts.get(g) ?? 0) + 1);
      n++;
    }
    largest = Math.max(largest, n);
    predicted += (n * (n - 1)) / 2;
    for (const v of counts.values()) truePairs += (v * (v - 1)) / 2;
    if (counts.size > 1) { impure++; docsImpure += n; }
  }
  const precision = {
    predictedPairs: predicted,
    truePairs,
    falsePairs: predicted - truePairs,
    precision: predicted ? truePairs / predicted : 1,
    impureClusters: impure,
    docsInImpureClusters: docsImpure,
    largestCluster: largest,
  };
  return {
    documents: { truth: truthDocs.length, inReport: clusterOf.size, missing, duplicated, unknown, clusters: report.clusters.length },
    byType,
    byBucket,
    byParam,
    targets,
    precision,
  };
}
