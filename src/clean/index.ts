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
import { buildParagraphs, continues, detectWrapWidth, type BodyLine } from './paragraphs.js';
import { lineKey, templateCandidateKey } from './template-lines.js';
import { contentZone, terminate } from './structure.js';

export { RULES, matchRule } from './rules.js';
export type { BoilerplateRule, RuleContext, UserRule } from './rules.js';
export { lineKey, candidateTemplateLines, findTemplateLines } from './template-lines.js';
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
   * Receives the template key of every line no line rule removed: only such lines can change when the
   * corpus later names template lines, so a document without one needs no second pass.
   */
  openTemplateKeys?: Set<string>;
}

/** Rule ids assigned by context (position in the document) rather than by the line alone. */
export const CONTEXT_RULE_IDS = ['section-label', 'title-repeat', 'terminating-block', 'page-furniture', 'template-line', 'duplicate-line'] as const;

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
  for (let i = 0; i < n; i++) {
    const line = lines[i];
    if (line.length === 0) continue;
    if (line.length <= KEY_MAX) keys[i] = lineKey(line);
    ctx.index = i;
    ctx.key = keys[i];
    let id = matchRule(line, ctx, disabled, extra);
    if (id === null && (templates || options.openTemplateKeys) && !disabled?.has('template-line')) {
      const key = templateCandidateKey(raw[i]);
      if (key !== null) {
        if (templates?.has(key)) id = 'template-line';
        else options.openTemplateKeys?.add(key);
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
  if (K.length >= 2 || (htmlTitle && K.length >= 1)) {
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
    const tlen = lines[ti].length;
    for (let j = titleAt + 1; j < K.length; j++) {
      const len = lines[K[j]].length;
      if (len >= 8 && len <= tlen + 5 && sameTitle(keys[K[j]], keys[ti])) remove(K[j], 'title-repeat');
    }
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

  // 6. Dek: the standfirst right after the headline (the first body line), decided on the final
  //    body so that cleaning the rendered output again gives the same result.
  if (titleAt >= 0 && K.length >= 2 && K[0] > titleLine) {
    const cand = lines[K[0]];
    const desc = options.htmlMeta?.description;
    // In hard-wrapped text a dek must stand alone: a blank line after it, or a next line it does not run
    // on into (then it stays its own paragraph, and cleaning the output again sees it alone).
    const width = detectWrapWidth(K.map((i) => ({ line: i + 1, text: lines[i] })));
    // Paragraphs join only adjacent kept lines: a removed or blank line after it leaves it alone.
    const next = K[1] === K[0] + 1 ? lines[K[1]] : '';
    const alone = next.length === 0 || width === 0 || !continues(cand, next, width);
    // The dek is judged against the paragraph that follows as it will be written (wrapped lines joined).
    let following = lines[K[1]];
    for (let j = 1; j + 1 < K.length && K[j + 1] === K[j] + 1 && width > 0 && continues(lines[K[j]], lines[K[j + 1]], width); j++) {
      following += ' ' + lines[K[j + 1]];
    }
    if ((desc && lineKey(desc) === keys[K[0]]) || (alone && looksLikeDek(cand, following))) {
      meta.dek = cand;
      skip.add(K[0]);
      K = K.slice(1);
    }
  }

  // 7. Dateline at the start of the first body paragraph: recorded, text kept.
  for (let j = 0; j < Math.min(2, K.length); j++) {
    const d = parseDateline(lines[K[j]]);
    if (d) {
      meta.dateline = d;
      break;
    }
  }

  // 8. Metadata from footers, credits and the HTML page; the body's own title wins.
  meta.title ??= footer.title ?? htmlTitle;
  meta.source = footer.source ?? options.htmlMeta?.source ?? null;
  meta.byline = footer.byline ?? options.htmlMeta?.byline ?? null;
  meta.date = footer.date ?? options.htmlMeta?.date ?? null;
  meta.url = options.htmlMeta?.url ?? null;
  meta.credits = footer.credits;

  // 9. Paragraphs.
  const body: BodyLine[] = K.map((i) => ({ line: i + 1, text: lines[i] }));
  const paragraphs = buildParagraphs(body, repairs);
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
