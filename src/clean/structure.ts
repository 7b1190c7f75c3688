// Structure passes over a whole document: where the article ends (terminating blocks) and, in a
// dump of a whole page's visible text, where the article is (the content zone).

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
  'share this', 'keep reading', 'further reading',
  'você pode gostar', 'relacionados', 'notícias relacionadas', 'te puede interesar', 'noticias relacionadas',
  'mehr zum thema', 'das könnte sie auch interessieren', 'sur le même sujet', 'berita terkait', 'похожие статьи',
  'potrebbe interessarti', 'comentários', 'comentarios', 'kommentare', 'commentaires', 'komentar', 'комментарии',
]);
const TERMINATOR_PREFIX = /^(?:more (?:from|on|in|about) |related |most (?:read|popular) (?:in|on) |latest (?:from|in|on) )/;

const COMMENT_TERMINATOR = /^(?:leave a (?:reply|comment)|(?:0 |reader )?comments?(?: 0)?|join the (?:conversation|discussion)|conversation|discussion)$/;
// Unmistakable comment-section headers: these end the article whatever the length of the comments.
const COMMENT_HEADER = /^(?:0 (?:responses|comments|replies|thoughts) (?:to|on)\b|(?:top|most) (?:rated|recent|liked|popular) comments$|leave a (?:reply|comment)$|0 comments$|comments 0$)/;

function isTerminator(line: string, key: string): boolean {
  if (line.length > 60) return false;
  return TERMINATOR_KEYS.has(key) || TERMINATOR_PREFIX.test(key);
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
  // Kept-line position of each input line, to find the tail after a (possibly removed) terminator.
  let k = 0;
  for (let i = 0; i < lines.length; i++) {
    while (k < K.length && K[k] < i) k++;
    const before = prefix[k];
    if (lines[i].length === 0) continue;
    if (before >= 500 && lines[i].length <= 200 && COMMENT_HEADER.test(keys[i])) {
      if (ruleOf[i] === undefined) remove(i, 'terminating-block');
      for (let j = K[k] === i ? k + 1 : k; j < K.length; j++) remove(K[j], 'terminating-block');
      return;
    }
    if (before < total * 0.5 || !isTerminator(lines[i], keys[i])) continue;
    const start = K[k] === i ? k + 1 : k; // first kept line after the terminator
    const tail = K.slice(start);
    const tailChars = total - prefix[start];
    if (tailChars > before * 0.5) continue;
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
): boolean {
  if (K.length < 15) return false;
  // A page dump has many menu-like lines (short, capitalised, no figures); an article with a
  // list of short items (ingredients, results) does not.
  const scores = K.map((i) => proseScore(lines[i]));
  let short = 0;
  let menu = 0;
  for (let j = 0; j < K.length; j++) {
    if (lines[K[j]].length < 50) {
      short++;
      if (scores[j] === MENU_SCORE) menu++;
    }
  }
  if (short < K.length * 0.4 || menu < 10 || menu < K.length * 0.2) return false;
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
  const afterHeadline = good.filter((s) => K[s.start] > headlineAt);
  const pool = headlineAt >= 0 && afterHeadline.length > 0 ? afterHeadline : good;
  const best = Math.max(...pool.map((s) => s.score));
  const zone = pool.find((s) => s.score >= best * 0.5)!;
  for (let j = 0; j < zone.start; j++) remove(K[j], 'page-furniture');
  for (let j = zone.end + 1; j < K.length; j++) remove(K[j], 'page-furniture');
  return true;
}

