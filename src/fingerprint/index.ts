// FINGERPRINT stage: one compact, pure summary per cleaned document.
// Everything is typed arrays except a few short display strings kept for explanations.
import type { CleanDoc } from '../types.js';
import { combine, hash64Hex, hashString, intersectSize, sortUnique } from './hash.js';
import { minhash } from './minhash.js';
import { analyse, KIND_NAME, KIND_NUMBER, KIND_DATE, KIND_TITLE, plainWords } from './tokenize.js';
import { backgroundIdf, termHash } from './vocab.js';

export { KIND_NAME, KIND_NUMBER, KIND_DATE, KIND_TITLE } from './tokenize.js';
export { termHash, backgroundVocab, type BackgroundVocab } from './vocab.js';
export { minhash, estimateJaccard, bandKeys, MINHASH_SLOTS, LSH_BANDS, LSH_ROWS } from './minhash.js';
export { intersectSize, hashString, fmix32 } from './hash.js';

/** Word n-gram size of the shingles (3: about 30% resemblance on edited news copies, RESEARCH.md). */
export const SHINGLE_N = 3;
/**
 * At most this many word 3-gram hashes are kept per document (16 KB): the smallest, a sample of the hash space that
 * every document cuts the same way, so two sketches still count what they share (sharedShingles). News articles stay
 * whole (4,096 3-grams is about 4,000 words); a book-length page no longer costs memory in proportion to its length.
 */
export const SHINGLE_CAP = 4096;
/** The same for the 3-grams inside quotation marks (4 KB): an interview transcript's quotes are most of its text. */
export const QUOTE_CAP = 1024;
/** At most this many distinct content terms are kept per document (highest tf × background idf). */
export const MAX_TERMS = 320;
/** At most this many display labels (names, numbers, distinctive words) are kept for explanations. */
export const MAX_LABELS = 40;

export interface DocFingerprint {
  /** 64-bit hex hash of the normalised text (title + body; case, whitespace, punctuation, diacritics ignored). */
  exact: string;
  /** Normalised word count (title + body). */
  words: number;
  /** Sorted unique 32-bit hashes of word 3-grams (title + body): all of them, or the SHINGLE_CAP smallest. */
  shingles: Uint32Array;
  /** How many distinct 3-grams the text has (more than shingles.length when the sketch was cut). */
  shingleCount: number;
  /** One-permutation MinHash signature (MINHASH_SLOTS slots) of all the 3-grams (not only the sketch). */
  minhash: Uint32Array;
  /** Sorted unique hashes (termHash) of content terms. */
  terms: Uint32Array;
  /** Occurrences of each term (parallel to `terms`; title occurrences included). */
  counts: Uint16Array;
  /** KIND_* flags of each term, OR-ed over occurrences (parallel to `terms`). */
  kinds: Uint8Array;
  /** Sorted unique hashes of word 3-grams inside quotation marks: all of them, or the QUOTE_CAP smallest. */
  quotes: Uint32Array;
  /** How many distinct quotation 3-grams the text has. */
  quoteCount: number;
  /** Sorted unique hashes of the title's content terms (empty without a title). */
  title: Uint32Array;
  /**
   * Publication day (days since 1970-01-01, UTC) from meta.date, or null; null too when that date was a line of the
   * body (a date line): its day is then among the named dates (`calendar`) and its year, month and weekday among the
   * terms, as before cleaning.
   */
  day: number | null;
  /** Calendar dates the text names ("March 4", "4 March"), as sorted unique days of the year (1..366). */
  calendar: Uint16Array;
  /**
   * Display forms of the most distinctive names, numbers and words, for explanations, one a line (one string,
   * not forty: a corpus holds hundreds of thousands of fingerprints). See `labelList`.
   */
  labels: string;
}

/** Word n-gram hashes of a normalised word sequence (unigrams when shorter than n). */
export function shingleHashes(words: readonly string[], n = SHINGLE_N): Uint32Array {
  const wh = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) wh[i] = hashString(words[i]);
  if (words.length < n) return sortUnique(wh);
  const out = new Uint32Array(words.length - n + 1);
  for (let i = 0; i + n <= words.length; i++) {
    let h = wh[i];
    for (let k = 1; k < n; k++) h = combine(h, wh[i + k]);
    out[i] = h;
  }
  return sortUnique(out);
}

/** The largest hash a sketch (the smallest `count` hashes, or fewer) holds all of: every 32-bit value when uncut. */
function sketchCut(sketch: Uint32Array, count: number): number {
  return sketch.length < count ? sketch[sketch.length - 1] : 0xffffffff;
}

/**
 * How many hashes two sets share, from their sketches (sorted, the smallest of each set) and true sizes: exact when
 * neither sketch was cut. Otherwise the hashes shared below the lower of the two cuts (both sketches hold every hash
 * there, so intersecting the sorted arrays counts exactly those), scaled by the share of the hash space below it.
 */
export function sharedHashes(a: Uint32Array, na: number, b: Uint32Array, nb: number): number {
  const below = intersectSize(a, b);
  const cut = Math.min(sketchCut(a, na), sketchCut(b, nb));
  if (cut === 0xffffffff) return below;
  return Math.min(Math.round((below * 2 ** 32) / (cut + 1)), na, nb);
}

/** How many word 3-grams two documents share (sharedHashes of their shingle sketches). */
export function sharedShingles(a: Pick<DocFingerprint, 'shingles' | 'shingleCount'>, b: Pick<DocFingerprint, 'shingles' | 'shingleCount'>): number {
  return sharedHashes(a.shingles, a.shingleCount, b.shingles, b.shingleCount);
}

/** Day number of an ISO-like date string, or null. */
export function dayNumber(date: string | null): number | null {
  if (!date) return null;
  const t = Date.parse(date);
  if (Number.isNaN(t)) return null;
  return Math.floor(t / 86_400_000);
}

const MONTH_INDEX: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};
const MONTH_START = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];
const MONTH_WORD = '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
// "March 4", "Mar. 4th", "4 March": a capitalised month next to a day number. No nested quantifiers.
const MONTH_DAY = new RegExp(`\\b${MONTH_WORD}\\.? (\\d{1,2})(?:st|nd|rd|th)?\\b|\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH_WORD}\\b`, 'g');

/**
 * The calendar dates a text names, as days of the year. Two write-ups of one event name the same
 * day (or days close to it); two events of the same kind months apart name different ones.
 */
export function calendarDays(text: string): Uint16Array {
  const days = new Set<number>();
  for (const m of text.matchAll(MONTH_DAY)) {
    const month = MONTH_INDEX[(m[1] ?? m[4]).slice(0, 3).toLowerCase()];
    const day = Number(m[2] ?? m[3]);
    if (month === undefined || day < 1 || day > 31) continue;
    days.add(MONTH_START[month] + day);
  }
  return Uint16Array.from([...days].sort((a, b) => a - b));
}

// A line that is only a date or time stamp ("Updated 4/9/2007 6:04 PM", "21 July 2013 Last updated at 11:11 GMT"):
// digits, punctuation, month and weekday names, and time-stamp words only.
const STAMP_WORD = new RegExp(
  `^(?:${MONTH_WORD}|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|st|nd|rd|th|[ap]m?|updated|published|posted|modified|last|at|on|date|[a-z]{1,3}t|utc|gmt|z)$`,
  'i',
);
const STAMP_DIGIT = /\d/;
export function isTimeStamp(line: string): boolean {
  if (line.length > 100 || !STAMP_DIGIT.test(line)) return false;
  for (const w of line.split(/[^\p{L}]+/u)) if (w && !STAMP_WORD.test(w)) return false;
  return true;
}

/**
 * The article's own words that the cleaner lifted out of the body as metadata: the standfirst (meta.dek) and the
 * date lines and time stamps it removed (a time stamp may go as a site-template line). They are evidence of what the
 * article says and when, as they were before cleaning, so the event terms and the named dates read them like the body
 * (copy detection does not: shingles and the exact hash stay title + body). `fromBody` tells that meta.date is one
 * of them, so the publication day is not counted a second time.
 */
export function liftedLines(doc: CleanDoc): { lines: string[]; fromBody: boolean } {
  const lines: string[] = [];
  if (doc.meta.dek && doc.meta.dek.trim() && !doc.paragraphs.includes(doc.meta.dek)) lines.push(doc.meta.dek);
  let fromBody = false;
  const date = doc.meta.date;
  for (const r of doc.removed) {
    if (r.rule === 'date-line' || (r.rule === 'template-line' && isTimeStamp(r.text))) {
      lines.push(r.text);
      if (date && r.text.includes(date)) fromBody = true;
    }
  }
  return { lines, fromBody };
}

export function fingerprint(doc: CleanDoc): DocFingerprint {
  const title = doc.meta.title && doc.meta.title.trim() ? doc.meta.title : null;
  const words = plainWords((title ? title + '\n' : '') + doc.paragraphs.join('\n'));
  const exact = hash64Hex(words.join(' '));
  const allShingles = shingleHashes(words);
  // MinHash over every 3-gram; only the sketch is kept.
  const sig = minhash(allShingles);
  const shingles = allShingles.length > SHINGLE_CAP ? allShingles.subarray(0, SHINGLE_CAP) : allShingles;

  const lifted = liftedLines(doc);
  const body = lifted.lines.length ? [...doc.paragraphs, ...lifted.lines] : doc.paragraphs;
  const a = analyse(body, title);
  // aggregate terms
  const agg = new Map<string, { count: number; kind: number }>();
  for (const t of a.terms) {
    const e = agg.get(t.term);
    if (e) {
      e.count++;
      e.kind |= t.kind;
    } else agg.set(t.term, { count: 1, kind: t.kind });
  }
  const ranked: { term: string; hash: number; count: number; kind: number; w: number }[] = [];
  for (const [term, e] of agg) {
    const hash = termHash(term);
    const boost = e.kind & KIND_NAME ? 2 : e.kind & KIND_NUMBER ? 1.5 : 1;
    ranked.push({ term, hash, count: e.count, kind: e.kind, w: (1 + Math.log(e.count)) * backgroundIdf(hash) * boost });
  }
  ranked.sort((x, y) => y.w - x.w || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  // The kept terms by hash (ties in rank order): one numeric sort of packed keys (hash, rank < 1024 = MAX_TERMS bound).
  const top = Math.min(MAX_TERMS, ranked.length);
  const order = new Float64Array(top);
  for (let i = 0; i < top; i++) order[i] = ranked[i].hash * 1024 + i;
  order.sort();
  const kept = Array.from(order, (k) => ranked[k % 1024]);
  // two different terms may collide on a hash: merge them
  const terms: number[] = [];
  const counts: number[] = [];
  const kinds: number[] = [];
  for (const k of kept) {
    const last = terms.length - 1;
    if (last >= 0 && terms[last] === k.hash) {
      counts[last] = Math.min(65535, counts[last] + k.count);
      kinds[last] |= k.kind;
    } else {
      terms.push(k.hash);
      counts.push(Math.min(65535, k.count));
      kinds.push(k.kind);
    }
  }

  const titleHashes: number[] = [];
  for (const k of kept) if (k.kind & KIND_TITLE) titleHashes.push(k.hash);

  const quoteShingles: number[] = [];
  for (const q of a.quotes) for (const h of shingleHashes(q)) quoteShingles.push(h);
  const allQuotes = sortUnique(quoteShingles);
  const quotes = allQuotes.length > QUOTE_CAP ? allQuotes.subarray(0, QUOTE_CAP) : allQuotes;

  // labels: names first (in order of appearance, if distinctive), then top-ranked numbers/words
  const labels: string[] = [];
  const seen = new Set<string>();
  for (const r of ranked) {
    if (labels.length >= MAX_LABELS) break;
    if (r.kind & (KIND_NAME | KIND_NUMBER | KIND_DATE) || labels.length < MAX_LABELS / 2) {
      if (!seen.has(r.term)) {
        seen.add(r.term);
        labels.push(r.term);
      }
    }
  }

  const [u32, u16, u8] = packArrays(
    [shingles, sig, terms, quotes, sortUnique(titleHashes)],
    [counts, calendarDays((title ? title + '\n' : '') + body.join('\n'))],
    [kinds],
  );
  return {
    exact,
    words: words.length,
    shingles: u32[0],
    shingleCount: allShingles.length,
    minhash: u32[1],
    terms: u32[2],
    counts: u16[0],
    kinds: u8[0],
    quotes: u32[3],
    quoteCount: allQuotes.length,
    title: u32[4],
    day: lifted.fromBody ? null : dayNumber(doc.meta.date),
    calendar: u16[1],
    labels: labels.join('\n'),
  };
}

/**
 * Copies a fingerprint's arrays into views of one buffer. A corpus holds hundreds of thousands of
 * fingerprints: one allocation each instead of nine saves about a third of their memory, and the
 * garbage collector tracks one buffer per document.
 */
export function packArrays(
  u32: readonly ArrayLike<number>[],
  u16: readonly ArrayLike<number>[],
  u8: readonly ArrayLike<number>[],
): [Uint32Array[], Uint16Array[], Uint8Array[]] {
  const sum = (xs: readonly ArrayLike<number>[]) => xs.reduce((n, x) => n + x.length, 0);
  const bytes = sum(u32) * 4 + sum(u16) * 2 + sum(u8);
  const buffer = new ArrayBuffer(bytes);
  let offset = 0;
  const place = <T extends Uint32Array | Uint16Array | Uint8Array>(make: (b: ArrayBuffer, o: number, n: number) => T, width: number, xs: readonly ArrayLike<number>[]): T[] =>
    xs.map((x) => {
      const view = make(buffer, offset, x.length);
      view.set(x);
      offset += x.length * width;
      return view;
    });
  return [
    place((b, o, n) => new Uint32Array(b, o, n), 4, u32),
    place((b, o, n) => new Uint16Array(b, o, n), 2, u16),
    place((b, o, n) => new Uint8Array(b, o, n), 1, u8),
  ];
}

/** A fingerprint's labels as a list. */
export function labelList(fp: Pick<DocFingerprint, 'labels'>): string[] {
  return fp.labels ? fp.labels.split('\n') : [];
}
