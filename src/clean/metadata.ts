// Recognisers for metadata-bearing lines. Each is anchored and tested only on short lines.
import type { DocMeta } from '../types.js';

export function emptyMeta(): DocMeta {
  return { title: null, dek: null, byline: null, credits: [], source: null, dateline: null, date: null, url: null };
}

function stripEndPeriod(s: string): string {
  return s.replace(/\s*\.$/, '').trim();
}

// ---------------------------------------------------------------- syndication footers
const POST_APPEARED = /^The post (.{3,300}) appeared first on (.{2,120})$/;
const ORIGINALLY = /^(?:This (?:article|story|post|piece) (?:was )?(?:originally|first) (?:appeared|published|ran)|Originally published|First published|Republished) (?:on|in|at|by) (.{2,100})$/i;
const SOURCE_LINE = /^Source\s*:\s*(.{2,80})$/i;
const READ_MORE_ONLY = /^(?:read (?:more|the (?:full|original) (?:article|story))|link|here|original article|full story)\W*$/i;
const READ_MORE_AT = /^(?:Read (?:more|the (?:full|original) (?:article|story)) (?:at|on)|Continue reading (?:at|on)) (.{2,80})$/i;

/** Whether a line is a "Source: …" line (which may be a footer, or a figure's credit). */
export function isSourceLine(line: string): boolean {
  return SOURCE_LINE.test(line);
}

/** A syndication footer; returns what it tells (title, source), or null if the line is not one. */
export function parseSyndicationFooter(line: string): { title?: string; source?: string } | null {
  let m = POST_APPEARED.exec(line);
  if (m) return { title: m[1].trim(), source: stripEndPeriod(m[2]) };
  m = ORIGINALLY.exec(line);
  // "First published in 1887, the Echo once sold…" is a sentence of the story: a source names an outlet, not a
  // year, and is not a clause
  if (m && !/^\d/.test(m[1]) && !/,\s+\p{Ll}/u.test(m[1])) return { source: stripEndPeriod(m[1]) };
  m = READ_MORE_AT.exec(line);
  if (m) return { source: stripEndPeriod(m[1]) };
  m = SOURCE_LINE.exec(line);
  if (m) {
    const rest = m[1].trim();
    if (READ_MORE_ONLY.test(rest)) return {};
    // "Source: Agency Name" (a few capitalised words) names the outlet; anything else is not a footer.
    if (/^[\p{Lu}\d][\p{L}\d&'’. -]{0,60}$/u.test(rest) && rest.split(' ').length <= 6) {
      return { source: stripEndPeriod(rest.replace(/\s*[-|,].*$/, '')) };
    }
  }
  return null;
}

// ---------------------------------------------------------------- credit lines
const CREDIT_PATTERNS = [
  // No i flag: \p{Lu} must really mean a capital (a name), so the case variants are spelled out.
  /^\(?(?:[Aa]dditional |[Ff]urther )?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Rr]esearch|[Cc]ompiled|[Pp]roduced|[Tt]ranslated|[Gg]raphics)(?: and \w+)? by\s+\p{Lu}[\p{L}'’.-]+ \p{Lu}/u,
  /\bcontributed (?:reporting|research|to (?:this|the) (?:report|article|story|piece))\b.{0,40}$/i,
];
export const CREDIT_MAX = 320;

export function isCreditLine(line: string): boolean {
  if (line.length > CREDIT_MAX) return false;
  if (CREDIT_PATTERNS[0].test(line)) return !proseAfterName(line);
  return CREDIT_PATTERNS[1].test(line) && line.length < 240 && creditSubject(line);
}

/** Words that may follow the name of a credit ("Reporting by Jane Doe in Paris and John Roe; editing by …"). */
const AFTER_NAME = new Set(['by', 'in', 'and', 'with', 'from', 'at', 'for', 'of', 'additional', 'editing', 'writing', 'reporting', 'research']);

/**
 * "Research by Dunmore University followed 4,100 nurses…": the name after "by" goes on as a sentence (a lower-case
 * word that is not one a credit list continues with), so the line is prose about research, not a credit.
 */
function proseAfterName(line: string): boolean {
  const rest = line.replace(/^.*? by\s+/, '');
  const words = rest.split(/\s+/);
  let i = 0;
  while (i < words.length && /^\p{Lu}[\p{L}'’.-]*[,;:|)]?$/u.test(words[i])) i++;
  const next = words[i]?.replace(/[,;:.]$/, '');
  return next !== undefined && /^\p{Ll}/u.test(next) && !AFTER_NAME.has(next) && !/[,;|]$/.test(words[i - 1] ?? '');
}

/**
 * "Jane Doe contributed to this report.", "Associated Press writers Jane Doe and John Roe contributed…": who
 * contributed is named (two capitalised words in a row, or one word alone), with no figures ("More than 200 nurses
 * contributed to the report" is a sentence of the story).
 */
function creditSubject(line: string): boolean {
  const m = /^\(?(.*?)\s+contributed\b/i.exec(line);
  if (!m) return false;
  const subject = m[1];
  if (/\d/.test(subject)) return false;
  const words = subject.split(/\s+/).filter((w) => w !== '');
  if (words.length === 1) return /^\p{Lu}/u.test(words[0]);
  return words.some((w, i) => i > 0 && /^\p{Lu}/u.test(w) && /^\p{Lu}/u.test(words[i - 1]));
}

// ---------------------------------------------------------------- bylines
// "By Jane Doe", "By JANE DOE and JOHN ROE", "By Jane Doe, Staff Writer", "By Jane Doe | Agency".
const NAME_PARTICLES = new Set(['and', '&', 'de', 'da', 'di', 'del', 'van', 'von', 'der', 'den', 'la', 'le', 'du', 'al', 'el', 'bin', 'ibn', 'y', 'dos', 'das', 'st']);
const BYLINE_START = /^(?:(?:[Pp]osted|[Ww]ritten|[Pp]ublished) by|[Bb]y|BY)[:\s]\s*(?=\p{Lu})/u;

export function parseByline(line: string): string | null {
  if (line.length > 120 || !BYLINE_START.test(line)) return null;
  const rest = line.replace(BYLINE_START, '').trim();
  // subheadings that read like a byline
  if (/^the (?:numbers|way|book)$/i.test(rest)) return null;
  // The names part ends at a separator after which a role or outlet may follow.
  const names = rest.split(/\s*[|,;•·—–]\s*|\s+-\s+|\s+on\s+/)[0];
  const words = names.split(/\s+/);
  if (words.length < 2 || words.length > 12) return null;
  let capitalised = 0;
  for (const w of words) {
    if (NAME_PARTICLES.has(w.toLowerCase())) continue;
    if (!/^\p{Lu}[\p{L}'’.-]*$/u.test(w)) return null;
    capitalised++;
  }
  return capitalised >= 2 ? names.replace(/[.,;]$/, '') : null;
}

// "Jane Doe, Staff Writer", "Jane Doe, National Security Writer": a name, a comma, a newsroom role.
const ROLE_BYLINE = /^(\p{Lu}[\p{L}'’.-]+(?: \p{Lu}[\p{L}'’.-]+){1,3}), (?:[\p{Lu}][\p{L}.&-]* ){0,4}(?:Writer|Reporter|Correspondent|Editor|Columnist|Contributor)$/u;

const ROLES = new Set(['Writer', 'Reporter', 'Correspondent', 'Editor', 'Columnist', 'Contributor']);

/** A byline that is a name and a role ("Jane Doe, Staff Writer"); returns the name. */
export function parseRoleByline(line: string): string | null {
  const last = line.charCodeAt(line.length - 1);
  if (line.length > 90 || (last !== 114 && last !== 116) /* r, t */ || !ROLES.has(line.slice(line.lastIndexOf(' ') + 1))) return null;
  const m = ROLE_BYLINE.exec(line);
  return m ? m[1] : null;
}

// ---------------------------------------------------------------- date lines
const MONTHS =
  'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december';
const DAYS = 'mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const DATE_PREFIX = /^(?:(?:first |last )?(?:published|updated|posted|modified|date|last updated)(?: on| at)?\s*:?\s*)+/i;
const DATE_TOKEN = new RegExp(
  `^(?:${MONTHS}|${DAYS})\\.?,?$|^(?:sec|secs|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?|ago|just|now|today|yesterday)$|^\\d{1,4}(?:st|nd|rd|th)?,?$|^\\d{1,2}:\\d{2}(?::\\d{2})?(?:[ap]\\.?m\\.?)?,?$|^[ap]\\.?m\\.?,?$|^\\d{1,4}[-/.]\\d{1,2}[-/.]\\d{1,4},?$|^\\d{4}-\\d{2}-\\d{2}t[\\d:.z+-]+$|^(?:[a-z]{1,4}t|utc|gmt|z),?$|^(?:on|at|of|the|[-|/–—•·])$|^(?:published|updated|posted|modified):?$|^\\((?:[a-z]{1,4}t|utc|gmt)\\)$`,
  'i',
);
const HAS_DATE_PART = new RegExp(`\\b(?:${MONTHS})\\b|\\b(?:ago|just now)$|\\d{1,2}:\\d{2}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{2,4}`, 'i');

/** A line that is only a date or time ("Published Nov. 3, 2024", "Updated 5:02 PM ET"). */
export function parseDateLine(line: string): string | null {
  if (line.length > 100 || !HAS_DATE_PART.test(line)) return null;
  const rest = line.replace(DATE_PREFIX, '').trim();
  if (rest.length === 0) return null;
  const tokens = rest.split(/\s+/);
  if (tokens.length > 16) return null;
  for (const t of tokens) if (!DATE_TOKEN.test(t)) return null;
  return rest;
}

// ---------------------------------------------------------------- datelines
// "CAIRO (Reuters) — …", "WASHINGTON — …", "BEIRUT, Lebanon — …", "(AP) — …" at the start of a paragraph.
// The dateline is recorded in meta; the paragraph keeps its text unchanged (it is part of the story).
// A date may follow the place: "PORTHAVEN, March 4 —", "LONDON, 4 March 2024 —", "CAIRO, Jan. 5, 2024 (AP) —".
const DATELINE = /^((?:\p{Lu}[\p{Lu}.'’-]*(?: \p{Lu}[\p{Lu}.'’-]*){0,3}(?:, \p{Lu}[\p{L}.]*(?: \p{Lu}[\p{L}.]*){0,2})?(?:,? (?:\p{Lu}\p{L}{2,8}\.? \d{1,2}(?:, \d{4})?|\d{1,2} \p{Lu}\p{L}{2,8}\.?(?: \d{4})?))?)?(?: ?\([\p{L}\d .&-]{1,30}\))?) ?[—–-]{1,2} (?=\S)/u;

export function parseDateline(paragraph: string): string | null {
  const m = DATELINE.exec(paragraph.slice(0, 90));
  if (!m || m[1].trim().length < 2) return null;
  const d = m[1].trim();
  // The place part is upper case ("CAIRO"), or there is an agency in brackets.
  if (!/^\p{Lu}{2,}|\(/u.test(d)) return null;
  return d;
}

// ---------------------------------------------------------------- titles
const HEADLINE_BAD_END = /[.,;:]$/;
const ENDS_ELLIPSIS = /(?:\.\.\.|…)$/;

/** A first line that looks like a headline: short enough, no final period, starts with a capital. */
export function looksLikeHeadline(line: string): boolean {
  if (line.length < 8 || line.length > 220) return false;
  if (HEADLINE_BAD_END.test(line) && !ENDS_ELLIPSIS.test(line)) return false;
  if (!/^[\p{Lu}\p{N}"“‘'«¿¡]/u.test(line)) return false;
  const words = line.split(' ').length;
  return words >= 2 && words <= 40;
}

/** "Headline | Outlet" or "Headline - Outlet": the headline, when the suffix is a short name. */
export function stripTitleSuffix(title: string): string {
  const m = /^(.{8,}?)\s+(?:\||–|—|-|::)\s+([^|–—]{2,40})$/.exec(title);
  if (m && m[2].split(' ').length <= 5 && /^[\p{Lu}\p{N}]/u.test(m[2])) return m[1].trim();
  return title;
}

// ---------------------------------------------------------------- section labels
// Lone short labels next to the headline ("Top News", "World", "Opinion"): news-section words only.
const SECTION_WORDS = new Set(
  (
    'news top latest breaking world politics political business opinion opinions sport sports tech technology science ' +
    'health entertainment culture lifestyle life style local national international economy markets market finance ' +
    'money middle east europe asia africa americas america us u.s. uk weather travel food arts books music movies film tv ' +
    'television media education environment climate crime justice law analysis exclusive featured feature features ' +
    'trending editorial editorials editor\'s picks pick home stories story headlines live updates update commentary ' +
    'columns column columnists review reviews investigations investigation special report reports region regional ' +
    'nation global society science-environment us-news world-news personal real estate autos cars video videos photos ' +
    'gallery podcasts podcast more insight insights explainer explained perspective perspectives voices'
  ).split(' '),
);
const CONNECTIVES = new Set(['&', 'and', 'the', 'of', '/', '|', '>', '›', '»', '-', '–']);

export function isSectionLabel(line: string): boolean {
  if (line.length > 40 || /[.!?,;:]$/.test(line)) return false;
  const words = line.split(' ');
  if (words.length > 4) return false;
  let section = 0;
  for (const w of words) {
    const lw = w.toLowerCase();
    if (CONNECTIVES.has(lw)) continue;
    if (!SECTION_WORDS.has(lw)) return false;
    if (!/^[\p{Lu}\d]/u.test(w)) return false;
    section++;
  }
  return section > 0;
}

// ---------------------------------------------------------------- deks
/** A standfirst right after the headline: one sentence without final punctuation, 8–45 words. Conservative. */
export function looksLikeDek(line: string, next: string | undefined): boolean {
  if (line.length > 300 || /[.:;,?!…]["”’]?$/.test(line)) return false;
  if (!/^[\p{Lu}"“‘]/u.test(line)) return false;
  const words = line.split(' ').length;
  if (words < 8 || words > 45) return false;
  // Exactly one sentence, and not a date/byline strip ("Nov 18, 2019 at 9:24 pm ET • 2 min read").
  if (/[.!?]["”’]? \p{Lu}/u.test(line) || HAS_DATE_PART.test(line) || /[|•·]/.test(line)) return false;
  return next !== undefined && next.length > line.length;
}
