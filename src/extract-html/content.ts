// Main-text extraction: prune boilerplate subtrees (trafilatura-style tag and class/id hints), score
// candidate containers by their paragraphs (Readability-style: text length, commas, class hints, link
// density, propagated to ancestors), gather the best container and its content-like siblings, clean the
// result conditionally, render blocks and filter them (jusText/boilerpipe-style: link density, template
// phrases, terminating blocks). Every pass iterates with explicit stacks.
import { type DElement, type DNode, classId, collapse, elements, isElement, postOrder } from './dom.js';
import * as P from './patterns.js';

/** Elements that start a new block of text. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead',
  'tr', 'ul', 'caption', 'html', 'br', 'legend', 'noscript', 'output',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const COMMA_RE = /[,，、،]/g;

interface Stats {
  /** Text length (whitespace collapsed) of the subtree. */
  len: number;
  /** Text length inside links. */
  link: number;
  commas: number;
  /** Text length directly inside this element or its inline children (not inside child blocks). */
  ilen: number;
  icommas: number;
  /** Text inside <p>. */
  plen: number;
  pCount: number;
  imgCount: number;
  liCount: number;
  inputCount: number;
  headingLen: number;
  aCount: number;
}

export interface Options {
  stripUnlikely: boolean;
  weightClasses: boolean;
  cleanConditionally: boolean;
}

function textLen(s: string): number {
  let n = 0;
  let space = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ws = c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 160;
    if (ws) {
      if (!space) n++;
      space = true;
    } else {
      n++;
      space = false;
    }
  }
  return n;
}

function countCommas(s: string): number {
  const m = s.match(COMMA_RE);
  return m ? m.length : 0;
}

/** Post-order statistics of a subtree, ignoring removed nodes; `decide` may remove a node after its stats are known. */
function computeStats(
  root: DNode,
  removed: Set<DNode>,
  decide?: (el: DElement, s: Stats) => boolean,
): Map<DElement, Stats> {
  const stats = new Map<DElement, Stats>();
  const order = postOrder(root, (el) => removed.has(el));
  for (const el of order) {
    const s: Stats = { len: 0, link: 0, commas: 0, ilen: 0, icommas: 0, plen: 0, pCount: 0, imgCount: 0, liCount: 0, inputCount: 0, headingLen: 0, aCount: 0 };
    const name = el.name;
    if (el.type !== 'tag' || P.DROP_TAGS.has(name)) {
      if (name === 'img' || name === 'picture') s.imgCount = 1;
      if (name === 'input' || name === 'select' || name === 'textarea' || name === 'button') s.inputCount = 1;
      stats.set(el, s);
      continue;
    }
    for (const c of el.children) {
      if (c.type === 'text') {
        const d = c.data ?? '';
        const l = textLen(d);
        if (l === 0) continue;
        const k = countCommas(d);
        s.len += l;
        s.ilen += l;
        s.commas += k;
        s.icommas += k;
      } else if (isElement(c)) {
        if (removed.has(c)) continue;
        const cs = stats.get(c);
        if (!cs) continue;
        s.len += cs.len;
        s.link += cs.link;
        s.commas += cs.commas;
        s.plen += cs.plen;
        s.pCount += cs.pCount;
        s.imgCount += cs.imgCount;
        s.liCount += cs.liCount;
        s.inputCount += cs.inputCount;
        s.headingLen += cs.headingLen;
        s.aCount += cs.aCount;
        if (!BLOCK.has(c.name)) {
          s.ilen += cs.ilen;
          s.icommas += cs.icommas;
        }
      }
    }
    if (name === 'a') {
      s.link = s.len;
      s.aCount += 1;
    }
    if (name === 'p') {
      s.plen = s.len;
      s.pCount += 1;
    }
    if (name === 'li') s.liCount += 1;
    if (HEADINGS.has(name)) s.headingLen = s.len;
    if (decide && el !== root && decide(el, s)) {
      removed.add(el);
      continue;
    }
    stats.set(el, s);
  }
  return stats;
}

function isHidden(el: DElement): boolean {
  const a = el.attribs;
  if (a.hidden !== undefined) return true;
  if (a['aria-hidden'] === 'true') return true;
  const st = a.style;
  if (st && /(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(st)) return true;
  const c = a.class;
  if (c && P.HIDDEN_CLASS.test(c.toLowerCase())) return true;
  return false;
}

function classWeight(el: DElement): number {
  let w = 0;
  const c = (el.attribs.class ?? '').toLowerCase();
  const i = (el.attribs.id ?? '').toLowerCase();
  for (const s of [c, i]) {
    if (!s) continue;
    if (P.NEGATIVE.test(s)) w -= 25;
    if (P.POSITIVE.test(s)) w += 25;
    if (P.ARTICLE_BODY.test(s)) w += 25;
  }
  const ip = (el.attribs.itemprop ?? '').toLowerCase();
  if (ip.includes('articlebody')) w += 50;
  return w;
}

function tagBase(name: string): number {
  switch (name) {
    case 'div': case 'section': return 5;
    case 'article': return 10;
    case 'main': return 5;
    case 'pre': case 'td': case 'blockquote': return 3;
    case 'address': case 'ol': case 'ul': case 'dl': case 'dd': case 'dt': case 'li': case 'form': return -3;
    case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': case 'th': return -5;
    default: return 0;
  }
}

/** Remove subtrees that are never article text. */
function prune(root: DNode, opts: Options): Set<DNode> {
  const removed = new Set<DNode>();
  // Regions that hold the article (its headline or an article-body container) are never pruned as a whole,
  // whatever their class names say.
  const anchors = new Set<DNode>();
  let sawH1 = false;
  for (const el of elements(root, (e) => e.type !== 'tag' || P.DROP_TAGS.has(e.name))) {
    const isAnchor =
      (el.name === 'h1' && !sawH1) ||
      (el.attribs.itemprop ?? '').toLowerCase().includes('articlebody') ||
      P.ARTICLE_BODY.test((el.attribs.class ?? '').toLowerCase());
    if (el.name === 'h1') sawH1 = true;
    if (!isAnchor) continue;
    for (let q: DNode | null = el.parent; q && !anchors.has(q); q = q.parent) anchors.add(q);
  }
  const keeps = (el: DElement) => anchors.has(el);
  for (const el of elements(root, (e) => removed.has(e))) {
    const name = el.name;
    if (el.type !== 'tag' || P.DROP_TAGS.has(name)) {
      if (name !== 'img' && name !== 'picture') removed.add(el);
      continue;
    }
    if (name === 'body' || name === 'html') continue;
    if (isHidden(el) && !keeps(el)) {
      removed.add(el);
      continue;
    }
    const role = el.attribs.role;
    if (role && P.DROP_ROLES.test(role) && !keeps(el)) {
      removed.add(el);
      continue;
    }
    if (P.CHROME_TAGS.has(name) && !keeps(el)) {
      removed.add(el);
      continue;
    }
    if (opts.stripUnlikely && name !== 'article' && name !== 'main' && name !== 'a') {
      const ci = classId(el);
      if (ci && ((P.UNLIKELY.test(ci) && !P.MAYBE.test(ci)) || P.UNLIKELY_STRONG.test(ci)) && !keeps(el)) {
        removed.add(el);
        continue;
      }
    }
  }
  return removed;
}

function findBody(root: DNode): DNode {
  for (const el of elements(root)) if (el.name === 'body') return el;
  return root;
}

const SCORE_PARA = new Set(['p', 'pre', 'td']);
const VIRTUAL_PARA = new Set(['div', 'section', 'article', 'main', 'blockquote', 'center', 'font', 'dd', 'span', 'li', 'td', 'body']);

/** Choose the article container(s). */
function selectContent(body: DNode, removed: Set<DNode>, stats: Map<DElement, Stats>, opts: Options): DElement[] {
  const scores = new Map<DElement, number>();
  const bump = (el: DElement, add: number) => {
    let s = scores.get(el);
    if (s === undefined) s = tagBase(el.name) + (opts.weightClasses ? classWeight(el) : 0);
    scores.set(el, s + add);
  };
  const addPara = (start: DNode | null, len: number, commas: number) => {
    if (len < 25) return;
    const score = 1 + commas + Math.min(Math.floor(len / 100), 3);
    let n = start;
    for (let level = 0; n && level < 5; level++, n = n.parent) {
      if (!isElement(n)) break;
      bump(n, score / (level === 0 ? 1 : level === 1 ? 2 : level * 3));
      if (n === body) break;
    }
  };
  for (const el of elements(body, (e) => removed.has(e))) {
    const s = stats.get(el);
    if (!s) continue;
    if (SCORE_PARA.has(el.name)) addPara(el.parent, s.len, s.commas);
    else if (VIRTUAL_PARA.has(el.name) && s.ilen >= 25) addPara(el, s.ilen, s.icommas);
  }
  if (isElement(body) && !scores.has(body)) bump(body, 0);
  const final = new Map<DElement, number>();
  for (const [el, sc] of scores) {
    const s = stats.get(el);
    const ld = s && s.len ? s.link / s.len : 0;
    final.set(el, sc * (1 - ld));
  }
  const ranked = [...final.entries()].sort((a, b) => b[1] - a[1]);
  if (!ranked.length) return isElement(body) ? [body] : [];
  let top = ranked[0][0];
  const topScore = ranked[0][1];

  // Several close runners-up under one ancestor: the ancestor is the article.
  const alts = ranked.slice(1, 6).filter(([, s]) => s >= 0.75 * topScore).map(([e]) => e);
  if (alts.length >= 3) {
    for (let p = top.parent; p && isElement(p) && p !== body; p = p.parent) {
      let contained = 0;
      for (const a of alts) {
        for (let q: DNode | null = a; q; q = q.parent) if (q === p) { contained++; break; }
      }
      if (contained >= 3) {
        top = p;
        break;
      }
    }
  }
  // Walk up while the parent scores better.
  {
    let last = final.get(top) ?? 0;
    const threshold = last / 3;
    for (let p = top.parent; p && isElement(p) && p !== body; p = p.parent) {
      const ps = final.get(p);
      if (ps === undefined) continue;
      if (ps < threshold) break;
      if (ps > last) {
        top = p;
        break;
      }
      last = ps;
    }
  }
  // Only child of its parent: take the parent.
  while (top.parent && isElement(top.parent) && top.parent !== body) {
    const sibs = top.parent.children.filter((c) => isElement(c) && !removed.has(c));
    if (sibs.length !== 1) break;
    top = top.parent;
  }

  // Siblings that look like content.
  const parent = top.parent;
  if (!parent || !isElement(parent)) return [top];
  const tScore = final.get(top) ?? 0;
  const thresh = Math.max(10, tScore * 0.2);
  const topClass = top.attribs.class ?? '';
  const out: DElement[] = [];
  for (const sib of parent.children) {
    if (!isElement(sib) || removed.has(sib)) continue;
    if (sib === top) {
      out.push(sib);
      continue;
    }
    // Sibling <article>s are other posts (a list of teasers), not more of this one.
    if (sib.name === 'article' && top.name === 'article') continue;
    let bonus = 0;
    if (topClass && (sib.attribs.class ?? '') === topClass) bonus += tScore * 0.2;
    const sc = final.get(sib);
    const s = stats.get(sib);
    if (sc !== undefined && sc + bonus >= thresh) {
      out.push(sib);
      continue;
    }
    if (!s) continue;
    if (sib.name === 'p' || (BLOCK.has(sib.name) && s.pCount === 0 && !s.liCount)) {
      const ld = s.len ? s.link / s.len : 0;
      if (s.len > 80 && ld < 0.25) out.push(sib);
      else if (s.len > 0 && s.len <= 80 && ld === 0 && sib.name === 'p') {
        out.push(sib);
      }
    }
  }
  return out;
}

/** Readability's conditional cleaning of the chosen content. */
function cleanConditionally(roots: DElement[], removed: Set<DNode>): void {
  const TAGS = new Set(['div', 'section', 'ul', 'ol', 'table', 'form', 'aside', 'header', 'footer', 'figure', 'dl', 'fieldset', 'details']);
  for (const r of roots) {
    computeStats(r, removed, (el, s) => {
      const name = el.name;
      // An inline card of links inside a paragraph (hover cards, inline teasers): all links, three or more.
      if (name === 'span' && s.aCount >= 3 && s.len > 0 && s.link / s.len > 0.9) return true;
      if (!TAGS.has(name)) return false;
      if (P.EMBED.test(classId(el))) return false;
      const weight = classWeight(el);
      if (weight < 0) return true;
      if (s.commas >= 10) return false;
      const isList = name === 'ul' || name === 'ol';
      const ld = s.len ? s.link / s.len : 0;
      if (name === 'table' && s.pCount === 0) return ld > 0.5;
      if (s.imgCount > 1 && s.pCount / s.imgCount < 0.5 && name !== 'figure') return true;
      if (!isList && s.liCount - 100 > s.pCount) return true;
      if (s.inputCount > Math.floor(s.pCount / 3)) return true;
      if (!isList && s.len < 25 && (s.imgCount === 0 || s.imgCount > 2) && s.headingLen === 0) return true;
      if (isList && ld > 0.5) return true;
      if (weight < 25 && ld > 0.2 && s.len < 600) return true;
      if (weight >= 25 && ld > 0.5) return true;
      return false;
    });
  }
}

export interface Block {
  text: string;
  link: number;
  tag: string;
  /** Inside a <blockquote> (quoted posts keep their links). */
  quote: boolean;
}

/** A table cell with no block inside (a figure, a label): its row is rendered as one line, "1 | 12". */
function inlineCell(cell: DElement): boolean {
  for (const el of elements(cell)) if (BLOCK.has(el.name)) return false;
  return true;
}

/** Render the kept subtrees into blocks (one per paragraph-level element or <br>-separated line; a data table's row is one). */
export function renderBlocks(roots: DElement[], removed: Set<DNode>): Block[] {
  const blocks: Block[] = [];
  for (const root of roots) {
    let parts: string[] = [];
    let link = 0;
    let anchorDepth = 0;
    let quoteDepth = 0;
    const blockTags: string[] = [];
    const flush = () => {
      if (!parts.length) return;
      const text = collapse(parts.join('')).trim();
      parts = [];
      if (text) blocks.push({ text, link: Math.min(link, text.length), tag: blockTags[blockTags.length - 1] ?? root.name, quote: quoteDepth > 0 });
      link = 0;
    };
    type Frame = { n: DNode; exit: boolean };
    const stack: Frame[] = [{ n: root, exit: false }];
    while (stack.length) {
      const { n, exit } = stack.pop()!;
      if (n.type === 'text') {
        const d = n.data ?? '';
        parts.push(d);
        if (anchorDepth > 0) link += textLen(d);
        continue;
      }
      if (!isElement(n) || removed.has(n) || n.type !== 'tag' || P.DROP_TAGS.has(n.name)) continue;
      const name = n.name;
      // a data table's cell (no paragraphs inside) is a piece of its row's line, not a block of its own
      const cell = (name === 'td' || name === 'th') && inlineCell(n);
      const isBlock = BLOCK.has(name) && !cell;
      if (exit) {
        if (isBlock) {
          flush();
          blockTags.pop();
        }
        if (name === 'a') anchorDepth--;
        if (name === 'blockquote') quoteDepth--;
        continue;
      }
      if (name === 'br' || name === 'hr') {
        flush();
        continue;
      }
      if (isBlock) {
        flush();
        blockTags.push(name);
      } else if (name === 'img') continue;
      else if (cell && parts.some((t) => t.trim() !== '')) parts.push(' | ');
      if (name === 'a') anchorDepth++;
      if (name === 'blockquote') quoteDepth++;
      stack.push({ n, exit: true });
      const c = n.children;
      for (let i = c.length - 1; i >= 0; i--) stack.push({ n: c[i], exit: false });
    }
    flush();
  }
  return blocks;
}

const DATE_WORDS = new Set(
  (
    'jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december ' +
    'mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday am pm a.m p.m utc gmt et est edt pst pdt cet cest ist bst ' +
    'at on of de à às um le el den am um updated published posted modified ' +
    'janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro segunda terça quarta quinta sexta sábado domingo feira ' +
    'enero febrero marzo mayo junio julio agosto septiembre octubre noviembre diciembre lunes martes miércoles jueves viernes sábado ' +
    'janvier février mars avril mai juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi vendredi samedi dimanche ' +
    'januar februar märz juni juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonntag ' +
    'gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre lunedì martedì mercoledì giovedì venerdì sabato'
  ).split(' '),
);

/** A line that is only a date/time ("Nov. 20, 2019, 9:28 AM UTC", "sexta-feira, 22 de outubro de 2010 às 20:13"). */
export function isDateLine(t: string): boolean {
  const toks = t.toLowerCase().split(/[\s,.:/|()\-–—·•]+/).filter(Boolean);
  if (!toks.length || toks.length > 14) return false;
  let digits = 0;
  let other = 0;
  for (const k of toks) {
    if (/^\d{1,4}(st|nd|rd|th|h|am|pm)?$/.test(k)) digits++;
    else if (!DATE_WORDS.has(k)) other++;
  }
  return digits >= 2 && other === 0;
}

const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Block-level filters: template phrases, link-dense blocks, the headline, terminating blocks. */
export interface FilterContext {
  title: string | null;
  description: string | null;
  /** The page metadata already holds a byline, so a byline line in the body can go. */
  hasByline: boolean;
  dropCredits: boolean;
}

export function filterBlocks(blocks: Block[], opts: FilterContext): Block[] {
  const { title, description } = opts;
  const total = blocks.reduce((a, b) => a + b.text.length, 0);
  const nt = title ? norm(title) : '';
  const nd = description ? norm(description) : '';
  let index = -1;
  const out: Block[] = [];
  let seen = 0;
  let sawPara = false;
  for (const b of blocks) {
    index++;
    const t = b.text;
    const len = t.length;
    const isHeading = HEADINGS.has(b.tag);
    if (len <= 140 && (isHeading || len <= 60) && P.TERMINATORS.test(t) && sawPara && seen >= 0.5 * total) break;
    seen += len;
    if (len <= 200 && (P.BOILERPLATE_BLOCK.test(t) || (opts.hasByline && len <= 100 && P.BYLINE_BLOCK.test(t)))) continue;
    if (len <= 250 && P.BOILERPLATE_PHRASE.test(t)) continue;
    if (P.URL_BLOCK.test(t)) continue;
    if (len <= 100 && b.tag !== 'tr' && isDateLine(t)) continue; // a table row of figures ("1 | 12") is not a date
    // Credit lines ("Reporting by …") stay: the line cleaner lifts them into DocMeta.credits.
    if (opts.dropCredits && len <= 300 && P.CREDIT_BLOCK.test(t)) continue;
    const ld = len ? b.link / len : 0;
    if (!b.quote && ((ld > 0.5 && len < 300) || ld > 0.8)) continue;
    if (nt && len < 400 && norm(t) === nt) continue;
    // The standfirst (dek) repeats the page description before the body starts.
    if (nd && !sawPara && index < 4 && b.tag !== 'p' && len < 400 && norm(t) === nd) continue;
    if (b.tag === 'h1' && !sawPara) continue;
    if (!isHeading && len >= 40) sawPara = true;
    out.push(b);
  }
  return out;
}

export function joinBlocks(blocks: Block[]): string {
  let s = '';
  for (let i = 0; i < blocks.length; i++) {
    if (i > 0) s += blocks[i].tag === 'li' && blocks[i - 1].tag === 'li' ? '\n' : '\n\n';
    s += blocks[i].text;
  }
  return s;
}

/** Extract the main text from a parsed document root. */
export function extractContent(root: DNode, ctx: Partial<FilterContext> = {}): string {
  const fctx: FilterContext = { title: ctx.title ?? null, description: ctx.description ?? null, hasByline: ctx.hasByline ?? false, dropCredits: ctx.dropCredits ?? false };
  const attempts: Options[] = [
    { stripUnlikely: true, weightClasses: true, cleanConditionally: true },
    { stripUnlikely: false, weightClasses: true, cleanConditionally: true },
    { stripUnlikely: false, weightClasses: false, cleanConditionally: true },
    { stripUnlikely: false, weightClasses: false, cleanConditionally: false },
  ];
  let best = '';
  for (const opts of attempts) {
    const removed = prune(root, opts);
    const body = findBody(root);
    const stats = computeStats(body, removed);
    const chosen = selectContent(body, removed, stats, opts);
    if (opts.cleanConditionally) cleanConditionally(chosen, removed);
    const text = joinBlocks(filterBlocks(renderBlocks(chosen, removed), fctx));
    if (text.length >= 250) return text;
    if (text.length > best.length) best = text;
  }
  return best;
}
