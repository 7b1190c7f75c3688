// Clustering quality scores (pure functions, no dependencies).
// Every function takes two parallel arrays of labels (any values usable as Map keys): predicted and gold.

/** @param {number} x */
const comb2 = (x) => (x * (x - 1)) / 2;

/**
 * Contingency counts between two labelings.
 * @param {ArrayLike<unknown>} pred
 * @param {ArrayLike<unknown>} gold
 * @returns {{ cells: Map<string, number>, predSizes: Map<unknown, number>, goldSizes: Map<unknown, number>, n: number }}
 */
export function contingency(pred, gold) {
  if (pred.length !== gold.length) throw new Error('label arrays differ in length');
  const cells = new Map();
  const predSizes = new Map();
  const goldSizes = new Map();
  for (let i = 0; i < pred.length; i++) {
    const k = JSON.stringify([pred[i], gold[i]]);
    cells.set(k, (cells.get(k) ?? 0) + 1);
    predSizes.set(pred[i], (predSizes.get(pred[i]) ?? 0) + 1);
    goldSizes.set(gold[i], (goldSizes.get(gold[i]) ?? 0) + 1);
  }
  return { cells, predSizes, goldSizes, n: pred.length };
}

/**
 * Adjusted Rand index (Hubert & Arabie). 1 for identical partitions, about 0 for random ones.
 * @param {ArrayLike<unknown>} pred @param {ArrayLike<unknown>} gold @returns {number}
 */
export function adjustedRandIndex(pred, gold) {
  const { cells, predSizes, goldSizes, n } = contingency(pred, gold);
  let index = 0;
  for (const c of cells.values()) index += comb2(c);
  let a = 0;
  for (const c of predSizes.values()) a += comb2(c);
  let b = 0;
  for (const c of goldSizes.values()) b += comb2(c);
  const total = comb2(n);
  if (total === 0) return 1;
  const expected = (a * b) / total;
  const max = (a + b) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

/**
 * Pairwise precision, recall and F1 over same-cluster pairs.
 * @param {ArrayLike<unknown>} pred @param {ArrayLike<unknown>} gold
 * @returns {{ precision: number, recall: number, f1: number }}
 */
export function pairwise(pred, gold) {
  const { cells, predSizes, goldSizes } = contingency(pred, gold);
  let tp = 0;
  for (const c of cells.values()) tp += comb2(c);
  let p = 0;
  for (const c of predSizes.values()) p += comb2(c);
  let g = 0;
  for (const c of goldSizes.values()) g += comb2(c);
  const precision = p === 0 ? 1 : tp / p;
  const recall = g === 0 ? 1 : tp / g;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * B-cubed precision, recall and F1 (Bagga & Baldwin), averaged over items.
 * @param {ArrayLike<unknown>} pred @param {ArrayLike<unknown>} gold
 * @returns {{ precision: number, recall: number, f1: number }}
 */
export function bcubed(pred, gold) {
  const { cells, predSizes, goldSizes, n } = contingency(pred, gold);
  if (n === 0) return { precision: 1, recall: 1, f1: 1 };
  let p = 0;
  let r = 0;
  for (let i = 0; i < n; i++) {
    const both = cells.get(JSON.stringify([pred[i], gold[i]])) ?? 0;
    p += both / (predSizes.get(pred[i]) ?? 1);
    r += both / (goldSizes.get(gold[i]) ?? 1);
  }
  p /= n;
  r /= n;
  return { precision: p, recall: r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
}

/**
 * Pairs of different gold events of the same topic that some predicted cluster mixes:
 * a cluster holding at least `minEach` documents of each.
 * @param {ArrayLike<unknown>} pred @param {ArrayLike<unknown>} gold @param {ArrayLike<unknown>} topic
 * @param {number} [minEach=1]
 * @returns {number}
 */
export function mergedTopicMates(pred, gold, topic, minEach = 1) {
  /** @type {Map<unknown, Map<unknown, number>>} cluster -> event -> count */
  const byCluster = new Map();
  /** @type {Map<unknown, unknown>} */
  const topicOf = new Map();
  for (let i = 0; i < pred.length; i++) {
    topicOf.set(gold[i], topic[i]);
    let m = byCluster.get(pred[i]);
    if (!m) byCluster.set(pred[i], (m = new Map()));
    m.set(gold[i], (m.get(gold[i]) ?? 0) + 1);
  }
  const merged = new Set();
  for (const m of byCluster.values()) {
    const events = [...m.entries()].filter(([, c]) => c >= minEach).map(([e]) => e);
    for (let i = 0; i < events.length; i++)
      for (let j = i + 1; j < events.length; j++) {
        if (topicOf.get(events[i]) !== topicOf.get(events[j])) continue;
        const key = JSON.stringify([String(events[i]), String(events[j])].sort());
        merged.add(key);
      }
  }
  return merged.size;
}

/**
 * All scores at once.
 * @param {ArrayLike<unknown>} pred @param {ArrayLike<unknown>} gold @param {ArrayLike<unknown>} [topic]
 */
export function scoreAll(pred, gold, topic) {
  const pw = pairwise(pred, gold);
  const b3 = bcubed(pred, gold);
  return {
    documents: pred.length,
    predictedClusters: new Set(Array.from(pred)).size,
    goldClusters: new Set(Array.from(gold)).size,
    ari: adjustedRandIndex(pred, gold),
    pairwise: pw,
    bcubed: b3,
    mergedTopicMates: topic ? mergedTopicMates(pred, gold, topic) : null,
    mergedTopicMatesStrict: topic ? mergedTopicMates(pred, gold, topic, 2) : null,
  };
}
