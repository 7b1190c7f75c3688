// Structure passes over a whole document: where the article ends (terminating blocks) and, in a
// dump of a whole page's visible text, where the article is (the content zone).
import { lineKey } from './template-lines.js';

// Lines that, in the tail of a page, start the page's furniture (comments, related links, …).
const TERMINATOR_KEYS = new Set([
  'leave a reply', 'leave a comment', 'comments', 'comment', '0 comments', 'comments 0', 'reader comments',
  'join the conversation', 'join the discussion', 'conversation', 'discussion', 'related', 'related articles',
  'related stories', 'related posts', 'related content', 'related coverage', 'related news', 'related topics',
  'you may also like', 'you might also like', 'you may like', 'recommended', 'recommended for you',
  'recommended stories', 'more stories', 'more news', 'more articles', 'most read', 'most popular',
  'most viewed', 'read next', 'what to read next', 'more on this story', 'more on this topic',
  'about the author', 'about the authors', 'tags', 'topics', 'filed under', 'post navigation',
  'previous article', 'next article', 'trending', 'trending now', 'latest news', 'latest stories',
  'around the web', 'promoted stories', 'popular stories', 'top stories', 'editor s picks', 'editors picks',
  'in case you missed it', 'sponsored stories', 'more in this section', 'share this article', 'share this story',
  'share this', 'keep reading', 'further reading', 'read these next', 'read this next', 'up next', 'more for you',
  'more like this', 'more to read', 'recent posts', 'recent articles', 'recent stories', 'recent blog posts',
  'popular posts', 'latest posts', 'you may have missed', 'related videos', 'related links', 'also read', 'explore further',
  'você pode gostar', 'relacionados', 'notícias relacionadas', 'te puede interesar', 'noticias relacionadas',
  'mehr zum thema', 'das könnte sie auch interessieren', 'sur le même sujet', 'berita terkait', 'похожие статьи',
  'potrebbe interessarti', 'comentários', 'comentarios', 'kommentare', 'commentaires', 'komentar', 'комментарии',
]);
const TERMINATOR_PREFIX = /^(?:more (?:from|on|in|about) |related |most (?:read|popular) (?:in|on) |latest (?:from|in|on) |(?:popular|trending) (?:on|in) )/;

// (A bare "Discussion" or "Conversation" is also a section of a report or an essay: it ends the article only when what
// follows is not sentences, as for "Related".)
const COMMENT_TERMINATOR = /^(?:leave a (?:reply|comment)|(?:0 |reader )?comments?(?: 0)?|join the (?:conversation|discussion))$/;
// Unmistakable comment-section headers: these end the article whatever the length of the comments.
const COMMENT_HEADER = /^(?:0 (?:responses|comments|replies|thoughts) (?:to|on)\b|(?:top|most) (?:rated|recent|liked|popular) comments$|leave a (?:reply|comment)$|0 comments$|comments 0$)/;

// "More <Outlet>" as a heading of its own (two to four capitalised words, no sentence end).
const MORE_OUTLET = /^More(?: [\p{Lu}\d][\p{L}\d'’&.-]*){1,4}$/u;
// A comment's header line: "Name on March 3, 2020 at 4:47 pm said:", "Name says:".
// Either a name alone (capitalised words) or anything short with the posting time before the verb.
const COMMENT_AUTHOR = /^\p{Lu}[\p{L}'’.()-]*(?: [\p{Lu}(][\p{L}'’.()-]*){0,3} (?:says|said|wrote|writes|replied):$|^\S.{0,60}? (?:on|at) [^:]{0,40}?\d{1,2}:\d{2} ?(?:[ap]\.?m\.?)? (?:said|says|wrote|replied):$/iu;

// An author or company box at the end: "About the author", "About Jane Doe", "About Harbor Ltd".
const ABOUT_BOX = /^(?:[Aa]bout|[Ss]obre|[Üü]ber|[Àà] propos de|[Aa]cerca de) (?:the author|this article|\p{Lu}[\p{L}.'’&-]*(?: \p{Lu}[\p{L}.'’&-]*){0,3})$/u;

/**
 * Whether an "About X" heading opens a box about X: "About the author", "About this article", or a first line that
 * names X or reads as a bio ("Jane Doe is a reporter…", "Harbor Ltd makes…"). A subheading such as "About Face"
 * followed by more of the story is not one.
 */
function opensAboutBox(heading: string, next: string | undefined): boolean {
  if (/ (?:the author|this article)$/.test(heading)) return true;
  if (next === undefined) return false;
  const named = heading.split(' ').slice(1).filter((w) => w.length > 2);
  return named.some((w) => next.includes(w)) || /^(?:\p{Lu}[\p{L}.'’&-]* ){1,4}(?:is|was|has|writes|covers|joined|founded|makes|runs|leads)\b/u.test(next);
}

function isTerminator(line: string, key: string): boolean {
  if (line.length > 60) return false;
  return TERMINATOR_KEYS.has(key) || TERMINATOR_PREFIX.test(key);
}

/** A comment's author line ("Jane on May 2, 2021 at 4:47 pm said:"): the first one in the tail ends the article. */
export function isCommentAuthorLine(line: string): boolean {
  return line.length <= 120 && line.charCodeAt(line.length - 1) === 58 /* : */ && COMMENT_AUTHOR.test(line);
}

/** A paragraph of prose: long, and it ends a sentence. */
export function isProse(line: string): boolean {
  return line.length >= 80 && SENTENCE_CLOSE.test(line.slice(-2));
}
const SENTENCE_CLOSE = /[.!?]["”’)]?$/;

/** Short lines that do not end a sentence: headlines, names, labels. */
function isListLine(line: string): boolean {
  return line.length < 100 && !/[.!?]["”’)]?$/.test(line);
}

/**
 * A tail that reads like a list of other stories: several lines, and many of them are headlines,
 * names or labels (a related-stories block alternates headline, author and teaser).
 */
function listLikeTail(lines: readonly string[], tail: readonly number[]): boolean {
  if (tail.length < 4) return false;
  let list = 0;
  let prev = false;
  for (const j of tail) {
    if (isListLine(lines[j])) list++;
    // Two paragraphs of prose in a row: the article goes on after an inline "Related" box.
    const p = isProse(lines[j]);
    if (p && prev) return false;
    prev = p;
  }
  return list >= tail.length * 0.45;
}

/**
 * Terminating blocks: a "Comments" / "Related" heading in the tail, followed only by short,
 * list-like lines (or any comments), ends the article; everything after it is page furniture.
 */
export function terminate(
  lines: readonly string[],
  keys: readonly string[],
  ruleOf: readonly (string | undefined)[],
  K: readonly number[],
  remove: (i: number, id: string) => void,
): void {
  if (K.length < 3) return;
  const prefix: number[] = [0];
  for (const i of K) prefix.push(prefix[prefix.length - 1] + lines[i].length);
  const total = prefix[prefix.length - 1];
  // Characters of prose (long lines ending a sentence) before each kept position.
  const prose: number[] = [0];
  for (const i of K) prose.push(prose[prose.length - 1] + (isProse(lines[i]) ? lines[i].length : 0));
  // Kept-line position of each input line, to find the tail after a (possibly removed) terminator.
  let k = 0;
  for (let i = 0; i < lines.length; i++) {
    while (k < K.length && K[k] < i) k++;
    const before = prefix[k];
    if (lines[i].length === 0) continue;
    if (before >= 500 && lines[i].length <= 200 && (COMMENT_HEADER.test(keys[i]) || isCommentAuthorLine(lines[i]))) {
      if (ruleOf[i] === undefined) remove(i, 'terminating-block');
      for (let j = K[k] === i ? k + 1 : k; j < K.length; j++) remove(K[j], 'terminating-block');
      return;
    }
    // An "About …" box in the second half, no longer than what precedes it, ends the article.
    if (before >= 500 && before >= total * 0.5 && lines[i].length <= 50 && ABOUT_BOX.test(lines[i])) {
      const from = K[k] === i ? k + 1 : k;
      if (total - prefix[from] <= before && opensAboutBox(lines[i], from < K.length ? lines[K[from]] : undefined)) {
        if (ruleOf[i] === undefined) remove(i, 'terminating-block');
        for (let j = from; j < K.length; j++) remove(K[j], 'terminating-block');
        return;
      }
    }
    const term = isTerminator(lines[i], keys[i]);
    if (!term && !(prose[k] >= 800 && lines[i].length <= 40 && MORE_OUTLET.test(lines[i]))) continue;
    const start = K[k] === i ? k + 1 : k; // first kept line after the terminator
    const tail = K.slice(start);
    const tailChars = total - prefix[start];
    // A long list of other stories after a substantial article ends it, however long the list.
    const proseBefore = prose[k];
    if (proseBefore >= 800 && !COMMENT_TERMINATOR.test(keys[i]) && listLikeTail(lines, tail)) {
      if (ruleOf[i] === undefined) remove(i, 'terminating-block');
      for (const j of tail) remove(j, 'terminating-block');
      return;
    }
    if (!term || before < total * 0.5 || tailChars > before * 0.5) continue;
    const lens = tail.map((j) => lines[j].length).sort((a, b) => a - b);
    const median = lens.length ? lens[lens.length >> 1] : 0;
    if (tailChars > 300 && median >= 90) continue; // real paragraphs follow: not a terminator
    // After a "Related"-style heading, link lists are headlines; sentences there are the story's own
    // (e.g. a closing section). Comment sections are sentences, so they are exempt from this check.
    if (!COMMENT_TERMINATOR.test(keys[i]) && tail.length > 0) {
      let sentences = 0;
      for (const j of tail) if (/[.!?]["”’)]?$/.test(lines[j])) sentences++;
      if (sentences > tail.length * 0.4) continue;
    }
    if (ruleOf[i] === undefined) remove(i, 'terminating-block');
    for (const j of tail) remove(j, 'terminating-block');
    return;
  }
}

/** Prose score of a line: long sentences count for, short lines (menus, labels, links) against. */
const SENTENCE_END = /[.!?。！？]["”’)」]?$/;
const MENU_SCORE = -80;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;
const CLAUSE_PUNCT = /[.,;:!?。、，！？]/;
function proseScore(line: string): number {
  let len = line.length;
  // A CJK character carries about as much text as a Latin word: weigh it so.
  if (line.charCodeAt(0) > 0x2fff || line.charCodeAt(len - 1) > 0x2fff || line.charCodeAt(len >> 1) > 0x2fff) {
    const cjk = line.match(CJK);
    if (cjk) len += 2 * cjk.length;
  }
  // Long lines without any punctuation are concatenated menus and tag clouds, not prose.
  if (len >= 80) return CLAUSE_PUNCT.test(line) ? len : -20;
  let words = 1;
  for (let i = line.indexOf(' '); i >= 0; i = line.indexOf(' ', i + 1)) words++;
  // A short sentence ("Add the flour.") or a row of a table or list with figures is content-like.
  if (words >= 4 && SENTENCE_END.test(line)) return len - 20;
  if (words >= 4 && /\d+\D+\d/.test(line)) return 5;
  if (len >= 50) return -40;
  // Menu items and labels weigh most against; list items (bullets, figures, lower case) less.
  return /^(?:[-*•–·]|\p{Ll})|\d/u.test(line) ? -20 : MENU_SCORE;
}

/** Longest quotation, in lines, that is read as one (a stray quotation mark must not swallow a page). */
const MAX_QUOTE_LINES = 8;

/** Whether a quotation is open after this line, given whether one was open before it (the ASCII mark toggles). */
function quoteMarks(line: string, open: boolean): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x22) open = !open;
    else if (c === 0x201c) open = true;
    else if (c === 0x201d) open = false;
  }
  return open;
}

/**
 * For each kept line, whether it belongs to a quotation that opens on one line and closes on a later
 * one, within MAX_QUOTE_LINES lines. Menus and link lists never leave a quotation open across lines.
 */
export function quotedLines(lines: readonly string[], K: readonly number[]): boolean[] {
  const quoted = new Array<boolean>(K.length).fill(false);
  for (let j = 0; j < K.length; j++) {
    if (!quoteMarks(lines[K[j]], false)) continue; // no quotation left open at the end of this line
    let open = true;
    let k = j + 1;
    for (; k < K.length && k - j < MAX_QUOTE_LINES && open; k++) open = quoteMarks(lines[K[k]], true);
    if (open) continue;
    for (let m = j; m < k; m++) quoted[m] = true;
    j = k - 1;
  }
  return quoted;
}

/**
 * In a page dump (many kept lines, many of them short), find the runs of kept lines with a high
 * prose score (maximum-sum segments) and keep one: the earliest that scores at least half the best,
 * after the repeated headline when there is one (a page's <h1> precedes its article; footers and
 * "about us" blurbs come later). The short-line furniture before and after it is removed.
 * Clean article text (few short lines) is never touched. Returns whether a zone was cut out.
 */
export function contentZone(
  lines: readonly string[],
  K: readonly number[],
  remove: (i: number, id: string) => void,
  headlineAt: number,
  cut: readonly number[] = [],
): boolean {
  if (K.length + cut.length < 15) return false;
  // A page dump has many menu-like lines (short, capitalised, no figures); an article with a
  // list of short items (ingredients, results) does not. Lines already cut off as a page's tail
  // (`cut`) still tell what kind of text this is.
  // Lines of a quotation that runs over several lines (a tweet, a statement) are speech, however short.
  const quoted = quotedLines(lines, K);
  const scores = K.map((i, j) => (quoted[j] ? Math.max(0, proseScore(lines[i])) : proseScore(lines[i])));
  let short = 0;
  let menu = 0;
  const count = (line: string, score: number) => {
    if (line.length < 50) {
      short++;
      if (score === MENU_SCORE) menu++;
    }
  };
  for (let j = 0; j < K.length; j++) count(lines[K[j]], scores[j]);
  for (const i of cut) count(lines[i], proseScore(lines[i]));
  const all = K.length + cut.length;
  if (K.length < 6 || short < all * 0.4 || menu < 10 || menu < all * 0.2) return false;
  // Text in which every line stands alone between blank lines is laid out as paragraphs already
  // (a rendered article, an extractor's output with its tables), not a page's visible text, where
  // menus and link lists run line after line: it is left whole, so cleaning an article again
  // changes nothing.
  let alone = true;
  for (let j = 0; j < K.length && alone; j++) {
    const i = K[j];
    if ((i > 0 && lines[i - 1].length > 0) || (i + 1 < lines.length && lines[i + 1].length > 0)) alone = false;
  }
  if (alone) return false;
  const segs: { start: number; end: number; score: number }[] = [];
  let cur = 0;
  let run = 0;
  let seg = { start: 0, end: -1, score: -Infinity };
  for (let j = 0; j < K.length; j++) {
    if (cur <= 0) {
      if (seg.end >= 0) segs.push(seg);
      cur = 0;
      seg = { start: j, end: -1, score: -Infinity };
    }
    // Runs of menu-like lines weigh more the longer they get: one subheading between paragraphs
    // is bridged, a block of navigation is a boundary.
    const sc = scores[j];
    run = sc <= -40 ? run + 1 : 0;
    cur += sc <= -40 ? sc * (1 + 0.25 * (run - 1)) : sc;
    if (cur > seg.score) {
      seg.score = cur;
      seg.end = j;
    }
  }
  if (seg.end >= 0) segs.push(seg);
  const good = segs.filter((s) => s.score >= 150);
  if (good.length === 0) return false; // no real body found: leave the text as it is
  // A run that reaches past the headline counts as after it (its part above the headline is cut).
  const afterHeadline = good.filter((s) => K[s.end] > headlineAt);
  const pool = headlineAt >= 0 && afterHeadline.length > 0 ? afterHeadline : good;
  const best = Math.max(...pool.map((s) => s.score));
  const zone = pool.find((s) => s.score >= best * 0.5)!;
  let start = zone.start;
  if (headlineAt >= 0 && pool === afterHeadline) while (K[start] < headlineAt) start++;
  for (let j = 0; j < start; j++) remove(K[j], 'page-furniture');
  // An inline box ("Most read", "Related") inside the article splits it in two: when the gap to
  // the next good run is such a box (its heading, then only short lines), the article goes on.
  let end = zone.end;
  for (const next of good) {
    if (next.start <= end) continue;
    const head = K[end + 1];
    if (!isTerminator(lines[head], lineKey(lines[head]))) break;
    let list = true;
    for (let j = end + 1; j < next.start && list; j++) if (lines[K[j]].length >= 120) list = false;
    if (!list) break;
    for (let j = end + 1; j < next.start; j++) remove(K[j], 'page-furniture');
    end = next.end;
  }
  for (let j = end + 1; j < K.length; j++) remove(K[j], 'page-furniture');
  return true;
}
