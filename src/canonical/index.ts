// CANONICAL stage: one member per cluster, "the most complete original" (PRODUCT.md).
// Order of rules:
//   1. originals before derivatives: a member whose text is largely contained in another member
//      (asymmetric 3-gram containment over an exact or near-duplicate edge) is a derivative of it;
//   2. fewer repair artifacts per 1000 words (machine translation and scraping damage show up as repairs);
//   3. more content (words);
//   4. the lower index, i.e. the first path (documents arrive sorted by path).
import type { CleanDoc } from '../types.js';
import type { DocFingerprint } from '../fingerprint/index.js';
import { sharedShingles } from '../fingerprint/index.js';
import type { ClusterEdge } from '../cluster/index.js';

export interface CanonicalChoice {
  index: number;
  why: string[];
}

/** Two members' shares of copied text must differ by this much to tell the copy from the original. */
export const DIRECTION_MARGIN = 0.02;
/** Repair rates (per 1000 words) closer than this count as equal. */
export const REPAIR_TOLERANCE = 2;

function label(docs: CleanDoc[], i: number): string {
  const p = docs[i]?.path ?? String(i);
  const slash = p.lastIndexOf('/');
  return slash >= 0 ? p.slice(slash + 1) : p;
}

function wordsOf(doc: CleanDoc, fp: DocFingerprint): number {
  return doc.words > 0 ? doc.words : fp.words;
}

/** Repairs per 1000 words. */
export function repairRate(doc: CleanDoc, fp: DocFingerprint): number {
  return (doc.repairs.length * 1000) / Math.max(1, wordsOf(doc, fp));
}

/**
 * The members in ascending order: the array itself when it already is (groups come so), since a sort allocates
 * about a kilobyte even for two numbers.
 */
export function ascending(members: number[]): number[] {
  for (let i = 1; i < members.length; i++) if (members[i - 1] > members[i]) return [...members].sort((x, y) => x - y);
  return members;
}

export function chooseCanonical(
  members: number[],
  docs: CleanDoc[],
  fps: DocFingerprint[],
  edges: Pick<ClusterEdge, 'a' | 'b' | 'relation'>[],
): CanonicalChoice {
  const sorted = ascending(members);
  if (sorted.length === 1) return { index: sorted[0], why: ['only member of its cluster'] };
  const inGroup = new Set(sorted);

  // 1. derivatives
  const derivedFrom = new Map<number, { of: number; share: number; other: number }>();
  for (const e of edges) {
    if (e.relation !== 'exact' && e.relation !== 'near-duplicate') continue;
    if (!inGroup.has(e.a) || !inGroup.has(e.b)) continue;
    const na = fps[e.a].shingleCount;
    const nb = fps[e.b].shingleCount;
    const common = sharedShingles(fps[e.a], fps[e.b]);
    const shareA = na ? common / na : 0; // how much of a is b's text
    const shareB = nb ? common / nb : 0;
    let copy = -1;
    let orig = -1;
    if (shareA > shareB + DIRECTION_MARGIN) [copy, orig] = [e.a, e.b];
    else if (shareB > shareA + DIRECTION_MARGIN) [copy, orig] = [e.b, e.a];
    if (copy < 0) continue;
    const share = copy === e.a ? shareA : shareB;
    const prev = derivedFrom.get(copy);
    if (!prev || share > prev.share) derivedFrom.set(copy, { of: orig, share, other: copy === e.a ? shareB : shareA });
  }
  let pool = sorted.filter((i) => !derivedFrom.has(i));
  const why: string[] = [];
  if (pool.length === 0) pool = sorted; // copies of each other in a cycle: fall through to the other rules

  // 2-4. repairs, content, path
  const rate = new Map(sorted.map((i) => [i, repairRate(docs[i], fps[i])]));
  const bestRate = Math.min(...pool.map((i) => rate.get(i)!));
  const clean = pool.filter((i) => rate.get(i)! <= bestRate + REPAIR_TOLERANCE);
  const ranked = [...clean].sort((x, y) => wordsOf(docs[y], fps[y]) - wordsOf(docs[x], fps[x]) || x - y);
  const index = ranked[0];

  // reasons
  const copies = [...derivedFrom.entries()].filter(([, d]) => d.of === index);
  if (copies.length) {
    for (const [c, d] of copies)
      why.push(
        `original of ${label(docs, c)}: ${Math.round(d.share * 100)}% of its word 3-grams come from here (only ${Math.round(d.other * 100)}% the other way)`,
      );
  }
  const derivatives = sorted.filter((i) => derivedFrom.has(i) && derivedFrom.get(i)!.of !== index);
  for (const c of derivatives) why.push(`${label(docs, c)} is a copy of ${label(docs, derivedFrom.get(c)!.of)}, not an original`);
  const dirty = pool.filter((i) => !clean.includes(i));
  if (dirty.length)
    why.push(
      `fewer repair artifacts: ${rate.get(index)!.toFixed(1)} per 1000 words, against ${dirty
        .map((i) => `${rate.get(i)!.toFixed(1)} (${label(docs, i)})`)
        .join(', ')}`,
    );
  const others = clean.filter((i) => i !== index);
  if (others.length) {
    const w = wordsOf(docs[index], fps[index]);
    const tie = others.filter((i) => wordsOf(docs[i], fps[i]) === w);
    if (tie.length) why.push(`as long as ${tie.map((i) => label(docs, i)).join(', ')} (${w} words); first by path`);
    const shorter = others.filter((i) => wordsOf(docs[i], fps[i]) < w);
    if (shorter.length)
      why.push(`most content: ${w} words, against ${shorter.map((i) => `${wordsOf(docs[i], fps[i])} (${label(docs, i)})`).join(', ')}`);
  }
  if (!why.length) why.push('first by path');
  return { index, why };
}
