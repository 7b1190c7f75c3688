// Corpus-level boilerplate: lines of a site's template recur across unrelated stories.

import { fmix32, hashString } from '../fingerprint/hash.js';

const NON_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
const DIGITS = /\p{N}+/gu;
const BUF = new Uint16Array(512);
// For U+0080–U+024F: the lower-case code of a letter, GAP for punctuation, symbols and spaces,
// SLOW for digits and marks (²,½,…) which take the Unicode path.
const GAP = 0;
const SLOW = 0xffff;
const LATIN = new Uint16Array(0x250);
for (let c = 0x80; c < 0x250; c++) {
  const ch = String.fromCharCode(c);
  if (/\p{L}/u.test(ch)) {
    const lo = ch.toLowerCase();
    LATIN[c] = lo.length === 1 ? lo.charCodeAt(0) : SLOW;
  } else LATIN[c] = /[\p{N}\p{M}]/u.test(ch) ? SLOW : GAP;
}

/** Normalised key of a line: case folded, digits folded to "0", punctuation and spacing folded. */
export function lineKey(line: string): string {
  // Hot path (runs on most lines): one pass over ASCII; anything else takes the Unicode regexes.
  const n = line.length;
  if (n > BUF.length) return unicodeKey(line);
  let len = 0;
  let gap = false;
  let digit = false;
  for (let i = 0; i < n; i++) {
    let c = line.charCodeAt(i);
    if (c >= 128) {
      // Typographic punctuation (quotes, dashes, NBSP, ellipsis) is a gap like ASCII punctuation.
      const cls = c < 0x250 ? LATIN[c] : c >= 0x2000 && c <= 0x206f ? GAP : SLOW;
      if (cls === SLOW) return unicodeKey(line);
      if (cls === GAP) {
        digit = false;
        gap = len > 0;
        continue;
      }
      c = cls;
      digit = false;
      if (gap) {
        BUF[len++] = 32;
        gap = false;
      }
      BUF[len++] = c;
      continue;
    }
    if (c >= 48 && c <= 57) {
      if (digit) continue;
      c = 48;
      digit = true;
    } else {
      digit = false;
      if (c >= 65 && c <= 90) c += 32;
      else if (c < 97 || c > 122) {
        gap = len > 0;
        continue;
      }
    }
    if (gap) {
      BUF[len++] = 32;
      gap = false;
    }
    BUF[len++] = c;
  }
  return String.fromCharCode.apply(null, BUF.subarray(0, len) as unknown as number[]);
}

function unicodeKey(line: string): string {
  return line.toLowerCase().replace(DIGITS, '0').replace(NON_WORD, ' ').trim();
}

/** Template candidates are short-ish lines; long lines are article prose (and shared prose between
 *  two write-ups, e.g. a background paragraph, must never become "template"). */
export const TEMPLATE_MAX_CHARS = 160;
const TEMPLATE_MAX_WORDS = 24;
/** Below this many words a line needs more unrelated documents to count (nav items, labels). */
const SHORT_WORDS = 4;
const SENTENCE_END = /[.!?…]["”’)]*$/;
/** Appended to the template key of a line that is a sentence. */
const SENTENCE_MARK = '.';

function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const sp = s.charCodeAt(i) === 0x20;
    if (!sp && !inWord) n++;
    inWord = !sp;
  }
  return n;
}

/** The key of a line if it may be a template line, else null. Used by both the corpus pass and cleanText. */
export function templateCandidateKey(line: string): string | null {
  const t = line.trim();
  if (t.length < 3 || t.length > TEMPLATE_MAX_CHARS) return null;
  const key = lineKey(t);
  if (key.length < 3) return null;
  const words = wordCount(key);
  if (words > TEMPLATE_MAX_WORDS) return null;
  // A short sentence ("He said.", "It worked.") recurs by chance in unrelated stories: not a template.
  if (words < 6 && SENTENCE_END.test(t)) return null;
  // a whole sentence is marked (no line key ends so), for findTemplateLines to ask more of it
  return SENTENCE_END.test(t) ? key + SENTENCE_MARK : key;
}

/** Keys of a document's lines that could be template lines (each once). */
export function candidateTemplateLines(text: string): string[] {
  const seen = new Set<string>();
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start >= 3 && end - start <= TEMPLATE_MAX_CHARS + 40) {
      const key = templateCandidateKey(text.slice(start, end));
      if (key !== null) seen.add(key);
    }
    start = end + 1;
  }
  return [...seen];
}

/**
 * Keys that recur across documents of different near-copy groups.
 * A group is one story's copies: lines shared only inside a group are the story's own text.
 * Thresholds: a line of ≥ 4 words must appear in ≥ 2 groups and ≥ 3 documents (two unrelated
 * documents sharing one line can be coincidence or a shared quote; a third makes it a template);
 * a shorter line (a nav item, a label) must appear in ≥ 3 different groups, because short lines
 * recur by chance more easily.
 */
/** Documents a sentence-shaped line must recur in to count as a template line. */
const SENTENCE_DOCS = 5;

export function findTemplateLines(docs: Iterable<{ keys: readonly string[]; group: number }>): Set<string> {
  return templateLinesAndHolders(docs).lines;
}

/**
 * findTemplateLines, and which documents (by their place in `docs`) hold a template line among their `open` keys (those
 * on lines no rule removed: the documents a second pass changes). Known from the one pass over every document's keys,
 * so that a corpus's keys are not read a second time to find them.
 */
export function templateLinesAndHolders(docs: Iterable<{ keys: readonly string[]; open?: readonly string[]; group: number }>): { lines: Set<string>; holders: number[] } {
  const list = [...docs];
  const found = templateHashesAndHolders(list.length, (d, into) => {
    Object.assign(into, keyHashes(list[d].keys, list[d].open ?? []));
    into.group = list[d].group;
  });
  return { lines: templateLineKeys(found.lines, (d) => list[d].keys), holders: found.holders };
}

/**
 * A template line as the counting pass finds it: its key's hash (keyHashes) and the first document that holds it, where
 * its text is read (templateLineKeys).
 */
export interface TemplateLineHash {
  hi: number;
  lo: number;
  doc: number;
}

/**
 * A document's template keys as the counting pass reads them: from byte `at` of `view`, 8 bytes a key (its hash's hi
 * and lo, little-endian u32 each), `keys` of them and then `open` more (its open keys').
 */
export interface KeyHashes {
  view: DataView;
  at: number;
  keys: number;
  open: number;
}

/** Bytes a key's hash takes in KeyHashes. */
export const KEY_HASH_BYTES = 8;

/**
 * Each key as two 32-bit numbers (hi, lo) of a 64-bit hash of its text, with what the rules ask of it in lo's two low
 * bits: below SHORT_WORDS words (bit 0), a whole sentence (bit 1). A cached result keeps these bytes beside its keys'
 * text, so that a run counts a corpus's keys without making a string of each (a warm run over 10,000 articles meets
 * about 100,000). Two keys whose hashes agree in all 62 bits count as one: about one corpus in 10^7 with a million
 * distinct keys, as for the exact-copy hash.
 */
export function keyHashes(keys: readonly string[], open: readonly string[] = []): KeyHashes {
  const view = new DataView(new ArrayBuffer(KEY_HASH_BYTES * (keys.length + open.length)));
  let at = 0;
  for (const list of [keys, open]) {
    for (const key of list) {
      const flags = (wordCount(key) < SHORT_WORDS ? 1 : 0) | (key.endsWith(SENTENCE_MARK) ? 2 : 0);
      view.setUint32(at, hashString(key, 0x5bd1e995), true);
      view.setUint32(at + 4, ((hashString(key, 0x27d4eb2f ^ key.length) & ~3) | flags) >>> 0, true);
      at += KEY_HASH_BYTES;
    }
  }
  return { view, at: 0, keys: keys.length, open: open.length };
}

/**
 * templateLinesAndHolders over the keys' hashes of `n` documents, each put by `fill(d, into)` into one record reused
 * for all (a cached result's are read where they lie in the cache's bytes: nothing is made per document): the template
 * lines as hashes, each with the first document holding it, for templateLineKeys to read its text from.
 */
export function templateHashesAndHolders(n: number, fill: (d: number, into: KeyHashes & { group: number }) => void): { lines: TemplateLineHash[]; holders: number[] } {
  // Each distinct key gets a number, in order of first appearance; its counts live in typed arrays.
  const stats = new KeyStats();
  // each document's open keys, by number: openIds[openStart[d] .. openStart[d + 1])
  const openIds: number[] = [];
  const openStart: number[] = [0];
  const doc: KeyHashes & { group: number } = { view: new DataView(new ArrayBuffer(0)), at: 0, keys: 0, open: 0, group: 0 };
  for (let d = 0; d < n; d++) {
    fill(d, doc);
    const { view, group } = doc;
    const keysEnd = doc.at + KEY_HASH_BYTES * doc.keys;
    for (let k = doc.at; k < keysEnd; k += KEY_HASH_BYTES) stats.count(stats.idOf(view.getUint32(k, true), view.getUint32(k + 4, true), d), d, group);
    // an open key is one of the document's keys; one that is not was never counted, so it is no template line
    for (let k = keysEnd; k < keysEnd + KEY_HASH_BYTES * doc.open; k += KEY_HASH_BYTES) {
      const id = stats.find(view.getUint32(k, true), view.getUint32(k + 4, true));
      if (id >= 0) openIds.push(id);
    }
    openStart.push(openIds.length);
  }
  const lines: TemplateLineHash[] = [];
  const isLine = new Uint8Array(stats.size);
  for (let id = 0; id < stats.size; id++) {
    const groups = stats.groupCount[id];
    const docCount = stats.docs[id];
    // every rule below asks for two groups at least
    if (groups < 2) continue;
    const lo = stats.lo[id];
    const short = (lo & 1) !== 0;
    if (short ? groups >= 3 : docCount >= 3) {
      // A whole sentence ("The cause of the fire is under investigation.") is what news stories repeat by
      // themselves: it takes three stories and five documents to count as a site's template.
      if ((lo & 2) !== 0 && (groups < 3 || docCount < SENTENCE_DOCS)) continue;
      lines.push({ hi: stats.hi[id], lo, doc: stats.firstDoc[id] });
      isLine[id] = 1;
    }
  }
  const holders: number[] = [];
  if (lines.length > 0) {
    for (let h = 0; h + 1 < openStart.length; h++) {
      for (let k = openStart[h]; k < openStart[h + 1]; k++) {
        if (isLine[openIds[k]]) {
          holders.push(h);
          break;
        }
      }
    }
  }
  return { lines, holders };
}

/**
 * The text of each template line found by hash, in the order found, read from the keys of the first document holding
 * it (`keysOf`, asked once a document).
 */
export function templateLineKeys(lines: readonly TemplateLineHash[], keysOf: (doc: number) => readonly string[]): Set<string> {
  const read = new Map<number, { keys: readonly string[]; hashes: DataView }>();
  const out = new Set<string>();
  for (const line of lines) {
    let held = read.get(line.doc);
    if (!held) {
      const keys = keysOf(line.doc);
      read.set(line.doc, (held = { keys, hashes: keyHashes(keys).view }));
    }
    const { keys, hashes } = held;
    let k = 0;
    while (k < keys.length && !(hashes.getUint32(KEY_HASH_BYTES * k, true) === line.hi && hashes.getUint32(KEY_HASH_BYTES * k + 4, true) === line.lo)) k++;
    // the document was counted holding this hash: its keys must have it
    if (k === keys.length) throw new Error(`a template line's key is not among the keys of the document counted for it (${line.doc})`);
    out.add(keys[k]);
  }
  return out;
}

/**
 * Per key (by number, found by its hash): how many documents hold it, and up to three distinct groups among them
 * (enough to decide), in order of first appearance; the first document that holds it; growable typed arrays, with an
 * open-addressing table from hash to number.
 */
class KeyStats {
  size = 0;
  hi = new Uint32Array(1024);
  lo = new Uint32Array(1024);
  docs = new Uint32Array(1024);
  firstDoc = new Uint32Array(1024);
  groupCount = new Uint8Array(1024);
  groups = new Int32Array(3 * 1024);
  /** The last document counted for each key: a key counts once a document. */
  private lastDoc = new Int32Array(1024);
  /** Slot → key number + 1 (0: empty): a power of two, at least twice the number of keys. */
  private table = new Int32Array(4096);

  /** The number of the key with this hash, or -1. */
  find(hi: number, lo: number): number {
    const mask = this.table.length - 1;
    for (let s = (hi ^ fmix32(lo)) & mask; ; s = (s + 1) & mask) {
      const id = this.table[s] - 1;
      if (id < 0) return -1;
      if (this.hi[id] === hi && this.lo[id] === lo) return id;
    }
  }

  /** The number of the key with this hash, added (first held by `doc`) when it is new. */
  idOf(hi: number, lo: number, doc: number): number {
    const mask = this.table.length - 1;
    let s = (hi ^ fmix32(lo)) & mask;
    for (; ; s = (s + 1) & mask) {
      const id = this.table[s] - 1;
      if (id < 0) break;
      if (this.hi[id] === hi && this.lo[id] === lo) return id;
    }
    if (this.size === this.docs.length) this.grow();
    const id = this.size++;
    this.hi[id] = hi;
    this.lo[id] = lo;
    this.firstDoc[id] = doc;
    this.lastDoc[id] = -1;
    if (this.size * 2 > this.table.length) this.rehash();
    else this.table[s] = id + 1;
    return id;
  }

  count(id: number, doc: number, group: number): void {
    if (this.lastDoc[id] === doc) return;
    this.lastDoc[id] = doc;
    this.docs[id]++;
    const n = this.groupCount[id];
    if (n === 3) return;
    for (let g = 3 * id; g < 3 * id + n; g++) if (this.groups[g] === group) return;
    this.groups[3 * id + n] = group;
    this.groupCount[id] = n + 1;
  }

  private grow(): void {
    const cap = this.docs.length * 2;
    const more = <T extends Uint32Array | Int32Array | Uint8Array>(a: T, n: number): T => {
      const b = new (a.constructor as { new (n: number): T })(n);
      b.set(a);
      return b;
    };
    this.hi = more(this.hi, cap);
    this.lo = more(this.lo, cap);
    this.docs = more(this.docs, cap);
    this.firstDoc = more(this.firstDoc, cap);
    this.groupCount = more(this.groupCount, cap);
    this.groups = more(this.groups, 3 * cap);
    this.lastDoc = more(this.lastDoc, cap);
  }

  /** A table twice as large, every key placed again. */
  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let id = 0; id < this.size; id++) {
      let s = (this.hi[id] ^ fmix32(this.lo[id])) & mask;
      while (table[s] !== 0) s = (s + 1) & mask;
      table[s] = id + 1;
    }
    this.table = table;
  }
}
