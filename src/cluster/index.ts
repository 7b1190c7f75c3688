// CLUSTER stage: candidate pairs from indexes (never all pairs), exact verification, sparse average linkage.
//
// 1. Exact duplicates (same normalised-text hash) collapse onto their lowest index.
// 2. Candidate pairs among the remaining representatives come from three indexes:
//    - MinHash LSH banding (copies; banded for a lower Jaccard than we decide at),
//    - a sampled-shingle inverted index (partial copies: 1 in 16 word 3-grams, chosen by hash),
//    - an inverted index over each document's most distinctive terms (same-event write-ups),
//    where postings lists that are too long (common words, templates) are skipped.
// 3. Each candidate is verified exactly: shingle intersection on sorted hash arrays (Jaccard, containment) and a
//    TF-IDF cosine in which rare names and numbers weigh more (idf from a background vocabulary plus the corpus).
// 4. Sparse average linkage (missing pairs count as 0) joins clusters while the average similarity between them is at
//    least the threshold, so one bridging article cannot chain two events together.
import type { DocFingerprint } from '../fingerprint/index.js';
import { backgroundVocab, fmix32, intersectSize, bandKeys, KIND_NAME, KIND_NUMBER, KIND_TITLE, KIND_DATE } from '../fingerprint/index.js';
import { linkAverage } from './linkage.js';

export type PairRelation = 'exact' | 'near-duplicate' | 'same-event';

export interface ClusterEdge {
  /** Indices into the fingerprint array, a < b. */
  a: number;
  b: number;
  relation: PairRelation;
  /** Similarity in 0..1 (1 for exact; containment-based for near-duplicates; event similarity otherwise). */
  score: number;
  why: string[];
}

export interface ClusterGroup {
  /** Indices into the fingerprint array, ascending. */
  members: number[];
  /** Verified pairs inside the group (a < b), sorted by a then b. */
  edges: ClusterEdge[];
}

export interface ClusterOptions {
  /** How similar two write-ups must be to count as one story (0..1): the average-link event similarity needed to join. */
  threshold?: number;
}

/** Tunable constants (exported for the benchmark harness and tests; treat as read-only). */
export const PARAMS = {
  /** Default --threshold. */
  threshold: 0.2,
  /** A join also needs the average similarity without its strongest pair to reach threshold × bridgeFactor. */
  bridgeFactor: 0.5,
  /** Near-duplicate: share of the smaller document's word 3-grams found in the other. */
  ndContainment: 0.15,
  /** Near-duplicate: minimum shared 3-grams (so tiny texts do not qualify by accident). */
  ndMinShared: 12,
  /** Near-duplicate: Jaccard resemblance alone. */
  ndJaccard: 0.5,
  /** The background vocabulary counts as this many pseudo-documents of the corpus (a prior on document frequency). */
  backgroundDocs: 5,
  /** Event similarity is multiplied by this when both texts name calendar dates and none are within calendarDays of each other. */
  calendarPenalty: 0.4,
  calendarDays: 3,
  /** How much disagreeing dates (weekdays, months, years mentioned) lower event similarity (0: not at all). */
  dateWeight: 0.8,
  /** Date mentions (on the side with fewer) needed for full confidence in the date agreement. */
  dateMentions: 3,
  /** Extra weight factors for kinds of terms. */
  nameBoost: 3,
  numberBoost: 1.5,
  titleBoost: 1.5,
  /** Terms per document put into the event index. */
  indexTerms: 24,
  /** Event edges below this similarity are not kept. */
  edgeFloor: 0.04,
  /** Shingle sampling rate for the partial-copy index (1 in 2^bits). */
  sampleBits: 4,
  /** LSH buckets larger than this link each member to its next `bucketWindow` members only. */
  bucketCap: 64,
  bucketWindow: 6,
};

/** Corpus-aware term weights: idf from background + corpus document frequencies, boosts for names/numbers/title. */
export function prepareWeights(fps: DocFingerprint[], reps: number[]): Float32Array[] {
  const vocab = backgroundVocab();
  const corpusDf = new Map<number, number>();
  for (const r of reps) {
    const t = fps[r].terms;
    for (let i = 0; i < t.length; i++) corpusDf.set(t[i], (corpusDf.get(t[i]) ?? 0) + 1);
  }
  const m = vocab.documents ? PARAMS.backgroundDocs : 0;
  const total = reps.length + m;
  const out: Float32Array[] = [];
  for (const r of reps) {
    const fp = fps[r];
    const w = new Float32Array(fp.terms.length);
    let norm = 0;
    for (let i = 0; i < fp.terms.length; i++) {
      const h = fp.terms[i];
      const k = fp.kinds[i];
      if (k & KIND_DATE && !(k & KIND_NUMBER)) {
        // weekdays and month names: only in the date agreement factor
        continue;
      }
      const pBg = m ? ((vocab.df.get(h) ?? 0) + 0.5) / (vocab.documents + 1) : 0;
      const df = (corpusDf.get(h) ?? 0) + m * pBg;
      const idf = Math.log((total + 1) / (df + 0.5));
      let boost = 1;
      if (k & KIND_NAME) boost *= PARAMS.nameBoost;
      else if (k & KIND_NUMBER) boost *= PARAMS.numberBoost;
      if (k & KIND_TITLE) boost *= PARAMS.titleBoost;
      const v = (1 + Math.log(fp.counts[i])) * Math.max(0, idf) * boost;
      w[i] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < w.length; i++) w[i] /= norm;
    out.push(w);
  }
  return out;
}

function cosine(ta: Uint32Array, wa: Float32Array, tb: Uint32Array, wb: Float32Array): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < ta.length && j < tb.length) {
    const x = ta[i];
    const y = tb[j];
    if (x === y) {
      s += wa[i] * wb[j];
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return s;
}

/** Candidate pairs (positions into reps, lo < hi) as keys lo * n + hi. */
function candidates(fps: DocFingerprint[], reps: number[], weights: Float32Array[]): Set<number> {
  const n = reps.length;
  const pairs = new Set<number>();
  const add = (x: number, y: number) => {
    if (x === y) return;
    pairs.add(x < y ? x * n + y : y * n + x);
  };
  const maxPost = Math.max(64, Math.ceil(4 * Math.sqrt(n)));

  // (a) MinHash LSH: sort (band key, doc) packed into doubles (key * 2^21 + doc).
  if (n < 2 ** 21) {
    const bandsPerDoc = bandKeys(new Uint32Array(128)).length;
    const packed = new Float64Array(n * bandsPerDoc);
    let m = 0;
    for (let p = 0; p < n; p++) {
      const fp = fps[reps[p]];
      if (fp.shingles.length === 0) continue;
      const keys = bandKeys(fp.minhash);
      for (let b = 0; b < keys.length; b++) packed[m++] = keys[b] * 2097152 + p;
    }
    const sorted = packed.subarray(0, m).sort();
    let s = 0;
    while (s < m) {
      const key = Math.floor(sorted[s] / 2097152);
      let e = s + 1;
      while (e < m && Math.floor(sorted[e] / 2097152) === key) e++;
      const size = e - s;
      if (size > 1) {
        const win = size > PARAMS.bucketCap ? PARAMS.bucketWindow : size;
        for (let i = s; i < e; i++) {
          const pi = sorted[i] % 2097152;
          for (let j = i + 1; j < Math.min(e, i + 1 + win); j++) add(pi, sorted[j] % 2097152);
        }
      }
      s = e;
    }
  }

  // (b) sampled shingles: pairs sharing at least 2 sampled 3-grams.
  {
    const mask = (1 << PARAMS.sampleBits) - 1;
    const postings = new Map<number, number[]>();
    for (let p = 0; p < n; p++) {
      const sh = fps[reps[p]].shingles;
      for (let i = 0; i < sh.length; i++) {
        if ((fmix32(sh[i] ^ 0x2545f491) & mask) !== 0) continue;
        let list = postings.get(sh[i]);
        if (!list) postings.set(sh[i], (list = []));
        if (list.length <= maxPost) list.push(p);
      }
    }
    const shared = new Map<number, number>();
    for (const list of postings.values()) {
      if (list.length < 2 || list.length > maxPost) continue;
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          const k = list[i] * n + list[j];
          shared.set(k, (shared.get(k) ?? 0) + 1);
        }
    }
    for (const [k, c] of shared) if (c >= 2) pairs.add(k);
  }

  // (c) distinctive terms: each document's top terms by weight.
  {
    const postings = new Map<number, number[]>();
    for (let p = 0; p < n; p++) {
      const fp = fps[reps[p]];
      const w = weights[p];
      const order = Array.from(w.keys()).sort((x, y) => w[y] - w[x] || fp.terms[x] - fp.terms[y]);
      for (const i of order.slice(0, PARAMS.indexTerms)) {
        let list = postings.get(fp.terms[i]);
        if (!list) postings.set(fp.terms[i], (list = []));
        if (list.length <= maxPost) list.push(p);
      }
    }
    const shared = new Map<number, number>();
    for (const list of postings.values()) {
      if (list.length < 2 || list.length > maxPost) continue;
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          const k = list[i] * n + list[j];
          shared.set(k, (shared.get(k) ?? 0) + 1);
        }
    }
    for (const [k, c] of shared) if (c >= 1) pairs.add(k);
  }
  return pairs;
}

/**
 * Agreement of the dates mentioned (weekdays, months, years): cosine of their counts, and a confidence that grows with
 * the number of mentions on the poorer side (full at PARAMS.dateMentions). Null when either mentions none.
 */
export function dateAgreement(fa: DocFingerprint, fb: DocFingerprint): { cosine: number; confidence: number } | null {
  let ca = 0;
  let cb = 0;
  let i = 0;
  let j = 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  const ta = fa.terms;
  const tb = fb.terms;
  for (let x = 0; x < ta.length; x++)
    if (fa.kinds[x] & KIND_DATE) {
      na += fa.counts[x] * fa.counts[x];
      ca += fa.counts[x];
    }
  for (let y = 0; y < tb.length; y++)
    if (fb.kinds[y] & KIND_DATE) {
      nb += fb.counts[y] * fb.counts[y];
      cb += fb.counts[y];
    }
  if (!na || !nb) return null;
  while (i < ta.length && j < tb.length) {
    if (ta[i] === tb[j]) {
      if (fa.kinds[i] & KIND_DATE && fb.kinds[j] & KIND_DATE) dot += fa.counts[i] * fb.counts[j];
      i++;
      j++;
    } else if (ta[i] < tb[j]) i++;
    else j++;
  }
  return { cosine: dot / Math.sqrt(na * nb), confidence: Math.min(1, Math.min(ca, cb) / PARAMS.dateMentions) };
}

/**
 * Whether two texts name a common date: true when either names none (no evidence), or some pair of the
 * days named lies within PARAMS.calendarDays (the year wraps: late December is close to early January).
 */
export function calendarsAgree(a: Uint16Array, b: Uint16Array): boolean {
  if (a.length === 0 || b.length === 0) return true;
  for (const x of a)
    for (const y of b) {
      const d = Math.abs(x - y);
      if (Math.min(d, 366 - d) <= PARAMS.calendarDays) return true;
    }
  return false;
}

export interface PairEvidence {
  shared: number;
  jaccard: number;
  /** |A∩B| / min(|A|, |B|) */
  containment: number;
  /** share of a's 3-grams found in b, and of b's in a */
  aInB: number;
  bInA: number;
  cosine: number;
  quoteShare: number;
  relation: PairRelation | null;
  score: number;
}

/** Verify one pair exactly. `wa`/`wb` are the prepared term weights. */
export function verifyPair(fa: DocFingerprint, fb: DocFingerprint, wa: Float32Array, wb: Float32Array): PairEvidence {
  const shared = intersectSize(fa.shingles, fb.shingles);
  const na = fa.shingles.length;
  const nb = fb.shingles.length;
  const union = na + nb - shared;
  const jaccard = union ? shared / union : 0;
  const containment = Math.min(na, nb) ? shared / Math.min(na, nb) : 0;
  const aInB = na ? shared / na : 0;
  const bInA = nb ? shared / nb : 0;
  let cos = cosine(fa.terms, wa, fb.terms, wb);
  const dates = dateAgreement(fa, fb);
  if (dates !== null) cos *= 1 - PARAMS.dateWeight * dates.confidence * (1 - dates.cosine);
  if (!calendarsAgree(fa.calendar, fb.calendar)) cos *= PARAMS.calendarPenalty;
  const qShared = intersectSize(fa.quotes, fb.quotes);
  const qMin = Math.min(fa.quotes.length, fb.quotes.length);
  const quoteShare = qMin >= 3 ? qShared / qMin : 0;
  if (fa.day !== null && fb.day !== null) {
    const d = Math.abs(fa.day - fb.day);
    if (d > 3) cos *= Math.exp(-((d - 3) ** 2) / (2 * 14 * 14));
  }
  let relation: PairRelation | null = null;
  let score = cos;
  // quoting the same speaker is not copying: shared quotation 3-grams do not count towards a near-duplicate
  const copied = Math.max(0, shared - qShared);
  const copiedShare = Math.min(na, nb) ? copied / Math.min(na, nb) : 0;
  if (fa.exact === fb.exact) {
    relation = 'exact';
    score = 1;
  } else if ((copiedShare >= PARAMS.ndContainment && copied >= PARAMS.ndMinShared) || jaccard >= PARAMS.ndJaccard) {
    relation = 'near-duplicate';
    score = Math.max(cos, 0.6 + 0.4 * containment);
  } else {
    relation = 'same-event';
  }
  return { shared, jaccard, containment, aInB, bInA, cosine: cos, quoteShare, relation, score };
}

function explain(ev: PairEvidence, fa: DocFingerprint, fb: DocFingerprint): string[] {
  const why: string[] = [];
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (ev.relation === 'exact') return ['identical text after normalisation (case, whitespace, punctuation)'];
  if (ev.relation === 'near-duplicate') {
    why.push(
      `copied text: ${ev.shared} shared word 3-grams (${pct(ev.aInB)} of the first, ${pct(ev.bInA)} of the second; Jaccard ${ev.jaccard.toFixed(2)})`,
    );
  }
  why.push(`event similarity ${ev.cosine.toFixed(3)} (rarity-weighted terms, names and numbers)`);
  const lb = new Set(fb.labels);
  const common = fa.labels.filter((l) => lb.has(l)).slice(0, 10);
  if (common.length) why.push(`shared distinctive terms: ${common.join(', ')}`);
  if (ev.quoteShare > 0) why.push(`shared quotation text: ${pct(ev.quoteShare)} of quoted 3-grams`);
  return why;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

interface Verified {
  edgeA: number[];
  edgeB: number[];
  edgeS: number[];
  evidence: PairEvidence[];
}

/** Candidate pairs among representatives (positions into reps), verified exactly. */
function verifyCandidates(fps: DocFingerprint[], reps: number[]): Verified {
  const weights = prepareWeights(fps, reps);
  const m = reps.length;
  const pairKeys = [...candidates(fps, reps, weights)].sort((x, y) => x - y);
  const edgeA: number[] = [];
  const edgeB: number[] = [];
  const edgeS: number[] = [];
  const evidence: PairEvidence[] = [];
  for (const k of pairKeys) {
    const p = Math.floor(k / m);
    const q = k % m;
    const ev = verifyPair(fps[reps[p]], fps[reps[q]], weights[p], weights[q]);
    if (ev.score < PARAMS.edgeFloor && ev.relation === 'same-event') continue;
    edgeA.push(p);
    edgeB.push(q);
    edgeS.push(ev.score);
    evidence.push(ev);
  }
  return { edgeA, edgeB, edgeS, evidence };
}

/**
 * Every verified candidate pair of a corpus (a < b, indices into fps), with its evidence; exact duplicates are not
 * collapsed first. For explanations, tests and tuning: clusterDocs uses the same computation.
 */
export function scorePairs(fps: DocFingerprint[]): (PairEvidence & { a: number; b: number })[] {
  const reps = fps.map((_, i) => i);
  const v = verifyCandidates(fps, reps);
  return v.evidence.map((ev, e) => ({ ...ev, a: v.edgeA[e], b: v.edgeB[e] }));
}

export function clusterDocs(fps: DocFingerprint[], options: ClusterOptions = {}): ClusterGroup[] {
  const threshold = Math.min(1, Math.max(0, options.threshold ?? PARAMS.threshold));
  const n = fps.length;
  // 1. exact groups
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) =>
    fps[x].exact < fps[y].exact ? -1 : fps[x].exact > fps[y].exact ? 1 : x - y,
  );
  const repOf = new Int32Array(n);
  const reps: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (k > 0 && fps[order[k - 1]].exact === fps[i].exact) repOf[i] = repOf[order[k - 1]];
    else repOf[i] = i;
  }
  for (let i = 0; i < n; i++) if (repOf[i] === i) reps.push(i);

  // 2-3. candidates and verification
  const m = reps.length;
  const { edgeA, edgeB, edgeS, evidence } = verifyCandidates(fps, reps);

  // 4. sparse average linkage over representatives
  const label = linkAverage(m, edgeA, edgeB, edgeS, threshold, PARAMS.bridgeFactor);

  // assemble groups (members include exact duplicates)
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = label[repPos(reps, repOf[i])];
    let g = byLabel.get(l);
    if (!g) byLabel.set(l, (g = []));
    g.push(i);
  }
  const groups: ClusterGroup[] = [];
  const groupOf = new Int32Array(n);
  for (const members of byLabel.values()) {
    members.sort((x, y) => x - y);
    groups.push({ members, edges: [] });
  }
  groups.sort((x, y) => x.members[0] - y.members[0]);
  groups.forEach((g, gi) => g.members.forEach((i) => (groupOf[i] = gi)));
  for (let i = 0; i < n; i++) {
    if (repOf[i] !== i) {
      const r = repOf[i];
      groups[groupOf[i]].edges.push({ a: Math.min(r, i), b: Math.max(r, i), relation: 'exact', score: 1, why: explain({ relation: 'exact' } as PairEvidence, fps[r], fps[i]) });
    }
  }
  for (let e = 0; e < edgeA.length; e++) {
    const a = reps[edgeA[e]];
    const b = reps[edgeB[e]];
    if (groupOf[a] !== groupOf[b]) continue;
    const ev = evidence[e];
    groups[groupOf[a]].edges.push({
      a: Math.min(a, b),
      b: Math.max(a, b),
      relation: ev.relation ?? 'same-event',
      score: round3(ev.score),
      why: explain(ev, fps[a], fps[b]),
    });
  }
  for (const g of groups) g.edges.sort((x, y) => x.a - y.a || x.b - y.b);
  return groups;
}

function repPos(reps: number[], r: number): number {
  let lo = 0;
  let hi = reps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (reps[mid] === r) return mid;
    if (reps[mid] < r) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export interface MemberRelation {
  index: number;
  /** The member it is related to (the canonical when a direct edge exists). */
  to: number;
  relation: PairRelation;
  score: number;
  why: string[];
}

/**
 * How each non-canonical member relates to the cluster: its edge to the canonical when verified, else its strongest
 * edge to any other member (exact > near-duplicate > same-event, then score, then index).
 */
export function memberRelations(group: ClusterGroup, canonical: number): MemberRelation[] {
  const rank = { exact: 3, 'near-duplicate': 2, 'same-event': 1 } as const;
  const out: MemberRelation[] = [];
  for (const i of group.members) {
    if (i === canonical) continue;
    let best: ClusterEdge | null = null;
    let bestToCanon: ClusterEdge | null = null;
    for (const e of group.edges) {
      if (e.a !== i && e.b !== i) continue;
      const other = e.a === i ? e.b : e.a;
      if (other === canonical) bestToCanon = e;
      if (
        !best ||
        rank[e.relation] > rank[best.relation] ||
        (rank[e.relation] === rank[best.relation] && e.score > best.score)
      )
        best = e;
    }
    const e = bestToCanon && (!best || rank[bestToCanon.relation] >= rank[best.relation]) ? bestToCanon : best;
    if (!e) {
      out.push({ index: i, to: canonical, relation: 'same-event', score: 0, why: ['joined through the cluster average'] });
      continue;
    }
    out.push({ index: i, to: e.a === i ? e.b : e.a, relation: e.relation, score: e.score, why: e.why });
  }
  return out;
}
