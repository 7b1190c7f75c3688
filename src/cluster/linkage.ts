// Sparse average-linkage agglomeration. Pairs without an edge count as similarity 0, so a cluster only absorbs
// another when the members are similar on average: one bridging document cannot chain two events together.

interface Link {
  sum: number;
  max: number;
}

function addLink(m: Map<number, Link>, c: number, sum: number, max: number): void {
  const l = m.get(c);
  if (l) {
    l.sum += sum;
    if (max > l.max) l.max = max;
  } else m.set(c, { sum, max });
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
 */
export function linkAverage(
  n: number,
  ea: ArrayLike<number>,
  eb: ArrayLike<number>,
  es: ArrayLike<number>,
  threshold: number,
  /** A join also needs the average without its single strongest pair to reach threshold × bridgeFactor. */
  bridgeFactor = 0.5,
): Int32Array {
  const size = new Int32Array(n).fill(1);
  const version = new Int32Array(n);
  const alive = new Uint8Array(n).fill(1);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  // cluster -> neighbour cluster -> { sum of similarities, strongest single similarity }
  const nbr: Map<number, Link>[] = Array.from({ length: n }, () => new Map());
  for (let e = 0; e < ea.length; e++) {
    const a = ea[e];
    const b = eb[e];
    if (a === b) continue;
    addLink(nbr[a], b, es[e], es[e]);
    addLink(nbr[b], a, es[e], es[e]);
  }
  const heap = new MaxHeap();
  for (let a = 0; a < n; a++)
    for (const [b, l] of nbr[a]) if (a < b && l.sum >= threshold) heap.push({ avg: l.sum, a, b, va: 0, vb: 0 });
  const joinable = (l: Link, pairs: number): boolean => {
    if (l.sum / pairs < threshold) return false;
    if (pairs < 2) return true;
    return (l.sum - l.max) / (pairs - 1) >= threshold * bridgeFactor;
  };

  while (heap.size) {
    const top = heap.pop()!;
    if (top.avg < threshold) break;
    const { a, b } = top;
    if (!alive[a] || !alive[b] || version[a] !== top.va || version[b] !== top.vb) continue;
    // merge b into a (a < b: the cluster keeps its lowest id)
    const u = a;
    const v = b;
    const mu = nbr[u];
    const mv = nbr[v];
    mu.delete(v);
    mv.delete(u);
    for (const [c, l] of mv) {
      addLink(mu, c, l.sum, l.max);
      const mc = nbr[c];
      const lv = mc.get(v)!;
      mc.delete(v);
      addLink(mc, u, lv.sum, lv.max);
    }
    nbr[v] = new Map();
    alive[v] = 0;
    parent[v] = u;
    size[u] += size[v];
    version[u]++;
    version[v]++;
    for (const [c, l] of mu) {
      const pairs = size[u] * size[c];
      if (!joinable(l, pairs)) continue;
      const avg = l.sum / pairs;
      const x = Math.min(u, c);
      const y = Math.max(u, c);
      heap.push({ avg, a: x, b: y, va: version[x], vb: version[y] });
    }
  }
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let r = i;
    while (parent[r] !== r) r = parent[r];
    label[i] = r;
  }
  return label;
}
