// Tokenisation shared by fingerprinting and the background-vocabulary script.
// Two views of a text:
//  - `plainWords`: the normalised word sequence for exact hashing and shingles
//    (lower case, diacritics stripped, every run of non-letters/digits is a separator);
//  - `analyse`: content terms for event matching, with a flag for proper names
//    (capitalised words not at a sentence start), numbers, dates, quotations.

const MARKS = /\p{M}+/gu;
const SPLIT = /[^\p{L}\p{N}]+/u;

/** Lower case, NFD with combining marks removed. */
export function fold(s: string): string {
  // fast path: plain ASCII needs no Unicode normalisation
  if (ASCII.test(s)) return s.toLowerCase();
  return s.normalize('NFD').replace(MARKS, '').toLowerCase();
}
const ASCII = /^[\x00-\x7f]*$/;

/** Normalised word sequence (case, punctuation, whitespace and diacritics ignored). */
export function plainWords(text: string): string[] {
  const out = fold(text).split(SPLIT);
  let w = 0;
  for (let i = 0; i < out.length; i++) if (out[i]) out[w++] = out[i];
  out.length = w;
  return out;
}

export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all almost also although am among an and another any are around as at be because been ' +
    'before being below between both but by can cannot could did do does doing done down during each either else even ever every ' +
    'few for from further get gets got had has have having he her here hers herself him himself his how however i if in into ' +
    'is it its itself just least less let like made make many may me might more most much must my myself neither no nor not now ' +
    'of off often on once one only or other others our ours ourselves out over own per perhaps put quite rather really said same ' +
    'say says see seen several shall she should since so some still such than that the their theirs them themselves then there ' +
    'these they this those though through thus to too toward towards under until up upon us very via was we well were what ' +
    'when where whether which while who whom whose why will with within without would yet you your yours yourself ' +
    'mr mrs ms dr st inc co corp ltd jr sr gen sen rep gov lt col sgt capt prof rev mt ft vs etc ' +
    'told according including says added also just new two three four five first second last next year years time times ' +
    'day days week weeks month months people percent'
  ).split(' '),
);

export const WEEKDAYS: ReadonlySet<string> = new Set([
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
]);
export const MONTHS: ReadonlySet<string> = new Set([
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);
/** Capitalised words that are not names even mid-sentence. */
const NOT_NAMES: ReadonlySet<string> = new Set(['i', 'tv', 'ok', 'am', 'pm']);
const ABBREV: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'dr', 'st', 'gen', 'sen', 'rep', 'gov', 'lt', 'col', 'sgt', 'capt', 'jr', 'sr', 'prof', 'rev', 'mt',
  'ft', 'no', 'vs', 'inc', 'co', 'corp', 'ltd', 'lt', 'maj', 'adm', 'cmdr', 'supt', 'det', 'insp', 'pres',
]);

/** Light English plural stripping, enough to match "hostage"/"hostages", "talk"/"talks", "city"/"cities". */
export function stem(w: string): string {
  const n = w.length;
  if (n > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (n > 5 && w.endsWith('ing')) return undouble(w.slice(0, -3));
  if (n > 4 && w.endsWith('ed') && !w.endsWith('eed')) return undouble(w.slice(0, -2));
  if (n > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return dropE(w.slice(0, -1));
  return dropE(w);
}

function dropE(w: string): string {
  return w.length > 4 && w.endsWith('e') && !w.endsWith('ee') ? w.slice(0, -1) : w;
}

/** "shipp" -> "ship", "stopp" -> "stop"; also drop a final e so "arrive"/"arrived" meet at "arriv". */
function undouble(w: string): string {
  const n = w.length;
  if (n > 2 && w[n - 1] === w[n - 2] && !'lsz'.includes(w[n - 1])) return w.slice(0, -1);
  return w;
}

export const KIND_NAME = 1;
export const KIND_NUMBER = 2;
export const KIND_DATE = 4;
export const KIND_TITLE = 8;

export interface TermHit {
  /** Normalised term (folded, plural-stripped; hyphenated words also give their parts). */
  term: string;
  kind: number;
}

export interface Analysis {
  terms: TermHit[];
  /** Display forms of proper names (original capitalisation), in order of first appearance. */
  names: string[];
  /** Normalised words inside quotation marks, one array per quotation. */
  quotes: string[][];
}

const TOKEN = /[\p{L}\p{N}]+(?:[’'.\-][\p{L}\p{N}]+)*/gu;
const OPENERS = /[“«"„‘:;]/;
const ENDERS = /[.!?…]/;
const DIGIT_RE = /\p{N}/u;
/** Whether a string holds a digit of any script: a plain scan for ASCII, the Unicode class otherwise. */
function hasDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
    if (c >= 128) return DIGIT_RE.test(s);
  }
  return false;
}
const DIGIT = { test: hasDigit };
const UPPER = /^\p{Lu}/u;

/**
 * A headline-case line ("Magnitude 4.6 Earthquake Shakes Up North Bay"): a short line, one sentence at most, whose
 * longer content words are (nearly) all capitalised, so a capital says nothing about names there.
 */
export function isHeadlineCase(line: string): boolean {
  if (line.length > 200 || /[.!?]\s+\p{Lu}/u.test(line)) return false;
  let caps = 0;
  let lower = 0;
  for (const m of line.matchAll(WORDISH)) {
    const w = m[0];
    if (w.length < 4 || STOPWORDS.has(w.toLowerCase())) continue;
    if (UPPER.test(w)) caps++;
    else lower++;
  }
  return caps >= 3 && lower * 4 <= caps;
}
const WORDISH = /\p{L}+/gu;

/** Term forms of one raw token: folded, possessive and dots removed; hyphenated words give parts and the joined form. */
export function termForms(raw: string): string[] {
  // capitalised words (names, sentence starts) are not plural-stripped: "Hamas", "Burns"
  const st = UPPER.test(raw) ? (w: string) => w : stem;
  let f = fold(raw);
  if (f.includes("'") || f.includes('’')) f = f.replace(/['’]s$/, '').replace(/['’]/g, '');
  if (f.includes('.')) {
    // U.S. -> us, C.I.A -> cia; 9.5 stays a number
    f = /^\d+(\.\d+)*$/.test(f) ? f : f.replace(/\./g, '');
  }
  if (!f.includes('-')) return f ? [DIGIT.test(f) ? f : st(f)] : [];
  const parts = f.split('-').filter(Boolean);
  const out = parts.map((p) => (DIGIT.test(p) ? p : st(p)));
  out.push(st(parts.join('')));
  return out;
}

/**
 * Analyse paragraphs (and an optional title) into content terms.
 * A capitalised token is a name when it is not at a sentence start (after an abbreviation or an initial it is not a
 * start); a sentence-initial capitalised token also counts when the same word is a name elsewhere in the text.
 * The title is analysed by the same rules, as the line before the first paragraph (it was one before the cleaner
 * lifted it): the same names, numbers, dates and term forms; its terms are also flagged KIND_TITLE.
 */
export function analyse(paragraphs: readonly string[], title: string | null): Analysis {
  const terms: TermHit[] = [];
  const nameSet = new Set<string>();
  const names: string[] = [];
  const quotes: string[][] = [];
  // capitalised tokens whose capital is no evidence of a name (sentence starts, headline-case lines): a name only when
  // the same word is a name elsewhere; otherwise an ordinary word, stemmed like any lower-case word
  const pendingStarts: { idx: number; key: string; stemmed: string }[] = [];

  const n = paragraphs.length + (title ? 1 : 0);
  for (let pi = 0; pi < n; pi++) {
    const para = title ? (pi === 0 ? title : paragraphs[pi - 1]) : paragraphs[pi];
    const flag = title && pi === 0 ? KIND_TITLE : 0;
    const headline = isHeadlineCase(para);
    let prevEnd = 0;
    let prevRaw = '';
    let first = true;
    let inQuote = false;
    let quote: string[] = [];
    TOKEN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = TOKEN.exec(para)) !== null) {
      const raw = m[0];
      const gap = para.slice(prevEnd, m.index);
      // quotation tracking
      for (const ch of gap) {
        if (ch === '“' || ch === '«' || ch === '„') {
          if (inQuote && quote.length) quotes.push(quote);
          inQuote = true;
          quote = [];
        } else if (ch === '”' || ch === '»') {
          if (inQuote && quote.length) quotes.push(quote);
          inQuote = false;
          quote = [];
        } else if (ch === '"') {
          if (inQuote && quote.length) quotes.push(quote);
          inQuote = !inQuote;
          quote = [];
        }
      }
      const afterAbbrev =
        prevRaw !== '' &&
        gap.trim() === '.' &&
        (prevRaw.length === 1 || prevRaw.includes('.') || ABBREV.has(fold(prevRaw).replace(/['’]s$/, '')));
      const start = first || ((ENDERS.test(gap) && !afterAbbrev) || OPENERS.test(gap));
      first = false;
      prevEnd = m.index + raw.length;
      prevRaw = raw;

      const forms = termForms(raw);
      if (inQuote) for (const f of plainWords(raw)) quote.push(f);
      const isCap = UPPER.test(raw);
      for (const t of forms) {
        if (t.length < 2 && !DIGIT.test(t)) continue;
        let kind = 0;
        if (DIGIT.test(t)) {
          kind = KIND_NUMBER;
          if (/^(1[89]|20)\d\d$/.test(t)) kind |= KIND_DATE;
        } else if (WEEKDAYS.has(t) || (MONTHS.has(t) && (isCap || t.length > 3))) {
          kind = KIND_DATE;
        } else if (STOPWORDS.has(t)) {
          continue;
        } else if (isCap && !NOT_NAMES.has(t)) {
          if (!start && !headline) {
            kind = KIND_NAME;
            if (!nameSet.has(t)) {
              nameSet.add(t);
              names.push(raw.replace(/['’]s$/, ''));
            }
          } else {
            pendingStarts.push({ idx: terms.length, key: t, stemmed: stem(t) });
          }
        }
        terms.push({ term: t, kind: kind | flag });
      }
    }
    if (inQuote && quote.length) quotes.push(quote);
  }
  for (const p of pendingStarts) {
    if (nameSet.has(p.key)) terms[p.idx].kind |= KIND_NAME;
    else terms[p.idx].term = p.stemmed;
  }
  return { terms, names, quotes };
}
