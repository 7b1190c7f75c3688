// Corpus-level boilerplate: lines of a site's template recur across unrelated stories.

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
  // Each distinct key gets a number, in order of first appearance; its counts live in typed arrays (a warm run over
  // 10,000 articles meets about 100,000 keys: an object and an array each were most of this pass's time and garbage).
  const idOf = new Map<string, number>();
  const stats = new KeyStats();
  // each document's open keys, by number: openIds[openStart[d] .. openStart[d + 1])
  const openIds: number[] = [];
  const openStart: number[] = [0];
  let d = 0;
  for (const doc of docs) {
    for (const key of doc.keys) {
      let id = idOf.get(key);
      if (id === undefined) idOf.set(key, (id = stats.add(key)));
      stats.count(id, d, doc.group);
    }
    // an open key is one of the document's keys; one that is not was never counted, so it is no template line
    for (const key of doc.open ?? []) {
      const id = idOf.get(key);
      if (id !== undefined) openIds.push(id);
    }
    openStart.push(openIds.length);
    d++;
  }
  const lines = new Set<string>();
  const isLine = new Uint8Array(stats.size);
  for (let id = 0; id < stats.size; id++) {
    const groups = stats.groupCount[id];
    const docCount = stats.docs[id];
    // every rule below asks for two groups at least: the words are counted only then
    if (groups < 2) continue;
    const key = stats.keys[id];
    const short = wordCount(key) < SHORT_WORDS;
    if (short ? groups >= 3 : docCount >= 3) {
      // A whole sentence ("The cause of the fire is under investigation.") is what news stories repeat by
      // themselves: it takes three stories and five documents to count as a site's template.
      if (key.endsWith(SENTENCE_MARK) && (groups < 3 || docCount < SENTENCE_DOCS)) continue;
      lines.add(key);
      isLine[id] = 1;
    }
  }
  const holders: number[] = [];
  if (lines.size > 0) {
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
 * Per key (by number): how many documents hold it, and up to three distinct groups among them (enough to decide), in
 * order of first appearance; growable typed arrays.
 */
class KeyStats {
  size = 0;
  readonly keys: string[] = [];
  docs = new Uint32Array(1024);
  groupCount = new Uint8Array(1024);
  groups = new Int32Array(3 * 1024);
  /** The last document counted for each key: a key counts once a document. */
  private lastDoc = new Int32Array(1024);

  add(key: string): number {
    if (this.size === this.docs.length) this.grow();
    this.keys.push(key);
    this.lastDoc[this.size] = -1;
    return this.size++;
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
    const docs = new Uint32Array(cap);
    docs.set(this.docs);
    this.docs = docs;
    const groupCount = new Uint8Array(cap);
    groupCount.set(this.groupCount);
    this.groupCount = groupCount;
    const groups = new Int32Array(3 * cap);
    groups.set(this.groups);
    this.groups = groups;
    const lastDoc = new Int32Array(cap);
    lastDoc.set(this.lastDoc);
    this.lastDoc = lastDoc;
  }
}
