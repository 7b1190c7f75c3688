// @ts-check
/**
 * A faithful JavaScript port of the extraction benchmark metric (score.py of the shared benchmark,
 * itself a port of scrapinghub/article-extraction-benchmark's evaluate.py):
 *
 *   tokens  = Python `re.findall(r'\w+', text)` (Unicode): letters (L*), numbers (N*) and `_`.
 *             Python's \w is str.isalnum() or '_', which does NOT include combining marks (Mn/Mc),
 *             so a mark splits a token, exactly as in Python.
 *   units   = overlapping n-grams of tokens (n = 4 in the published numbers); a text with fewer
 *             than n tokens gives one shorter shingle; an empty text gives none; multiset matching.
 *   per doc : tp/fp/fn normalised by tp+fp+fn so each page weighs the same.
 *   P, R    = means over docs (docs with tp+fp = 0 resp. tp+fn = 0 left out; fp = fn = 0 scores 1),
 *   F1      = 2PR/(P+R) of those means.
 *
 * No dependencies; usable as a module or as `node score.mjs PRED_DIR [--gold DIR] [--ngram N] [--per-doc]`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TOKEN_RE = /[\p{L}\p{N}_]+/gu;

/**
 * Python-compatible `\w+` tokenisation.
 * @param {string | null | undefined} text
 * @returns {string[]}
 */
export function tokenize(text) {
  if (!text) return [];
  return text.match(TOKEN_RE) ?? [];
}

/**
 * Multiset of overlapping n-gram shingles (key = tokens joined by U+0001).
 * @param {string[]} tokens
 * @param {number} n
 * @returns {Map<string, number>}
 */
export function shingles(tokens, n) {
  /** @type {Map<string, number>} */
  const m = new Map();
  const count = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < count; i++) {
    const sl = tokens.slice(i, i + n);
    if (sl.length === 0) continue;
    const k = sl.join('\u0001');
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/**
 * Normalised [tp, fp, fn] of one document.
 * @param {string[]} goldTokens
 * @param {string[]} predTokens
 * @param {number} n
 * @returns {[number, number, number]}
 */
export function tpFpFn(goldTokens, predTokens, n) {
  const g = shingles(goldTokens, n);
  const p = shingles(predTokens, n);
  let tp = 0, fp = 0, fn = 0;
  for (const [k, a] of g) {
    const b = p.get(k) ?? 0;
    tp += Math.min(a, b);
    fp += Math.max(0, b - a);
    fn += Math.max(0, a - b);
  }
  for (const [k, b] of p) {
    if (!g.has(k)) fp += b;
  }
  const s = tp + fp + fn;
  return s > 0 ? [tp / s, fp / s, fn / s] : [tp, fp, fn];
}

/** @param {[number, number, number]} r */
export function precisionOf([tp, fp, fn]) {
  return fp === 0 && fn === 0 ? 1 : tp === 0 && fp === 0 ? 0 : tp / (tp + fp);
}

/** @param {[number, number, number]} r */
export function recallOf([tp, fp, fn]) {
  return fp === 0 && fn === 0 ? 1 : tp === 0 && fn === 0 ? 0 : tp / (tp + fn);
}

/** @param {number[]} xs */
function mean(xs) {
  // Python's statistics.mean is exact (fractions); a plain sum is accurate far beyond 3 decimals here.
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/**
 * @typedef {{ f1: number, precision: number, recall: number }} Scores
 * @typedef {Scores & { docs: number, perDoc: { name: string, precision: number, recall: number, f1: number }[] }} ScoreResult
 */

/**
 * Aggregate per-doc rows like score.py's `aggregate`.
 * @param {[number, number, number][]} rows
 * @returns {Scores}
 */
export function aggregate(rows) {
  const ps = rows.filter((r) => r[0] + r[1] > 0).map(precisionOf);
  const rs = rows.filter((r) => r[0] + r[2] > 0).map(recallOf);
  const p = ps.length ? mean(ps) : 0;
  const r = rs.length ? mean(rs) : 0;
  return { f1: p + r ? (2 * p * r) / (p + r) : 0, precision: p, recall: r };
}

/**
 * Score (gold, pred) text pairs.
 * @param {{ name?: string, gold: string, pred: string | null | undefined }[]} pairs
 * @param {number} [n]
 * @returns {ScoreResult}
 */
export function scoreTexts(pairs, n = 4) {
  /** @type {[number, number, number][]} */
  const rows = [];
  const perDoc = [];
  for (let i = 0; i < pairs.length; i++) {
    const { name, gold, pred } = pairs[i];
    const row = tpFpFn(tokenize(gold), tokenize(pred ?? ''), n);
    rows.push(row);
    const p = precisionOf(row), r = recallOf(row);
    perDoc.push({ name: name ?? String(i), precision: p, recall: r, f1: p + r ? (2 * p * r) / (p + r) : 0 });
  }
  return { ...aggregate(rows), docs: rows.length, perDoc };
}

/**
 * Gold names the way score.py picks them: top-level NAME.txt (README* skipped); if the dir holds
 * .html files, only NAME.txt that has a NAME.html.
 * @param {string} goldDir
 * @returns {string[]}
 */
export function goldNames(goldDir) {
  const files = fs.readdirSync(goldDir);
  let names = files
    .filter((f) => f.endsWith('.txt') && !f.toUpperCase().startsWith('README') && fs.statSync(path.join(goldDir, f)).isFile())
    .map((f) => f.slice(0, -4))
    .sort(pyCompare);
  if (files.some((f) => f.endsWith('.html'))) names = names.filter((nm) => fs.existsSync(path.join(goldDir, nm + '.html')));
  return names;
}

/** Code-point order, like Python's sorted() on str. @param {string} a @param {string} b */
function pyCompare(a, b) {
  const A = Array.from(a), B = Array.from(b);
  for (let i = 0; i < Math.min(A.length, B.length); i++) {
    const x = A[i].codePointAt(0) ?? 0, y = B[i].codePointAt(0) ?? 0;
    if (x !== y) return x - y;
  }
  return A.length - B.length;
}

/**
 * Read a file as UTF-8 (invalid bytes replaced), or null when missing.
 * @param {string} p
 */
function readOrNull(p) {
  try {
    return fs.readFileSync(p).toString('utf8');
  } catch (e) {
    if (/** @type {NodeJS.ErrnoException} */ (e).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Score a directory of predictions against a gold directory (a missing prediction is empty text).
 * @param {string} predDir
 * @param {string} goldDir
 * @param {number} [n]
 * @returns {ScoreResult & { missing: string[] }}
 */
export function scoreDir(predDir, goldDir, n = 4) {
  const names = goldNames(goldDir);
  /** @type {string[]} */
  const missing = [];
  const pairs = names.map((name) => {
    const gold = readOrNull(path.join(goldDir, name + '.txt')) ?? '';
    const pred = readOrNull(path.join(predDir, name + '.txt'));
    if (pred === null) missing.push(name);
    return { name, gold, pred: pred ?? '' };
  });
  return { ...scoreTexts(pairs, n), missing };
}

// CLI: node score.mjs PRED_DIR [--gold DIR] [--ngram N] [--per-doc]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let gold = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/bench/extraction/gold');
  /** @type {number[]} */
  const ngrams = [];
  let perDocFlag = false;
  /** @type {string | undefined} */
  let pred;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--gold') gold = args[++i];
    else if (a === '--ngram') ngrams.push(Number(args[++i]));
    else if (a === '--per-doc') perDocFlag = true;
    else pred = a;
  }
  if (!pred) {
    console.error('usage: node score.mjs PRED_DIR [--gold GOLD_DIR] [--ngram N] [--per-doc]');
    process.exit(2);
  }
  for (const n of ngrams.length ? ngrams : [4, 1]) {
    const r = scoreDir(pred, gold, n);
    console.log(`${n > 1 ? n + '-gram' : 'token'}\tF1 ${r.f1.toFixed(3)}\tP ${r.precision.toFixed(3)}\tR ${r.recall.toFixed(3)}\tdocs ${r.docs}\tmissing ${r.missing.length}`);
    if (perDocFlag && n === (ngrams[0] ?? 4)) {
      for (const d of [...r.perDoc].sort((a, b) => a.f1 - b.f1)) console.log(`${d.name}\t${d.precision.toFixed(3)}\t${d.recall.toFixed(3)}\t${d.f1.toFixed(3)}`);
    }
  }
}
