// The cleaning stage: repair characters, remove boilerplate by named rules, lift metadata, and
// assemble paragraphs. Pure: text in, CleanDoc out.
import type { CleanDoc, DocMeta, HtmlMeta, RemovedLine, RepairRecord } from '../types.js';
import { repairLine, type LineRepair } from './repairs.js';
import { matchRule, RULE_BY_ID, type BoilerplateRule, type RuleContext, type UserRule } from './rules.js';
import {
  emptyMeta,
  isSectionLabel,
  looksLikeDek,
  looksLikeHeadline,
  parseDateline,
} from './metadata.js';
import { joinGroup, paragraphGroups, type BodyLine } from './paragraphs.js';
import { lineKey, templateCandidateKey, TEMPLATE_MAX_CHARS } from './template-lines.js';
import { contentZone, terminate } from './structure.js';

export { RULES, matchRule } from './rules.js';
export type { BoilerplateRule, RuleContext, UserRule } from './rules.js';
export { lineKey, candidateTemplateLines, findTemplateLines, templateLinesAndHolders, templateHashesAndHolders, templateLineKeys, keyHashes } from './template-lines.js';
export { repairLine, REPAIR_IDS } from './repairs.js';

export interface CleanOptions {
  /** Metadata from an HTML page, when the text came from HTML. */
  htmlMeta?: HtmlMeta;
  /** Corpus-level boilerplate: lineKey()s of lines found repeated across different stories. */
  templateLines?: ReadonlySet<string>;
  disabledRules?: ReadonlySet<string>;
  /** User rules from configuration. */
  extraRules?: (BoilerplateRule | UserRule)[];
  /**
   * Receives the template keys of the text's lines, for the corpus-level pass: `all` of every line that could be a
   * site's template (as candidateTemplateLines gives them), `open` of those no line rule removed. Only an open
   * line can change when the corpus later names template lines, so a document without one needs no second pass.
   */
  templateKeys?: { all: Set<string>; open: Set<string> };
  /**
   * The text is an article `clean` wrote (its folder's manifest lists it): its first line is its title, whatever
   * that line looks like, and what depends on the title (its repeats, the dek) was decided when it was written.
   * Without this, a written title that does not read as a headline ("Markets fall. Again.", a short CJK name, a
   * cluster-mate's title) would be read back as a paragraph, and cleaning the output again would change it.
   */
  writtenTitle?: boolean;
}

/** Rule ids assigned by context (position in the document) rather than by the line alone. */
export const CONTEXT_RULE_IDS = ['section-label', 'title-repeat', 'terminating-block', 'page-furniture', 'template-line', 'duplicate-line'] as const;

/** Every built-in rule id a report can name (and a config can disable). */
export const BUILT_IN_RULE_IDS: readonly string[] = [...RULE_BY_ID.keys(), ...CONTEXT_RULE_IDS].sort();

function sanitize(r: BoilerplateRule | UserRule): BoilerplateRule | UserRule {
  // A global or sticky regex keeps state between test() calls: use a stateless copy.
  if (r.pattern && (r.pattern.global || r.pattern.sticky)) {
    return { ...r, pattern: new RegExp(r.pattern.source, r.pattern.flags.replace(/[gy]/g, '')) };
  }
  return r;
}

/**
 * Lines removed for what the corpus or the document repeats, not for what they say: the structure
 * passes still see them, so that where the article is found does not depend on them.
 */
const SEEN_BY_STRUCTURE: ReadonlySet<string> = new Set(['template-line', 'duplicate-line']);

/** Lines up to this length get a lineKey (phrases, titles, terminators are all shorter). */
const KEY_MAX = 240;

/** A paragraph as it will be written, and the input lines (0-based) it is made of. */
interface Unit {
  lines: number[];
  text: string;
}

/**
 * A line that repeats the headline further down: the same words, or the start of a longer headline
 * ("Headline" under "Headline | Outlet"), unless it is a lead-in ("Part 3:" under "Part 3 / October"),
 * which introduces what follows.
 */
function isTitleRepeat(line: string, key: string, title: string, tkey: string): boolean {
  const len = line.length;
  if (len < 8 || len > title.length + 5) return false;
  return key === tkey ? key.length > 0 : sameTitle(key, tkey) && line.charCodeAt(len - 1) !== 58 /* : */;
}

/** The article as written after settling, and what settling did: drop units (by rule id) or lift one as the title (id null). */
interface Settled {
  title: Unit | null;
  paras: Unit[];
  events: { units: Unit[]; id: string | null }[];
}

/**
 * The decisions made by a line's text or position (repeats, section labels among the first lines, the
 * title and what goes with it, terminating blocks), made on the article as it will be written (title
 * line on top, one unit per paragraph) until nothing changes: reading the written article again then
 * decides the same. Pure: the caller applies the events.
 */
function settle(title0: Unit | null, paras0: readonly Unit[], titleSettled = false): Settled {
  let title = title0;
  let paras = [...paras0];
  const events: Settled['events'] = [];
  const drop = (us: readonly Unit[], id: string): void => {
    events.push({ units: [...us], id });
    const gone = new Set(us);
    if (title && gone.has(title)) title = null;
    paras = paras.filter((p) => !gone.has(p));
  };
  const keyOf = (t: string): string => (t.length <= KEY_MAX ? lineKey(t) : '');
  for (;;) {
    const units = title ? [title, ...paras] : paras;
    // Units repeated right after themselves (all at once, so each round is linear).
    const repeats: Unit[] = [];
    for (let j = 1, prev = units[0]?.text; j < units.length; j++) {
      if (units[j].text.length >= 20 && units[j].text === prev) repeats.push(units[j]);
      else prev = units[j].text;
    }
    if (repeats.length > 0) {
      drop(repeats, 'duplicate-line');
      continue;
    }
    // Section labels among the first units.
    const label = units.slice(0, Math.max(0, Math.min(3, units.length - 1))).find((u) => isSectionLabel(u.text));
    if (label) {
      drop([label], 'section-label');
      continue;
    }
    // No title: a first paragraph that reads as a headline is one.
    if (!title && paras.length >= 2 && looksLikeHeadline(paras[0].text)) {
      title = paras[0];
      paras = paras.slice(1);
      events.push({ units: [title], id: null });
      continue;
    }
    const read = title !== null && looksLikeHeadline(title.text) && paras.length > 0;
    if (title && read) {
      // Read as the title: a section label right under it, and its repeats, go.
      if (paras.length >= 2 && isSectionLabel(paras[0].text)) {
        drop([paras[0]], 'section-label');
        continue;
      }
      const t = title.text;
      const tkey = lineKey(t);
      const again = titleSettled ? [] : paras.filter((p) => p.text.length <= t.length + 5 && isTitleRepeat(p.text, keyOf(p.text), t, tkey));
      if (again.length > 0) {
        drop(again, 'title-repeat');
        continue;
      }
    }
    // Terminating blocks, measured on what is read as the body.
    const body = read ? paras : units;
    const text = body.map((p) => p.text);
    const cut: Unit[] = [];
    terminate(text, text.map(keyOf), new Array<string | undefined>(text.length).fill(undefined), text.map((_, j) => j), (j) => cut.push(body[j]));
    if (cut.length === 0) break;
    drop(cut, 'terminating-block');
  }
  return { title, paras, events };
}

function sameTitle(ka: string, kb: string): boolean {
  if (ka.length === 0 || kb.length === 0) return false;
  // "Headline | Outlet" in <title> vs "Headline" in the body.
  return ka === kb || (kb.startsWith(ka) && ka.length >= 12 && ka.length >= kb.length * 0.5);
}

function countWords(paragraphs: readonly string[]): number {
  // Paragraphs are whitespace-collapsed and trimmed: words = spaces + 1.
  let n = 0;
  for (const p of paragraphs) {
    if (p.length === 0) continue;
    n++;
    for (let i = p.indexOf(' '); i >= 0; i = p.indexOf(' ', i + 1)) n++;
  }
  return n;
}

export function cleanText(path: string, text: string, format: 'text' | 'html', options: CleanOptions = {}): CleanDoc {
  const raw = text.split('\n');
  const n = raw.length;
  const repairs: RepairRecord[] = [];
  const lines: string[] = new Array<string>(n);
  const recs: LineRepair[] = [];
  for (let i = 0; i < n; i++) {
    recs.length = 0;
    lines[i] = repairLine(raw[i], recs);
    for (const r of recs) repairs.push({ line: i + 1, repair: r.repair, from: r.from, to: r.to });
  }

  const meta: DocMeta = emptyMeta();
  const footer: DocMeta = emptyMeta(); // what footers and credits say; merged below
  const ruleOf: (string | undefined)[] = new Array<string | undefined>(n).fill(undefined);
  const disabled = options.disabledRules;
  const extra = options.extraRules?.map(sanitize);
  const templates = options.templateLines && options.templateLines.size > 0 ? options.templateLines : undefined;
  const ctx: RuleContext = { index: 0, lines, key: '' };
  // lineKey of every short line, computed once: rules, titles and terminators all compare keys.
  const keys: string[] = new Array<string>(n).fill('');

  // 1. Line rules.
  const collect = options.templateKeys;
  for (let i = 0; i < n; i++) {
    const line = lines[i];
    // Each line's template key once, on the raw line as candidateTemplateLines reads it.
    const candidate = collect ? templateCandidateKey(raw[i]) : null;
    if (candidate !== null && raw[i].length <= TEMPLATE_MAX_CHARS + 40) collect!.all.add(candidate);
    if (line.length === 0) continue;
    if (line.length <= KEY_MAX) keys[i] = lineKey(line);
    ctx.index = i;
    ctx.key = keys[i];
    let id = matchRule(line, ctx, disabled, extra);
    if (id === null && (templates || collect) && !disabled?.has('template-line')) {
      const key = collect ? candidate : templateCandidateKey(raw[i]);
      if (key !== null) {
        if (templates?.has(key)) id = 'template-line';
        else collect?.open.add(key);
      }
    }
    if (id !== null) {
      ruleOf[i] = id;
      RULE_BY_ID.get(id)?.lift?.(line, footer);
    }
  }

  const kept = (): number[] => {
    const k: number[] = [];
    for (let i = 0; i < n; i++) if (lines[i].length > 0 && ruleOf[i] === undefined) k.push(i);
    return k;
  };
  const remove = (i: number, id: string): void => {
    if (!disabled?.has(id) && (ruleOf[i] === undefined || SEEN_BY_STRUCTURE.has(ruleOf[i]!))) ruleOf[i] = id;
  };
  // The structure passes (terminating blocks, content zone) see the page as it is without corpus
  // knowledge or repeats: such lines are removed anyway, but they must not change where the
  // article is found (removing a page's menus first would make the page look like clean prose).
  const structural = (): number[] => {
    const k: number[] = [];
    for (let i = 0; i < n; i++) {
      if (lines[i].length > 0 && (ruleOf[i] === undefined || SEEN_BY_STRUCTURE.has(ruleOf[i]!)) && !skip.has(i)) k.push(i);
    }
    return k;
  };

  // 1b. Repeats: a line repeated right after itself is a copy (a caption printed twice, a
  //     duplicated block); the first stays.
  let prev = '';
  for (let i = 0; i < n; i++) {
    const line = lines[i];
    if (line.length === 0 || ruleOf[i] !== undefined) continue;
    if (line.length >= 20 && line === prev) remove(i, 'duplicate-line');
    else prev = line;
  }

  // 2. Section labels among the first lines ("Top News" above or below the headline).
  let K = kept();
  for (let j = 0; j < Math.min(3, K.length - 1); j++) if (isSectionLabel(lines[K[j]])) remove(K[j], 'section-label');
  K = kept();

  // 3. Title: the first kept line when it looks like a headline (or equals the HTML title).
  let titleAt = -1;
  const htmlTitle = options.htmlMeta?.title?.trim() || null;
  const written = options.writtenTitle === true && format === 'text';
  if (written) {
    // the first line as written: not a later one when a rule took the first
    if (K.length >= 1 && K[0] === lines.findIndex((l) => l.length > 0)) titleAt = 0;
  } else if (K.length >= 2 || (htmlTitle && K.length >= 1)) {
    if (format === 'html' && htmlTitle) {
      for (let j = 0; j < Math.min(5, K.length); j++) {
        if (sameTitle(keys[K[j]], lineKey(htmlTitle))) {
          titleAt = j;
          break;
        }
      }
    } else if (looksLikeHeadline(lines[K[0]])) {
      titleAt = 0;
    }
  }
  const skip = new Set<number>(); // lifted into meta, neither removed nor body
  const titleLine = titleAt >= 0 ? K[titleAt] : -1;
  if (titleAt >= 0) {
    const ti = K[titleAt];
    meta.title = lines[ti];
    skip.add(ti);
    // Section labels right next to the headline.
    for (const j of [titleAt - 1, titleAt + 1]) if (j >= 0 && j < K.length - 1 && isSectionLabel(lines[K[j]])) remove(K[j], 'section-label');
    // The headline repeated further down (a page's <title> and its h1). Anywhere in the text, so
    // that cleaning the rendered output again changes nothing.
    if (!written) for (let j = titleAt + 1; j < K.length; j++) if (isTitleRepeat(lines[K[j]], keys[K[j]], lines[ti], keys[ti])) remove(K[j], 'title-repeat');
  }
  K = kept().filter((i) => !skip.has(i));

  // 5. Terminating block: a "Comments" / "Related" heading in the tail ends the article.
  terminate(lines, keys, ruleOf, structural(), remove);

  // 5b. Page dumps (a whole page's visible text): keep the densest run of prose, drop the
  //     navigation and link lists around it. Text extracted from HTML already is the article:
  //     its tables, figures and short lines are trusted.
  let headlineAt = -1;
  for (let i = 0; i < n && headlineAt < 0; i++) if (ruleOf[i] === 'title-repeat') headlineAt = i;
  const cut: number[] = [];
  for (let i = 0; i < n; i++) if (ruleOf[i] === 'terminating-block') cut.push(i);
  if (format !== 'html' && contentZone(lines, structural(), remove, headlineAt, cut)) {
    // Measured again on the zone alone, the tail proportions change: look for a terminator again.
    terminate(lines, keys, ruleOf, structural(), remove);
  }
  K = kept().filter((i) => !skip.has(i));

  // 6. The article as it will be written: paragraphs (hard-wrapped lines joined), the title line on
  //    top. What is decided by a line's text or position (rules, repeats, section labels, the title,
  //    terminators, the dek) is decided again on these units until nothing changes, so that cleaning
  //    the written article again finds nothing more to do.
  const body: BodyLine[] = K.map((i) => ({ line: i + 1, text: lines[i] }));
  let paras: Unit[] = [];
  for (const g of paragraphGroups(body)) {
    let text = joinGroup(g, repairs);
    if (g.length > 1) {
      // Repairs across a join (a wrapped line that starts with " ."), as they apply to the written line.
      recs.length = 0;
      text = repairLine(text, recs);
      for (const r of recs) repairs.push({ line: g[0].line, repair: r.repair, from: r.from, to: r.to });
      // A notice wrapped over two lines is still a notice.
      ctx.index = g[0].line - 1;
      ctx.key = text.length <= KEY_MAX ? lineKey(text) : '';
      const id = matchRule(text, ctx, disabled, extra);
      if (id !== null) {
        for (const l of g) remove(l.line - 1, id);
        RULE_BY_ID.get(id)?.lift?.(text, footer);
        continue;
      }
    }
    paras.push({ lines: g.map((l) => l.line - 1), text });
  }

  // The title as written: the body's headline, else the one a footer or the HTML page names. One that
  // a rule or the section-label test would remove when read again is no title.
  let title: Unit | null = null;
  if (titleLine >= 0) title = { lines: [titleLine], text: lines[titleLine] };
  else {
    const t = footer.title ?? htmlTitle;
    if (t) title = { lines: [], text: t };
  }
  if (title && title.lines.length === 0 && paras.length > 0) {
    const t = title.text;
    if (matchRule(t, { index: 0, lines, key: t.length <= KEY_MAX ? lineKey(t) : '' }, disabled, extra) !== null) title = null;
  }
  const apply = (st: Settled): void => {
    for (const ev of st.events) {
      for (const i of ev.units.flatMap((u) => u.lines)) {
        if (ev.id === null) skip.add(i);
        else {
          skip.delete(i);
          remove(i, ev.id);
        }
      }
    }
    title = st.title;
    paras = st.paras;
  };
  apply(settle(title, paras, written));

  // 7. Dek: the standfirst right after the headline, judged as the paragraph it will be written as.
  //    Lifted only when the paragraph that then comes first would not be lifted in turn (then
  //    neither is: cleaning the written article again makes the same choice).
  const titleRead = title !== null && looksLikeHeadline((title as Unit).text);
  if (title && !written && (titleLine >= 0 || titleRead) && paras.length >= 2) {
    const cand = paras[0];
    const desc = options.htmlMeta?.description;
    // The page's description names its dek when the headline was found in the body above it.
    const named = titleLine >= 0 && cand.lines[0] > titleLine && desc && lineKey(desc) === lineKey(cand.text);
    if (named || looksLikeDek(cand.text, paras[1].text)) {
      const after = settle(title, paras.slice(1));
      const t = after.title;
      const nextIsDek = t !== null && looksLikeHeadline(t.text) && after.paras.length >= 2 && looksLikeDek(after.paras[0].text, after.paras[1].text);
      if (!nextIsDek) {
        meta.dek = cand.text;
        for (const i of cand.lines) skip.add(i);
        apply(after);
      }
    }
  }
  meta.title = title ? (title as Unit).text : null;

  // 8. Dateline at the start of the first body paragraph: recorded, text kept.
  for (let j = 0; j < Math.min(2, paras.length); j++) {
    const d = parseDateline(paras[j].text);
    if (d) {
      meta.dateline = d;
      break;
    }
  }

  // 9. Metadata from footers, credits and the HTML page.
  meta.source = footer.source ?? options.htmlMeta?.source ?? null;
  meta.byline = footer.byline ?? options.htmlMeta?.byline ?? null;
  meta.date = footer.date ?? options.htmlMeta?.date ?? null;
  meta.url = options.htmlMeta?.url ?? null;
  meta.credits = footer.credits;
  const paragraphs = paras.map((p) => p.text);
  repairs.sort((a, b) => a.line - b.line);

  const removed: RemovedLine[] = [];
  for (let i = 0; i < n; i++) {
    const id = ruleOf[i];
    if (id !== undefined) removed.push({ line: i + 1, rule: id, text: lines[i] });
  }
  return { path, format, meta, paragraphs, removed, repairs, words: countWords(paragraphs) };
}

/** The canonical text: title line, blank line, paragraphs separated by blank lines, trailing newline. */
export function renderArticle(doc: CleanDoc): string {
  const parts: string[] = [];
  if (doc.meta.title) parts.push(doc.meta.title);
  for (const p of doc.paragraphs) parts.push(p);
  return parts.length ? `${parts.join('\n\n')}\n` : '';
}

/**
 * The article under a title chosen for it when it has none of its own (a cluster-mate's, or its opening words). A
 * first paragraph that is that title word for word is not written twice: it becomes the title line.
 */
export function renderWithTitle(doc: CleanDoc, title: string | null): string {
  if (doc.meta.title || !title) return renderArticle(doc);
  const paragraphs = doc.paragraphs[0] === title ? doc.paragraphs.slice(1) : doc.paragraphs;
  return renderArticle({ ...doc, meta: { ...doc.meta, title }, paragraphs });
}
