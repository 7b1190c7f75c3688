import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module with JSDoc types
import { adjustedRandIndex, pairwise, bcubed, mergedTopicMates, scoreAll } from '../../bench/cluster/score.mjs';

describe('clustering scores (hand-computed)', () => {
  it('perfect agreement scores 1 whatever the label names', () => {
    const gold = ['x', 'x', 'y', 'y', 'z'];
    const pred = [7, 7, 3, 3, 9];
    expect(adjustedRandIndex(pred, gold)).toBeCloseTo(1, 10);
    expect(pairwise(pred, gold)).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(bcubed(pred, gold).f1).toBeCloseTo(1, 10);
  });

  it('ARI of a known contingency table', () => {
    // gold: {0,1,2} {3,4,5}; pred: {0,1} {2,3} {4,5}
    // sum C(nij,2) = 1 + 0 + 0 + 1 = 2; a = 3 (three pairs); b = 6; total C(6,2) = 15
    // expected = 3*6/15 = 1.2; max = 4.5; ARI = (2 - 1.2) / (4.5 - 1.2) = 0.8 / 3.3
    const gold = [1, 1, 1, 2, 2, 2];
    const pred = ['a', 'a', 'b', 'b', 'c', 'c'];
    expect(adjustedRandIndex(pred, gold)).toBeCloseTo(0.8 / 3.3, 10);
  });

  it('pairwise precision and recall', () => {
    // same example: TP = 2, predicted pairs 3, gold pairs 6
    const gold = [1, 1, 1, 2, 2, 2];
    const pred = ['a', 'a', 'b', 'b', 'c', 'c'];
    const p = pairwise(pred, gold);
    expect(p.precision).toBeCloseTo(2 / 3, 10);
    expect(p.recall).toBeCloseTo(2 / 6, 10);
    expect(p.f1).toBeCloseTo((2 * (2 / 3) * (1 / 3)) / (2 / 3 + 1 / 3), 10);
  });

  it('B-cubed precision and recall', () => {
    // gold {0,1,2} {3}; pred all in one cluster of 4
    // precision per item: 3/4,3/4,3/4,1/4 -> 10/16; recall: 1,1,1,1
    const b = bcubed([0, 0, 0, 0], ['g', 'g', 'g', 'h']);
    expect(b.precision).toBeCloseTo(10 / 16, 10);
    expect(b.recall).toBeCloseTo(1, 10);
    expect(b.f1).toBeCloseTo((2 * (10 / 16)) / (10 / 16 + 1), 10);
  });

  it('singletons against one gold cluster', () => {
    const b = bcubed([1, 2, 3], ['g', 'g', 'g']);
    expect(b.precision).toBe(1);
    expect(b.recall).toBeCloseTo(1 / 3, 10);
    expect(pairwise([1, 2, 3], ['g', 'g', 'g']).precision).toBe(1); // no predicted pairs
    expect(pairwise([1, 2, 3], ['g', 'g', 'g']).recall).toBe(0);
  });

  it('counts merged topic-mate events', () => {
    // topic T has events e1, e2; topic U has e3. Cluster 0 mixes e1+e2 (topic-mates) and e3 (other topic).
    const gold = ['e1', 'e1', 'e2', 'e3', 'e2'];
    const topic = ['T', 'T', 'T', 'U', 'T'];
    const pred = [0, 0, 0, 0, 1];
    expect(mergedTopicMates(pred, gold, topic)).toBe(1);
    expect(mergedTopicMates(pred, gold, topic, 2)).toBe(0);
    expect(mergedTopicMates([0, 0, 1, 2, 1], gold, topic)).toBe(0);
  });

  it('scoreAll reports cluster counts', () => {
    const r = scoreAll([0, 0, 1], ['a', 'a', 'b'], ['t', 't', 't']);
    expect(r.predictedClusters).toBe(2);
    expect(r.goldClusters).toBe(2);
    expect(r.ari).toBeCloseTo(1, 10);
    expect(r.mergedTopicMates).toBe(0);
  });
});
