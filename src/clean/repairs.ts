// Character-level repairs of one line. Words are never changed: only encoding damage, entities,
// invisible characters, whitespace and spacing around punctuation. Each step is prefiltered so the
// common case (clean ASCII prose) costs a few cheap tests per line.

export interface LineRepair {
  repair: string;
  from: string;
  to: string;
}

/** Repair ids, in the order they are applied. */
export const REPAIR_IDS = [
  'mojibake',
  'html-entity',
  'invisible-char',
  'unicode-nfc',
  'whitespace',
  'punctuation-spacing',
  'stray-guillemet',
  'sentence-space',
  'hard-wrap',
] as const;

/** The changed region of `before` → `after`, with a little context, for repair records. */
export function changeSnippet(before: string, after: string, context = 16): { from: string; to: string } {
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  const a = Math.max(0, p - context);
  return {
    from: before.slice(a, Math.min(before.length, before.length - s + context)),
    to: after.slice(a, Math.min(after.length, after.length - s + context)),
  };
}

// ---------------------------------------------------------------- mojibake
// UTF-8 bytes that were decoded as Windows-1252: a lead byte (Â..ô) followed by 1–3 continuation
// bytes, each of which shows up as one of the characters below (0x80–0xBF in Windows-1252).
const CP1252_HIGH: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
  0x02c6: 0x88, 0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91,
  0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98,
  0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b, 0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};
const MOJIBAKE_LEAD = /[\u00C2-\u00F4]/;
/** A byte 0x80-0xBF as Windows-1252 shows it. */
const CONTINUATION = '[\\u0080-\\u00BF\\u0152\\u0153\\u0160\\u0161\\u0178\\u017D\\u017E\\u0192\\u02C6\\u02DC\\u2013\\u2014\\u2018-\\u201A\\u201C-\\u201E\\u2020-\\u2022\\u2026\\u2030\\u2039\\u203A\\u20AC\\u2122]';
const MOJIBAKE_SEQ = new RegExp(`[\\u00C2-\\u00F4]${CONTINUATION}{1,3}`, 'g');
/**
 * "â€" with its third byte lost: Windows-1252 has no character for 0x9D, the last byte of ”, and many scrapers drop
 * it. (Of the others after "â€" with no Windows-1252 character, U+2001, U+200D, U+200F and U+2010, none is common in
 * news text; ” is.)
 */
const LOST_RIGHT_QUOTE = new RegExp(`\u00E2\u20AC(?!${CONTINUATION})`, 'g');
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function cp1252Byte(ch: number): number {
  if (ch < 0x100) return ch;
  return CP1252_HIGH[ch] ?? -1;
}

function fixMojibakeSeq(seq: string): string {
  const lead = seq.charCodeAt(0);
  // The lead byte says how many continuation bytes a real UTF-8 sequence has; it must match exactly.
  const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
  if (seq.length < need + 1) return seq;
  const bytes = new Uint8Array(need + 1);
  for (let i = 0; i <= need; i++) {
    const b = cp1252Byte(seq.charCodeAt(i));
    if (b < 0) return seq;
    bytes[i] = b;
  }
  let decoded: string;
  try {
    decoded = UTF8.decode(bytes);
  } catch {
    return seq;
  }
  return decoded + seq.slice(need + 1);
}

/**
 * The script a repaired character belongs to, for the plausibility check: null for what mojibake of Latin text
 * decodes to (Latin letters, punctuation, currency, letterlike symbols, emoji and other supplementary characters);
 * else a name of its block, such as "cjk" or "ipa".
 */
function decodedScript(ch: string): string | null {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x0250 || (cp >= 0x1e00 && cp < 0x2200) || cp >= 0x10000) return null;
  if (cp < 0x02b0) return 'ipa';
  if (cp >= 0x0370 && cp < 0x0400) return 'greek';
  if (cp >= 0x0400 && cp < 0x0530) return 'cyrillic';
  if (cp >= 0x4e00 && cp < 0xa000) return 'cjk';
  if (cp >= 0xac00 && cp < 0xd7b0) return 'hangul';
  return `block-${cp >> 7}`;
}

/** Whether `text` holds a character of `script` (as decodedScript names it). */
function hasScript(text: string, script: string): boolean {
  for (const ch of text) if (decodedScript(ch) === script) return true;
  return false;
}

/**
 * A line's mojibake sequences, decoded. Correct text can look like one: "é" + no-break space + "»" are the bytes of
 * "頻", "É" + "”" those of "ɔ". So a sequence that decodes to a script other than Latin is repaired only when the
 * line shows that script anyway: outside the sequences, or in another sequence (Russian or Chinese text read as
 * Windows-1252 is a run of them).
 */
function repairMojibakeOnce(line: string): string {
  const found: { at: number; seq: string; fixed: string; script: string | null }[] = [];
  MOJIBAKE_SEQ.lastIndex = 0;
  for (let m = MOJIBAKE_SEQ.exec(line); m; m = MOJIBAKE_SEQ.exec(line)) {
    const fixed = fixMojibakeSeq(m[0]);
    if (fixed !== m[0]) found.push({ at: m.index, seq: m[0], fixed, script: decodedScript(fixed) });
  }
  if (found.length === 0) return line;
  const seen = new Map<string, number>();
  for (const f of found) if (f.script) seen.set(f.script, (seen.get(f.script) ?? 0) + 1);
  let rest = '';
  let pos = 0;
  for (const f of found) {
    rest += line.slice(pos, f.at);
    pos = f.at + f.seq.length;
  }
  rest += line.slice(pos);
  const trusted = (script: string | null) => script === null || seen.get(script)! >= 2 || hasScript(rest, script);
  let out = '';
  pos = 0;
  for (const f of found) {
    out += line.slice(pos, f.at) + (trusted(f.script) ? f.fixed : f.seq);
    pos = f.at + f.seq.length;
  }
  return out + line.slice(pos);
}

export function repairMojibake(line: string): string {
  if (!MOJIBAKE_LEAD.test(line)) return line;
  let out = line.indexOf('\u00E2\u20AC') >= 0 ? line.replace(LOST_RIGHT_QUOTE, '\u201D') : line;
  // Two passes undo text that was mis-decoded twice.
  for (let pass = 0; pass < 2; pass++) {
    const next = repairMojibakeOnce(out);
    if (next === out) break;
    out = next;
    if (!MOJIBAKE_LEAD.test(out)) break;
  }
  return out;
}

// ---------------------------------------------------------------- HTML entities
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0', ensp: '\u2002', emsp: '\u2003',
  thinsp: '\u2009', ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”',
  bdquo: '„', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', hellip: '…', bull: '•', middot: '·',
  copy: '©', reg: '®', trade: '™', deg: '°', plusmn: '±', times: '×', divide: '÷', frac12: '½',
  frac14: '¼', frac34: '¾', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶',
  dagger: '†', Dagger: '‡', prime: '′', Prime: '″', iexcl: '¡', iquest: '¿', shy: '\u00AD',
  zwj: '\u200D', zwnj: '\u200C', lrm: '\u200E', rlm: '\u200F',
  aacute: 'á', Aacute: 'Á', eacute: 'é', Eacute: 'É', iacute: 'í', Iacute: 'Í', oacute: 'ó',
  Oacute: 'Ó', uacute: 'ú', Uacute: 'Ú', agrave: 'à', Agrave: 'À', egrave: 'è', Egrave: 'È',
  igrave: 'ì', ograve: 'ò', ugrave: 'ù', acirc: 'â', Acirc: 'Â', ecirc: 'ê', Ecirc: 'Ê', icirc: 'î',
  ocirc: 'ô', Ocirc: 'Ô', ucirc: 'û', auml: 'ä', Auml: 'Ä', euml: 'ë', iuml: 'ï', ouml: 'ö',
  Ouml: 'Ö', uuml: 'ü', Uuml: 'Ü', yuml: 'ÿ', atilde: 'ã', Atilde: 'Ã', otilde: 'õ', Otilde: 'Õ',
  ntilde: 'ñ', Ntilde: 'Ñ', ccedil: 'ç', Ccedil: 'Ç', aring: 'å', Aring: 'Å', aelig: 'æ', AElig: 'Æ',
  oslash: 'ø', Oslash: 'Ø', szlig: 'ß', eth: 'ð', thorn: 'þ',
};
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,7}));/g;

function decodeEntity(m: string, dec?: string, hex?: string, name?: string): string {
  if (name !== undefined) return NAMED[name] ?? m;
  const cp = dec !== undefined ? parseInt(dec, 10) : parseInt(hex!, 16);
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return m;
  // Numeric references to 0x80–0x9F mean Windows-1252 characters (as browsers read them).
  if (cp >= 0x80 && cp <= 0x9f) {
    for (const [k, v] of Object.entries(CP1252_HIGH)) if (v === cp) return String.fromCodePoint(Number(k));
    return m;
  }
  return String.fromCodePoint(cp);
}

export function repairEntities(line: string): string {
  if (line.indexOf('&') < 0) return line;
  let out = line;
  // Twice, for double-escaped text ("&amp;#8217;").
  for (let pass = 0; pass < 2 && out.indexOf('&') >= 0; pass++) {
    const next = out.replace(ENTITY, decodeEntity);
    if (next === out) break;
    out = next;
  }
  return out;
}

// ---------------------------------------------------------------- invisible characters
// Removed: zero-width space, word joiner, BOM, soft hyphen, bidi marks/embeddings/isolates.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// ZWNJ/ZWJ carry meaning between letters of some scripts and inside emoji: drop them only next to ASCII.
const JOINERS = /[\u200C\u200D](?=[\x00-\x7F]|$)|(?<=[\x00-\x7F]|^)[\u200C\u200D]/g;
const ODD_SPACE = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g;
const NON_ASCII = /[^\x00-\x7F]/;

const ANY_INVISIBLE = /[\u00A0\u00AD\u2000-\u200F\u202A-\u202F\u205F\u2060\u2066-\u2069\u3000\uFEFF]/;

export function repairInvisible(line: string): string {
  if (!ANY_INVISIBLE.test(line)) return line;
  return line.replace(INVISIBLE, '').replace(JOINERS, '').replace(ODD_SPACE, ' ');
}

// ---------------------------------------------------------------- whitespace
const WS_TEST = /[ \t]{2}|\t|^[ \t]|[ \t]$/;
export function repairWhitespace(line: string): string {
  if (!WS_TEST.test(line)) return line;
  return line.replace(/[ \t]+/g, ' ').trim();
}

// ---------------------------------------------------------------- punctuation spacing
// ". ." → "." and ". ," → "," (a sentence end typed twice); " ," / " ." → "," / "." after a word.
const PUNCT_TEST = / [,.]|\. ?[.,]/;
const DOUBLE_STOP = /(\S)\. +\.(?! *\.)/g; // not a spaced ellipsis ". . ."
const STOP_COMMA = /(\S{1,40})\. +,/g;
// The lookaheads keep " ..." and " . . ." (spaced ellipses) and " .5" as they are.
const SPACE_BEFORE = /([\p{L}\p{N}\p{Pe}\p{Pf}%'"]) +([,.])(?=[\s"'”’)\]]|$)(?! \.)/gu; // not ". . ." either

export function repairPunctuationSpacing(line: string): string {
  if (!PUNCT_TEST.test(line)) return line;
  let out = line.replace(DOUBLE_STOP, '$1.');
  // "U.S. ," keeps the abbreviation's period; "safely. ," loses the stray one.
  out = out.replace(STOP_COMMA, (_m, word: string) => (/\.|^\p{Lu}$/u.test(word) ? `${word}.,` : `${word},`));
  return out.replace(SPACE_BEFORE, '$1$2');
}

// ---------------------------------------------------------------- stray guillemets
// A "»" with spaces on both sides that closes no "«" (its partner was lost, e.g. in machine
// translation) is attached to the word before it; likewise an unmatched "«" to the word after.
// Balanced French-spaced quotes (« like this ») are correct typography and are left alone.
export function repairStrayGuillemets(line: string): string {
  if (line.indexOf('»') < 0 && line.indexOf('«') < 0) return line;
  // Linear in the line: a character array instead of a growing string (endsWith on a rope
  // flattens it every time), and "is there a » later?" from one lastIndexOf.
  const lastClose = line.lastIndexOf('»');
  let open = 0;
  const out: string[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '«') {
      if (i > lastClose && line[i - 1] === ' ' && line[i + 1] === ' ') {
        out.push('«');
        i++; // drop the space after it
        continue;
      }
      open++;
    } else if (c === '»') {
      if (open > 0) open--;
      else if (out[out.length - 1] === ' ' && (line[i + 1] === ' ' || i + 1 === line.length)) {
        out[out.length - 1] = '»';
        continue;
      }
    }
    out.push(c);
  }
  return out.join('');
}

// ---------------------------------------------------------------- missing space after a sentence end
// "Qatar.The" → "Qatar. The": a word of ≥2 lower-case letters (or a number, or a closing bracket),
// then . ! or ?, optional closing quotes, then an upper-case letter or an opening quote.
// Not: "U.S.", "e.g.", "3.5", "Node.js" (lower case follows), URLs, e-mail addresses, file names.
const SENT_TEST = /[.!?][”"’)]*[\p{Lu}“‘]/u;
// Not after a lone "!": "Yahoo!Finance" is a name, and an exclamation run into the next sentence is rare.
const SENT_GAP = /(\p{Ll}\p{Ll}|\d\d|[)\]])([.?][.!?]*[”"’)]*)(?=[\p{Lu}“‘]\p{Ll})/gu;
const URLISH = /[/@\\]|www\.|\.(?:com|org|net|gov|edu|io|co|uk|de|fr|html?|php|pdf|jpe?g|png|gif|txt|docx?|xlsx?|js|ts|py)\b/i;

export function repairSentenceSpace(line: string): string {
  if (!SENT_TEST.test(line)) return line;
  return line.replace(SENT_GAP, (m, _a: string, _p: string, off: number, s: string) => {
    const end = off + m.length;
    let a = off;
    while (a > 0 && s.charCodeAt(a - 1) !== 0x20) a--;
    let b = end;
    while (b < s.length && s.charCodeAt(b) !== 0x20) b++;
    if (URLISH.test(s.slice(a, b))) return m;
    return m + ' ';
  });
}

/** Apply every character repair to one line; returns the new line and what changed. */
export function repairLine(line: string, records?: LineRepair[]): string {
  let cur = line;
  const step = (id: string, next: string): void => {
    if (next !== cur) {
      if (records) {
        const { from, to } = changeSnippet(cur, next);
        records.push({ repair: id, from, to });
      }
      cur = next;
    }
  };
  if (NON_ASCII.test(cur)) {
    step('mojibake', repairMojibake(cur));
    step('html-entity', repairEntities(cur));
    step('invisible-char', repairInvisible(cur));
    step('unicode-nfc', cur.normalize('NFC'));
  } else {
    step('html-entity', repairEntities(cur));
    if (NON_ASCII.test(cur)) {
      step('invisible-char', repairInvisible(cur));
      step('unicode-nfc', cur.normalize('NFC'));
    }
  }
  step('whitespace', repairWhitespace(cur));
  step('punctuation-spacing', repairPunctuationSpacing(cur));
  step('stray-guillemet', repairStrayGuillemets(cur));
  step('sentence-space', repairSentenceSpace(cur));
  return cur;
}
