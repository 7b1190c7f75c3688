// Sparse average-linkage agglomeration. Pairs without an edge count as similarity 0, so a cluster only absorbs
// another when the members are similar on average: one bridging document cannot chain two events together.
// Nodes may weigh less than 1: copies of one text share a weight of 1 between them, so that a story copied twice is
// not twice as loud in an average as a story told once (an exact copy is one node already; a near copy is not).
import { loop, NEVER, runSync, type Slicer, type Steps } from './slice.js';

interface Link {
  /** Weighted sum of the known cross pairs' similarities (each pair weighs its two nodes' weights multiplied). */
  sum: number;
  /** The strongest known pair, and its weight. */
  max: number;
  maxW: number;
  /** Number of cross pairs the sum covers, and their total weight. */
  cnt: number;
  wcnt: number;
  /** The sum covers every cross pair (or missing pairs are taken as 0). */
  exact: boolean;
}

function addLink(m: Map<number, Link>, c: number, sum: number, max: number, maxW: number, cnt: number, wcnt: number): void {
  const l = m.get(c);
  if (l) {
    l.sum += sum;
    l.cnt += cnt;
    l.wcnt += wcnt;
    if (max > l.max) {
      l.max = max;
      l.maxW = maxW;
    }
  } else m.set(c, { sum, max, maxW, cnt, wcnt, exact: false });
}

interface Entry {
  avg: number;
  a: number;
  b: number;
  va: number;
  vb: number;
}

function better(x: Entry, y: Entry): boolean {
  if (x.avg !== y.avg) return x.avg > y.avg;
  if (x.a !== y.a) return x.a < y.a;
  return x.b < y.b;
}

class MaxHeap {
  private h: Entry[] = [];
  get size(): number {
    return this.h.length;
  }
  push(e: Entry): void {
    const h = this.h;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!better(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  peek(): Entry | undefined {
    return this.h[0];
  }
  pop(): Entry | undefined {
    const h = this.h;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && better(h[l], h[m])) m = l;
        if (r < h.length && better(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Average linkage over a sparse similarity graph on nodes 0..n-1.
 * Joins the pair of clusters with the highest average similarity while it is >= threshold.
 * Returns for each node the smallest node index of its cluster. Deterministic: ties go to the lower indices.
 *
 * Without `pairScore`, pairs without an edge count as 0. With it, the edges only propose joins: a proposal is ranked by
 * the average of its known pairs, and before it is taken the average over every cross pair is computed exactly with
 * `pairScore` (when the two clusters have at most `exactBudget` cross pairs; else missing pairs count as 0), so the
 * result does not depend on how many candidate pairs the indexes produced.
 */
export function linkAverage(
  n: number,
  ea: ArrayLike<number>,
  eb: ArrayLike<number>,
  es: ArrayLike<number>,
  threshold: number,
  /** A join also needs the average without its single strongest pair to reach threshold × bridgeFactor. */
  bridgeFactor = 0.5,
  pairScore?: (a: number, b: number) => number,
  exactBudget = 4096,
  /** Each node's weight in the averages (default 1). */
  weight?: ArrayLike<number>,
): Int32Array {
  return runSync(linkAverageSteps(n, ea, eb, es, threshold, bridgeFactor, pairScore, exactBudget, NEVER, weight));
}

/** linkAverage as steps that yield when the slicer says the time slice is used up. */
export function* linkAverageSteps(
  n: number,
  ea: ArrayLike<number>,
  eb: ArrayLike<number>,
  es: ArrayLike<number>,
  threshold: number,
  bridgeFactor: number,
  pairScore: ((a: number, b: number) => number) | undefined,
  exactBudget: number,
  slicer: Slicer,
  weight?: ArrayLike<number>,
): Steps<Int32Array> {
  const w = (i: number) => (weight ? weight[i] : 1);
  // nodes in each cluster, and their total weight
  const size = new Int32Array(n).fill(1);
  const mass = new Float64Array(n);
  for (let i = 0; i < n; i++) mass[i] = w(i);
  const version = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  // members of each cluster as a linked list (head = the cluster id)
  const next = new Int32Array(n).fill(-1);
  const tail = new Int32Array(n);
  for (let i = 0; i < n; i++) tail[i] = i;
  // cluster -> neighbour cluster -> { sum of known similarities, strongest, number of known pairs, exact? }
  const nbr: (Map<number, Link> | undefined)[] = new Array(n);
  const get = (i: number) => nbr[i] ?? (nbr[i] = new Map());
  yield* loop(ea.length, (from) => {
    for (let e = from; e < ea.length; e++) {
      if (e !== from && slicer.due()) return e;
      const a = ea[e];
      const b = eb[e];
      if (a === b) continue;
      const ww = w(a) * w(b);
      addLink(get(a), b, ww * es[e], es[e], ww, 1, ww);
      addLink(get(b), a, ww * es[e], es[e], ww, 1, ww);
    }
    return ea.length;
  });
  const heap = new MaxHeap();
  // `pairs`: the cross pairs' count; `mass`: their total weight (the two clusters' masses multiplied)
  const estimate = (l: Link, mass: number) => (pairScore && !l.exact ? l.sum / l.wcnt : l.sum / mass);
  const joinable = (l: Link, pairs: number, mass: number): boolean => {
    if (estimate(l, mass) < threshold) return false;
    if (pairs < 2 || !l.exact) return true;
    return (l.sum - l.maxW * l.max) / (mass - l.maxW) >= threshold * bridgeFactor;
  };
  yield* loop(n, (from) => {
    for (let a = from; a < n; a++) {
      const m = nbr[a];
      if (!m) continue;
      if (a !== from && slicer.due(m.size)) return a;
      for (const [b, l] of m) {
        if (a >= b) continue;
        l.exact = !pairScore || l.cnt === 1;
        const back = nbr[b]!.get(a)!;
        back.exact = l.exact;
        if (joinable(l, 1, mass[a] * mass[b])) heap.push({ avg: estimate(l, mass[a] * mass[b]), a, b, va: 0, vb: 0 });
      }
    }
    return n;
  });

  // the joins, in a plain function (loops inside generators are not optimised on the spot); false: paused when due
  let first = true;
  let over = false;
  const joins = (): boolean => {
    while (heap.size) {
      if (!first && (over || slicer.due())) return false;
      first = false;
      over = false;
      const top = heap.pop()!;
      if (top.avg < threshold) return true;
      const { a, b } = top;
      if (!alive[a] || !alive[b] || version[a] !== top.va || version[b] !== top.vb) continue;
      const la = nbr[a]!.get(b)!;
      const pairs = size[a] * size[b];
      const pairMass = mass[a] * mass[b];
      if (!la.exact && pairScore) {
        // complete the average over every cross pair before deciding
        if (pairs <= exactBudget) {
          let sum = 0;
          let max = 0;
          let maxW = 0;
          for (let x = a; x >= 0; x = next[x])
            for (let y = b; y >= 0; y = next[y]) {
              const v = pairScore(x, y);
              const ww = w(x) * w(y);
              sum += ww * v;
              if (v > max) {
                max = v;
                maxW = ww;
              }
            }
          if (slicer.due(pairs)) over = true; // each scored pair counts as a unit of work
          la.sum = sum;
          la.max = max;
          la.maxW = maxW;
        }
        la.cnt = pairs;
        la.wcnt = pairMass;
        la.exact = true;
        const lb = nbr[b]!.get(a)!;
        lb.sum = la.sum;
        lb.max = la.max;
        lb.maxW = la.maxW;
        lb.cnt = la.cnt;
        lb.wcnt = la.wcnt;
        lb.exact = true;
        if (joinable(la, pairs, pairMass)) heap.push({ avg: la.sum / pairMass, a, b, va: version[a], vb: version[b] });
        continue;
      }
      if (!joinable(la, pairs, pairMass)) continue;
      // merge b into a (a < b: the cluster keeps its lowest id)
      const u = a;
      const v = b;
      const mu = get(u);
      const mv = get(v);
      mu.delete(v);
      mv.delete(u);
      for (const [c, l] of mv) {
        addLink(mu, c, l.sum, l.max, l.maxW, l.cnt, l.wcnt);
        const mc = nbr[c]!;
        const lv = mc.get(v)!;
        mc.delete(v);
        addLink(mc, u, lv.sum, lv.max, lv.maxW, lv.cnt, lv.wcnt);
      }
      nbr[v] = undefined;
      alive[v] = 0;
      parent[v] = u;
      next[tail[u]] = v;
      tail[u] = tail[v];
      size[u] += size[v];
      mass[u] += mass[v];
      version[u]++;
      version[v]++;
      for (const [c, l] of mu) {
        const pairs2 = size[u] * size[c];
        const mass2 = mass[u] * mass[c];
        l.exact = !pairScore || l.cnt === pairs2;
        const back = nbr[c]!.get(u)!;
        back.exact = l.exact;
        if (!joinable(l, pairs2, mass2)) continue;
        const x = Math.min(u, c);
        const y = Math.max(u, c);
        heap.push({ avg: estimate(l, mass2), a: x, b: y, va: version[x], vb: version[y] });
      }
    }
    return true;
  };
  while (!joins()) {
    first = true;
    yield;
  }
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let r = i;
    while (parent[r] !== r) r = parent[r];
    label[i] = r;
  }
  return label;
}
